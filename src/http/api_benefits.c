/*
 * api_benefits: the benefits of the talent card over HTTP (benefit.h,
 * docs/benefits.md). The catalogue: GET /api/v1/benefits/categories, GET
 * and POST /api/v1/benefits/items (?category= ?provider_id= ?tier=
 * ?active=), GET and PATCH /api/v1/benefits/items/{id} (ETag; PATCH needs
 * If-Match), GET and POST /api/v1/benefits/items/{id}/slots. A card's
 * benefits with what it used this year: GET /api/v1/cards/{id}/benefits.
 * Bookings: GET and POST /api/v1/bookings, POST .../{id}/cancel. At the
 * counter: POST /api/v1/benefits/check (the verdict on a token or code
 * with the provider's items the card may use and its live bookings of
 * them) and POST /api/v1/redemptions (Idempotency-Key honoured); GET
 * /api/v1/redemptions. Records outside the caller's scope answer 404, as
 * unknown ones; the check never names the holder.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/benefit.h"
#include "api.h"
#include "ratelimit.h"

#define ITEM_JSON_NAME_MAX    (GG_BENEFIT_NAME_MAX * 4)
#define ITEM_JSON_DESC_MAX    (GG_BENEFIT_DESC_MAX * 4)
#define USAGE_MAX             256
#define CODE_LIMITER_ACCOUNTS 4096 /* counter accounts the code limit remembers at once */

static struct gg_json *item_json(const struct gg_benefit_item *it)
{
	struct gg_json *o = gg_json_object(), *tiers = gg_json_array();
	int ok = o && tiers;

	if (!ok) {
		gg_json_free(o);
		gg_json_free(tiers);
		return NULL;
	}
	for (size_t i = 0; i < it->ntiers; i++)
		ok &= gg_json_append(tiers, gg_json_string(it->tiers[i])) == GG_OK;
	ok &= gg_json_set_int(o, "id", it->id) == GG_OK;
	ok &= gg_json_set_str(o, "category", it->category) == GG_OK;
	ok &= gg_json_set_str(o, "name", it->name) == GG_OK;
	ok &= gg_json_set_str(o, "name_en", it->name_en) == GG_OK;
	ok &= gg_json_set_str(o, "description", it->description) == GG_OK;
	gg_api_set_ref(o, "provider", it->provider_id, it->provider, &ok);
	ok &= gg_json_set(o, "tiers", tiers) == GG_OK;
	ok &= (it->annual_quota ? gg_json_set_int(o, "annual_quota", it->annual_quota)
	                        : gg_json_set_null(o, "annual_quota")) == GG_OK;
	ok &= gg_json_set_bool(o, "needs_booking", it->needs_booking) == GG_OK;
	ok &= gg_json_set_bool(o, "active", it->active) == GG_OK;
	gg_api_set_time(o, "created_at", it->created_at, &ok);
	gg_api_set_time(o, "updated_at", it->updated_at, &ok);
	ok &= gg_json_set_int(o, "version", it->version) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

static struct gg_json *usage_json(const struct gg_benefit_usage *u)
{
	struct gg_json *o = item_json(&u->item);
	int ok = o != NULL;

	ok = ok && gg_json_set_int(o, "used", u->used) == GG_OK;
	ok = ok && (u->quota ? gg_json_set_int(o, "quota", u->quota) : gg_json_set_null(o, "quota")) == GG_OK;
	ok = ok && (u->remaining >= 0 ? gg_json_set_int(o, "remaining", u->remaining)
	                              : gg_json_set_null(o, "remaining")) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

static struct gg_json *slot_json(const struct gg_benefit_slot *s)
{
	struct gg_json *o = gg_json_object();
	int ok = o != NULL;

