/*
 * whatif: "what would the register cost if a parameter were different?",
 * for policy makers (issue 5, item 4; `guanggu policy whatif`). The
 * unpaid installments of the register (status planned, of active formula
 * plans) due on or after a day are priced again, hypothetically, under
 * each plan's own version with some parameters changed (threshold_cny,
 * rate_bp, cap_cny), and totalled by calendar year of the due day, the
 * amounts recorded against the new ones. Each installment is priced by
 * the evaluator's own rule for a year (gg_policy_price_year): its base at
 * the rate, rounded half up, capped by what the cap leaves after the
 * talent's installments before it (those due before the day at their
 * recorded amounts, the re-priced ones at their new amounts); under a
 * version with the paid_below_threshold rule, an installment whose base is
 * below a raised threshold lapses (0). A recognition already made stands;
 * lapsed installments stay lapsed. Everything is read in one read
 * transaction and nothing is written: real plans always keep the version
 * they were stamped with.
 */
#ifndef GG_WHATIF_H
#define GG_WHATIF_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"
#include "../core/money.h"
#include "../store/db.h"
#include "pack.h"
#include "policy.h"
#include "policyset.h"

#define GG_WHATIF_SETS_MAX  8
#define GG_WHATIF_YEARS_MAX 128 /* distinct calendar years of due days */

/* One changed parameter. */
struct gg_whatif_set {
	enum gg_pack_param param; /* GG_PACK_THRESHOLD, GG_PACK_RATE_BP or GG_PACK_CAP */
	int64_t value;            /* fen for amounts, basis points for rate_bp */
};

struct gg_whatif {
	struct gg_whatif_set sets[GG_WHATIF_SETS_MAX];
	size_t nsets;
};

/**
 * Adds "PARAM=VALUE" to w: threshold_cny and cap_cny take yuan text
 * ("8000000.00"), rate_bp a whole number 0..10000. GG_E_INVALID on field
 * "set" for a malformed text, a parameter that cannot be set in a what-if,
 * an unknown one, a bad value, one set twice or more than
 * GG_WHATIF_SETS_MAX.
 */
enum gg_err gg_whatif_parse_set(struct gg_whatif *w, const char *text, struct gg_error *err);
/** The value of set as text for people ("4000", "8,000,000.00") into out. */
void gg_whatif_set_text(const struct gg_whatif_set *set, char out[GG_MONEY_TEXT_MAX]);
/** Applies w's changes to p. */
void gg_whatif_apply(const struct gg_whatif *w, struct gg_policy_params *p);

/* The installments of one calendar year of due days (year 0: all of them). */
struct gg_whatif_row {
	int year;
	int64_t installments;
	int64_t old_fen; /* as recorded */
	int64_t new_fen; /* priced again */
};

struct gg_whatif_result {
	struct gg_whatif_row rows[GG_WHATIF_YEARS_MAX]; /* by year, ascending */
	size_t nrows;
	struct gg_whatif_row total;
	int64_t plans; /* plans with an installment priced again */
};

/**
 * Prices the register's planned installments due on or after from_day
 * again under w (the versions of set) into *out, in a read transaction of
 * db. GG_E_CONFIG when a plan's version is not in set (a pack removed or
 * renamed since); GG_E_TOO_LARGE above GG_WHATIF_YEARS_MAX years.
 */
enum gg_err gg_whatif_run(struct gg_db *db, const struct gg_policyset *set, const struct gg_whatif *w, int64_t from_day,
                          struct gg_whatif_result *out, struct gg_error *err);

#endif
