/*
 * audit: appends rows to the audit trail and checks the chain. A row's
 * hash is the hex SHA-256 of the previous row's hash (64 zeros for the
 * first) followed by the row's canonical text: a version tag, then every
 * field in a fixed order, integers in decimal and strings prefixed with
 * their length in bytes (NULL written as "-"), so that no two different
 * rows share a text. The row id is part of the text, which ties each row
 * to its place. Appending reads the last row under the caller's write
 * transaction, whose lock keeps two writers from forking the chain.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

#include "../core/clock.h"
#include "../core/crypto.h"

#define CHANGES_MAX (1024 * 1024)
#define CANON_MAX   (CHANGES_MAX + 4096)
#define LIST_MAX    200

static const char zero_hash[GG_SHA256_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";

#define SELECT_ROWS                                                                                        \
	"SELECT id, at, actor_id, actor, action, entity, entity_id, request_id, changes, prev_hash, hash " \
	"FROM audit_log"

/* Column positions of SELECT_ROWS. */
enum { C_ID, C_AT, C_ACTOR_ID, C_ACTOR, C_ACTION, C_ENTITY, C_ENTITY_ID, C_REQUEST_ID, C_CHANGES, C_PREV, C_HASH };

/* One row's fields as hashed, whether about to be written or read back. */
struct canon_row {
	int64_t id, at, actor_id, entity_id;
	const char *actor, *action, *entity, *request_id, *changes;
};

static enum gg_err add_field_str(struct gg_buf *b, const char *name, const char *s)
{
	if (s == NULL)
		return gg_buf_addf(b, "%s=-\n", name);
	return gg_buf_addf(b, "%s=%zu:%s\n", name, strlen(s), s);
}

static enum gg_err add_field_i64(struct gg_buf *b, const char *name, int64_t v)
{
	return gg_buf_addf(b, "%s=%lld\n", name, (long long)v);
}

/* hash_hex = hex SHA-256(prev || canonical text of r). */
static enum gg_err row_hash(const char *prev, const struct canon_row *r, char hash_hex[GG_SHA256_HEX],
                            struct gg_error *err)
{
	struct gg_buf b;
	enum gg_err rc;

	gg_buf_init(&b, CANON_MAX);
	if ((rc = gg_buf_adds(&b, prev)) != GG_OK || (rc = gg_buf_adds(&b, "guanggu-audit-1\n")) != GG_OK ||
	    (rc = add_field_i64(&b, "id", r->id)) != GG_OK || (rc = add_field_i64(&b, "at", r->at)) != GG_OK ||
	    (rc = add_field_i64(&b, "actor_id", r->actor_id)) != GG_OK ||
	    (rc = add_field_str(&b, "actor", r->actor)) != GG_OK ||
	    (rc = add_field_str(&b, "action", r->action)) != GG_OK ||
	    (rc = add_field_str(&b, "entity", r->entity)) != GG_OK ||
	    (rc = add_field_i64(&b, "entity_id", r->entity_id)) != GG_OK ||
	    (rc = add_field_str(&b, "request_id", r->request_id)) != GG_OK ||
	    (rc = add_field_str(&b, "changes", r->changes)) != GG_OK) {
		gg_error_set(err, rc, "audit row %lld is too large to hash", (long long)r->id);
		goto out;
	}
	gg_crypto_sha256_hex(b.buf, b.len, hash_hex);
out:
	gg_buf_release(&b);
	return rc;
}

/* Checks that s is set and shorter than size (the column width in struct gg_audit_row). */
static enum gg_err check_str(const char *s, size_t size, int required, const char *field, struct gg_error *err)
{
	if (s == NULL || s[0] == '\0') {
		if (required)
			return gg_error_field(err, GG_E_INVALID, field, "audit %s is missing", field);
		return GG_OK;
	}
	if (strlen(s) >= size)
		return gg_error_field(err, GG_E_INVALID, field, "audit %s is longer than %zu bytes", field, size - 1);
	return GG_OK;
}

