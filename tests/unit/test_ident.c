/*
 * test_ident: GB 11643 resident ID numbers, GB 32100 credit codes and the
 * recognition of spreadsheet damage. Valid numbers are made by generators
 * in this file that compute the check characters by the standards'
 * formulas (weights 2^(17-i) mod 11 and 3^i mod 31), independently of the
 * tables in ident.c, so a wrong table entry fails here. No real person's
 * number appears; the one credit code is the public sample of GB 32100's
 * explanations (91350100M000100Y43).
 */
#include "unit.h"

#include "core/err.h"
#include "domain/ident.h"

#define NOW_TEXT "1800000000" /* 2027-01-15T08:00:00Z */

/* ISO 7064 MOD 11-2 from its definition. */
static char mod11_2(const char *d17)
{
	int sum = 0, w = 1;

	for (int i = 16; i >= 0; i--) {
		w = (w * 2) % 11;
		sum += (d17[i] - '0') * w;
	}
	int c = (12 - sum % 11) % 11;
	return c == 10 ? 'X' : (char)('0' + c);
}

/* A resident ID from an area code, a birth date YYYYMMDD and a sequence; out holds 19 bytes. */
static void make_id(const char *area, const char *ymd, int seq, char *out)
{
	snprintf(out, 19, "%.6s%.8s%03d", area, ymd, seq % 1000);
	out[17] = mod11_2(out);
	out[18] = '\0';
}

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static char mod31(const char *c17)
{
	int sum = 0, w = 1;

	for (int i = 0; i < 17; i++) {
		sum += (int)(strchr(alphabet, c17[i]) - alphabet) * w;
		w = (w * 3) % 31;
	}
	return alphabet[(31 - sum % 31) % 31];
}

/* A credit code from 17 characters; out holds 19 bytes. */
static void make_uscc(const char *c17, char *out)
{
	memcpy(out, c17, 17);
	out[17] = mod31(c17);
	out[18] = '\0';
}

static int setup(void **state)
{
	(void)state;
	return setenv("GUANGGU_TEST_NOW", NOW_TEXT, 1);
}

static int teardown(void **state)
{
	(void)state;
	return unsetenv("GUANGGU_TEST_NOW");
}

/* Checks value and expects the exact message (NULL: valid). */
static void expect_id(const char *value, const char *birth, const char *msg)
{
	struct gg_error err;
	enum gg_err rc;

	gg_error_init(&err);
	rc = gg_ident_check_resident_id(value, birth, "document.number", &err);
	if (!msg) {
		if (rc != GG_OK)
			print_error("%s: %s\n", value, gg_error_message(&err));
		assert_int_equal(rc, GG_OK);
		return;
	}
	assert_int_equal(rc, GG_E_INVALID);
	assert_int_equal(err.code, GG_E_INVALID);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, "document.number");
	assert_string_equal(err.fields[0].message, msg);
	assert_string_equal(gg_error_message(&err), msg);
}

static void expect_uscc(const char *value, const char *msg)
{
	struct gg_error err;
	enum gg_err rc;

	gg_error_init(&err);
	rc = gg_ident_check_uscc(value, "uscc", &err);
	if (!msg) {
		if (rc != GG_OK)
			print_error("%s: %s\n", value, gg_error_message(&err));
		assert_int_equal(rc, GG_OK);
		return;
	}
	assert_int_equal(rc, GG_E_INVALID);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, "uscc");
	assert_string_equal(err.fields[0].message, msg);
}

