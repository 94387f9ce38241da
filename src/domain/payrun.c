/*
 * payrun: payment runs, their payments, the bank file and the bank's
 * result (payrun.h). Each public write opens its own write transaction
 * (BEGIN IMMEDIATE under SQLite, so two approvals of one run queue up and
 * the second finds it approved), checks everything it can before the
 * first row changes, and rolls back on any error: nothing half-written.
 */
#include "payrun.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/clock.h"
#include "../core/csv.h"
#include "../core/fault.h"
#include "../core/money.h"
#include "../core/xlsx.h"
#include "ledger.h"
#include "pack.h"
#include "payee.h"

#define TRACE_MAX (256u * 1024)
#define BOM       "\xEF\xBB\xBF"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void gg_payrun_proposal_release(struct gg_payrun_proposal *p)
{
	free(p->skipped);
	memset(p, 0, sizeof(*p));
}

void gg_payrun_result_release(struct gg_payrun_result *r)
{
	free(r->errors);
	memset(r, 0, sizeof(*r));
}

static void payment_release(struct gg_payment *p)
{
	free(p->reason);
	free(p->trace);
}

void gg_payment_list_free(struct gg_payment *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		payment_release(&v[i]);
	free(v);
}

void gg_payrun_free(struct gg_payrun *r)
{
	if (r == NULL)
		return;
	gg_payment_list_free(r->payments, r->n);
	free(r->reason);
	free(r);
}

void gg_payrun_list_free(struct gg_payrun *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		gg_payment_list_free(v[i].payments, v[i].n);
		free(v[i].reason);
	}
	free(v);
}

/* Proposal. */

struct candidate {
	int64_t inst, plan, talent, verification, amount, payee;
	int year;
	char *trace;
};

static enum gg_err add_skip(struct gg_payrun_proposal *out, size_t *cap, int64_t inst, int64_t plan, int64_t talent,
                            int year, const char *why, struct gg_error *err)
{
	if (out->nskipped == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct gg_payrun_skip *g = realloc(out->skipped, ncap * sizeof(*g));

		if (g == NULL)
			return gg_error_set(err, GG_E_NOMEM, NULL);
		out->skipped = g;
		*cap = ncap;
	}
	out->skipped[out->nskipped++] = (struct gg_payrun_skip){inst, plan, talent, year, ""};
	snprintf(out->skipped[out->nskipped - 1].why, GG_PAYRUN_WHY_MAX, "%s", why);
	return GG_OK;
}

/* The open run of period, *id (0 when none). */
static enum gg_err open_run(struct gg_db *db, int64_t period, int64_t *id, struct gg_error *err)
{
	int found = 0;

	*id = 0;
	return gg_db_query_i64(db,
	                       "SELECT id FROM payment_runs WHERE period = ? AND status IN ('proposed', 'approved')",
	                       &period, 1, id, &found, err);
}

/* The trace of a payment: the verification's lines, then why it was selected. */
static char *payment_trace(const char *vtrace, const char *line)
{
	struct gg_buf b;
	char *out;
	size_t len = 0;

	gg_buf_init(&b, TRACE_MAX);
	if (vtrace && vtrace[0] && (gg_buf_adds(&b, vtrace) != GG_OK || gg_buf_addch(&b, '\n') != GG_OK)) {
		gg_buf_release(&b);
		return NULL;
	}
	if (gg_buf_adds(&b, line) != GG_OK) {
		gg_buf_release(&b);
		return NULL;
	}
	out = gg_buf_detach(&b, &len);
	gg_buf_release(&b);
	return out;
}

/* Reads the installments of period due by today and sorts them into candidates and skips. */
static enum gg_err select_candidates(struct gg_db *db, int64_t period, const char *today, struct candidate **cand,
                                     size_t *ncand, struct gg_payrun_proposal *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t cap = 0, skipcap = 0;
	char year_text[8], next_year_text[8];
	int row = 0;
	enum gg_err rc;

	*cand = NULL;
	*ncand = 0;
	/* due in period: due_on (TEXT, YYYY-MM-DD) from "YYYY" below the next "YYYY" (installments_due) */
	snprintf(year_text, sizeof(year_text), "%04lld", (long long)period);
	snprintf(next_year_text, sizeof(next_year_text), "%04lld", (long long)period + 1);
	rc = gg_db_prepare(
	    db,
	    "SELECT i.id, i.plan_id, p.talent_id, i.year, i.status, p.status, v.id, v.status, v.amount_fen, v.trace,"
	    " (SELECT reference || ' (' || status || ')' FROM payments x WHERE x.installment_id = i.id"
	    "  AND x.status IN ('proposed', 'approved', 'paid')),"
	    " y.id, y.confirmed_at, i.due_on"
	    " FROM installments i JOIN subsidy_plans p ON p.id = i.plan_id"
	    " LEFT JOIN verifications v ON v.installment_id = i.id"
	    " LEFT JOIN payees y ON y.plan_id = p.id AND y.status = 'active'"
	    " WHERE i.due_on >= ?1 AND i.due_on < ?2 AND i.due_on <= ?3 ORDER BY i.due_on, i.id",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, year_text);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, next_year_text);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, today);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		int64_t inst = gg_db_col_i64(st, 0), plan = gg_db_col_i64(st, 1), talent = gg_db_col_i64(st, 2);
		int year = (int)gg_db_col_i64(st, 3);
		const char *istatus = gg_db_col_text(st, 4), *pstatus = gg_db_col_text(st, 5);
		const char *vstatus = gg_db_col_text(st, 7), *live = gg_db_col_text(st, 10);
		char why[GG_PAYRUN_WHY_MAX], line[256], amount[GG_MONEY_TEXT_MAX];

		why[0] = '\0';
		/* a cancelled plan's accepted installments stay payable (plan.c lapsed the others) */
		if (strcmp(pstatus, "active") != 0 && strcmp(pstatus, "cancelled") != 0)
			snprintf(why, sizeof(why), "plan %lld is %s", (long long)plan, pstatus);
		else if (strcmp(istatus, "planned") != 0)
			snprintf(why, sizeof(why), "the installment is %s", istatus);
		else if (live != NULL)
			snprintf(why, sizeof(why), "it has a live payment already: %s", live);
		else if (gg_db_col_is_null(st, 6))
			snprintf(why, sizeof(why), "no verification yet");
		else if (strcmp(vstatus, "accepted") != 0)
			snprintf(why, sizeof(why), "the verification is %s, not accepted", vstatus);
		else if (gg_db_col_i64(st, 8) <= 0)
			snprintf(why, sizeof(why), "the verification was accepted with an amount of 0");
		else if (gg_db_col_is_null(st, 11))
			snprintf(why, sizeof(why), "no payee account");
		else if (gg_db_col_is_null(st, 12))
			snprintf(why, sizeof(why), "the payee account is not confirmed by the talent");
		if (why[0]) {
			rc = add_skip(out, &skipcap, inst, plan, talent, year, why, err);
			continue;
		}
		if (*ncand == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct candidate *g = realloc(*cand, ncap * sizeof(*g));

			if (g == NULL) {
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
				break;
			}
			*cand = g;
			cap = ncap;
		}
		snprintf(
		    line, sizeof(line),
		    "selected for the run of %lld: installment %lld (year %d, due %s) of plan %lld, verification %lld"
		    " accepted at %s, payee %lld confirmed",
		    (long long)period, (long long)inst, year, gg_db_col_text(st, 13), (long long)plan,
		    (long long)gg_db_col_i64(st, 6), gg_money_format_grouped(gg_db_col_i64(st, 8), amount),
		    (long long)gg_db_col_i64(st, 11));
		(*cand)[*ncand] = (struct candidate){inst,
		                                     plan,
		                                     talent,
		                                     gg_db_col_i64(st, 6),
		                                     gg_db_col_i64(st, 8),
		                                     gg_db_col_i64(st, 11),
		                                     year,
		                                     payment_trace(gg_db_col_text(st, 9), line)};
		if ((*cand)[(*ncand)++].trace == NULL)
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
	}
	gg_db_done(st);
	return rc;
}

