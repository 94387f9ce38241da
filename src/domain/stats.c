/*
 * stats: the registry counts. Two plans, chosen by the caller's scope.
 * Unscoped (the bureau, leaders): tier and status in one read of the
 * partial index talents_live_class, each month a range of
 * talents_live_created, each chain the distinct talents of its segments in
 * talent_segments' segment index less the few merged records (read through
 * talents_merged). Scoped (an employer, a commissioner, a talent): the
 * talents list's scope condition picks the caller's records through the
 * org, commissioner and primary-key indexes, and everything is counted
 * from those rows; "+ 0" keeps the planner from trading that plan for a
 * scan of a whole-registry index. Every query is portable SQL; CROSS JOIN
 * fixes the join order where the talents must lead.
 */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "vocabulary.h"

#define SQL_MAX 1024

/* Makes sure a failing function leaves a code in err even when a lower layer returned one without a message. */
static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

/* The query of one count: SQL text and up to 8 integer arguments. */
struct query {
	struct gg_buf sql;
	int64_t args[8];
	int nargs;
};

/* Starts q with the text of head, then " AND <scope>" when the caller is scoped. */
static enum gg_err query_start(struct query *q, const char *head, const char *scope_sql, const int64_t *scope_args,
                               struct gg_error *err)
{
	gg_buf_reset(&q->sql);
	q->nargs = 0;
	if (gg_buf_adds(&q->sql, head) != GG_OK)
		return gg_error_set(err, GG_E_INTERNAL, "statistics query too long");
	if (scope_sql) {
		if (gg_buf_adds(&q->sql, " AND ") != GG_OK || gg_buf_adds(&q->sql, scope_sql) != GG_OK)
			return gg_error_set(err, GG_E_INTERNAL, "statistics query too long");
		for (int i = 0; i < 3; i++)
			q->args[q->nargs++] = scope_args[i];
	}
	return GG_OK;
}

/* Appends tail and its arguments (nargs of args) to q. */
static enum gg_err query_end(struct query *q, const char *tail, const int64_t *args, int nargs, struct gg_error *err)
{
	if ((tail && gg_buf_adds(&q->sql, tail) != GG_OK) ||
	    q->nargs + nargs > (int)(sizeof(q->args) / sizeof(q->args[0])))
		return gg_error_set(err, GG_E_INTERNAL, "statistics query too long");
	for (int i = 0; i < nargs; i++)
		q->args[q->nargs++] = args[i];
	return GG_OK;
}

/* Runs q, calling row(st, ctx) for each row. */
static enum gg_err each_row(struct gg_db *db, const struct query *q, void (*row_fn)(struct gg_stmt *, void *),
                            void *ctx, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db, q->sql.buf, &st, err);
	for (int i = 0; rc == GG_OK && i < q->nargs; i++)
		rc = gg_db_bind_i64(st, i + 1, q->args[i]);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row)
		row_fn(st, ctx);
	gg_db_done(st);
	return finish(rc, err);
}

/* The index of key among the n counts of v, or n. */
static size_t find(const struct gg_stats_count *v, size_t n, const char *key)
{
	size_t i = 0;

	while (i < n && strcmp(v[i].key, key) != 0)
		i++;
	return i;
}

/* Adds count to the entry of key, when there is one. */
static void add(struct gg_stats_count *v, size_t n, const char *key, int64_t count)
{
	size_t i = find(v, n, key ? key : "");

	if (i < n)
		v[i].count += count;
}

/* Rows (tier, status, count). */
static void class_row(struct gg_stmt *st, void *ctx)
{
	struct gg_registry_stats *s = ctx;
	int64_t c = gg_db_col_i64(st, 2);

	s->talents += c;
	add(s->by_tier, s->ntiers, gg_db_col_text(st, 0), c);
	add(s->by_status, s->nstatuses, gg_db_col_text(st, 1), c);
}

/* Rows (chain, count), added (ctx: the stats) or taken away (the merged correction). */
static void chain_row(struct gg_stmt *st, void *ctx)
{
	struct gg_registry_stats *s = ctx;

	add(s->by_chain, s->nchains, gg_db_col_text(st, 0), gg_db_col_i64(st, 1));
}

static void chain_row_minus(struct gg_stmt *st, void *ctx)
{
	struct gg_registry_stats *s = ctx;

	add(s->by_chain, s->nchains, gg_db_col_text(st, 0), -gg_db_col_i64(st, 1));
}

static void org_row(struct gg_stmt *st, void *ctx)
{
	struct gg_registry_stats *s = ctx;
	int64_t c = gg_db_col_i64(st, 1);

	s->orgs += c;
	add(s->by_kind, s->nkinds, gg_db_col_text(st, 0), c);
}

