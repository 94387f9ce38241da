/*
 * api_orgs: organisations over HTTP. GET /api/v1/orgs (search, filters,
 * cursor), POST /api/v1/orgs, GET and PATCH /api/v1/orgs/{id} (ETag
 * "<version>", PATCH needs If-Match). The router has checked orgs_read or
 * orgs_write; the scope is checked here: a caller whose organisation reads
 * are scoped (an employer, org:ID) sees only its own organisation, and
 * any other id answers 404 as if it did not exist. Contacts' phone and
 * e-mail are always masked in answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/org.h"
#include "../domain/search.h"
#include "../domain/vocabulary.h"
#include "api.h"

#define TEXT_JSON_MAX 1024 /* bytes of a text member; the domain checks characters */
#define Q_MAX         200

static struct gg_json *contact_json(const struct gg_org_contact *c)
{
	struct gg_json *o = gg_json_object();
	int ok = o != NULL;

	ok = ok && gg_json_set_int(o, "id", c->id) == GG_OK;
	ok = ok && gg_json_set_str(o, "name", c->name) == GG_OK;
	ok = ok && gg_json_set_str(o, "title", c->title) == GG_OK;
	ok = ok && gg_json_set_str(o, "phone", c->phone_masked) == GG_OK;
	ok = ok && gg_json_set_str(o, "email", c->email_masked) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* The API's organisation object; NULL on out of memory. */
static struct gg_json *org_json(const struct gg_org *g)
{
	struct gg_json *o = gg_json_object(), *segs = gg_json_array(), *contacts = gg_json_array();
	int ok = o && segs && contacts;

	for (size_t i = 0; ok && i < g->nsegments; i++) {
		struct gg_json *s = gg_json_string(g->segments[i]);
		ok &= s && gg_json_append(segs, s) == GG_OK;
	}
	for (size_t i = 0; ok && i < g->ncontacts; i++) {
		struct gg_json *c = contact_json(&g->contacts[i]);
		ok &= c && gg_json_append(contacts, c) == GG_OK;
	}
	if (!ok) {
		gg_json_free(segs);
		gg_json_free(contacts);
		gg_json_free(o);
		return NULL;
	}
	ok &= gg_json_set_int(o, "id", g->id) == GG_OK;
	ok &= gg_json_set_str(o, "name", g->name) == GG_OK;
	ok &= gg_json_set_str(o, "pinyin", g->pinyin) == GG_OK;
	ok &= gg_json_set_str(o, "uscc", g->uscc) == GG_OK;
	ok &= gg_json_set_str(o, "kind", g->kind) == GG_OK;
	ok &= gg_json_set_str(o, "park", g->park) == GG_OK;
	ok &= gg_json_set(o, "segments", segs) == GG_OK;
	ok &= gg_json_set_bool(o, "verified", g->verified) == GG_OK;
	ok &= gg_json_set(o, "contacts", contacts) == GG_OK;
	ok &= gg_json_set_int(o, "talents_count", g->talents_count) == GG_OK;
	gg_api_set_time(o, "created_at", g->created_at, &ok);
	gg_api_set_time(o, "updated_at", g->updated_at, &ok);
	ok &= gg_json_set_int(o, "version", g->version) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* Answers status with the organisation (and its ETag). */
static enum gg_err answer_org(struct gg_req *req, int status, const struct gg_org *g, struct gg_error *err)
{
	struct gg_json *body = org_json(g);
	char where[64];

	if (!body || gg_resp_etag(req, g->version) != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	if (status == 201) {
		snprintf(where, sizeof where, "/api/v1/orgs/%lld", (long long)g->id);
		if (gg_resp_header(req, "Location", where) != GG_OK) {
			gg_json_free(body);
			return gg_error_set(err, GG_E_NOMEM, NULL);
		}
	}
	return gg_resp_json(req, status, body);
}

/* Reads organisation id when the caller may see it; 404 otherwise (its existence does not leak). */
static enum gg_err load_visible(struct gg_req *req, int64_t id, struct gg_org **out, struct gg_error *err)
{
	*out = NULL;
	if (!gg_org_visible(gg_req_principal(req), id))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown organisation %lld", (long long)id);
	return gg_org_get(gg_req_db(req), id, out, err);
}

enum gg_err api_orgs_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_search_query q;
	struct gg_search_page *page = NULL;
	struct gg_json *body = NULL, *items = NULL;
	struct gg_db *db = gg_req_db(req);
	char segment[64];
	const char *s;
	int64_t scope;
	long long v;
	enum gg_err rc;
	int ok;

