/*
 * dedup: the likely-duplicate pairs (one self-join per reason, each read
 * from a cursor in (a, b) order and merged here, so a page costs a few
 * index probes per talent passed over, not a sort of the whole registry)
 * and the merge of one record into another in one transaction with an
 * audit row on each. Personal data moves between the rows as stored
 * (sealed bytes, blind index, masked copy: the seal is bound to the field,
 * not the record), so a merge needs no key and decrypts nothing.
 *
 * The pairs of one record (gg_dedup_of) are read on every talent write
 * for the inbox's review tasks, so they cost one read of the record and
 * one index probe per rule with its values bound (measured on
 * `guanggu demo --synthetic`: about 4% more instructions per talent,
 * most of them this lookup), never a self-join or a scan.
 */
#include "dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/text.h"
#include "search.h"
#include "talent.h"
#include "task.h"

/* The list's pair (a.id < b.id) is not among the dismissed ones. */
#define NOT_DISMISSED "NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.a = a.id AND d.b = b.id)"

/* The values of one record that the rules compare. */
enum val { V_NAME, V_BIRTH, V_PINYIN, V_ORG, V_PHONE, V_EMAIL, V__COUNT };

/*
 * The other records like one record under one rule, not dismissed with it,
 * in id order: the record's values bound to match, then its id, the id to
 * start after, its id twice more, the limit.
 */
#define OF_SQL(match)                                                                                                  \
	"SELECT id FROM talents WHERE " match " AND id <> ? AND merged_into IS NULL AND id > ?"                        \
	" AND NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.a = ? AND d.b = talents.id)"                    \
	" AND NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.a = talents.id AND d.b = ?) ORDER BY id LIMIT " \
	"?"

/*
 * The rules, each written for both readers side by side: join and present
 * for the list of every pair (a self-join), of_sql with the record's values
 * vals (in order) for the pairs of one record, read with the record's
 * values bound, so each rule is one index probe; a rule whose value the
 * record lacks gives it no pair.
 */
static const struct {
	const char *token;
	const char *join;    /* how b is like a */
	const char *present; /* a has the value compared */
	const char *of_sql;
	enum val vals[3];
	int nvals;
} reason_defs[GG_DEDUP_REASONS] = {
    {"same_name_birth_date",
     "b.name = a.name AND b.birth_date = a.birth_date",
     "a.birth_date IS NOT NULL",
     OF_SQL("name = ? AND birth_date = ?"),
     {V_NAME, V_BIRTH},
     2},
    {"same_name_org",
     "b.name = a.name AND b.org_id = a.org_id",
     "a.org_id IS NOT NULL",
     OF_SQL("name = ? AND org_id = ?"),
     {V_NAME, V_ORG},
     2},
    {"same_pinyin_birth_date",
     "b.pinyin_key = a.pinyin_key AND b.birth_date = a.birth_date AND b.name <> a.name",
     "a.birth_date IS NOT NULL",
     OF_SQL("pinyin_key = ? AND birth_date = ? AND name <> ?"),
     {V_PINYIN, V_BIRTH, V_NAME},
     3},
    {"same_phone",
     "b.phone_index = a.phone_index",
     "a.phone_index IS NOT NULL",
     OF_SQL("phone_index = ?"),
     {V_PHONE},
     1},
    {"same_email",
     "b.email_index = a.email_index",
     "a.email_index IS NOT NULL",
     OF_SQL("email_index = ?"),
     {V_EMAIL},
     1},
};

const char *gg_dedup_reason_token(int i)
{
	return i >= 0 && i < GG_DEDUP_REASONS ? reason_defs[i].token : "";
}

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

static int pair_cmp(const void *x, const void *y)
{
	const struct gg_dedup_pair *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return 0;
}

/* "A.B" -> a, b (both positive); "" or NULL -> 0, 0. */
static enum gg_err parse_cursor(const char *cursor, int64_t *a, int64_t *b, struct gg_error *err)
{
	char left[24];
	const char *dot;
	long long va, vb;

	*a = *b = 0;
	if (!cursor || !*cursor)
		return GG_OK;
	dot = strchr(cursor, '.');
	if (!dot || (size_t)(dot - cursor) >= sizeof left)
		goto bad;
	memcpy(left, cursor, (size_t)(dot - cursor));
	left[dot - cursor] = '\0';
	if (gg_parse_i64(left, 1, INT64_MAX, &va) != GG_OK || gg_parse_i64(dot + 1, 1, INT64_MAX, &vb) != GG_OK)
		goto bad;
	*a = va;
	*b = vb;
	return GG_OK;
bad:
	return gg_error_field(err, GG_E_INVALID, "cursor", "cursor is not one of this list's cursors");
}

static enum gg_err reason_pairs(struct gg_db *db, int reason, int64_t a0, int64_t b0, int fetch,
                                struct gg_dedup_pair *out, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_buf sql;
	int row = 1;
	enum gg_err rc;

	gg_buf_init(&sql, 1024);
	rc = gg_buf_addf(&sql,
	                 "SELECT a.id, b.id FROM talents a JOIN talents b ON %s AND b.id > a.id"
	                 " WHERE a.merged_into IS NULL AND b.merged_into IS NULL AND %s"
	                 " AND a.id >= ? AND (a.id > ? OR b.id > ?) AND " NOT_DISMISSED " ORDER BY a.id, b.id LIMIT ?",
	                 reason_defs[reason].join, reason_defs[reason].present);
	if (rc == GG_OK)
		rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, a0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, a0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, b0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, fetch);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		out[*n].a = gg_db_col_i64(st, 0);
		out[*n].b = gg_db_col_i64(st, 1);
		out[*n].reasons = 1u << reason;
		(*n)++;
	}
	gg_db_done(st);
	gg_buf_release(&sql);
	return rc;
}

