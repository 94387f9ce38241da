/*
 * unit_recognition: the fixture of the recognition tests (test_recognition,
 * test_recommendation, test_strategic, test_whatif): a migrated database
 * with its vocabulary (unit_vocab.h), the shipped policy packs, the rows
 * they all start from (organisation 1, the officer's account 7, talents 1
 * and 2 of organisation 1) and each test's own, and an order recognition
 * recorded with its formula plan the way a hire records it.
 */
#ifndef UNIT_RECOGNITION_H
#define UNIT_RECOGNITION_H

#include "unit_vocab.h"

#include "domain/ledger.h"
#include "domain/policyset.h"
#include "domain/recognition.h"
#include "domain/subsidy.h"

/* The officer who decides, account 7 of the rows below. */
static const struct gg_actor unit_officer = {7, "olga", "req-7"};

/* The rows every recognition test starts from; a test's own rows follow them. */
#define UNIT_RECOGNITION_ROWS                                                                          \
	"INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"                     \
	" (1, '光谷测试科技', 'guang gu ce shi ke ji', 'leading_enterprise', 0, 0);"             \
	"INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES" \
	" (7, 'olga', 'Olga', 'x', 0, 0);"                                                             \
	"INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at) VALUES"    \
	" (1, '测试甲', 'ce shi jia', 'ceshijia', 1, 0, 0), (2, '测试乙', 'ce shi yi', 'ceshiyi', 1, 0, 0);"

/*
 * The shipped packs (checked against vocab) into *set, then the common
 * rows and more (SQL; NULL: none) into db. GG_OK, or the error in err.
 */
static inline enum gg_err unit_recognition_load(struct gg_db *db, const struct gg_vocabulary *vocab, const char *more,
                                                struct gg_policyset **set, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_policyset_load("policy", vocab, set, err)) != GG_OK ||
	    (rc = gg_db_exec(db, UNIT_RECOGNITION_ROWS, err)) != GG_OK)
		return rc;
	return more ? gg_db_exec(db, more, err) : GG_OK;
}

struct rfx {
	struct fx *fx;
	struct gg_policyset *set;
};

/*
 * A new fixture with the common rows and more (NULL: none), the clock at
 * now (GUANGGU_TEST_NOW; NULL: the real one); NULL (said on stderr) when
 * it cannot be made.
 */
static inline struct rfx *unit_recognition_open(const char *now, const char *more)
{
	struct rfx *r = calloc(1, sizeof(*r));
	struct gg_error err;

	if (now)
		setenv("GUANGGU_TEST_NOW", now, 1);
	if (r == NULL || (r->fx = unit_vocab_open("x")) == NULL)
		return NULL;
	gg_error_init(&err);
	if (unit_recognition_load(r->fx->db, r->fx->vocab, more, &r->set, &err) != GG_OK) {
		print_error("fixture: %s\n", gg_error_message(&err));
		return NULL;
	}
	return r;
}

/* Frees the fixture and sets the clock back to the real one: a cmocka teardown. */
static inline int unit_recognition_teardown(void **state)
{
	struct rfx *r = *state;

	unsetenv("GUANGGU_TEST_NOW");
	gg_policyset_free(r->set);
	unit_vocab_close(r->fx);
	free(r);
	return 0;
}

/* The day YYYY-MM-DD s names, in days since 1970-01-01; fails the test when s is no day. */
static inline int64_t unit_day(const char *s)
{
	int64_t d = 0;

	assert_int_equal(gg_pack_parse_day(s, &d), 0);
	return d;
}

/*
 * Records, in a write transaction of its own and as the officer, the
 * order recognition of talent (source: the hire's id) for contract_fen
 * from start under the pack in force then, with its formula plan: *rec_id
 * and *plan_id. GG_E_RULE "not recognised" when the rules do not
 * recognise the hire; otherwise what recording answers.
 */
static inline enum gg_err unit_recognise(struct gg_db *db, const struct gg_policyset *set, int64_t talent,
                                         int64_t source, int64_t contract_fen, const char *start, int64_t *rec_id,
                                         int64_t *plan_id, struct gg_error *err)
{
	struct gg_policy_params params;
	const struct gg_pack *pack;
	const struct gg_pack_version *version;
	struct gg_policy_decision d;
	struct gg_policy_facts facts = {.employer_kind = "leading_enterprise",
	                                .contract_fen = contract_fen,
	                                .start_day = unit_day(start),
	                                .end_day = -1};
	enum gg_err rc;

	*rec_id = *plan_id = 0;
	memset(&d, 0, sizeof(d));
	rc = gg_policyset_params_on(set, NULL, facts.start_day, &params, &pack, &version, err);
	if (rc == GG_OK)
		rc = gg_subsidy_cap_used(db, talent, &facts.earlier_fen, err);
	if (rc == GG_OK)
		rc = gg_policy_evaluate(&params, &facts, &d, err);
	if (rc == GG_OK && !d.recognised)
		rc = gg_error_set(err, GG_E_RULE, "not recognised");
	if (rc == GG_OK)
		rc = gg_db_begin(db, GG_DB_WRITE, err);
	if (rc == GG_OK) {
		struct gg_recognition_new in = {.talent_id = talent,
		                                .tier = d.tier,
		                                .basis = GG_BASIS_ORDER,
		                                .source_id = source,
		                                .org_id = 1,
		                                .pack = pack,
		                                .version = version,
		                                .effective_on = start,
		                                .trace = d.trace.buf};

		rc = gg_recognition_record_tx(db, &unit_officer, &in, rec_id, err);
		if (rc == GG_OK)
			rc = gg_subsidy_plan_formula_tx(db, &unit_officer, *rec_id, talent, pack, version, contract_fen,
			                                start, &d, plan_id, err);
		if (rc == GG_OK)
			rc = gg_db_commit(db, err);
		else
			gg_db_rollback(db);
	}
	gg_buf_release(&d.trace);
	return rc;
}

/*
 * Fails the test unless the fund's ledger balances: every entry balanced,
 * debits equal credits and, when all_committed, no plan left uncommitted.
 */
static inline void unit_balanced(struct gg_db *db, int all_committed)
{
	struct gg_ledger_balances b;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_ledger_balances(db, -1, &b, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(b.unbalanced, 0);
	assert_int_equal(b.total_debit_fen, b.total_credit_fen);
	if (all_committed)
		assert_int_equal(b.uncommitted_plans, 0);
}

#endif
