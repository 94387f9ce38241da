/*
 * api_recommendations: the recruitment list (招聘名单) over HTTP. GET/POST
 * /api/v1/recommendations (list newest first with ?org=&status=&talent=,
 * create a draft), GET/PATCH /api/v1/recommendations/{id} (with its
 * history; PATCH edits a draft or a returned one and needs If-Match),
 * POST .../{id}/{submit|withdraw|review|approve|reject|return} (a body
 * {reason?, tier?}; If-Match optional), GET .../quota?org=&year=. Every
 * recommendation carries allowed_actions for the caller, from the same
 * check the actions apply (recommendation.c). An employer works on its own
 * organisation's recommendations only: naming another organisation
 * (create, list, quota) is 403 naming it; another organisation's
 * recommendation by id is 404, as an unknown one. The router has checked
 * the route's permission.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/recommendation.h"
#include "api.h"

#define TEXT_JSON_MAX (4 * GG_RECOMMENDATION_JUSTIFICATION_MAX) /* bytes; the domain checks characters */

static struct gg_json *history_json(const struct gg_recommendation *r)
{
	struct gg_json *a = gg_json_array();

	for (size_t i = 0; a && i < r->nevents; i++) {
		const struct gg_rec_event *e = &r->events[i];
		struct gg_json *o = gg_json_object();
		int ok = o != NULL;

		ok = ok && gg_json_set_str(o, "action", e->action) == GG_OK &&
		     gg_json_set_str(o, "from_status", e->from_status[0] ? e->from_status : NULL) == GG_OK &&
		     gg_json_set_str(o, "to_status", e->to_status) == GG_OK &&
		     gg_json_set_str(o, "reason", e->reason) == GG_OK;
		if (ok) {
			struct gg_json *actor = gg_json_object();
			ok = actor &&
			     (e->actor_id ? gg_json_set_int(actor, "id", e->actor_id)
			                  : gg_json_set_null(actor, "id")) == GG_OK &&
			     gg_json_set_str(actor, "name", e->actor_name) == GG_OK;
			ok = gg_json_set(o, "actor", actor) == GG_OK && ok;
		}
		if (ok)
			gg_api_set_time(o, "at", e->at, &ok);
		if (!ok || gg_json_append(a, o) != GG_OK) {
			if (!ok)
				gg_json_free(o);
			gg_json_free(a);
			return NULL;
		}
	}
	return a;
}

/* The API's recommendation object for caller pr; with history when r has it read. */
static struct gg_json *rec_json(const struct gg_recommendation *r, const struct gg_principal *pr, int history)
{
	struct gg_json *o = gg_json_object(), *talent = NULL, *actions = NULL, *quota = NULL;
	unsigned allowed = gg_recommendation_allowed_actions(r, pr);
	int ok = o != NULL;

