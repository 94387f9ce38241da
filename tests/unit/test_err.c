/*
 * test_err: the error table lookups, HTTP reason phrases, struct gg_error
 * (messages, field errors, first problem wins, the field limit) and the
 * generated markdown page.
 */
#include "unit.h"

#include "core/err.h"

static void test_lookups(void **state)
{
	(void)state;
	assert_string_equal(gg_err_code(GG_E_NOT_FOUND), "not_found");
	assert_int_equal(gg_err_status(GG_E_NOT_FOUND), 404);
	assert_string_equal(gg_err_message(GG_E_NOT_FOUND), "not found");
	assert_string_equal(gg_err_code(GG_OK), "ok");
	assert_int_equal(gg_err_status(GG_OK), 200);
	assert_string_equal(gg_err_code(GG_E_TOO_LARGE), "body_too_large");
	assert_int_equal(gg_err_status(GG_E_TOO_LARGE), 413);
	assert_string_equal(gg_err_code(GG_E_STALE), "stale_etag");
	assert_int_equal(gg_err_status(GG_E_STALE), 412);
	assert_int_equal(gg_err_status(GG_E_RULE), 422);
	assert_int_equal(gg_err_status(GG_E_PRECONDITION), 428);
}

static void test_out_of_range_is_internal(void **state)
{
	(void)state;
	assert_string_equal(gg_err_code(GG_E__COUNT), "internal");
	assert_int_equal(gg_err_status(GG_E__COUNT), 500);
	assert_string_equal(gg_err_message((enum gg_err) - 1), "internal error");
	assert_string_equal(gg_err_code((enum gg_err)100000), "internal");
}

