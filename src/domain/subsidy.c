/*
 * subsidy: the plans recognitions create and their installments
 * (subsidy.h). Plans are written once, with their audit row, in the
 * recognition's transaction; a plan's status is the only thing that
 * changes later, and only through a function here that audits it.
 */
#include "subsidy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"
#include "ledger.h"

static const char *const kind_tokens[] = {[GG_PLAN_FORMULA] = "formula", [GG_PLAN_STRATEGIC] = "strategic"};

static enum gg_err audit(struct gg_db *db, const struct gg_actor *actor, const char *action, int64_t id,
                         const struct gg_audit_change *changes, size_t n, struct gg_error *err)
{
	return gg_audit_by(db, actor, action, "plan", id, changes, n, err);
}

enum gg_err gg_subsidy_active_formula(struct gg_db *db, int64_t talent_id, int64_t *plan_id, struct gg_error *err)
{
	int found = 0;
	enum gg_err rc = gg_db_query_i64(
	    db, "SELECT id FROM subsidy_plans WHERE talent_id = ? AND kind = 'formula' AND status = 'active'",
	    &talent_id, 1, plan_id, &found, err);

	if (rc != GG_OK || !found)
		*plan_id = 0;
	return rc;
}

enum gg_err gg_subsidy_cap_used(struct gg_db *db, int64_t talent_id, int64_t *fen, struct gg_error *err)
{
	int found = 0;
	enum gg_err rc = gg_db_query_i64(db,
	                                 "SELECT COALESCE(SUM(i.amount_fen), 0) FROM installments i"
	                                 " JOIN subsidy_plans p ON p.id = i.plan_id"
	                                 " WHERE p.talent_id = ? AND p.kind = 'formula' AND p.status = 'active'"
	                                 " AND i.status = 'planned'",
	                                 &talent_id, 1, fen, &found, err);

	if (rc != GG_OK || !found)
		*fen = 0;
	return rc;
}

/* Inserts the plan row; *id its id. */
static enum gg_err insert_plan(struct gg_db *db, const struct gg_actor *actor, int64_t recognition_id,
                               int64_t talent_id, enum gg_plan_kind kind, const struct gg_pack *pack,
                               const struct gg_pack_version *version, int64_t contract_fen, const char *start_on,
                               int64_t total_fen, int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "INSERT INTO subsidy_plans (recognition_id, talent_id, kind, pack, version, contract_fen,"
	                   " start_on, total_fen, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	                   " RETURNING id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, recognition_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, kind_tokens[kind]);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, pack->name);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, version->version);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, contract_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 7, start_on);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 8, total_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 9, gg_clock_now());
	if (rc == GG_OK)
		rc = actor->id > 0 ? gg_db_bind_i64(st, 10, actor->id) : gg_db_bind_null(st, 10);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_DB, "insert into subsidy_plans returned no id");
	if (rc == GG_OK)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	if (rc == GG_E_DUPLICATE)
		rc = gg_error_set(err, GG_E_CONFLICT,
		                  "talent %lld has an active formula plan already (one entitlement per talent)",
		                  (long long)talent_id);
	return rc;
}

static enum gg_err plan_audit(struct gg_db *db, const struct gg_actor *actor, int64_t id, int64_t recognition_id,
                              enum gg_plan_kind kind, const struct gg_pack *pack, const struct gg_pack_version *version,
                              int64_t total_fen, int ninst, struct gg_error *err)
{
	char rec[24], total[GG_MONEY_TEXT_MAX], policy[GG_POLICY_NAME_MAX * 2 + 2], count[16];
	const struct gg_audit_change changes[] = {
	    {"recognition_id", NULL, rec}, {"kind", NULL, kind_tokens[kind]}, {"policy", NULL, policy},
	    {"total", NULL, total},        {"installments", NULL, count},
	};

	snprintf(rec, sizeof(rec), "%lld", (long long)recognition_id);
	snprintf(policy, sizeof(policy), "%s@%s", pack->name, version->version);
	snprintf(count, sizeof(count), "%d", ninst);
	gg_money_format(total_fen, total);
	return audit(db, actor, "plan.create", id, changes, sizeof changes / sizeof changes[0], err);
}

