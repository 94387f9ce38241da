/*
 * test_card: the digital talent card (domain/card.c) on the recognition
 * fixture (the shipped pack) with two partner banks: an eligible tier is
 * approved at once and goes to its bank's queue, another waits for an
 * officer; every transition of the table and its refusals (status 409,
 * role 403, another bank 404, bad input 400); consent and its notice
 * hash; the card number's Luhn digit and validity; the expiry sweep;
 * list and stats scoped to a bank; applying twice at once from two
 * connections leaves one live card; the pack's optional card_tiers
 * decides eligibility and keeps the hash of versions without it.
 */
#include "unit_recognition.h"

#include <pthread.h>

#include "core/clock.h"
#include "domain/card.h"
#include "domain/pack.h"

#define NOW "2027-03-10T02:00:00Z" /* 2027-03-10 in Asia/Shanghai */

#define ROWS                                                                                                                     \
	"INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"                                               \
	" (11, '汉口银行', 'han kou yin hang', 'bank', 0, 0), (12, '招商银行武汉分行', 'zhao shang', 'bank', 0, 0);" \
	"INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES"                           \
	" (8, 'cora', 'Cora', 'x', 0, 0);"                                                                                       \
	"INSERT INTO talents (id, name, pinyin, pinyin_key, tier, commissioner_id, created_at, updated_at) VALUES"               \
	" (3, '领军甲', 'ling jun jia', 'lingjunjia', 'leading_talent', NULL, 0, 0),"                                         \
	" (4, '其他乙', 'qi ta yi', 'qitayi', 'other', 8, 0, 0);"

static int setup(void **state)
{
	struct rfx *r = unit_recognition_open(NOW, ROWS);

	if (!r)
		return -1;
	*state = r;
	return 0;
}

static void principal(struct gg_principal *pr, enum gg_role role, enum gg_scope_kind k, int64_t scope)
{
	memset(pr, 0, sizeof *pr);
	pr->kind = GG_AUTH_SESSION;
	pr->user_id = role == GG_ROLE_commissioner ? 8 : 7;
	pr->nroles = 1;
	pr->roles[0].role = role;
	pr->roles[0].scope_kind = k;
	pr->roles[0].scope_id = scope;
}

