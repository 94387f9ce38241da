/*
 * simulate: the subsidy simulation's checks, defaults and view
 * (simulate.h). Nothing here writes or reads the database: a simulation
 * stamps no version and leaves no record.
 */
#include "simulate.h"

#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"
#include "vocabulary.h"

#define DEFAULT_KIND "leading_enterprise"

/* Appends one line (without its '\n') to the view's trace text; silently stops when full. */
static void add_line(struct gg_simulation *s, size_t *used, const char *line, size_t len)
{
	if (s->ntrace == GG_SIMULATE_TRACE_LINES || *used + len + 1 > sizeof(s->text))
		return;
	memcpy(s->text + *used, line, len);
	s->text[*used + len] = '\0';
	s->trace[s->ntrace++] = s->text + *used;
	*used += len + 1;
}

/* The view of d, after the lines already in s's trace (used bytes of its text). */
static void view(const char *policy, const char *version, int64_t start_day, const struct gg_policy_decision *d,
                 struct gg_simulation *s, size_t used)
{
	const char *t = d->trace.buf ? d->trace.buf : "";
	size_t tlen = d->trace.buf ? d->trace.len : 0;

	s->recognized = d->recognised;
	s->tier = d->recognised ? d->tier : NULL;
	snprintf(s->policy, sizeof(s->policy), "%s", policy ? policy : "");
	snprintf(s->version, sizeof(s->version), "%s", version ? version : "");
	gg_clock_day_text(start_day, s->start);
	s->ninst = d->recognised ? d->ninst : 0;
	s->total_fen = 0;
	for (int i = 0; i < s->ninst; i++) {
		struct gg_simulation_installment *in = &s->inst[i];

		in->year = d->inst[i].year;
		gg_clock_day_text(d->inst[i].due_day, in->due);
		in->base_fen = d->inst[i].base_fen;
		in->amount_fen = d->inst[i].lapsed ? 0 : d->inst[i].amount_fen;
		in->status = d->inst[i].lapsed ? "lapsed" : "due";
		s->total_fen += in->amount_fen;
	}
	for (size_t at = 0; at < tlen;) {
		const char *nl = memchr(t + at, '\n', tlen - at);
		size_t len = nl ? (size_t)(nl - (t + at)) : tlen - at;

		add_line(s, &used, t + at, len);
		at += len + 1;
	}
}

void gg_simulation_view(const char *policy, const char *version, int64_t start_day, const struct gg_policy_decision *d,
                        struct gg_simulation *out)
{
	memset(out, 0, sizeof(*out));
	view(policy, version, start_day, d, out, 0);
}

/* Yuan text into *fen; GG_E_INVALID on field with what is wrong. */
static enum gg_err yuan(const char *text, const char *field, const char *what, int64_t *fen, struct gg_error *err)
{
	struct gg_error e;

	gg_error_init(&e);
	if (text == NULL)
		return gg_error_field(err, GG_E_INVALID, field, "%s is missing", what);
	if (gg_money_parse(text, fen, &e) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, field, "%s: %s", what, gg_error_message(&e));
	return GG_OK;
}

/* The facts of in, and the start day; GG_E_INVALID for a malformed value. */
static enum gg_err facts_of(const struct gg_simulate_input *in, int64_t today, struct gg_policy_facts *f,
                            struct gg_error *err)
{
	enum gg_err rc;

