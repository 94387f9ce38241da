/*
 * bench/payrun: annual verification and payment runs over many
 * installments (issue 6's performance aim), next to a baseline measured
 * in the same run: a plain SQLite insert, in one transaction, of as many
 * journal rows (entries and lines) as the runs posted.
 *
 * BENCH_INSTALLMENTS (default 1,000,000) installments: a third as many
 * talents, each with a formula plan of three (1,200,000 CNY a year from
 * 2024-03-01: 600,000 due 2025-03-01, 2026-03-01 and 2027-03-01),
 * committed, with a confirmed payee. Then, timed:
 *   verification: open every due verification (as of 2027-12-31), the
 *     employer's answer, the bureau's acceptance (priced by the rules), one
 *     transaction each as the API does;
 *   payment runs: for 2025, 2026 and 2027, an officer proposes, a finance
 *     user approves, the bank file is written and the bank's result (every
 *     payment paid) applied.
 * Memory: the process's peak resident size after each phase.
 * Everything lives in a temporary directory removed at the end. Built by
 * `make bench` (build/release/bench/payrun) and run from the repository
 * root (it reads policy/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "domain/ledger.h"
#include "domain/payee.h"
#include "domain/payrun.h"
#include "domain/policyset.h"
#include "domain/verification.h"
#include "domain/vocabulary.h"
#include "store/db.h"
#include "store/migrate.h"

#define PER_TALENT 3
#define SALARY_FEN 120000000LL /* 1,200,000.00 */
#define AMOUNT_FEN 60000000LL  /*   600,000.00 */
/* the page cache the server and the CLI open with (db_cache_mb's default in core/config.tbl), baseline too */
#define BENCH_CACHE_MB 64

static const struct gg_actor officer = {1, "bench-officer", NULL};
static const struct gg_actor finance = {2, "bench-finance", NULL};
static const struct gg_actor employer = {3, "bench-employer", NULL};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_mib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static int fail(const char *what, const struct gg_error *err)
{
	fprintf(stderr, "bench payrun: %s: %s\n", what, gg_error_message(err));
	return 1;
}

static int64_t day_of(const char *s)
{
	int y = 0, m = 0, d = 0;

	sscanf(s, "%d-%d-%d", &y, &m, &d);
	return gg_clock_days_from_civil(y, m, d);
}

/* Rows posted to the journal so far: entries plus lines. */
static int64_t journal_rows(struct gg_db *db)
{
	struct gg_error err;
	int64_t e = 0, l = 0;
	int found = 0;

	gg_error_init(&err);
	gg_db_query_i64(db, "SELECT count(*) FROM journal_entries", NULL, 0, &e, &found, &err);
	gg_db_query_i64(db, "SELECT count(*) FROM journal_lines", NULL, 0, &l, &found, &err);
	return e + l;
}