static void test_generated_ids_are_valid(void **state)
{
	static const char *const areas[] = {"110101", "120102", "310104", "420111", "440305", "500103",
	                                    "650102", "710000", "810000", "820000", "150102", "540102"};
	static const char *const dates[] = {"19000101", "19491001", "19800101", "20000229",
	                                    "19961231", "20270115", "20240229", "19991130"};
	char id[19];
	int xs = 0;

	(void)state;
	for (size_t a = 0; a < sizeof areas / sizeof areas[0]; a++)
		for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++)
			for (int seq = 0; seq < 40; seq++) {
				make_id(areas[a], dates[d], seq * 7 + (int)a, id);
				expect_id(id, NULL, NULL);
				assert_int_equal(gg_ident_resident_check_char(id), id[17]);
				xs += id[17] == 'X';
			}
	/* about one in eleven ends in X: the generator covers that check character */
	assert_true(xs > 100);
}

static void test_id_x_and_normalising(void **state)
{
	char id[19], lower[19], norm[GG_IDENT_BUF], date[11];
	int seq;

	(void)state;
	for (seq = 0; seq < 1000; seq++) {
		make_id("420111", "19800101", seq, id);
		if (id[17] == 'X')
			break;
	}
	assert_true(seq < 1000);
	memcpy(lower, id, sizeof id);
	lower[17] = 'x';
	expect_id(lower, NULL, NULL);
	gg_ident_normalise(lower, norm);
	assert_string_equal(norm, id);

	/* white space around, full-width digits and letters (a Chinese keyboard) */
	char padded[64];
	snprintf(padded, sizeof padded, "  %s\t\u3000", lower);
	expect_id(padded, "1980-01-01", NULL);
	gg_ident_normalise(padded, norm);
	assert_string_equal(norm, id);
	char wide[128] = "";
	for (int i = 0; i < 17; i++) {
		char ch[4] = {(char)0xEF, (char)0xBC, (char)(0x90 + (id[i] - '0')), 0}; /* U+FF10 + digit */
		strcat(wide, ch);
	}
	strcat(wide, "\xEF\xBD\x98"); /* U+FF58 fullwidth x */
	expect_id(wide, NULL, NULL);
	gg_ident_normalise(wide, norm);
	assert_string_equal(norm, id);

	gg_ident_resident_birth_date(id, date, sizeof date);
	assert_string_equal(date, "1980-01-01");
	gg_ident_resident_birth_date("123", date, sizeof date);
	assert_string_equal(date, "");
}

static void test_id_length_and_characters(void **state)
{
	char id[19], v[40];

	(void)state;
	make_id("420111", "19800101", 123, id);
	memcpy(v, id, 17);
	v[17] = '\0';
	expect_id(v, NULL, "resident id must have 18 characters (got 17)");
	snprintf(v, sizeof v, "%s1", id);
	expect_id(v, NULL, "resident id must have 18 characters (got 19)");
	expect_id("", NULL, "resident id must have 18 characters (got 0)");
	expect_id(NULL, NULL, "resident id must have 18 characters (got 0)");
	/* 15-digit numbers of the old standard are not accepted */
	expect_id("420111800101123", NULL, "resident id must have 18 characters (got 15)");
	/* Chinese characters count as characters, not bytes */
	expect_id("身份证号码", NULL, "resident id must have 18 characters (got 5)");

	memcpy(v, id, 19);
	v[6] = 'A';
	expect_id(v, NULL, "resident id character 7 is 'A', only digits may precede the check character");
	memcpy(v, id, 19);
	v[0] = '-';
	expect_id(v, NULL, "resident id character 1 is '-', only digits may precede the check character");
	memcpy(v, id, 19);
	v[17] = 'Y';
	expect_id(v, NULL, "resident id check character 'Y' must be a digit or X");
	/* a multi-byte character is quoted whole */
	snprintf(v, sizeof v, "%.16s\xE5\x8F\xB7%c", id, id[17]);
	expect_id(v, NULL, "resident id character 17 is '\xE5\x8F\xB7', only digits may precede the check character");
}

