/*
 * policytest: policy tests as data; see policytest.h.
 */
#include "policytest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"
#include "../core/yaml.h"
#include "pack.h"
#include "policy.h"

#define FILE_MAX  (1024 * 1024)
#define PACKS_MAX 16

/* One expected installment: an amount or lapsed. */
struct want_inst {
	int lapsed;
	int64_t fen;
	int line;
};

struct tcase {
	const char *name;
	const char *policy;
	int line, policy_line;
	struct gg_policy_facts facts;
	int refused; /* expect: refused: rule */
	int refused_line;
	int recognised, recognised_line;
	const char *tier; /* NULL: not checked */
	int tier_line;
	struct want_inst inst[GG_POLICY_YEARS_MAX];
	int ninst, has_inst, inst_line;
	int64_t due[GG_POLICY_YEARS_MAX];
	int due_lines[GG_POLICY_YEARS_MAX];
	int ndue, has_due, due_line;
	int64_t total;
	int has_total, total_line;
};

struct run {
	const char *path;
	const char *dir;
	const struct gg_vocabulary *vocab;
	struct gg_error *err;
	struct gg_pack *packs[PACKS_MAX];
	size_t npacks;
};

static enum gg_err bad(struct run *r, int line, const char *field, const char *reason)
{
	return gg_error_set(r->err, GG_E_INVALID, "%s:%d: %s: %s", r->path, line, field, reason);
}

/* Refuses keys of map outside allowed (NULL-terminated). */
static enum gg_err only_keys(struct run *r, const struct gg_yaml_node *map, const char *where,
                             const char *const *allowed)
{
	for (size_t i = 0; i < map->n; i++) {
		size_t j;

		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(map->keys[i], allowed[j]) == 0)
				break;
		if (allowed[j] == NULL)
			return gg_error_set(r->err, GG_E_INVALID, "%s:%d: %s%s%s: unknown key", r->path,
			                    map->key_lines[i], where, where[0] ? "." : "", map->keys[i]);
	}
	return GG_OK;
}

/* The scalar under key (NULL when absent and optional). */
static enum gg_err scalar(struct run *r, const struct gg_yaml_node *map, const char *key, int required,
                          const struct gg_yaml_node **out, int *line)
{
	const struct gg_yaml_node *n = gg_yaml_get(map, key, line);

	*out = NULL;
	if (n == NULL)
		return required ? gg_error_set(r->err, GG_E_INVALID, "%s:%d: %s: missing", r->path, map->line, key)
		                : GG_OK;
	*line = n->line;
	if (n->kind != GG_YAML_SCALAR)
		return gg_error_set(r->err, GG_E_INVALID, "%s:%d: %s: expected a scalar, not a %s", r->path, n->line,
		                    key, gg_yaml_kind_name(n->kind));
	*out = n;
	return GG_OK;
}

static enum gg_err money(struct run *r, const struct gg_yaml_node *n, const char *field, int64_t *fen)
{
	struct gg_error e;

	if (!n->quoted)
		return gg_error_set(r->err, GG_E_INVALID,
		                    "%s:%d: %s: write money as a quoted yuan string (\"1000000.00\"), not '%s'",
		                    r->path, n->line, field, n->value);
	gg_error_init(&e);
	if (gg_money_parse(n->value, fen, &e) != GG_OK)
		return gg_error_set(r->err, GG_E_INVALID, "%s:%d: %s: '%s': %s", r->path, n->line, field, n->value,
		                    gg_error_message(&e));
	return GG_OK;
}

static enum gg_err date(struct run *r, const struct gg_yaml_node *n, const char *field, int64_t *day)
{
	if (gg_pack_parse_day(n->value, day) != 0)
		return bad(r, n->line, field, "not a date YYYY-MM-DD");
	return GG_OK;
}

static enum gg_err parse_facts(struct run *r, const struct gg_yaml_node *f, struct tcase *c)
{
	static const char *const keys[] = {"employer_kind", "salary", "start", "end", "paid", "earlier", NULL};
	const struct gg_yaml_node *n, *seq;
	int line;
	enum gg_err rc;

