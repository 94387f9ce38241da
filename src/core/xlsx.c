/*
 * xlsx: the one file that includes libxlsxwriter. The workbook runs in
 * libxlsxwriter's constant-memory mode: each row goes to a temporary file
 * as soon as the next one starts, so a million-row export does not hold
 * the sheet in memory (rows must then come in order, which they do).
 * Cells are always strings (inline strings in this mode), and the "number
 * stored as text" warning is switched off for the sheet, so an 18-digit
 * identifier is shown as typed. Column widths come from the widest cell
 * seen (a Han character counts two), capped, and are set at close, when
 * libxlsxwriter assembles the sheet. libxlsxwriter reports some refusals
 * on stderr, the server's log: the sheet name and the output path are
 * checked here first, so those never reach it.
 */
#include "xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "buf.h"
#include "text.h"

#define WIDTH_MAX      60
#define WIDTH_PAD      2
#define CELL_CHARS_MAX 32767 /* Excel's limit; libxlsxwriter refuses longer strings */

struct gg_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	char *path;
	lxw_row_t row;          /* next row to write */
	unsigned short *widths; /* display width per column, capped */
	size_t ncols;           /* columns with a width */
	size_t widths_alloc;
};

/* Display width in Excel's units: East Asian wide characters take two. */
static unsigned display_width(const char *s)
{
	size_t len = strlen(s), n;
	unsigned w = 0, cp;

	while (len > 0 && w < WIDTH_MAX) {
		n = gg_utf8_next(s, len, &cp);
		if (n == 0) {
			n = 1;
			cp = '?';
		}
		w += (cp >= 0x1100 && !(cp >= 0xFF61 && cp <= 0xFFDC)) ? 2 : 1;
		s += n;
		len -= n;
	}
	return w;
}

static enum gg_err note_width(struct gg_xlsx *x, size_t col, unsigned w)
{
	unsigned short *p;
	size_t want;

	if (col >= x->widths_alloc) {
		want = x->widths_alloc ? x->widths_alloc * 2 : 32;
		while (want <= col)
			want *= 2;
		p = realloc(x->widths, want * sizeof(*p));
		if (!p)
			return GG_E_NOMEM;
		memset(p + x->widths_alloc, 0, (want - x->widths_alloc) * sizeof(*p));
		x->widths = p;
		x->widths_alloc = want;
	}
	if (w > WIDTH_MAX)
		w = WIDTH_MAX;
	if (w > x->widths[col])
		x->widths[col] = (unsigned short)w;
	if (col + 1 > x->ncols)
		x->ncols = col + 1;
	return GG_OK;
}

/*
 * Excel's rules for a sheet name, checked here because libxlsxwriter
 * prints its refusal to stderr, which is the server's JSON log.
 */
static int valid_sheet_name(const char *name)
{
	size_t len;

	if (!name)
		return 0;
	len = gg_text_length(name);
	return len >= 1 && len <= 31 && !strpbrk(name, "[]:*?/\\") && name[0] != '\'' && name[strlen(name) - 1] != '\'';
}

static void xlsx_free(struct gg_xlsx *x)
{
	free(x->widths);
	free(x->path);
	free(x);
}

enum gg_err gg_xlsx_new(const char *path, const char *sheet_name, struct gg_xlsx **out, struct gg_error *err)
{
	lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
	struct gg_xlsx *x;
	enum gg_err ret = GG_OK;
	FILE *f;

	*out = NULL;
	if (!valid_sheet_name(sheet_name))
		return gg_error_set(err, GG_E_INVALID, "invalid sheet name '%s'", sheet_name ? sheet_name : "");
	/* Fail now rather than at close (where libxlsxwriter would also print to stderr). */
	f = fopen(path, "wb");
	if (!f)
		return gg_error_set(err, GG_E_IO, "cannot create '%s': %s", path, strerror(errno));
	fclose(f);
	x = calloc(1, sizeof(*x));
	if (!x) {
		unlink(path);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	x->path = strdup(path);
	if (!x->path) {
		ret = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	x->wb = workbook_new_opt(path, &opts);
	if (!x->wb) {
		ret = gg_error_set(err, GG_E_IO, "cannot start workbook '%s'", path);
		goto out;
	}
	x->ws = workbook_add_worksheet(x->wb, sheet_name);
	if (!x->ws) {
		ret = gg_error_set(err, GG_E_INVALID, "invalid sheet name '%s'", sheet_name);
		goto out;
	}
	x->bold = workbook_add_format(x->wb);
	if (!x->bold) {
		ret = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	format_set_bold(x->bold);
	worksheet_freeze_panes(x->ws, 1, 0);
	if (worksheet_ignore_errors(x->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576") != LXW_NO_ERROR) {
		ret = gg_error_set(err, GG_E_INTERNAL, "cannot set up worksheet");
		goto out;
	}
	*out = x;
	return GG_OK;
out:
	/* Nothing was written yet: free without creating the file. */
	if (x->wb)
		lxw_workbook_free(x->wb);
	xlsx_free(x);
	unlink(path);
	return ret;
}

enum gg_err gg_xlsx_row(struct gg_xlsx *x, const char *const *cells, size_t ncells, struct gg_error *err)
{
	lxw_error e;
	size_t i;

	if (x->row >= LXW_ROW_MAX)
		return gg_error_set(err, GG_E_TOO_LARGE, "a sheet holds at most %d rows", LXW_ROW_MAX);
	if (ncells > LXW_COL_MAX)
		return gg_error_set(err, GG_E_TOO_LARGE, "a sheet holds at most %d columns", LXW_COL_MAX);
	for (i = 0; i < ncells; i++) {
		if (!cells[i])
			continue;
		e = worksheet_write_string(x->ws, x->row, (lxw_col_t)i, cells[i], x->row == 0 ? x->bold : NULL);
		if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
			return gg_error_set(err, GG_E_INVALID,
			                    "cell in row %u, column %zu is longer than %d characters",
			                    (unsigned)x->row + 1, i + 1, CELL_CHARS_MAX);
		if (e != LXW_NO_ERROR)
			return gg_error_set(err, GG_E_INTERNAL, "cannot write row %u: %s", (unsigned)x->row + 1,
			                    lxw_strerror(e));
		if (note_width(x, i, display_width(cells[i])) != GG_OK)
			return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	x->row++;
	return GG_OK;
}

enum gg_err gg_xlsx_close(struct gg_xlsx *x, struct gg_error *err)
{
	enum gg_err ret = GG_OK;
	lxw_error e;
	double w;
	size_t i;

	if (!x)
		return GG_OK;
	for (i = 0; i < x->ncols; i++) {
		w = (double)(x->widths[i] + WIDTH_PAD);
		if (w <= LXW_DEF_COL_WIDTH)
			continue;
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL);
	}
	e = workbook_close(x->wb);
	if (e != LXW_NO_ERROR)
		ret = gg_error_set(err, GG_E_IO, "cannot write '%s': %s", x->path, lxw_strerror(e));
	xlsx_free(x);
	return ret;
}

enum gg_err gg_xlsx_set_created(struct gg_xlsx *x, int64_t t, struct gg_error *err)
{
	lxw_doc_properties props;

	memset(&props, 0, sizeof(props));
	props.created = (time_t)t;
	if (workbook_set_properties(x->wb, &props) != LXW_NO_ERROR)
		return gg_error_set(err, GG_E_INTERNAL, "cannot set the workbook's properties");
	return GG_OK;
}
