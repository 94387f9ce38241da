/*
 * test_payrun: payment runs (domain/payrun.c, the ledger's approval and
 * settlement entries, 0012_disbursement.sql) on the recognition fixture,
 * with accepted verifications written as SQL (the verification module is
 * another slice's). The worked examples (1,200,000 / 1,000,000 /
 * 8,000,000, year 1) end as paid payments of a closed run; the proposer
 * cannot approve (code and CHECK); unverified, open and lapsed
 * installments and unconfirmed payees are skipped with why; a future
 * period and a period with nothing due are refused; proposing again
 * answers the open run; a short fund refuses approval with nothing
 * posted; a rejected run frees its installments; a result file with an
 * unknown reference, another amount, a duplicate or a bad status or date
 * applies nothing, the same file twice is "already applied"; a failed
 * payment can be paid in a new run, and the database refuses a second
 * live payment of one installment. The bank file is the same bytes on
 * every call (CSV and XLSX). 20 threads proposing or approving at once:
 * one wins. The ledger balances after every test.
 */
#include <pthread.h>

#include "unit_cli.h"
#include "unit_recognition.h"

#include "core/clock.h"
#include "domain/ledger.h"
#include "domain/payee.h"
#include "domain/payrun.h"

static const struct gg_actor finance = {8, "fiona", NULL};
static const struct gg_actor finance2 = {9, "frank", NULL};

#define PAYRUN_ROWS                                                                                    \
	"INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES" \
	" (8, 'fiona', 'Fiona', 'x', 0, 0), (9, 'frank', 'Frank', 'x', 0, 0);"                         \
	"INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at) VALUES"    \
	" (3, '测试丙', 'ce shi bing', 'ceshibing', 1, 0, 0);"

static struct gg_keys keys;

static int setup(void **state)
{
	memset(keys.data, 7, sizeof keys.data);
	memset(keys.index, 9, sizeof keys.index);
	return (*state = unit_recognition_open("2026-06-01T02:00:00Z", PAYRUN_ROWS)) ? 0 : -1;
}

static int64_t account(struct gg_db *db, const char *code)
{
	struct gg_ledger_balances b;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_ledger_balances(db, -1, &b, &err), GG_OK);
	for (size_t i = 0; i < b.naccounts; i++)
		if (strcmp(b.accounts[i].code, code) == 0)
			return b.accounts[i].balance_fen;
	fail_msg("no account %s", code);
	return 0;
}

static void fund(struct gg_db *db, int64_t fen)
{
	struct gg_error err;
	int64_t entry = 0;

	gg_error_init(&err);
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, fen, "test fund", &entry, &err), GG_OK);
}

/* Recognises talent for contract_fen from start (the plan committed when the fund covers it); the plan id. */
static int64_t plan_for(struct rfx *r, int64_t talent, int64_t contract_fen, const char *start)
{
	struct gg_error err;
	int64_t rec = 0, plan = 0;

	gg_error_init(&err);
	if (unit_recognise(r->fx->db, r->set, talent, 100 + talent, contract_fen, start, &rec, &plan, &err) != GG_OK)
		fail_msg("recognise: %s", gg_error_message(&err));
	return plan;
}

/* An accepted verification of plan's installment year at its planned amount (amount_fen < 0) or amount_fen. */
static void accepted(struct gg_db *db, int64_t plan, int year, int64_t amount_fen)
{
	char sql[600];

	snprintf(sql, sizeof sql,
	         "INSERT INTO verifications (installment_id, org_id, status, deadline_on, employed, salary_paid_fen,"
	         " tax_record_no, decided_at, decided_by, amount_fen, trace, created_at)"
	         " SELECT id, 1, 'accepted', '2027-01-01', 1, base_fen, 'T-1', 0, 7, %s,"
	         " 'year %d verified: employed, salary paid', 0 FROM installments WHERE plan_id = %lld AND year = %d",
	         amount_fen < 0 ? "amount_fen" : "?", year, (long long)plan, year);
	if (amount_fen >= 0) {
		char *q = strchr(sql, '?');
		char num[24];
		char rest[600];

		snprintf(num, sizeof num, "%lld", (long long)amount_fen);
		snprintf(rest, sizeof rest, "%s", q + 1);
		snprintf(q, sizeof sql - (size_t)(q - sql), "%s%s", num, rest);
	}
	unit_db_exec(db, sql);
}

/* A confirmed payee on plan (account 62220000 + plan). */
static void payee(struct gg_db *db, int64_t plan, int confirm)
{
	struct gg_error err;
	const struct gg_actor talent = {0, "talent", NULL};
	char account_no[32];
	int64_t id = 0;

	gg_error_init(&err);
	snprintf(account_no, sizeof account_no, "622200001234%04lld", (long long)plan);
	if (gg_payee_set(db, &keys, &unit_officer, plan, "收款人", "光谷银行", account_no, &id, &err) != GG_OK)
		fail_msg("payee: %s", gg_error_message(&err));
	if (confirm)
		assert_int_equal(gg_payee_confirm(db, &talent, plan, &err), GG_OK);
}

static int64_t today(void)
{
	struct gg_error err;
	int64_t d = 0;

	gg_error_init(&err);
	assert_int_equal(gg_clock_today(&d, &err), GG_OK);
	return d;
}

static int64_t propose(struct gg_db *db, int64_t period, int *created, enum gg_err want)
{
	struct gg_payrun_proposal p;
	struct gg_error err;
	enum gg_err rc;
	int64_t id;

	gg_error_init(&err);
	rc = gg_payrun_propose(db, &unit_officer, period, today(), &p, &err);
	if (rc != want)
		fail_msg("propose: %s", gg_error_message(&err));
	if (created)
		*created = p.created;
	id = p.run_id;
	gg_payrun_proposal_release(&p);
	return id;
}

