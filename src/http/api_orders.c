/*
 * api_orders: recruitment orders over HTTP. GET/POST /api/v1/orders (list
 * newest first with ?org= and ?status=; issue), GET /api/v1/orders/{id},
 * POST .../close and POST .../hires, the real-time recognition: 201 with
 * the hire, the decision (the shape of POST /api/v1/policy/simulate), the
 * recognition and the subsidy plan, all written in one transaction by
 * order.c. The router has checked the route's permission; the scope is
 * checked here (order.h, gg_order_scope): an order an employer may not
 * read answers 404 as an unknown one does, issuing for another
 * organisation 403 naming it, and a talent the caller cannot see is an
 * unknown talent. Amounts come as decimal strings of yuan (a JSON number
 * is refused with a field error) and go out as integer fen. Every order
 * carries allowed_actions: hire and close while it is open and the caller
 * may write for its organisation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/order.h"
#include "../domain/recognition.h"
#include "../domain/simulate.h"
#include "../domain/subsidy.h"
#include "../domain/talent.h"
#include "api.h"

#define TITLE_JSON_MAX       (4 * GG_ORDER_TITLE_MAX)       /* bytes; the domain counts characters */
#define DESCRIPTION_JSON_MAX (4 * GG_ORDER_DESCRIPTION_MAX) /* bytes */
#define MONEY_JSON_MAX       32
#define TOKEN_JSON_MAX       64

static struct gg_json *hire_json(const struct gg_hire *h)
{
	struct gg_json *o = gg_json_object(), *policy = gg_json_object();
	int ok = o && policy;

	if (!ok) {
		gg_json_free(o);
		gg_json_free(policy);
		return NULL;
	}
	ok &= gg_json_set_int(o, "id", h->id) == GG_OK;
	ok &= gg_json_set_int(o, "order_id", h->order_id) == GG_OK;
	ok &= gg_json_set(o, "talent", gg_api_ref_json(h->talent_id, h->talent_name)) == GG_OK;
	ok &= gg_json_set_int(o, "contract_fen", h->contract_fen) == GG_OK;
	ok &= gg_json_set_str(o, "start_on", h->start_on) == GG_OK;
	ok &= gg_json_set_int(o, "term_years", h->term_years) == GG_OK;
	ok &= gg_json_set_str(policy, "pack", h->pack) == GG_OK &&
	      gg_json_set_str(policy, "version", h->version) == GG_OK;
	ok &= gg_json_set(o, "policy", policy) == GG_OK;
	ok &= gg_json_set_bool(o, "recognized", h->recognised) == GG_OK;
	gg_api_set_id(o, "recognition_id", h->recognition_id, &ok);
	gg_api_set_time(o, "created_at", h->created_at, &ok);
	gg_api_set_id(o, "created_by", h->created_by, &ok);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* The actions pr may take on o now. */
static struct gg_json *actions_json(const struct gg_principal *pr, const struct gg_order *o)
{
	static const char *const open_actions[] = {"hire", "close"};
	struct gg_order_scope w;
	struct gg_json *a = gg_json_array();

	gg_order_scope(pr, GG_PERM_orders_write, &w);
	if (a && o->status == GG_ORDER_OPEN && gg_order_scope_has(&w, o->org_id)) {
		for (size_t i = 0; i < sizeof open_actions / sizeof open_actions[0]; i++) {
			if (gg_json_append(a, gg_json_string(open_actions[i])) != GG_OK) {
				gg_json_free(a);
				return NULL;
			}
		}
	}
	return a;
}

static struct gg_json *order_json(const struct gg_principal *pr, const struct gg_order *g)
{
	struct gg_json *o = gg_json_object();
	int ok = o != NULL;

