/*
 * csv: RFC 4180 reading and writing through libcsv (the one file that
 * includes csv.h), strict mode. Reading is streaming: each record is
 * handed to a callback with its fields and the spreadsheet line it starts
 * on (quoted fields may span lines). Writing quotes a field only when it
 * holds a comma, quote, CR or LF, or starts or ends with a space.
 */
#ifndef GG_CSV_H
#define GG_CSV_H

#include <stddef.h>

#include "buf.h"

#define GG_CSV_MAX_FIELDS      128
#define GG_CSV_MAX_FIELD_BYTES 65536

/** Called once per record; fields are NUL-terminated UTF-8 as in the file. Return GG_OK to go on. */
typedef enum gg_err (*gg_csv_row_fn)(void *ctx, size_t line, const char *const *fields, size_t nfields,
                                     struct gg_error *err);

/**
 * Parses data[0..len) (already UTF-8, BOM removed by the caller) and calls
 * fn per record. Errors: GG_E_INVALID "line N: ..." for a malformed record
 * (unterminated quote, a quote inside an unquoted field), too many fields,
 * or a field over GG_CSV_MAX_FIELD_BYTES; a callback's error stops it.
 * Empty lines are skipped.
 */
enum gg_err gg_csv_parse(const char *data, size_t len, gg_csv_row_fn fn, void *ctx, struct gg_error *err);

/** Appends one record (CRLF-terminated, as RFC 4180 says) to out. NULL fields are written empty. */
enum gg_err gg_csv_write_row(struct gg_buf *out, const char *const *fields, size_t nfields);

#endif