static enum gg_err approve(struct gg_db *db, const struct gg_actor *who, int64_t run, struct gg_error *err)
{
	gg_error_init(err);
	return gg_payrun_approve(db, who, run, 0, err);
}

static enum gg_err result(struct gg_db *db, int64_t run, const char *csv, struct gg_payrun_result *res,
                          struct gg_error *err)
{
	gg_error_init(err);
	return gg_payrun_bank_result(db, &finance, run, "r.csv", csv, strlen(csv), res, err);
}

/* The worked examples: three plans, year 1 of each, paid. */
static void test_worked_examples_paid(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_payrun *run = NULL;
	struct gg_payrun_result res;
	struct gg_error err;
	struct gg_buf file;
	int64_t plans[3], id;
	int created = 0;
	char csv[1024];

	fund(db, 100000000000);
	plans[0] = plan_for(r, 1, 120000000, "2025-03-01");
	plans[1] = plan_for(r, 2, 100000000, "2025-04-01");
	plans[2] = plan_for(r, 3, 800000000, "2025-05-01");
	for (int i = 0; i < 3; i++) {
		accepted(db, plans[i], 1, -1);
		payee(db, plans[i], 1);
	}
	id = propose(db, 2026, &created, GG_OK);
	assert_true(created);
	assert_int_equal(propose(db, 2026, &created, GG_OK), id); /* the open run again */
	assert_false(created);
	gg_error_init(&err);
	assert_int_equal(gg_payrun_get(db, id, &run, &err), GG_OK);
	assert_int_equal(run->n, 3);
	assert_int_equal(run->total_fen, 60000000 + 50000000 + 400000000);
	assert_string_equal(run->payments[0].reference, "GG2026-00000001");
	assert_string_equal(run->payments[0].last4, "0001");
	assert_non_null(strstr(run->payments[0].trace, "year 1 verified"));
	assert_non_null(strstr(run->payments[0].trace, "selected for the run of 2026"));
	gg_payrun_free(run);
	unit_balanced(db, 0);

	/* the proposer cannot approve; finance can */
	{
		const struct gg_actor officer = unit_officer;

		assert_int_equal(approve(db, &officer, id, &err), GG_E_FORBIDDEN);
		assert_string_equal(err.message, "the proposer of a run cannot approve it");
	}
	assert_int_equal(approve(db, &finance, id, &err), GG_OK);
	assert_int_equal(approve(db, &finance2, id, &err), GG_E_CONFLICT);
	assert_int_equal(account(db, "fund_approved"), 510000000);
	unit_balanced(db, 0);

	/* the bank file, the same bytes twice */
	gg_buf_init(&file, 1 << 20);
	assert_int_equal(gg_payrun_bank_file(db, &keys, &finance, id, GG_PAYRUN_CSV, &file, &err), GG_OK);
	assert_string_equal(file.buf, "\xEF\xBB\xBFreference,payee_name,account_no,bank,amount\r\n"
	                              "GG2026-00000001,收款人,6222000012340001,光谷银行,600000.00\r\n"
	                              "GG2026-00000002,收款人,6222000012340002,光谷银行,500000.00\r\n"
	                              "GG2026-00000003,收款人,6222000012340003,光谷银行,4000000.00\r\n");
	{
		struct gg_buf again, x1, x2;

		gg_buf_init(&again, 1 << 20);
		gg_buf_init(&x1, 1 << 22);
		gg_buf_init(&x2, 1 << 22);
		assert_int_equal(gg_payrun_bank_file(db, &keys, &finance, id, GG_PAYRUN_CSV, &again, &err), GG_OK);
		assert_int_equal(again.len, file.len);
		assert_memory_equal(again.buf, file.buf, file.len);
		assert_int_equal(gg_payrun_bank_file(db, &keys, &finance, id, GG_PAYRUN_XLSX, &x1, &err), GG_OK);
		assert_int_equal(gg_payrun_bank_file(db, &keys, &finance, id, GG_PAYRUN_XLSX, &x2, &err), GG_OK);
		assert_true(x1.len > 100 && x1.len == x2.len);
		assert_memory_equal(x1.buf, "PK", 2);
		assert_memory_equal(x1.buf, x2.buf, x1.len);
		gg_buf_release(&again);
		gg_buf_release(&x1);
		gg_buf_release(&x2);
	}
	gg_buf_release(&file);
	assert_true(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'payrun.bank_file'") == 4);

	/* the result: all paid, the run closes; the same file again is already applied */
	snprintf(csv, sizeof csv,
	         "reference,amount,status,bank_txn_id,date,reason\r\n"
	         "GG2026-00000001,600000.00,paid,B1,2026-06-02,\r\n"
	         "GG2026-00000002,500000,paid,B2,2026-06-02,\r\n"
	         "GG2026-00000003,4000000.00,paid,B3,2026-06-02,\r\n");
	assert_int_equal(result(db, id, csv, &res, &err), GG_OK);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.paid, 3);
	assert_true(res.closed);
	gg_payrun_result_release(&res);
	assert_int_equal(result(db, id, csv, &res, &err), GG_OK);
	assert_true(res.already);
	gg_payrun_result_release(&res);
	assert_int_equal(account(db, "fund_paid"), 510000000);
	assert_int_equal(account(db, "fund_approved"), 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'paid'"), 3);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payment_runs WHERE status = 'closed'"), 1);
	/* nothing left to pay in 2026 */
	propose(db, 2026, NULL, GG_E_RULE);
	unit_balanced(db, 0);
	/* clawbacks: a reason, at most what is left, only of a paid payment; the money goes back to available */
	{
		int64_t cb = 0, before = account(db, "fund_available");

		gg_error_init(&err);
		assert_int_equal(gg_payrun_clawback(db, &finance, 1, 10000000, "", &cb, &err), GG_E_INVALID);
		gg_error_init(&err);
		assert_int_equal(gg_payrun_clawback(db, &finance, 1, 0, "x", &cb, &err), GG_E_INVALID);
		gg_error_init(&err);
		assert_int_equal(gg_payrun_clawback(db, &finance, 1, 10000000, "false tax record", &cb, &err), GG_OK);
		assert_true(cb > 0);
		gg_error_init(&err);
		assert_int_equal(gg_payrun_clawback(db, &finance, 1, 50000001, "more", &cb, &err), GG_E_RULE);
		assert_string_equal(err.fields[0].field, "amount");
		gg_error_init(&err);
		assert_int_equal(gg_payrun_clawback(db, &finance, 1, 50000000, "the rest", &cb, &err), GG_OK);
		gg_error_init(&err);
		assert_int_equal(gg_payrun_clawback(db, &finance, 99, 1, "x", &cb, &err), GG_E_NOT_FOUND);
		assert_int_equal(account(db, "fund_available"), before + 60000000);
		assert_int_equal(account(db, "fund_paid"), 450000000);
		assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM journal_entries WHERE kind = 'clawback'"), 2);
		assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'payment.clawback'"),
		                 2);
		/* clawed back: the bank can no longer return it */
		assert_int_equal(result(db, id,
		                        "reference,amount,status,bank_txn_id,date,reason\n"
		                        "GG2026-00000001,600000.00,returned,B1,2026-06-09,\n",
		                        &res, &err),
		                 GG_E_RULE);
		assert_non_null(strstr(res.errors[0].reason, "has clawbacks"));
		gg_payrun_result_release(&res);
	}
	unit_balanced(db, 0);
}

