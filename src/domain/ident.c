/*
 * ident: the checks of GB 11643-1999 resident identity numbers and GB
 * 32100-2015 unified social credit codes, and the recognition of
 * identifiers damaged by spreadsheets. Checks run in a fixed order, from
 * the most basic rule to the check character, and stop at the first
 * failure, so a message names one rule: length, alphabet, the structure
 * (area and birth date, or department, type and region), the check
 * character, and last the agreement with the record's birth date.
 */
#include "ident.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../core/clock.h"

#define WORK_MAX 128 /* bytes of a normalised value kept for checking; longer values fail on length */

/* GB/T 2260 first level: provinces, autonomous regions, municipalities, Taiwan, Hong Kong, Macao. */
static const char *const provinces[] = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
                                        "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
                                        "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};

/* ISO 7064 MOD 11-2 as GB 11643 writes it: weights 2^(17-i) mod 11, check from the remainder. */
static const int resident_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char resident_checks[] = "10X98765432";

/* GB 32100: the 31 characters (no I, O, S, V, Z) and the weights 3^i mod 31. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/*
 * Registration departments and the type codes each may give. GB 32100
 * Appendix A names 1 (机构编制), 5 (民政), 9 (工商) and Y (其他); the codes
 * assigned since (2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会,
 * A 中央军委改革和编制办公室, N 农业) are real and in use (law firms start
 * with 31), so they are accepted with their published type codes.
 */
static const struct {
	char dept;
	const char *types;
} departments[] = {
    {'1', "1239"}, {'2', "19"}, {'3', "123459"}, {'4', "19"}, {'5', "1239"}, {'6', "129"},
    {'7', "129"},  {'8', "19"}, {'9', "123"},    {'A', "19"}, {'N', "1239"}, {'Y', "1"},
};

static const char excel_scientific[] = "looks damaged by Excel: shown in scientific notation (like 4.20101E+17); "
                                       "format the column as text and export again";
static const char excel_zeroed[] = "looks damaged by Excel: saved as a number with 15 significant digits; format "
                                   "the column as text and export again";

/* Length of white space at s (ASCII blanks, U+00A0, U+3000), 0 when none. */
static size_t space_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

/*
 * Normalises value into out (outsz bytes, always NUL-terminated, cut at a
 * character boundary when full) and returns the number of characters of
 * the whole trimmed value (also those that did not fit).
 */