	if ((rc = only_keys(r, f, "facts", keys)) != GG_OK)
		return rc;
	c->facts.end_day = -1;
	if ((rc = scalar(r, f, "employer_kind", 1, &n, &line)) != GG_OK)
		return rc;
	if (gg_vocab_item(GG_VOCAB_ORG_KIND, n->value) == NULL)
		return bad(r, n->line, "facts.employer_kind", "not an organisation kind");
	c->facts.employer_kind = n->value;
	if ((rc = scalar(r, f, "salary", 1, &n, &line)) != GG_OK ||
	    (rc = money(r, n, "facts.salary", &c->facts.contract_fen)) != GG_OK)
		return rc;
	if ((rc = scalar(r, f, "start", 1, &n, &line)) != GG_OK ||
	    (rc = date(r, n, "facts.start", &c->facts.start_day)) != GG_OK)
		return rc;
	if ((rc = scalar(r, f, "end", 0, &n, &line)) != GG_OK)
		return rc;
	if (n != NULL && (rc = date(r, n, "facts.end", &c->facts.end_day)) != GG_OK)
		return rc;
	if ((rc = scalar(r, f, "earlier", 0, &n, &line)) != GG_OK)
		return rc;
	if (n != NULL && (rc = money(r, n, "facts.earlier", &c->facts.earlier_fen)) != GG_OK)
		return rc;
	seq = gg_yaml_get(f, "paid", &line);
	if (seq != NULL) {
		if (seq->kind != GG_YAML_SEQ)
			return bad(r, seq->line, "facts.paid", "expected a list of quoted yuan amounts");
		if (seq->n > GG_POLICY_YEARS_MAX)
			return bad(r, seq->line, "facts.paid", "more than 10 years");
		for (size_t i = 0; i < seq->n; i++) {
			if (seq->items[i]->kind != GG_YAML_SCALAR)
				return bad(r, seq->items[i]->line, "facts.paid", "expected a quoted yuan amount");
			if ((rc = money(r, seq->items[i], "facts.paid", &c->facts.paid_fen[i])) != GG_OK)
				return rc;
		}
		c->facts.npaid = (int)seq->n;
	}
	return GG_OK;
}

static enum gg_err parse_expect(struct run *r, const struct gg_yaml_node *x, struct tcase *c)
{
	static const char *const keys[] = {"recognised", "tier", "installments", "due", "total", "refused", NULL};
	const struct gg_yaml_node *n, *seq;
	int line;
	enum gg_err rc;

	if ((rc = only_keys(r, x, "expect", keys)) != GG_OK)
		return rc;
	if ((rc = scalar(r, x, "refused", 0, &n, &line)) != GG_OK)
		return rc;
	if (n != NULL) {
		if (strcmp(n->value, "rule") != 0)
			return bad(r, n->line, "expect.refused", "the only refusal is 'rule'");
		if (x->n != 1)
			return bad(r, x->line, "expect", "refused: rule stands alone");
		c->refused = 1;
		c->refused_line = n->line;
		return GG_OK;
	}
	if ((rc = scalar(r, x, "recognised", 1, &n, &line)) != GG_OK)
		return rc;
	if (n->quoted || (strcmp(n->value, "true") != 0 && strcmp(n->value, "false") != 0))
		return bad(r, n->line, "expect.recognised", "expected true or false");
	c->recognised = strcmp(n->value, "true") == 0;
	c->recognised_line = n->line;
	if ((rc = scalar(r, x, "tier", 0, &n, &line)) != GG_OK)
		return rc;
	if (n != NULL) {
		c->tier = n->value;
		c->tier_line = n->line;
	}
	if ((rc = scalar(r, x, "total", 1, &n, &line)) != GG_OK ||
	    (rc = money(r, n, "expect.total", &c->total)) != GG_OK)
		return rc;
	c->has_total = 1;
	c->total_line = n->line;
	seq = gg_yaml_get(x, "installments", &line);
	if (seq != NULL) {
		if (seq->kind != GG_YAML_SEQ || seq->n > GG_POLICY_YEARS_MAX)
			return bad(r, seq->line, "expect.installments",
			           "expected a list of at most 10 quoted yuan amounts or lapsed");
		c->has_inst = 1;
		c->inst_line = seq->line;
		c->ninst = (int)seq->n;
		for (size_t i = 0; i < seq->n; i++) {
			const struct gg_yaml_node *it = seq->items[i];

			if (it->kind != GG_YAML_SCALAR)
				return bad(r, it->line, "expect.installments",
				           "expected a quoted yuan amount or lapsed");
			c->inst[i].line = it->line;
			if (!it->quoted && strcmp(it->value, "lapsed") == 0)
				c->inst[i].lapsed = 1;
			else if ((rc = money(r, it, "expect.installments", &c->inst[i].fen)) != GG_OK)
				return rc;
		}
	}
	seq = gg_yaml_get(x, "due", &line);
	if (seq != NULL) {
		if (seq->kind != GG_YAML_SEQ || seq->n > GG_POLICY_YEARS_MAX)
			return bad(r, seq->line, "expect.due", "expected a list of at most 10 dates");
		c->has_due = 1;
		c->due_line = seq->line;
		c->ndue = (int)seq->n;
		for (size_t i = 0; i < seq->n; i++) {
			if (seq->items[i]->kind != GG_YAML_SCALAR)
				return bad(r, seq->items[i]->line, "expect.due", "expected a date YYYY-MM-DD");
			if ((rc = date(r, seq->items[i], "expect.due", &c->due[i])) != GG_OK)
				return rc;
			c->due_lines[i] = seq->items[i]->line;
		}
	}
	return GG_OK;
}