	memset(f, 0, sizeof(*f));
	f->end_day = -1;
	if ((rc = yuan(in->salary, "salary", "salary", &f->contract_fen, err)) != GG_OK)
		return rc;
	f->employer_kind = in->employer_kind ? in->employer_kind : DEFAULT_KIND;
	if (gg_vocab_item(GG_VOCAB_ORG_KIND, f->employer_kind) == NULL)
		return gg_error_field(err, GG_E_INVALID, "employer_kind",
		                      "employer_kind '%.64s' is not an organisation kind (leading_enterprise, rd_unit, "
		                      "other, ...)",
		                      f->employer_kind);
	f->start_day = today;
	if (in->start != NULL && gg_pack_parse_day(in->start, &f->start_day) != 0)
		return gg_error_field(err, GG_E_INVALID, "start", "start '%.32s' is not a date YYYY-MM-DD", in->start);
	if (in->npaid > GG_POLICY_YEARS_MAX)
		return gg_error_field(err, GG_E_INVALID, "paid", "paid: more than %d years", GG_POLICY_YEARS_MAX);
	for (size_t i = 0; i < in->npaid; i++) {
		char field[32], what[48];

		snprintf(field, sizeof(field), "paid.%zu", i);
		snprintf(what, sizeof(what), "salary paid in year %zu", i + 1);
		if ((rc = yuan(in->paid[i], field, what, &f->paid_fen[i], err)) != GG_OK)
			return rc;
	}
	f->npaid = (int)in->npaid;
	if (in->end_after_years != -1) {
		if (in->end_after_years < 0 || in->end_after_years > GG_SIMULATE_YEARS_MAX)
			return gg_error_field(err, GG_E_INVALID, "end_after_years", "end_after_years must be 0 to %d",
			                      GG_SIMULATE_YEARS_MAX);
		/* the end on the N-th anniversary completes year N: years after N lapse */
		f->end_day = gg_policy_anniversary(f->start_day, (int)in->end_after_years);
	}
	return GG_OK;
}

/* A start no version of the named pack (or of any pack) covers, as a rule refusal on start. */
static enum gg_err no_version(const struct gg_policyset *set, const char *name, int64_t day, struct gg_error *err)
{
	const struct gg_pack *p = name ? gg_policyset_find(set, name) : NULL, *first = NULL;
	char text[11];

	gg_clock_day_text(day, text);
	for (size_t i = 0; i < gg_policyset_count(set); i++) {
		const struct gg_pack *q = gg_policyset_at(set, i);

		if ((p == NULL || q == p) && q->nversions > 0 &&
		    (first == NULL || q->versions[0].from_day < first->versions[0].from_day))
			first = q;
	}
	if (first != NULL && day < first->versions[0].from_day)
		return gg_error_field(err, GG_E_RULE, "start", "start %s is before policy '%s' (from %s)", text,
		                      first->name, first->versions[0].from);
	if (p != NULL)
		return gg_error_field(err, GG_E_RULE, "start", "no version of policy '%s' is in force on %s", p->name,
		                      text);
	return gg_error_field(err, GG_E_RULE, "start", "no policy is in force on %s", text);
}

enum gg_err gg_simulate_run(const struct gg_policyset *set, const struct gg_simulate_input *in, int64_t today,
                            struct gg_simulation *out, struct gg_error *err)
{
	const struct gg_pack *p = NULL;
	const struct gg_pack_version *v = NULL;
	struct gg_policy_params params;
	struct gg_policy_facts f;
	struct gg_policy_decision d;
	char line[GG_POLICY_NAME_MAX * 2 + 160], start[11];
	size_t used = 0;
	int n;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	if ((rc = facts_of(in, today, &f, err)) != GG_OK)
		return rc;
	if (in->policy != NULL && gg_policyset_find(set, in->policy) == NULL)
		return gg_error_field(err, GG_E_RULE, "policy", "unknown policy '%.64s'", in->policy);
	if (gg_policyset_params_on(set, in->policy, f.start_day, &params, &p, &v, err) != GG_OK) {
		gg_error_init(err);
		return no_version(set, in->policy, f.start_day, err);
	}
	rc = gg_policy_evaluate(&params, &f, &d, err);
	if (rc == GG_OK) {
		gg_clock_day_text(f.start_day, start);
		n = snprintf(line, sizeof(line), "policy %s version %s (from %s) is in force on the start %s%s",
		             p->name, v->version, v->from, start, in->policy ? "" : " (the default: no policy named)");
		add_line(out, &used, line, n > 0 && (size_t)n < sizeof(line) ? (size_t)n : strlen(line));
		view(p->name, v->version, f.start_day, &d, out, used);
	}
	gg_buf_release(&d.trace);
	return rc;
}