static void test_skips_and_refusals(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_payrun_proposal p;
	struct gg_error err;
	int64_t a, b, c;

	fund(db, 100000000000);
	a = plan_for(r, 1, 120000000, "2025-03-01"); /* no verification */
	b = plan_for(r, 2, 100000000, "2025-04-01"); /* lapsed */
	c = plan_for(r, 3, 100000000, "2025-05-01"); /* payee not confirmed */
	payee(db, a, 1);
	payee(db, b, 1);
	payee(db, c, 0);
	unit_db_exec(db, "UPDATE installments SET status = 'lapsed', amount_fen = 0 WHERE plan_id = 2 AND year = 1");
	accepted(db, b, 1, 0);
	accepted(db, c, 1, -1);
	gg_error_init(&err);
	assert_int_equal(gg_payrun_propose(db, &unit_officer, 2026, today(), &p, &err), GG_E_RULE);
	assert_non_null(strstr(err.message, "nothing is due for payment in 2026"));
	assert_int_equal(p.nskipped, 3);
	assert_string_equal(p.skipped[0].why, "no verification yet");
	assert_string_equal(p.skipped[1].why, "the installment is lapsed");
	assert_string_equal(p.skipped[2].why, "the payee account is not confirmed by the talent");
	assert_int_equal(err.nfields, 3);
	gg_payrun_proposal_release(&p);
	/* a future year, a year out of range */
	gg_error_init(&err);
	assert_int_equal(gg_payrun_propose(db, &unit_officer, 2027, today(), &p, &err), GG_E_RULE);
	assert_string_equal(err.fields[0].field, "period");
	gg_payrun_proposal_release(&p);
	gg_error_init(&err);
	assert_int_equal(gg_payrun_propose(db, &unit_officer, 1999, today(), &p, &err), GG_E_INVALID);
	gg_payrun_proposal_release(&p);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payment_runs"), 0);
	/* confirmed now: one payment, and the unconfirmed one's year 2 is not due yet */
	{
		const struct gg_actor t = {0, "t", NULL};

		assert_int_equal(gg_payee_confirm(db, &t, c, &err), GG_OK);
	}
	assert_true(propose(db, 2026, NULL, GG_OK) > 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments"), 1);
	unit_balanced(db, 0);
}

static void test_short_fund_reject_and_failed(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_payrun_result res;
	struct gg_error err;
	int64_t plan, run, run2, run3;

	/* recorded while the fund is empty: the plan is not committed */
	plan = plan_for(r, 1, 120000000, "2025-03-01");
	accepted(db, plan, 1, -1);
	payee(db, plan, 1);
	fund(db, 10000000); /* 100,000.00 */
	run = propose(db, 2026, NULL, GG_OK);
	assert_int_equal(approve(db, &finance, run, &err), GG_E_RULE);
	assert_non_null(strstr(err.message, "short by 500,000.00"));
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM journal_entries WHERE kind = 'approval'"), 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'approved'"), 0);
	/* reject: reason required, the proposer may not, finance may */
	gg_error_init(&err);
	assert_int_equal(gg_payrun_reject(db, &finance, run, "", 0, &err), GG_E_INVALID);
	gg_error_init(&err);
	assert_int_equal(gg_payrun_reject(db, &unit_officer, run, "no", 0, &err), GG_E_FORBIDDEN);
	gg_error_init(&err);
	assert_int_equal(gg_payrun_reject(db, &finance, run, "fund short", 0, &err), GG_OK);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'cancelled'"), 1);
	/* the installment is free again; the fund is topped up */
	fund(db, 100000000000);
	run2 = propose(db, 2026, NULL, GG_OK);
	assert_true(run2 != run);
	assert_int_equal(approve(db, &finance, run2, &err), GG_OK);
	assert_int_equal(account(db, "fund_approved"), 60000000);
	unit_balanced(db, 0);
	/* bad files apply nothing */
	{
		static const char *const bad[] = {
		    "reference,amount,status,bank_txn_id,date,reason\nGG2026-99999999,600000.00,paid,B1,2026-06-02,\n",
		    "reference,amount,status,bank_txn_id,date,reason\nGG2026-00000002,600000.01,paid,B1,2026-06-02,\n",
		    "reference,amount,status,bank_txn_id,date,reason\nGG2026-00000002,-600000.00,paid,B1,2026-06-02,\n",
		    "reference,amount,status,bank_txn_id,date,reason\nGG2026-00000002,600000.001,paid,B1,2026-06-02,\n",
		    "reference,amount,status,bank_txn_id,date,reason\nGG2026-00000002,600000.00,done,B1,2026-06-02,\n",
		    "reference,amount,status,bank_txn_id,date,reason\nGG2026-00000002,600000.00,paid,B1,2026-13-02,\n",
		    "reference,amount,status,bank_txn_id,date,reason\nGG2026-00000002,600000.00,paid,B1,2026-06-02,\n"
		    "GG2026-00000002,600000.00,paid,B1,2026-06-02,\n",
		    "reference,amount,status\nGG2026-00000002,600000.00,paid\n",
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			enum gg_err rc = result(db, run2, bad[i], &res, &err);

			if (rc != GG_E_RULE && rc != GG_E_INVALID)
				fail_msg("bad file %zu: %s", i, gg_error_message(&err));
			if (i < 7)
				assert_true(res.nerrors >= 1);
			gg_payrun_result_release(&res);
		}
	}
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'approved'"), 1);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM bank_results"), 0);
	{
		int64_t cb = 0;

		gg_error_init(&err);
		assert_int_equal(gg_payrun_clawback(db, &finance, 2, 1, "not paid", &cb, &err), GG_E_CONFLICT);
	}
	/* failed: the commitment comes back; a new run pays it */
	assert_int_equal(result(db, run2,
	                        "reference,amount,status,bank_txn_id,date,reason\n"
	                        "GG2026-00000002,600000.00,failed,,2026-06-02,account closed\n",
	                        &res, &err),
	                 GG_OK);
	assert_true(res.closed);
	gg_payrun_result_release(&res);
	assert_int_equal(account(db, "fund_approved"), 0);
	assert_int_equal(account(db, "fund_committed"), 60000000); /* what the failure gave back */
	run3 = propose(db, 2026, NULL, GG_OK);
	assert_true(run3 != run2);
	assert_int_equal(approve(db, &finance2, run3, &err), GG_OK);
	assert_int_equal(result(db, run3,
	                        "reference,amount,status,bank_txn_id,date,reason\n"
	                        "GG2026-00000003,600000.00,paid,B9,2026-06-03,\n",
	                        &res, &err),
	                 GG_OK);
	gg_payrun_result_release(&res);
	assert_int_equal(account(db, "fund_paid"), 60000000);
	assert_int_equal(account(db, "fund_committed"), 0);
	/* returned after paid (the closed run takes it): committed again, and a new run pays it once more */
	assert_int_equal(result(db, run3,
	                        "reference,amount,status,bank_txn_id,date,reason\n"
	                        "GG2026-00000003,600000.00,returned,B9,2026-06-04,name mismatch\n",
	                        &res, &err),
	                 GG_OK);
	gg_payrun_result_release(&res);
	assert_int_equal(account(db, "fund_paid"), 0);
	assert_int_equal(account(db, "fund_committed"), 60000000);
	{
		int64_t run4 = propose(db, 2026, NULL, GG_OK);

		assert_int_equal(approve(db, &finance, run4, &err), GG_OK);
		assert_int_equal(account(db, "fund_committed"), 0);
		assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE installment_id ="
		                                 " (SELECT installment_id FROM payments WHERE id = 1)"),
		                 4);
	}
	unit_balanced(db, 0);
}

