/*
 * test_strategic: bureau decisions on strategic scientists on a migrated
 * SQLite database with the shipped policy pack (strategic cap
 * 100,000,000 CNY) and the clock set by GUANGGU_TEST_NOW. A decision
 * within the cap writes the decision and its items, the recognition
 * (basis strategic, tier strategic_scientist, a trace with the cap
 * arithmetic and the rationale), the strategic plan and the audit row, and
 * replaces the talent's formula plan; the cap itself passes, one fen over
 * is refused naming cap and total; a missing rationale, items that do not
 * add up, a day in the future or before the pack, an unknown talent and a
 * second decision for the talent are refused, each writing nothing; get
 * and list read back within the reader's scope.
 */
#include "unit_recognition.h"

#include "core/clock.h"
#include "domain/strategic.h"

/* Talent 3, besides the fixture's: one without an employer. */
#define ROWS                                                                                        \
	"INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at) VALUES" \
	" (3, '测试丙', 'ce shi bing', 'ceshibing', NULL, 0, 0)"

static int setup(void **state)
{
	*state = unit_recognition_open("2026-03-02T02:00:00Z", ROWS);
	return *state ? 0 : -1;
}

static int64_t count(struct gg_db *db, const char *sql)
{
	return unit_db_i64(db, sql);
}

/* The rows of every table a decision writes, as one number to compare before and after a refusal. */
static int64_t written(struct gg_db *db)
{
	return count(db, "SELECT (SELECT COUNT(*) FROM strategic_decisions) + (SELECT COUNT(*) FROM strategic_items)"
	                 " + (SELECT COUNT(*) FROM recognitions) + (SELECT COUNT(*) FROM subsidy_plans)"
	                 " + (SELECT COUNT(*) FROM audit_log)");
}

/* A formula plan for talent 1: a recognition under the recruitment order with its installments. */
static int64_t formula_plan(struct rfx *r)
{
	struct gg_error err;
	int64_t rec = 0, plan = 0;

	gg_error_init(&err);
	assert_int_equal(unit_recognise(r->fx->db, r->set, 1, 1, 120000000, "2025-03-01", &rec, &plan, &err), GG_OK);
	return plan;
}

static void test_within_cap(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	const struct gg_strategic_item_input items[] = {{"科研经费", 2000000000LL}, {"人才团队 安居", 1000000000LL}};
	struct gg_strategic_input in = {.talent_id = 1,
	                                .decided_on = "2026-02-27",
	                                .rationale = "院士团队落地光谷，填补合成生物学空白（一事一议）",
	                                .package_total_fen = 3000000000LL,
	                                .items = items,
	                                .nitems = 2};
	struct gg_strategic *s = NULL;
	struct gg_recognition *rec = NULL;
	struct gg_plan *plan = NULL;
	struct gg_error err;
	int64_t replaced = formula_plan(r), id = 0;

	gg_error_init(&err);
	assert_int_equal(gg_strategic_decide(db, r->set, &unit_officer, &in, &id, &err), GG_OK);
	assert_true(id > 0);
	assert_int_equal(gg_strategic_get(db, id, &s, &err), GG_OK);
	assert_string_equal(s->decided_on, "2026-02-27");
	assert_string_equal(s->talent_name, "测试甲");
	assert_int_equal(s->package_total_fen, 3000000000LL);
	assert_int_equal(s->nitems, 2);
	assert_int_equal(s->items[1].position, 2);
	assert_string_equal(s->items[1].title, "人才团队 安居");
	assert_int_equal(s->items[0].amount_fen, 2000000000LL);
	assert_string_equal(s->created_by_name, "olga");
	assert_true(s->recognition_id > 0 && s->plan_id > 0);

	/* the recognition: strategic, stamped with the version in force on the day, the cap arithmetic in the trace */
	assert_int_equal(gg_recognition_get(db, s->recognition_id, &rec, &err), GG_OK);
	assert_int_equal(rec->basis, GG_BASIS_STRATEGIC);
	assert_int_equal(rec->source_id, id);
	assert_string_equal(rec->tier, "strategic_scientist");
	assert_string_equal(rec->effective_on, "2026-02-27");
	assert_string_equal(rec->version, "2024.1");
	assert_non_null(strstr(rec->reason, "一事一议"));
	assert_non_null(strstr(rec->trace, "strategic cap 100,000,000.00"));
	assert_non_null(strstr(rec->trace, "already paid to the talent: 0.00 (fund_paid on its formula plans"));
	assert_non_null(strstr(rec->trace, "package total 30,000,000.00"));
	assert_non_null(strstr(rec->trace, "item 2: 人才团队 安居 10,000,000.00"));
	assert_non_null(strstr(rec->trace, "replaces the talent's formula plan"));
	assert_non_null(strstr(rec->trace, "rationale: "));
	assert_non_null(strstr(rec->trace, "tier of talent 1: leading_talent -> strategic_scientist"));
	gg_recognition_free(rec);

	/* the plan: strategic, the package total; the formula plan replaced */
	assert_int_equal(gg_subsidy_plan_of(db, s->recognition_id, &plan, &err), GG_OK);
	assert_non_null(plan);
	assert_int_equal(plan->kind, GG_PLAN_STRATEGIC);
	assert_int_equal(plan->total_fen, 3000000000LL);
	gg_plan_free(plan);
	gg_strategic_free(s);
	assert_int_equal(count(db, "SELECT status = 'replaced' FROM subsidy_plans WHERE id = 1"), 1);
	assert_int_equal(replaced, 1);
	assert_int_equal(
	    count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'strategic.decide' AND entity_id = 1"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'plan.replace'"), 1);

	/* the cap itself, without items, for a talent with no plan */
	in.talent_id = 2;
	in.items = NULL;
	in.nitems = 0;
	in.package_total_fen = 10000000000LL;
	assert_int_equal(gg_strategic_decide(db, r->set, &unit_officer, &in, &id, &err), GG_OK);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM strategic_items WHERE decision_id = 2"), 0);
}