/* A scoped caller's rows (created_at): counted into the month they fall in. */
struct months {
	struct gg_registry_stats *s;
	const int64_t *starts; /* GG_STATS_MONTHS + 1 instants */
};

static void month_row(struct gg_stmt *st, void *ctx)
{
	struct months *m = ctx;
	int64_t t = gg_db_col_i64(st, 0);

	for (int i = 0; i < GG_STATS_MONTHS; i++)
		if (t >= m->starts[i] && t < m->starts[i + 1])
			m->s->by_month[i].count++;
}

/* A single integer of the first row. */
static void one_row(struct gg_stmt *st, void *ctx)
{
	*(int64_t *)ctx = gg_db_col_i64(st, 0);
}

/* Fills the keys: tiers, statuses, chains, kinds, months. */
static enum gg_err prepare(const struct gg_vocabulary *v, int64_t now, int64_t starts[GG_STATS_MONTHS + 1],
                           struct gg_registry_stats *s, struct gg_error *err)
{
	const struct gg_vocab_item *items;
	size_t n = 0;
	int y, m;

	s->by_tier = calloc(v->ntiers + 1, sizeof(*s->by_tier));
	s->by_chain = calloc(v->nchains ? v->nchains : 1, sizeof(*s->by_chain));
	if (!s->by_tier || !s->by_chain)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	for (size_t i = 0; i < v->ntiers; i++)
		gg_strlcpy(s->by_tier[i].key, v->tiers[i].token, GG_STATS_KEY_MAX);
	s->ntiers = v->ntiers + 1; /* the last, "", counts the talents not recognised */
	for (size_t i = 0; i < v->nchains; i++)
		gg_strlcpy(s->by_chain[i].key, v->chains[i].token, GG_STATS_KEY_MAX);
	s->nchains = v->nchains;
	items = gg_vocab_items(GG_VOCAB_STATUS, &n);
	for (size_t i = 0; i < n && i < GG_STATS_KINDS; i++)
		gg_strlcpy(s->by_status[s->nstatuses++].key, items[i].token, GG_STATS_KEY_MAX);
	items = gg_vocab_items(GG_VOCAB_ORG_KIND, &n);
	for (size_t i = 0; i < n && i < GG_STATS_KINDS; i++)
		gg_strlcpy(s->by_kind[s->nkinds++].key, items[i].token, GG_STATS_KEY_MAX);
	gg_clock_local_month(now, &y, &m);
	for (int i = 0; i <= GG_STATS_MONTHS; i++) {
		int mm = m - (GG_STATS_MONTHS - 1) + i, yy = y;
		while (mm < 1) {
			mm += 12;
			yy--;
		}
		while (mm > 12) {
			mm -= 12;
			yy++;
		}
		starts[i] = gg_clock_month_start(yy, mm);
		if (i < GG_STATS_MONTHS)
			snprintf(s->by_month[i].key, GG_STATS_KEY_MAX, "%04d-%02d", yy % 10000, mm);
	}
	return GG_OK;
}

/* The statuses no talent has are left out of the answer. */
static void drop_absent_statuses(struct gg_registry_stats *s)
{
	size_t k = 0;

	for (size_t i = 0; i < s->nstatuses; i++)
		if (s->by_status[i].count > 0)
			s->by_status[k++] = s->by_status[i];
	s->nstatuses = k;
}

/* The talents, merged ones included, with a segment of chain: each once. */
static enum gg_err chain_all(struct gg_db *db, const char *chain, int64_t *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc =
	    gg_db_prepare(db,
	                  "SELECT COUNT(*) FROM (SELECT DISTINCT ts.talent_id FROM talent_segments ts WHERE ts.segment "
	                  "IN (SELECT sg.token FROM segments sg WHERE sg.chain = ?)) d",
	                  &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, chain)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*out = gg_db_col_i64(st, 0);
	gg_db_done(st);
	return finish(rc, err);
}

static enum gg_err count_talents(struct gg_db *db, const struct gg_search_query *tq,
                                 const int64_t starts[GG_STATS_MONTHS + 1], struct gg_registry_stats *s,
                                 struct gg_error *err)
{
	int64_t scope_args[3] = {0, 0, 0};
	const char *scope = gg_search_talent_scope(tq, scope_args);
	struct query q;
	enum gg_err rc;

	gg_buf_init(&q.sql, SQL_MAX);
	rc = query_start(&q, "SELECT t.tier, t.status, COUNT(*) FROM talents t WHERE t.merged_into IS NULL", scope,
	                 scope_args, err);
	if (rc == GG_OK && (rc = query_end(&q, " GROUP BY t.tier, t.status", NULL, 0, err)) == GG_OK)
		rc = each_row(db, &q, class_row, s, err);
	if (rc != GG_OK)
		goto out;