static enum gg_err check_event(const struct gg_audit_event *ev, struct gg_error *err)
{
	struct gg_audit_row *r = NULL; /* for the column widths only */
	enum gg_err rc;

	if ((rc = check_str(ev->actor, sizeof(r->actor), 1, "actor", err)) != GG_OK ||
	    (rc = check_str(ev->action, sizeof(r->action), 1, "action", err)) != GG_OK ||
	    (rc = check_str(ev->entity, sizeof(r->entity), 1, "entity", err)) != GG_OK ||
	    (rc = check_str(ev->request_id, sizeof(r->request_id), 0, "request_id", err)) != GG_OK)
		return rc;
	if (ev->actor_id < 0 || ev->entity_id < 0)
		return gg_error_set(err, GG_E_INVALID, "audit ids must not be negative");
	if (ev->nchanges > 0 && ev->changes == NULL)
		return gg_error_set(err, GG_E_INVALID, "audit changes are missing");
	for (size_t i = 0; i < ev->nchanges; i++)
		if (ev->changes[i].field == NULL || ev->changes[i].field[0] == '\0')
			return gg_error_set(err, GG_E_INVALID, "audit change %zu has no field name", i);
	return GG_OK;
}

/* [{"field":..,"old":..,"new":..}, ...] into b. */
static enum gg_err changes_json(const struct gg_audit_event *ev, struct gg_buf *b, struct gg_error *err)
{
	enum gg_err rc = gg_buf_addch(b, '[');

	for (size_t i = 0; rc == GG_OK && i < ev->nchanges; i++) {
		const struct gg_audit_change *c = &ev->changes[i];
		if ((i > 0 && (rc = gg_buf_addch(b, ',')) != GG_OK) || (rc = gg_buf_adds(b, "{\"field\":")) != GG_OK ||
		    (rc = gg_buf_add_json_str(b, c->field)) != GG_OK || (rc = gg_buf_adds(b, ",\"old\":")) != GG_OK ||
		    (rc = gg_buf_add_json_str(b, c->old_value)) != GG_OK ||
		    (rc = gg_buf_adds(b, ",\"new\":")) != GG_OK || (rc = gg_buf_add_json_str(b, c->new_value)) != GG_OK)
			break;
		rc = gg_buf_addch(b, '}');
	}
	if (rc == GG_OK)
		rc = gg_buf_addch(b, ']');
	if (rc != GG_OK)
		return gg_error_set(err, rc, "audit changes are too large");
	return GG_OK;
}

/* The newest row's id and hash; 0 and the zero hash when the trail is empty. */
static enum gg_err last_row(struct gg_db *db, int64_t *id, char hash[GG_SHA256_HEX], struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*id = 0;
	memcpy(hash, zero_hash, GG_SHA256_HEX);
	rc = gg_db_prepare(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &st, err);
	if (rc != GG_OK)
		return rc;
	rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		const char *h = gg_db_col_text(st, 1);
		*id = gg_db_col_i64(st, 0);
		if (h == NULL || strlen(h) != GG_SHA256_HEX - 1)
			rc = gg_error_set(err, GG_E_AUDIT_BROKEN, "row %lld: hash is malformed", (long long)*id);
		else
			memcpy(hash, h, GG_SHA256_HEX);
	}
	gg_db_done(st);
	return rc;
}

enum gg_err gg_audit_record(struct gg_db *db, const struct gg_audit_event *ev, struct gg_error *err)
{
	struct gg_buf changes;
	struct gg_stmt *st = NULL;
	struct canon_row r;
	char prev[GG_SHA256_HEX], hash[GG_SHA256_HEX];
	int64_t last = 0;
	int row = 0, i = 1;
	enum gg_err rc;

