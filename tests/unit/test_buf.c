/*
 * test_buf: the bounded buffer (growth, the limit refusing without
 * changing anything, detach and ownership), JSON string escaping, the
 * bounded string helpers, the strict integer parser and the UTF-8 decoder.
 */
#include "unit.h"

#include <limits.h>

#include "core/buf.h"

static void test_init_is_empty_not_null(void **state)
{
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 100);
	assert_non_null(b.buf);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	/* Release and reset of a never-grown buffer are harmless. */
	gg_buf_reset(&b);
	gg_buf_release(&b);
	assert_non_null(b.buf);
	assert_int_equal(b.max, 100);
}

static void test_appends_grow(void **state)
{
	struct gg_buf b;
	int i;

	(void)state;
	gg_buf_init(&b, 1 << 20);
	assert_int_equal(gg_buf_add(&b, "ab", 2), GG_OK);
	assert_int_equal(gg_buf_adds(&b, "cd"), GG_OK);
	assert_int_equal(gg_buf_addch(&b, 'e'), GG_OK);
	assert_int_equal(gg_buf_addf(&b, "-%d-%s", 42, "x"), GG_OK);
	assert_string_equal(b.buf, "abcde-42-x");
	assert_int_equal(b.len, 10);
	/* Binary data, NULs included, counts by len. */
	assert_int_equal(gg_buf_add(&b, "\0z", 2), GG_OK);
	assert_int_equal(b.len, 12);
	assert_int_equal(b.buf[11], 'z');
	assert_int_equal(b.buf[12], '\0');
	gg_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	for (i = 0; i < 10000; i++)
		assert_int_equal(gg_buf_addf(&b, "%04d", i), GG_OK);
	assert_int_equal(b.len, 40000);
	assert_true(b.alloc > b.len);
	assert_memory_equal(b.buf + 4 * 9999, "9999", 5);
	assert_memory_equal(b.buf + 4 * 1234, "1234", 4);
	gg_buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
}

static void test_limit_refuses_and_leaves_unchanged(void **state)
{
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 10);
	assert_int_equal(gg_buf_adds(&b, "12345678"), GG_OK);
	assert_int_equal(gg_buf_adds(&b, "abc"), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "12345678");
	assert_int_equal(b.len, 8);
	assert_int_equal(gg_buf_addf(&b, "%s", "xyz"), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "12345678");
	assert_int_equal(b.len, 8);
	assert_int_equal(gg_buf_add_json_str(&b, "q"), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "12345678");
	/* Exactly the maximum is allowed. */
	assert_int_equal(gg_buf_adds(&b, "90"), GG_OK);
	assert_string_equal(b.buf, "1234567890");
	assert_int_equal(gg_buf_addch(&b, 'x'), GG_E_TOO_LARGE);
	assert_int_equal(gg_buf_addf(&b, "x"), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "1234567890");
	assert_true(b.alloc <= b.max + 1);
	/* Nothing is also fine at the limit. */
	assert_int_equal(gg_buf_add(&b, NULL, 0), GG_OK);
	assert_int_equal(gg_buf_addf(&b, "%s", ""), GG_OK);
	gg_buf_release(&b);
}