/* A run of n payments (talents 10..10+n-1, one plan each, year 1 verified, payee confirmed), approved: its id. */
static int64_t approved_run(struct rfx *r, int n)
{
	struct gg_db *db = r->fx->db;
	struct gg_error err;
	char sql[256];
	int64_t run;

	fund(db, 100000000000);
	for (int i = 0; i < n; i++) {
		int64_t plan;

		snprintf(sql, sizeof sql,
		         "INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at) VALUES"
		         " (%d, '批量%d', 'pi liang', 'piliang%d', 1, 0, 0)",
		         10 + i, i, i);
		unit_db_exec(db, sql);
		plan = plan_for(r, 10 + i, 120000000, "2025-03-01");
		accepted(db, plan, 1, -1);
		payee(db, plan, 1);
	}
	run = propose(db, 2026, NULL, GG_OK);
	assert_int_equal(approve(db, &finance, run, &err), GG_OK);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'approved'"), n);
	return run;
}

#define MIX_N 24

/* The payments of run in id order: references and amounts as the bank writes them. */
static void run_payments(struct gg_db *db, int64_t run, int64_t id[MIX_N], char ref[MIX_N][32], char amount[MIX_N][24])
{
	struct gg_stmt *st = NULL;
	struct gg_error err;
	int row = 0;
	size_t n = 0;

	gg_error_init(&err);
	assert_int_equal(
	    gg_db_prepare(db, "SELECT id, reference, amount_fen FROM payments WHERE run_id = ? ORDER BY id", &st, &err),
	    GG_OK);
	assert_int_equal(gg_db_bind_i64(st, 1, run), GG_OK);
	while (gg_db_step(st, &row, &err) == GG_OK && row) {
		assert_true(n < MIX_N);
		id[n] = gg_db_col_i64(st, 0);
		snprintf(ref[n], 32, "%s", gg_db_col_text(st, 1));
		snprintf(amount[n], 24, "%lld.%02lld", (long long)(gg_db_col_i64(st, 2) / 100),
		         (long long)(gg_db_col_i64(st, 2) % 100));
		n++;
	}
	gg_db_done(st);
	assert_int_equal(n, MIX_N);
}