/*
 * Sorts the nall pairs of all (one reason each, several rows per pair) and
 * writes the first `limit` distinct pairs into out with their reasons
 * joined; *more says whether a further pair was left out. Returns how many.
 */
static size_t merge_pairs(struct gg_dedup_pair *all, size_t nall, int limit, struct gg_dedup_pair *out, int *more)
{
	size_t k = 0;

	*more = 0;
	qsort(all, nall, sizeof *all, pair_cmp);
	for (size_t i = 0; i < nall; i++) {
		if (k > 0 && pair_cmp(&out[k - 1], &all[i]) == 0) {
			out[k - 1].reasons |= all[i].reasons;
			continue;
		}
		if (k == (size_t)limit) {
			*more = 1;
			break;
		}
		out[k++] = all[i];
	}
	return k;
}

enum gg_err gg_dedup_list(struct gg_db *db, const char *cursor, int limit, struct gg_dedup_pair *out, size_t *n,
                          char next_cursor[GG_DEDUP_CURSOR_MAX], struct gg_error *err)
{
	struct gg_dedup_pair *all = NULL;
	size_t nall = 0, k = 0;
	int64_t a0, b0;
	enum gg_err rc;

	*n = 0;
	rc = parse_cursor(cursor, &a0, &b0, err); /* before next_cursor is cleared: it may be the same buffer */
	next_cursor[0] = '\0';
	if (rc != GG_OK)
		return rc;
	if (limit < 1 || limit > GG_DEDUP_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be 1 to %d", GG_DEDUP_LIMIT_MAX);
	all = calloc((size_t)GG_DEDUP_REASONS * (size_t)(limit + 1), sizeof *all);
	if (!all)
		return finish(GG_E_NOMEM, err);
	for (int r = 0; rc == GG_OK && r < GG_DEDUP_REASONS; r++)
		rc = reason_pairs(db, r, a0, b0, limit + 1, all, &nall, err);
	if (rc == GG_OK) {
		int more;

		*n = k = merge_pairs(all, nall, limit, out, &more);
		if (more)
			snprintf(next_cursor, GG_DEDUP_CURSOR_MAX, "%lld.%lld", (long long)out[k - 1].a,
			         (long long)out[k - 1].b);
	}
	free(all);
	return finish(rc, err);
}

/* ---- the pairs of one record ---- */

/* The compared values of one record (strings owned; org 0: none) and whether it is merged. */
struct vals {
	char *text[V__COUNT];
	int64_t org;
	int64_t merged_into;
};

static void vals_release(struct vals *v)
{
	for (int i = 0; i < V__COUNT; i++)
		free(v->text[i]);
}

/* Loads the values of talent id; GG_E_NOT_FOUND when there is no such talent. */
static enum gg_err vals_load(struct gg_db *db, int64_t id, struct vals *v, struct gg_error *err)
{
	static const enum val cols[] = {V_NAME, V_BIRTH, V_PINYIN, V_PHONE, V_EMAIL};
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(v, 0, sizeof *v);
	rc = gg_db_prepare(
	    db,
	    "SELECT merged_into, org_id, name, birth_date, pinyin_key, phone_index, email_index FROM talents"
	    " WHERE id = ?",
	    &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown talent %lld", (long long)id);
	if (rc == GG_OK) {
		v->merged_into = gg_db_col_is_null(st, 0) ? 0 : gg_db_col_i64(st, 0);
		v->org = gg_db_col_is_null(st, 1) ? 0 : gg_db_col_i64(st, 1);
		for (size_t i = 0; rc == GG_OK && i < sizeof cols / sizeof cols[0]; i++) {
			const char *t = gg_db_col_text(st, (int)i + 2);
			if (t && !(v->text[cols[i]] = strdup(t)))
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
		}
	}
	gg_db_done(st);
	if (rc != GG_OK)
		vals_release(v);
	return rc;
}

/* Partners of talent id under one rule: ids above after, ascending, at most fetch, appended to out. */
static enum gg_err reason_partners(struct gg_db *db, int reason, int64_t id, const struct vals *v, int64_t after,
                                   int fetch, struct gg_dedup_pair *out, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 1, k = 0;
	enum gg_err rc;

	for (int i = 0; i < reason_defs[reason].nvals; i++) {
		enum val c = reason_defs[reason].vals[i];
		if (c == V_ORG ? v->org == 0 : v->text[c] == NULL)
			return GG_OK; /* the record lacks a value the rule compares */
	}
	rc = gg_db_prepare(db, reason_defs[reason].of_sql, &st, err);
	for (int i = 0; rc == GG_OK && i < reason_defs[reason].nvals; i++) {
		enum val c = reason_defs[reason].vals[i];
		rc = c == V_ORG ? gg_db_bind_i64(st, ++k, v->org) : gg_db_bind_text(st, ++k, v->text[c]);
	}
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, ++k, id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, ++k, after);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, ++k, id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, ++k, id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, ++k, fetch);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		int64_t other = gg_db_col_i64(st, 0);
		out[*n].a = other < id ? other : id;
		out[*n].b = other < id ? id : other;
		out[*n].reasons = 1u << reason;
		(*n)++;
	}
	gg_db_done(st);
	return rc;
}

