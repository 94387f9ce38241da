/*
 * import: a CSV file into the registry, in one write transaction. The
 * bytes are checked and decoded first, then gg_csv_parse hands over one
 * record at a time: the first is the header (mapped to the column table
 * of export.h), each further one a row. A row becomes a struct
 * gg_talent_input or gg_org_input (vocabulary labels turned into tokens,
 * multi-values split, the organisation resolved), is validated by the
 * owner's rules, matched with an existing record and written through
 * gg_talent_write_tx / gg_org_write_tx, which write nothing when nothing
 * changed. Every problem is kept as (line, column header, reason). In the
 * default all-or-nothing mode the first invalid row stops the writing (the
 * rest is still checked, to report every problem) and the transaction is
 * rolled back; with skip_invalid each row is written under a savepoint so
 * that a row whose write fails leaves nothing behind.
 */
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/chinese.h"
#include "../core/csv.h"
#include "../core/text.h"
#include "ident.h"
#include "org.h"
#include "talent.h"
#include "vocabulary.h"

#define CELL_COPY_MAX  (GG_CSV_MAX_FIELD_BYTES + 1)
#define LIST_MAX       GG_TALENT_LIST_MAX
#define PROGRESS_EVERY 1000
#define REASON_MAX     512

static const char xlsx_advice[] = "xlsx files are not imported: save the sheet as CSV (UTF-8) and upload that";
static const char xls_advice[] = "xls files are not imported: save the sheet as CSV (UTF-8) and upload that";

/* Ids written by this import, with the line that wrote them (a row must not repeat an earlier one). */
struct idmap {
	int64_t *keys;
	size_t *lines;
	size_t cap, n;
};

static void idmap_free(struct idmap *m)
{
	free(m->keys);
	free(m->lines);
	memset(m, 0, sizeof(*m));
}

static size_t idmap_slot(const struct idmap *m, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h >> 17) & (m->cap - 1);

	while (m->keys[i] != 0 && m->keys[i] != id)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The line that wrote id, or 0. */
static size_t idmap_get(const struct idmap *m, int64_t id)
{
	size_t i;

	if (m->cap == 0)
		return 0;
	i = idmap_slot(m, id);
	return m->keys[i] == id ? m->lines[i] : 0;
}

static enum gg_err idmap_put(struct idmap *m, int64_t id, size_t line)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct idmap bigger = {0};
		bigger.cap = m->cap ? 2 * m->cap : 1024;
		bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
		bigger.lines = calloc(bigger.cap, sizeof(*bigger.lines));
		if (!bigger.keys || !bigger.lines) {
			idmap_free(&bigger);
			return GG_E_NOMEM;
		}
		for (i = 0; i < m->cap; i++) {
			if (m->keys[i]) {
				size_t j = idmap_slot(&bigger, m->keys[i]);
				bigger.keys[j] = m->keys[i];
				bigger.lines[j] = m->lines[i];
				bigger.n++;
			}
		}
		idmap_free(m);
		*m = bigger;
	}
	i = idmap_slot(m, id);
	if (m->keys[i] == 0)
		m->n++;
	m->keys[i] = id;
	m->lines[i] = line;
	return GG_OK;
}

struct ctx {
	struct gg_db *db;
	const struct gg_import_options *opt;
	struct gg_import_result *res;
	struct gg_vocabulary *vocab;
	const struct gg_export_column *cols;
	size_t ncols;
	int header_seen;
	int header_bad; /* the header's problems are in the result already */
	size_t nheader;
	int table_col[GG_CSV_MAX_FIELDS]; /* file column -> table column, -1: a column without a header */
	int file_col[GG_TCOL__COUNT];     /* table column -> file column, -1: absent */
	char *header[GG_CSV_MAX_FIELDS];  /* the header cells as written (trimmed) */
	int writing;                      /* 0 once a row failed in all-or-nothing mode */
	size_t total_lines;
	size_t line;                 /* the row being read */
	int row_invalid;             /* the row has an error */
	char *cells[GG_TCOL__COUNT]; /* the row's trimmed cells by table column; NULL: absent or empty */
	struct gg_buf cellmem;
	struct idmap touched;
	struct gg_error fatal; /* a failure that stops the whole import */
};

/* Adds an error to the result (copies column and reason); GG_E_NOMEM only when memory runs out. */
static enum gg_err add_error(struct gg_import_result *res, size_t line, const char *column, const char *reason)
{
	struct gg_import_error *e;

	if (res->nerrors >= GG_IMPORT_ERRORS_MAX) {
		res->errors_dropped++;
		return GG_OK;
	}
	if (res->nerrors == res->errors_alloc) {
		size_t cap = res->errors_alloc ? 2 * res->errors_alloc : 16;
		e = realloc(res->errors, cap * sizeof(*e));
		if (!e)
			return GG_E_NOMEM;
		res->errors = e;
		res->errors_alloc = cap;
	}
	e = &res->errors[res->nerrors];
	e->line = line;
	e->column = strdup(column ? column : "");
	e->reason = strdup(reason ? reason : "");
	if (!e->column || !e->reason) {
		free(e->column);
		free(e->reason);
		return GG_E_NOMEM;
	}
	res->nerrors++;
	return GG_OK;
}

