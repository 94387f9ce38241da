/*
 * pack: loading and validating a policy pack file (pack.h). The YAML tree
 * comes from core/yaml.c; this file walks it with one small checker per
 * kind of value (text, integer, amount of yuan, date, token list), each
 * of which reports "path:line: field: reason" for the first problem, so a
 * policy officer sees exactly where a pack is wrong.
 */
#include "pack.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"
#include "../core/yaml.h"

static const char *const param_names[GG_PACK_PARAM__COUNT] = {
    "threshold_cny",
    "rate_bp",
    "years",
    "cap_cny",
    "cap_scope",
    "eligible_employer_kinds",
    "lapse_rules",
    "strategic_cap_cny",
    "recommendation_quota",
    "rounding",
    "tier",
    "high_level_tiers",
};

struct ctx {
	const char *path;
	const struct gg_vocabulary *vocab;
	struct gg_error *err;
};

const char *gg_pack_param_name(enum gg_pack_param param)
{
	return (unsigned)param < GG_PACK_PARAM__COUNT ? param_names[param] : "?";
}

int gg_pack_param_lookup(const char *name)
{
	for (int i = 0; name && i < GG_PACK_PARAM__COUNT; i++)
		if (strcmp(param_names[i], name) == 0)
			return i;
	return -1;
}

const char *gg_pack_hash(const struct gg_pack *p)
{
	return p->hash;
}

void gg_pack_free(struct gg_pack *p)
{
	free(p);
}

__attribute__((format(printf, 4, 5))) static enum gg_err bad(struct ctx *c, int line, const char *field,
                                                             const char *fmt, ...)
{
	char msg[GG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return gg_error_set(c->err, GG_E_INVALID, "%s:%d: %s: %s", c->path, line, field, msg);
}

/* Refuses keys of map not in allowed (NULL-terminated). */
static enum gg_err check_keys(struct ctx *c, const struct gg_yaml_node *map, const char *prefix,
                              const char *const *allowed)
{
	for (size_t i = 0; i < map->n; i++) {
		const char *const *a;

		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, map->keys[i]) == 0)
				break;
		if (*a == NULL)
			return bad(c, map->key_lines[i], prefix[0] ? prefix : "pack", "unknown field '%s'",
			           map->keys[i]);
	}
	return GG_OK;
}

/* The value of key in map: *node NULL when absent and optional. */
static enum gg_err member(struct ctx *c, const struct gg_yaml_node *map, const char *key, const char *field,
                          int required, enum gg_yaml_kind kind, const struct gg_yaml_node **node)
{
	*node = gg_yaml_get(map, key, NULL);
	if (*node == NULL)
		return required ? bad(c, map->line, field, "missing") : GG_OK;
	if ((*node)->kind != kind)
		return bad(c, (*node)->line, field, "must be a %s, not a %s", gg_yaml_kind_name(kind),
		           gg_yaml_kind_name((*node)->kind));
	return GG_OK;
}

static enum gg_err text(struct ctx *c, const struct gg_yaml_node *n, const char *field, char *out, size_t outsz)
{
	size_t len;

	if (n->kind != GG_YAML_SCALAR)
		return bad(c, n->line, field, "must be a scalar, not a %s", gg_yaml_kind_name(n->kind));
	len = strlen(n->value);
	if (len == 0)
		return bad(c, n->line, field, "empty");
	if (len >= outsz)
		return bad(c, n->line, field, "longer than %zu bytes", outsz - 1);
	memcpy(out, n->value, len + 1);
	return GG_OK;
}

/* A plain (unquoted) decimal integer in min..max. */
static enum gg_err integer(struct ctx *c, const struct gg_yaml_node *n, const char *field, int64_t min, int64_t max,
                           int64_t *out)
{
	const char *s = n->value;
	int64_t v = 0;

	if (n->kind != GG_YAML_SCALAR || n->quoted || s[0] == '\0')
		return bad(c, n->line, field, "must be an integer (unquoted)");
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return bad(c, n->line, field, "'%s' is not an integer", n->value);
		if (v > (INT64_MAX - 9) / 10)
			return bad(c, n->line, field, "'%s' is too large", n->value);
		v = v * 10 + (*s - '0');
	}
	if (v < min || v > max)
		return bad(c, n->line, field, "%lld is outside %lld..%lld", (long long)v, (long long)min,
		           (long long)max);
	*out = v;
	return GG_OK;
}