	ok = ok && gg_json_set_int(o, "id", s->id) == GG_OK && gg_json_set_int(o, "item_id", s->item_id) == GG_OK;
	gg_api_set_time(o, "starts_at", s->starts_at, &ok);
	gg_api_set_time(o, "ends_at", s->ends_at, &ok);
	ok = ok && gg_json_set_int(o, "capacity", s->capacity) == GG_OK &&
	     gg_json_set_int(o, "booked", s->booked) == GG_OK &&
	     gg_json_set_int(o, "remaining", s->capacity - s->booked) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

static struct gg_json *booking_json(const struct gg_benefit_booking *b, const struct gg_principal *pr)
{
	struct gg_json *o = gg_json_object(), *item = gg_json_object(), *slot = gg_json_object(),
	               *actions = gg_json_array();
	unsigned allowed = gg_benefit_booking_allowed(b, pr);
	int ok = o && item && slot && actions;

	if (!ok) {
		gg_json_free(o);
		gg_json_free(item);
		gg_json_free(slot);
		gg_json_free(actions);
		return NULL;
	}
	ok &= gg_json_set_int(item, "id", b->item_id) == GG_OK;
	ok &= gg_json_set_str(item, "name", b->item_name) == GG_OK;
	ok &= gg_json_set_str(item, "name_en", b->item_name_en) == GG_OK;
	ok &= gg_json_set_int(slot, "id", b->slot_id) == GG_OK;
	gg_api_set_time(slot, "starts_at", b->starts_at, &ok);
	gg_api_set_time(slot, "ends_at", b->ends_at, &ok);
	for (int a = 0; a < GG_BOOKA__COUNT; a++)
		if (allowed & (1u << a))
			ok &= gg_json_append(
			          actions, gg_json_string(gg_booking_action_token((enum gg_booking_action)a))) == GG_OK;
	ok &= gg_json_set_int(o, "id", b->id) == GG_OK;
	ok &= gg_json_set(o, "item", item) == GG_OK;
	gg_api_set_ref(o, "provider", b->provider_id, b->provider, &ok);
	ok &= gg_json_set_int(o, "card_id", b->card_id) == GG_OK;
	ok &= gg_json_set(o, "slot", slot) == GG_OK;
	ok &= gg_json_set_int(o, "year", b->year) == GG_OK;
	ok &= gg_json_set_str(o, "status", gg_booking_status_token(b->status)) == GG_OK;
	gg_api_set_id(o, "booked_by", b->booked_by, &ok);
	gg_api_set_time(o, "created_at", b->created_at, &ok);
	gg_api_set_time(o, "cancelled_at", b->cancelled_at, &ok);
	gg_api_set_time(o, "updated_at", b->updated_at, &ok);
	ok &= gg_json_set(o, "allowed_actions", actions) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

static struct gg_json *redemption_json(const struct gg_benefit_redemption *r)
{
	struct gg_json *o = gg_json_object(), *item = gg_json_object();
	int ok = o && item;

	if (!ok) {
		gg_json_free(o);
		gg_json_free(item);
		return NULL;
	}
	ok &= gg_json_set_int(item, "id", r->item_id) == GG_OK;
	ok &= gg_json_set_str(item, "name", r->item_name) == GG_OK;
	ok &= gg_json_set_str(item, "name_en", r->item_name_en) == GG_OK;
	ok &= gg_json_set_str(item, "category", r->category) == GG_OK;
	ok &= gg_json_set_int(o, "id", r->id) == GG_OK;
	ok &= gg_json_set(o, "item", item) == GG_OK;
	gg_api_set_ref(o, "provider", r->provider_id, r->provider, &ok);
	ok &= gg_json_set_int(o, "card_id", r->card_id) == GG_OK;
	gg_api_set_id(o, "booking_id", r->booking_id, &ok);
	ok &= gg_json_set_int(o, "year", r->year) == GG_OK;
	ok &= gg_json_set_str(o, "note", r->note[0] ? r->note : NULL) == GG_OK;
	gg_api_set_ref(o, "redeemed_by", r->redeemed_by, r->redeemed_by_name, &ok);
	gg_api_set_time(o, "redeemed_at", r->redeemed_at, &ok);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* {"items": items, "next_cursor": null}; takes items over. */
static enum gg_err answer_all(struct gg_req *req, struct gg_json *items, struct gg_error *err)
{
	struct gg_json *body = gg_json_object();

