/*
 * order: recruitment orders and hires. Input is checked in full before
 * the database is touched, so a request learns every problem at once;
 * what needs the database (the organisation, the segment, the order's
 * state, the talent, the policy in force) is checked inside the write
 * transaction that then writes, so a concurrent close or hire cannot slip
 * between the check and the write. The hire asks the policy set, the
 * evaluator, recognition and subsidy in that one transaction and writes
 * nothing of its own before all the checks have passed.
 */
#include "order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/money.h"
#include "../core/text.h"
#include "recognition.h"
#include "subsidy.h"
#include "vocabulary.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const status_tokens[GG_ORDER__COUNT] = {"open", "filled", "closed"};

const char *gg_order_status_token(enum gg_order_status s)
{
	return (unsigned)s < GG_ORDER__COUNT ? status_tokens[s] : "";
}

int gg_order_status_lookup(const char *token)
{
	for (int i = 0; token && i < GG_ORDER__COUNT; i++)
		if (strcmp(status_tokens[i], token) == 0)
			return i;
	return -1;
}

/* Makes sure a failing function leaves a code in err even when a lower layer returned one without a message. */
static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* NFKC of s into out (reset), 1..max characters (0 allowed unless required); a field error otherwise. */
static enum gg_err norm_text(const char *s, const char *field, long max, int required, struct gg_buf *out,
                             struct gg_error *err)
{
	long n = -1;

	if (gg_text_nfkc(s ? s : "", out) == GG_OK)
		n = gg_text_chars(out->buf);
	if (n < 0 || n > max)
		return gg_error_field(err, GG_E_INVALID, field, "%s must be text of at most %ld characters", field,
		                      max);
	if (n == 0 && required)
		return gg_error_field(err, GG_E_INVALID, field, "%s is required", field);
	return GG_OK;
}

/* An amount of yuan text, more than 0, into *fen; a field error naming field otherwise. */
static enum gg_err parse_amount(const char *s, const char *field, int64_t *fen, struct gg_error *err)
{
	struct gg_error e;

	gg_error_init(&e);
	if (!s)
		return gg_error_field(err, GG_E_INVALID, field, "%s is required", field);
	if (gg_money_parse(s, fen, &e) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, field, "%s: %s", field, gg_error_message(&e));
	if (*fen <= 0)
		return gg_error_field(err, GG_E_INVALID, field, "%s must be more than 0", field);
	return GG_OK;
}

static int64_t id_or_zero(struct gg_stmt *st, int col)
{
	return gg_db_col_is_null(st, col) ? 0 : gg_db_col_i64(st, col);
}

/* ---- issuing and closing ---- */

/* The kind and name of organisation id (kind "" when there is none). */
struct org_facts {
	char kind[32];
	char name[4 * 128 + 1];
};

static enum gg_err org_facts(struct gg_db *db, int64_t id, struct org_facts *out, int *found, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	*found = 0;
	memset(out, 0, sizeof *out);
	rc = gg_db_prepare(db, "SELECT kind, name FROM orgs WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		const char *k = gg_db_col_text(st, 0), *n = gg_db_col_text(st, 1);
		gg_strlcpy(out->kind, k ? k : "", sizeof out->kind);
		gg_strlcpy(out->name, n ? n : "", sizeof out->name);
		*found = 1;
	}
	gg_db_done(st);
	return finish(rc, err);
}

