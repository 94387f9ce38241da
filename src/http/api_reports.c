/*
 * api_reports: the special fund's reports over HTTP (domain/report.c,
 * docs/reports.md), each as JSON, CSV or XLSX (?format=json|csv|xlsx):
 *   GET /api/v1/reports/forecast?from=YYYY&years=N
 *   GET /api/v1/reports/position?by=year|chain
 *   GET /api/v1/reports/register?from=&to=&talent=&org=&limit=&cursor=
 *   GET /api/v1/reports/statement?talent=ID
 * The router checks ledger_read for the first three. The statement's
 * route asks recognitions_read and the scope is decided here: an unscoped
 * grant of ledger_read (the bureau, finance, leaders) reads any talent's
 * statement; a talent (talent:ID) its own; an employer (org:ID) that of a
 * talent recognised for its organisation, limited to the plans of that
 * organisation. Any other talent answers 404 as an unknown one; a caller
 * with none of these grants (a commissioner) 403.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../domain/export.h"
#include "../domain/pack.h"
#include "../domain/report.h"
#include "api.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define CSV_MAX   (64u * 1024u * 1024u)

enum fmt { FMT_JSON, FMT_CSV, FMT_XLSX };

static enum fmt parse_format(struct gg_req *req, struct gg_error *err)
{
	const char *s = gg_req_query(req, "format");

	if (s == NULL || *s == '\0' || strcmp(s, "json") == 0)
		return FMT_JSON;
	if (strcmp(s, "csv") == 0)
		return FMT_CSV;
	if (strcmp(s, "xlsx") == 0)
		return FMT_XLSX;
	gg_error_field(err, GG_E_INVALID, "format", "unknown format '%.40s' (json, csv or xlsx)", s);
	return FMT_JSON;
}

/* Answers t as a CSV or XLSX download named stem.csv / stem.xlsx; frees t. */
static enum gg_err send_table(struct gg_req *req, struct gg_report_table *t, enum fmt f, const char *stem,
                              struct gg_error *err)
{
	struct gg_buf b;
	char name[128], path[1024];
	enum gg_err rc;

	gg_buf_init(&b, CSV_MAX);
	snprintf(name, sizeof(name), "%s.%s", stem, f == FMT_XLSX ? "xlsx" : "csv");
	if (f == FMT_CSV) {
		rc = gg_report_table_csv(t, &b, err);
	} else {
		rc = gg_export_tempfile(path, sizeof(path), err);
		if (rc == GG_OK) {
			rc = gg_report_table_xlsx(t, path, err);
			if (rc == GG_OK)
				rc = gg_buf_read_file(&b, path, err);
			unlink(path);
		}
	}
	gg_report_table_free(t);
	if (rc == GG_OK && (rc = gg_resp_attachment(req, f == FMT_XLSX ? XLSX_MIME : "text/csv; charset=utf-8", name,
	                                            b.buf, b.len)) != GG_OK)
		rc = gg_error_set(err, rc, "cannot answer with the report");
	gg_buf_release(&b);
	return rc;
}

static enum gg_err send_json(struct gg_req *req, struct gg_json *o, int ok, struct gg_error *err)
{
	if (!ok || o == NULL) {
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}

/* A whole number query argument in [lo, hi] into *out (untouched when absent). */
static void int_arg(struct gg_req *req, const char *name, long long lo, long long hi, long long *out,
                    struct gg_error *err)
{
	const char *s = gg_req_query(req, name);

	if (s == NULL || *s == '\0')
		return;
	if (gg_parse_i64(s, lo, hi, out) != GG_OK)
		gg_error_field(err, GG_E_INVALID, name, "%s must be a whole number %lld to %lld", name, lo, hi);
}

/* A day YYYY-MM-DD query argument into *day (untouched when absent). */
static void day_arg(struct gg_req *req, const char *name, int64_t *day, struct gg_error *err)
{
	const char *s = gg_req_query(req, name);

	if (s == NULL || *s == '\0')
		return;
	if (gg_pack_parse_day(s, day) != 0)
		gg_error_field(err, GG_E_INVALID, name, "%s must be a date YYYY-MM-DD", name);
}

/* ---- forecast ---- */

static struct gg_json *forecast_row(const struct gg_report_forecast_year *r, int with_year, int *ok)
{
	struct gg_json *o = gg_json_object();

