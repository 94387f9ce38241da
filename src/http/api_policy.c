/*
 * api_policy: the rules as data over HTTP (permission policy_read).
 * GET /api/v1/policy/packs lists every pack the server loaded at start,
 * each version with its interval, reference, content hash (the one a
 * decision's stamp records, gg_policyset_version_hash) and parameters,
 * each parameter as text for people ("1,000,000.00"), a value for
 * programs (integer fen in value_fen for amounts of yuan, else value) and
 * its legal reference. POST /api/v1/policy/simulate answers the decision
 * `guanggu subsidy simulate` prints, from the same fields (salary, paid:
 * decimal strings of yuan; a JSON number for money is refused), through
 * domain/simulate.c; nothing is written. Also gg_api_decision_json, the
 * decision object of every answer that carries one (simulate, a hire):
 * the copy of the domain's view into JSON whose twin for the command line
 * is in cli/cmd_subsidy.c (simulate.h says why there are two).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/policyset.h"
#include "../domain/simulate.h"
#include "api.h"

#define NAME_JSON_MAX 64
#define TEXT_JSON_MAX 64

struct gg_json *gg_api_decision_json(const struct gg_simulation *s)
{
	struct gg_json *o = gg_json_object(), *inst = gg_json_array(), *trace = gg_json_array();
	int ok = o != NULL;

	/* each set and append takes its value, even on failure */
	for (int i = 0; i < s->ninst; i++) {
		struct gg_json *it = gg_json_object();

		ok &= gg_json_set_int(it, "year", s->inst[i].year) == GG_OK;
		ok &= gg_json_set_str(it, "due", s->inst[i].due) == GG_OK;
		ok &= gg_json_set_int(it, "amount_fen", s->inst[i].amount_fen) == GG_OK;
		ok &= gg_json_set_str(it, "status", s->inst[i].status) == GG_OK;
		ok &= gg_json_append(inst, it) == GG_OK;
	}
	for (size_t i = 0; i < s->ntrace; i++)
		ok &= gg_json_append(trace, gg_json_string(s->trace[i])) == GG_OK;
	ok &= gg_json_set_bool(o, "recognized", s->recognized) == GG_OK;
	ok &= gg_json_set_str(o, "tier", s->tier) == GG_OK;
	ok &= gg_json_set_str(o, "policy", s->policy) == GG_OK;
	ok &= gg_json_set_str(o, "version", s->version) == GG_OK;
	ok &= gg_json_set(o, "installments", inst) == GG_OK;
	ok &= gg_json_set_int(o, "total_fen", s->total_fen) == GG_OK;
	ok &= gg_json_set(o, "trace", trace) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* ---- GET /api/v1/policy/packs ---- */

/* A list of tokens as a JSON array. */
static struct gg_json *tokens_json(const char *const *tokens, size_t n)
{
	struct gg_json *a = gg_json_array();
	int ok = a != NULL;

	for (size_t i = 0; i < n; i++)
		ok &= gg_json_append(a, gg_json_string(tokens[i])) == GG_OK;
	if (!ok) {
		gg_json_free(a);
		return NULL;
	}
	return a;
}

/* Sets o's machine value of param: "value_fen" for amounts, "value" for the rest. */
static int set_value(struct gg_json *o, const struct gg_pack_version *v, enum gg_pack_param param)
{
	const char *list[GG_PACK_TIERS_MAX > GG_POLICY_KINDS_MAX ? GG_PACK_TIERS_MAX : GG_POLICY_KINDS_MAX];
	size_t n = 0;

	switch (param) {
	case GG_PACK_THRESHOLD:
		return gg_json_set_int(o, "value_fen", v->threshold_fen) == GG_OK;
	case GG_PACK_CAP:
		return gg_json_set_int(o, "value_fen", v->cap_fen) == GG_OK;
	case GG_PACK_STRATEGIC_CAP:
		return gg_json_set_int(o, "value_fen", v->strategic_cap_fen) == GG_OK;
	case GG_PACK_RATE_BP:
		return gg_json_set_int(o, "value", v->rate_bp) == GG_OK;
	case GG_PACK_YEARS:
		return gg_json_set_int(o, "value", v->years) == GG_OK;
	case GG_PACK_QUOTA:
		return gg_json_set_int(o, "value", v->recommendation_quota) == GG_OK;
	case GG_PACK_CAP_SCOPE:
		return gg_json_set_str(o, "value", v->cap_scope) == GG_OK;
	case GG_PACK_ROUNDING:
		return gg_json_set_str(o, "value", v->rounding) == GG_OK;
	case GG_PACK_TIER:
		return gg_json_set_str(o, "value", v->tier) == GG_OK;
	case GG_PACK_ELIGIBLE_KINDS:
		return gg_json_set(o, "value", tokens_json(v->eligible_kinds, v->neligible)) == GG_OK;
	case GG_PACK_LAPSE_RULES:
		for (int i = 0; i < GG_POLICY_LAPSE_RULES; i++)
			if (v->lapse_rules & (1u << i))
				list[n++] = gg_policy_lapse_token(i);
		return gg_json_set(o, "value", tokens_json(list, n)) == GG_OK;
	case GG_PACK_HIGH_LEVEL_TIERS:
		for (size_t i = 0; i < v->nhigh && i < GG_PACK_TIERS_MAX; i++)
			list[n++] = v->high_level_tiers[i];
		return gg_json_set(o, "value", tokens_json(list, n)) == GG_OK;
	case GG_PACK_PARAM__COUNT:
		break;
	}
	return 0;
}