	if (!ok)
		return NULL;
	ok &= gg_json_set_int(o, "id", g->id) == GG_OK;
	ok &= gg_json_set(o, "org", gg_api_ref_json(g->org_id, g->org_name)) == GG_OK;
	ok &= gg_json_set_str(o, "title", g->title) == GG_OK;
	ok &= gg_json_set_str(o, "segment", g->segment) == GG_OK;
	ok &= gg_json_set_int(o, "salary_fen", g->salary_fen) == GG_OK;
	ok &= gg_json_set_str(o, "description", g->description) == GG_OK;
	ok &= gg_json_set_str(o, "status", gg_order_status_token(g->status)) == GG_OK;
	ok &= gg_json_set(o, "allowed_actions", actions_json(pr, g)) == GG_OK;
	if (g->hire)
		ok &= gg_json_set(o, "hire", hire_json(g->hire)) == GG_OK;
	else
		ok &= gg_json_set_null(o, "hire") == GG_OK;
	gg_api_set_time(o, "created_at", g->created_at, &ok);
	gg_api_set_id(o, "created_by", g->created_by, &ok);
	gg_api_set_time(o, "closed_at", g->closed_at, &ok);
	gg_api_set_id(o, "closed_by", g->closed_by, &ok);
	ok &= gg_json_set_int(o, "version", g->version) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* The decision object of POST /api/v1/policy/simulate for a hire's decision (started on start_on). */
static struct gg_json *decision_json(const struct gg_hire_result *r, const char *start_on)
{
	struct gg_simulation *view = malloc(sizeof(*view));
	struct gg_json *o = NULL;
	int64_t day = 0;

	if (view != NULL && gg_pack_parse_day(start_on, &day) == 0) {
		gg_simulation_view(r->pack, r->version, day, &r->decision, view);
		o = gg_api_decision_json(view);
	}
	free(view);
	return o;
}

/* Reads order id when the caller may read it; 404 otherwise, as for an unknown id. *out freed by the caller. */
static enum gg_err load_visible(struct gg_req *req, int64_t id, struct gg_order **out, struct gg_error *err)
{
	struct gg_order_scope s;
	enum gg_err rc;

	*out = NULL;
	gg_order_scope(gg_req_principal(req), GG_PERM_orders_read, &s);
	if ((rc = gg_order_get(gg_req_db(req), id, out, err)) != GG_OK)
		return rc;
	if (!gg_order_scope_has(&s, (*out)->org_id)) {
		gg_order_free(*out);
		*out = NULL;
		gg_error_init(err);
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown order %lld", (long long)id);
	}
	return GG_OK;
}

/* 403 unless the caller may write orders of org_id (naming the organisation). */
static enum gg_err check_write(struct gg_req *req, int64_t org_id, const char *field, struct gg_error *err)
{
	struct gg_order_scope w;