/* The header of table column col as the file writes it ("" when col < 0 or absent). */
static const char *col_header(const struct ctx *c, int col)
{
	if (col < 0 || col >= (int)c->ncols || c->file_col[col] < 0)
		return "";
	return c->header[c->file_col[col]];
}

/* A problem of the current row at table column col (-1: the row as a whole). */
static void row_error(struct ctx *c, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void row_error(struct ctx *c, int col, const char *fmt, ...)
{
	char reason[REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	c->row_invalid = 1;
	if (add_error(c->res, c->line, col_header(c, col), reason) != GG_OK && c->fatal.code == GG_OK)
		gg_error_set(&c->fatal, GG_E_NOMEM, NULL);
}

/* The field errors of a validation or write, each at its column. */
static void row_errors_from(struct ctx *c, const struct gg_error *e, int fallback_col)
{
	size_t i;
	int col;

	if (e->nfields == 0) {
		row_error(c, fallback_col, "%s", gg_error_message(e));
		return;
	}
	for (i = 0; i < e->nfields && i < GG_ERROR_FIELDS_MAX; i++) {
		col = gg_export_column_of_field(c->opt->sheet, e->fields[i].field);
		row_error(c, col >= 0 ? col : fallback_col, "%s", e->fields[i].message);
	}
}

/* A row's write failed for the row's own reasons (not the database's). */
static int row_level(enum gg_err rc)
{
	return rc == GG_E_INVALID || rc == GG_E_DUPLICATE || rc == GG_E_CONFLICT || rc == GG_E_NOT_FOUND ||
	       rc == GG_E_STALE || rc == GG_E_BAD_UTF8 || rc == GG_E_MISSING_FIELD || rc == GG_E_WRONG_TYPE ||
	       rc == GG_E_TOO_LARGE;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Trimmed copy of s into c->cellmem; NULL when s is empty after trimming. */
static const char *keep_trimmed(struct ctx *c, const char *s, size_t *offset, int *ok)
{
	const char *end;

	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	if (end == s)
		return NULL;
	*offset = c->cellmem.len;
	if (gg_buf_add(&c->cellmem, s, (size_t)(end - s)) != GG_OK || gg_buf_addch(&c->cellmem, '\0') != GG_OK)
		*ok = 0;
	return s;
}

/*
 * Splits a multi-value cell on ';' (also the full-width '；') into items,
 * trimmed, empty ones dropped. copy is a writable copy of the cell. -1
 * when there are more than max items.
 */
static int split_list(char *copy, const char **items, size_t max)
{
	char *p, *item, *end;
	size_t n = 0;

	/* '；' is EF BC 9B: turned into ';' and two spaces that the trimming drops. */
	while ((p = strstr(copy, "\xEF\xBC\x9B")) != NULL) {
		p[0] = ';';
		p[1] = ' ';
		p[2] = ' ';
	}
	item = copy;
	for (;;) {
		p = strchr(item, ';');
		if (p)
			*p = '\0';
		while (is_blank(*item))
			item++;
		end = item + strlen(item);
		while (end > item && is_blank(end[-1]))
			*--end = '\0';
		if (*item) {
			if (n == max)
				return -1;
			items[n++] = item;
		}
		if (!p)
			break;
		item = p + 1;
	}
	return (int)n;
}

/* Has the file this column (even if the row's cell is empty)? */
static int present(const struct ctx *c, int col)
{
	return c->file_col[col] >= 0;
}

/* Parses a verified cell; -1 when it is not a yes or no. */
static int parse_bool(const char *s)
{
	static const char *const yes[] = {"true", "yes", "1", "是", "已核实", "y"};
	static const char *const no[] = {"false", "no", "0", "否", "未核实", "n"};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* A fixed-list cell (gender, status, document type, honour) to its token; reports unknown values. */
static const char *vocab_cell(struct ctx *c, int col, enum gg_vocab_list list, const char *value)
{
	const char *token = gg_vocab_lookup(list, value);
	const struct gg_vocab_item *items;
	char allowed[256] = "";
	size_t n, i, used = 0;

	if (token)
		return token;
	items = gg_vocab_items(list, &n);
	for (i = 0; items && i < n && used < sizeof(allowed); i++)
		used += (size_t)snprintf(allowed + used, sizeof(allowed) - used, "%s%s", i ? ", " : "", items[i].token);
	row_error(c, col, "unknown %s '%.100s' (one of: %s)", gg_vocab_list_noun(list), value, allowed);
	return NULL;
}

static enum gg_err savepoint(struct ctx *c, const char *sql)
{
	if (!c->opt->skip_invalid)
		return GG_OK;
	return gg_db_exec(c->db, sql, &c->fatal);
}

/* A row matched id: refuses a second row of the file for the same record. */
static int repeats_earlier(struct ctx *c, int64_t id, int col)
{
	size_t earlier = idmap_get(&c->touched, id);

	if (earlier == 0)
		return 0;
	row_error(c, col, "this row is the same record as line %zu of the file", earlier);
	return 1;
}

/*
 * The organisation of a talent row: by credit code when given, else by
 * exact name. *set 0 when the file has neither column.
 */
static void resolve_org(struct ctx *c, int *set, int64_t *org_id)
{
	const char *uscc = c->cells[GG_TCOL_ORG_USCC], *name = c->cells[GG_TCOL_ORG_NAME], *why;
	struct gg_error e;
	int found = 0;

	*set = present(c, GG_TCOL_ORG_USCC) || present(c, GG_TCOL_ORG_NAME);
	*org_id = 0;
	gg_error_init(&e);
	if (uscc) {
		if ((why = gg_ident_excel_damaged(uscc)) != NULL) {
			row_error(c, GG_TCOL_ORG_USCC, "%s", why);
			return;
		}
		if (gg_org_find_by_uscc(c->db, uscc, org_id, &found, &e) != GG_OK) {
			if (c->fatal.code == GG_OK)
				c->fatal = e;
			return;
		}
		if (!found)
			row_error(c, GG_TCOL_ORG_USCC,
			          "no organisation has credit code '%.40s' (import the organisations first)", uscc);
		return;
	}
	if (!name)
		return;
	if (gg_org_find_by_name(c->db, name, org_id, &found, &e) != GG_OK) {
		if (c->fatal.code == GG_OK)
			c->fatal = e;
		return;
	}
	if (found == 0)
		row_error(c, GG_TCOL_ORG_NAME, "no organisation is named '%.200s' (import the organisations first)",
		          name);
	else if (found > 1)
		row_error(c, GG_TCOL_ORG_NAME,
		          "more than one organisation is named '%.200s': give its credit code in column '%s'", name,
		          present(c, GG_TCOL_ORG_USCC) ? col_header(c, GG_TCOL_ORG_USCC)
		                                       : c->cols[GG_TCOL_ORG_USCC].zh);
}

/* Exactly one talent with this name, birth date and organisation (without a document when has_doc): its id, else 0. */
static enum gg_err match_person(struct ctx *c, const struct gg_talent_input *in, int has_doc, int64_t *id)
{
	char sql[256];
	struct gg_buf name;
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0, idx = 1;

	*id = 0;
	gg_buf_init(&name, 4 * GG_TALENT_NAME_MAX + 16);
	rc = gg_text_nfkc(in->name, &name);
	if (rc != GG_OK) {
		gg_buf_release(&name);
		return GG_OK; /* not a name the write would take: nothing matches */
	}
	snprintf(sql, sizeof(sql),
	         "SELECT id FROM talents WHERE name = ? AND merged_into IS NULL AND birth_date %s AND org_id %s%s "
	         "ORDER BY id LIMIT 2",
	         in->set_birth_date && in->birth_date ? "= ?" : "IS NULL",
	         in->set_org && in->org_id ? "= ?" : "IS NULL", has_doc ? " AND doc_index IS NULL" : "");
	rc = gg_db_prepare(c->db, sql, &st, &c->fatal);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, idx++, name.buf);
	if (rc == GG_OK && in->set_birth_date && in->birth_date)
		rc = gg_db_bind_text(st, idx++, in->birth_date);
	if (rc == GG_OK && in->set_org && in->org_id)
		rc = gg_db_bind_i64(st, idx++, in->org_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, &c->fatal);
	if (rc == GG_OK && row) {
		*id = gg_db_col_i64(st, 0);
		rc = gg_db_step(st, &row, &c->fatal);
		if (rc == GG_OK && row)
			*id = 0; /* two: no match */
	}
	gg_db_done(st);
	gg_buf_release(&name);
	if (rc != GG_OK && c->fatal.code == GG_OK)
		gg_error_set(&c->fatal, rc, NULL);
	return rc;
}

/*
 * How each kind of record is written (inside the import's transaction):
 * *created / *updated say what the write did when it succeeds.
 */
static enum gg_err talent_write(struct ctx *c, int64_t id, const void *in, int64_t *id_out, int *created, int *updated,
                                struct gg_error *err)
{
	enum gg_talent_outcome outcome = GG_TALENT_UNCHANGED;
	enum gg_err rc = gg_talent_write_tx(c->db, c->opt->keys, c->opt->actor, id, in, 0, id_out, &outcome, err);

	*created = outcome == GG_TALENT_CREATED;
	*updated = outcome == GG_TALENT_UPDATED;
	return rc;
}

static enum gg_err org_write(struct ctx *c, int64_t id, const void *in, int64_t *id_out, int *created, int *updated,
                             struct gg_error *err)
{
	enum gg_org_outcome outcome = GG_ORG_UNCHANGED;
	enum gg_err rc = gg_org_write_tx(c->db, c->opt->keys, c->opt->actor, id, in, 0, id_out, &outcome, err);

	*created = outcome == GG_ORG_CREATED;
	*updated = outcome == GG_ORG_UPDATED;
	return rc;
}

/*
 * Writes a checked row (record id, 0 for a new one) under the import's
 * rules: in a savepoint, a row-level refusal becomes the row's errors (and
 * stops the writing unless invalid rows are skipped), anything else is
 * fatal; the outcome is counted.
 */
static void write_row(struct ctx *c,
                      enum gg_err (*write)(struct ctx *c, int64_t id, const void *in, int64_t *id_out, int *created,
                                           int *updated, struct gg_error *err),
                      int64_t id, const void *in)
{
	struct gg_error e;
	int64_t id_out = 0;
	int created = 0, updated = 0;
	enum gg_err rc;

	if (savepoint(c, "SAVEPOINT gg_import_row") != GG_OK)
		return;
	gg_error_init(&e);
	rc = write(c, id, in, &id_out, &created, &updated, &e);
	if (rc != GG_OK) {
		if (!row_level(rc)) {
			c->fatal = e;
			c->fatal.code = rc;
			return;
		}
		row_errors_from(c, &e, -1);
		if (savepoint(c, "ROLLBACK TO SAVEPOINT gg_import_row") != GG_OK ||
		    savepoint(c, "RELEASE SAVEPOINT gg_import_row") != GG_OK)
			return;
		if (!c->opt->skip_invalid)
			c->writing = 0;
		return;
	}
	if (savepoint(c, "RELEASE SAVEPOINT gg_import_row") != GG_OK)
		return;
	if (idmap_put(&c->touched, id_out, c->line) != GG_OK) {
		gg_error_set(&c->fatal, GG_E_NOMEM, NULL);
		return;
	}
	if (created)
		c->res->created++;
	else if (updated)
		c->res->updated++;
	else
		c->res->unchanged++;
}

static void talent_row(struct ctx *c)
{
	struct gg_talent_input in;
	struct gg_talent_honour honours[LIST_MAX];
	const char *fields[LIST_MAX], *keywords[LIST_MAX], *segments[LIST_MAX], *items[LIST_MAX];
	char *const *v = c->cells;
	const char *why, *token;
	struct gg_error e;
	int64_t id = 0;
	int n, i, found = 0, by_doc = 0;
	long long year;
	enum gg_err rc;

	memset(&in, 0, sizeof(in));
	gg_error_init(&e);
	in.set_name = present(c, GG_TCOL_NAME);
	in.name = v[GG_TCOL_NAME];
	in.set_latin_name = present(c, GG_TCOL_LATIN_NAME);
	in.latin_name = v[GG_TCOL_LATIN_NAME];
	if (present(c, GG_TCOL_GENDER)) {
		in.set_gender = 1;
		if (v[GG_TCOL_GENDER] &&
		    !(in.gender = vocab_cell(c, GG_TCOL_GENDER, GG_VOCAB_GENDER, v[GG_TCOL_GENDER])))
			in.set_gender = 0;
	}
	in.set_birth_date = present(c, GG_TCOL_BIRTH_DATE);
	in.birth_date = v[GG_TCOL_BIRTH_DATE];
	in.set_nationality = present(c, GG_TCOL_NATIONALITY);
	in.nationality = v[GG_TCOL_NATIONALITY];

	if (present(c, GG_TCOL_DOC_TYPE) || present(c, GG_TCOL_DOC_NUMBER)) {
		in.set_document = 1;
		in.doc_number = v[GG_TCOL_DOC_NUMBER];
		in.doc_type = v[GG_TCOL_DOC_TYPE]
		                  ? vocab_cell(c, GG_TCOL_DOC_TYPE, GG_VOCAB_DOC_TYPE, v[GG_TCOL_DOC_TYPE])
		                  : (in.doc_number ? "resident_id" : NULL);
		if (v[GG_TCOL_DOC_TYPE] && !in.doc_type) {
			in.set_document = 0;
		} else if (in.doc_type && !in.doc_number) {
			row_error(c, GG_TCOL_DOC_NUMBER, "a document type is given without its number");
			in.set_document = 0;
		} else if (in.doc_number && strcmp(in.doc_type, "resident_id") == 0 &&
		           (why = gg_ident_excel_damaged(in.doc_number)) != NULL) {
			row_error(c, GG_TCOL_DOC_NUMBER, "%s", why);
			in.set_document = 0;
		}
	}
	in.set_phone = present(c, GG_TCOL_PHONE);
	in.phone = v[GG_TCOL_PHONE];
	in.set_email = present(c, GG_TCOL_EMAIL);
	in.email = v[GG_TCOL_EMAIL];
	in.set_title = present(c, GG_TCOL_TITLE);
	in.title = v[GG_TCOL_TITLE];
	in.set_city = present(c, GG_TCOL_CITY);
	in.city = v[GG_TCOL_CITY];
	in.set_notes = present(c, GG_TCOL_NOTES);
	in.notes = v[GG_TCOL_NOTES];

	if (present(c, GG_TCOL_FIELDS)) {
		n = v[GG_TCOL_FIELDS] ? split_list(v[GG_TCOL_FIELDS], fields, LIST_MAX) : 0;
		if (n < 0)
			row_error(c, GG_TCOL_FIELDS, "at most %d research fields are allowed", LIST_MAX);
		in.set_fields = n >= 0;
		in.fields = fields;
		in.nfields = n > 0 ? (size_t)n : 0;
	}
	if (present(c, GG_TCOL_KEYWORDS)) {
		n = v[GG_TCOL_KEYWORDS] ? split_list(v[GG_TCOL_KEYWORDS], keywords, LIST_MAX) : 0;
		if (n < 0)
			row_error(c, GG_TCOL_KEYWORDS, "at most %d keywords are allowed", LIST_MAX);
		in.set_keywords = n >= 0;
		in.keywords = keywords;
		in.nkeywords = n > 0 ? (size_t)n : 0;
	}
	if (present(c, GG_TCOL_SEGMENTS)) {
		n = v[GG_TCOL_SEGMENTS] ? split_list(v[GG_TCOL_SEGMENTS], items, LIST_MAX) : 0;
		in.set_segments = 1;
		if (n < 0) {
			row_error(c, GG_TCOL_SEGMENTS, "at most %d segments are allowed", LIST_MAX);
			in.set_segments = 0;
		}
		for (i = 0; i < n; i++) {
			token = gg_vocab_find_segment(c->vocab, items[i]);
			if (!token) {
				row_error(c, GG_TCOL_SEGMENTS, "unknown industry-chain segment '%.100s'", items[i]);
				in.set_segments = 0;
			}
			segments[i] = token;
		}
		in.segments = segments;
		in.nsegments = n > 0 ? (size_t)n : 0;
	}
	if (present(c, GG_TCOL_HONOURS)) {
		n = v[GG_TCOL_HONOURS] ? split_list(v[GG_TCOL_HONOURS], items, LIST_MAX) : 0;
		in.set_honours = 1;
		if (n < 0) {
			row_error(c, GG_TCOL_HONOURS, "at most %d honours are allowed", LIST_MAX);
			in.set_honours = 0;
		}
		for (i = 0; i < n; i++) {
			char *colon = strrchr(items[i], ':');
			year = 0;
			honours[i].year = 0;
			if (colon) {
				*colon = '\0';
				if (gg_parse_i64(colon + 1, 1900, 2100, &year) != GG_OK) {
					row_error(c, GG_TCOL_HONOURS,
					          "honour year '%.20s' must be a year from 1900 to 2100", colon + 1);
					in.set_honours = 0;
				}
				honours[i].year = (int)year;
			}
			honours[i].kind = vocab_cell(c, GG_TCOL_HONOURS, GG_VOCAB_HONOUR, items[i]);
			if (!honours[i].kind)
				in.set_honours = 0;
		}
		in.honours = honours;
		in.nhonours = n > 0 ? (size_t)n : 0;
	}
	if (present(c, GG_TCOL_TIER)) {
		in.set_tier = 1;
		if (v[GG_TCOL_TIER] && !(in.tier = gg_vocab_find_tier(c->vocab, v[GG_TCOL_TIER]))) {
			row_error(c, GG_TCOL_TIER, "unknown tier '%.100s'", v[GG_TCOL_TIER]);
			in.set_tier = 0;
		}
	}
	if (present(c, GG_TCOL_STATUS) && v[GG_TCOL_STATUS]) {
		in.set_status = 1;
		if (!(in.status = vocab_cell(c, GG_TCOL_STATUS, GG_VOCAB_STATUS, v[GG_TCOL_STATUS])))
			in.set_status = 0;
	}
	resolve_org(c, &in.set_org, &in.org_id);
	if (c->fatal.code != GG_OK)
		return;

	if (gg_talent_validate(&in, &e) != GG_OK)
		row_errors_from(c, &e, -1);
	if (c->row_invalid)
		return;

	/* The record this row is: by document, else by name, birth date and organisation. */
	if (in.set_document && in.doc_number) {
		gg_error_init(&e);
		rc = gg_talent_find_by_doc(c->db, c->opt->keys, in.doc_type, in.doc_number, &id, &found, &e);
		if (rc != GG_OK) {
			c->fatal = e;
			return;
		}
		by_doc = found;
	}
	if (!found && match_person(c, &in, in.set_document && in.doc_number, &id) != GG_OK)
		return;
	if (id && repeats_earlier(c, id, by_doc ? GG_TCOL_DOC_NUMBER : GG_TCOL_NAME))
		return;
	if (!c->writing)
		return;

	write_row(c, talent_write, id, &in);
}

/* The credit code of organisation id (copied into out; "" when none). */
static enum gg_err org_uscc_of(struct ctx *c, int64_t id, char *out, size_t outsz)
{
	struct gg_stmt *st = NULL;
	const char *t;
	enum gg_err rc;
	int row = 0;

	out[0] = '\0';
	rc = gg_db_prepare(c->db, "SELECT uscc FROM orgs WHERE id = ?", &st, &c->fatal);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, &c->fatal);
	if (rc == GG_OK && row && (t = gg_db_col_text(st, 0)) != NULL)
		gg_strlcpy(out, t, outsz);
	gg_db_done(st);
	if (rc != GG_OK && c->fatal.code == GG_OK)
		gg_error_set(&c->fatal, rc, NULL);
	return rc;
}

static void org_row(struct ctx *c)
{
	struct gg_org_input in;
	const char *segments[GG_ORG_SEGMENTS_MAX];
	char *const *v = c->cells;
	char norm[GG_IDENT_BUF], other[64];
	const char *why;
	struct gg_error e;
	int64_t id = 0;
	int n, found = 0, b;

	memset(&in, 0, sizeof(in));
	gg_error_init(&e);
	in.set_name = present(c, GG_OCOL_NAME);
	in.name = v[GG_OCOL_NAME];
	if (present(c, GG_OCOL_USCC)) {
		in.set_uscc = 1;
		in.uscc = v[GG_OCOL_USCC];
		if (in.uscc && (why = gg_ident_excel_damaged(in.uscc)) != NULL) {
			row_error(c, GG_OCOL_USCC, "%s", why);
			in.set_uscc = 0;
		}
	}
	in.set_kind = present(c, GG_OCOL_KIND) && v[GG_OCOL_KIND];
	in.kind = v[GG_OCOL_KIND];
	in.set_park = present(c, GG_OCOL_PARK);
	in.park = v[GG_OCOL_PARK];
	if (present(c, GG_OCOL_SEGMENTS)) {
		n = v[GG_OCOL_SEGMENTS] ? split_list(v[GG_OCOL_SEGMENTS], segments, GG_ORG_SEGMENTS_MAX) : 0;
		if (n < 0)
			row_error(c, GG_OCOL_SEGMENTS, "at most %d segments are allowed", GG_ORG_SEGMENTS_MAX);
		in.set_segments = n >= 0;
		in.segments = segments;
		in.nsegments = n > 0 ? (size_t)n : 0;
	}
	if (present(c, GG_OCOL_VERIFIED) && v[GG_OCOL_VERIFIED]) {
		b = parse_bool(v[GG_OCOL_VERIFIED]);
		if (b < 0)
			row_error(c, GG_OCOL_VERIFIED, "verified must be true or false, not '%.40s'",
			          v[GG_OCOL_VERIFIED]);
		in.set_verified = b >= 0;
		in.verified = b > 0;
	}

	/* The record: by credit code, else by exact name (one that has no other credit code). */
	if (in.set_uscc && in.uscc && gg_ident_check_uscc(in.uscc, NULL, &e) == GG_OK) {
		if (gg_org_find_by_uscc(c->db, in.uscc, &id, &found, &e) != GG_OK) {
			c->fatal = e;
			return;
		}
	}
	gg_error_init(&e);
	if (!found && in.name) {
		if (gg_org_find_by_name(c->db, in.name, &id, &found, &e) != GG_OK) {
			c->fatal = e;
			return;
		}
		if (found > 1 && !(in.set_uscc && in.uscc)) {
			row_error(c, GG_OCOL_NAME, "more than one organisation is named '%.200s': give its credit code",
			          in.name);
			return;
		}
		if (found == 1) {
			if (org_uscc_of(c, id, other, sizeof(other)) != GG_OK)
				return;
			gg_ident_normalise(in.set_uscc && in.uscc ? in.uscc : "", norm);
			if (other[0] && norm[0] && strcmp(other, norm) != 0)
				id = 0; /* a namesake with another credit code: a different organisation */
		} else {
			id = 0;
		}
	}
	gg_error_init(&e);
	if (gg_org_validate(&in, id == 0, &e) != GG_OK)
		row_errors_from(c, &e, -1);
	if (c->row_invalid)
		return;
	if (id && repeats_earlier(c, id, in.set_uscc && in.uscc ? GG_OCOL_USCC : GG_OCOL_NAME))
		return;
	if (!c->writing)
		return;

	write_row(c, org_write, id, &in);
}

/* The header row: every cell names a column once, the required ones are there. */
static enum gg_err read_header(struct ctx *c, const char *const *fields, size_t nfields, struct gg_error *err)
{
	size_t i, zh = 0, en = 0, off;
	int col, ok = 1, bad = 0;
	char msg[GG_ERROR_MSG_MAX] = "", part[160];
	const char *t;

	c->nheader = nfields;
	for (i = 0; i < c->ncols; i++)
		c->file_col[i] = -1;
	for (i = 0; i < nfields; i++) {
		t = keep_trimmed(c, fields[i], &off, &ok);
		c->header[i] = strdup(t ? c->cellmem.buf + off : "");
		if (!c->header[i] || !ok)
			return gg_error_set(err, GG_E_NOMEM, NULL);
		c->table_col[i] = -1;
		if (!t)
			continue; /* a column without a header (Excel pads rows): its cells must be empty */
		col = gg_export_column_find(c->opt->sheet, c->header[i]);
		if (col < 0) {
			snprintf(part, sizeof(part), "unknown column '%.60s'", c->header[i]);
			add_error(c->res, c->line, c->header[i], "unknown column");
			bad = 1;
		} else if (c->file_col[col] >= 0) {
			snprintf(part, sizeof(part), "column '%.60s' appears twice", c->header[i]);
			add_error(c->res, c->line, c->header[i], "the column appears twice");
			bad = 1;
		} else {
			c->file_col[col] = (int)i;
			c->table_col[i] = col;
			if (strcmp(c->header[i], c->cols[col].zh) == 0)
				zh++;
			else
				en++;
			continue;
		}
		if (strlen(msg) + strlen(part) + 3 < sizeof(msg))
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "%s%s", msg[0] ? "; " : "", part);
	}
	c->res->lang = en > zh ? GG_EXPORT_EN : GG_EXPORT_ZH;
	for (i = 0; i < c->ncols; i++) {
		if (!c->cols[i].required || c->file_col[i] >= 0)
			continue;
		t = c->res->lang == GG_EXPORT_EN ? c->cols[i].en : c->cols[i].zh;
		snprintf(part, sizeof(part), "missing column '%s' (%s)", t,
		         c->res->lang == GG_EXPORT_EN ? c->cols[i].zh : c->cols[i].en);
		add_error(c->res, c->line, t, "missing required column");
		bad = 1;
		if (strlen(msg) + strlen(part) + 3 < sizeof(msg))
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg), "%s%s", msg[0] ? "; " : "", part);
	}
	gg_buf_reset(&c->cellmem);
	c->header_bad = bad;
	if (bad)
		return gg_error_set(err, GG_E_INVALID, "the header row is wrong: %s", msg);
	return GG_OK;
}

