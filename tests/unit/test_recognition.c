/*
 * test_recognition: recognitions, subsidy plans and policy version stamps
 * on a migrated SQLite database with the shipped policy pack. A hire of
 * 1,200,000 recognised under optics-valley-2024 records the recognition
 * with the version's hash and the trace, raises the talent's tier through
 * the talent module (its history shows it), opens one commissioner task,
 * and its formula plan holds DOMAIN.md's three installments; a second
 * recognition of the same source and a second formula plan are refused;
 * a lower tier leaves the tier as it is; a strategic package replaces the
 * formula plan. The stamp: the first use records the version's hash, a
 * changed version is refused by the stamp and by the start-up check.
 */
#include "unit_recognition.h"

#include "core/clock.h"
#include "domain/audit.h"
#include "domain/talent.h"

static int setup(void **state)
{
	return (*state = unit_recognition_open(NULL, NULL)) ? 0 : -1;
}

static int64_t count(struct gg_db *db, const char *sql)
{
	return unit_db_i64(db, sql);
}

/* Records an order recognition of talent (source: the hire) for contract_fen from start, with its plan. */
static enum gg_err recognise(struct rfx *r, int64_t talent, int64_t source, int64_t contract_fen, const char *start,
                             int64_t *rec_id, int64_t *plan_id, struct gg_error *err)
{
	return unit_recognise(r->fx->db, r->set, talent, source, contract_fen, start, rec_id, plan_id, err);
}

static void test_order_recognition(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_recognition *rec = NULL;
	struct gg_plan *plan = NULL;
	struct gg_error err;
	char hash[GG_SHA256_HEX];
	int64_t rec_id, plan_id, used;

	gg_error_init(&err);
	assert_int_equal(recognise(r, 1, 11, 120000000, "2025-03-01", &rec_id, &plan_id, &err), GG_OK);
	assert_true(rec_id > 0 && plan_id > 0);

	assert_int_equal(gg_recognition_get(db, rec_id, &rec, &err), GG_OK);
	assert_string_equal(rec->tier, "leading_talent");
	assert_string_equal(rec->pack, "optics-valley-2024");
	assert_string_equal(rec->talent_name, "测试甲");
	assert_string_equal(rec->org_name, "光谷测试科技");
	assert_string_equal(rec->decided_by_name, "olga");
	assert_string_equal(rec->effective_on, "2025-03-01");
	assert_int_equal(rec->basis, GG_BASIS_ORDER);
	assert_non_null(strstr(rec->trace, "1,200,000.00"));
	assert_non_null(strstr(rec->trace, "tier of talent 1: none -> leading_talent"));
	assert_int_equal(gg_policyset_version_hash(gg_policyset_find(r->set, "optics-valley-2024"),
	                                           gg_pack_version_on(gg_policyset_find(r->set, "optics-valley-2024"),
	                                                              unit_day("2025-03-01")),
	                                           hash, &err),
	                 GG_OK);
	assert_string_equal(rec->policy_hash, hash);
	gg_recognition_free(rec);

	/* the version's hash is recorded at its first use */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM policy_versions"), 1);
	/* the talent's tier went through the talent module: version bumped, audited */
	assert_int_equal(
	    count(db, "SELECT COUNT(*) FROM talents WHERE id = 1 AND tier = 'leading_talent' AND version = 2"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'talent.update' AND entity_id = 1"),
	                 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'recognition.create'"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'plan.create'"), 1);
	/* a high-level talent without a commissioner waits for one */
	assert_int_equal(count(db,
	                       "SELECT COUNT(*) FROM tasks WHERE kind = 'commissioner_assignment' AND subject_id = 1"
	                       " AND closed_at IS NULL"),
	                 1);

	assert_int_equal(gg_subsidy_plan_of(db, rec_id, &plan, &err), GG_OK);
	assert_non_null(plan);
	assert_int_equal(plan->ninst, 3);
	assert_int_equal(plan->total_fen, 180000000);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(plan->inst[i].amount_fen, 60000000);
		assert_string_equal(plan->inst[i].status, "planned");
	}
	assert_string_equal(plan->inst[0].due_on, "2026-03-01");
	assert_string_equal(plan->inst[2].due_on, "2028-03-01");
	gg_plan_free(plan);
	assert_int_equal(gg_subsidy_cap_used(db, 1, &used, &err), GG_OK);
	assert_int_equal(used, 180000000);

	/* the same source twice: refused, nothing more written */
	gg_error_init(&err);
	assert_int_equal(recognise(r, 1, 11, 120000000, "2025-03-01", &rec_id, &plan_id, &err), GG_E_DUPLICATE);
	/* a second formula plan for the same talent: one entitlement */
	gg_error_init(&err);
	assert_int_equal(recognise(r, 1, 12, 150000000, "2025-06-01", &rec_id, &plan_id, &err), GG_E_CONFLICT);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recognitions"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM subsidy_plans"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM installments"), 3);

	/* a commissioner assigned: the talent no longer waits for one */
	{
		struct gg_talent_input in = {.set_commissioner = 1, .commissioner_id = 7};

		gg_error_init(&err);
		assert_int_equal(gg_talent_update(db, NULL, &unit_officer, 1, &in, 0, NULL, &err), GG_OK);
		assert_int_equal(count(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'commissioner_assignment'"
		                           " AND subject_id = 1 AND closed_at IS NULL"),
		                 0);
		assert_int_equal(count(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'commissioner_assignment'"
		                           " AND subject_id = 1 AND close_reason = 'assigned'"),
		                 1);
	}
}

