/*
 * test_simulate: the subsidy simulation shared by `guanggu subsidy
 * simulate` and POST /api/v1/policy/simulate. DOMAIN.md's worked examples
 * under the shipped pack, in the view the decision JSON copies (due days
 * as text, "due"/"lapsed", totals of the due ones, trace lines); the
 * defaults (today, leading_enterprise, the pack in force on the start);
 * salaries paid and an end after N years; malformed values refused as
 * GG_E_INVALID naming the field; rule refusals (unknown policy, a start
 * before the policy or outside every version) as GG_E_RULE; and the
 * choice of version among several packs, one of them without lapse rules.
 */
#include "unit_vocab.h"

#include "core/clock.h"
#include "domain/policyset.h"
#include "domain/simulate.h"

/* A pack NAME with one version [from, to) at rate_bp, lapse rules lapse. */
#define PACK(name, from, to, rate, lapse)                                                       \
	"name: " name "\ntitle: T\nversions:\n  - version: \"v1\"\n    from: \"" from "\"\n" to \
	"    reference: r\n    parameters:\n"                                                   \
	"      threshold_cny: {value: \"1000000\", reference: r}\n"                             \
	"      rate_bp: {value: " rate ", reference: r}\n"                                      \
	"      years: {value: 3, reference: r}\n"                                               \
	"      cap_cny: {value: \"10000000\", reference: r}\n"                                  \
	"      cap_scope: {value: total, reference: r}\n"                                       \
	"      eligible_employer_kinds: {value: [leading_enterprise, rd_unit], reference: r}\n" \
	"      lapse_rules: {value: " lapse ", reference: r}\n"                                 \
	"      strategic_cap_cny: {value: \"100000000\", reference: r}\n"                       \
	"      recommendation_quota: {value: 5, reference: r}\n"                                \
	"      rounding: {value: half_up, reference: r}\n"                                      \
	"      tier: {value: leading_talent, reference: r}\n"                                   \
	"      high_level_tiers: {value: [leading_talent], reference: r}\n"

struct sfx {
	struct fx *fx;
	struct gg_policyset *shipped;
	struct gg_simulation sim;
};

