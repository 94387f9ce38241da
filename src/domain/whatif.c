/*
 * whatif: the register priced again under changed parameters (whatif.h).
 * One query walks the installments of the active formula plans talent by
 * talent in due order, so the cap room each installment sees is the one
 * the talent's earlier installments leave, and only one talent's state is
 * held at a time however large the register.
 */
#include "whatif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"

/* The parameters a what-if may change. */
static const enum gg_pack_param settable[] = {GG_PACK_THRESHOLD, GG_PACK_RATE_BP, GG_PACK_CAP};

static int is_settable(int param)
{
	for (size_t i = 0; i < sizeof settable / sizeof settable[0]; i++)
		if ((int)settable[i] == param)
			return 1;
	return 0;
}

enum gg_err gg_whatif_parse_set(struct gg_whatif *w, const char *text, struct gg_error *err)
{
	const char *eq = strchr(text, '=');
	char name[64];
	struct gg_error e;
	int64_t v = 0;
	int param;

	if (eq == NULL || eq == text || (size_t)(eq - text) >= sizeof(name))
		return gg_error_field(err, GG_E_INVALID, "set", "--set '%.64s' is not PARAM=VALUE", text);
	memcpy(name, text, (size_t)(eq - text));
	name[eq - text] = '\0';
	param = gg_pack_param_lookup(name);
	if (param < 0)
		return gg_error_field(err, GG_E_INVALID, "set",
		                      "unknown parameter '%s' (a what-if sets threshold_cny, rate_bp or cap_cny)",
		                      name);
	if (!is_settable(param))
		return gg_error_field(err, GG_E_INVALID, "set",
		                      "parameter '%s' cannot be set in a what-if (threshold_cny, rate_bp or cap_cny)",
		                      name);
	for (size_t i = 0; i < w->nsets; i++)
		if ((int)w->sets[i].param == param)
			return gg_error_field(err, GG_E_INVALID, "set", "parameter '%s' is set twice", name);
	if (w->nsets == GG_WHATIF_SETS_MAX)
		return gg_error_field(err, GG_E_INVALID, "set", "more than %d --set", GG_WHATIF_SETS_MAX);
	if (param == GG_PACK_RATE_BP) {
		const char *s = eq + 1;

		if (s[0] == '\0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5 ||
		    (v = strtoll(s, NULL, 10)) > 10000)
			return gg_error_field(err, GG_E_INVALID, "set",
			                      "rate_bp '%.32s' is not a whole number of basis points 0 to 10000", s);
	} else {
		gg_error_init(&e);
		if (gg_money_parse(eq + 1, &v, &e) != GG_OK)
			return gg_error_field(err, GG_E_INVALID, "set", "%s: %s", name, gg_error_message(&e));
	}
	w->sets[w->nsets].param = (enum gg_pack_param)param;
	w->sets[w->nsets].value = v;
	w->nsets++;
	return GG_OK;
}

void gg_whatif_set_text(const struct gg_whatif_set *set, char out[GG_MONEY_TEXT_MAX])
{
	if (set->param == GG_PACK_RATE_BP)
		snprintf(out, GG_MONEY_TEXT_MAX, "%lld", (long long)set->value);
	else
		gg_money_format_grouped(set->value, out);
}

void gg_whatif_apply(const struct gg_whatif *w, struct gg_policy_params *p)
{
	for (size_t i = 0; i < w->nsets; i++) {
		if (w->sets[i].param == GG_PACK_THRESHOLD)
			p->threshold_fen = w->sets[i].value;
		else if (w->sets[i].param == GG_PACK_RATE_BP)
			p->rate_bp = w->sets[i].value;
		else if (w->sets[i].param == GG_PACK_CAP)
			p->cap_fen = w->sets[i].value;
	}
}

/* The row of year in r (inserted in order when new); NULL when there are too many years. */
static struct gg_whatif_row *row_of(struct gg_whatif_result *r, int year)
{
	size_t i = 0;

	while (i < r->nrows && r->rows[i].year < year)
		i++;
	if (i < r->nrows && r->rows[i].year == year)
		return &r->rows[i];
	if (r->nrows == GG_WHATIF_YEARS_MAX)
		return NULL;
	memmove(&r->rows[i + 1], &r->rows[i], (r->nrows - i) * sizeof(r->rows[0]));
	r->nrows++;
	memset(&r->rows[i], 0, sizeof(r->rows[i]));
	r->rows[i].year = year;
	return &r->rows[i];
}