	gg_order_scope(gg_req_principal(req), GG_PERM_orders_write, &w);
	if (gg_order_scope_has(&w, org_id))
		return GG_OK;
	if (w.norgs > 0)
		return gg_error_field(err, GG_E_FORBIDDEN, field,
		                      "you may act only for organisation %lld, not for organisation %lld",
		                      (long long)w.orgs[0], (long long)org_id);
	return gg_error_field(err, GG_E_FORBIDDEN, field, "you may not act for organisation %lld", (long long)org_id);
}

/* The order of the path's {id} into *id when the caller sees it and may write for its organisation. */
static enum gg_err writable(struct gg_req *req, int64_t *id, struct gg_error *err)
{
	struct gg_order *o = NULL;
	int64_t org_id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", id, err)) != GG_OK || (rc = load_visible(req, *id, &o, err)) != GG_OK)
		return rc;
	org_id = o->org_id;
	gg_order_free(o);
	return check_write(req, org_id, NULL, err);
}

/* Answers status with order id as it is now (its ETag; Location for 201). */
static enum gg_err answer_order(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_order *o = NULL;
	struct gg_json *body;
	char location[64];
	enum gg_err rc;

	if ((rc = gg_order_get(gg_req_db(req), id, &o, err)) != GG_OK)
		return rc;
	body = order_json(gg_req_principal(req), o);
	rc = body ? gg_resp_etag(req, o->version) : GG_E_NOMEM;
	gg_order_free(o);
	if (rc == GG_OK && status == 201) {
		snprintf(location, sizeof location, "/api/v1/orders/%lld", (long long)id);
		rc = gg_resp_header(req, "Location", location);
	}
	if (rc != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, status, body);
}

enum gg_err api_orders_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_order_query q;
	struct gg_order **v = NULL;
	struct gg_json *items;
	const char *s;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	memset(&q, 0, sizeof q);
	q.status = -1;
	if ((rc = gg_req_page(req, &q.limit, &q.before_id, err)) != GG_OK)
		return rc;
	gg_req_query_id(req, "org", &q.org_id, err);
	if ((s = gg_req_query(req, "status")) != NULL && (q.status = gg_order_status_lookup(s)) < 0)
		gg_error_field(err, GG_E_INVALID, "status", "status must be open, filled or closed");
	if (err->code != GG_OK)
		return err->code;
	gg_order_scope(gg_req_principal(req), GG_PERM_orders_read, &q.scope);
	if ((rc = gg_order_list(gg_req_db(req), &q, &v, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok = gg_json_append(items, order_json(gg_req_principal(req), v[i])) == GG_OK;
	rc = ok ? gg_resp_list(req, items, more && n > 0, n > 0 ? v[n - 1]->id : 0, err)
	        : (gg_json_free(items), gg_error_set(err, GG_E_NOMEM, NULL));
	gg_order_list_free(v, n);
	return rc;
}

enum gg_err api_orders_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "org_id", .want = GG_WANT_INT, .nullable = 1},
	    {.name = "title", .want = GG_WANT_STRING, .required = 1, .max_len = TITLE_JSON_MAX, .allow_empty = 1},
	    {.name = "segment", .want = GG_WANT_STRING, .required = 1, .max_len = TOKEN_JSON_MAX},
	    {.name = "salary", .want = GG_WANT_STRING, .required = 1, .max_len = MONEY_JSON_MAX, .allow_empty = 1},
	    {.name = "description",
	     .want = GG_WANT_STRING,
	     .max_len = DESCRIPTION_JSON_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req), *org;
	struct gg_order_scope w;
	struct gg_order_new in;
	struct gg_actor actor;
	int64_t id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	memset(&in, 0, sizeof in);
	org = gg_json_get(b, "org_id");
	in.org_id = org && gg_json_kind(org) == GG_JSON_INT ? gg_json_intv(org) : 0;
	gg_order_scope(gg_req_principal(req), GG_PERM_orders_write, &w);
	if (in.org_id == 0 && !w.unscoped && w.norgs > 0)
		in.org_id = w.orgs[0]; /* an employer's order is for its organisation */
	if (in.org_id > 0 && (rc = check_write(req, in.org_id, "org_id", err)) != GG_OK)
		return rc;
	in.title = gg_json_str(gg_json_get(b, "title"));
	in.segment = gg_json_str(gg_json_get(b, "segment"));
	in.salary = gg_json_str(gg_json_get(b, "salary"));
	in.description = gg_json_str(gg_json_get(b, "description"));
	gg_api_actor(req, &actor);
	if ((rc = gg_order_issue(gg_req_db(req), &actor, &in, &id, err)) != GG_OK)
		return rc;
	return answer_order(req, 201, id, err);
}

enum gg_err api_orders_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_order *o = NULL;
	struct gg_json *body;
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if ((rc = load_visible(req, id, &o, err)) != GG_OK)
		return rc;
	body = order_json(gg_req_principal(req), o);
	rc = body ? gg_resp_etag(req, o->version) : GG_E_NOMEM;
	gg_order_free(o);
	if (rc != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}

enum gg_err api_orders_close(struct gg_req *req, struct gg_error *err)
{
	struct gg_actor actor;
	int64_t id;
	enum gg_err rc;