static int setup(void **state)
{
	struct sfx *s = calloc(1, sizeof(*s));
	struct gg_error err;

	if (s == NULL || (s->fx = unit_vocab_open("x")) == NULL)
		return -1;
	gg_error_init(&err);
	if (gg_policyset_load("policy", s->fx->vocab, &s->shipped, &err) != GG_OK) {
		print_error("%s\n", gg_error_message(&err));
		return -1;
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct sfx *s = *state;

	gg_policyset_free(s->shipped);
	unit_vocab_close(s->fx);
	free(s);
	return 0;
}

static int64_t day(int y, int m, int d)
{
	return gg_clock_days_from_civil(y, m, d);
}

/* Runs in under set (today 2026-05-20) and expects GG_OK. */
static struct gg_simulation *ok(struct sfx *s, const struct gg_policyset *set, const struct gg_simulate_input *in)
{
	struct gg_error err;

	gg_error_init(&err);
	if (gg_simulate_run(set, in, day(2026, 5, 20), &s->sim, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	return &s->sim;
}

/* Runs in and expects code on field, the message starting with msg. */
static void refused(struct sfx *s, const struct gg_policyset *set, const struct gg_simulate_input *in, enum gg_err code,
                    const char *field, const char *msg)
{
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_simulate_run(set, in, day(2026, 5, 20), &s->sim, &err), code);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, field);
	if (strncmp(gg_error_message(&err), msg, strlen(msg)) != 0)
		fail_msg("got '%s', want '%s...'", gg_error_message(&err), msg);
}

static int has_line(const struct gg_simulation *sim, const char *text)
{
	for (size_t i = 0; i < sim->ntrace; i++)
		if (strstr(sim->trace[i], text) != NULL)
			return 1;
	return 0;
}

static void test_worked_examples(void **state)
{
	static const struct {
		const char *salary;
		int recognized;
		int64_t amounts[3];
		int64_t total;
	} rows[] = {
	    {"1200000", 1, {60000000, 60000000, 60000000}, 180000000},
	    {"999999.99", 0, {0}, 0},
	    {"1000000", 1, {50000000, 50000000, 50000000}, 150000000},
	    {"8000000", 1, {400000000, 400000000, 200000000}, 1000000000},
	    {"1000000.01", 1, {50000001, 50000001, 50000001}, 150000003},
	};
	static const char *const due[3] = {"2025-03-01", "2026-03-01", "2027-03-01"};
	struct sfx *s = *state;

	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		struct gg_simulate_input in = {.salary = rows[r].salary, .start = "2024-03-01", .end_after_years = -1};
		struct gg_simulation *sim = ok(s, s->shipped, &in);

		assert_int_equal(sim->recognized, rows[r].recognized);
		assert_string_equal(sim->policy, "optics-valley-2024");
		assert_string_equal(sim->version, "2024.1");
		assert_string_equal(sim->start, "2024-03-01");
		assert_int_equal(sim->total_fen, rows[r].total);
		if (!rows[r].recognized) {
			assert_null(sim->tier);
			assert_int_equal(sim->ninst, 0);
			assert_true(has_line(sim, "salary 999,999.99 < threshold 1,000,000.00"));
			continue;
		}
		assert_string_equal(sim->tier, "leading_talent");
		assert_int_equal(sim->ninst, 3);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(sim->inst[i].year, i + 1);
			assert_string_equal(sim->inst[i].due, due[i]);
			assert_string_equal(sim->inst[i].status, "due");
			assert_int_equal(sim->inst[i].amount_fen, rows[r].amounts[i]);
		}
		/* the first line says which version was taken and why; the evaluator's lines follow, without '\n' */
		assert_string_equal(sim->trace[0],
		                    "policy optics-valley-2024 version 2024.1 (from 2024-01-01) is in force "
		                    "on the start 2024-03-01 (the default: no policy named)");
		assert_int_equal(strncmp(sim->trace[sim->ntrace - 1], "total ", 6), 0);
		for (size_t i = 0; i < sim->ntrace; i++)
			assert_null(strchr(sim->trace[i], '\n'));
	}
}

static void test_defaults_paid_and_end(void **state)
{
	struct sfx *s = *state;
	struct gg_simulate_input in = {.salary = "1200000", .end_after_years = -1};
	struct gg_simulation *sim;

	/* no start: today; no kind: leading_enterprise; no policy: the pack in force */
	sim = ok(s, s->shipped, &in);
	assert_string_equal(sim->start, "2026-05-20");
	assert_string_equal(sim->inst[0].due, "2027-05-20");
	assert_true(has_line(sim, "employer kind leading_enterprise is eligible"));
	/* a named policy: no "default" in the first line */
	in.policy = "optics-valley-2024";
	sim = ok(s, s->shipped, &in);
	assert_null(strstr(sim->trace[0], "default"));
	/* other kinds are not eligible: not recognised, no error */
	in.employer_kind = "other";
	sim = ok(s, s->shipped, &in);
	assert_false(sim->recognized);
	assert_int_equal(sim->ninst, 0);
	assert_int_equal(sim->total_fen, 0);
	in.employer_kind = "rd_unit";
	assert_true(ok(s, s->shipped, &in)->recognized);

	/* salary paid: year 2 below the threshold lapses (0 fen, "lapsed", not in the total) */
	in.start = "2024-02-29";
	in.paid[0] = "1200000";
	in.paid[1] = "999999.99";
	in.npaid = 2;
	sim = ok(s, s->shipped, &in);
	assert_string_equal(sim->inst[0].due, "2025-02-28");
	assert_string_equal(sim->inst[1].status, "lapsed");
	assert_int_equal(sim->inst[1].amount_fen, 0);
	assert_int_equal(sim->inst[1].base_fen, 99999999);
	assert_int_equal(sim->total_fen, 120000000);
	assert_true(has_line(sim, "lapsed by rule paid_below_threshold"));

	/* employment ends N years after the start: the years after N lapse */
	in.npaid = 0;
	in.end_after_years = 1;
	sim = ok(s, s->shipped, &in);
	assert_string_equal(sim->inst[0].status, "due");
	assert_string_equal(sim->inst[1].status, "lapsed");
	assert_string_equal(sim->inst[2].status, "lapsed");
	assert_int_equal(sim->total_fen, 60000000);
	in.end_after_years = 0;
	assert_int_equal(ok(s, s->shipped, &in)->total_fen, 0);
	in.end_after_years = 3;
	assert_int_equal(ok(s, s->shipped, &in)->total_fen, 180000000);
}