static void refused(struct rfx *r, const struct gg_strategic_input *in, enum gg_err code, const char *field,
                    const char *words)
{
	struct gg_error err;
	int64_t before = written(r->fx->db), id = 5;

	gg_error_init(&err);
	assert_int_equal(gg_strategic_decide(r->fx->db, r->set, &unit_officer, in, &id, &err), code);
	assert_int_equal(id, 0);
	if (field) {
		assert_true(err.nfields > 0);
		assert_string_equal(err.fields[0].field, field);
	}
	if (words && !strstr(err.message, words))
		fail_msg("'%s' is not in '%s'", words, err.message);
	assert_int_equal(written(r->fx->db), before);
}

static void test_refusals(void **state)
{
	struct rfx *r = *state;
	const struct gg_strategic_item_input items[] = {{"科研经费", 2000000000LL}, {"安居", 999999999LL}};
	const struct gg_strategic_item_input bad_items[] = {{"", 100}, {"x", 0}};
	struct gg_strategic_input in = {
	    .talent_id = 1, .decided_on = "2026-02-27", .rationale = "一事一议", .package_total_fen = 10000000001LL};
	struct gg_error err;
	int64_t id;

	formula_plan(r);
	refused(
	    r, &in, GG_E_RULE, "package_total",
	    "package total 100,000,000.01 exceeds the strategic cap 100,000,000.00 (optics-valley-2024 version 2024.1");
	in.package_total_fen = 0;
	refused(r, &in, GG_E_RULE, "package_total", NULL);
	in.package_total_fen = 3000000000LL;
	in.rationale = NULL;
	refused(r, &in, GG_E_RULE, "rationale", "rationale");
	in.rationale = " \xE3\x80\x80 ";
	refused(r, &in, GG_E_RULE, "rationale", NULL);
	in.rationale = "一事一议";
	in.items = items;
	in.nitems = 2;
	refused(r, &in, GG_E_RULE, "items", "the items add up to 29,999,999.99, not the package total 30,000,000.00");
	in.items = bad_items;
	refused(r, &in, GG_E_INVALID, "items.0.title", NULL);
	in.items = NULL;
	in.nitems = 0;
	in.decided_on = "2026-03-03";
	refused(r, &in, GG_E_RULE, "decided_on", "in the future");
	in.decided_on = "2023-12-31";
	refused(r, &in, GG_E_RULE, "decided_on", "no policy in force on 2023-12-31");
	in.decided_on = "2026-02-30";
	refused(r, &in, GG_E_INVALID, "decided_on", NULL);
	in.decided_on = "2026-02-27";
	in.talent_id = 99;
	refused(r, &in, GG_E_NOT_FOUND, "talent_id", NULL);
	/* the formula plan is still active after all those */
	assert_int_equal(count(r->fx->db, "SELECT COUNT(*) FROM subsidy_plans WHERE status = 'active'"), 1);
	in.talent_id = 1;
	gg_error_init(&err);
	assert_int_equal(gg_strategic_decide(r->fx->db, r->set, &unit_officer, &in, &id, &err), GG_OK);
	refused(r, &in, GG_E_DUPLICATE, "talent_id", "has a strategic decision already");
}