	if (!body || !items || gg_json_set(body, "items", items) != GG_OK) {
		gg_json_free(body);
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	if (gg_json_set_null(body, "next_cursor") != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}

/* ---- catalogue ---- */

enum gg_err api_benefit_categories(struct gg_req *req, struct gg_error *err)
{
	struct gg_benefit_category c[GG_BENEFIT_CATEGORIES_MAX];
	struct gg_json *items;
	size_t n = 0;
	int ok;
	enum gg_err rc;

	if ((rc = gg_benefit_categories(gg_req_db(req), c, GG_BENEFIT_CATEGORIES_MAX, &n, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		struct gg_json *o = gg_json_object();

		ok = o && gg_json_set_str(o, "token", c[i].token) == GG_OK &&
		     gg_json_set_str(o, "zh", c[i].zh) == GG_OK && gg_json_set_str(o, "en", c[i].en) == GG_OK &&
		     gg_json_set_int(o, "items", c[i].items) == GG_OK;
		if (!ok || gg_json_append(items, o) != GG_OK) {
			ok = 0;
			gg_json_free(o);
		}
	}
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return answer_all(req, items, err);
}

/* Whether the caller's catalogue scope reaches it (an org-scoped reader: its own organisation's items). */
static int item_visible(struct gg_req *req, const struct gg_benefit_item *it)
{
	struct gg_benefit_scope s;

	gg_benefit_scope(gg_req_principal(req), GG_PERM_benefits_read, &s);
	if (s.unscoped || s.ntalents || s.commissioner)
		return 1;
	for (size_t i = 0; i < s.norgs; i++)
		if (s.orgs[i] == it->provider_id)
			return 1;
	return 0;
}

static enum gg_err item_load(struct gg_req *req, int64_t id, struct gg_benefit_item *it, struct gg_error *err)
{
	enum gg_err rc = gg_benefit_item_get(gg_req_db(req), id, it, err);

	if (rc == GG_OK && !item_visible(req, it))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown benefit item %lld", (long long)id);
	return rc;
}

static enum gg_err answer_item(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_benefit_item *it = calloc(1, sizeof(*it));
	struct gg_json *body = NULL;
	enum gg_err rc;

	if (!it)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = item_load(req, id, it, err)) == GG_OK) {
		if ((body = item_json(it)) == NULL || gg_resp_etag(req, it->version) != GG_OK)
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
	}
	free(it);
	if (rc != GG_OK) {
		gg_json_free(body);
		return rc;
	}
	return gg_resp_json(req, status, body);
}

enum gg_err api_benefit_items_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_benefit_item_query q;
	struct gg_benefit_item *items = NULL;
	struct gg_json *arr;
	const char *s;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	memset(&q, 0, sizeof q);
	q.active = -1;
	if ((rc = gg_req_page(req, &q.limit, &q.after_id, err)) != GG_OK)
		return rc;
	q.category = gg_req_query_text(req, "category", 31, err);
	q.tier = gg_req_query_text(req, "tier", 31, err);
	gg_req_query_id(req, "provider_id", &q.provider_id, err);
	if ((s = gg_req_query(req, "active")) != NULL) {
		if (strcmp(s, "true") == 0)
			q.active = 1;
		else if (strcmp(s, "false") == 0)
			q.active = 0;
		else
			gg_error_field(err, GG_E_INVALID, "active", "active is true or false");
	}
	if (err->code != GG_OK)
		return err->code;
	gg_benefit_scope(gg_req_principal(req), GG_PERM_benefits_read, &q.scope);
	if ((rc = gg_benefit_item_list(gg_req_db(req), &q, &items, &n, &more, err)) != GG_OK)
		return rc;
	arr = gg_json_array();
	ok = arr != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(arr, item_json(&items[i])) == GG_OK;
	int64_t last = n ? items[n - 1].id : 0;
	free(items);
	if (!ok) {
		gg_json_free(arr);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, arr, more && n > 0, last, err);
}

/* Reads an item's fields from body into in (create: all, with the required ones; update: those given). */
static enum gg_err parse_item(const struct gg_json *b, int create, struct gg_benefit_item_in *in, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "category", .want = GG_WANT_STRING, .max_len = 32},
	    {.name = "name", .want = GG_WANT_STRING, .max_len = ITEM_JSON_NAME_MAX},
	    {.name = "name_en", .want = GG_WANT_STRING, .max_len = ITEM_JSON_NAME_MAX},
	    {.name = "description", .want = GG_WANT_STRING, .max_len = ITEM_JSON_DESC_MAX, .allow_empty = 1},
	    {.name = "provider_id", .want = GG_WANT_INT},
	    {.name = "tiers", .want = GG_WANT_STRING_ARRAY, .max_len = GG_BENEFIT_TIERS_MAX},
	    {.name = "annual_quota", .want = GG_WANT_INT, .nullable = 1},
	    {.name = "needs_booking", .want = GG_WANT_BOOL},
	    {.name = "active", .want = GG_WANT_BOOL},
	};
	static const char *const required[] = {"category", "name", "name_en", "provider_id", "tiers"};
	const struct gg_json *v, *tiers;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	for (size_t i = 0; create && i < sizeof required / sizeof required[0]; i++)
		if (!gg_json_get(b, required[i]))
			gg_error_field(err, GG_E_MISSING_FIELD, required[i], "%s is required", required[i]);
	if (err->code != GG_OK)
		return err->code;
	memset(in, 0, sizeof *in);
	in->active = 1;
	in->category = gg_json_str(gg_json_get(b, "category"));
	in->set_category = in->category != NULL;
	in->name = gg_json_str(gg_json_get(b, "name"));
	in->set_name = in->name != NULL;
	in->name_en = gg_json_str(gg_json_get(b, "name_en"));
	in->set_name_en = in->name_en != NULL;
	in->description = gg_json_str(gg_json_get(b, "description"));
	in->set_description = in->description != NULL;
	if ((v = gg_json_get(b, "provider_id")) != NULL) {
		in->provider_id = gg_json_intv(v);
		in->set_provider = 1;
	}
	if ((tiers = gg_json_get(b, "tiers")) != NULL) {
		in->set_tiers = 1;
		in->ntiers = gg_json_size(tiers);
		for (size_t i = 0; i < in->ntiers && i < GG_BENEFIT_TIERS_MAX; i++)
			in->tiers[i] = gg_json_str(gg_json_at(tiers, i));
	}
	if ((v = gg_json_get(b, "annual_quota")) != NULL) {
		in->set_quota = 1;
		in->annual_quota = gg_json_kind(v) == GG_JSON_INT ? gg_json_intv(v) : 0;
		if (gg_json_kind(v) == GG_JSON_INT && in->annual_quota < 1)
			return gg_error_field(err, GG_E_INVALID, "annual_quota",
			                      "annual_quota is 1 to 10000, or null for no limit");
	}
	if ((v = gg_json_get(b, "needs_booking")) != NULL) {
		in->set_booking = 1;
		in->needs_booking = gg_json_boolv(v);
	}
	if ((v = gg_json_get(b, "active")) != NULL) {
		in->set_active = 1;
		in->active = gg_json_boolv(v);
	}
	return GG_OK;
}

enum gg_err api_benefit_items_create(struct gg_req *req, struct gg_error *err)
{
	struct gg_benefit_item_in in;
	struct gg_actor actor;
	int64_t id = 0;
	enum gg_err rc;

