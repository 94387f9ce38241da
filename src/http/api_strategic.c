/*
 * api_strategic: the bureau's decisions on strategic scientists (一事一议)
 * over HTTP. GET /api/v1/strategic-decisions (newest first, ?talent=),
 * POST /api/v1/strategic-decisions ({talent_id, decided_on?, rationale,
 * package_total, items?: [{title, amount}]}; amounts are decimal strings
 * of yuan, a JSON number is refused on its field), GET
 * /api/v1/strategic-decisions/{id} (with its recognition, the object of
 * GET /api/v1/recognitions/{id}: policy version, trace, plan). Readers see the decisions about the talents they
 * can see (an employer: its organisation's people; a talent: itself; a
 * commissioner: its assigned talents); another is 404, as an unknown one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"
#include "../domain/strategic.h"
#include "../domain/subsidy.h"
#include "../domain/talent.h"
#include "api.h"

/* The recognition object (GET /api/v1/recognitions/{id}) of recognition id with its plan; null when none. */
static struct gg_json *recognition_json(struct gg_db *db, int64_t id, struct gg_error *err)
{
	struct gg_recognition *r = NULL;
	struct gg_plan *plan = NULL;
	struct gg_json *o;

	if (!id)
		return gg_json_null();
	if (gg_recognition_get(db, id, &r, err) != GG_OK)
		return NULL;
	if (gg_subsidy_plan_of(db, id, &plan, err) != GG_OK) {
		gg_recognition_free(r);
		return NULL;
	}
	o = gg_api_recognition_json(r, plan);
	gg_plan_free(plan);
	gg_recognition_free(r);
	if (!o)
		gg_error_set(err, GG_E_NOMEM, NULL);
	return o;
}

/* The API's decision object; with its recognition and plan (read from db) when db is given. */
static struct gg_json *decision_json(const struct gg_strategic *s, struct gg_db *db, struct gg_error *err)
{
	struct gg_json *o = gg_json_object(), *items = gg_json_array();
	int ok = o && items;

	for (size_t i = 0; ok && i < s->nitems; i++) {
		struct gg_json *it = gg_json_object();
		ok = it && gg_json_set_int(it, "position", s->items[i].position) == GG_OK &&
		     gg_json_set_str(it, "title", s->items[i].title) == GG_OK &&
		     gg_json_set_int(it, "amount_fen", s->items[i].amount_fen) == GG_OK;
		ok = ok ? gg_json_append(items, it) == GG_OK : (gg_json_free(it), 0);
	}
	if (!ok) {
		gg_json_free(items);
		gg_json_free(o);
		gg_error_set(err, GG_E_NOMEM, NULL);
		return NULL;
	}
	ok &= gg_json_set_int(o, "id", s->id) == GG_OK;
	gg_api_set_ref(o, "talent", s->talent_id, s->talent_name, &ok);
	ok &= gg_json_set_str(o, "decided_on", s->decided_on) == GG_OK;
	ok &= gg_json_set_str(o, "rationale", s->rationale) == GG_OK;
	ok &= gg_json_set_int(o, "package_total_fen", s->package_total_fen) == GG_OK;
	ok &= gg_json_set(o, "items", items) == GG_OK;
	ok &= (s->recognition_id ? gg_json_set_int(o, "recognition_id", s->recognition_id)
	                         : gg_json_set_null(o, "recognition_id")) == GG_OK;
	ok &= (s->plan_id ? gg_json_set_int(o, "plan_id", s->plan_id) : gg_json_set_null(o, "plan_id")) == GG_OK;
	if (ok && db) {
		struct gg_json *rec = recognition_json(db, s->recognition_id, err);
		if (!rec || gg_json_set(o, "recognition", rec) != GG_OK) {
			gg_json_free(o);
			return NULL;
		}
	}
	gg_api_set_time(o, "created_at", s->created_at, &ok);
	gg_api_set_ref(o, "created_by", s->created_by, s->created_by_name, &ok);
	if (!ok) {
		gg_json_free(o);
		gg_error_set(err, GG_E_NOMEM, NULL);
		return NULL;
	}
	return o;
}

static enum gg_err answer(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_strategic *s = NULL;
	struct gg_json *body;
	char location[64];
	enum gg_err rc;

	if ((rc = gg_strategic_get(gg_req_db(req), id, &s, err)) != GG_OK)
		return rc;
	if (!gg_talent_visible(gg_req_db(req), gg_req_principal(req), s->talent_id)) {
		gg_strategic_free(s);
		gg_error_init(err);
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown strategic decision %lld", (long long)id);
	}
	body = decision_json(s, gg_req_db(req), err);
	gg_strategic_free(s);
	if (!body)
		return err->code != GG_OK ? err->code : gg_error_set(err, GG_E_NOMEM, NULL);
	if (status == 201) {
		snprintf(location, sizeof location, "/api/v1/strategic-decisions/%lld", (long long)id);
		if (gg_resp_header(req, "Location", location) != GG_OK) {
			gg_json_free(body);
			return gg_error_set(err, GG_E_NOMEM, NULL);
		}
	}
	return gg_resp_json(req, status, body);
}