/* The talents, recognitions, plans, installments and payees, by SQL in one transaction; then commitments. */
static int fixture(struct gg_db *db, const struct gg_keys *keys, const struct gg_policyset *set, int64_t talents)
{
	const struct gg_pack *pack = gg_policyset_find(set, "optics-valley-2024");
	struct gg_policy_params params;
	const struct gg_pack_version *version = NULL;
	struct gg_stmt *t = NULL, *r = NULL, *p = NULL, *in = NULL, *pe = NULL;
	struct gg_buf sealed;
	struct gg_error err;
	char hash[GG_SHA256_HEX];
	int row = 0;
	enum gg_err rc;

	gg_error_init(&err);
	gg_buf_init(&sealed, 4096);
	if (pack == NULL)
		return fail("fixture", &err);
	if ((rc = gg_policyset_params_on(set, pack->name, day_of("2024-03-01"), &params, &pack, &version, &err)) !=
	    GG_OK)
		return fail("policy version", &err);
	rc = gg_db_begin(db, GG_DB_WRITE, &err);
	if (rc == GG_OK)
		rc = gg_db_exec(
		    db,
		    "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at)"
		    " VALUES (1, 'bench-officer', 'Officer', 'x', 0, 0), (2, 'bench-finance', 'Finance', 'x', 0,"
		    " 0), (3, 'bench-employer', 'Employer', 'x', 0, 0);"
		    "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"
		    " (1, '光谷基准科技', 'guang gu ji zhun ke ji', 'leading_enterprise', 0, 0);",
		    &err);
	if (rc == GG_OK)
		rc = gg_policyset_stamp(db, pack, version, hash, &err);
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at)"
		                   " VALUES (?, '基准人才', 'ji zhun ren cai', 'jizhunrencai', 1, 0, 0)",
		                   &t, &err);
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    "INSERT INTO recognitions (id, talent_id, tier, basis, source_id, org_id, pack, version,"
		    " policy_hash, effective_on, trace, created_at) VALUES (?1, ?1, 'leading_talent',"
		    " 'order', ?1, 1, ?2, ?3, ?4, '2024-03-01', 'bench' || char(10), 0)",
		    &r, &err);
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    "INSERT INTO subsidy_plans (id, recognition_id, talent_id, kind, pack, version,"
		    " contract_fen, start_on, total_fen, created_at) VALUES (?1, ?1, ?1, 'formula', ?2, ?3,"
		    " ?4, '2024-03-01', ?5, 0)",
		    &p, &err);
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "INSERT INTO installments (plan_id, year, due_on, base_fen, amount_fen, status)"
		                   " VALUES (?1, ?2, printf('%04d-03-01', 2024 + ?2), ?3, ?4, 'planned')",
		                   &in, &err);
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "INSERT INTO payees (plan_id, payee_name, bank, account_sealed, account_last4,"
		                   " entered_by, entered_at, confirmed_by, confirmed_at) VALUES (?, '基准人才',"
		                   " '光谷银行', ?, ?, 1, 0, 3, 0)",
		                   &pe, &err);
	for (int64_t i = 1; rc == GG_OK && i <= talents; i++) {
		char account[24];

		snprintf(account, sizeof(account), "62220%011lld", (long long)i);
		rc = gg_crypto_seal(keys, GG_PAYEE_FIELD, account, &sealed);
		if (rc == GG_OK &&
		    ((rc = gg_db_bind_i64(t, 1, i)) != GG_OK || (rc = gg_db_step(t, &row, &err)) != GG_OK))
			break;
		gg_db_done(t);
		if ((rc = gg_db_bind_i64(r, 1, i)) != GG_OK || (rc = gg_db_bind_text(r, 2, pack->name)) != GG_OK ||
		    (rc = gg_db_bind_text(r, 3, version->version)) != GG_OK ||
		    (rc = gg_db_bind_text(r, 4, hash)) != GG_OK || (rc = gg_db_step(r, &row, &err)) != GG_OK)
			break;
		gg_db_done(r);
		if ((rc = gg_db_bind_i64(p, 1, i)) != GG_OK || (rc = gg_db_bind_text(p, 2, pack->name)) != GG_OK ||
		    (rc = gg_db_bind_text(p, 3, version->version)) != GG_OK ||
		    (rc = gg_db_bind_i64(p, 4, SALARY_FEN)) != GG_OK ||
		    (rc = gg_db_bind_i64(p, 5, PER_TALENT * AMOUNT_FEN)) != GG_OK ||
		    (rc = gg_db_step(p, &row, &err)) != GG_OK)
			break;
		gg_db_done(p);
		for (int y = 1; rc == GG_OK && y <= PER_TALENT; y++) {
			if ((rc = gg_db_bind_i64(in, 1, i)) != GG_OK || (rc = gg_db_bind_i64(in, 2, y)) != GG_OK ||
			    (rc = gg_db_bind_i64(in, 3, SALARY_FEN)) != GG_OK ||
			    (rc = gg_db_bind_i64(in, 4, AMOUNT_FEN)) != GG_OK)
				break;
			rc = gg_db_step(in, &row, &err);
			gg_db_done(in);
		}
		if (rc != GG_OK || (rc = gg_db_bind_i64(pe, 1, i)) != GG_OK ||
		    (rc = gg_db_bind_blob(pe, 2, sealed.buf, sealed.len)) != GG_OK ||
		    (rc = gg_db_bind_text(pe, 3, account + strlen(account) - 4)) != GG_OK ||
		    (rc = gg_db_step(pe, &row, &err)) != GG_OK)
			break;
		gg_db_done(pe);
	}
	gg_db_done(t);
	gg_db_done(r);
	gg_db_done(p);
	gg_db_done(in);
	gg_db_done(pe);
	gg_buf_release(&sealed);
	if (rc == GG_OK) {
		int64_t entry = 0;

		rc = gg_ledger_appropriate_tx(db, &officer, talents * PER_TALENT * AMOUNT_FEN * 2, "bench fund", NULL,
		                              0, &entry, &err);
	}
	if (rc == GG_OK)
		rc = gg_db_commit(db, &err);
	if (rc != GG_OK) {
		gg_db_rollback(db);
		return fail("fixture", &err);
	}
	/* the plans recorded before the ledger knew them, committed as `guanggu ledger commit-existing` does */
	{
		int64_t committed = 0;

		if (gg_ledger_commit_existing(db, &officer, &committed, &err) != GG_OK)
			return fail("fixture commitments", &err);
		if (committed != talents) {
			fprintf(stderr, "bench payrun: %lld plans committed, expected %lld\n", (long long)committed,
			        (long long)talents);
			return 1;
		}
	}
	return 0;
}

