/*
 * test_qr: core/qr.c writes a QR code as one SVG path with a viewBox of
 * the code's width plus a quiet zone of 4 modules each side (version 1 is
 * 21 modules, version 2 is 25: 8-bit data at level M holds 14 and 26
 * bytes), the same text gives the same SVG, and nothing is no code.
 */
#include "unit.h"

#include "core/qr.h"

static void svg_of(const char *text, struct gg_buf *b, int *side)
{
	struct gg_error err;

	gg_error_init(&err);
	gg_buf_init(b, 1 << 20);
	if (gg_qr_svg(text, b, side, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
}

static int occurrences(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static void test_sizes(void **state)
{
	struct gg_buf a, b;
	int side = 0;

	(void)state;
	svg_of("HELLO", &a, &side);
	assert_int_equal(side, 21 + 8);
	assert_non_null(strstr(a.buf, "viewBox=\"0 0 29 29\""));
	assert_int_equal(occurrences(a.buf, "<path"), 1);
	assert_int_equal(strncmp(a.buf, "<svg ", 5), 0);
	assert_int_equal(strcmp(a.buf + a.len - 6, "</svg>"), 0);
	/* the finder pattern's top row starts at the quiet zone: 7 dark modules */
	assert_non_null(strstr(a.buf, "M4 4h7v1h-7z"));
	gg_buf_release(&a);
	svg_of("https://example.com", &b, &side);
	assert_int_equal(side, 25 + 8);
	gg_buf_release(&b);
}

static void test_deterministic(void **state)
{
	const char *token = "GC1.k1.12.leading_talent.1790000300."
	                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	struct gg_buf a, b;
	int s1 = 0, s2 = 0;

	(void)state;
	svg_of(token, &a, &s1);
	svg_of(token, &b, &s2);
	assert_int_equal(s1, s2);
	assert_true(s1 > 29);
	assert_string_equal(a.buf, b.buf);
	gg_buf_release(&a);
	gg_buf_release(&b);
}

static void test_refused(void **state)
{
	struct gg_buf b;
	struct gg_error err;
	char *big = malloc(8000);
	int side = 1;

	(void)state;
	gg_error_init(&err);
	gg_buf_init(&b, 1 << 20);
	assert_int_equal(gg_qr_svg("", &b, &side, &err), GG_E_INVALID);
	assert_int_equal(side, 0);
	memset(big, 'x', 7999);
	big[7999] = '\0';
	gg_error_init(&err);
	assert_int_equal(gg_qr_svg(big, &b, &side, &err), GG_E_INVALID);
	free(big);
	gg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