	if (!ok)
		return NULL;
	ok &= gg_json_set_int(o, "id", r->id) == GG_OK;
	gg_api_set_ref(o, "org", r->org_id, r->org_name, &ok);
	talent = gg_json_object();
	ok &= talent && gg_json_set_int(talent, "id", r->talent_id) == GG_OK &&
	      gg_json_set_str(talent, "name", r->talent_name) == GG_OK &&
	      gg_json_set_str(talent, "tier", r->talent_tier) == GG_OK;
	ok &= gg_json_set(o, "talent", talent) == GG_OK;
	ok &= gg_json_set_str(o, "proposed_tier", r->proposed_tier) == GG_OK;
	ok &= gg_json_set_str(o, "justification", r->justification ? r->justification : "") == GG_OK;
	ok &= gg_json_set_str(o, "status", gg_rec_status_token(r->status)) == GG_OK;
	ok &= gg_json_set_str(o, "submitted_on", r->submitted_on[0] ? r->submitted_on : NULL) == GG_OK;
	gg_api_set_id(o, "quota_year", r->quota_year, &ok);
	if (r->quota_pack && r->quota_seq) {
		quota = gg_json_object();
		ok &= quota && gg_json_set_int(quota, "slot", r->quota_seq) == GG_OK &&
		      gg_json_set_int(quota, "of", r->quota_limit) == GG_OK &&
		      gg_json_set_str(quota, "pack", r->quota_pack) == GG_OK &&
		      gg_json_set_str(quota, "version", r->quota_version) == GG_OK;
		ok &= gg_json_set(o, "quota", quota) == GG_OK;
	} else {
		ok &= gg_json_set_null(o, "quota") == GG_OK;
	}
	ok &= gg_json_set_str(o, "decided_tier", r->decided_tier) == GG_OK;
	ok &= gg_json_set_str(o, "decision_reason", r->decision_reason) == GG_OK;
	gg_api_set_ref(o, "reviewer", r->reviewer_id, r->reviewer_name, &ok);
	gg_api_set_id(o, "recognition_id", r->recognition_id, &ok);
	actions = gg_json_array();
	for (int a = 0; ok && actions && a < GG_REC_ACTION__COUNT; a++)
		if (allowed & (1u << a))
			ok &= gg_json_append(actions, gg_json_string(gg_rec_machine[a].token)) == GG_OK;
	ok &= gg_json_set(o, "allowed_actions", actions) == GG_OK;
	gg_api_set_time(o, "created_at", r->created_at, &ok);
	gg_api_set_ref(o, "created_by", r->created_by, r->created_by_name, &ok);
	gg_api_set_time(o, "updated_at", r->updated_at, &ok);
	ok &= gg_json_set_int(o, "version", r->version) == GG_OK;
	if (history)
		ok &= gg_json_set(o, "history", history_json(r)) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* Reads recommendation id when the caller may see it (404 otherwise, as for an unknown id). */
static enum gg_err visible(struct gg_req *req, int64_t id, int history, struct gg_recommendation **out,
                           struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_recommendation_get(gg_req_db(req), id, history, out, err)) != GG_OK)
		return rc;
	if (!gg_recommendation_reach(gg_req_principal(req), GG_PERM_recommendations_read, (*out)->org_id)) {
		gg_recommendation_free(*out);
		*out = NULL;
		gg_error_init(err);
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown recommendation %lld", (long long)id);
	}
	return GG_OK;
}

/* Answers status with recommendation id, its history and ETag. */
static enum gg_err answer(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_recommendation *r = NULL;
	struct gg_json *body;
	char location[64];
	enum gg_err rc;

	if ((rc = gg_recommendation_get(gg_req_db(req), id, 1, &r, err)) != GG_OK)
		return rc;
	body = rec_json(r, gg_req_principal(req), 1);
	if (!body || gg_resp_etag(req, r->version) != GG_OK) {
		gg_json_free(body);
		gg_recommendation_free(r);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	gg_recommendation_free(r);
	if (status == 201) {
		snprintf(location, sizeof location, "/api/v1/recommendations/%lld", (long long)id);
		if (gg_resp_header(req, "Location", location) != GG_OK) {
			gg_json_free(body);
			return gg_error_set(err, GG_E_NOMEM, NULL);
		}
	}
	return gg_resp_json(req, status, body);
}

/*
 * The organisation a request names for an employer's work: org (0: none
 * named) when pr may work on it with perm, else 403 naming it; with none
 * named, the caller's own (its first org:ID grant of perm), or 0 for an
 * unscoped caller.
 */
static enum gg_err own_org(const struct gg_principal *pr, enum gg_perm perm, int64_t org, const char *field,
                           int64_t *out, struct gg_error *err)
{
	int64_t first = 0;
	int unscoped = 0;

	*out = 0;
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];
		if (!gg_role_grants(g->role, perm))
			continue;
		if (g->scope_kind == GG_SCOPE_NONE)
			unscoped = 1;
		else if (g->scope_kind == GG_SCOPE_ORG && !first)
			first = g->scope_id;
	}
	if (org && !gg_recommendation_reach(pr, perm, org)) {
		if (first)
			return gg_error_field(err, GG_E_FORBIDDEN, field,
			                      "organisation %lld is not yours: you act for organisation %lld",
			                      (long long)org, (long long)first);
		return gg_error_field(err, GG_E_FORBIDDEN, field, "you may not act for organisation %lld",
		                      (long long)org);
	}
	*out = org ? org : unscoped ? 0 : first;
	return GG_OK;
}