/* The row of the mixed file for payment i: i % 4 = 0 returned after paid, 1 paid, 2 failed, 3 returned before paid. */
static const char *mix_status(int i)
{
	static const char *const s[] = {"returned", "paid", "failed", "returned"};

	return s[i % 4];
}

/* The old path, one row at a time: the settlement entry, then the payment (as apply_row did before batches). */
static void settle_row_by_row(struct gg_db *db, int64_t payment, const char *status, int was_paid, const char *txn,
                              const char *day, const char *reason)
{
	struct gg_stmt *st = NULL;
	struct gg_error err;
	const char *kind = strcmp(status, "paid") == 0                  ? "payment"
	                   : strcmp(status, "failed") == 0 || !was_paid ? "payment_failed"
	                                                                : "payment_returned";
	int64_t entry = 0;
	int row = 0;

	gg_error_init(&err);
	if (gg_ledger_settle_batch_tx(db, &finance, payment, kind, &entry, &err) != GG_OK)
		fail_msg("settle: %s", gg_error_message(&err));
	assert_int_equal(gg_db_prepare(db,
	                               "UPDATE payments SET status = ?, bank_txn_id = NULLIF(?, ''), settled_on = ?,"
	                               " reason = NULLIF(?, ''), updated_at = ? WHERE id = ?",
	                               &st, &err),
	                 GG_OK);
	assert_int_equal(gg_db_bind_text(st, 1, status), GG_OK);
	assert_int_equal(gg_db_bind_text(st, 2, txn), GG_OK);
	assert_int_equal(gg_db_bind_text(st, 3, day), GG_OK);
	assert_int_equal(gg_db_bind_text(st, 4, reason), GG_OK);
	assert_int_equal(gg_db_bind_i64(st, 5, gg_clock_now()), GG_OK);
	assert_int_equal(gg_db_bind_i64(st, 6, payment), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	gg_db_done(st);
}

/* Everything a settlement writes, as text: entries, lines, payments. */
static void ledger_text(struct gg_db *db, char *out, size_t outsz)
{
	static const char *const q[] = {
	    "SELECT group_concat(x, ';') FROM (SELECT id || '|' || posted_on || '|' || kind || '|' || memo || '|' ||"
	    " source_type || '|' || source_id || '|' || total_fen || '|' || created_at || '|' || created_by AS x"
	    " FROM journal_entries ORDER BY id)",
	    "SELECT group_concat(x, ';') FROM (SELECT id || '|' || entry_id || '|' || account || '|' || debit_fen ||"
	    " '|' || credit_fen || '|' || talent_id || '|' || plan_id || '|' || installment_id AS x"
	    " FROM journal_lines ORDER BY id)",
	    "SELECT group_concat(x, ';') FROM (SELECT id || '|' || status || '|' || COALESCE(bank_txn_id, '-') || '|' "
	    "||"
	    " COALESCE(settled_on, '-') || '|' || COALESCE(reason, '-') || '|' || updated_at AS x FROM payments"
	    " ORDER BY id)"};
	size_t used = 0;

	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		unit_db_text(db, q[i], out + used, outsz - used);
		used += strlen(out + used);
		assert_true(used + 2 < outsz);
		out[used++] = '\n';
		out[used] = '\0';
	}
}

/*
 * A file mixing paid, failed, returned before and after paid over many
 * payments, in an order other than the payments': exactly the entries
 * (ids, lines, memos), statuses and balances the row-by-row path gives on
 * a copy of the same database; one payrun.bank_result audit row naming the
 * batch, a payment.settle row per return after paid.
 */
