/*
 * strategic: the bureau's decisions on strategic scientists. A decision
 * is checked whole before anything is written (talent, day, rationale,
 * items, the cap of the version in force on its day), then written with
 * its recognition and plan in the caller's transaction; the trace spells
 * out the cap arithmetic with the values used, so a notice read years
 * later shows why the package was within the cap.
 */
#include "strategic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/money.h"
#include "../core/text.h"
#include "plan.h"
#include "subsidy.h"

static const struct gg_actor system_actor = {0, "system", NULL};

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

/* A decision's checked input: texts normalised (owned), the day, the version in force on it. */
struct checked {
	char talent_name[4 * 64 + 1];
	int64_t day;
	char *rationale;
	char *titles[GG_STRATEGIC_ITEMS_MAX];
	const struct gg_pack *pack;
	const struct gg_pack_version *ver;
	int64_t paid_fen; /* formula amounts already paid to the talent */
};

static void checked_release(struct checked *c)
{
	free(c->rationale);
	for (size_t i = 0; i < GG_STRATEGIC_ITEMS_MAX; i++)
		free(c->titles[i]);
}

static enum gg_err check_input(struct gg_db *db, const struct gg_policyset *set, const struct gg_strategic_input *in,
                               struct checked *c, struct gg_error *err)
{
	struct gg_policy_params params;
	char cap[GG_MONEY_TEXT_MAX], total[GG_MONEY_TEXT_MAX], paid[GG_MONEY_TEXT_MAX], sum_text[GG_MONEY_TEXT_MAX];
	int64_t now_day, sum = 0, other = 0;
	int found = 0;
	enum gg_err rc;

	if ((rc = gg_policyset_need(set, err)) != GG_OK)
		return rc;
	/* the talent: known, not merged */
	if ((rc = gg_talent_live_name(db, in->talent_id, c->talent_name, sizeof c->talent_name, err)) != GG_OK)
		return rc;
	/* the day: real, not after today, with a version in force */
	if (!in->decided_on || strlen(in->decided_on) != 10 || gg_pack_parse_day(in->decided_on, &c->day) != 0)
		return gg_error_field(err, GG_E_INVALID, "decided_on", "decided_on '%.32s' is not a date YYYY-MM-DD",
		                      in->decided_on ? in->decided_on : "");
	if ((rc = gg_clock_today(&now_day, err)) != GG_OK)
		return rc;
	if (c->day > now_day)
		return gg_error_field(err, GG_E_RULE, "decided_on", "decided_on %s is in the future", in->decided_on);
	if ((rc = gg_policyset_params_on(set, NULL, c->day, &params, &c->pack, &c->ver, err)) != GG_OK) {
		if (err->nfields == 0)
			gg_error_field(err, rc, "decided_on", "%s", gg_error_message(err));
		return finish(rc, err);
	}
	/* the rationale */
	if ((rc = gg_text_nfkc_dup(in->rationale, "rationale", GG_STRATEGIC_RATIONALE_MAX, &c->rationale, err)) !=
	    GG_OK)
		return rc;
	if (!*c->rationale)
		return gg_error_field(err, GG_E_RULE, "rationale",
		                      "a strategic scientist is recognised only with a recorded rationale (一事一议)");
	/* the items */
	if (in->nitems > GG_STRATEGIC_ITEMS_MAX)
		return gg_error_field(err, GG_E_INVALID, "items", "a package has at most %d items",
		                      GG_STRATEGIC_ITEMS_MAX);
	for (size_t i = 0; i < in->nitems; i++) {
		char field[48];

		snprintf(field, sizeof field, "items.%zu.title", i);
		if (gg_text_nfkc_dup(in->items[i].title, field, GG_STRATEGIC_TITLE_MAX, &c->titles[i], err) == GG_OK &&
		    !*c->titles[i])
			gg_error_field(err, GG_E_INVALID, field, "%s is required", field);
		snprintf(field, sizeof field, "items.%zu.amount", i);
		if (in->items[i].amount_fen <= 0 || in->items[i].amount_fen > GG_MONEY_MAX_FEN)
			gg_error_field(err, GG_E_INVALID, field, "%s must be an amount above 0", field);
		else
			sum += in->items[i].amount_fen;
	}
	if (err->code != GG_OK)
		return err->code;
	/* the package within the cap room */
	gg_money_format_grouped(in->package_total_fen, total);
	if (in->package_total_fen <= 0)
		return gg_error_field(err, GG_E_RULE, "package_total", "the package total must be above 0");
	/* formula amounts already paid count toward the cap (the ledger's, as plan.c's tranches count them) */
	if ((rc = gg_plan_formula_paid(db, in->talent_id, &c->paid_fen, err)) != GG_OK)
		return finish(rc, err);
	if (in->package_total_fen > c->ver->strategic_cap_fen - c->paid_fen) {
		gg_money_format_grouped(c->ver->strategic_cap_fen, cap);
		gg_money_format_grouped(c->paid_fen, paid);
		return gg_error_field(
		    err, GG_E_RULE, "package_total",
		    "package total %s exceeds the strategic cap %s (%s version %s, in force on %s) less "
		    "%s already paid",
		    total, cap, c->pack->name, c->ver->version, in->decided_on, paid);
	}
	if (in->nitems > 0 && sum != in->package_total_fen) {
		gg_money_format_grouped(sum, sum_text);
		return gg_error_field(err, GG_E_RULE, "items", "the items add up to %s, not the package total %s",
		                      sum_text, total);
	}
	/* one decision per talent */
	const int64_t args[] = {in->talent_id};
	if ((rc = gg_db_query_i64(db, "SELECT id FROM strategic_decisions WHERE talent_id = ?", args, 1, &other, &found,
	                          err)) != GG_OK)
		return finish(rc, err);
	if (found)
		return gg_error_field(err, GG_E_DUPLICATE, "talent_id",
		                      "talent '%s' has a strategic decision already (strategic decision %lld)",
		                      c->talent_name, (long long)other);
	return GG_OK;
}

