/*
 * crypto: the one file that includes libsodium. Password hashes are
 * argon2id at libsodium's interactive limits (about 50 ms and 64 MiB
 * each), so a counting semaphore bounds how many run at once: a burst of
 * logins queues instead of exhausting memory. Key files are created
 * exclusively with mode 0600 and synced before they count as written.
 * Personal data is sealed with XChaCha20-Poly1305 (a random 192-bit nonce
 * per value, so no nonce bookkeeping; the field name as associated data,
 * so a sealed phone number cannot be passed off as an ID number), and
 * found again through a keyed BLAKE2b blind index under a second key.
 */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

_Static_assert(GG_PWHASH_MAX >= crypto_pwhash_STRBYTES, "GG_PWHASH_MAX holds an argon2id string");
_Static_assert(GG_SHA256_LEN == crypto_hash_sha256_BYTES, "GG_SHA256_LEN is SHA-256's size");

#define TOKEN_BYTES_MAX 64
#define KEY_BYTES_MAX   4096
#define PASSWORD_LEN    16

/* Letters and digits without the look-alikes 0/O/o, 1/l/I. */
static const char password_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_failed;

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_free = PTHREAD_COND_INITIALIZER;
static int slot_limit = 2;
static int slot_used;

static void crypto_init_once(void)
{
	init_failed = sodium_init() < 0;
}

enum gg_err gg_crypto_init(void)
{
	pthread_once(&init_once, crypto_init_once);
	return init_failed ? GG_E_INTERNAL : GG_OK;
}

void gg_crypto_set_hash_concurrency(int n)
{
	pthread_mutex_lock(&slot_lock);
	slot_limit = n < 1 ? 1 : n;
	pthread_cond_broadcast(&slot_free);
	pthread_mutex_unlock(&slot_lock);
}

static void slot_take(void)
{
	pthread_mutex_lock(&slot_lock);
	while (slot_used >= slot_limit)
		pthread_cond_wait(&slot_free, &slot_lock);
	slot_used++;
	pthread_mutex_unlock(&slot_lock);
}

static void slot_give(void)
{
	pthread_mutex_lock(&slot_lock);
	slot_used--;
	pthread_cond_signal(&slot_free);
	pthread_mutex_unlock(&slot_lock);
}

void gg_crypto_random(void *buf, size_t len)
{
	gg_crypto_init();
	randombytes_buf(buf, len);
}

void gg_crypto_token(char *out, size_t outsz, size_t nbytes)
{
	unsigned char raw[TOKEN_BYTES_MAX];
	const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (nbytes > TOKEN_BYTES_MAX)
		nbytes = TOKEN_BYTES_MAX;
	/* sodium_bin2base64 aborts on a short buffer: refuse before it can. */
	if (nbytes == 0 || outsz < sodium_base64_ENCODED_LEN(nbytes, variant))
		return;
	gg_crypto_random(raw, nbytes);
	sodium_bin2base64(out, outsz, raw, nbytes, variant);
	sodium_memzero(raw, sizeof(raw));
}

void gg_crypto_sha256(const void *data, size_t len, unsigned char out[GG_SHA256_LEN])
{
	gg_crypto_init();
	crypto_hash_sha256(out, data, len);
}

void gg_crypto_sha256_hex(const void *data, size_t len, char out[GG_SHA256_HEX])
{
	unsigned char h[GG_SHA256_LEN];

	gg_crypto_sha256(data, len, h);
	gg_crypto_hex(h, sizeof(h), out);
}

void gg_crypto_hex(const unsigned char *in, size_t len, char *out)
{
	sodium_bin2hex(out, 2 * len + 1, in, len);
}

int gg_crypto_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

enum gg_err gg_crypto_pwhash(const char *password, char out[GG_PWHASH_MAX])
{
	int rc;

	out[0] = '\0';
	if (!password)
		return GG_E_INVALID;
	if (gg_crypto_init() != GG_OK)
		return GG_E_INTERNAL;
	slot_take();
	rc = crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                           crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13);
	slot_give();
	if (rc != 0) {
		out[0] = '\0';
		return GG_E_NOMEM;
	}
	return GG_OK;
}

