/*
 * test_report: the special fund's reports (domain/report.c) on one worked
 * fund, every figure computed by hand:
 *
 *   2025-01-15 appropriation 5,000,000.00; talent 1 (org 1, segments
 *              lasers and ic_design: chain microelectronics, the first
 *              token) recognised from 2024-03-01 for 1,200,000.00: three
 *              installments of 600,000.00 due 2025-03-01, 2026-03-01,
 *              2027-03-01, committed (1,800,000.00)
 *   2025-06-01 talent 2 (strategic, no organisation: chain "none"), two
 *              tranches 200,000.00 due 2026-06-01 (committed) and
 *              100,000.00 due 2027-06-01 (never committed)
 *   2026-03-03 approvals of payments 1 (I1) and 2 (I2), 600,000.00 each
 *   2026-03-05 both paid
 *   2026-03-20 payment 2 returned (committed again)
 *   2026-04-01 clawback of 50,000.00 on payment 1
 *   2026-06-02 approval of payment 3 (tranche 1), paid 2026-06-03
 *   payment 4 (I3) cancelled: in no register
 *
 * After each step the ledger balances (debits = credits).
 */
#include "unit_cli.h"
#include "unit_recognition.h"

#include "domain/ledger.h"
#include "domain/report.h"

#define M(cny) ((int64_t)(cny)*100) /* CNY to fen */

struct world {
	int64_t plan1, i1, i2, i3;
};
static struct world w;

static void balanced(struct gg_db *db)
{
	struct gg_ledger_balances b;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_ledger_balances(db, -1, &b, &err), GG_OK);
	assert_int_equal(b.unbalanced, 0);
	assert_int_equal(b.total_debit_fen, b.total_credit_fen);
}

/* Posts a two-line entry of kind on day: Dr dr / Cr cr of fen, lines about talent, plan, installment. */
static void post(struct gg_db *db, const char *kind, const char *day, const char *src, int64_t src_id, const char *dr,
                 const char *cr, int64_t fen, int64_t talent, int64_t plan, int64_t inst)
{
	const struct gg_ledger_line lines[] = {
	    {.account = dr, .debit_fen = fen, .talent_id = talent, .plan_id = plan, .installment_id = inst},
	    {.account = cr, .credit_fen = fen, .talent_id = talent, .plan_id = plan, .installment_id = inst}};
	const struct gg_ledger_entry e = {.kind = kind,
	                                  .posted_on = unit_day(day),
	                                  .memo = kind,
	                                  .source_type = src,
	                                  .source_id = src_id,
	                                  .lines = lines,
	                                  .nlines = 2};
	struct gg_error err;
	int64_t id = 0;

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	if (gg_ledger_post_tx(db, &unit_officer, &e, &id, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(gg_db_commit(db, &err), GG_OK);
	balanced(db);
}

static int64_t inst_of(struct gg_db *db, int64_t plan, int year)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT id FROM installments WHERE plan_id = %lld AND year = %d", (long long)plan,
	         year);
	return unit_db_i64(db, sql);
}

static void payment(struct gg_db *db, int id, int run, int64_t inst, int64_t plan, int talent, int64_t fen,
                    const char *status, const char *txn, const char *settled)
{
	char sql[1024];

	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO payments (id, run_id, installment_id, plan_id, talent_id, amount_fen, reference, payee_id,"
	    " payee_name, bank, account_sealed, account_last4, status, bank_txn_id, settled_on, trace, created_at,"
	    " updated_at) VALUES (%d, %d, %lld, %lld, %d, %lld, 'GG%d-%08d', %d, 'payee', 'bank', x'00', '1234',"
	    " '%s', %s%s%s, %s%s%s, 'trace', 0, 0)",
	    id, run, (long long)inst, (long long)plan, talent, (long long)fen, run == 1 ? 2025 : 2026, id, talent,
	    status, txn ? "'" : "", txn ? txn : "NULL", txn ? "'" : "", settled ? "'" : "", settled ? settled : "NULL",
	    settled ? "'" : "");
	unit_db_exec(db, sql);
}