/* Every row: a unique snake_case token, a status with a reason phrase, a lower-case message. */
static void test_table_is_consistent(void **state)
{
	int a, b;
	const char *p;

	(void)state;
	for (a = 0; a < GG_E__COUNT; a++) {
		const char *code = gg_err_code((enum gg_err)a), *msg = gg_err_message((enum gg_err)a);

		assert_true(strlen(code) > 0);
		for (p = code; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9'));
		assert_true(gg_err_status((enum gg_err)a) >= 200 && gg_err_status((enum gg_err)a) <= 599);
		assert_string_not_equal(gg_err_title(gg_err_status((enum gg_err)a)), "Unknown Status");
		assert_false(msg[0] >= 'A' && msg[0] <= 'Z');
		for (b = a + 1; b < GG_E__COUNT; b++)
			assert_string_not_equal(code, gg_err_code((enum gg_err)b));
	}
}

static void test_titles(void **state)
{
	(void)state;
	assert_string_equal(gg_err_title(404), "Not Found");
	assert_string_equal(gg_err_title(400), "Bad Request");
	assert_string_equal(gg_err_title(413), "Content Too Large");
	assert_string_equal(gg_err_title(422), "Unprocessable Content");
	assert_string_equal(gg_err_title(428), "Precondition Required");
	assert_string_equal(gg_err_title(429), "Too Many Requests");
	assert_string_equal(gg_err_title(503), "Service Unavailable");
	assert_string_equal(gg_err_title(299), "Unknown Status");
	assert_string_equal(gg_err_title(-1), "Unknown Status");
}

static void test_error_set_and_message(void **state)
{
	struct gg_error err;

	(void)state;
	gg_error_init(&err);
	assert_int_equal(err.code, GG_OK);
	assert_int_equal(err.nfields, 0);
	assert_string_equal(gg_error_message(&err), "ok");

	assert_int_equal(gg_error_set(&err, GG_E_NOT_FOUND, "unknown role '%s'", "x"), GG_E_NOT_FOUND);
	assert_int_equal(err.code, GG_E_NOT_FOUND);
	assert_string_equal(gg_error_message(&err), "unknown role 'x'");

	/* Without a format the table's message shows, and an older message is cleared. */
	gg_error_set(&err, GG_E_FORBIDDEN, NULL);
	assert_string_equal(err.message, "");
	assert_string_equal(gg_error_message(&err), "not allowed for your roles");

	/* A NULL error only passes the code through. */
	assert_int_equal(gg_error_set(NULL, GG_E_DB, "x"), GG_E_DB);
	assert_int_equal(gg_error_field(NULL, GG_E_INVALID, "f", "x"), GG_E_INVALID);
	assert_string_equal(gg_error_message(NULL), "internal error");
}

static void test_error_message_is_bounded(void **state)
{
	char big[1000];
	struct gg_error err;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	gg_error_init(&err);
	gg_error_set(&err, GG_E_INVALID, "%s", big);
	assert_int_equal(strlen(err.message), GG_ERROR_MSG_MAX - 1);
}

static void test_field_errors(void **state)
{
	struct gg_error err;

	(void)state;
	gg_error_init(&err);
	assert_int_equal(
	    gg_error_field(&err, GG_E_MISSING_FIELD, "honours.0.year", "missing field '%s'", "honours.0.year"),
	    GG_E_MISSING_FIELD);
	assert_int_equal(gg_error_field(&err, GG_E_WRONG_TYPE, "name", "'name' must be a string"), GG_E_WRONG_TYPE);
	/* The first problem's code and message describe the whole error. */
	assert_int_equal(err.code, GG_E_MISSING_FIELD);
	assert_string_equal(err.message, "missing field 'honours.0.year'");
	assert_int_equal(err.nfields, 2);
	assert_string_equal(err.fields[0].field, "honours.0.year");
	assert_string_equal(err.fields[1].field, "name");
	assert_string_equal(err.fields[1].message, "'name' must be a string");

	/* No format: the table's message. */
	gg_error_field(&err, GG_E_UNKNOWN_FIELD, "zzz", NULL);
	assert_string_equal(err.fields[2].message, "unknown field");
}

static void test_field_errors_are_bounded(void **state)
{
	char longname[300];
	struct gg_error err;
	int i;

	(void)state;
	gg_error_init(&err);
	for (i = 0; i < GG_ERROR_FIELDS_MAX + 5; i++)
		gg_error_field(&err, GG_E_INVALID, "f", "problem %d", i);
	assert_int_equal(err.nfields, GG_ERROR_FIELDS_MAX);
	assert_string_equal(err.fields[GG_ERROR_FIELDS_MAX - 1].message, "problem 15");
	assert_string_equal(err.message, "problem 0");

	gg_error_init(&err);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	gg_error_field(&err, GG_E_INVALID, longname, "bad");
	assert_int_equal(strlen(err.fields[0].field), GG_ERROR_FIELD_MAX - 1);
}

static void test_markdown(void **state)
{
	char *text = NULL, *p;
	size_t len = 0;
	int rows = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(gg_err_write_markdown(f), 0);
	fclose(f);
	assert_true(strncmp(text, "# Error codes\n", 14) == 0);
	assert_non_null(strstr(text, "`code`"));
	assert_non_null(strstr(text, "| code | HTTP status | message |\n|---|---|---|\n"));
	assert_non_null(strstr(text, "| `not_found` | 404 Not Found | not found |\n"));
	assert_non_null(strstr(text, "| `body_too_large` | 413 Content Too Large | request body is too large |\n"));
	assert_non_null(strstr(text, "| `io` | 500 Internal Server Error | input/output error |\n"));
	for (p = text; (p = strstr(p, "\n| `")) != NULL; p++)
		rows++;
	assert_int_equal(rows, GG_E__COUNT);
	free(text);
}

static void test_markdown_reports_write_failure(void **state)
{
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	assert_int_equal(gg_err_write_markdown(f), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lookups),
	    cmocka_unit_test(test_out_of_range_is_internal),
	    cmocka_unit_test(test_table_is_consistent),
	    cmocka_unit_test(test_titles),
	    cmocka_unit_test(test_error_set_and_message),
	    cmocka_unit_test(test_error_message_is_bounded),
	    cmocka_unit_test(test_field_errors),
	    cmocka_unit_test(test_field_errors_are_bounded),
	    cmocka_unit_test(test_markdown),
	    cmocka_unit_test(test_markdown_reports_write_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