static enum gg_err on_record(void *ctx, size_t line, const char *const *fields, size_t nfields, struct gg_error *err)
{
	struct ctx *c = ctx;
	size_t i, offs[GG_TCOL__COUNT], unused;
	int has[GG_TCOL__COUNT];
	const char *t;
	int col, ok = 1, empty = 1;

	c->line = line;
	if (!c->header_seen) {
		c->header_seen = 1;
		return read_header(c, fields, nfields, err);
	}
	for (i = 0; i < nfields && empty; i++) {
		for (t = fields[i]; *t && empty; t++)
			empty = is_blank(*t);
	}
	if (empty)
		return GG_OK; /* a row of empty cells, as spreadsheets leave at the end */
	c->res->rows++;
	if (c->opt->max_rows > 0 && c->res->rows > c->opt->max_rows)
		return gg_error_set(err, GG_E_TOO_LARGE, "the file has more than %lld rows (max_import_rows)",
		                    (long long)c->opt->max_rows);
	if (c->opt->progress && c->res->rows % PROGRESS_EVERY == 0)
		c->opt->progress(c->opt->progress_ctx, line, c->total_lines);

	c->row_invalid = 0;
	gg_buf_reset(&c->cellmem);
	memset(offs, 0, sizeof(offs));
	memset(has, 0, sizeof(has));
	for (i = 0; i < nfields || i < c->nheader; i++) {
		col = i < c->nheader ? c->table_col[i] : -1;
		if (i >= nfields) {
			if (col >= 0) {
				row_error(c, -1, "the row has %zu cells, the header %zu (is the file cut short?)",
				          nfields, c->nheader);
				break;
			}
			continue;
		}
		t = keep_trimmed(c, fields[i], col >= 0 ? &offs[col] : &unused, &ok);
		if (col < 0) {
			if (t)
				row_error(c, -1, "cell %zu has a value but its column has no header", i + 1);
			continue;
		}
		has[col] = t != NULL;
	}
	if (!ok)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	/* The cells point into cellmem once it has stopped growing. */
	for (i = 0; i < c->ncols; i++)
		c->cells[i] = has[i] ? c->cellmem.buf + offs[i] : NULL;
	if (!c->row_invalid) {
		if (c->opt->sheet == GG_EXPORT_ORGS)
			org_row(c);
		else
			talent_row(c);
	}
	if (c->row_invalid) {
		c->res->invalid++;
		if (!c->opt->skip_invalid)
			c->writing = 0;
	}
	if (c->fatal.code != GG_OK) {
		*err = c->fatal;
		return c->fatal.code;
	}
	return GG_OK;
}

