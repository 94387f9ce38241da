/*
 * crypto: the one file that includes libsodium. Password hashes are
 * argon2id at libsodium's interactive limits (about 50 ms and 64 MiB
 * each), so a counting semaphore bounds how many run at once: a burst of
 * logins queues instead of exhausting memory. Key files are created
 * exclusively with mode 0600 and synced before they count as written.
 */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
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
