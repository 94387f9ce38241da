/*
 * api_audit: GET /api/v1/audit, the audit trail newest first, filtered by
 * entity, entity id, actor, action (a trailing '.' matches a prefix) and
 * a half-open time range [from, to). from and to are dates (YYYY-MM-DD,
 * midnight UTC) or ISO date-times with Z or a +HH:MM offset. Every bad
 * filter is reported with its field; the cursor is the last row's id.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../domain/audit.h"
#include "api.h"

#define CHANGES_DEPTH 16

static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS with optional fraction and Z or
 * +HH:MM / -HH:MM. 0 and *out on success, -1 otherwise.
 */
static int parse_instant(const char *s, int64_t *out)
{
	char base[21];
	const char *p;
	int64_t t;
	int sign, oh, om;

	if (strlen(s) == 10)
		return gg_clock_parse_iso(s, out);
	if (strlen(s) < 20 || s[10] != 'T')
		return -1;
	memcpy(base, s, 19);
	base[19] = 'Z';
	base[20] = '\0';
	if (gg_clock_parse_iso(base, &t) != 0)
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		*out = t;
		return 0;
	}
	if ((*p != '+' && *p != '-') || strlen(p) != 6 || p[3] != ':')
		return -1;
	sign = *p == '+' ? 1 : -1;
	oh = two_digits(p + 1);
	om = two_digits(p + 4);
	if (oh < 0 || oh > 23 || om < 0 || om > 59)
		return -1;
	*out = t - sign * ((int64_t)oh * 3600 + (int64_t)om * 60);
	return 0;
}

static void text_filter(struct gg_req *req, const char *name, size_t max, const char **out, struct gg_error *err)
{
	const char *s = gg_req_query(req, name);

	if (!s)
		return;
	if (!*s || strlen(s) > max)
		gg_error_field(err, GG_E_INVALID, name, "%s must be 1 to %zu characters", name, max);
	else
		*out = s;
}

static void time_filter(struct gg_req *req, const char *name, int64_t *out, struct gg_error *err)
{
	const char *s = gg_req_query(req, name);

	if (!s)
		return;
	if (parse_instant(s, out) != 0 || *out <= 0)
		gg_error_field(err, GG_E_INVALID, name, "%s must be a date (YYYY-MM-DD) or an ISO date-time", name);
}

struct gg_json *gg_api_audit_row_json(const struct gg_audit_row *row)
{
	struct gg_json *o = gg_json_object(), *changes = NULL;
	struct gg_error jerr;
	char at[32];
	int ok;

	if (!o)
		return NULL;
	gg_error_init(&jerr);
	if (row->changes_json && *row->changes_json) {
		if (gg_json_parse(row->changes_json, strlen(row->changes_json), CHANGES_DEPTH, &changes, &jerr) !=
		    GG_OK) {
			gg_log(GG_LOG_WARN, "audit_list", "audit row %lld: unreadable changes: %s", (long long)row->id,
			       gg_error_message(&jerr));
			changes = gg_json_null();
		}
	} else {
		changes = gg_json_array();
	}
	gg_clock_iso(row->at, at, sizeof(at));
	/* gg_json_set takes changes over even when it fails. */
	ok = gg_json_set_int(o, "id", row->id) == GG_OK && gg_json_set_str(o, "at", at) == GG_OK &&
	     (row->actor_id ? gg_json_set_int(o, "actor_id", row->actor_id) : gg_json_set_null(o, "actor_id")) ==
	         GG_OK &&
	     gg_json_set_str(o, "actor", row->actor) == GG_OK && gg_json_set_str(o, "action", row->action) == GG_OK &&
	     gg_json_set_str(o, "entity", row->entity) == GG_OK &&
	     (row->entity_id ? gg_json_set_int(o, "entity_id", row->entity_id) : gg_json_set_null(o, "entity_id")) ==
	         GG_OK &&
	     gg_json_set_str(o, "request_id", row->request_id[0] ? row->request_id : NULL) == GG_OK;
	if (!ok || !changes || gg_json_set(o, "changes", changes) != GG_OK ||
	    gg_json_set_str(o, "hash", row->hash) != GG_OK) {
		if (!ok)
			gg_json_free(changes);
		gg_json_free(o);
		return NULL;
	}
	return o;
}

enum gg_err api_audit_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_audit_filter f;
	struct gg_audit_row *rows = NULL;
	struct gg_json *items = NULL;
	size_t n = 0, i;
	int64_t before = 0;
	enum gg_err rc;

	memset(&f, 0, sizeof(f));
	if (gg_req_page(req, &f.limit, &before, err) != GG_OK && err->nfields == 0)
		return err->code;
	text_filter(req, "entity", 63, &f.entity, err);
	gg_req_query_id(req, "entity_id", &f.entity_id, err);
	gg_req_query_id(req, "actor_id", &f.actor_id, err);
	text_filter(req, "action", 63, &f.action, err);
	time_filter(req, "from", &f.from, err);
	time_filter(req, "to", &f.to, err);
	if (err->code == GG_OK && f.from && f.to && f.to <= f.from)
		gg_error_field(err, GG_E_INVALID, "to", "to must be later than from");
	if (err->code != GG_OK)
		return err->code;
	f.before_id = before;

	rc = gg_audit_list(gg_req_db(req), &f, &rows, &n, err);
	if (rc != GG_OK)
		goto out;
	rc = GG_E_NOMEM;
	if (!(items = gg_json_array()))
		goto out;
	for (i = 0; i < n; i++) {
		if (gg_json_append(items, gg_api_audit_row_json(&rows[i])) != GG_OK)
			goto out;
	}
	rc = gg_resp_list(req, items, n > 0 && n == (size_t)f.limit, n > 0 ? rows[n - 1].id : 0, err);
	items = NULL;
out:
	if (rc == GG_E_NOMEM && err->code == GG_OK)
		gg_error_set(err, GG_E_NOMEM, NULL);
	gg_json_free(items);
	gg_audit_rows_free(rows, n);
	return rc;
}