/* An amount of yuan: a quoted decimal string ("1000000.00") or a plain integer, never a YAML float. */
static enum gg_err money(struct ctx *c, const struct gg_yaml_node *n, const char *field, int64_t *fen)
{
	struct gg_error e;

	if (n->kind != GG_YAML_SCALAR)
		return bad(c, n->line, field, "must be an amount of yuan, not a %s", gg_yaml_kind_name(n->kind));
	if (!n->quoted && strspn(n->value, "0123456789") != strlen(n->value))
		return bad(c, n->line, field,
		           "'%s' is a YAML float or other plain value: write the yuan as a quoted string "
		           "(\"1000000.00\") or an integer",
		           n->value);
	gg_error_init(&e);
	if (gg_money_parse(n->value, fen, &e) != GG_OK)
		return bad(c, n->line, field, "'%s': %s", n->value, gg_error_message(&e));
	return GG_OK;
}

int gg_pack_parse_day(const char *s, int64_t *day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return -1;
	*day = gg_clock_days_from_civil(y, m, d);
	return 0;
}

static enum gg_err date(struct ctx *c, const struct gg_yaml_node *n, const char *field, char out[11], int64_t *day)
{
	if (n->kind != GG_YAML_SCALAR || gg_pack_parse_day(n->value, day) != 0)
		return bad(c, n->line, field, "must be a date YYYY-MM-DD");
	memcpy(out, n->value, 11);
	return GG_OK;
}

/* One of the allowed tokens (NULL-terminated). */
static enum gg_err token_of(struct ctx *c, const struct gg_yaml_node *n, const char *field, const char *const *allowed,
                            char *out, size_t outsz)
{
	enum gg_err rc = text(c, n, field, out, outsz);

	if (rc != GG_OK)
		return rc;
	for (; *allowed; allowed++)
		if (strcmp(*allowed, out) == 0)
			return GG_OK;
	return bad(c, n->line, field, "'%s' is not supported", out);
}

static enum gg_err tier(struct ctx *c, const struct gg_yaml_node *n, const char *field, char out[GG_PACK_TOKEN_MAX])
{
	enum gg_err rc = text(c, n, field, out, GG_PACK_TOKEN_MAX);

	if (rc != GG_OK)
		return rc;
	for (size_t i = 0; c->vocab != NULL && i < c->vocab->ntiers; i++)
		if (strcmp(c->vocab->tiers[i].token, out) == 0)
			return GG_OK;
	return bad(c, n->line, field, "unknown tier '%s'", out);
}

/* parameters.NAME: {value: V, reference: "..."}; *value gets V. */
static enum gg_err param(struct ctx *c, const struct gg_yaml_node *params, enum gg_pack_param p, const char *base,
                         struct gg_pack_version *v, const struct gg_yaml_node **value)
{
	static const char *const keys[] = {"value", "reference", NULL};
	const struct gg_yaml_node *n, *ref;
	char field[GG_ERROR_FIELD_MAX], sub[GG_ERROR_FIELD_MAX + 16];
	enum gg_err rc;

	snprintf(field, sizeof(field), "%s.%s", base, param_names[p]);
	rc = member(c, params, param_names[p], field, 1, GG_YAML_MAP, &n);
	if (rc == GG_E_INVALID && (n = gg_yaml_get(params, param_names[p], NULL)) != NULL)
		return bad(c, n->line, field, "write it as {value: ..., reference: \"...\"}");
	if (rc != GG_OK)
		return rc;
	if ((rc = check_keys(c, n, field, keys)) != GG_OK)
		return rc;
	snprintf(sub, sizeof(sub), "%s.value", field);
	*value = gg_yaml_get(n, "value", NULL);
	if (*value == NULL)
		return bad(c, n->line, sub, "missing");
	snprintf(sub, sizeof(sub), "%s.reference", field);
	if ((rc = member(c, n, "reference", sub, 1, GG_YAML_SCALAR, &ref)) != GG_OK)
		return rc;
	return text(c, ref, sub, v->refs[p], sizeof(v->refs[p]));
}