/* *merged_into of talent id (0: not merged); GG_E_NOT_FOUND when there is no such talent. */
static enum gg_err merged_of(struct gg_db *db, int64_t id, int64_t *merged_into, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*merged_into = 0;
	rc = gg_db_prepare(db, "SELECT merged_into FROM talents WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row && !gg_db_col_is_null(st, 0))
		*merged_into = gg_db_col_i64(st, 0);
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown talent %lld", (long long)id);
	return rc;
}

enum gg_err gg_dedup_of(struct gg_db *db, int64_t id, int64_t after, int limit, struct gg_dedup_pair *out, size_t *n,
                        int *more, struct gg_error *err)
{
	struct gg_dedup_pair *all = NULL;
	struct vals v;
	size_t nall = 0;
	enum gg_err rc;

	*n = 0;
	*more = 0;
	if (limit < 1 || limit > GG_DEDUP_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be 1 to %d", GG_DEDUP_LIMIT_MAX);
	if ((rc = vals_load(db, id, &v, err)) != GG_OK)
		return finish(rc, err);
	if (v.merged_into)
		goto out;
	if (!(all = malloc((size_t)GG_DEDUP_REASONS * (size_t)(limit + 1) * sizeof *all))) {
		rc = finish(GG_E_NOMEM, err);
		goto out;
	}
	for (int r = 0; rc == GG_OK && r < GG_DEDUP_REASONS; r++)
		rc = reason_partners(db, r, id, &v, after, limit + 1, all, &nall, err);
	if (rc == GG_OK && nall > 0) {
		/* every pair holds id, so (a, b) order is the order of the other talent */
		*n = merge_pairs(all, nall, limit, out, more);
	}
out:
	free(all);
	vals_release(&v);
	return finish(rc, err);
}

enum gg_err gg_dedup_list_of(struct gg_db *db, int64_t id, const char *cursor, int limit, struct gg_dedup_pair *out,
                             size_t *n, char next_cursor[GG_DEDUP_CURSOR_MAX], struct gg_error *err)
{
	int64_t a0, b0, after = 0;
	int more = 0;
	enum gg_err rc;

	*n = 0;
	rc = parse_cursor(cursor, &a0, &b0, err); /* before next_cursor is cleared: it may be the same buffer */
	next_cursor[0] = '\0';
	if (rc != GG_OK)
		return rc;
	if (a0 && a0 != id && b0 != id)
		return gg_error_field(err, GG_E_INVALID, "cursor", "cursor is not one of this list's cursors");
	if (a0)
		after = a0 == id ? b0 : a0;
	if ((rc = gg_dedup_of(db, id, after, limit, out, n, &more, err)) != GG_OK)
		return rc;
	if (more && *n > 0)
		snprintf(next_cursor, GG_DEDUP_CURSOR_MAX, "%lld.%lld", (long long)out[*n - 1].a,
		         (long long)out[*n - 1].b);
	return GG_OK;
}

enum gg_err gg_dedup_partners(struct gg_db *db, int64_t id, int64_t **ids, size_t *n, struct gg_error *err)
{
	struct gg_dedup_pair page[GG_DEDUP_LIMIT_MAX];
	int64_t *list = NULL, after = 0;
	size_t got = 0, cap = 0;
	int more = 1;
	enum gg_err rc = GG_OK;

	*ids = NULL;
	*n = 0;
	while (rc == GG_OK && more) {
		if ((rc = gg_dedup_of(db, id, after, GG_DEDUP_LIMIT_MAX, page, &got, &more, err)) != GG_OK)
			break;
		if (*n + got > cap) {
			size_t ncap = cap ? cap * 2 : 16;
			int64_t *grown;
			while (ncap < *n + got)
				ncap *= 2;
			if (!(grown = realloc(list, ncap * sizeof *grown))) {
				rc = finish(GG_E_NOMEM, err);
				break;
			}
			list = grown;
			cap = ncap;
		}
		for (size_t i = 0; i < got; i++)
			list[(*n)++] = page[i].a == id ? page[i].b : page[i].a;
		if (got > 0)
			after = list[*n - 1];
	}
	if (rc != GG_OK) {
		free(list);
		*n = 0;
		return rc;
	}
	*ids = list;
	return GG_OK;
}

/* ---- the review tasks ---- */

/* Opens the duplicate_review task of newer (paired with older): label "older's name · newer's name". */
static enum gg_err open_review(struct gg_db *db, const struct gg_actor *actor, int64_t older, int64_t newer,
                               struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char names[2][GG_TALENT_NAME_MAX * 4 + 1] = {"", ""};
	char label[sizeof names + 8], link[64];
	const int64_t ids[2] = {older, newer};
	int row = 0;
	enum gg_err rc = GG_OK;

	for (int i = 0; rc == GG_OK && i < 2; i++) {
		rc = gg_db_prepare(db, "SELECT name FROM talents WHERE id = ?", &st, err);
		if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, ids[i])) == GG_OK)
			rc = gg_db_step(st, &row, err);
		if (rc == GG_OK && row && gg_db_col_text(st, 0))
			snprintf(names[i], sizeof names[i], "%s", gg_db_col_text(st, 0));
		gg_db_done(st);
		st = NULL;
	}
	if (rc != GG_OK)
		return rc;
	snprintf(label, sizeof label, "%s \xC2\xB7 %s", names[0], names[1]); /* U+00B7 MIDDLE DOT */
	snprintf(link, sizeof link, "/talents/duplicates?talent=%lld", (long long)newer);
	const struct gg_task_new t = {
	    .kind = GG_TASK_duplicate_review,
	    .subject_id = newer,
	    .label = label,
	    .link = link,
	};
	return gg_task_open(db, actor, &t, NULL, NULL, err);
}