/* Valid UTF-8 without NUL bytes up to a last, incomplete character: a file cut short. */
static int utf8_cut_short(const char *data, size_t len)
{
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		n = gg_utf8_next(data + i, len - i, &cp);
		if (n == 0)
			break;
		if (cp == 0)
			return 0;
		i += n;
	}
	return i < len && len - i < 4 && ((unsigned char)data[i] & 0xC0) == 0xC0;
}

/* The file's text as UTF-8 without a BOM: *text points into data or conv. */
static enum gg_err decode(const char *data, size_t len, struct gg_buf *conv, const char **text, size_t *tlen,
                          struct gg_error *err)
{
	enum gg_encoding enc;
	enum gg_err rc;

	if (len == 0)
		return gg_error_set(err, GG_E_INVALID, "the file is empty");
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		return gg_error_set(err, GG_E_MEDIA_TYPE, "%s", xlsx_advice);
	if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return gg_error_set(err, GG_E_MEDIA_TYPE, "%s", xls_advice);
	enc = gg_chinese_detect(data, len);
	switch (enc) {
	case GG_ENC_UTF8_BOM:
		*text = data + 3;
		*tlen = len - 3;
		return GG_OK;
	case GG_ENC_UTF8:
		*text = data;
		*tlen = len;
		return GG_OK;
	case GG_ENC_GB18030:
		rc = gg_chinese_from_gb18030(data, len, conv, err);
		if (rc != GG_OK)
			return rc;
		*text = conv->buf;
		*tlen = conv->len;
		if (*tlen >= 3 && memcmp(*text, "\xEF\xBB\xBF", 3) == 0) {
			*text += 3;
			*tlen -= 3;
		}
		return GG_OK;
	case GG_ENC_BINARY:
		break;
	}
	if (utf8_cut_short(data, len))
		return gg_error_set(err, GG_E_INVALID, "the file ends inside a character: it looks cut short");
	return gg_error_set(err, GG_E_INVALID, "file is not text (binary or unknown encoding)");
}