static int setup(void **state)
{
	struct rfx *r = unit_recognition_open("2025-01-15T02:00:00Z", NULL);
	struct gg_db *db;
	struct gg_error err;
	int64_t rec = 0, entry = 0;
	char sql[2048];

	if (r == NULL)
		return -1;
	*state = r;
	db = r->fx->db;
	gg_error_init(&err);
	unit_db_exec(db, "INSERT INTO org_segments (org_id, segment) VALUES (1, 'lasers'), (1, 'ic_design');"
	                 "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at)"
	                 " VALUES (8, 'fiona', 'Fiona', 'x', 0, 0)");
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, M(5000000), "budget", &entry, &err), GG_OK);
	if (unit_recognise(db, r->set, 1, 1, M(1200000), "2024-03-01", &rec, &w.plan1, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	w.i1 = inst_of(db, w.plan1, 1);
	w.i2 = inst_of(db, w.plan1, 2);
	w.i3 = inst_of(db, w.plan1, 3);
	assert_int_equal(unit_db_i64(db, "SELECT SUM(amount_fen = 60000000) FROM installments"), 3);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'commitment'"), 1);

	/* talent 2: a strategic package without an organisation, its tranches as installments 50 and 51 */
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO recognitions (id, talent_id, tier, basis, source_id, org_id, pack, version, policy_hash,"
	    " effective_on, trace, created_at) SELECT 50, 2, 'strategic_scientist', 'strategic', 1, NULL, pack,"
	    " version, policy_hash, '2025-06-01', 't', 0 FROM recognitions WHERE id = %lld;"
	    "INSERT INTO subsidy_plans (id, recognition_id, talent_id, kind, pack, version, contract_fen, start_on,"
	    " total_fen, created_at) SELECT 50, 50, 2, 'strategic', pack, version, 0, '2025-06-01', 30000000, 0"
	    " FROM recognitions WHERE id = 50;"
	    "INSERT INTO installments (id, plan_id, year, due_on, base_fen, amount_fen, status) VALUES"
	    " (50, 50, 1, '2026-06-01', 20000000, 20000000, 'planned'),"
	    " (51, 50, 2, '2027-06-01', 10000000, 10000000, 'planned')",
	    (long long)rec);
	unit_db_exec(db, sql);
	post(db, "commitment", "2025-06-01", "installment", 50, "fund_committed", "fund_available", M(200000), 2, 50,
	     50);

	/* runs, payees, verifications, payments (the payment runs' module fills these; here SQL) */
	snprintf(sql, sizeof(sql),
	         "INSERT INTO payment_runs (id, period, status, proposed_by, proposed_at, decided_by, decided_at,"
	         " total_fen, payments) VALUES (1, 2025, 'closed', 7, 0, 8, 0, 120000000, 2),"
	         " (2, 2026, 'closed', 7, 0, 8, 0, 20000000, 1);"
	         "INSERT INTO payees (id, plan_id, payee_name, bank, account_sealed, account_last4, entered_at)"
	         " VALUES (1, %lld, 'payee', 'bank', x'00', '1234', 0), (2, 50, 'payee', 'bank', x'00', '5678', 0);"
	         "INSERT INTO verifications (id, installment_id, org_id, status, deadline_on, amount_fen, trace,"
	         " decided_by, created_at) VALUES (1, %lld, 1, 'accepted', '2025-04-30', 60000000, 't', 7, 0),"
	         " (2, %lld, 1, 'accepted', '2026-04-30', 60000000, 't', 7, 0)",
	         (long long)w.plan1, (long long)w.i1, (long long)w.i2);
	unit_db_exec(db, sql);
	payment(db, 1, 1, w.i1, w.plan1, 1, M(600000), "paid", "BTX1", "2026-03-05");
	payment(db, 2, 1, w.i2, w.plan1, 1, M(600000), "returned", "BTX2", "2026-03-20");
	payment(db, 3, 2, 50, 50, 2, M(200000), "paid", "BTX3", "2026-06-03");
	payment(db, 4, 2, w.i3, w.plan1, 1, M(600000), "cancelled", NULL, NULL);
	post(db, "approval", "2026-03-03", "payment", 1, "fund_approved", "fund_committed", M(600000), 1, w.plan1,
	     w.i1);
	post(db, "approval", "2026-03-03", "payment", 2, "fund_approved", "fund_committed", M(600000), 1, w.plan1,
	     w.i2);
	post(db, "payment", "2026-03-05", "payment", 1, "fund_paid", "fund_approved", M(600000), 1, w.plan1, w.i1);
	post(db, "payment", "2026-03-05", "payment", 2, "fund_paid", "fund_approved", M(600000), 1, w.plan1, w.i2);
	post(db, "payment_returned", "2026-03-20", "payment", 2, "fund_committed", "fund_paid", M(600000), 1, w.plan1,
	     w.i2);
	unit_db_exec(db, "INSERT INTO clawbacks (id, payment_id, amount_fen, reason, created_by, created_at)"
	                 " VALUES (1, 1, 5000000, 'false salary', 7, 0)");
	post(db, "clawback", "2026-04-01", "clawback", 1, "fund_available", "fund_paid", M(50000), 1, w.plan1, w.i1);
	post(db, "approval", "2026-06-02", "payment", 3, "fund_approved", "fund_committed", M(200000), 2, 50, 50);
	post(db, "payment", "2026-06-03", "payment", 3, "fund_paid", "fund_approved", M(200000), 2, 50, 50);
	setenv("GUANGGU_TEST_NOW", "2026-07-01T02:00:00Z", 1);
	return 0;
}

static void test_forecast(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_report_forecast f;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_report_forecast(db, 2025, 5, &f, &err), GG_OK);
	assert_int_equal(f.from, 2025);
	assert_int_equal(f.years, 5);
	/* 2025: I1, approved and paid: nothing committed any more */
	assert_int_equal(f.rows[0].year, 2025);
	assert_int_equal(f.rows[0].installments, 1);
	assert_int_equal(f.rows[0].committed_fen, 0);
	assert_int_equal(f.rows[0].uncommitted_fen, 0);
	/* 2026: I2 (returned: committed again) and tranche 1 (paid) */
	assert_int_equal(f.rows[1].installments, 2);
	assert_int_equal(f.rows[1].committed_fen, M(600000));
	assert_int_equal(f.rows[1].uncommitted_fen, 0);
	assert_int_equal(f.rows[1].total_fen, M(600000));
	/* 2027: I3 committed, tranche 2 never committed */
	assert_int_equal(f.rows[2].installments, 2);
	assert_int_equal(f.rows[2].committed_fen, M(600000));
	assert_int_equal(f.rows[2].uncommitted_fen, M(100000));
	assert_int_equal(f.rows[2].total_fen, M(700000));
	assert_int_equal(f.rows[3].installments, 0);
	assert_int_equal(f.rows[4].year, 2029);
	assert_int_equal(f.rows[4].total_fen, 0);
	assert_int_equal(f.total.installments, 5);
	assert_int_equal(f.total.committed_fen, M(1200000)); /* = the fund_committed balance */
	assert_int_equal(f.total.uncommitted_fen, M(100000));
	assert_int_equal(f.total.total_fen, M(1300000));

	/* default: five years from the current year (2026 in the clock) */
	assert_int_equal(gg_report_forecast(db, 0, 0, &f, &err), GG_OK);
	assert_int_equal(f.from, 2026);
	assert_int_equal(f.years, 5);
	assert_int_equal(f.total.installments, 4);
	assert_int_equal(f.total.total_fen, M(1300000));
	assert_int_equal(gg_report_forecast(db, 2027, 1, &f, &err), GG_OK);
	assert_int_equal(f.total.total_fen, M(700000));

	assert_int_equal(gg_report_forecast(db, 2025, 11, &f, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "years");
	gg_error_init(&err);
	assert_int_equal(gg_report_forecast(db, 1999, 5, &f, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "from");
	gg_error_init(&err);

	/* the CSV: BOM, header, rows, the total */
	{
		struct gg_report_table t;
		struct gg_buf b;

		gg_buf_init(&b, 1 << 20);
		assert_int_equal(gg_report_forecast(db, 2025, 3, &f, &err), GG_OK);
		assert_int_equal(gg_report_forecast_table(&f, &t, &err), GG_OK);
		assert_int_equal(gg_report_table_csv(&t, &b, &err), GG_OK);
		assert_string_equal(b.buf, "\xEF\xBB\xBFyear,installments,committed_cny,uncommitted_cny,total_cny\r\n"
		                           "2025,1,0.00,0.00,0.00\r\n"
		                           "2026,2,600000.00,0.00,600000.00\r\n"
		                           "2027,2,600000.00,100000.00,700000.00\r\n"
		                           "total,5,1200000.00,100000.00,1300000.00\r\n");
		gg_report_table_free(&t);
		gg_buf_release(&b);
	}
}

static int64_t end_of(const struct gg_report_position *p, size_t row, const char *code)
{
	for (size_t a = 0; a < p->naccounts; a++)
		if (strcmp(p->codes[a], code) == 0)
			return p->rows[row].end_fen[a];
	fail_msg("no account %s", code);
	return 0;
}

static void test_position(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_report_position p;
	struct gg_report_chains c;
	struct gg_error err;
	int64_t sum = 0;

	gg_error_init(&err);
	assert_int_equal(gg_report_position_years(db, &p, &err), GG_OK);
	assert_int_equal(p.naccounts, GG_LEDGER_ACCOUNTS);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.rows[0].year, 2025);
	assert_int_equal(p.rows[0].appropriated_fen, M(5000000));
	assert_int_equal(p.rows[0].committed_fen, M(2000000));
	assert_int_equal(p.rows[0].released_fen, 0);
	assert_int_equal(p.rows[0].committed_net_fen, M(2000000));
	assert_int_equal(p.rows[0].approved_fen, 0);
	assert_int_equal(p.rows[0].paid_fen, 0);
	assert_int_equal(p.rows[0].debit_fen, M(7000000));
	assert_int_equal(p.rows[0].credit_fen, M(7000000));
	assert_int_equal(end_of(&p, 0, "fund_appropriations"), -M(5000000));
	assert_int_equal(end_of(&p, 0, "fund_available"), M(3000000));
	assert_int_equal(end_of(&p, 0, "fund_committed"), M(2000000));
	assert_int_equal(end_of(&p, 0, "fund_approved"), 0);
	assert_int_equal(end_of(&p, 0, "fund_paid"), 0);

	assert_int_equal(p.rows[1].year, 2026);
	assert_int_equal(p.rows[1].appropriated_fen, 0);
	assert_int_equal(p.rows[1].committed_net_fen, 0);
	assert_int_equal(p.rows[1].approved_fen, M(1400000));
	assert_int_equal(p.rows[1].paid_fen, M(1400000));
	assert_int_equal(p.rows[1].failed_fen, 0);
	assert_int_equal(p.rows[1].returned_fen, M(600000));
	assert_int_equal(p.rows[1].clawed_back_fen, M(50000));
	assert_int_equal(p.rows[1].debit_fen, M(3450000));
	assert_int_equal(p.rows[1].credit_fen, M(3450000));
	assert_int_equal(end_of(&p, 1, "fund_appropriations"), -M(5000000));
	assert_int_equal(end_of(&p, 1, "fund_available"), M(3050000));
	assert_int_equal(end_of(&p, 1, "fund_committed"), M(1200000));
	assert_int_equal(end_of(&p, 1, "fund_approved"), 0);
	assert_int_equal(end_of(&p, 1, "fund_paid"), M(750000));
	for (size_t a = 0; a < p.naccounts; a++)
		sum += p.rows[1].end_fen[a];
	assert_int_equal(sum, 0); /* debits = credits at the year's end */
	{
		struct gg_report_table t;
		struct gg_buf b;

		gg_buf_init(&b, 1 << 20);
		assert_int_equal(gg_report_position_table(&p, &t, &err), GG_OK);
		assert_int_equal(gg_report_table_csv(&t, &b, &err), GG_OK);
		assert_non_null(strstr(b.buf, "\r\n2026,0.00,0.00,1400000.00,1400000.00,0.00,600000.00,50000.00,"
		                              "3050000.00,1200000.00,0.00,750000.00,5000000.00\r\n"));
		gg_report_table_free(&t);
		gg_buf_release(&b);
	}
	gg_report_position_free(&p);

	assert_int_equal(gg_report_position_chains(db, &c, &err), GG_OK);
	assert_int_equal(c.n, 7);
	assert_string_equal(c.rows[c.n - 1].chain, "none");
	for (size_t i = 0; i < c.n; i++) {
		const struct gg_report_chain *x = &c.rows[i];

		if (strcmp(x->chain, "microelectronics") == 0) {
			assert_int_equal(x->committed_fen, M(1200000));
			assert_int_equal(x->approved_fen, 0);
			assert_int_equal(x->paid_fen, M(550000));
		} else if (strcmp(x->chain, "none") == 0) {
			assert_int_equal(x->committed_fen, 0);
			assert_int_equal(x->paid_fen, M(200000));
		} else {
			assert_int_equal(x->committed_fen + x->approved_fen + x->paid_fen, 0);
		}
	}
	assert_int_equal(c.total.committed_fen, M(1200000));
	assert_int_equal(c.total.approved_fen, 0);
	assert_int_equal(c.total.paid_fen, M(750000));
}

static void test_register(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_report_register_query q = {.from_day = -1, .to_day = -1, .limit = 2};
	struct gg_report_register g;
	struct gg_error err;
	char cursor[GG_REPORT_CURSOR_MAX];

	gg_error_init(&err);
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.rows[0].reference, "GG2025-00000001");
	assert_int_equal(g.rows[0].talent_id, 1);
	assert_string_equal(g.rows[0].talent_name, "测试甲");
	assert_int_equal(g.rows[0].org_id, 1);
	assert_string_equal(g.rows[0].org_name, "光谷测试科技");
	assert_int_equal(g.rows[0].plan_id, w.plan1);
	assert_int_equal(g.rows[0].year, 1);
	assert_string_equal(g.rows[0].due_on, "2025-03-01");
	assert_int_equal(g.rows[0].amount_fen, M(600000));
	assert_int_equal(g.rows[0].run_id, 1);
	assert_int_equal(g.rows[0].period, 2025);
	assert_string_equal(g.rows[0].bank_txn_id, "BTX1");
	assert_string_equal(g.rows[0].settled_on, "2026-03-05");
	assert_string_equal(g.rows[0].status, "paid");
	assert_string_equal(g.rows[1].status, "returned");
	assert_string_equal(g.rows[1].settled_on, "2026-03-20");
	assert_int_equal(g.paid_fen, M(600000));
	assert_int_equal(g.returned_fen, M(600000));
	assert_string_equal(g.next_cursor, "2026-03-20.2");
	snprintf(cursor, sizeof(cursor), "%s", g.next_cursor);
	gg_report_register_free(&g);

	q.cursor = cursor;
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rows[0].reference, "GG2026-00000003");
	assert_int_equal(g.rows[0].org_id, 0);
	assert_string_equal(g.next_cursor, "");
	gg_report_register_free(&g);

	/* filters; the cancelled payment never shows */
	q = (struct gg_report_register_query){.from_day = unit_day("2026-03-10"), .to_day = -1, .limit = 500};
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.rows[0].id, 2);
	gg_report_register_free(&g);
	q = (struct gg_report_register_query){.from_day = -1, .to_day = unit_day("2026-03-05"), .limit = 500};
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_OK);
	assert_int_equal(g.n, 1);
	gg_report_register_free(&g);
	q = (struct gg_report_register_query){.from_day = -1, .to_day = -1, .talent_id = 2, .limit = 500};
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rows[0].id, 3);
	gg_report_register_free(&g);
	q = (struct gg_report_register_query){.from_day = -1, .to_day = -1, .org_id = 1};
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_OK);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.paid_fen + g.returned_fen, M(1200000));
	{
		struct gg_report_table t;
		struct gg_buf b;

		gg_buf_init(&b, 1 << 20);
		assert_int_equal(gg_report_register_table(&g, &t, &err), GG_OK);
		assert_int_equal(gg_report_table_csv(&t, &b, &err), GG_OK);
		assert_non_null(strstr(b.buf, "\xEF\xBB\xBFreference,talent_id,talent,org_id,employer,plan_id,"
		                              "installment_year,due_on,amount_cny,run_id,period,bank_txn_id,settled_on,"
		                              "status\r\nGG2025-00000001,1,测试甲,1,光谷测试科技,"));
		assert_non_null(strstr(b.buf, ",2,2026-03-01,600000.00,1,2025,BTX2,2026-03-20,returned\r\n"));
		gg_report_table_free(&t);
		gg_buf_release(&b);
	}
	gg_report_register_free(&g);

	/* bad input */
	q = (struct gg_report_register_query){.from_day = -1, .to_day = -1, .limit = 501};
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "limit");
	gg_error_init(&err);
	q = (struct gg_report_register_query){.from_day = -1, .to_day = -1, .limit = 5, .cursor = "yesterday"};
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "cursor");
	gg_error_init(&err);
	q = (struct gg_report_register_query){.from_day = unit_day("2026-03-10"), .to_day = unit_day("2026-03-01")};
	assert_int_equal(gg_report_register(db, &q, &g, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "to");
}