	if (scope) {
		struct months m = {s, starts};
		rc = query_start(&q, "SELECT t.created_at FROM talents t WHERE t.merged_into IS NULL", scope,
		                 scope_args, err);
		const int64_t range[2] = {starts[0], starts[GG_STATS_MONTHS]};
		if (rc == GG_OK &&
		    (rc = query_end(&q, " AND t.created_at + 0 >= ? AND t.created_at + 0 < ?", range, 2, err)) == GG_OK)
			rc = each_row(db, &q, month_row, &m, err);
		if (rc == GG_OK)
			rc = query_start(
			    &q,
			    "SELECT sg.chain, COUNT(DISTINCT t.id) FROM talents t CROSS JOIN talent_segments ts "
			    "CROSS JOIN segments sg WHERE t.merged_into IS NULL AND ts.talent_id = t.id AND "
			    "sg.token = ts.segment",
			    scope, scope_args, err);
		if (rc == GG_OK && (rc = query_end(&q, " GROUP BY sg.chain", NULL, 0, err)) == GG_OK)
			rc = each_row(db, &q, chain_row, s, err);
		goto out;
	}

	for (int i = 0; rc == GG_OK && i < GG_STATS_MONTHS; i++) {
		rc = query_start(&q,
		                 "SELECT COUNT(*) FROM talents t WHERE t.merged_into IS NULL AND t.created_at >= ? AND "
		                 "t.created_at < ?",
		                 NULL, NULL, err);
		if (rc == GG_OK && (rc = query_end(&q, NULL, &starts[i], 2, err)) == GG_OK)
			rc = each_row(db, &q, one_row, &s->by_month[i].count, err);
	}
	/* every record's segments, then those of the records merged into another taken away */
	for (size_t i = 0; rc == GG_OK && i < s->nchains; i++)
		rc = chain_all(db, s->by_chain[i].key, &s->by_chain[i].count, err);
	if (rc == GG_OK)
		rc = query_start(&q,
		                 "SELECT sg.chain, COUNT(DISTINCT t.id) FROM talents t CROSS JOIN talent_segments ts "
		                 "CROSS JOIN segments sg WHERE t.merged_into IS NOT NULL AND ts.talent_id = t.id AND "
		                 "sg.token = ts.segment GROUP BY sg.chain",
		                 NULL, NULL, err);
	if (rc == GG_OK)
		rc = each_row(db, &q, chain_row_minus, s, err);
out:
	gg_buf_release(&q.sql);
	return finish(rc, err);
}

static enum gg_err count_orgs(struct gg_db *db, int64_t org_scope, struct gg_registry_stats *s, struct gg_error *err)
{
	struct query q;
	enum gg_err rc = GG_OK;

	s->with_orgs = 1;
	if (org_scope < 0)
		return GG_OK;
	gg_buf_init(&q.sql, SQL_MAX);
	rc = query_start(&q,
	                 org_scope > 0 ? "SELECT kind, COUNT(*) FROM orgs WHERE id = ? GROUP BY kind"
	                               : "SELECT kind, COUNT(*) FROM orgs GROUP BY kind",
	                 NULL, NULL, err);
	if (rc == GG_OK && (rc = query_end(&q, NULL, &org_scope, org_scope > 0, err)) == GG_OK)
		rc = each_row(db, &q, org_row, s, err);
	gg_buf_release(&q.sql);
	return rc;
}

enum gg_err gg_stats_registry(struct gg_db *db, const struct gg_stats_scope *scope, int64_t now,
                              struct gg_registry_stats *out, struct gg_error *err)
{
	struct gg_vocabulary *v = NULL;
	int64_t starts[GG_STATS_MONTHS + 1];
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	out->as_of = now;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	if ((rc = gg_vocab_load(db, &v, err)) != GG_OK)
		goto out;
	if ((rc = prepare(v, now, starts, out, err)) != GG_OK)
		goto out;
	if (!scope->talents->scope_none && (rc = count_talents(db, scope->talents, starts, out, err)) != GG_OK)
		goto out;
	drop_absent_statuses(out);
	if (scope->orgs)
		rc = count_orgs(db, scope->org_scope, out, err);
out:
	gg_db_rollback(db);
	gg_vocab_free(v);
	if (rc != GG_OK)
		gg_stats_registry_release(out);
	return finish(rc, err);
}

void gg_stats_registry_release(struct gg_registry_stats *s)
{
	free(s->by_tier);
	free(s->by_chain);
	s->by_tier = s->by_chain = NULL;
	s->ntiers = s->nchains = 0;
}