/* The optional parameters.card_tiers: {value: [tiers], reference: "..."}; absent: has_card_tiers 0. */
static enum gg_err card_tiers(struct ctx *c, const struct gg_yaml_node *params, const char *base,
                              struct gg_pack_version *v)
{
	static const char *const keys[] = {"value", "reference", NULL};
	const struct gg_yaml_node *n, *val, *ref;
	char field[GG_ERROR_FIELD_MAX], sub[GG_ERROR_FIELD_MAX + 16];
	enum gg_err rc;

	snprintf(field, sizeof(field), "%s.card_tiers", base);
	if (gg_yaml_get(params, "card_tiers", NULL) == NULL)
		return GG_OK;
	if ((rc = member(c, params, "card_tiers", field, 1, GG_YAML_MAP, &n)) != GG_OK)
		return bad(c, gg_yaml_get(params, "card_tiers", NULL)->line, field,
		           "write it as {value: [...], reference: \"...\"}");
	if ((rc = check_keys(c, n, field, keys)) != GG_OK)
		return rc;
	snprintf(sub, sizeof(sub), "%s.reference", field);
	if ((rc = member(c, n, "reference", sub, 1, GG_YAML_SCALAR, &ref)) != GG_OK ||
	    (rc = text(c, ref, sub, v->card_tiers_ref, sizeof(v->card_tiers_ref))) != GG_OK)
		return rc;
	snprintf(sub, sizeof(sub), "%s.value", field);
	if ((val = gg_yaml_get(n, "value", NULL)) == NULL)
		return bad(c, n->line, sub, "missing");
	if (val->kind != GG_YAML_SEQ)
		return bad(c, val->line, sub, "must be a list of tiers");
	if (val->n > GG_PACK_TIERS_MAX)
		return bad(c, val->line, sub, "more than %d tiers", GG_PACK_TIERS_MAX);
	for (size_t i = 0; i < val->n; i++) {
		if ((rc = tier(c, val->items[i], sub, v->card_tiers[v->ncard])) != GG_OK)
			return rc;
		for (size_t j = 0; j < v->ncard; j++)
			if (strcmp(v->card_tiers[j], v->card_tiers[v->ncard]) == 0)
				return bad(c, val->items[i]->line, sub, "'%s' is listed twice", v->card_tiers[j]);
		v->ncard++;
	}
	v->has_card_tiers = 1;
	return GG_OK;
}

static enum gg_err load_params(struct ctx *c, const struct gg_yaml_node *params, const char *base,
                               struct gg_pack_version *v)
{
	static const char *const scopes[] = {"total", NULL};
	static const char *const roundings[] = {"half_up", NULL};
	const char *keys[GG_PACK_PARAM__COUNT + 2];
	const struct gg_yaml_node *n;
	char field[GG_ERROR_FIELD_MAX + 32], rules[128];
	int64_t i64;
	enum gg_err rc;

