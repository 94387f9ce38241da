/*
 * test_crypto: argon2id hashing round trip and refusals, the hash slot
 * limit under concurrent callers, tokens (length, alphabet, uniqueness),
 * SHA-256 against known vectors, hex, constant-time equality, generated
 * passwords and key files (mode 0600, never overwritten); the personal-
 * data keys (loading and its refusals), sealing bound to the field name
 * and refused when tampered with, and the keyed blind index (checked
 * against BLAKE2b computed independently).
 */
#include "unit.h"

#include <pthread.h>
#include <sys/stat.h>

#include "core/crypto.h"

static int setup_group(void **state)
{
	(void)state;
	return gg_crypto_init() == GG_OK ? 0 : -1;
}

static void test_init_is_idempotent(void **state)
{
	(void)state;
	assert_int_equal(gg_crypto_init(), GG_OK);
	assert_int_equal(gg_crypto_init(), GG_OK);
}

static void test_pwhash_round_trip(void **state)
{
	char h1[GG_PWHASH_MAX], h2[GG_PWHASH_MAX];

	(void)state;
	assert_int_equal(gg_crypto_pwhash("correct horse 电池", h1), GG_OK);
	assert_true(strncmp(h1, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0);
	assert_true(strlen(h1) < GG_PWHASH_MAX);
	assert_int_equal(gg_crypto_pwverify(h1, "correct horse 电池"), 1);
	assert_int_equal(gg_crypto_pwverify(h1, "correct horse 电"), 0);
	assert_int_equal(gg_crypto_pwverify(h1, ""), 0);
	/* A fresh salt each time: the same password hashes differently. */
	assert_int_equal(gg_crypto_pwhash("correct horse 电池", h2), GG_OK);
	assert_string_not_equal(h1, h2);
	assert_int_equal(gg_crypto_pwverify(h2, "correct horse 电池"), 1);
	/* The empty password hashes and verifies like any other. */
	assert_int_equal(gg_crypto_pwhash("", h2), GG_OK);
	assert_int_equal(gg_crypto_pwverify(h2, ""), 1);
	assert_int_equal(gg_crypto_pwverify(h2, "x"), 0);
}

static void test_pwverify_refuses_malformed(void **state)
{
	char h[GG_PWHASH_MAX], bad[GG_PWHASH_MAX];

	(void)state;
	assert_int_equal(gg_crypto_pwhash("pw", h), GG_OK);
	assert_int_equal(gg_crypto_pwverify(NULL, "pw"), 0);
	assert_int_equal(gg_crypto_pwverify(h, NULL), 0);
	assert_int_equal(gg_crypto_pwverify("", "pw"), 0);
	assert_int_equal(gg_crypto_pwverify("pw", "pw"), 0);
	assert_int_equal(gg_crypto_pwverify("$argon2id$garbage", "pw"), 0);
	/* One changed character of the hash part. */
	memcpy(bad, h, sizeof(bad));
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
	assert_int_equal(gg_crypto_pwverify(bad, "pw"), 0);
	assert_int_equal(gg_crypto_pwhash(NULL, h), GG_E_INVALID);
}

struct hash_job {
	char password[32];
	char hash[GG_PWHASH_MAX];
	enum gg_err ret;
	int verified;
};

static void *hash_thread(void *arg)
{
	struct hash_job *job = arg;

	job->ret = gg_crypto_pwhash(job->password, job->hash);
	job->verified = gg_crypto_pwverify(job->hash, job->password);
	return NULL;
}

/* With one slot, four threads queue for it and all finish with correct hashes. */
static void test_hash_slots_queue(void **state)
{
	struct hash_job jobs[4];
	pthread_t t[4];
	int i;

	(void)state;
	gg_crypto_set_hash_concurrency(1);
	for (i = 0; i < 4; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		snprintf(jobs[i].password, sizeof(jobs[i].password), "password-%d", i);
		assert_int_equal(pthread_create(&t[i], NULL, hash_thread, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(jobs[i].ret, GG_OK);
		assert_int_equal(jobs[i].verified, 1);
	}
	assert_int_equal(gg_crypto_pwverify(jobs[0].hash, jobs[1].password), 0);
	gg_crypto_set_hash_concurrency(0); /* clamped to 1 */
	assert_int_equal(gg_crypto_pwverify(jobs[2].hash, jobs[2].password), 1);
	gg_crypto_set_hash_concurrency(2);
}

static void assert_base64url(const char *s)
{
	for (; *s; s++)
		assert_true((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		            *s == '-' || *s == '_');
}

static void test_token(void **state)
{
	char a[GG_TOKEN_MAX], b[GG_TOKEN_MAX], small[10];

	(void)state;
	gg_crypto_token(a, sizeof(a), 32);
	gg_crypto_token(b, sizeof(b), 32);
	assert_int_equal(strlen(a), 43); /* ceil(32 * 4 / 3), no padding */
	assert_base64url(a);
	assert_string_not_equal(a, b);
	gg_crypto_token(a, sizeof(a), 64);
	assert_int_equal(strlen(a), 86);
	assert_base64url(a);
	gg_crypto_token(a, sizeof(a), 1000); /* capped at 64 bytes */
	assert_int_equal(strlen(a), 86);
	gg_crypto_token(a, sizeof(a), 3);
	assert_int_equal(strlen(a), 4);
	/* Too small an output gives "" rather than a short token. */
	gg_crypto_token(small, sizeof(small), 32);
	assert_string_equal(small, "");
	gg_crypto_token(a, sizeof(a), 0);
	assert_string_equal(a, "");
}

static void test_sha256_vectors(void **state)
{
	unsigned char h[GG_SHA256_LEN];
	char hex[GG_SHA256_HEX];

	(void)state;
	gg_crypto_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	gg_crypto_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	gg_crypto_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	gg_crypto_sha256("abc", 3, h);
	assert_int_equal(h[0], 0xba);
	assert_int_equal(h[31], 0xad);
}

static void test_hex_and_equal(void **state)
{
	const unsigned char in[] = {0x00, 0x0f, 0xa5, 0xff};
	char out[9];

	(void)state;
	gg_crypto_hex(in, sizeof(in), out);
	assert_string_equal(out, "000fa5ff");
	gg_crypto_hex(in, 0, out);
	assert_string_equal(out, "");
	assert_int_equal(gg_crypto_equal("abcd", "abcd", 4), 1);
	assert_int_equal(gg_crypto_equal("abcd", "abce", 4), 0);
	assert_int_equal(gg_crypto_equal("xbcd", "abcd", 4), 0);
	assert_int_equal(gg_crypto_equal("abcd", "abce", 3), 1);
}

static void test_random_differs(void **state)
{
	unsigned char a[32], b[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	gg_crypto_random(a, sizeof(a));
	gg_crypto_random(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
}

static void test_password(void **state)
{
	char a[17], b[17], small[5];
	const char *p;
	int i, upper, lower, digit;

	(void)state;
	for (i = 0; i < 50; i++) {
		gg_crypto_password(a, sizeof(a));
		assert_int_equal(strlen(a), 16);
		upper = lower = digit = 0;
		for (p = a; *p; p++) {
			upper |= *p >= 'A' && *p <= 'Z';
			lower |= *p >= 'a' && *p <= 'z';
			digit |= *p >= '0' && *p <= '9';
			assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'));
			/* look-alikes are left out */
			assert_null(strchr("0O1lI", *p));
		}
		assert_true(upper && lower && digit);
	}
	gg_crypto_password(b, sizeof(b));
	assert_string_not_equal(a, b);
	gg_crypto_password(small, sizeof(small));
	assert_int_equal(strlen(small), 4);
}

static void test_write_key(void **state)
{
	char dir[256], path[300], missing[320], got[128], again[128];
	struct gg_error err;
	struct stat st;

	(void)state;
	unit_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/secret.key", dir);
	snprintf(missing, sizeof(missing), "%s/no/such/dir.key", dir);
	gg_error_init(&err);

	assert_int_equal(gg_crypto_write_key(path, 32, &err), GG_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 32);
	assert_int_equal(unit_read_file(path, got, sizeof(got)), 32);

	/* An existing key is never overwritten. */
	assert_int_equal(gg_crypto_write_key(path, 64, &err), GG_E_IO);
	assert_non_null(strstr(err.message, "already exists"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 32);
	assert_int_equal(unit_read_file(path, again, sizeof(again)), 32);
	assert_memory_equal(got, again, 32);

	assert_int_equal(gg_crypto_write_key(missing, 32, &err), GG_E_IO);
	assert_non_null(strstr(err.message, "cannot create key file"));
	assert_int_equal(gg_crypto_write_key(path, 0, NULL), GG_E_INVALID);
	unit_rmtree(dir);
}

/* Creates dir/keys with two fresh 32-byte keys. */
static void make_keys(const char *dir)
{
	char path[512];
	struct gg_error err;

	gg_error_init(&err);
	snprintf(path, sizeof(path), "%s/keys", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/keys/data.key", dir);
	assert_int_equal(gg_crypto_write_key(path, GG_KEY_LEN, &err), GG_OK);
	snprintf(path, sizeof(path), "%s/keys/index.key", dir);
	assert_int_equal(gg_crypto_write_key(path, GG_KEY_LEN, &err), GG_OK);
}

static int all_zero(const struct gg_keys *k)
{
	static const struct gg_keys zero;

	return memcmp(k, &zero, sizeof(zero)) == 0;
}

static void test_keys_load(void **state)
{
	char dir[256], path[512], want[700], raw[64];
	struct gg_keys keys, again;
	struct gg_error err;

	(void)state;
	unit_tmpdir(dir, sizeof(dir));
	gg_error_init(&err);
	/* No keys directory at all. */
	assert_int_equal(gg_crypto_keys_load(dir, &keys, &err), GG_E_CONFIG);
	snprintf(want, sizeof(want), "key file '%s/keys/data.key' is missing", dir);
	assert_string_equal(err.message, want);
	assert_true(all_zero(&keys));

	make_keys(dir);
	gg_error_init(&err);
	assert_int_equal(gg_crypto_keys_load(dir, &keys, &err), GG_OK);
	assert_false(all_zero(&keys));
	snprintf(path, sizeof(path), "%s/keys/data.key", dir);
	assert_int_equal(unit_read_file(path, raw, sizeof(raw)), GG_KEY_LEN);
	assert_memory_equal(keys.data, raw, GG_KEY_LEN);
	assert_memory_not_equal(keys.data, keys.index, GG_KEY_LEN);
	assert_int_equal(gg_crypto_keys_load(dir, &again, &err), GG_OK);
	assert_memory_equal(&keys, &again, sizeof(keys));
	gg_crypto_keys_wipe(&keys);
	assert_true(all_zero(&keys));

	/* A short index key, then a long one, then one equal to the data key. */
	snprintf(path, sizeof(path), "%s/keys/index.key", dir);
	unit_write_file(path, "0123456789abcdef0123456789abcde");
	gg_error_init(&err);
	assert_int_equal(gg_crypto_keys_load(dir, &keys, &err), GG_E_CONFIG);
	snprintf(want, sizeof(want), "key file '%s/keys/index.key' must hold exactly 32 bytes", dir);
	assert_string_equal(err.message, want);
	assert_true(all_zero(&keys));
	unit_write_file(path, "0123456789abcdef0123456789abcdef0");
	assert_int_equal(gg_crypto_keys_load(dir, &keys, &err), GG_E_CONFIG);
	assert_string_equal(err.message, want);
	unit_write_file(path, "");
	assert_int_equal(gg_crypto_keys_load(dir, &keys, &err), GG_E_CONFIG);
	assert_string_equal(err.message, want);
	memcpy(raw, again.data, GG_KEY_LEN);
	{
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(raw, 1, GG_KEY_LEN, f), GG_KEY_LEN);
		assert_int_equal(fclose(f), 0);
	}
	gg_error_init(&err);
	assert_int_equal(gg_crypto_keys_load(dir, &keys, &err), GG_E_CONFIG);
	assert_non_null(strstr(err.message, "must differ"));
	/* A missing index key after a good data key. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(gg_crypto_keys_load(dir, &keys, &err), GG_E_CONFIG);
	snprintf(want, sizeof(want), "key file '%s/keys/index.key' is missing", dir);
	assert_string_equal(err.message, want);
	assert_true(all_zero(&keys));
	gg_crypto_keys_wipe(&again);
	unit_rmtree(dir);
}

static void fixed_keys(struct gg_keys *k, unsigned char base)
{
	size_t i;

	for (i = 0; i < GG_KEY_LEN; i++) {
		k->data[i] = (unsigned char)(base + i);
		k->index[i] = (unsigned char)(base + 100 + i);
	}
}

static void test_seal_open(void **state)
{
	const char *id = "420101199001011234";
	struct gg_keys keys, other;
	struct gg_buf sealed, sealed2, plain, copy;
	size_t i;

	(void)state;
	fixed_keys(&keys, 1);
	fixed_keys(&other, 2);
	gg_buf_init(&sealed, 4096);
	gg_buf_init(&sealed2, 4096);
	gg_buf_init(&plain, 4096);
	gg_buf_init(&copy, 4096);
	assert_int_equal(gg_crypto_seal(&keys, "document_number", id, &sealed), GG_OK);
	/* 24-byte nonce, the text, 16-byte tag; the text itself is not in it. */
	assert_int_equal(sealed.len, 24 + strlen(id) + 16);
	assert_null(memmem(sealed.buf, sealed.len, id, strlen(id)));
	assert_int_equal(gg_crypto_open(&keys, "document_number", sealed.buf, sealed.len, &plain), GG_OK);
	assert_string_equal(plain.buf, id);
	assert_int_equal(plain.len, strlen(id));
	/* A fresh nonce each time: the same value seals differently and both open. */
	assert_int_equal(gg_crypto_seal(&keys, "document_number", id, &sealed2), GG_OK);
	assert_memory_not_equal(sealed.buf, sealed2.buf, sealed.len);
	assert_int_equal(gg_crypto_open(&keys, "document_number", sealed2.buf, sealed2.len, &plain), GG_OK);
	assert_string_equal(plain.buf, id);

	/* Under another field name, or another key, it does not open, and out is left empty. */
	assert_int_equal(gg_buf_adds(&plain, "stale"), GG_OK);
	assert_int_equal(gg_crypto_open(&keys, "phone", sealed.buf, sealed.len, &plain), GG_E_INTERNAL);
	assert_int_equal(plain.len, 0);
	assert_int_equal(gg_crypto_open(&keys, "document_numbe", sealed.buf, sealed.len, &plain), GG_E_INTERNAL);
	assert_int_equal(gg_crypto_open(&other, "document_number", sealed.buf, sealed.len, &plain), GG_E_INTERNAL);

	/* Any changed byte (nonce, ciphertext or tag) is refused. */
	for (i = 0; i < sealed.len; i++) {
		gg_buf_reset(&copy);
		assert_int_equal(gg_buf_add(&copy, sealed.buf, sealed.len), GG_OK);
		copy.buf[i] ^= 0x01;
		assert_int_equal(gg_crypto_open(&keys, "document_number", copy.buf, copy.len, &plain), GG_E_INTERNAL);
		assert_int_equal(plain.len, 0);
	}
	/* Cut short, or too short to hold a nonce and a tag. */
	assert_int_equal(gg_crypto_open(&keys, "document_number", sealed.buf, sealed.len - 1, &plain), GG_E_INTERNAL);
	assert_int_equal(gg_crypto_open(&keys, "document_number", sealed.buf, 39, &plain), GG_E_INTERNAL);
	assert_int_equal(gg_crypto_open(&keys, "document_number", sealed.buf, 0, &plain), GG_E_INTERNAL);

	/* The empty text and Chinese text round trip. */
	assert_int_equal(gg_crypto_seal(&keys, "email", "", &sealed), GG_OK);
	assert_int_equal(sealed.len, 40);
	assert_int_equal(gg_crypto_open(&keys, "email", sealed.buf, sealed.len, &plain), GG_OK);
	assert_string_equal(plain.buf, "");
	assert_int_equal(gg_crypto_seal(&keys, "notes", "王金桥，武汉", &sealed), GG_OK);
	assert_int_equal(gg_crypto_open(&keys, "notes", sealed.buf, sealed.len, &plain), GG_OK);
	assert_string_equal(plain.buf, "王金桥，武汉");
	assert_int_equal(gg_crypto_seal(&keys, NULL, "x", &sealed), GG_E_INVALID);
	assert_int_equal(gg_crypto_seal(&keys, "x", NULL, &sealed), GG_E_INVALID);
	gg_buf_release(&sealed);
	gg_buf_release(&sealed2);
	gg_buf_release(&plain);
	gg_buf_release(&copy);
}

static void test_blind(void **state)
{
	struct gg_keys keys, other;
	char a[GG_BLIND_HEX], b[GG_BLIND_HEX];
	size_t i;

	(void)state;
	/* BLAKE2b-256 keyed with 00 01 .. 1f over "phone" 00 "13800138000", from Python's hashlib. */
	for (i = 0; i < GG_KEY_LEN; i++) {
		keys.index[i] = (unsigned char)i;
		keys.data[i] = 0xEE;
	}
	gg_crypto_blind(&keys, "phone", "13800138000", a);
	assert_string_equal(a, "7ecf1b89723a51af8d2e325d0fe6ed18947160de57b7c2ed4179e2cc893fb330");
	gg_crypto_blind(&keys, "phone", "13800138000", b);
	assert_string_equal(a, b);
	/* The data key plays no part. */
	memset(keys.data, 0x11, GG_KEY_LEN);
	gg_crypto_blind(&keys, "phone", "13800138000", b);
	assert_string_equal(a, b);
	/* Another field, value or index key gives another index. */
	gg_crypto_blind(&keys, "email", "13800138000", b);
	assert_string_not_equal(a, b);
	gg_crypto_blind(&keys, "phone", "13800138001", b);
	assert_string_not_equal(a, b);
	fixed_keys(&other, 7);
	gg_crypto_blind(&other, "phone", "13800138000", b);
	assert_string_not_equal(a, b);
	/* The separator keeps field and value apart. */
	gg_crypto_blind(&keys, "ab", "c", a);
	gg_crypto_blind(&keys, "a", "bc", b);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_is_idempotent),
	    cmocka_unit_test(test_pwhash_round_trip),
	    cmocka_unit_test(test_pwverify_refuses_malformed),
	    cmocka_unit_test(test_hash_slots_queue),
	    cmocka_unit_test(test_token),
	    cmocka_unit_test(test_sha256_vectors),
	    cmocka_unit_test(test_hex_and_equal),
	    cmocka_unit_test(test_random_differs),
	    cmocka_unit_test(test_password),
	    cmocka_unit_test(test_write_key),
	    cmocka_unit_test(test_keys_load),
	    cmocka_unit_test(test_seal_open),
	    cmocka_unit_test(test_blind),
	};

	return cmocka_run_group_tests(tests, setup_group, NULL);
}