/* "line 7: unterminated quoted field" -> 7; 0 when the message names no line. */
static size_t message_line(const char *msg)
{
	unsigned long long n = 0;

	if (sscanf(msg, "line %llu:", &n) == 1)
		return (size_t)n;
	return 0;
}

void gg_import_result_init(struct gg_import_result *res)
{
	memset(res, 0, sizeof(*res));
}

void gg_import_result_release(struct gg_import_result *res)
{
	size_t i;

	for (i = 0; i < res->nerrors; i++) {
		free(res->errors[i].column);
		free(res->errors[i].reason);
	}
	free(res->errors);
	memset(res, 0, sizeof(*res));
}

static size_t count_lines(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return len && text[len - 1] != '\n' ? n + 1 : n;
}

enum gg_err gg_import_run(struct gg_db *db, const struct gg_import_options *opt, const char *data, size_t len,
                          struct gg_import_result *res, struct gg_error *err)
{
	struct ctx *c;
	struct gg_buf conv;
	const char *text = NULL;
	size_t tlen = 0, i;
	int in_tx = 0;
	enum gg_err rc;

	gg_import_result_release(res);
	gg_buf_init(&conv, 2 * len + 16);
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	c->db = db;
	c->opt = opt;
	c->res = res;
	c->cols = gg_export_columns(opt->sheet, &c->ncols);
	c->writing = 1;
	gg_error_init(&c->fatal);
	gg_buf_init(&c->cellmem, GG_CSV_MAX_FIELDS * (size_t)CELL_COPY_MAX);

