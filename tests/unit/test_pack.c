/*
 * test_pack: policy packs as data. The shipped pack loads and gives
 * DOMAIN.md's values; the version in force is chosen by civil day on
 * half-open intervals; overlapping or unordered versions, YAML floats for
 * amounts, unknown kinds and tiers, unknown lapse rules, bare values
 * without a reference and unknown fields are refused naming file:line and
 * the field; the evaluator on the loaded parameters reproduces DOMAIN.md's
 * first worked example; and a version without a lapse rule lapses no year
 * that way.
 */
#include "unit_vocab.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "domain/pack.h"
#include "domain/policy.h"

#define SHIPPED "policy/optics-valley-2024.yaml"

/* The parameters of one version, indented under "    parameters:"; lapse_rules on line 7 of them. */
#define PARAMS_L(threshold, kinds, tier, lapse)                                  \
	"    parameters:\n"                                                      \
	"      threshold_cny: {value: " threshold ", reference: \"r1\"}\n"       \
	"      rate_bp: {value: 5000, reference: \"r2\"}\n"                      \
	"      years: {value: 3, reference: \"r3\"}\n"                           \
	"      cap_cny: {value: \"10000000\", reference: \"r4\"}\n"              \
	"      cap_scope: {value: total, reference: \"r5\"}\n"                   \
	"      eligible_employer_kinds: {value: " kinds ", reference: \"r6\"}\n" \
	"      lapse_rules: {value: " lapse ", reference: \"r12\"}\n"            \
	"      strategic_cap_cny: {value: 100000000, reference: \"r7\"}\n"       \
	"      recommendation_quota: {value: 5, reference: \"r8\"}\n"            \
	"      rounding: {value: half_up, reference: \"r9\"}\n"                  \
	"      tier: {value: " tier ", reference: \"r10\"}\n"                    \
	"      high_level_tiers: {value: [leading_talent], reference: \"r11\"}\n"
#define BOTH_RULES                     "[paid_below_threshold, employment_ended]"
#define PARAMS(threshold, kinds, tier) PARAMS_L(threshold, kinds, tier, BOTH_RULES)

#define GOOD_PARAMS PARAMS("\"1000000.00\"", "[leading_enterprise, rd_unit]", "leading_talent")

static int setup(void **state)
{
	*state = unit_vocab_open("p.yaml");
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	unit_vocab_close(*state);
	return 0;
}

static int64_t day(int y, int m, int d)
{
	return gg_clock_days_from_civil(y, m, d);
}

/* Writes text as the pack file and loads it. */
static enum gg_err load_text(struct fx *fx, const char *text, struct gg_pack **p, struct gg_error *err)
{
	unit_write_file(fx->path, text);
	gg_error_init(err);
	return gg_pack_load(fx->path, fx->vocab, p, err);
}

/* Replaces the first old in text (of size sz) by new. */
static void subst(char *text, size_t sz, const char *old, const char *new)
{
	char *at = strstr(text, old);
	char rest[4096];

	assert_non_null(at);
	snprintf(rest, sizeof(rest), "%s", at + strlen(old));
	snprintf(at, sz - (size_t)(at - text), "%s%s", new, rest);
}

/* text is refused with a message "PATH:line: rest". */
static void refused(struct fx *fx, const char *text, int line, const char *rest)
{
	struct gg_pack *p = NULL;
	struct gg_error err;
	char want[1024];

	assert_int_equal(load_text(fx, text, &p, &err), GG_E_INVALID);
	assert_null(p);
	snprintf(want, sizeof(want), "%s:%d: %s", fx->path, line, rest);
	if (strncmp(gg_error_message(&err), want, strlen(want)) != 0)
		fail_msg("got '%s', want '%s...'", gg_error_message(&err), want);
}

