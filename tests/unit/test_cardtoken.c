/*
 * test_cardtoken: card tokens minted, checked offline against a keys file,
 * and judged online against the card's state: forged, truncated, expired,
 * wrong-key, rotated-key and revoked or suspended cards' tokens, short
 * codes, and the benefits a verdict lists for the card's tier.
 */
#include "unit.h"

#include <sodium.h>

#include "core/clock.h"
#include "domain/cardtoken.h"

#define NOW INT64_C(1790000000) /* 2026-09-21 */

struct fx {
	char dir[256];
	struct gg_db *db;
	struct gg_keys keys;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char path[300];

	unit_tmpdir(f->dir, sizeof f->dir);
	snprintf(path, sizeof path, "%s/gg.db", f->dir);
	if (unit_db_create(path, &f->db) != 0)
		return -1;
	gg_crypto_random(&f->keys, sizeof f->keys);
	unit_db_exec(f->db, "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES "
	                    "(1, '汉口银行', 'han kou yin hang', 'bank', 0, 0), "
	                    "(2, '协和医院国际医疗部', 'xie he', 'service_provider', 0, 0)");
	unit_db_exec(f->db, "INSERT INTO talents (id, name, pinyin, pinyin_key, tier, created_at, updated_at) VALUES "
	                    "(1, '甲', 'jia', 'jia', 'leading_talent', 0, 0), (2, '乙', 'yi', 'yi', 'other', 0, 0)");
	unit_db_exec(f->db,
	             "INSERT INTO cards (id, talent_id, bank_id, status, tier, eligible, consent_hash, consent_at, "
	             "applied_at, card_no, valid_from, valid_to, updated_at) VALUES "
	             "(7, 1, 1, 'active', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000070', "
	             "'2026-01-01', '2029-01-01', 0), "
	             "(8, 2, 1, 'issuing', 'other', 0, printf('%064d', 0), 0, 0, NULL, NULL, NULL, 0)");
	unit_db_exec(f->db, "INSERT INTO benefit_items (id, category, name, name_en, provider_id, annual_quota, "
	                    "needs_booking, created_at, updated_at) VALUES "
	                    "(1, 'medical_services', '年度体检', 'Annual health check-up', 2, 1, 1, 0, 0), "
	                    "(2, 'cobranded_card', '机场贵宾通道', 'Airport VIP passage', 2, 6, 0, 0, 0), "
	                    "(3, 'housing', '人才公寓', 'Talent flat', 2, NULL, 0, 0, 0)");
	unit_db_exec(f->db, "INSERT INTO benefit_item_tiers (item_id, tier) VALUES (1, 'leading_talent'), "
	                    "(2, 'leading_talent'), (3, 'other')");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	gg_db_close(f->db);
	unit_rmtree(f->dir);
	free(f);
	return 0;
}

static void mint(struct fx *f, int64_t card, const char *tier, int64_t now, int ttl, struct gg_cardtoken_minted *m)
{
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(f->db, GG_DB_WRITE, &err), GG_OK);
	if (gg_cardtoken_mint(f->db, &f->keys, card, tier, now, ttl, m, &err) != GG_OK)
		fail_msg("mint: %s", gg_error_message(&err));
	assert_int_equal(gg_db_commit(f->db, &err), GG_OK);
}

/* The installation's keys as a keys file, parsed back. */
static size_t exported(struct fx *f, struct gg_cardkey_pub *keys)
{
	struct gg_buf b;
	struct gg_error err;
	size_t n = 0;

	gg_error_init(&err);
	gg_buf_init(&b, 1 << 16);
	assert_int_equal(gg_cardkeys_export(f->db, &b, &err), GG_OK);
	assert_int_equal(gg_buf_addch(&b, '\0'), GG_OK);
	assert_int_equal(gg_cardkeys_parse(b.buf, keys, GG_CARDKEYS_MAX, &n, &err), GG_OK);
	gg_buf_release(&b);
	return n;
}

static enum gg_cardtoken_reason online(struct fx *f, const char *token, int64_t now, struct gg_card_verdict *v)
{
	struct gg_error err;

	gg_error_init(&err);
	if (gg_cardtoken_verify(f->db, token, now, 1, v, &err) != GG_OK)
		fail_msg("verify: %s", gg_error_message(&err));
	return v->reason;
}

