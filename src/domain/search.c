/*
 * search: search terms of talents and organisations, and the list query
 * over them. A query is a conjunction of "atoms" (a Han character, a Han
 * bigram, an ASCII word), each a disjunction of "sources" (one exact term,
 * a prefix range of terms, a prefix of the pinyin sort column). Filters
 * (tier, segment, ...) and the caller's scope are further conjuncts.
 *
 * The plan is chosen per query from capped counts (how many index entries
 * a source or an indexed filter has, counting at most a cap): the rarest
 * conjunct drives. When it is rare, its rows are collected and sorted;
 * when everything is common, the rows are read in the sort order and each
 * is probed for the other conjuncts. Collecting m rows costs about m row
 * reads, walking about fetch * N / m (N rows in the table), so the cap is
 * their break-even point sqrt(fetch * N): about 7,000 for a page of 50 at
 * a million talents. An exact term in pinyin order is always read in
 * order straight from the terms' primary key (term, sort_key, id), so a
 * first page of 张 costs the same as one of a rare name. Several sources of
 * the driving atom give several ordered streams, merged here by (key, id).
 * Conditions meant as probes are written so that no index can serve them
 * (t.tier || '' = ?, t.org_id + 0 = ?): the index the plan chose is the
 * one the database uses, in SQLite as in PostgreSQL.
 */
#include "search.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/text.h"

#define PLAN_CAP_MIN     1000  /* the planner's threshold between rare and common, at least */
#define PLAN_CAP_MAX     50000 /* and at most */
#define TERM_MAX         320   /* bytes of one term, kind prefix included */
#define WORD_MAX         64    /* longest word that is indexed, bytes */
#define QUERY_MAX        256   /* bytes of q */
#define ATOMS_MAX        16
#define SOURCES_MAX      5
#define FILTERS_MAX      8
#define BINDS_MAX        160
#define STREAMS_MAX      (SOURCES_MAX + 1)
#define RECORD_TERMS_MAX 2048
#define KEY_MAX          512 /* bytes of a sort key kept for merging */
#define CURSOR_KEY_MAX   240 /* longer text keys are looked up by id */
#define SYLLABLES_MAX    64
#define INITIALS_MAX     12 /* longest run of initials indexed */

/* ---- terms of one record ---- */

struct termset {
	char **v;
	size_t n, cap;
};

static void termset_release(struct termset *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		free(ts->v[i]);
	free(ts->v);
	ts->v = NULL;
	ts->n = ts->cap = 0;
}

/* Adds kind + text[0..len); terms beyond the bounds are skipped, not errors. */
static enum gg_err termset_add(struct termset *ts, const char *kind, const char *text, size_t len)
{
	size_t klen = strlen(kind);
	char *t;

	if (len == 0 || klen + len >= TERM_MAX || ts->n >= RECORD_TERMS_MAX)
		return GG_OK;
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 64;
		char **v = realloc(ts->v, cap * sizeof *v);
		if (!v)
			return GG_E_NOMEM;
		ts->v = v;
		ts->cap = cap;
	}
	t = malloc(klen + len + 1);
	if (!t)
		return GG_E_NOMEM;
	memcpy(t, kind, klen);
	memcpy(t + klen, text, len);
	t[klen + len] = '\0';
	ts->v[ts->n++] = t;
	return GG_OK;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void termset_unique(struct termset *ts)
{
	size_t out = 0;

	if (ts->n == 0)
		return;
	qsort(ts->v, ts->n, sizeof *ts->v, str_cmp);
	for (size_t i = 0; i < ts->n; i++) {
		if (out > 0 && strcmp(ts->v[out - 1], ts->v[i]) == 0) {
			free(ts->v[i]);
			continue;
		}
		ts->v[out++] = ts->v[i];
	}
	ts->n = out;
}

/*
 * Characters that make up words besides Han: ASCII letters and digits and
 * the letters of other scripts (é, ß); punctuation blocks separate words.
 */
static int is_word_cp(unsigned cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF00 && cp <= 0xFFEF))
		return 0;
	return !gg_text_is_han(cp);
}

struct text_terms {
	int han_singles;       /* c: for each Han character */
	const char *word_kind; /* "l:" or "k:" for words; NULL: none */
	int joined;            /* also all words of the text joined ("machinelearning") */
};

/* Adds the terms of folded text s (one value: a name, one keyword, ...). */
static enum gg_err add_text_terms(struct termset *ts, const char *s, const struct text_terms *how)
{
	size_t len = strlen(s), i = 0, prev_han = 0, prev_han_len = 0, word_start = 0, nwords = 0;
	int in_word = 0, last_han = 0;
	char joined[TERM_MAX];
	size_t jlen = 0;
	enum gg_err rc = GG_OK;

	while (i <= len && rc == GG_OK) {
		unsigned cp = 0;
		size_t step = i < len ? gg_utf8_next(s + i, len - i, &cp) : 0;
		int han = step > 0 && gg_text_is_han(cp);
		int word = step > 0 && !han && is_word_cp(cp);

		if (in_word && !word) {
			size_t wlen = i - word_start;
			if (how->word_kind && wlen <= WORD_MAX) {
				rc = termset_add(ts, how->word_kind, s + word_start, wlen);
				if (jlen + wlen < sizeof joined) {
					memcpy(joined + jlen, s + word_start, wlen);
					jlen += wlen;
				}
				nwords++;
			}
			in_word = 0;
		}
		if (i >= len)
			break;
		if (step == 0) { /* invalid byte: a separator */
			last_han = 0;
			i++;
			continue;
		}
		if (han) {
			if (how->han_singles && rc == GG_OK)
				rc = termset_add(ts, "c:", s + i, step);
			if (last_han && rc == GG_OK)
				rc = termset_add(ts, "h:", s + prev_han, prev_han_len + step);
			prev_han = i;
			prev_han_len = step;
		} else if (word && !in_word) {
			in_word = 1;
			word_start = i;
		}
		last_han = han;
		i += step;
	}
	if (rc == GG_OK && how->joined && nwords > 1)
		rc = termset_add(ts, how->word_kind, joined, jlen);
	return rc;
}

/*
 * Pinyin terms from "wang jin qiao": s: for each syllable suffix (from the
 * second syllable when the full key is searched through the pinyin column,
 * from_first 0), i: every run of two or more consecutive initials (wj,
 * wjq, jq). Initials are exact terms, not prefix ranges: a range of i:
 * terms follows the pinyin order (i:wj... are the w names), so reading
 * the table in that order to find its first page would scan most of it,
 * while an exact term is read in order from its own index.
 */