	rc = decode(data, len, &conv, &text, &tlen, err);
	if (rc != GG_OK)
		goto out;
	c->total_lines = count_lines(text, tlen);
	rc = gg_vocab_load(db, &c->vocab, err);
	if (rc != GG_OK)
		goto out;
	rc = gg_db_begin(db, GG_DB_WRITE, err);
	if (rc != GG_OK)
		goto out;
	in_tx = 1;
	rc = gg_csv_parse(text, tlen, on_record, c, err);
	if (rc == GG_OK && !c->header_seen)
		rc = gg_error_set(err, GG_E_INVALID, "the file has no header row");
	if (rc != GG_OK)
		goto out;
	if (opt->progress)
		opt->progress(opt->progress_ctx, c->total_lines, c->total_lines);
	if (res->invalid > 0 && !opt->skip_invalid) {
		rc = gg_error_set(err, GG_E_RULE, "%lld of %lld rows are invalid: nothing was imported",
		                  (long long)res->invalid, (long long)res->rows);
		goto out;
	}
	rc = gg_db_commit(db, err);
	if (rc != GG_OK)
		goto out;
	in_tx = 0;
	res->written = 1;
out:
	if (in_tx)
		gg_db_rollback(db);
	if (rc != GG_OK) {
		/* Nothing was written: no row counts as created, updated or unchanged. */
		res->created = res->updated = res->unchanged = 0;
		res->written = 0;
		/* A problem of the whole file is part of the report too (the header's are there already). */
		if (rc != GG_E_RULE && !(c && c->header_bad))
			add_error(res, message_line(gg_error_message(err)), "", gg_error_message(err));
	}
	if (c) {
		for (i = 0; i < c->nheader; i++)
			free(c->header[i]);
		gg_vocab_free(c->vocab);
		idmap_free(&c->touched);
		gg_buf_release(&c->cellmem);
		free(c);
	}
	gg_buf_release(&conv);
	return rc;
}

