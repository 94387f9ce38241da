/*
 * api_talents: talent records over HTTP. GET/POST /api/v1/talents (list
 * through the search module, create), GET/PATCH /api/v1/talents/{id}
 * (ETag "<version>", PATCH needs If-Match), POST .../reveal (unmasked
 * personal data, logged), GET .../pii-reads (who read it) and GET
 * .../history (the audit rows of the record and of records merged into
 * it). The router has checked the route's permission; the scope (an
 * employer its organisation's people, a talent itself, a commissioner
 * its assigned talents) is checked here: a record out of scope answers
 * 404, as an unknown one. Responses always carry personal data masked;
 * only reveal answers it in the clear. Also the one talent object every
 * registry handler answers with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/audit.h"
#include "../domain/search.h"
#include "../domain/talent.h"
#include "api.h"

#define TEXT_JSON_MAX  256  /* characters of a short text member (the domain checks the real limit) */
#define NOTES_JSON_MAX 8000 /* characters of notes */
#define LIST_JSON_MAX  100  /* items of an array member (the domain allows fewer) */
#define Q_MAX          200  /* bytes of a search query */

static struct gg_json *strings_json(char *const *items, size_t n)
{
	struct gg_json *a = gg_json_array();

	for (size_t i = 0; a && i < n; i++) {
		if (gg_json_append(a, gg_json_string(items[i])) != GG_OK) {
			gg_json_free(a);
			return NULL;
		}
	}
	return a;
}

static struct gg_json *honours_json(const struct gg_talent *t)
{
	struct gg_json *a = gg_json_array();

	for (size_t i = 0; a && i < t->nhonours; i++) {
		struct gg_json *h = gg_json_object();
		int ok = h && gg_json_set_str(h, "kind", t->honours[i].kind) == GG_OK;

		gg_api_set_id(h, "year", t->honours[i].year, &ok);
		if (!ok || gg_json_append(a, h) != GG_OK) {
			if (!ok)
				gg_json_free(h);
			gg_json_free(a);
			return NULL;
		}
	}
	return a;
}

struct gg_json *gg_api_talent_json(const struct gg_talent *t)
{
	struct gg_json *o = gg_json_object(), *doc = NULL, *org = NULL;
	int ok = o != NULL;