static void free_candidates(struct candidate *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		free(c[i].trace);
	free(c);
}

/* Inserts candidate c as payment id of run (the payee copied from its row). */
static enum gg_err insert_payment(struct gg_db *db, int64_t run, int64_t id, int64_t period, const struct candidate *c,
                                  struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char reference[32];
	int row = 0;
	enum gg_err rc;

	snprintf(reference, sizeof(reference), "GG%lld-%08lld", (long long)period, (long long)id);
	rc = gg_db_prepare(db,
	                   "INSERT INTO payments (id, run_id, installment_id, plan_id, talent_id, verification_id,"
	                   " amount_fen, reference, payee_id, payee_name, bank, account_sealed, account_last4, trace,"
	                   " created_at, updated_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, y.id, y.payee_name, y.bank,"
	                   " y.account_sealed, y.account_last4, ?, ?, ? FROM payees y WHERE y.id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, run);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, c->inst);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, c->plan);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, c->talent);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 6, c->verification);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, c->amount);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 8, reference);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 9, c->trace);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 10, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 11, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 12, c->payee);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && gg_db_changes(db) != 1)
		rc = gg_error_set(err, GG_E_INTERNAL, "payee %lld vanished", (long long)c->payee);
	return rc;
}

enum gg_err gg_payrun_propose(struct gg_db *db, const struct gg_actor *actor, int64_t period, int64_t today_day,
                              struct gg_payrun_proposal *out, struct gg_error *err)
{
	struct candidate *cand = NULL;
	size_t ncand = 0;
	char today[11];
	int64_t this_year = 0, run = 0, next_payment = 0, total = 0;
	int found = 0, month = 0, dayn = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	if (period < 2000 || period > 9999)
		return gg_error_field(err, GG_E_INVALID, "period", "a period is a year from 2000 to 9999");
	gg_clock_civil_from_days(today_day, &this_year, &month, &dayn);
	if (period > this_year)
		return gg_error_field(err, GG_E_RULE, "period", "period %lld is in the future (this year is %lld)",
		                      (long long)period, (long long)this_year);
	gg_clock_day_text(today_day, today);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = open_run(db, period, &run, err)) != GG_OK || run != 0) {
		out->run_id = run;
		goto done;
	}
	if ((rc = select_candidates(db, period, today, &cand, &ncand, out, err)) != GG_OK)
		goto done;
	if (ncand == 0) {
		rc = gg_error_set(err, GG_E_RULE,
		                  "nothing is due for payment in %lld as of %s (%zu installments skipped)",
		                  (long long)period, today, out->nskipped);
		for (size_t i = 0; i < out->nskipped && i < GG_ERROR_FIELDS_MAX; i++) {
			char field[32];

			snprintf(field, sizeof(field), "skipped.%zu", i);
			gg_error_field(err, GG_E_RULE, field, "installment %lld (year %d) of plan %lld: %s",
			               (long long)out->skipped[i].installment_id, out->skipped[i].year,
			               (long long)out->skipped[i].plan_id, out->skipped[i].why);
		}
		goto done;
	}
	for (size_t i = 0; i < ncand; i++)
		total += cand[i].amount;
	{
		struct gg_stmt *st = NULL;
		int row = 0;

		rc = gg_db_prepare(db,
		                   "INSERT INTO payment_runs (period, proposed_by, proposed_at, total_fen, payments)"
		                   " VALUES (?, ?, ?, ?, ?)",
		                   &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, period);
		if (rc == GG_OK)
			rc = actor->id > 0 ? gg_db_bind_i64(st, 2, actor->id)
			                   : gg_error_set(err, GG_E_FORBIDDEN, "a run is proposed by an account");
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 3, gg_clock_now());
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 4, total);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 5, (int64_t)ncand);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, &run, &found, err);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM payments", NULL, 0, &next_payment,
		                     &found, err);
	for (size_t i = 0; rc == GG_OK && i < ncand; i++)
		rc = insert_payment(db, run, next_payment + (int64_t)i, period, &cand[i], err);
	if (rc == GG_OK) {
		char period_text[8], total_text[GG_MONEY_TEXT_MAX], n_text[24], skipped_text[24];
		const struct gg_audit_change changes[] = {{"period", NULL, period_text},
		                                          {"status", NULL, "proposed"},
		                                          {"payments", NULL, n_text},
		                                          {"total", NULL, gg_money_format(total, total_text)},
		                                          {"skipped", NULL, skipped_text}};

		snprintf(period_text, sizeof(period_text), "%lld", (long long)period);
		snprintf(n_text, sizeof(n_text), "%zu", ncand);
		snprintf(skipped_text, sizeof(skipped_text), "%zu", out->nskipped);
		rc = gg_audit_by(db, actor, "payrun.propose", "payment_run", run, changes,
		                 sizeof changes / sizeof changes[0], err);
	}
	gg_fault("payrun.propose.after_payments");
	if (rc == GG_OK) {
		out->run_id = run;
		out->created = 1;
	}
done:
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK) {
		out->run_id = 0;
		out->created = 0;
	}
	free_candidates(cand, ncand);
	return rc;
}

/* Decisions. */

struct run_head {
	int64_t proposed_by, version;
	char status[12];
};

static enum gg_err run_head(struct gg_db *db, int64_t id, struct run_head *h, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(h, 0, sizeof(*h));
	rc = gg_db_prepare(db, "SELECT proposed_by, version, status FROM payment_runs WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		h->proposed_by = gg_db_col_i64(st, 0);
		h->version = gg_db_col_i64(st, 1);
		gg_db_col_copy(st, 2, h->status, sizeof(h->status));
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown payment run %lld", (long long)id);
	return rc;
}

/* The checks every decision makes, inside its transaction. */
static enum gg_err check_decision(struct gg_db *db, const struct gg_actor *actor, int64_t run_id,
                                  int64_t expected_version, const char *verb, struct run_head *h, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = run_head(db, run_id, h, err)) != GG_OK)
		return rc;
	if (expected_version > 0 && expected_version != h->version)
		return gg_error_set(err, GG_E_STALE, "payment run %lld changed: version %lld, not %lld",
		                    (long long)run_id, (long long)h->version, (long long)expected_version);
	if (strcmp(h->status, "proposed") != 0)
		return gg_error_set(err, GG_E_CONFLICT, "payment run %lld is %s: only a proposed run can be %s",
		                    (long long)run_id, h->status, verb);
	if (actor->id == h->proposed_by)
		return gg_error_set(err, GG_E_FORBIDDEN, "the proposer of a run cannot %s it",
		                    strcmp(verb, "approved") == 0 ? "approve" : "reject");
	if (actor->id <= 0)
		return gg_error_set(err, GG_E_FORBIDDEN, "a run is decided by an account");
	return GG_OK;
}

