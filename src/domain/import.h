/*
 * import: talents or organisations from a CSV file, as a spreadsheet
 * saves it. The bytes are checked first (an XLSX or XLS workbook is
 * refused with the advice to save it as CSV; a binary file is refused),
 * the encoding is detected (UTF-8 with or without BOM, or GB18030, which
 * is converted), the header row is read in Chinese or English (the column
 * table of export.h: a missing required column or an unknown one is an
 * error for the whole file), then each row is validated by the talent or
 * organisation rules and its organisation resolved. Errors are collected
 * as (spreadsheet line, column header as written in the file, reason).
 *
 * All or nothing by default: the whole file is one write transaction and
 * nothing is written when any row is invalid; with skip_invalid the valid
 * rows are written and the invalid ones reported. Rows update the record
 * they match (talents: by document blind index, else by exactly one
 * record with the same name, birth date and organisation; organisations:
 * by credit code, else by exact name) and create the others; a row that
 * changes nothing writes nothing, so importing the same file again reports
 * 0 created, 0 updated and adds no audit rows.
 */
#ifndef GG_IMPORT_H
#define GG_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"
#include "export.h"

/* Errors kept per import; more are counted (errors_dropped), not listed. */
#define GG_IMPORT_ERRORS_MAX 100000

/** Progress: line of the record being read out of the file's total lines. */
typedef void (*gg_import_progress_fn)(void *ctx, size_t line, size_t total_lines);

struct gg_import_options {
	enum gg_export_sheet sheet;
	int skip_invalid; /* 1: write the valid rows, report the others */
	int64_t max_rows; /* data rows allowed (max_import_rows); 0: no limit */
	const struct gg_keys *keys;
	const struct gg_actor *actor;
	gg_import_progress_fn progress; /* NULL: none; called about every 1000 rows and at the end */
	void *progress_ctx;
};

struct gg_import_error {
	size_t line;  /* spreadsheet line where the record starts (the header is line 1); 0: the whole file */
	char *column; /* the header as written in the file; "" when the reason concerns the row or file */
	char *reason;
};

struct gg_import_result {
	int64_t rows; /* data rows read (empty rows skipped) */
	int64_t created;
	int64_t updated;
	int64_t unchanged;
	int64_t invalid;          /* rows with at least one error */
	int written;              /* 1 when the valid rows were committed */
	enum gg_export_lang lang; /* the language of the file's header (zh when unknown) */
	struct gg_import_error *errors;
	size_t nerrors;
	size_t errors_alloc;
	int64_t errors_dropped; /* errors beyond GG_IMPORT_ERRORS_MAX */
};

void gg_import_result_init(struct gg_import_result *res);
void gg_import_result_release(struct gg_import_result *res);

/**
 * Imports data[0..len). Returns GG_OK when the rows were written (with
 * skip_invalid also when some were invalid); GG_E_RULE when rows were
 * invalid without skip_invalid (nothing written, res lists why); for the
 * whole file GG_E_MEDIA_TYPE (a workbook: "xlsx files are not imported:
 * save the sheet as CSV (UTF-8) and upload that"), GG_E_INVALID (not
 * text, malformed CSV, missing or unknown columns; res lists them too),
 * GG_E_TOO_LARGE (more than max_rows rows). Database failures abort with
 * their code and nothing written. res is filled in every case.
 */
enum gg_err gg_import_run(struct gg_db *db, const struct gg_import_options *opt, const char *data, size_t len,
                          struct gg_import_result *res, struct gg_error *err);

/**
 * The report as CSV (UTF-8 BOM, CRLF): a header line (行号,列,原因 or
 * line,column,reason by res->lang) and one line per error. out is reset
 * first.
 */
enum gg_err gg_import_report_csv(const struct gg_import_result *res, struct gg_buf *out);

#endif
