/*
 * test_policy: the recruitment order's evaluator against every row of
 * DOMAIN.md's worked examples and the assumptions under them (threshold
 * included, half-up rounding, the cap, lapsed years, the end of
 * employment, 29 February, earlier plans, ineligible employers, a start
 * before the policy), its trace, and the lapse rules: a version without a
 * rule lapses no year that way.
 */
#include "unit.h"

#include <string.h>

#include "core/clock.h"
#include "domain/policy.h"

/* The parameters of DOMAIN.md (the demo pack's defaults). */
static const struct gg_policy_params OV = {
    .pack = "optics-valley-2024",
    .effective_from = "2024-01-01",
    .threshold_fen = 100000000,
    .rate_bp = 5000,
    .years = 3,
    .cap_fen = 1000000000,
    .eligible_kinds = {"leading_enterprise", "rd_unit"},
    .neligible = 2,
    .tier = "leading_talent",
    .lapse_rules = GG_LAPSE_PAID_BELOW_THRESHOLD | GG_LAPSE_EMPLOYMENT_ENDED,
};

static int64_t day(int y, int m, int d)
{
	return gg_clock_days_from_civil(y, m, d);
}

static struct gg_policy_facts hire(int64_t salary_fen)
{
	struct gg_policy_facts f;

	memset(&f, 0, sizeof f);
	f.employer_kind = "leading_enterprise";
	f.contract_fen = salary_fen;
	f.start_day = day(2024, 7, 13);
	f.end_day = -1;
	return f;
}