static struct gg_json *version_json(const struct gg_pack *p, const struct gg_pack_version *v, struct gg_error *err)
{
	struct gg_json *o = gg_json_object(), *params = gg_json_object();
	char hash[GG_SHA256_HEX], text[1024];
	int ok = o && params;

	if (gg_policyset_version_hash(p, v, hash, err) != GG_OK) {
		gg_json_free(o);
		gg_json_free(params);
		return NULL;
	}
	for (int i = 0; i < GG_PACK_PARAM__COUNT; i++) {
		struct gg_json *param = gg_json_object();

		gg_pack_param_text(v, (enum gg_pack_param)i, text, sizeof(text));
		ok &= gg_json_set_str(param, "text", text) == GG_OK;
		ok &= param != NULL && set_value(param, v, (enum gg_pack_param)i);
		ok &= gg_json_set_str(param, "reference", v->refs[i]) == GG_OK;
		ok &= gg_json_set(params, gg_pack_param_name((enum gg_pack_param)i), param) == GG_OK;
	}
	if (v->has_card_tiers) {
		struct gg_json *param = gg_json_object(), *list = gg_json_array();

		gg_pack_card_tiers_text(v, text, sizeof(text));
		for (size_t i = 0; list && i < v->ncard; i++)
			ok &= gg_json_append(list, gg_json_string(v->card_tiers[i])) == GG_OK;
		ok &= gg_json_set_str(param, "text", text) == GG_OK;
		ok &= gg_json_set(param, "value", list) == GG_OK;
		ok &= gg_json_set_str(param, "reference", v->card_tiers_ref) == GG_OK;
		ok &= gg_json_set(params, "card_tiers", param) == GG_OK;
	}
	ok &= gg_json_set_str(o, "version", v->version) == GG_OK;
	ok &= gg_json_set_str(o, "from", v->from) == GG_OK;
	ok &= gg_json_set_str(o, "to", v->to[0] ? v->to : NULL) == GG_OK;
	ok &= gg_json_set_str(o, "reference", v->reference) == GG_OK;
	ok &= gg_json_set_str(o, "hash", hash) == GG_OK;
	ok &= gg_json_set(o, "params", params) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		gg_error_set(err, GG_E_NOMEM, NULL);
		return NULL;
	}
	return o;
}

static struct gg_json *pack_json(const struct gg_pack *p, struct gg_error *err)
{
	struct gg_json *o = gg_json_object(), *versions = gg_json_array();
	int ok = o && versions;

	for (size_t i = 0; ok && i < p->nversions; i++) {
		struct gg_json *v = version_json(p, &p->versions[i], err);

		ok = v != NULL && gg_json_append(versions, v) == GG_OK;
	}
	ok &= gg_json_set_str(o, "name", p->name) == GG_OK;
	ok &= gg_json_set_str(o, "title", p->title) == GG_OK;
	ok &= gg_json_set_str(o, "file_hash", gg_pack_hash(p)) == GG_OK;
	ok &= gg_json_set(o, "versions", versions) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		if (err->code == GG_OK)
			gg_error_set(err, GG_E_NOMEM, NULL);
		return NULL;
	}
	return o;
}

enum gg_err api_policy_packs(struct gg_req *req, struct gg_error *err)
{
	const struct gg_policyset *set = gg_req_policies(req);
	struct gg_json *body = gg_json_object(), *items = gg_json_array();
	int ok = body && items;