enum gg_err gg_order_issue_tx(struct gg_db *db, const struct gg_actor *actor, const struct gg_order_new *in,
                              int64_t *id, struct gg_error *err)
{
	struct gg_buf title, desc;
	struct gg_stmt *st = NULL;
	struct org_facts org;
	char segment[64] = "", salary_text[GG_MONEY_TEXT_MAX], org_text[24];
	int64_t salary = 0, now = gg_clock_now();
	int found = 0, row = 0;
	enum gg_err rc = GG_OK;

	*id = 0;
	gg_buf_init(&title, 4 * GG_ORDER_TITLE_MAX);
	gg_buf_init(&desc, 4 * GG_ORDER_DESCRIPTION_MAX);
	if (in->org_id <= 0)
		gg_error_field(err, GG_E_INVALID, "org_id", "org_id is required");
	norm_text(in->title, "title", GG_ORDER_TITLE_MAX, 1, &title, err);
	if (!in->segment || !*in->segment)
		gg_error_field(err, GG_E_INVALID, "segment", "segment is required");
	parse_amount(in->salary, "salary", &salary, err);
	norm_text(in->description, "description", GG_ORDER_DESCRIPTION_MAX, 0, &desc, err);
	if (err->code != GG_OK) {
		rc = err->code;
		goto out;
	}
	if ((rc = org_facts(db, in->org_id, &org, &found, err)) != GG_OK)
		goto out;
	if (!found)
		gg_error_field(err, GG_E_INVALID, "org_id", "unknown organisation %lld", (long long)in->org_id);
	if ((rc = gg_vocab_segment_lookup(db, in->segment, segment, sizeof segment, &found, err)) != GG_OK)
		goto out;
	if (!found)
		gg_error_field(err, GG_E_INVALID, "segment", "unknown segment '%.64s'", in->segment);
	if (err->code != GG_OK) {
		rc = err->code;
		goto out;
	}
	rc = gg_db_prepare(db,
	                   "INSERT INTO orders (org_id, title, segment, salary_fen, description, status, created_at, "
	                   "created_by, version) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, 1) RETURNING id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, in->org_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, title.buf);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, segment);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, salary);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, desc.len ? desc.buf : NULL);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, now);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 7, actor ? actor->id : 0);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_DB, "insert into orders returned no id");
	if (rc == GG_OK)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	if (rc != GG_OK)
		goto out;
	snprintf(org_text, sizeof org_text, "%lld", (long long)in->org_id);
	gg_money_format(salary, salary_text);
	{
		struct gg_audit_change ch[6];
		size_t nch = 0;

		ch[nch++] = (struct gg_audit_change){"org_id", NULL, org_text};
		ch[nch++] = (struct gg_audit_change){"title", NULL, title.buf};
		ch[nch++] = (struct gg_audit_change){"segment", NULL, segment};
		ch[nch++] = (struct gg_audit_change){"salary", NULL, salary_text};
		if (desc.len)
			ch[nch++] = (struct gg_audit_change){"description", NULL, desc.buf};
		ch[nch++] = (struct gg_audit_change){"status", NULL, "open"};
		rc = gg_audit_by(db, actor, "order.create", "order", *id, ch, nch, err);
	}
out:
	if (rc != GG_OK)
		*id = 0;
	gg_buf_release(&title);
	gg_buf_release(&desc);
	return finish(rc, err);
}

enum gg_err gg_order_issue(struct gg_db *db, const struct gg_actor *actor, const struct gg_order_new *in, int64_t *id,
                           struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_order_issue_tx(db, actor, in, id, err);
	if (rc == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

/* The status and organisation of order id; GG_E_NOT_FOUND "unknown order 7". */
static enum gg_err order_state(struct gg_db *db, int64_t id, enum gg_order_status *status, int64_t *org_id,
                               struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0, s = -1;

	rc = gg_db_prepare(db, "SELECT status, org_id FROM orders WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown order %lld", (long long)id);
	if (rc == GG_OK) {
		s = gg_order_status_lookup(gg_db_col_text(st, 0));
		if (org_id)
			*org_id = gg_db_col_i64(st, 1);
	}
	gg_db_done(st);
	if (rc == GG_OK && s < 0)
		rc = gg_error_set(err, GG_E_DB, "order %lld has an unknown status", (long long)id);
	if (rc == GG_OK)
		*status = (enum gg_order_status)s;
	return finish(rc, err);
}

/* Moves open order id to status (filled or closed) now; GG_E_CONFLICT when it is no longer open. */
static enum gg_err leave_open(struct gg_db *db, int64_t id, enum gg_order_status status, int64_t closed_by,
                              struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db,
	                   "UPDATE orders SET status = ?, closed_at = ?, closed_by = ?, version = version + 1 "
	                   "WHERE id = ? AND status = 'open'",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, gg_order_status_token(status));
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 3, closed_by);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && gg_db_changes(db) != 1)
		rc = gg_error_set(err, GG_E_CONFLICT, "order %lld is no longer open", (long long)id);
	return finish(rc, err);
}