static void test_mixed_file_as_row_by_row(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db, *copy = NULL;
	struct gg_payrun_result res;
	struct gg_error err;
	int64_t run, id[MIX_N], committed, last_before;
	char ref[MIX_N][32], amount[MIX_N][24], dir[256], path[300], line[160];
	char *csv = calloc(1, 16384), *a = calloc(1, 65536), *b = calloc(1, 65536);
	size_t len = 0;

	assert_non_null(csv);
	assert_non_null(a);
	assert_non_null(b);
	run = approved_run(r, MIX_N);
	run_payments(db, run, id, ref, amount);
	/* first, every fourth paid */
	len = (size_t)snprintf(csv, 16384, "reference,amount,status,bank_txn_id,date,reason\n");
	for (int i = 0; i < MIX_N; i += 4)
		len += (size_t)snprintf(csv + len, 16384 - len, "%s,%s,paid,P%d,2026-06-02,\n", ref[i], amount[i], i);
	assert_int_equal(result(db, run, csv, &res, &err), GG_OK);
	assert_int_equal(res.paid, MIX_N / 4);
	assert_false(res.closed);
	gg_payrun_result_release(&res);

	committed = account(db, "fund_committed"); /* the later years' */
	last_before = unit_db_i64(db, "SELECT MAX(id) FROM journal_entries");
	/* a copy of the database for the row-by-row path */
	unit_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/copy.db", dir);
	gg_error_init(&err);
	assert_int_equal(gg_db_backup(db, path, &err), GG_OK);
	{
		struct gg_db_options opt = {.busy_timeout_ms = 1000};

		assert_int_equal(gg_db_open(path, &opt, &copy, &err), GG_OK);
	}

	/* the mixed file, last payment first */
	len = (size_t)snprintf(csv, 16384, "reference,amount,status,bank_txn_id,date,reason\n");
	for (int i = MIX_N - 1; i >= 0; i--) {
		snprintf(line, sizeof line, "%s,%s,%s,%s,2026-06-%02d,%s\n", ref[i], amount[i], mix_status(i),
		         i % 4 == 1   ? "T"
		         : i % 4 == 0 ? "P"
		                      : "",
		         3 + i % 5, i % 4 == 1 ? "" : "bank says no");
		len += (size_t)snprintf(csv + len, 16384 - len, "%s", line);
	}
	assert_int_equal(result(db, run, csv, &res, &err), GG_OK);
	assert_int_equal(res.rows, MIX_N);
	assert_int_equal(res.paid, MIX_N / 4);
	assert_int_equal(res.failed, MIX_N / 4);
	assert_int_equal(res.returned, MIX_N / 2);
	assert_true(res.closed);
	gg_payrun_result_release(&res);

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(copy, GG_DB_WRITE, &err), GG_OK);
	for (int i = MIX_N - 1; i >= 0; i--) {
		char day[11];

		snprintf(day, sizeof day, "2026-06-%02d", 3 + i % 5);
		settle_row_by_row(copy, id[i], mix_status(i), i % 4 == 0,
		                  i % 4 == 1   ? "T"
		                  : i % 4 == 0 ? "P"
		                               : "",
		                  day, i % 4 == 1 ? "" : "bank says no");
	}
	unit_db_exec(copy, "UPDATE payment_runs SET status = 'closed', version = version + 1");
	assert_int_equal(gg_db_commit(copy, &err), GG_OK);

	ledger_text(db, a, 65536);
	ledger_text(copy, b, 65536);
	assert_string_equal(a, b);
	for (size_t i = 0; i < GG_LEDGER_ACCOUNTS; i++) {
		struct gg_ledger_balances x, y;

		assert_int_equal(gg_ledger_balances(db, -1, &x, &err), GG_OK);
		assert_int_equal(gg_ledger_balances(copy, -1, &y, &err), GG_OK);
		assert_int_equal(x.naccounts, y.naccounts);
		if (i < x.naccounts) {
			assert_string_equal(x.accounts[i].code, y.accounts[i].code);
			assert_int_equal(x.accounts[i].balance_fen, y.accounts[i].balance_fen);
		}
	}
	assert_int_equal(account(db, "fund_paid"), 60000000LL * (MIX_N / 4));
	assert_int_equal(account(db, "fund_approved"), 0);
	assert_int_equal(account(db, "fund_committed"), committed + 60000000LL * (MIX_N - MIX_N / 4));
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'paid'"), MIX_N / 4);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'failed'"), MIX_N / 4);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'returned'"), MIX_N / 2);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM journal_entries WHERE kind = 'payment_returned'"),
	                 MIX_N / 4);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM journal_entries WHERE kind = 'payment_failed'"),
	                 MIX_N / 2);
	unit_balanced(db, 0);
	unit_balanced(copy, 0);

	/* the audit: one row per file, a payment.settle row per return after paid, no ledger.post rows */
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'payrun.bank_result'"), 2);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'payment.settle'"), MIX_N / 4);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'ledger.post' AND entity_id >"
	                                 " (SELECT MIN(id) FROM journal_entries WHERE kind = 'payment')"),
	                 0);
	{
		static const char *const field[] = {"rows", "paid", "failed", "returned", "total", "entries", "status"};
		char want[7][48], got[80], sql[400];
		int64_t first = last_before + 1;

		snprintf(want[0], 48, "%d", MIX_N);
		snprintf(want[1], 48, "%d", MIX_N / 4);
		snprintf(want[2], 48, "%d", MIX_N / 4);
		snprintf(want[3], 48, "%d", MIX_N / 2);
		snprintf(want[4], 48, "%d.00", 600000 * MIX_N);
		snprintf(want[5], 48, "%lld-%lld", (long long)first, (long long)(first + MIX_N - 1));
		snprintf(want[6], 48, "closed");
		assert_int_equal(unit_db_i64(db, "SELECT MAX(id) FROM journal_entries"), first + MIX_N - 1);
		for (size_t i = 0; i < 7; i++) {
			snprintf(sql, sizeof sql,
			         "SELECT json_extract(j.value, '$.new') FROM audit_log, json_each(audit_log.changes) j"
			         " WHERE action = 'payrun.bank_result' AND json_extract(j.value, '$.field') = '%s'"
			         " ORDER BY audit_log.id DESC LIMIT 1",
			         field[i]);
			unit_db_text(db, sql, got, sizeof got);
			assert_string_equal(got, want[i]);
		}
		unit_db_text(db,
		             "SELECT json_extract(j.value, '$.new') FROM audit_log, json_each(audit_log.changes) j"
		             " WHERE action = 'payrun.bank_result' AND json_extract(j.value, '$.field') = 'file'"
		             " ORDER BY audit_log.id DESC LIMIT 1",
		             got, sizeof got);
		assert_int_equal(strlen(got), 64);
		assert_int_equal(unit_db_i64(db,
		                             "SELECT count(*) FROM audit_log WHERE action = 'payrun.bank_result' AND"
		                             " entity = 'payment_run' AND actor_id = 8"),
		                 2);
	}
	/* the same file again: already applied, nothing more */
	assert_int_equal(result(db, run, csv, &res, &err), GG_OK);
	assert_true(res.already);
	gg_payrun_result_release(&res);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'payrun.bank_result'"), 2);
	gg_db_close(copy);
	unit_rmtree(dir);
	free(csv);
	free(a);
	free(b);
}