static enum gg_err set_decided(struct gg_db *db, const struct gg_actor *actor, int64_t run_id, const char *status,
                               const char *reason, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "UPDATE payment_runs SET status = ?, decided_by = ?, decided_at = ?, reason = ?,"
	                   " version = version + 1 WHERE id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, status);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, reason);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, run_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_payrun_approve(struct gg_db *db, const struct gg_actor *actor, int64_t run_id, int64_t expected_version,
                              struct gg_error *err)
{
	struct gg_ledger_batch b;
	struct run_head h;
	int64_t available = 0;
	enum gg_err rc;

	memset(&b, 0, sizeof(b));
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = check_decision(db, actor, run_id, expected_version, "approved", &h, err)) != GG_OK)
		goto out;
	/* the fund read once for the run: what its payments need beyond their commitments */
	if ((rc = gg_ledger_run_need(db, run_id, &b, err)) != GG_OK)
		goto out;
	if (b.need_fen > 0 && (rc = gg_ledger_available(db, &available, err)) != GG_OK)
		goto out;
	if (available < b.need_fen) {
		char a[GG_MONEY_TEXT_MAX], c1[GG_MONEY_TEXT_MAX], c2[GG_MONEY_TEXT_MAX];

		rc = gg_error_set(
		    err, GG_E_RULE,
		    "the fund cannot cover payment run %lld: %s needed beyond its commitments, %s available,"
		    " short by %s",
		    (long long)run_id, gg_money_format_grouped(b.need_fen, a), gg_money_format_grouped(available, c1),
		    gg_money_format_grouped(b.need_fen - available, c2));
		goto out;
	}
	/* every payment's approval entry, set-based; one audit row below for the run names them */
	if ((rc = gg_ledger_approve_run_tx(db, actor, run_id, &b, err)) != GG_OK)
		goto out;
	{
		int64_t args[2] = {gg_clock_now(), run_id};

		rc = gg_db_run_i64(db, "UPDATE payments SET status = 'approved', updated_at = ? WHERE run_id = ?", args,
		                   2, err);
	}
	if (rc == GG_OK)
		rc = set_decided(db, actor, run_id, "approved", NULL, err);
	if (rc == GG_OK) {
		char n_text[24], total_text[GG_MONEY_TEXT_MAX], entries[48];
		const struct gg_audit_change changes[] = {{"status", "proposed", "approved"},
		                                          {"payments", NULL, n_text},
		                                          {"total", NULL, gg_money_format(b.total_fen, total_text)},
		                                          {"entries", NULL, b.entries ? entries : NULL}};

		snprintf(n_text, sizeof(n_text), "%lld", (long long)b.entries);
		snprintf(entries, sizeof(entries), "%lld-%lld", (long long)b.first_entry, (long long)b.last_entry);
		rc = gg_audit_by(db, actor, "payrun.approve", "payment_run", run_id, changes,
		                 sizeof changes / sizeof changes[0], err);
	}
	gg_fault("payrun.approve.after_entries");
out:
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	return rc;
}

enum gg_err gg_payrun_reject(struct gg_db *db, const struct gg_actor *actor, int64_t run_id, const char *reason,
                             int64_t expected_version, struct gg_error *err)
{
	struct run_head h;
	enum gg_err rc;

	if (reason == NULL || reason[0] == '\0')
		return gg_error_field(err, GG_E_INVALID, "reason", "a rejection needs a reason");
	if (strlen(reason) > GG_PAYRUN_REASON_MAX)
		return gg_error_field(err, GG_E_INVALID, "reason", "a reason is at most %d bytes",
		                      GG_PAYRUN_REASON_MAX);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = check_decision(db, actor, run_id, expected_version, "rejected", &h, err);
	if (rc == GG_OK) {
		int64_t args[2] = {gg_clock_now(), run_id};

		rc = gg_db_run_i64(db, "UPDATE payments SET status = 'cancelled', updated_at = ? WHERE run_id = ?",
		                   args, 2, err);
	}
	if (rc == GG_OK)
		rc = set_decided(db, actor, run_id, "rejected", reason, err);
	if (rc == GG_OK) {
		const struct gg_audit_change changes[] = {{"status", "proposed", "rejected"}, {"reason", NULL, reason}};

		rc = gg_audit_by(db, actor, "payrun.reject", "payment_run", run_id, changes, 2, err);
	}
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	return rc;
}

/* Reading. */

#define PAYMENT_COLS                                                                                             \
	"x.id, x.run_id, x.installment_id, x.plan_id, x.talent_id, COALESCE(x.verification_id, 0), x.payee_id,"  \
	" x.amount_fen, i.year, i.due_on, t.name, x.reference, x.payee_name, x.bank, x.account_last4, x.status," \
	" x.bank_txn_id, x.settled_on, x.reason, x.trace, x.created_at, x.updated_at"
#define PAYMENT_FROM \
	" FROM payments x JOIN installments i ON i.id = x.installment_id JOIN talents t ON t.id = x.talent_id"

static enum gg_err read_payment(struct gg_stmt *st, struct gg_payment *p, struct gg_error *err)
{
	memset(p, 0, sizeof(*p));
	p->id = gg_db_col_i64(st, 0);
	p->run_id = gg_db_col_i64(st, 1);
	p->installment_id = gg_db_col_i64(st, 2);
	p->plan_id = gg_db_col_i64(st, 3);
	p->talent_id = gg_db_col_i64(st, 4);
	p->verification_id = gg_db_col_i64(st, 5);
	p->payee_id = gg_db_col_i64(st, 6);
	p->amount_fen = gg_db_col_i64(st, 7);
	p->year = (int)gg_db_col_i64(st, 8);
	gg_db_col_copy(st, 9, p->due_on, sizeof(p->due_on));
	gg_db_col_copy(st, 10, p->talent_name, sizeof(p->talent_name));
	gg_db_col_copy(st, 11, p->reference, sizeof(p->reference));
	gg_db_col_copy(st, 12, p->payee_name, sizeof(p->payee_name));
	gg_db_col_copy(st, 13, p->bank, sizeof(p->bank));
	gg_db_col_copy(st, 14, p->last4, sizeof(p->last4));
	gg_db_col_copy(st, 15, p->status, sizeof(p->status));
	gg_db_col_copy(st, 16, p->bank_txn_id, sizeof(p->bank_txn_id));
	gg_db_col_copy(st, 17, p->settled_on, sizeof(p->settled_on));
	p->reason = dup_or_null(gg_db_col_text(st, 18));
	p->trace = strdup(gg_db_col_text(st, 19) ? gg_db_col_text(st, 19) : "");
	p->created_at = gg_db_col_i64(st, 20);
	p->updated_at = gg_db_col_i64(st, 21);
	if (p->trace == NULL || (gg_db_col_text(st, 18) && p->reason == NULL))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return GG_OK;
}