/* Evaluates f under p and checks recognition, the three amounts (-1: lapsed) and the total. */
static void expect_under(const struct gg_policy_params *p, const struct gg_policy_facts *f, int recognised,
                         const int64_t amounts[3], int64_t total, struct gg_policy_decision *d)
{
	struct gg_error err;

	gg_error_init(&err);
	if (gg_policy_evaluate(p, f, d, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	assert_int_equal(d->recognised, recognised);
	assert_int_equal(d->total_fen, total);
	if (!recognised) {
		assert_int_equal(d->ninst, 0);
		assert_null(d->tier);
		return;
	}
	assert_string_equal(d->tier, "leading_talent");
	assert_int_equal(d->ninst, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(d->inst[i].year, i + 1);
		assert_int_equal(d->inst[i].lapsed, amounts[i] < 0);
		assert_int_equal(d->inst[i].amount_fen, amounts[i] < 0 ? 0 : amounts[i]);
	}
}

/* The same under the demo pack's parameters. */
static void expect(const struct gg_policy_facts *f, int recognised, const int64_t amounts[3], int64_t total,
                   struct gg_policy_decision *d)
{
	expect_under(&OV, f, recognised, amounts, total, d);
}

static void has_line(const struct gg_policy_decision *d, const char *line)
{
	if (!strstr(d->trace.buf, line))
		fail_msg("no '%s' in the trace:\n%s", line, d->trace.buf);
}

static void test_worked_examples(void **state)
{
	static const struct {
		int64_t salary;
		int recognised;
		int64_t amounts[3];
		int64_t total;
	} rows[] = {
	    {120000000, 1, {60000000, 60000000, 60000000}, 180000000},
	    {99999999, 0, {0, 0, 0}, 0},
	    {100000000, 1, {50000000, 50000000, 50000000}, 150000000},
	    {800000000, 1, {400000000, 400000000, 200000000}, 1000000000},
	    {100000001, 1, {50000001, 50000001, 50000001}, 150000003},
	};
	struct gg_policy_decision d;

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct gg_policy_facts f = hire(rows[i].salary);
		expect(&f, rows[i].recognised, rows[i].amounts, rows[i].total, &d);
		gg_buf_release(&d.trace);
	}
}

static void test_trace_names_the_values(void **state)
{
	struct gg_policy_facts f = hire(800000000);
	struct gg_policy_decision d;
	static const int64_t amounts[3] = {400000000, 400000000, 200000000};

	(void)state;
	expect(&f, 1, amounts, 1000000000, &d);
	if (!strstr(d.trace.buf, "salary 8,000,000.00 >= threshold 1,000,000.00 (optics-valley-2024, from 2024-01-01)"))
		fail_msg("trace: %s", d.trace.buf);
	if (!strstr(d.trace.buf, "year 1 (due 2025-07-13): base 8,000,000.00 x 5000 bp = 4,000,000.00\n"))
		fail_msg("trace: %s", d.trace.buf);
	if (!strstr(d.trace.buf, "year 3 (due 2027-07-13): base 8,000,000.00 x 5000 bp = 4,000,000.00, capped at "
	                         "2,000,000.00 (cap 10,000,000.00)"))
		fail_msg("trace: %s", d.trace.buf);
	gg_buf_release(&d.trace);
	f = hire(99999999);
	expect(&f, 0, amounts, 0, &d);
	if (!strstr(d.trace.buf, "salary 999,999.99 < threshold 1,000,000.00"))
		fail_msg("trace: %s", d.trace.buf);
	gg_buf_release(&d.trace);
}

static void test_paid_salary_and_lapses(void **state)
{
	struct gg_policy_facts f = hire(150000000);
	struct gg_policy_decision d;

	(void)state;
	/* year 1 paid more than the contract (base stays the contract), year 2 below the threshold (lapses, no cap
	 * room used), year 3 paid 1,200,000 */
	f.npaid = 3;
	f.paid_fen[0] = 200000000;
	f.paid_fen[1] = 90000000;
	f.paid_fen[2] = 120000000;
	expect(&f, 1, (const int64_t[3]){75000000, -1, 60000000}, 135000000, &d);
	assert_int_equal(d.inst[0].base_fen, 150000000);
	gg_buf_release(&d.trace);

	/* employment ends in year 2: years 2 and 3 lapse; an end on the anniversary completes that year */
	f = hire(120000000);
	f.end_day = day(2026, 3, 1);
	expect(&f, 1, (const int64_t[3]){60000000, -1, -1}, 60000000, &d);
	gg_buf_release(&d.trace);
	f.end_day = day(2026, 7, 13);
	expect(&f, 1, (const int64_t[3]){60000000, 60000000, -1}, 120000000, &d);
	gg_buf_release(&d.trace);

	/* earlier plans used 9,500,000 of the cap: 500,000 left */
	f = hire(120000000);
	f.earlier_fen = 950000000;
	expect(&f, 1, (const int64_t[3]){50000000, 0, 0}, 50000000, &d);
	gg_buf_release(&d.trace);
}

static void test_lapse_rules(void **state)
{
	struct gg_policy_params p = OV;
	struct gg_policy_facts f = hire(120000000);
	struct gg_policy_decision d;
	struct gg_error err;

	(void)state;
	/* both rules (the demo pack): the trace names the rule that lapsed each year */
	f.npaid = 2;
	f.paid_fen[0] = 120000000;
	f.paid_fen[1] = 99999999;
	f.end_day = day(2026, 9, 1);
	expect(&f, 1, (const int64_t[3]){60000000, -1, -1}, 60000000, &d);
	has_line(&d, "year 2 (due 2026-07-13): lapsed by rule paid_below_threshold, salary paid 999,999.99 < "
	             "threshold 1,000,000.00\n");
	has_line(&d, "year 3 (due 2027-07-13): lapsed by rule employment_ended, employment ended before the "
	             "anniversary\n");
	gg_buf_release(&d.trace);

	/* without paid_below_threshold: year 2 is priced on what was paid; the end still lapses year 3 */
	p.lapse_rules = GG_LAPSE_EMPLOYMENT_ENDED;
	expect_under(&p, &f, 1, (const int64_t[3]){60000000, 50000000, -1}, 110000000, &d);
	has_line(&d, "year 2 (due 2026-07-13): salary paid 999,999.99 < threshold 1,000,000.00, but "
	             "optics-valley-2024 has no lapse rule paid_below_threshold\n");
	has_line(&d, "year 2 (due 2026-07-13): base 999,999.99 x 5000 bp = 500,000.00\n");
	has_line(&d, "year 3 (due 2027-07-13): lapsed by rule employment_ended");
	gg_buf_release(&d.trace);

	/* without employment_ended: the years after the end are due; a year paid below still lapses */
	p.lapse_rules = GG_LAPSE_PAID_BELOW_THRESHOLD;
	expect_under(&p, &f, 1, (const int64_t[3]){60000000, -1, 60000000}, 120000000, &d);
	has_line(&d, "year 3 (due 2027-07-13): employment ended before the anniversary, but optics-valley-2024 has "
	             "no lapse rule employment_ended\n");
	has_line(&d, "year 2 (due 2026-07-13): lapsed by rule paid_below_threshold");
	gg_buf_release(&d.trace);

	/* no rule at all: no year lapses */
	p.lapse_rules = 0;
	expect_under(&p, &f, 1, (const int64_t[3]){60000000, 50000000, 60000000}, 170000000, &d);
	assert_null(strstr(d.trace.buf, "lapsed"));
	gg_buf_release(&d.trace);

	/* flags beyond the known rules are refused */
	p.lapse_rules = 1u << GG_POLICY_LAPSE_RULES;
	gg_error_init(&err);
	assert_int_equal(gg_policy_evaluate(&p, &f, &d, &err), GG_E_INVALID);
	gg_buf_release(&d.trace);

	/* the tokens */
	assert_string_equal(gg_policy_lapse_token(0), "paid_below_threshold");
	assert_string_equal(gg_policy_lapse_token(1), "employment_ended");
	assert_null(gg_policy_lapse_token(GG_POLICY_LAPSE_RULES));
	assert_null(gg_policy_lapse_token(-1));
	assert_int_equal(gg_policy_lapse_lookup("employment_ended"), GG_LAPSE_EMPLOYMENT_ENDED);
	assert_int_equal(gg_policy_lapse_lookup("paid_below_threshold"), GG_LAPSE_PAID_BELOW_THRESHOLD);
	assert_int_equal(gg_policy_lapse_lookup("retired"), 0);
	assert_int_equal(gg_policy_lapse_lookup(NULL), 0);
}

static void test_anniversaries(void **state)
{
	(void)state;
	/* 29 February: 28 February in common years, 29 in leap years */
	assert_int_equal(gg_policy_anniversary(day(2024, 2, 29), 1), day(2025, 2, 28));
	assert_int_equal(gg_policy_anniversary(day(2024, 2, 29), 4), day(2028, 2, 29));
	assert_int_equal(gg_policy_anniversary(day(2024, 12, 31), 1), day(2025, 12, 31));
}

static void test_refusals(void **state)
{
	struct gg_policy_facts f = hire(120000000);
	struct gg_policy_decision d;
	struct gg_error err;

	(void)state;
	gg_error_init(&err);
	/* an employer that is neither a leading enterprise nor an R&D unit: not recognised, no error */
	f.employer_kind = "incubator";
	expect(&f, 0, NULL, 0, &d);
	if (!strstr(d.trace.buf, "employer kind incubator is not eligible"))
		fail_msg("trace: %s", d.trace.buf);
	gg_buf_release(&d.trace);
	/* a start before the policy: a rule refusal on the start */
	f = hire(120000000);
	f.start_day = day(2023, 12, 31);
	assert_int_equal(gg_policy_evaluate(&OV, &f, &d, &err), GG_E_RULE);
	assert_string_equal(err.fields[0].field, "start");
	gg_buf_release(&d.trace);
	/* a negative salary, paid salaries for more years than the plan */
	f = hire(-1);
	gg_error_init(&err);
	assert_int_equal(gg_policy_evaluate(&OV, &f, &d, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "salary");
	gg_buf_release(&d.trace);
	f = hire(120000000);
	f.npaid = 4;
	gg_error_init(&err);
	assert_int_equal(gg_policy_evaluate(&OV, &f, &d, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "paid");
	gg_buf_release(&d.trace);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_worked_examples),        cmocka_unit_test(test_trace_names_the_values),
	    cmocka_unit_test(test_paid_salary_and_lapses), cmocka_unit_test(test_lapse_rules),
	    cmocka_unit_test(test_anniversaries),          cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