/* The decision's trace (lines ending in '\n') into b. */
static enum gg_err trace_of(int64_t id, const struct gg_strategic_input *in, const struct checked *c,
                            int64_t formula_plan, struct gg_buf *b)
{
	char cap[GG_MONEY_TEXT_MAX], paid[GG_MONEY_TEXT_MAX], room[GG_MONEY_TEXT_MAX], total[GG_MONEY_TEXT_MAX],
	    amount[GG_MONEY_TEXT_MAX];
	enum gg_err rc;

	gg_money_format_grouped(c->ver->strategic_cap_fen, cap);
	gg_money_format_grouped(c->paid_fen, paid);
	gg_money_format_grouped(c->ver->strategic_cap_fen - c->paid_fen, room);
	gg_money_format_grouped(in->package_total_fen, total);
	rc = gg_buf_addf(b,
	                 "strategic decision %lld of %s, case by case (一事一议): talent '%s' (talent %lld) recognised "
	                 "as strategic_scientist\n",
	                 (long long)id, in->decided_on, c->talent_name, (long long)in->talent_id);
	if (rc == GG_OK)
		rc = gg_buf_addf(b, "policy: %s version %s (from %s), in force on %s\n", c->pack->name, c->ver->version,
		                 c->ver->from, in->decided_on);
	if (rc == GG_OK)
		rc = gg_buf_addf(b, "strategic cap %s (strategic_cap_cny: %s)\n", cap,
		                 c->ver->refs[GG_PACK_STRATEGIC_CAP]);
	if (rc == GG_OK)
		rc = gg_buf_addf(
		    b,
		    "formula amounts already paid to the talent: %s (fund_paid on its formula plans, net of "
		    "returns and clawbacks)\n",
		    paid);
	if (rc == GG_OK)
		rc = gg_buf_addf(b, "cap room %s - %s = %s; package total %s \xE2\x89\xA4 %s\n", cap, paid, room, total,
		                 room);
	for (size_t i = 0; rc == GG_OK && i < in->nitems; i++) {
		gg_money_format_grouped(in->items[i].amount_fen, amount);
		rc = gg_buf_addf(b, "item %zu: %s %s\n", i + 1, c->titles[i], amount);
	}
	if (rc == GG_OK && in->nitems > 0)
		rc = gg_buf_addf(b, "the %zu items add up to the package total %s\n", in->nitems, total);
	if (rc == GG_OK && formula_plan)
		rc = gg_buf_addf(b, "the package replaces the talent's formula plan %lld (now replaced)\n",
		                 (long long)formula_plan);
	else if (rc == GG_OK)
		rc = gg_buf_adds(b, "the talent has no formula plan for the package to replace\n");
	if (rc == GG_OK)
		rc = gg_buf_addf(b, "rationale: %s\n", c->rationale);
	return rc;
}

static enum gg_err insert_decision(struct gg_db *db, const struct gg_actor *actor, const struct gg_strategic_input *in,
                                   const struct checked *c, int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "INSERT INTO strategic_decisions (talent_id, decided_on, rationale, package_total_fen,"
	                   " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, in->talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, in->decided_on);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, c->rationale);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, in->package_total_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, gg_clock_now());
	if (rc == GG_OK)
		rc = actor->id > 0 ? gg_db_bind_i64(st, 6, actor->id) : gg_db_bind_null(st, 6);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*id = gg_db_col_i64(st, 0);
	else if (rc == GG_OK)
		rc = gg_error_set(err, GG_E_DB, "insert into strategic_decisions returned no id");
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < in->nitems; i++) {
		rc = gg_db_prepare(
		    db, "INSERT INTO strategic_items (decision_id, position, title, amount_fen) VALUES (?, ?, ?, ?)",
		    &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, *id);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 2, (int64_t)i + 1);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 3, c->titles[i]);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 4, in->items[i].amount_fen);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	return finish(rc, err);
}

