/*
 * test_ledger: the special fund's double-entry ledger (domain/ledger.c,
 * 0011_ledger.sql) on the recognition fixture. A balanced entry posts
 * with its audit row; unbalanced, one-line, zero, negative, two-sided,
 * unknown-account and unknown-kind entries are refused with nothing
 * written; the database itself refuses an unbalanced entry, a line added
 * to a posted entry, lines left without their entry, and any update or
 * delete. A plan recorded while the fund cannot cover it stands,
 * uncommitted; commit-existing states the shortfall, then commits it
 * once, and never twice, and never an installment that got its own
 * commitment or an approval meanwhile; a plan recorded when the fund covers it is
 * committed in the recognition's transaction; a replaced plan's
 * commitment is released. Balances on a date count only entries posted
 * by then. After every step the ledger balances (debits = credits). The
 * commands: `guanggu ledger appropriate`, `balance --format json` (the
 * exact JSON), `balance --on` with a bad date (exit 2), `commit-existing`.
 */
#include "unit_cli.h"
#include "unit_recognition.h"

#include "domain/ledger.h"

static int setup(void **state)
{
	return (*state = unit_recognition_open("2026-03-02T02:00:00Z", NULL)) ? 0 : -1;
}

/* The balances now; fails the test unless every entry balances and debits equal credits. */
static struct gg_ledger_balances balanced(struct gg_db *db, int64_t on_day)
{
	struct gg_ledger_balances b;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_ledger_balances(db, on_day, &b, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(b.naccounts, GG_LEDGER_ACCOUNTS);
	assert_int_equal(b.unbalanced, 0);
	assert_int_equal(b.total_debit_fen, b.total_credit_fen);
	return b;
}

static int64_t balance_of(const struct gg_ledger_balances *b, const char *code)
{
	for (size_t i = 0; i < b->naccounts; i++)
		if (strcmp(b->accounts[i].code, code) == 0)
			return b->accounts[i].balance_fen;
	fail_msg("no account %s", code);
	return 0;
}

/* Posts lines (n of them) as an entry of kind in its own write transaction; what posting answers. */
static enum gg_err post(struct gg_db *db, const char *kind, const struct gg_ledger_line *lines, size_t n,
                        struct gg_error *err)
{
	const struct gg_ledger_entry e = {.kind = kind, .posted_on = -1, .memo = "test", .lines = lines, .nlines = n};
	int64_t id = 0;
	enum gg_err rc;

	gg_error_init(err);
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, err), GG_OK);
	rc = gg_ledger_post_tx(db, &unit_officer, &e, &id, err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	return rc;
}