enum gg_err gg_subsidy_plan_formula_tx(struct gg_db *db, const struct gg_actor *actor, int64_t recognition_id,
                                       int64_t talent_id, const struct gg_pack *pack,
                                       const struct gg_pack_version *version, int64_t contract_fen,
                                       const char *start_on, const struct gg_policy_decision *d, int64_t *plan_id,
                                       struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	*plan_id = 0;
	if (!d->recognised || d->ninst < 1 || d->ninst > GG_POLICY_YEARS_MAX)
		return gg_error_set(err, GG_E_INTERNAL, "a formula plan needs a recognised decision with installments");
	rc = insert_plan(db, actor, recognition_id, talent_id, GG_PLAN_FORMULA, pack, version, contract_fen, start_on,
	                 d->total_fen, plan_id, err);
	for (int i = 0; rc == GG_OK && i < d->ninst; i++) {
		const struct gg_policy_installment *in = &d->inst[i];
		char due[11];

		gg_clock_day_text(in->due_day, due);
		/* a statement given back with gg_db_done is prepared again (from the cache) */
		rc = gg_db_prepare(db,
		                   "INSERT INTO installments (plan_id, year, due_on, base_fen, amount_fen, status)"
		                   " VALUES (?, ?, ?, ?, ?, ?)",
		                   &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, *plan_id);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 2, in->year);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 3, due);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 4, in->base_fen);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 5, in->lapsed ? 0 : in->amount_fen);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 6, in->lapsed ? "lapsed" : "planned");
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	if (rc == GG_OK)
		rc = plan_audit(db, actor, *plan_id, recognition_id, GG_PLAN_FORMULA, pack, version, d->total_fen,
		                d->ninst, err);
	/*
	 * The fund commits the plan when it can cover it. When it cannot, the
	 * recognition still stands (recognition is the law; the hire is not
	 * refused): the plan is left uncommitted, which gg_ledger_balances
	 * counts and `guanggu ledger commit-existing` commits once the fund
	 * is topped up. gg_ledger_commit_plan_tx refuses before it writes.
	 */
	if (rc == GG_OK) {
		int64_t entry = 0;

		rc = gg_ledger_commit_plan_tx(db, actor, *plan_id, &entry, err);
		if (rc == GG_E_RULE) {
			gg_error_init(err);
			rc = GG_OK;
		}
	}
	if (rc != GG_OK)
		*plan_id = 0;
	return rc;
}