	for (int i = 0; i < GG_PACK_PARAM__COUNT; i++)
		keys[i] = param_names[i];
	keys[GG_PACK_PARAM__COUNT] = "card_tiers";
	keys[GG_PACK_PARAM__COUNT + 1] = NULL;
	if ((rc = check_keys(c, params, base, keys)) != GG_OK)
		return rc;
#define FIELD(p) (snprintf(field, sizeof(field), "%s.%s", base, param_names[p]), field)
	if ((rc = param(c, params, GG_PACK_THRESHOLD, base, v, &n)) != GG_OK ||
	    (rc = money(c, n, FIELD(GG_PACK_THRESHOLD), &v->threshold_fen)) != GG_OK)
		return rc;
	if ((rc = param(c, params, GG_PACK_RATE_BP, base, v, &n)) != GG_OK ||
	    (rc = integer(c, n, FIELD(GG_PACK_RATE_BP), 0, 10000, &v->rate_bp)) != GG_OK)
		return rc;
	if ((rc = param(c, params, GG_PACK_YEARS, base, v, &n)) != GG_OK ||
	    (rc = integer(c, n, FIELD(GG_PACK_YEARS), 1, GG_POLICY_YEARS_MAX, &i64)) != GG_OK)
		return rc;
	v->years = (int)i64;
	if ((rc = param(c, params, GG_PACK_CAP, base, v, &n)) != GG_OK ||
	    (rc = money(c, n, FIELD(GG_PACK_CAP), &v->cap_fen)) != GG_OK)
		return rc;
	if ((rc = param(c, params, GG_PACK_CAP_SCOPE, base, v, &n)) != GG_OK ||
	    (rc = token_of(c, n, FIELD(GG_PACK_CAP_SCOPE), scopes, v->cap_scope, sizeof(v->cap_scope))) != GG_OK)
		return rc;
	if ((rc = param(c, params, GG_PACK_ELIGIBLE_KINDS, base, v, &n)) != GG_OK)
		return rc;
	FIELD(GG_PACK_ELIGIBLE_KINDS);
	if (n->kind != GG_YAML_SEQ || n->n == 0)
		return bad(c, n->line, field, "must be a non-empty list of organisation kinds");
	if (n->n > GG_POLICY_KINDS_MAX)
		return bad(c, n->line, field, "more than %d kinds", GG_POLICY_KINDS_MAX);
	for (size_t i = 0; i < n->n; i++) {
		const struct gg_yaml_node *k = n->items[i];
		const struct gg_vocab_item *item;

		if (k->kind != GG_YAML_SCALAR || (item = gg_vocab_item(GG_VOCAB_ORG_KIND, k->value)) == NULL)
			return bad(c, k->line, field, "unknown organisation kind '%s'",
			           k->kind == GG_YAML_SCALAR ? k->value : gg_yaml_kind_name(k->kind));
		for (size_t j = 0; j < v->neligible; j++)
			if (strcmp(v->eligible_kinds[j], item->token) == 0)
				return bad(c, k->line, field, "'%s' is listed twice", item->token);
		v->eligible_kinds[v->neligible++] = item->token;
	}
	if ((rc = param(c, params, GG_PACK_LAPSE_RULES, base, v, &n)) != GG_OK)
		return rc;
	FIELD(GG_PACK_LAPSE_RULES);
	for (int i = 0, used = 0; i < GG_POLICY_LAPSE_RULES; i++)
		used += snprintf(rules + used, sizeof(rules) - (size_t)used, "%s%s", i ? ", " : "",
		                 gg_policy_lapse_token(i));
	if (n->kind != GG_YAML_SEQ)
		return bad(c, n->line, field, "must be a list of lapse rules (%s), [] for none", rules);
	for (size_t i = 0; i < n->n; i++) {
		const struct gg_yaml_node *k = n->items[i];
		unsigned flag = k->kind == GG_YAML_SCALAR ? gg_policy_lapse_lookup(k->value) : 0;

		if (flag == 0)
			return bad(c, k->line, field, "unknown lapse rule '%s' (the rules: %s)",
			           k->kind == GG_YAML_SCALAR ? k->value : gg_yaml_kind_name(k->kind), rules);
		if (v->lapse_rules & flag)
			return bad(c, k->line, field, "'%s' is listed twice", k->value);
		v->lapse_rules |= flag;
	}
	if ((rc = param(c, params, GG_PACK_STRATEGIC_CAP, base, v, &n)) != GG_OK ||
	    (rc = money(c, n, FIELD(GG_PACK_STRATEGIC_CAP), &v->strategic_cap_fen)) != GG_OK)
		return rc;
	if ((rc = param(c, params, GG_PACK_QUOTA, base, v, &n)) != GG_OK ||
	    (rc = integer(c, n, FIELD(GG_PACK_QUOTA), 0, 1000000, &v->recommendation_quota)) != GG_OK)
		return rc;
	if ((rc = param(c, params, GG_PACK_ROUNDING, base, v, &n)) != GG_OK ||
	    (rc = token_of(c, n, FIELD(GG_PACK_ROUNDING), roundings, v->rounding, sizeof(v->rounding))) != GG_OK)
		return rc;
	if ((rc = param(c, params, GG_PACK_TIER, base, v, &n)) != GG_OK ||
	    (rc = tier(c, n, FIELD(GG_PACK_TIER), v->tier)) != GG_OK)
		return rc;
	if ((rc = param(c, params, GG_PACK_HIGH_LEVEL_TIERS, base, v, &n)) != GG_OK)
		return rc;
	FIELD(GG_PACK_HIGH_LEVEL_TIERS);
	if (n->kind != GG_YAML_SEQ)
		return bad(c, n->line, field, "must be a list of tiers");
	if (n->n > GG_PACK_TIERS_MAX)
		return bad(c, n->line, field, "more than %d tiers", GG_PACK_TIERS_MAX);
	for (size_t i = 0; i < n->n; i++) {
		if ((rc = tier(c, n->items[i], field, v->high_level_tiers[v->nhigh])) != GG_OK)
			return rc;
		for (size_t j = 0; j < v->nhigh; j++)
			if (strcmp(v->high_level_tiers[j], v->high_level_tiers[v->nhigh]) == 0)
				return bad(c, n->items[i]->line, field, "'%s' is listed twice", v->high_level_tiers[j]);
		v->nhigh++;
	}
#undef FIELD
	return card_tiers(c, params, base, v);
}

