/*
 * station: station records. A write normalises the input into the record
 * it would store, compares it field by field with the stored one (one
 * table of the text columns serves the comparison, the audit row and the
 * row's binding) and writes only when something differs, so that loading
 * the demo data twice writes nothing the second time.
 */
#include "station.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/text.h"

#define COLS "id, name, city, country, host_org, opened_on, status, notes, created_at, updated_at, version"

/* The text columns, in COLS order after id; "" is stored as NULL. */
static const struct {
	const char *name;
	size_t off, size;
} text_cols[] = {
#define COL(f)                                                                          \
	{                                                                               \
#f, offsetof(struct gg_station, f), sizeof(((struct gg_station *)0)->f) \
	}
    COL(name), COL(city), COL(country), COL(host_org), COL(opened_on), COL(status), COL(notes),
#undef COL
};
#define NTEXT (sizeof(text_cols) / sizeof(text_cols[0]))

static const char *const statuses[] = {"planned", "open", "closed"};

static char *col_of(struct gg_station *s, size_t i)
{
	return (char *)s + text_cols[i].off;
}

static const char *ccol_of(const struct gg_station *s, size_t i)
{
	return (const char *)s + text_cols[i].off;
}

/* Makes sure a failing function leaves a code in err even when a lower layer returned one without a message. */
static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

/* NFKC of s (NULL: "") into out (outsz bytes), 0..max characters (1..max when required); a field error otherwise. */
static enum gg_err norm_text(const char *s, const char *field, long max, int required, char *out, size_t outsz,
                             struct gg_error *err)
{
	struct gg_buf b;
	long n = -1;

	gg_buf_init(&b, outsz - 1);
	if (gg_text_nfkc(s ? s : "", &b) == GG_OK)
		n = gg_text_chars(b.buf);
	if (n >= 0 && n <= max && (n > 0 || !required))
		gg_strlcpy(out, b.buf, outsz);
	gg_buf_release(&b);
	if (n < 0 || n > max)
		return gg_error_field(err, GG_E_INVALID, field, "%s must be utf-8 text of at most %ld characters",
		                      field, max);
	if (n == 0 && required)
		return gg_error_field(err, GG_E_INVALID, field, "%s is required", field);
	return GG_OK;
}

static int is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The record in normalised form; field errors for what does not pass. */
static enum gg_err normalise(const struct gg_station_input *in, struct gg_station *t, struct gg_error *err)
{
	enum gg_err rc = GG_OK;
	const char *country = in->country && *in->country ? in->country : "CN";
	int64_t day;

	memset(t, 0, sizeof(*t));
	if (norm_text(in->name, "name", GG_STATION_NAME_MAX, 1, t->name, sizeof(t->name), err) != GG_OK)
		rc = GG_E_INVALID;
	if (norm_text(in->city, "city", GG_STATION_CITY_MAX, 1, t->city, sizeof(t->city), err) != GG_OK)
		rc = GG_E_INVALID;
	if (norm_text(in->host_org, "host_org", GG_STATION_HOST_MAX, 0, t->host_org, sizeof(t->host_org), err) != GG_OK)
		rc = GG_E_INVALID;
	if (norm_text(in->notes, "notes", GG_STATION_NOTES_MAX, 0, t->notes, sizeof(t->notes), err) != GG_OK)
		rc = GG_E_INVALID;
	if (strlen(country) != 2 || !is_letter(country[0]) || !is_letter(country[1])) {
		rc = gg_error_field(err, GG_E_INVALID, "country", "country must be two letters (ISO 3166-1 alpha-2)");
	} else {
		for (int i = 0; i < 2; i++)
			t->country[i] = (char)(country[i] >= 'a' ? country[i] - 'a' + 'A' : country[i]);
	}
	if (in->opened_on && *in->opened_on) {
		if (strlen(in->opened_on) != 10 || gg_clock_parse_iso(in->opened_on, &day) != 0)
			rc = gg_error_field(err, GG_E_INVALID, "opened_on",
			                    "opened_on '%.32s' is not a date YYYY-MM-DD", in->opened_on);
		else
			gg_strlcpy(t->opened_on, in->opened_on, sizeof(t->opened_on));
	}
	gg_strlcpy(t->status, "open", sizeof(t->status));
	if (in->status && *in->status) {
		size_t k = 0;
		while (k < sizeof(statuses) / sizeof(statuses[0]) && strcmp(statuses[k], in->status) != 0)
			k++;
		if (k == sizeof(statuses) / sizeof(statuses[0]))
			rc = gg_error_field(err, GG_E_INVALID, "status",
			                    "unknown station status '%.32s' (planned, open, closed)", in->status);
		else
			gg_strlcpy(t->status, statuses[k], sizeof(t->status));
	}
	return rc;
}