static enum gg_err add_pinyin_terms(struct termset *ts, const char *pinyin, int from_first)
{
	const char *syl[SYLLABLES_MAX];
	size_t sl[SYLLABLES_MAX], n = 0;
	char initials[SYLLABLES_MAX + 1], suffix[TERM_MAX];
	const char *p = pinyin;
	enum gg_err rc = GG_OK;

	while (*p && n < SYLLABLES_MAX) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		syl[n] = p;
		while (*p && *p != ' ')
			p++;
		sl[n] = (size_t)(p - syl[n]);
		initials[n] = syl[n][0];
		n++;
	}
	initials[n] = '\0';
	for (size_t k = from_first ? 0 : 1; k < n && rc == GG_OK; k++) {
		size_t len = 0;
		for (size_t j = k; j < n; j++) {
			if (len + sl[j] >= sizeof suffix)
				break;
			memcpy(suffix + len, syl[j], sl[j]);
			len += sl[j];
		}
		rc = termset_add(ts, "s:", suffix, len);
	}
	for (size_t k = 0; k + 2 <= n && rc == GG_OK; k++)
		for (size_t e = k + 2; e <= n && e - k <= INITIALS_MAX && rc == GG_OK; e++)
			rc = termset_add(ts, "i:", initials + k, e - k);
	return rc;
}

/* Folds s into b and adds its terms; NULL or empty s adds nothing. */
static enum gg_err add_folded(struct termset *ts, struct gg_buf *b, const char *s, const struct text_terms *how)
{
	enum gg_err rc;

	if (!s || !*s)
		return GG_OK;
	rc = gg_text_fold(s, b);
	if (rc != GG_OK)
		return rc;
	return add_text_terms(ts, b->buf, how);
}

/* Each ';'-separated item of list as its own text. */
static enum gg_err add_list(struct termset *ts, struct gg_buf *b, const char *list, const struct text_terms *how)
{
	struct gg_buf item;
	enum gg_err rc = GG_OK;
	const char *p = list;

	if (!list)
		return GG_OK;
	gg_buf_init(&item, 4096);
	while (*p && rc == GG_OK) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		gg_buf_reset(&item);
		rc = gg_buf_add(&item, p, len);
		if (rc == GG_OK)
			rc = add_folded(ts, b, item.buf, how);
		p += len;
		if (*p == ';')
			p++;
	}
	gg_buf_release(&item);
	return rc;
}

static enum gg_err store_terms(struct gg_db *db, const char *delete_sql, const char *insert_sql, int64_t id,
                               const struct termset *ts, const char *sort_key, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row;

	rc = gg_db_run_i64(db, delete_sql, &id, 1, err);
	for (size_t i = 0; rc == GG_OK && i < ts->n; i++) {
		rc = gg_db_prepare(db, insert_sql, &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 1, ts->v[i]);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 2, sort_key);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 3, id);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
		st = NULL;
	}
	return rc;
}

static char *dup_col(struct gg_stmt *st, int col, enum gg_err *rc)
{
	const char *s = gg_db_col_text(st, col);
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*rc = GG_E_NOMEM;
	return d;
}

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

enum gg_err gg_search_index_talent_tx(struct gg_db *db, int64_t id, struct gg_error *err)
{
	static const struct text_terms name_how = {1, "l:", 0}, latin_how = {1, "l:", 1}, list_how = {0, "k:", 1},
	                               org_how = {0, "k:", 0};
	struct gg_stmt *st = NULL;
	struct termset ts = {0};
	struct gg_buf b;
	char *col[7] = {0};
	int row = 0, alive = 0;
	enum gg_err rc;

	gg_buf_init(&b, 64 * 1024);
	rc = gg_db_prepare(db,
	                   "SELECT t.name, t.latin_name, t.pinyin, t.pinyin_key, t.keywords, t.fields, o.name,"
	                   " t.merged_into FROM talents t LEFT JOIN orgs o ON o.id = t.org_id WHERE t.id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		alive = gg_db_col_is_null(st, 7);
		for (int i = 0; i < 7; i++)
			col[i] = dup_col(st, i, &rc);
	}
	gg_db_done(st);
	if (rc != GG_OK || !alive || !col[3])
		goto store;
	rc = add_folded(&ts, &b, col[0], &name_how);
	if (rc == GG_OK)
		rc = add_folded(&ts, &b, col[1], &latin_how);
	if (rc == GG_OK && col[2])
		rc = add_pinyin_terms(&ts, col[2], 0);
	if (rc == GG_OK)
		rc = add_list(&ts, &b, col[4], &list_how);
	if (rc == GG_OK)
		rc = add_list(&ts, &b, col[5], &list_how);
	if (rc == GG_OK)
		rc = add_folded(&ts, &b, col[6], &org_how);
	termset_unique(&ts);
store:
	if (rc == GG_OK)
		rc = store_terms(db, "DELETE FROM talent_terms WHERE talent_id = ?",
		                 "INSERT INTO talent_terms (term, sort_key, talent_id) VALUES (?, ?, ?)", id, &ts,
		                 col[3] ? col[3] : "", err);
	termset_release(&ts);
	for (int i = 0; i < 7; i++)
		free(col[i]);
	gg_buf_release(&b);
	return finish(rc, err);
}

enum gg_err gg_search_index_org_tx(struct gg_db *db, int64_t id, struct gg_error *err)
{
	static const struct text_terms name_how = {1, "l:", 1};
	struct gg_stmt *st = NULL;
	struct termset ts = {0};
	struct gg_buf b;
	char *name = NULL, *pinyin = NULL;
	int row = 0;
	enum gg_err rc;

	gg_buf_init(&b, 64 * 1024);
	rc = gg_db_prepare(db, "SELECT name, pinyin FROM orgs WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		name = dup_col(st, 0, &rc);
		pinyin = dup_col(st, 1, &rc);
	}
	gg_db_done(st);
	if (rc == GG_OK && name && pinyin) {
		rc = add_folded(&ts, &b, name, &name_how);
		if (rc == GG_OK)
			rc = add_pinyin_terms(&ts, pinyin, 1);
		termset_unique(&ts);
	}
	if (rc == GG_OK)
		rc = store_terms(db, "DELETE FROM org_terms WHERE org_id = ?",
		                 "INSERT INTO org_terms (term, sort_key, org_id) VALUES (?, ?, ?)", id, &ts,
		                 pinyin ? pinyin : "", err);
	termset_release(&ts);
	free(name);
	free(pinyin);
	gg_buf_release(&b);
	return finish(rc, err);
}

