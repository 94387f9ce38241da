/*
 * csv: the one file that includes libcsv. libcsv parses a record's
 * quoting strictly but cannot say where a record starts, so the input is
 * cut into records first by a small scan that follows quotes and counts
 * line breaks (LF, CRLF or a lone CR, also inside quoted fields), and each
 * record is fed to libcsv on its own: the line a record starts on is then
 * known exactly, however many lines its quoted fields span. White space
 * around unquoted fields is kept as data (the writer quotes such fields,
 * so a value survives a round trip). Records whose fields are all empty or
 * blank, which is what spreadsheets write for emptied rows, are skipped
 * like empty lines.
 */
#include "csv.h"

#include <csv.h>
#include <string.h>

#include "buf.h"

struct parse_state {
	gg_csv_row_fn fn;
	void *ctx;
	struct gg_error *err;
	size_t line;         /* line the current record starts on */
	struct gg_buf bytes; /* the current record's fields, each NUL-terminated */
	size_t offsets[GG_CSV_MAX_FIELDS];
	const char *fields[GG_CSV_MAX_FIELDS];
	size_t nfields;
	enum gg_err ret; /* the first error; callbacks do nothing after it */
};

/* Nothing counts as padding: spaces and tabs are part of a field. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *field, size_t len, void *data)
{
	struct parse_state *st = data;
	enum gg_err ret;

	if (st->ret != GG_OK)
		return;
	if (st->nfields == GG_CSV_MAX_FIELDS) {
		st->ret =
		    gg_error_set(st->err, GG_E_INVALID, "line %zu: more than %d fields", st->line, GG_CSV_MAX_FIELDS);
		return;
	}
	if (len > GG_CSV_MAX_FIELD_BYTES) {
		st->ret = gg_error_set(st->err, GG_E_INVALID, "line %zu: field %zu is longer than %d bytes", st->line,
		                       st->nfields + 1, GG_CSV_MAX_FIELD_BYTES);
		return;
	}
	if (len > 0 && memchr(field, '\0', len)) {
		st->ret = gg_error_set(st->err, GG_E_INVALID, "line %zu: field %zu holds a nul byte", st->line,
		                       st->nfields + 1);
		return;
	}
	st->offsets[st->nfields] = st->bytes.len;
	/* CSV_APPEND_NULL: libcsv put a NUL after the field, so one append copies both. */
	ret = field ? gg_buf_add(&st->bytes, field, len + 1) : gg_buf_addch(&st->bytes, '\0');
	if (ret != GG_OK) {
		st->ret = gg_error_set(st->err, ret, "line %zu: record is too large", st->line);
		return;
	}
	st->nfields++;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

static void on_record(int c, void *data)
{
	struct parse_state *st = data;
	size_t i;
	int all_blank = 1;

	(void)c;
	if (st->ret != GG_OK)
		return;
	for (i = 0; i < st->nfields; i++) {
		st->fields[i] = st->bytes.buf + st->offsets[i];
		if (!blank(st->fields[i]))
			all_blank = 0;
	}
	if (st->nfields > 0 && !all_blank)
		st->ret = st->fn(st->ctx, st->line, st->fields, st->nfields, st->err);
	st->nfields = 0;
	gg_buf_reset(&st->bytes);
}

/* Line breaks in s[0..len): LF, CRLF and a lone CR each count once. */
static size_t count_lines(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			n++;
	return n;
}

/*
 * Finds the end of the record at data[*pos] (after its terminator) and
 * advances *line past the line breaks inside it; *quote_line gets the line
 * of the last opening quote and *open whether the record ends inside quotes.
 */
static size_t scan_record(const char *data, size_t len, size_t pos, size_t *line, size_t *quote_line, int *open)
{
	int in_quotes = 0;
	char c;

	for (; pos < len; pos++) {
		c = data[pos];
		if (c == '"') {
			if (!in_quotes)
				*quote_line = *line;
			in_quotes = !in_quotes; /* "" inside quotes toggles twice */
		} else if (c == '\n' || c == '\r') {
			if (!in_quotes)
				break;
			if (c == '\n' || pos + 1 == len || data[pos + 1] != '\n')
				(*line)++;
		}
	}
	*open = in_quotes;
	if (pos < len) {
		if (data[pos] == '\r' && pos + 1 < len && data[pos + 1] == '\n')
			pos++;
		pos++;
		(*line)++;
	}
	return pos;
}