static void test_post(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_ledger_balances b;
	struct gg_error err;
	int64_t entry = 0;

	gg_error_init(&err);
	b = balanced(db, -1);
	assert_int_equal(b.total_debit_fen, 0);
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 100000, "budget 2026", &entry, &err), GG_OK);
	assert_true(entry > 0);
	b = balanced(db, -1);
	assert_int_equal(balance_of(&b, "fund_available"), 100000);
	assert_int_equal(balance_of(&b, "fund_appropriations"), -100000);
	assert_int_equal(b.entries, 1);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.post'"
	                                 " AND entity = 'journal_entry' AND actor = 'olga'"),
	                 1);

	{
		const struct gg_ledger_line unbal[] = {{.account = "fund_committed", .debit_fen = 100},
		                                       {.account = "fund_available", .credit_fen = 99}};
		const struct gg_ledger_line zero[] = {{.account = "fund_committed", .debit_fen = 0},
		                                      {.account = "fund_available", .credit_fen = 0}};
		const struct gg_ledger_line neg[] = {{.account = "fund_committed", .debit_fen = -5, .credit_fen = 5},
		                                     {.account = "fund_available", .credit_fen = 5}};
		const struct gg_ledger_line both[] = {{.account = "fund_committed", .debit_fen = 5, .credit_fen = 5},
		                                      {.account = "fund_available", .debit_fen = 5, .credit_fen = 5}};
		const struct gg_ledger_line unknown[] = {{.account = "petty_cash", .debit_fen = 5},
		                                         {.account = "fund_available", .credit_fen = 5}};
		const struct gg_ledger_line ok[] = {{.account = "fund_committed", .debit_fen = 5},
		                                    {.account = "fund_available", .credit_fen = 5}};

		assert_int_equal(post(db, "commitment", unbal, 2, &err), GG_E_INVALID);
		assert_string_equal(gg_error_message(&err), "unbalanced journal entry: debits 1.00, credits 0.99");
		assert_int_equal(post(db, "commitment", zero, 2, &err), GG_E_INVALID);
		assert_non_null(strstr(gg_error_message(&err), "exactly one of a debit or a credit"));
		assert_int_equal(post(db, "commitment", neg, 2, &err), GG_E_INVALID);
		assert_non_null(strstr(gg_error_message(&err), "negative"));
		assert_int_equal(post(db, "commitment", both, 2, &err), GG_E_INVALID);
		assert_int_equal(post(db, "commitment", unknown, 2, &err), GG_E_INVALID);
		assert_string_equal(gg_error_message(&err), "unknown ledger account 'petty_cash'");
		assert_int_equal(post(db, "commitment", ok, 1, &err), GG_E_INVALID);
		assert_int_equal(post(db, "bonus", ok, 2, &err), GG_E_INVALID);
		assert_string_equal(gg_error_message(&err), "unknown journal entry kind 'bonus'");
		assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 0, "nothing", &entry, &err), GG_E_INVALID);
		assert_int_equal(gg_ledger_appropriate(db, &unit_officer, -1, "less", &entry, &err), GG_E_INVALID);
		assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 1, "", &entry, &err), GG_E_INVALID);
		/* nothing of the refused ones was written */
		assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM journal_entries"), 1);
		assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM journal_lines"), 2);
		assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.post'"), 1);
		balanced(db, -1);
	}
}

/* Runs sql in a write transaction; what committing it answers (the database's own checks). */
static enum gg_err raw(struct gg_db *db, const char *sql)
{
	struct gg_error err;
	enum gg_err rc;

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	rc = gg_db_exec(db, sql, &err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, &err);
	else
		gg_db_rollback(db);
	gg_db_rollback(db);
	return rc;
}

static void test_database_checks(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_error err;
	int64_t entry = 0;

	gg_error_init(&err);
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 5000, "budget", &entry, &err), GG_OK);
	/* an unbalanced entry written past the domain */
	assert_int_not_equal(
	    raw(db, "INSERT INTO journal_lines (entry_id, account, debit_fen) VALUES (9, 'fund_committed', 10);"
	            "INSERT INTO journal_lines (entry_id, account, credit_fen) VALUES (9, 'fund_available', 9);"
	            "INSERT INTO journal_entries (id, posted_on, kind, total_fen, created_at)"
	            " VALUES (9, '2026-03-02', 'commitment', 10, 0)"),
	    GG_OK);
	/* lines without their entry fail at commit (the deferred reference) */
	assert_int_not_equal(
	    raw(db, "INSERT INTO journal_lines (entry_id, account, debit_fen) VALUES (9, 'fund_committed', 10);"
	            "INSERT INTO journal_lines (entry_id, account, credit_fen) VALUES (9, 'fund_available', 10)"),
	    GG_OK);
	/* a balanced entry with the lines first passes; a line added to it later does not */
	assert_int_equal(
	    raw(db, "INSERT INTO journal_lines (entry_id, account, debit_fen) VALUES (9, 'fund_committed', 10);"
	            "INSERT INTO journal_lines (entry_id, account, credit_fen) VALUES (9, 'fund_available', 10);"
	            "INSERT INTO journal_entries (id, posted_on, kind, total_fen, created_at)"
	            " VALUES (9, '2026-03-02', 'commitment', 10, 0)"),
	    GG_OK);
	assert_int_not_equal(
	    raw(db, "INSERT INTO journal_lines (entry_id, account, debit_fen) VALUES (9, 'fund_paid', 1)"), GG_OK);
	/* a line with both or neither amount */
	assert_int_not_equal(raw(db, "INSERT INTO journal_lines (entry_id, account, debit_fen, credit_fen)"
	                             " VALUES (10, 'fund_paid', 1, 1)"),
	                     GG_OK);
	/* posted entries and lines are never changed or deleted; the chart is fixed */
	assert_int_not_equal(raw(db, "UPDATE journal_entries SET memo = 'x'"), GG_OK);
	assert_int_not_equal(raw(db, "DELETE FROM journal_entries"), GG_OK);
	assert_int_not_equal(raw(db, "UPDATE journal_lines SET debit_fen = debit_fen + 1 WHERE debit_fen > 0"), GG_OK);
	assert_int_not_equal(raw(db, "DELETE FROM journal_lines"), GG_OK);
	assert_int_not_equal(
	    raw(db, "INSERT INTO ledger_accounts (code, name_zh, name_en, seq) VALUES ('x', 'x', 'x', 9)"), GG_OK);
	assert_int_not_equal(raw(db, "DELETE FROM ledger_accounts"), GG_OK);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM journal_entries"), 2);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM journal_lines"), 4);
	balanced(db, -1);
}