enum gg_err gg_search_index_org_talents_tx(struct gg_db *db, int64_t org_id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int row = 1;
	enum gg_err rc;

	rc = gg_db_prepare(db, "SELECT id FROM talents WHERE org_id = ? ORDER BY id", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, org_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			int64_t *v = realloc(ids, ncap * sizeof *v);
			if (!v) {
				rc = GG_E_NOMEM;
				break;
			}
			ids = v;
			cap = ncap;
		}
		ids[n++] = gg_db_col_i64(st, 0);
	}
	gg_db_done(st);
	for (size_t i = 0; rc == GG_OK && i < n; i++)
		rc = gg_search_index_talent_tx(db, ids[i], err);
	free(ids);
	return finish(rc, err);
}

/* ---- queries ---- */

static const struct {
	const char *text;
	enum gg_search_sort sort;
} sort_names[] = {
    {"pinyin", GG_SEARCH_PINYIN_ASC},
    {"-pinyin", GG_SEARCH_PINYIN_DESC},
    {"updated", GG_SEARCH_UPDATED_ASC},
    {"-updated", GG_SEARCH_UPDATED_DESC},
};
static const char sort_codes[] = "pPuU"; /* by enum gg_search_sort, first byte of a cursor */

enum gg_err gg_search_parse_sort(const char *text, enum gg_search_sort *out, struct gg_error *err)
{
	*out = GG_SEARCH_PINYIN_ASC;
	if (!text || !*text)
		return GG_OK;
	for (size_t i = 0; i < sizeof sort_names / sizeof sort_names[0]; i++) {
		if (strcmp(text, sort_names[i].text) == 0) {
			*out = sort_names[i].sort;
			return GG_OK;
		}
	}
	return gg_error_field(err, GG_E_INVALID, "sort", "unknown sort '%.64s' (pinyin, -pinyin, updated, -updated)",
	                      text);
}

void gg_search_query_init(struct gg_search_query *q)
{
	memset(q, 0, sizeof *q);
	q->verified = -1;
	q->limit = 50;
	q->sort = GG_SEARCH_PINYIN_ASC;
}

/* What a query runs against: talents or orgs. */
struct entity {
	const char *table;  /* "talents" */
	const char *terms;  /* "talent_terms" */
	const char *ref;    /* the terms' record column: "talent_id" */
	const char *pinyin; /* the pinyin sort column: "pinyin_key" */
	const char *alive;  /* condition of every listed row, or NULL */
	int pinyin_source;  /* 1: ASCII words also match a prefix of the pinyin column */
};

static const struct entity talents_entity = {"talents",    "talent_terms",          "talent_id",
                                             "pinyin_key", "t.merged_into IS NULL", 1};
static const struct entity orgs_entity = {"orgs", "org_terms", "org_id", "pinyin", NULL, 0};

enum src_kind { SRC_TERM, SRC_RANGE, SRC_PINYIN };

struct source {
	enum src_kind kind;
	char lo[TERM_MAX]; /* the term, or the range's lower bound */
	char hi[TERM_MAX]; /* the range's upper bound (exclusive) */
	int64_t count;     /* capped at the plan's cap */
};

struct atom {
	struct source src[SOURCES_MAX];
	size_t nsrc;
	int64_t count; /* sum of the sources' counts */
};

/* A filter or the scope: up to 3 values, in a driving and a probing form. */
struct filter {
	const char *sarg;  /* usable by an index */
	const char *probe; /* the same test, usable by no index */
	const char *count; /* SELECT COUNT(*) FROM (SELECT 1 ... LIMIT ?) c, or NULL: never drives */
	int nvals;
	int is_text;
	const char *s;
	int64_t v[3];
	int64_t est;
};

struct bind {
	int is_text;
	const char *s;
	int64_t i;
};

struct sql {
	struct gg_buf text;
	struct bind b[BINDS_MAX];
	int n;
	enum gg_err rc;
};

static void sql_init(struct sql *q)
{
	gg_buf_init(&q->text, 64 * 1024);
	q->n = 0;
	q->rc = GG_OK;
}

static void sql_add(struct sql *q, const char *s)
{
	if (q->rc == GG_OK)
		q->rc = gg_buf_adds(&q->text, s);
}

