/*
 * test_json: parsing limits (depth at the exact boundary, invalid UTF-8,
 * \u0000, duplicate keys, trailing bytes, integer range), reading and
 * building values, compact ordered dumps, and gg_json_check's field errors
 * with dotted names.
 */
#include "unit.h"

#include "core/buf.h"
#include "core/json.h"

static enum gg_err parse(const char *text, int depth, struct gg_json **out, struct gg_error *err)
{
	gg_error_init(err);
	return gg_json_parse(text, strlen(text), depth, out, err);
}

static void expect_refused(const char *text, int depth, enum gg_err want)
{
	struct gg_json *j = (struct gg_json *)&j;
	struct gg_error err;

	assert_int_equal(parse(text, depth, &j, &err), want);
	assert_null(j);
	assert_int_equal(err.code, want);
	assert_true(err.message[0] != '\0');
}

static void test_parse_and_read(void **state)
{
	const char *text = "{\"name\":\"张三\",\"age\":41,\"ok\":true,\"no\":false,\"none\":null,"
	                   "\"score\":2.5,\"tags\":[\"a\",\"b\"],\"org\":{\"id\":7}}";
	struct gg_json *j, *v;
	struct gg_error err;
	const char *key;

	(void)state;
	assert_int_equal(parse(text, 32, &j, &err), GG_OK);
	assert_int_equal(gg_json_kind(j), GG_JSON_OBJECT);
	assert_int_equal(gg_json_size(j), 8);
	assert_string_equal(gg_json_str(gg_json_get(j, "name")), "张三");
	assert_int_equal(gg_json_intv(gg_json_get(j, "age")), 41);
	assert_int_equal(gg_json_kind(gg_json_get(j, "age")), GG_JSON_INT);
	assert_int_equal(gg_json_kind(gg_json_get(j, "ok")), GG_JSON_BOOL);
	assert_true(gg_json_boolv(gg_json_get(j, "ok")));
	assert_false(gg_json_boolv(gg_json_get(j, "no")));
	assert_int_equal(gg_json_kind(gg_json_get(j, "none")), GG_JSON_NULL);
	assert_int_equal(gg_json_kind(gg_json_get(j, "score")), GG_JSON_REAL);
	assert_int_equal(gg_json_intv(gg_json_get(j, "score")), 0);
	v = gg_json_get(j, "tags");
	assert_int_equal(gg_json_kind(v), GG_JSON_ARRAY);
	assert_int_equal(gg_json_size(v), 2);
	assert_string_equal(gg_json_str(gg_json_at(v, 1)), "b");
	assert_null(gg_json_at(v, 2));
	assert_int_equal(gg_json_intv(gg_json_get(gg_json_get(j, "org"), "id")), 7);
	/* Absent members and wrong kinds answer NULL / 0. */
	assert_null(gg_json_get(j, "absent"));
	assert_null(gg_json_get(v, "x"));
	assert_null(gg_json_str(gg_json_get(j, "age")));
	assert_int_equal(gg_json_intv(gg_json_get(j, "name")), 0);
	assert_int_equal(gg_json_size(gg_json_get(j, "name")), 0);
	assert_null(gg_json_at(j, 0));
	assert_int_equal(gg_json_kind(NULL), GG_JSON_NULL);
	/* Keys come in document order. */
	key = gg_json_key_at(j, 0, &v);
	assert_string_equal(key, "name");
	assert_string_equal(gg_json_str(v), "张三");
	assert_string_equal(gg_json_key_at(j, 5, NULL), "score");
	assert_string_equal(gg_json_key_at(j, 7, &v), "org");
	assert_null(gg_json_key_at(j, 8, &v));
	assert_null(v);
	gg_json_free(j);
	gg_json_free(NULL);
}

static void test_scalars_parse(void **state)
{
	struct gg_json *j;
	struct gg_error err;

	(void)state;
	assert_int_equal(parse("  \"x\" \n", 1, &j, &err), GG_OK);
	assert_string_equal(gg_json_str(j), "x");
	gg_json_free(j);
	assert_int_equal(parse("-9223372036854775808", 1, &j, &err), GG_OK);
	assert_true(gg_json_intv(j) == INT64_MIN);
	gg_json_free(j);
}

