/*
 * export: writes talents or organisations as CSV or XLSX, and holds the
 * column table that import reads too. Records are read page by page
 * through the search module (the list filters and the caller's scope, in
 * pinyin order then id), each rendered as one row of tokens; personal
 * data is the stored masked copy unless the export is unmasked, when it
 * is decrypted (gg_talent_decrypt: the export audits itself). The audit
 * row (talent.export / org.export) is written once the file is complete.
 */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../core/csv.h"
#include "../core/xlsx.h"
#include "org.h"
#include "talent.h"

#define CSV_FLUSH   (64 * 1024)
#define CSV_ROW_MAX (GG_CSV_MAX_FIELDS * (size_t)GG_CSV_MAX_FIELD_BYTES)
#define CELL_MAX    (64 * 1024)
#define ORG_CACHE   64
#define XLSX_MIME   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const struct gg_export_column talent_cols[GG_TCOL__COUNT] = {
    [GG_TCOL_NAME] = {"姓名", "name", 1, "name"},
    [GG_TCOL_LATIN_NAME] = {"拉丁名", "latin_name", 0, "latin_name"},
    [GG_TCOL_GENDER] = {"性别", "gender", 0, "gender"},
    [GG_TCOL_BIRTH_DATE] = {"出生日期", "birth_date", 0, "birth_date"},
    [GG_TCOL_NATIONALITY] = {"国籍", "nationality", 0, "nationality"},
    [GG_TCOL_DOC_TYPE] = {"证件类型", "doc_type", 0, "document.type"},
    [GG_TCOL_DOC_NUMBER] = {"证件号码", "doc_number", 0, "document.number"},
    [GG_TCOL_PHONE] = {"手机", "phone", 0, "phone"},
    [GG_TCOL_EMAIL] = {"电子邮箱", "email", 0, "email"},
    [GG_TCOL_ORG_USCC] = {"单位统一社会信用代码", "org_uscc", 0, NULL},
    [GG_TCOL_ORG_NAME] = {"单位名称", "org_name", 0, "org_id"},
    [GG_TCOL_TITLE] = {"职务", "title", 0, "title"},
    [GG_TCOL_CITY] = {"籍贯", "city", 0, "city"},
    [GG_TCOL_FIELDS] = {"研究领域", "fields", 0, "fields"},
    [GG_TCOL_KEYWORDS] = {"关键词", "keywords", 0, "keywords"},
    [GG_TCOL_SEGMENTS] = {"产业链环节", "segments", 0, "segments"},
    [GG_TCOL_HONOURS] = {"荣誉", "honours", 0, "honours"},
    [GG_TCOL_TIER] = {"人才层次", "tier", 0, "tier"},
    [GG_TCOL_STATUS] = {"状态", "status", 0, "status"},
    [GG_TCOL_NOTES] = {"备注", "notes", 0, "notes"},
};

static const struct gg_export_column org_cols[GG_OCOL__COUNT] = {
    [GG_OCOL_NAME] = {"名称", "name", 1, "name"},
    [GG_OCOL_USCC] = {"统一社会信用代码", "uscc", 0, "uscc"},
    [GG_OCOL_KIND] = {"类型", "kind", 1, "kind"},
    [GG_OCOL_PARK] = {"园区", "park", 0, "park"},
    [GG_OCOL_SEGMENTS] = {"产业链环节", "segments", 0, "segments"},
    [GG_OCOL_VERIFIED] = {"已核实", "verified", 0, "verified"},
};

/* API fields that name a group of columns rather than one (a document as a whole, the organisation). */
static const struct {
	enum gg_export_sheet sheet;
	const char *field;
	int col;
} field_aliases[] = {
    {GG_EXPORT_TALENTS, "document", GG_TCOL_DOC_NUMBER},
    {GG_EXPORT_TALENTS, "doc_number", GG_TCOL_DOC_NUMBER},
    {GG_EXPORT_TALENTS, "doc_type", GG_TCOL_DOC_TYPE},
    {GG_EXPORT_TALENTS, "org", GG_TCOL_ORG_NAME},
};