enum gg_err gg_strategic_decide_tx(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                   const struct gg_strategic_input *in, int64_t *id, struct gg_error *err)
{
	struct checked c;
	struct gg_buf trace;
	char total[24], items[24], rec[24], plan[24];
	int64_t formula_plan = 0, recognition_id = 0, plan_id = 0;
	enum gg_err rc;

	*id = 0;
	if (!actor)
		actor = &system_actor;
	memset(&c, 0, sizeof c);
	gg_buf_init(&trace, GG_RECOGNITION_INPUT_TRACE_MAX); /* the longest rationale and items fit */
	if ((rc = check_input(db, set, in, &c, err)) != GG_OK)
		goto out;
	/* the package replaces the talent's formula plan (DOMAIN.md programme 1) */
	if ((rc = insert_decision(db, actor, in, &c, id, err)) != GG_OK ||
	    (rc = gg_subsidy_replace_formula_tx(db, actor, in->talent_id, &formula_plan, err)) != GG_OK)
		goto out;
	if (trace_of(*id, in, &c, formula_plan, &trace) != GG_OK) {
		rc =
		    gg_error_set(err, GG_E_INVALID, "the trace of strategic decision %lld is too long", (long long)*id);
		goto out;
	}
	const struct gg_recognition_new rn = {
	    .talent_id = in->talent_id,
	    .tier = "strategic_scientist",
	    .basis = GG_BASIS_STRATEGIC,
	    .source_id = *id,
	    .org_id = 0,
	    .pack = c.pack,
	    .version = c.ver,
	    .effective_on = in->decided_on,
	    .reason = c.rationale,
	    .trace = trace.buf,
	};
	if ((rc = gg_recognition_record_tx(db, actor, &rn, &recognition_id, err)) != GG_OK ||
	    (rc = gg_subsidy_plan_strategic_tx(db, actor, recognition_id, in->talent_id, c.pack, c.ver,
	                                       in->package_total_fen, &plan_id, err)) != GG_OK)
		goto out;
	const int64_t args[] = {recognition_id, plan_id, *id};
	if ((rc = gg_db_run_i64(db, "UPDATE strategic_decisions SET recognition_id = ?, plan_id = ? WHERE id = ?", args,
	                        3, err)) != GG_OK)
		goto out;
	snprintf(total, sizeof total, "%lld", (long long)in->package_total_fen);
	snprintf(items, sizeof items, "%zu", in->nitems);
	snprintf(rec, sizeof rec, "%lld", (long long)recognition_id);
	snprintf(plan, sizeof plan, "%lld", (long long)plan_id);
	char talent[24];
	snprintf(talent, sizeof talent, "%lld", (long long)in->talent_id);
	const struct gg_audit_change ch[] = {
	    {"talent_id", NULL, talent},      {"decided_on", NULL, in->decided_on},
	    {"rationale", NULL, c.rationale}, {"package_total_fen", NULL, total},
	    {"items", NULL, items},           {"recognition_id", NULL, rec},
	    {"plan_id", NULL, plan},
	};
	rc = gg_audit_by(db, actor, "strategic.decide", "strategic_decision", *id, ch, sizeof ch / sizeof ch[0], err);
out:
	gg_buf_release(&trace);
	checked_release(&c);
	if (rc != GG_OK)
		*id = 0;
	return finish(rc, err);
}

enum gg_err gg_strategic_decide(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                const struct gg_strategic_input *in, int64_t *id, struct gg_error *err)
{
	enum gg_err rc;

	*id = 0;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = gg_strategic_decide_tx(db, set, actor, in, id, err)) == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

/* ---- reading ---- */

void gg_strategic_free(struct gg_strategic *s)
{
	if (!s)
		return;
	free(s->talent_name);
	free(s->rationale);
	for (size_t i = 0; i < s->nitems; i++)
		free(s->items[i].title);
	free(s->items);
	free(s->created_by_name);
	free(s);
}

void gg_strategic_list_free(struct gg_strategic **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		gg_strategic_free(v[i]);
	free(v);
}

#define COLS                                                                                                      \
	"d.id, d.talent_id, t.name, d.decided_on, d.rationale, d.package_total_fen, d.recognition_id, d.plan_id," \
	" d.created_at, d.created_by, u.username"                                                                 \
	" FROM strategic_decisions d JOIN talents t ON t.id = d.talent_id LEFT JOIN users u ON u.id = d.created_by"