enum gg_err api_recommendations_list(struct gg_req *req, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	struct gg_recommendation_query q;
	struct gg_recommendation **v = NULL;
	struct gg_json *items;
	const char *s;
	int64_t org = 0;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	memset(&q, 0, sizeof q);
	q.status = -1;
	if ((rc = gg_req_page(req, &q.limit, &q.before_id, err)) != GG_OK)
		return rc;
	gg_req_query_id(req, "org", &org, err);
	gg_req_query_id(req, "talent", &q.talent_id, err);
	if ((s = gg_req_query(req, "status")) != NULL && (q.status = gg_rec_status_lookup(s)) < 0)
		gg_error_field(err, GG_E_INVALID, "status",
		               "unknown status '%.32s' (draft, submitted, under_review, approved, rejected, returned, "
		               "withdrawn)",
		               s);
	if (err->code != GG_OK)
		return err->code;
	if (org && (rc = own_org(pr, GG_PERM_recommendations_read, org, "org", &q.org_id, err)) != GG_OK)
		return rc;
	gg_recommendation_scope(pr, &q);
	if ((rc = gg_recommendation_list(gg_req_db(req), &q, &v, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, rec_json(v[i], pr, 0)) == GG_OK;
	int64_t last = n > 0 ? v[n - 1]->id : 0;
	gg_recommendation_list_free(v, n);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

enum gg_err api_recommendations_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "org_id", .want = GG_WANT_INT, .nullable = 1},
	    {.name = "talent_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "proposed_tier", .want = GG_WANT_STRING, .required = 1, .max_len = 256},
	    {.name = "justification",
	     .want = GG_WANT_STRING,
	     .max_len = TEXT_JSON_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	const struct gg_json *org = gg_json_get(b, "org_id");
	struct gg_recommendation_input in = {0};
	struct gg_actor actor;
	int64_t id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	rc = own_org(gg_req_principal(req), GG_PERM_recommendations_write,
	             org && gg_json_kind(org) == GG_JSON_INT ? gg_json_intv(org) : 0, "org_id", &in.org_id, err);
	if (rc != GG_OK)
		return rc;
	in.talent_id = gg_json_intv(gg_json_get(b, "talent_id"));
	in.set_tier = 1;
	in.proposed_tier = gg_json_str(gg_json_get(b, "proposed_tier"));
	in.set_justification = 1;
	in.justification = gg_json_str(gg_json_get(b, "justification"));
	gg_api_actor(req, &actor);
	if ((rc = gg_recommendation_create(gg_req_db(req), &actor, gg_req_principal(req), &in, &id, err)) != GG_OK)
		return rc;
	return answer(req, 201, id, err);
}

enum gg_err api_recommendations_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_recommendation *r = NULL;
	enum gg_err rc;
	int64_t id;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK || (rc = visible(req, id, 0, &r, err)) != GG_OK)
		return rc;
	gg_recommendation_free(r);
	return answer(req, 200, id, err);
}

/* Takes rq on the {id} of the path; If-Match is required when need_if_match, checked when sent. */
static enum gg_err act(struct gg_req *req, struct gg_rec_request *rq, int need_if_match, struct gg_error *err)
{
	struct gg_recommendation *r = NULL;
	struct gg_actor actor;
	enum gg_err rc;
	int64_t id;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK || (rc = visible(req, id, 0, &r, err)) != GG_OK)
		return rc;
	if (need_if_match || gg_req_header(req, "If-Match"))
		rc = gg_req_if_match(req, "recommendation", id, r->version, &rq->expected_version, err);
	gg_recommendation_free(r);
	if (rc != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_recommendation_act(gg_req_db(req), gg_req_policies(req), &actor, gg_req_principal(req), id, rq,
	                                err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

enum gg_err api_recommendations_update(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "proposed_tier", .want = GG_WANT_STRING, .max_len = 256},
	    {.name = "justification",
	     .want = GG_WANT_STRING,
	     .max_len = TEXT_JSON_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_recommendation_input in = {0};
	struct gg_rec_request rq = {.action = GG_REC_EDIT, .edit = &in};
	const struct gg_json *v;

	if (!gg_req_header(req, "If-Match")) { /* 428 before the body is looked at */
		int64_t id, version;
		enum gg_err rc;
		if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
			return rc;
		return gg_req_if_match(req, "recommendation", id, 0, &version, err);
	}
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	if ((v = gg_json_get(b, "proposed_tier")) != NULL) {
		in.set_tier = 1;
		in.proposed_tier = gg_json_str(v);
	}
	if ((v = gg_json_get(b, "justification")) != NULL) {
		in.set_justification = 1;
		in.justification = gg_json_str(v);
	}
	return act(req, &rq, 1, err);
}

/* The body of an action: {reason?, tier?}. */
static enum gg_err action(struct gg_req *req, enum gg_rec_action a, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "reason",
	     .want = GG_WANT_STRING,
	     .max_len = 4 * GG_RECOMMENDATION_REASON_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	    {.name = "tier", .want = GG_WANT_STRING, .max_len = 256, .nullable = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_rec_request rq = {.action = a};

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	rq.reason = gg_json_str(gg_json_get(b, "reason"));
	rq.tier = gg_json_str(gg_json_get(b, "tier"));
	return act(req, &rq, 0, err);
}

/* The action routes of routes.tbl, one handler each: the action its path ends in. */
#define ACTION_HANDLER(name, a)                                                          \
	enum gg_err api_recommendations_##name(struct gg_req *req, struct gg_error *err) \
	{                                                                                \
		return action(req, a, err);                                              \
	}
ACTION_HANDLER(submit, GG_REC_SUBMIT)
ACTION_HANDLER(withdraw, GG_REC_WITHDRAW)
ACTION_HANDLER(review, GG_REC_REVIEW)
ACTION_HANDLER(approve, GG_REC_APPROVE)
ACTION_HANDLER(reject, GG_REC_REJECT)
ACTION_HANDLER(return, GG_REC_RETURN)
#undef ACTION_HANDLER

enum gg_err api_recommendations_quota(struct gg_req *req, struct gg_error *err)
{
	struct gg_recommendation_quota q;
	struct gg_json *body, *policy;
	int64_t org = 0, today = 0, y = 0;
	const char *s;
	int ok, m, d;
	long long year = 0;
	enum gg_err rc;

	gg_req_query_id(req, "org", &org, err);
	if ((s = gg_req_query(req, "year")) != NULL && gg_parse_i64(s, 1970, 9999, &year) != GG_OK)
		gg_error_field(err, GG_E_INVALID, "year", "year must be a whole number from 1970 to 9999");
	if (err->code != GG_OK)
		return err->code;
	if ((rc = own_org(gg_req_principal(req), GG_PERM_recommendations_read, org, "org", &org, err)) != GG_OK)
		return rc;
	if (!org)
		return gg_error_field(err, GG_E_INVALID, "org", "name the organisation: ?org=ID");
	if (!year) {
		if ((rc = gg_clock_today(&today, err)) != GG_OK)
			return rc;
		gg_clock_civil_from_days(today, &y, &m, &d);
		year = y;
	}
	if ((rc = gg_recommendation_quota(gg_req_db(req), gg_req_policies(req), org, (int)year, &q, err)) != GG_OK)
		return rc;
	body = gg_json_object();
	policy = gg_json_object();
	ok = body && policy;
	ok = ok && gg_json_set_int(body, "org_id", q.org_id) == GG_OK &&
	     gg_json_set_int(body, "year", q.year) == GG_OK && gg_json_set_int(body, "quota", q.quota) == GG_OK &&
	     gg_json_set_int(body, "used", q.used) == GG_OK &&
	     gg_json_set_int(body, "remaining", q.remaining) == GG_OK &&
	     gg_json_set_str(policy, "pack", q.pack) == GG_OK && gg_json_set_str(policy, "version", q.version) == GG_OK;
	if (!ok || gg_json_set(body, "policy", policy) != GG_OK) {
		if (!ok)
			gg_json_free(policy);
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}