enum gg_err gg_order_close_tx(struct gg_db *db, const struct gg_actor *actor, int64_t id, struct gg_error *err)
{
	static const struct gg_audit_change ch[] = {{"status", "open", "closed"}};
	enum gg_order_status status;
	enum gg_err rc;

	if ((rc = order_state(db, id, &status, NULL, err)) != GG_OK)
		return rc;
	if (status != GG_ORDER_OPEN)
		return gg_error_set(err, GG_E_CONFLICT, "order %lld is %s: only an open order can be closed",
		                    (long long)id, gg_order_status_token(status));
	if ((rc = leave_open(db, id, GG_ORDER_CLOSED, actor ? actor->id : 0, err)) != GG_OK)
		return rc;
	return gg_audit_by(db, actor, "order.close", "order", id, ch, COUNT(ch), err);
}

enum gg_err gg_order_close(struct gg_db *db, const struct gg_actor *actor, int64_t id, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_order_close_tx(db, actor, id, err);
	if (rc == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

/* ---- the hire ---- */

void gg_hire_result_release(struct gg_hire_result *r)
{
	if (r)
		gg_buf_release(&r->decision.trace);
}

/* The talent must exist and not be merged away; a field error on talent_id otherwise. */
static enum gg_err check_talent(struct gg_db *db, int64_t id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t merged = 0;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db, "SELECT merged_into FROM talents WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		merged = id_or_zero(st, 0);
	gg_db_done(st);
	if (rc != GG_OK)
		return finish(rc, err);
	if (!row)
		return gg_error_field(err, GG_E_INVALID, "talent_id", "unknown talent %lld", (long long)id);
	if (merged)
		return gg_error_field(err, GG_E_INVALID, "talent_id", "talent %lld was merged into talent %lld",
		                      (long long)id, (long long)merged);
	return GG_OK;
}

static enum gg_err insert_hire(struct gg_db *db, const struct gg_actor *actor, const struct gg_hire_new *in,
                               int64_t org_id, int64_t contract_fen, const char *pack, const char *version,
                               int recognised, int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db,
	                   "INSERT INTO hires (order_id, talent_id, org_id, contract_fen, start_on, term_years, pack, "
	                   "version, recognised, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	                   "RETURNING id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, in->order_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, in->talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, org_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, contract_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, in->start_on);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, in->term_years);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 7, pack);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 8, version);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 9, recognised ? 1 : 0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 10, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 11, actor ? actor->id : 0);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_E_DUPLICATE) {
		gg_error_init(err);
		rc = gg_error_set(err, GG_E_CONFLICT, "order %lld has a hire already", (long long)in->order_id);
	} else if (rc == GG_OK && !row) {
		rc = gg_error_set(err, GG_E_DB, "insert into hires returned no id");
	}
	if (rc == GG_OK)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	return finish(rc, err);
}

/* The audit rows of a hire: hire.create with what was registered and decided, order.fill on the order. */
static enum gg_err audit_hire(struct gg_db *db, const struct gg_actor *actor, const struct gg_hire_new *in,
                              int64_t hire_id, int64_t contract_fen, const struct gg_hire_result *res,
                              struct gg_error *err)
{
	static const struct gg_audit_change fill[] = {{"status", "open", "filled"}};
	char order[24], talent[24], term[8], money[GG_MONEY_TEXT_MAX], policy[2 * GG_POLICY_NAME_MAX + 2];
	enum gg_err rc;