static enum gg_err parse_case(struct run *r, const struct gg_yaml_node *node, struct tcase *c)
{
	static const char *const keys[] = {"name", "policy", "facts", "expect", NULL};
	const struct gg_yaml_node *n;
	int line;
	enum gg_err rc;

	memset(c, 0, sizeof(*c));
	c->line = node->line;
	if (node->kind != GG_YAML_MAP)
		return bad(r, node->line, "case", "expected a map (name, policy, facts, expect)");
	if ((rc = only_keys(r, node, "", keys)) != GG_OK)
		return rc;
	if ((rc = scalar(r, node, "name", 1, &n, &line)) != GG_OK)
		return rc;
	if (n->value[0] == '\0')
		return bad(r, n->line, "name", "empty");
	c->name = n->value;
	if ((rc = scalar(r, node, "policy", 1, &n, &line)) != GG_OK)
		return rc;
	if (n->value[0] == '\0' || strspn(n->value, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(n->value))
		return bad(r, n->line, "policy", "not a pack name (a-z, 0-9, '-', '_')");
	c->policy = n->value;
	c->policy_line = n->line;
	n = gg_yaml_get(node, "facts", &line);
	if (n == NULL || n->kind != GG_YAML_MAP)
		return bad(r, n ? n->line : node->line, "facts", n ? "expected a map" : "missing");
	if ((rc = parse_facts(r, n, c)) != GG_OK)
		return rc;
	n = gg_yaml_get(node, "expect", &line);
	if (n == NULL || n->kind != GG_YAML_MAP)
		return bad(r, n ? n->line : node->line, "expect", n ? "expected a map" : "missing");
	return parse_expect(r, n, c);
}

/* The loaded pack named name (loading policy_dir/NAME.yaml once); GG_E_INVALID when there is none. */
static enum gg_err find_pack(struct run *r, const struct tcase *c, const struct gg_pack **out)
{
	char path[4096];
	size_t len = strlen(r->dir);
	struct gg_pack *p = NULL;
	enum gg_err rc;