	if (!ok)
		return NULL;
	ok &= gg_json_set_int(o, "id", t->id) == GG_OK;
	ok &= gg_json_set_str(o, "name", t->name) == GG_OK;
	ok &= gg_json_set_str(o, "latin_name", t->latin_name) == GG_OK;
	ok &= gg_json_set_str(o, "pinyin", t->pinyin) == GG_OK;
	ok &= gg_json_set_str(o, "gender", t->gender) == GG_OK;
	ok &= gg_json_set_str(o, "birth_date", t->birth_date) == GG_OK;
	ok &= gg_json_set_str(o, "nationality", t->nationality) == GG_OK;
	if (t->doc_type && t->doc_masked) {
		doc = gg_json_object();
		ok &= doc && gg_json_set_str(doc, "type", t->doc_type) == GG_OK &&
		      gg_json_set_str(doc, "number", t->doc_masked) == GG_OK;
		ok &= gg_json_set(o, "document", doc) == GG_OK;
	} else {
		ok &= gg_json_set_null(o, "document") == GG_OK;
	}
	ok &= gg_json_set_str(o, "phone", t->phone_masked) == GG_OK;
	ok &= gg_json_set_str(o, "email", t->email_masked) == GG_OK;
	ok &= gg_json_set_bool(o, "masked", 1) == GG_OK;
	if (t->org_id) {
		org = gg_json_object();
		ok &= org && gg_json_set_int(org, "id", t->org_id) == GG_OK &&
		      gg_json_set_str(org, "name", t->org_name) == GG_OK;
		ok &= gg_json_set(o, "org", org) == GG_OK;
	} else {
		ok &= gg_json_set_null(o, "org") == GG_OK;
	}
	ok &= gg_json_set_str(o, "title", t->title) == GG_OK;
	ok &= gg_json_set_str(o, "city", t->city) == GG_OK;
	ok &= gg_json_set(o, "fields", strings_json(t->fields, t->nfields)) == GG_OK;
	ok &= gg_json_set(o, "keywords", strings_json(t->keywords, t->nkeywords)) == GG_OK;
	ok &= gg_json_set(o, "segments", strings_json(t->segments, t->nsegments)) == GG_OK;
	ok &= gg_json_set(o, "honours", honours_json(t)) == GG_OK;
	ok &= gg_json_set_str(o, "tier", t->tier) == GG_OK;
	ok &= gg_json_set_str(o, "status", t->status) == GG_OK;
	ok &= gg_json_set_str(o, "notes", t->notes) == GG_OK;
	gg_api_set_id(o, "commissioner_id", t->commissioner_id, &ok);
	gg_api_set_id(o, "merged_into", t->merged_into, &ok);
	gg_api_set_time(o, "created_at", t->created_at, &ok);
	gg_api_set_time(o, "updated_at", t->updated_at, &ok);
	ok &= gg_json_set_int(o, "version", t->version) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

void gg_api_talent_scope(const struct gg_principal *pr, struct gg_search_query *q)
{
	struct gg_talent_scope sc;

	gg_talent_scope(pr, &sc);
	q->org_scope = sc.org_id;
	q->talent_scope = sc.talent_id;
	q->commissioner_scope = sc.commissioner_id;
	q->scope_none = !sc.unscoped && !sc.org_id && !sc.talent_id && !sc.commissioner_id;
}

static const struct gg_keys *keys_of(struct gg_req *req, struct gg_error *err)
{
	const struct gg_keys *k = gg_req_keys(req);

	if (!k)
		gg_error_set(err, GG_E_INTERNAL, "the personal-data keys are not loaded");
	return k;
}

/* Reads talent id and answers status with it (and its ETag). */
static enum gg_err answer_talent(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_talent *t = NULL;
	struct gg_json *body;
	char location[64];
	enum gg_err rc;

	if ((rc = gg_talent_get(gg_req_db(req), id, &t, err)) != GG_OK)
		return rc;
	body = gg_api_talent_json(t);
	if (!body || gg_resp_etag(req, t->version) != GG_OK) {
		gg_json_free(body);
		gg_talent_free(t);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	gg_talent_free(t);
	if (status == 201) {
		snprintf(location, sizeof location, "/api/v1/talents/%lld", (long long)id);
		if (gg_resp_header(req, "Location", location) != GG_OK) {
			gg_json_free(body);
			return gg_error_set(err, GG_E_NOMEM, NULL);
		}
	}
	return gg_resp_json(req, status, body);
}

/* The {id} of the path when the caller may see that talent; 404 otherwise, as for an unknown id. */
static enum gg_err visible_id(struct gg_req *req, int64_t *id, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", id, err)) != GG_OK)
		return rc;
	if (!gg_talent_visible(gg_req_db(req), gg_req_principal(req), *id))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown talent %lld", (long long)*id);
	return GG_OK;
}

/* A request body's talent members as a gg_talent_input (strings borrowed from the body). */
struct parsed {
	struct gg_talent_input in;
	const char *fields[LIST_JSON_MAX];
	const char *keywords[LIST_JSON_MAX];
	const char *segments[LIST_JSON_MAX];
	struct gg_talent_honour honours[LIST_JSON_MAX];
};

/* Sets *set when member key is present (null included) and *out to its string (NULL for null). */
static void take_str(const struct gg_json *b, const char *key, int *set, const char **out)
{
	const struct gg_json *v = gg_json_get(b, key);

	if (!v)
		return;
	*set = 1;
	*out = gg_json_str(v);
}

static void take_id(const struct gg_json *b, const char *key, int *set, int64_t *out)
{
	const struct gg_json *v = gg_json_get(b, key);

	if (!v)
		return;
	*set = 1;
	*out = gg_json_kind(v) == GG_JSON_INT ? gg_json_intv(v) : 0;
}

static void take_strings(const struct gg_json *b, const char *key, int *set, const char **items, size_t *n)
{
	const struct gg_json *v = gg_json_get(b, key);

	if (!v)
		return;
	*set = 1;
	*n = 0;
	for (size_t i = 0; gg_json_kind(v) == GG_JSON_ARRAY && i < gg_json_size(v) && i < LIST_JSON_MAX; i++)
		items[(*n)++] = gg_json_str(gg_json_at(v, i));
}

static enum gg_err parse_talent(const struct gg_json *b, struct parsed *p, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "name", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX, .nullable = 1, .allow_empty = 1},
	    {.name = "latin_name", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX, .nullable = 1, .allow_empty = 1},
	    {.name = "gender", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
	    {.name = "birth_date", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
	    {.name = "nationality", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
	    {.name = "document", .want = GG_WANT_OBJECT, .nullable = 1},
	    {.name = "phone", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
	    {.name = "email", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX + 256, .nullable = 1, .allow_empty = 1},
	    {.name = "org_id", .want = GG_WANT_INT, .nullable = 1},
	    {.name = "title", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX, .nullable = 1, .allow_empty = 1},
	    {.name = "city", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX, .nullable = 1, .allow_empty = 1},
	    {.name = "fields", .want = GG_WANT_STRING_ARRAY, .max_len = LIST_JSON_MAX, .nullable = 1, .allow_empty = 1},
	    {.name = "keywords",
	     .want = GG_WANT_STRING_ARRAY,
	     .max_len = LIST_JSON_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	    {.name = "segments",
	     .want = GG_WANT_STRING_ARRAY,
	     .max_len = LIST_JSON_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	    {.name = "honours", .want = GG_WANT_ARRAY, .nullable = 1},
	    {.name = "tier", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
	    {.name = "status", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
	    {.name = "notes", .want = GG_WANT_STRING, .max_len = NOTES_JSON_MAX, .nullable = 1, .allow_empty = 1},
	    {.name = "commissioner_id", .want = GG_WANT_INT, .nullable = 1},
	};
	static const struct gg_json_field doc_fields[] = {
	    {.name = "type", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
	    {.name = "number", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1, .allow_empty = 1},
	};
	static const struct gg_json_field honour_fields[] = {
	    {.name = "kind", .want = GG_WANT_STRING, .required = 1, .max_len = 64},
	    {.name = "year", .want = GG_WANT_INT, .nullable = 1},
	};
	struct gg_talent_input *in = &p->in;
	const struct gg_json *doc, *honours;
	char prefix[32];

	memset(p, 0, sizeof *p);
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	doc = gg_json_get(b, "document");
	if (doc && gg_json_kind(doc) == GG_JSON_OBJECT &&
	    gg_json_check(doc, doc_fields, sizeof doc_fields / sizeof doc_fields[0], "document.", err) != GG_OK)
		return err->code;
	honours = gg_json_get(b, "honours");
	if (honours && gg_json_kind(honours) == GG_JSON_ARRAY) {
		if (gg_json_size(honours) > LIST_JSON_MAX)
			return gg_error_field(err, GG_E_INVALID, "honours", "'honours' has more than %d items",
			                      LIST_JSON_MAX);
		for (size_t i = 0; i < gg_json_size(honours); i++) {
			snprintf(prefix, sizeof prefix, "honours.%zu.", i);
			gg_json_check(gg_json_at(honours, i), honour_fields,
			              sizeof honour_fields / sizeof honour_fields[0], prefix, err);
		}
		if (err->code != GG_OK)
			return err->code;
	}

	take_str(b, "name", &in->set_name, &in->name);
	take_str(b, "latin_name", &in->set_latin_name, &in->latin_name);
	take_str(b, "gender", &in->set_gender, &in->gender);
	take_str(b, "birth_date", &in->set_birth_date, &in->birth_date);
	take_str(b, "nationality", &in->set_nationality, &in->nationality);
	if (doc) {
		in->set_document = 1;
		in->doc_type = gg_json_str(gg_json_get(doc, "type"));
		in->doc_number = gg_json_str(gg_json_get(doc, "number"));
	}
	take_str(b, "phone", &in->set_phone, &in->phone);
	take_str(b, "email", &in->set_email, &in->email);
	take_id(b, "org_id", &in->set_org, &in->org_id);
	take_str(b, "title", &in->set_title, &in->title);
	take_str(b, "city", &in->set_city, &in->city);
	take_strings(b, "fields", &in->set_fields, p->fields, &in->nfields);
	take_strings(b, "keywords", &in->set_keywords, p->keywords, &in->nkeywords);
	take_strings(b, "segments", &in->set_segments, p->segments, &in->nsegments);
	in->fields = p->fields;
	in->keywords = p->keywords;
	in->segments = p->segments;
	if (honours) {
		in->set_honours = 1;
		for (size_t i = 0; gg_json_kind(honours) == GG_JSON_ARRAY && i < gg_json_size(honours); i++) {
			const struct gg_json *h = gg_json_at(honours, i);
			const struct gg_json *year = gg_json_get(h, "year");
			int64_t y = year && gg_json_kind(year) == GG_JSON_INT ? gg_json_intv(year) : 0;

			p->honours[i].kind = gg_json_str(gg_json_get(h, "kind"));
			/* a year far out of range stays out of range for the domain's check */
			p->honours[i].year = y < -1 || y > 100000 ? -1 : (int)y;
			in->nhonours++;
		}
		in->honours = p->honours;
	}
	take_str(b, "tier", &in->set_tier, &in->tier);
	take_str(b, "status", &in->set_status, &in->status);
	take_str(b, "notes", &in->set_notes, &in->notes);
	take_id(b, "commissioner_id", &in->set_commissioner, &in->commissioner_id);
	return GG_OK;
}

enum gg_err api_talents_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_search_query q;
	struct gg_search_page *page = NULL;
	struct gg_json *body = NULL, *items;
	struct gg_db *db = gg_req_db(req);
	const char *s;
	long long v;
	int begun = 0;
	enum gg_err rc;

	gg_search_query_init(&q);
	if ((s = gg_req_query(req, "limit")) != NULL) {
		if (gg_parse_i64(s, 1, GG_SEARCH_LIMIT_MAX, &v) != GG_OK)
			gg_error_field(err, GG_E_INVALID, "limit", "limit must be a whole number from 1 to %d",
			               GG_SEARCH_LIMIT_MAX);
		else
			q.limit = (int)v;
	}
	q.cursor = gg_req_query_text(req, "cursor", GG_SEARCH_CURSOR_MAX - 1, err);
	q.q = gg_req_query_text(req, "q", Q_MAX, err);
	q.tier = gg_req_query_text(req, "tier", 64, err);
	q.segment = gg_req_query_text(req, "segment", 64, err);
	q.status = gg_req_query_text(req, "status", 64, err);
	q.honour = gg_req_query_text(req, "honour", 64, err);
	q.city = gg_req_query_text(req, "city", 256, err);
	gg_req_query_id(req, "org_id", &q.org_id, err);
	if (gg_search_parse_sort(gg_req_query(req, "sort"), &q.sort, err) != GG_OK && err->nfields == 0)
		return err->code;
	if (err->code != GG_OK)
		return err->code;
	gg_api_talent_scope(gg_req_principal(req), &q);

	if (!(page = calloc(1, sizeof *page)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	begun = 1;
	if ((rc = gg_search_talents(db, &q, page, err)) != GG_OK)
		goto out;
	rc = GG_E_NOMEM;
	if (!(body = gg_json_object()) || !(items = gg_json_array()) || gg_json_set(body, "items", items) != GG_OK)
		goto out;
	for (size_t i = 0; i < page->n; i++) {
		struct gg_talent *t = NULL;
		struct gg_error one;

		gg_error_init(&one);
		if ((rc = gg_talent_get(db, page->ids[i], &t, &one)) == GG_E_NOT_FOUND)
			continue;
		if (rc != GG_OK) {
			*err = one;
			goto out;
		}
		rc = gg_json_append(items, gg_api_talent_json(t));
		gg_talent_free(t);
		if (rc != GG_OK)
			goto out;
	}
	rc = GG_E_NOMEM;
	if (gg_json_set_str(body, "next_cursor", page->next_cursor[0] ? page->next_cursor : NULL) != GG_OK)
		goto out;
	gg_db_rollback(db);
	begun = 0;
	rc = gg_resp_json(req, 200, body);
	body = NULL;
out:
	if (begun)
		gg_db_rollback(db);
	if (rc == GG_E_NOMEM && err->code == GG_OK)
		gg_error_set(err, GG_E_NOMEM, NULL);
	gg_json_free(body);
	free(page);
	return rc;
}

enum gg_err api_talents_create(struct gg_req *req, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	const struct gg_keys *keys = keys_of(req, err);
	struct parsed *p;
	struct gg_actor actor;
	int64_t id = 0, own_org = 0;
	enum gg_err rc;

	if (!keys)
		return err->code;
	if (!(p = malloc(sizeof *p)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = parse_talent(gg_req_body(req), p, err)) != GG_OK)
		goto out;
	gg_talent_write_allowed(pr, 0, &own_org);
	if (own_org && (!p->in.set_org || p->in.org_id == 0)) {
		/* an employer's new talent belongs to its organisation */
		p->in.set_org = 1;
		p->in.org_id = own_org;
	}
	if (!gg_talent_write_allowed(pr, p->in.set_org ? p->in.org_id : 0, NULL) && own_org) {
		rc = gg_error_field(err, GG_E_FORBIDDEN, "org_id", "you may only add talents of organisation %lld",
		                    (long long)own_org);
		goto out;
	}
	gg_api_actor(req, &actor);
	if ((rc = gg_talent_create(gg_req_db(req), keys, &actor, &p->in, &id, err)) != GG_OK)
		goto out;
	rc = answer_talent(req, 201, id, err);
out:
	free(p);
	return rc;
}

enum gg_err api_talents_get(struct gg_req *req, struct gg_error *err)
{
	int64_t id;
	enum gg_err rc;

	if ((rc = visible_id(req, &id, err)) != GG_OK)
		return rc;
	return answer_talent(req, 200, id, err);
}

enum gg_err api_talents_update(struct gg_req *req, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	const struct gg_keys *keys = keys_of(req, err);
	struct gg_talent *cur = NULL;
	struct parsed *p = NULL;
	struct gg_actor actor;
	int64_t id, version, own_org = 0;
	enum gg_err rc;

	if (!keys)
		return err->code;
	if ((rc = visible_id(req, &id, err)) != GG_OK)
		return rc;
	if (!gg_req_header(req, "If-Match")) /* 428 before the body is read */
		return gg_req_if_match(req, "talent", id, 0, &version, err);
	if (!(p = malloc(sizeof *p)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = parse_talent(gg_req_body(req), p, err)) != GG_OK)
		goto out;
	if ((rc = gg_talent_get(gg_req_db(req), id, &cur, err)) != GG_OK)
		goto out;
	if (cur->merged_into) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "talent %lld was merged into talent %lld", (long long)id,
		                  (long long)cur->merged_into);
		goto out;
	}
	if (!gg_talent_write_allowed(pr, cur->org_id, &own_org)) {
		rc = gg_error_set(err, GG_E_FORBIDDEN, "you may not change talent %lld", (long long)id);
		goto out;
	}
	if (p->in.set_org && !gg_talent_write_allowed(pr, p->in.org_id, NULL)) {
		rc = gg_error_field(err, GG_E_FORBIDDEN, "org_id", "you may only assign talents to organisation %lld",
		                    (long long)own_org);
		goto out;
	}
	if ((rc = gg_req_if_match(req, "talent", id, cur->version, &version, err)) != GG_OK)
		goto out;
	gg_api_actor(req, &actor);
	if ((rc = gg_talent_update(gg_req_db(req), keys, &actor, id, &p->in, version, NULL, err)) != GG_OK)
		goto out;
	rc = answer_talent(req, 200, id, err);
out:
	gg_talent_free(cur);
	free(p);
	return rc;
}

enum gg_err api_talents_reveal(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "fields", .want = GG_WANT_STRING_ARRAY, .required = 1, .max_len = 3},
	    {.name = "purpose", .want = GG_WANT_STRING, .max_len = 200, .nullable = 1, .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req), *list;
	const struct gg_keys *keys = keys_of(req, err);
	struct gg_talent_pii pii;
	struct gg_actor actor;
	struct gg_json *body = NULL, *doc = NULL;
	unsigned bits = 0;
	char field[32];
	int64_t id;
	int ok;
	enum gg_err rc;

	if (!keys)
		return err->code;
	if ((rc = visible_id(req, &id, err)) != GG_OK)
		return rc;
	if (!gg_talent_pii_allowed(gg_req_db(req), gg_req_principal(req), id))
		return gg_error_set(err, GG_E_FORBIDDEN, "you may not read the personal data of talent %lld",
		                    (long long)id);
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	list = gg_json_get(b, "fields");
	if (gg_json_size(list) == 0)
		return gg_error_field(err, GG_E_INVALID, "fields", "name at least one of document, phone and email");
	for (size_t i = 0; i < gg_json_size(list); i++) {
		const char *name = gg_json_str(gg_json_at(list, i));
		unsigned bit = gg_talent_pii_field(name);

		snprintf(field, sizeof field, "fields.%zu", i);
		if (!bit)
			gg_error_field(err, GG_E_INVALID, field, "unknown field '%.32s' (document, phone or email)",
			               name ? name : "");
		bits |= bit;
	}
	if (err->code != GG_OK)
		return err->code;
	gg_api_actor(req, &actor);
	rc =
	    gg_talent_reveal(gg_req_db(req), keys, &actor, id, bits, gg_json_str(gg_json_get(b, "purpose")), &pii, err);
	if (rc != GG_OK)
		return rc;
	body = gg_json_object();
	ok = body != NULL;
	if (ok && (pii.present & GG_PII_DOCUMENT)) {
		doc = gg_json_object();
		ok = doc && gg_json_set_str(doc, "type", pii.doc_type) == GG_OK &&
		     gg_json_set_str(doc, "number", pii.doc_number) == GG_OK;
		ok = gg_json_set(body, "document", doc) == GG_OK && ok;
	} else if (ok) {
		ok = gg_json_set_null(body, "document") == GG_OK;
	}
	ok = ok && gg_json_set_str(body, "phone", (pii.present & GG_PII_PHONE) ? pii.phone : NULL) == GG_OK;
	ok = ok && gg_json_set_str(body, "email", (pii.present & GG_PII_EMAIL) ? pii.email : NULL) == GG_OK;
	gg_talent_pii_wipe(&pii);
	if (!ok || gg_resp_header(req, "Cache-Control", "no-store") != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}

enum gg_err api_talents_pii_reads(struct gg_req *req, struct gg_error *err)
{
	static const char *const names[] = {"document", "phone", "email"};
	static const unsigned bits[] = {GG_PII_DOCUMENT, GG_PII_PHONE, GG_PII_EMAIL};
	struct gg_pii_read *rows = NULL;
	struct gg_json *items = NULL;
	char at[32];
	int64_t id, before = 0;
	size_t n = 0;
	int limit, more = 0;
	enum gg_err rc;

	if ((rc = visible_id(req, &id, err)) != GG_OK)
		return rc;
	if (!gg_talent_pii_allowed(gg_req_db(req), gg_req_principal(req), id))
		return gg_error_set(err, GG_E_FORBIDDEN, "only the talent itself and the bureau see who read its data");
	if ((rc = gg_req_page(req, &limit, &before, err)) != GG_OK)
		return rc;
	if ((rc = gg_talent_pii_reads(gg_req_db(req), id, before, limit, &rows, &n, &more, err)) != GG_OK)
		return rc;
	rc = GG_E_NOMEM;
	if (!(items = gg_json_array()))
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct gg_json *o = gg_json_object(), *f = gg_json_array();
		int ok = o && f;

		for (size_t k = 0; ok && k < sizeof bits / sizeof bits[0]; k++)
			if (rows[i].fields & bits[k])
				ok = gg_json_append(f, gg_json_string(names[k])) == GG_OK;
		gg_clock_iso(rows[i].at, at, sizeof at);
		if (ok) {
			ok = gg_json_set_int(o, "id", rows[i].id) == GG_OK;
			gg_api_set_id(o, "reader_id", rows[i].reader_id, &ok);
			ok &= gg_json_set_str(o, "reader", rows[i].reader) == GG_OK;
			ok &= gg_json_set(o, "fields", f) == GG_OK;
			f = NULL;
			ok &= gg_json_set_str(o, "purpose", rows[i].purpose[0] ? rows[i].purpose : NULL) == GG_OK;
			ok &= gg_json_set_str(o, "at", at) == GG_OK;
			ok &= gg_json_set_str(o, "request_id", rows[i].request_id[0] ? rows[i].request_id : NULL) ==
			      GG_OK;
		}
		gg_json_free(f);
		if (!ok || gg_json_append(items, o) != GG_OK) {
			if (!ok)
				gg_json_free(o);
			goto out;
		}
	}
	rc = gg_resp_list(req, items, more && n > 0, n > 0 ? rows[n - 1].id : 0, err);
	items = NULL;
out:
	if (rc == GG_E_NOMEM && err->code == GG_OK)
		gg_error_set(err, GG_E_NOMEM, NULL);
	gg_json_free(items);
	free(rows);
	return rc;
}

static int row_newer(const void *a, const void *b)
{
	const struct gg_audit_row *x = a, *y = b;

	return (x->id < y->id) - (x->id > y->id);
}

enum gg_err api_talents_history(struct gg_req *req, struct gg_error *err)
{
	struct gg_db *db = gg_req_db(req);
	struct gg_audit_row *all = NULL;
	struct gg_json *items = NULL;
	int64_t *merged = NULL, id, before = 0;
	size_t nmerged = 0, nall = 0;
	int limit, full = 0, more;
	enum gg_err rc;

	if ((rc = visible_id(req, &id, err)) != GG_OK)
		return rc;
	if ((rc = gg_req_page(req, &limit, &before, err)) != GG_OK)
		return rc;
	if ((rc = gg_talent_merged_ids(db, id, &merged, &nmerged, err)) != GG_OK)
		return rc;
	/* each record's newest rows, merged newest first */
	for (size_t k = 0; k <= nmerged; k++) {
		struct gg_audit_filter f = {
		    .entity = "talent", .entity_id = k == 0 ? id : merged[k - 1], .before_id = before, .limit = limit};
		struct gg_audit_row *rows = NULL, *grown;
		size_t n = 0;

		if ((rc = gg_audit_list(db, &f, &rows, &n, err)) != GG_OK)
			goto out;
		if (n == (size_t)limit)
			full = 1;
		if (n && !(grown = realloc(all, (nall + n) * sizeof *all))) {
			gg_audit_rows_free(rows, n);
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
			goto out;
		}
		if (n) {
			all = grown;
			memcpy(all + nall, rows, n * sizeof *rows);
			nall += n;
		}
		free(rows); /* the rows' changes now belong to all */
	}
	if (nall > 1)
		qsort(all, nall, sizeof *all, row_newer);
	rc = GG_E_NOMEM;
	if (!(items = gg_json_array()))
		goto out;
	for (size_t i = 0; i < nall && i < (size_t)limit; i++)
		if (gg_json_append(items, gg_api_audit_row_json(&all[i])) != GG_OK)
			goto out;
	more = nall > (size_t)limit || (nall == (size_t)limit && full);
	rc = gg_resp_list(req, items, more, more ? all[limit - 1].id : 0, err);
	items = NULL;
out:
	if (rc == GG_E_NOMEM && err->code == GG_OK)
		gg_error_set(err, GG_E_NOMEM, NULL);
	gg_json_free(items);
	gg_audit_rows_free(all, nall);
	free(merged);
	return rc;
}