static void test_statement(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_report_statement s;
	struct gg_error err;
	int yes = 0;

	gg_error_init(&err);
	assert_int_equal(gg_report_statement(db, 1, 0, &s, &err), GG_OK);
	assert_string_equal(s.talent_name, "测试甲");
	assert_int_equal(s.nplans, 1);
	assert_int_equal(s.plans[0].id, w.plan1);
	assert_string_equal(s.plans[0].kind, "formula");
	assert_int_equal(s.plans[0].total_fen, M(1800000));
	assert_int_equal(s.plans[0].org_id, 1);
	assert_int_equal(s.ninst, 3);
	assert_string_equal(s.inst[0].due_on, "2025-03-01");
	assert_string_equal(s.inst[0].verification, "accepted");
	assert_int_equal(s.inst[0].accepted, 1);
	assert_int_equal(s.inst[0].accepted_fen, M(600000));
	assert_int_equal(s.inst[0].committed_fen, 0);
	assert_int_equal(s.inst[0].paid_fen, M(550000));
	assert_int_equal(s.inst[1].committed_fen, M(600000));
	assert_int_equal(s.inst[1].paid_fen, 0);
	assert_string_equal(s.inst[2].verification, "");
	assert_int_equal(s.inst[2].accepted, 0);
	assert_int_equal(s.inst[2].committed_fen, M(600000));
	assert_int_equal(s.npayments, 3);
	assert_string_equal(s.payments[0].status, "paid");
	assert_string_equal(s.payments[1].status, "returned");
	assert_string_equal(s.payments[2].status, "cancelled");
	assert_int_equal(s.payments[2].installment_id, w.i3);
	/* 6 commitment lines, 2 each for two approvals, two payments, the return and the clawback */
	assert_int_equal(s.nlines, 18);
	assert_string_equal(s.lines[0].posted_on, "2025-01-15");
	assert_string_equal(s.lines[0].kind, "commitment");
	assert_string_equal(s.lines[17].posted_on, "2026-04-01");
	assert_string_equal(s.lines[17].kind, "clawback");
	for (size_t i = 1; i < s.nlines; i++)
		assert_true(strcmp(s.lines[i - 1].posted_on, s.lines[i].posted_on) <= 0);
	assert_int_equal(s.lines[5].running_paid_fen, 0);
	assert_int_equal(s.lines[13].running_paid_fen, M(1200000)); /* after both payments on 2026-03-05 */
	assert_int_equal(s.lines[15].running_paid_fen, M(600000));  /* after the return */
	assert_int_equal(s.lines[17].running_paid_fen, M(550000));  /* after the clawback */
	assert_int_equal(s.paid_fen, M(1200000));
	assert_int_equal(s.returned_fen, M(600000));
	assert_int_equal(s.clawed_back_fen, M(50000));
	assert_int_equal(s.net_paid_fen, M(550000));
	assert_int_equal(s.committed_fen, M(1200000));
	assert_int_equal(s.approved_fen, 0);
	assert_int_equal(s.debit_fen, M(4850000));
	assert_int_equal(s.debit_fen, s.credit_fen);
	{
		struct gg_report_table t;
		struct gg_buf b;

		gg_buf_init(&b, 1 << 20);
		assert_int_equal(gg_report_statement_table(&s, &t, &err), GG_OK);
		assert_int_equal(t.nrows, 19);
		assert_int_equal(gg_report_table_csv(&t, &b, &err), GG_OK);
		assert_non_null(strstr(b.buf,
		                       "\xEF\xBB\xBFposted_on,entry_id,kind,account,debit_cny,credit_cny,plan_id,"
		                       "installment_id,source,memo,running_paid_cny\r\n2025-01-15,"));
		assert_non_null(strstr(b.buf, ",clawback,fund_paid,,50000.00,"));
		assert_non_null(strstr(b.buf, "\r\ntotal,,,,4850000.00,4850000.00,,,,,550000.00\r\n"));

		/* the XLSX: a zip archive */
		{
			char dir[256], path[300], head[8] = {0};
			size_t n;

			unit_tmpdir(dir, sizeof(dir));
			snprintf(path, sizeof(path), "%s/statement.xlsx", dir);
			assert_int_equal(gg_report_table_xlsx(&t, path, &err), GG_OK);
			n = unit_read_file(path, head, sizeof(head));
			assert_true(n >= 4);
			assert_memory_equal(head, "PK\x03\x04", 4);
			unit_rmtree(dir);
		}
		gg_report_table_free(&t);
		gg_buf_release(&b);
	}
	gg_report_statement_free(&s);

	/* talent 2: the strategic tranches, no organisation */
	assert_int_equal(gg_report_statement(db, 2, 0, &s, &err), GG_OK);
	assert_int_equal(s.nplans, 1);
	assert_int_equal(s.plans[0].org_id, 0);
	assert_int_equal(s.ninst, 2);
	assert_int_equal(s.nlines, 6);
	assert_int_equal(s.net_paid_fen, M(200000));
	assert_int_equal(s.committed_fen, 0);
	gg_report_statement_free(&s);

	/* an employer's view: the plans of its organisation only */
	assert_int_equal(gg_report_statement(db, 1, 1, &s, &err), GG_OK);
	assert_int_equal(s.nplans, 1);
	assert_int_equal(s.nlines, 18);
	gg_report_statement_free(&s);
	assert_int_equal(gg_report_statement(db, 2, 1, &s, &err), GG_OK);
	assert_int_equal(s.nplans, 0);
	assert_int_equal(s.nlines, 0);
	gg_report_statement_free(&s);
	assert_int_equal(gg_report_talent_of_org(db, 1, 1, &yes, &err), GG_OK);
	assert_int_equal(yes, 1);
	assert_int_equal(gg_report_talent_of_org(db, 2, 1, &yes, &err), GG_OK);
	assert_int_equal(yes, 0);

	assert_int_equal(gg_report_statement(db, 99, 0, &s, &err), GG_E_NOT_FOUND);
	assert_string_equal(err.fields[0].field, "talent");
	balanced(db);
}