/* Opens, answers and accepts every due verification; *n how many. */
static int verify_all(struct gg_db *db, const struct gg_policyset *set, int64_t today, int64_t *n)
{
	struct gg_error err;
	struct gg_stmt *st = NULL;
	int64_t opened = 0, *ids = NULL;
	size_t count = 0, cap = 0;
	int row = 0;
	enum gg_err rc;

	gg_error_init(&err);
	if ((rc = gg_verification_open_due(db, &officer, today, 60, &opened, &err)) != GG_OK)
		return fail("open due verifications", &err);
	rc = gg_db_prepare(db, "SELECT id FROM verifications WHERE status = 'open' ORDER BY id", &st, &err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, &err)) == GG_OK && row) {
		if (count == cap) {
			int64_t *bigger = realloc(ids, (cap = cap ? cap * 2 : 4096) * sizeof(*ids));

			if (bigger == NULL) {
				rc = gg_error_set(&err, GG_E_NOMEM, NULL);
				break;
			}
			ids = bigger;
		}
		ids[count++] = gg_db_col_i64(st, 0);
	}
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < count; i++) {
		const struct gg_verification_answer a = {
		    .employed = 1, .salary_paid_fen = SALARY_FEN, .tax_record_no = "BENCH-TAX-0001"};

		if ((rc = gg_verification_submit(db, &employer, NULL, ids[i], &a, &err)) == GG_OK)
			rc = gg_verification_accept(db, set, &officer, NULL, ids[i], 0, &err);
	}
	free(ids);
	*n = (int64_t)count;
	return rc == GG_OK ? 0 : fail("verification", &err);
}

#define RESULT_ROWS 50000 /* rows of one bank result file: a bank answers a large run in several files */

/*
 * The bank's answer to the rows after *pos of a bank file: every payment
 * paid, at most RESULT_ROWS rows; *pos moves past them (the header is
 * skipped on the first call, pos 0). 0, or -1 for a line it cannot read.
 */
static int result_of(const struct gg_buf *file, size_t *pos, struct gg_buf *out)
{
	const char *s = file->buf + *pos, *end = file->buf + file->len;
	int rows = 0;

	gg_buf_reset(out);
	gg_buf_adds(out, "reference,amount,status,bank_txn_id,date,reason\n");
	if (*pos == 0) { /* the header */
		const char *eol = memchr(s, '\n', (size_t)(end - s));

		s = eol ? eol + 1 : end;
	}
	while (s < end && rows < RESULT_ROWS) {
		const char *eol = memchr(s, '\n', (size_t)(end - s)), *c1, *c4;

		if (eol == NULL)
			eol = end;
		if (eol > s) {
			/* reference,payee_name,account_no,bank,amount */
			c1 = memchr(s, ',', (size_t)(eol - s));
			for (c4 = eol; c4 > s && c4[-1] != ','; c4--)
				;
			if (c1 == NULL || c4 <= c1)
				return -1;
			gg_buf_addf(out, "%.*s,%.*s,paid,TXN-%.*s,2027-12-31,\n", (int)(c1 - s), s,
			            (int)(eol - c4 - (eol[-1] == '\r')), c4, (int)(c1 - s), s);
			rows++;
		}
		s = eol + 1;
	}
	*pos = (size_t)(s - file->buf);
	return 0;
}

/* Seconds spent proposing, approving, writing bank files and applying results, over the runs. */
static double steps[4];