enum gg_err gg_payment_list(struct gg_db *db, const struct gg_payment_query *q, struct gg_payment **out, size_t *n,
                            int *more, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int limit = q->limit > 0 ? q->limit : 50, row = 0;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if ((*out = calloc((size_t)limit, sizeof(**out))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK) {
		free(*out);
		*out = NULL;
		return rc;
	}
	rc = gg_db_prepare(db,
	                   "SELECT " PAYMENT_COLS PAYMENT_FROM " WHERE (?1 = 0 OR x.talent_id = ?1) AND (?2 = 0 OR"
	                   " x.plan_id = ?2) AND (?3 = 0 OR x.run_id = ?3) AND (?4 IS NULL OR x.status = ?4)"
	                   " AND (?5 = 0 OR x.id < ?5) ORDER BY x.id DESC LIMIT ?6",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, q->talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, q->plan_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, q->run_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, q->status);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, q->before_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, limit + 1);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (*n == (size_t)limit) {
			*more = 1;
			break;
		}
		rc = read_payment(st, &(*out)[(*n)++], err);
	}
	gg_db_done(st);
	gg_db_rollback(db);
	if (rc != GG_OK) {
		gg_payment_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

#define RUN_COLS                                                                                                     \
	"r.id, r.period, r.status, r.proposed_by, r.proposed_at, COALESCE(r.decided_by, 0), COALESCE(r.decided_at, " \
	"0),"                                                                                                        \
	" r.reason, r.total_fen, r.payments, r.version, COALESCE(u.display_name, u.username, ''),"                   \
	" COALESCE(d.display_name, d.username, ''),"                                                                 \
	" (SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE run_id = r.id AND status = 'paid'),"              \
	" (SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE run_id = r.id AND status = 'failed'),"            \
	" (SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE run_id = r.id AND status = 'returned'),"          \
	" (SELECT COALESCE(SUM(amount_fen), 0) FROM payments WHERE run_id = r.id AND status IN ('proposed',"         \
	" 'approved'))"                                                                                              \
	" FROM payment_runs r LEFT JOIN users u ON u.id = r.proposed_by LEFT JOIN users d ON d.id = r.decided_by"

static enum gg_err read_run(struct gg_stmt *st, struct gg_payrun *r, struct gg_error *err)
{
	memset(r, 0, sizeof(*r));
	r->id = gg_db_col_i64(st, 0);
	r->period = (int)gg_db_col_i64(st, 1);
	gg_db_col_copy(st, 2, r->status, sizeof(r->status));
	r->proposed_by = gg_db_col_i64(st, 3);
	r->proposed_at = gg_db_col_i64(st, 4);
	r->decided_by = gg_db_col_i64(st, 5);
	r->decided_at = gg_db_col_i64(st, 6);
	r->reason = dup_or_null(gg_db_col_text(st, 7));
	r->total_fen = gg_db_col_i64(st, 8);
	r->npayments = gg_db_col_i64(st, 9);
	r->version = gg_db_col_i64(st, 10);
	gg_db_col_copy(st, 11, r->proposer, sizeof(r->proposer));
	gg_db_col_copy(st, 12, r->decider, sizeof(r->decider));
	r->paid_fen = gg_db_col_i64(st, 13);
	r->failed_fen = gg_db_col_i64(st, 14);
	r->returned_fen = gg_db_col_i64(st, 15);
	r->pending_fen = gg_db_col_i64(st, 16);
	if (gg_db_col_text(st, 7) && r->reason == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return GG_OK;
}

enum gg_err gg_payrun_get(struct gg_db *db, int64_t id, struct gg_payrun **out, struct gg_error *err)
{
	struct gg_payrun *r = NULL;
	struct gg_stmt *st = NULL;
	size_t cap = 0;
	int row = 0;
	enum gg_err rc;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK) {
		free(r);
		return rc;
	}
	rc = gg_db_prepare(db, "SELECT " RUN_COLS " WHERE r.id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		rc = read_run(st, r, err);
	gg_db_done(st);
	st = NULL;
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown payment run %lld", (long long)id);
	if (rc == GG_OK)
		rc = gg_db_prepare(db, "SELECT " PAYMENT_COLS PAYMENT_FROM " WHERE x.run_id = ? ORDER BY x.id", &st,
		                   err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (r->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct gg_payment *g = realloc(r->payments, ncap * sizeof(*g));

			if (g == NULL) {
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
				break;
			}
			r->payments = g;
			cap = ncap;
		}
		rc = read_payment(st, &r->payments[r->n++], err);
	}
	gg_db_done(st);
	gg_db_rollback(db);
	if (rc != GG_OK) {
		gg_payrun_free(r);
		return rc;
	}
	*out = r;
	return GG_OK;
}

enum gg_err gg_payrun_list(struct gg_db *db, const struct gg_payrun_query *q, struct gg_payrun **out, size_t *n,
                           int *more, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int limit = q->limit > 0 ? q->limit : 50, row = 0;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if ((*out = calloc((size_t)limit, sizeof(**out))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK) {
		free(*out);
		*out = NULL;
		return rc;
	}
	rc = gg_db_prepare(db,
	                   "SELECT " RUN_COLS " WHERE (?1 = 0 OR r.period = ?1) AND (?2 IS NULL OR r.status = ?2)"
	                   " AND (?3 = 0 OR r.id < ?3) ORDER BY r.id DESC LIMIT ?4",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, q->period);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, q->status);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, q->before_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, limit + 1);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (*n == (size_t)limit) {
			*more = 1;
			break;
		}
		rc = read_run(st, &(*out)[(*n)++], err);
	}
	gg_db_done(st);
	gg_db_rollback(db);
	if (rc != GG_OK) {
		gg_payrun_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* The bank file. */

static const char *const bank_header[] = {"reference", "payee_name", "account_no", "bank", "amount"};

/* The rows of the bank file of run_id, each through fn; in the caller's transaction. */
struct bank_rows {
	char (*cells)[5][256];
	size_t n;
};

static enum gg_err read_bank_rows(struct gg_db *db, const struct gg_keys *keys, int64_t run_id, struct bank_rows *br,
                                  struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t cap = 0;
	int row = 0;
	enum gg_err rc;

	br->cells = NULL;
	br->n = 0;
	rc = gg_db_prepare(db,
	                   "SELECT reference, payee_name, account_sealed, bank, amount_fen FROM payments"
	                   " WHERE run_id = ? AND status <> 'cancelled' ORDER BY id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, run_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		size_t len = 0;
		const void *sealed = gg_db_col_blob(st, 2, &len);
		char money[GG_MONEY_TEXT_MAX];

		if (br->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char(*g)[5][256] = realloc(br->cells, ncap * sizeof(*g));

			if (g == NULL) {
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
				break;
			}
			br->cells = g;
			cap = ncap;
		}
		gg_db_col_copy(st, 0, br->cells[br->n][0], 256);
		gg_db_col_copy(st, 1, br->cells[br->n][1], 256);
		gg_db_col_copy(st, 3, br->cells[br->n][3], 256);
		snprintf(br->cells[br->n][4], 256, "%s", gg_money_format(gg_db_col_i64(st, 4), money));
		rc = gg_payee_open(keys, sealed, len, br->cells[br->n][2], 256, err);
		br->n++;
	}
	gg_db_done(st);
	return rc;
}

static enum gg_err bank_csv(const struct bank_rows *br, struct gg_buf *out, struct gg_error *err)
{
	enum gg_err rc = gg_buf_adds(out, BOM);

	if (rc == GG_OK)
		rc = gg_csv_write_row(out, bank_header, 5);
	for (size_t i = 0; rc == GG_OK && i < br->n; i++) {
		const char *cells[5] = {br->cells[i][0], br->cells[i][1], br->cells[i][2], br->cells[i][3],
		                        br->cells[i][4]};

		rc = gg_csv_write_row(out, cells, 5);
	}
	return rc == GG_OK ? GG_OK : gg_error_set(err, rc, "the bank file is too large");
}

static enum gg_err bank_xlsx(const struct bank_rows *br, int64_t created, struct gg_buf *out, struct gg_error *err)
{
	const char *tmp = getenv("TMPDIR");
	char path[512];
	struct gg_xlsx *x = NULL;
	enum gg_err rc;
	int fd;

	snprintf(path, sizeof(path), "%s/guanggu-bank-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return gg_error_set(err, GG_E_IO, "cannot make a temporary file for the bank file");
	close(fd);
	rc = gg_xlsx_new(path, "bank", &x, err);
	if (rc == GG_OK)
		rc = gg_xlsx_set_created(x, created, err);
	if (rc == GG_OK)
		rc = gg_xlsx_row(x, bank_header, 5, err);
	for (size_t i = 0; rc == GG_OK && i < br->n; i++) {
		const char *cells[5] = {br->cells[i][0], br->cells[i][1], br->cells[i][2], br->cells[i][3],
		                        br->cells[i][4]};

		rc = gg_xlsx_row(x, cells, 5, err);
	}
	if (x != NULL) {
		enum gg_err crc = gg_xlsx_close(x, rc == GG_OK ? err : NULL);

		if (rc == GG_OK)
			rc = crc;
	}
	if (rc == GG_OK)
		rc = gg_buf_read_file(out, path, err);
	unlink(path);
	return rc;
}

enum gg_err gg_payrun_bank_file(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                                int64_t run_id, enum gg_payrun_format format, struct gg_buf *out, struct gg_error *err)
{
	struct bank_rows br = {NULL, 0};
	struct run_head h;
	int64_t decided_at = 0;
	int found = 0;
	enum gg_err rc;

	gg_buf_reset(out);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = run_head(db, run_id, &h, err);
	if (rc == GG_OK && strcmp(h.status, "approved") != 0 && strcmp(h.status, "closed") != 0)
		rc = gg_error_set(err, GG_E_CONFLICT, "payment run %lld is %s: a bank file is for an approved run",
		                  (long long)run_id, h.status);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT decided_at FROM payment_runs WHERE id = ?", &run_id, 1, &decided_at,
		                     &found, err);
	if (rc == GG_OK)
		rc = read_bank_rows(db, keys, run_id, &br, err);
	if (rc == GG_OK)
		rc = format == GG_PAYRUN_XLSX ? bank_xlsx(&br, decided_at, out, err) : bank_csv(&br, out, err);
	if (rc == GG_OK) {
		char rows[24];
		const struct gg_audit_change changes[] = {{"format", NULL, format == GG_PAYRUN_XLSX ? "xlsx" : "csv"},
		                                          {"rows", NULL, rows},
		                                          {"accounts", NULL, "unmasked"}};

		snprintf(rows, sizeof(rows), "%zu", br.n);
		rc = gg_audit_by(db, actor, "payrun.bank_file", "payment_run", run_id, changes, 3, err);
	}
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (br.cells)
		memset(br.cells, 0, br.n * sizeof(*br.cells));
	free(br.cells);
	if (rc != GG_OK)
		gg_buf_reset(out);
	return rc;
}

/* The bank's result. */

static const char *const result_header[] = {"reference", "amount", "status", "bank_txn_id", "date", "reason"};

struct result_row {
	size_t line;
	int64_t payment, amount;
	int current_paid; /* the payment is paid now (returned after paid) */
	int stage;        /* of err: 1 the amount's (checked after the payment is found), 2 after the amount compares */
	char *err;        /* the first failing check that needs no database (deferred so rows report in order) */
	char reference[32], status[12], txn[65], date[11];
	char *reason; /* NULL when empty; at most RESULT_REASON_MAX bytes */
};

#define RESULT_REASON_MAX 500

struct result_ctx {
	struct gg_db *db;
	int64_t run_id;
	int header_seen;
	struct result_row *rows;
	size_t n, cap;
	int64_t first_entry, last_entry, total; /* the entries posted (consecutive ids) and their total */
	size_t *seen, nseen; /* references of rows (index + 1), open addressing over nseen (a power of two) slots */
	struct gg_payrun_result *res;
	size_t errcap;
	enum gg_err fatal; /* a database or memory error: stop */
};

static enum gg_err row_error(struct result_ctx *c, size_t line, const char *reference, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum gg_err row_error(struct result_ctx *c, size_t line, const char *reference, const char *fmt, ...)
{
	struct gg_payrun_result *r = c->res;
	va_list ap;

	if (r->nerrors == c->errcap) {
		size_t ncap = c->errcap ? c->errcap * 2 : 16;
		struct gg_payrun_row_error *g = realloc(r->errors, ncap * sizeof(*g));

		if (g == NULL)
			return GG_E_NOMEM;
		r->errors = g;
		c->errcap = ncap;
	}
	r->errors[r->nerrors].line = line;
	snprintf(r->errors[r->nerrors].reference, sizeof(r->errors[0].reference), "%s", reference ? reference : "");
	va_start(ap, fmt);
	vsnprintf(r->errors[r->nerrors].reason, sizeof(r->errors[0].reason), fmt, ap);
	va_end(ap);
	r->nerrors++;
	return GG_OK;
}

/* Remembers r's first failing check that needs no database, to be reported in line order (see check_rows). */
static enum gg_err defer_error(struct result_row *r, int stage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum gg_err defer_error(struct result_row *r, int stage, const char *fmt, ...)
{
	char msg[GG_PAYRUN_WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->stage = stage;
	return (r->err = strdup(msg)) == NULL ? GG_E_NOMEM : GG_OK;
}

static int by_line(const void *a, const void *b)
{
	const struct gg_payrun_row_error *x = a, *y = b;

	return (x->line > y->line) - (x->line < y->line);
}

static int valid_day(const char *s)
{
	int64_t d = 0;

	return s && strlen(s) == 10 && gg_pack_parse_day(s, &d) == 0;
}

static size_t reference_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The earlier row with reference, or NULL: a hash lookup, so a file of n rows is checked in O(n). */
static const struct result_row *seen_row(const struct result_ctx *c, const char *reference)
{
	if (c->nseen == 0)
		return NULL;
	for (size_t i = reference_hash(reference) & (c->nseen - 1); c->seen[i] != 0; i = (i + 1) & (c->nseen - 1))
		if (strcmp(c->rows[c->seen[i] - 1].reference, reference) == 0)
			return &c->rows[c->seen[i] - 1];
	return NULL;
}

/* Remembers c->rows[idx]'s reference; the table stays at most half full. */
static enum gg_err seen_add(struct result_ctx *c, size_t idx)
{
	if (2 * (idx + 1) > c->nseen) {
		size_t n = c->nseen ? c->nseen * 2 : 64;
		size_t *g = calloc(n, sizeof(*g));

		if (g == NULL)
			return GG_E_NOMEM;
		for (size_t i = 0; i < c->nseen; i++) {
			size_t j;

			if (c->seen[i] == 0)
				continue;
			for (j = reference_hash(c->rows[c->seen[i] - 1].reference) & (n - 1); g[j] != 0;
			     j = (j + 1) & (n - 1))
				;
			g[j] = c->seen[i];
		}
		free(c->seen);
		c->seen = g;
		c->nseen = n;
	}
	{
		size_t j = reference_hash(c->rows[idx].reference) & (c->nseen - 1);

		while (c->seen[j] != 0)
			j = (j + 1) & (c->nseen - 1);
		c->seen[j] = idx + 1;
	}
	return GG_OK;
}

/* Appends r to c->rows and remembers its reference. */
static enum gg_err push_row(struct result_ctx *c, const struct result_row *r)
{
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		struct result_row *g = realloc(c->rows, ncap * sizeof(*g));

		if (g == NULL)
			return GG_E_NOMEM;
		c->rows = g;
		c->cap = ncap;
	}
	c->rows[c->n] = *r;
	if (seen_add(c, c->n) != GG_OK)
		return GG_E_NOMEM;
	c->n++;
	return GG_OK;
}

/*
 * One row of the file, checked without the database: a bad column count,
 * reference or duplicate is reported at once (the row is not looked up,
 * r.payment -1); a later failing check is deferred with its stage, since
 * the payment's checks (check_rows) come between them.
 */
static enum gg_err result_row_fn(void *ctx, size_t line, const char *const *f, size_t nf, struct gg_error *err)
{
	struct result_ctx *c = ctx;
	struct result_row r;
	struct gg_error perr;
	enum gg_err rc = GG_OK;

	if (!c->header_seen) {
		c->header_seen = 1;
		for (size_t i = 0; i < 6; i++)
			if (nf != 6 || strcmp(f[i], result_header[i]) != 0)
				return gg_error_field(err, GG_E_INVALID, "file",
				                      "a bank result file starts with the header"
				                      " reference,amount,status,bank_txn_id,date,reason");
		return GG_OK;
	}
	memset(&r, 0, sizeof(r));
	r.line = line;
	if (nf != 6)
		return row_error(c, line, nf > 0 ? f[0] : "", "6 columns expected, not %zu", nf) == GG_OK
		           ? GG_OK
		           : (c->fatal = gg_error_set(err, GG_E_NOMEM, NULL));
	snprintf(r.reference, sizeof(r.reference), "%s", f[0]);
	if (strlen(f[0]) >= sizeof(r.reference) || f[0][0] == '\0') {
		rc = row_error(c, line, "", "a reference of 1 to %zu characters is required", sizeof(r.reference) - 1);
		r.payment = -1;
		goto push;
	}
	{
		const struct result_row *earlier = seen_row(c, r.reference);

		if (earlier != NULL) {
			rc = row_error(c, line, r.reference, "reference %s is on line %zu already", r.reference,
			               earlier->line);
			r.payment = -1;
			goto push;
		}
	}
	gg_error_init(&perr);
	if (f[1][0] == '-') {
		rc = defer_error(&r, 1, "a negative amount '%.32s'", f[1]);
		goto push;
	}
	if (gg_money_parse(f[1], &r.amount, &perr) != GG_OK) {
		rc = defer_error(&r, 1, "amount '%.32s': %s", f[1], gg_error_message(&perr));
		goto push;
	}
	snprintf(r.status, sizeof(r.status), "%s", f[2]);
	if (strcmp(f[2], "paid") != 0 && strcmp(f[2], "failed") != 0 && strcmp(f[2], "returned") != 0) {
		rc = defer_error(&r, 2, "status '%.32s' is not paid, failed or returned", f[2]);
		goto push;
	}
	if (strlen(f[3]) >= sizeof(r.txn) || (strcmp(f[2], "paid") == 0 && f[3][0] == '\0')) {
		rc = defer_error(&r, 2, "a bank_txn_id of 1 to 64 characters is required for a paid row");
		goto push;
	}
	snprintf(r.txn, sizeof(r.txn), "%s", f[3]);
	if (!valid_day(f[4])) {
		rc = defer_error(&r, 2, "date '%.32s' is not a day YYYY-MM-DD", f[4]);
		goto push;
	}
	snprintf(r.date, sizeof(r.date), "%s", f[4]);
	if (strlen(f[5]) > RESULT_REASON_MAX) {
		rc = defer_error(&r, 2, "a reason is at most %d bytes", RESULT_REASON_MAX);
		goto push;
	}
	if (f[5][0] != '\0' && (r.reason = strdup(f[5])) == NULL)
		rc = GG_E_NOMEM;
push:
	/* a bad row is kept too, so a later duplicate of it is reported */
	if (rc == GG_OK && push_row(c, &r) != GG_OK)
		rc = GG_E_NOMEM;
	if (rc != GG_OK) {
		free(r.err);
		free(r.reason);
		return c->fatal = gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return GG_OK;
}

/* The TEMP table of the file's rows (seq: the index in c->rows); created in the transaction, dropped before commit. */
#define RESULT_ROWS_CREATE                                                                                        \
	"DROP TABLE IF EXISTS " GG_LEDGER_SETTLE_ROWS ";"                                                         \
	"CREATE TEMP TABLE settle_rows (seq INTEGER PRIMARY KEY, reference TEXT NOT NULL, status TEXT, txn TEXT," \
	" day TEXT, reason TEXT, payment INTEGER, kind TEXT)"

/*
 * Loads the rows that name a payment into the TEMP table: one statement,
 * prepared once (the connection's statement cache hands it back reset).
 */
static enum gg_err load_rows(struct result_ctx *c, struct gg_error *err)
{
	static const char sql[] = "INSERT INTO " GG_LEDGER_SETTLE_ROWS " (seq, reference, status, txn, day, reason)"
	                          " VALUES (?, ?, ?, ?, ?, ?)";
	enum gg_err rc;

	if ((rc = gg_db_exec(c->db, RESULT_ROWS_CREATE, err)) != GG_OK)
		return rc;
	for (size_t i = 0; rc == GG_OK && i < c->n; i++) {
		const struct result_row *r = &c->rows[i];
		struct gg_stmt *st = NULL;
		int row = 0;

		if (r->payment < 0)
			continue;
		rc = gg_db_prepare(c->db, sql, &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, (int64_t)i);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 2, r->reference);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 3, r->status);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 4, r->txn);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 5, r->date);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 6, r->reason);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	return rc;
}

/*
 * The checks that need the payments, with one join for the whole file; a
 * row reports its first failing check in the order the row-by-row import
 * had: reference (unknown, another run), amount (bad, different), status,
 * bank_txn_id, date, reason, the payment's state, clawbacks. Then the
 * errors are sorted by line.
 */
static enum gg_err check_rows(struct result_ctx *c, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t next = 0;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(c->db,
	                   "SELECT t.seq, p.id, p.run_id, p.amount_fen, p.status, p.status = 'paid' AND EXISTS"
	                   " (SELECT 1 FROM clawbacks k WHERE k.payment_id = p.id) FROM " GG_LEDGER_SETTLE_ROWS
	                   " t LEFT JOIN payments p ON p.reference = t.reference ORDER BY t.seq",
	                   &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		int64_t seq = gg_db_col_i64(st, 0), pamount = gg_db_col_i64(st, 3);
		struct result_row *r;
		char pstatus[16] = "";
		int found = !gg_db_col_is_null(st, 1), clawed = (int)gg_db_col_i64(st, 5);

		if (seq < 0 || (size_t)seq >= c->n || (size_t)seq < next) {
			rc = gg_error_set(err, GG_E_INTERNAL, "bank result: row %lld out of order", (long long)seq);
			break;
		}
		next = (size_t)seq + 1;
		r = &c->rows[seq];
		gg_db_col_copy(st, 4, pstatus, sizeof(pstatus));
		if (!found || gg_db_col_i64(st, 2) != c->run_id) {
			rc = row_error(c, r->line, r->reference,
			               found ? "reference %s belongs to another run" : "unknown reference %s",
			               r->reference);
		} else if (r->err != NULL && r->stage == 1) {
			rc = row_error(c, r->line, r->reference, "%s", r->err);
		} else if (r->amount != pamount) {
			char a[GG_MONEY_TEXT_MAX], b[GG_MONEY_TEXT_MAX];

			rc = row_error(c, r->line, r->reference, "amount %s differs from the payment's %s",
			               gg_money_format(r->amount, a), gg_money_format(pamount, b));
		} else if (r->err != NULL) {
			rc = row_error(c, r->line, r->reference, "%s", r->err);
		} else if (!(strcmp(pstatus, "approved") == 0 ||
		             (strcmp(pstatus, "paid") == 0 && strcmp(r->status, "returned") == 0))) {
			rc = row_error(c, r->line, r->reference, "payment %s is %s: it cannot become %s", r->reference,
			               pstatus, r->status);
		} else if (clawed) {
			rc = row_error(c, r->line, r->reference, "payment %s has clawbacks: it cannot be returned",
			               r->reference);
		} else {
			r->payment = gg_db_col_i64(st, 1);
			r->current_paid = strcmp(pstatus, "paid") == 0;
		}
		if (rc == GG_E_NOMEM)
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
	}
	gg_db_done(st);
	if (rc == GG_OK && c->res->nerrors > 1)
		qsort(c->res->errors, c->res->nerrors, sizeof(c->res->errors[0]), by_line);
	return rc;
}

/*
 * Applies rows lo..hi-1 (all checked): their entries (gg_ledger_settle_rows_tx),
 * the payments' new state, and the payment.settle audit row of a return after
 * paid. A first settlement (approved -> paid, failed, returned) is recorded
 * by the payment row (status, bank_txn_id, settled_on, reason, updated_at),
 * its entry (created_by, created_at) and the file's one payrun.bank_result
 * audit row; a return after paid overwrites the bank's data, so it keeps
 * its own audit row with what it had.
 */
static enum gg_err apply_rows(struct result_ctx *c, const struct gg_actor *actor, size_t lo, size_t hi,
                              struct gg_error *err)
{
	struct gg_ledger_batch b;
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	if (lo >= hi)
		return GG_OK;
	rc = gg_ledger_settle_rows_tx(c->db, actor, (int64_t)lo, (int64_t)hi, &b, err);
	if (rc == GG_OK && b.entries != (int64_t)(hi - lo))
		rc = gg_error_set(err, GG_E_INTERNAL, "bank result: %lld entries for %zu rows", (long long)b.entries,
		                  hi - lo);
	if (rc != GG_OK)
		return rc;
	if (c->first_entry == 0)
		c->first_entry = b.first_entry;
	c->last_entry = b.last_entry;
	c->total += b.total_fen;
	rc = gg_db_prepare(c->db,
	                   "UPDATE payments AS p SET status = t.status, bank_txn_id = NULLIF(t.txn, ''), settled_on ="
	                   " t.day, reason = NULLIF(t.reason, ''), updated_at = ?1 FROM " GG_LEDGER_SETTLE_ROWS
	                   " t WHERE p.id = t.payment AND t.seq >= ?2 AND t.seq < ?3",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, (int64_t)lo);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, (int64_t)hi);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && gg_db_changes(c->db) != (int64_t)(hi - lo))
		rc = gg_error_set(err, GG_E_INTERNAL, "bank result: %lld payments updated for %zu rows",
		                  (long long)gg_db_changes(c->db), hi - lo);
	for (size_t i = lo; rc == GG_OK && i < hi; i++) {
		const struct result_row *r = &c->rows[i];

		if (r->current_paid) {
			const struct gg_audit_change changes[] = {{"status", "paid", r->status},
			                                          {"bank_txn_id", NULL, r->txn[0] ? r->txn : NULL},
			                                          {"date", NULL, r->date}};

			rc = gg_audit_by(c->db, actor, "payment.settle", "payment", r->payment, changes, 3, err);
		}
	}
	return rc;
}