static enum gg_err load_version(struct ctx *c, const struct gg_yaml_node *n, size_t idx, struct gg_pack_version *v)
{
	static const char *const keys[] = {"version", "from", "to", "reference", "parameters", NULL};
	const struct gg_yaml_node *m;
	char base[64], field[96];
	enum gg_err rc;

	snprintf(base, sizeof(base), "versions.%zu", idx);
	if (n->kind != GG_YAML_MAP)
		return bad(c, n->line, base, "must be a map");
	if ((rc = check_keys(c, n, base, keys)) != GG_OK)
		return rc;
	v->line = n->line;
	snprintf(field, sizeof(field), "%s.version", base);
	if ((rc = member(c, n, "version", field, 1, GG_YAML_SCALAR, &m)) != GG_OK ||
	    (rc = text(c, m, field, v->version, sizeof(v->version))) != GG_OK)
		return rc;
	snprintf(field, sizeof(field), "%s.from", base);
	if ((rc = member(c, n, "from", field, 1, GG_YAML_SCALAR, &m)) != GG_OK ||
	    (rc = date(c, m, field, v->from, &v->from_day)) != GG_OK)
		return rc;
	snprintf(field, sizeof(field), "%s.to", base);
	if ((rc = member(c, n, "to", field, 0, GG_YAML_SCALAR, &m)) != GG_OK)
		return rc;
	v->to_day = INT64_MAX;
	if (m != NULL) {
		if ((rc = date(c, m, field, v->to, &v->to_day)) != GG_OK)
			return rc;
		if (v->to_day <= v->from_day)
			return bad(c, m->line, field, "%s is not after from %s", v->to, v->from);
	}
	snprintf(field, sizeof(field), "%s.reference", base);
	if ((rc = member(c, n, "reference", field, 1, GG_YAML_SCALAR, &m)) != GG_OK ||
	    (rc = text(c, m, field, v->reference, sizeof(v->reference))) != GG_OK)
		return rc;
	snprintf(field, sizeof(field), "%s.parameters", base);
	if ((rc = member(c, n, "parameters", field, 1, GG_YAML_MAP, &m)) != GG_OK)
		return rc;
	return load_params(c, m, field, v);
}

static enum gg_err load_tree(struct ctx *c, const struct gg_yaml_node *root, struct gg_pack *p)
{
	static const char *const keys[] = {"name", "title", "versions", NULL};
	const struct gg_yaml_node *n;
	enum gg_err rc;

