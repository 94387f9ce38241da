/*
 * api_duplicates: the review of likely duplicate talents over HTTP.
 * GET /api/v1/talents/duplicates lists pairs {"a": talent, "b": talent,
 * "reasons": [...]} in a stable order with a cursor; POST
 * /api/v1/talents/{id}/merge {"from_id"} merges talent from_id into {id}
 * (If-Match with the target's ETag) and answers the merged target. Both
 * need talents_merge, a bureau permission without scope, so every record
 * is visible to the caller; talents answer masked as everywhere else.
 * ?talent=ID narrows the list to the pairs of one record (the link of its
 * review task); POST /api/v1/talents/duplicates/dismiss {"a", "b", "note"}
 * records that a pair is two people (204), closing its review task.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/audit.h"
#include "../domain/dedup.h"
#include "../domain/talent.h"
#include "api.h"

/* The talent object of id into *out; GG_E_NOT_FOUND when it vanished. */
static enum gg_err talent_json(struct gg_db *db, int64_t id, struct gg_json **out, struct gg_error *err)
{
	struct gg_talent *t = NULL;
	enum gg_err rc;

	*out = NULL;
	if ((rc = gg_talent_get(db, id, &t, err)) != GG_OK)
		return rc;
	*out = gg_api_talent_json(t);
	gg_talent_free(t);
	return *out ? GG_OK : gg_error_set(err, GG_E_NOMEM, NULL);
}

static struct gg_json *reasons_json(unsigned reasons)
{
	struct gg_json *a = gg_json_array();

	for (int i = 0; a && i < GG_DEDUP_REASONS; i++) {
		if (!(reasons & (1u << i)))
			continue;
		if (gg_json_append(a, gg_json_string(gg_dedup_reason_token(i))) != GG_OK) {
			gg_json_free(a);
			return NULL;
		}
	}
	return a;
}

enum gg_err api_talents_duplicates(struct gg_req *req, struct gg_error *err)
{
	struct gg_dedup_pair *pairs = NULL;
	struct gg_json *body = NULL, *items = NULL;
	struct gg_db *db = gg_req_db(req);
	char next[GG_DEDUP_CURSOR_MAX];
	const char *s, *cursor = gg_req_query(req, "cursor");
	long long v, talent = 0;
	int limit = 50, begun = 0;
	size_t n = 0;
	enum gg_err rc;

	if ((s = gg_req_query(req, "limit")) != NULL) {
		if (gg_parse_i64(s, 1, GG_DEDUP_LIMIT_MAX, &v) != GG_OK)
			return gg_error_field(err, GG_E_INVALID, "limit", "limit must be a whole number from 1 to %d",
			                      GG_DEDUP_LIMIT_MAX);
		limit = (int)v;
	}
	if (cursor && strlen(cursor) >= GG_DEDUP_CURSOR_MAX)
		return gg_error_field(err, GG_E_INVALID, "cursor", "cursor is not one of this list's cursors");
	if ((s = gg_req_query(req, "talent")) != NULL && gg_parse_i64(s, 1, INT64_MAX, &talent) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, "talent", "talent must be a talent id");
	if (!(pairs = calloc((size_t)limit, sizeof *pairs)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	begun = 1;
	rc = talent ? gg_dedup_list_of(db, talent, cursor, limit, pairs, &n, next, err)
	            : gg_dedup_list(db, cursor, limit, pairs, &n, next, err);
	if (rc != GG_OK)
		goto out;
	rc = GG_E_NOMEM;
	if (!(body = gg_json_object()) || !(items = gg_json_array()) || gg_json_set(body, "items", items) != GG_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct gg_json *item = gg_json_object(), *a = NULL, *b = NULL;

		if (!item || gg_json_append(items, item) != GG_OK) {
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
			goto out;
		}
		if ((rc = talent_json(db, pairs[i].a, &a, err)) != GG_OK || gg_json_set(item, "a", a) != GG_OK ||
		    (rc = talent_json(db, pairs[i].b, &b, err)) != GG_OK || gg_json_set(item, "b", b) != GG_OK ||
		    gg_json_set(item, "reasons", reasons_json(pairs[i].reasons)) != GG_OK) {
			if (rc == GG_OK)
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
			goto out;
		}
	}
	if (gg_json_set_str(body, "next_cursor", next[0] ? next : NULL) != GG_OK) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
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
	free(pairs);
	return rc;
}

enum gg_err api_talents_merge(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "from_id", .want = GG_WANT_INT, .required = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_db *db = gg_req_db(req);
	struct gg_talent *t = NULL;
	struct gg_json *body = NULL;
	struct gg_actor actor;
	int64_t id, from, version;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	from = gg_json_intv(gg_json_get(b, "from_id"));
	if (from <= 0)
		return gg_error_field(err, GG_E_INVALID, "from_id", "from_id must be a talent id");
	if ((rc = gg_req_if_match(req, "talent", id, 0, &version, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_dedup_merge(db, &actor, id, from, version, err)) != GG_OK)
		return rc;
	if ((rc = gg_talent_get(db, id, &t, err)) != GG_OK)
		return rc;
	body = gg_api_talent_json(t);
	version = t->version;
	gg_talent_free(t);
	if (!body || gg_resp_etag(req, version) != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}

enum gg_err api_talents_duplicates_dismiss(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "a", .want = GG_WANT_INT, .required = 1},
	    {.name = "b", .want = GG_WANT_INT, .required = 1},
	    {.name = "note", .want = GG_WANT_STRING, .max_len = GG_DEDUP_NOTE_MAX * 4, .nullable = 1, .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_actor actor;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	gg_api_actor(req, &actor);
	rc = gg_dedup_dismiss(gg_req_db(req), &actor, gg_json_intv(gg_json_get(b, "a")),
	                      gg_json_intv(gg_json_get(b, "b")), gg_json_str(gg_json_get(b, "note")), err);
	if (rc != GG_OK)
		return rc;
	return gg_resp_empty(req, 204);
}