/* The task of id after a change: open while id is the newer record of a pair, else closed for reason. */
static enum gg_err review_one(struct gg_db *db, const struct gg_actor *actor, int64_t id, const char *reason,
                              struct gg_error *err)
{
	struct gg_dedup_pair first;
	size_t n = 0;
	int more = 0;
	enum gg_err rc;

	/* pairs come in the order of the other record: the first one says whether an older one exists */
	if ((rc = gg_dedup_of(db, id, 0, 1, &first, &n, &more, err)) != GG_OK)
		return rc;
	if (n == 1 && first.a < id)
		return open_review(db, actor, first.a, id, err);
	return gg_task_close(db, actor, GG_TASK_duplicate_review, id, reason, NULL, err);
}

enum gg_err gg_dedup_review_tx(struct gg_db *db, const struct gg_actor *actor, int64_t id, const int64_t *before,
                               size_t nbefore, const char *reason, struct gg_error *err)
{
	struct gg_dedup_pair page[GG_DEDUP_LIMIT_MAX];
	int64_t after = 0;
	size_t got = 0;
	int more = 1, first_page = 1;
	enum gg_err rc = GG_OK;

	while (rc == GG_OK && more) {
		if ((rc = gg_dedup_of(db, id, after, GG_DEDUP_LIMIT_MAX, page, &got, &more, err)) != GG_OK)
			break;
		if (first_page) {
			first_page = 0;
			rc = got > 0 && page[0].a < id
			         ? open_review(db, actor, page[0].a, id, err)
			         : gg_task_close(db, actor, GG_TASK_duplicate_review, id, reason, NULL, err);
		}
		/* id is the older record of the rest: each of them waits for a review */
		for (size_t i = 0; rc == GG_OK && i < got; i++)
			if (page[i].a == id)
				rc = open_review(db, actor, id, page[i].b, err);
		if (got > 0)
			after = page[got - 1].a == id ? page[got - 1].b : page[got - 1].a;
	}
	/* the records id was paired with before: one may have lost its last pair */
	for (size_t i = 0; rc == GG_OK && i < nbefore; i++)
		if (before[i] != id)
			rc = review_one(db, actor, before[i], reason, err);
	return finish(rc, err);
}

/* ---- dismissal ---- */

static enum gg_err dismiss_audit(struct gg_db *db, const struct gg_actor *actor, int64_t id, int64_t other,
                                 const char *note, struct gg_error *err)
{
	char text[24];

	snprintf(text, sizeof text, "%lld", (long long)other);
	const struct gg_audit_change changes[] = {
	    {"not_duplicate_of", NULL, text},
	    {"note", NULL, note},
	};
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = "talent.duplicate_dismiss",
	    .entity = "talent",
	    .entity_id = id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = note ? 2 : 1,
	};
	return gg_audit_record(db, &ev, err);
}

enum gg_err gg_dedup_dismiss(struct gg_db *db, const struct gg_actor *actor, int64_t a, int64_t b, const char *note,
                             struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t merged = 0, seen = 0, args[2];
	int found = 0, row = 0;
	enum gg_err rc;

	if (a <= 0)
		return gg_error_field(err, GG_E_INVALID, "a", "a must be a talent id");
	if (b <= 0)
		return gg_error_field(err, GG_E_INVALID, "b", "b must be a talent id");
	if (a == b)
		return gg_error_field(err, GG_E_INVALID, "b", "a talent is not a duplicate of itself");
	if (note && !*note)
		note = NULL;
	if (note && gg_text_length(note) > GG_DEDUP_NOTE_MAX)
		return gg_error_field(err, GG_E_INVALID, "note", "note has at most %d characters", GG_DEDUP_NOTE_MAX);
	if (a > b) {
		int64_t t = a;
		a = b;
		b = t;
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return finish(rc, err);
	args[0] = a;
	args[1] = b;
	for (int i = 0; i < 2; i++) {
		if ((rc = merged_of(db, args[i], &merged, err)) != GG_OK)
			goto out;
		if (merged) {
			rc = gg_error_set(err, GG_E_CONFLICT, "talent %lld is merged into talent %lld",
			                  (long long)args[i], (long long)merged);
			goto out;
		}
	}
	if ((rc = gg_db_query_i64(db, "SELECT id FROM duplicate_dismissals WHERE a = ? AND b = ?", args, 2, &seen,
	                          &found, err)) != GG_OK)
		goto out;
	if (found) {
		rc =
		    gg_error_set(err, GG_E_DUPLICATE, "talents %lld and %lld are dismissed as different people already",
		                 (long long)a, (long long)b);
		goto out;
	}
	rc = gg_db_prepare(
	    db, "INSERT INTO duplicate_dismissals (a, b, note, created_at, created_by) VALUES (?, ?, ?, ?, ?)", &st,
	    err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, a);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, b);
	if (rc == GG_OK)
		rc = note ? gg_db_bind_text(st, 3, note) : gg_db_bind_null(st, 3);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, gg_clock_now());
	if (rc == GG_OK)
		rc = actor->id > 0 ? gg_db_bind_i64(st, 5, actor->id) : gg_db_bind_null(st, 5);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = dismiss_audit(db, actor, a, b, note, err);
	if (rc == GG_OK)
		rc = dismiss_audit(db, actor, b, a, note, err);
	/* the pair counted for the newer record only */
	if (rc == GG_OK)
		rc = review_one(db, actor, b, "dismissed", err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
out:
	if (rc != GG_OK)
		gg_db_rollback(db);
	return finish(rc, err);
}