	for (size_t i = 0; i < r->npacks; i++)
		if (strcmp(r->packs[i]->name, c->policy) == 0) {
			*out = r->packs[i];
			return GG_OK;
		}
	if (r->npacks == PACKS_MAX)
		return gg_error_set(r->err, GG_E_TOO_LARGE, "%s: more than %d packs", r->path, PACKS_MAX);
	snprintf(path, sizeof(path), "%s%s%s.yaml", r->dir, len && r->dir[len - 1] == '/' ? "" : "/", c->policy);
	rc = gg_pack_load(path, r->vocab, &p, r->err);
	if (rc == GG_E_NOT_FOUND)
		return gg_error_set(r->err, GG_E_INVALID, "%s:%d: policy: unknown pack '%s' (no %s)", r->path,
		                    c->policy_line, c->policy, path);
	if (rc != GG_OK)
		return rc;
	if (strcmp(p->name, c->policy) != 0) {
		gg_error_set(r->err, GG_E_INVALID, "%s: the file is named '%s' but the pack '%s'", path, c->policy,
		             p->name);
		gg_pack_free(p);
		return GG_E_INVALID;
	}
	r->packs[r->npacks++] = p;
	*out = p;
	return GG_OK;
}

static void fail(struct gg_policytest_result *res, struct run *r, const struct tcase *c, int line, const char *field,
                 const char *want, const char *got, int *nfail)
{
	(*nfail)++;
	gg_buf_addf(&res->failures, "%s:%d: case '%s': %s: expected %s, got %s\n", r->path, line, c->name, field, want,
	            got);
}

static const char *inst_text(int lapsed, int64_t fen, char out[GG_MONEY_TEXT_MAX])
{
	return lapsed ? strcpy(out, "lapsed") : gg_money_format(fen, out);
}

/* Runs one case, adding a line per difference; *nfail gets their count. */
static enum gg_err run_case(struct run *r, const struct tcase *c, struct gg_policytest_result *res, int *nfail)
{
	const struct gg_pack *p;
	struct gg_policy_params params;
	struct gg_policy_decision d;
	struct gg_error e;
	char want[GG_MONEY_TEXT_MAX + 16], got[GG_ERROR_MSG_MAX + 32], field[32];
	enum gg_err rc;

	*nfail = 0;
	if ((rc = find_pack(r, c, &p)) != GG_OK)
		return rc;
	gg_error_init(&e);
	memset(&d, 0, sizeof(d));
	gg_buf_init(&d.trace, GG_POLICY_TRACE_MAX);
	rc = gg_pack_params_on(p, c->facts.start_day, &params, &e);
	if (rc == GG_OK) {
		gg_buf_release(&d.trace);
		rc = gg_policy_evaluate(&params, &c->facts, &d, &e);
	}
	gg_buf_release(&d.trace);
	if (c->refused) {
		if (rc == GG_E_RULE)
			return GG_OK;
		if (rc == GG_OK)
			snprintf(got, sizeof(got), "a decision (recognised %s)", d.recognised ? "true" : "false");
		else
			snprintf(got, sizeof(got), "error: %s", gg_error_message(&e));
		fail(res, r, c, c->refused_line, "refused", "rule", got, nfail);
		return GG_OK;
	}
	if (rc != GG_OK) {
		snprintf(got, sizeof(got), "%s: %s", rc == GG_E_RULE ? "refused" : "error", gg_error_message(&e));
		fail(res, r, c, c->recognised_line, "recognised", c->recognised ? "true" : "false", got, nfail);
		return GG_OK;
	}
	if (!d.recognised != !c->recognised)
		fail(res, r, c, c->recognised_line, "recognised", c->recognised ? "true" : "false",
		     d.recognised ? "true" : "false", nfail);
	if (c->tier != NULL && (d.tier == NULL || strcmp(c->tier, d.tier) != 0))
		fail(res, r, c, c->tier_line, "tier", c->tier, d.tier ? d.tier : "none", nfail);
	if (c->has_inst) {
		if (c->ninst != d.ninst) {
			snprintf(want, sizeof(want), "%d installments", c->ninst);
			snprintf(got, sizeof(got), "%d", d.ninst);
			fail(res, r, c, c->inst_line, "installments", want, got, nfail);
		} else {
			for (int i = 0; i < c->ninst; i++) {
				const struct gg_policy_installment *in = &d.inst[i];

				if (c->inst[i].lapsed == in->lapsed && (in->lapsed || c->inst[i].fen == in->amount_fen))
					continue;
				snprintf(field, sizeof(field), "installments.%d", i + 1);
				inst_text(c->inst[i].lapsed, c->inst[i].fen, want);
				inst_text(in->lapsed, in->amount_fen, got);
				fail(res, r, c, c->inst[i].line, field, want, got, nfail);
			}
		}
	}
	if (c->has_due) {
		if (c->ndue != d.ninst) {
			snprintf(want, sizeof(want), "%d dates", c->ndue);
			snprintf(got, sizeof(got), "%d", d.ninst);
			fail(res, r, c, c->due_line, "due", want, got, nfail);
		} else {
			for (int i = 0; i < c->ndue; i++) {
				if (c->due[i] == d.inst[i].due_day)
					continue;
				snprintf(field, sizeof(field), "due.%d", i + 1);
				gg_clock_day_text(c->due[i], want);
				gg_clock_day_text(d.inst[i].due_day, got);
				fail(res, r, c, c->due_lines[i], field, want, got, nfail);
			}
		}
	}
	if (c->has_total && c->total != d.total_fen) {
		gg_money_format(c->total, want);
		gg_money_format(d.total_fen, got);
		fail(res, r, c, c->total_line, "total", want, got, nfail);
	}
	return GG_OK;
}

enum gg_err gg_policytest_run(const char *path, const char *policy_dir, const struct gg_vocabulary *vocab,
                              struct gg_policytest_result *res, struct gg_error *err)
{
	static const struct gg_yaml_limits lim = {FILE_MAX, 16, 200000};
	static const char *const top[] = {"title", "cases", NULL};
	struct run r = {path, policy_dir, vocab, err, {NULL}, 0};
	struct gg_yaml_node *root = NULL;
	const struct gg_yaml_node *cases;
	struct tcase *tc = NULL;
	struct gg_buf file;
	int line;
	enum gg_err rc;