enum gg_err gg_payrun_bank_result(struct gg_db *db, const struct gg_actor *actor, int64_t run_id, const char *name,
                                  const char *data, size_t len, struct gg_payrun_result *res, struct gg_error *err)
{
	struct result_ctx c;
	struct run_head h;
	char sha[GG_SHA256_HEX];
	int64_t applied_run = 0, open = 0;
	int found = 0;
	enum gg_err rc;

	memset(res, 0, sizeof(*res));
	memset(&c, 0, sizeof(c));
	if (len == 0)
		return gg_error_field(err, GG_E_INVALID, "file", "the bank result file is empty");
	if (len > GG_PAYRUN_RESULT_MAX)
		return gg_error_field(err, GG_E_TOO_LARGE, "file", "a bank result file is at most %u bytes",
		                      GG_PAYRUN_RESULT_MAX);
	gg_crypto_sha256_hex(data, len, sha);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = run_head(db, run_id, &h, err)) != GG_OK)
		goto out;
	{
		struct gg_stmt *st = NULL;
		int row = 0;

		rc = gg_db_prepare(db, "SELECT run_id FROM bank_results WHERE sha256 = ?", &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 1, sha);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		if (rc == GG_OK && row)
			applied_run = gg_db_col_i64(st, 0);
		gg_db_done(st);
	}
	if (rc != GG_OK)
		goto out;
	if (applied_run == run_id) {
		res->already = 1;
		goto out;
	}
	if (applied_run != 0) {
		rc = gg_error_field(err, GG_E_CONFLICT, "file", "this file was applied to payment run %lld",
		                    (long long)applied_run);
		goto out;
	}
	if (strcmp(h.status, "approved") != 0 && strcmp(h.status, "closed") != 0) {
		rc = gg_error_set(err, GG_E_CONFLICT,
		                  "payment run %lld is %s: a bank result is for an approved (or closed) run",
		                  (long long)run_id, h.status);
		goto out;
	}
	c.db = db;
	c.run_id = run_id;
	c.res = res;
	if (len >= 3 && memcmp(data, BOM, 3) == 0) {
		data += 3;
		len -= 3;
	}
	rc = gg_csv_parse(data, len, result_row_fn, &c, err);
	if (rc != GG_OK) {
		if (c.fatal == GG_OK && rc == GG_E_INVALID && err->nfields == 0)
			gg_error_field(err, GG_E_INVALID, "file", "%s", gg_error_message(err));
		goto out;
	}
	if (!c.header_seen) {
		rc = gg_error_field(err, GG_E_INVALID, "file", "the bank result file has no header");
		goto out;
	}
	if ((rc = load_rows(&c, err)) != GG_OK || (rc = check_rows(&c, err)) != GG_OK)
		goto out;
	if (res->nerrors > 0) {
		rc = gg_error_set(err, GG_E_RULE, "the bank result file has %zu bad rows: nothing was applied",
		                  res->nerrors);
		for (size_t i = 0; i < res->nerrors && i < GG_ERROR_FIELDS_MAX; i++) {
			char field[32];

			snprintf(field, sizeof(field), "rows.%zu", res->errors[i].line);
			gg_error_field(err, GG_E_RULE, field, "line %zu: %s", res->errors[i].line,
			               res->errors[i].reason);
		}
		goto out;
	}
	if (c.n == 0) {
		rc = gg_error_field(err, GG_E_INVALID, "file", "the bank result file has no rows");
		goto out;
	}
	/* each row's kind: failed, or returned before it was paid, gives the approval back */
	rc = gg_db_exec(db,
	                "UPDATE " GG_LEDGER_SETTLE_ROWS " AS t SET payment = p.id, kind = CASE WHEN t.status = 'paid'"
	                " THEN 'payment' WHEN t.status = 'failed' OR p.status <> 'paid' THEN 'payment_failed' ELSE"
	                " 'payment_returned' END FROM payments p WHERE p.reference = t.reference",
	                err);
	/* in two halves, the fault point between them: a crash there leaves half the effects uncommitted */
	if (rc == GG_OK)
		rc = apply_rows(&c, actor, 0, c.n / 2, err);
	if (rc == GG_OK && c.n > 1)
		gg_fault("payrun.result.between_rows");
	if (rc == GG_OK)
		rc = apply_rows(&c, actor, c.n / 2, c.n, err);
	if (rc == GG_OK)
		rc = gg_db_exec(db, "DROP TABLE " GG_LEDGER_SETTLE_ROWS, err);
	if (rc == GG_OK) {
		res->rows = c.n;
		for (size_t i = 0; i < c.n; i++) {
			if (strcmp(c.rows[i].status, "paid") == 0)
				res->paid++;
			else if (strcmp(c.rows[i].status, "failed") == 0)
				res->failed++;
			else
				res->returned++;
		}
	}
	if (rc == GG_OK) {
		struct gg_stmt *st = NULL;
		int row = 0;

		rc = gg_db_prepare(db,
		                   "INSERT INTO bank_results (run_id, sha256, name, rows, imported_by, imported_at)"
		                   " VALUES (?, ?, ?, ?, ?, ?)",
		                   &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, run_id);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 2, sha);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 3, name && name[0] ? name : "bank-result.csv");
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 4, (int64_t)c.n);
		if (rc == GG_OK)
			rc = gg_db_bind_id(st, 5, actor->id);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 6, gg_clock_now());
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	if (rc == GG_OK)
		rc = gg_db_query_i64(
		    db, "SELECT count(*) FROM payments WHERE run_id = ? AND status IN ('proposed', 'approved')",
		    &run_id, 1, &open, &found, err);
	if (rc == GG_OK && open == 0 && strcmp(h.status, "approved") == 0) {
		rc = gg_db_run_i64(db, "UPDATE payment_runs SET status = 'closed', version = version + 1 WHERE id = ?",
		                   &run_id, 1, err);
		res->closed = 1;
	}
	if (rc == GG_OK) {
		char rows[24], paid[24], failed[24], returned[24], total[GG_MONEY_TEXT_MAX], entries[48];
		const struct gg_audit_change changes[] = {
		    {"file", NULL, sha},          {"rows", NULL, rows},
		    {"paid", NULL, paid},         {"failed", NULL, failed},
		    {"returned", NULL, returned}, {"total", NULL, gg_money_format(c.total, total)},
		    {"entries", NULL, entries},   {"status", "approved", res->closed ? "closed" : NULL}};

		snprintf(rows, sizeof(rows), "%zu", c.n);
		snprintf(paid, sizeof(paid), "%zu", res->paid);
		snprintf(failed, sizeof(failed), "%zu", res->failed);
		snprintf(returned, sizeof(returned), "%zu", res->returned);
		snprintf(entries, sizeof(entries), "%lld-%lld", (long long)c.first_entry, (long long)c.last_entry);
		rc = gg_audit_by(db, actor, "payrun.bank_result", "payment_run", run_id, changes,
		                 sizeof changes / sizeof changes[0], err);
	}
