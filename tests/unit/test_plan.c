/*
 * test_plan: strategic tranches and the cancellation of a plan
 * (domain/plan.c) on the recognition fixture. Tranches: numbered 1.., the
 * milestone kept, committed when the fund covers them and left
 * uncommitted otherwise; a total above the package or above the cap less
 * formula amounts already paid, an 11th tranche, a day before the
 * decision, bad input and a formula plan are refused with nothing
 * written. Cancellation: the accepted installment stays payable (a
 * payment run still takes it), the others lapse with their commitment
 * released, the open verification lapses with the reason and its task
 * closes; a second cancellation is 409. The ledger balances after each.
 */
#include "unit_recognition.h"

#include <stdarg.h>

#include "core/clock.h"
#include "domain/ledger.h"
#include "domain/payrun.h"
#include "domain/plan.h"
#include "domain/strategic.h"
#include "domain/verification.h"

static int setup(void **state)
{
	*state = unit_recognition_open("2026-03-02T02:00:00Z", NULL);
	return *state ? 0 : -1;
}

/* A tranche the fund cannot cover stays uncommitted: the ledger balances all the same. */
static void balanced(struct gg_db *db)
{
	unit_balanced(db, 0);
}

__attribute__((format(printf, 2, 3))) static int64_t q(struct gg_db *db, const char *fmt, ...)
{
	va_list ap;

	char sql[512];

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return unit_db_i64(db, sql);
}

static int64_t committed_total(struct gg_db *db)
{
	return unit_db_i64(db, "SELECT COALESCE(SUM(debit_fen) - SUM(credit_fen), 0) FROM journal_lines"
	                       " WHERE account = 'fund_committed'");
}

static int64_t written(struct gg_db *db)
{
	return unit_db_i64(db, "SELECT (SELECT COUNT(*) FROM installments) + (SELECT COUNT(*) FROM tranches)"
	                       " + (SELECT COUNT(*) FROM journal_entries) + (SELECT COUNT(*) FROM audit_log)");
}