/* The parameters (with w applied) of the version a plan is stamped with; cached for the next row. */
struct version_cache {
	char pack[GG_POLICY_NAME_MAX], version[GG_POLICY_NAME_MAX];
	struct gg_policy_params params;
	int valid;
};

static enum gg_err params_of(const struct gg_policyset *set, const struct gg_whatif *w, int64_t plan_id,
                             const char *pack, const char *version, struct version_cache *c, struct gg_error *err)
{
	const struct gg_pack *p;
	const struct gg_pack_version *v = NULL;

	if (c->valid && strcmp(c->pack, pack) == 0 && strcmp(c->version, version) == 0)
		return GG_OK;
	c->valid = 0;
	p = gg_policyset_find(set, pack);
	for (size_t i = 0; p && i < p->nversions && v == NULL; i++)
		if (strcmp(p->versions[i].version, version) == 0)
			v = &p->versions[i];
	if (v == NULL)
		return gg_error_set(err, GG_E_CONFIG,
		                    "plan %lld: policy '%.64s' version '%.64s' is not in the policy packs",
		                    (long long)plan_id, pack, version);
	if (gg_pack_params_on(p, v->from_day, &c->params, err) != GG_OK)
		return err->code;
	gg_whatif_apply(w, &c->params);
	snprintf(c->pack, sizeof(c->pack), "%s", pack);
	snprintf(c->version, sizeof(c->version), "%s", version);
	c->valid = 1;
	return GG_OK;
}

enum gg_err gg_whatif_run(struct gg_db *db, const struct gg_policyset *set, const struct gg_whatif *w, int64_t from_day,
                          struct gg_whatif_result *out, struct gg_error *err)
{
	struct version_cache cache = {.valid = 0};
	struct gg_stmt *st = NULL;
	int64_t talent = -1, used = 0, counted_plan = -1;
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT p.talent_id, p.id, p.pack, p.version, i.due_on, i.base_fen, i.amount_fen, i.status"
	                   " FROM installments i JOIN subsidy_plans p ON p.id = i.plan_id"
	                   " WHERE p.kind = 'formula' AND p.status = 'active'"
	                   " ORDER BY p.talent_id, i.due_on, p.id, i.year",
	                   &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		int64_t plan = gg_db_col_i64(st, 1), base = gg_db_col_i64(st, 5), amount = gg_db_col_i64(st, 6), due, y;
		const char *due_on = gg_db_col_text(st, 4), *status = gg_db_col_text(st, 7);
		struct gg_policy_price pr;
		struct gg_whatif_row *r;
		int m, d;

		if (gg_db_col_i64(st, 0) != talent) {
			talent = gg_db_col_i64(st, 0);
			used = 0;
		}
		if (status == NULL || strcmp(status, "planned") != 0)
			continue; /* lapsed: no amount, no cap room */
		if (due_on == NULL || gg_pack_parse_day(due_on, &due) != 0) {
			rc = gg_error_set(err, GG_E_DB, "plan %lld: due day '%s' is not a date", (long long)plan,
			                  due_on ? due_on : "");
			break;
		}
		if (due < from_day) {
			used += amount; /* kept as recorded */
			continue;
		}
		rc = params_of(set, w, plan, gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "",
		               gg_db_col_text(st, 3) ? gg_db_col_text(st, 3) : "", &cache, err);
		if (rc == GG_OK)
			rc = gg_policy_price_year(&cache.params, base, base, used, &pr, err);
		if (rc != GG_OK)
			break;
		used += pr.amount_fen;
		gg_clock_civil_from_days(due, &y, &m, &d);
		if ((r = row_of(out, (int)y)) == NULL) {
			rc = gg_error_set(err, GG_E_TOO_LARGE, "installments fall due in more than %d years",
			                  GG_WHATIF_YEARS_MAX);
			break;
		}
		r->installments++;
		r->old_fen += amount;
		r->new_fen += pr.amount_fen;
		out->total.installments++;
		out->total.old_fen += amount;
		out->total.new_fen += pr.amount_fen;
		if (plan != counted_plan) {
			/* one active formula plan per talent, and its rows come together */
			out->plans++;
			counted_plan = plan;
		}
	}
	gg_db_done(st);
	gg_db_rollback(db);
	return rc;
}