	*ok &= o != NULL;
	if (with_year)
		*ok &= gg_json_set_int(o, "year", r->year) == GG_OK;
	*ok &= gg_json_set_int(o, "installments", r->installments) == GG_OK;
	*ok &= gg_json_set_int(o, "committed_fen", r->committed_fen) == GG_OK;
	*ok &= gg_json_set_int(o, "uncommitted_fen", r->uncommitted_fen) == GG_OK;
	*ok &= gg_json_set_int(o, "total_fen", r->total_fen) == GG_OK;
	return o;
}

enum gg_err api_reports_forecast(struct gg_req *req, struct gg_error *err)
{
	struct gg_report_forecast f;
	struct gg_report_table t;
	long long from = 0, years = 0;
	enum fmt fmt = parse_format(req, err);
	struct gg_json *o, *rows;
	char stem[32];
	int ok = 1;

	int_arg(req, "from", 2000, 9999, &from, err);
	int_arg(req, "years", 1, GG_REPORT_FORECAST_YEARS_MAX, &years, err);
	if (err->code != GG_OK)
		return err->code;
	if (gg_report_forecast(gg_req_db(req), (int)from, (int)years, &f, err) != GG_OK)
		return err->code;
	if (fmt != FMT_JSON) {
		if (gg_report_forecast_table(&f, &t, err) != GG_OK)
			return err->code;
		snprintf(stem, sizeof(stem), "forecast-%d", f.from);
		return send_table(req, &t, fmt, stem, err);
	}
	o = gg_json_object();
	rows = gg_json_array();
	ok = o != NULL && rows != NULL;
	for (int i = 0; ok && i < f.years; i++)
		ok &= gg_json_append(rows, forecast_row(&f.rows[i], 1, &ok)) == GG_OK;
	ok &= gg_json_set_int(o, "from", f.from) == GG_OK;
	ok &= gg_json_set_int(o, "years", f.years) == GG_OK;
	ok &= gg_json_set(o, "rows", rows) == GG_OK;
	ok &= gg_json_set(o, "total", forecast_row(&f.total, 0, &ok)) == GG_OK;
	return send_json(req, o, ok, err);
}

/* ---- position ---- */

static enum gg_err position_years(struct gg_req *req, enum fmt fmt, struct gg_error *err)
{
	struct gg_report_position p;
	struct gg_report_table t;
	struct gg_json *o, *years, *codes;
	int ok;

	if (gg_report_position_years(gg_req_db(req), &p, err) != GG_OK)
		return err->code;
	if (fmt != FMT_JSON) {
		enum gg_err rc = gg_report_position_table(&p, &t, err);

		gg_report_position_free(&p);
		return rc == GG_OK ? send_table(req, &t, fmt, "position-year", err) : rc;
	}
	o = gg_json_object();
	years = gg_json_array();
	codes = gg_json_array();
	ok = o != NULL && years != NULL && codes != NULL;
	for (size_t a = 0; ok && a < p.naccounts; a++)
		ok &= gg_json_append(codes, gg_json_string(p.codes[a])) == GG_OK;
	for (size_t i = 0; ok && i < p.n; i++) {
		const struct gg_report_position_year *r = &p.rows[i];
		struct gg_json *y = gg_json_object(), *bal = gg_json_object();

		ok &= y != NULL && bal != NULL;
		ok &= gg_json_set_int(y, "year", r->year) == GG_OK;
		ok &= gg_json_set_int(y, "appropriated_fen", r->appropriated_fen) == GG_OK;
		ok &= gg_json_set_int(y, "committed_fen", r->committed_fen) == GG_OK;
		ok &= gg_json_set_int(y, "released_fen", r->released_fen) == GG_OK;
		ok &= gg_json_set_int(y, "committed_net_fen", r->committed_net_fen) == GG_OK;
		ok &= gg_json_set_int(y, "approved_fen", r->approved_fen) == GG_OK;
		ok &= gg_json_set_int(y, "paid_fen", r->paid_fen) == GG_OK;
		ok &= gg_json_set_int(y, "failed_fen", r->failed_fen) == GG_OK;
		ok &= gg_json_set_int(y, "returned_fen", r->returned_fen) == GG_OK;
		ok &= gg_json_set_int(y, "clawed_back_fen", r->clawed_back_fen) == GG_OK;
		ok &= gg_json_set_int(y, "debit_fen", r->debit_fen) == GG_OK;
		ok &= gg_json_set_int(y, "credit_fen", r->credit_fen) == GG_OK;
		for (size_t a = 0; ok && a < p.naccounts; a++)
			ok &= gg_json_set_int(bal, p.codes[a], r->end_fen[a]) == GG_OK;
		ok &= gg_json_set(y, "end_balances", bal) == GG_OK;
		ok &= gg_json_append(years, y) == GG_OK;
	}
	gg_report_position_free(&p);
	ok &= gg_json_set_str(o, "by", "year") == GG_OK;
	ok &= gg_json_set(o, "accounts", codes) == GG_OK;
	ok &= gg_json_set(o, "years", years) == GG_OK;
	return send_json(req, o, ok, err);
}

static struct gg_json *chain_json(const struct gg_report_chain *c, int names, int *ok)
{
	struct gg_json *o = gg_json_object();

