/*
 * err: the tables behind enum gg_err (code token, default message, HTTP
 * status, all generated from err.tbl), HTTP reason phrases for problem+json
 * titles, the caller-owned struct gg_error and the markdown page
 * docs/errors.md that lists every code for the web UI and integrators.
 */
#include "err.h"

#include <stdarg.h>
#include <string.h>

#include "buf.h"

struct err_row {
	const char *code;
	int status;
	const char *message;
};

static const struct err_row err_rows[GG_E__COUNT] = {
#define GG_ERR(name, code, status, msg) [GG_E_##name] = {code, status, msg},
#include "err.tbl"
#undef GG_ERR
};

/* Reason phrases of the IANA HTTP status code registry (RFC 9110 and friends). */
static const struct {
	int status;
	const char *title;
} http_titles[] = {
    {100, "Continue"},
    {101, "Switching Protocols"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Content Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {421, "Misdirected Request"},
    {422, "Unprocessable Content"},
    {425, "Too Early"},
    {426, "Upgrade Required"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
    {507, "Insufficient Storage"},
    {511, "Network Authentication Required"},
};

static const struct err_row *err_row(enum gg_err e)
{
	if ((unsigned)e >= (unsigned)GG_E__COUNT)
		return &err_rows[GG_E_INTERNAL];
	return &err_rows[e];
}

const char *gg_err_code(enum gg_err e)
{
	return err_row(e)->code;
}

const char *gg_err_message(enum gg_err e)
{
	return err_row(e)->message;
}

int gg_err_status(enum gg_err e)
{
	return err_row(e)->status;
}

const char *gg_err_title(int http_status)
{
	size_t i;

	for (i = 0; i < sizeof(http_titles) / sizeof(http_titles[0]); i++)
		if (http_titles[i].status == http_status)
			return http_titles[i].title;
	return "Unknown Status";
}

void gg_error_init(struct gg_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

enum gg_err gg_error_set(struct gg_error *err, enum gg_err code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->message[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return code;
}

/*
 * The whole error keeps the first problem's code and message, so a list of
 * field errors reads in the order the problems were found.
 */
enum gg_err gg_error_field(struct gg_error *err, enum gg_err code, const char *field, const char *fmt, ...)
{
	struct gg_field_error *fe;
	va_list ap;

	if (!err)
		return code;
	if (err->code == GG_OK)
		err->code = code;
	if (err->nfields >= GG_ERROR_FIELDS_MAX)
		return code;
	fe = &err->fields[err->nfields++];
	gg_strlcpy(fe->field, field ? field : "", sizeof(fe->field));
	fe->message[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(fe->message, sizeof(fe->message), fmt, ap);
		va_end(ap);
	} else {
		gg_strlcpy(fe->message, gg_err_message(code), sizeof(fe->message));
	}
	if (err->message[0] == '\0')
		gg_strlcpy(err->message, fe->message, sizeof(err->message));
	return code;
}

const char *gg_error_message(const struct gg_error *err)
{
	if (!err)
		return gg_err_message(GG_E_INTERNAL);
	if (err->message[0])
		return err->message;
	return gg_err_message(err->code);
}

/* Markdown table cells may not hold a raw '|'. */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
	}
}

int gg_err_write_markdown(FILE *f)
{
	int e;

	fputs("# Error codes\n\n"
	      "Every error Guanggu reports comes from one table, `src/core/err.tbl`.\n"
	      "API errors are RFC 9457 `application/problem+json` bodies whose `code`\n"
	      "field holds one of the tokens below. The tokens are stable: clients and\n"
	      "the web UI translate by them, and rows are only ever appended. The\n"
	      "message is the default `detail`; most errors carry a more specific one,\n"
	      "and field errors add `errors: [{\"field\": ..., \"message\": ...}]`.\n"
	      "The command line prints the same message as `error: ...`.\n\n"
	      "| code | HTTP status | message |\n"
	      "|---|---|---|\n",
	      f);
	for (e = 0; e < GG_E__COUNT; e++) {
		fputs("| `", f);
		md_cell(f, err_rows[e].code);
		fprintf(f, "` | %d %s | ", err_rows[e].status, gg_err_title(err_rows[e].status));
		md_cell(f, err_rows[e].message);
		fputs(" |\n", f);
	}
	if (fflush(f) != 0 || ferror(f))
		return -1;
	return 0;
}