	snprintf(order, sizeof order, "%lld", (long long)in->order_id);
	snprintf(talent, sizeof talent, "%lld", (long long)in->talent_id);
	snprintf(term, sizeof term, "%d", in->term_years);
	snprintf(policy, sizeof policy, "%s %s", res->pack, res->version);
	gg_money_format(contract_fen, money);
	const struct gg_audit_change ch[] = {
	    {"order_id", NULL, order},
	    {"talent_id", NULL, talent},
	    {"contract_salary", NULL, money},
	    {"start_on", NULL, in->start_on},
	    {"term_years", NULL, term},
	    {"policy", NULL, policy},
	    {"recognised", NULL, res->decision.recognised ? "true" : "false"},
	};
	if ((rc = gg_audit_by(db, actor, "hire.create", "hire", hire_id, ch, COUNT(ch), err)) != GG_OK)
		return rc;
	return gg_audit_by(db, actor, "order.fill", "order", in->order_id, fill, COUNT(fill), err);
}

/* The input's own checks, all reported at once: amount, day, term. */
static enum gg_err check_hire(const struct gg_hire_new *in, int64_t *contract_fen, int64_t *start_day,
                              struct gg_error *err)
{
	if (in->talent_id <= 0)
		gg_error_field(err, GG_E_INVALID, "talent_id", "talent_id is required");
	parse_amount(in->contract_salary, "contract_salary", contract_fen, err);
	if (!in->start_on || gg_pack_parse_day(in->start_on, start_day) != 0)
		gg_error_field(err, GG_E_INVALID, "start_on", "start_on '%.32s' is not a date YYYY-MM-DD",
		               in->start_on ? in->start_on : "");
	if (in->term_years < 1 || in->term_years > GG_ORDER_TERM_MAX)
		gg_error_field(err, GG_E_INVALID, "term_years", "term_years must be a whole number from 1 to %d",
		               GG_ORDER_TERM_MAX);
	return err->code;
}

enum gg_err gg_order_hire_tx(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                             const struct gg_hire_new *in, struct gg_hire_result *res, struct gg_error *err)
{
	const struct gg_pack *pack = NULL;
	const struct gg_pack_version *version = NULL;
	struct gg_policy_params params;
	struct gg_policy_facts facts;
	struct org_facts org;
	enum gg_order_status status;
	int64_t contract_fen = 0, start_day = 0, org_id = 0, used = 0;
	int found = 0;
	enum gg_err rc;

	memset(res, 0, sizeof *res);
	gg_buf_init(&res->decision.trace, GG_POLICY_TRACE_MAX);
	if ((rc = check_hire(in, &contract_fen, &start_day, err)) != GG_OK)
		return rc;
	if ((rc = order_state(db, in->order_id, &status, &org_id, err)) != GG_OK)
		return rc;
	if (status != GG_ORDER_OPEN)
		return gg_error_set(err, GG_E_CONFLICT, "order %lld is %s: only an open order takes a hire",
		                    (long long)in->order_id, gg_order_status_token(status));
	if ((rc = org_facts(db, org_id, &org, &found, err)) != GG_OK)
		return rc;
	if ((rc = check_talent(db, in->talent_id, err)) != GG_OK)
		return rc;
	if ((rc = gg_policyset_need(set, err)) != GG_OK)
		return rc;
	if ((rc = gg_policyset_params_on(set, NULL, start_day, &params, &pack, &version, err)) != GG_OK) {
		if (rc == GG_E_RULE && err->nfields == 0)
			gg_error_field(err, GG_E_RULE, "start_on", "%s", gg_error_message(err));
		return rc;
	}
	gg_strlcpy(res->pack, pack->name, sizeof res->pack);
	gg_strlcpy(res->version, version->version, sizeof res->version);
	if ((rc = gg_subsidy_cap_used(db, in->talent_id, &used, err)) != GG_OK ||
	    (rc = gg_subsidy_active_formula(db, in->talent_id, &res->active_plan_id, err)) != GG_OK)
		return finish(rc, err);