/* Nesting exactly at the limit passes; one more level is refused. */
static void test_depth_boundary(void **state)
{
	struct gg_json *j;
	struct gg_error err;

	(void)state;
	assert_int_equal(parse("[[[1]]]", 3, &j, &err), GG_OK);
	gg_json_free(j);
	assert_int_equal(parse("{\"a\":{\"b\":[1]}}", 3, &j, &err), GG_OK);
	gg_json_free(j);
	assert_int_equal(parse("[[[[1]]]]", 3, &j, &err), GG_E_JSON_DEPTH);
	assert_string_equal(err.message, "json nested deeper than 3 levels");
	assert_null(j);
	expect_refused("{\"a\":{\"b\":[{}]}}", 3, GG_E_JSON_DEPTH);
	/* Siblings do not add up: depth is nesting, not count. */
	assert_int_equal(parse("[[1],[2],[3],{\"a\":1}]", 2, &j, &err), GG_OK);
	gg_json_free(j);
	/* Brackets inside strings (escaped quotes included) do not count. */
	assert_int_equal(parse("[\"[[[[{{{{\"]", 1, &j, &err), GG_OK);
	gg_json_free(j);
	assert_int_equal(parse("[\"\\\"[[[[\\\\\"]", 1, &j, &err), GG_OK);
	assert_string_equal(gg_json_str(gg_json_at(j, 0)), "\"[[[[\\");
	gg_json_free(j);
	/* A very deep document is refused before jansson recurses into it. */
	{
		static char deep[200001];

		memset(deep, '[', 100000);
		memset(deep + 100000, ']', 100000);
		expect_refused(deep, 32, GG_E_JSON_DEPTH);
	}
}

static void test_invalid_utf8(void **state)
{
	struct gg_json *j;
	struct gg_error err;

	(void)state;
	expect_refused("{\"a\":\"\xff\"}", 32, GG_E_BAD_UTF8);
	expect_refused("{\"a\":\"\xc0\xaf\"}", 32, GG_E_BAD_UTF8);     /* overlong */
	expect_refused("{\"a\":\"\xed\xa0\x80\"}", 32, GG_E_BAD_UTF8); /* surrogate */
	expect_refused("{\"a\":\"\xe5\xbc\"}", 32, GG_E_BAD_UTF8);     /* truncated */
	expect_refused("{\"\xfe\":1}", 32, GG_E_BAD_UTF8);
	assert_int_equal(parse("{\"a\":\"\xff\"}", 32, &j, &err), GG_E_BAD_UTF8);
	assert_string_equal(err.message, "invalid utf-8 at byte 6");
	/* Valid multi-byte text is fine. */
	assert_int_equal(parse("{\"城市\":\"武汉 \xF0\x9F\x98\x80\"}", 32, &j, &err), GG_OK);
	gg_json_free(j);
}