static const struct {
	const char *zh, *en;
} stems[] = {
    [GG_EXPORT_TALENTS] = {"人才", "talents"},
    [GG_EXPORT_ORGS] = {"单位", "orgs"},
};

static const struct {
	const char *token;
	const char *audit_action;
	const char *entity;
} sheet_defs[] = {
    [GG_EXPORT_TALENTS] = {"talents", "talent.export", "talent"},
    [GG_EXPORT_ORGS] = {"orgs", "org.export", "org"},
};

const struct gg_export_column *gg_export_columns(enum gg_export_sheet sheet, size_t *n)
{
	if (sheet == GG_EXPORT_ORGS) {
		*n = GG_OCOL__COUNT;
		return org_cols;
	}
	*n = GG_TCOL__COUNT;
	return talent_cols;
}

int gg_export_column_find(enum gg_export_sheet sheet, const char *header)
{
	const struct gg_export_column *cols;
	size_t n, i, len;

	if (!header)
		return -1;
	while (*header == ' ' || *header == '\t')
		header++;
	len = strlen(header);
	while (len && (header[len - 1] == ' ' || header[len - 1] == '\t'))
		len--;
	cols = gg_export_columns(sheet, &n);
	for (i = 0; i < n; i++) {
		if ((strlen(cols[i].zh) == len && memcmp(cols[i].zh, header, len) == 0) ||
		    (strlen(cols[i].en) == len && strncasecmp(cols[i].en, header, len) == 0))
			return (int)i;
	}
	return -1;
}

int gg_export_column_of_field(enum gg_export_sheet sheet, const char *field)
{
	const struct gg_export_column *cols;
	size_t n, i, len, flen;

	if (!field || !*field)
		return -1;
	cols = gg_export_columns(sheet, &n);
	flen = strlen(field);
	for (i = 0; i < n; i++) {
		if (!cols[i].api)
			continue;
		len = strlen(cols[i].api);
		if (flen >= len && memcmp(field, cols[i].api, len) == 0 && (field[len] == '\0' || field[len] == '.'))
			return (int)i;
	}
	/* "document" alone, "org": the first segment of the field decides. */
	len = strcspn(field, ".");
	for (i = 0; i < sizeof(field_aliases) / sizeof(field_aliases[0]); i++) {
		if (field_aliases[i].sheet == sheet && strlen(field_aliases[i].field) == len &&
		    memcmp(field_aliases[i].field, field, len) == 0)
			return field_aliases[i].col;
	}
	return -1;
}

enum gg_err gg_export_parse_sheet(const char *text, enum gg_export_sheet *out, struct gg_error *err)
{
	size_t i;

	for (i = 0; text && i < sizeof(sheet_defs) / sizeof(sheet_defs[0]); i++) {
		if (strcmp(text, sheet_defs[i].token) == 0) {
			*out = (enum gg_export_sheet)i;
			return GG_OK;
		}
	}
	return gg_error_set(err, GG_E_USAGE, "unknown registry '%.40s' (talents or orgs)", text ? text : "");
}

enum gg_err gg_export_parse_format(const char *text, enum gg_export_format *out, struct gg_error *err)
{
	if (!text || strcmp(text, "csv") == 0)
		*out = GG_EXPORT_CSV;
	else if (strcmp(text, "xlsx") == 0)
		*out = GG_EXPORT_XLSX;
	else
		return gg_error_field(err, GG_E_INVALID, "format", "unknown format '%.40s' (csv or xlsx)", text);
	return GG_OK;
}

enum gg_err gg_export_parse_lang(const char *text, enum gg_export_lang *out, struct gg_error *err)
{
	if (!text || strcmp(text, "zh") == 0)
		*out = GG_EXPORT_ZH;
	else if (strcmp(text, "en") == 0)
		*out = GG_EXPORT_EN;
	else
		return gg_error_field(err, GG_E_INVALID, "lang", "unknown language '%.40s' (zh or en)", text);
	return GG_OK;
}

