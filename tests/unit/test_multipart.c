/*
 * test_multipart: the multipart/form-data parser on bodies as browsers,
 * curl and fetch send them: a file part and a field, a preamble and an
 * epilogue, quoted parameters with escapes, filename* and paths, binary
 * data holding CR and LF, an empty file; and the refusals: other content
 * types, a missing or bad boundary, a truncated body, a part without a
 * name or disposition, too many parts, headers too long.
 */
#include "unit.h"

#include "http/multipart.h"

#define B "----formdata-test-42"

static enum gg_err parse(const char *body, size_t len, struct gg_multipart *mp, struct gg_error *err)
{
	gg_error_init(err);
	return gg_multipart_parse(body, len, B, mp, err);
}

static void test_boundary(void **state)
{
	char b[GG_MULTIPART_BOUNDARY_MAX];
	struct gg_error err;

	(void)state;
	gg_error_init(&err);
	assert_int_equal(gg_multipart_boundary("multipart/form-data; boundary=" B, b, &err), GG_OK);
	assert_string_equal(b, B);
	assert_int_equal(gg_multipart_boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\"", b, &err),
	                 GG_OK);
	assert_string_equal(b, "a b:c");

	assert_int_equal(gg_multipart_boundary(NULL, b, &err), GG_E_MEDIA_TYPE);
	assert_int_equal(gg_multipart_boundary("application/json", b, &err), GG_E_MEDIA_TYPE);
	assert_int_equal(gg_multipart_boundary("multipart/form-datax; boundary=a", b, &err), GG_E_MEDIA_TYPE);
	assert_int_equal(gg_multipart_boundary("multipart/mixed; boundary=a", b, &err), GG_E_MEDIA_TYPE);
	gg_error_init(&err);
	assert_int_equal(gg_multipart_boundary("multipart/form-data", b, &err), GG_E_MEDIA_TYPE);
	assert_non_null(strstr(err.message, "no boundary"));
	assert_int_equal(gg_multipart_boundary("multipart/form-data; boundary=\"\"", b, &err), GG_E_MEDIA_TYPE);
	assert_int_equal(gg_multipart_boundary("multipart/form-data; boundary=\"ends with space \"", b, &err),
	                 GG_E_MEDIA_TYPE);
	assert_int_equal(gg_multipart_boundary("multipart/form-data; boundary=\"a<b\"", b, &err), GG_E_MEDIA_TYPE);
	/* 71 characters: one too many */
	assert_int_equal(
	    gg_multipart_boundary("multipart/form-data; boundary="
	                          "12345678901234567890123456789012345678901234567890123456789012345678901",
	                          b, &err),
	    GG_E_MEDIA_TYPE);
	assert_int_equal(gg_multipart_boundary("multipart/form-data; boundary="
	                                       "1234567890123456789012345678901234567890123456789012345678901234567890",
	                                       b, &err),
	                 GG_OK);
}

static void test_file_and_field(void **state)
{
	static const char body[] = "--" B "\r\n"
	                           "Content-Disposition: form-data; name=\"file\"; filename=\"人才.csv\"\r\n"
	                           "Content-Type: text/csv\r\n"
	                           "\r\n"
	                           "姓名,性别\r\n王一,male\r\n"
	                           "\r\n--" B "\r\n"
	                           "content-disposition: form-data; name=skip_invalid\r\n"
	                           "\r\n"
	                           "true"
	                           "\r\n--" B "--\r\n";
	struct gg_multipart mp;
	struct gg_error err;
	const struct gg_multipart_part *f, *s;

	(void)state;
	assert_int_equal(parse(body, sizeof(body) - 1, &mp, &err), GG_OK);
	assert_int_equal(mp.nparts, 2);
	f = gg_multipart_get(&mp, "file");
	assert_non_null(f);
	assert_true(f->has_filename);
	assert_string_equal(f->filename, "人才.csv");
	assert_string_equal(f->content_type, "text/csv");
	assert_int_equal(f->len, strlen("姓名,性别\r\n王一,male\r\n"));
	assert_memory_equal(f->data, "姓名,性别\r\n王一,male\r\n", f->len);
	s = gg_multipart_get(&mp, "skip_invalid");
	assert_non_null(s);
	assert_false(s->has_filename);
	assert_string_equal(s->content_type, "");
	assert_int_equal(s->len, 4);
	assert_memory_equal(s->data, "true", 4);
	assert_null(gg_multipart_get(&mp, "other"));
}