static void test_malformed(void **state)
{
	struct gg_json *j;
	struct gg_error err;

	(void)state;
	expect_refused("{\"a\":\"\\u0000\"}", 32, GG_E_JSON_MALFORMED);
	expect_refused("{\"a\\u0000b\":1}", 32, GG_E_JSON_MALFORMED);
	expect_refused("{\"a\":1,\"a\":2}", 32, GG_E_JSON_MALFORMED);
	expect_refused("{} x", 32, GG_E_JSON_MALFORMED);
	expect_refused("{}{}", 32, GG_E_JSON_MALFORMED);
	expect_refused("", 32, GG_E_JSON_MALFORMED);
	expect_refused("[1,", 32, GG_E_JSON_MALFORMED);
	expect_refused("{'a':1}", 32, GG_E_JSON_MALFORMED);
	expect_refused("9223372036854775808", 32, GG_E_JSON_MALFORMED);
	expect_refused("[1e400]", 32, GG_E_JSON_MALFORMED);
	expect_refused("{\"a\":\"\\ud800\"}", 32, GG_E_JSON_MALFORMED);

	assert_int_equal(parse("{\"a\":1,\n\"a\":2}", 32, &j, &err), GG_E_JSON_MALFORMED);
	assert_true(strncmp(err.message, "line 2 column ", 14) == 0);
	assert_non_null(strstr(err.message, "duplicate"));
	assert_int_equal(parse("{} x", 32, &j, &err), GG_E_JSON_MALFORMED);
	assert_string_equal(err.message, "line 1 column 4: end of file expected near 'x'");
	assert_int_equal(parse("{\"a\":\"\\u0000\"}", 32, &j, &err), GG_E_JSON_MALFORMED);
	assert_non_null(strstr(err.message, "\\u0000 is not allowed"));

	/* A raw NUL byte inside the given length is refused too. */
	gg_error_init(&err);
	assert_int_equal(gg_json_parse("{\"a\":\"x\0\"}", 10, 32, &j, &err), GG_E_JSON_MALFORMED);
	assert_int_equal(gg_json_parse("{}\0", 3, 32, &j, &err), GG_E_JSON_MALFORMED);
	/* Only len bytes are read: the rest of the string does not matter. */
	assert_int_equal(gg_json_parse("{}garbage", 2, 32, &j, &err), GG_OK);
	gg_json_free(j);
	/* A NULL err is allowed. */
	assert_int_equal(gg_json_parse("[", 1, 32, &j, NULL), GG_E_JSON_MALFORMED);
}

static void test_build_and_dump(void **state)
{
	struct gg_json *o = gg_json_object(), *a = gg_json_array(), *j;
	struct gg_error err;
	size_t len = 0;
	char *s;

	(void)state;
	assert_int_equal(gg_json_set_str(o, "zeta", "z\"q\n"), GG_OK);
	assert_int_equal(gg_json_set_int(o, "alpha", -5), GG_OK);
	assert_int_equal(gg_json_set_bool(o, "mid", 1), GG_OK);
	assert_int_equal(gg_json_set_null(o, "nothing"), GG_OK);
	assert_int_equal(gg_json_set_str(o, "nul", NULL), GG_OK);
	assert_int_equal(gg_json_append(a, gg_json_string("人才")), GG_OK);
	assert_int_equal(gg_json_append(a, gg_json_int(INT64_MAX)), GG_OK);
	assert_int_equal(gg_json_append(a, gg_json_bool(0)), GG_OK);
	assert_int_equal(gg_json_append(a, gg_json_null()), GG_OK);
	assert_int_equal(gg_json_set(o, "list", a), GG_OK);
	/* Replacing keeps the key's place. */
	assert_int_equal(gg_json_set_int(o, "alpha", 6), GG_OK);
	s = gg_json_dump(o, &len);
	assert_string_equal(s, "{\"zeta\":\"z\\\"q\\n\",\"alpha\":6,\"mid\":true,\"nothing\":null,\"nul\":null,"
	                       "\"list\":[\"人才\",9223372036854775807,false,null]}");
	assert_int_equal(len, strlen(s));
	free(s);

	/* Wrong containers and bad text are refused, and val is still consumed (ASan checks the leak). */
	assert_int_equal(gg_json_set(a, "k", gg_json_int(1)), GG_E_INVALID);
	assert_int_equal(gg_json_append(o, gg_json_int(1)), GG_E_INVALID);
	assert_int_equal(gg_json_set(o, "bad\xff", gg_json_int(1)), GG_E_INVALID);
	assert_int_equal(gg_json_set_str(o, "k", "bad\xff"), GG_E_BAD_UTF8);
	assert_int_equal(gg_json_set(o, "k", NULL), GG_E_NOMEM);
	assert_int_equal(gg_json_append(a, NULL), GG_E_NOMEM);
	assert_null(gg_json_get(o, "k"));
	gg_json_free(o);

	/* Reals keep 15 significant digits; scalars dump too. */
	assert_int_equal(parse("[0.1,1.5,3.141592653589793,1e2]", 4, &j, &err), GG_OK);
	s = gg_json_dump(j, NULL);
	assert_string_equal(s, "[0.1,1.5,3.14159265358979,100.0]");
	free(s);
	gg_json_free(j);
	j = gg_json_string("s");
	s = gg_json_dump(j, NULL);
	assert_string_equal(s, "\"s\"");
	free(s);
	gg_json_free(j);
	assert_null(gg_json_dump(NULL, NULL));
}

