/*
 * export: the registry as a spreadsheet, and the one table of its columns.
 * Talents and organisations are written as CSV (UTF-8 with a BOM, RFC 4180
 * quoting, CRLF, as DESIGN.md asks) or XLSX (every cell text), with
 * Chinese headers by default or English ones. The column table here is
 * also what import reads: a file written by an export imports back
 * unchanged. Values are tokens (male, resident_id, cas_academician:2019),
 * multi-values ';'-separated, dates YYYY-MM-DD, an empty cell no value;
 * no ids and no timestamps, so exporting, importing into a fresh
 * installation and exporting again gives the same bytes. Rows come in
 * pinyin order, then by id. Personal data is masked unless the export is
 * unmasked (then decrypted with the keys); each export is audited
 * (talent.export / org.export with the row count and whether unmasked).
 */
#ifndef GG_EXPORT_H
#define GG_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"
#include "search.h"

enum gg_export_sheet { GG_EXPORT_TALENTS, GG_EXPORT_ORGS };
enum gg_export_lang { GG_EXPORT_ZH, GG_EXPORT_EN };
enum gg_export_format { GG_EXPORT_CSV, GG_EXPORT_XLSX };

/* The talent columns, in file order. */
enum gg_talent_col {
	GG_TCOL_NAME,
	GG_TCOL_LATIN_NAME,
	GG_TCOL_GENDER,
	GG_TCOL_BIRTH_DATE,
	GG_TCOL_NATIONALITY,
	GG_TCOL_DOC_TYPE,
	GG_TCOL_DOC_NUMBER,
	GG_TCOL_PHONE,
	GG_TCOL_EMAIL,
	GG_TCOL_ORG_USCC,
	GG_TCOL_ORG_NAME,
	GG_TCOL_TITLE,
	GG_TCOL_CITY,
	GG_TCOL_FIELDS,
	GG_TCOL_KEYWORDS,
	GG_TCOL_SEGMENTS,
	GG_TCOL_HONOURS,
	GG_TCOL_TIER,
	GG_TCOL_STATUS,
	GG_TCOL_NOTES,
	GG_TCOL__COUNT
};

/* The organisation columns, in file order. */
enum gg_org_col {
	GG_OCOL_NAME,
	GG_OCOL_USCC,
	GG_OCOL_KIND,
	GG_OCOL_PARK,
	GG_OCOL_SEGMENTS,
	GG_OCOL_VERIFIED,
	GG_OCOL__COUNT
};

struct gg_export_column {
	const char *zh;  /* Chinese header: 姓名 */
	const char *en;  /* English header, the token: name */
	int required;    /* an import needs this column */
	const char *api; /* the API field whose errors belong to this column ("document.number"); NULL: none */
};

/** The columns of a sheet, in file order (*n gets their number). */
const struct gg_export_column *gg_export_columns(enum gg_export_sheet sheet, size_t *n);
/**
 * The column a header cell names (Chinese or English header, surrounding
 * white space ignored, English in any case); -1 when none.
 */
int gg_export_column_find(enum gg_export_sheet sheet, const char *header);
/** The column an API field error belongs to ("document.number", "honours.2.year"); -1 when none. */
int gg_export_column_of_field(enum gg_export_sheet sheet, const char *field);

/** "talents" / "orgs" to a sheet; GG_E_USAGE naming the value otherwise. */
enum gg_err gg_export_parse_sheet(const char *text, enum gg_export_sheet *out, struct gg_error *err);
/** "csv" / "xlsx" (NULL: csv); GG_E_INVALID on field "format" otherwise. */
enum gg_err gg_export_parse_format(const char *text, enum gg_export_format *out, struct gg_error *err);
/** "zh" / "en" (NULL: zh); GG_E_INVALID on field "lang" otherwise. */
enum gg_err gg_export_parse_lang(const char *text, enum gg_export_lang *out, struct gg_error *err);
/** The sheet's file name stem: 人才 / talents, 单位 / orgs. */
const char *gg_export_stem(enum gg_export_sheet sheet, enum gg_export_lang lang);
/** The MIME type of a format: text/csv; charset=utf-8, or the XLSX type. */
const char *gg_export_mime(enum gg_export_format format);

struct gg_export_options {
	enum gg_export_sheet sheet;
	enum gg_export_format format;
	enum gg_export_lang lang;
	int unmasked;                         /* 1: decrypt personal data with keys */
	const struct gg_keys *keys;           /* needed when unmasked */
	const struct gg_search_query *filter; /* filters and scope; NULL: every record (sort, limit, cursor ignored) */
	const struct gg_actor *actor;         /* who exports, for the audit row */
};

/**
 * Creates an empty file of its own (mode 0600 through mkstemp) in $TMPDIR
 * or /tmp for an export to be written into; path (>= 64 bytes) gets its
 * name. The caller removes it.
 */
enum gg_err gg_export_tempfile(char *path, size_t pathsz, struct gg_error *err);

/**
 * Writes every record the filter selects to path (created or replaced)
 * in the chosen format and language, then records the audit row in its
 * own write transaction. *rows gets the number of records written.
 * GG_E_IO naming the path when it cannot be written; the file is removed
 * on failure.
 */
enum gg_err gg_export_file(struct gg_db *db, const struct gg_export_options *opt, const char *path, int64_t *rows,
                           struct gg_error *err);

#endif