static void test_preamble_params_binary(void **state)
{
	/* A preamble, escapes in a quoted name, a Windows path, binary data with CRLF and "--", an epilogue. */
	static const char body[] = "this is the preamble\r\n--" B " \t\r\n"
	                           "Content-Disposition: form-data; name=\"a\\\"b\"; filename=\"C:\\\\x\\\\y.csv\"\r\n"
	                           "X-Other: ignored\r\n"
	                           "\r\n"
	                           "\x00\x01\r\n--not-the-boundary\r\n\xff"
	                           "\r\n--" B "\r\n"
	                           "Content-Disposition: form-data; name=\"f2\"; filename=\"x\"; "
	                           "filename*=UTF-8''%E4%BA%BA%E6%89%8D.csv\r\n"
	                           "\r\n"
	                           "\r\n--" B "--\r\nepilogue";
	struct gg_multipart mp;
	struct gg_error err;

	(void)state;
	assert_int_equal(parse(body, sizeof(body) - 1, &mp, &err), GG_OK);
	assert_int_equal(mp.nparts, 2);
	assert_string_equal(mp.parts[0].name, "a\"b");
	assert_string_equal(mp.parts[0].filename, "y.csv");
	assert_int_equal(mp.parts[0].len, 25);
	assert_memory_equal(mp.parts[0].data, "\x00\x01\r\n--not-the-boundary\r\n\xff", 25);
	assert_string_equal(mp.parts[1].filename, "人才.csv");
	assert_int_equal(mp.parts[1].len, 0);
}

static void expect_invalid(const char *body, enum gg_err code, const char *words)
{
	struct gg_multipart mp;
	struct gg_error err;

	assert_int_equal(parse(body, strlen(body), &mp, &err), code);
	if (!strstr(err.message, words))
		fail_msg("message '%s' does not say '%s'", err.message, words);
}

static void test_refusals(void **state)
{
	(void)state;
	expect_invalid("", GG_E_INVALID, "does not contain its boundary");
	expect_invalid("hello", GG_E_INVALID, "does not contain its boundary");
	expect_invalid("--" B "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", GG_E_INVALID,
	               "no closing boundary");
	expect_invalid("--" B "\r\nContent-Disposition: form-data; name=\"file\"\r\n", GG_E_INVALID,
	               "truncated inside its headers");
	expect_invalid("--" B "\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--" B "--", GG_E_INVALID,
	               "part 1 has no name");
	expect_invalid("--" B "\r\nContent-Type: text/csv\r\n\r\nabc\r\n--" B "--", GG_E_INVALID,
	               "no content-disposition");
	expect_invalid("--" B "\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nabc\r\n--" B "--", GG_E_INVALID,
	               "not form-data");
	expect_invalid("--" B "\r\nContent-Disposition: form-data; name=\"f\r\n\r\nabc\r\n--" B "--", GG_E_INVALID,
	               "malformed content-disposition");
	expect_invalid("--" B "\r\nContent-Disposition: form-data;\r\n name=\"f\"\r\n\r\nabc\r\n--" B "--",
	               GG_E_INVALID, "folded");
	expect_invalid("--" B "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc\r\n--" B "xx", GG_E_INVALID,
	               "malformed boundary line");
	expect_invalid("--" B "\r\nno colon here\r\n\r\nabc\r\n--" B "--", GG_E_INVALID, "malformed header line");
	expect_invalid("--" B "\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nabc\r\n--" B "--", GG_E_INVALID,
	               "not valid utf-8");
}

static void test_limits(void **state)
{
	struct gg_multipart mp;
	struct gg_error err;
	static char body[64 * 1024];
	size_t n = 0, i;

	(void)state;
	/* Exactly the maximum number of parts is fine; one more is refused. */
	for (i = 0; i < GG_MULTIPART_PARTS_MAX; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		                      "--" B "\r\nContent-Disposition: form-data; name=\"p%zu\"\r\n\r\nv\r\n", i);
	snprintf(body + n, sizeof(body) - n, "--" B "--\r\n");
	assert_int_equal(parse(body, strlen(body), &mp, &err), GG_OK);
	assert_int_equal(mp.nparts, GG_MULTIPART_PARTS_MAX);
	n += (size_t)snprintf(body + n, sizeof(body) - n,
	                      "--" B "\r\nContent-Disposition: form-data; name=\"one-more\"\r\n\r\nv\r\n");
	snprintf(body + n, sizeof(body) - n, "--" B "--\r\n");
	assert_int_equal(parse(body, strlen(body), &mp, &err), GG_E_TOO_LARGE);
	assert_non_null(strstr(err.message, "more than 16 parts"));

	/* A header block over the limit. */
	n = (size_t)snprintf(body, sizeof(body), "--" B "\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: ");
	memset(body + n, 'a', GG_MULTIPART_HEADER_MAX);
	n += GG_MULTIPART_HEADER_MAX;
	snprintf(body + n, sizeof(body) - n, "\r\n\r\nabc\r\n--" B "--\r\n");
	assert_int_equal(parse(body, strlen(body), &mp, &err), GG_E_TOO_LARGE);
	assert_non_null(strstr(err.message, "bytes of headers"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_boundary),
	    cmocka_unit_test(test_file_and_field),
	    cmocka_unit_test(test_preamble_params_binary),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