out:
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK && rc != GG_E_RULE) {
		free(res->errors);
		res->errors = NULL;
		res->nerrors = 0;
	}
	if (rc != GG_OK) {
		res->rows = res->paid = res->failed = res->returned = 0;
		res->closed = 0;
	}
	for (size_t i = 0; i < c.n; i++) {
		free(c.rows[i].reason);
		free(c.rows[i].err);
	}
	free(c.rows);
	free(c.seen);
	return rc;
}

/* Clawbacks. */

enum gg_err gg_payrun_clawback(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id, int64_t amount_fen,
                               const char *reason, int64_t *clawback_id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char status[16] = "", amount_text[GG_MONEY_TEXT_MAX], payment_text[24];
	int64_t paid = 0, earlier = 0, entry = 0;
	int row = 0, found = 0;
	enum gg_err rc;

	*clawback_id = 0;
	if (amount_fen <= 0 || amount_fen > GG_MONEY_MAX_FEN)
		gg_error_field(err, GG_E_INVALID, "amount", "a clawback is more than 0");
	if (reason == NULL || reason[0] == '\0')
		gg_error_field(err, GG_E_INVALID, "reason", "a clawback needs a reason");
	else if (strlen(reason) > GG_PAYRUN_CLAWBACK_REASON_MAX)
		gg_error_field(err, GG_E_INVALID, "reason", "a reason is at most %d bytes",
		               GG_PAYRUN_CLAWBACK_REASON_MAX);
	if (err->code != GG_OK)
		return err->code;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, "SELECT status, amount_fen FROM payments WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, payment_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		gg_db_col_copy(st, 0, status, sizeof(status));
		paid = gg_db_col_i64(st, 1);
	}
	gg_db_done(st);
	st = NULL;
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown payment %lld", (long long)payment_id);
	if (rc == GG_OK && strcmp(status, "paid") != 0)
		rc = gg_error_set(err, GG_E_CONFLICT, "payment %lld is %s: only a paid payment is clawed back",
		                  (long long)payment_id, status);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT COALESCE(SUM(amount_fen), 0) FROM clawbacks WHERE payment_id = ?",
		                     &payment_id, 1, &earlier, &found, err);
	if (rc == GG_OK && amount_fen > paid - earlier) {
		char a[GG_MONEY_TEXT_MAX], b[GG_MONEY_TEXT_MAX];

		rc = gg_error_field(err, GG_E_RULE, "amount", "payment %lld has %s left to claw back, not %s",
		                    (long long)payment_id, gg_money_format_grouped(paid - earlier, a),
		                    gg_money_format_grouped(amount_fen, b));
	}
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "INSERT INTO clawbacks (payment_id, amount_fen, reason, created_by, created_at)"
		                   " VALUES (?, ?, ?, ?, ?)",
		                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, payment_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, amount_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, reason);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 4, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, clawback_id, &found, err);
	if (rc == GG_OK)
		rc = gg_ledger_clawback_tx(db, actor, *clawback_id, &entry, err);
	if (rc == GG_OK) {
		const struct gg_audit_change changes[] = {{"payment", NULL, payment_text},
		                                          {"amount", NULL, gg_money_format(amount_fen, amount_text)},
		                                          {"reason", NULL, reason}};

		snprintf(payment_text, sizeof(payment_text), "%lld", (long long)payment_id);
		rc = gg_audit_by(db, actor, "payment.clawback", "clawback", *clawback_id, changes, 3, err);
	}
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		*clawback_id = 0;
	return rc;
}