	*ok &= o != NULL;
	if (names) {
		*ok &= gg_json_set_str(o, "chain", c->chain) == GG_OK;
		*ok &= gg_json_set_str(o, "name_zh", c->name_zh) == GG_OK;
		*ok &= gg_json_set_str(o, "name_en", c->name_en) == GG_OK;
	}
	*ok &= gg_json_set_int(o, "committed_fen", c->committed_fen) == GG_OK;
	*ok &= gg_json_set_int(o, "approved_fen", c->approved_fen) == GG_OK;
	*ok &= gg_json_set_int(o, "paid_fen", c->paid_fen) == GG_OK;
	return o;
}

static enum gg_err position_chains(struct gg_req *req, enum fmt fmt, struct gg_error *err)
{
	struct gg_report_chains c;
	struct gg_report_table t;
	struct gg_json *o, *rows;
	int ok;

	if (gg_report_position_chains(gg_req_db(req), &c, err) != GG_OK)
		return err->code;
	if (fmt != FMT_JSON)
		return gg_report_chains_table(&c, &t, err) == GG_OK ? send_table(req, &t, fmt, "position-chain", err)
		                                                    : err->code;
	o = gg_json_object();
	rows = gg_json_array();
	ok = o != NULL && rows != NULL;
	for (size_t i = 0; ok && i < c.n; i++)
		ok &= gg_json_append(rows, chain_json(&c.rows[i], 1, &ok)) == GG_OK;
	ok &= gg_json_set_str(o, "by", "chain") == GG_OK;
	ok &= gg_json_set(o, "chains", rows) == GG_OK;
	ok &= gg_json_set(o, "total", chain_json(&c.total, 0, &ok)) == GG_OK;
	return send_json(req, o, ok, err);
}

enum gg_err api_reports_position(struct gg_req *req, struct gg_error *err)
{
	const char *by = gg_req_query(req, "by");
	enum fmt fmt = parse_format(req, err);

	if (by != NULL && *by != '\0' && strcmp(by, "year") != 0 && strcmp(by, "chain") != 0)
		gg_error_field(err, GG_E_INVALID, "by", "by must be year or chain");
	if (err->code != GG_OK)
		return err->code;
	return by != NULL && strcmp(by, "chain") == 0 ? position_chains(req, fmt, err) : position_years(req, fmt, err);
}

/* ---- register ---- */

static void set_text_or_null(struct gg_json *o, const char *key, const char *s, int *ok)
{
	*ok &= (s && *s ? gg_json_set_str(o, key, s) : gg_json_set_null(o, key)) == GG_OK;
}

static struct gg_json *payment_json(const struct gg_report_payment *p, int *ok)
{
	struct gg_json *o = gg_json_object();