static void test_limit_on_empty_buffer(void **state)
{
	struct gg_buf b;

	(void)state;
	gg_buf_init(&b, 3);
	assert_int_equal(gg_buf_addf(&b, "%d", 12345), GG_E_TOO_LARGE);
	assert_int_equal(gg_buf_adds(&b, "abcd"), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(gg_buf_addf(&b, "%d", 123), GG_OK);
	assert_string_equal(b.buf, "123");
	gg_buf_release(&b);

	gg_buf_init(&b, 0);
	assert_int_equal(gg_buf_addch(&b, 'a'), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "");
	gg_buf_release(&b);
}

/* A formatted append that first fails in the existing room, then grows. */
static void test_addf_grows_past_room(void **state)
{
	char big[300];
	struct gg_buf b;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	gg_buf_init(&b, 1000);
	assert_int_equal(gg_buf_adds(&b, "a"), GG_OK);
	assert_int_equal(gg_buf_addf(&b, "<%s>", big), GG_OK);
	assert_int_equal(b.len, 1 + 2 + 299);
	assert_int_equal(b.buf[b.len - 1], '>');
	assert_int_equal(b.buf[1], '<');
	gg_buf_release(&b);
}

static void test_detach_hands_over(void **state)
{
	struct gg_buf b;
	size_t len = 99;
	char *s;

	(void)state;
	gg_buf_init(&b, 64);
	gg_buf_adds(&b, "hello");
	s = gg_buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	/* The buffer no longer owns it and is usable again. */
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	assert_string_equal(b.buf, "");
	assert_ptr_not_equal(b.buf, s);
	assert_int_equal(b.max, 64);
	gg_buf_adds(&b, "again");
	assert_string_equal(s, "hello");
	assert_string_equal(b.buf, "again");
	free(s);
	gg_buf_release(&b);

	/* An empty buffer gives a fresh "" that the caller frees. */
	s = gg_buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	s = gg_buf_detach(&b, NULL);
	assert_non_null(s);
	free(s);
}

static void check_json(const char *in, const char *want)
{
	struct gg_buf b;

	gg_buf_init(&b, 1024);
	assert_int_equal(gg_buf_add_json_str(&b, in), GG_OK);
	assert_string_equal(b.buf, want);
	gg_buf_release(&b);
}

static void test_json_escaping(void **state)
{
	(void)state;
	check_json(NULL, "null");
	check_json("", "\"\"");
	check_json("plain", "\"plain\"");
	check_json("say \"hi\"", "\"say \\\"hi\\\"\"");
	check_json("C:\\dir", "\"C:\\\\dir\"");
	check_json("a\nb\tc\r", "\"a\\u000ab\\u0009c\\u000d\"");
	check_json("\x01\x1f", "\"\\u0001\\u001f\"");
	check_json("/ and \x7f", "\"/ and \x7f\"");
	/* UTF-8 passes through unchanged. */
	check_json("张三 ß €", "\"张三 ß €\"");
	check_json("\xF0\x9F\x98\x80", "\"\xF0\x9F\x98\x80\"");
	/* Bytes that are not UTF-8 become U+FFFD, so the line stays valid JSON. */
	check_json("a\xff"
	           "b",
	           "\"a\\ufffdb\"");
	check_json("\xC0\xAF", "\"\\ufffd\\ufffd\"");
	check_json("\xE5\xBC", "\"\\ufffd\\ufffd\"");
}

static void test_json_escaping_at_limit(void **state)
{
	struct gg_buf b;

	(void)state;
	/* "x": plus a value needing escapes that does not fit: nothing of it stays. */
	gg_buf_init(&b, 12);
	gg_buf_adds(&b, "\"x\":");
	assert_int_equal(gg_buf_add_json_str(&b, "ab\ncd"), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "\"x\":");
	assert_int_equal(b.len, 4);
	assert_int_equal(gg_buf_add_json_str(&b, "a\"b"), GG_OK);
	assert_string_equal(b.buf, "\"x\":\"a\\\"b\"");
	assert_int_equal(gg_buf_add_json_str(&b, NULL), GG_E_TOO_LARGE);
	assert_string_equal(b.buf, "\"x\":\"a\\\"b\"");
	gg_buf_release(&b);
}

static void test_strlcpy(void **state)
{
	char dst[6];

	(void)state;
	assert_int_equal(gg_strlcpy(dst, "hello", sizeof(dst)), GG_OK);
	assert_string_equal(dst, "hello");
	assert_int_equal(gg_strlcpy(dst, "hello!", sizeof(dst)), GG_E_TOO_LARGE);
	assert_string_equal(dst, "hello");
	assert_int_equal(gg_strlcpy(dst, "", sizeof(dst)), GG_OK);
	assert_string_equal(dst, "");
	dst[0] = 'z';
	assert_int_equal(gg_strlcpy(dst, "a", 0), GG_E_TOO_LARGE);
	assert_int_equal(dst[0], 'z');
}

static void test_snprintf(void **state)
{
	char dst[8];

	(void)state;
	assert_int_equal(gg_snprintf(dst, sizeof(dst), "%d-%s", 12, "ab"), GG_OK);
	assert_string_equal(dst, "12-ab");
	assert_int_equal(gg_snprintf(dst, sizeof(dst), "%s", "12345678"), GG_E_TOO_LARGE);
	assert_string_equal(dst, "1234567");
	assert_int_equal(gg_snprintf(dst, sizeof(dst), "%s", "1234567"), GG_OK);
}

static void test_parse_i64(void **state)
{
	long long v = 7;

	(void)state;
	assert_int_equal(gg_parse_i64("0", 0, 10, &v), GG_OK);
	assert_int_equal(v, 0);
	assert_int_equal(gg_parse_i64("-0", -1, 1, &v), GG_OK);
	assert_int_equal(v, 0);
	assert_int_equal(gg_parse_i64("123", 0, 1000, &v), GG_OK);
	assert_int_equal(v, 123);
	assert_int_equal(gg_parse_i64("-42", -100, 0, &v), GG_OK);
	assert_int_equal(v, -42);
	assert_int_equal(gg_parse_i64("9223372036854775807", LLONG_MIN, LLONG_MAX, &v), GG_OK);
	assert_true(v == LLONG_MAX);
	assert_int_equal(gg_parse_i64("-9223372036854775808", LLONG_MIN, LLONG_MAX, &v), GG_OK);
	assert_true(v == LLONG_MIN);

	v = 7;
	assert_int_equal(gg_parse_i64("9223372036854775808", LLONG_MIN, LLONG_MAX, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("-9223372036854775809", LLONG_MIN, LLONG_MAX, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("99999999999999999999", LLONG_MIN, LLONG_MAX, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("", 0, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("-", -10, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("+1", 0, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64(" 1", 0, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("1 ", 0, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("1a", 0, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("0x10", 0, 100, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("1.0", 0, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("--1", -10, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64(NULL, 0, 10, &v), GG_E_INVALID);
	/* Bounds are inclusive. */
	assert_int_equal(gg_parse_i64("11", 0, 10, &v), GG_E_INVALID);
	assert_int_equal(gg_parse_i64("-1", 0, 10, &v), GG_E_INVALID);
	assert_int_equal(v, 7);
	assert_int_equal(gg_parse_i64("10", 0, 10, &v), GG_OK);
	assert_int_equal(v, 10);
}

static void test_utf8_next(void **state)
{
	unsigned cp = 0;

	(void)state;
	assert_int_equal(gg_utf8_next("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(gg_utf8_next("\xC3\x9F", 2, &cp), 2);
	assert_int_equal(cp, 0xDF);
	assert_int_equal(gg_utf8_next("张", 3, &cp), 3);
	assert_int_equal(cp, 0x5F20);
	assert_int_equal(gg_utf8_next("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(gg_utf8_next("\xF4\x8F\xBF\xBF", 4, NULL), 4);
	assert_int_equal(gg_utf8_next("", 0, &cp), 0);
	assert_int_equal(gg_utf8_next("\x80", 1, &cp), 0);             /* lone continuation */
	assert_int_equal(gg_utf8_next("\xC0\xAF", 2, &cp), 0);         /* overlong '/' */
	assert_int_equal(gg_utf8_next("\xE0\x80\xAF", 3, &cp), 0);     /* overlong */
	assert_int_equal(gg_utf8_next("\xED\xA0\x80", 3, &cp), 0);     /* surrogate */
	assert_int_equal(gg_utf8_next("\xF4\x90\x80\x80", 4, &cp), 0); /* above U+10FFFF */
	assert_int_equal(gg_utf8_next("\xE5\xBC\xA0", 2, &cp), 0);     /* cut short by len */
	assert_int_equal(gg_utf8_next("\xE5\x41\xA0", 3, &cp), 0);     /* bad continuation */
	assert_int_equal(gg_utf8_next("\xFF", 1, &cp), 0);
}

static void test_read_file(void **state)
{
	char dir[256], path[300];
	struct gg_buf b;
	struct gg_error err;

	(void)state;
	unit_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/f.txt", dir);
	unit_write_file(path, "光谷站·上海\n");
	gg_buf_init(&b, 64);
	gg_error_init(&err);
	assert_int_equal(gg_buf_read_file(&b, path, &err), GG_OK);
	assert_string_equal(b.buf, "光谷站·上海\n");
	/* larger than the buffer's maximum: refused, nothing kept */
	b.max = 4;
	assert_int_equal(gg_buf_read_file(&b, path, &err), GG_E_TOO_LARGE);
	assert_int_equal(b.len, 0);
	assert_non_null(strstr(gg_error_message(&err), "f.txt"));
	gg_error_init(&err);
	snprintf(path, sizeof path, "%s/missing.txt", dir);
	assert_int_equal(gg_buf_read_file(&b, path, &err), GG_E_NOT_FOUND);
	gg_buf_release(&b);
	unit_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_is_empty_not_null),
	    cmocka_unit_test(test_appends_grow),
	    cmocka_unit_test(test_limit_refuses_and_leaves_unchanged),
	    cmocka_unit_test(test_limit_on_empty_buffer),
	    cmocka_unit_test(test_addf_grows_past_room),
	    cmocka_unit_test(test_detach_hands_over),
	    cmocka_unit_test(test_json_escaping),
	    cmocka_unit_test(test_json_escaping_at_limit),
	    cmocka_unit_test(test_strlcpy),
	    cmocka_unit_test(test_snprintf),
	    cmocka_unit_test(test_parse_i64),
	    cmocka_unit_test(test_utf8_next),
	    cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
