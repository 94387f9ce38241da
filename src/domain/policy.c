/*
 * policy: the recruitment order's evaluator. Pure: every input is in the
 * two structs, every output in the decision; see policy.h for the rules.
 */
#include "policy.h"

#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"

/* The lapse rules' tokens, in the order of their flags (enum gg_policy_lapse). */
static const char *const lapse_tokens[GG_POLICY_LAPSE_RULES] = {"paid_below_threshold", "employment_ended"};

const char *gg_policy_lapse_token(int i)
{
	return i >= 0 && i < GG_POLICY_LAPSE_RULES ? lapse_tokens[i] : NULL;
}

unsigned gg_policy_lapse_lookup(const char *token)
{
	for (int i = 0; token && i < GG_POLICY_LAPSE_RULES; i++)
		if (strcmp(lapse_tokens[i], token) == 0)
			return 1u << i;
	return 0;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t gg_policy_anniversary(int64_t start_day, int n)
{
	int64_t y;
	int m, d;

	gg_clock_civil_from_days(start_day, &y, &m, &d);
	y += n;
	if (m == 2 && d == 29 && !is_leap(y))
		d = 28;
	return gg_clock_days_from_civil(y, m, d);
}

static int eligible(const struct gg_policy_params *p, const char *kind)
{
	for (size_t i = 0; kind && i < p->neligible && i < GG_POLICY_KINDS_MAX; i++)
		if (p->eligible_kinds[i] && strcmp(p->eligible_kinds[i], kind) == 0)
			return 1;
	return 0;
}

static enum gg_err check(const struct gg_policy_params *p, const struct gg_policy_facts *f, struct gg_error *err)
{
	int64_t from;

	if (p->years < 1 || p->years > GG_POLICY_YEARS_MAX)
		return gg_error_set(err, GG_E_INVALID, "policy '%s': years %d outside 1..%d", p->pack, p->years,
		                    GG_POLICY_YEARS_MAX);
	if (p->threshold_fen < 0 || p->cap_fen < 0 || p->rate_bp < 0 || p->rate_bp > 10000)
		return gg_error_set(err, GG_E_INVALID, "policy '%s': threshold, cap or rate out of range", p->pack);
	if (p->lapse_rules >> GG_POLICY_LAPSE_RULES)
		return gg_error_set(err, GG_E_INVALID, "policy '%s': unknown lapse rule flags %#x", p->pack,
		                    p->lapse_rules);
	if (f->contract_fen < 0 || f->contract_fen > GG_MONEY_MAX_FEN || f->earlier_fen < 0)
		return gg_error_field(err, GG_E_INVALID, "salary", "salary must be 0 to %lld fen",
		                      (long long)GG_MONEY_MAX_FEN);
	if (f->npaid < 0 || f->npaid > p->years)
		return gg_error_field(err, GG_E_INVALID, "paid", "salaries paid are given for %d years, at most %d",
		                      f->npaid, p->years);
	for (int i = 0; i < f->npaid; i++)
		if (f->paid_fen[i] < 0 || f->paid_fen[i] > GG_MONEY_MAX_FEN)
			return gg_error_field(err, GG_E_INVALID, "paid", "salary paid in year %d is out of range",
			                      i + 1);
	if (gg_clock_parse_iso(p->effective_from, &from) != 0)
		return gg_error_set(err, GG_E_INVALID, "policy '%s': effective date '%.10s' is not a date", p->pack,
		                    p->effective_from);
	if (f->start_day < from / 86400)
		return gg_error_field(err, GG_E_RULE, "start", "start is before policy '%s' (from %s)", p->pack,
		                      p->effective_from);
	return GG_OK;
}

enum gg_err gg_policy_price_year(const struct gg_policy_params *p, int64_t paid_fen, int64_t base_fen, int64_t used_fen,
                                 struct gg_policy_price *out, struct gg_error *err)
{
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	out->below = paid_fen < p->threshold_fen;
	if (out->below && (p->lapse_rules & GG_LAPSE_PAID_BELOW_THRESHOLD)) {
		out->lapsed = 1;
		return GG_OK;
	}
	if ((rc = gg_money_apply_bp(base_fen, p->rate_bp, &out->priced_fen, err)) != GG_OK)
		return rc;
	out->room_fen = p->cap_fen > used_fen ? p->cap_fen - used_fen : 0;
	out->capped = out->priced_fen > out->room_fen;
	out->amount_fen = out->capped ? out->room_fen : out->priced_fen;
	return GG_OK;
}

enum gg_err gg_policy_evaluate(const struct gg_policy_params *p, const struct gg_policy_facts *f,
                               struct gg_policy_decision *d, struct gg_error *err)
{
	char a[GG_MONEY_TEXT_MAX], b[GG_MONEY_TEXT_MAX], c[GG_MONEY_TEXT_MAX], e[GG_MONEY_TEXT_MAX], day[11];
	struct gg_buf *t = &d->trace;
	int64_t used;
	enum gg_err rc;

	memset(d, 0, sizeof(*d));
	gg_buf_init(t, GG_POLICY_TRACE_MAX);
	if ((rc = check(p, f, err)) != GG_OK)
		return rc;
#define LINE(...)                                                                                                    \
	do {                                                                                                         \
		if (gg_buf_addf(t, __VA_ARGS__) != GG_OK || gg_buf_addch(t, '\n') != GG_OK)                          \
			return gg_error_set(err, GG_E_TOO_LARGE, "trace longer than %d bytes", GG_POLICY_TRACE_MAX); \
	} while (0)

	if (!eligible(p, f->employer_kind)) {
		LINE("employer kind %s is not eligible for real-time recognition (%s, from %s)",
		     f->employer_kind ? f->employer_kind : "(none)", p->pack, p->effective_from);
		return GG_OK;
	}
	LINE("employer kind %s is eligible (%s, from %s)", f->employer_kind, p->pack, p->effective_from);
	if (f->contract_fen < p->threshold_fen) {
		LINE("salary %s < threshold %s (%s, from %s): not recognised",
		     gg_money_format_grouped(f->contract_fen, a), gg_money_format_grouped(p->threshold_fen, b), p->pack,
		     p->effective_from);
		return GG_OK;
	}
	LINE("salary %s >= threshold %s (%s, from %s): recognised as %s", gg_money_format_grouped(f->contract_fen, a),
	     gg_money_format_grouped(p->threshold_fen, b), p->pack, p->effective_from, p->tier ? p->tier : "");
	d->recognised = 1;
	d->tier = p->tier;
	used = f->earlier_fen;
	if (used > 0)
		LINE("earlier plans used %s of the cap %s", gg_money_format_grouped(used, a),
		     gg_money_format_grouped(p->cap_fen, b));
	for (int n = 1; n <= p->years; n++) {
		struct gg_policy_installment *in = &d->inst[n - 1];
		int64_t paid = n <= f->npaid ? f->paid_fen[n - 1] : f->contract_fen, amount;
		struct gg_policy_price pr;

		in->year = n;
		in->due_day = gg_policy_anniversary(f->start_day, n);
		in->base_fen = paid < f->contract_fen ? paid : f->contract_fen;
		gg_clock_day_text(in->due_day, day);
		d->ninst = n;
		/* Each lapse applies only when the version has its rule; without it the year is priced as usual. */
		if (f->end_day >= 0 && f->end_day < in->due_day) {
			if (p->lapse_rules & GG_LAPSE_EMPLOYMENT_ENDED) {
				in->lapsed = 1;
				LINE("year %d (due %s): lapsed by rule employment_ended, employment ended before the "
				     "anniversary",
				     n, day);
				continue;
			}
			LINE("year %d (due %s): employment ended before the anniversary, but %s has no lapse rule "
			     "employment_ended",
			     n, day, p->pack);
		}
		if ((rc = gg_policy_price_year(p, paid, in->base_fen, used, &pr, err)) != GG_OK)
			return rc;
		if (pr.lapsed) {
			in->lapsed = 1;
			LINE("year %d (due %s): lapsed by rule paid_below_threshold, salary paid %s < threshold %s", n,
			     day, gg_money_format_grouped(paid, a), gg_money_format_grouped(p->threshold_fen, b));
			continue;
		}
		if (pr.below)
			LINE("year %d (due %s): salary paid %s < threshold %s, but %s has no lapse rule "
			     "paid_below_threshold",
			     n, day, gg_money_format_grouped(paid, a), gg_money_format_grouped(p->threshold_fen, b),
			     p->pack);
		if (pr.capped)
			LINE("year %d (due %s): base %s x %lld bp = %s, capped at %s (cap %s)", n, day,
			     gg_money_format_grouped(in->base_fen, a), (long long)p->rate_bp,
			     gg_money_format_grouped(pr.priced_fen, b), gg_money_format_grouped(pr.amount_fen, c),
			     gg_money_format_grouped(p->cap_fen, e));
		else
			LINE("year %d (due %s): base %s x %lld bp = %s", n, day,
			     gg_money_format_grouped(in->base_fen, a), (long long)p->rate_bp,
			     gg_money_format_grouped(pr.amount_fen, b));
		amount = pr.amount_fen;
		in->amount_fen = amount;
		used += amount;
		d->total_fen += amount;
	}
	LINE("total %s", gg_money_format_grouped(d->total_fen, a));
#undef LINE
	return GG_OK;
}