static void test_tiers_and_strategic(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	const struct gg_pack *pack;
	const struct gg_pack_version *version;
	struct gg_policy_params params;
	struct gg_error err;
	int64_t rec_id, plan_id, replaced, strategic_rec, strategic_plan;

	gg_error_init(&err);
	assert_int_equal(recognise(r, 2, 21, 100000000, "2025-01-10", &rec_id, &plan_id, &err), GG_OK);
	assert_int_equal(gg_policyset_params_on(r->set, "optics-valley-2024", unit_day("2026-01-05"), &params, &pack,
	                                        &version, &err),
	                 GG_OK);

	/* a lower tier recognised later leaves the tier as it is, and says so */
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	{
		struct gg_recognition_new in = {.talent_id = 2,
		                                .tier = "high_level",
		                                .basis = GG_BASIS_RECOMMENDATION,
		                                .source_id = 5,
		                                .pack = pack,
		                                .version = version,
		                                .effective_on = "2026-01-05",
		                                .reason = "推荐",
		                                .trace = "approved\n"};
		struct gg_recognition *rec = NULL;

		assert_int_equal(gg_recognition_record_tx(db, &unit_officer, &in, &rec_id, &err), GG_OK);
		assert_int_equal(gg_recognition_get(db, rec_id, &rec, &err), GG_OK);
		assert_non_null(strstr(rec->trace, "stays leading_talent"));
		gg_recognition_free(rec);
	}
	/* a strategic package replaces the formula plan */
	{
		struct gg_recognition_new in = {.talent_id = 2,
		                                .tier = "strategic_scientist",
		                                .basis = GG_BASIS_STRATEGIC,
		                                .source_id = 1,
		                                .pack = pack,
		                                .version = version,
		                                .effective_on = "2026-01-05",
		                                .reason = "一事一议",
		                                .trace = "decided\n"};

		assert_int_equal(gg_recognition_record_tx(db, &unit_officer, &in, &strategic_rec, &err), GG_OK);
		assert_int_equal(gg_subsidy_replace_formula_tx(db, &unit_officer, 2, &replaced, &err), GG_OK);
		assert_int_equal(replaced, plan_id);
		assert_int_equal(gg_subsidy_plan_strategic_tx(db, &unit_officer, strategic_rec, 2, pack, version,
		                                              5000000000LL, &strategic_plan, &err),
		                 GG_OK);
	}
	assert_int_equal(gg_db_commit(db, &err), GG_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM talents WHERE id = 2 AND tier = 'strategic_scientist'"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM subsidy_plans WHERE talent_id = 2 AND status = 'replaced'"),
	                 1);
	assert_int_equal(
	    count(db, "SELECT total_fen FROM subsidy_plans WHERE id = (SELECT MAX(id) FROM subsidy_plans)"),
	    5000000000LL);
	/* one commissioner task for the talent however often it is recognised */
	assert_int_equal(
	    count(db, "SELECT COUNT(*) FROM tasks WHERE kind = 'commissioner_assignment' AND subject_id = 2"), 1);

	/* bad input: unknown tier, unknown talent, malformed day; nothing written */
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	{
		struct gg_recognition_new in = {.talent_id = 2,
		                                .tier = "emperor",
		                                .basis = GG_BASIS_RECOMMENDATION,
		                                .source_id = 6,
		                                .pack = pack,
		                                .version = version,
		                                .effective_on = "2026-01-05",
		                                .trace = "x\n"};

		gg_error_init(&err);
		assert_int_equal(gg_recognition_record_tx(db, &unit_officer, &in, &rec_id, &err), GG_E_INVALID);
		assert_string_equal(err.fields[0].field, "tier");
		in.tier = "high_level";
		in.talent_id = 99;
		gg_error_init(&err);
		assert_int_equal(gg_recognition_record_tx(db, &unit_officer, &in, &rec_id, &err), GG_E_NOT_FOUND);
		in.talent_id = 2;
		in.effective_on = "2026-02-30";
		gg_error_init(&err);
		assert_int_equal(gg_recognition_record_tx(db, &unit_officer, &in, &rec_id, &err), GG_E_INVALID);
	}
	gg_db_rollback(db);

	/* lists: newest first, filters, scopes */
	{
		struct gg_recognition **rs = NULL;
		size_t n = 0;
		int more = 0;
		struct gg_recognition_query q = {.basis = -1, .limit = 2};

		assert_int_equal(gg_recognition_list(db, &q, &rs, &n, &more, &err), GG_OK);
		assert_int_equal(n, 2);
		assert_int_equal(more, 1);
		assert_true(rs[0]->id > rs[1]->id);
		q.before_id = rs[1]->id;
		gg_recognition_list_free(rs, n);
		assert_int_equal(gg_recognition_list(db, &q, &rs, &n, &more, &err), GG_OK);
		assert_int_equal(n, 1);
		assert_int_equal(more, 0);
		gg_recognition_list_free(rs, n);
		memset(&q, 0, sizeof(q));
		q.basis = GG_BASIS_STRATEGIC;
		q.limit = 10;
		assert_int_equal(gg_recognition_list(db, &q, &rs, &n, &more, &err), GG_OK);
		assert_int_equal(n, 1);
		assert_string_equal(rs[0]->tier, "strategic_scientist");
		gg_recognition_list_free(rs, n);
		q.basis = -1;
		q.tier = "leading_talent";
		q.scoped = 1;
		q.scope_orgs[q.nscope_orgs++] = 1;
		assert_int_equal(gg_recognition_list(db, &q, &rs, &n, &more, &err), GG_OK);
		assert_int_equal(n, 1);
		gg_recognition_list_free(rs, n);
		/* scoped to nothing: none */
		q.tier = NULL;
		q.nscope_orgs = 0;
		assert_int_equal(gg_recognition_list(db, &q, &rs, &n, &more, &err), GG_OK);
		assert_int_equal(n, 0);
		gg_recognition_list_free(rs, n);
		/* a talent's own, and a commissioner's assigned talents (or'ed) */
		q.scope_talents[q.nscope_talents++] = 2;
		assert_int_equal(gg_recognition_list(db, &q, &rs, &n, &more, &err), GG_OK);
		assert_int_equal(n, 3);
		gg_recognition_list_free(rs, n);
		q.nscope_talents = 0;
		q.scope_commissioner = 7;
		assert_int_equal(gg_recognition_list(db, &q, &rs, &n, &more, &err), GG_OK);
		assert_int_equal(n, 0);
		gg_recognition_list_free(rs, n);
		assert_int_equal(gg_db_exec(db, "UPDATE talents SET commissioner_id = 7 WHERE id = 2", &err), GG_OK);
		assert_int_equal(gg_recognition_list(db, &q, &rs, &n, &more, &err), GG_OK);
		assert_int_equal(n, 3);
		gg_recognition_list_free(rs, n);
	}
}