enum gg_err api_strategic_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_strategic_query q;
	struct gg_strategic **v = NULL;
	struct gg_json *items;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	memset(&q, 0, sizeof q);
	if ((rc = gg_req_page(req, &q.limit, &q.before_id, err)) != GG_OK)
		return rc;
	gg_req_query_id(req, "talent", &q.talent_id, err);
	if (err->code != GG_OK)
		return err->code;
	gg_talent_scope(gg_req_principal(req), &q.scope);
	if ((rc = gg_strategic_list(gg_req_db(req), &q, &v, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, decision_json(v[i], NULL, err)) == GG_OK;
	int64_t last = n > 0 ? v[n - 1]->id : 0;
	gg_strategic_list_free(v, n);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

/* An amount of yuan in member key of o (a decimal string) into *fen; a field error on field otherwise. */
static void money_of(const struct gg_json *o, const char *key, const char *field, int64_t *fen, struct gg_error *err)
{
	struct gg_error one;

	gg_error_init(&one);
	if (gg_money_parse(gg_json_str(gg_json_get(o, key)), fen, &one) != GG_OK)
		gg_error_field(err, GG_E_INVALID, field, "%s: %s", field, gg_error_message(&one));
}

enum gg_err api_strategic_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "talent_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "decided_on", .want = GG_WANT_STRING, .max_len = 32, .nullable = 1},
	    /* not required here: a missing rationale is the rule's refusal (422), said by the domain */
	    {.name = "rationale",
	     .want = GG_WANT_STRING,
	     .max_len = 4 * GG_STRATEGIC_RATIONALE_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	    {.name = "package_total", .want = GG_WANT_STRING, .required = 1, .max_len = GG_MONEY_TEXT_MAX},
	    {.name = "items", .want = GG_WANT_ARRAY, .nullable = 1},
	};
	static const struct gg_json_field item_fields[] = {
	    {.name = "title", .want = GG_WANT_STRING, .required = 1, .max_len = 4 * GG_STRATEGIC_TITLE_MAX},
	    {.name = "amount", .want = GG_WANT_STRING, .required = 1, .max_len = GG_MONEY_TEXT_MAX},
	};
	const struct gg_json *b = gg_req_body(req), *items;
	struct gg_strategic_item_input its[GG_STRATEGIC_ITEMS_MAX];
	struct gg_strategic_input in = {0};
	struct gg_actor actor;
	char today[11], prefix[32], field[48];
	int64_t day, id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	items = gg_json_get(b, "items");
	if (items && gg_json_kind(items) == GG_JSON_ARRAY) {
		if (gg_json_size(items) > GG_STRATEGIC_ITEMS_MAX)
			return gg_error_field(err, GG_E_INVALID, "items", "a package has at most %d items",
			                      GG_STRATEGIC_ITEMS_MAX);
		for (size_t i = 0; i < gg_json_size(items); i++) {
			const struct gg_json *it = gg_json_at(items, i);

			snprintf(prefix, sizeof prefix, "items.%zu.", i);
			if (gg_json_check(it, item_fields, sizeof item_fields / sizeof item_fields[0], prefix, err) !=
			    GG_OK)
				continue;
			its[in.nitems].title = gg_json_str(gg_json_get(it, "title"));
			snprintf(field, sizeof field, "items.%zu.amount", i);
			money_of(it, "amount", field, &its[in.nitems].amount_fen, err);
			in.nitems++;
		}
		in.items = its;
	}
	money_of(b, "package_total", "package_total", &in.package_total_fen, err);
	if (err->code != GG_OK)
		return err->code;
	in.talent_id = gg_json_intv(gg_json_get(b, "talent_id"));
	in.rationale = gg_json_str(gg_json_get(b, "rationale"));
	in.decided_on = gg_json_str(gg_json_get(b, "decided_on"));
	if (!in.decided_on) {
		if ((rc = gg_clock_today(&day, err)) != GG_OK)
			return rc;
		in.decided_on = gg_clock_day_text(day, today);
	}
	gg_api_actor(req, &actor);
	if ((rc = gg_strategic_decide(gg_req_db(req), gg_req_policies(req), &actor, &in, &id, err)) != GG_OK)
		return rc;
	return answer(req, 201, id, err);
}

enum gg_err api_strategic_get(struct gg_req *req, struct gg_error *err)
{
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}