	if ((rc = parse_item(gg_req_body(req), 1, &in, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_benefit_item_create(gg_req_db(req), &actor, &in, &id, err)) != GG_OK)
		return rc;
	return answer_item(req, 201, id, err);
}

enum gg_err api_benefit_items_get(struct gg_req *req, struct gg_error *err)
{
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	return answer_item(req, 200, id, err);
}

enum gg_err api_benefit_items_update(struct gg_req *req, struct gg_error *err)
{
	struct gg_benefit_item *it = calloc(1, sizeof(*it));
	struct gg_benefit_item_in in;
	struct gg_actor actor;
	int64_t id, version = 0;
	enum gg_err rc;

	if (!it)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_req_param_id(req, "id", &id, err)) == GG_OK && (rc = item_load(req, id, it, err)) == GG_OK)
		rc = gg_req_if_match(req, "benefit item", id, it->version, &version, err);
	free(it);
	if (rc != GG_OK)
		return rc;
	if ((rc = parse_item(gg_req_body(req), 0, &in, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_benefit_item_update(gg_req_db(req), &actor, id, &in, version, err)) != GG_OK)
		return rc;
	return answer_item(req, 200, id, err);
}

/* ---- slots ---- */

enum gg_err api_benefit_slots_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_benefit_item *it = calloc(1, sizeof(*it));
	struct gg_benefit_slot *slots = calloc(GG_BENEFIT_SLOTS_MAX, sizeof(*slots));
	struct gg_json *items = NULL;
	const char *s;
	int64_t id, from = gg_clock_now();
	size_t n = 0;
	int ok;
	enum gg_err rc;