	*ok &= o != NULL;
	*ok &= gg_json_set_int(o, "id", p->id) == GG_OK;
	*ok &= gg_json_set_str(o, "reference", p->reference) == GG_OK;
	gg_api_set_ref(o, "talent", p->talent_id, p->talent_name, ok);
	gg_api_set_ref(o, "employer", p->org_id, p->org_name, ok);
	*ok &= gg_json_set_int(o, "plan_id", p->plan_id) == GG_OK;
	*ok &= gg_json_set_int(o, "installment_id", p->installment_id) == GG_OK;
	*ok &= gg_json_set_int(o, "installment_year", p->year) == GG_OK;
	*ok &= gg_json_set_str(o, "due_on", p->due_on) == GG_OK;
	*ok &= gg_json_set_int(o, "amount_fen", p->amount_fen) == GG_OK;
	*ok &= gg_json_set_int(o, "run_id", p->run_id) == GG_OK;
	*ok &= gg_json_set_int(o, "period", p->period) == GG_OK;
	set_text_or_null(o, "bank_txn_id", p->bank_txn_id, ok);
	set_text_or_null(o, "settled_on", p->settled_on, ok);
	*ok &= gg_json_set_str(o, "status", p->status) == GG_OK;
	return o;
}

enum gg_err api_reports_register(struct gg_req *req, struct gg_error *err)
{
	struct gg_report_register_query q = {.from_day = -1, .to_day = -1};
	struct gg_report_register r;
	struct gg_report_table t;
	enum fmt fmt = parse_format(req, err);
	long long limit = GG_REPORT_PAGE_DEFAULT;
	struct gg_json *o, *items;
	int ok;

	day_arg(req, "from", &q.from_day, err);
	day_arg(req, "to", &q.to_day, err);
	gg_req_query_id(req, "talent", &q.talent_id, err);
	gg_req_query_id(req, "org", &q.org_id, err);
	int_arg(req, "limit", 1, GG_REPORT_PAGE_MAX, &limit, err);
	q.cursor = gg_req_query_text(req, "cursor", GG_REPORT_CURSOR_MAX, err);
	if (err->code != GG_OK)
		return err->code;
	q.limit = fmt == FMT_JSON ? (size_t)limit : 0;
	if (fmt != FMT_JSON)
		q.cursor = NULL;
	if (gg_report_register(gg_req_db(req), &q, &r, err) != GG_OK)
		return err->code;
	if (fmt != FMT_JSON) {
		enum gg_err rc = gg_report_register_table(&r, &t, err);

		gg_report_register_free(&r);
		return rc == GG_OK ? send_table(req, &t, fmt, "register", err) : rc;
	}
	o = gg_json_object();
	items = gg_json_array();
	ok = o != NULL && items != NULL;
	for (size_t i = 0; ok && i < r.n; i++)
		ok &= gg_json_append(items, payment_json(&r.rows[i], &ok)) == GG_OK;
	ok &= gg_json_set(o, "items", items) == GG_OK;
	set_text_or_null(o, "next_cursor", r.next_cursor, &ok);
	ok &= gg_json_set_int(o, "paid_fen", r.paid_fen) == GG_OK;
	ok &= gg_json_set_int(o, "returned_fen", r.returned_fen) == GG_OK;
	gg_report_register_free(&r);
	return send_json(req, o, ok, err);
}

/* ---- statement ---- */

/* 2: the caller reads every statement (an unscoped ledger_read); 1: some (talent or employer scope); 0: none. */
static int statement_reach(const struct gg_principal *pr)
{
	int reach = 0;

	for (size_t i = 0; pr && i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];

		if (g->scope_kind == GG_SCOPE_NONE && gg_role_grants(g->role, GG_PERM_ledger_read))
			return 2;
		if ((g->scope_kind == GG_SCOPE_TALENT || g->scope_kind == GG_SCOPE_ORG) &&
		    gg_role_grants(g->role, GG_PERM_recognitions_read))
			reach = 1;
	}
	return reach;
}

/*
 * Whether a scoped caller may read talent's statement: *org_view 0 for
 * all of it (the talent itself), an organisation's id for an employer's
 * view. GG_E_NOT_FOUND outside the caller's scope.
 */
static enum gg_err statement_scope(struct gg_req *req, int64_t talent, int64_t *org_view, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);

	*org_view = 0;
	for (size_t i = 0; pr && i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];
		int yes = 0;
		enum gg_err rc;

		if (!gg_role_grants(g->role, GG_PERM_recognitions_read))
			continue;
		if (g->scope_kind == GG_SCOPE_TALENT && g->scope_id == talent)
			return GG_OK;
		if (g->scope_kind == GG_SCOPE_ORG) {
			if ((rc = gg_report_talent_of_org(gg_req_db(req), talent, g->scope_id, &yes, err)) != GG_OK)
				return rc;
			if (yes) {
				*org_view = g->scope_id;
				return GG_OK;
			}
		}
	}
	return gg_error_field(err, GG_E_NOT_FOUND, "talent", "no talent %lld", (long long)talent);
}