enum gg_err gg_station_validate(const struct gg_station_input *in, struct gg_error *err)
{
	struct gg_station *t = malloc(sizeof(*t));
	enum gg_err rc;

	if (!t)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = normalise(in, t, err);
	free(t);
	return rc;
}

static void from_row(struct gg_stmt *st, struct gg_station *s)
{
	memset(s, 0, sizeof(*s));
	s->id = gg_db_col_i64(st, 0);
	for (size_t i = 0; i < NTEXT; i++) {
		const char *v = gg_db_col_text(st, (int)i + 1);
		gg_strlcpy(col_of(s, i), v ? v : "", text_cols[i].size);
	}
	s->created_at = gg_db_col_i64(st, (int)NTEXT + 1);
	s->updated_at = gg_db_col_i64(st, (int)NTEXT + 2);
	s->version = gg_db_col_i64(st, (int)NTEXT + 3);
}

/* Reads station id without a transaction of its own. */
static enum gg_err load(struct gg_db *db, int64_t id, struct gg_station *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db, "SELECT " COLS " FROM stations WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown station %lld", (long long)id);
	if (rc == GG_OK)
		from_row(st, out);
	gg_db_done(st);
	return finish(rc, err);
}

enum gg_err gg_station_get(struct gg_db *db, int64_t id, struct gg_station *out, struct gg_error *err)
{
	enum gg_err rc = gg_db_begin(db, GG_DB_READ, err);

	if (rc != GG_OK)
		return rc;
	rc = load(db, id, out, err);
	gg_db_rollback(db);
	return rc;
}

enum gg_err gg_station_list(struct gg_db *db, struct gg_station **out, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_station *v = NULL;
	size_t count = 0, cap = 0;
	enum gg_err rc;
	int row = 0;

	*out = NULL;
	*n = 0;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, "SELECT " COLS " FROM stations ORDER BY id LIMIT ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, GG_STATION_LIST_MAX);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct gg_station *nv = realloc(v, ncap * sizeof(*nv));
			if (!nv) {
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
				break;
			}
			v = nv;
			cap = ncap;
		}
		from_row(st, &v[count++]);
	}
	gg_db_done(st);
	gg_db_rollback(db);
	if (rc != GG_OK) {
		free(v);
		return finish(rc, err);
	}
	*out = v;
	*n = count;
	return GG_OK;
}

enum gg_err gg_station_find_by_name(struct gg_db *db, const char *name, int64_t *id, int *found, struct gg_error *err)
{
	struct gg_buf b;
	struct gg_stmt *st = NULL;
	enum gg_err rc = GG_OK;
	int row = 0;

	*id = 0;
	*found = 0;
	gg_buf_init(&b, 4 * GG_STATION_NAME_MAX);
	if (!name || gg_text_nfkc(name, &b) != GG_OK) {
		gg_buf_release(&b);
		return GG_OK;
	}
	rc = gg_db_prepare(db, "SELECT id FROM stations WHERE name = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, b.buf)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		*id = gg_db_col_i64(st, 0);
		*found = 1;
	}
	gg_db_done(st);
	gg_buf_release(&b);
	return finish(rc, err);
}