/* `guanggu ledger report KIND`: text and CSV; usage errors exit 2, a refusal 1 */
static void test_commands(void **state)
{
	char tmp[512], inst[600];
	struct run *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	setenv("GUANGGU_TEST_NOW", "2026-03-02T02:00:00Z", 1);
	unit_tmpdir(tmp, sizeof(tmp));
	snprintf(inst, sizeof(inst), "%s/inst", tmp);
	run(r, "init", "--dir", inst);
	assert_int_equal(r->status, 0);
	run(r, "ledger", "appropriate", "--amount", "1000", "--memo", "budget", "--dir", inst);
	assert_int_equal(r->status, 0);
	run(r, "ledger", "report", "position", "--format", "csv", "--dir", inst);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->out,
	                    "year,appropriated_cny,committed_net_cny,approved_cny,paid_cny,failed_cny,returned_cny,"
	                    "clawed_back_cny,end_available_cny,end_committed_cny,end_approved_cny,end_paid_cny,"
	                    "end_appropriations_cny\r\n"
	                    "2026,1000.00,0.00,0.00,0.00,0.00,0.00,0.00,1000.00,0.00,0.00,0.00,1000.00\r\n");
	run(r, "ledger", "report", "forecast", "--from", "2026", "--years", "2", "--dir", inst);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->out,
	                    "year  installments  committed_cny  uncommitted_cny  total_cny\n"
	                    "2026  0  0.00  0.00  0.00\n2027  0  0.00  0.00  0.00\ntotal  0  0.00  0.00  0.00\n");
	run(r, "ledger", "report", "position", "--by", "chain", "--dir", inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "none  无  None  0.00  0.00  0.00\n"));
	run(r, "ledger", "report", "register", "--from", "2026-01-01", "--dir", inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "reference  talent_id"));
	run(r, "ledger", "report", "forecast", "--years", "11", "--dir", inst);
	assert_int_equal(r->status, 2);
	run(r, "ledger", "report", "position", "--by", "month", "--dir", inst);
	assert_int_equal(r->status, 2);
	run(r, "ledger", "report", "register", "--from", "2026-05-01", "--to", "2026-04-01", "--dir", inst);
	assert_int_equal(r->status, 2);
	run(r, "ledger", "report", "statement", "--dir", inst);
	assert_int_equal(r->status, 2);
	run(r, "ledger", "report", "statement", "--talent", "9", "--dir", inst);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "no talent 9"));
	run(r, "ledger", "report", "nonsense", "--dir", inst);
	assert_int_equal(r->status, 2);
	unsetenv("GUANGGU_TEST_NOW");
	unit_rmtree(tmp);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_forecast, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_position, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_register, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_statement, setup, unit_recognition_teardown),
	    cmocka_unit_test(test_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
