/*
 * xlsx: spreadsheet export through libxlsxwriter (the one file that
 * includes it). Every cell is written as text, so an 18-digit
 * identifier is not turned into 4.20101E+17 by Excel; the header row is
 * bold and frozen, and columns get a width from their content.
 */
#ifndef GG_XLSX_H
#define GG_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct gg_xlsx;

/** Starts a workbook at path with one sheet. */
enum gg_err gg_xlsx_new(const char *path, const char *sheet_name, struct gg_xlsx **out, struct gg_error *err);
/** Appends a row (the first row written is the header). NULL cells are left empty. */
enum gg_err gg_xlsx_row(struct gg_xlsx *x, const char *const *cells, size_t ncells, struct gg_error *err);
/**
 * Sets the document's creation time to t (seconds since 1970) instead of
 * now, so the same rows give the same bytes (the bank file of a payment
 * run). Call before the first row.
 */
enum gg_err gg_xlsx_set_created(struct gg_xlsx *x, int64_t t, struct gg_error *err);
/** Writes the file and frees x (also on error). */
enum gg_err gg_xlsx_close(struct gg_xlsx *x, struct gg_error *err);

#endif
