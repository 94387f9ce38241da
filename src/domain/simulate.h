/*
 * simulate: the subsidy simulation of issue 5, item 4, once for both of
 * its front ends, `guanggu subsidy simulate` and POST
 * /api/v1/policy/simulate. The inputs arrive as text, as a flag or a JSON
 * string gives them (money as yuan text, never a number); they are
 * checked here, the policy version in force on the start day is taken
 * from the installation's policy set, the pure evaluator decides, and the
 * decision comes back as a plain view in the shape of the decision JSON
 * (recognized, tier, policy, version, installments with their due day as
 * text and status "due" or "lapsed", total_fen, trace lines).
 *
 * Why a view and two small JSON builders rather than one: the domain
 * never sees JSON types (DESIGN.md), core knows no domain, and cli and
 * http do not call each other, so there is no layer both front ends may
 * share that may also build JSON. Everything that decides something (the
 * checks, the defaults, the choice of version, the status tokens, the due
 * days, the trace lines) is here; what is left to each front end is a
 * one-for-one copy of the view's fields into JSON (gg_api_decision_json in
 * http/api_policy.c, for every answer that carries a decision, and
 * decision_json in cli/cmd_subsidy.c), which the API and CLI tests check
 * against the same worked examples.
 */
#ifndef GG_SIMULATE_H
#define GG_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "pack.h"
#include "policy.h"
#include "policyset.h"

#define GG_SIMULATE_TRACE_LINES 64  /* lines of a view's trace */
#define GG_SIMULATE_YEARS_MAX   100 /* end_after_years */

/* The inputs, as given. Strings are borrowed. */
struct gg_simulate_input {
	const char *salary;                    /* yuan text ("1200000.00"); required */
	const char *employer_kind;             /* an organisation kind; NULL: leading_enterprise */
	const char *start;                     /* YYYY-MM-DD; NULL: today */
	const char *paid[GG_POLICY_YEARS_MAX]; /* yuan text: the salary actually paid in year n+1 ... */
	size_t npaid;                          /* ... for the first npaid years (at most the version's years) */
	int64_t end_after_years;               /* employment ends this many years after the start; -1: still employed */
	const char *policy;                    /* a pack name; NULL: the pack in force on the start day */
};

/* One installment of the view. */
struct gg_simulation_installment {
	int year;
	char due[11];       /* the year-th anniversary of the start, YYYY-MM-DD */
	int64_t base_fen;   /* min(paid, contract) */
	int64_t amount_fen; /* 0 when lapsed */
	const char *status; /* "due" or "lapsed" (static) */
};

/* A decision as the decision JSON shows it (tier and status strings are static or the policy set's). */
struct gg_simulation {
	int recognized;
	const char *tier;                 /* NULL when not recognised */
	char policy[GG_POLICY_NAME_MAX];  /* the pack's name */
	char version[GG_POLICY_NAME_MAX]; /* the version's name */
	char start[11];                   /* the start day used */
	struct gg_simulation_installment inst[GG_POLICY_YEARS_MAX];
	int ninst;         /* 0 when not recognised */
	int64_t total_fen; /* the sum of the due installments */
	char text[GG_POLICY_TRACE_MAX + 256];
	const char *trace[GG_SIMULATE_TRACE_LINES]; /* lines (no '\n') pointing into text */
	size_t ntrace;
};

/**
 * Checks in and evaluates it under set into *out, today being the civil
 * day (clock.h) a missing start stands for. GG_E_INVALID with the field
 * ("salary", "employer_kind", "start", "paid.N", "end_after_years") for a
 * malformed value; GG_E_RULE for a rule refusal: "unknown policy 'x'"
 * (field policy), a start before the policy's first version or outside
 * every version (field start).
 */
enum gg_err gg_simulate_run(const struct gg_policyset *set, const struct gg_simulate_input *in, int64_t today,
                            struct gg_simulation *out, struct gg_error *err);

/**
 * Fills *out from a decision d made under version `version` of pack
 * `policy` for a hire starting on start_day (for the answer to a hire,
 * which has its own facts; gg_api_decision_json then gives its decision
 * object): the view gg_simulate_run gives, without its policy line.
 */
void gg_simulation_view(const char *policy, const char *version, int64_t start_day, const struct gg_policy_decision *d,
                        struct gg_simulation *out);

#endif
