/*
 * plan: what the bureau does to a subsidy plan after it exists (issue 6,
 * docs/ledger.md "Strategic tranches" and "Cancellation"). An officer
 * (plans_write) enters the milestone tranches of a strategic package,
 * each an installment of the strategic plan (year = tranche number, at
 * most GG_PLAN_TRANCHES_MAX; base 0; its agreed amount; planned) with a
 * row in tranches, committed in the same transaction when the fund covers
 * it. The tranches that did not lapse stay within the package: the
 * strategic decision's total, and the strategic cap of the plan's policy
 * version less the formula amounts already paid to the talent (net of
 * returns and clawbacks, from the ledger: DOMAIN.md "formula amounts
 * already paid count toward its cap"). When employment ends an officer
 * cancels a plan: it becomes cancelled; every planned installment not
 * accepted in a verification and without a live payment lapses (amount 0,
 * its commitment released, its open verification lapsed with the reason
 * and its tasks closed); accepted or live ones stay payable. Each action
 * is one write transaction with its audit rows (plan.tranche,
 * plan.cancel); no journal entry is ever changed.
 */
#ifndef GG_PLAN_H
#define GG_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "policyset.h"

#define GG_PLAN_TRANCHES_MAX  10  /* installments.year is 1..10 */
#define GG_PLAN_MILESTONE_MAX 500 /* characters */
#define GG_PLAN_REASON_MAX    500 /* characters */

/* A tranche to enter. Strings borrowed. */
struct gg_plan_tranche_input {
	const char *milestone; /* 1..GG_PLAN_MILESTONE_MAX characters */
	const char *due_on;    /* YYYY-MM-DD, not before the plan's start (the decision's day) */
	int64_t amount_fen;    /* > 0 */
};

/**
 * Adds a tranche to strategic plan plan_id in a write transaction of its
 * own: the installment, its tranches row, its commitment when
 * fund_available covers it (*committed 1; else 0, left to the approval),
 * the audit row (plan.tranche). *installment_id its id. Refusals, on
 * their field: GG_E_NOT_FOUND "unknown plan 7"; GG_E_CONFLICT for a plan
 * that is not an active strategic plan; GG_E_INVALID for a missing or too
 * long milestone, a malformed due_on, an amount not above 0; GG_E_RULE
 * for a due day before the plan's start, an 11th tranche, a total above
 * the package ("the tranches would total 5,000,000.00, above the package
 * total 4,000,000.00: room 1,000,000.00", field amount). Nothing is
 * written on a refusal.
 */
enum gg_err gg_plan_add_tranche(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                int64_t plan_id, const struct gg_plan_tranche_input *in, int64_t *installment_id,
                                int *committed, struct gg_error *err);

/**
 * Cancels plan plan_id (employment ended on ended_on, YYYY-MM-DD, not
 * after today; reason 1..GG_PLAN_REASON_MAX characters) in a write
 * transaction of its own, as the file comment says; *lapsed how many
 * installments lapsed (may be NULL). GG_E_NOT_FOUND for an unknown plan;
 * GG_E_CONFLICT "plan 7 is cancelled already" (or replaced); GG_E_INVALID
 * on field reason or ended_on; GG_E_RULE for an ended_on in the future.
 */
enum gg_err gg_plan_cancel(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, const char *ended_on,
                           const char *reason, int *lapsed, struct gg_error *err);

/**
 * The formula amounts paid to talent_id (net: fund_paid debits less
 * credits over the lines of its formula plans), into *fen.
 */
enum gg_err gg_plan_formula_paid(struct gg_db *db, int64_t talent_id, int64_t *fen, struct gg_error *err);

/* One installment as the plan's page shows it. */
struct gg_plan_item {
	int64_t id;
	int year;
	char due_on[11];
	int64_t base_fen, amount_fen;
	char status[16];         /* planned, lapsed */
	char *milestone;         /* a tranche's; NULL for a formula installment */
	int64_t committed_fen;   /* what it has committed now */
	int64_t verification_id; /* 0: none */
	char verification_status[16];
	int64_t payment_id; /* its live payment; 0: none */
	char payment_status[16];
};

/* A plan with its installments; strings owned (gg_plan_view_free). */
struct gg_plan_view {
	int64_t id, recognition_id, talent_id;
	char *talent_name;
	char kind[16]; /* formula, strategic */
	char *pack, *version;
	int64_t contract_fen;
	char start_on[11];
	int64_t total_fen;   /* formula: the planned total; strategic: the package total */
	int64_t limit_fen;   /* strategic: what the tranches may total (package and cap room); formula: 0 */
	int64_t tranche_fen; /* strategic: the tranches that did not lapse */
	char status[16];     /* active, cancelled, replaced */
	int64_t org_id;      /* the recognition's organisation; 0: none */
	char ended_on[11];   /* cancelled: the day employment ended; "" otherwise */
	char *cancel_reason;
	int64_t cancelled_by, cancelled_at;
	int cancel_lapsed; /* how many installments the cancellation lapsed */
	char *cancelled_by_name;
	struct gg_plan_item *items;
	size_t nitems;
	int64_t created_at;
};
/**
 * Reads plan plan_id in a read transaction of its own (set: for a
 * strategic plan's cap; NULL: the package total alone). GG_E_NOT_FOUND
 * "unknown plan 7".
 */
enum gg_err gg_plan_read(struct gg_db *db, const struct gg_policyset *set, int64_t plan_id, struct gg_plan_view **out,
                         struct gg_error *err);
void gg_plan_view_free(struct gg_plan_view *p); /* NULL is a no-op */

#endif
