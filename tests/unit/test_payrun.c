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

static void balanced(struct gg_db *db)
{
	struct gg_ledger_balances b;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_ledger_balances(db, -1, &b, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(b.unbalanced, 0);
	assert_int_equal(b.total_debit_fen, b.total_credit_fen);
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
	balanced(db);

	/* the proposer cannot approve; finance can */
	{
		const struct gg_actor officer = unit_officer;

		assert_int_equal(approve(db, &officer, id, &err), GG_E_FORBIDDEN);
		assert_string_equal(err.message, "the proposer of a run cannot approve it");
	}
	assert_int_equal(approve(db, &finance, id, &err), GG_OK);
	assert_int_equal(approve(db, &finance2, id, &err), GG_E_CONFLICT);
	assert_int_equal(account(db, "fund_approved"), 510000000);
	balanced(db);

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
	balanced(db);
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
	balanced(db);
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
	balanced(db);
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
	balanced(db);
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
	balanced(db);
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
	balanced(db);
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
	balanced(db);
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
	    cmocka_unit_test_setup_teardown(test_database_guards, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_commands, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
