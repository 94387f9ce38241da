/*
 * json: the one file that includes jansson. A struct gg_json pointer is a
 * json_t pointer under another name, converted by J() and G() only here,
 * so nothing else in Guanggu depends on jansson. Parsing checks UTF-8 and
 * nesting depth itself before jansson runs (jansson reports bad UTF-8 only
 * as a generic error, and its own depth limit is 2048), so each failure
 * gets its own error code. gg_json_check validates a request object
 * against a field table and reports every problem with a dotted name.
 */
#include "json.h"

#include <jansson.h>
#include <string.h>

#include "buf.h"

static json_t *J(const struct gg_json *j)
{
	return (json_t *)j;
}

static struct gg_json *G(json_t *j)
{
	return (struct gg_json *)j;
}

/* Offset of the first byte that is not well-formed UTF-8, or len. */
static size_t utf8_bad_at(const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		n = gg_utf8_next(s + i, len - i, NULL);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

/* Deepest bracket nesting outside strings; stops counting past limit. */
static int json_depth(const char *s, size_t len, int limit)
{
	int depth = 0, deepest = 0, in_str = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > deepest) {
				deepest = depth;
				if (deepest > limit)
					break;
			}
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return deepest;
}

enum gg_err gg_json_parse(const char *text, size_t len, int max_depth, struct gg_json **out, struct gg_error *err)
{
	json_error_t jerr;
	size_t bad;
	json_t *j;

	*out = NULL;
	if (!text)
		return gg_error_set(err, GG_E_JSON_MALFORMED, "line 1 column 0: no json text");
	bad = utf8_bad_at(text, len);
	if (bad < len)
		return gg_error_set(err, GG_E_BAD_UTF8, "invalid utf-8 at byte %zu", bad);
	if (json_depth(text, len, max_depth) > max_depth)
		return gg_error_set(err, GG_E_JSON_DEPTH, "json nested deeper than %d levels", max_depth);
	/* Neither JSON_DISABLE_EOF_CHECK nor JSON_ALLOW_NUL: trailing bytes and \u0000 are refused. */
	j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!j) {
		switch (json_error_code(&jerr)) {
		case json_error_out_of_memory:
			return gg_error_set(err, GG_E_NOMEM, NULL);
		case json_error_null_character:
			return gg_error_set(err, GG_E_JSON_MALFORMED,
			                    "line %d column %d: \\u0000 is not allowed in strings", jerr.line,
			                    jerr.column);
		default:
			return gg_error_set(err, GG_E_JSON_MALFORMED, "line %d column %d: %s", jerr.line, jerr.column,
			                    jerr.text);
		}
	}
	*out = G(j);
	return GG_OK;
}

void gg_json_free(struct gg_json *j)
{
	if (j)
		json_decref(J(j));
}

struct gg_json *gg_json_object(void)
{
	return G(json_object());
}

struct gg_json *gg_json_array(void)
{
	return G(json_array());
}

struct gg_json *gg_json_string(const char *s)
{
	return G(s ? json_string(s) : json_null());
}

struct gg_json *gg_json_int(int64_t v)
{
	return G(json_integer((json_int_t)v));
}

struct gg_json *gg_json_bool(int v)
{
	return G(json_boolean(v));
}

struct gg_json *gg_json_null(void)
{
	return G(json_null());
}

enum gg_err gg_json_set(struct gg_json *obj, const char *key, struct gg_json *val)
{
	if (!val)
		return GG_E_NOMEM;
	if (!json_is_object(J(obj)) || !key || utf8_bad_at(key, strlen(key)) != strlen(key)) {
		json_decref(J(val));
		return GG_E_INVALID;
	}
	return json_object_set_new(J(obj), key, J(val)) == 0 ? GG_OK : GG_E_NOMEM;
}

enum gg_err gg_json_set_str(struct gg_json *obj, const char *key, const char *s)
{
	if (s && utf8_bad_at(s, strlen(s)) != strlen(s))
		return GG_E_BAD_UTF8;
	return gg_json_set(obj, key, gg_json_string(s));
}

enum gg_err gg_json_set_int(struct gg_json *obj, const char *key, int64_t v)
{
	return gg_json_set(obj, key, gg_json_int(v));
}

enum gg_err gg_json_set_bool(struct gg_json *obj, const char *key, int v)
{
	return gg_json_set(obj, key, gg_json_bool(v));
}