	if (root->kind != GG_YAML_MAP)
		return bad(c, root->line, "pack", "must be a map with name, title and versions");
	if ((rc = check_keys(c, root, "", keys)) != GG_OK)
		return rc;
	if ((rc = member(c, root, "name", "name", 1, GG_YAML_SCALAR, &n)) != GG_OK ||
	    (rc = text(c, n, "name", p->name, sizeof(p->name))) != GG_OK)
		return rc;
	if (strspn(p->name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(p->name))
		return bad(c, n->line, "name", "'%s' may hold only a-z, 0-9, '-' and '_'", p->name);
	if ((rc = member(c, root, "title", "title", 1, GG_YAML_SCALAR, &n)) != GG_OK ||
	    (rc = text(c, n, "title", p->title, sizeof(p->title))) != GG_OK)
		return rc;
	if ((rc = member(c, root, "versions", "versions", 1, GG_YAML_SEQ, &n)) != GG_OK)
		return rc;
	if (n->n == 0)
		return bad(c, n->line, "versions", "empty: a pack needs at least one version");
	if (n->n > GG_PACK_VERSIONS_MAX)
		return bad(c, n->line, "versions", "more than %d versions", GG_PACK_VERSIONS_MAX);
	for (size_t i = 0; i < n->n; i++) {
		struct gg_pack_version *v = &p->versions[i];
		char field[64];

		if ((rc = load_version(c, n->items[i], i, v)) != GG_OK)
			return rc;
		snprintf(field, sizeof(field), "versions.%zu", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->versions[j].version, v->version) == 0)
				return bad(c, v->line, field, "version '%s' appears twice", v->version);
		if (i > 0) {
			const struct gg_pack_version *prev = &p->versions[i - 1];

			if (prev->to_day == INT64_MAX)
				return bad(c, v->line, field,
				           "overlaps version '%s', which has no 'to' (versions must not overlap)",
				           prev->version);
			if (v->from_day < prev->to_day)
				return bad(c, v->line, field,
				           "from %s is before %s, the end of version '%s' (versions must be in order "
				           "and not overlap)",
				           v->from, prev->to, prev->version);
		}
		p->nversions = i + 1;
	}
	return GG_OK;
}

enum gg_err gg_pack_load(const char *path, const struct gg_vocabulary *vocab, struct gg_pack **out,
                         struct gg_error *err)
{
	static const struct gg_yaml_limits lim = {GG_PACK_FILE_MAX, 16, 20000};
	struct ctx c = {path, vocab, err};
	struct gg_yaml_node *root = NULL;
	struct gg_pack *p = NULL;
	struct gg_buf file;
	enum gg_err rc;

	*out = NULL;
	gg_buf_init(&file, GG_PACK_FILE_MAX);
	rc = gg_buf_read_file(&file, path, err);
	if (rc != GG_OK)
		goto out;
	rc = gg_yaml_parse(path, file.buf, file.len, &lim, &root, err);
	if (rc != GG_OK)
		goto out;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	gg_crypto_sha256_hex(file.buf, file.len, p->hash);
	rc = load_tree(&c, root, p);
	if (rc != GG_OK)
		goto out;
	*out = p;
	p = NULL;
out:
	gg_pack_free(p);
	gg_yaml_free(root);
	gg_buf_release(&file);
	return rc;
}

const struct gg_pack_version *gg_pack_version_on(const struct gg_pack *p, int64_t day)
{
	for (size_t i = 0; i < p->nversions; i++)
		if (p->versions[i].from_day <= day && day < p->versions[i].to_day)
			return &p->versions[i];
	return NULL;
}

enum gg_err gg_pack_params_on(const struct gg_pack *p, int64_t day, struct gg_policy_params *out, struct gg_error *err)
{
	const struct gg_pack_version *v = gg_pack_version_on(p, day);

