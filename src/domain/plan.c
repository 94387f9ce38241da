/*
 * plan: strategic tranches and the cancellation of a plan (plan.h). Each
 * action checks everything before the first write, then writes in one
 * transaction: a refusal leaves nothing behind.
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"
#include "../core/text.h"
#include "ledger.h"
#include "pack.h"
#include "task.h"

/* The plan row we act on. */
struct plan_row {
	int64_t talent_id, total_fen;
	char kind[16], status[16], start_on[11];
	char pack[GG_POLICY_NAME_MAX], version[GG_POLICY_NAME_MAX];
};

static enum gg_err plan_row(struct gg_db *db, int64_t id, struct plan_row *p, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(p, 0, sizeof *p);
	rc = gg_db_prepare(db,
	                   "SELECT talent_id, total_fen, kind, status, start_on, pack, version FROM subsidy_plans"
	                   " WHERE id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		p->talent_id = gg_db_col_i64(st, 0);
		p->total_fen = gg_db_col_i64(st, 1);
		gg_db_col_copy(st, 2, p->kind, sizeof p->kind);
		gg_db_col_copy(st, 3, p->status, sizeof p->status);
		gg_db_col_copy(st, 4, p->start_on, sizeof p->start_on);
		gg_db_col_copy(st, 5, p->pack, sizeof p->pack);
		gg_db_col_copy(st, 6, p->version, sizeof p->version);
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown plan %lld", (long long)id);
	return rc;
}

enum gg_err gg_plan_formula_paid(struct gg_db *db, int64_t talent_id, int64_t *fen, struct gg_error *err)
{
	int found = 0;

	*fen = 0;
	return gg_db_query_i64(
	    db,
	    "SELECT COALESCE(SUM(l.debit_fen), 0) - COALESCE(SUM(l.credit_fen), 0) FROM journal_lines l"
	    " JOIN subsidy_plans p ON p.id = l.plan_id WHERE l.account = 'fund_paid'"
	    " AND p.talent_id = ? AND p.kind = 'formula'",
	    &talent_id, 1, fen, &found, err);
}

/* The strategic cap of the plan's version (*cap -1 when that version is not loaded). */
static void cap_of(const struct gg_policyset *set, const struct plan_row *p, int64_t *cap)
{
	const struct gg_pack *pack = set ? gg_policyset_find(set, p->pack) : NULL;

	*cap = -1;
	for (size_t i = 0; pack && i < pack->nversions; i++)
		if (strcmp(pack->versions[i].version, p->version) == 0)
			*cap = pack->versions[i].strategic_cap_fen;
}

/* What the tranches of strategic plan id may total: the package, within the cap less formula amounts paid. */
static enum gg_err limit_of(struct gg_db *db, const struct gg_policyset *set, int64_t id, const struct plan_row *p,
                            int64_t *limit, int64_t *cap, int64_t *paid, struct gg_error *err)
{
	enum gg_err rc;

	(void)id;
	*limit = p->total_fen;
	cap_of(set, p, cap);
	if ((rc = gg_plan_formula_paid(db, p->talent_id, paid, err)) != GG_OK)
		return rc;
	if (*cap >= 0 && *cap - *paid < *limit)
		*limit = *cap - *paid > 0 ? *cap - *paid : 0;
	return GG_OK;
}

static enum gg_err tranche_sum(struct gg_db *db, int64_t plan_id, int64_t *sum, int64_t *next, struct gg_error *err)
{
	int found = 0;
	enum gg_err rc;

	rc = gg_db_query_i64(db,
	                     "SELECT COALESCE(SUM(amount_fen), 0) FROM installments WHERE plan_id = ?"
	                     " AND status = 'planned'",
	                     &plan_id, 1, sum, &found, err);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT COALESCE(MAX(year), 0) + 1 FROM installments WHERE plan_id = ?",
		                     &plan_id, 1, next, &found, err);
	return rc;
}

/* Everything about a tranche that needs no database: *milestone (owned) and *due_day. */
static enum gg_err check_tranche(const struct gg_plan_tranche_input *in, char **milestone, int64_t *due_day,
                                 struct gg_error *err)
{
	*milestone = NULL;
	if (gg_text_nfkc_dup(in->milestone, "milestone", GG_PLAN_MILESTONE_MAX, milestone, err) == GG_OK &&
	    !**milestone)
		gg_error_field(err, GG_E_INVALID, "milestone", "milestone is required");
	if (!in->due_on || strlen(in->due_on) != 10 || gg_pack_parse_day(in->due_on, due_day) != 0)
		gg_error_field(err, GG_E_INVALID, "due_on", "due_on '%.32s' is not a date YYYY-MM-DD",
		               in->due_on ? in->due_on : "");
	if (in->amount_fen <= 0 || in->amount_fen > GG_MONEY_MAX_FEN)
		gg_error_field(err, GG_E_INVALID, "amount", "amount must be above 0");
	return err->code;
}

