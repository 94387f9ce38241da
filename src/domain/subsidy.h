/*
 * subsidy: the subsidy plans that recognitions create and their
 * installments (issue 5 owns these tables; the ledger adds the
 * accounting, verification and payment). A formula plan comes from a
 * recruitment-order recognition: the evaluator's installments, each with
 * its due day, base, amount and status (planned or lapsed), stamped with
 * the policy version that governs the whole plan. A strategic plan holds
 * the package agreed case by case: a total within the strategic cap, no
 * formula installments (its tranches are entered later). One formula
 * entitlement per talent: a talent with an active formula plan gets no
 * second one. The cap counts over all of a talent's plans.
 */
#ifndef GG_SUBSIDY_H
#define GG_SUBSIDY_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "pack.h"
#include "policy.h"

enum gg_plan_kind { GG_PLAN_FORMULA, GG_PLAN_STRATEGIC };

/**
 * Creates the formula plan of recognition recognition_id from decision d
 * (its installments; d->recognised must be set) in the caller's write
 * transaction, with its audit row (plan.create); *plan_id its id.
 * GG_E_CONFLICT when the talent has an active formula plan already.
 */
enum gg_err gg_subsidy_plan_formula_tx(struct gg_db *db, const struct gg_actor *actor, int64_t recognition_id,
                                       int64_t talent_id, const struct gg_pack *pack,
                                       const struct gg_pack_version *version, int64_t contract_fen,
                                       const char *start_on, const struct gg_policy_decision *d, int64_t *plan_id,
                                       struct gg_error *err);
/**
 * Creates a strategic plan of total_fen for recognition recognition_id in
 * the caller's write transaction (plan.create audit row). The caller has
 * checked the total against the cap (gg_subsidy_cap_used helps).
 */
enum gg_err gg_subsidy_plan_strategic_tx(struct gg_db *db, const struct gg_actor *actor, int64_t recognition_id,
                                         int64_t talent_id, const struct gg_pack *pack,
                                         const struct gg_pack_version *version, int64_t total_fen, int64_t *plan_id,
                                         struct gg_error *err);

/**
 * A strategic package replaces the talent's formula plan: marks the active
 * formula plan (if any) replaced, with its audit row (plan.replace), in the
 * caller's write transaction; *plan_id the replaced plan, or 0 when none.
 */
enum gg_err gg_subsidy_replace_formula_tx(struct gg_db *db, const struct gg_actor *actor, int64_t talent_id,
                                          int64_t *plan_id, struct gg_error *err);

/** The sum of the talent's planned (not lapsed) installments of active formula plans: the cap room used. */
enum gg_err gg_subsidy_cap_used(struct gg_db *db, int64_t talent_id, int64_t *fen, struct gg_error *err);
/** The talent's active formula plan: *plan_id, or 0 when none. */
enum gg_err gg_subsidy_active_formula(struct gg_db *db, int64_t talent_id, int64_t *plan_id, struct gg_error *err);

struct gg_installment {
	int64_t id;
	int year;
	char due_on[11];
	int64_t base_fen, amount_fen;
	char status[16]; /* planned, lapsed */
};
struct gg_plan {
	int64_t id;
	int64_t recognition_id, talent_id;
	enum gg_plan_kind kind;
	char *pack, *version;
	int64_t contract_fen; /* formula: the contracted salary; strategic: 0 */
	char start_on[11];    /* formula: the contract's start; strategic: the decision's day */
	int64_t total_fen;    /* the sum of the planned installments, or the package total */
	char status[16];      /* active, cancelled */
	struct gg_installment *inst;
	size_t ninst;
	int64_t created_at;
};
/** The plan of a recognition (*out NULL when it has none). Freed with gg_plan_free. */
enum gg_err gg_subsidy_plan_of(struct gg_db *db, int64_t recognition_id, struct gg_plan **out, struct gg_error *err);
void gg_plan_free(struct gg_plan *p); /* NULL is a no-op */

#endif
