/*
 * strategic: strategic scientists (战略科学家, DOMAIN.md programme 1)
 * recognised by a bureau decision taken case by case (一事一议), not by
 * formula. A decision names the talent, the day it was taken, its
 * rationale (required) and the support package: a total above zero and
 * at most the strategic cap (strategic_cap_cny) of the policy version in
 * force on that day less the formula amounts already paid to the talent
 * (DOMAIN.md: "formula amounts already paid count toward its cap": the
 * ledger's fund_paid on the talent's formula plans, net of returns and
 * clawbacks, gg_plan_formula_paid; the trace says so), optionally broken down into items whose amounts add
 * up to the total. Recording one is one write transaction: the decision
 * and its items, the recognition (gg_recognition_record_tx, basis
 * strategic, tier strategic_scientist, stamped with that version, with a
 * trace of the cap arithmetic and the rationale), the strategic subsidy
 * plan (gg_subsidy_plan_strategic_tx) and the audit row
 * (strategic.decide). One decision per talent.
 */
#ifndef GG_STRATEGIC_H
#define GG_STRATEGIC_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "policyset.h"
#include "recognition.h"
#include "talent.h"

#define GG_STRATEGIC_RATIONALE_MAX GG_RECOGNITION_REASON_MAX /* characters */
#define GG_STRATEGIC_ITEMS_MAX     20
#define GG_STRATEGIC_TITLE_MAX     50  /* characters of an item's title */
#define GG_STRATEGIC_LIMIT_MAX     200 /* a list page */

struct gg_strategic_item_input {
	const char *title;  /* 1..GG_STRATEGIC_TITLE_MAX characters */
	int64_t amount_fen; /* > 0 */
};

/* A decision to record. Strings borrowed. */
struct gg_strategic_input {
	int64_t talent_id;
	const char *decided_on; /* YYYY-MM-DD, not after today; a policy version must be in force */
	const char *rationale;  /* 1..GG_STRATEGIC_RATIONALE_MAX characters */
	int64_t package_total_fen;
	const struct gg_strategic_item_input *items; /* none, or amounts summing to the total */
	size_t nitems;
};

/**
 * Records a decision as the file comment says, in a write transaction of
 * its own (or, _tx, inside the caller's); *id its id. Refusals, each on
 * its field: GG_E_NOT_FOUND for an unknown or merged talent (talent_id),
 * GG_E_INVALID for a malformed day, a text over its limit or too many
 * items, GG_E_RULE for a missing rationale, a day after today or with no
 * version in force, a total of zero or above the cap room ("package total
 * 120,000,000.00 exceeds the strategic cap 100,000,000.00 ..."), items
 * that do not add up to the total; GG_E_DUPLICATE when the talent has a
 * decision already.
 */
enum gg_err gg_strategic_decide(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                const struct gg_strategic_input *in, int64_t *id, struct gg_error *err);
enum gg_err gg_strategic_decide_tx(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                   const struct gg_strategic_input *in, int64_t *id, struct gg_error *err);

struct gg_strategic_item {
	int position; /* from 1 */
	char *title;
	int64_t amount_fen;
};

/* A decision as stored; strings owned (gg_strategic_free). */
struct gg_strategic {
	int64_t id;
	int64_t talent_id;
	char *talent_name;
	char decided_on[11];
	char *rationale;
	int64_t package_total_fen;
	struct gg_strategic_item *items;
	size_t nitems;
	int64_t recognition_id, plan_id; /* 0: none */
	int64_t created_at;
	int64_t created_by; /* 0: the command line */
	char *created_by_name;
};
void gg_strategic_free(struct gg_strategic *s); /* NULL is a no-op */

/** Reads one decision with its items in a read transaction of its own. GG_E_NOT_FOUND "unknown strategic decision 3".
 */
enum gg_err gg_strategic_get(struct gg_db *db, int64_t id, struct gg_strategic **out, struct gg_error *err);

struct gg_strategic_query {
	int64_t talent_id;            /* 0: any */
	int limit;                    /* 1..GG_STRATEGIC_LIMIT_MAX */
	int64_t before_id;            /* newest first; 0: from the newest */
	struct gg_talent_scope scope; /* whose talents the caller sees (talent.h); all 0: none */
};
/** Lists newest first, with items; *more 1 when older ones follow. Free with gg_strategic_list_free. */
enum gg_err gg_strategic_list(struct gg_db *db, const struct gg_strategic_query *q, struct gg_strategic ***out,
                              size_t *n, int *more, struct gg_error *err);
void gg_strategic_list_free(struct gg_strategic **v, size_t n);

#endif