static const struct gg_json_field person_fields[] = {
    {"name", GG_WANT_STRING, 1, 4, 0, 0},   {"age", GG_WANT_INT, 0, 0, 0, 0},
    {"email", GG_WANT_STRING, 1, 0, 0, 0},  {"tags", GG_WANT_STRING_ARRAY, 0, 3, 0, 0},
    {"active", GG_WANT_BOOL, 0, 0, 1, 0},   {"address", GG_WANT_OBJECT, 0, 0, 0, 0},
    {"honours", GG_WANT_ARRAY, 0, 0, 0, 0}, {"note", GG_WANT_STRING, 0, 0, 1, 1},
    {"extra", GG_WANT_ANY, 0, 0, 0, 0},
};
#define NPERSON (sizeof(person_fields) / sizeof(person_fields[0]))

static enum gg_err check(const char *text, const char *prefix, struct gg_error *err)
{
	struct gg_json *j;
	enum gg_err ret;

	assert_int_equal(parse(text, 32, &j, err), GG_OK);
	gg_error_init(err);
	ret = gg_json_check(j, person_fields, NPERSON, prefix, err);
	gg_json_free(j);
	return ret;
}

static void test_check_accepts(void **state)
{
	struct gg_error err;

	(void)state;
	/* Four Chinese characters are 12 bytes but only 4 characters. */
	assert_int_equal(check("{\"name\":\"欧阳娜娜\",\"email\":\"a@b.cn\",\"age\":3,\"tags\":[\"x\",\"y\",\"z\"],"
	                       "\"active\":null,\"address\":{},\"honours\":[],\"note\":\"\",\"extra\":[1]}",
	                       "", &err),
	                 GG_OK);
	assert_int_equal(err.nfields, 0);
	assert_int_equal(check("{\"name\":\"abcd\",\"email\":\"e\",\"note\":null,\"active\":false}", "", &err), GG_OK);
}

static void test_check_reports_every_problem(void **state)
{
	struct gg_error err;

	(void)state;
	assert_int_equal(check("{\"name\":\"欧阳娜娜娜\",\"age\":\"3\",\"tags\":[\"a\",1,\"\"],\"bogus\":1,"
	                       "\"address\":[],\"active\":null,\"honours\":{}}",
	                       "", &err),
	                 GG_E_INVALID);
	assert_int_equal(err.code, GG_E_INVALID);
	assert_int_equal(err.nfields, 8);
	assert_string_equal(err.fields[0].field, "name");
	assert_string_equal(err.fields[0].message, "'name' is longer than 4 characters");
	assert_string_equal(err.fields[1].field, "age");
	assert_string_equal(err.fields[1].message, "'age' must be an integer");
	assert_string_equal(err.fields[2].field, "tags.1");
	assert_string_equal(err.fields[2].message, "'tags.1' must be a string");
	assert_string_equal(err.fields[3].field, "tags.2");
	assert_string_equal(err.fields[3].message, "'tags.2' must not be empty");
	assert_string_equal(err.fields[4].field, "bogus");
	assert_string_equal(err.fields[4].message, "unknown field 'bogus'");
	assert_string_equal(err.fields[5].field, "address");
	assert_string_equal(err.fields[5].message, "'address' must be an object");
	assert_string_equal(err.fields[6].field, "honours");
	assert_string_equal(err.fields[6].message, "'honours' must be an array");
	assert_string_equal(err.fields[7].field, "email");
	assert_string_equal(err.fields[7].message, "missing field 'email'");
	assert_string_equal(err.message, "'name' is longer than 4 characters");
}