/* Talent 1's strategic plan of package fen (decided 2026-02-27). */
static int64_t strategic_plan(struct rfx *r, int64_t fen)
{
	struct gg_strategic_input in = {
	    .talent_id = 1, .decided_on = "2026-02-27", .rationale = "一事一议", .package_total_fen = fen};
	struct gg_strategic *s = NULL;
	struct gg_error err;
	int64_t id = 0, plan;

	gg_error_init(&err);
	if (gg_strategic_decide(r->fx->db, r->set, &unit_officer, &in, &id, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(gg_strategic_get(r->fx->db, id, &s, &err), GG_OK);
	plan = s->plan_id;
	gg_strategic_free(s);
	assert_true(plan > 0);
	return plan;
}

static enum gg_err tranche(struct rfx *r, int64_t plan, const char *milestone, const char *due, int64_t fen,
                           int *committed, struct gg_error *err)
{
	const struct gg_plan_tranche_input in = {milestone, due, fen};
	int64_t inst = 0;
	int c = 0;

	gg_error_init(err);
	enum gg_err rc = gg_plan_add_tranche(r->fx->db, r->set, &unit_officer, plan, &in, &inst, &c, err);
	if (committed)
		*committed = c;
	assert_true(rc == GG_OK ? inst > 0 : inst == 0);
	return rc;
}

static void test_tranches(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_plan_view *v = NULL;
	struct gg_error err;
	int64_t plan, entry = 0, before, rec = 0, formula = 0;
	int committed = -1;

	plan = strategic_plan(r, 400000000); /* 4,000,000.00 */
	/* no fund yet: entered, not committed */
	assert_int_equal(tranche(r, plan, "实验室建成", "2026-12-31", 100000000, &committed, &err), GG_OK);
	assert_int_equal(committed, 0);
	assert_int_equal(committed_total(db), 0);
	/* with the fund: committed in the same transaction */
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 1000000000, "fund", &entry, &err), GG_OK);
	assert_int_equal(tranche(r, plan, "团队组建", "2027-06-30", 200000000, &committed, &err), GG_OK);
	assert_int_equal(committed, 1);
	assert_int_equal(committed_total(db), 200000000);
	balanced(db);
	assert_int_equal(
	    q(db, "SELECT year FROM installments WHERE plan_id = %lld ORDER BY year DESC", (long long)plan), 2);
	assert_int_equal(q(db,
	                   "SELECT COUNT(*) FROM tranches t JOIN installments i ON i.id = t.installment_id"
	                   " WHERE i.plan_id = %lld AND i.base_fen = 0 AND i.status = 'planned'",
	                   (long long)plan),
	                 2);
	assert_int_equal(
	    q(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'plan.tranche' AND entity_id = %lld", (long long)plan),
	    2);

	/* refusals: nothing written */
	before = written(db);
	assert_int_equal(tranche(r, plan, "more", "2027-12-31", 150000000, NULL, &err), GG_E_RULE);
	assert_string_equal(gg_error_message(&err), "the tranches would total 4,500,000.00, above the package total"
	                                            " 4,000,000.00: room 1,000,000.00");
	assert_string_equal(err.fields[0].field, "amount");
	assert_int_equal(tranche(r, plan, "  ", "2027-12-31", 100, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "milestone");
	assert_int_equal(tranche(r, plan, "x", "2027-13-01", 100, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "due_on");
	assert_int_equal(tranche(r, plan, "x", "2027-12-01", 0, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "amount");
	assert_int_equal(tranche(r, plan, "x", "2026-01-01", 100, NULL, &err), GG_E_RULE);
	assert_string_equal(err.fields[0].field, "due_on");
	assert_int_equal(tranche(r, 999, "x", "2027-01-01", 100, NULL, &err), GG_E_NOT_FOUND);
	assert_int_equal(written(db), before);
	gg_error_init(&err);
	assert_int_equal(unit_recognise(db, r->set, 2, 2, 120000000, "2025-03-01", &rec, &formula, &err), GG_OK);
	before = written(db);
	assert_int_equal(tranche(r, formula, "x", "2027-01-01", 100, NULL, &err), GG_E_CONFLICT);
	assert_int_equal(written(db), before);

	/* at most 10 tranches */
	for (int i = 3; i <= 10; i++)
		assert_int_equal(tranche(r, plan, "small", "2028-01-01", 1, NULL, &err), GG_OK);
	assert_int_equal(tranche(r, plan, "eleventh", "2028-01-01", 1, NULL, &err), GG_E_RULE);
	assert_string_equal(gg_error_message(&err), "a strategic plan has at most 10 tranches");
	balanced(db);

	/* the plan as read */
	assert_int_equal(gg_plan_read(db, r->set, plan, &v, &err), GG_OK);
	assert_string_equal(v->kind, "strategic");
	assert_int_equal(v->nitems, 10);
	assert_string_equal(v->items[0].milestone, "实验室建成");
	assert_int_equal(v->items[0].committed_fen, 0);
	assert_int_equal(v->items[1].committed_fen, 200000000);
	assert_int_equal(v->limit_fen, 400000000);
	assert_int_equal(v->tranche_fen, 300000008);
	assert_string_equal(v->ended_on, "");
	gg_plan_view_free(v);
	assert_int_equal(gg_plan_read(db, r->set, 999, &v, &err), GG_E_NOT_FOUND);
	assert_null(v);
}

/* Formula amounts already paid count toward the cap: the room shrinks. */
static void test_cap_less_paid(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_error err;
	int64_t rec = 0, formula = 0, plan, entry = 0;

	gg_error_init(&err);
	assert_int_equal(unit_recognise(db, r->set, 1, 1, 120000000, "2024-03-01", &rec, &formula, &err), GG_OK);
	plan = strategic_plan(r, 400000000);
	/* 97,000,000.00 paid on the formula plan (a balanced entry straight into the ledger) */
	{
		const struct gg_ledger_line lines[] = {{"fund_paid", 9700000000LL, 0, 1, formula, 0},
		                                       {"fund_appropriations", 0, 9700000000LL, 1, formula, 0}};
		const struct gg_ledger_entry e = {
		    .kind = "payment", .posted_on = -1, .memo = "test", .lines = lines, .nlines = 2};

		assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
		assert_int_equal(gg_ledger_post_tx(db, &unit_officer, &e, &entry, &err), GG_OK);
		assert_int_equal(gg_db_commit(db, &err), GG_OK);
	}
	assert_int_equal(tranche(r, plan, "a", "2026-12-31", 200000000, NULL, &err), GG_OK);
	assert_int_equal(tranche(r, plan, "b", "2026-12-31", 150000000, NULL, &err), GG_E_RULE);
	assert_string_equal(gg_error_message(&err), "the tranches would total 3,500,000.00, above 3,000,000.00 (the"
	                                            " strategic cap 100,000,000.00 less 97,000,000.00 of formula"
	                                            " amounts already paid): room 1,000,000.00");
	assert_int_equal(tranche(r, plan, "b", "2026-12-31", 100000000, NULL, &err), GG_OK);
	balanced(db);
}

static void test_cancel(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_plan_view *v = NULL;
	struct gg_payrun_proposal p;
	struct gg_error err;
	int64_t rec = 0, plan = 0, entry = 0, opened = 0, y1, y2, y3, today = 0, before;
	int lapsed = -1;
	char sql[512];

	gg_error_init(&err);
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 1000000000, "fund", &entry, &err), GG_OK);
	assert_int_equal(unit_recognise(db, r->set, 1, 1, 120000000, "2024-03-01", &rec, &plan, &err), GG_OK);
	assert_int_equal(committed_total(db), 180000000);
	y1 = q(db, "SELECT id FROM installments WHERE plan_id = %lld AND year = 1", (long long)plan);
	y2 = q(db, "SELECT id FROM installments WHERE plan_id = %lld AND year = 2", (long long)plan);
	y3 = q(db, "SELECT id FROM installments WHERE plan_id = %lld AND year = 3", (long long)plan);
	assert_int_equal(gg_clock_today(&today, &err), GG_OK);
	assert_int_equal(gg_verification_open_due(db, &unit_officer, today, 60, &opened, &err), GG_OK);
	assert_int_equal(opened, 2);
	/* year 1 accepted; a confirmed payee */
	snprintf(sql, sizeof sql,
	         "UPDATE verifications SET status = 'accepted', amount_fen = 60000000, trace = 't', decided_by = 7,"
	         " decided_at = 0 WHERE installment_id = %lld;"
	         "INSERT INTO payees (plan_id, payee_name, bank, account_sealed, account_last4, entered_at,"
	         " confirmed_by, confirmed_at) VALUES (%lld, 'x', 'b', x'00', '1234', 0, 7, 0);",
	         (long long)y1, (long long)plan);
	unit_db_exec(db, sql);

	/* refusals */
	before = written(db);
	gg_error_init(&err);
	assert_int_equal(gg_plan_cancel(db, &unit_officer, plan, "2026-03-01", " ", &lapsed, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "reason");
	gg_error_init(&err);
	assert_int_equal(gg_plan_cancel(db, &unit_officer, plan, "2026-02-30", "left", &lapsed, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "ended_on");
	gg_error_init(&err);
	assert_int_equal(gg_plan_cancel(db, &unit_officer, plan, "2026-12-01", "left", &lapsed, &err), GG_E_RULE);
	gg_error_init(&err);
	assert_int_equal(gg_plan_cancel(db, &unit_officer, 999, "2026-03-01", "left", &lapsed, &err), GG_E_NOT_FOUND);
	assert_int_equal(written(db), before);

	/* cancelled: years 2 and 3 lapse and give their commitment back, year 1 stays */
	gg_error_init(&err);
	if (gg_plan_cancel(db, &unit_officer, plan, "2026-02-15", "resigned", &lapsed, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(lapsed, 2);
	balanced(db);
	assert_int_equal(committed_total(db), 60000000);
	assert_int_equal(
	    q(db, "SELECT COUNT(*) FROM subsidy_plans WHERE id = %lld AND status = 'cancelled'", (long long)plan), 1);
	assert_int_equal(
	    q(db, "SELECT COUNT(*) FROM installments WHERE id = %lld AND status = 'planned'", (long long)y1), 1);
	assert_int_equal(
	    q(db, "SELECT amount_fen FROM installments WHERE id = %lld AND status = 'lapsed'", (long long)y2), 0);
	assert_int_equal(
	    q(db, "SELECT amount_fen FROM installments WHERE id = %lld AND status = 'lapsed'", (long long)y3), 0);
	assert_int_equal(q(db,
	                   "SELECT COUNT(*) FROM verifications WHERE installment_id = %lld AND status = 'lapsed'"
	                   " AND reason LIKE '%%cancelled: employment ended 2026-02-15: resigned'",
	                   (long long)y2),
	                 1);
	assert_int_equal(q(db,
	                   "SELECT COUNT(*) FROM tasks t JOIN verifications v ON v.id = t.subject_id"
	                   " WHERE v.installment_id = %lld AND t.closed_at IS NULL",
	                   (long long)y2),
	                 0);
	assert_int_equal(q(db,
	                   "SELECT COUNT(*) FROM journal_entries WHERE kind = 'release' AND source_type ="
	                   " 'installment' AND source_id IN (SELECT id FROM installments WHERE plan_id = %lld)",
	                   (long long)plan),
	                 2);
	assert_int_equal(
	    q(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'plan.cancel' AND entity_id = %lld", (long long)plan),
	    1);
	assert_int_equal(gg_plan_read(db, r->set, plan, &v, &err), GG_OK);
	assert_string_equal(v->status, "cancelled");
	assert_string_equal(v->ended_on, "2026-02-15");
	assert_string_equal(v->cancel_reason, "resigned");
	assert_int_equal(v->cancel_lapsed, 2);
	assert_string_equal(v->cancelled_by_name, "Olga");
	gg_plan_view_free(v);

	/* never twice */
	before = written(db);
	gg_error_init(&err);
	assert_int_equal(gg_plan_cancel(db, &unit_officer, plan, "2026-02-15", "again", &lapsed, &err), GG_E_CONFLICT);
	assert_string_equal(gg_error_message(&err), "plan 1 is cancelled already");
	assert_int_equal(written(db), before);

	/* the accepted year 1 is still paid in a run */
	gg_error_init(&err);
	if (gg_payrun_propose(db, &unit_officer, 2025, today, &p, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(q(db, "SELECT COUNT(*) FROM payments WHERE installment_id = %lld", (long long)y1), 1);
	gg_payrun_proposal_release(&p);
	balanced(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tranches, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_cap_less_paid, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_cancel, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