static void notice_hash(struct gg_db *db, int64_t bank, char hash[GG_SHA256_HEX])
{
	struct gg_card_notice n;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_card_notice(db, bank, &n, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_non_null(strstr(n.text, n.bank_name));
	memcpy(hash, n.hash, GG_SHA256_HEX);
}

static enum gg_err apply(struct rfx *r, const struct gg_principal *pr, int64_t talent, int64_t bank, int64_t *id,
                         struct gg_error *err)
{
	char hash[GG_SHA256_HEX];
	struct gg_card_apply in = {.talent_id = talent, .bank_id = bank, .consent = 1, .consent_hash = hash};

	notice_hash(r->fx->db, bank, hash);
	gg_error_init(err);
	return gg_card_apply(r->fx->db, r->set, &unit_officer, pr, &in, id, err);
}

static enum gg_err act(struct rfx *r, const struct gg_principal *pr, int64_t id, enum gg_card_action a,
                       const char *reason, struct gg_error *err)
{
	struct gg_card_act in = {.reason = reason, .debit_last4 = "4321", .issued_on = "2027-03-09", .valid_years = 3};

	gg_error_init(err);
	return gg_card_act(r->fx->db, &unit_officer, pr, id, a, &in, err);
}

static struct gg_card get(struct gg_db *db, int64_t id)
{
	struct gg_card c;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_card_get(db, id, &c, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	return c;
}

/* unit_db_i64 of sql with its one "%lld" standing for id. */
static int64_t count(struct gg_db *db, const char *sql, int64_t id)
{
	char out[512];
	const char *at = strstr(sql, "%lld");

	assert_non_null(at);
	snprintf(out, sizeof out, "%.*s%lld%s", (int)(at - sql), sql, (long long)id, at + 4);
	return unit_db_i64(db, out);
}

static void test_number_luhn(void **state)
{
	char no[GG_CARD_NO_LEN + 1], bad[GG_CARD_NO_LEN + 1];

	(void)state;
	assert_int_equal(gg_card_number(7, no), 0);
	assert_string_equal(no, "8156000000000070");
	assert_true(gg_card_luhn_ok(no));
	assert_true(gg_card_luhn_ok("79927398713")); /* the textbook example */
	assert_false(gg_card_luhn_ok("79927398710"));
	for (int64_t id = 1; id < 2000; id += 37) {
		assert_int_equal(gg_card_number(id, no), 0);
		assert_int_equal(strlen(no), 16);
		assert_true(gg_card_luhn_ok(no));
		memcpy(bad, no, sizeof bad);
		bad[10] = bad[10] == '9' ? '0' : (char)(bad[10] + 1);
		assert_false(gg_card_luhn_ok(bad));
	}
	assert_int_equal(gg_card_number(0, no), -1);
	assert_int_equal(gg_card_number(100000000000LL, no), -1);
}

static void test_eligible_to_active(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_principal talent, bank, other_bank, officer;
	struct gg_error err;
	struct gg_card c;
	int64_t id = 0;

	principal(&talent, GG_ROLE_talent, GG_SCOPE_TALENT, 3);
	principal(&bank, GG_ROLE_bank, GG_SCOPE_ORG, 11);
	principal(&other_bank, GG_ROLE_bank, GG_SCOPE_ORG, 12);
	principal(&officer, GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0);
	assert_int_equal(apply(r, &talent, 3, 11, &id, &err), GG_OK);
	c = get(db, id);
	assert_int_equal(c.status, GG_CARD_APPROVED);
	assert_true(c.eligible && c.auto_approved);
	assert_string_equal(c.tier, "leading_talent");
	assert_string_equal(c.policy_pack, "optics-valley-2024");
	assert_int_equal(count(db,
	                       "SELECT count(*) FROM tasks WHERE kind = 'card_issue' AND subject_id = %lld"
	                       " AND scope_kind = 'org' AND scope_id = 11 AND closed_at IS NULL",
	                       id),
	                 1);
	assert_int_equal(
	    count(db, "SELECT count(*) FROM audit_log WHERE action = 'card.apply' AND entity_id = %lld", id), 1);
	/* the bank's allowed actions; the talent's; another bank sees nothing */
	assert_true(gg_card_allowed_actions(&c, &bank) == ((1u << GG_CARDA_ACCEPT) | (1u << GG_CARDA_BANK_REJECT)));
	assert_int_equal(gg_card_allowed_actions(&c, &talent), 0);
	assert_false(gg_card_may_read(&other_bank, &c));
	assert_int_equal(act(r, &other_bank, id, GG_CARDA_ACCEPT, NULL, &err), GG_E_NOT_FOUND);
	assert_int_equal(act(r, &talent, id, GG_CARDA_ACCEPT, NULL, &err), GG_E_FORBIDDEN);
	assert_int_equal(act(r, &bank, id, GG_CARDA_ISSUE, NULL, &err), GG_E_CONFLICT);
	assert_int_equal(act(r, &bank, id, GG_CARDA_ACCEPT, NULL, &err), GG_OK);
	c = get(db, id);
	assert_int_equal(c.status, GG_CARD_ISSUING);
	assert_true(c.bank_accepted_at > 0);
	/* issue: bad input refused before anything */
	{
		struct gg_card_act in = {.debit_last4 = "12a4", .issued_on = "2027-03-11", .valid_years = 3};

		gg_error_init(&err);
		assert_int_equal(gg_card_act(db, &unit_officer, &bank, id, GG_CARDA_ISSUE, &in, &err), GG_E_INVALID);
		assert_int_equal(err.nfields, 2);
		assert_string_equal(err.fields[0].field, "debit_last4");
		assert_string_equal(err.fields[1].field, "issued_on");
	}
	assert_int_equal(act(r, &bank, id, GG_CARDA_ISSUE, NULL, &err), GG_OK);
	c = get(db, id);
	assert_int_equal(c.status, GG_CARD_ACTIVE);
	assert_true(gg_card_luhn_ok(c.card_no));
	assert_int_equal(strncmp(c.card_no, "8156", 4), 0);
	assert_string_equal(c.valid_from, "2027-03-10");
	assert_string_equal(c.valid_to, "2030-03-10");
	assert_string_equal(c.debit_last4, "4321");
	assert_string_equal(c.debit_issued_on, "2027-03-09");
	assert_int_equal(count(db,
	                       "SELECT count(*) FROM tasks WHERE kind = 'card_issue' AND subject_id = %lld"
	                       " AND closed_at IS NULL",
	                       id),
	                 0);
	assert_true(gg_card_allowed_actions(&c, &officer) == ((1u << GG_CARDA_SUSPEND) | (1u << GG_CARDA_REVOKE)));
	/* officer's actions on the card */
	assert_int_equal(act(r, &talent, id, GG_CARDA_SUSPEND, "x", &err), GG_E_FORBIDDEN);
	assert_int_equal(act(r, &officer, id, GG_CARDA_SUSPEND, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "reason");
	assert_int_equal(act(r, &officer, id, GG_CARDA_SUSPEND, "lost phone", &err), GG_OK);
	assert_int_equal(get(db, id).status, GG_CARD_SUSPENDED);
	assert_int_equal(act(r, &officer, id, GG_CARDA_SUSPEND, "again", &err), GG_E_CONFLICT);
	assert_int_equal(act(r, &officer, id, GG_CARDA_RESUME, NULL, &err), GG_OK);
	assert_int_equal(get(db, id).status, GG_CARD_ACTIVE);
	/* stale version */
	{
		struct gg_card_act in = {.reason = "x", .expected_version = 1};

		gg_error_init(&err);
		assert_int_equal(gg_card_act(db, &unit_officer, &officer, id, GG_CARDA_REVOKE, &in, &err), GG_E_STALE);
	}
	assert_int_equal(act(r, &officer, id, GG_CARDA_REVOKE, "left the region", &err), GG_OK);
	c = get(db, id);
	assert_int_equal(c.status, GG_CARD_REVOKED);
	assert_string_equal(c.reason, "left the region");
	assert_int_equal(act(r, &officer, id, GG_CARDA_RESUME, NULL, &err), GG_E_CONFLICT);
	assert_int_equal(gg_card_allowed_actions(&c, &officer), 0);
	/* the history: applied, approved, issuing, active, suspended, active, revoked */
	assert_int_equal(count(db, "SELECT count(*) FROM card_events WHERE card_id = %lld", id), 7);
	assert_int_equal(count(db, "SELECT count(*) FROM audit_log WHERE entity = 'card' AND entity_id = %lld", id), 6);
	/* revoked: the talent may apply again */
	assert_int_equal(apply(r, &talent, 3, 12, &id, &err), GG_OK);
}

static void test_review_and_rejects(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_principal comm, bank, officer, talent;
	struct gg_error err;
	int64_t id = 0, again = 0;

	principal(&comm, GG_ROLE_commissioner, GG_SCOPE_NONE, 0);
	principal(&bank, GG_ROLE_bank, GG_SCOPE_ORG, 12);
	principal(&officer, GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0);
	principal(&talent, GG_ROLE_talent, GG_SCOPE_TALENT, 4);
	/* the commissioner reaches its assigned talent 4, not talent 3 */
	assert_int_equal(apply(r, &comm, 3, 12, &id, &err), GG_E_NOT_FOUND);
	assert_int_equal(apply(r, &comm, 4, 12, &id, &err), GG_OK);
	assert_int_equal(get(db, id).status, GG_CARD_APPLIED);
	assert_false(get(db, id).eligible);
	assert_int_equal(count(db,
	                       "SELECT count(*) FROM tasks WHERE kind = 'card_review' AND subject_id = %lld"
	                       " AND closed_at IS NULL",
	                       id),
	                 1);
	/* a live card already: refused */
	assert_int_equal(apply(r, &talent, 4, 11, &again, &err), GG_E_DUPLICATE);
	assert_int_equal(act(r, &bank, id, GG_CARDA_ACCEPT, NULL, &err), GG_E_CONFLICT);
	assert_int_equal(act(r, &comm, id, GG_CARDA_APPROVE, NULL, &err), GG_E_FORBIDDEN);
	assert_int_equal(act(r, &officer, id, GG_CARDA_APPROVE, NULL, &err), GG_OK);
	assert_int_equal(count(db,
	                       "SELECT count(*) FROM tasks WHERE kind = 'card_issue' AND subject_id = %lld"
	                       " AND scope_id = 12 AND closed_at IS NULL",
	                       id),
	                 1);
	assert_int_equal(act(r, &bank, id, GG_CARDA_BANK_REJECT, "", &err), GG_E_INVALID);
	assert_int_equal(act(r, &bank, id, GG_CARDA_BANK_REJECT, "customer checks failed", &err), GG_OK);
	assert_int_equal(get(db, id).status, GG_CARD_REJECTED);
	assert_int_equal(count(db, "SELECT count(*) FROM tasks WHERE subject_id = %lld AND closed_at IS NULL", id), 0);
	/* rejected: applies again, a new row; the officer rejects it */
	assert_int_equal(apply(r, &talent, 4, 11, &again, &err), GG_OK);
	assert_true(again != id);
	assert_int_equal(act(r, &officer, again, GG_CARDA_REJECT, "not eligible", &err), GG_OK);
	assert_int_equal(get(db, again).status, GG_CARD_REJECTED);
	assert_int_equal(count(db, "SELECT count(*) FROM tasks WHERE subject_id = %lld AND closed_at IS NULL", again),
	                 0);
}

static void test_apply_refusals(void **state)
{
	struct rfx *r = *state;
	struct gg_principal talent;
	struct gg_error err;
	char hash[GG_SHA256_HEX];
	int64_t id = 0;
	struct gg_card_apply in = {.talent_id = 3, .bank_id = 11, .consent = 0, .consent_hash = "abc"};

	principal(&talent, GG_ROLE_talent, GG_SCOPE_TALENT, 3);
	gg_error_init(&err);
	assert_int_equal(gg_card_apply(r->fx->db, r->set, &unit_officer, &talent, &in, &id, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 2);
	assert_string_equal(err.fields[0].field, "consent");
	assert_string_equal(err.fields[1].field, "consent_hash");
	/* a hash, but of another notice (another bank's): 409 */
	notice_hash(r->fx->db, 12, hash);
	in.consent = 1;
	in.consent_hash = hash;
	gg_error_init(&err);
	assert_int_equal(gg_card_apply(r->fx->db, r->set, &unit_officer, &talent, &in, &id, &err), GG_E_CONFLICT);
	/* not a bank */
	in.bank_id = 1;
	gg_error_init(&err);
	assert_int_equal(gg_card_apply(r->fx->db, r->set, &unit_officer, &talent, &in, &id, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "bank_id");
	gg_error_init(&err);
	assert_int_equal(gg_card_notice(r->fx->db, 1, &(struct gg_card_notice){0}, &err), GG_E_INVALID);
	/* another talent than one's own: as unknown */
	assert_int_equal(apply(r, &talent, 4, 11, &id, &err), GG_E_NOT_FOUND);
	/* no packs */
	gg_error_init(&err);
	in.bank_id = 11;
	notice_hash(r->fx->db, 11, hash);
	assert_int_equal(gg_card_apply(r->fx->db, NULL, &unit_officer, &talent, &in, &id, &err), GG_E_CONFIG);
	assert_int_equal(unit_db_i64(r->fx->db, "SELECT count(*) FROM cards"), 0);
}

struct racer {
	char path[512];
	const struct gg_policyset *set;
	enum gg_err rc;
	char hash[GG_SHA256_HEX];
};

static void *race(void *arg)
{
	struct racer *x = arg;
	struct gg_db_options opt = {.busy_timeout_ms = 5000};
	struct gg_db *db = NULL;
	struct gg_error err;
	int64_t id = 0;
	struct gg_card_apply in = {.talent_id = 3, .bank_id = 11, .consent = 1, .consent_hash = x->hash};

	gg_error_init(&err);
	x->rc = gg_db_open(x->path, &opt, &db, &err);
	if (x->rc == GG_OK)
		x->rc = gg_card_apply(db, x->set, &unit_officer, NULL, &in, &id, &err);
	gg_db_close(db);
	return NULL;
}

static void test_concurrent_apply(void **state)
{
	struct rfx *r = *state;
	struct racer x[4];
	pthread_t th[4];
	int ok = 0, dup = 0;

	for (int i = 0; i < 4; i++) {
		memset(&x[i], 0, sizeof x[i]);
		snprintf(x[i].path, sizeof x[i].path, "%s/g.db", r->fx->tmp);
		x[i].set = r->set;
		notice_hash(r->fx->db, 11, x[i].hash);
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, race, &x[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ok += x[i].rc == GG_OK;
		dup += x[i].rc == GG_E_DUPLICATE;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(dup, 3);
	assert_int_equal(unit_db_i64(r->fx->db, "SELECT count(*) FROM cards WHERE talent_id = 3"), 1);
}

static void test_expire_list_stats(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_principal bank, officer;
	struct gg_card_query q;
	struct gg_card_stats s;
	struct gg_card page[10];
	struct gg_error err;
	size_t n = 0;
	int more = 0;
	int64_t a = 0, b = 0, expired = 0;

	principal(&bank, GG_ROLE_bank, GG_SCOPE_ORG, 11);
	principal(&officer, GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0);
	assert_int_equal(apply(r, NULL, 3, 11, &a, &err), GG_OK);
	assert_int_equal(act(r, NULL, a, GG_CARDA_ACCEPT, NULL, &err), GG_OK);
	assert_int_equal(act(r, NULL, a, GG_CARDA_ISSUE, NULL, &err), GG_OK);
	assert_int_equal(apply(r, NULL, 4, 12, &b, &err), GG_OK);
	/* list: the bank sees its own; the officer both */
	memset(&q, 0, sizeof q);
	q.status = -1;
	q.limit = 10;
	gg_card_scope(&bank, &q);
	gg_error_init(&err);
	assert_int_equal(gg_card_list(db, &q, page, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(page[0].id, a);
	assert_int_equal(gg_card_stats(db, &q, &s, &err), GG_OK);
	assert_int_equal(s.total, 1);
	assert_int_equal(s.nbanks, 1);
	gg_card_scope(&officer, &q);
	q.limit = 1;
	assert_int_equal(gg_card_list(db, &q, page, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(more, 1);
	q.limit = 10;
	q.q = "其他";
	assert_int_equal(gg_card_list(db, &q, page, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(page[0].id, b);
	assert_int_equal(gg_card_stats(db, &q, &s, &err), GG_OK);
	assert_int_equal(s.total, 2);
	assert_int_equal(s.by_status[GG_CARD_ACTIVE], 1);
	assert_int_equal(s.by_status[GG_CARD_APPLIED], 1);
	assert_int_equal(s.nbanks, 2);
	assert_int_equal(s.banks[0].bank_id, 11);
	assert_string_equal(s.banks[1].bank_name, "招商银行武汉分行");
	/* expiry: nothing before valid_to; then once */
	assert_int_equal(gg_card_expire(db, &unit_officer, unit_day("2030-03-09"), &expired, &err), GG_OK);
	assert_int_equal(expired, 0);
	assert_int_equal(gg_card_expire(db, &unit_officer, unit_day("2030-03-10"), &expired, &err), GG_OK);
	assert_int_equal(expired, 1);
	assert_int_equal(get(db, a).status, GG_CARD_EXPIRED);
	assert_int_equal(gg_card_expire(db, &unit_officer, unit_day("2030-03-10"), &expired, &err), GG_OK);
	assert_int_equal(expired, 0);
	assert_int_equal(
	    count(db, "SELECT count(*) FROM audit_log WHERE action = 'card.expire' AND entity_id = %lld", a), 1);
}

static void test_applicant_and_token(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_principal bank, other_bank, talent, leader;
	struct gg_card_applicant ap;
	struct gg_cardtoken_minted m;
	struct gg_keys keys;
	struct gg_error err;
	int64_t id = 0;

	gg_crypto_random(&keys, sizeof keys);
	principal(&bank, GG_ROLE_bank, GG_SCOPE_ORG, 11);
	principal(&other_bank, GG_ROLE_bank, GG_SCOPE_ORG, 12);
	principal(&talent, GG_ROLE_talent, GG_SCOPE_TALENT, 3);
	principal(&leader, GG_ROLE_leader, GG_SCOPE_NONE, 0);
	assert_int_equal(apply(r, &talent, 3, 11, &id, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_card_applicant_read(db, &keys, &unit_officer, &other_bank, id, &ap, &err), GG_E_NOT_FOUND);
	assert_int_equal(gg_card_applicant_read(db, &keys, &unit_officer, &talent, id, &ap, &err), GG_E_NOT_FOUND);
	gg_error_init(&err);
	assert_int_equal(gg_card_applicant_read(db, &keys, &unit_officer, &bank, id, &ap, &err), GG_OK);
	assert_string_equal(ap.name, "领军甲");
	assert_int_equal(count(db,
	                       "SELECT count(*) FROM audit_log WHERE action = 'card.applicant_read'"
	                       " AND entity_id = %lld",
	                       id),
	                 1);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM pii_reads WHERE talent_id = 3"), 1);
	/* a token only for an active card, only for its holder */
	gg_error_init(&err);
	assert_int_equal(gg_card_token(db, &keys, &talent, id, 300, &m, &err), GG_E_CONFLICT);
	assert_int_equal(act(r, &bank, id, GG_CARDA_ACCEPT, NULL, &err), GG_OK);
	assert_int_equal(act(r, &bank, id, GG_CARDA_ISSUE, NULL, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_card_token(db, &keys, &other_bank, id, 300, &m, &err), GG_E_NOT_FOUND);
	gg_error_init(&err);
	assert_int_equal(gg_card_token(db, &keys, &leader, id, 300, &m, &err), GG_E_FORBIDDEN);
	gg_error_init(&err);
	if (gg_card_token(db, &keys, &talent, id, 300, &m, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(strncmp(m.token, "GC1.", 4), 0);
	assert_int_equal(strlen(m.code), GG_CARDTOKEN_CODE_LEN);
	{
		struct gg_card_verdict *v = calloc(1, sizeof *v);

		gg_error_init(&err);
		assert_int_equal(gg_cardtoken_verify(db, m.token, gg_clock_now(), 0, v, &err), GG_OK);
		assert_int_equal(v->reason, GG_CTR_VALID);
		assert_int_equal(v->claims.card_id, id);
		free(v);
	}
}

/* A copy of the shipped pack with card_tiers added to its versions (value list text). */
static void pack_with_card_tiers(const char *path, const char *list)
{
	char *text = calloc(1, GG_PACK_FILE_MAX), *out = calloc(1, GG_PACK_FILE_MAX * 2), *at, *p;
	const char *key = "      high_level_tiers:\n";
	size_t used = 0;

	assert_non_null(text);
	assert_non_null(out);
	unit_read_file("policy/optics-valley-2024.yaml", text, GG_PACK_FILE_MAX);
	for (p = text; (at = strstr(p, key)) != NULL; p = at + strlen(key)) {
		used += (size_t)snprintf(out + used, GG_PACK_FILE_MAX * 2 - used,
		                         "%.*s      card_tiers:\n        value: %s\n        reference: \"test\"\n",
		                         (int)(at - p), p, list);
		used += (size_t)snprintf(out + used, GG_PACK_FILE_MAX * 2 - used, "%s", key);
	}
	snprintf(out + used, GG_PACK_FILE_MAX * 2 - used, "%s", p);
	unit_write_file(path, out);
	free(text);
	free(out);
}

static void test_card_tiers_param(void **state)
{
	struct rfx *r = *state;
	const struct gg_pack *shipped = gg_policyset_at(r->set, 0);
	const struct gg_pack_version *v0 = &shipped->versions[0];
	struct gg_pack *p = NULL;
	struct gg_error err;
	char path[600], h0[GG_SHA256_HEX], h1[GG_SHA256_HEX], text[256];

	assert_false(v0->has_card_tiers);
	assert_true(gg_pack_card_tier(v0, "leading_talent"));
	assert_false(gg_pack_card_tier(v0, "other"));
	assert_false(gg_pack_card_tier(v0, NULL));
	gg_error_init(&err);
	assert_int_equal(gg_policyset_version_hash(shipped, v0, h0, &err), GG_OK);
	snprintf(path, sizeof path, "%s/optics-valley-2024.yaml", r->fx->tmp);
	pack_with_card_tiers(path, "[other]");
	if (gg_pack_load(path, r->fx->vocab, &p, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_true(p->versions[0].has_card_tiers);
	assert_true(gg_pack_card_tier(&p->versions[0], "other"));
	assert_false(gg_pack_card_tier(&p->versions[0], "leading_talent"));
	gg_pack_card_tiers_text(&p->versions[0], text, sizeof text);
	assert_string_equal(text, "other");
	assert_int_equal(gg_policyset_version_hash(p, &p->versions[0], h1, &err), GG_OK);
	assert_string_not_equal(h0, h1);
	gg_pack_free(p);
	p = NULL;
	/* an unknown tier is named by its field */
	pack_with_card_tiers(path, "[nobody]");
	gg_error_init(&err);
	assert_int_equal(gg_pack_load(path, r->fx->vocab, &p, &err), GG_E_INVALID);
	assert_non_null(strstr(gg_error_message(&err), "card_tiers"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_number_luhn),
	    cmocka_unit_test_setup_teardown(test_eligible_to_active, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_review_and_rejects, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_apply_refusals, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent_apply, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_expire_list_stats, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_applicant_and_token, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_card_tiers_param, setup, unit_recognition_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