static void test_stamp_refuses_changed_version(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_error err;
	int64_t rec_id, plan_id;

	gg_error_init(&err);
	/* nothing used yet: any content passes the start-up check */
	assert_int_equal(gg_policyset_verify(db, r->set, &err), GG_OK);
	assert_int_equal(recognise(r, 1, 31, 100000000, "2025-02-01", &rec_id, &plan_id, &err), GG_OK);
	assert_int_equal(gg_policyset_verify(db, r->set, &err), GG_OK);

	/* the same name and version with other content (as if the file had been edited) */
	assert_int_equal(gg_db_exec(db, "UPDATE policy_versions SET hash = printf('%064d', 0)", &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_policyset_verify(db, r->set, &err), GG_E_CONFIG);
	assert_non_null(strstr(err.message, "changed since its first use"));
	gg_error_init(&err);
	assert_int_equal(recognise(r, 2, 32, 100000000, "2025-02-01", &rec_id, &plan_id, &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "changed since it was first used"));
	assert_int_equal(count(db, "SELECT COUNT(*) FROM recognitions"), 1);

	/* a version recorded but gone from the packs */
	assert_int_equal(
	    gg_db_exec(db, "INSERT INTO policy_versions VALUES ('gone', '1', printf('%064d', 0), 0)", &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_policyset_verify(db, r->set, &err), GG_E_CONFIG);
	assert_non_null(
	    strstr(err.message, "policy 'gone' version '1' made decisions but is no longer in the policy packs"));
	/* and the stamps of versions in use cannot be removed under their decisions */
	gg_error_init(&err);
	assert_int_equal(gg_db_exec(db, "DELETE FROM policy_versions WHERE pack <> 'gone'", &err), GG_E_CONFLICT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_order_recognition, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_tiers_and_strategic, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_stamp_refuses_changed_version, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