static struct gg_json *installment_json(const struct gg_report_statement *s, const struct gg_report_st_installment *in,
                                        int *ok)
{
	struct gg_json *o = gg_json_object(), *pays = gg_json_array();

	*ok &= o != NULL && pays != NULL;
	*ok &= gg_json_set_int(o, "id", in->id) == GG_OK;
	*ok &= gg_json_set_int(o, "year", in->year) == GG_OK;
	*ok &= gg_json_set_str(o, "due_on", in->due_on) == GG_OK;
	*ok &= gg_json_set_int(o, "base_fen", in->base_fen) == GG_OK;
	*ok &= gg_json_set_int(o, "amount_fen", in->amount_fen) == GG_OK;
	*ok &= gg_json_set_str(o, "status", in->status) == GG_OK;
	*ok &= gg_json_set_int(o, "committed_fen", in->committed_fen) == GG_OK;
	*ok &= gg_json_set_int(o, "paid_fen", in->paid_fen) == GG_OK;
	if (in->verification[0]) {
		struct gg_json *v = gg_json_object();

		*ok &= v != NULL && gg_json_set_str(v, "status", in->verification) == GG_OK;
		*ok &= (in->accepted ? gg_json_set_int(v, "accepted_fen", in->accepted_fen)
		                     : gg_json_set_null(v, "accepted_fen")) == GG_OK;
		*ok &= gg_json_set(o, "verification", v) == GG_OK;
	} else {
		*ok &= gg_json_set_null(o, "verification") == GG_OK;
	}
	for (size_t k = 0; *ok && k < s->npayments; k++) {
		const struct gg_report_st_payment *p = &s->payments[k];
		struct gg_json *j;

		if (p->installment_id != in->id)
			continue;
		j = gg_json_object();
		*ok &= j != NULL;
		*ok &= gg_json_set_int(j, "id", p->id) == GG_OK;
		*ok &= gg_json_set_str(j, "reference", p->reference) == GG_OK;
		*ok &= gg_json_set_int(j, "amount_fen", p->amount_fen) == GG_OK;
		*ok &= gg_json_set_str(j, "status", p->status) == GG_OK;
		*ok &= gg_json_set_int(j, "run_id", p->run_id) == GG_OK;
		set_text_or_null(j, "settled_on", p->settled_on, ok);
		set_text_or_null(j, "bank_txn_id", p->bank_txn_id, ok);
		*ok &= gg_json_append(pays, j) == GG_OK;
	}
	*ok &= gg_json_set(o, "payments", pays) == GG_OK;
	return o;
}

static struct gg_json *statement_json(const struct gg_report_statement *s, int64_t org_view)
{
	struct gg_json *o = gg_json_object(), *plans = gg_json_array(), *lines = gg_json_array(),
	               *tot = gg_json_object();
	int ok = o != NULL && plans != NULL && lines != NULL && tot != NULL;