	gg_search_query_init(&q);
	if ((s = gg_req_query(req, "limit")) != NULL) {
		if (gg_parse_i64(s, 1, GG_SEARCH_LIMIT_MAX, &v) != GG_OK)
			gg_error_field(err, GG_E_INVALID, "limit", "limit must be a whole number from 1 to %d",
			               GG_SEARCH_LIMIT_MAX);
		else
			q.limit = (int)v;
	}
	if ((s = gg_req_query(req, "cursor")) != NULL && *s)
		q.cursor = s;
	if ((s = gg_req_query(req, "q")) != NULL && *s) {
		if (strlen(s) > Q_MAX)
			gg_error_field(err, GG_E_INVALID, "q", "q must be at most %d bytes", Q_MAX);
		q.q = s;
	}
	if ((s = gg_req_query(req, "kind")) != NULL && *s) {
		q.kind = gg_vocab_lookup(GG_VOCAB_ORG_KIND, s);
		if (!q.kind)
			gg_error_field(err, GG_E_INVALID, "kind", "unknown organisation kind '%.64s'", s);
	}
	if ((s = gg_req_query(req, "segment")) != NULL && *s) {
		int found = 0;
		struct gg_error one;
		gg_error_init(&one);
		if ((rc = gg_vocab_segment_lookup(db, s, segment, sizeof segment, &found, &one)) != GG_OK) {
			*err = one;
			return rc;
		}
		if (!found)
			gg_error_field(err, GG_E_INVALID, "segment", "unknown segment '%.64s'", s);
		q.segment = segment;
	}
	if ((s = gg_req_query(req, "verified")) != NULL) {
		if (strcmp(s, "true") == 0)
			q.verified = 1;
		else if (strcmp(s, "false") == 0)
			q.verified = 0;
		else
			gg_error_field(err, GG_E_INVALID, "verified", "verified must be true or false");
	}
	if ((s = gg_req_query(req, "park")) != NULL && *s)
		q.park = s;
	if ((s = gg_req_query(req, "sort")) != NULL && *s)
		gg_search_parse_sort(s, &q.sort, err);
	if (err->code != GG_OK)
		return err->code;

	gg_org_scope(gg_req_principal(req), &scope);
	if (scope < 0)
		q.scope_none = 1;
	else
		q.org_scope = scope;

	page = calloc(1, sizeof *page);
	if (!page)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_search_orgs(db, &q, page, err)) != GG_OK)
		goto out;
	body = gg_json_object();
	items = gg_json_array();
	ok = body && items;
	for (size_t i = 0; ok && i < page->n; i++) {
		struct gg_org *g = NULL;
		rc = gg_org_get(db, page->ids[i], &g, err);
		if (rc == GG_E_NOT_FOUND) { /* removed between the search and the read */
			gg_error_init(err);
			rc = GG_OK;
			continue;
		}
		if (rc != GG_OK)
			goto out;
		struct gg_json *o = org_json(g);
		gg_org_free(g);
		ok &= o && gg_json_append(items, o) == GG_OK;
	}
	if (ok) {
		ok &= gg_json_set(body, "items", items) == GG_OK;
		items = NULL;
		ok &= (page->next_cursor[0] ? gg_json_set_str(body, "next_cursor", page->next_cursor)
		                            : gg_json_set_null(body, "next_cursor")) == GG_OK;
	}
	if (!ok) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = gg_resp_json(req, 200, body);
	body = NULL;
out:
	free(page);
	gg_json_free(items);
	gg_json_free(body);
	return rc;
}