	gg_buf_init(&changes, CHANGES_MAX);
	rc = check_event(ev, err);
	if (rc != GG_OK)
		goto out;
	rc = changes_json(ev, &changes, err);
	if (rc != GG_OK)
		goto out;
	rc = last_row(db, &last, prev, err);
	if (rc != GG_OK)
		goto out;
	r = (struct canon_row){
	    .id = last + 1,
	    .at = gg_clock_now(),
	    .actor_id = ev->actor_id,
	    .entity_id = ev->entity_id,
	    .actor = ev->actor,
	    .action = ev->action,
	    .entity = ev->entity,
	    .request_id = ev->request_id != NULL && ev->request_id[0] != '\0' ? ev->request_id : NULL,
	    .changes = changes.buf,
	};
	rc = row_hash(prev, &r, hash, err);
	if (rc != GG_OK)
		goto out;
	rc = gg_db_prepare(db,
	                   "INSERT INTO audit_log (id, at, actor_id, actor, action, entity, entity_id, request_id, "
	                   "changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_i64(st, i++, r.id)) != GG_OK || (rc = gg_db_bind_i64(st, i++, r.at)) != GG_OK ||
	    (rc = gg_db_bind_i64(st, i++, r.actor_id)) != GG_OK || (rc = gg_db_bind_text(st, i++, r.actor)) != GG_OK ||
	    (rc = gg_db_bind_text(st, i++, r.action)) != GG_OK || (rc = gg_db_bind_text(st, i++, r.entity)) != GG_OK ||
	    (rc = gg_db_bind_i64(st, i++, r.entity_id)) != GG_OK ||
	    (rc = gg_db_bind_text(st, i++, r.request_id)) != GG_OK ||
	    (rc = gg_db_bind_text(st, i++, r.changes)) != GG_OK || (rc = gg_db_bind_text(st, i++, prev)) != GG_OK ||
	    (rc = gg_db_bind_text(st, i++, hash)) != GG_OK) {
		gg_error_set(err, rc, "cannot bind audit parameter %d", i - 1);
		goto out;
	}
	rc = gg_db_step(st, &row, err);
out:
	gg_db_done(st);
	gg_buf_release(&changes);
	return rc;
}

static enum gg_err broken(struct gg_audit_report *rep, int64_t id, struct gg_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum gg_err broken(struct gg_audit_report *rep, int64_t id, struct gg_error *err, const char *fmt, ...)
{
	va_list ap;

	rep->first_bad = id;
	va_start(ap, fmt);
	vsnprintf(rep->why, sizeof(rep->why), fmt, ap);
	va_end(ap);
	return gg_error_set(err, GG_E_AUDIT_BROKEN, "%s", rep->why);
}

enum gg_err gg_audit_verify(struct gg_db *db, struct gg_audit_report *rep, struct gg_error *err)
{
	struct gg_audit_report local;
	struct gg_stmt *st = NULL;
	char prev[GG_SHA256_HEX], hash[GG_SHA256_HEX];
	int64_t prev_id = 0;
	int row = 0;
	enum gg_err rc;

	if (rep == NULL)
		rep = &local;
	memset(rep, 0, sizeof(*rep));
	memcpy(prev, zero_hash, sizeof(prev));
	/* One statement reads one snapshot, so rows written meanwhile do not disturb the walk. */
	rc = gg_db_prepare(db, SELECT_ROWS " ORDER BY id", &st, err);
	if (rc != GG_OK)
		return rc;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct canon_row r = {
		    .id = gg_db_col_i64(st, C_ID),
		    .at = gg_db_col_i64(st, C_AT),
		    .actor_id = gg_db_col_i64(st, C_ACTOR_ID),
		    .entity_id = gg_db_col_i64(st, C_ENTITY_ID),
		    .actor = gg_db_col_text(st, C_ACTOR),
		    .action = gg_db_col_text(st, C_ACTION),
		    .entity = gg_db_col_text(st, C_ENTITY),
		    .request_id = gg_db_col_text(st, C_REQUEST_ID),
		    .changes = gg_db_col_text(st, C_CHANGES),
		};
		const char *stored_prev = gg_db_col_text(st, C_PREV);
		const char *stored_hash = gg_db_col_text(st, C_HASH);

		rep->rows++;
		if (stored_prev == NULL || strcmp(stored_prev, prev) != 0) {
			if (prev_id == 0)
				rc = broken(rep, r.id, err,
				            "row %lld: does not start the chain (a row was removed or reordered)",
				            (long long)r.id);
			else
				rc = broken(rep, r.id, err,
				            "row %lld: does not follow row %lld (a row was removed or reordered)",
				            (long long)r.id, (long long)prev_id);
			break;
		}
		rc = row_hash(prev, &r, hash, err);
		if (rc != GG_OK)
			break;
		if (stored_hash == NULL || strcmp(stored_hash, hash) != 0) {
			rc = broken(rep, r.id, err, "row %lld: contents do not match its hash", (long long)r.id);
			break;
		}
		memcpy(prev, hash, sizeof(prev));
		prev_id = r.id;
	}
	gg_db_done(st);
	return rc;
}

