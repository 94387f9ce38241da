/*
 * policy: the pure evaluator of the recruitment order (DOMAIN.md,
 * programme 1). Facts in, decision and trace out: no database, no I/O, no
 * clock. The parameters come from the policy version in force on the
 * contract's start date (the policy packs fill struct gg_policy_params);
 * the decision says whether the hire is recognised at once as a leading
 * talent and lays out the subsidy installments: installment n falls due
 * on the n-th anniversary of the start (29 February: 28 February in common
 * years), its base is the salary actually paid that year but never more
 * than the contracted salary; the version's lapse rules say when a year
 * lapses (paid_below_threshold: a year paid below the threshold;
 * employment_ended: employment that ends lapses the year in progress and
 * every later one, an end on an anniversary completing that year), and
 * under a version without a rule no year lapses that way; each
 * installment is rounded half up to the fen first and then capped by what
 * the cap has left after the installments before it that did not lapse
 * (and the talent's earlier plans). Each step adds a line to the trace
 * naming the values it used, a lapse the rule that made it.
 */
#ifndef GG_POLICY_H
#define GG_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/err.h"

#define GG_POLICY_YEARS_MAX 10
#define GG_POLICY_NAME_MAX  64
#define GG_POLICY_KINDS_MAX 8
#define GG_POLICY_TRACE_MAX 8192 /* bytes of one decision's trace */

/* The lapse rules (lapse_rules), flags of struct gg_policy_params; the tokens are in policy.c's table. */
enum gg_policy_lapse {
	GG_LAPSE_PAID_BELOW_THRESHOLD = 1 << 0, /* paid_below_threshold: a year paid below the threshold */
	GG_LAPSE_EMPLOYMENT_ENDED = 1 << 1,     /* employment_ended: the year in progress and later ones */
};
#define GG_POLICY_LAPSE_RULES 2 /* the number of rules */

/* One version of the order's parameters (DESIGN.md vocabulary). */
struct gg_policy_params {
	char pack[GG_POLICY_NAME_MAX]; /* "optics-valley-2024" */
	char effective_from[11];       /* the version's first day, YYYY-MM-DD */
	int64_t threshold_fen;         /* threshold_cny: recognised at or above */
	int64_t rate_bp;               /* rate_bp: share of the base paid each year */
	int years;                     /* years: installments of one plan, 1..GG_POLICY_YEARS_MAX */
	int64_t cap_fen;               /* cap_cny with cap_scope total: over all of a talent's plans */
	const char *eligible_kinds[GG_POLICY_KINDS_MAX]; /* eligible_employer_kinds */
	size_t neligible;
	const char *tier;     /* the tier a recognised hire gets: "leading_talent" */
	unsigned lapse_rules; /* lapse_rules: enum gg_policy_lapse flags; 0: no year ever lapses */
};

/* The facts of one hire. Days are civil days since 1970-01-01 (clock.h). */
struct gg_policy_facts {
	const char *employer_kind; /* an organisation kind token */
	int64_t contract_fen;      /* contracted annual salary */
	int64_t start_day;
	int64_t end_day;                       /* the day employment ended; -1: still employed */
	int64_t paid_fen[GG_POLICY_YEARS_MAX]; /* salary actually paid in year n+1 ... */
	int npaid;                             /* ... for the first npaid years; later years: the contract */
	int64_t earlier_fen;                   /* installments of the talent's earlier plans (cap room used) */
};

struct gg_policy_installment {
	int year;           /* 1-based */
	int64_t due_day;    /* the year-th anniversary of the start */
	int64_t base_fen;   /* min(paid, contract) */
	int64_t amount_fen; /* 0 when lapsed */
	int lapsed;
};

struct gg_policy_decision {
	int recognised;
	const char *tier; /* params->tier when recognised, else NULL */
	struct gg_policy_installment inst[GG_POLICY_YEARS_MAX];
	int ninst;           /* 0 when not recognised */
	int64_t total_fen;   /* the sum of the installments that did not lapse */
	struct gg_buf trace; /* lines, each ending in '\n'; init by gg_policy_evaluate, release by the caller */
};

/** The token of the i-th lapse rule (0..GG_POLICY_LAPSE_RULES-1: "paid_below_threshold", ...), or NULL. */
const char *gg_policy_lapse_token(int i);
/** The flag of the lapse rule token names (enum gg_policy_lapse), or 0 when it names none. */
unsigned gg_policy_lapse_lookup(const char *token);

/** The n-th anniversary of start_day (29 February falls on 28 February in common years). */
int64_t gg_policy_anniversary(int64_t start_day, int n);

/* One year priced (gg_policy_price_year). */
struct gg_policy_price {
	int below;          /* the salary paid is below the threshold */
	int lapsed;         /* ... and the version has paid_below_threshold: amount 0 */
	int64_t priced_fen; /* base x rate, rounded half up */
	int64_t room_fen;   /* what the cap leaves after used_fen */
	int capped;         /* priced_fen > room_fen */
	int64_t amount_fen; /* min(priced_fen, room_fen); 0 when lapsed */
};

/**
 * Prices one installment as the evaluator does each year: lapsed by
 * paid_below_threshold when paid_fen is below the threshold and the
 * version has that rule, else base_fen at the rate rounded half up to the
 * fen, then capped by what the cap leaves after used_fen (the amounts of
 * the talent's installments before it that did not lapse). Shared with
 * the what-if re-pricing of the register (whatif.h). GG_E_INVALID when
 * the product is out of range.
 */
enum gg_err gg_policy_price_year(const struct gg_policy_params *p, int64_t paid_fen, int64_t base_fen, int64_t used_fen,
                                 struct gg_policy_price *out, struct gg_error *err);

/**
 * Evaluates facts under params into *d (d->trace initialised here; the
 * caller releases it with gg_buf_release even on failure). GG_E_INVALID
 * for parameters or facts out of range (negative amounts, years outside
 * 1..GG_POLICY_YEARS_MAX, npaid above years); GG_E_RULE when the start
 * is before the version's effective date.
 */
enum gg_err gg_policy_evaluate(const struct gg_policy_params *params, const struct gg_policy_facts *facts,
                               struct gg_policy_decision *d, struct gg_error *err);

#endif
