/*
 * test_policytest: policy tests as data. The shipped case file passes
 * against the shipped pack; a failing case gives exactly one line
 * "FILE:LINE: case 'NAME': FIELD: expected X, got Y" per difference; a
 * refusal expected but not given (and the reverse) is a failure line too;
 * a malformed case file (unknown key, a YAML float for money, a missing
 * field, an unknown pack, a bad date) is refused whole with file:line.
 */
#include "unit_vocab.h"

#include "domain/policytest.h"

#define SHIPPED_CASES "policy/tests/optics-valley-2024.yaml"

static int setup(void **state)
{
	*state = unit_vocab_open("cases.yaml");
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	unit_vocab_close(*state);
	return 0;
}

/* One case (lines 1..8) of 1,200,000 from 2024-03-01 with the given expect block. */
#define CASE(facts, expect)                                                                \
	"cases:\n"                                                                         \
	"  - name: \"c1\"\n"                                                               \
	"    policy: optics-valley-2024\n"                                                 \
	"    facts: {employer_kind: leading_enterprise, salary: \"1200000\", " facts "}\n" \
	"    expect:\n" expect

static enum gg_err run_text(struct fx *fx, const char *text, struct gg_policytest_result *res, struct gg_error *err)
{
	unit_write_file(fx->path, text);
	gg_error_init(err);
	return gg_policytest_run(fx->path, "policy", fx->vocab, res, err);
}

static void test_shipped_cases(void **state)
{
	struct fx *fx = *state;
	struct gg_policytest_result res;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_policytest_run(SHIPPED_CASES, "policy", fx->vocab, &res, &err), GG_OK);
	assert_true(res.passed >= 19);
	assert_int_equal(res.failed, 0);
	assert_int_equal(res.failures.len, 0);
	gg_buf_release(&res.failures);
}

static void test_failure_line(void **state)
{
	struct fx *fx = *state;
	struct gg_policytest_result res;
	struct gg_error err;
	char want[2048];

	assert_int_equal(run_text(fx,
	                          CASE("start: \"2024-03-01\"", "      recognised: true\n"
	                                                        "      installments: [\"600000\", \"600000\", lapsed]\n"
	                                                        "      total: \"1800000.01\"\n"),
	                          &res, &err),
	                 GG_OK);
	assert_int_equal(res.passed, 0);
	assert_int_equal(res.failed, 1);
	snprintf(want, sizeof(want),
	         "%s:7: case 'c1': installments.3: expected lapsed, got 600000.00\n"
	         "%s:8: case 'c1': total: expected 1800000.01, got 1800000.00\n",
	         fx->path, fx->path);
	assert_string_equal(res.failures.buf, want);
	gg_buf_release(&res.failures);

	/* a start before the policy: refused, so an expected decision fails in one line */
	assert_int_equal(run_text(fx,
	                          CASE("start: \"2023-12-31\"", "      recognised: true\n      total: \"1800000\"\n"),
	                          &res, &err),
	                 GG_OK);
	assert_int_equal(res.failed, 1);
	snprintf(want, sizeof(want), "%s:6: case 'c1': recognised: expected true, got refused: ", fx->path);
	assert_int_equal(strncmp(res.failures.buf, want, strlen(want)), 0);
	assert_non_null(strchr(res.failures.buf, '\n'));
	assert_int_equal(strchr(res.failures.buf, '\n')[1], '\0');
	gg_buf_release(&res.failures);

	/* and refused: rule where the rules decide fails too */
	assert_int_equal(run_text(fx, CASE("start: \"2024-03-01\"", "      refused: rule\n"), &res, &err), GG_OK);
	snprintf(want, sizeof(want), "%s:6: case 'c1': refused: expected rule, got a decision (recognised true)\n",
	         fx->path);
	assert_string_equal(res.failures.buf, want);
	gg_buf_release(&res.failures);

	/* while it passes for a start before the policy */
	assert_int_equal(run_text(fx, CASE("start: \"2023-12-31\"", "      refused: rule\n"), &res, &err), GG_OK);
	assert_int_equal(res.passed, 1);
	assert_int_equal(res.failed, 0);
	gg_buf_release(&res.failures);
}

/* text is refused whole: GG_E_INVALID "PATH:line: rest...". */
static void refused(struct fx *fx, const char *text, int line, const char *rest)
{
	struct gg_policytest_result res;
	struct gg_error err;
	char want[2048];

	assert_int_equal(run_text(fx, text, &res, &err), GG_E_INVALID);
	snprintf(want, sizeof(want), "%s:%d: %s", fx->path, line, rest);
	if (strncmp(gg_error_message(&err), want, strlen(want)) != 0)
		fail_msg("got '%s', want '%s...'", gg_error_message(&err), want);
	assert_int_equal(res.failures.len, 0);
	gg_buf_release(&res.failures);
}

static void test_malformed(void **state)
{
	struct fx *fx = *state;

	refused(fx, CASE("start: \"2024-03-01\"", "      recognised: true\n      total: 1800000.00\n"), 7,
	        "expect.total: write money as a quoted yuan string");
	refused(fx, CASE("start: \"2024-03-01\"", "      recognised: true\n      totl: \"1800000\"\n"), 7,
	        "expect.totl: unknown key");
	refused(fx, CASE("start: \"2024-03-01\"", "      recognised: true\n"), 6, "total: missing");
	refused(fx, CASE("start: \"2024-02-30\"", "      recognised: true\n      total: \"0\"\n"), 4,
	        "facts.start: not a date");
	refused(fx, CASE("start: \"2024-03-01\", bonus: \"1\"", "      recognised: true\n      total: \"0\"\n"), 4,
	        "facts.bonus: unknown key");
	refused(fx, CASE("start: \"2024-03-01\"", "      recognised: yes\n      total: \"0\"\n"), 6,
	        "expect.recognised: expected true or false");
	refused(fx, CASE("start: \"2024-03-01\"", "      recognised: true\n      total: \"1.234\"\n"), 7,
	        "expect.total: '1.234'");
	refused(fx,
	        "cases:\n  - name: c1\n    policy: no-such-pack\n"
	        "    facts: {employer_kind: leading_enterprise, salary: \"1\", start: \"2024-03-01\"}\n"
	        "    expect: {recognised: false, total: \"0\"}\n",
	        3, "policy: unknown pack 'no-such-pack'");
	refused(fx, "cases: []\n", 1, "cases: expected a non-empty list");
	refused(fx, "title: t\n", 1, "cases: missing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_shipped_cases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failure_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