static void test_check_dotted_prefix_and_first_code(void **state)
{
	struct gg_error err;

	(void)state;
	assert_int_equal(check("{\"zzz\":1,\"name\":\"\",\"email\":\"x\"}", "contacts.2.", &err), GG_E_UNKNOWN_FIELD);
	assert_int_equal(err.code, GG_E_UNKNOWN_FIELD);
	assert_int_equal(err.nfields, 2);
	assert_string_equal(err.fields[0].field, "contacts.2.zzz");
	assert_string_equal(err.fields[0].message, "unknown field 'contacts.2.zzz'");
	assert_string_equal(err.fields[1].field, "contacts.2.name");
	assert_string_equal(err.fields[1].message, "'contacts.2.name' must not be empty");

	assert_int_equal(check("{\"email\":\"x\"}", "p.", &err), GG_E_MISSING_FIELD);
	assert_string_equal(err.fields[0].field, "p.name");
	assert_string_equal(err.fields[0].message, "missing field 'p.name'");

	assert_int_equal(
	    check("{\"name\":null,\"email\":5,\"active\":\"yes\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", "", &err),
	    GG_E_WRONG_TYPE);
	assert_int_equal(err.nfields, 4);
	assert_string_equal(err.fields[0].message, "'name' must be a string");
	assert_string_equal(err.fields[1].message, "'email' must be a string");
	assert_string_equal(err.fields[2].message, "'active' must be true or false");
	assert_string_equal(err.fields[3].message, "'tags' has more than 3 items");
}

static void test_check_not_an_object(void **state)
{
	struct gg_json *j;
	struct gg_error err;

	(void)state;
	assert_int_equal(parse("[1]", 32, &j, &err), GG_OK);
	assert_int_equal(gg_json_check(j, person_fields, NPERSON, "", &err), GG_E_WRONG_TYPE);
	assert_string_equal(err.message, "request body must be a json object");
	gg_error_init(&err);
	assert_int_equal(gg_json_check(j, person_fields, NPERSON, "org.", &err), GG_E_WRONG_TYPE);
	assert_int_equal(err.nfields, 1);
	assert_string_equal(err.fields[0].field, "org");
	assert_string_equal(err.fields[0].message, "'org' must be an object");
	gg_json_free(j);
	assert_int_equal(gg_json_check(NULL, person_fields, NPERSON, NULL, NULL), GG_E_WRONG_TYPE);
}

/* A client-chosen long key is cut on a character boundary, so messages stay valid UTF-8. */
static void test_check_long_key_stays_utf8(void **state)
{
	char text[1200], *p = text;
	struct gg_error err;
	size_t i, n, step;

	(void)state;
	p += sprintf(p, "{\"name\":\"a\",\"email\":\"b\",\"");
	for (i = 0; i < 200; i++)
		p += sprintf(p, "键");
	sprintf(p, "\":1}");
	assert_int_equal(check(text, "x.", &err), GG_E_UNKNOWN_FIELD);
	n = strlen(err.fields[0].field);
	assert_true(n < GG_ERROR_FIELD_MAX);
	assert_true(strncmp(err.fields[0].field, "x.键", 5) == 0);
	for (i = 0; i < n; i += step) {
		step = gg_utf8_next(err.fields[0].field + i, n - i, NULL);
		assert_true(step > 0);
	}
	n = strlen(err.fields[0].message);
	for (i = 0; i < n; i += step) {
		step = gg_utf8_next(err.fields[0].message + i, n - i, NULL);
		assert_true(step > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_and_read),
	    cmocka_unit_test(test_scalars_parse),
	    cmocka_unit_test(test_depth_boundary),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_build_and_dump),
	    cmocka_unit_test(test_check_accepts),
	    cmocka_unit_test(test_check_reports_every_problem),
	    cmocka_unit_test(test_check_dotted_prefix_and_first_code),
	    cmocka_unit_test(test_check_not_an_object),
	    cmocka_unit_test(test_check_long_key_stays_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