	if (!it || !slots) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK || (rc = item_load(req, id, it, err)) != GG_OK)
		goto out;
	if ((s = gg_req_query(req, "from")) != NULL && gg_clock_parse_iso(s, &from) != 0) {
		rc = gg_error_field(err, GG_E_INVALID, "from", "from is an instant, 2026-06-01T08:00:00Z");
		goto out;
	}
	if ((rc = gg_benefit_slot_list(gg_req_db(req), id, from, slots, GG_BENEFIT_SLOTS_MAX, &n, err)) != GG_OK)
		goto out;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, slot_json(&slots[i])) == GG_OK;
	if (!ok) {
		gg_json_free(items);
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = answer_all(req, items, err);
out:
	free(it);
	free(slots);
	return rc;
}

enum gg_err api_benefit_slots_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "starts_at", .want = GG_WANT_STRING, .required = 1, .max_len = 32},
	    {.name = "ends_at", .want = GG_WANT_STRING, .required = 1, .max_len = 32},
	    {.name = "capacity", .want = GG_WANT_INT, .required = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_benefit_slot s;
	struct gg_actor actor;
	struct gg_json *body;
	int64_t id, starts = 0, ends = 0, slot = 0;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	if (gg_clock_parse_iso(gg_json_str(gg_json_get(b, "starts_at")), &starts) != 0)
		gg_error_field(err, GG_E_INVALID, "starts_at", "starts_at is an instant, 2026-06-01T08:00:00Z");
	if (gg_clock_parse_iso(gg_json_str(gg_json_get(b, "ends_at")), &ends) != 0)
		gg_error_field(err, GG_E_INVALID, "ends_at", "ends_at is an instant, 2026-06-01T09:00:00Z");
	if (err->code != GG_OK)
		return err->code;
	gg_api_actor(req, &actor);
	if ((rc = gg_benefit_slot_create(gg_req_db(req), &actor, id, starts, ends,
	                                 gg_json_intv(gg_json_get(b, "capacity")), &slot, err)) != GG_OK)
		return rc;
	s = (struct gg_benefit_slot){.id = slot,
	                             .item_id = id,
	                             .starts_at = starts,
	                             .ends_at = ends,
	                             .capacity = gg_json_intv(gg_json_get(b, "capacity"))};
	if ((body = slot_json(&s)) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return gg_resp_json(req, 201, body);
}

/* ---- a card's benefits ---- */

enum gg_err api_card_benefits(struct gg_req *req, struct gg_error *err)
{
	struct gg_benefit_usage *u = calloc(USAGE_MAX, sizeof(*u));
	struct gg_benefit_scope s;
	struct gg_benefit_card card;
	struct gg_json *items = NULL, *body = NULL;
	int64_t id;
	size_t n = 0;
	int ok, year = gg_benefit_year(gg_clock_now());
	enum gg_err rc;

	if (!u)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	gg_benefit_scope(gg_req_principal(req), GG_PERM_benefits_read, &s);
	/* a provider sees a card only through a token at its counter (POST /api/v1/benefits/check) */
	if (!s.unscoped && !s.ntalents && !s.commissioner) {
		rc = gg_error_set(err, GG_E_FORBIDDEN, "a provider reads a card's benefits through its token or code");
		goto out;
	}
	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK ||
	    (rc = gg_benefit_card_get(gg_req_db(req), id, &card, err)) != GG_OK)
		goto out;
	if (!gg_benefit_reaches_talent(gg_req_principal(req), GG_PERM_benefits_read, card.talent_id,
	                               card.commissioner_id)) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown card %lld", (long long)id);
		goto out;
	}
	if ((rc = gg_benefit_card_usage(gg_req_db(req), id, 0, year, u, USAGE_MAX, &n, err)) != GG_OK)
		goto out;
	items = gg_json_array();
	body = gg_json_object();
	ok = items && body;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, usage_json(&u[i])) == GG_OK;
	ok = ok && gg_json_set_int(body, "card_id", id) == GG_OK;
	ok = ok && gg_json_set_str(body, "status", card.status) == GG_OK;
	ok = ok && gg_json_set_str(body, "tier", card.tier[0] ? card.tier : NULL) == GG_OK;
	ok = ok && gg_json_set_int(body, "year", year) == GG_OK;
	if (ok) {
		ok = gg_json_set(body, "items", items) == GG_OK;
		items = NULL;
	}
	ok = ok && gg_json_set_null(body, "next_cursor") == GG_OK;
	if (!ok) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = gg_resp_json(req, 200, body);
	body = NULL;