static void sql_addf(struct sql *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql_addf(struct sql *q, const char *fmt, ...)
{
	va_list ap;

	if (q->rc != GG_OK)
		return;
	va_start(ap, fmt);
	q->rc = gg_buf_vaddf(&q->text, fmt, ap);
	va_end(ap);
}

static void bind_text(struct sql *q, const char *s)
{
	if (q->n >= BINDS_MAX) {
		q->rc = GG_E_INVALID;
		return;
	}
	q->b[q->n].is_text = 1;
	q->b[q->n++].s = s;
}

static void bind_i64(struct sql *q, int64_t v)
{
	if (q->n >= BINDS_MAX) {
		q->rc = GG_E_INVALID;
		return;
	}
	q->b[q->n].is_text = 0;
	q->b[q->n++].i = v;
}

static enum gg_err sql_prepare(struct gg_db *db, struct sql *q, struct gg_stmt **st, struct gg_error *err)
{
	enum gg_err rc = q->rc;

	if (rc == GG_E_INVALID)
		return gg_error_field(err, GG_E_INVALID, "q", "query has too many words");
	if (rc != GG_OK)
		return rc;
	rc = gg_db_prepare(db, q->text.buf, st, err);
	for (int i = 0; rc == GG_OK && i < q->n; i++)
		rc = q->b[i].is_text ? gg_db_bind_text(*st, i + 1, q->b[i].s) : gg_db_bind_i64(*st, i + 1, q->b[i].i);
	return rc;
}

/* Runs a capped count query (the values, then the cap). */
static enum gg_err capped_count(struct gg_db *db, struct sql *q, int64_t cap, int64_t *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	bind_i64(q, cap);
	*out = 0;
	rc = sql_prepare(db, q, &st, err);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*out = gg_db_col_i64(st, 0);
	gg_db_done(st);
	return rc;
}

/* ---- parsing q ---- */

struct parsed {
	struct atom atoms[ATOMS_MAX];
	size_t n;
};

static int atom_same(const struct atom *a, const struct atom *b)
{
	if (a->nsrc != b->nsrc)
		return 0;
	for (size_t i = 0; i < a->nsrc; i++)
		if (a->src[i].kind != b->src[i].kind || strcmp(a->src[i].lo, b->src[i].lo) != 0)
			return 0;
	return 1;
}

static void push_atom(struct parsed *p, const struct atom *a)
{
	for (size_t i = 0; i < p->n; i++)
		if (atom_same(&p->atoms[i], a))
			return;
	if (p->n < ATOMS_MAX)
		p->atoms[p->n++] = *a;
}

static void term_atom(struct parsed *p, const char *kind, const char *s, size_t len)
{
	struct atom a;

	memset(&a, 0, sizeof a);
	a.nsrc = 1;
	a.src[0].kind = SRC_TERM;
	if (strlen(kind) + len >= TERM_MAX)
		return;
	memcpy(a.src[0].lo, kind, strlen(kind));
	memcpy(a.src[0].lo + strlen(kind), s, len);
	push_atom(p, &a);
}

/* A prefix source: [kind+w, kind+w with its last byte incremented). */
static void prefix_source(struct atom *a, enum src_kind kind, const char *prefix, const char *w, size_t len)
{
	struct source *s = &a->src[a->nsrc];
	size_t plen = strlen(prefix);

	if (a->nsrc >= SOURCES_MAX || plen + len >= TERM_MAX || len == 0 || (unsigned char)w[len - 1] == 0xFF)
		return;
	s->kind = kind;
	memcpy(s->lo, prefix, plen);
	memcpy(s->lo + plen, w, len);
	s->lo[plen + len] = '\0';
	memcpy(s->hi, s->lo, plen + len + 1);
	s->hi[plen + len - 1] = (char)((unsigned char)s->hi[plen + len - 1] + 1);
	a->nsrc++;
}

static void word_atom(struct parsed *p, const struct entity *e, const char *w, size_t len)
{
	struct atom a;

	if (len == 0)
		return;
	memset(&a, 0, sizeof a);
	if (e->pinyin_source)
		prefix_source(&a, SRC_PINYIN, "", w, len);
	prefix_source(&a, SRC_RANGE, "s:", w, len);
	if (len >= 2 && len <= INITIALS_MAX) {
		a.src[a.nsrc].kind = SRC_TERM;
		snprintf(a.src[a.nsrc].lo, TERM_MAX, "i:%.*s", (int)len, w);
		a.nsrc++;
	}
	prefix_source(&a, SRC_RANGE, "l:", w, len);
	if (e->pinyin_source && len >= 2)
		prefix_source(&a, SRC_RANGE, "k:", w, len);
	push_atom(p, &a);
}

/*
 * Splits folded q: Han runs give one atom per bigram (or the character of
 * a one-character run); words give one atom each when q has Han text,
 * else all words joined give one ("wang jinqiao" is "wangjinqiao").
 */
static enum gg_err parse_query(const struct entity *e, const char *text, struct parsed *p, struct gg_error *err)
{
	struct gg_buf b;
	char joined[QUERY_MAX + 1];
	size_t jlen = 0, i = 0, len, run_start = 0, run_chars = 0, prev = 0, prev_len = 0, wstart = 0;
	int has_han = 0, in_word = 0;
	enum gg_err rc;
	struct {
		size_t off, len;
	} words[QUERY_MAX];
	size_t nwords = 0;

	p->n = 0;
	if (!text)
		return GG_OK;
	if (strlen(text) > QUERY_MAX)
		return gg_error_field(err, GG_E_INVALID, "q", "query is longer than %d bytes", QUERY_MAX);
	gg_buf_init(&b, QUERY_MAX * 4);
	rc = gg_text_fold(text, &b);
	if (rc != GG_OK) {
		gg_buf_release(&b);
		return gg_error_field(err, GG_E_INVALID, "q",
		                      rc == GG_E_BAD_UTF8 ? "query is not valid utf-8 text" : "query is too long");
	}
	len = b.len;
	while (i <= len) {
		unsigned cp = 0;
		size_t step = i < len ? gg_utf8_next(b.buf + i, len - i, &cp) : 0;
		int han = step > 0 && gg_text_is_han(cp);
		int word = step > 0 && !han && is_word_cp(cp);

		if (!han && run_chars > 0) {
			if (run_chars == 1)
				term_atom(p, "c:", b.buf + run_start, i - run_start);
			run_chars = 0;
		}
		if (!word && in_word) {
			if (nwords < QUERY_MAX) {
				words[nwords].off = wstart;
				words[nwords++].len = i - wstart;
			}
			in_word = 0;
		}
		if (i >= len)
			break;
		if (step == 0) {
			i++;
			continue;
		}
		if (han) {
			has_han = 1;
			if (run_chars == 0)
				run_start = i;
			else
				term_atom(p, "h:", b.buf + prev, prev_len + step);
			prev = i;
			prev_len = step;
			run_chars++;
		} else if (word && !in_word) {
			in_word = 1;
			wstart = i;
		}
		i += step;
	}
	if (has_han) {
		for (size_t k = 0; k < nwords; k++)
			word_atom(p, e, b.buf + words[k].off, words[k].len);
	} else {
		for (size_t k = 0; k < nwords && jlen + words[k].len <= QUERY_MAX; k++) {
			memcpy(joined + jlen, b.buf + words[k].off, words[k].len);
			jlen += words[k].len;
		}
		word_atom(p, e, joined, jlen);
	}
	gg_buf_release(&b);
	return GG_OK;
}

/* ---- SQL pieces ---- */

/*
 * A condition that the record whose id is idexpr has a term of source s.
 * idexpr is t.id, or the driving term row's id (x.talent_id), so that the
 * probe runs on the terms' index before the record's row is read.
 */
static void probe_source(struct sql *q, const struct entity *e, const struct source *s, const char *idexpr)
{
	switch (s->kind) {
	case SRC_TERM:
		sql_addf(q, "EXISTS (SELECT 1 FROM %s y WHERE y.%s = %s AND y.term = ?)", e->terms, e->ref, idexpr);
		bind_text(q, s->lo);
		break;
	case SRC_RANGE:
		sql_addf(q, "EXISTS (SELECT 1 FROM %s y WHERE y.%s = %s AND y.term >= ? AND y.term < ?)", e->terms,
		         e->ref, idexpr);
		bind_text(q, s->lo);
		bind_text(q, s->hi);
		break;
	case SRC_PINYIN:
		sql_addf(q, "(t.%s || '' >= ? AND t.%s || '' < ?)", e->pinyin, e->pinyin);
		bind_text(q, s->lo);
		bind_text(q, s->hi);
		break;
	}
}

static void probe_atom(struct sql *q, const struct entity *e, const struct atom *a, const char *idexpr)
{
	sql_add(q, " AND (");
	for (size_t i = 0; i < a->nsrc; i++) {
		if (i > 0)
			sql_add(q, " OR ");
		probe_source(q, e, &a->src[i], idexpr);
	}
	sql_add(q, ")");
}

/* A subquery giving the record ids of a source (for IN). */
static void collect_source(struct sql *q, const struct entity *e, const struct source *s)
{
	switch (s->kind) {
	case SRC_TERM:
		sql_addf(q, "SELECT x.%s FROM %s x WHERE x.term = ?", e->ref, e->terms);
		bind_text(q, s->lo);
		break;
	case SRC_RANGE:
		sql_addf(q, "SELECT x.%s FROM %s x WHERE x.term >= ? AND x.term < ?", e->ref, e->terms);
		bind_text(q, s->lo);
		bind_text(q, s->hi);
		break;
	case SRC_PINYIN:
		sql_addf(q, "SELECT p.id FROM %s p WHERE p.%s >= ? AND p.%s < ?", e->table, e->pinyin, e->pinyin);
		bind_text(q, s->lo);
		bind_text(q, s->hi);
		break;
	}
}

static void filter_binds(struct sql *q, const struct filter *f)
{
	for (int i = 0; i < f->nvals; i++) {
		if (f->is_text)
			bind_text(q, f->s);
		else
			bind_i64(q, f->v[i]);
	}
}

/* The sort and the cursor. */
struct order {
	int text; /* the key is text (pinyin) or an integer (updated_at) */
	int desc;
	int has_cursor;
	char key[KEY_MAX];
	int64_t ikey;
	int64_t id;
};

static void order_by(struct sql *q, const char *kexpr, const char *iexpr, const struct order *o, int limit)
{
	const char *dir = o->desc ? " DESC" : "";

	sql_add(q, " ORDER BY ");
	sql_add(q, kexpr);
	sql_add(q, dir);
	sql_add(q, ", ");
	sql_add(q, iexpr);
	sql_add(q, dir);
	sql_add(q, " LIMIT ?");
	bind_i64(q, limit);
}

/* ---- streams and their merge ---- */

struct hit {
	char key[KEY_MAX];
	int64_t ikey;
	int64_t id;
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

static enum gg_err run_stream(struct gg_db *db, struct sql *q, const struct order *o, struct hits *h,
                              struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 1;
	enum gg_err rc;

	rc = sql_prepare(db, q, &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct hit *x;
		if (h->n == h->cap) {
			rc = GG_E_INTERNAL;
			break;
		}
		x = &h->v[h->n++];
		if (o->text) {
			const char *k = gg_db_col_text(st, 0);
			gg_strlcpy(x->key, k ? k : "", sizeof x->key);
			x->ikey = 0;
		} else {
			x->key[0] = '\0';
			x->ikey = gg_db_col_i64(st, 0);
		}
		x->id = gg_db_col_i64(st, 1);
	}
	gg_db_done(st);
	return rc;
}

static int hit_cmp_asc(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c == 0)
		c = x->ikey < y->ikey ? -1 : x->ikey > y->ikey;
	if (c == 0)
		c = x->id < y->id ? -1 : x->id > y->id;
	return c;
}

static int hit_cmp_desc(const void *a, const void *b)
{
	return hit_cmp_asc(b, a);
}

/* ---- cursors: <sort code><id>.<hex key or decimal key>, or <code><id> ---- */

static void encode_cursor(char *out, size_t outsz, enum gg_search_sort sort, const struct hit *h, int text)
{
	struct gg_buf b;
	char *s;

	gg_buf_init(&b, outsz - 1);
	gg_buf_addf(&b, "%c%lld", sort_codes[sort], (long long)h->id);
	if (!text) {
		gg_buf_addf(&b, ".%lld", (long long)h->ikey);
	} else if (strlen(h->key) <= CURSOR_KEY_MAX) {
		gg_buf_addch(&b, '.');
		for (const unsigned char *k = (const unsigned char *)h->key; *k; k++)
			gg_buf_addf(&b, "%02x", *k);
	}
	s = b.buf;
	gg_strlcpy(out, s, outsz);
	gg_buf_release(&b);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static enum gg_err bad_cursor(struct gg_error *err)
{
	return gg_error_field(err, GG_E_INVALID, "cursor", "cursor is not one of this list's cursors");
}

static enum gg_err decode_cursor(struct gg_db *db, const struct entity *e, const char *c, enum gg_search_sort sort,
                                 struct order *o, struct gg_error *err)
{
	const char *p, *dot;
	char idtext[24];
	long long v;

	o->has_cursor = 0;
	if (!c || !*c)
		return GG_OK;
	p = c + 1;
	if (c[0] != sort_codes[sort])
		return bad_cursor(err);
	dot = strchr(p, '.');
	if ((size_t)((dot ? dot : p + strlen(p)) - p) >= sizeof idtext)
		return bad_cursor(err);
	memcpy(idtext, p, (size_t)((dot ? dot : p + strlen(p)) - p));
	idtext[(dot ? dot : p + strlen(p)) - p] = '\0';
	if (gg_parse_i64(idtext, 1, INT64_MAX, &v) != GG_OK)
		return bad_cursor(err);
	o->id = v;
	if (!o->text) {
		if (!dot || gg_parse_i64(dot + 1, INT64_MIN, INT64_MAX, &v) != GG_OK)
			return bad_cursor(err);
		o->ikey = v;
	} else if (dot) {
		size_t n = strlen(dot + 1);
		if (n % 2 != 0 || n / 2 >= sizeof o->key)
			return bad_cursor(err);
		for (size_t i = 0; i < n / 2; i++) {
			int hi = hexval(dot[1 + 2 * i]), lo = hexval(dot[2 + 2 * i]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return bad_cursor(err);
			o->key[i] = (char)(hi * 16 + lo);
		}
		o->key[n / 2] = '\0';
	} else {
		/* a key too long for the cursor: the row's own key */
		struct gg_stmt *st = NULL;
		struct gg_buf sql;
		int row = 0;
		enum gg_err rc;

		gg_buf_init(&sql, 256);
		rc = gg_buf_addf(&sql, "SELECT %s FROM %s WHERE id = ?", e->pinyin, e->table);
		if (rc == GG_OK)
			rc = gg_db_prepare(db, sql.buf, &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, 1, o->id);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		if (rc == GG_OK && row)
			gg_strlcpy(o->key, gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "", sizeof o->key);
		gg_db_done(st);
		gg_buf_release(&sql);
		if (rc != GG_OK)
			return rc;
		if (!row)
			return bad_cursor(err);
	}
	o->has_cursor = 1;
	return GG_OK;
}

/* ---- the planner ---- */

enum form { FORM_ORDERED_TERM, FORM_ORDERED_PINYIN, FORM_COLLECT, FORM_WALK };

struct plan_ctx {
	struct gg_db *db;
	const struct entity *e;
	const struct parsed *p;
	const struct filter *f;
	size_t nf;
	const struct order *o;
	enum gg_search_sort sort;
	int fetch;      /* limit + 1 */
	int64_t cap;    /* counts from here on are "common" */
	int need_alive; /* the alive condition must be tested (see run_plan) */
};

static const char *key_col(const struct plan_ctx *c)
{
	return c->sort <= GG_SEARCH_PINYIN_DESC ? c->e->pinyin : "updated_at";
}

/* Conditions shared by every form: alive, cursor on (kexpr, iexpr), probes of filters and atoms. */
static void common_conds(struct sql *q, const struct plan_ctx *c, const char *kexpr, const char *iexpr, int driver_atom,
                         int driver_filter)
{
	const struct order *o = c->o;

	if (c->need_alive) {
		sql_add(q, " AND ");
		sql_add(q, c->e->alive);
	}
	if (o->has_cursor) {
		sql_addf(q, " AND (%s, %s) %s (?, ?)", kexpr, iexpr, o->desc ? "<" : ">");
		if (o->text)
			bind_text(q, o->key);
		else
			bind_i64(q, o->ikey);
		bind_i64(q, o->id);
	}
	for (size_t i = 0; i < c->nf; i++) {
		if ((int)i == driver_filter)
			continue;
		sql_add(q, " AND ");
		sql_add(q, c->f[i].probe);
		filter_binds(q, &c->f[i]);
	}
	for (size_t i = 0; i < c->p->n; i++)
		if ((int)i != driver_atom)
			probe_atom(q, c->e, &c->p->atoms[i], iexpr);
}

/* 1 when some atom other than skip matches a prefix of the pinyin column (a probe that reads the row). */
static int pinyin_probe(const struct parsed *p, int skip)
{
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; (int)i != skip && k < p->atoms[i].nsrc; k++)
			if (p->atoms[i].src[k].kind == SRC_PINYIN)
				return 1;
	return 0;
}

/*
 * Builds one stream's SQL. driver_atom/driver_filter: the conjunct this
 * stream stands for (not probed again); srcs: the driving sources.
 */
static void build_stream(struct sql *q, const struct plan_ctx *c, enum form form, int driver_atom, int driver_filter,
                         const struct source *const *srcs, size_t nsrcs)
{
	char kexpr[64], iexpr[64];
	const struct entity *e = c->e;

	if (form == FORM_ORDERED_TERM) {
		/* the record's row is read only when a condition needs it */
		int row = c->need_alive || c->nf > 0 || pinyin_probe(c->p, driver_atom);
		snprintf(kexpr, sizeof kexpr, "x.sort_key");
		snprintf(iexpr, sizeof iexpr, "x.%s", e->ref);
		sql_addf(q, "SELECT x.sort_key, x.%s FROM %s x", e->ref, e->terms);
		if (row)
			sql_addf(q, " CROSS JOIN %s t", e->table);
		sql_add(q, " WHERE x.term = ?");
		bind_text(q, srcs[0]->lo);
		if (row)
			sql_addf(q, " AND t.id = x.%s", e->ref);
	} else {
		snprintf(kexpr, sizeof kexpr, "t.%s", key_col(c));
		snprintf(iexpr, sizeof iexpr, "t.id");
		sql_addf(q, "SELECT t.%s, t.id FROM %s t WHERE 1 = 1", key_col(c), e->table);
		if (form == FORM_ORDERED_PINYIN) {
			sql_addf(q, " AND t.%s >= ? AND t.%s < ?", e->pinyin, e->pinyin);
			bind_text(q, srcs[0]->lo);
			bind_text(q, srcs[0]->hi);
		} else if (form == FORM_COLLECT && driver_filter >= 0) {
			sql_add(q, " AND ");
			sql_add(q, c->f[driver_filter].sarg);
			filter_binds(q, &c->f[driver_filter]);
		} else if (form == FORM_COLLECT) {
			sql_add(q, " AND t.id IN (");
			for (size_t i = 0; i < nsrcs; i++) {
				if (i > 0)
					sql_add(q, " UNION ");
				collect_source(q, e, srcs[i]);
			}
			sql_add(q, ")");
		} else if (driver_atom >= 0) { /* a walk that stands for an atom: probe it */
			probe_atom(q, e, &c->p->atoms[driver_atom], "t.id");
		}
	}
	common_conds(q, c, kexpr, iexpr, driver_atom, driver_filter);
	order_by(q, kexpr, iexpr, c->o, c->fetch);
}

static enum gg_err stream(const struct plan_ctx *c, enum form form, int driver_atom, int driver_filter,
                          const struct source *const *srcs, size_t nsrcs, struct hits *h, struct gg_error *err)
{
	struct sql q;
	enum gg_err rc;

	sql_init(&q);
	build_stream(&q, c, form, driver_atom, driver_filter, srcs, nsrcs);
	rc = run_stream(c->db, &q, c->o, h, err);
	gg_buf_release(&q.text);
	return rc;
}

static enum gg_err count_source(struct gg_db *db, const struct entity *e, int64_t cap, struct source *s,
                                struct gg_error *err)
{
	struct sql q;
	enum gg_err rc;

	sql_init(&q);
	sql_add(&q, "SELECT COUNT(*) FROM (");
	if (s->kind == SRC_PINYIN) {
		sql_addf(&q, "SELECT 1 FROM %s WHERE %s >= ? AND %s < ?", e->table, e->pinyin, e->pinyin);
		bind_text(&q, s->lo);
		bind_text(&q, s->hi);
	} else if (s->kind == SRC_TERM) {
		sql_addf(&q, "SELECT 1 FROM %s WHERE term = ?", e->terms);
		bind_text(&q, s->lo);
	} else {
		sql_addf(&q, "SELECT 1 FROM %s WHERE term >= ? AND term < ?", e->terms);
		bind_text(&q, s->lo);
		bind_text(&q, s->hi);
	}
	sql_add(&q, " LIMIT ?) c");
	rc = capped_count(db, &q, cap, &s->count, err);
	gg_buf_release(&q.text);
	return rc;
}

static enum gg_err count_filter(struct gg_db *db, int64_t cap, struct filter *f, struct gg_error *err)
{
	struct sql q;
	enum gg_err rc;

	f->est = cap;
	if (!f->count)
		return GG_OK;
	sql_init(&q);
	sql_add(&q, f->count);
	filter_binds(&q, f);
	rc = capped_count(db, &q, cap, &f->est, err);
	gg_buf_release(&q.text);
	return rc;
}

static int ordered_source(const struct plan_ctx *c, const struct source *s)
{
	if (c->sort > GG_SEARCH_PINYIN_DESC)
		return 0;
	return s->kind == SRC_TERM || s->kind == SRC_PINYIN;
}

/* The capped count of the sources of a that cannot be read in order. */
static int64_t unordered_count(const struct plan_ctx *c, const struct atom *a)
{
	int64_t n = 0;

	for (size_t i = 0; i < a->nsrc; i++)
		if (!ordered_source(c, &a->src[i]))
			n += a->src[i].count;
	return n;
}

static enum gg_err run_plan(struct plan_ctx *c, struct parsed *p, struct filter *f, struct hits *h,
                            struct gg_error *err)
{
	int best_atom = -1, best_filter = -1;
	int64_t best = INT64_MAX;
	enum gg_err rc = GG_OK;

	/*
	 * A record merged into another has no terms, so an atom of terms alone
	 * (any Han atom) implies the record is alive; only a pinyin-column
	 * source or no text at all needs the test, which reads the row.
	 */
	c->need_alive = c->e->alive != NULL;
	for (size_t i = 0; i < p->n; i++) {
		int terms_only = 1;
		for (size_t k = 0; k < p->atoms[i].nsrc; k++)
			if (p->atoms[i].src[k].kind == SRC_PINYIN)
				terms_only = 0;
		if (terms_only)
			c->need_alive = 0;
	}
	/* counts beyond the best so far cannot make a better driver: count up to it */
	for (size_t i = 0; rc == GG_OK && i < p->n; i++) {
		struct atom *a = &p->atoms[i];
		int64_t cap = best < c->cap ? best : c->cap;
		a->count = 0;
		for (size_t k = 0; rc == GG_OK && k < a->nsrc; k++) {
			rc = count_source(c->db, c->e, cap, &a->src[k], err);
			a->count += a->src[k].count;
		}
		if (rc == GG_OK && a->count < best) {
			best = a->count;
			best_atom = (int)i;
		}
	}
	for (size_t i = 0; rc == GG_OK && i < c->nf; i++) {
		rc = count_filter(c->db, best < c->cap ? best : c->cap, &f[i], err);
		if (rc == GG_OK && f[i].count && f[i].est < best) {
			best = f[i].est;
			best_filter = (int)i;
			best_atom = -1;
		}
	}
	if (rc != GG_OK)
		return rc;
	if (best >= c->cap) {
		/*
		 * Everything common: an atom whose unordered sources are rare
		 * (its ordered ones read in order, the rest collected), else a
		 * walk in the sort order.
		 */
		int64_t least = c->cap;
		best_atom = best_filter = -1;
		for (size_t i = 0; i < p->n; i++) {
			int64_t unordered = unordered_count(c, &p->atoms[i]);
			if (unordered < least) {
				least = unordered;
				best_atom = (int)i;
			}
		}
		if (best_atom < 0)
			return stream(c, FORM_WALK, -1, -1, NULL, 0, h, err);
	}
	if (best_filter >= 0)
		return stream(c, FORM_COLLECT, -1, best_filter, NULL, 0, h, err);
	if (best_atom < 0)
		return stream(c, FORM_WALK, -1, -1, NULL, 0, h, err);
	{
		const struct atom *a = &p->atoms[best_atom];
		const struct source *rest[SOURCES_MAX];
		size_t nrest = 0;
		int64_t rest_count = 0;

		for (size_t k = 0; k < a->nsrc; k++) {
			if (!ordered_source(c, &a->src[k])) {
				rest[nrest++] = &a->src[k];
				rest_count += a->src[k].count;
			}
		}
		if (rest_count >= c->cap)
			return stream(c, FORM_WALK, best_atom, -1, NULL, 0, h, err);
		for (size_t k = 0; rc == GG_OK && k < a->nsrc; k++) {
			const struct source *s = &a->src[k];
			if (!ordered_source(c, s) || s->count == 0)
				continue;
			rc = stream(c, s->kind == SRC_TERM ? FORM_ORDERED_TERM : FORM_ORDERED_PINYIN, best_atom, -1, &s,
			            1, h, err);
		}
		if (rc == GG_OK && rest_count > 0)
			rc = stream(c, FORM_COLLECT, best_atom, -1, rest, nrest, h, err);
	}
	return rc;
}

/* The break-even count between collecting and walking: sqrt(fetch * rows), bounded. */
static enum gg_err plan_cap(struct gg_db *db, const struct entity *e, int fetch, int64_t *cap, struct gg_error *err)
{
	char sql[64];
	int64_t rows = 0, r = 1;
	int found;
	enum gg_err rc;

	snprintf(sql, sizeof sql, "SELECT MAX(id) FROM %s", e->table);
	rc = gg_db_query_i64(db, sql, NULL, 0, &rows, &found, err);
	if (rc != GG_OK)
		return rc;
	rows *= fetch;
	for (int64_t lo = 1, hi = PLAN_CAP_MAX; lo <= hi;) { /* the largest r with r * r <= rows */
		int64_t mid = lo + (hi - lo) / 2;
		if (mid * mid <= rows) {
			r = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	*cap = r < PLAN_CAP_MIN ? PLAN_CAP_MIN : r;
	return GG_OK;
}

static enum gg_err search(struct gg_db *db, const struct entity *e, const struct gg_search_query *q, struct filter *f,
                          size_t nf, struct gg_search_page *page, struct gg_error *err)
{
	struct parsed *p = NULL;
	struct order o;
	struct hits h = {0};
	struct plan_ctx c;
	enum gg_err rc;
	size_t out = 0;

	page->n = 0;
	if ((unsigned)q->sort > GG_SEARCH_UPDATED_DESC) {
		page->next_cursor[0] = '\0';
		return gg_error_field(err, GG_E_INVALID, "sort", "unknown sort");
	}
	memset(&o, 0, sizeof o);
	o.text = q->sort <= GG_SEARCH_PINYIN_DESC;
	o.desc = q->sort == GG_SEARCH_PINYIN_DESC || q->sort == GG_SEARCH_UPDATED_DESC;
	/* before next_cursor is cleared: q->cursor may be that very buffer */
	rc = decode_cursor(db, e, q->cursor, q->sort, &o, err);
	page->next_cursor[0] = '\0';
	if (rc != GG_OK)
		return finish(rc, err);
	if (q->limit < 1 || q->limit > GG_SEARCH_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be 1 to %d", GG_SEARCH_LIMIT_MAX);
	if (q->scope_none)
		return GG_OK;
	p = calloc(1, sizeof *p);
	h.cap = (size_t)STREAMS_MAX * (GG_SEARCH_LIMIT_MAX + 1);
	h.v = calloc(h.cap, sizeof *h.v);
	if (!p || !h.v) {
		rc = GG_E_NOMEM;
		goto out;
	}
	rc = parse_query(e, q->q, p, err);
	if (rc != GG_OK)
		goto out;
	c.db = db;
	c.e = e;
	c.p = p;
	c.f = f;
	c.nf = nf;
	c.o = &o;
	c.sort = q->sort;
	c.fetch = q->limit + 1;
	rc = plan_cap(db, e, c.fetch, &c.cap, err);
	if (rc == GG_OK)
		rc = run_plan(&c, p, f, &h, err);
	if (rc != GG_OK)
		goto out;
	qsort(h.v, h.n, sizeof *h.v, o.desc ? hit_cmp_desc : hit_cmp_asc);
	for (size_t i = 0, last = 0; i < h.n; i++) {
		if (out > 0 && h.v[i].id == page->ids[out - 1])
			continue;
		if (out == (size_t)q->limit) {
			encode_cursor(page->next_cursor, sizeof page->next_cursor, q->sort, &h.v[last], o.text);
			break;
		}
		page->ids[out++] = h.v[i].id;
		last = i;
	}
	page->n = out;
out:
	free(p);
	free(h.v);
	return finish(rc, err);
}

static void text_filter(struct filter *f, size_t *n, const char *value, const char *sarg, const char *probe,
                        const char *count)
{
	if (!value || !*value)
		return;
	f[*n].sarg = sarg;
	f[*n].probe = probe;
	f[*n].count = count;
	f[*n].nvals = 1;
	f[*n].is_text = 1;
	f[*n].s = value;
	(*n)++;
}

static void int_filter(struct filter *f, size_t *n, int64_t a, int64_t b, int64_t cc, int nvals, const char *sarg,
                       const char *probe, const char *count)
{
	f[*n].sarg = sarg;
	f[*n].probe = probe;
	f[*n].count = count;
	f[*n].nvals = nvals;
	f[*n].is_text = 0;
	f[*n].v[0] = a;
	f[*n].v[1] = b;
	f[*n].v[2] = cc;
	(*n)++;
}

/* What a scoped caller sees of the talents: its organisation's, itself, its assigned ones (any of them). */
static const char scope_sql[] = "(t.org_id = ? OR t.id = ? OR t.commissioner_id = ?)";

const char *gg_search_talent_scope(const struct gg_search_query *q, int64_t args[3])
{
	if (q->org_scope <= 0 && q->talent_scope <= 0 && q->commissioner_scope <= 0)
		return NULL;
	args[0] = q->org_scope > 0 ? q->org_scope : 0;
	args[1] = q->talent_scope > 0 ? q->talent_scope : 0;
	args[2] = q->commissioner_scope > 0 ? q->commissioner_scope : 0;
	return scope_sql;
}

enum gg_err gg_search_talents(struct gg_db *db, const struct gg_search_query *q, struct gg_search_page *page,
                              struct gg_error *err)
{
	struct filter f[FILTERS_MAX];
	size_t nf = 0;

	memset(f, 0, sizeof f);
	text_filter(f, &nf, q->tier, "t.tier = ?", "t.tier || '' = ?",
	            "SELECT COUNT(*) FROM (SELECT 1 FROM talents WHERE tier = ? LIMIT ?) c");
	text_filter(f, &nf, q->status, "t.status = ?", "t.status || '' = ?",
	            "SELECT COUNT(*) FROM (SELECT 1 FROM talents WHERE status = ? LIMIT ?) c");
	text_filter(f, &nf, q->city, "t.city = ?", "t.city || '' = ?",
	            "SELECT COUNT(*) FROM (SELECT 1 FROM talents WHERE city = ? LIMIT ?) c");
	text_filter(f, &nf, q->segment, "t.id IN (SELECT s.talent_id FROM talent_segments s WHERE s.segment = ?)",
	            "EXISTS (SELECT 1 FROM talent_segments s WHERE s.talent_id = t.id AND s.segment = ?)",
	            "SELECT COUNT(*) FROM (SELECT 1 FROM talent_segments WHERE segment = ? LIMIT ?) c");
	text_filter(f, &nf, q->honour, "t.id IN (SELECT h.talent_id FROM talent_honours h WHERE h.kind = ?)",
	            "EXISTS (SELECT 1 FROM talent_honours h WHERE h.talent_id = t.id AND h.kind = ?)",
	            "SELECT COUNT(*) FROM (SELECT 1 FROM talent_honours WHERE kind = ? LIMIT ?) c");
	if (q->org_id > 0)
		int_filter(f, &nf, q->org_id, 0, 0, 1, "t.org_id = ?", "t.org_id + 0 = ?",
		           "SELECT COUNT(*) FROM (SELECT 1 FROM talents WHERE org_id = ? LIMIT ?) c");
	if (q->org_scope > 0 || q->talent_scope > 0 || q->commissioner_scope > 0)
		int_filter(
		    f, &nf, q->org_scope, q->talent_scope, q->commissioner_scope, 3, scope_sql,
		    "(t.org_id + 0 = ? OR t.id + 0 = ? OR t.commissioner_id + 0 = ?)",
		    "SELECT COUNT(*) FROM (SELECT 1 FROM talents WHERE org_id = ? OR id = ? OR commissioner_id = ?"
		    " LIMIT ?) c");
	return search(db, &talents_entity, q, f, nf, page, err);
}

enum gg_err gg_search_orgs(struct gg_db *db, const struct gg_search_query *q, struct gg_search_page *page,
                           struct gg_error *err)
{
	struct filter f[FILTERS_MAX];
	size_t nf = 0;

	memset(f, 0, sizeof f);
	text_filter(f, &nf, q->kind, "t.kind = ?", "t.kind || '' = ?",
	            "SELECT COUNT(*) FROM (SELECT 1 FROM orgs WHERE kind = ? LIMIT ?) c");
	text_filter(f, &nf, q->segment, "t.id IN (SELECT s.org_id FROM org_segments s WHERE s.segment = ?)",
	            "EXISTS (SELECT 1 FROM org_segments s WHERE s.org_id = t.id AND s.segment = ?)",
	            "SELECT COUNT(*) FROM (SELECT 1 FROM org_segments WHERE segment = ? LIMIT ?) c");
	text_filter(f, &nf, q->park, "t.park = ?", "t.park || '' = ?", NULL);
	if (q->verified == 0 || q->verified == 1)
		int_filter(f, &nf, q->verified, 0, 0, 1, "t.verified = ?", "t.verified + 0 = ?", NULL);
	if (q->org_scope > 0)
		int_filter(f, &nf, q->org_scope, 0, 0, 1, "t.id = ?", "t.id + 0 = ?",
		           "SELECT COUNT(*) FROM (SELECT 1 FROM orgs WHERE id = ? LIMIT ?) c");
	return search(db, &orgs_entity, q, f, nf, page, err);
}