/* One parameter of a list query. */
struct param {
	const char *text; /* NULL: an integer */
	int64_t i64;
};

#define LIST_PARAMS 10

static void add_cond(struct gg_buf *sql, int *nconds, const char *cond)
{
	/* The list query stays far below its buffer's bound, so these appends cannot fail. */
	(void)gg_buf_adds(sql, *nconds == 0 ? " WHERE " : " AND ");
	(void)gg_buf_adds(sql, cond);
	(*nconds)++;
}

/* Characters (not bytes) in a UTF-8 string, as SQL's substr counts them. */
static int64_t utf8_chars(const char *s)
{
	int64_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static enum gg_err check_filter(const struct gg_audit_filter *f, struct gg_error *err)
{
	if (f->limit < 1 || f->limit > LIST_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be between 1 and %d", LIST_MAX);
	if (f->entity_id < 0)
		return gg_error_field(err, GG_E_INVALID, "entity_id", "entity_id must not be negative");
	if (f->actor_id < 0)
		return gg_error_field(err, GG_E_INVALID, "actor_id", "actor_id must not be negative");
	if (f->from < 0)
		return gg_error_field(err, GG_E_INVALID, "from", "from must not be negative");
	if (f->to < 0)
		return gg_error_field(err, GG_E_INVALID, "to", "to must not be negative");
	if (f->before_id < 0)
		return gg_error_field(err, GG_E_INVALID, "cursor", "cursor must not be negative");
	return GG_OK;
}

static enum gg_err copy_row(struct gg_stmt *st, struct gg_audit_row *r, struct gg_error *err)
{
	const char *s;

	r->id = gg_db_col_i64(st, C_ID);
	r->at = gg_db_col_i64(st, C_AT);
	r->actor_id = gg_db_col_i64(st, C_ACTOR_ID);
	r->entity_id = gg_db_col_i64(st, C_ENTITY_ID);
	/* gg_audit_record keeps every field within these widths; older rows are cut, not refused. */
	(void)gg_strlcpy(r->actor, (s = gg_db_col_text(st, C_ACTOR)) != NULL ? s : "", sizeof(r->actor));
	(void)gg_strlcpy(r->action, (s = gg_db_col_text(st, C_ACTION)) != NULL ? s : "", sizeof(r->action));
	(void)gg_strlcpy(r->entity, (s = gg_db_col_text(st, C_ENTITY)) != NULL ? s : "", sizeof(r->entity));
	(void)gg_strlcpy(r->request_id, (s = gg_db_col_text(st, C_REQUEST_ID)) != NULL ? s : "", sizeof(r->request_id));
	(void)gg_strlcpy(r->hash, (s = gg_db_col_text(st, C_HASH)) != NULL ? s : "", sizeof(r->hash));
	s = gg_db_col_text(st, C_CHANGES);
	r->changes_json = strdup(s != NULL ? s : "[]");
	if (r->changes_json == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return GG_OK;
}

enum gg_err gg_audit_list(struct gg_db *db, const struct gg_audit_filter *f, struct gg_audit_row **rows, size_t *n,
                          struct gg_error *err)
{
	struct param params[LIST_PARAMS];
	struct gg_buf sql;
	struct gg_stmt *st = NULL;
	struct gg_audit_row *out = NULL;
	size_t got = 0;
	int np = 0, nconds = 0, row = 0;
	enum gg_err rc;

	*rows = NULL;
	*n = 0;
	rc = check_filter(f, err);
	if (rc != GG_OK)
		return rc;
	gg_buf_init(&sql, 2048);
	(void)gg_buf_adds(&sql, SELECT_ROWS);
	if (f->entity != NULL && f->entity[0] != '\0') {
		add_cond(&sql, &nconds, "entity = ?");
		params[np++] = (struct param){.text = f->entity};
	}
	if (f->entity_id > 0) {
		add_cond(&sql, &nconds, "entity_id = ?");
		params[np++] = (struct param){.i64 = f->entity_id};
	}
	if (f->actor_id > 0) {
		add_cond(&sql, &nconds, "actor_id = ?");
		params[np++] = (struct param){.i64 = f->actor_id};
	}
	if (f->action != NULL && f->action[0] != '\0') {
		size_t len = strlen(f->action);
		if (f->action[len - 1] == '.') {
			add_cond(&sql, &nconds, "substr(action, 1, ?) = ?");
			params[np++] = (struct param){.i64 = utf8_chars(f->action)};
		} else {
			add_cond(&sql, &nconds, "action = ?");
		}
		params[np++] = (struct param){.text = f->action};
	}
	if (f->from > 0) {
		add_cond(&sql, &nconds, "at >= ?");
		params[np++] = (struct param){.i64 = f->from};
	}
	if (f->to > 0) {
		add_cond(&sql, &nconds, "at < ?");
		params[np++] = (struct param){.i64 = f->to};
	}
	if (f->before_id > 0) {
		add_cond(&sql, &nconds, "id < ?");
		params[np++] = (struct param){.i64 = f->before_id};
	}
	(void)gg_buf_adds(&sql, " ORDER BY id DESC LIMIT ?");
	params[np++] = (struct param){.i64 = f->limit};

	out = calloc((size_t)f->limit, sizeof(*out));
	if (out == NULL) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc != GG_OK)
		goto out;
	for (int i = 0; i < np; i++) {
		rc = params[i].text != NULL ? gg_db_bind_text(st, i + 1, params[i].text)
		                            : gg_db_bind_i64(st, i + 1, params[i].i64);
		if (rc != GG_OK) {
			gg_error_set(err, rc, "cannot bind audit filter parameter %d", i + 1);
			goto out;
		}
	}
	while (got < (size_t)f->limit && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		rc = copy_row(st, &out[got], err);
		if (rc != GG_OK)
			goto out;
		got++;
	}
out:
	gg_db_done(st);
	gg_buf_release(&sql);
	if (rc != GG_OK) {
		gg_audit_rows_free(out, got);
		return rc;
	}
	*rows = out;
	*n = got;
	return GG_OK;
}

void gg_audit_rows_free(struct gg_audit_row *rows, size_t n)
{
	if (rows == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(rows[i].changes_json);
	free(rows);
}

enum gg_err gg_audit_by(struct gg_db *db, const struct gg_actor *actor, const char *action, const char *entity,
                        int64_t entity_id, const struct gg_audit_change *changes, size_t n, struct gg_error *err)
{
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = action,
	    .entity = entity,
	    .entity_id = entity_id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = n,
	};

	return gg_audit_record(db, &ev, err);
}