/* The members of a create or change body; required only on create (checked by the domain). */
static const struct gg_json_field org_fields[] = {
    {.name = "name", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX},
    {.name = "uscc", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
    {.name = "kind", .want = GG_WANT_STRING, .max_len = 64},
    {.name = "park", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX, .nullable = 1, .allow_empty = 1},
    {.name = "segments", .want = GG_WANT_STRING_ARRAY, .max_len = GG_ORG_SEGMENTS_MAX, .nullable = 1},
    {.name = "verified", .want = GG_WANT_BOOL},
    {.name = "contacts", .want = GG_WANT_ARRAY, .nullable = 1},
};

static const struct gg_json_field contact_fields[] = {
    {.name = "id", .want = GG_WANT_INT, .nullable = 1},
    {.name = "name", .want = GG_WANT_STRING, .required = 1, .max_len = TEXT_JSON_MAX},
    {.name = "title", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX, .nullable = 1, .allow_empty = 1},
    {.name = "phone", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
    {.name = "email", .want = GG_WANT_STRING, .max_len = 320, .nullable = 1, .allow_empty = 1},
};

/* What a body names, with the arrays the input points into. */
struct parsed {
	struct gg_org_input in;
	const char *segs[GG_ORG_SEGMENTS_MAX];
	struct gg_org_contact_input contacts[GG_ORG_CONTACTS_MAX];
};

/* Fills p from the body b: a member present (also as null) is "set". */
static enum gg_err parse_body(const struct gg_json *b, struct parsed *p, struct gg_error *err)
{
	const struct gg_json *m;
	char prefix[32];

	memset(p, 0, sizeof *p);
	if (gg_json_check(b, org_fields, sizeof org_fields / sizeof org_fields[0], "", err) != GG_OK)
		return err->code;
	if ((m = gg_json_get(b, "name")) != NULL) {
		p->in.set_name = 1;
		p->in.name = gg_json_str(m);
	}
	if ((m = gg_json_get(b, "uscc")) != NULL) {
		p->in.set_uscc = 1;
		p->in.uscc = gg_json_str(m);
	}
	if ((m = gg_json_get(b, "kind")) != NULL) {
		p->in.set_kind = 1;
		p->in.kind = gg_json_str(m);
	}
	if ((m = gg_json_get(b, "park")) != NULL) {
		p->in.set_park = 1;
		p->in.park = gg_json_str(m);
	}
	if ((m = gg_json_get(b, "segments")) != NULL) {
		p->in.set_segments = 1;
		for (size_t i = 0; i < gg_json_size(m) && i < GG_ORG_SEGMENTS_MAX; i++)
			p->segs[p->in.nsegments++] = gg_json_str(gg_json_at(m, i));
		p->in.segments = p->segs;
	}
	if ((m = gg_json_get(b, "verified")) != NULL) {
		p->in.set_verified = 1;
		p->in.verified = gg_json_boolv(m);
	}
	if ((m = gg_json_get(b, "contacts")) != NULL) {
		size_t n = gg_json_size(m);
		p->in.set_contacts = 1;
		p->in.contacts = p->contacts;
		if (n > GG_ORG_CONTACTS_MAX)
			return gg_error_field(err, GG_E_INVALID, "contacts", "at most %d contacts are allowed",
			                      GG_ORG_CONTACTS_MAX);
		for (size_t i = 0; i < n; i++) {
			const struct gg_json *item = gg_json_at(m, i), *v;
			struct gg_org_contact_input *c = &p->contacts[i];
			snprintf(prefix, sizeof prefix, "contacts.%zu.", i);
			if (gg_json_check(item, contact_fields, sizeof contact_fields / sizeof contact_fields[0],
			                  prefix, err) != GG_OK)
				continue;
			if ((v = gg_json_get(item, "id")) != NULL && gg_json_kind(v) == GG_JSON_INT) {
				c->id = gg_json_intv(v);
				if (c->id <= 0) {
					snprintf(prefix, sizeof prefix, "contacts.%zu.id", i);
					gg_error_field(err, GG_E_INVALID, prefix, "contact id must be positive");
				}
			}
			c->name = gg_json_str(gg_json_get(item, "name"));
			c->title = gg_json_str(gg_json_get(item, "title"));
			if ((v = gg_json_get(item, "phone")) != NULL) {
				c->set_phone = 1;
				c->phone = gg_json_str(v);
			}
			if ((v = gg_json_get(item, "email")) != NULL) {
				c->set_email = 1;
				c->email = gg_json_str(v);
			}
		}
		p->in.ncontacts = n;
		if (err->code != GG_OK)
			return err->code;
	}
	return GG_OK;
}

enum gg_err api_orgs_create(struct gg_req *req, struct gg_error *err)
{
	struct parsed *p = calloc(1, sizeof *p);
	struct gg_actor actor;
	struct gg_org *g = NULL;
	int64_t id = 0;
	enum gg_err rc;

	if (!p)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = parse_body(gg_req_body(req), p, err)) != GG_OK)
		goto out;
	gg_api_actor(req, &actor);
	if ((rc = gg_org_create(gg_req_db(req), gg_req_keys(req), &actor, &p->in, &id, err)) != GG_OK)
		goto out;
	if ((rc = gg_org_get(gg_req_db(req), id, &g, err)) != GG_OK)
		goto out;
	rc = answer_org(req, 201, g, err);
out:
	gg_org_free(g);
	free(p);
	return rc;
}

enum gg_err api_orgs_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_org *g = NULL;
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if ((rc = load_visible(req, id, &g, err)) != GG_OK)
		return rc;
	rc = answer_org(req, 200, g, err);
	gg_org_free(g);
	return rc;
}

enum gg_err api_orgs_update(struct gg_req *req, struct gg_error *err)
{
	struct parsed *p = NULL;
	struct gg_actor actor;
	struct gg_org *g = NULL;
	int64_t id, version;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if ((rc = load_visible(req, id, &g, err)) != GG_OK)
		return rc;
	if ((rc = gg_req_if_match(req, "organisation", id, g->version, &version, err)) != GG_OK)
		goto out;
	if (!(p = calloc(1, sizeof *p))) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if ((rc = parse_body(gg_req_body(req), p, err)) != GG_OK)
		goto out;
	gg_org_free(g);
	g = NULL;
	gg_api_actor(req, &actor);
	if ((rc = gg_org_update(gg_req_db(req), gg_req_keys(req), &actor, id, &p->in, version, NULL, err)) != GG_OK)
		goto out;
	if ((rc = gg_org_get(gg_req_db(req), id, &g, err)) != GG_OK)
		goto out;
	rc = answer_org(req, 200, g, err);
out:
	gg_org_free(g);
	free(p);
	return rc;
}
