/* money: yuan text to fen and back, and basis points with rounding half up. */
#include "unit.h"

#include <stdint.h>
#include <string.h>

#include "core/money.h"

static int64_t parse_ok(const char *s)
{
	struct gg_error err;
	int64_t fen = -1;

	gg_error_init(&err);
	if (gg_money_parse(s, &fen, &err) != GG_OK)
		fail_msg("'%s': %s", s, gg_error_message(&err));
	return fen;
}

static void refused(const char *s, const char *says)
{
	struct gg_error err;
	int64_t fen = 42;

	gg_error_init(&err);
	assert_int_equal(gg_money_parse(s, &fen, &err), GG_E_INVALID);
	assert_int_equal(fen, 42);
	if (!strstr(gg_error_message(&err), says))
		fail_msg("'%s': message '%s' does not say '%s'", s, gg_error_message(&err), says);
}

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1000000"), 100000000);
	assert_int_equal(parse_ok("1200000.5"), 120000050);
	assert_int_equal(parse_ok("1200000.50"), 120000050);
	assert_int_equal(parse_ok("0.01"), 1);
	assert_int_equal(parse_ok("0"), 0);
	assert_int_equal(parse_ok("10000000000000.00"), GG_MONEY_MAX_FEN);
}

static void test_parse_refuses(void **state)
{
	(void)state;
	refused("", "empty");
	refused("-5", "sign");
	refused("+5", "sign");
	refused("1000000.005", "more than two decimals");
	refused("1e6", "'e'");
	refused("1,000,000", "','");
	refused(" 100", "' '");
	refused("100.", "ends with '.'");
	refused(".5", "not a decimal number");
	refused("1.2.3", "not a decimal number");
	refused("10000000000000.01", "too large");
	refused("99999999999999999999999", "too large");
}

static void test_format(void **state)
{
	char out[GG_MONEY_TEXT_MAX];

	(void)state;
	assert_string_equal(gg_money_format(120000050, out), "1200000.50");
	assert_string_equal(gg_money_format(5, out), "0.05");
	assert_string_equal(gg_money_format(-5, out), "-0.05");
	assert_string_equal(gg_money_format(GG_MONEY_MAX_FEN, out), "10000000000000.00");
	assert_string_equal(gg_money_format(INT64_MIN, out), "-92233720368547758.08");
	assert_string_equal(gg_money_format_grouped(120000050, out), "1,200,000.50");
	assert_string_equal(gg_money_format_grouped(99999, out), "999.99");
	assert_string_equal(gg_money_format_grouped(100000, out), "1,000.00");
	assert_string_equal(gg_money_format_grouped(-100000000, out), "-1,000,000.00");
	assert_string_equal(gg_money_format_grouped(INT64_MIN, out), "-92,233,720,368,547,758.08");
	/* parse and format are inverse for the plain form */
	assert_int_equal(parse_ok(gg_money_format(123456789, out)), 123456789);
}

static void test_apply_bp(void **state)
{
	struct gg_error err;
	int64_t out = 0;

	(void)state;
	gg_error_init(&err);
	/* half of 1,200,000.00 */
	assert_int_equal(gg_money_apply_bp(120000000, 5000, &out, &err), GG_OK);
	assert_int_equal(out, 60000000);
	/* 0.01 at 50 %: 0.005 rounds half up to 0.01; 0.03 at 50 %: 0.015 to 0.02 */
	assert_int_equal(gg_money_apply_bp(1, 5000, &out, &err), GG_OK);
	assert_int_equal(out, 1);
	assert_int_equal(gg_money_apply_bp(3, 5000, &out, &err), GG_OK);
	assert_int_equal(out, 2);
	/* below half rounds down: 0.01 at 40 % is 0.004 */
	assert_int_equal(gg_money_apply_bp(1, 4000, &out, &err), GG_OK);
	assert_int_equal(out, 0);
	/* negative amounts round away from zero at the half */
	assert_int_equal(gg_money_apply_bp(-3, 5000, &out, &err), GG_OK);
	assert_int_equal(out, -2);
	/* no overflow in the product: the largest amount at 100 % */
	assert_int_equal(gg_money_apply_bp(GG_MONEY_MAX_FEN, 10000, &out, &err), GG_OK);
	assert_int_equal(out, GG_MONEY_MAX_FEN);
	assert_int_equal(gg_money_apply_bp(GG_MONEY_MAX_FEN, 20000, &out, &err), GG_E_INVALID);
	assert_int_equal(gg_money_apply_bp(100, -1, &out, &err), GG_E_INVALID);
	assert_int_equal(gg_money_apply_bp(100, 1000001, &out, &err), GG_E_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_parse_refuses),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_apply_bp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