static void test_mint_and_check_offline(void **state)
{
	struct fx *f = *state;
	struct gg_cardtoken_minted m;
	struct gg_cardkey_pub keys[GG_CARDKEYS_MAX];
	struct gg_cardtoken c;
	size_t n;

	mint(f, 7, "leading_talent", NOW, 300, &m);
	assert_string_equal(m.kid, "k1"); /* the first key is made on first use */
	assert_int_equal(m.expires_at, NOW + 300);
	assert_int_equal(strlen(m.code), 8);
	assert_int_equal(strncmp(m.token, "GC1.k1.7.leading_talent.1790000300.", 35), 0);
	assert_int_equal(strlen(m.token), 35 + 86);
	n = exported(f, keys);
	assert_int_equal(n, 1);
	assert_int_equal(gg_cardtoken_check(m.token, keys, n, NOW, &c), GG_CTR_VALID);
	assert_int_equal(c.card_id, 7);
	assert_string_equal(c.tier, "leading_talent");
	assert_string_equal(c.kid, "k1");
	/* the last second of its life and the first after it */
	assert_int_equal(gg_cardtoken_check(m.token, keys, n, NOW + 299, NULL), GG_CTR_VALID);
	assert_int_equal(gg_cardtoken_check(m.token, keys, n, NOW + 300, NULL), GG_CTR_EXPIRED);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM card_codes"), 1);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM audit_log WHERE action = 'card_key.rotate'"), 1);
}