int gg_crypto_pwverify(const char *stored, const char *password)
{
	static const char prefix[] = "$argon2id$";
	int rc;

	if (!stored || !password || strncmp(stored, prefix, sizeof(prefix) - 1) != 0)
		return 0;
	if (strnlen(stored, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES)
		return 0;
	if (gg_crypto_init() != GG_OK)
		return 0;
	slot_take();
	rc = crypto_pwhash_str_verify(stored, password, strlen(password));
	slot_give();
	return rc == 0;
}

static int has_class(const char *s, char lo, char hi)
{
	for (; *s; s++)
		if (*s >= lo && *s <= hi)
			return 1;
	return 0;
}

void gg_crypto_password(char *out, size_t outsz)
{
	size_t n, i;

	if (outsz == 0)
		return;
	n = outsz - 1 < PASSWORD_LEN ? outsz - 1 : PASSWORD_LEN;
	gg_crypto_init();
	/* Redraw until upper case, lower case and a digit all appear (rarely needed). */
	do {
		for (i = 0; i < n; i++)
			out[i] = password_alphabet[randombytes_uniform(sizeof(password_alphabet) - 1)];
		out[n] = '\0';
	} while (n >= 3 && !(has_class(out, 'A', 'Z') && has_class(out, 'a', 'z') && has_class(out, '2', '9')));
}

/* Writes all of buf, retrying short writes and interrupted calls. */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t w;

	while (len > 0) {
		w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The directory entry of a new file is durable only once its directory is synced. */
static void sync_parent_dir(const char *path)
{
	char dir[4096];
	char *slash;
	int fd;

	if (gg_strlcpy(dir, path, sizeof(dir)) != GG_OK)
		return;
	slash = strrchr(dir, '/');
	if (!slash)
		gg_strlcpy(dir, ".", sizeof(dir));
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

enum gg_err gg_crypto_write_key(const char *path, size_t nbytes, struct gg_error *err)
{
	unsigned char key[KEY_BYTES_MAX];
	enum gg_err ret = GG_OK;
	int fd, saved;

	if (nbytes == 0 || nbytes > KEY_BYTES_MAX)
		return gg_error_set(err, GG_E_INVALID, "key size %zu is outside 1..%d bytes", nbytes, KEY_BYTES_MAX);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return gg_error_set(err, GG_E_IO, "key file '%s' already exists", path);
		return gg_error_set(err, GG_E_IO, "cannot create key file '%s': %s", path, strerror(errno));
	}
	gg_crypto_random(key, nbytes);
	if (write_all(fd, key, nbytes) != 0 || fsync(fd) != 0) {
		saved = errno;
		ret = gg_error_set(err, GG_E_IO, "cannot write key file '%s': %s", path, strerror(saved));
	}
	if (close(fd) != 0 && ret == GG_OK)
		ret = gg_error_set(err, GG_E_IO, "cannot write key file '%s': %s", path, strerror(errno));
	sodium_memzero(key, sizeof(key));
	/* A half-written key is worse than none: remove it so init can run again. */
	if (ret != GG_OK)
		unlink(path);
	else
		sync_parent_dir(path);
	return ret;
}

/* Reads path into key, which must be exactly GG_KEY_LEN bytes long. */
static enum gg_err read_key(const char *path, unsigned char key[GG_KEY_LEN], struct gg_error *err)
{
	unsigned char buf[GG_KEY_LEN + 1];
	size_t got = 0;
	ssize_t r;
	int fd;
	enum gg_err ret = GG_OK;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return gg_error_set(err, GG_E_CONFIG, "key file '%s' is missing", path);
		return gg_error_set(err, GG_E_CONFIG, "cannot open key file '%s': %s", path, strerror(errno));
	}
	/* One byte more than a key, to tell a long file from a right one. */
	while (got < sizeof(buf)) {
		r = read(fd, buf + got, sizeof(buf) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = gg_error_set(err, GG_E_CONFIG, "cannot read key file '%s': %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got != GG_KEY_LEN) {
		ret = gg_error_set(err, GG_E_CONFIG, "key file '%s' must hold exactly %d bytes", path, GG_KEY_LEN);
		goto out;
	}
	memcpy(key, buf, GG_KEY_LEN);
out:
	sodium_memzero(buf, sizeof(buf));
	close(fd);
	return ret;
}

enum gg_err gg_crypto_keys_load(const char *dir, struct gg_keys *keys, struct gg_error *err)
{
	char path[4096];
	enum gg_err ret;

	sodium_memzero(keys, sizeof(*keys));
	if (gg_crypto_init() != GG_OK)
		return gg_error_set(err, GG_E_INTERNAL, "cannot start libsodium");
	if (gg_snprintf(path, sizeof(path), "%s/keys/data.key", dir) != GG_OK)
		return gg_error_set(err, GG_E_CONFIG, "directory name is too long");
	ret = read_key(path, keys->data, err);
	if (ret == GG_OK && gg_snprintf(path, sizeof(path), "%s/keys/index.key", dir) != GG_OK)
		ret = gg_error_set(err, GG_E_CONFIG, "directory name is too long");
	if (ret == GG_OK)
		ret = read_key(path, keys->index, err);
	if (ret == GG_OK && gg_crypto_equal(keys->data, keys->index, GG_KEY_LEN))
		ret = gg_error_set(err, GG_E_CONFIG, "data.key and index.key in '%s/keys' must differ", dir);
	if (ret != GG_OK)
		sodium_memzero(keys, sizeof(*keys));
	return ret;
}

void gg_crypto_keys_wipe(struct gg_keys *keys)
{
	sodium_memzero(keys, sizeof(*keys));
}

_Static_assert(GG_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "GG_KEY_LEN is XChaCha20's key size");
_Static_assert(GG_KEY_LEN >= crypto_generichash_KEYBYTES_MIN && GG_KEY_LEN <= crypto_generichash_KEYBYTES_MAX,
               "GG_KEY_LEN is a BLAKE2b key size");

#define SEAL_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SEAL_TAG   crypto_aead_xchacha20poly1305_ietf_ABYTES

/*
 * The ciphertext is built in a scratch buffer and appended in one piece,
 * so out holds either the whole sealed value or nothing.
 */
enum gg_err gg_crypto_seal(const struct gg_keys *keys, const char *field, const char *plaintext, struct gg_buf *out)
{
	unsigned char *sealed;
	unsigned long long clen = 0;
	size_t plen, total;
	enum gg_err ret;

	gg_buf_reset(out);
	if (!field || !plaintext)
		return GG_E_INVALID;
	if (gg_crypto_init() != GG_OK)
		return GG_E_INTERNAL;
	plen = strlen(plaintext);
	if (plen > SIZE_MAX - SEAL_NONCE - SEAL_TAG)
		return GG_E_TOO_LARGE;
	total = SEAL_NONCE + plen + SEAL_TAG;
	sealed = malloc(total);
	if (!sealed)
		return GG_E_NOMEM;
	randombytes_buf(sealed, SEAL_NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(sealed + SEAL_NONCE, &clen, (const unsigned char *)plaintext, plen,
	                                           (const unsigned char *)field, strlen(field), NULL, sealed,
	                                           keys->data);
	ret = gg_buf_add(out, sealed, SEAL_NONCE + (size_t)clen);
	free(sealed);
	return ret;
}

enum gg_err gg_crypto_open(const struct gg_keys *keys, const char *field, const void *sealed, size_t len,
                           struct gg_buf *out)
{
	const unsigned char *in = sealed;
	unsigned char *plain;
	unsigned long long plen = 0;
	enum gg_err ret = GG_OK;

	gg_buf_reset(out);
	if (!field || !sealed || len < SEAL_NONCE + SEAL_TAG)
		return GG_E_INTERNAL;
	if (gg_crypto_init() != GG_OK)
		return GG_E_INTERNAL;
	plain = malloc(len - SEAL_NONCE - SEAL_TAG + 1);
	if (!plain)
		return GG_E_NOMEM;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, in + SEAL_NONCE, len - SEAL_NONCE,
	                                               (const unsigned char *)field, strlen(field), in,
	                                               keys->data) != 0) {
		ret = GG_E_INTERNAL;
		goto out;
	}
	/* A sealed value is text: a NUL inside would cut it short unseen. */
	if (memchr(plain, '\0', (size_t)plen)) {
		ret = GG_E_INTERNAL;
		goto out;
	}
	ret = gg_buf_add(out, plain, (size_t)plen);
out:
	sodium_memzero(plain, len - SEAL_NONCE - SEAL_TAG + 1);
	free(plain);
	return ret;
}

/* BLAKE2b keyed with index.key over field || 0x00 || value: the NUL keeps ("ab","c") apart from ("a","bc"). */
void gg_crypto_blind(const struct gg_keys *keys, const char *field, const char *value, char out[GG_BLIND_HEX])
{
	crypto_generichash_state st;
	unsigned char h[32];
	static const unsigned char zero = 0;

	gg_crypto_init();
	crypto_generichash_init(&st, keys->index, GG_KEY_LEN, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)(field ? field : ""), field ? strlen(field) : 0);
	crypto_generichash_update(&st, &zero, 1);
	crypto_generichash_update(&st, (const unsigned char *)(value ? value : ""), value ? strlen(value) : 0);
	crypto_generichash_final(&st, h, sizeof(h));
	gg_crypto_hex(h, sizeof(h), out);
	sodium_memzero(&st, sizeof(st));
}