/* Proposes, approves, exports and settles the run of period; *payments how many it paid. */
static int run_period(struct gg_db *db, const struct gg_keys *keys, int period, int64_t today, int64_t *payments)
{
	struct gg_payrun_proposal prop;
	struct gg_payrun_result res;
	struct gg_buf file, result;
	struct gg_error err;
	int ok = 0;

	memset(&prop, 0, sizeof(prop));
	memset(&res, 0, sizeof(res));
	gg_error_init(&err);
	gg_buf_init(&file, 1u << 30);
	gg_buf_init(&result, 1u << 30);
	double t[5] = {0};

	t[0] = now_s();
	if (gg_payrun_propose(db, &officer, period, today, &prop, &err) != GG_OK ||
	    (t[1] = now_s(), gg_payrun_approve(db, &finance, prop.run_id, 0, &err)) != GG_OK ||
	    (t[2] = now_s(), gg_payrun_bank_file(db, keys, &finance, prop.run_id, GG_PAYRUN_CSV, &file, &err)) != GG_OK)
		fail("payment run", &err);
	else {
		size_t pos = 0;
		int n = 0;

		t[3] = now_s();
		while (pos < file.len && ok == 0) {
			char name[32];

			snprintf(name, sizeof(name), "result-%d.csv", ++n);
			gg_payrun_result_release(&res);
			memset(&res, 0, sizeof(res));
			if (result_of(&file, &pos, &result) != 0) {
				fprintf(stderr, "bench payrun: cannot read the bank file\n");
				ok = -1;
			} else if (gg_payrun_bank_result(db, &finance, prop.run_id, name, result.buf, result.len, &res,
			                                 &err) != GG_OK) {
				fail("bank result", &err);
				ok = -1;
			} else
				*payments += (int64_t)res.paid;
		}
	}
	if (ok == 0 && t[3] > 0) {
		t[4] = now_s();
		steps[0] += t[1] - t[0];
		steps[1] += t[2] - t[1];
		steps[2] += t[3] - t[2];
		steps[3] += t[4] - t[3];
		ok = 1;
	}
	gg_payrun_proposal_release(&prop);
	gg_payrun_result_release(&res);
	gg_buf_release(&file);
	gg_buf_release(&result);
	return ok ? 0 : 1;
}

/* The baseline: rows plain rows like journal lines into a table with no trigger or index, one transaction. */
static int baseline(const char *dir, int64_t rows, double *secs)
{
	const struct gg_db_options opt = {.busy_timeout_ms = 5000, .create = 1, .cache_mb = BENCH_CACHE_MB};
	struct gg_db *db = NULL;
	struct gg_stmt *st = NULL;
	struct gg_error err;
	char path[512];
	int row = 0;
	double t0;
	enum gg_err rc;

	gg_error_init(&err);
	snprintf(path, sizeof(path), "%s/baseline.db", dir);
	if ((rc = gg_db_open(path, &opt, &db, &err)) != GG_OK)
		return fail("baseline", &err);
	rc = gg_db_exec(db,
	                "CREATE TABLE lines (id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL, account TEXT NOT NULL,"
	                " debit_fen INTEGER NOT NULL, credit_fen INTEGER NOT NULL, talent_id INTEGER, plan_id INTEGER,"
	                " installment_id INTEGER)",
	                &err);
	t0 = now_s();
	if (rc == GG_OK)
		rc = gg_db_begin(db, GG_DB_WRITE, &err);
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "INSERT INTO lines (entry_id, account, debit_fen, credit_fen, talent_id, plan_id,"
		                   " installment_id) VALUES (?1, 'fund_paid', ?2, 0, ?1, ?1, ?1)",
		                   &st, &err);
	for (int64_t i = 1; rc == GG_OK && i <= rows; i++) {
		if ((rc = gg_db_bind_i64(st, 1, i)) != GG_OK || (rc = gg_db_bind_i64(st, 2, AMOUNT_FEN)) != GG_OK)
			break;
		rc = gg_db_step(st, &row, &err);
		gg_db_done(st);
	}
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_db_commit(db, &err);
	*secs = now_s() - t0;
	if (rc != GG_OK)
		gg_db_rollback(db);
	gg_db_close(db);
	return rc == GG_OK ? 0 : fail("baseline", &err);
}

