/*
 * report: the special fund's reports (report.h, docs/reports.md). Each
 * report is one read transaction of plain queries over the ledger, the
 * plans and the payments; tables turn them into CSV or XLSX.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/csv.h"
#include "../core/money.h"
#include "../core/xlsx.h"
#include "../domain/pack.h"

/* ---- helpers ---- */

static void cpy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* Makes room for one more element of size in *p (capacity *cap, n used), up to max elements. */
static enum gg_err grow(void **p, size_t *cap, size_t n, size_t size, size_t max, const char *what,
                        struct gg_error *err)
{
	void *q;
	size_t ncap;

	if (n < *cap)
		return GG_OK;
	if (n >= max)
		return gg_error_set(err, GG_E_RULE, "more than %zu %s: the report is too large", max, what);
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > max)
		ncap = max;
	if ((q = realloc(*p, ncap * size)) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	*p = q;
	*cap = ncap;
	return GG_OK;
}

static enum gg_err read_begin(struct gg_db *db, struct gg_error *err)
{
	return gg_db_begin(db, GG_DB_READ, err);
}

/* Ends the read transaction begun by read_begin and passes rc on. */
static enum gg_err read_end(struct gg_db *db, enum gg_err rc, struct gg_error *err)
{
	if (rc == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

/* ---- forecast ---- */

enum gg_err gg_report_forecast(struct gg_db *db, int from, int years, struct gg_report_forecast *out,
                               struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char lo[11], hi[11];
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	if (years == 0)
		years = GG_REPORT_FORECAST_YEARS;
	if (years < 1 || years > GG_REPORT_FORECAST_YEARS_MAX)
		return gg_error_field(err, GG_E_INVALID, "years", "years must be 1 to %d",
		                      GG_REPORT_FORECAST_YEARS_MAX);
	if (from == 0) {
		int64_t today = 0, y = 0;
		int m = 0, d = 0;

		if ((rc = gg_clock_today(&today, err)) != GG_OK)
			return rc;
		gg_clock_civil_from_days(today, &y, &m, &d);
		from = (int)y;
	}
	if (from < 2000 || from > 9999 - GG_REPORT_FORECAST_YEARS_MAX)
		return gg_error_field(err, GG_E_INVALID, "from", "from must be a year 2000 to %d",
		                      9999 - GG_REPORT_FORECAST_YEARS_MAX);
	out->from = from;
	out->years = years;
	for (int i = 0; i < years; i++)
		out->rows[i].year = from + i;
	snprintf(lo, sizeof(lo), "%04d-01-01", from);
	snprintf(hi, sizeof(hi), "%04d-01-01", from + years);

	if ((rc = read_begin(db, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(
	    db,
	    "SELECT CAST(substr(i.due_on, 1, 4) AS INTEGER),"
	    " SUM(i.status = 'planned' AND p.status IN ('active', 'cancelled')),"
	    " SUM((SELECT COALESCE(SUM(l.debit_fen - l.credit_fen), 0) FROM journal_lines l"
	    "  WHERE l.installment_id = i.id AND l.account = 'fund_committed')),"
	    " SUM(CASE WHEN i.status = 'planned' AND p.status IN ('active', 'cancelled') AND NOT EXISTS (SELECT 1 FROM "
	    "journal_lines l"
	    "  WHERE l.installment_id = i.id AND l.account = 'fund_committed') THEN i.amount_fen ELSE 0 END)"
	    " FROM installments i JOIN subsidy_plans p ON p.id = i.plan_id"
	    " WHERE i.due_on >= ? AND i.due_on < ? GROUP BY 1 ORDER BY 1",
	    &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, lo)) == GG_OK)
		rc = gg_db_bind_text(st, 2, hi);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		int64_t y = gg_db_col_i64(st, 0);
		struct gg_report_forecast_year *r;

		if (y < from || y >= from + years)
			continue;
		r = &out->rows[y - from];
		r->installments = gg_db_col_i64(st, 1);
		r->committed_fen = gg_db_col_i64(st, 2);
		r->uncommitted_fen = gg_db_col_i64(st, 3);
		r->total_fen = r->committed_fen + r->uncommitted_fen;
	}
	gg_db_done(st);
	rc = read_end(db, rc, err);
	for (int i = 0; rc == GG_OK && i < years; i++) {
		out->total.installments += out->rows[i].installments;
		out->total.committed_fen += out->rows[i].committed_fen;
		out->total.uncommitted_fen += out->rows[i].uncommitted_fen;
		out->total.total_fen += out->rows[i].total_fen;
	}
	return rc;
}

/* ---- position by year ---- */

static int account_index(const struct gg_report_position *p, const char *code)
{
	for (size_t i = 0; code && i < p->naccounts; i++)
		if (strcmp(p->codes[i], code) == 0)
			return (int)i;
	return -1;
}

/* The row of year y (rows are appended in ascending order by the queries below). */
static enum gg_err position_row(struct gg_report_position *p, size_t *cap, int y, struct gg_report_position_year **r,
                                struct gg_error *err)
{
	enum gg_err rc;

	for (size_t i = p->n; i > 0; i--)
		if (p->rows[i - 1].year == y) {
			*r = &p->rows[i - 1];
			return GG_OK;
		}
	if ((rc = grow((void **)&p->rows, cap, p->n, sizeof(*p->rows), GG_REPORT_POSITION_YEARS_MAX, "years", err)) !=
	    GG_OK)
		return rc;
	*r = &p->rows[p->n++];
	memset(*r, 0, sizeof(**r));
	(*r)->year = y;
	return GG_OK;
}

enum gg_err gg_report_position_years(struct gg_db *db, struct gg_report_position *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t running[GG_LEDGER_ACCOUNTS] = {0};
	size_t cap = 0;
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	if ((rc = read_begin(db, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, "SELECT code FROM ledger_accounts ORDER BY seq", &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (out->naccounts == GG_LEDGER_ACCOUNTS) {
			rc =
			    gg_error_set(err, GG_E_INTERNAL, "the chart has more than %d accounts", GG_LEDGER_ACCOUNTS);
			break;
		}
		cpy(out->codes[out->naccounts++], sizeof(out->codes[0]), gg_db_col_text(st, 0));
	}
	gg_db_done(st);
	st = NULL;
	/* the year's movements by kind */
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "SELECT CAST(substr(posted_on, 1, 4) AS INTEGER), kind, SUM(total_fen)"
		                   " FROM journal_entries GROUP BY 1, 2 ORDER BY 1, 2",
		                   &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_position_year *r = NULL;
		const char *kind = gg_db_col_text(st, 1);
		int64_t fen = gg_db_col_i64(st, 2);

		if ((rc = position_row(out, &cap, (int)gg_db_col_i64(st, 0), &r, err)) != GG_OK)
			break;
		kind = kind ? kind : "";
		if (strcmp(kind, "appropriation") == 0)
			r->appropriated_fen += fen;
		else if (strcmp(kind, "commitment") == 0)
			r->committed_fen += fen;
		else if (strcmp(kind, "release") == 0)
			r->released_fen += fen;
		else if (strcmp(kind, "approval") == 0)
			r->approved_fen += fen;
		else if (strcmp(kind, "payment") == 0)
			r->paid_fen += fen;
		else if (strcmp(kind, "payment_failed") == 0)
			r->failed_fen += fen;
		else if (strcmp(kind, "payment_returned") == 0)
			r->returned_fen += fen;
		else if (strcmp(kind, "clawback") == 0)
			r->clawed_back_fen += fen;
		r->committed_net_fen = r->committed_fen - r->released_fen;
	}
	gg_db_done(st);
	st = NULL;
	/* the year's lines by account */
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "SELECT CAST(substr(e.posted_on, 1, 4) AS INTEGER), l.account, SUM(l.debit_fen),"
		                   " SUM(l.credit_fen) FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id"
		                   " GROUP BY 1, 2 ORDER BY 1, 2",
		                   &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_position_year *r = NULL;
		int a = account_index(out, gg_db_col_text(st, 1));

		if ((rc = position_row(out, &cap, (int)gg_db_col_i64(st, 0), &r, err)) != GG_OK)
			break;
		r->debit_fen += gg_db_col_i64(st, 2);
		r->credit_fen += gg_db_col_i64(st, 3);
		if (a >= 0)
			r->end_fen[a] +=
			    gg_db_col_i64(st, 2) - gg_db_col_i64(st, 3); /* the year's change, summed below */
	}
	gg_db_done(st);
	rc = read_end(db, rc, err);
	for (size_t i = 0; rc == GG_OK && i < out->n; i++)
		for (size_t a = 0; a < out->naccounts; a++) {
			running[a] += out->rows[i].end_fen[a];
			out->rows[i].end_fen[a] = running[a];
		}
	if (rc != GG_OK)
		gg_report_position_free(out);
	return rc;
}

void gg_report_position_free(struct gg_report_position *p)
{
	if (p == NULL)
		return;
	free(p->rows);
	p->rows = NULL;
	p->n = 0;
}

/* ---- position by chain ---- */

static struct gg_report_chain *chain_row(struct gg_report_chains *c, const char *token)
{
	for (size_t i = 0; token && i < c->n; i++)
		if (strcmp(c->rows[i].chain, token) == 0)
			return &c->rows[i];
	return NULL;
}

enum gg_err gg_report_position_chains(struct gg_db *db, struct gg_report_chains *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	cpy(out->total.chain, sizeof(out->total.chain), "total");
	if ((rc = read_begin(db, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, "SELECT token, zh, en FROM chains ORDER BY rowid", &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_chain *c;

		if (out->n == GG_REPORT_CHAINS_MAX - 1) {
			rc = gg_error_set(err, GG_E_INTERNAL, "more than %d industry chains", GG_REPORT_CHAINS_MAX - 1);
			break;
		}
		c = &out->rows[out->n++];
		cpy(c->chain, sizeof(c->chain), gg_db_col_text(st, 0));
		cpy(c->name_zh, sizeof(c->name_zh), gg_db_col_text(st, 1));
		cpy(c->name_en, sizeof(c->name_en), gg_db_col_text(st, 2));
	}
	gg_db_done(st);
	st = NULL;
	if (rc == GG_OK) {
		struct gg_report_chain *c = &out->rows[out->n++];

		cpy(c->chain, sizeof(c->chain), "none");
		cpy(c->name_zh, sizeof(c->name_zh), "无");
		cpy(c->name_en, sizeof(c->name_en), "None");
		rc = gg_db_prepare(
		    db,
		    "SELECT COALESCE((SELECT MIN(s.chain) FROM org_segments os JOIN segments s ON s.token = os.segment"
		    " WHERE os.org_id = r.org_id), 'none'), l.account, SUM(l.debit_fen - l.credit_fen)"
		    " FROM journal_lines l JOIN subsidy_plans p ON p.id = l.plan_id"
		    " JOIN recognitions r ON r.id = p.recognition_id"
		    " WHERE l.account IN ('fund_committed', 'fund_approved', 'fund_paid') GROUP BY 1, 2",
		    &st, err);
	}
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_chain *c = chain_row(out, gg_db_col_text(st, 0));
		const char *acc = gg_db_col_text(st, 1);
		int64_t fen = gg_db_col_i64(st, 2);

		if (c == NULL || acc == NULL) {
			rc = gg_error_set(err, GG_E_INTERNAL, "a segment names an unknown chain");
			break;
		}
		if (strcmp(acc, "fund_committed") == 0) {
			c->committed_fen += fen;
			out->total.committed_fen += fen;
		} else if (strcmp(acc, "fund_approved") == 0) {
			c->approved_fen += fen;
			out->total.approved_fen += fen;
		} else {
			c->paid_fen += fen;
			out->total.paid_fen += fen;
		}
	}
	gg_db_done(st);
	return read_end(db, rc, err);
}

/* ---- register ---- */

/* "YYYY-MM-DD.ID" (the day may be empty): the position after a row. */
static int parse_cursor(const char *s, char day[11], int64_t *id)
{
	const char *dot = strrchr(s, '.');
	long long v = 0;
	int64_t d = 0;
	size_t n;

	if (dot == NULL || strlen(s) >= GG_REPORT_CURSOR_MAX)
		return -1;
	n = (size_t)(dot - s);
	if (n != 0 && n != 10)
		return -1;
	memcpy(day, s, n);
	day[n] = '\0';
	if (n == 10 && gg_pack_parse_day(day, &d) != 0)
		return -1;
	if (gg_parse_i64(dot + 1, 1, INT64_MAX, &v) != GG_OK)
		return -1;
	*id = (int64_t)v;
	return 0;
}

enum gg_err gg_report_register(struct gg_db *db, const struct gg_report_register_query *q,
                               struct gg_report_register *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char from[11] = "", to[11] = "", after_day[11] = "";
	int64_t after_id = 0;
	size_t cap = 0, want;
	int row = 0, more = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	if (q->limit > GG_REPORT_PAGE_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be 1 to %d", GG_REPORT_PAGE_MAX);
	if (q->cursor && *q->cursor && parse_cursor(q->cursor, after_day, &after_id) != 0)
		return gg_error_field(err, GG_E_INVALID, "cursor", "malformed cursor");
	if (q->from_day >= 0 && q->to_day >= 0 && q->to_day < q->from_day)
		return gg_error_field(err, GG_E_INVALID, "to", "to is before from");
	if (q->from_day >= 0)
		gg_clock_day_text(q->from_day, from);
	if (q->to_day >= 0)
		gg_clock_day_text(q->to_day, to);
	want = q->limit ? q->limit : GG_REPORT_REGISTER_ROWS_MAX;

	if ((rc = read_begin(db, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(
	    db,
	    "SELECT pm.id, pm.reference, pm.talent_id, t.name, COALESCE(r.org_id, 0), o.name, pm.plan_id,"
	    " pm.installment_id, i.year, i.due_on, pm.amount_fen, pm.run_id, pr.period, pm.bank_txn_id,"
	    " COALESCE(pm.settled_on, ''), pm.status"
	    " FROM payments pm JOIN installments i ON i.id = pm.installment_id"
	    " JOIN subsidy_plans p ON p.id = pm.plan_id JOIN recognitions r ON r.id = p.recognition_id"
	    " LEFT JOIN orgs o ON o.id = r.org_id JOIN payment_runs pr ON pr.id = pm.run_id"
	    " JOIN talents t ON t.id = pm.talent_id"
	    " WHERE pm.status IN ('paid', 'returned')"
	    " AND (? = '' OR COALESCE(pm.settled_on, '') >= ?) AND (? = '' OR COALESCE(pm.settled_on, '') <= ?)"
	    " AND (? = 0 OR pm.talent_id = ?) AND (? = 0 OR r.org_id = ?)"
	    " AND (? = 0 OR COALESCE(pm.settled_on, '') > ? OR (COALESCE(pm.settled_on, '') = ? AND pm.id > ?))"
	    " ORDER BY COALESCE(pm.settled_on, ''), pm.id LIMIT ?",
	    &st, err);
	if (rc == GG_OK) {
		int b = 1;

		gg_db_bind_text(st, b++, from);
		gg_db_bind_text(st, b++, from);
		gg_db_bind_text(st, b++, to);
		gg_db_bind_text(st, b++, to);
		gg_db_bind_i64(st, b++, q->talent_id);
		gg_db_bind_i64(st, b++, q->talent_id);
		gg_db_bind_i64(st, b++, q->org_id);
		gg_db_bind_i64(st, b++, q->org_id);
		gg_db_bind_i64(st, b++, after_id);
		gg_db_bind_text(st, b++, after_day);
		gg_db_bind_text(st, b++, after_day);
		gg_db_bind_i64(st, b++, after_id);
		rc = gg_db_bind_i64(st, b, (int64_t)want + 1);
	}
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_payment *p;

		if (out->n == want) {
			more = 1;
			break;
		}
		if ((rc = grow((void **)&out->rows, &cap, out->n, sizeof(*out->rows), want, "payments", err)) != GG_OK)
			break;
		p = &out->rows[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = gg_db_col_i64(st, 0);
		cpy(p->reference, sizeof(p->reference), gg_db_col_text(st, 1));
		p->talent_id = gg_db_col_i64(st, 2);
		cpy(p->talent_name, sizeof(p->talent_name), gg_db_col_text(st, 3));
		p->org_id = gg_db_col_i64(st, 4);
		cpy(p->org_name, sizeof(p->org_name), gg_db_col_text(st, 5));
		p->plan_id = gg_db_col_i64(st, 6);
		p->installment_id = gg_db_col_i64(st, 7);
		p->year = (int)gg_db_col_i64(st, 8);
		cpy(p->due_on, sizeof(p->due_on), gg_db_col_text(st, 9));
		p->amount_fen = gg_db_col_i64(st, 10);
		p->run_id = gg_db_col_i64(st, 11);
		p->period = (int)gg_db_col_i64(st, 12);
		cpy(p->bank_txn_id, sizeof(p->bank_txn_id), gg_db_col_text(st, 13));
		cpy(p->settled_on, sizeof(p->settled_on), gg_db_col_text(st, 14));
		cpy(p->status, sizeof(p->status), gg_db_col_text(st, 15));
		if (strcmp(p->status, "paid") == 0)
			out->paid_fen += p->amount_fen;
		else
			out->returned_fen += p->amount_fen;
	}
	gg_db_done(st);
	rc = read_end(db, rc, err);
	if (rc == GG_OK && more) {
		if (q->limit == 0)
			rc = gg_error_set(err, GG_E_RULE, "more than %d payments: narrow the period",
			                  GG_REPORT_REGISTER_ROWS_MAX);
		else
			snprintf(out->next_cursor, sizeof(out->next_cursor), "%s.%lld",
			         out->rows[out->n - 1].settled_on, (long long)out->rows[out->n - 1].id);
	}
	if (rc != GG_OK)
		gg_report_register_free(out);
	return rc;
}

void gg_report_register_free(struct gg_report_register *r)
{
	if (r == NULL)
		return;
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}

/* ---- statement ---- */

enum gg_err gg_report_talent_of_org(struct gg_db *db, int64_t talent_id, int64_t org_id, int *yes, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*yes = 0;
	rc = gg_db_prepare(db, "SELECT 1 FROM recognitions WHERE talent_id = ? AND org_id = ? LIMIT 1", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, talent_id)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 2, org_id)) == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK)
		*yes = row;
	gg_db_done(st);
	return rc;
}

/* Binds talent, org, org to parameters 1..3 (the statement queries' filter). */
static enum gg_err bind_scope(struct gg_stmt *st, int64_t talent_id, int64_t org_id)
{
	enum gg_err rc = gg_db_bind_i64(st, 1, talent_id);

	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, org_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, org_id);
	return rc;
}

static enum gg_err st_plans(struct gg_db *db, int64_t talent_id, int64_t org_id, struct gg_report_statement *s,
                            struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t cap = 0;
	int row = 0;
	enum gg_err rc;

	rc =
	    gg_db_prepare(db,
	                  "SELECT p.id, p.recognition_id, p.kind, p.status, p.pack, p.version, p.start_on, p.total_fen,"
	                  " COALESCE(r.org_id, 0), o.name FROM subsidy_plans p"
	                  " JOIN recognitions r ON r.id = p.recognition_id LEFT JOIN orgs o ON o.id = r.org_id"
	                  " WHERE p.talent_id = ? AND (? = 0 OR r.org_id = ?) ORDER BY p.id",
	                  &st, err);
	if (rc == GG_OK)
		rc = bind_scope(st, talent_id, org_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_st_plan *p;

		if ((rc = grow((void **)&s->plans, &cap, s->nplans, sizeof(*s->plans), GG_REPORT_STATEMENT_ITEMS_MAX,
		               "plans", err)) != GG_OK)
			break;
		p = &s->plans[s->nplans++];
		memset(p, 0, sizeof(*p));
		p->id = gg_db_col_i64(st, 0);
		p->recognition_id = gg_db_col_i64(st, 1);
		cpy(p->kind, sizeof(p->kind), gg_db_col_text(st, 2));
		cpy(p->status, sizeof(p->status), gg_db_col_text(st, 3));
		cpy(p->pack, sizeof(p->pack), gg_db_col_text(st, 4));
		cpy(p->version, sizeof(p->version), gg_db_col_text(st, 5));
		cpy(p->start_on, sizeof(p->start_on), gg_db_col_text(st, 6));
		p->total_fen = gg_db_col_i64(st, 7);
		p->org_id = gg_db_col_i64(st, 8);
		cpy(p->org_name, sizeof(p->org_name), gg_db_col_text(st, 9));
	}
	gg_db_done(st);
	return rc;
}

static enum gg_err st_installments(struct gg_db *db, int64_t talent_id, int64_t org_id, struct gg_report_statement *s,
                                   struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t cap = 0;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(
	    db,
	    "SELECT i.id, i.plan_id, i.year, i.due_on, i.base_fen, i.amount_fen, i.status, v.status,"
	    " v.status = 'accepted', COALESCE(v.amount_fen, 0),"
	    " (SELECT COALESCE(SUM(l.debit_fen - l.credit_fen), 0) FROM journal_lines l"
	    "  WHERE l.installment_id = i.id AND l.account = 'fund_committed'),"
	    " (SELECT COALESCE(SUM(l.debit_fen - l.credit_fen), 0) FROM journal_lines l"
	    "  WHERE l.installment_id = i.id AND l.account = 'fund_paid')"
	    " FROM installments i JOIN subsidy_plans p ON p.id = i.plan_id"
	    " JOIN recognitions r ON r.id = p.recognition_id LEFT JOIN verifications v ON v.installment_id = i.id"
	    " WHERE p.talent_id = ? AND (? = 0 OR r.org_id = ?) ORDER BY i.plan_id, i.year",
	    &st, err);
	if (rc == GG_OK)
		rc = bind_scope(st, talent_id, org_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_st_installment *in;

		if ((rc = grow((void **)&s->inst, &cap, s->ninst, sizeof(*s->inst), GG_REPORT_STATEMENT_ITEMS_MAX,
		               "installments", err)) != GG_OK)
			break;
		in = &s->inst[s->ninst++];
		memset(in, 0, sizeof(*in));
		in->id = gg_db_col_i64(st, 0);
		in->plan_id = gg_db_col_i64(st, 1);
		in->year = (int)gg_db_col_i64(st, 2);
		cpy(in->due_on, sizeof(in->due_on), gg_db_col_text(st, 3));
		in->base_fen = gg_db_col_i64(st, 4);
		in->amount_fen = gg_db_col_i64(st, 5);
		cpy(in->status, sizeof(in->status), gg_db_col_text(st, 6));
		cpy(in->verification, sizeof(in->verification), gg_db_col_text(st, 7));
		in->accepted = !gg_db_col_is_null(st, 8) && gg_db_col_i64(st, 8) != 0;
		in->accepted_fen = in->accepted ? gg_db_col_i64(st, 9) : 0;
		in->committed_fen = gg_db_col_i64(st, 10);
		in->paid_fen = gg_db_col_i64(st, 11);
	}
	gg_db_done(st);
	return rc;
}

static enum gg_err st_payments(struct gg_db *db, int64_t talent_id, int64_t org_id, struct gg_report_statement *s,
                               struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t cap = 0;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "SELECT pm.id, pm.installment_id, pm.run_id, pm.reference, pm.amount_fen, pm.status,"
	                   " pm.settled_on, pm.bank_txn_id FROM payments pm JOIN subsidy_plans p ON p.id = pm.plan_id"
	                   " JOIN recognitions r ON r.id = p.recognition_id"
	                   " WHERE pm.talent_id = ? AND (? = 0 OR r.org_id = ?) ORDER BY pm.id",
	                   &st, err);
	if (rc == GG_OK)
		rc = bind_scope(st, talent_id, org_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_st_payment *p;

		if ((rc = grow((void **)&s->payments, &cap, s->npayments, sizeof(*s->payments),
		               GG_REPORT_STATEMENT_ITEMS_MAX, "payments", err)) != GG_OK)
			break;
		p = &s->payments[s->npayments++];
		memset(p, 0, sizeof(*p));
		p->id = gg_db_col_i64(st, 0);
		p->installment_id = gg_db_col_i64(st, 1);
		p->run_id = gg_db_col_i64(st, 2);
		cpy(p->reference, sizeof(p->reference), gg_db_col_text(st, 3));
		p->amount_fen = gg_db_col_i64(st, 4);
		cpy(p->status, sizeof(p->status), gg_db_col_text(st, 5));
		cpy(p->settled_on, sizeof(p->settled_on), gg_db_col_text(st, 6));
		cpy(p->bank_txn_id, sizeof(p->bank_txn_id), gg_db_col_text(st, 7));
	}
	gg_db_done(st);
	return rc;
}

static enum gg_err st_lines(struct gg_db *db, int64_t talent_id, int64_t org_id, struct gg_report_statement *s,
                            struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t cap = 0;
	int64_t paid = 0;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "SELECT e.id, l.id, e.posted_on, e.kind, l.account, l.debit_fen, l.credit_fen,"
	                   " COALESCE(l.plan_id, 0), COALESCE(l.installment_id, 0), e.source_type,"
	                   " COALESCE(e.source_id, 0), e.memo FROM journal_lines l"
	                   " JOIN journal_entries e ON e.id = l.entry_id LEFT JOIN subsidy_plans p ON p.id = l.plan_id"
	                   " LEFT JOIN recognitions r ON r.id = p.recognition_id"
	                   " WHERE l.talent_id = ? AND (? = 0 OR r.org_id = ?) ORDER BY e.posted_on, e.id, l.id",
	                   &st, err);
	if (rc == GG_OK)
		rc = bind_scope(st, talent_id, org_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_report_st_line *l;

		if ((rc = grow((void **)&s->lines, &cap, s->nlines, sizeof(*s->lines), GG_REPORT_STATEMENT_LINES_MAX,
		               "ledger lines", err)) != GG_OK)
			break;
		l = &s->lines[s->nlines++];
		memset(l, 0, sizeof(*l));
		l->entry_id = gg_db_col_i64(st, 0);
		l->line_id = gg_db_col_i64(st, 1);
		cpy(l->posted_on, sizeof(l->posted_on), gg_db_col_text(st, 2));
		cpy(l->kind, sizeof(l->kind), gg_db_col_text(st, 3));
		cpy(l->account, sizeof(l->account), gg_db_col_text(st, 4));
		l->debit_fen = gg_db_col_i64(st, 5);
		l->credit_fen = gg_db_col_i64(st, 6);
		l->plan_id = gg_db_col_i64(st, 7);
		l->installment_id = gg_db_col_i64(st, 8);
		cpy(l->source_type, sizeof(l->source_type), gg_db_col_text(st, 9));
		l->source_id = gg_db_col_i64(st, 10);
		cpy(l->memo, sizeof(l->memo), gg_db_col_text(st, 11));
		s->debit_fen += l->debit_fen;
		s->credit_fen += l->credit_fen;
		if (strcmp(l->account, "fund_paid") == 0) {
			paid += l->debit_fen - l->credit_fen;
			if (strcmp(l->kind, "payment") == 0)
				s->paid_fen += l->debit_fen;
			else if (strcmp(l->kind, "payment_returned") == 0)
				s->returned_fen += l->credit_fen;
			else if (strcmp(l->kind, "clawback") == 0)
				s->clawed_back_fen += l->credit_fen;
		} else if (strcmp(l->account, "fund_committed") == 0) {
			s->committed_fen += l->debit_fen - l->credit_fen;
		} else if (strcmp(l->account, "fund_approved") == 0) {
			s->approved_fen += l->debit_fen - l->credit_fen;
		}
		l->running_paid_fen = paid;
	}
	s->net_paid_fen = paid;
	gg_db_done(st);
	return rc;
}

enum gg_err gg_report_statement(struct gg_db *db, int64_t talent_id, int64_t org_id, struct gg_report_statement *out,
                                struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	out->talent_id = talent_id;
	if ((rc = read_begin(db, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db, "SELECT name FROM talents WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, talent_id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_field(err, GG_E_NOT_FOUND, "talent", "no talent %lld", (long long)talent_id);
	if (rc == GG_OK)
		cpy(out->talent_name, sizeof(out->talent_name), gg_db_col_text(st, 0));
	gg_db_done(st);
	if (rc == GG_OK)
		rc = st_plans(db, talent_id, org_id, out, err);
	if (rc == GG_OK)
		rc = st_installments(db, talent_id, org_id, out, err);
	if (rc == GG_OK)
		rc = st_payments(db, talent_id, org_id, out, err);
	if (rc == GG_OK)
		rc = st_lines(db, talent_id, org_id, out, err);
	rc = read_end(db, rc, err);
	if (rc != GG_OK)
		gg_report_statement_free(out);
	return rc;
}

void gg_report_statement_free(struct gg_report_statement *s)
{
	if (s == NULL)
		return;
	free(s->plans);
	free(s->inst);
	free(s->payments);
	free(s->lines);
	s->plans = NULL;
	s->inst = NULL;
	s->payments = NULL;
	s->lines = NULL;
	s->nplans = s->ninst = s->npayments = s->nlines = 0;
}

/* ---- tables ---- */

void gg_report_table_free(struct gg_report_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->cap = 0;
}

static void table_init(struct gg_report_table *t, const char *name, const char *const *header, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->header = header;
	t->ncols = ncols;
}

/* Appends a row of t->ncols cells (copied; NULL: empty). */
static enum gg_err table_row(struct gg_report_table *t, const char *const *cells, struct gg_error *err)
{
	enum gg_err rc;

	if (t->nrows == t->cap) {
		size_t rows = t->cap;

		if ((rc = grow((void **)&t->cells, &rows, t->nrows, t->ncols * sizeof(char *),
		               GG_REPORT_REGISTER_ROWS_MAX + 16, "rows", err)) != GG_OK)
			return rc;
		t->cap = rows;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		char **c = &t->cells[t->nrows * t->ncols + i];

		if ((*c = strdup(cells[i] ? cells[i] : "")) == NULL) {
			for (size_t j = 0; j < i; j++)
				free(t->cells[t->nrows * t->ncols + j]);
			return gg_error_set(err, GG_E_NOMEM, NULL);
		}
	}
	t->nrows++;
	return GG_OK;
}

#define CNY(i, fen) gg_money_format((fen), m[i])
#define INT(i, v)   (snprintf(m[i], sizeof(m[i]), "%lld", (long long)(v)), m[i])
#define ID(i, v)    ((v) ? INT(i, v) : "")

static const char *const forecast_header[] = {"year", "installments", "committed_cny", "uncommitted_cny", "total_cny"};

enum gg_err gg_report_forecast_table(const struct gg_report_forecast *f, struct gg_report_table *t,
                                     struct gg_error *err)
{
	char m[5][GG_MONEY_TEXT_MAX];
	enum gg_err rc = GG_OK;

	table_init(t, "forecast", forecast_header, 5);
	for (int i = 0; rc == GG_OK && i <= f->years; i++) {
		const struct gg_report_forecast_year *r = i < f->years ? &f->rows[i] : &f->total;
		const char *cells[5] = {i < f->years ? INT(0, r->year) : "total", INT(1, r->installments),
		                        CNY(2, r->committed_fen), CNY(3, r->uncommitted_fen), CNY(4, r->total_fen)};

		rc = table_row(t, cells, err);
	}
	if (rc != GG_OK)
		gg_report_table_free(t);
	return rc;
}

static const char *const position_header[] = {"year",
                                              "appropriated_cny",
                                              "committed_net_cny",
                                              "approved_cny",
                                              "paid_cny",
                                              "failed_cny",
                                              "returned_cny",
                                              "clawed_back_cny",
                                              "end_available_cny",
                                              "end_committed_cny",
                                              "end_approved_cny",
                                              "end_paid_cny",
                                              "end_appropriations_cny"};

static int64_t end_of(const struct gg_report_position *p, const struct gg_report_position_year *r, const char *code)
{
	int a = account_index(p, code);

	return a >= 0 ? r->end_fen[a] : 0;
}

enum gg_err gg_report_position_table(const struct gg_report_position *p, struct gg_report_table *t,
                                     struct gg_error *err)
{
	char m[13][GG_MONEY_TEXT_MAX];
	enum gg_err rc = GG_OK;

	table_init(t, "position", position_header, 13);
	for (size_t i = 0; rc == GG_OK && i < p->n; i++) {
		const struct gg_report_position_year *r = &p->rows[i];
		const char *cells[13] = {INT(0, r->year),
		                         CNY(1, r->appropriated_fen),
		                         CNY(2, r->committed_net_fen),
		                         CNY(3, r->approved_fen),
		                         CNY(4, r->paid_fen),
		                         CNY(5, r->failed_fen),
		                         CNY(6, r->returned_fen),
		                         CNY(7, r->clawed_back_fen),
		                         CNY(8, end_of(p, r, "fund_available")),
		                         CNY(9, end_of(p, r, "fund_committed")),
		                         CNY(10, end_of(p, r, "fund_approved")),
		                         CNY(11, end_of(p, r, "fund_paid")),
		                         CNY(12, -end_of(p, r, "fund_appropriations"))};

		rc = table_row(t, cells, err);
	}
	if (rc != GG_OK)
		gg_report_table_free(t);
	return rc;
}

static const char *const chains_header[] = {"chain", "name_zh", "name_en", "committed_cny", "approved_cny", "paid_cny"};

enum gg_err gg_report_chains_table(const struct gg_report_chains *c, struct gg_report_table *t, struct gg_error *err)
{
	char m[3][GG_MONEY_TEXT_MAX];
	enum gg_err rc = GG_OK;

	table_init(t, "position-chains", chains_header, 6);
	for (size_t i = 0; rc == GG_OK && i <= c->n; i++) {
		const struct gg_report_chain *r = i < c->n ? &c->rows[i] : &c->total;
		const char *cells[6] = {
		    r->chain,           r->name_zh, r->name_en, CNY(0, r->committed_fen), CNY(1, r->approved_fen),
		    CNY(2, r->paid_fen)};

		rc = table_row(t, cells, err);
	}
	if (rc != GG_OK)
		gg_report_table_free(t);
	return rc;
}

static const char *const register_header[] = {"reference", "talent_id",        "talent",     "org_id",     "employer",
                                              "plan_id",   "installment_year", "due_on",     "amount_cny", "run_id",
                                              "period",    "bank_txn_id",      "settled_on", "status"};

enum gg_err gg_report_register_table(const struct gg_report_register *r, struct gg_report_table *t,
                                     struct gg_error *err)
{
	char m[8][GG_MONEY_TEXT_MAX];
	enum gg_err rc = GG_OK;

	table_init(t, "register", register_header, 14);
	for (size_t i = 0; rc == GG_OK && i < r->n; i++) {
		const struct gg_report_payment *p = &r->rows[i];
		const char *cells[14] = {p->reference,          INT(0, p->talent_id),
		                         p->talent_name,        ID(1, p->org_id),
		                         p->org_name,           INT(2, p->plan_id),
		                         INT(3, p->year),       p->due_on,
		                         CNY(4, p->amount_fen), INT(5, p->run_id),
		                         INT(6, p->period),     p->bank_txn_id,
		                         p->settled_on,         p->status};

		rc = table_row(t, cells, err);
	}
	if (rc != GG_OK)
		gg_report_table_free(t);
	return rc;
}

static const char *const statement_header[] = {"posted_on",       "entry_id", "kind",           "account", "debit_cny",
                                               "credit_cny",      "plan_id",  "installment_id", "source",  "memo",
                                               "running_paid_cny"};

enum gg_err gg_report_statement_table(const struct gg_report_statement *s, struct gg_report_table *t,
                                      struct gg_error *err)
{
	char m[6][GG_MONEY_TEXT_MAX], src[64];
	enum gg_err rc = GG_OK;

	table_init(t, "statement", statement_header, 11);
	for (size_t i = 0; rc == GG_OK && i < s->nlines; i++) {
		const struct gg_report_st_line *l = &s->lines[i];
		const char *cells[11];

		if (l->source_type[0])
			snprintf(src, sizeof(src), "%s:%lld", l->source_type, (long long)l->source_id);
		else
			src[0] = '\0';
		cells[0] = l->posted_on;
		cells[1] = INT(0, l->entry_id);
		cells[2] = l->kind;
		cells[3] = l->account;
		cells[4] = l->debit_fen ? CNY(1, l->debit_fen) : "";
		cells[5] = l->credit_fen ? CNY(2, l->credit_fen) : "";
		cells[6] = ID(3, l->plan_id);
		cells[7] = ID(4, l->installment_id);
		cells[8] = src;
		cells[9] = l->memo;
		cells[10] = CNY(5, l->running_paid_fen);
		rc = table_row(t, cells, err);
	}
	if (rc == GG_OK) {
		const char *cells[11] = {"total", "", "", "", CNY(0, s->debit_fen),   CNY(1, s->credit_fen),
		                         "",      "", "", "", CNY(2, s->net_paid_fen)};

		rc = table_row(t, cells, err);
	}
	if (rc != GG_OK)
		gg_report_table_free(t);
	return rc;
}

enum gg_err gg_report_table_csv(const struct gg_report_table *t, struct gg_buf *out, struct gg_error *err)
{
	enum gg_err rc = gg_buf_adds(out, "\xEF\xBB\xBF");

	if (rc == GG_OK)
		rc = gg_csv_write_row(out, t->header, t->ncols);
	for (size_t i = 0; rc == GG_OK && i < t->nrows; i++)
		rc = gg_csv_write_row(out, (const char *const *)&t->cells[i * t->ncols], t->ncols);
	return rc == GG_OK ? GG_OK : gg_error_set(err, rc, "cannot write the CSV");
}

enum gg_err gg_report_table_xlsx(const struct gg_report_table *t, const char *path, struct gg_error *err)
{
	struct gg_xlsx *x = NULL;
	enum gg_err rc = gg_xlsx_new(path, t->name, &x, err);

	if (rc == GG_OK)
		rc = gg_xlsx_row(x, t->header, t->ncols, err);
	for (size_t i = 0; rc == GG_OK && i < t->nrows; i++)
		rc = gg_xlsx_row(x, (const char *const *)&t->cells[i * t->ncols], t->ncols, err);
	if (x != NULL) {
		struct gg_error ignored;

		gg_error_init(&ignored);
		if (rc == GG_OK)
			rc = gg_xlsx_close(x, err);
		else
			gg_xlsx_close(x, &ignored);
	}
	return rc;
}