	memset(&facts, 0, sizeof facts);
	facts.employer_kind = org.kind;
	facts.contract_fen = contract_fen;
	facts.start_day = start_day;
	facts.end_day = -1;
	facts.earlier_fen = used;
	if ((rc = gg_policy_evaluate(&params, &facts, &res->decision, err)) != GG_OK) {
		if (rc == GG_E_RULE && err->nfields == 0)
			gg_error_field(err, GG_E_RULE, "start_on", "%s", gg_error_message(err));
		return rc;
	}
	if (res->decision.recognised && res->active_plan_id) {
		/* one three-year entitlement per talent: recognised, but no second plan */
		if (gg_buf_addf(&res->decision.trace,
		                "talent %lld has an active formula plan (plan %lld): one entitlement per talent, "
		                "no second plan\n",
		                (long long)in->talent_id, (long long)res->active_plan_id) != GG_OK)
			return gg_error_set(err, GG_E_TOO_LARGE, "trace longer than %d bytes", GG_POLICY_TRACE_MAX);
		res->decision.ninst = 0;
		res->decision.total_fen = 0;
	}
	if ((rc = insert_hire(db, actor, in, org_id, contract_fen, res->pack, res->version, res->decision.recognised,
	                      &res->hire_id, err)) != GG_OK)
		return rc;
	if ((rc = leave_open(db, in->order_id, GG_ORDER_FILLED, 0, err)) != GG_OK)
		return rc;
	if ((rc = audit_hire(db, actor, in, res->hire_id, contract_fen, res, err)) != GG_OK)
		return rc;
	if (!res->decision.recognised)
		return GG_OK;

	const struct gg_recognition_new r = {
	    .talent_id = in->talent_id,
	    .tier = res->decision.tier,
	    .basis = GG_BASIS_ORDER,
	    .source_id = res->hire_id,
	    .org_id = org_id,
	    .pack = pack,
	    .version = version,
	    .effective_on = in->start_on,
	    .reason = NULL,
	    .trace = res->decision.trace.buf,
	};
	if ((rc = gg_recognition_record_tx(db, actor, &r, &res->recognition_id, err)) != GG_OK)
		return finish(rc, err);
	if (res->active_plan_id)
		return GG_OK;
	rc = gg_subsidy_plan_formula_tx(db, actor, res->recognition_id, in->talent_id, pack, version, contract_fen,
	                                in->start_on, &res->decision, &res->plan_id, err);
	return finish(rc, err);
}

enum gg_err gg_order_hire(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                          const struct gg_hire_new *in, struct gg_hire_result *res, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK) {
		memset(res, 0, sizeof *res);
		gg_buf_init(&res->decision.trace, GG_POLICY_TRACE_MAX);
		return rc;
	}
	rc = gg_order_hire_tx(db, set, actor, in, res, err);
	if (rc == GG_OK && (rc = gg_db_commit(db, err)) == GG_OK)
		return GG_OK;
	gg_db_rollback(db);
	res->hire_id = res->recognition_id = res->plan_id = 0;
	return rc;
}

/* ---- reading ---- */

#define ORDER_COLS                                                                                          \
	"o.id, o.org_id, g.name, o.title, o.segment, o.salary_fen, o.description, o.status, o.created_at, " \
	"o.created_by, o.closed_at, o.closed_by, o.version, h.id, h.talent_id, t.name, h.contract_fen, "    \
	"h.start_on, h.term_years, h.pack, h.version, h.recognised, h.created_at, h.created_by, r.id"
#define ORDER_FROM                                                                              \
	" FROM orders o JOIN orgs g ON g.id = o.org_id LEFT JOIN hires h ON h.order_id = o.id " \
	"LEFT JOIN talents t ON t.id = h.talent_id "                                            \
	"LEFT JOIN recognitions r ON r.basis = 'order' AND r.source_id = h.id"