static void test_forged_and_malformed(void **state)
{
	struct fx *f = *state;
	struct gg_cardtoken_minted m;
	struct gg_cardkey_pub keys[GG_CARDKEYS_MAX];
	char t[2 * GG_CARDTOKEN_MAX];
	size_t n;

	mint(f, 7, "leading_talent", NOW, 300, &m);
	n = exported(f, keys);
	/* a claim changed: the tier raised, the card swapped, the expiry extended */
	{
		char forged[2 * GG_CARDTOKEN_MAX];
		const char *sig = strrchr(m.token, '.');

		snprintf(forged, sizeof forged, "GC1.k1.7.strategic_scientist.1790000300%s", sig);
		assert_int_equal(gg_cardtoken_check(forged, keys, n, NOW, NULL), GG_CTR_BAD_SIGNATURE);
		snprintf(forged, sizeof forged, "GC1.k1.8.leading_talent.1790000300%s", sig);
		assert_int_equal(gg_cardtoken_check(forged, keys, n, NOW, NULL), GG_CTR_BAD_SIGNATURE);
		snprintf(forged, sizeof forged, "GC1.k1.7.leading_talent.1890000300%s", sig);
		assert_int_equal(gg_cardtoken_check(forged, keys, n, NOW, NULL), GG_CTR_BAD_SIGNATURE);
	}
	/* one signature character changed */
	snprintf(t, sizeof t, "%s", m.token);
	t[strlen(t) - 5] = t[strlen(t) - 5] == 'A' ? 'B' : 'A';
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_BAD_SIGNATURE);
	/* truncated, extended, empty, other prefixes, bad fields */
	snprintf(t, sizeof t, "%s", m.token);
	t[strlen(t) - 1] = '\0';
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	snprintf(t, sizeof t, "%s.x", m.token);
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	snprintf(t, sizeof t, "%sA", m.token);
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	assert_int_equal(gg_cardtoken_check("", keys, n, NOW, NULL), GG_CTR_MALFORMED);
	assert_int_equal(gg_cardtoken_check(NULL, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	assert_int_equal(gg_cardtoken_check("GC1....", keys, n, NOW, NULL), GG_CTR_MALFORMED);
	snprintf(t, sizeof t, "GC2%s", m.token + 3);
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	snprintf(t, sizeof t, "GC1.k1.07.leading_talent.1790000300%s", strrchr(m.token, '.'));
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	snprintf(t, sizeof t, "GC1.K1.7.leading_talent.1790000300%s", strrchr(m.token, '.'));
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	snprintf(t, sizeof t, "GC1.k1.7.Leading.1790000300%s", strrchr(m.token, '.'));
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	memset(t, 'A', sizeof t - 1);
	t[sizeof t - 1] = '\0';
	assert_int_equal(gg_cardtoken_check(t, keys, n, NOW, NULL), GG_CTR_MALFORMED);
	/* another key: unknown kid, or the same kid with another key */
	{
		struct gg_cardkey_pub other = {.kid = "k9"};
		struct gg_cardkey_pub same = {.kid = "k1"};

		randombytes_buf(other.pk, sizeof other.pk);
		randombytes_buf(same.pk, sizeof same.pk);
		assert_int_equal(gg_cardtoken_check(m.token, &other, 1, NOW, NULL), GG_CTR_UNKNOWN_KEY);
		assert_int_equal(gg_cardtoken_check(m.token, &same, 1, NOW, NULL), GG_CTR_BAD_SIGNATURE);
		assert_int_equal(gg_cardtoken_check(m.token, keys, 0, NOW, NULL), GG_CTR_UNKNOWN_KEY);
	}
}

static void test_online_states(void **state)
{
	struct fx *f = *state;
	struct gg_cardtoken_minted m, other;
	struct gg_card_verdict *v = calloc(1, sizeof *v);

	mint(f, 7, "leading_talent", NOW, 300, &m);
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_VALID);
	assert_string_equal(v->tier, "leading_talent");
	assert_string_equal(v->valid_to, "2029-01-01");
	/* the benefits of the card's tier, in category order; not the other tier's */
	assert_int_equal(v->nbenefits, 2);
	assert_int_equal(v->benefits[0].id, 2); /* cobranded_card ranks before medical_services */
	assert_string_equal(v->benefits[0].name_en, "Airport VIP passage");
	assert_int_equal(v->benefits[0].annual_quota, 6);
	assert_int_equal(v->benefits[1].id, 1);
	assert_int_equal(v->benefits[1].needs_booking, 1);
	assert_string_equal(v->benefits[1].provider, "协和医院国际医疗部");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_VALID); /* from the thread's list */
	assert_string_equal(v->benefits[1].name_en, "Annual health check-up");
	/* the list of a tier is kept per thread under the catalogue's stamp: every change shows at once */
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_VALID);
	assert_int_equal(v->nbenefits, 2);
	unit_db_exec(f->db, "UPDATE orgs SET name = '协和医院国际部' WHERE id = 2");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_VALID);
	assert_string_equal(v->benefits[1].provider, "协和医院国际部");
	unit_db_exec(f->db, "INSERT INTO benefit_item_tiers (item_id, tier) VALUES (3, 'leading_talent')");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_VALID);
	assert_int_equal(v->nbenefits, 3);
	unit_db_exec(f->db, "DELETE FROM benefit_item_tiers WHERE item_id = 3 AND tier = 'leading_talent'");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_VALID);
	assert_int_equal(v->nbenefits, 2);
	/* a retired item is not offered */
	unit_db_exec(f->db, "UPDATE benefit_items SET active = 0 WHERE id = 2");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_VALID);
	assert_int_equal(v->nbenefits, 1);
	/* suspension and revocation take effect at once for a token already shown */
	unit_db_exec(f->db, "UPDATE cards SET status = 'suspended', reason = 'lost phone' WHERE id = 7");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_SUSPENDED);
	assert_int_equal(v->nbenefits, 0);
	assert_string_equal(v->tier, "");
	unit_db_exec(f->db, "UPDATE cards SET status = 'revoked', reason = 'left' WHERE id = 7");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_REVOKED);
	unit_db_exec(f->db, "UPDATE cards SET status = 'expired' WHERE id = 7");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_EXPIRED);
	/* active but past its validity (valid_to is the first day it is not valid) */
	unit_db_exec(f->db, "UPDATE cards SET status = 'active', reason = NULL, valid_to = '2026-09-21' WHERE id = 7");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_EXPIRED);
	unit_db_exec(f->db, "UPDATE cards SET valid_to = '2026-09-22' WHERE id = 7");
	assert_int_equal(online(f, m.token, NOW, v), GG_CTR_VALID);
	/* a card being issued, and a card that does not exist */
	mint(f, 8, "other", NOW, 300, &other);
	assert_int_equal(online(f, other.token, NOW, v), GG_CTR_NOT_ACTIVE);
	unit_db_exec(f->db, "DELETE FROM card_codes WHERE card_id = 8");
	unit_db_exec(f->db, "DELETE FROM cards WHERE id = 8");
	assert_int_equal(online(f, other.token, NOW, v), GG_CTR_NOT_ACTIVE);
	/* expiry and malformed before the card is read */
	assert_int_equal(online(f, m.token, NOW + 300, v), GG_CTR_EXPIRED);
	assert_int_equal(online(f, "GC1.k1", NOW, v), GG_CTR_MALFORMED);
	assert_int_equal(online(f, "GC1.k7.7.leading_talent.1790000300.AAAA", NOW, v), GG_CTR_MALFORMED);
	free(v);
}

