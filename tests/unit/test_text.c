/*
 * test_text: NFKC of full-width input, white space trimming and folding
 * (ideographic space, tabs, line breaks), invisible characters dropped,
 * invalid UTF-8 refused, case folding that leaves hanzi alone, the Han
 * block test and code point counting.
 */
#include "unit.h"

#include "core/text.h"

static void test_nfkc_full_width(void **state)
{
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 1024);
	assert_int_equal(gg_text_nfkc("ＡＢＣ（北京）", &b), GG_OK);
	assert_string_equal(b.buf, "ABC(北京)");
	assert_int_equal(gg_text_nfkc("１２３４５６７８９０ｘ", &b), GG_OK);
	assert_string_equal(b.buf, "1234567890x");
	/* Compatibility ideographs become the unified ones; ordinary hanzi stay. */
	assert_int_equal(gg_text_nfkc("\xEF\xA4\x80王金桥", &b), GG_OK); /* U+F900 */
	assert_string_equal(b.buf, "\xE8\xB1\x88王金桥");                /* U+8C48 */
	/* Decomposed e + acute composes. */
	assert_int_equal(gg_text_nfkc("Jose\xCC\x81", &b), GG_OK);
	assert_string_equal(b.buf, "Jos\xC3\xA9");
	/* Not case-folded. */
	assert_int_equal(gg_text_nfkc("Wang", &b), GG_OK);
	assert_string_equal(b.buf, "Wang");
	gg_buf_release(&b);
}

static void test_nfkc_white_space(void **state)
{
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 1024);
	/* U+3000 ideographic space inside, leading and trailing. */
	assert_int_equal(gg_text_nfkc("\xE3\x80\x80王\xE3\x80\x80金桥\xE3\x80\x80", &b), GG_OK);
	assert_string_equal(b.buf, "王 金桥");
	assert_int_equal(gg_text_nfkc("  a \t\t b\r\n\nc  ", &b), GG_OK);
	assert_string_equal(b.buf, "a b c");
	/* No-break space, thin space and line separator count as white space too. */
	assert_int_equal(gg_text_nfkc("a\xC2\xA0\xE2\x80\x89 b\342\200\250c", &b), GG_OK); /* U+2028 */
	assert_string_equal(b.buf, "a b c");
	assert_int_equal(gg_text_nfkc(" \t\xE3\x80\x80 ", &b), GG_OK);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(gg_text_nfkc("", &b), GG_OK);
	assert_string_equal(b.buf, "");
	gg_buf_release(&b);
}

static void test_nfkc_drops_invisible(void **state)
{
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 1024);
	/* ZERO WIDTH SPACE, SOFT HYPHEN, BOM and a control character. */
	assert_int_equal(gg_text_nfkc("\xEF\xBB\xBF王\xE2\x80\x8B金\xC2\xAD桥\x07", &b), GG_OK);
	assert_string_equal(b.buf, "王金桥");
	gg_buf_release(&b);
}

static void test_invalid_utf8(void **state)
{
	static const char *bad[] = {
	    "abc\xFF",          /* never valid */
	    "\xE4\xB8",         /* truncated 中 */
	    "\xC0\xAF",         /* overlong / */
	    "\xED\xA0\x80",     /* a surrogate */
	    "\xF4\x90\x80\x80", /* above U+10FFFF */
	    "a\x80z",           /* lone continuation byte */
	};
	struct gg_buf b;
	size_t i;

	(void)state;
	gg_buf_init(&b, 1024);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(gg_buf_adds(&b, "stale"), GG_OK);
		assert_int_equal(gg_text_nfkc(bad[i], &b), GG_E_BAD_UTF8);
		assert_int_equal(b.len, 0);
		assert_int_equal(gg_text_fold(bad[i], &b), GG_E_BAD_UTF8);
		assert_int_equal(b.len, 0);
	}
	gg_buf_release(&b);
}

static void test_fold(void **state)
{
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 1024);
	assert_int_equal(gg_text_fold("ＷＡＮＧ Jinqiao 王金桥", &b), GG_OK);
	assert_string_equal(b.buf, "wang jinqiao 王金桥");
	assert_int_equal(gg_text_fold("  Straße\tMÜLLER ", &b), GG_OK);
	assert_string_equal(b.buf, "strasse müller");
	assert_int_equal(gg_text_fold("中国科学院ABC", &b), GG_OK);
	assert_string_equal(b.buf, "中国科学院abc");
	gg_buf_release(&b);
}

static void test_bounded_output(void **state)
{
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 8);
	assert_int_equal(gg_text_nfkc("王金桥", &b), GG_E_TOO_LARGE); /* 9 bytes */
	assert_int_equal(b.len, 0);
	assert_int_equal(gg_text_nfkc("ＡＢＣＤＥＦＧＨ", &b), GG_OK); /* 24 bytes in, 8 out */
	assert_string_equal(b.buf, "ABCDEFGH");
	gg_buf_release(&b);
}

static void test_is_han(void **state)
{
	(void)state;
	assert_true(gg_text_is_han(0x738B));  /* 王 */
	assert_true(gg_text_is_han(0x4E00));  /* first of the basic block */
	assert_true(gg_text_is_han(0x9FFF));  /* last */
	assert_true(gg_text_is_han(0x3400));  /* extension A */
	assert_true(gg_text_is_han(0x20000)); /* extension B */
	assert_true(gg_text_is_han(0x2B740)); /* extension D */
	assert_true(gg_text_is_han(0x30000)); /* extension G */
	assert_true(gg_text_is_han(0xF900));  /* compatibility */
	assert_false(gg_text_is_han('A'));
	assert_false(gg_text_is_han(0x3000)); /* ideographic space */
	assert_false(gg_text_is_han(0xFF08)); /* full-width bracket */
	assert_false(gg_text_is_han(0x3105)); /* bopomofo */
	assert_false(gg_text_is_han(0xAC00)); /* hangul */
	assert_false(gg_text_is_han(0x4DC0)); /* hexagram symbols, between A and the basic block */
}

static void test_length(void **state)
{
	(void)state;
	assert_int_equal(gg_text_length(""), 0);
	assert_int_equal(gg_text_length("abc"), 3);
	assert_int_equal(gg_text_length("王金桥"), 3);
	assert_int_equal(gg_text_length("Li雷"), 3);
	assert_int_equal(gg_text_length("\xF0\xA0\x80\x80"), 1); /* U+20000 */
	assert_int_equal(gg_text_length("a\377\376b"), 4);       /* invalid bytes count one each */
	assert_int_equal(gg_text_length("\xE4\xB8"), 2);
	assert_int_equal(gg_text_length(NULL), 0);
}

static void test_chars(void **state)
{
	(void)state;
	assert_int_equal(gg_text_chars(""), 0);
	assert_int_equal(gg_text_chars("光谷站·上海"), 6);
	assert_int_equal(gg_text_chars("abc"), 3);
	/* control characters (C0, DEL, C1) and broken UTF-8 are refused */
	assert_int_equal(gg_text_chars("a\tb"), -1);
	assert_int_equal(gg_text_chars("a\x7f"), -1);
	assert_int_equal(gg_text_chars("a\xc2\x85"), -1);
	assert_int_equal(gg_text_chars("\xe5\x85"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nfkc_full_width),
	    cmocka_unit_test(test_nfkc_white_space),
	    cmocka_unit_test(test_nfkc_drops_invisible),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_fold),
	    cmocka_unit_test(test_bounded_output),
	    cmocka_unit_test(test_is_han),
	    cmocka_unit_test(test_length),
	    cmocka_unit_test(test_chars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