const char *gg_export_stem(enum gg_export_sheet sheet, enum gg_export_lang lang)
{
	return lang == GG_EXPORT_EN ? stems[sheet].en : stems[sheet].zh;
}

const char *gg_export_mime(enum gg_export_format format)
{
	return format == GG_EXPORT_XLSX ? XLSX_MIME : "text/csv; charset=utf-8";
}

/* Where rows go: a CSV file (buffered) or a workbook. */
struct sink {
	enum gg_export_format format;
	FILE *f;
	struct gg_buf csv;
	struct gg_xlsx *x;
	const char *path;
};

static enum gg_err sink_flush(struct sink *s, struct gg_error *err)
{
	if (s->csv.len && fwrite(s->csv.buf, 1, s->csv.len, s->f) != s->csv.len)
		return gg_error_set(err, GG_E_IO, "cannot write '%s': %s", s->path, strerror(errno));
	gg_buf_reset(&s->csv);
	return GG_OK;
}

static enum gg_err sink_row(struct sink *s, const char *const *cells, size_t n, struct gg_error *err)
{
	enum gg_err rc;

	if (s->format == GG_EXPORT_XLSX)
		return gg_xlsx_row(s->x, cells, n, err);
	rc = gg_csv_write_row(&s->csv, cells, n);
	if (rc != GG_OK)
		return gg_error_set(err, rc, "cannot write a csv row");
	return s->csv.len >= CSV_FLUSH ? sink_flush(s, err) : GG_OK;
}

/* A record's cells: values borrowed from the record or kept in the row's own buffers. */
struct row {
	const char *cells[GG_TCOL__COUNT];
	struct gg_buf lists[4]; /* fields, keywords, segments, honours joined with ';' */
};

static enum gg_err join(struct gg_buf *b, char *const *items, size_t n)
{
	enum gg_err rc = GG_OK;
	size_t i;

	gg_buf_reset(b);
	for (i = 0; rc == GG_OK && i < n; i++) {
		if (i)
			rc = gg_buf_addch(b, ';');
		if (rc == GG_OK)
			rc = gg_buf_adds(b, items[i]);
	}
	return rc;
}

/* A small cache of organisation credit codes by id (talents of one organisation come together less often than not). */
struct org_cache {
	int64_t id[ORG_CACHE];
	char *uscc[ORG_CACHE];
	int has[ORG_CACHE];
};

static void org_cache_free(struct org_cache *c)
{
	size_t i;

	for (i = 0; i < ORG_CACHE; i++)
		free(c->uscc[i]);
}

/* The credit code of organisation id (NULL when it has none), borrowed from the cache. */
static enum gg_err org_uscc(struct gg_db *db, struct org_cache *c, int64_t id, const char **out, struct gg_error *err)
{
	size_t slot = (size_t)id % ORG_CACHE;
	struct gg_stmt *st = NULL;
	const char *t;
	enum gg_err rc;
	int row = 0;

	*out = NULL;
	if (c->has[slot] && c->id[slot] == id) {
		*out = c->uscc[slot];
		return GG_OK;
	}
	rc = gg_db_prepare(db, "SELECT uscc FROM orgs WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	free(c->uscc[slot]);
	c->uscc[slot] = NULL;
	c->has[slot] = 0;
	if (rc == GG_OK && row && (t = gg_db_col_text(st, 0)) != NULL) {
		c->uscc[slot] = strdup(t);
		if (!c->uscc[slot])
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
	}
	gg_db_done(st);
	if (rc != GG_OK)
		return rc;
	c->id[slot] = id;
	c->has[slot] = 1;
	*out = c->uscc[slot];
	return GG_OK;
}

static enum gg_err talent_row(struct gg_db *db, const struct gg_export_options *opt, int64_t id, struct org_cache *orgs,
                              struct row *r, struct sink *s, struct gg_error *err)
{
	struct gg_talent *t = NULL;
	struct gg_talent_pii pii;
	char year[16];
	size_t i;
	enum gg_err rc;

