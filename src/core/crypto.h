/*
 * crypto: the only wrapper over libsodium. Random bytes and tokens,
 * SHA-256, constant-time comparison, argon2id password hashes with a
 * bound on how many are computed at once (each takes 64 MiB and ~50 ms).
 */
#ifndef GG_CRYPTO_H
#define GG_CRYPTO_H

#include <stddef.h>

#include "err.h"

#define GG_PWHASH_MAX 128   /* argon2id encoded string, NUL included */
#define GG_SHA256_LEN 32
#define GG_SHA256_HEX 65    /* 64 hex digits and NUL */
#define GG_TOKEN_MAX 96	    /* base64url text of up to 64 random bytes, NUL included */

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
int gg_crypto_equal(const void *a, const void *b, size_t len);	    /* 1 equal, constant time */

/** argon2id at libsodium's interactive limits; waits for a free slot. GG_E_NOMEM when memory fails. */
enum gg_err gg_crypto_pwhash(const char *password, char out[GG_PWHASH_MAX]);
/** 1 when password matches the stored hash, 0 otherwise (also on a malformed hash). Waits for a slot. */
int gg_crypto_pwverify(const char *stored, const char *password);
/** Generates a readable random password (letters and digits, 16 characters). outsz >= 17. */
void gg_crypto_password(char *out, size_t outsz);

/** Writes nbytes random bytes to path with mode 0600 (fails if the file exists). */
enum gg_err gg_crypto_write_key(const char *path, size_t nbytes, struct gg_error *err);

#endif