static void test_list_scope(void **state)
{
	struct rfx *r = *state;
	struct gg_strategic_input in = {.decided_on = "2026-01-05", .rationale = "一事一议", .package_total_fen = 100};
	struct gg_strategic_query q = {.limit = 1, .scope = {.unscoped = 1}};
	struct gg_strategic **v = NULL;
	struct gg_error err;
	size_t n = 0;
	int64_t id;
	int more = 0;

	gg_error_init(&err);
	for (int64_t t = 1; t <= 3; t++) {
		in.talent_id = t;
		assert_int_equal(gg_strategic_decide(r->fx->db, r->set, &unit_officer, &in, &id, &err), GG_OK);
	}
	assert_int_equal(gg_strategic_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(more, 1);
	assert_int_equal(v[0]->talent_id, 3);
	q.before_id = v[0]->id;
	gg_strategic_list_free(v, n);
	q.limit = 10;
	assert_int_equal(gg_strategic_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(more, 0);
	gg_strategic_list_free(v, n);
	/* an employer sees its own talents' decisions; a talent its own; nobody else's */
	memset(&q, 0, sizeof q);
	q.limit = 10;
	q.scope.org_id = 1;
	assert_int_equal(gg_strategic_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	gg_strategic_list_free(v, n);
	q.scope.org_id = 0;
	q.scope.talent_id = 3;
	assert_int_equal(gg_strategic_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	gg_strategic_list_free(v, n);
	q.scope.talent_id = 0;
	assert_int_equal(gg_strategic_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 0);
	gg_strategic_list_free(v, n);
	q.scope.unscoped = 1;
	q.talent_id = 2;
	assert_int_equal(gg_strategic_list(r->fx->db, &q, &v, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	gg_strategic_list_free(v, n);
	{
		struct gg_strategic *one = NULL;
		assert_int_equal(gg_strategic_get(r->fx->db, 42, &one, &err), GG_E_NOT_FOUND);
		assert_null(one);
	}
}

/* Every text at its limit, in 4-byte characters: the decision and its whole trace are kept. */
static void test_longest_texts(void **state)
{
	struct rfx *r = *state;
	static char rationale[GG_STRATEGIC_RATIONALE_MAX * 4 + 1], title[GG_STRATEGIC_TITLE_MAX * 4 + 1];
	struct gg_strategic_item_input items[GG_STRATEGIC_ITEMS_MAX];
	struct gg_strategic_input in = {.talent_id = 1, .decided_on = "2026-02-27", .rationale = rationale};
	struct gg_recognition *rec = NULL;
	struct gg_strategic *s = NULL;
	struct gg_error err;
	int64_t id = 0;

	for (size_t i = 0; i < GG_STRATEGIC_RATIONALE_MAX; i++)
		memcpy(rationale + 4 * i, "\xF0\xA0\x80\x80", 4); /* U+20000 */
	for (size_t i = 0; i < GG_STRATEGIC_TITLE_MAX; i++)
		memcpy(title + 4 * i, "\xF0\xA0\x80\x81", 4);
	for (size_t i = 0; i < GG_STRATEGIC_ITEMS_MAX; i++)
		items[i] = (struct gg_strategic_item_input){title, 100000000LL};
	in.items = items;
	in.nitems = GG_STRATEGIC_ITEMS_MAX;
	in.package_total_fen = 100000000LL * GG_STRATEGIC_ITEMS_MAX;
	gg_error_init(&err);
	if (gg_strategic_decide(r->fx->db, r->set, &unit_officer, &in, &id, &err) != GG_OK)
		fail_msg("decide: %s", gg_error_message(&err));
	assert_int_equal(gg_strategic_get(r->fx->db, id, &s, &err), GG_OK);
	assert_string_equal(s->rationale, rationale);
	assert_int_equal(s->nitems, GG_STRATEGIC_ITEMS_MAX);
	assert_int_equal(gg_recognition_get(r->fx->db, s->recognition_id, &rec, &err), GG_OK);
	assert_non_null(strstr(rec->trace, rationale));
	assert_non_null(strstr(rec->trace, "tier of talent 1: none -> strategic_scientist"));
	gg_recognition_free(rec);
	gg_strategic_free(s);
	/* one character more is bad input */
	static char longer[(GG_STRATEGIC_RATIONALE_MAX + 1) * 3 + 1];
	for (size_t i = 0; i <= GG_STRATEGIC_RATIONALE_MAX; i++)
		memcpy(longer + 3 * i, "\xE4\xB8\xAD", 3); /* 中 */
	in.rationale = longer;
	in.talent_id = 2;
	gg_error_init(&err);
	assert_int_equal(gg_strategic_decide(r->fx->db, r->set, &unit_officer, &in, &id, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "rationale");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_within_cap, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_list_scope, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_longest_texts, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