enum gg_err gg_import_report_csv(const struct gg_import_result *res, struct gg_buf *out)
{
	static const char *const head_zh[] = {"行号", "列", "原因"};
	static const char *const head_en[] = {"line", "column", "reason"};
	const char *cells[3];
	char line[32], more[64];
	enum gg_err rc;
	size_t i;

	gg_buf_reset(out);
	rc = gg_buf_adds(out, "\xEF\xBB\xBF");
	if (rc == GG_OK)
		rc = gg_csv_write_row(out, res->lang == GG_EXPORT_EN ? head_en : head_zh, 3);
	for (i = 0; rc == GG_OK && i < res->nerrors; i++) {
		if (res->errors[i].line)
			snprintf(line, sizeof(line), "%zu", res->errors[i].line);
		else
			line[0] = '\0';
		cells[0] = line;
		cells[1] = res->errors[i].column;
		cells[2] = res->errors[i].reason;
		rc = gg_csv_write_row(out, cells, 3);
	}
	if (rc == GG_OK && res->errors_dropped > 0) {
		snprintf(more, sizeof(more), "%lld more errors are not listed", (long long)res->errors_dropped);
		cells[0] = "";
		cells[1] = "";
		cells[2] = more;
		rc = gg_csv_write_row(out, cells, 3);
	}
	return rc;
}