	memset(out, 0, sizeof(*out));
	if (v == NULL) {
		int64_t y;
		int m, d;

		gg_clock_civil_from_days(day, &y, &m, &d);
		return gg_error_set(err, GG_E_RULE, "no version of '%s' in force on %04lld-%02d-%02d", p->name,
		                    (long long)y, m, d);
	}
	snprintf(out->pack, sizeof(out->pack), "%s", p->name);
	memcpy(out->effective_from, v->from, sizeof(out->effective_from));
	out->threshold_fen = v->threshold_fen;
	out->rate_bp = v->rate_bp;
	out->years = v->years;
	out->cap_fen = v->cap_fen;
	for (size_t i = 0; i < v->neligible; i++)
		out->eligible_kinds[i] = v->eligible_kinds[i];
	out->neligible = v->neligible;
	out->tier = v->tier;
	out->lapse_rules = v->lapse_rules;
	return GG_OK;
}

void gg_pack_param_text(const struct gg_pack_version *v, enum gg_pack_param param, char *out, size_t outsz)
{
	char m[GG_MONEY_TEXT_MAX];
	size_t used = 0;

	out[0] = '\0';
	switch (param) {
	case GG_PACK_THRESHOLD:
		snprintf(out, outsz, "%s", gg_money_format_grouped(v->threshold_fen, m));
		break;
	case GG_PACK_RATE_BP:
		snprintf(out, outsz, "%lld", (long long)v->rate_bp);
		break;
	case GG_PACK_YEARS:
		snprintf(out, outsz, "%d", v->years);
		break;
	case GG_PACK_CAP:
		snprintf(out, outsz, "%s", gg_money_format_grouped(v->cap_fen, m));
		break;
	case GG_PACK_CAP_SCOPE:
		snprintf(out, outsz, "%s", v->cap_scope);
		break;
	case GG_PACK_ELIGIBLE_KINDS:
		for (size_t i = 0; i < v->neligible && used < outsz; i++)
			used += (size_t)snprintf(out + used, outsz - used, "%s%s", i ? ", " : "", v->eligible_kinds[i]);
		break;
	case GG_PACK_LAPSE_RULES:
		for (int i = 0; i < GG_POLICY_LAPSE_RULES && used < outsz; i++)
			if (v->lapse_rules & (1u << i))
				used += (size_t)snprintf(out + used, outsz - used, "%s%s", used ? ", " : "",
				                         gg_policy_lapse_token(i));
		if (used == 0)
			snprintf(out, outsz, "none");
		break;
	case GG_PACK_STRATEGIC_CAP:
		snprintf(out, outsz, "%s", gg_money_format_grouped(v->strategic_cap_fen, m));
		break;
	case GG_PACK_QUOTA:
		snprintf(out, outsz, "%lld", (long long)v->recommendation_quota);
		break;
	case GG_PACK_ROUNDING:
		snprintf(out, outsz, "%s", v->rounding);
		break;
	case GG_PACK_TIER:
		snprintf(out, outsz, "%s", v->tier);
		break;
	case GG_PACK_HIGH_LEVEL_TIERS:
		for (size_t i = 0; i < v->nhigh && used < outsz; i++)
			used +=
			    (size_t)snprintf(out + used, outsz - used, "%s%s", i ? ", " : "", v->high_level_tiers[i]);
		break;
	case GG_PACK_PARAM__COUNT:
		break;
	}
}

int gg_pack_card_tier(const struct gg_pack_version *v, const char *tier)
{
	size_t n = v->has_card_tiers ? v->ncard : v->nhigh;

	for (size_t i = 0; tier && i < n && i < GG_PACK_TIERS_MAX; i++)
		if (strcmp(v->has_card_tiers ? v->card_tiers[i] : v->high_level_tiers[i], tier) == 0)
			return 1;
	return 0;
}

void gg_pack_card_tiers_text(const struct gg_pack_version *v, char *out, size_t outsz)
{
	size_t used = 0;

	if (!v->has_card_tiers) {
		gg_pack_param_text(v, GG_PACK_HIGH_LEVEL_TIERS, out, outsz);
		return;
	}
	if (outsz)
		out[0] = '\0';
	for (size_t i = 0; i < v->ncard && used < outsz; i++)
		used += (size_t)snprintf(out + used, outsz - used, "%s%s", i ? ", " : "", v->card_tiers[i]);
}