	if ((rc = writable(req, &id, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_order_close(gg_req_db(req), &actor, id, err)) != GG_OK)
		return rc;
	return answer_order(req, 200, id, err);
}

/* {hire, decision, recognition, plan} of a registered hire. */
static struct gg_json *hire_answer(struct gg_req *req, int64_t order_id, const struct gg_hire_result *res,
                                   struct gg_error *err)
{
	struct gg_db *db = gg_req_db(req);
	struct gg_order *o = NULL;
	struct gg_recognition *rec = NULL;
	struct gg_plan *plan = NULL;
	struct gg_json *body = NULL;
	int ok;

	if (gg_order_get(db, order_id, &o, err) != GG_OK || !o->hire)
		goto out;
	if (res->recognition_id && gg_recognition_get(db, res->recognition_id, &rec, err) != GG_OK)
		goto out;
	if (rec && gg_subsidy_plan_of(db, rec->id, &plan, err) != GG_OK)
		goto out;
	body = gg_json_object();
	ok = body != NULL;
	ok = ok && gg_json_set(body, "hire", hire_json(o->hire)) == GG_OK;
	ok = ok && gg_json_set(body, "decision", decision_json(res, o->hire->start_on)) == GG_OK;
	ok = ok && gg_json_set(body, "recognition", rec ? gg_api_recognition_json(rec, plan) : gg_json_null()) == GG_OK;
	ok = ok && gg_json_set(body, "plan", plan ? gg_api_plan_json(plan) : gg_json_null()) == GG_OK;
	if (!ok) {
		gg_json_free(body);
		body = NULL;
		gg_error_set(err, GG_E_NOMEM, NULL);
	}
out:
	if (!body && err->code == GG_OK)
		gg_error_set(err, GG_E_INTERNAL, "the hire of order %lld cannot be read back", (long long)order_id);
	gg_plan_free(plan);
	gg_recognition_free(rec);
	gg_order_free(o);
	return body;
}

enum gg_err api_orders_hire(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "talent_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "contract_salary",
	     .want = GG_WANT_STRING,
	     .required = 1,
	     .max_len = MONEY_JSON_MAX,
	     .allow_empty = 1},
	    {.name = "start_on", .want = GG_WANT_STRING, .required = 1, .max_len = 32, .allow_empty = 1},
	    {.name = "term_years", .want = GG_WANT_INT, .required = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_hire_result res;
	struct gg_hire_new in;
	struct gg_actor actor;
	struct gg_json *body;
	char location[64];
	int64_t id, term;
	enum gg_err rc;

	memset(&res, 0, sizeof res);
	if ((rc = writable(req, &id, err)) != GG_OK)
		return rc;
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	memset(&in, 0, sizeof in);
	in.order_id = id;
	in.talent_id = gg_json_intv(gg_json_get(b, "talent_id"));
	in.contract_salary = gg_json_str(gg_json_get(b, "contract_salary"));
	in.start_on = gg_json_str(gg_json_get(b, "start_on"));
	term = gg_json_intv(gg_json_get(b, "term_years"));
	in.term_years = term < 0 || term > 1000 ? -1 : (int)term; /* out of range stays out of range */
	/* the talent must be one the caller can see: an employer its organisation's */
	if (in.talent_id > 0 && !gg_talent_visible(gg_req_db(req), gg_req_principal(req), in.talent_id))
		return gg_error_field(err, GG_E_INVALID, "talent_id", "unknown talent %lld", (long long)in.talent_id);
	gg_api_actor(req, &actor);
	rc = gg_order_hire(gg_req_db(req), gg_req_policies(req), &actor, &in, &res, err);
	if (rc == GG_OK) {
		if (!(body = hire_answer(req, id, &res, err))) {
			rc = err->code;
		} else {
			snprintf(location, sizeof location, "/api/v1/orders/%lld", (long long)id);
			if (gg_resp_header(req, "Location", location) != GG_OK) {
				gg_json_free(body);
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
			} else {
				rc = gg_resp_json(req, 201, body);
			}
		}
	}
	gg_hire_result_release(&res);
	return rc;
}
