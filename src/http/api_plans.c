/*
 * api_plans: one subsidy plan over HTTP (plan.c, docs/ledger.md).
 * GET /api/v1/plans/{id} (recognitions_read) reads a plan with its
 * installments (a tranche's milestone, what each has committed, its
 * verification and live payment) and its cancellation, for whoever sees
 * the plan's recognition (a plan outside the scope answers 404 as an
 * unknown one). POST /api/v1/plans/{id}/tranches (plans_write; body
 * {milestone, due_on, amount}) adds a strategic tranche: 201 with the
 * plan. POST /api/v1/plans/{id}/cancel (plans_write; body {reason,
 * ended_on}) cancels the plan: 200 with the plan. Plans have no version,
 * so no If-Match; both POSTs take an optional Idempotency-Key.
 */
#include <stdio.h>
#include <string.h>

#include "../core/money.h"
#include "../domain/plan.h"
#include "../domain/recognition.h"
#include "api.h"

/* Sets key of j to {"id", "status"} of id, or to null when id is 0; 0 on out of memory. */
static int set_status_ref(struct gg_json *j, const char *key, int64_t id, const char *status)
{
	struct gg_json *v;
	int ok;

	if (!id)
		return gg_json_set(j, key, gg_json_null()) == GG_OK;
	v = gg_json_object();
	ok = v && gg_json_set_int(v, "id", id) == GG_OK && gg_json_set_str(v, "status", status) == GG_OK;
	return gg_json_set(j, key, v) == GG_OK && ok;
}

static struct gg_json *item_json(const struct gg_plan_item *x)
{
	struct gg_json *j = gg_json_object();
	int ok = j != NULL;

	ok = ok && gg_json_set_int(j, "id", x->id) == GG_OK;
	ok = ok && gg_json_set_int(j, "year", x->year) == GG_OK;
	ok = ok && gg_json_set_str(j, "due_on", x->due_on) == GG_OK;
	ok = ok && gg_json_set_int(j, "base_fen", x->base_fen) == GG_OK;
	ok = ok && gg_json_set_int(j, "amount_fen", x->amount_fen) == GG_OK;
	ok = ok && gg_json_set_str(j, "status", x->status) == GG_OK;
	ok = ok && gg_json_set(j, "milestone", x->milestone ? gg_json_string(x->milestone) : gg_json_null()) == GG_OK;
	ok = ok && gg_json_set_int(j, "committed_fen", x->committed_fen) == GG_OK;
	ok = ok && set_status_ref(j, "verification", x->verification_id, x->verification_status);
	ok = ok && set_status_ref(j, "payment", x->payment_id, x->payment_status);
	if (!ok) {
		gg_json_free(j);
		return NULL;
	}
	return j;
}

static struct gg_json *plan_json(const struct gg_plan_view *p, const struct gg_principal *pr)
{
	struct gg_json *o = gg_json_object(), *items = gg_json_array(), *acts = gg_json_array();
	int ok = o && items && acts, strategic = strcmp(p->kind, "strategic") == 0;
	int active = strcmp(p->status, "active") == 0, writer = gg_principal_can(pr, GG_PERM_plans_write);

	for (size_t i = 0; ok && i < p->nitems; i++)
		ok = gg_json_append(items, item_json(&p->items[i])) == GG_OK;
	if (ok && writer && active && strategic && p->nitems < GG_PLAN_TRANCHES_MAX)
		ok = gg_json_append(acts, gg_json_string("add_tranche")) == GG_OK;
	if (ok && writer && active)
		ok = gg_json_append(acts, gg_json_string("cancel")) == GG_OK;
	ok = ok && gg_json_set_int(o, "id", p->id) == GG_OK;
	ok = ok && gg_json_set_int(o, "recognition_id", p->recognition_id) == GG_OK;
	ok = ok && gg_json_set(o, "talent", gg_api_ref_json(p->talent_id, p->talent_name)) == GG_OK;
	ok = ok && gg_json_set_str(o, "kind", p->kind) == GG_OK;
	ok = ok && gg_json_set_str(o, "status", p->status) == GG_OK;
	ok = ok && gg_json_set_str(o, "pack", p->pack) == GG_OK;
	ok = ok && gg_json_set_str(o, "version", p->version) == GG_OK;
	ok = ok && gg_json_set_int(o, "contract_fen", p->contract_fen) == GG_OK;
	ok = ok && gg_json_set_str(o, "start_on", p->start_on) == GG_OK;
	ok = ok && gg_json_set_int(o, "total_fen", p->total_fen) == GG_OK;
	if (ok && strategic) {
		ok = gg_json_set_int(o, "limit_fen", p->limit_fen) == GG_OK &&
		     gg_json_set_int(o, "tranche_total_fen", p->tranche_fen) == GG_OK &&
		     gg_json_set_int(o, "room_fen",
		                     p->limit_fen > p->tranche_fen ? p->limit_fen - p->tranche_fen : 0) == GG_OK;
	}
	if (ok && p->ended_on[0]) {
		struct gg_json *c = gg_json_object();

		ok = c && gg_json_set_str(c, "ended_on", p->ended_on) == GG_OK &&
		     gg_json_set_str(c, "reason", p->cancel_reason ? p->cancel_reason : "") == GG_OK &&
		     gg_json_set_int(c, "lapsed", p->cancel_lapsed) == GG_OK;
		if (c) {
			gg_api_set_ref(c, "cancelled_by", p->cancelled_by, p->cancelled_by_name, &ok);
			gg_api_set_time(c, "cancelled_at", p->cancelled_at, &ok);
		}
		ok = gg_json_set(o, "cancellation", c) == GG_OK && ok;
	} else if (ok)
		ok = gg_json_set(o, "cancellation", gg_json_null()) == GG_OK;
	if (ok) {
		ok = gg_json_set(o, "installments", items) == GG_OK;
		items = NULL;
	}
	if (ok) {
		ok = gg_json_set(o, "allowed_actions", acts) == GG_OK;
		acts = NULL;
	}
	gg_api_set_time(o, "created_at", p->created_at, &ok);
	gg_json_free(items);
	gg_json_free(acts);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* Reads plan id for the caller: 404 when outside its recognitions_read scope. */
static enum gg_err load(struct gg_req *req, int64_t id, struct gg_plan_view **out, struct gg_error *err)
{
	struct gg_recognition *r = NULL;
	enum gg_err rc;

