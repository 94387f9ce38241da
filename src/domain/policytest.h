/*
 * policytest: policy tests as data (issue 5, item 3). A case file
 * (the YAML files of policy_dir/tests) holds `cases:`, each with a name, the pack it runs
 * under (`policy`), the facts of one hire (employer_kind, salary, start,
 * optional end, paid, earlier) and the expected decision (recognised,
 * optional tier, installments as amounts or `lapsed`, due dates, total; or
 * `refused: rule` when the rules must refuse the facts, as for a start
 * before the policy). Money is a quoted yuan string, never a YAML number.
 * The file is validated whole before any case runs (GG_E_INVALID
 * "file:line: reason" for the first problem: an unknown or missing key, a
 * float for money, a bad date). Each case is evaluated with the version
 * of its pack in force on the start day (gg_pack_params_on) and
 * gg_policy_evaluate; each difference is one line
 * "FILE:LINE: case 'NAME': FIELD: expected X, got Y" (FIELD such as
 * recognised, tier, installments.2, due.1, total, refused), LINE being
 * the line of the expectation that failed.
 */
#ifndef GG_POLICYTEST_H
#define GG_POLICYTEST_H

#include "../core/buf.h"
#include "../core/err.h"
#include "vocabulary.h"

#define GG_POLICYTEST_CASES_MAX 1000

struct gg_policytest_result {
	int passed; /* cases */
	int failed;
	struct gg_buf failures; /* one line per difference, each ending in '\n'; init by gg_policytest_run, release by
	                           the caller */
};

/**
 * Runs the case file at path against the packs policy_dir/NAME.yaml
 * (tiers checked against vocab) into *res. GG_OK when the file was run,
 * whatever its cases gave; GG_E_INVALID "path:line: reason" for a
 * malformed case file or a case naming an unknown pack; the pack's own
 * error for a bad pack; GG_E_NOT_FOUND / GG_E_IO when the file cannot be
 * read. res->failures is initialised even on failure.
 */
enum gg_err gg_policytest_run(const char *path, const char *policy_dir, const struct gg_vocabulary *vocab,
                              struct gg_policytest_result *res, struct gg_error *err);

#endif