/* Bad rows of every kind, the database's checks and the file's interleaved: each listed once, in line order. */
static void test_bad_rows_in_line_order(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_payrun_result res;
	struct gg_error err;
	int64_t run, id[MIX_N];
	char ref[MIX_N][32], amount[MIX_N][24], csv[2048];
	static const char *const want[] = {
	    "unknown reference",  "is not a day",    "is on line 3 already", "differs from",
	    "6 columns expected", "negative amount", "cannot become",        "is not paid, failed or returned",
	    "bank_txn_id"};

	run = approved_run(r, MIX_N);
	run_payments(db, run, id, ref, amount);
	unit_db_exec(db, "UPDATE payments SET status = 'failed' WHERE id = (SELECT MAX(id) FROM payments)");
	snprintf(csv, sizeof csv,
	         "reference,amount,status,bank_txn_id,date,reason\n"
	         "GG2026-99999999,1.00,paid,B,2026-13-01,\n" /* 2: unknown first, though the date is bad too */
	         "%s,%s,paid,B,2026-02-30,\n"                /* 3: bad date */
	         "%s,%s,paid,B,2026-06-02,\n"                /* 4: twice */
	         "%s,1.00,paid,B,2026-06-02,\n"              /* 5: another amount */
	         "%s,%s,paid\n"                              /* 6: columns */
	         "%s,-1.00,paid,B,2026-06-02,\n"             /* 7: negative */
	         "%s,%s,paid,B,2026-06-02,\n"                /* 8: failed already */
	         "%s,%s,done,B,2026-06-02,\n"                /* 9: status */
	         "%s,%s,paid,,2026-06-02,\n"                 /* 10: no bank_txn_id */
	         "%s,%s,paid,B,2026-06-02,\n",               /* 11: good */
	         ref[0], amount[0], ref[0], amount[0], ref[1], ref[2], amount[2], ref[3], ref[MIX_N - 1],
	         amount[MIX_N - 1], ref[4], amount[4], ref[5], amount[5], ref[6], amount[6]);
	assert_int_equal(result(db, run, csv, &res, &err), GG_E_RULE);
	assert_int_equal(res.nerrors, 9);
	for (size_t i = 0; i < res.nerrors; i++) {
		assert_int_equal(res.errors[i].line, i + 2);
		if (strstr(res.errors[i].reason, want[i]) == NULL)
			fail_msg("line %zu: '%s' lacks '%s'", i + 2, res.errors[i].reason, want[i]);
	}
	assert_string_equal(res.errors[0].reference, "GG2026-99999999");
	gg_payrun_result_release(&res);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments WHERE status = 'paid'"), 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM bank_results"), 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM journal_entries WHERE kind LIKE 'payment%'"), 0);
	unit_balanced(db, 0);
}

/* The database itself: one live payment per installment, never the proposer as decider. */
static void test_database_guards(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_error err;
	int64_t plan, run;

	fund(db, 100000000000);
	plan = plan_for(r, 1, 120000000, "2025-03-01");
	accepted(db, plan, 1, -1);
	payee(db, plan, 1);
	run = propose(db, 2026, NULL, GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_db_exec(db,
	                            "INSERT INTO payments (run_id, installment_id, plan_id, talent_id, amount_fen,"
	                            " reference, payee_id, payee_name, bank, account_sealed, account_last4, trace,"
	                            " created_at, updated_at) SELECT run_id, installment_id, plan_id, talent_id,"
	                            " amount_fen, 'X-1', payee_id, payee_name, bank, account_sealed, account_last4,"
	                            " trace, 0, 0 FROM payments WHERE id = 1",
	                            &err),
	                 GG_E_DUPLICATE);
	gg_error_init(&err);
	assert_int_not_equal(gg_db_exec(db,
	                                "UPDATE payment_runs SET status = 'approved', decided_by = proposed_by,"
	                                " decided_at = 0",
	                                &err),
	                     GG_OK);
	gg_error_init(&err);
	assert_int_not_equal(gg_db_exec(db, "UPDATE payments SET amount_fen = 1", &err), GG_OK);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments"), 1);
	(void)run;
	unit_balanced(db, 0);
}

/* Concurrency: each thread its own connection. */
struct job {
	const char *path;
	const struct gg_actor *actor;
	int64_t run;
	int64_t period;
	enum gg_err rc;
	int64_t got;
	int created;
};

static struct gg_db *connect(const char *path)
{
	struct gg_db_options opt = {.busy_timeout_ms = 30000};
	struct gg_db *db = NULL;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_db_open(path, &opt, &db, &err) != GG_OK)
		return NULL;
	return db;
}

static void *propose_thread(void *arg)
{
	struct job *j = arg;
	struct gg_db *db = connect(j->path);
	struct gg_payrun_proposal p;
	struct gg_error err;
	int64_t d = 0;

	gg_error_init(&err);
	j->rc = GG_E_INTERNAL;
	if (db && gg_clock_today(&d, &err) == GG_OK) {
		j->rc = gg_payrun_propose(db, j->actor, j->period, d, &p, &err);
		j->got = p.run_id;
		j->created = p.created;
		gg_payrun_proposal_release(&p);
	}
	gg_db_close(db);
	return NULL;
}

static void *approve_thread(void *arg)
{
	struct job *j = arg;
	struct gg_db *db = connect(j->path);
	struct gg_error err;

	gg_error_init(&err);
	j->rc = db ? gg_payrun_approve(db, j->actor, j->run, 0, &err) : GG_E_INTERNAL;
	gg_db_close(db);
	return NULL;
}