enum gg_err gg_subsidy_plan_strategic_tx(struct gg_db *db, const struct gg_actor *actor, int64_t recognition_id,
                                         int64_t talent_id, const struct gg_pack *pack,
                                         const struct gg_pack_version *version, int64_t total_fen, int64_t *plan_id,
                                         struct gg_error *err)
{
	char start[11] = "";
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*plan_id = 0;
	if (total_fen <= 0)
		return gg_error_field(err, GG_E_INVALID, "package_total", "a package total is more than 0");
	/* the plan starts on the recognition's effective day */
	rc = gg_db_prepare(db, "SELECT effective_on FROM recognitions WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, recognition_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		snprintf(start, sizeof(start), "%s", gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "");
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown recognition %lld", (long long)recognition_id);
	if (rc == GG_OK)
		rc = insert_plan(db, actor, recognition_id, talent_id, GG_PLAN_STRATEGIC, pack, version, 0, start,
		                 total_fen, plan_id, err);
	if (rc == GG_OK)
		rc = plan_audit(db, actor, *plan_id, recognition_id, GG_PLAN_STRATEGIC, pack, version, total_fen, 0,
		                err);
	if (rc != GG_OK)
		*plan_id = 0;
	return rc;
}

enum gg_err gg_subsidy_replace_formula_tx(struct gg_db *db, const struct gg_actor *actor, int64_t talent_id,
                                          int64_t *plan_id, struct gg_error *err)
{
	const struct gg_audit_change changes[] = {{"status", "active", "replaced"}};
	enum gg_err rc;

	if ((rc = gg_subsidy_active_formula(db, talent_id, plan_id, err)) != GG_OK || *plan_id == 0)
		return rc;
	rc = gg_db_run_i64(db, "UPDATE subsidy_plans SET status = 'replaced' WHERE id = ?", plan_id, 1, err);
	if (rc == GG_OK)
		rc = audit(db, actor, "plan.replace", *plan_id, changes, 1, err);
	if (rc == GG_OK) {
		int64_t entry = 0;

		/* what the replaced plan had committed goes back to the fund */
		rc = gg_ledger_release_plan_tx(db, actor, *plan_id, &entry, err);
	}
	return rc;
}

void gg_plan_free(struct gg_plan *p)
{
	if (p == NULL)
		return;
	free(p->pack);
	free(p->version);
	free(p->inst);
	free(p);
}

enum gg_err gg_subsidy_plan_of(struct gg_db *db, int64_t recognition_id, struct gg_plan **out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_plan *p = NULL;
	int row = 0;
	enum gg_err rc;

	*out = NULL;
	rc = gg_db_prepare(
	    db,
	    "SELECT id, talent_id, kind, pack, version, contract_fen, start_on, total_fen, status, created_at"
	    " FROM subsidy_plans WHERE recognition_id = ?",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, recognition_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		if ((p = calloc(1, sizeof(*p))) == NULL) {
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
		} else {
			const char *kind = gg_db_col_text(st, 2);

			p->id = gg_db_col_i64(st, 0);
			p->recognition_id = recognition_id;
			p->talent_id = gg_db_col_i64(st, 1);
			p->kind = kind && strcmp(kind, "strategic") == 0 ? GG_PLAN_STRATEGIC : GG_PLAN_FORMULA;
			p->pack = strdup(gg_db_col_text(st, 3) ? gg_db_col_text(st, 3) : "");
			p->version = strdup(gg_db_col_text(st, 4) ? gg_db_col_text(st, 4) : "");
			p->contract_fen = gg_db_col_i64(st, 5);
			snprintf(p->start_on, sizeof(p->start_on), "%s",
			         gg_db_col_text(st, 6) ? gg_db_col_text(st, 6) : "");
			p->total_fen = gg_db_col_i64(st, 7);
			snprintf(p->status, sizeof(p->status), "%s",
			         gg_db_col_text(st, 8) ? gg_db_col_text(st, 8) : "");
			p->created_at = gg_db_col_i64(st, 9);
			if (!p->pack || !p->version)
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
		}
	}
	gg_db_done(st);
	st = NULL;
	if (rc == GG_OK && p)
		rc = gg_db_prepare(
		    db,
		    "SELECT id, year, due_on, base_fen, amount_fen, status FROM installments WHERE plan_id = ?"
		    " ORDER BY year",
		    &st, err);
	if (rc == GG_OK && p)
		rc = gg_db_bind_i64(st, 1, p->id);
	while (rc == GG_OK && p && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_installment *in;

		if (p->ninst == GG_POLICY_YEARS_MAX) {
			rc = gg_error_set(err, GG_E_INTERNAL, "plan %lld has more than %d installments",
			                  (long long)p->id, GG_POLICY_YEARS_MAX);
			break;
		}
		if (p->inst == NULL && (p->inst = calloc(GG_POLICY_YEARS_MAX, sizeof(*p->inst))) == NULL) {
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
			break;
		}
		in = &p->inst[p->ninst++];
		in->id = gg_db_col_i64(st, 0);
		in->year = (int)gg_db_col_i64(st, 1);
		snprintf(in->due_on, sizeof(in->due_on), "%s", gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "");
		in->base_fen = gg_db_col_i64(st, 3);
		in->amount_fen = gg_db_col_i64(st, 4);
		snprintf(in->status, sizeof(in->status), "%s", gg_db_col_text(st, 5) ? gg_db_col_text(st, 5) : "");
	}
	gg_db_done(st);
	if (rc != GG_OK) {
		gg_plan_free(p);
		return rc;
	}
	*out = p;
	return GG_OK;
}