static void test_rotation(void **state)
{
	struct fx *f = *state;
	struct gg_cardtoken_minted old, fresh;
	struct gg_cardkey_pub keys[GG_CARDKEYS_MAX];
	struct gg_cardkey_info info[GG_CARDKEYS_MAX];
	struct gg_card_verdict *v = calloc(1, sizeof *v);
	struct gg_actor admin = {.id = 0, .name = "admin"};
	char kid[GG_CARDTOKEN_KID_MAX];
	struct gg_error err;
	size_t n;

	gg_error_init(&err);
	mint(f, 7, "leading_talent", NOW, 300, &old);
	assert_int_equal(gg_cardkey_rotate(f->db, &f->keys, &admin, kid, &err), GG_OK);
	assert_string_equal(kid, "k2");
	mint(f, 7, "leading_talent", NOW, 300, &fresh);
	assert_string_equal(fresh.kid, "k2");
	/* the old key still verifies its tokens until they expire */
	assert_int_equal(online(f, old.token, NOW + 10, v), GG_CTR_VALID);
	assert_int_equal(online(f, fresh.token, NOW + 10, v), GG_CTR_VALID);
	assert_int_equal(online(f, old.token, NOW + 300, v), GG_CTR_EXPIRED);
	assert_int_equal(gg_cardkey_list(f->db, info, GG_CARDKEYS_MAX, &n, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(info[0].kid, "k1");
	assert_true(info[0].retired_at > 0);
	assert_int_equal(info[1].retired_at, 0);
	assert_int_equal(strlen(info[1].public_key), GG_CARDKEY_B64_LEN);
	n = exported(f, keys);
	assert_int_equal(n, 2);
	assert_int_equal(gg_cardtoken_check(old.token, keys, n, NOW, NULL), GG_CTR_VALID);
	assert_int_equal(gg_cardtoken_check(fresh.token, keys, n, NOW, NULL), GG_CTR_VALID);
	/* one signing key at a time, by the database */
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM card_keys WHERE retired_at IS NULL"), 1);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM audit_log WHERE action = 'card_key.rotate'"), 2);
	/* the secret is sealed, not stored as it is */
	assert_int_equal(unit_db_i64(f->db, "SELECT min(length(secret_enc)) FROM card_keys") > 64, 1);
	free(v);
}

static void test_codes(void **state)
{
	struct fx *f = *state;
	struct gg_cardtoken_minted m;
	struct gg_card_verdict *v = calloc(1, sizeof *v);
	char token[GG_CARDTOKEN_MAX];
	struct gg_error err;

	gg_error_init(&err);
	mint(f, 7, "leading_talent", NOW, 60, &m);
	assert_int_equal(gg_cardtoken_verify_code(f->db, m.code, NOW, 1, v, token, &err), GG_OK);
	assert_int_equal(v->reason, GG_CTR_VALID);
	assert_string_equal(token, m.token);
	assert_int_equal(v->nbenefits, 2);
	/* the code lives as long as its token */
	assert_int_equal(gg_cardtoken_verify_code(f->db, m.code, NOW + 60, 1, v, token, &err), GG_OK);
	assert_int_equal(v->reason, GG_CTR_MALFORMED);
	assert_string_equal(token, "");
	/* not a code */
	assert_int_equal(gg_cardtoken_verify_code(f->db, "1234567", NOW, 1, v, token, &err), GG_OK);
	assert_int_equal(v->reason, GG_CTR_MALFORMED);
	assert_int_equal(gg_cardtoken_verify_code(f->db, "12345678x", NOW, 1, v, token, &err), GG_OK);
	assert_int_equal(v->reason, GG_CTR_MALFORMED);
	assert_int_equal(gg_cardtoken_verify_code(f->db, "abcdefgh", NOW, 1, v, token, &err), GG_OK);
	assert_int_equal(v->reason, GG_CTR_MALFORMED);
	/* expired codes are pruned when the next token is minted; live codes never repeat */
	for (int i = 0; i < 50; i++)
		mint(f, 7, "leading_talent", NOW + 100, 60, &m);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM card_codes"), 50);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(DISTINCT code) FROM card_codes"), 50);
	free(v);
}