static void test_commitments(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_ledger_balances b;
	struct gg_error err;
	int64_t rec = 0, plan = 0, entry = 0, n = 0;

	gg_error_init(&err);
	/* no fund yet: the recognition stands, its plan is not committed */
	assert_int_equal(unit_recognise(db, r->set, 1, 1, 120000000, "2024-03-01", &rec, &plan, &err), GG_OK);
	assert_true(plan > 0);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM recognitions"), 1);
	b = balanced(db, -1);
	assert_int_equal(b.entries, 0);
	assert_int_equal(b.uncommitted_plans, 1);
	assert_int_equal(b.uncommitted_fen, 180000000);

	/* too little: the shortfall is stated and nothing is written */
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 100000000, "first tranche", &entry, &err), GG_OK);
	assert_int_equal(gg_ledger_commit_existing(db, &unit_officer, &n, &err), GG_E_RULE);
	assert_int_equal(n, 0);
	{
		char want[200];

		snprintf(
		    want, sizeof(want),
		    "the fund cannot cover plan %lld: 1,800,000.00 needed, 1,000,000.00 available, short by 800,000.00",
		    (long long)plan);
		assert_string_equal(gg_error_message(&err), want);
	}
	b = balanced(db, -1);
	assert_int_equal(b.entries, 1);
	assert_int_equal(b.uncommitted_plans, 1);

	/* topped up: committed once, one line pair per installment */
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 900000000, "second tranche", &entry, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_ledger_commit_existing(db, &unit_officer, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	b = balanced(db, -1);
	assert_int_equal(balance_of(&b, "fund_committed"), 180000000);
	assert_int_equal(balance_of(&b, "fund_available"), 1000000000 - 180000000);
	assert_int_equal(balance_of(&b, "fund_appropriations"), -1000000000);
	assert_int_equal(b.uncommitted_plans, 0);
	assert_int_equal(unit_db_i64(db,
	                             "SELECT COUNT(*) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id"
	                             " WHERE e.kind = 'commitment' AND l.installment_id IS NOT NULL"
	                             " AND l.talent_id = 1"),
	                 6);

	/* never twice: again, directly, or past the domain */
	assert_int_equal(gg_ledger_commit_existing(db, &unit_officer, &n, &err), GG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_ledger_commit_plan_tx(db, &unit_officer, plan, &entry, &err), GG_OK);
	assert_int_equal(entry, 0);
	{
		const struct gg_ledger_line ok[] = {{.account = "fund_committed", .debit_fen = 5},
		                                    {.account = "fund_available", .credit_fen = 5}};
		const struct gg_ledger_entry e = {.kind = "commitment",
		                                  .posted_on = -1,
		                                  .source_type = "plan",
		                                  .source_id = plan,
		                                  .lines = ok,
		                                  .nlines = 2};

		assert_int_equal(gg_ledger_post_tx(db, &unit_officer, &e, &entry, &err), GG_E_DUPLICATE);
	}
	assert_int_equal(gg_ledger_commit_plan_tx(db, &unit_officer, 999, &entry, &err), GG_E_NOT_FOUND);
	gg_db_rollback(db);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'commitment'"), 1);

	gg_error_init(&err);
	/* with the fund there, a new plan is committed in the recognition's transaction */
	if (unit_recognise(db, r->set, 2, 2, 120000000, "2025-03-01", &rec, &plan, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	b = balanced(db, -1);
	assert_int_equal(balance_of(&b, "fund_committed"), 360000000);
	assert_int_equal(b.uncommitted_plans, 0);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.post'"), 4);

	/* a replaced plan gives its commitment back */
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_subsidy_replace_formula_tx(db, &unit_officer, 2, &entry, &err), GG_OK);
	assert_int_equal(entry, plan);
	assert_int_equal(gg_db_commit(db, &err), GG_OK);
	b = balanced(db, -1);
	assert_int_equal(balance_of(&b, "fund_committed"), 180000000);
	assert_int_equal(balance_of(&b, "fund_available"), 1000000000 - 180000000);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'release'"), 1);
}

/*
 * A plan recorded while the fund could not cover it stays uncommitted;
 * meanwhile its year 1 got its own commitment (a verification priced it)
 * and its year 2 an approval drawn from fund_available. commit-existing
 * then commits only year 3: nothing twice.
 */
static void test_commit_existing_skips_moved(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_ledger_balances b;
	struct gg_error err;
	int64_t rec = 0, plan = 0, entry = 0, n = 0, y1 = 0, y2 = 0;
	char sql[1024];

	gg_error_init(&err);
	assert_int_equal(unit_recognise(db, r->set, 1, 1, 120000000, "2024-03-01", &rec, &plan, &err), GG_OK);
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 1000000000, "fund", &entry, &err), GG_OK);
	snprintf(sql, sizeof(sql), "SELECT id FROM installments WHERE plan_id = %lld AND year = 1", (long long)plan);
	y1 = unit_db_i64(db, sql);
	snprintf(sql, sizeof(sql), "SELECT id FROM installments WHERE plan_id = %lld AND year = 2", (long long)plan);
	y2 = unit_db_i64(db, sql);
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_ledger_commit_installment_tx(db, &unit_officer, y1, 60000000, &entry, &err), GG_OK);
	assert_int_equal(gg_db_commit(db, &err), GG_OK);
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO payees (id, plan_id, payee_name, bank, account_sealed, account_last4, entered_at)"
	    " VALUES (1, %lld, 'x', 'b', x'00', '1234', 0);"
	    "INSERT INTO payment_runs (id, period, proposed_by, proposed_at, total_fen, payments)"
	    " VALUES (1, 2025, 7, 0, 60000000, 1);"
	    "INSERT INTO payments (id, run_id, installment_id, plan_id, talent_id, amount_fen, reference, payee_id,"
	    " payee_name, bank, account_sealed, account_last4, status, trace, created_at, updated_at)"
	    " VALUES (1, 1, %lld, %lld, 1, 60000000, 'GG2025-00000001', 1, 'x', 'b', x'00', '1234', 'approved',"
	    " 't', 0, 0);",
	    (long long)plan, (long long)y2, (long long)plan);
	assert_int_equal(raw(db, sql), GG_OK);
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_ledger_approve_tx(db, &unit_officer, 1, &entry, &err), GG_OK);
	assert_int_equal(gg_db_commit(db, &err), GG_OK);
	b = balanced(db, -1);
	assert_int_equal(balance_of(&b, "fund_committed"), 60000000);
	assert_int_equal(balance_of(&b, "fund_approved"), 60000000);
	assert_int_equal(b.uncommitted_plans, 1);
	assert_int_equal(b.uncommitted_fen, 60000000); /* year 3 only */

	/* only year 3 is committed; again: nothing */
	assert_int_equal(gg_ledger_commit_existing(db, &unit_officer, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	b = balanced(db, -1);
	assert_int_equal(balance_of(&b, "fund_committed"), 120000000);
	assert_int_equal(balance_of(&b, "fund_approved"), 60000000);
	assert_int_equal(balance_of(&b, "fund_available"), 1000000000 - 180000000);
	assert_int_equal(b.uncommitted_plans, 0);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM (SELECT installment_id FROM journal_lines"
	                                 " WHERE account = 'fund_committed' AND debit_fen > 0"
	                                 " GROUP BY installment_id HAVING COUNT(*) > 1)"),
	                 0);
	assert_int_equal(gg_ledger_commit_existing(db, &unit_officer, &n, &err), GG_OK);
	assert_int_equal(n, 0);
	b = balanced(db, -1);
	assert_int_equal(balance_of(&b, "fund_committed"), 120000000);
}