static void test_malformed(void **state)
{
	struct sfx *s = *state;
	struct gg_simulate_input in = {.salary = "1200000", .end_after_years = -1};

	in.salary = "1000000.001";
	refused(s, s->shipped, &in, GG_E_INVALID, "salary", "salary: amount '1000000.001' has more than two decimals");
	in.salary = "-1";
	refused(s, s->shipped, &in, GG_E_INVALID, "salary", "salary: amount '-1' has a sign");
	in.salary = "1e6";
	refused(s, s->shipped, &in, GG_E_INVALID, "salary", "salary: amount '1e6'");
	in.salary = "1,000,000";
	refused(s, s->shipped, &in, GG_E_INVALID, "salary", "salary: amount '1,000,000'");
	in.salary = NULL;
	refused(s, s->shipped, &in, GG_E_INVALID, "salary", "salary is missing");
	in.salary = "1200000";
	in.employer_kind = "castle";
	refused(s, s->shipped, &in, GG_E_INVALID, "employer_kind",
	        "employer_kind 'castle' is not an organisation kind");
	in.employer_kind = NULL;
	in.start = "2024-02-30";
	refused(s, s->shipped, &in, GG_E_INVALID, "start", "start '2024-02-30' is not a date YYYY-MM-DD");
	in.start = "2024-03-01";
	in.paid[0] = "1200000";
	in.paid[1] = "12.345";
	in.npaid = 2;
	refused(s, s->shipped, &in, GG_E_INVALID, "paid.1", "salary paid in year 2: amount '12.345'");
	in.paid[1] = in.paid[2] = in.paid[3] = "1200000";
	in.npaid = 4;
	refused(s, s->shipped, &in, GG_E_INVALID, "paid", "salaries paid are given for 4 years, at most 3");
	in.npaid = 0;
	in.end_after_years = GG_SIMULATE_YEARS_MAX + 1;
	refused(s, s->shipped, &in, GG_E_INVALID, "end_after_years", "end_after_years must be 0 to 100");
	in.end_after_years = -2;
	refused(s, s->shipped, &in, GG_E_INVALID, "end_after_years", "end_after_years must be 0 to 100");
}

static void test_rule_refusals(void **state)
{
	struct sfx *s = *state;
	struct gg_simulate_input in = {.salary = "1200000", .start = "2023-12-31", .end_after_years = -1};

	refused(s, s->shipped, &in, GG_E_RULE, "start",
	        "start 2023-12-31 is before policy 'optics-valley-2024' (from "
	        "2024-01-01)");
	in.policy = "optics-valley-2024";
	refused(s, s->shipped, &in, GG_E_RULE, "start", "start 2023-12-31 is before policy 'optics-valley-2024'");
	in.policy = "optics-valley-2099";
	in.start = "2024-03-01";
	refused(s, s->shipped, &in, GG_E_RULE, "policy", "unknown policy 'optics-valley-2099'");
}