static void test_mint_refusals(void **state)
{
	struct fx *f = *state;
	struct gg_cardtoken_minted m;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_cardtoken_mint(f->db, &f->keys, 0, "leading_talent", NOW, 60, &m, &err), GG_E_INVALID);
	assert_int_equal(gg_cardtoken_mint(f->db, &f->keys, 7, "Leading", NOW, 60, &m, &err), GG_E_INVALID);
	assert_int_equal(gg_cardtoken_mint(f->db, &f->keys, 7, NULL, NOW, 60, &m, &err), GG_E_INVALID);
	assert_int_equal(gg_cardtoken_mint(f->db, &f->keys, 7, "leading_talent", NOW, 0, &m, &err), GG_E_INVALID);
	/* another installation's data.key cannot open the signing key */
	{
		struct gg_keys wrong;
		gg_crypto_random(&wrong, sizeof wrong);
		mint(f, 7, "leading_talent", NOW, 60, &m);
		gg_error_init(&err);
		assert_int_equal(gg_db_begin(f->db, GG_DB_WRITE, &err), GG_OK);
		assert_int_equal(gg_cardtoken_mint(f->db, &wrong, 7, "leading_talent", NOW, 60, &m, &err),
		                 GG_E_INTERNAL);
		gg_db_rollback(f->db);
		assert_non_null(strstr(gg_error_message(&err), "does not open"));
	}
}

static void test_keys_file(void **state)
{
	struct gg_cardkey_pub keys[4];
	struct gg_error err;
	size_t n;
	(void)state;

	gg_error_init(&err);
	assert_int_equal(
	    gg_cardkeys_parse("# comment\n\nk1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n", keys, 4, &n, &err),
	    GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(keys[0].kid, "k1");
	gg_error_init(&err);
	assert_int_equal(gg_cardkeys_parse("k1\n", keys, 4, &n, &err), GG_E_INVALID);
	assert_string_equal(err.message, "line 1: expected 'KEY_ID BASE64URL_KEY'");
	gg_error_init(&err);
	assert_int_equal(gg_cardkeys_parse("k1 AAAA\n", keys, 4, &n, &err), GG_E_INVALID);
	assert_string_equal(err.message, "line 1: key 'k1' is not a base64url Ed25519 public key");
	gg_error_init(&err);
	assert_int_equal(gg_cardkeys_parse("k1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
	                                   "k1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
	                                   keys, 4, &n, &err),
	                 GG_E_INVALID);
	assert_string_equal(err.message, "line 2: key 'k1' is listed twice");
	gg_error_init(&err);
	assert_int_equal(gg_cardkeys_parse("K1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", keys, 4, &n, &err),
	                 GG_E_INVALID);
	gg_error_init(&err);
	assert_int_equal(gg_cardkeys_parse("k1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", keys, 0, &n, &err),
	                 GG_E_INVALID);
	assert_string_equal(err.message, "line 1: more than 0 keys");
	assert_string_equal(gg_cardtoken_reason_token(GG_CTR_NOT_ACTIVE), "not_active");
	assert_string_equal(gg_cardtoken_reason_token(GG_CTR_BAD_SIGNATURE), "bad_signature");
	assert_string_equal(gg_cardtoken_reason_token(GG_CTR__COUNT), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_mint_and_check_offline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_forged_and_malformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_online_states, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_codes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mint_refusals, setup, teardown),
	    cmocka_unit_test(test_keys_file),
	};

	gg_crypto_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