out:
	gg_json_free(items);
	gg_json_free(body);
	free(u);
	return rc;
}

/* ---- bookings ---- */

static enum gg_err answer_booking(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_benefit_booking b;
	struct gg_json *body;
	enum gg_err rc;

	if ((rc = gg_benefit_booking_get(gg_req_db(req), id, &b, err)) != GG_OK)
		return rc;
	if (!gg_benefit_booking_visible(&b, gg_req_principal(req)))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown booking %lld", (long long)id);
	if ((body = booking_json(&b, gg_req_principal(req))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return gg_resp_json(req, status, body);
}

/* ?card_id= ?item_id= and the page, with the caller's benefits_read scope. */
static enum gg_err list_query(struct gg_req *req, struct gg_benefit_list_query *q, struct gg_error *err)
{
	enum gg_err rc;

	memset(q, 0, sizeof *q);
	q->status = -1;
	if ((rc = gg_req_page(req, &q->limit, &q->after_id, err)) != GG_OK)
		return rc;
	gg_req_query_id(req, "card_id", &q->card_id, err);
	gg_req_query_id(req, "item_id", &q->item_id, err);
	gg_benefit_scope(gg_req_principal(req), GG_PERM_benefits_read, &q->scope);
	return err->code;
}

enum gg_err api_bookings_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_benefit_list_query q;
	struct gg_benefit_booking *list = NULL;
	struct gg_json *items;
	const char *s;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	if ((rc = list_query(req, &q, err)) != GG_OK)
		return rc;
	if ((s = gg_req_query(req, "status")) != NULL && (q.status = gg_booking_status_lookup(s)) < 0)
		return gg_error_field(err, GG_E_INVALID, "status",
		                      "unknown status '%.32s' (booked, cancelled, redeemed)", s);
	if ((rc = gg_benefit_booking_list(gg_req_db(req), &q, &list, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, booking_json(&list[i], gg_req_principal(req))) == GG_OK;
	int64_t last = n ? list[n - 1].id : 0;
	free(list);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

enum gg_err api_bookings_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "card_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "slot_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "item_id", .want = GG_WANT_INT, .nullable = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_actor actor;
	int64_t id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	gg_api_actor(req, &actor);
	if ((rc = gg_benefit_book(gg_req_db(req), &actor, gg_req_principal(req),
	                          gg_json_intv(gg_json_get(b, "card_id")), gg_json_intv(gg_json_get(b, "slot_id")),
	                          gg_json_intv(gg_json_get(b, "item_id")), &id, err)) != GG_OK)
		return rc;
	return answer_booking(req, 201, id, err);
}

enum gg_err api_bookings_cancel(struct gg_req *req, struct gg_error *err)
{
	struct gg_actor actor;
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_benefit_booking_cancel(gg_req_db(req), &actor, gg_req_principal(req), id, err)) != GG_OK)
		return rc;
	return answer_booking(req, 200, id, err);
}

/* ---- at the counter ---- */

/*
 * Codes are short (8 digits) where tokens are signed: each account may look
 * up card_codes_per_minute codes a minute, so that a counter's account
 * cannot try codes until one names somebody's card.
 */
static struct gg_ratelimit *code_limiter;
static pthread_once_t code_limiter_once = PTHREAD_ONCE_INIT;

static void code_limiter_make(void)
{
	code_limiter = gg_ratelimit_new(CODE_LIMITER_ACCOUNTS);
}

/* The token or the code of a body: exactly one, of its form's size; a code counts against the account's limit. */
static enum gg_err token_or_code(struct gg_req *req, const struct gg_json *b, const char **token, const char **code,
                                 struct gg_error *err)
{
	int64_t rate = gg_config_int(gg_req_config(req), GG_CFG_card_codes_per_minute);
	char account[32];

	*token = gg_json_str(gg_json_get(b, "token"));
	*code = gg_json_str(gg_json_get(b, "code"));
	if ((*token == NULL) == (*code == NULL))
		return gg_error_field(err, GG_E_INVALID, "token", "give the card's token or its code, one of the two");
	if (!*code || rate <= 0)
		return GG_OK;
	pthread_once(&code_limiter_once, code_limiter_make);
	snprintf(account, sizeof account, "user:%lld", (long long)gg_req_principal(req)->user_id);
	return gg_ratelimit_request(code_limiter, req, account, rate, "card codes by this account", err);
}

enum gg_err api_benefit_check(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "token", .want = GG_WANT_STRING, .max_len = GG_CARDTOKEN_MAX - 1},
	    {.name = "code", .want = GG_WANT_STRING, .max_len = GG_CARDTOKEN_CODE_LEN},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_card_verdict *v = calloc(1, sizeof(*v));
	struct gg_benefit_usage *u = calloc(USAGE_MAX, sizeof(*u));
	struct gg_benefit_list_query q;
	struct gg_benefit_booking *bk = NULL;
	struct gg_json *body = gg_json_object(), *items = gg_json_array(), *bookings = gg_json_array();
	const char *token, *code;
	char tok[GG_CARDTOKEN_MAX], expires[32];
	int64_t now = gg_clock_now();
	size_t n = 0, nb = 0;
	int more = 0, ok = body && items && bookings && v && u;
	enum gg_err rc;

	if (!ok) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if (gg_json_check(b, fields, 2, "", err) != GG_OK || token_or_code(req, b, &token, &code, err) != GG_OK) {
		rc = err->code;
		goto out;
	}
	rc = token ? gg_cardtoken_verify(gg_req_db(req), token, now, 0, v, err)
	           : gg_cardtoken_verify_code(gg_req_db(req), code, now, 0, v, tok, err);
	if (rc != GG_OK)
		goto out;
	ok &= gg_json_set_bool(body, "valid", v->reason == GG_CTR_VALID) == GG_OK;
	if (v->reason != GG_CTR_VALID) {
		ok &= gg_json_set_str(body, "reason", gg_cardtoken_reason_token(v->reason)) == GG_OK;
	} else {
		struct gg_benefit_scope s;
		int year = gg_benefit_year(now);

		gg_benefit_scope(gg_req_principal(req), GG_PERM_benefits_redeem, &s);
		if (s.unscoped) {
			rc = gg_benefit_card_usage(gg_req_db(req), v->claims.card_id, 0, year, u, USAGE_MAX, &n, err);
		} else {
			for (size_t i = 0; rc == GG_OK && i < s.norgs && n < USAGE_MAX; i++) {
				size_t got = 0;

				rc = gg_benefit_card_usage(gg_req_db(req), v->claims.card_id, s.orgs[i], year, u + n,
				                           USAGE_MAX - n, &got, err);
				n += got;
			}
		}
		if (rc != GG_OK)
			goto out;
		memset(&q, 0, sizeof q);
		q.card_id = v->claims.card_id;
		q.status = GG_BOOKING_BOOKED;
		q.limit = GG_BENEFIT_LIMIT_MAX;
		q.scope = s;
		q.scope.ntalents = 0;
		q.scope.commissioner = 0;
		if ((rc = gg_benefit_booking_list(gg_req_db(req), &q, &bk, &nb, &more, err)) != GG_OK)
			goto out;
		for (size_t i = 0; ok && i < n; i++)
			ok &= gg_json_append(items, usage_json(&u[i])) == GG_OK;
		for (size_t i = 0; ok && i < nb; i++)
			ok &= gg_json_append(bookings, booking_json(&bk[i], gg_req_principal(req))) == GG_OK;
		gg_clock_iso(v->claims.expires_at, expires, sizeof expires);
		ok &= gg_json_set_str(body, "tier", v->tier[0] ? v->tier : NULL) == GG_OK;
		ok &= gg_json_set_str(body, "expires_at", expires) == GG_OK;
		ok &= gg_json_set_str(body, "valid_to", v->valid_to) == GG_OK;
		ok &= gg_json_set_int(body, "card_id", v->claims.card_id) == GG_OK;
		ok &= gg_json_set_int(body, "year", year) == GG_OK;
		ok &= gg_json_set(body, "items", items) == GG_OK;
		items = NULL;
		ok &= gg_json_set(body, "bookings", bookings) == GG_OK;
		bookings = NULL;
	}
	if (!ok) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = gg_resp_json(req, 200, body);
	body = NULL;
out:
	gg_json_free(body);
	gg_json_free(items);
	gg_json_free(bookings);
	free(bk);
	free(u);
	free(v);
	return rc;
}