static void test_balances_on_a_day(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_ledger_balances b;
	struct gg_error err;
	int64_t entry = 0;

	gg_error_init(&err);
	setenv("GUANGGU_TEST_NOW", "2026-01-10T02:00:00Z", 1);
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 700, "january", &entry, &err), GG_OK);
	setenv("GUANGGU_TEST_NOW", "2026-02-10T02:00:00Z", 1);
	assert_int_equal(gg_ledger_appropriate(db, &unit_officer, 300, "february", &entry, &err), GG_OK);
	b = balanced(db, unit_day("2026-01-09"));
	assert_int_equal(b.total_debit_fen, 0);
	assert_int_equal(b.entries, 0);
	b = balanced(db, unit_day("2026-01-10"));
	assert_int_equal(balance_of(&b, "fund_available"), 700);
	assert_int_equal(b.entries, 1);
	b = balanced(db, unit_day("2026-02-10"));
	assert_int_equal(balance_of(&b, "fund_available"), 1000);
	assert_int_equal(b.total_debit_fen, 1000);
	b = balanced(db, -1);
	assert_int_equal(b.entries, 2);
}

static void test_commands(void **state)
{
	char tmp[512], inst[600];
	struct run *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	unit_tmpdir(tmp, sizeof(tmp));
	snprintf(inst, sizeof(inst), "%s/inst", tmp);
	run(r, "init", "--dir", inst);
	assert_int_equal(r->status, 0);
	run(r, "ledger", "appropriate", "--amount", "3000000000", "--memo", "光谷人才专项资金", "--dir", inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "appropriated 3,000,000,000.00 CNY"));
	run(r, "ledger", "balance", "--format", "json", "--dir", inst);
	assert_int_equal(r->status, 0);
	assert_string_equal(
	    r->out, "{\"accounts\":[{\"code\":\"fund_appropriations\",\"name\":\"Fund appropriations\","
	            "\"balance_fen\":-300000000000},{\"code\":\"fund_available\",\"name\":\"Fund available\","
	            "\"balance_fen\":300000000000},{\"code\":\"fund_committed\",\"name\":\"Fund committed\","
	            "\"balance_fen\":0},{\"code\":\"fund_approved\",\"name\":\"Fund approved\",\"balance_fen\":0},"
	            "{\"code\":\"fund_paid\",\"name\":\"Fund paid\",\"balance_fen\":0}],"
	            "\"total_debit_fen\":300000000000,\"total_credit_fen\":300000000000}\n");
	run(r, "ledger", "balance", "--on", "2000-01-01", "--dir", inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "0 entries, all balanced"));
	run(r, "ledger", "balance", "--on", "yesterday", "--dir", inst);
	assert_int_equal(r->status, 2);
	run(r, "ledger", "appropriate", "--amount", "-5", "--memo", "x", "--dir", inst);
	assert_int_equal(r->status, 2);
	run(r, "ledger", "appropriate", "--amount", "5", "--dir", inst);
	assert_int_equal(r->status, 2);
	run(r, "ledger", "commit-existing", "--dir", inst);
	assert_int_equal(r->status, 0);
	assert_string_equal(r->out, "committed 0 plans\n");
	run(r, "ledger", "nonsense", "--dir", inst);
	assert_int_equal(r->status, 2);
	unit_rmtree(tmp);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_post, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_database_checks, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_commitments, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_commit_existing_skips_moved, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_balances_on_a_day, setup, unit_recognition_teardown),
	    cmocka_unit_test(test_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