static enum gg_err load_items(struct gg_db *db, struct gg_strategic *s, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0, oom = 0;
	enum gg_err rc;

	if (!(s->items = calloc(GG_STRATEGIC_ITEMS_MAX, sizeof *s->items)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_db_prepare(db,
	                   "SELECT position, title, amount_fen FROM strategic_items WHERE decision_id = ?"
	                   " ORDER BY position LIMIT ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, s->id)) == GG_OK)
		rc = gg_db_bind_i64(st, 2, GG_STRATEGIC_ITEMS_MAX);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_strategic_item *it = &s->items[s->nitems++];
		it->position = (int)gg_db_col_i64(st, 0);
		it->title = gg_strdup_oom(gg_db_col_text(st, 1), &oom);
		it->amount_fen = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	if (rc == GG_OK && oom)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	return finish(rc, err);
}

/* The row of COLS and the decision's items into a new record. */
static enum gg_err from_row(struct gg_stmt *st, struct gg_strategic **out, struct gg_error *err)
{
	struct gg_strategic *s = calloc(1, sizeof *s);
	int oom = 0;

	*out = NULL;
	if (!s)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	s->id = gg_db_col_i64(st, 0);
	s->talent_id = gg_db_col_i64(st, 1);
	s->talent_name = gg_strdup_oom(gg_db_col_text(st, 2), &oom);
	gg_strlcpy(s->decided_on, gg_db_col_text(st, 3) ? gg_db_col_text(st, 3) : "", sizeof s->decided_on);
	s->rationale = gg_strdup_oom(gg_db_col_text(st, 4), &oom);
	s->package_total_fen = gg_db_col_i64(st, 5);
	s->recognition_id = gg_db_col_i64(st, 6);
	s->plan_id = gg_db_col_i64(st, 7);
	s->created_at = gg_db_col_i64(st, 8);
	s->created_by = gg_db_col_i64(st, 9);
	s->created_by_name = gg_strdup_oom(gg_db_col_text(st, 10), &oom);
	if (oom) {
		gg_strategic_free(s);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	*out = s;
	return GG_OK;
}

enum gg_err gg_strategic_get(struct gg_db *db, int64_t id, struct gg_strategic **out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*out = NULL;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, "SELECT " COLS " WHERE d.id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown strategic decision %lld", (long long)id);
	if (rc == GG_OK)
		rc = from_row(st, out, err);
	gg_db_done(st);
	if (rc == GG_OK && (rc = load_items(db, *out, err)) != GG_OK) {
		gg_strategic_free(*out);
		*out = NULL;
	}
	gg_db_rollback(db);
	return finish(rc, err);
}

enum gg_err gg_strategic_list(struct gg_db *db, const struct gg_strategic_query *q, struct gg_strategic ***out,
                              size_t *n, int *more, struct gg_error *err)
{
	struct gg_strategic **v = NULL;
	struct gg_stmt *st = NULL;
	size_t count = 0;
	int row = 0, k = 1;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (q->limit < 1 || q->limit > GG_STRATEGIC_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be a whole number from 1 to %d",
		                      GG_STRATEGIC_LIMIT_MAX);
	if (!q->scope.unscoped && !q->scope.org_id && !q->scope.talent_id && !q->scope.commissioner_id)
		return GG_OK; /* the caller sees none */
	if (!(v = calloc((size_t)q->limit, sizeof *v)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK) {
		free(v);
		return rc;
	}
	/* one statement for every caller: ids are positive, so a 0 bound matches nothing */
	rc = gg_db_prepare(db,
	                   "SELECT " COLS " WHERE (? = 0 OR d.talent_id = ?) AND (? = 0 OR d.id < ?)"
	                   " AND (? = 1 OR t.org_id = ? OR t.id = ? OR t.commissioner_id = ?)"
	                   " ORDER BY d.id DESC LIMIT ?",
	                   &st, err);
	const int64_t args[] = {q->talent_id,      q->talent_id,    q->before_id,       q->before_id,
	                        q->scope.unscoped, q->scope.org_id, q->scope.talent_id, q->scope.commissioner_id,
	                        q->limit + 1};
	for (size_t i = 0; rc == GG_OK && i < sizeof args / sizeof args[0]; i++)
		rc = gg_db_bind_i64(st, k++, args[i]);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (count == (size_t)q->limit) {
			*more = 1;
			break;
		}
		if ((rc = from_row(st, &v[count], err)) == GG_OK)
			count++;
	}
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < count; i++)
		rc = load_items(db, v[i], err);
	gg_db_rollback(db);
	if (rc != GG_OK) {
		gg_strategic_list_free(v, count);
		*more = 0;
		return finish(rc, err);
	}
	*out = v;
	*n = count;
	return GG_OK;
}