/* Inserts (id 0) or updates the row from t; *new_id gets its id. */
static enum gg_err write_row(struct gg_db *db, int64_t id, const struct gg_station *t, int64_t version, int64_t *new_id,
                             struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t now = gg_clock_now();
	enum gg_err rc;
	int row = 0, k = 1;

	rc = gg_db_prepare(
	    db,
	    id ? "UPDATE stations SET name = ?, city = ?, country = ?, host_org = ?, opened_on = ?, "
	         "status = ?, notes = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"
	       : "INSERT INTO stations (name, city, country, host_org, opened_on, status, notes, "
	         "updated_at, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
	    &st, err);
	for (size_t i = 0; rc == GG_OK && i < NTEXT; i++)
		rc = gg_db_bind_text(st, k++, *ccol_of(t, i) ? ccol_of(t, i) : NULL);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, k++, now);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, k++, id ? id : now);
	if (rc == GG_OK && id)
		rc = gg_db_bind_i64(st, k++, version);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_E_DUPLICATE) {
		gg_error_init(err);
		rc = gg_error_field(err, GG_E_DUPLICATE, "name", "another station is named '%s'", t->name);
	}
	if (rc == GG_OK && id && gg_db_changes(db) != 1)
		rc = gg_error_set(err, GG_E_STALE, "station %lld changed while it was written", (long long)id);
	else if (rc == GG_OK && !id && !row)
		rc = gg_error_set(err, GG_E_DB, "insert into stations returned no id");
	if (rc == GG_OK)
		*new_id = id ? id : gg_db_col_i64(st, 0);
	gg_db_done(st);
	return finish(rc, err);
}

enum gg_err gg_station_write_tx(struct gg_db *db, const struct gg_actor *actor, int64_t id,
                                const struct gg_station_input *in, int64_t expected_version, int64_t *id_out,
                                enum gg_station_outcome *outcome, struct gg_error *err)
{
	struct gg_station *t = malloc(sizeof(*t)), *cur = id ? malloc(sizeof(*cur)) : NULL;
	struct gg_audit_change ch[NTEXT];
	size_t nch = 0;
	int64_t new_id = 0, other = 0;
	int found = 0;
	enum gg_err rc;

	if (id_out)
		*id_out = 0;
	if (outcome)
		*outcome = GG_STATION_UNCHANGED;
	if (!t || (id && !cur)) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if ((rc = normalise(in, t, err)) != GG_OK)
		goto out;
	if (id) {
		if ((rc = load(db, id, cur, err)) != GG_OK)
			goto out;
		if (expected_version && cur->version != expected_version) {
			rc = gg_error_set(err, GG_E_STALE, "station %lld is at version %lld, not %lld", (long long)id,
			                  (long long)cur->version, (long long)expected_version);
			goto out;
		}
	}
	if ((rc = gg_station_find_by_name(db, t->name, &other, &found, err)) != GG_OK)
		goto out;
	if (found && other != id) {
		rc = gg_error_field(err, GG_E_DUPLICATE, "name", "station %lld is named '%s'", (long long)other,
		                    t->name);
		goto out;
	}
	for (size_t i = 0; i < NTEXT; i++) {
		const char *old_v = cur ? ccol_of(cur, i) : "", *new_v = ccol_of(t, i);
		if (strcmp(old_v, new_v) != 0)
			ch[nch++] =
			    (struct gg_audit_change){text_cols[i].name, *old_v ? old_v : NULL, *new_v ? new_v : NULL};
	}
	if (cur && nch == 0) {
		if (id_out)
			*id_out = id;
		goto out;
	}
	if ((rc = write_row(db, id, t, cur ? cur->version : 0, &new_id, err)) != GG_OK)
		goto out;
	const struct gg_audit_event ev = {
	    .actor_id = actor ? actor->id : 0,
	    .actor = actor && actor->name ? actor->name : "system",
	    .action = cur ? "station.update" : "station.create",
	    .entity = "station",
	    .entity_id = new_id,
	    .request_id = actor ? actor->request_id : NULL,
	    .changes = ch,
	    .nchanges = nch,
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	if (id_out)
		*id_out = new_id;
	if (outcome)
		*outcome = cur ? GG_STATION_UPDATED : GG_STATION_CREATED;
out:
	free(t);
	free(cur);
	return finish(rc, err);
}

enum gg_err gg_station_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_station_input *in,
                              int64_t *id, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_station_validate(in, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_station_write_tx(db, actor, 0, in, 0, id, NULL, err);
	if (rc == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}