static enum gg_err insert_tranche(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, int year,
                                  const struct gg_plan_tranche_input *in, const char *milestone, int64_t *id,
                                  struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "INSERT INTO installments (plan_id, year, due_on, base_fen, amount_fen, status)"
	                   " VALUES (?, ?, ?, 0, ?, 'planned') RETURNING id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, year);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, in->due_on);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, in->amount_fen);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	if (rc != GG_OK)
		return rc;
	rc = gg_db_prepare(
	    db, "INSERT INTO tranches (installment_id, milestone, entered_by, created_at) VALUES (?, ?, ?, ?)", &st,
	    err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, *id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, milestone);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 3, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_plan_add_tranche(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                int64_t plan_id, const struct gg_plan_tranche_input *in, int64_t *installment_id,
                                int *committed, struct gg_error *err)
{
	struct plan_row p;
	char *milestone = NULL;
	char a[GG_MONEY_TEXT_MAX], b[GG_MONEY_TEXT_MAX], c[GG_MONEY_TEXT_MAX];
	int64_t due_day = 0, start_day = 0, sum = 0, next = 0, limit = 0, cap = -1, paid = 0, available = 0, entry = 0;
	enum gg_err rc;

	*installment_id = 0;
	*committed = 0;
	if (check_tranche(in, &milestone, &due_day, err) != GG_OK) {
		free(milestone);
		return err->code;
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	if ((rc = plan_row(db, plan_id, &p, err)) != GG_OK)
		goto fail;
	if (strcmp(p.kind, "strategic") != 0 || strcmp(p.status, "active") != 0) {
		rc = gg_error_set(err, GG_E_CONFLICT, "plan %lld is not an active strategic plan (%s, %s)",
		                  (long long)plan_id, p.kind, p.status);
		goto fail;
	}
	if (gg_pack_parse_day(p.start_on, &start_day) == 0 && due_day < start_day) {
		rc = gg_error_field(err, GG_E_RULE, "due_on", "due_on %s is before the plan's start %s", in->due_on,
		                    p.start_on);
		goto fail;
	}
	if ((rc = tranche_sum(db, plan_id, &sum, &next, err)) != GG_OK)
		goto fail;
	if (next > GG_PLAN_TRANCHES_MAX) {
		rc = gg_error_set(err, GG_E_RULE, "a strategic plan has at most %d tranches", GG_PLAN_TRANCHES_MAX);
		goto fail;
	}
	cap_of(set, &p, &cap);
	if (cap < 0) {
		rc = gg_error_set(err, GG_E_RULE, "the policy version %s of pack %s is not loaded: the cap is unknown",
		                  p.version, p.pack);
		goto fail;
	}
	if ((rc = limit_of(db, set, plan_id, &p, &limit, &cap, &paid, err)) != GG_OK)
		goto fail;
	if (in->amount_fen > limit - sum) {
		gg_money_format_grouped(sum + in->amount_fen, a);
		gg_money_format_grouped(limit, b);
		gg_money_format_grouped(limit - sum > 0 ? limit - sum : 0, c);
		if (limit < p.total_fen) {
			char capt[GG_MONEY_TEXT_MAX], paidt[GG_MONEY_TEXT_MAX];

			rc = gg_error_field(
			    err, GG_E_RULE, "amount",
			    "the tranches would total %s, above %s (the strategic cap %s less %s of formula"
			    " amounts already paid): room %s",
			    a, b, gg_money_format_grouped(cap, capt), gg_money_format_grouped(paid, paidt), c);
		} else
			rc =
			    gg_error_field(err, GG_E_RULE, "amount",
			                   "the tranches would total %s, above the package total %s: room %s", a, b, c);
		goto fail;
	}
	if ((rc = insert_tranche(db, actor, plan_id, (int)next, in, milestone, installment_id, err)) != GG_OK ||
	    (rc = gg_ledger_available(db, &available, err)) != GG_OK)
		goto fail;
	if (available >= in->amount_fen) {
		if ((rc = gg_ledger_commit_installment_tx(db, actor, *installment_id, in->amount_fen, &entry, err)) !=
		    GG_OK)
			goto fail;
		*committed = 1;
	}
	{
		char inst[24], year[8], amount[GG_MONEY_TEXT_MAX];
		const struct gg_audit_change ch[] = {
		    {"installment", NULL, inst},    {"year", NULL, year},
		    {"milestone", NULL, milestone}, {"due_on", NULL, in->due_on},
		    {"amount", NULL, amount},       {"committed", NULL, *committed ? "yes" : "no"}};

		snprintf(inst, sizeof inst, "%lld", (long long)*installment_id);
		snprintf(year, sizeof year, "%lld", (long long)next);
		gg_money_format(in->amount_fen, amount);
		if ((rc = gg_audit_by(db, actor, "plan.tranche", "plan", plan_id, ch, 6, err)) != GG_OK)
			goto fail;
	}
	if ((rc = gg_db_commit(db, err)) == GG_OK)
		goto out;
fail:
	gg_db_rollback(db);
	*installment_id = 0;
	*committed = 0;
out:
	free(milestone);
	return rc;
}

/* ---- cancellation ---- */

struct lapse {
	int64_t inst, ver; /* ver: its open|returned|submitted verification, 0 when none */
	int year;
};

/* The installments of plan_id that lapse: planned, not accepted, without a live payment. */
static enum gg_err lapsing(struct gg_db *db, int64_t plan_id, struct lapse *out, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*n = 0;
	rc = gg_db_prepare(
	    db,
	    "SELECT i.id, i.year, COALESCE((SELECT v.id FROM verifications v WHERE v.installment_id = i.id"
	    " AND v.status IN ('open', 'returned', 'submitted')), 0) FROM installments i"
	    " WHERE i.plan_id = ? AND i.status = 'planned'"
	    " AND NOT EXISTS (SELECT 1 FROM verifications v WHERE v.installment_id = i.id"
	    " AND v.status = 'accepted')"
	    " AND NOT EXISTS (SELECT 1 FROM payments m WHERE m.installment_id = i.id"
	    " AND m.status IN ('proposed', 'approved', 'paid')) ORDER BY i.year",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row && *n < GG_PLAN_TRANCHES_MAX) {
		out[*n].inst = gg_db_col_i64(st, 0);
		out[*n].year = (int)gg_db_col_i64(st, 1);
		out[(*n)++].ver = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	return rc;
}

/* Lapses verification ver (reason), closing its tasks, with its audit row. */
static enum gg_err lapse_verification(struct gg_db *db, const struct gg_actor *actor, int64_t ver, const char *reason,
                                      struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "UPDATE verifications SET status = 'lapsed', reason = ?, decided_by = ?, decided_at = ?,"
	                   " version = version + 1 WHERE id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, reason);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 2, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, ver);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_task_close(db, actor, GG_TASK_verification_answer, ver, "lapsed", NULL, err);
	if (rc == GG_OK)
		rc = gg_task_close(db, actor, GG_TASK_verification_review, ver, "lapsed", NULL, err);
	if (rc == GG_OK) {
		const struct gg_audit_change ch[] = {{"status", NULL, "lapsed"}, {"reason", NULL, reason}};

		rc = gg_audit_by(db, actor, "verification.lapse", "verification", ver, ch, 2, err);
	}
	return rc;
}

static enum gg_err record_cancel(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, const char *ended_on,
                                 const char *reason, int lapsed, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t args[1] = {plan_id};
	int row = 0;
	enum gg_err rc;

	rc = gg_db_run_i64(db, "UPDATE subsidy_plans SET status = 'cancelled' WHERE id = ?", args, 1, err);
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "INSERT INTO plan_cancellations (plan_id, ended_on, reason, lapsed, cancelled_by,"
		                   " cancelled_at) VALUES (?, ?, ?, ?, ?, ?)",
		                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, ended_on);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, reason);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, lapsed);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 5, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_plan_cancel(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, const char *ended_on,
                           const char *reason, int *lapsed, struct gg_error *err)
{
	struct plan_row p;
	struct lapse ls[GG_PLAN_TRANCHES_MAX];
	char *why = NULL, vreason[GG_PLAN_REASON_MAX * 4 + 96], count[16];
	int64_t day = 0, today = 0;
	size_t n = 0;
	enum gg_err rc;

	if (lapsed)
		*lapsed = 0;
	if (gg_text_nfkc_dup(reason, "reason", GG_PLAN_REASON_MAX, &why, err) == GG_OK && !*why)
		gg_error_field(err, GG_E_INVALID, "reason", "reason is required");
	if (!ended_on || strlen(ended_on) != 10 || gg_pack_parse_day(ended_on, &day) != 0)
		gg_error_field(err, GG_E_INVALID, "ended_on", "ended_on '%.32s' is not a date YYYY-MM-DD",
		               ended_on ? ended_on : "");
	if (err->code == GG_OK && (rc = gg_clock_today(&today, err)) == GG_OK && day > today)
		gg_error_field(err, GG_E_RULE, "ended_on", "ended_on %s is in the future", ended_on);
	if (err->code != GG_OK) {
		free(why);
		return err->code;
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	if ((rc = plan_row(db, plan_id, &p, err)) != GG_OK)
		goto fail;
	if (strcmp(p.status, "active") != 0) {
		rc = gg_error_set(err, GG_E_CONFLICT, "plan %lld is %s already", (long long)plan_id, p.status);
		goto fail;
	}
	if ((rc = lapsing(db, plan_id, ls, &n, err)) != GG_OK)
		goto fail;
	snprintf(vreason, sizeof vreason, "plan %lld cancelled: employment ended %s: %s", (long long)plan_id, ended_on,
	         why);
	for (size_t i = 0; i < n; i++) {
		int64_t committed = 0, entry = 0, args[1] = {ls[i].inst};

		rc = gg_db_run_i64(db, "UPDATE installments SET status = 'lapsed', amount_fen = 0 WHERE id = ?", args,
		                   1, err);
		if (rc == GG_OK)
			rc = gg_ledger_installment_committed(db, ls[i].inst, &committed, err);
		if (rc == GG_OK && committed > 0)
			rc = gg_ledger_release_installment_tx(db, actor, ls[i].inst, 0, &entry, err);
		if (rc == GG_OK && ls[i].ver)
			rc = lapse_verification(db, actor, ls[i].ver, vreason, err);
		if (rc != GG_OK)
			goto fail;
	}
	if ((rc = record_cancel(db, actor, plan_id, ended_on, why, (int)n, err)) != GG_OK)
		goto fail;
	snprintf(count, sizeof count, "%zu", n);
	{
		const struct gg_audit_change ch[] = {{"status", p.status, "cancelled"},
		                                     {"ended_on", NULL, ended_on},
		                                     {"reason", NULL, why},
		                                     {"lapsed", NULL, count}};

		if ((rc = gg_audit_by(db, actor, "plan.cancel", "plan", plan_id, ch, 4, err)) != GG_OK)
			goto fail;
	}
	if ((rc = gg_db_commit(db, err)) != GG_OK)
		goto fail;
	if (lapsed)
		*lapsed = (int)n;
	goto out;
fail:
	gg_db_rollback(db);
out:
	free(why);
	return rc;
}

/* ---- reading ---- */

void gg_plan_view_free(struct gg_plan_view *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nitems; i++)
		free(p->items[i].milestone);
	free(p->items);
	free(p->talent_name);
	free(p->pack);
	free(p->version);
	free(p->cancel_reason);
	free(p->cancelled_by_name);
	free(p);
}

static char *dup_col(struct gg_stmt *st, int col, int *ok)
{
	const char *s = gg_db_col_text(st, col);
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*ok = 0;
	return d;
}

static enum gg_err read_head(struct gg_db *db, int64_t id, struct gg_plan_view *p, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0, ok = 1;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "SELECT p.recognition_id, p.talent_id, t.name, p.kind, p.pack, p.version, p.contract_fen,"
	                   " p.start_on, p.total_fen, p.status, COALESCE(r.org_id, 0), c.ended_on, c.reason,"
	                   " COALESCE(c.cancelled_by, 0), COALESCE(c.cancelled_at, 0), p.created_at,"
	                   " COALESCE(c.lapsed, 0), u.display_name"
	                   " FROM subsidy_plans p JOIN talents t ON t.id = p.talent_id"
	                   " JOIN recognitions r ON r.id = p.recognition_id"
	                   " LEFT JOIN plan_cancellations c ON c.plan_id = p.id"
	                   " LEFT JOIN users u ON u.id = c.cancelled_by WHERE p.id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		p->id = id;
		p->recognition_id = gg_db_col_i64(st, 0);
		p->talent_id = gg_db_col_i64(st, 1);
		p->talent_name = dup_col(st, 2, &ok);
		gg_db_col_copy(st, 3, p->kind, sizeof p->kind);
		p->pack = dup_col(st, 4, &ok);
		p->version = dup_col(st, 5, &ok);
		p->contract_fen = gg_db_col_i64(st, 6);
		gg_db_col_copy(st, 7, p->start_on, sizeof p->start_on);
		p->total_fen = gg_db_col_i64(st, 8);
		gg_db_col_copy(st, 9, p->status, sizeof p->status);
		p->org_id = gg_db_col_i64(st, 10);
		gg_db_col_copy(st, 11, p->ended_on, sizeof p->ended_on);
		p->cancel_reason = dup_col(st, 12, &ok);
		p->cancelled_by = gg_db_col_i64(st, 13);
		p->cancelled_at = gg_db_col_i64(st, 14);
		p->created_at = gg_db_col_i64(st, 15);
		p->cancel_lapsed = (int)gg_db_col_i64(st, 16);
		p->cancelled_by_name = dup_col(st, 17, &ok);
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown plan %lld", (long long)id);
	if (rc == GG_OK && !ok)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	return rc;
}

static enum gg_err read_items(struct gg_db *db, struct gg_plan_view *p, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0, ok = 1;
	enum gg_err rc;

	if ((p->items = calloc(GG_PLAN_TRANCHES_MAX, sizeof *p->items)) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc =
	    gg_db_prepare(db,
	                  "SELECT i.id, i.year, i.due_on, i.base_fen, i.amount_fen, i.status, t.milestone,"
	                  " (SELECT COALESCE(SUM(l.debit_fen), 0) - COALESCE(SUM(l.credit_fen), 0) FROM journal_lines l"
	                  "  WHERE l.installment_id = i.id AND l.account = 'fund_committed'),"
	                  " COALESCE(v.id, 0), v.status,"
	                  " COALESCE((SELECT m.id FROM payments m WHERE m.installment_id = i.id"
	                  "  AND m.status IN ('proposed', 'approved', 'paid')), 0),"
	                  " (SELECT m.status FROM payments m WHERE m.installment_id = i.id"
	                  "  AND m.status IN ('proposed', 'approved', 'paid'))"
	                  " FROM installments i LEFT JOIN tranches t ON t.installment_id = i.id"
	                  " LEFT JOIN verifications v ON v.installment_id = i.id WHERE i.plan_id = ? ORDER BY i.year",
	                  &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, p->id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row && p->nitems < GG_PLAN_TRANCHES_MAX) {
		struct gg_plan_item *x = &p->items[p->nitems++];

		x->id = gg_db_col_i64(st, 0);
		x->year = (int)gg_db_col_i64(st, 1);
		gg_db_col_copy(st, 2, x->due_on, sizeof x->due_on);
		x->base_fen = gg_db_col_i64(st, 3);
		x->amount_fen = gg_db_col_i64(st, 4);
		gg_db_col_copy(st, 5, x->status, sizeof x->status);
		x->milestone = dup_col(st, 6, &ok);
		x->committed_fen = gg_db_col_i64(st, 7);
		x->verification_id = gg_db_col_i64(st, 8);
		gg_db_col_copy(st, 9, x->verification_status, sizeof x->verification_status);
		x->payment_id = gg_db_col_i64(st, 10);
		gg_db_col_copy(st, 11, x->payment_status, sizeof x->payment_status);
		if (x->status[0] == 'p' && strcmp(p->kind, "strategic") == 0)
			p->tranche_fen += x->amount_fen;
	}
	gg_db_done(st);
	if (rc == GG_OK && !ok)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	return rc;
}

enum gg_err gg_plan_read(struct gg_db *db, const struct gg_policyset *set, int64_t plan_id, struct gg_plan_view **out,
                         struct gg_error *err)
{
	struct gg_plan_view *p;
	enum gg_err rc;

	*out = NULL;
	if ((p = calloc(1, sizeof *p)) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK) {
		free(p);
		return rc;
	}
	rc = read_head(db, plan_id, p, err);
	if (rc == GG_OK)
		rc = read_items(db, p, err);
	if (rc == GG_OK && strcmp(p->kind, "strategic") == 0) {
		struct plan_row r;
		int64_t cap = -1, paid = 0;

		memset(&r, 0, sizeof r);
		r.talent_id = p->talent_id;
		r.total_fen = p->total_fen;
		snprintf(r.pack, sizeof r.pack, "%s", p->pack);
		snprintf(r.version, sizeof r.version, "%s", p->version);
		rc = limit_of(db, set, plan_id, &r, &p->limit_fen, &cap, &paid, err);
	}
	gg_db_rollback(db);
	if (rc != GG_OK) {
		gg_plan_view_free(p);
		return rc;
	}
	*out = p;
	return GG_OK;
}
