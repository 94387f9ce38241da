/*
 * json: the only wrapper over jansson (the one file that includes it is
 * json.c). Values are opaque struct gg_json pointers with jansson's
 * reference counting underneath: gg_json_free drops one reference.
 *
 * Parsing is bounded: a maximum byte size is the caller's (the HTTP layer
 * caps bodies), a maximum nesting depth is checked here before jansson
 * sees the text; invalid UTF-8, \u0000, duplicate keys, trailing bytes
 * and integers out of int64 range are refused.
 *
 * Request objects are checked against a field table (name, kind,
 * required, max length): unknown, missing and mistyped fields are each
 * reported with the field's dotted name.
 */
#ifndef GG_JSON_H
#define GG_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct gg_json;

/**
 * Parses text[0..len) into *out (caller frees with gg_json_free).
 * Errors: GG_E_JSON_MALFORMED (err->message says where: "line 1 column 5: ..."),
 * GG_E_JSON_DEPTH, GG_E_BAD_UTF8.
 */
enum gg_err gg_json_parse(const char *text, size_t len, int max_depth, struct gg_json **out, struct gg_error *err);
void gg_json_free(struct gg_json *j); /* NULL is a no-op */

/* Building. Each returns a new value (NULL on out of memory). */
struct gg_json *gg_json_object(void);
struct gg_json *gg_json_array(void);
struct gg_json *gg_json_string(const char *s); /* NULL s gives null */
struct gg_json *gg_json_int(int64_t v);
struct gg_json *gg_json_bool(int v);
struct gg_json *gg_json_null(void);
/** Sets obj[key] = val, taking over the reference to val (even on failure). */
enum gg_err gg_json_set(struct gg_json *obj, const char *key, struct gg_json *val);
enum gg_err gg_json_set_str(struct gg_json *obj, const char *key, const char *s); /* NULL s: null */
enum gg_err gg_json_set_int(struct gg_json *obj, const char *key, int64_t v);
enum gg_err gg_json_set_bool(struct gg_json *obj, const char *key, int v);
enum gg_err gg_json_set_null(struct gg_json *obj, const char *key);
/** Appends val to arr, taking over the reference. */
enum gg_err gg_json_append(struct gg_json *arr, struct gg_json *val);
/** Dumps compactly (keys in insertion order); caller frees with free(). *len may be NULL. */
char *gg_json_dump(const struct gg_json *j, size_t *len);

/* Reading. Borrowed results, valid while j lives. */
enum gg_json_kind {
	GG_JSON_NULL,
	GG_JSON_BOOL,
	GG_JSON_INT,
	GG_JSON_REAL,
	GG_JSON_STRING,
	GG_JSON_ARRAY,
	GG_JSON_OBJECT
};
enum gg_json_kind gg_json_kind(const struct gg_json *j);
struct gg_json *gg_json_get(const struct gg_json *obj, const char *key); /* NULL if absent or obj not an object */
const char *gg_json_str(const struct gg_json *j);                        /* NULL unless a string */
int64_t gg_json_intv(const struct gg_json *j);                           /* 0 unless an integer */
int gg_json_boolv(const struct gg_json *j);                              /* 0 unless true */
size_t gg_json_size(const struct gg_json *j);                            /* array length or object size */
struct gg_json *gg_json_at(const struct gg_json *arr, size_t i);
/** Iterates an object's keys in order: i from 0; NULL when past the end. */
const char *gg_json_key_at(const struct gg_json *obj, size_t i, struct gg_json **val);

/** Field table for request objects. */
enum gg_json_want {
	GG_WANT_STRING,       /* a string, length 1..max_len (bytes) unless allow_empty */
	GG_WANT_INT,          /* an integer */
	GG_WANT_BOOL,         /* true or false */
	GG_WANT_STRING_ARRAY, /* array of strings, at most max_len items */
	GG_WANT_OBJECT,       /* an object (checked by the caller) */
	GG_WANT_ARRAY,        /* an array (checked by the caller) */
	GG_WANT_ANY
};
struct gg_json_field {
	const char *name;
	enum gg_json_want want;
	int required;
	size_t max_len;  /* 0 means no limit */
	int nullable;    /* null is accepted (as "absent") */
	int allow_empty; /* GG_WANT_STRING(_ARRAY): "" is accepted as a value (an item) */
};

/**
 * Checks that j is an object whose members are all in fields[0..n), every
 * required one present, each of its kind and within max_len. Every problem
 * is added to err as a field error, prefix + name as the field ("" prefix
 * for the top level). Returns GG_OK or the first problem's code
 * (GG_E_WRONG_TYPE when j is not an object).
 */
enum gg_err gg_json_check(const struct gg_json *j, const struct gg_json_field *fields, size_t n, const char *prefix,
                          struct gg_error *err);

#endif