static enum gg_err answer_redemption(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_benefit_redemption *r = calloc(1, sizeof(*r));
	struct gg_json *body = NULL;
	enum gg_err rc;

	if (!r)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_benefit_redemption_get(gg_req_db(req), id, r, err)) == GG_OK &&
	    (body = redemption_json(r)) == NULL)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	free(r);
	return rc == GG_OK ? gg_resp_json(req, status, body) : rc;
}

enum gg_err api_redemptions_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "token", .want = GG_WANT_STRING, .max_len = GG_CARDTOKEN_MAX - 1},
	    {.name = "code", .want = GG_WANT_STRING, .max_len = GG_CARDTOKEN_CODE_LEN},
	    {.name = "item_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "booking_id", .want = GG_WANT_INT, .nullable = 1},
	    {.name = "note",
	     .want = GG_WANT_STRING,
	     .max_len = GG_BENEFIT_NOTE_MAX * 4,
	     .nullable = 1,
	     .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_benefit_redeem_in in;
	struct gg_actor actor;
	int64_t id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	memset(&in, 0, sizeof in);
	if ((rc = token_or_code(req, b, &in.token, &in.code, err)) != GG_OK)
		return rc;
	in.item_id = gg_json_intv(gg_json_get(b, "item_id"));
	in.booking_id = gg_json_intv(gg_json_get(b, "booking_id"));
	in.note = gg_json_str(gg_json_get(b, "note"));
	gg_api_actor(req, &actor);
	if ((rc = gg_benefit_redeem(gg_req_db(req), &actor, gg_req_principal(req), &in, &id, NULL, err)) != GG_OK)
		return rc;
	return answer_redemption(req, 201, id, err);
}

enum gg_err api_redemptions_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_benefit_list_query q;
	struct gg_benefit_redemption *list = NULL;
	struct gg_json *items;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	if ((rc = list_query(req, &q, err)) != GG_OK)
		return rc;
	if ((rc = gg_benefit_redemption_list(gg_req_db(req), &q, &list, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, redemption_json(&list[i])) == GG_OK;
	int64_t last = n ? list[n - 1].id : 0;
	free(list);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}