	gg_api_set_ref(o, "talent", s->talent_id, s->talent_name, &ok);
	gg_api_set_id(o, "org_view", org_view, &ok);
	for (size_t i = 0; ok && i < s->nplans; i++) {
		const struct gg_report_st_plan *p = &s->plans[i];
		struct gg_json *j = gg_json_object(), *inst = gg_json_array();

		ok &= j != NULL && inst != NULL;
		ok &= gg_json_set_int(j, "id", p->id) == GG_OK;
		ok &= gg_json_set_int(j, "recognition_id", p->recognition_id) == GG_OK;
		ok &= gg_json_set_str(j, "kind", p->kind) == GG_OK;
		ok &= gg_json_set_str(j, "status", p->status) == GG_OK;
		ok &= gg_json_set_str(j, "pack", p->pack) == GG_OK;
		ok &= gg_json_set_str(j, "version", p->version) == GG_OK;
		ok &= gg_json_set_str(j, "start_on", p->start_on) == GG_OK;
		ok &= gg_json_set_int(j, "total_fen", p->total_fen) == GG_OK;
		gg_api_set_ref(j, "org", p->org_id, p->org_name, &ok);
		for (size_t k = 0; ok && k < s->ninst; k++)
			if (s->inst[k].plan_id == p->id)
				ok &= gg_json_append(inst, installment_json(s, &s->inst[k], &ok)) == GG_OK;
		ok &= gg_json_set(j, "installments", inst) == GG_OK;
		ok &= gg_json_append(plans, j) == GG_OK;
	}
	for (size_t i = 0; ok && i < s->nlines; i++) {
		const struct gg_report_st_line *l = &s->lines[i];
		struct gg_json *j = gg_json_object();
		char src[64];

		ok &= j != NULL;
		ok &= gg_json_set_int(j, "entry_id", l->entry_id) == GG_OK;
		ok &= gg_json_set_int(j, "line_id", l->line_id) == GG_OK;
		ok &= gg_json_set_str(j, "posted_on", l->posted_on) == GG_OK;
		ok &= gg_json_set_str(j, "kind", l->kind) == GG_OK;
		ok &= gg_json_set_str(j, "account", l->account) == GG_OK;
		ok &= gg_json_set_int(j, "debit_fen", l->debit_fen) == GG_OK;
		ok &= gg_json_set_int(j, "credit_fen", l->credit_fen) == GG_OK;
		gg_api_set_id(j, "plan_id", l->plan_id, &ok);
		gg_api_set_id(j, "installment_id", l->installment_id, &ok);
		snprintf(src, sizeof(src), "%s:%lld", l->source_type, (long long)l->source_id);
		set_text_or_null(j, "source", l->source_type[0] ? src : NULL, &ok);
		ok &= gg_json_set_str(j, "memo", l->memo) == GG_OK;
		ok &= gg_json_set_int(j, "running_paid_fen", l->running_paid_fen) == GG_OK;
		ok &= gg_json_append(lines, j) == GG_OK;
	}
	ok &= gg_json_set_int(tot, "paid_fen", s->paid_fen) == GG_OK;
	ok &= gg_json_set_int(tot, "returned_fen", s->returned_fen) == GG_OK;
	ok &= gg_json_set_int(tot, "clawed_back_fen", s->clawed_back_fen) == GG_OK;
	ok &= gg_json_set_int(tot, "net_paid_fen", s->net_paid_fen) == GG_OK;
	ok &= gg_json_set_int(tot, "committed_fen", s->committed_fen) == GG_OK;
	ok &= gg_json_set_int(tot, "approved_fen", s->approved_fen) == GG_OK;
	ok &= gg_json_set_int(tot, "debit_fen", s->debit_fen) == GG_OK;
	ok &= gg_json_set_int(tot, "credit_fen", s->credit_fen) == GG_OK;
	ok &= gg_json_set(o, "plans", plans) == GG_OK;
	ok &= gg_json_set(o, "lines", lines) == GG_OK;
	ok &= gg_json_set(o, "totals", tot) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

enum gg_err api_reports_statement(struct gg_req *req, struct gg_error *err)
{
	struct gg_report_statement s;
	struct gg_report_table t;
	enum fmt fmt = parse_format(req, err);
	int64_t talent = 0, org_view = 0;
	int reach = statement_reach(gg_req_principal(req));
	struct gg_json *o;
	char stem[48];
	enum gg_err rc;

	if (reach == 0)
		return gg_error_set(err, GG_E_FORBIDDEN,
		                    "a statement needs permission 'ledger_read', or to be the talent or its employer");
	gg_req_query_id(req, "talent", &talent, err);
	if (err->code == GG_OK && talent == 0)
		gg_error_field(err, GG_E_INVALID, "talent", "talent is required");
	if (err->code != GG_OK)
		return err->code;
	if (reach == 1 && (rc = statement_scope(req, talent, &org_view, err)) != GG_OK)
		return rc;
	if (gg_report_statement(gg_req_db(req), talent, org_view, &s, err) != GG_OK)
		return err->code;
	if (fmt != FMT_JSON) {
		rc = gg_report_statement_table(&s, &t, err);
		gg_report_statement_free(&s);
		snprintf(stem, sizeof(stem), "statement-%lld", (long long)talent);
		return rc == GG_OK ? send_table(req, &t, fmt, stem, err) : rc;
	}
	o = statement_json(&s, org_view);
	gg_report_statement_free(&s);
	return o != NULL ? gg_resp_json(req, 200, o) : gg_error_set(err, GG_E_NOMEM, NULL);
}