static void test_concurrent(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	pthread_t t[20];
	struct job jobs[20];
	char path[300];
	int64_t plan, run;
	int ok = 0, created = 0, conflict = 0;

	snprintf(path, sizeof path, "%s/g.db", r->fx->tmp);
	fund(db, 100000000000);
	plan = plan_for(r, 1, 120000000, "2025-03-01");
	accepted(db, plan, 1, -1);
	payee(db, plan, 1);
	for (int i = 0; i < 20; i++) {
		jobs[i] = (struct job){.path = path, .actor = &unit_officer, .period = 2026};
		assert_int_equal(pthread_create(&t[i], NULL, propose_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < 20; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(jobs[i].rc, GG_OK);
		assert_int_equal(jobs[i].got, jobs[0].got);
		created += jobs[i].created;
	}
	assert_int_equal(created, 1);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payment_runs"), 1);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payments"), 1);
	run = jobs[0].got;
	for (int i = 0; i < 20; i++) {
		jobs[i] = (struct job){.path = path, .actor = i % 2 ? &finance : &finance2, .run = run};
		assert_int_equal(pthread_create(&t[i], NULL, approve_thread, &jobs[i]), 0);
	}
	for (int i = 0; i < 20; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 20; i++) {
		if (jobs[i].rc != GG_OK && jobs[i].rc != GG_E_CONFLICT)
			fail_msg("approval %d: %s", i, gg_err_code(jobs[i].rc));
		ok += jobs[i].rc == GG_OK;
		conflict += jobs[i].rc == GG_E_CONFLICT;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(conflict, 19);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM journal_entries WHERE kind = 'approval'"), 1);
	unit_balanced(db, 0);
}

/* The commands: subsidy run, approve (four eyes, permissions), reject's usage, bank-file, bank-result. */
static void test_commands(void **state)
{
	struct rfx *r = *state;
	struct run *out = calloc(1, sizeof(*out));
	struct gg_db_options opt = {.busy_timeout_ms = 5000};
	struct gg_db *db = NULL;
	struct gg_error err;
	char inst[600], dbpath[700], result_path[700];
	int64_t rec = 0, plan = 0, entry = 0;

	assert_non_null(out);
	snprintf(inst, sizeof inst, "%s/inst", r->fx->tmp);
	snprintf(dbpath, sizeof dbpath, "%s/guanggu.db", inst);
	snprintf(result_path, sizeof result_path, "%s/result.csv", r->fx->tmp);
	run(out, "init", "--dir", inst);
	assert_int_equal(out->status, 0);
	run(out, "user", "add", "offi", "--role", "bureau_officer", "--dir", inst);
	assert_int_equal(out->status, 0);
	run(out, "user", "add", "fina", "--role", "finance", "--dir", inst);
	assert_int_equal(out->status, 0);
	gg_error_init(&err);
	assert_int_equal(gg_crypto_keys_load(inst, &keys, &err), GG_OK);
	assert_int_equal(gg_db_open(dbpath, &opt, &db, &err), GG_OK);
	unit_db_exec(db, UNIT_RECOGNITION_ROWS);
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 100000000000, "fund", &entry, &err), GG_OK);
	assert_int_equal(unit_recognise(db, r->set, 1, 1, 120000000, "2025-03-01", &rec, &plan, &err), GG_OK);
	accepted(db, plan, 1, -1);
	payee(db, plan, 1);
	gg_db_close(db);

	run(out, "subsidy", "run", "--period", "2099", "--as", "offi", "--dir", inst);
	assert_int_equal(out->status, 1);
	assert_non_null(strstr(out->err, "period 2099 is in the future"));
	run(out, "subsidy", "run", "--period", "2026", "--as", "fina", "--dir", inst);
	assert_int_equal(out->status, 1);
	assert_non_null(strstr(out->err, "lacks permission 'payments_propose'"));
	run(out, "subsidy", "run", "--period", "2026", "--dir", inst);
	assert_int_equal(out->status, 2);
	run(out, "subsidy", "run", "--period", "2026", "--as", "offi", "--dir", inst);
	assert_int_equal(out->status, 0);
	assert_string_equal(out->out,
	                    "{\"id\":1,\"period\":2026,\"status\":\"proposed\",\"created\":true,\"payments\":1,"
	                    "\"total_fen\":60000000,\"skipped\":0}\n");
	run(out, "subsidy", "approve", "1", "--as", "offi", "--dir", inst);
	assert_int_equal(out->status, 1);
	run(out, "subsidy", "reject", "1", "--as", "fina", "--dir", inst);
	assert_int_equal(out->status, 2);
	run(out, "subsidy", "bank-file", "1", "--dir", inst);
	assert_int_equal(out->status, 1);
	assert_non_null(strstr(out->err, "is proposed"));
	run(out, "subsidy", "approve", "1", "--as", "fina", "--dir", inst);
	assert_int_equal(out->status, 0);
	assert_non_null(strstr(out->out, "\"status\":\"approved\""));
	run(out, "subsidy", "bank-file", "1", "--dir", inst);
	assert_int_equal(out->status, 0);
	assert_string_equal(out->out, "\xEF\xBB\xBFreference,payee_name,account_no,bank,amount\r\n"
	                              "GG2026-00000001,收款人,6222000012340001,光谷银行,600000.00\r\n");
	unit_write_file(result_path, "reference,amount,status,bank_txn_id,date,reason\n"
	                             "GG2026-00000001,600000.00,paid,B1,2026-06-02,\n");
	run(out, "subsidy", "bank-result", "1", result_path, "--as", "fina", "--dir", inst);
	assert_int_equal(out->status, 0);
	assert_string_equal(out->out, "applied 1 rows to run 1: 1 paid, 0 failed, 0 returned; the run is closed\n");
	run(out, "subsidy", "bank-result", "1", result_path, "--as", "fina", "--dir", inst);
	assert_int_equal(out->status, 0);
	assert_non_null(strstr(out->out, "already applied"));
	run(out, "ledger", "balance", "--dir", inst);
	assert_int_equal(out->status, 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_worked_examples_paid, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_skips_and_refusals, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_short_fund_reject_and_failed, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_mixed_file_as_row_by_row, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_rows_in_line_order, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_database_guards, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_commands, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