static void test_id_check_character(void **state)
{
	char id[19];
	int seq;

	(void)state;
	/* the example of the brief: the check character should be 5, X was typed */
	for (seq = 0; seq < 1000; seq++) {
		make_id("420111", "19800101", seq, id);
		if (id[17] == '5')
			break;
	}
	assert_true(seq < 1000);
	id[17] = 'X';
	expect_id(id, NULL, "resident id check character is 'X', expected '5' (GB 11643 MOD 11-2)");
	/* every wrong check character is caught */
	make_id("310104", "19771203", 42, id);
	char right = id[17];
	static const char checks[] = "0123456789X";
	for (const char *c = checks; *c; c++) {
		char msg[128];
		id[17] = *c;
		if (*c == right) {
			expect_id(id, NULL, NULL);
			continue;
		}
		snprintf(msg, sizeof msg, "resident id check character is '%c', expected '%c' (GB 11643 MOD 11-2)", *c,
		         right);
		expect_id(id, NULL, msg);
	}
	/* one mistyped digit changes the check character */
	make_id("310104", "19771203", 42, id);
	id[15] = id[15] == '9' ? '0' : (char)(id[15] + 1);
	struct gg_error err;
	gg_error_init(&err);
	assert_int_equal(gg_ident_check_resident_id(id, NULL, NULL, &err), GG_E_INVALID);
	assert_non_null(strstr(gg_error_message(&err), "(GB 11643 MOD 11-2)"));
	assert_int_equal(err.nfields, 0); /* no field given: only the message */
	assert_int_equal(gg_ident_resident_check_char("1234"), 0);
	assert_int_equal(gg_ident_resident_check_char("1234567890123456A"), 0);
}

static void test_id_area(void **state)
{
	static const char *const good[] = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
	                                   "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
	                                   "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};
	char id[19], area[16], msg[128];

	(void)state;
	for (int p = 0; p < 100; p++) {
		int valid = 0;
		snprintf(area, sizeof area, "%02d0102", p);
		for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
			valid |= strncmp(area, good[i], 2) == 0;
		make_id(area, "19850607", 321, id);
		snprintf(msg, sizeof msg, "resident id area code %02d is not a province", p);
		expect_id(id, NULL, valid ? NULL : msg);
	}
	make_id("990102", "19850607", 321, id);
	expect_id(id, NULL, "resident id area code 99 is not a province");
}

static void test_id_birth_date(void **state)
{
	char id[19];

	(void)state;
	make_id("420111", "19801332", 1, id);
	expect_id(id, NULL, "resident id birth date 19801332 is not a real date");
	make_id("420111", "19800230", 1, id);
	expect_id(id, NULL, "resident id birth date 19800230 is not a real date");
	make_id("420111", "19000229", 1, id); /* 1900 is not a leap year */
	expect_id(id, NULL, "resident id birth date 19000229 is not a real date");
	make_id("420111", "20000229", 1, id); /* 2000 is */
	expect_id(id, NULL, NULL);
	make_id("420111", "19810229", 1, id);
	expect_id(id, NULL, "resident id birth date 19810229 is not a real date");
	make_id("420111", "19800000", 1, id);
	expect_id(id, NULL, "resident id birth date 19800000 is not a real date");
	make_id("420111", "19800431", 1, id);
	expect_id(id, NULL, "resident id birth date 19800431 is not a real date");
	make_id("420111", "19800430", 1, id);
	expect_id(id, NULL, NULL);

	make_id("420111", "18991231", 1, id);
	expect_id(id, NULL, "resident id birth date 1899-12-31 is before 1900");
	make_id("420111", "19000101", 1, id);
	expect_id(id, NULL, NULL);

	/* the clock says 2027-01-15 08:00 UTC: today is fine, tomorrow is not */
	make_id("420111", "20270115", 1, id);
	expect_id(id, NULL, NULL);
	make_id("420111", "20270116", 1, id);
	expect_id(id, NULL, "resident id birth date 2027-01-16 is in the future");
	make_id("420111", "20900101", 1, id);
	expect_id(id, NULL, "resident id birth date 2090-01-01 is in the future");
}