static void test_several_packs(void **state)
{
	struct sfx *s = *state;
	struct gg_policyset *set = NULL;
	struct gg_simulate_input in = {.salary = "1200000", .end_after_years = -1};
	struct gg_simulation *sim;
	struct gg_error err;
	char path[600];

	/* a: [2024-01-01, 2025-01-01) at 5000 bp with both rules; b: from 2025-01-01 at 4000 bp without rules */
	snprintf(path, sizeof(path), "%s/a.yaml", s->fx->tmp);
	unit_write_file(path, PACK("a", "2024-01-01", "    to: \"2025-01-01\"\n", "5000",
	                           "[paid_below_threshold, employment_ended]"));
	snprintf(path, sizeof(path), "%s/b.yaml", s->fx->tmp);
	unit_write_file(path, PACK("b", "2025-01-01", "", "4000", "[]"));
	gg_error_init(&err);
	if (gg_policyset_load(s->fx->tmp, s->fx->vocab, &set, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));

	in.start = "2024-06-01";
	sim = ok(s, set, &in);
	assert_string_equal(sim->policy, "a");
	assert_int_equal(sim->inst[0].amount_fen, 60000000);
	in.start = "2025-06-01";
	in.end_after_years = 1;
	in.paid[0] = "500000";
	in.npaid = 1;
	sim = ok(s, set, &in);
	assert_string_equal(sim->policy, "b");
	/* b has no lapse rule: year 1 paid 500,000 is priced at 40%, the years after the end are due */
	assert_int_equal(sim->inst[0].amount_fen, 20000000);
	assert_string_equal(sim->inst[1].status, "due");
	assert_string_equal(sim->inst[2].status, "due");
	assert_int_equal(sim->total_fen, 20000000 + 48000000 * 2);
	assert_true(has_line(sim, "but b has no lapse rule paid_below_threshold"));
	assert_true(has_line(sim, "but b has no lapse rule employment_ended"));

	in.policy = "a";
	refused(s, set, &in, GG_E_RULE, "start", "no version of policy 'a' is in force on 2025-06-01");
	in.policy = "b";
	in.start = "2024-06-01";
	refused(s, set, &in, GG_E_RULE, "start", "start 2024-06-01 is before policy 'b' (from 2025-01-01)");
	in.policy = NULL;
	in.start = "2023-06-01";
	refused(s, set, &in, GG_E_RULE, "start", "start 2023-06-01 is before policy 'a' (from 2024-01-01)");
	gg_policyset_free(set);
}

static void test_view_of_a_decision(void **state)
{
	struct sfx *s = *state;
	const struct gg_pack *p = gg_policyset_find(s->shipped, "optics-valley-2024");
	struct gg_policy_facts f = {.employer_kind = "rd_unit", .contract_fen = 800000000, .end_day = -1};
	struct gg_policy_params pp;
	struct gg_policy_decision d;
	struct gg_error err;

	gg_error_init(&err);
	f.start_day = day(2024, 7, 13);
	assert_int_equal(gg_pack_params_on(p, f.start_day, &pp, &err), GG_OK);
	assert_int_equal(gg_policy_evaluate(&pp, &f, &d, &err), GG_OK);
	gg_simulation_view(p->name, gg_pack_version_on(p, f.start_day)->version, f.start_day, &d, &s->sim);
	gg_buf_release(&d.trace);
	assert_string_equal(s->sim.policy, "optics-valley-2024");
	assert_string_equal(s->sim.version, "2024.1");
	assert_true(s->sim.recognized);
	assert_string_equal(s->sim.start, "2024-07-13");
	assert_int_equal(s->sim.total_fen, 1000000000);
	assert_int_equal(s->sim.inst[2].amount_fen, 200000000);
	assert_string_equal(s->sim.trace[0], "employer kind rd_unit is eligible (optics-valley-2024, from 2024-01-01)");
	assert_true(has_line(&s->sim, "capped at 2,000,000.00 (cap 10,000,000.00)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_worked_examples, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_defaults_paid_and_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rule_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_several_packs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_view_of_a_decision, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