static size_t normalise(const char *value, char *out, size_t outsz)
{
	const char *p = value ? value : "", *end;
	size_t used = 0, nchars = 0, step;

	while ((step = space_len(p)) > 0)
		p += step;
	end = p + strlen(p);
	/* trailing white space: walk back over it */
	for (;;) {
		if (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
			end--;
		else if (end - p >= 2 && (unsigned char)end[-2] == 0xC2 && (unsigned char)end[-1] == 0xA0)
			end -= 2;
		else if (end - p >= 3 && (unsigned char)end[-3] == 0xE3 && (unsigned char)end[-2] == 0x80 &&
		         (unsigned char)end[-1] == 0x80)
			end -= 3;
		else
			break;
	}
	while (p < end) {
		unsigned cp = 0;
		char ascii = 0;
		step = gg_utf8_next(p, (size_t)(end - p), &cp);
		if (step == 0)
			step = 1; /* an invalid byte counts as one character and is kept as it is */
		else if (cp >= 0xFF10 && cp <= 0xFF19)
			ascii = (char)('0' + (cp - 0xFF10));
		else if (cp >= 0xFF21 && cp <= 0xFF3A)
			ascii = (char)('A' + (cp - 0xFF21));
		else if (cp >= 0xFF41 && cp <= 0xFF5A)
			ascii = (char)('A' + (cp - 0xFF41));
		else if (cp >= 'a' && cp <= 'z')
			ascii = (char)(cp - 'a' + 'A');
		if (ascii) {
			if (used + 1 < outsz)
				out[used++] = ascii;
		} else if (used + step < outsz) {
			memcpy(out + used, p, step);
			used += step;
		} else {
			outsz = used + 1; /* full: keep the rest out so no character is cut in half */
		}
		p += step;
		nchars++;
	}
	if (outsz)
		out[used < outsz ? used : outsz - 1] = '\0';
	return nchars;
}

void gg_ident_normalise(const char *value, char out[GG_IDENT_BUF])
{
	normalise(value, out, GG_IDENT_BUF);
}

/* The character at s (one UTF-8 sequence, or one byte) as text for a message. */
static void char_text(const char *s, char out[8])
{
	size_t n = gg_utf8_next(s, strlen(s), NULL);

	if (n == 0) {
		snprintf(out, 8, "\\x%02X", (unsigned char)s[0]);
		return;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Byte offset of the i-th character (from 0) of valid-or-not UTF-8 s. */
static const char *nth_char(const char *s, size_t i)
{
	size_t len = strlen(s);

	while (i-- > 0 && *s) {
		size_t n = gg_utf8_next(s, len, NULL);
		if (n == 0)
			n = 1;
		s += n;
		len -= n;
	}
	return s;
}

static enum gg_err fail(struct gg_error *err, const char *field, const char *msg)
{
	if (field)
		return gg_error_field(err, GG_E_INVALID, field, "%s", msg);
	return gg_error_set(err, GG_E_INVALID, "%s", msg);
}

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

char gg_ident_resident_check_char(const char *d17)
{
	int sum = 0;

	if (!d17 || strlen(d17) < 17 || !is_digits(d17, 17))
		return 0;
	for (int i = 0; i < 17; i++)
		sum += (d17[i] - '0') * resident_weights[i];
	return resident_checks[sum % 11];
}

char gg_ident_uscc_check_char(const char *c17)
{
	int sum = 0;

	if (!c17 || strlen(c17) < 17)
		return 0;
	for (int i = 0; i < 17; i++) {
		const char *at = c17[i] ? strchr(uscc_alphabet, c17[i]) : NULL;
		if (!at)
			return 0;
		sum += (int)(at - uscc_alphabet) * uscc_weights[i];
	}
	return uscc_alphabet[(31 - sum % 31) % 31];
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 when y-m-d is a date of the Gregorian calendar. */
static int real_date(int y, int m, int d)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && is_leap(y));
}

/*
 * Today as YYYYMMDD, taken in the easternmost time zone (UTC+14), so that a
 * child born today anywhere, and in the bureau's time zone whatever the
 * server's clock zone, is never "in the future".
 */
static long latest_today(void)
{
	time_t t = (time_t)(gg_clock_now() + 14 * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	return (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

void gg_ident_resident_birth_date(const char *value, char *out, size_t outsz)
{
	char v[WORK_MAX];

	if (!outsz)
		return;
	out[0] = '\0';
	if (normalise(value, v, sizeof v) != GG_IDENT_LEN || strlen(v) != GG_IDENT_LEN)
		return;
	snprintf(out, outsz, "%.4s-%.2s-%.2s", v + 6, v + 10, v + 12);
}

enum gg_err gg_ident_check_resident_id(const char *value, const char *birth_date, const char *field,
                                       struct gg_error *err)
{
	char v[WORK_MAX], msg[GG_ERROR_MSG_MAX], ch[8], date[11];
	size_t n = normalise(value, v, sizeof v);
	int y, m, d;
	long ymd;

	if (n != GG_IDENT_LEN) {
		snprintf(msg, sizeof msg, "resident id must have 18 characters (got %zu)", n);
		return fail(err, field, msg);
	}
	for (size_t i = 0; i < GG_IDENT_LEN; i++) {
		const char *c = nth_char(v, i);
		if (i < 17 && !(*c >= '0' && *c <= '9')) {
			char_text(c, ch);
			snprintf(msg, sizeof msg,
			         "resident id character %zu is '%s', only digits may precede the check character",
			         i + 1, ch);
			return fail(err, field, msg);
		}
		if (i == 17 && !((*c >= '0' && *c <= '9') || *c == 'X')) {
			char_text(c, ch);
			snprintf(msg, sizeof msg, "resident id check character '%s' must be a digit or X", ch);
			return fail(err, field, msg);
		}
	}
	/* all 18 are ASCII now, so v is exactly the number */
	int province = 0;
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
		if (v[0] == provinces[i][0] && v[1] == provinces[i][1])
			province = 1;
	if (!province) {
		snprintf(msg, sizeof msg, "resident id area code %.2s is not a province", v);
		return fail(err, field, msg);
	}
	y = (v[6] - '0') * 1000 + (v[7] - '0') * 100 + (v[8] - '0') * 10 + (v[9] - '0');
	m = (v[10] - '0') * 10 + (v[11] - '0');
	d = (v[12] - '0') * 10 + (v[13] - '0');
	snprintf(date, sizeof date, "%.4s-%.2s-%.2s", v + 6, v + 10, v + 12);
	if (!real_date(y, m, d)) {
		snprintf(msg, sizeof msg, "resident id birth date %.8s is not a real date", v + 6);
		return fail(err, field, msg);
	}
	if (y < 1900) {
		snprintf(msg, sizeof msg, "resident id birth date %s is before 1900", date);
		return fail(err, field, msg);
	}
	ymd = (long)y * 10000 + m * 100 + d;
	if (ymd > latest_today()) {
		snprintf(msg, sizeof msg, "resident id birth date %s is in the future", date);
		return fail(err, field, msg);
	}
	char want = gg_ident_resident_check_char(v);
	if (v[17] != want) {
		snprintf(msg, sizeof msg, "resident id check character is '%c', expected '%c' (GB 11643 MOD 11-2)",
		         v[17], want);
		return fail(err, field, msg);
	}
	if (birth_date && *birth_date && strcmp(birth_date, date) != 0) {
		snprintf(msg, sizeof msg, "resident id birth date %s does not match birth_date %.10s", date,
		         birth_date);
		return fail(err, field, msg);
	}
	return GG_OK;
}

enum gg_err gg_ident_check_uscc(const char *value, const char *field, struct gg_error *err)
{
	char v[WORK_MAX], msg[GG_ERROR_MSG_MAX], ch[8];
	size_t n = normalise(value, v, sizeof v), dept;

	if (n != GG_IDENT_LEN) {
		snprintf(msg, sizeof msg, "uscc must have 18 characters (got %zu)", n);
		return fail(err, field, msg);
	}
	for (size_t i = 0; i < GG_IDENT_LEN; i++) {
		const char *c = nth_char(v, i);
		if (!*c || !strchr(uscc_alphabet, *c) || (unsigned char)*c >= 0x80) {
			char_text(c, ch);
			snprintf(msg, sizeof msg, "uscc contains '%s', which GB 32100 does not allow", ch);
			return fail(err, field, msg);
		}
	}
	for (dept = 0; dept < sizeof departments / sizeof departments[0]; dept++)
		if (departments[dept].dept == v[0])
			break;
	if (dept == sizeof departments / sizeof departments[0]) {
		snprintf(msg, sizeof msg, "uscc registration department '%c' is not one of GB 32100 (1-9, A, N, Y)",
		         v[0]);
		return fail(err, field, msg);
	}
	if (!strchr(departments[dept].types, v[1])) {
		snprintf(msg, sizeof msg, "uscc type code '%c' is not valid for registration department '%c'", v[1],
		         v[0]);
		return fail(err, field, msg);
	}
	if (!is_digits(v + 2, 6)) {
		snprintf(msg, sizeof msg, "uscc region code %.6s must be 6 digits", v + 2);
		return fail(err, field, msg);
	}
	char want = gg_ident_uscc_check_char(v);
	if (v[17] != want) {
		snprintf(msg, sizeof msg, "uscc check character is '%c', expected '%c' (GB 32100 mod 31)", v[17], want);
		return fail(err, field, msg);
	}
	return GG_OK;
}

/* 1 when s is a number in scientific notation as a spreadsheet writes it: 4.20101E+17, 4,20101E+17, 4E17. */
static int scientific(const char *s)
{
	const char *p = s;

	if (!(*p >= '0' && *p <= '9'))
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.' || *p == ',') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != 'E') /* normalise upper-cased a lower-case e */
		return 0;
	p++;
	if (*p == '+')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

const char *gg_ident_excel_damaged(const char *value)
{
	char v[WORK_MAX];
	size_t n = normalise(value, v, sizeof v);

	if (n < sizeof v && scientific(v))
		return excel_scientific;
	if (n == GG_IDENT_LEN && strlen(v) == GG_IDENT_LEN && is_digits(v, GG_IDENT_LEN) &&
	    strcmp(v + 15, "000") == 0 && gg_ident_resident_check_char(v) != v[17] &&
	    gg_ident_uscc_check_char(v) != v[17])
		return excel_zeroed;
	return NULL;
}