static void test_id_matches_record(void **state)
{
	char id[19];

	(void)state;
	make_id("420111", "19800102", 77, id);
	expect_id(id, "1980-01-02", NULL);
	expect_id(id, "", NULL);
	expect_id(id, "1981-01-02", "resident id birth date 1980-01-02 does not match birth_date 1981-01-02");
	expect_id(id, "1980-02-01", "resident id birth date 1980-01-02 does not match birth_date 1980-02-01");
}

static void test_uscc_sample_and_generated(void **state)
{
	static const char *const bodies[] = {"91420100MA4KXXXX0", "91110108551385082", "12100000400000624",
	                                     "52420100MJH123456", "Y1420100M0001234A", "31110000E0000001X",
	                                     "N2420111MF1234567", "92420111MA4K12345", "93420111MA4KLMNPQ"};
	char code[19], lower[19];

	(void)state;
	expect_uscc("91350100M000100Y43", NULL);
	assert_int_equal(gg_ident_uscc_check_char("91350100M000100Y4"), '3');
	expect_uscc("91350100m000100y43", NULL);
	expect_uscc(" 91350100M000100Y43 ", NULL);
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		make_uscc(bodies[i], code);
		expect_uscc(code, NULL);
		for (size_t j = 0; j < sizeof code; j++)
			lower[j] = (char)((code[j] >= 'A' && code[j] <= 'Z') ? code[j] - 'A' + 'a' : code[j]);
		expect_uscc(lower, NULL);
		char norm[GG_IDENT_BUF];
		gg_ident_normalise(lower, norm);
		assert_string_equal(norm, code);
	}
	/* every position's weight matters: changing one character breaks the check */
	for (int pos = 0; pos < 17; pos++) {
		char v[19] = "91350100M000100Y43";
		struct gg_error err;
		if (pos < 8)
			continue; /* department, type and region have rules of their own */
		v[pos] = v[pos] == '1' ? '2' : '1';
		gg_error_init(&err);
		assert_int_equal(gg_ident_check_uscc(v, NULL, &err), GG_E_INVALID);
		assert_non_null(strstr(gg_error_message(&err), "(GB 32100 mod 31)"));
	}
}

static void test_uscc_rules(void **state)
{
	char code[19], msg[128];

	(void)state;
	expect_uscc("91350100M000100Y4", "uscc must have 18 characters (got 17)");
	expect_uscc("91350100M000100Y433", "uscc must have 18 characters (got 19)");
	expect_uscc("", "uscc must have 18 characters (got 0)");
	expect_uscc("91350100I000100Y43", "uscc contains 'I', which GB 32100 does not allow");
	expect_uscc("91350100i000100Y43", "uscc contains 'I', which GB 32100 does not allow");
	expect_uscc("91350100O000100Y43", "uscc contains 'O', which GB 32100 does not allow");
	expect_uscc("91350100M000100Z43", "uscc contains 'Z', which GB 32100 does not allow");
	expect_uscc("91350100S000100Y43", "uscc contains 'S', which GB 32100 does not allow");
	expect_uscc("91350100V000100Y43", "uscc contains 'V', which GB 32100 does not allow");
	expect_uscc("91350100-000100Y43", "uscc contains '-', which GB 32100 does not allow");
	expect_uscc("9135010\xE5\x8F\xB7M000100Y43", "uscc contains '\xE5\x8F\xB7', which GB 32100 does not allow");

	for (char c = '0'; c <= '9'; c++) {
		snprintf(msg, sizeof msg, "uscc check character is '%c', expected '3' (GB 32100 mod 31)", c);
		char v[19] = "91350100M000100Y43";
		v[17] = c;
		expect_uscc(v, c == '3' ? NULL : msg);
	}
	expect_uscc("91350100M000100Y4X", "uscc check character is 'X', expected '3' (GB 32100 mod 31)");

	make_uscc("B1350100M000100Y4", code);
	expect_uscc(code, "uscc registration department 'B' is not one of GB 32100 (1-9, A, N, Y)");
	make_uscc("01350100M000100Y4", code);
	expect_uscc(code, "uscc registration department '0' is not one of GB 32100 (1-9, A, N, Y)");
	make_uscc("95350100M000100Y4", code);
	expect_uscc(code, "uscc type code '5' is not valid for registration department '9'");
	make_uscc("Y2350100M000100Y4", code);
	expect_uscc(code, "uscc type code '2' is not valid for registration department 'Y'");
	make_uscc("9135A100M000100Y4", code);
	expect_uscc(code, "uscc region code 35A100 must be 6 digits");
	assert_int_equal(gg_ident_uscc_check_char("91350100I000100Y4"), 0);
}