/* ---- merge ---- */

/*
 * The columns a merge reads and writes, in the order of both statements
 * below. Text columns fill an empty target value from the source; the
 * personal-data groups (sealed value, blind index, masked copy) move as a
 * whole; lists are unioned.
 */
enum col {
	C_LATIN_NAME,
	C_GENDER,
	C_BIRTH_DATE,
	C_NATIONALITY,
	C_TITLE,
	C_CITY,
	C_TIER,
	C_NOTES,
	C_ORG,
	C_COMMISSIONER,
	C_FIELDS,
	C_KEYWORDS,
	C_DOC_TYPE,
	C_DOC_ENC,
	C_DOC_INDEX,
	C_DOC_MASKED,
	C_PHONE_ENC,
	C_PHONE_INDEX,
	C_PHONE_MASKED,
	C_EMAIL_ENC,
	C_EMAIL_INDEX,
	C_EMAIL_MASKED,
	C__COUNT
};

enum kind { K_TEXT, K_ID, K_LIST, K_BLOB, K_GROUP };

static const struct {
	const char *name;
	enum kind kind;
	const char *audit; /* name in audit rows; NULL: audited with its group */
} col_defs[C__COUNT] = {
    [C_LATIN_NAME] = {"latin_name", K_TEXT, "latin_name"},
    [C_GENDER] = {"gender", K_TEXT, "gender"},
    [C_BIRTH_DATE] = {"birth_date", K_TEXT, "birth_date"},
    [C_NATIONALITY] = {"nationality", K_TEXT, "nationality"},
    [C_TITLE] = {"title", K_TEXT, "title"},
    [C_CITY] = {"city", K_TEXT, "city"},
    [C_TIER] = {"tier", K_TEXT, "tier"},
    [C_NOTES] = {"notes", K_TEXT, "notes"},
    [C_ORG] = {"org_id", K_ID, "org_id"},
    [C_COMMISSIONER] = {"commissioner_id", K_ID, "commissioner_id"},
    [C_FIELDS] = {"fields", K_LIST, "fields"},
    [C_KEYWORDS] = {"keywords", K_LIST, "keywords"},
    [C_DOC_TYPE] = {"doc_type", K_GROUP, NULL},
    [C_DOC_ENC] = {"doc_enc", K_BLOB, NULL},
    [C_DOC_INDEX] = {"doc_index", K_GROUP, NULL},
    [C_DOC_MASKED] = {"doc_masked", K_GROUP, NULL},
    [C_PHONE_ENC] = {"phone_enc", K_BLOB, NULL},
    [C_PHONE_INDEX] = {"phone_index", K_GROUP, NULL},
    [C_PHONE_MASKED] = {"phone_masked", K_GROUP, NULL},
    [C_EMAIL_ENC] = {"email_enc", K_BLOB, NULL},
    [C_EMAIL_INDEX] = {"email_index", K_GROUP, NULL},
    [C_EMAIL_MASKED] = {"email_masked", K_GROUP, NULL},
};

/* Personal-data groups: the columns that move together, the one that says "present", the audit names. */
static const struct {
	enum col first, last, present, masked;
	const char *audit;
} groups[] = {
    {C_DOC_TYPE, C_DOC_MASKED, C_DOC_INDEX, C_DOC_MASKED, "document.number"},
    {C_PHONE_ENC, C_PHONE_MASKED, C_PHONE_INDEX, C_PHONE_MASKED, "phone"},
    {C_EMAIL_ENC, C_EMAIL_MASKED, C_EMAIL_INDEX, C_EMAIL_MASKED, "email"},
};
#define NGROUPS (sizeof groups / sizeof groups[0])

struct rec {
	int64_t id, merged_into, version;
	char *v[C__COUNT]; /* text of every non-blob column (ids as decimal text); NULL: no value */
	struct gg_buf blob[C__COUNT];
};

static void rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	for (int i = 0; i < C__COUNT; i++)
		gg_buf_init(&r->blob[i], 4096);
}

static void rec_release(struct rec *r)
{
	for (int i = 0; i < C__COUNT; i++) {
		free(r->v[i]);
		gg_buf_release(&r->blob[i]);
	}
}

static int empty(const struct rec *r, enum col c)
{
	if (col_defs[c].kind == K_BLOB)
		return r->blob[c].len == 0;
	return !r->v[c] || !r->v[c][0];
}

static enum gg_err set_text(struct rec *r, enum col c, const char *s)
{
	char *d = NULL;

	if (s && !(d = strdup(s)))
		return GG_E_NOMEM;
	free(r->v[c]);
	r->v[c] = d;
	return GG_OK;
}

