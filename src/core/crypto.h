/*
 * crypto: the only wrapper over libsodium. Random bytes and tokens,
 * SHA-256, constant-time comparison, argon2id password hashes with a
 * bound on how many are computed at once (each takes 64 MiB and ~50 ms).
 */
#ifndef GG_CRYPTO_H
#define GG_CRYPTO_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define GG_PWHASH_MAX 128 /* argon2id encoded string, NUL included */
#define GG_SHA256_LEN 32
#define GG_SHA256_HEX 65 /* 64 hex digits and NUL */
#define GG_TOKEN_MAX  96 /* base64url text of up to 64 random bytes, NUL included */

/** Once per process before any other call; GG_E_INTERNAL if libsodium fails. Thread-safe. */
enum gg_err gg_crypto_init(void);
/** How many password hashes may run at once (default 2). Call before threads start. */
void gg_crypto_set_hash_concurrency(int n);

void gg_crypto_random(void *buf, size_t len);
/** out gets nbytes (<= 64) random bytes as unpadded base64url text; outsz >= GG_TOKEN_MAX. */
void gg_crypto_token(char *out, size_t outsz, size_t nbytes);
void gg_crypto_sha256(const void *data, size_t len, unsigned char out[GG_SHA256_LEN]);
void gg_crypto_sha256_hex(const void *data, size_t len, char out[GG_SHA256_HEX]);
void gg_crypto_hex(const unsigned char *in, size_t len, char *out); /* out holds 2*len+1 */
int gg_crypto_equal(const void *a, const void *b, size_t len);      /* 1 equal, constant time */

/** argon2id at libsodium's interactive limits; waits for a free slot. GG_E_NOMEM when memory fails. */
enum gg_err gg_crypto_pwhash(const char *password, char out[GG_PWHASH_MAX]);
/** 1 when password matches the stored hash, 0 otherwise (also on a malformed hash). Waits for a slot. */
int gg_crypto_pwverify(const char *stored, const char *password);
/** Generates a readable random password (letters and digits, 16 characters). outsz >= 17. */
void gg_crypto_password(char *out, size_t outsz);

/** Writes nbytes random bytes to path with mode 0600 (fails if the file exists). */
enum gg_err gg_crypto_write_key(const char *path, size_t nbytes, struct gg_error *err);

/*
 * Personal data at rest. The installation's two keys live in DIR/keys/:
 * data.key encrypts (XChaCha20-Poly1305, a random nonce per value, the
 * field name as associated data so a value cannot be moved to another
 * field), index.key makes the keyed blind index (BLAKE2b keyed, of the
 * normalised value with the field name) that uniqueness and duplicate
 * checks use without decrypting.
 */
#define GG_KEY_LEN   32
#define GG_BLIND_HEX 65 /* 32-byte index as hex and NUL */
struct gg_keys {
	unsigned char data[GG_KEY_LEN];
	unsigned char index[GG_KEY_LEN];
};
/** Reads DIR/keys/data.key and index.key (each exactly 32 bytes; GG_E_CONFIG naming the file otherwise). */
enum gg_err gg_crypto_keys_load(const char *dir, struct gg_keys *keys, struct gg_error *err);
/** Wipes the keys from memory. */
void gg_crypto_keys_wipe(struct gg_keys *keys);
/** Encrypts plaintext for field; out (reset first) gets nonce || ciphertext || tag as bytes. */
enum gg_err gg_crypto_seal(const struct gg_keys *keys, const char *field, const char *plaintext, struct gg_buf *out);
/** Decrypts a sealed value; out (reset first) gets the NUL-terminated text. GG_E_INTERNAL when it does not
 * authenticate. */
enum gg_err gg_crypto_open(const struct gg_keys *keys, const char *field, const void *sealed, size_t len,
                           struct gg_buf *out);
/** Blind index of value for field, as hex. */
void gg_crypto_blind(const struct gg_keys *keys, const char *field, const char *value, char out[GG_BLIND_HEX]);

#endif