void gg_order_free(struct gg_order *o)
{
	if (!o)
		return;
	free(o->org_name);
	free(o->title);
	free(o->segment);
	free(o->description);
	if (o->hire)
		free(o->hire->talent_name);
	free(o->hire);
	free(o);
}

static const char *col_str(struct gg_stmt *st, int col)
{
	const char *s = gg_db_col_text(st, col);
	return s ? s : "";
}

/* The order of the current row (ORDER_COLS); NULL on out of memory. */
static struct gg_order *order_from_row(struct gg_stmt *st)
{
	struct gg_order *o = calloc(1, sizeof *o);
	int s;

	if (!o)
		return NULL;
	o->id = gg_db_col_i64(st, 0);
	o->org_id = gg_db_col_i64(st, 1);
	o->org_name = strdup(col_str(st, 2));
	o->title = strdup(col_str(st, 3));
	o->segment = strdup(col_str(st, 4));
	o->salary_fen = gg_db_col_i64(st, 5);
	o->description = dup_or_null(gg_db_col_text(st, 6));
	s = gg_order_status_lookup(gg_db_col_text(st, 7));
	o->status = s < 0 ? GG_ORDER_CLOSED : (enum gg_order_status)s;
	o->created_at = gg_db_col_i64(st, 8);
	o->created_by = id_or_zero(st, 9);
	o->closed_at = id_or_zero(st, 10);
	o->closed_by = id_or_zero(st, 11);
	o->version = gg_db_col_i64(st, 12);
	if (!o->org_name || !o->title || !o->segment || (gg_db_col_text(st, 6) && !o->description))
		goto fail;
	if (!gg_db_col_is_null(st, 13)) {
		struct gg_hire *h = calloc(1, sizeof *h);

		if (!(o->hire = h))
			goto fail;
		h->id = gg_db_col_i64(st, 13);
		h->order_id = o->id;
		h->talent_id = gg_db_col_i64(st, 14);
		if (!(h->talent_name = strdup(col_str(st, 15))))
			goto fail;
		h->org_id = o->org_id;
		h->contract_fen = gg_db_col_i64(st, 16);
		gg_strlcpy(h->start_on, col_str(st, 17), sizeof h->start_on);
		h->term_years = (int)gg_db_col_i64(st, 18);
		gg_strlcpy(h->pack, col_str(st, 19), sizeof h->pack);
		gg_strlcpy(h->version, col_str(st, 20), sizeof h->version);
		h->recognised = gg_db_col_i64(st, 21) != 0;
		h->created_at = gg_db_col_i64(st, 22);
		h->created_by = id_or_zero(st, 23);
		h->recognition_id = id_or_zero(st, 24);
	}
	return o;
fail:
	gg_order_free(o);
	return NULL;
}

enum gg_err gg_order_get(struct gg_db *db, int64_t id, struct gg_order **out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	*out = NULL;
	rc = gg_db_prepare(db, "SELECT " ORDER_COLS ORDER_FROM " WHERE o.id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown order %lld", (long long)id);
	if (rc == GG_OK && !(*out = order_from_row(st)))
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	gg_db_done(st);
	return finish(rc, err);
}

void gg_order_scope(const struct gg_principal *pr, enum gg_perm perm, struct gg_order_scope *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; pr && i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];

		if (!gg_role_grants(g->role, perm))
			continue;
		if (g->scope_kind == GG_SCOPE_NONE) {
			memset(out, 0, sizeof *out);
			out->unscoped = 1;
			return;
		}
		/* station and talent scopes reach no organisation's orders */
		if (g->scope_kind == GG_SCOPE_ORG && out->norgs < COUNT(out->orgs) &&
		    !gg_order_scope_has(out, g->scope_id))
			out->orgs[out->norgs++] = g->scope_id;
	}
}

int gg_order_scope_has(const struct gg_order_scope *s, int64_t org_id)
{
	if (s->unscoped)
		return 1;
	for (size_t i = 0; i < s->norgs; i++)
		if (s->orgs[i] == org_id)
			return 1;
	return 0;
}