	memset(&pii, 0, sizeof(pii));
	rc = gg_talent_get(db, id, &t, err);
	if (rc != GG_OK)
		goto out;
	memset(r->cells, 0, sizeof(r->cells));
	r->cells[GG_TCOL_NAME] = t->name;
	r->cells[GG_TCOL_LATIN_NAME] = t->latin_name;
	r->cells[GG_TCOL_GENDER] = t->gender;
	r->cells[GG_TCOL_BIRTH_DATE] = t->birth_date;
	r->cells[GG_TCOL_NATIONALITY] = t->nationality;
	r->cells[GG_TCOL_DOC_TYPE] = t->doc_type;
	if (opt->unmasked) {
		rc = gg_talent_decrypt(opt->keys, t, GG_PII_ALL, &pii, err);
		if (rc != GG_OK)
			goto out;
		r->cells[GG_TCOL_DOC_NUMBER] = pii.present & GG_PII_DOCUMENT ? pii.doc_number : NULL;
		r->cells[GG_TCOL_PHONE] = pii.present & GG_PII_PHONE ? pii.phone : NULL;
		r->cells[GG_TCOL_EMAIL] = pii.present & GG_PII_EMAIL ? pii.email : NULL;
	} else {
		r->cells[GG_TCOL_DOC_NUMBER] = t->doc_masked;
		r->cells[GG_TCOL_PHONE] = t->phone_masked;
		r->cells[GG_TCOL_EMAIL] = t->email_masked;
	}
	if (t->org_id) {
		rc = org_uscc(db, orgs, t->org_id, &r->cells[GG_TCOL_ORG_USCC], err);
		if (rc != GG_OK)
			goto out;
		r->cells[GG_TCOL_ORG_NAME] = t->org_name;
	}
	r->cells[GG_TCOL_TITLE] = t->title;
	r->cells[GG_TCOL_CITY] = t->city;
	rc = join(&r->lists[0], t->fields, t->nfields);
	if (rc == GG_OK)
		rc = join(&r->lists[1], t->keywords, t->nkeywords);
	if (rc == GG_OK)
		rc = join(&r->lists[2], t->segments, t->nsegments);
	gg_buf_reset(&r->lists[3]);
	for (i = 0; rc == GG_OK && i < t->nhonours; i++) {
		if (i)
			rc = gg_buf_addch(&r->lists[3], ';');
		if (rc == GG_OK)
			rc = gg_buf_adds(&r->lists[3], t->honours[i].kind);
		if (rc == GG_OK && t->honours[i].year) {
			snprintf(year, sizeof(year), ":%d", t->honours[i].year);
			rc = gg_buf_adds(&r->lists[3], year);
		}
	}
	if (rc != GG_OK) {
		rc = gg_error_set(err, rc, "talent %lld has a list too long to export", (long long)id);
		goto out;
	}
	r->cells[GG_TCOL_FIELDS] = r->lists[0].buf;
	r->cells[GG_TCOL_KEYWORDS] = r->lists[1].buf;
	r->cells[GG_TCOL_SEGMENTS] = r->lists[2].buf;
	r->cells[GG_TCOL_HONOURS] = r->lists[3].buf;
	r->cells[GG_TCOL_TIER] = t->tier;
	r->cells[GG_TCOL_STATUS] = t->status;
	r->cells[GG_TCOL_NOTES] = t->notes;
	rc = sink_row(s, r->cells, GG_TCOL__COUNT, err);
out:
	gg_talent_pii_wipe(&pii);
	gg_talent_free(t);
	return rc;
}

static enum gg_err org_row(struct gg_db *db, int64_t id, struct row *r, struct sink *s, struct gg_error *err)
{
	struct gg_org *o = NULL;
	enum gg_err rc;