static void test_excel_damage(void **state)
{
	char id[19], zeroed[19];
	int found = 0;

	(void)state;
	assert_non_null(gg_ident_excel_damaged("4.20101E+17"));
	assert_non_null(strstr(gg_ident_excel_damaged("4.20101E+17"), "scientific notation"));
	assert_non_null(gg_ident_excel_damaged("4.20101e+17"));
	assert_non_null(gg_ident_excel_damaged(" 4,20101E+17 "));
	assert_non_null(gg_ident_excel_damaged("4E17"));
	assert_null(gg_ident_excel_damaged("4.20101E+"));
	assert_null(gg_ident_excel_damaged("E+17"));
	assert_null(gg_ident_excel_damaged("hello"));
	assert_null(gg_ident_excel_damaged(""));
	assert_null(gg_ident_excel_damaged(NULL));

	/* a valid number whose last three digits Excel zeroed */
	for (int seq = 0; seq < 200; seq++) {
		char ymd[16];
		snprintf(ymd, sizeof ymd, "1980%02d%02d", seq / 28 % 12 + 1, seq % 28 + 1);
		make_id("420111", ymd, seq * 13, id);
		memcpy(zeroed, id, sizeof id);
		memcpy(zeroed + 15, "000", 3);
		if (strcmp(zeroed, id) == 0)
			continue;
		if (mod11_2(zeroed) == '0' || mod31(zeroed) == '0')
			continue; /* zeroing gave a valid number (or credit code) by chance: nothing to see */
		const char *why = gg_ident_excel_damaged(zeroed);
		assert_non_null(why);
		assert_string_equal(why, "looks damaged by Excel: saved as a number with 15 significant digits; "
		                         "format the column as text and export again");
		assert_null(gg_ident_excel_damaged(id));
		found++;
	}
	assert_true(found > 100);
	/* a number that really ends in 000 (valid check) is not damaged */
	int real = 0;
	for (int seq = 0; seq < 1000 && !real; seq++) {
		char body[32];
		snprintf(body, sizeof body, "420111%08d00", 19800101 + seq);
		char v[19];
		memcpy(v, body, 17);
		v[17] = mod11_2(v);
		v[18] = '\0';
		if (v[17] == '0') {
			assert_null(gg_ident_excel_damaged(v));
			real = 1;
		}
	}
	assert_true(real);
	/* digits of another length are not this damage */
	assert_null(gg_ident_excel_damaged("42011119800101000"));
	assert_null(gg_ident_excel_damaged("4201111980010110000"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_generated_ids_are_valid),
	    cmocka_unit_test(test_id_x_and_normalising),
	    cmocka_unit_test(test_id_length_and_characters),
	    cmocka_unit_test(test_id_check_character),
	    cmocka_unit_test(test_id_area),
	    cmocka_unit_test(test_id_birth_date),
	    cmocka_unit_test(test_id_matches_record),
	    cmocka_unit_test(test_uscc_sample_and_generated),
	    cmocka_unit_test(test_uscc_rules),
	    cmocka_unit_test(test_excel_damage),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