static enum gg_err load(struct gg_db *db, int64_t id, struct rec *r, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_buf sql;
	int row = 0;
	enum gg_err rc;

	gg_buf_init(&sql, 1024);
	rc = gg_buf_adds(&sql, "SELECT merged_into, version");
	for (int i = 0; rc == GG_OK && i < C__COUNT; i++)
		rc = gg_buf_addf(&sql, ", %s", col_defs[i].name);
	if (rc == GG_OK)
		rc = gg_buf_adds(&sql, " FROM talents WHERE id = ?");
	if (rc == GG_OK)
		rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown talent %lld", (long long)id);
	if (rc == GG_OK) {
		r->id = id;
		r->merged_into = gg_db_col_is_null(st, 0) ? 0 : gg_db_col_i64(st, 0);
		r->version = gg_db_col_i64(st, 1);
		for (int i = 0; rc == GG_OK && i < C__COUNT; i++) {
			if (gg_db_col_is_null(st, i + 2))
				continue;
			if (col_defs[i].kind == K_BLOB) {
				size_t len = 0;
				const void *p = gg_db_col_blob(st, i + 2, &len);
				rc = gg_buf_add(&r->blob[i], p, len);
			} else {
				rc = set_text(r, (enum col)i, gg_db_col_text(st, i + 2));
			}
		}
	}
	gg_db_done(st);
	gg_buf_release(&sql);
	return rc;
}

/* target's list items, then the source's it lacks, at most GG_TALENT_LIST_MAX. */
static enum gg_err union_list(const char *target, const char *source, char **out)
{
	struct gg_buf b;
	size_t items = 0;
	const char *lists[2] = {target, source};
	enum gg_err rc = GG_OK;

	*out = NULL;
	gg_buf_init(&b, 64 * 1024);
	for (int l = 0; l < 2 && rc == GG_OK; l++) {
		const char *p = lists[l];
		while (p && *p && rc == GG_OK && items < GG_TALENT_LIST_MAX) {
			const char *end = strchr(p, ';');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			int seen = 0;
			/* is p[0..len) already an item of b? */
			for (const char *q = b.buf; *q && len > 0;) {
				const char *qe = strchr(q, ';');
				size_t ql = qe ? (size_t)(qe - q) : strlen(q);
				if (ql == len && memcmp(q, p, len) == 0) {
					seen = 1;
					break;
				}
				q += ql + (qe ? 1 : 0);
			}
			if (len > 0 && !seen) {
				if (b.len)
					rc = gg_buf_addch(&b, ';');
				if (rc == GG_OK)
					rc = gg_buf_add(&b, p, len);
				items++;
			}
			p += len + (end ? 1 : 0);
		}
	}
	if (rc == GG_OK && b.len > 0 && !(*out = strdup(b.buf)))
		rc = GG_E_NOMEM;
	gg_buf_release(&b);
	return rc;
}

/* The honours ("kind:year;kind") or segments ("a;b") of a talent as one text, NULL when none. */
static enum gg_err set_text_of(struct gg_db *db, int honours, int64_t id, char **out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_buf b;
	int row = 1;
	enum gg_err rc;

	*out = NULL;
	gg_buf_init(&b, 64 * 1024);
	rc = gg_db_prepare(
	    db,
	    honours ? "SELECT kind, year FROM talent_honours WHERE talent_id = ? ORDER BY kind, COALESCE(year, 0)"
	            : "SELECT segment, NULL FROM talent_segments WHERE talent_id = ? ORDER BY segment",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (b.len)
			rc = gg_buf_addch(&b, ';');
		if (rc == GG_OK)
			rc = gg_buf_adds(&b, gg_db_col_text(st, 0));
		if (rc == GG_OK && !gg_db_col_is_null(st, 1))
			rc = gg_buf_addf(&b, ":%lld", (long long)gg_db_col_i64(st, 1));
	}
	gg_db_done(st);
	if (rc == GG_OK && b.len > 0 && !(*out = strdup(b.buf)))
		rc = GG_E_NOMEM;
	gg_buf_release(&b);
	return rc;
}

static enum gg_err run3(struct gg_db *db, const char *sql, int64_t a, int64_t b, int64_t c, struct gg_error *err)
{
	const int64_t args[3] = {a, b, c};

	return gg_db_run_i64(db, sql, args, 3, err);
}

#define CHANGES_MAX (C__COUNT + 4)

/* Audit changes whose texts the merge owns. */
struct changes {
	struct gg_audit_change c[CHANGES_MAX];
	char *owned[CHANGES_MAX * 2];
	size_t n, nowned;
};

static enum gg_err change(struct changes *ch, const char *field, const char *old_value, const char *new_value)
{
	const char *v[2] = {old_value, new_value};
	const char *kept[2] = {NULL, NULL};

	if (ch->n >= CHANGES_MAX)
		return GG_E_INTERNAL;
	for (int i = 0; i < 2; i++) {
		if (!v[i])
			continue;
		if (!(ch->owned[ch->nowned] = strdup(v[i])))
			return GG_E_NOMEM;
		kept[i] = ch->owned[ch->nowned++];
	}
	ch->c[ch->n].field = field;
	ch->c[ch->n].old_value = kept[0];
	ch->c[ch->n].new_value = kept[1];
	ch->n++;
	return GG_OK;
}

static void changes_release(struct changes *ch)
{
	for (size_t i = 0; i < ch->nowned; i++)
		free(ch->owned[i]);
	ch->n = ch->nowned = 0;
}

static int differ(const char *a, const char *b)
{
	if (!a || !b)
		return a != b;
	return strcmp(a, b) != 0;
}

/* Fills the empty fields of next (a copy of the target) from src, listing each change. */
static enum gg_err fill(struct rec *next, const struct rec *src, struct changes *tch, int *doc_moved)
{
	enum gg_err rc = GG_OK;