	rc = gg_org_get(db, id, &o, err);
	if (rc != GG_OK)
		return rc;
	memset(r->cells, 0, sizeof(r->cells));
	r->cells[GG_OCOL_NAME] = o->name;
	r->cells[GG_OCOL_USCC] = o->uscc;
	r->cells[GG_OCOL_KIND] = o->kind;
	r->cells[GG_OCOL_PARK] = o->park;
	rc = join(&r->lists[0], o->segments, o->nsegments);
	if (rc != GG_OK) {
		gg_org_free(o);
		return gg_error_set(err, rc, "organisation %lld has a list too long to export", (long long)id);
	}
	r->cells[GG_OCOL_SEGMENTS] = r->lists[0].buf;
	r->cells[GG_OCOL_VERIFIED] = o->verified ? "true" : "false";
	rc = sink_row(s, r->cells, GG_OCOL__COUNT, err);
	gg_org_free(o);
	return rc;
}

static enum gg_err audit_export(struct gg_db *db, const struct gg_export_options *opt, int64_t rows,
                                struct gg_error *err)
{
	char count[32];
	struct gg_audit_change changes[4];
	struct gg_audit_event ev;
	enum gg_err rc;

	snprintf(count, sizeof(count), "%lld", (long long)rows);
	changes[0] = (struct gg_audit_change){"rows", NULL, count};
	changes[1] = (struct gg_audit_change){"unmasked", NULL, opt->unmasked ? "true" : "false"};
	changes[2] = (struct gg_audit_change){"format", NULL, opt->format == GG_EXPORT_XLSX ? "xlsx" : "csv"};
	changes[3] = (struct gg_audit_change){"lang", NULL, opt->lang == GG_EXPORT_EN ? "en" : "zh"};
	memset(&ev, 0, sizeof(ev));
	ev.actor_id = opt->actor ? opt->actor->id : 0;
	ev.actor = opt->actor && opt->actor->name ? opt->actor->name : "cli";
	ev.request_id = opt->actor ? opt->actor->request_id : NULL;
	ev.action = sheet_defs[opt->sheet].audit_action;
	ev.entity = sheet_defs[opt->sheet].entity;
	ev.changes = changes;
	ev.nchanges = sizeof(changes) / sizeof(changes[0]);
	rc = gg_db_begin(db, GG_DB_WRITE, err);
	if (rc != GG_OK)
		return rc;
	rc = gg_audit_record(db, &ev, err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	if (rc != GG_OK)
		gg_db_rollback(db);
	return rc;
}

enum gg_err gg_export_file(struct gg_db *db, const struct gg_export_options *opt, const char *path, int64_t *rows,
                           struct gg_error *err)
{
	const struct gg_export_column *cols;
	struct gg_search_query q;
	struct gg_search_page *page = NULL;
	struct org_cache *orgs = NULL;
	struct sink s;
	struct row r;
	char cursor[GG_SEARCH_CURSOR_MAX];
	size_t ncols, i;
	int64_t count = 0;
	int created = 0, reading = 0;
	enum gg_err rc;

	*rows = 0;
	memset(&s, 0, sizeof(s));
	memset(&r, 0, sizeof(r));
	s.format = opt->format;
	s.path = path;
	gg_buf_init(&s.csv, CSV_ROW_MAX + CSV_FLUSH);
	for (i = 0; i < sizeof(r.lists) / sizeof(r.lists[0]); i++)
		gg_buf_init(&r.lists[i], CELL_MAX);
	if (opt->unmasked && !opt->keys) {
		rc = gg_error_set(err, GG_E_INTERNAL, "an unmasked export needs the keys");
		goto out;
	}
	page = malloc(sizeof(*page));
	orgs = calloc(1, sizeof(*orgs));
	if (!page || !orgs) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}