	if ((rc = gg_plan_read(gg_req_db(req), gg_req_policies(req), id, out, err)) != GG_OK)
		return rc;
	if ((rc = gg_recognition_get(gg_req_db(req), (*out)->recognition_id, &r, err)) == GG_OK &&
	    !gg_api_recognition_visible(req, r)) {
		gg_error_init(err);
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown plan %lld", (long long)id);
	}
	gg_recognition_free(r);
	if (rc != GG_OK) {
		gg_plan_view_free(*out);
		*out = NULL;
	}
	return rc;
}

static enum gg_err answer(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_plan_view *p = NULL;
	struct gg_json *body;
	char location[64];
	enum gg_err rc;

	if ((rc = load(req, id, &p, err)) != GG_OK)
		return rc;
	body = plan_json(p, gg_req_principal(req));
	gg_plan_view_free(p);
	if (!body)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if (status == 201) {
		snprintf(location, sizeof location, "/api/v1/plans/%lld", (long long)id);
		if (gg_resp_header(req, "Location", location) != GG_OK) {
			gg_json_free(body);
			return gg_error_set(err, GG_E_NOMEM, NULL);
		}
	}
	return gg_resp_json(req, status, body);
}

enum gg_err api_plans_get(struct gg_req *req, struct gg_error *err)
{
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

/* The id of the path, of a plan the caller may see, and the body checked against fields. */
static enum gg_err visible_with_body(struct gg_req *req, const struct gg_json_field *fields, size_t nfields,
                                     int64_t *id, struct gg_error *err)
{
	struct gg_plan_view *p = NULL;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", id, err)) != GG_OK)
		return rc;
	if ((rc = load(req, *id, &p, err)) != GG_OK)
		return rc;
	gg_plan_view_free(p);
	if (gg_json_check(gg_req_body(req), fields, nfields, "", err) != GG_OK)
		return err->code;
	return GG_OK;
}

enum gg_err api_plans_tranche(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "milestone", .want = GG_WANT_STRING, .required = 1, .max_len = 4 * GG_PLAN_MILESTONE_MAX},
	    {.name = "due_on", .want = GG_WANT_STRING, .required = 1, .max_len = 32},
	    {.name = "amount", .want = GG_WANT_STRING, .required = 1, .max_len = GG_MONEY_TEXT_MAX},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_plan_tranche_input in = {0};
	struct gg_actor actor;
	struct gg_error one;
	int64_t id, inst = 0;
	int committed = 0;
	enum gg_err rc;

	if ((rc = visible_with_body(req, fields, sizeof fields / sizeof fields[0], &id, err)) != GG_OK)
		return rc;
	gg_error_init(&one);
	if (gg_money_parse(gg_json_str(gg_json_get(b, "amount")), &in.amount_fen, &one) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, "amount", "amount: %s", gg_error_message(&one));
	in.milestone = gg_json_str(gg_json_get(b, "milestone"));
	in.due_on = gg_json_str(gg_json_get(b, "due_on"));
	gg_api_actor(req, &actor);
	if ((rc = gg_plan_add_tranche(gg_req_db(req), gg_req_policies(req), &actor, id, &in, &inst, &committed, err)) !=
	    GG_OK)
		return rc;
	return answer(req, 201, id, err);
}

enum gg_err api_plans_cancel(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "reason", .want = GG_WANT_STRING, .required = 1, .max_len = 4 * GG_PLAN_REASON_MAX},
	    {.name = "ended_on", .want = GG_WANT_STRING, .required = 1, .max_len = 32},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_actor actor;
	int64_t id;
	enum gg_err rc;

	if ((rc = visible_with_body(req, fields, sizeof fields / sizeof fields[0], &id, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_plan_cancel(gg_req_db(req), &actor, id, gg_json_str(gg_json_get(b, "ended_on")),
	                         gg_json_str(gg_json_get(b, "reason")), NULL, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}