enum gg_err gg_csv_parse(const char *data, size_t len, gg_csv_row_fn fn, void *ctx, struct gg_error *err)
{
	struct csv_parser p;
	struct parse_state st;
	size_t pos = 0, line = 1, start, end, done, quote_line = 1, bad_line;
	int open = 0;

	memset(&st, 0, sizeof(st));
	st.fn = fn;
	st.ctx = ctx;
	st.err = err;
	gg_buf_init(&st.bytes, (size_t)GG_CSV_MAX_FIELDS * (GG_CSV_MAX_FIELD_BYTES + 1));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return gg_error_set(err, GG_E_NOMEM, "cannot start the csv parser");
	csv_set_space_func(&p, no_space);
	while (pos < len && st.ret == GG_OK) {
		if (data[pos] == '\n' || data[pos] == '\r') { /* empty line */
			if (data[pos] == '\r' && pos + 1 < len && data[pos + 1] == '\n')
				pos++;
			pos++;
			line++;
			continue;
		}
		start = pos;
		st.line = line;
		end = scan_record(data, len, pos, &line, &quote_line, &open);
		done = csv_parse(&p, data + start, end - start, on_field, on_record, &st);
		if (st.ret != GG_OK)
			break;
		if (done != end - start) {
			if (csv_error(&p) != CSV_EPARSE) {
				st.ret = gg_error_set(err, GG_E_NOMEM, "line %zu: out of memory", st.line);
				break;
			}
			bad_line = st.line + count_lines(data + start, done);
			if (data[start + done] == '"')
				st.ret = gg_error_set(err, GG_E_INVALID, "line %zu: quote inside an unquoted field",
				                      bad_line);
			else
				st.ret = gg_error_set(err, GG_E_INVALID,
				                      "line %zu: text after the closing quote of a field", bad_line);
			break;
		}
		pos = end;
	}
	if (st.ret == GG_OK && csv_fini(&p, on_field, on_record, &st) != 0 && st.ret == GG_OK) {
		if (open)
			st.ret = gg_error_set(err, GG_E_INVALID, "line %zu: quoted field is never closed", quote_line);
		else
			st.ret = gg_error_set(err, GG_E_INVALID, "line %zu: malformed record", st.line);
	}
	csv_free(&p);
	gg_buf_release(&st.bytes);
	return st.ret;
}

static int needs_quotes(const char *s)
{
	size_t len = strlen(s);

	if (len == 0)
		return 0;
	return s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t' || strpbrk(s, ",\"\r\n");
}

enum gg_err gg_csv_write_row(struct gg_buf *out, const char *const *fields, size_t nfields)
{
	size_t old = out->len, i;
	const char *f, *q;
	enum gg_err ret = GG_OK;

	for (i = 0; i < nfields && ret == GG_OK; i++) {
		f = fields[i] ? fields[i] : "";
		if (i > 0)
			ret = gg_buf_addch(out, ',');
		if (ret != GG_OK)
			break;
		if (!needs_quotes(f)) {
			ret = gg_buf_adds(out, f);
			continue;
		}
		ret = gg_buf_addch(out, '"');
		/* Each quote is doubled: copy up to and including it, then add one more. */
		while (ret == GG_OK && (q = strchr(f, '"'))) {
			ret = gg_buf_add(out, f, (size_t)(q - f) + 1);
			if (ret == GG_OK)
				ret = gg_buf_addch(out, '"');
			f = q + 1;
		}
		if (ret == GG_OK)
			ret = gg_buf_adds(out, f);
		if (ret == GG_OK)
			ret = gg_buf_addch(out, '"');
	}
	if (ret == GG_OK)
		ret = gg_buf_add(out, "\r\n", 2);
	if (ret != GG_OK && out->len != old) {
		out->len = old;
		out->buf[old] = '\0';
	}
	return ret;
}