	cols = gg_export_columns(opt->sheet, &ncols);
	for (i = 0; i < ncols; i++)
		r.cells[i] = opt->lang == GG_EXPORT_EN ? cols[i].en : cols[i].zh;
	if (opt->format == GG_EXPORT_XLSX) {
		rc = gg_xlsx_new(path, gg_export_stem(opt->sheet, opt->lang), &s.x, err);
		if (rc != GG_OK)
			goto out;
		created = 1;
	} else {
		s.f = fopen(path, "wb");
		if (!s.f) {
			rc = gg_error_set(err, GG_E_IO, "cannot write '%s': %s", path, strerror(errno));
			goto out;
		}
		created = 1;
		rc = gg_buf_adds(&s.csv, "\xEF\xBB\xBF");
		if (rc != GG_OK)
			goto out;
	}
	rc = sink_row(&s, r.cells, ncols, err);
	if (rc != GG_OK)
		goto out;

	if (opt->filter)
		q = *opt->filter;
	else
		gg_search_query_init(&q);
	q.sort = GG_SEARCH_PINYIN_ASC;
	q.limit = GG_SEARCH_LIMIT_MAX;
	q.cursor = NULL;
	/* Talents are read in one snapshot (an organisation's read opens its own). */
	if (opt->sheet == GG_EXPORT_TALENTS) {
		rc = gg_db_begin(db, GG_DB_READ, err);
		if (rc != GG_OK)
			goto out;
		reading = 1;
	}
	for (;;) {
		rc = opt->sheet == GG_EXPORT_ORGS ? gg_search_orgs(db, &q, page, err)
		                                  : gg_search_talents(db, &q, page, err);
		if (rc != GG_OK)
			goto out;
		for (i = 0; i < page->n; i++) {
			if (opt->sheet == GG_EXPORT_ORGS)
				rc = org_row(db, page->ids[i], &r, &s, err);
			else
				rc = talent_row(db, opt, page->ids[i], orgs, &r, &s, err);
			if (rc != GG_OK)
				goto out;
			count++;
		}
		if (!page->next_cursor[0])
			break;
		memcpy(cursor, page->next_cursor, sizeof(cursor));
		q.cursor = cursor;
	}
	if (reading) {
		gg_db_rollback(db);
		reading = 0;
	}

	if (s.x) {
		struct gg_xlsx *x = s.x;
		s.x = NULL;
		rc = gg_xlsx_close(x, err);
	} else {
		rc = sink_flush(&s, err);
		if (rc == GG_OK && fclose(s.f) != 0)
			rc = gg_error_set(err, GG_E_IO, "cannot write '%s': %s", path, strerror(errno));
		s.f = NULL;
	}
	if (rc != GG_OK)
		goto out;
	rc = audit_export(db, opt, count, err);
	if (rc == GG_OK)
		*rows = count;
out:
	if (reading)
		gg_db_rollback(db);
	if (s.x) {
		struct gg_error ignored;
		gg_error_init(&ignored);
		gg_xlsx_close(s.x, &ignored);
	}
	if (s.f)
		fclose(s.f);
	if (rc != GG_OK && created)
		unlink(path);
	gg_buf_release(&s.csv);
	for (i = 0; i < sizeof(r.lists) / sizeof(r.lists[0]); i++)
		gg_buf_release(&r.lists[i]);
	if (orgs)
		org_cache_free(orgs);
	free(orgs);
	free(page);
	return rc;
}

enum gg_err gg_export_tempfile(char *path, size_t pathsz, struct gg_error *err)
{
	const char *tmpdir = getenv("TMPDIR");
	int fd;

	if (gg_snprintf(path, pathsz, "%s/guanggu-export-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp") != GG_OK)
		return gg_error_set(err, GG_E_IO, "temporary directory '%s' has too long a name", tmpdir);
	fd = mkstemp(path);
	if (fd < 0)
		return gg_error_set(err, GG_E_IO, "cannot create a temporary file: %s", strerror(errno));
	close(fd);
	return GG_OK;
}