	*doc_moved = 0;
	for (int i = 0; rc == GG_OK && i < C__COUNT; i++) {
		enum kind k = col_defs[i].kind;
		if ((k == K_TEXT || k == K_ID) && empty(next, (enum col)i) && !empty(src, (enum col)i)) {
			rc = change(tch, col_defs[i].audit, next->v[i], src->v[i]);
			if (rc == GG_OK)
				rc = set_text(next, (enum col)i, src->v[i]);
		} else if (k == K_LIST) {
			char *u = NULL;
			rc = union_list(next->v[i], src->v[i], &u);
			if (rc == GG_OK && differ(u, next->v[i]))
				rc = change(tch, col_defs[i].audit, next->v[i], u);
			if (rc == GG_OK) {
				free(next->v[i]);
				next->v[i] = u;
			} else {
				free(u);
			}
		}
	}
	for (size_t g = 0; rc == GG_OK && g < NGROUPS; g++) {
		if (!empty(next, groups[g].present) || empty(src, groups[g].present))
			continue;
		if (groups[g].first == C_DOC_TYPE) {
			*doc_moved = 1;
			rc = change(tch, "document.type", NULL, src->v[C_DOC_TYPE]);
		}
		if (rc == GG_OK)
			rc = change(tch, groups[g].audit, NULL, src->v[groups[g].masked]);
		for (int c = groups[g].first; rc == GG_OK && c <= (int)groups[g].last; c++) {
			if (col_defs[c].kind == K_BLOB) {
				gg_buf_reset(&next->blob[c]);
				rc = gg_buf_add(&next->blob[c], src->blob[c].buf, src->blob[c].len);
			} else {
				rc = set_text(next, (enum col)c, src->v[c]);
			}
		}
	}
	return rc;
}

static enum gg_err write_target(struct gg_db *db, const struct rec *next, int64_t now, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_buf sql;
	int row;
	enum gg_err rc;

	gg_buf_init(&sql, 2048);
	rc = gg_buf_adds(&sql, "UPDATE talents SET ");
	for (int i = 0; rc == GG_OK && i < C__COUNT; i++)
		rc = gg_buf_addf(&sql, "%s = ?, ", col_defs[i].name);
	if (rc == GG_OK)
		rc = gg_buf_adds(&sql, "version = version + 1, updated_at = ? WHERE id = ?");
	if (rc == GG_OK)
		rc = gg_db_prepare(db, sql.buf, &st, err);
	for (int i = 0; rc == GG_OK && i < C__COUNT; i++) {
		enum kind k = col_defs[i].kind;
		if (k == K_BLOB)
			rc = next->blob[i].len ? gg_db_bind_blob(st, i + 1, next->blob[i].buf, next->blob[i].len)
			                       : gg_db_bind_null(st, i + 1);
		else if (!next->v[i] || (k == K_LIST && !next->v[i][0]))
			rc = k == K_LIST ? gg_db_bind_text(st, i + 1, "") : gg_db_bind_null(st, i + 1);
		else if (k == K_ID)
			rc = gg_db_bind_i64(st, i + 1, atoll(next->v[i]));
		else
			rc = gg_db_bind_text(st, i + 1, next->v[i]);
	}
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, C__COUNT + 1, now);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, C__COUNT + 2, next->id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	gg_buf_release(&sql);
	return rc;
}

static enum gg_err audit(struct gg_db *db, const struct gg_actor *actor, int64_t id, const struct changes *ch,
                         struct gg_error *err)
{
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = "talent.merge",
	    .entity = "talent",
	    .entity_id = id,
	    .request_id = actor->request_id,
	    .changes = ch->c,
	    .nchanges = ch->n,
	};

	return gg_audit_record(db, &ev, err);
}

/* The unioned honours or segments: rows of the source the target lacks, and the audit change. */
static enum gg_err union_rows(struct gg_db *db, int honours, int64_t target, int64_t source, struct changes *tch,
                              struct gg_error *err)
{
	char *before = NULL, *after = NULL;
	enum gg_err rc;

	rc = set_text_of(db, honours, target, &before, err);
	if (rc == GG_OK)
		rc = run3(db,
		          honours ? "INSERT INTO talent_honours (talent_id, kind, year) SELECT ?, s.kind, s.year"
		                    " FROM talent_honours s WHERE s.talent_id = ? AND NOT EXISTS (SELECT 1 FROM"
		                    " talent_honours h WHERE h.talent_id = ? AND h.kind = s.kind"
		                    " AND COALESCE(h.year, 0) = COALESCE(s.year, 0))"
		                  : "INSERT INTO talent_segments (talent_id, segment) SELECT ?, s.segment"
		                    " FROM talent_segments s WHERE s.talent_id = ? AND NOT EXISTS (SELECT 1 FROM"
		                    " talent_segments x WHERE x.talent_id = ? AND x.segment = s.segment)",
		          target, source, target, err);
	if (rc == GG_OK)
		rc = set_text_of(db, honours, target, &after, err);
	if (rc == GG_OK && differ(before, after))
		rc = change(tch, honours ? "honours" : "segments", before, after);
	free(before);
	free(after);
	return rc;
}