	for (size_t i = 0; ok && i < gg_policyset_count(set); i++) {
		struct gg_json *p = pack_json(gg_policyset_at(set, i), err);

		ok = p != NULL && gg_json_append(items, p) == GG_OK;
	}
	ok &= gg_json_set(body, "items", items) == GG_OK;
	if (!ok) {
		gg_json_free(body);
		return err->code != GG_OK ? err->code : gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}

/* ---- POST /api/v1/policy/simulate ---- */

static const struct gg_json_field simulate_fields[] = {
    {.name = "salary", .want = GG_WANT_STRING, .required = 1, .max_len = TEXT_JSON_MAX},
    {.name = "employer_kind", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX, .nullable = 1},
    {.name = "start", .want = GG_WANT_STRING, .max_len = TEXT_JSON_MAX, .nullable = 1},
    {.name = "paid", .want = GG_WANT_STRING_ARRAY, .max_len = GG_POLICY_YEARS_MAX, .nullable = 1, .allow_empty = 1},
    {.name = "end_after_years", .want = GG_WANT_INT, .nullable = 1},
    {.name = "policy", .want = GG_WANT_STRING, .max_len = NAME_JSON_MAX, .nullable = 1},
};

/* A JSON number where money belongs: refused with its own words (the field table would only say "a string"). */
static void money_numbers(const struct gg_json *b, struct gg_error *err)
{
	const struct gg_json *salary = gg_json_get(b, "salary"), *paid = gg_json_get(b, "paid");
	enum gg_json_kind k;

	if (salary && ((k = gg_json_kind(salary)) == GG_JSON_INT || k == GG_JSON_REAL))
		gg_error_field(err, GG_E_WRONG_TYPE, "salary",
		               "salary is a decimal string of yuan (\"1200000.00\"), not a JSON number");
	for (size_t i = 0; paid && gg_json_kind(paid) == GG_JSON_ARRAY && i < gg_json_size(paid); i++) {
		char field[32];

		if ((k = gg_json_kind(gg_json_at(paid, i))) != GG_JSON_INT && k != GG_JSON_REAL)
			continue;
		snprintf(field, sizeof(field), "paid.%zu", i);
		gg_error_field(err, GG_E_WRONG_TYPE, field,
		               "salary paid in year %zu is a decimal string of yuan, not a JSON number", i + 1);
	}
}

/* A string member, or NULL when absent or null. */
static const char *str_of(const struct gg_json *b, const char *key)
{
	return gg_json_str(gg_json_get(b, key));
}

enum gg_err api_policy_simulate(struct gg_req *req, struct gg_error *err)
{
	const struct gg_json *b = gg_req_body(req), *paid, *years;
	struct gg_simulate_input in = {.end_after_years = -1};
	struct gg_simulation *sim = NULL;
	struct gg_json *body;
	int64_t today;
	enum gg_err rc;

	money_numbers(b, err);
	if (err->nfields > 0)
		return err->code;
	if ((rc = gg_json_check(b, simulate_fields, sizeof simulate_fields / sizeof simulate_fields[0], "", err)) !=
	    GG_OK)
		return rc;
	in.salary = str_of(b, "salary");
	in.employer_kind = str_of(b, "employer_kind");
	in.start = str_of(b, "start");
	in.policy = str_of(b, "policy");
	if ((paid = gg_json_get(b, "paid")) != NULL && gg_json_kind(paid) == GG_JSON_ARRAY) {
		in.npaid = gg_json_size(paid);
		for (size_t i = 0; i < in.npaid && i < GG_POLICY_YEARS_MAX; i++)
			in.paid[i] = gg_json_str(gg_json_at(paid, i));
	}
	if ((years = gg_json_get(b, "end_after_years")) != NULL && gg_json_kind(years) == GG_JSON_INT) {
		in.end_after_years = gg_json_intv(years);
		if (in.end_after_years < 0)
			return gg_error_field(err, GG_E_INVALID, "end_after_years", "end_after_years must be 0 to %d",
			                      GG_SIMULATE_YEARS_MAX);
	}
	if ((rc = gg_clock_today(&today, err)) != GG_OK)
		return rc;
	if ((sim = malloc(sizeof(*sim))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_simulate_run(gg_req_policies(req), &in, today, sim, err);
	if (rc == GG_OK) {
		body = gg_api_decision_json(sim);
		rc = body ? gg_resp_json(req, 200, body) : gg_error_set(err, GG_E_NOMEM, NULL);
	}
	free(sim);
	return rc;
}