int main(void)
{
	const struct gg_db_options opt = {.busy_timeout_ms = 5000, .create = 1, .cache_mb = BENCH_CACHE_MB};
	const char *env = getenv("BENCH_INSTALLMENTS");
	int64_t installments = env ? atoll(env) : 1000000, talents, verified = 0, paid = 0, rows0, rows;
	int64_t today = day_of("2027-12-31");
	struct gg_vocabulary *vocab = NULL;
	struct gg_policyset *set = NULL;
	struct gg_db *db = NULL;
	struct gg_keys keys;
	struct gg_error err;
	char dir[] = "/tmp/guanggu-bench-payrun-XXXXXX", path[512];
	double t0, t_fix, t_ver, t_run, t_base = 0;
	long mem_fix, mem_ver, mem_run;
	int status = 1;

	if (installments < PER_TALENT || installments > 10000000) {
		fprintf(stderr, "bench payrun: BENCH_INSTALLMENTS must be 3..10000000\n");
		return 2;
	}
	talents = installments / PER_TALENT;
	gg_error_init(&err);
	if (gg_crypto_init() != GG_OK || mkdtemp(dir) == NULL) {
		fprintf(stderr, "bench payrun: cannot set up\n");
		return 1;
	}
	gg_crypto_random(&keys, sizeof(keys));
	snprintf(path, sizeof(path), "%s/guanggu.db", dir);
	if (gg_db_open(path, &opt, &db, &err) != GG_OK || gg_migrate(db, NULL, &err) != GG_OK ||
	    gg_vocab_load(db, &vocab, &err) != GG_OK || gg_policyset_load("policy", vocab, &set, &err) != GG_OK) {
		fail("database", &err);
		goto out;
	}
	t0 = now_s();
	if (fixture(db, &keys, set, talents) != 0)
		goto out;
	t_fix = now_s() - t0;
	mem_fix = peak_mib();

	t0 = now_s();
	if (verify_all(db, set, today, &verified) != 0)
		goto out;
	t_ver = now_s() - t0;
	mem_ver = peak_mib();

	rows0 = journal_rows(db);
	t0 = now_s();
	for (int period = 2025; period <= 2027; period++)
		if (run_period(db, &keys, period, today, &paid) != 0)
			goto out;
	t_run = now_s() - t0;
	mem_run = peak_mib();
	rows = journal_rows(db) - rows0;
	if (baseline(dir, rows, &t_base) != 0)
		goto out;

	printf("%-60s %10s %10s %7s\n", "figure (payment runs: 1 installment = 1 payment)", "seconds", "baseline",
	       "ratio");
	printf("%-60s %10.2f %10.2f %7.2f\n", "plain SQLite insert of the runs' journal rows (baseline)", t_base,
	       t_base, 1.0);
	printf("%-60s %10.2f %10.2f %7.2f\n", "payment runs 2025-2027: propose, approve, bank file, result", t_run,
	       t_base, t_run / t_base);
	printf("%-60s %10.2f %10.2f %7.2f\n", "  of which propose", steps[0], t_base, steps[0] / t_base);
	printf("%-60s %10.2f %10.2f %7.2f\n", "  of which approve", steps[1], t_base, steps[1] / t_base);
	printf("%-60s %10.2f %10.2f %7.2f\n", "  of which bank file", steps[2], t_base, steps[2] / t_base);
	printf("%-60s %10.2f %10.2f %7.2f\n", "  of which bank result", steps[3], t_base, steps[3] / t_base);
	printf("%-60s %10.2f %10.2f %7.2f\n", "verification: open, answer, accept (1 transaction each)", t_ver, t_base,
	       t_ver / t_base);
	printf("(%lld installments of %lld talents; fixture %.1f s; %lld verified, %lld paid; %lld journal rows posted"
	       " by the runs; peak memory %ld MiB after the fixture, %ld after verification, %ld after the runs)\n",
	       (long long)installments, (long long)talents, t_fix, (long long)verified, (long long)paid,
	       (long long)rows, mem_fix, mem_ver, mem_run);
	status = paid == talents * PER_TALENT ? 0 : 1;
	if (status != 0)
		fprintf(stderr, "bench payrun: %lld paid, expected %lld\n", (long long)paid,
		        (long long)(talents * PER_TALENT));
out:
	gg_policyset_free(set);
	gg_vocab_free(vocab);
	gg_db_close(db);
	gg_crypto_keys_wipe(&keys);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		fprintf(stderr, "bench payrun: cannot remove %s\n", dir);
	return status;
}
