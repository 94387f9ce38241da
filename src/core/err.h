/*
 * err: the one error enum of Guanggu and the caller-owned error detail.
 *
 * Every function that can fail returns enum gg_err; GG_OK (0) is success.
 * Details for people (which field, what was wrong) go into a caller-owned
 * struct gg_error, which the HTTP layer renders as RFC 9457 problem+json
 * and the CLI prints as "error: message". Messages are lower-case, problem
 * first, subject quoted: unknown policy 'x'.
 */
#ifndef GG_ERR_H
#define GG_ERR_H

#include <stddef.h>
#include <stdio.h>

enum gg_err {
#define GG_ERR(name, code, status, msg) GG_E_##name,
#include "err.tbl"
#undef GG_ERR
	GG_E__COUNT
};
#define GG_OK GG_E_OK

#define GG_ERROR_MSG_MAX    256
#define GG_ERROR_FIELD_MAX  128
#define GG_ERROR_FIELDS_MAX 16

struct gg_field_error {
	char field[GG_ERROR_FIELD_MAX]; /* dotted path: honours.0.year */
	char message[GG_ERROR_MSG_MAX];
};

struct gg_error {
	enum gg_err code;
	char message[GG_ERROR_MSG_MAX]; /* "" means: use the table's message */
	size_t nfields;
	struct gg_field_error fields[GG_ERROR_FIELDS_MAX];
};

/** Reset to GG_OK with no message and no field errors. */
void gg_error_init(struct gg_error *err);

/**
 * Set code and a printf-style message (fmt may be NULL for the table's
 * message). Returns code, so callers can write: return gg_error_set(...).
 * err may be NULL (then only code is returned).
 */
enum gg_err gg_error_set(struct gg_error *err, enum gg_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Add a field error and set the code (and the message when still empty
 * to the field message). Fields beyond GG_ERROR_FIELDS_MAX are dropped.
 * Returns code. err may be NULL.
 */
enum gg_err gg_error_field(struct gg_error *err, enum gg_err code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** The message to show: err->message when set, else the table's. */
const char *gg_error_message(const struct gg_error *err);

/** Table lookups; an out-of-range code answers as GG_E_INTERNAL. */
const char *gg_err_code(enum gg_err e);    /* stable token: "not_found" */
const char *gg_err_message(enum gg_err e); /* default message */
int gg_err_status(enum gg_err e);          /* HTTP status */
const char *gg_err_title(int http_status); /* "Not Found" */

/** Writes docs/errors.md (markdown table of the error table) to f. */
int gg_err_write_markdown(FILE *f);

#endif