enum gg_err gg_json_set_null(struct gg_json *obj, const char *key)
{
	return gg_json_set(obj, key, gg_json_null());
}

enum gg_err gg_json_append(struct gg_json *arr, struct gg_json *val)
{
	if (!val)
		return GG_E_NOMEM;
	if (!json_is_array(J(arr))) {
		json_decref(J(val));
		return GG_E_INVALID;
	}
	return json_array_append_new(J(arr), J(val)) == 0 ? GG_OK : GG_E_NOMEM;
}

char *gg_json_dump(const struct gg_json *j, size_t *len)
{
	char *s;

	if (!j)
		return NULL;
	s = json_dumps(J(j), JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ENCODE_ANY);
	if (s && len)
		*len = strlen(s);
	return s;
}

static const enum gg_json_kind kind_of[] = {
    [JSON_OBJECT] = GG_JSON_OBJECT, [JSON_ARRAY] = GG_JSON_ARRAY, [JSON_STRING] = GG_JSON_STRING,
    [JSON_INTEGER] = GG_JSON_INT,   [JSON_REAL] = GG_JSON_REAL,   [JSON_TRUE] = GG_JSON_BOOL,
    [JSON_FALSE] = GG_JSON_BOOL,    [JSON_NULL] = GG_JSON_NULL,
};

enum gg_json_kind gg_json_kind(const struct gg_json *j)
{
	if (!j)
		return GG_JSON_NULL;
	return kind_of[json_typeof(J(j))];
}

struct gg_json *gg_json_get(const struct gg_json *obj, const char *key)
{
	if (!json_is_object(J(obj)) || !key)
		return NULL;
	return G(json_object_get(J(obj), key));
}

const char *gg_json_str(const struct gg_json *j)
{
	return json_is_string(J(j)) ? json_string_value(J(j)) : NULL;
}

int64_t gg_json_intv(const struct gg_json *j)
{
	return json_is_integer(J(j)) ? (int64_t)json_integer_value(J(j)) : 0;
}

int gg_json_boolv(const struct gg_json *j)
{
	return json_is_true(J(j));
}

size_t gg_json_size(const struct gg_json *j)
{
	if (json_is_array(J(j)))
		return json_array_size(J(j));
	if (json_is_object(J(j)))
		return json_object_size(J(j));
	return 0;
}

struct gg_json *gg_json_at(const struct gg_json *arr, size_t i)
{
	if (!json_is_array(J(arr)))
		return NULL;
	return G(json_array_get(J(arr), i));
}

/* jansson keeps object keys in insertion order; this walks to the i-th. */
const char *gg_json_key_at(const struct gg_json *obj, size_t i, struct gg_json **val)
{
	void *it;

	if (val)
		*val = NULL;
	if (!json_is_object(J(obj)))
		return NULL;
	for (it = json_object_iter(J(obj)); it && i > 0; i--)
		it = json_object_iter_next(J(obj), it);
	if (!it)
		return NULL;
	if (val)
		*val = G(json_object_iter_value(it));
	return json_object_iter_key(it);
}

/*
 * prefix + key into out; a cut (a long client-chosen key) falls on a
 * character boundary so the name stays valid UTF-8 in the problem+json.
 */
static void field_name(char *out, size_t outsz, const char *prefix, const char *key)
{
	snprintf(out, outsz, "%s%s", prefix, key);
	out[utf8_bad_at(out, strlen(out))] = '\0';
}

/* Code points in a string already known to be valid UTF-8. */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static const char *const want_phrase[] = {
    [GG_WANT_STRING] = "a string",    [GG_WANT_INT] = "an integer",
    [GG_WANT_BOOL] = "true or false", [GG_WANT_STRING_ARRAY] = "an array of strings",
    [GG_WANT_OBJECT] = "an object",   [GG_WANT_ARRAY] = "an array",
    [GG_WANT_ANY] = "a value",
};

struct check {
	struct gg_error *err;
	enum gg_err first;
};

static void check_fail(struct check *c, enum gg_err code, const char *field, const char *msg)
{
	if (c->first == GG_OK)
		c->first = code;
	gg_error_field(c->err, code, field, "%s", msg);
}