	res->passed = res->failed = 0;
	gg_buf_init(&res->failures, 1024 * 1024);
	gg_buf_init(&file, FILE_MAX);
	if ((rc = gg_buf_read_file(&file, path, err)) != GG_OK)
		goto out;
	if ((rc = gg_yaml_parse(path, file.buf, file.len, &lim, &root, err)) != GG_OK)
		goto out;
	if (root->kind != GG_YAML_MAP) {
		rc = bad(&r, root->line, "file", "expected a map with cases:");
		goto out;
	}
	if ((rc = only_keys(&r, root, "", top)) != GG_OK)
		goto out;
	cases = gg_yaml_get(root, "cases", &line);
	if (cases == NULL || cases->kind != GG_YAML_SEQ || cases->n == 0) {
		rc = bad(&r, cases ? cases->line : root->line, "cases",
		         cases == NULL ? "missing" : "expected a non-empty list of cases");
		goto out;
	}
	if (cases->n > GG_POLICYTEST_CASES_MAX) {
		rc = bad(&r, cases->line, "cases", "more than 1000 cases");
		goto out;
	}
	tc = calloc(cases->n, sizeof(*tc));
	if (tc == NULL) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	for (size_t i = 0; i < cases->n; i++) {
		if ((rc = parse_case(&r, cases->items[i], &tc[i])) != GG_OK)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (strcmp(tc[j].name, tc[i].name) == 0) {
				rc = gg_error_set(err, GG_E_INVALID,
				                  "%s:%d: name: '%s' already names the case at line %d", path,
				                  tc[i].line, tc[i].name, tc[j].line);
				goto out;
			}
	}
	for (size_t i = 0; i < cases->n; i++)
		if ((rc = find_pack(&r, &tc[i], &(const struct gg_pack *){NULL})) != GG_OK)
			goto out;
	for (size_t i = 0; i < cases->n; i++) {
		int nfail;

		if ((rc = run_case(&r, &tc[i], res, &nfail)) != GG_OK)
			goto out;
		if (nfail)
			res->failed++;
		else
			res->passed++;
	}
out:
	for (size_t i = 0; i < r.npacks; i++)
		gg_pack_free(r.packs[i]);
	free(tc);
	gg_yaml_free(root);
	gg_buf_release(&file);
	return rc;
}