enum gg_err gg_dedup_merge_tx(struct gg_db *db, const struct gg_actor *actor, int64_t target_id, int64_t source_id,
                              int64_t expected_version, struct gg_error *err)
{
	struct rec target, source, next;
	struct changes tch = {0}, sch = {0};
	int64_t *before = NULL, *also = NULL, *grown;
	size_t nbefore = 0, nalso = 0;
	char idtext[24];
	int doc_moved = 0;
	int64_t now = gg_clock_now();
	enum gg_err rc;

	rec_init(&target);
	rec_init(&source);
	rec_init(&next);
	if (target_id == source_id) {
		rc = gg_error_set(err, GG_E_CONFLICT, "cannot merge talent %lld into itself", (long long)target_id);
		goto out;
	}
	if ((rc = load(db, target_id, &target, err)) != GG_OK || (rc = load(db, source_id, &source, err)) != GG_OK)
		goto out;
	if (target.merged_into || source.merged_into) {
		const struct rec *m = target.merged_into ? &target : &source;
		rc = gg_error_set(err, GG_E_CONFLICT, "talent %lld is already merged into talent %lld",
		                  (long long)m->id, (long long)m->merged_into);
		goto out;
	}
	if (expected_version && expected_version != target.version) {
		rc = gg_error_set(err, GG_E_STALE, "talent %lld is at version %lld, not %lld", (long long)target_id,
		                  (long long)target.version, (long long)expected_version);
		goto out;
	}
	if (!empty(&target, C_DOC_INDEX) && !empty(&source, C_DOC_INDEX) &&
	    strcmp(target.v[C_DOC_INDEX], source.v[C_DOC_INDEX]) != 0) {
		rc = gg_error_field(err, GG_E_CONFLICT, "document.number",
		                    "talents %lld and %lld have different document numbers", (long long)target_id,
		                    (long long)source_id);
		goto out;
	}
	/* the records either was paired with: after the merge, each may have lost its last pair */
	if ((rc = gg_dedup_partners(db, target_id, &before, &nbefore, err)) != GG_OK ||
	    (rc = gg_dedup_partners(db, source_id, &also, &nalso, err)) != GG_OK)
		goto out;
	if (nalso + 1 > SIZE_MAX / sizeof *before - nbefore) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if (!(grown = realloc(before, (nbefore + nalso + 1) * sizeof *before))) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	before = grown;
	if (nalso)
		memcpy(before + nbefore, also, nalso * sizeof *also);
	nbefore += nalso;
	before[nbefore++] = source_id;
	/* next: the target as it will be */
	next.id = target.id;
	for (int i = 0; rc == GG_OK && i < C__COUNT; i++) {
		rc = set_text(&next, (enum col)i, target.v[i]);
		if (rc == GG_OK)
			rc = gg_buf_add(&next.blob[i], target.blob[i].buf, target.blob[i].len);
	}
	snprintf(idtext, sizeof idtext, "%lld", (long long)source_id);
	if (rc == GG_OK)
		rc = change(&tch, "merged_from", NULL, idtext);
	if (rc == GG_OK)
		rc = fill(&next, &source, &tch, &doc_moved);
	if (rc == GG_OK)
		rc = union_rows(db, 0, target_id, source_id, &tch, err);
	if (rc == GG_OK)
		rc = union_rows(db, 1, target_id, source_id, &tch, err);
	/* the document is unique: the source lets go of it before the target takes it */
	if (rc == GG_OK && doc_moved) {
		rc = gg_db_run_i64(
		    db,
		    "UPDATE talents SET doc_type = NULL, doc_enc = NULL, doc_index = NULL, doc_masked = NULL"
		    " WHERE id = ?",
		    &source_id, 1, err);
		if (rc == GG_OK)
			rc = change(&sch, "document.type", source.v[C_DOC_TYPE], NULL);
		if (rc == GG_OK)
			rc = change(&sch, "document.number", source.v[C_DOC_MASKED], NULL);
	}
	if (rc == GG_OK)
		rc = write_target(db, &next, now, err);
	snprintf(idtext, sizeof idtext, "%lld", (long long)target_id);
	if (rc == GG_OK)
		rc = change(&sch, "merged_into", NULL, idtext);
	if (rc == GG_OK)
		rc = run3(db, "UPDATE talents SET merged_into = ?, version = version + 1, updated_at = ? WHERE id = ?",
		          target_id, now, source_id, err);
	if (rc == GG_OK)
		rc = audit(db, actor, target_id, &tch, err);
	if (rc == GG_OK)
		rc = audit(db, actor, source_id, &sch, err);
	if (rc == GG_OK)
		rc = gg_search_index_talent_tx(db, target_id, err);
	if (rc == GG_OK)
		rc = gg_search_index_talent_tx(db, source_id, err);
	if (rc == GG_OK)
		rc = gg_dedup_review_tx(db, actor, target_id, before, nbefore, "merged", err);
out:
	free(before);
	free(also);
	changes_release(&tch);
	changes_release(&sch);
	rec_release(&target);
	rec_release(&source);
	rec_release(&next);
	return finish(rc, err);
}

enum gg_err gg_dedup_merge(struct gg_db *db, const struct gg_actor *actor, int64_t target_id, int64_t source_id,
                           int64_t expected_version, struct gg_error *err)
{
	enum gg_err rc;

	rc = gg_db_begin(db, GG_DB_WRITE, err);
	if (rc != GG_OK)
		return finish(rc, err);
	rc = gg_dedup_merge_tx(db, actor, target_id, source_id, expected_version, err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	if (rc != GG_OK)
		gg_db_rollback(db);
	return finish(rc, err);
}