static void test_shipped_pack(void **state)
{
	struct fx *fx = *state;
	struct gg_policy_params pp;
	struct gg_pack *p = NULL;
	const struct gg_pack_version *v;
	struct gg_error err;
	char text[GG_PACK_FILE_MAX], hex[GG_SHA256_HEX], value[256];
	size_t len;

	gg_error_init(&err);
	if (gg_pack_load(SHIPPED, fx->vocab, &p, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_string_equal(p->name, "optics-valley-2024");
	assert_int_equal(p->nversions, 1);
	len = unit_read_file(SHIPPED, text, sizeof(text));
	gg_crypto_sha256_hex(text, len, hex);
	assert_string_equal(gg_pack_hash(p), hex);

	assert_int_equal(gg_pack_params_on(p, day(2024, 7, 13), &pp, &err), GG_OK);
	assert_string_equal(pp.pack, "optics-valley-2024");
	assert_string_equal(pp.effective_from, "2024-01-01");
	assert_int_equal(pp.threshold_fen, 100000000);
	assert_int_equal(pp.rate_bp, 5000);
	assert_int_equal(pp.years, 3);
	assert_int_equal(pp.cap_fen, 1000000000);
	assert_int_equal(pp.neligible, 2);
	assert_string_equal(pp.eligible_kinds[0], "leading_enterprise");
	assert_string_equal(pp.eligible_kinds[1], "rd_unit");
	assert_string_equal(pp.tier, "leading_talent");
	assert_int_equal(pp.lapse_rules, GG_LAPSE_PAID_BELOW_THRESHOLD | GG_LAPSE_EMPLOYMENT_ENDED);

	v = gg_pack_version_on(p, day(2024, 7, 13));
	assert_non_null(v);
	assert_int_equal(v->strategic_cap_fen, 10000000000LL);
	assert_string_equal(v->cap_scope, "total");
	assert_string_equal(v->rounding, "half_up");
	assert_true(v->recommendation_quota >= 0);
	assert_non_null(strstr(v->refs[GG_PACK_QUOTA], "DEMO ASSUMPTION"));
	/* the high-level tiers are those the vocabulary marks high_level */
	for (size_t i = 0; i < fx->vocab->ntiers; i++) {
		int listed = 0;

		for (size_t j = 0; j < v->nhigh; j++)
			listed |= strcmp(v->high_level_tiers[j], fx->vocab->tiers[i].token) == 0;
		assert_int_equal(listed, fx->vocab->tiers[i].high_level);
	}
	for (int i = 0; i < GG_PACK_PARAM__COUNT; i++)
		assert_true(strlen(v->refs[i]) > 0);
	assert_non_null(strstr(v->refs[GG_PACK_THRESHOLD], "100万元以上"));
	gg_pack_param_text(v, GG_PACK_THRESHOLD, value, sizeof(value));
	assert_string_equal(value, "1,000,000.00");
	gg_pack_param_text(v, GG_PACK_ELIGIBLE_KINDS, value, sizeof(value));
	assert_string_equal(value, "leading_enterprise, rd_unit");
	gg_pack_param_text(v, GG_PACK_LAPSE_RULES, value, sizeof(value));
	assert_string_equal(value, "paid_below_threshold, employment_ended");
	assert_string_equal(gg_pack_param_name(GG_PACK_STRATEGIC_CAP), "strategic_cap_cny");
	assert_string_equal(gg_pack_param_name(GG_PACK_LAPSE_RULES), "lapse_rules");

	/* before `from`: a rule refusal */
	assert_int_equal(gg_pack_params_on(p, day(2023, 12, 31), &pp, &err), GG_E_RULE);
	assert_string_equal(gg_error_message(&err), "no version of 'optics-valley-2024' in force on 2023-12-31");
	gg_pack_free(p);
	gg_pack_free(NULL);
}

static void test_first_worked_example(void **state)
{
	struct fx *fx = *state;
	struct gg_policy_facts f = {0};
	struct gg_policy_decision d;
	struct gg_policy_params pp;
	struct gg_pack *p = NULL;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_pack_load(SHIPPED, fx->vocab, &p, &err), GG_OK);
	f.employer_kind = "leading_enterprise";
	f.contract_fen = 120000000; /* 1,200,000.00 */
	f.start_day = day(2024, 7, 13);
	f.end_day = -1;
	assert_int_equal(gg_pack_params_on(p, f.start_day, &pp, &err), GG_OK);
	assert_int_equal(gg_policy_evaluate(&pp, &f, &d, &err), GG_OK);
	assert_true(d.recognised);
	assert_string_equal(d.tier, "leading_talent");
	assert_int_equal(d.ninst, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(d.inst[i].amount_fen, 60000000);
		assert_false(d.inst[i].lapsed);
	}
	assert_int_equal(d.total_fen, 180000000);
	gg_buf_release(&d.trace);
	gg_pack_free(p);
}

static void test_versions(void **state)
{
	struct fx *fx = *state;
	struct gg_policy_params pp;
	struct gg_pack *p = NULL;
	struct gg_error err;

	/* two versions in order: [2024-01-01, 2025-01-01) and [2025-01-01, ...) */
	assert_int_equal(load_text(fx,
	                           "name: t\ntitle: T\nversions:\n"
	                           "  - version: \"1\"\n    from: 2024-01-01\n    to: \"2025-01-01\"\n"
	                           "    reference: a\n" GOOD_PARAMS
	                           "  - version: \"2\"\n    from: \"2025-01-01\"\n    reference: b\n" PARAMS(
	                               "1200000", "[rd_unit]", "leading_talent"),
	                           &p, &err),
	                 GG_OK);
	assert_int_equal(p->nversions, 2);
	assert_int_equal(gg_pack_params_on(p, day(2024, 12, 31), &pp, &err), GG_OK);
	assert_int_equal(pp.threshold_fen, 100000000);
	assert_int_equal(gg_pack_params_on(p, day(2025, 1, 1), &pp, &err), GG_OK); /* `to` is exclusive */
	assert_int_equal(pp.threshold_fen, 120000000);
	assert_string_equal(pp.effective_from, "2025-01-01");
	assert_int_equal(pp.neligible, 1);
	gg_pack_free(p);

	/* overlapping */
	refused(fx,
	        "name: t\ntitle: T\nversions:\n"
	        "  - version: \"1\"\n    from: 2024-01-01\n    to: 2025-01-01\n    reference: a\n" GOOD_PARAMS
	        "  - version: \"2\"\n    from: 2024-06-01\n    reference: b\n" GOOD_PARAMS,
	        21, "versions.1: from 2024-06-01 is before 2025-01-01, the end of version '1'");
	/* an open-ended version followed by another */
	refused(fx,
	        "name: t\ntitle: T\nversions:\n"
	        "  - version: \"1\"\n    from: 2024-01-01\n    reference: a\n" GOOD_PARAMS
	        "  - version: \"2\"\n    from: 2026-01-01\n    reference: b\n" GOOD_PARAMS,
	        20, "versions.1: overlaps version '1', which has no 'to'");
	/* to before from, a bad date */
	refused(fx,
	        "name: t\ntitle: T\nversions:\n  - version: \"1\"\n    from: 2024-01-01\n    to: 2024-01-01\n"
	        "    reference: a\n" GOOD_PARAMS,
	        6, "versions.0.to: 2024-01-01 is not after from 2024-01-01");
	refused(
	    fx,
	    "name: t\ntitle: T\nversions:\n  - version: \"1\"\n    from: 2023-02-29\n    reference: a\n" GOOD_PARAMS, 5,
	    "versions.0.from: must be a date YYYY-MM-DD");
}

static void test_refusals(void **state)
{
	struct fx *fx = *state;
	const char *head = "name: t\ntitle: T\nversions:\n  - version: \"1\"\n    from: 2024-01-01\n    reference: a\n";
	char text[4096];

	/* a YAML float for an amount: line 8 is threshold_cny */
	snprintf(text, sizeof(text), "%s%s", head, PARAMS("1000000.00", "[leading_enterprise]", "leading_talent"));
	refused(
	    fx, text, 8,
	    "versions.0.parameters.threshold_cny: '1000000.00' is a YAML float or other plain value: write the yuan "
	    "as a quoted string");
	/* three decimals, quoted */
	snprintf(text, sizeof(text), "%s%s", head, PARAMS("\"1000000.001\"", "[leading_enterprise]", "leading_talent"));
	refused(fx, text, 8, "versions.0.parameters.threshold_cny: '1000000.001': ");
	/* an unknown organisation kind, an unknown tier */
	snprintf(text, sizeof(text), "%s%s", head, PARAMS("1000000", "[leading_enterprise, castle]", "leading_talent"));
	refused(fx, text, 13, "versions.0.parameters.eligible_employer_kinds: unknown organisation kind 'castle'");
	snprintf(text, sizeof(text), "%s%s", head, PARAMS("1000000", "[rd_unit]", "grandmaster"));
	refused(fx, text, 18, "versions.0.parameters.tier: unknown tier 'grandmaster'");
	/* a bare value without its reference */
	snprintf(text, sizeof(text), "%s%s", head, GOOD_PARAMS);
	strcpy(strstr(text, "      rate_bp: {"), "      rate_bp: 5000\n");
	refused(fx, text, 9, "versions.0.parameters.rate_bp: write it as {value: ..., reference: \"...\"}");
	/* rate out of range, unknown fields, missing fields */
	snprintf(text, sizeof(text), "%s%s", head, GOOD_PARAMS);
	subst(text, sizeof(text), "value: 5000,", "value: 50001,");
	refused(fx, text, 9, "versions.0.parameters.rate_bp: 50001 is outside 0..10000");
	snprintf(text, sizeof(text), "%s%s      lapse: {value: x, reference: y}\n", head, GOOD_PARAMS);
	refused(fx, text, 20, "versions.0.parameters: unknown field 'lapse'");
	refused(fx, "name: t\ntitle: T\nowner: x\nversions: []\n", 3, "pack: unknown field 'owner'");
	refused(fx, "name: t\nversions: []\n", 1, "title: missing");
	refused(fx, "name: t\ntitle: T\nversions: []\n", 3, "versions: empty");
	refused(fx, "name: T!\ntitle: T\nversions: []\n", 1, "name: 'T!' may hold only");
	/* bad YAML itself */
	refused(fx, "name: t\nname: u\n", 2, "duplicate key 'name'");
}

/* Evaluates a hire of 1,200,000 from 2024-07-13, paid 999,999.99 in year 2, leaving in year 3, on day start. */
static void evaluate_on(const struct gg_pack *p, int64_t start, struct gg_policy_decision *d)
{
	struct gg_policy_facts f = {0};
	struct gg_policy_params pp;
	struct gg_error err;

	gg_error_init(&err);
	f.employer_kind = "leading_enterprise";
	f.contract_fen = 120000000;
	f.start_day = start;
	f.end_day = gg_policy_anniversary(start, 2) + 30;
	f.npaid = 2;
	f.paid_fen[0] = 120000000;
	f.paid_fen[1] = 99999999;
	assert_int_equal(gg_pack_params_on(p, start, &pp, &err), GG_OK);
	if (gg_policy_evaluate(&pp, &f, d, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(d->ninst, 3);
}

static void test_lapse_rules(void **state)
{
	const char *head = "name: t\ntitle: T\nversions:\n  - version: \"1\"\n    from: 2024-01-01\n    reference: a\n";
	struct fx *fx = *state;
	struct gg_policy_decision d;
	struct gg_pack *p = NULL;
	struct gg_error err;
	char text[4096], value[256], *at;

	/* version 1 has both rules, version 2 none, version 3 only employment_ended */
	assert_int_equal(
	    load_text(
	        fx,
	        "name: t\ntitle: T\nversions:\n"
	        "  - version: \"1\"\n    from: 2024-01-01\n    to: 2025-01-01\n    reference: a\n" GOOD_PARAMS
	        "  - version: \"2\"\n    from: 2025-01-01\n    to: 2026-01-01\n    reference: b\n" PARAMS_L(
	            "1000000", "[leading_enterprise]", "leading_talent",
	            "[]") "  - version: \"3\"\n    from: 2026-01-01\n    reference: "
	                  "c\n" PARAMS_L("1000000", "[leading_enterprise]", "leading_talent", "[employment_ended]"),
	        &p, &err),
	    GG_OK);
	assert_int_equal(p->versions[0].lapse_rules, GG_LAPSE_PAID_BELOW_THRESHOLD | GG_LAPSE_EMPLOYMENT_ENDED);
	assert_int_equal(p->versions[1].lapse_rules, 0);
	assert_int_equal(p->versions[2].lapse_rules, GG_LAPSE_EMPLOYMENT_ENDED);
	gg_pack_param_text(&p->versions[1], GG_PACK_LAPSE_RULES, value, sizeof(value));
	assert_string_equal(value, "none");
	gg_pack_param_text(&p->versions[2], GG_PACK_LAPSE_RULES, value, sizeof(value));
	assert_string_equal(value, "employment_ended");
	assert_string_equal(p->versions[1].refs[GG_PACK_LAPSE_RULES], "r12");

	/* under version 1, years 2 (paid below) and 3 (left) lapse */
	evaluate_on(p, day(2024, 7, 13), &d);
	assert_true(d.inst[1].lapsed && d.inst[2].lapsed);
	assert_int_equal(d.total_fen, 60000000);
	gg_buf_release(&d.trace);
	/* under version 2 (no rule), nothing lapses: year 2 is priced on the 999,999.99 paid */
	evaluate_on(p, day(2025, 7, 13), &d);
	assert_false(d.inst[0].lapsed || d.inst[1].lapsed || d.inst[2].lapsed);
	assert_int_equal(d.inst[1].amount_fen, 50000000);
	assert_int_equal(d.total_fen, 170000000);
	gg_buf_release(&d.trace);
	/* under version 3, only the end lapses year 3 */
	evaluate_on(p, day(2026, 7, 13), &d);
	assert_false(d.inst[1].lapsed);
	assert_true(d.inst[2].lapsed);
	assert_int_equal(d.total_fen, 110000000);
	if (!strstr(d.trace.buf, "lapsed by rule employment_ended"))
		fail_msg("trace: %s", d.trace.buf);
	gg_buf_release(&d.trace);
	gg_pack_free(p);

	/* an unknown rule, a rule twice, not a list, missing: line 14 is lapse_rules */
	snprintf(text, sizeof(text), "%s%s", head,
	         PARAMS_L("1000000", "[leading_enterprise]", "leading_talent", "[paid_below_threshold, retired]"));
	refused(fx, text, 14,
	        "versions.0.parameters.lapse_rules: unknown lapse rule 'retired' (the rules: paid_below_threshold, "
	        "employment_ended)");
	snprintf(text, sizeof(text), "%s%s", head,
	         PARAMS_L("1000000", "[leading_enterprise]", "leading_talent", "[employment_ended, employment_ended]"));
	refused(fx, text, 14, "versions.0.parameters.lapse_rules: 'employment_ended' is listed twice");
	snprintf(text, sizeof(text), "%s%s", head,
	         PARAMS_L("1000000", "[leading_enterprise]", "leading_talent", "employment_ended"));
	refused(fx, text, 14,
	        "versions.0.parameters.lapse_rules: must be a list of lapse rules (paid_below_threshold, "
	        "employment_ended), [] for none");
	snprintf(text, sizeof(text), "%s%s", head, GOOD_PARAMS);
	at = strstr(text, "      lapse_rules: {");
	memmove(at, strstr(text, "      strategic_cap_cny:"), strlen(strstr(text, "      strategic_cap_cny:")) + 1);
	refused(fx, text, 8, "versions.0.parameters.lapse_rules: missing");
}

static void test_missing_file(void **state)
{
	struct fx *fx = *state;
	struct gg_pack *p = NULL;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_pack_load("/nonexistent/x.yaml", fx->vocab, &p, &err), GG_E_NOT_FOUND);
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_shipped_pack, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_first_worked_example, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lapse_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