void gg_order_list_free(struct gg_order **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		gg_order_free(v[i]);
	free(v);
}

enum gg_err gg_order_list(struct gg_db *db, const struct gg_order_query *q, struct gg_order ***out, size_t *n,
                          int *more, struct gg_error *err)
{
	struct gg_order **v = NULL;
	struct gg_stmt *st = NULL;
	struct gg_buf sql;
	const char *sep = " WHERE ";
	size_t count = 0;
	int row = 0, k = 1;
	enum gg_err rc = GG_OK;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (q->limit < 1 || q->limit > GG_ORDER_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be a whole number from 1 to %d",
		                      GG_ORDER_LIMIT_MAX);
	if (!q->scope.unscoped && q->scope.norgs == 0)
		return GG_OK; /* the caller sees no order */
	gg_buf_init(&sql, 4096);
	rc = gg_buf_adds(&sql, "SELECT " ORDER_COLS ORDER_FROM);
	if (rc == GG_OK && q->org_id) {
		rc = gg_buf_addf(&sql, "%so.org_id = ?", sep);
		sep = " AND ";
	}
	if (rc == GG_OK && q->status >= 0) {
		rc = gg_buf_addf(&sql, "%so.status = ?", sep);
		sep = " AND ";
	}
	if (rc == GG_OK && q->before_id) {
		rc = gg_buf_addf(&sql, "%so.id < ?", sep);
		sep = " AND ";
	}
	if (rc == GG_OK && !q->scope.unscoped) {
		rc = gg_buf_addf(&sql, "%so.org_id IN (?", sep);
		for (size_t i = 1; rc == GG_OK && i < q->scope.norgs; i++)
			rc = gg_buf_adds(&sql, ", ?");
		if (rc == GG_OK)
			rc = gg_buf_addch(&sql, ')');
	}
	if (rc == GG_OK)
		rc = gg_buf_adds(&sql, " ORDER BY o.id DESC LIMIT ?");
	if (rc != GG_OK) {
		gg_buf_release(&sql);
		return gg_error_set(err, GG_E_INTERNAL, "order list query too long");
	}
	rc = gg_db_prepare(db, sql.buf, &st, err);
	gg_buf_release(&sql);
	if (rc == GG_OK && q->org_id)
		rc = gg_db_bind_i64(st, k++, q->org_id);
	if (rc == GG_OK && q->status >= 0)
		rc = gg_db_bind_text(st, k++, gg_order_status_token((enum gg_order_status)q->status));
	if (rc == GG_OK && q->before_id)
		rc = gg_db_bind_i64(st, k++, q->before_id);
	for (size_t i = 0; rc == GG_OK && !q->scope.unscoped && i < q->scope.norgs; i++)
		rc = gg_db_bind_i64(st, k++, q->scope.orgs[i]);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, k++, q->limit + 1);
	if (rc == GG_OK && !(v = calloc((size_t)q->limit, sizeof *v)))
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (count == (size_t)q->limit) {
			*more = 1;
			break;
		}
		if (!(v[count] = order_from_row(st))) {
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
			break;
		}
		count++;
	}
	gg_db_done(st);
	if (rc != GG_OK) {
		gg_order_list_free(v, count);
		*more = 0;
		return finish(rc, err);
	}
	*out = v;
	*n = count;
	return GG_OK;
}

enum gg_err gg_order_find(struct gg_db *db, int64_t org_id, const char *title, int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_buf b;
	enum gg_err rc = GG_OK;
	int row = 0;

	*id = 0;
	gg_buf_init(&b, 4 * GG_ORDER_TITLE_MAX);
	if (!title || gg_text_nfkc(title, &b) != GG_OK) {
		gg_buf_release(&b);
		return GG_OK;
	}
	rc = gg_db_prepare(db, "SELECT id FROM orders WHERE org_id = ? AND title = ? ORDER BY id DESC LIMIT 1", &st,
	                   err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, org_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, b.buf);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	gg_buf_release(&b);
	return finish(rc, err);
}