/* A string value: non-empty unless allowed, at most max_len code points. */
static void check_string(struct check *c, const json_t *v, const struct gg_json_field *f, const char *name,
                         size_t max_len)
{
	char msg[GG_ERROR_MSG_MAX];
	size_t len = json_string_length(v);

	if (len == 0 && !f->allow_empty) {
		snprintf(msg, sizeof(msg), "'%s' must not be empty", name);
		check_fail(c, GG_E_INVALID, name, msg);
	} else if (max_len && utf8_chars(json_string_value(v), len) > max_len) {
		snprintf(msg, sizeof(msg), "'%s' is longer than %zu characters", name, max_len);
		check_fail(c, GG_E_INVALID, name, msg);
	}
}

static int want_matches(enum gg_json_want want, const json_t *v)
{
	switch (want) {
	case GG_WANT_STRING:
		return json_is_string(v);
	case GG_WANT_INT:
		return json_is_integer(v);
	case GG_WANT_BOOL:
		return json_is_boolean(v);
	case GG_WANT_STRING_ARRAY:
	case GG_WANT_ARRAY:
		return json_is_array(v);
	case GG_WANT_OBJECT:
		return json_is_object(v);
	case GG_WANT_ANY:
		return 1;
	}
	return 0;
}

static void check_member(struct check *c, const json_t *v, const struct gg_json_field *f, const char *name)
{
	char msg[GG_ERROR_MSG_MAX], item[GG_ERROR_FIELD_MAX], idx[24];
	const json_t *it;
	size_t i;

	if (json_is_null(v) && f->nullable)
		return;
	if ((unsigned)f->want >= sizeof(want_phrase) / sizeof(want_phrase[0]) || !want_matches(f->want, v)) {
		snprintf(msg, sizeof(msg), "'%s' must be %s", name,
		         (unsigned)f->want < sizeof(want_phrase) / sizeof(want_phrase[0]) ? want_phrase[f->want]
		                                                                          : "a value");
		check_fail(c, GG_E_WRONG_TYPE, name, msg);
		return;
	}
	if (f->want == GG_WANT_STRING) {
		check_string(c, v, f, name, f->max_len);
	} else if (f->want == GG_WANT_STRING_ARRAY) {
		if (f->max_len && json_array_size(v) > f->max_len) {
			snprintf(msg, sizeof(msg), "'%s' has more than %zu items", name, f->max_len);
			check_fail(c, GG_E_INVALID, name, msg);
		}
		for (i = 0; i < json_array_size(v); i++) {
			it = json_array_get(v, i);
			snprintf(idx, sizeof(idx), ".%zu", i);
			field_name(item, sizeof(item), name, idx);
			if (!json_is_string(it)) {
				snprintf(msg, sizeof(msg), "'%s' must be a string", item);
				check_fail(c, GG_E_WRONG_TYPE, item, msg);
			} else {
				check_string(c, it, f, item, 0);
			}
		}
	}
}

enum gg_err gg_json_check(const struct gg_json *j, const struct gg_json_field *fields, size_t n, const char *prefix,
                          struct gg_error *err)
{
	struct check c = {err, GG_OK};
	char name[GG_ERROR_FIELD_MAX], msg[GG_ERROR_MSG_MAX];
	const json_t *obj = J(j), *v;
	const char *key;
	void *it;
	size_t i;

	if (!prefix)
		prefix = "";
	if (!json_is_object(obj)) {
		if (*prefix) {
			field_name(name, sizeof(name), prefix, "");
			if (name[0] && name[strlen(name) - 1] == '.')
				name[strlen(name) - 1] = '\0';
			snprintf(msg, sizeof(msg), "'%s' must be an object", name);
			check_fail(&c, GG_E_WRONG_TYPE, name, msg);
			return c.first;
		}
		return gg_error_set(err, GG_E_WRONG_TYPE, "request body must be a json object");
	}
	for (it = json_object_iter(J(j)); it; it = json_object_iter_next(J(j), it)) {
		key = json_object_iter_key(it);
		v = json_object_iter_value(it);
		for (i = 0; i < n; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		field_name(name, sizeof(name), prefix, key);
		if (i == n) {
			snprintf(msg, sizeof(msg), "unknown field '%s'", name);
			check_fail(&c, GG_E_UNKNOWN_FIELD, name, msg);
			continue;
		}
		check_member(&c, v, &fields[i], name);
	}
	for (i = 0; i < n; i++) {
		if (!fields[i].required || json_object_get(obj, fields[i].name))
			continue;
		field_name(name, sizeof(name), prefix, fields[i].name);
		snprintf(msg, sizeof(msg), "missing field '%s'", name);
		check_fail(&c, GG_E_MISSING_FIELD, name, msg);
	}
	return c.first;
}
