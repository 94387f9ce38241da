/*
 * talent: talent records. A write turns its input into normalised values
 * (NFKC text, canonical document, phone and e-mail, sorted segments and
 * honours), validates them naming each field, then compares the record's
 * state before and after field by field through one table (name, audit
 * name, kind). Personal data is compared by its blind index, so an
 * unchanged number is neither sealed again nor audited; changed personal
 * data is sealed with data.key and audited only as its masked copy. Only
 * when something changed does the row get written, with one audit row and
 * a rebuild of its search terms, in the caller's write transaction; a
 * change of what dedup compares also brings the inbox's duplicate review
 * tasks in line (dedup.h), from the record's pairs before and after.
 */
#include "talent.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/chinese.h"
#include "../core/clock.h"
#include "../core/text.h"
#include "dedup.h"
#include "ident.h"
#include "mask.h"
#include "search.h"
#include "task.h"

#define TEXT_MAX    65536 /* bytes of one normalised text value */
#define LIST_MAX    8192  /* bytes of a joined list (fields, keywords, segments, honours) */
#define PURPOSE_MAX 200   /* characters of a reveal's purpose */
#define TOKEN_MAX   64

/* The fields of a record's state, in audit order. */
enum fld {
	F_NAME,
	F_LATIN_NAME,
	F_GENDER,
	F_BIRTH_DATE,
	F_NATIONALITY,
	F_DOC_TYPE,
	F_DOC,
	F_PHONE,
	F_EMAIL,
	F_ORG,
	F_TITLE,
	F_CITY,
	F_FIELDS,
	F_KEYWORDS,
	F_SEGMENTS,
	F_HONOURS,
	F_TIER,
	F_STATUS,
	F_NOTES,
	F_COMMISSIONER,
	F__COUNT
};

/* The fields dedup compares (dedup.h): a write that changes one of them re-checks the record's pairs. */
static const enum fld dedup_fields[] = {F_NAME, F_BIRTH_DATE, F_ORG, F_PHONE, F_EMAIL};

/* Personal data: the value compared is the blind index, the value audited the masked copy. */
enum pii { P_DOC, P_PHONE, P_EMAIL, P__COUNT };

#define SET(flag) offsetof(struct gg_talent_input, flag)
static const struct {
	const char *audit; /* the field's name in audit rows and field errors */
	int pii;           /* -1, or the enum pii of a personal-data field */
	size_t set;        /* offset of the input's set flag */
} fld_defs[F__COUNT] = {
    [F_NAME] = {"name", -1, SET(set_name)},
    [F_LATIN_NAME] = {"latin_name", -1, SET(set_latin_name)},
    [F_GENDER] = {"gender", -1, SET(set_gender)},
    [F_BIRTH_DATE] = {"birth_date", -1, SET(set_birth_date)},
    [F_NATIONALITY] = {"nationality", -1, SET(set_nationality)},
    [F_DOC_TYPE] = {"document.type", -1, SET(set_document)},
    [F_DOC] = {"document.number", P_DOC, SET(set_document)},
    [F_PHONE] = {"phone", P_PHONE, SET(set_phone)},
    [F_EMAIL] = {"email", P_EMAIL, SET(set_email)},
    [F_ORG] = {"org_id", -1, SET(set_org)},
    [F_TITLE] = {"title", -1, SET(set_title)},
    [F_CITY] = {"city", -1, SET(set_city)},
    [F_FIELDS] = {"fields", -1, SET(set_fields)},
    [F_KEYWORDS] = {"keywords", -1, SET(set_keywords)},
    [F_SEGMENTS] = {"segments", -1, SET(set_segments)},
    [F_HONOURS] = {"honours", -1, SET(set_honours)},
    [F_TIER] = {"tier", -1, SET(set_tier)},
    [F_STATUS] = {"status", -1, SET(set_status)},
    [F_NOTES] = {"notes", -1, SET(set_notes)},
    [F_COMMISSIONER] = {"commissioner_id", -1, SET(set_commissioner)},
};
#undef SET

/* The field name sealed values and blind indexes are bound to, and the reveal bit. */
static const struct {
	const char *name;
	unsigned bit;
} pii_defs[P__COUNT] = {
    [P_DOC] = {"document", GG_PII_DOCUMENT},
    [P_PHONE] = {"phone", GG_PII_PHONE},
    [P_EMAIL] = {"email", GG_PII_EMAIL},
};

static const char *const genders[] = {"male", "female"};
static const char *const statuses[] = {"prospect", "in_contact", "landed", "serving", "left"};
static const char *const doc_types[] = {"resident_id", "passport"};
static const char *const honour_kinds[] = {"nobel", "cas_academician", "cae_academician", "foreign_academy",
                                           "national_award"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The entry of table equal to s, or NULL. */
static const char *lookup(const char *const *table, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(table[i], s) == 0)
			return table[i];
	return NULL;
}

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* 1 when s holds no control characters (newline and tab allowed when multiline). */
static int clean_text(const char *s, int multiline)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (multiline && (*p == '\n' || *p == '\t'))
			continue;
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	}
	return 1;
}

/*
 * NFKC of raw into *out (NULL when empty after normalisation); multiline
 * text is normalised line by line so that line breaks survive. Adds a
 * field error and returns GG_E_INVALID for bad UTF-8 or control
 * characters, or more than max characters.
 */
static enum gg_err norm_text(const char *raw, const char *field, size_t max, int multiline, char **out,
                             struct gg_error *err)
{
	struct gg_buf line, all;
	enum gg_err rc = GG_OK;
	const char *p = raw;

	*out = NULL;
	if (!raw)
		return GG_OK;
	gg_buf_init(&line, TEXT_MAX);
	gg_buf_init(&all, TEXT_MAX);
	for (;;) {
		const char *nl = multiline ? strchr(p, '\n') : NULL;
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *piece = strndup(p, len);

		if (!piece) {
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
			goto out;
		}
		if (len && piece[len - 1] == '\r')
			piece[len - 1] = '\0';
		if (!clean_text(piece, 0)) {
			free(piece);
			rc = gg_error_field(err, GG_E_INVALID, field, "%s must not contain control characters", field);
			goto out;
		}
		rc = gg_text_nfkc(piece, &line);
		free(piece);
		if (rc == GG_E_BAD_UTF8) {
			rc = gg_error_field(err, GG_E_INVALID, field, "%s is not valid utf-8", field);
			goto out;
		}
		if (rc == GG_E_TOO_LARGE) {
			rc = gg_error_field(err, GG_E_INVALID, field, "%s is longer than %zu characters", field, max);
			goto out;
		}
		if (rc != GG_OK) {
			rc = gg_error_set(err, rc, NULL);
			goto out;
		}
		if (all.len && (rc = gg_buf_addch(&all, '\n')) != GG_OK) {
			rc = gg_error_field(err, GG_E_INVALID, field, "%s is longer than %zu characters", field, max);
			goto out;
		}
		if ((rc = gg_buf_add(&all, line.buf, line.len)) != GG_OK) {
			rc = gg_error_field(err, GG_E_INVALID, field, "%s is longer than %zu characters", field, max);
			goto out;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	/* blank lines at the ends go */
	while (all.len && all.buf[all.len - 1] == '\n')
		all.buf[--all.len] = '\0';
	{
		size_t lead = 0;
		while (lead < all.len && all.buf[lead] == '\n')
			lead++;
		memmove(all.buf, all.buf + lead, all.len - lead + 1);
		all.len -= lead;
	}
	if (gg_text_length(all.buf) > max) {
		rc = gg_error_field(err, GG_E_INVALID, field, "%s is longer than %zu characters", field, max);
		goto out;
	}
	if (all.len) {
		*out = strdup(all.buf);
		if (!*out)
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
	}
out:
	gg_buf_release(&line);
	gg_buf_release(&all);
	return rc;
}

/* A token of [a-z0-9_], 1..TOKEN_MAX bytes. */
static int token_shape(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return n >= 1 && n <= TOKEN_MAX;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 when s is YYYY-MM-DD naming a real day from 1900-01-01 on. */
static int real_date(const char *s)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* 1 when date s (YYYY-MM-DD) is after today anywhere on earth (UTC+14). */
static int future_date(const char *s)
{
	char today[32];

	gg_clock_iso(gg_clock_now() + 14 * 3600, today, sizeof today);
	return strncmp(s, today, 10) > 0;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int mobile(const char *s)
{
	return strlen(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s, 11);
}

/*
 * The canonical phone: separators (space, '-', '.', parentheses) dropped;
 * a Chinese mobile as its 11 digits (also when given as +86...), else
 * '+' and 7..15 digits. 1 when valid, 0 otherwise (out then holds the
 * value with separators dropped).
 */
static int canonical_phone(const char *s, char *out, size_t outsz)
{
	size_t n = 0;

	for (; *s && n + 1 < outsz; s++)
		if (!strchr(" -.()", *s))
			out[n++] = *s;
	out[n] = '\0';
	if (*s)
		return 0;
	if (mobile(out))
		return 1;
	if (out[0] != '+')
		return 0;
	if (strncmp(out, "+86", 3) == 0 && mobile(out + 3)) {
		memmove(out, out + 3, strlen(out + 3) + 1);
		return 1;
	}
	return n - 1 >= 7 && n - 1 <= 15 && out[1] != '0' && all_digits(out + 1, n - 1);
}

/* local@domain.tld of printable ASCII (or UTF-8 in the domain), labels non-empty, a TLD of 2+ letters. */
static int email_shape(const char *s)
{
	const char *at = strchr(s, '@'), *p, *label, *last_dot = NULL;

	if (!at || at == s || at - s > 64 || strchr(at + 1, '@') || strlen(s) > GG_TALENT_EMAIL_MAX)
		return 0;
	for (p = s; p < at; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr("()<>[]\\,;:\"", *p))
			return 0;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return 0;
	label = at + 1;
	for (p = at + 1;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || *label == '-' || p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			last_dot = p;
			label = p + 1;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      (unsigned char)*p >= 0x80))
			return 0;
	}
	if (!last_dot || strlen(last_dot + 1) < 2)
		return 0;
	for (p = last_dot + 1; *p; p++)
		if (*p >= '0' && *p <= '9')
			return 0;
	return 1;
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void upper_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

static void drop_spaces(char *s)
{
	char *w = s;

	for (; *s; s++)
		if (*s != ' ')
			*w++ = *s;
	*w = '\0';
}

/* The normalised values of a write's set fields (text owned, NULL: no value). */
struct norm {
	char *v[F__COUNT];
	/* the input's segment tokens, by input position, for existence errors */
	const char *const *segs;
	size_t nsegs;
};

static void norm_free(struct norm *n)
{
	for (int i = 0; i < F__COUNT; i++) {
		if (fld_defs[i].pii >= 0 && n->v[i]) {
			/* plaintext personal data does not linger */
			memset(n->v[i], 0, strlen(n->v[i]));
		}
		free(n->v[i]);
		n->v[i] = NULL;
	}
}

/*
 * A list of free-text items (research fields, keywords) as one ';'-joined
 * text in input order, duplicates dropped.
 */
static enum gg_err norm_words(const char *field, const char *const *items, size_t n, char **out, struct gg_error *err)
{
	struct gg_buf joined;
	char name[GG_ERROR_FIELD_MAX];
	enum gg_err rc = GG_OK;

	*out = NULL;
	if (n > GG_TALENT_LIST_MAX)
		return gg_error_field(err, GG_E_INVALID, field, "%s may hold at most %d items", field,
		                      GG_TALENT_LIST_MAX);
	gg_buf_init(&joined, LIST_MAX);
	for (size_t i = 0; i < n; i++) {
		char *w = NULL;

		snprintf(name, sizeof name, "%s.%zu", field, i);
		if (norm_text(items[i], name, GG_TALENT_WORD_MAX, 0, &w, err) != GG_OK)
			continue;
		if (!w) {
			gg_error_field(err, GG_E_INVALID, name, "%s must not be empty", name);
			continue;
		}
		if (strchr(w, ';')) {
			gg_error_field(err, GG_E_INVALID, name, "%s must not contain ';'", name);
			free(w);
			continue;
		}
		/* skip a repeated item */
		{
			const char *p = joined.buf;
			size_t wl = strlen(w);
			int dup = 0;
			while (*p) {
				const char *e = strchr(p, ';');
				size_t l = e ? (size_t)(e - p) : strlen(p);
				if (l == wl && memcmp(p, w, l) == 0)
					dup = 1;
				p += l + (e ? 1 : 0);
			}
			if (!dup &&
			    ((joined.len && gg_buf_addch(&joined, ';') != GG_OK) || gg_buf_adds(&joined, w) != GG_OK))
				gg_error_field(err, GG_E_INVALID, field, "%s are too long together", field);
		}
		free(w);
	}
	if (err->code == GG_OK && joined.len && !(*out = strdup(joined.buf)))
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	gg_buf_release(&joined);
	return err->code != GG_OK ? err->code : rc;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Segment tokens, sorted and without repeats, joined by ';'. */
static enum gg_err norm_segments(const char *const *items, size_t n, char **out, struct gg_error *err)
{
	const char *sorted[GG_TALENT_LIST_MAX];
	struct gg_buf joined;
	char name[GG_ERROR_FIELD_MAX];
	size_t k = 0;

	*out = NULL;
	if (n > GG_TALENT_LIST_MAX)
		return gg_error_field(err, GG_E_INVALID, "segments", "segments may hold at most %d items",
		                      GG_TALENT_LIST_MAX);
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "segments.%zu", i);
		if (!token_shape(items[i]))
			gg_error_field(err, GG_E_INVALID, name, "unknown segment '%.64s'", items[i] ? items[i] : "");
		else
			sorted[k++] = items[i];
	}
	if (err->code != GG_OK || k == 0)
		return err->code;
	qsort(sorted, k, sizeof sorted[0], str_cmp);
	gg_buf_init(&joined, LIST_MAX);
	for (size_t i = 0; i < k; i++) {
		if (i && strcmp(sorted[i], sorted[i - 1]) == 0)
			continue;
		if (joined.len)
			gg_buf_addch(&joined, ';');
		gg_buf_adds(&joined, sorted[i]);
	}
	*out = strdup(joined.buf);
	gg_buf_release(&joined);
	return *out ? GG_OK : gg_error_set(err, GG_E_NOMEM, NULL);
}

static int honour_cmp(const void *a, const void *b)
{
	const struct gg_talent_honour *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	return c ? c : (x->year > y->year) - (x->year < y->year);
}

/* Honours, sorted by kind then year and without repeats: "cas_academician:2019;nobel". */
static enum gg_err norm_honours(const struct gg_talent_honour *items, size_t n, char **out, struct gg_error *err)
{
	struct gg_talent_honour sorted[GG_TALENT_LIST_MAX];
	struct gg_buf joined;
	char name[GG_ERROR_FIELD_MAX];
	size_t k = 0;

	*out = NULL;
	if (n > GG_TALENT_LIST_MAX)
		return gg_error_field(err, GG_E_INVALID, "honours", "honours may hold at most %d items",
		                      GG_TALENT_LIST_MAX);
	for (size_t i = 0; i < n; i++) {
		const char *kind = lookup(honour_kinds, COUNT(honour_kinds), items[i].kind);
		int ok = 1;

		if (!kind) {
			snprintf(name, sizeof name, "honours.%zu.kind", i);
			gg_error_field(err, GG_E_INVALID, name,
			               "unknown honour '%.64s' (nobel, cas_academician, cae_academician, "
			               "foreign_academy or national_award)",
			               items[i].kind ? items[i].kind : "");
			ok = 0;
		}
		if (items[i].year != 0 && (items[i].year < 1900 || items[i].year > 2100)) {
			snprintf(name, sizeof name, "honours.%zu.year", i);
			gg_error_field(err, GG_E_INVALID, name, "honour year %d is not from 1900 to 2100",
			               items[i].year);
			ok = 0;
		}
		if (ok) {
			sorted[k].kind = kind;
			sorted[k++].year = items[i].year;
		}
	}
	if (err->code != GG_OK || k == 0)
		return err->code;
	qsort(sorted, k, sizeof sorted[0], honour_cmp);
	gg_buf_init(&joined, LIST_MAX);
	for (size_t i = 0; i < k; i++) {
		if (i && honour_cmp(&sorted[i], &sorted[i - 1]) == 0)
			continue;
		if (joined.len)
			gg_buf_addch(&joined, ';');
		gg_buf_adds(&joined, sorted[i].kind);
		if (sorted[i].year)
			gg_buf_addf(&joined, ":%d", sorted[i].year);
	}
	*out = strdup(joined.buf);
	gg_buf_release(&joined);
	return *out ? GG_OK : gg_error_set(err, GG_E_NOMEM, NULL);
}

/* A token of a fixed table (gender, status) or NULL to clear. */
static enum gg_err norm_choice(const char *raw, const char *field, const char *const *table, size_t n, const char *list,
                               char **out, struct gg_error *err)
{
	const char *t;

	*out = NULL;
	if (!raw || !*raw)
		return GG_OK;
	if (!(t = lookup(table, n, raw)))
		return gg_error_field(err, GG_E_INVALID, field, "unknown %s '%.64s' (%s)", field, raw, list);
	*out = strdup(t);
	return *out ? GG_OK : gg_error_set(err, GG_E_NOMEM, NULL);
}

static enum gg_err norm_id(int64_t id, const char *field, char **out, struct gg_error *err)
{
	char text[24];

	*out = NULL;
	if (id < 0)
		return gg_error_field(err, GG_E_INVALID, field, "%s must be a positive number", field);
	if (id == 0)
		return GG_OK;
	snprintf(text, sizeof text, "%lld", (long long)id);
	*out = strdup(text);
	return *out ? GG_OK : gg_error_set(err, GG_E_NOMEM, NULL);
}

static enum gg_err norm_document(const struct gg_talent_input *in, const char *birth_date, struct norm *n,
                                 struct gg_error *err)
{
	char *number = NULL;
	const char *type;
	enum gg_err rc = GG_OK;

	if (!in->doc_type && !in->doc_number)
		return GG_OK;
	if (!in->doc_type || !*in->doc_type)
		return gg_error_field(err, GG_E_INVALID, "document.type",
		                      "document type is required with a number (resident_id or passport)");
	if (!(type = lookup(doc_types, COUNT(doc_types), in->doc_type)))
		return gg_error_field(err, GG_E_INVALID, "document.type",
		                      "unknown document type '%.64s' (resident_id or passport)", in->doc_type);
	if (norm_text(in->doc_number, "document.number", 64, 0, &number, err) != GG_OK)
		return err->code;
	if (!number)
		return gg_error_field(err, GG_E_INVALID, "document.number", "document number is required");
	if (strcmp(type, "resident_id") == 0) {
		char id[GG_IDENT_BUF];

		gg_ident_normalise(number, id);
		rc = gg_ident_check_resident_id(id, birth_date, "document.number", err);
		if (rc == GG_OK) {
			free(number);
			number = strdup(id);
		}
	} else {
		drop_spaces(number);
		upper_ascii(number);
		size_t len = strlen(number);
		int ok = len >= 5 && len <= 20;
		for (size_t i = 0; ok && i < len; i++)
			ok = (number[i] >= 'A' && number[i] <= 'Z') || (number[i] >= '0' && number[i] <= '9');
		if (!ok)
			rc = gg_error_field(err, GG_E_INVALID, "document.number",
			                    "passport number must be 5 to 20 letters A-Z and digits");
	}
	if (rc == GG_OK && !number)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	if (rc != GG_OK) {
		if (number)
			memset(number, 0, strlen(number));
		free(number);
		return rc;
	}
	n->v[F_DOC_TYPE] = strdup(type);
	n->v[F_DOC] = number;
	return n->v[F_DOC_TYPE] ? GG_OK : gg_error_set(err, GG_E_NOMEM, NULL);
}

/* Normalises and checks every set field of in, adding a field error per problem. */
static enum gg_err normalise(const struct gg_talent_input *in, struct norm *n, struct gg_error *err)
{
	char *s = NULL;

	memset(n, 0, sizeof *n);
	if (in->set_name) {
		if (norm_text(in->name, "name", GG_TALENT_NAME_MAX, 0, &n->v[F_NAME], err) == GG_OK && !n->v[F_NAME])
			gg_error_field(err, GG_E_INVALID, "name", "name is required (1 to %d characters)",
			               GG_TALENT_NAME_MAX);
	}
	if (in->set_latin_name)
		norm_text(in->latin_name, "latin_name", GG_TALENT_LATIN_NAME_MAX, 0, &n->v[F_LATIN_NAME], err);
	if (in->set_gender)
		norm_choice(in->gender, "gender", genders, COUNT(genders), "male or female", &n->v[F_GENDER], err);
	if (in->set_birth_date && in->birth_date && *in->birth_date) {
		if (!real_date(in->birth_date))
			gg_error_field(err, GG_E_INVALID, "birth_date",
			               "birth_date '%.32s' is not a real date YYYY-MM-DD from 1900 on", in->birth_date);
		else if (future_date(in->birth_date))
			gg_error_field(err, GG_E_INVALID, "birth_date", "birth_date %s is in the future",
			               in->birth_date);
		else if (!(n->v[F_BIRTH_DATE] = strdup(in->birth_date)))
			return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	if (in->set_nationality && norm_text(in->nationality, "nationality", 8, 0, &s, err) == GG_OK && s) {
		upper_ascii(s);
		if (strlen(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z') {
			gg_error_field(err, GG_E_INVALID, "nationality",
			               "nationality must be two letters (ISO 3166-1 alpha-2, such as CN)");
			free(s);
		} else {
			n->v[F_NATIONALITY] = s;
		}
		s = NULL;
	}
	if (in->set_document)
		norm_document(in, in->set_birth_date ? n->v[F_BIRTH_DATE] : NULL, n, err);
	if (in->set_phone && norm_text(in->phone, "phone", 64, 0, &s, err) == GG_OK && s) {
		char canon[64];
		if (!canonical_phone(s, canon, sizeof canon))
			gg_error_field(err, GG_E_INVALID, "phone",
			               "phone must be a Chinese mobile number (1[3-9] and 9 more digits) or an "
			               "international number (+ and up to 15 digits)");
		else if (!(n->v[F_PHONE] = strdup(canon)))
			gg_error_set(err, GG_E_NOMEM, NULL);
		memset(canon, 0, sizeof canon);
		memset(s, 0, strlen(s));
		free(s);
		s = NULL;
	}
	if (in->set_email && norm_text(in->email, "email", 512, 0, &s, err) == GG_OK && s) {
		lower_ascii(s);
		if (strlen(s) > GG_TALENT_EMAIL_MAX)
			gg_error_field(err, GG_E_INVALID, "email", "email must be at most %d bytes",
			               GG_TALENT_EMAIL_MAX);
		else if (!email_shape(s))
			gg_error_field(err, GG_E_INVALID, "email", "email must look like name@example.com");
		else {
			n->v[F_EMAIL] = s;
			s = NULL;
		}
		if (s)
			memset(s, 0, strlen(s));
		free(s);
		s = NULL;
	}
	if (in->set_org)
		norm_id(in->org_id, "org_id", &n->v[F_ORG], err);
	if (in->set_title)
		norm_text(in->title, "title", GG_TALENT_TITLE_MAX, 0, &n->v[F_TITLE], err);
	if (in->set_city)
		norm_text(in->city, "city", GG_TALENT_CITY_MAX, 0, &n->v[F_CITY], err);
	if (in->set_fields)
		norm_words("fields", in->fields, in->nfields, &n->v[F_FIELDS], err);
	if (in->set_keywords)
		norm_words("keywords", in->keywords, in->nkeywords, &n->v[F_KEYWORDS], err);
	if (in->set_segments) {
		norm_segments(in->segments, in->nsegments, &n->v[F_SEGMENTS], err);
		n->segs = in->segments;
		n->nsegs = in->nsegments;
	}
	if (in->set_honours)
		norm_honours(in->honours, in->nhonours, &n->v[F_HONOURS], err);
	if (in->set_tier && in->tier && *in->tier) {
		if (!token_shape(in->tier))
			gg_error_field(err, GG_E_INVALID, "tier", "unknown tier '%.64s'", in->tier);
		else if (!(n->v[F_TIER] = strdup(in->tier)))
			gg_error_set(err, GG_E_NOMEM, NULL);
	}
	if (in->set_status) {
		if (!in->status || !*in->status)
			gg_error_field(err, GG_E_INVALID, "status",
			               "status is required (prospect, in_contact, landed, serving or left)");
		else
			norm_choice(in->status, "status", statuses, COUNT(statuses),
			            "prospect, in_contact, landed, serving or left", &n->v[F_STATUS], err);
	}
	if (in->set_notes)
		norm_text(in->notes, "notes", GG_TALENT_NOTES_MAX, 1, &n->v[F_NOTES], err);
	if (in->set_commissioner)
		norm_id(in->commissioner_id, "commissioner_id", &n->v[F_COMMISSIONER], err);
	if (err->code != GG_OK) {
		norm_free(n);
		return err->code;
	}
	return GG_OK;
}

enum gg_err gg_talent_validate(const struct gg_talent_input *in, struct gg_error *err)
{
	struct norm n;
	enum gg_err rc = normalise(in, &n, err);

	norm_free(&n);
	return rc;
}

/* 1 when the input sets field f. */
static int is_set(const struct gg_talent_input *in, enum fld f)
{
	return *(const int *)(const void *)((const char *)in + fld_defs[f].set);
}

/*
 * A record's state for comparison: v[] as text (personal data: the blind
 * index), with the masked copy and sealed bytes of personal data aside.
 */
struct state {
	char *v[F__COUNT];
	char *masked[P__COUNT];
	struct gg_buf enc[P__COUNT];
	int64_t version;
};

static void state_init(struct state *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < P__COUNT; i++)
		gg_buf_init(&s->enc[i], 4096);
}

static void state_free(struct state *s)
{
	for (int i = 0; i < F__COUNT; i++)
		free(s->v[i]);
	for (int i = 0; i < P__COUNT; i++) {
		free(s->masked[i]);
		gg_buf_release(&s->enc[i]);
	}
	memset(s->v, 0, sizeof s->v);
	memset(s->masked, 0, sizeof s->masked);
}

static enum gg_err join_list(char *const *items, size_t n, char **out)
{
	struct gg_buf b;

	*out = NULL;
	if (n == 0)
		return GG_OK;
	gg_buf_init(&b, LIST_MAX * 2);
	for (size_t i = 0; i < n; i++) {
		if ((i && gg_buf_addch(&b, ';') != GG_OK) || gg_buf_adds(&b, items[i]) != GG_OK) {
			gg_buf_release(&b);
			return GG_E_TOO_LARGE;
		}
	}
	*out = strdup(b.buf);
	gg_buf_release(&b);
	return *out ? GG_OK : GG_E_NOMEM;
}

static enum gg_err honours_text(const struct gg_talent *t, char **out)
{
	struct gg_buf b;

	*out = NULL;
	if (t->nhonours == 0)
		return GG_OK;
	gg_buf_init(&b, LIST_MAX);
	for (size_t i = 0; i < t->nhonours; i++) {
		if (i)
			gg_buf_addch(&b, ';');
		gg_buf_adds(&b, t->honours[i].kind);
		if (t->honours[i].year)
			gg_buf_addf(&b, ":%d", t->honours[i].year);
	}
	*out = strdup(b.buf);
	gg_buf_release(&b);
	return *out ? GG_OK : GG_E_NOMEM;
}

/* The state of a stored record. */
static enum gg_err state_from(const struct gg_talent *t, struct state *s, struct gg_error *err)
{
	const char *const text[F__COUNT] = {
	    [F_NAME] = t->name,
	    [F_LATIN_NAME] = t->latin_name,
	    [F_GENDER] = t->gender,
	    [F_BIRTH_DATE] = t->birth_date,
	    [F_NATIONALITY] = t->nationality,
	    [F_DOC_TYPE] = t->doc_type,
	    [F_DOC] = t->doc_index,
	    [F_PHONE] = t->phone_index,
	    [F_EMAIL] = t->email_index,
	    [F_TITLE] = t->title,
	    [F_CITY] = t->city,
	    [F_TIER] = t->tier,
	    [F_STATUS] = t->status,
	    [F_NOTES] = t->notes,
	};
	const char *const masked[P__COUNT] = {t->doc_masked, t->phone_masked, t->email_masked};
	const struct {
		const unsigned char *p;
		size_t len;
	} enc[P__COUNT] = {
	    {t->doc_enc, t->doc_enc_len}, {t->phone_enc, t->phone_enc_len}, {t->email_enc, t->email_enc_len}};
	enum gg_err rc = GG_OK;

	for (int i = 0; i < F__COUNT; i++)
		if (text[i] && !(s->v[i] = strdup(text[i])))
			rc = GG_E_NOMEM;
	for (int i = 0; i < P__COUNT; i++) {
		if (masked[i] && !(s->masked[i] = strdup(masked[i])))
			rc = GG_E_NOMEM;
		if (enc[i].p && gg_buf_add(&s->enc[i], enc[i].p, enc[i].len) != GG_OK)
			rc = GG_E_NOMEM;
	}
	if (rc == GG_OK)
		rc = norm_id(t->org_id, "org_id", &s->v[F_ORG], err);
	if (rc == GG_OK)
		rc = norm_id(t->commissioner_id, "commissioner_id", &s->v[F_COMMISSIONER], err);
	if (rc == GG_OK)
		rc = join_list(t->fields, t->nfields, &s->v[F_FIELDS]);
	if (rc == GG_OK)
		rc = join_list(t->keywords, t->nkeywords, &s->v[F_KEYWORDS]);
	if (rc == GG_OK)
		rc = join_list(t->segments, t->nsegments, &s->v[F_SEGMENTS]);
	if (rc == GG_OK)
		rc = honours_text(t, &s->v[F_HONOURS]);
	s->version = t->version;
	return finish(rc, err);
}

static enum gg_err state_copy(const struct state *from, struct state *to)
{
	for (int i = 0; i < F__COUNT; i++)
		if (from->v[i] && !(to->v[i] = strdup(from->v[i])))
			return GG_E_NOMEM;
	for (int i = 0; i < P__COUNT; i++) {
		if (from->masked[i] && !(to->masked[i] = strdup(from->masked[i])))
			return GG_E_NOMEM;
		if (gg_buf_add(&to->enc[i], from->enc[i].buf, from->enc[i].len) != GG_OK)
			return GG_E_NOMEM;
	}
	to->version = from->version;
	return GG_OK;
}

static enum gg_err mask_value(enum pii p, const char *doc_type, const char *value, char *out, size_t outsz)
{
	switch (p) {
	case P_DOC:
		return gg_mask_document(doc_type, value, out, outsz);
	case P_PHONE:
		return gg_mask_phone(value, out, outsz);
	case P_EMAIL:
	case P__COUNT:
		break;
	}
	return gg_mask_email(value, out, outsz);
}

/*
 * Puts the normalised input's value of field f into next: plain fields as
 * they are; personal data as blind index, masked copy and (only when the
 * index differs from the stored one) freshly sealed bytes.
 */
static enum gg_err apply(const struct gg_keys *keys, enum fld f, struct norm *n, struct state *next,
                         const struct state *cur, struct gg_error *err)
{
	int p = fld_defs[f].pii;
	char index[GG_BLIND_HEX], masked[GG_MASK_MAX];
	enum gg_err rc;

	free(next->v[f]);
	next->v[f] = NULL;
	if (p < 0) {
		next->v[f] = n->v[f];
		n->v[f] = NULL;
		return GG_OK;
	}
	free(next->masked[p]);
	next->masked[p] = NULL;
	gg_buf_reset(&next->enc[p]);
	if (!n->v[f])
		return GG_OK;
	gg_crypto_blind(keys, pii_defs[p].name, n->v[f], index);
	if (!(next->v[f] = strdup(index)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if (same(index, cur->v[f]) && cur->enc[p].len) {
		/* the same value: keep its sealed bytes and mask */
		if (gg_buf_add(&next->enc[p], cur->enc[p].buf, cur->enc[p].len) != GG_OK ||
		    !(next->masked[p] = dup_or_null(cur->masked[p])))
			return gg_error_set(err, GG_E_NOMEM, NULL);
		return GG_OK;
	}
	if ((rc = mask_value((enum pii)p, n->v[F_DOC_TYPE] ? n->v[F_DOC_TYPE] : next->v[F_DOC_TYPE], n->v[f], masked,
	                     sizeof masked)) != GG_OK)
		return gg_error_set(err, rc, "cannot mask %s", pii_defs[p].name);
	if (!(next->masked[p] = strdup(masked)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_crypto_seal(keys, pii_defs[p].name, n->v[f], &next->enc[p])) != GG_OK)
		return gg_error_set(err, rc, "cannot encrypt %s", pii_defs[p].name);
	return GG_OK;
}

/* 1 when a row answers sql with the one text or integer argument. */
static enum gg_err exists(struct gg_db *db, const char *sql, const char *text, int64_t id, int *found,
                          struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;

	*found = 0;
	if ((rc = gg_db_prepare(db, sql, &st, err)) != GG_OK)
		return rc;
	rc = text ? gg_db_bind_text(st, 1, text) : gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, found, err);
	gg_db_done(st);
	return finish(rc, err);
}

/* Checks that the organisation, tier, segments and commissioner of next exist. */
static enum gg_err check_refs(struct gg_db *db, const struct gg_talent_input *in, const struct state *next,
                              struct gg_error *err)
{
	char name[GG_ERROR_FIELD_MAX];
	int found;
	enum gg_err rc;

	if (in->set_org && next->v[F_ORG]) {
		if ((rc = exists(db, "SELECT 1 FROM orgs WHERE id = ?", NULL, atoll(next->v[F_ORG]), &found, err)) !=
		    GG_OK)
			return rc;
		if (!found)
			gg_error_field(err, GG_E_INVALID, "org_id", "unknown organisation %s", next->v[F_ORG]);
	}
	if (in->set_tier && next->v[F_TIER]) {
		if ((rc = exists(db, "SELECT 1 FROM tiers WHERE token = ?", next->v[F_TIER], 0, &found, err)) != GG_OK)
			return rc;
		if (!found)
			gg_error_field(err, GG_E_INVALID, "tier", "unknown tier '%s'", next->v[F_TIER]);
	}
	for (size_t i = 0; in->set_segments && i < in->nsegments; i++) {
		if ((rc = exists(db, "SELECT 1 FROM segments WHERE token = ?", in->segments[i], 0, &found, err)) !=
		    GG_OK)
			return rc;
		if (!found) {
			snprintf(name, sizeof name, "segments.%zu", i);
			gg_error_field(err, GG_E_INVALID, name, "unknown segment '%.64s'", in->segments[i]);
		}
	}
	if (in->set_commissioner && next->v[F_COMMISSIONER]) {
		if ((rc = exists(db, "SELECT 1 FROM users WHERE id = ?", NULL, atoll(next->v[F_COMMISSIONER]), &found,
		                 err)) != GG_OK)
			return rc;
		if (!found)
			gg_error_field(err, GG_E_INVALID, "commissioner_id", "unknown user %s",
			               next->v[F_COMMISSIONER]);
	}
	return err->code;
}

/*
 * A resident ID's birth date must equal the record's. When only one of
 * them changes, the stored number is decrypted to compare.
 */
static enum gg_err check_birth_date(const struct gg_keys *keys, const struct norm *n, const struct state *next,
                                    int doc_set, int birth_set, struct gg_error *err)
{
	struct gg_buf plain;
	char born[16];
	enum gg_err rc;

	if (!next->v[F_DOC_TYPE] || strcmp(next->v[F_DOC_TYPE], "resident_id") != 0 || !next->v[F_BIRTH_DATE])
		return GG_OK;
	if (doc_set && birth_set)
		return GG_OK; /* checked together by gg_ident_check_resident_id */
	if (doc_set) {
		gg_ident_resident_birth_date(n->v[F_DOC], born, sizeof born);
		if (strcmp(born, next->v[F_BIRTH_DATE]) != 0)
			return gg_error_field(err, GG_E_INVALID, "document.number",
			                      "resident id birth date %s does not match birth_date %s", born,
			                      next->v[F_BIRTH_DATE]);
		return GG_OK;
	}
	if (!birth_set)
		return GG_OK;
	gg_buf_init(&plain, 256);
	rc = gg_crypto_open(keys, pii_defs[P_DOC].name, next->enc[P_DOC].buf, next->enc[P_DOC].len, &plain);
	if (rc != GG_OK) {
		gg_buf_release(&plain);
		return gg_error_set(err, rc, "cannot decrypt the stored document number");
	}
	gg_ident_resident_birth_date(plain.buf, born, sizeof born);
	memset(plain.buf, 0, plain.len);
	gg_buf_release(&plain);
	if (strcmp(born, next->v[F_BIRTH_DATE]) != 0)
		return gg_error_field(err, GG_E_INVALID, "birth_date",
		                      "birth_date %s does not match the resident id's birth date %s",
		                      next->v[F_BIRTH_DATE], born);
	return GG_OK;
}

/* The value an audit row shows for field f of s (personal data masked). */
static const char *audit_value(const struct state *s, enum fld f)
{
	int p = fld_defs[f].pii;

	return p < 0 ? s->v[f] : s->v[f] ? s->masked[p] : NULL;
}

static enum gg_err bind_text_or_null(struct gg_stmt *st, int idx, const char *s)
{
	return s ? gg_db_bind_text(st, idx, s) : gg_db_bind_null(st, idx);
}

static enum gg_err bind_id_or_null(struct gg_stmt *st, int idx, const char *s)
{
	return s ? gg_db_bind_i64(st, idx, atoll(s)) : gg_db_bind_null(st, idx);
}

#define STATE_COLS                                                                                                \
	"name, latin_name, pinyin, pinyin_key, gender, birth_date, nationality, doc_type, doc_enc, doc_index, "   \
	"doc_masked, phone_enc, phone_index, phone_masked, email_enc, email_index, email_masked, org_id, title, " \
	"city, fields, keywords, tier, status, notes, commissioner_id"
#define STATE_NCOLS 26

/* Binds the 26 columns of STATE_COLS from s at idx.. */
static enum gg_err bind_state(struct gg_stmt *st, const struct state *s, const char *pinyin, const char *pinyin_key)
{
	enum gg_err rc = GG_OK;
	int i = 1;

#define B(expr)                      \
	do {                         \
		if (rc == GG_OK)     \
			rc = (expr); \
		i++;                 \
	} while (0)
	B(gg_db_bind_text(st, i, s->v[F_NAME]));
	B(bind_text_or_null(st, i, s->v[F_LATIN_NAME]));
	B(gg_db_bind_text(st, i, pinyin));
	B(gg_db_bind_text(st, i, pinyin_key));
	B(bind_text_or_null(st, i, s->v[F_GENDER]));
	B(bind_text_or_null(st, i, s->v[F_BIRTH_DATE]));
	B(bind_text_or_null(st, i, s->v[F_NATIONALITY]));
	B(bind_text_or_null(st, i, s->v[F_DOC] ? s->v[F_DOC_TYPE] : NULL));
	for (int p = 0; p < P__COUNT; p++) {
		enum fld f = p == P_DOC ? F_DOC : p == P_PHONE ? F_PHONE : F_EMAIL;
		B(s->v[f] ? gg_db_bind_blob(st, i, s->enc[p].buf, s->enc[p].len) : gg_db_bind_null(st, i));
		B(bind_text_or_null(st, i, s->v[f]));
		B(bind_text_or_null(st, i, s->v[f] ? s->masked[p] : NULL));
	}
	B(bind_id_or_null(st, i, s->v[F_ORG]));
	B(bind_text_or_null(st, i, s->v[F_TITLE]));
	B(bind_text_or_null(st, i, s->v[F_CITY]));
	B(gg_db_bind_text(st, i, s->v[F_FIELDS] ? s->v[F_FIELDS] : ""));
	B(gg_db_bind_text(st, i, s->v[F_KEYWORDS] ? s->v[F_KEYWORDS] : ""));
	B(bind_text_or_null(st, i, s->v[F_TIER]));
	B(gg_db_bind_text(st, i, s->v[F_STATUS] ? s->v[F_STATUS] : "prospect"));
	B(bind_text_or_null(st, i, s->v[F_NOTES]));
	B(bind_id_or_null(st, i, s->v[F_COMMISSIONER]));
#undef B
	return rc;
}

/* Replaces the segments and honours rows of talent id by those of s. */
static enum gg_err write_lists(struct gg_db *db, int64_t id, const struct state *s, int segments, int honours,
                               struct gg_error *err)
{
	const int64_t args[] = {id};
	struct gg_stmt *st = NULL;
	enum gg_err rc = GG_OK;
	char *copy = NULL, *save = NULL, *tok;

	if (segments) {
		if ((rc = gg_db_run_i64(db, "DELETE FROM talent_segments WHERE talent_id = ?", args, 1, err)) != GG_OK)
			return rc;
		copy = dup_or_null(s->v[F_SEGMENTS]);
		for (tok = copy ? strtok_r(copy, ";", &save) : NULL; tok; tok = strtok_r(NULL, ";", &save)) {
			int row;
			if ((rc = gg_db_prepare(db, "INSERT INTO talent_segments (talent_id, segment) VALUES (?, ?)",
			                        &st, err)) != GG_OK)
				goto out;
			if ((rc = gg_db_bind_i64(st, 1, id)) != GG_OK || (rc = gg_db_bind_text(st, 2, tok)) != GG_OK ||
			    (rc = gg_db_step(st, &row, err)) != GG_OK)
				goto out;
			gg_db_done(st);
			st = NULL;
		}
		free(copy);
		copy = NULL;
	}
	if (honours) {
		if ((rc = gg_db_run_i64(db, "DELETE FROM talent_honours WHERE talent_id = ?", args, 1, err)) != GG_OK)
			goto out;
		copy = dup_or_null(s->v[F_HONOURS]);
		for (tok = copy ? strtok_r(copy, ";", &save) : NULL; tok; tok = strtok_r(NULL, ";", &save)) {
			char *colon = strchr(tok, ':');
			int row;

			if (colon)
				*colon++ = '\0';
			if ((rc = gg_db_prepare(db,
			                        "INSERT INTO talent_honours (talent_id, kind, year) VALUES (?, ?, ?)",
			                        &st, err)) != GG_OK)
				goto out;
			if ((rc = gg_db_bind_i64(st, 1, id)) != GG_OK || (rc = gg_db_bind_text(st, 2, tok)) != GG_OK ||
			    (rc = colon ? gg_db_bind_i64(st, 3, atoi(colon)) : gg_db_bind_null(st, 3)) != GG_OK ||
			    (rc = gg_db_step(st, &row, err)) != GG_OK)
				goto out;
			gg_db_done(st);
			st = NULL;
		}
	}
out:
	gg_db_done(st);
	free(copy);
	return finish(rc, err);
}

/* The pinyin of name ("wang jin qiao") and its key without spaces ("wangjinqiao"). */
static enum gg_err make_pinyin(const char *name, struct gg_buf *pinyin, struct gg_buf *key, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_chinese_pinyin(name, 1, pinyin)) != GG_OK)
		return gg_error_set(err, rc, "cannot derive the pinyin of the name");
	gg_buf_reset(key);
	for (size_t i = 0; i < pinyin->len; i++)
		if (pinyin->buf[i] != ' ' && gg_buf_addch(key, pinyin->buf[i]) != GG_OK)
			return gg_error_set(err, GG_E_TOO_LARGE, "the name's pinyin is too long");
	return GG_OK;
}

enum gg_err gg_talent_write_tx(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                               const struct gg_talent_input *in, int64_t expected_version, int64_t *id_out,
                               enum gg_talent_outcome *outcome, struct gg_error *err)
{
	struct gg_audit_change changes[F__COUNT];
	struct gg_talent *t = NULL;
	struct gg_stmt *st = NULL;
	struct gg_buf pinyin, key;
	struct state cur, next;
	struct norm n;
	size_t nchanges = 0, npaired = 0;
	int normalised = 0, row, compared = 0;
	int64_t now = gg_clock_now(), new_id = id, *paired = NULL;
	enum gg_err rc;

	gg_buf_init(&pinyin, 4096);
	gg_buf_init(&key, 4096);
	state_init(&cur);
	state_init(&next);
	if (id_out)
		*id_out = 0;
	if (outcome)
		*outcome = GG_TALENT_UNCHANGED;
	if ((rc = normalise(in, &n, err)) != GG_OK)
		goto out;
	normalised = 1;
	if (id == 0 && !in->set_name) {
		rc = gg_error_field(err, GG_E_INVALID, "name", "name is required (1 to %d characters)",
		                    GG_TALENT_NAME_MAX);
		goto out;
	}
	if (id != 0) {
		if ((rc = gg_talent_get(db, id, &t, err)) != GG_OK)
			goto out;
		if (t->merged_into) {
			rc = gg_error_set(err, GG_E_NOT_FOUND, "talent %lld was merged into talent %lld", (long long)id,
			                  (long long)t->merged_into);
			goto out;
		}
		if (expected_version && t->version != expected_version) {
			rc = gg_error_set(err, GG_E_STALE, "talent %lld changed since version %lld (now %lld)",
			                  (long long)id, (long long)expected_version, (long long)t->version);
			goto out;
		}
		if ((rc = state_from(t, &cur, err)) != GG_OK)
			goto out;
	} else if (!(cur.v[F_STATUS] = strdup("prospect"))) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if (state_copy(&cur, &next) != GG_OK) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if (id == 0) {
		/* a new record has no status until the default is applied below */
		free(cur.v[F_STATUS]);
		cur.v[F_STATUS] = NULL;
	}
	/* the document type first: the document's mask depends on it */
	for (int f = 0; f < F__COUNT; f++)
		if (is_set(in, (enum fld)f) && (rc = apply(keys, (enum fld)f, &n, &next, &cur, err)) != GG_OK)
			goto out;
	if ((rc = check_refs(db, in, &next, err)) != GG_OK)
		goto out;
	if ((rc = check_birth_date(keys, &n, &next, in->set_document && next.v[F_DOC], in->set_birth_date, err)) !=
	    GG_OK)
		goto out;
	if (next.v[F_DOC] && !same(next.v[F_DOC], cur.v[F_DOC])) {
		int64_t other = 0;
		int found = 0;
		if ((rc = gg_db_prepare(db, "SELECT id FROM talents WHERE doc_index = ? AND id <> ?", &st, err)) !=
		    GG_OK)
			goto out;
		if ((rc = gg_db_bind_text(st, 1, next.v[F_DOC])) != GG_OK ||
		    (rc = gg_db_bind_i64(st, 2, id)) != GG_OK || (rc = gg_db_step(st, &found, err)) != GG_OK)
			goto out;
		if (found)
			other = gg_db_col_i64(st, 0);
		gg_db_done(st);
		st = NULL;
		if (found) {
			gg_error_set(err, GG_E_DUPLICATE, "talent %lld has this document number", (long long)other);
			rc = gg_error_field(err, GG_E_DUPLICATE, "document.number",
			                    "talent %lld has this document number", (long long)other);
			goto out;
		}
	}

	for (int f = 0; f < F__COUNT; f++) {
		if (same(cur.v[f], next.v[f]))
			continue;
		changes[nchanges].field = fld_defs[f].audit;
		changes[nchanges].old_value = audit_value(&cur, (enum fld)f);
		changes[nchanges].new_value = audit_value(&next, (enum fld)f);
		nchanges++;
	}
	if (id != 0 && nchanges == 0) {
		if (id_out)
			*id_out = id;
		rc = GG_OK;
		goto out;
	}
	if ((rc = make_pinyin(next.v[F_NAME], &pinyin, &key, err)) != GG_OK)
		goto out;
	/* a change of what dedup compares: the pairs of the record before it, for the review tasks */
	compared = id == 0;
	for (size_t i = 0; i < COUNT(dedup_fields); i++)
		compared |= !same(cur.v[dedup_fields[i]], next.v[dedup_fields[i]]);
	if (id != 0 && compared && (rc = gg_dedup_partners(db, id, &paired, &npaired, err)) != GG_OK)
		goto out;

	if (id == 0) {
		rc = gg_db_prepare(
		    db,
		    "INSERT INTO talents (" STATE_COLS ", created_at, updated_at, version) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
		    "RETURNING id",
		    &st, err);
		if (rc != GG_OK)
			goto out;
		if ((rc = bind_state(st, &next, pinyin.buf, key.buf)) != GG_OK ||
		    (rc = gg_db_bind_i64(st, STATE_NCOLS + 1, now)) != GG_OK ||
		    (rc = gg_db_bind_i64(st, STATE_NCOLS + 2, now)) != GG_OK ||
		    (rc = gg_db_step(st, &row, err)) != GG_OK)
			goto out;
		if (!row) {
			rc = gg_error_set(err, GG_E_DB, "insert into talents returned no id");
			goto out;
		}
		new_id = gg_db_col_i64(st, 0);
	} else {
		rc = gg_db_prepare(
		    db,
		    "UPDATE talents SET name = ?, latin_name = ?, pinyin = ?, pinyin_key = ?, gender = ?, "
		    "birth_date = ?, nationality = ?, doc_type = ?, doc_enc = ?, doc_index = ?, "
		    "doc_masked = ?, phone_enc = ?, phone_index = ?, phone_masked = ?, email_enc = ?, "
		    "email_index = ?, email_masked = ?, org_id = ?, title = ?, city = ?, fields = ?, "
		    "keywords = ?, tier = ?, status = ?, notes = ?, commissioner_id = ?, updated_at = ?, "
		    "version = version + 1 WHERE id = ? AND version = ?",
		    &st, err);
		if (rc != GG_OK)
			goto out;
		if ((rc = bind_state(st, &next, pinyin.buf, key.buf)) != GG_OK ||
		    (rc = gg_db_bind_i64(st, STATE_NCOLS + 1, now)) != GG_OK ||
		    (rc = gg_db_bind_i64(st, STATE_NCOLS + 2, id)) != GG_OK ||
		    (rc = gg_db_bind_i64(st, STATE_NCOLS + 3, cur.version)) != GG_OK ||
		    (rc = gg_db_step(st, &row, err)) != GG_OK)
			goto out;
		if (gg_db_changes(db) != 1) {
			rc = gg_error_set(err, GG_E_STALE, "talent %lld changed meanwhile", (long long)id);
			goto out;
		}
	}
	gg_db_done(st);
	st = NULL;
	if ((rc = write_lists(db, new_id, &next, !same(cur.v[F_SEGMENTS], next.v[F_SEGMENTS]),
	                      !same(cur.v[F_HONOURS], next.v[F_HONOURS]), err)) != GG_OK)
		goto out;

	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = id == 0 ? "talent.create" : "talent.update",
	    .entity = "talent",
	    .entity_id = new_id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = nchanges,
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	if ((rc = gg_search_index_talent_tx(db, new_id, err)) != GG_OK)
		goto out;
	if (compared && (rc = gg_dedup_review_tx(db, actor, new_id, paired, npaired, "changed", err)) != GG_OK)
		goto out;
	/* a talent given a commissioner no longer waits for one (recognition.c opens that task) */
	if (in->set_commissioner && next.v[F_COMMISSIONER] &&
	    (rc = gg_task_close(db, actor, GG_TASK_commissioner_assignment, new_id, "assigned", NULL, err)) != GG_OK)
		goto out;
	if (id_out)
		*id_out = new_id;
	if (outcome)
		*outcome = id == 0 ? GG_TALENT_CREATED : GG_TALENT_UPDATED;
out:
	gg_db_done(st);
	free(paired);
	if (normalised)
		norm_free(&n);
	state_free(&cur);
	state_free(&next);
	gg_talent_free(t);
	gg_buf_release(&pinyin);
	gg_buf_release(&key);
	return finish(rc, err);
}

enum gg_err gg_talent_create(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                             const struct gg_talent_input *in, int64_t *id, struct gg_error *err)
{
	enum gg_talent_outcome outcome;
	enum gg_err rc;

	if ((rc = gg_talent_validate(in, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return finish(rc, err);
	rc = gg_talent_write_tx(db, keys, actor, 0, in, 0, id, &outcome, err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	if (rc != GG_OK)
		gg_db_rollback(db);
	return finish(rc, err);
}

enum gg_err gg_talent_update(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                             const struct gg_talent_input *in, int64_t expected_version,
                             enum gg_talent_outcome *outcome, struct gg_error *err)
{
	enum gg_err rc;

	if (id <= 0)
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown talent %lld", (long long)id);
	if ((rc = gg_talent_validate(in, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return finish(rc, err);
	rc = gg_talent_write_tx(db, keys, actor, id, in, expected_version, NULL, outcome, err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	if (rc != GG_OK)
		gg_db_rollback(db);
	return finish(rc, err);
}

/* Reading. */

void gg_talent_free(struct gg_talent *t)
{
	char **lists[3];
	size_t counts[3];

	if (!t)
		return;
	char **strs[] = {&t->name,        &t->latin_name,   &t->pinyin,      &t->pinyin_key,   &t->gender,
	                 &t->birth_date,  &t->nationality,  &t->doc_type,    &t->doc_index,    &t->doc_masked,
	                 &t->phone_index, &t->phone_masked, &t->email_index, &t->email_masked, &t->org_name,
	                 &t->title,       &t->city,         &t->tier,        &t->status,       &t->notes};
	for (size_t i = 0; i < COUNT(strs); i++)
		free(*strs[i]);
	free(t->doc_enc);
	free(t->phone_enc);
	free(t->email_enc);
	lists[0] = t->fields;
	lists[1] = t->keywords;
	lists[2] = t->segments;
	counts[0] = t->nfields;
	counts[1] = t->nkeywords;
	counts[2] = t->nsegments;
	for (int l = 0; l < 3; l++) {
		for (size_t i = 0; i < counts[l]; i++)
			free(lists[l][i]);
		free(lists[l]);
	}
	free(t->honours);
	free(t);
}

/* Splits a ';'-joined list into owned strings. */
static enum gg_err split_list(const char *s, char ***out, size_t *n)
{
	size_t count = 0, i = 0;
	const char *p;

	*out = NULL;
	*n = 0;
	if (!s || !*s)
		return GG_OK;
	for (p = s; p; p = strchr(p, ';'), p = p ? p + 1 : NULL)
		count++;
	if (!(*out = calloc(count, sizeof(char *))))
		return GG_E_NOMEM;
	for (p = s; i < count; i++) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (!((*out)[i] = strndup(p, len))) {
			*n = i;
			return GG_E_NOMEM;
		}
		p = e ? e + 1 : p + len;
	}
	*n = count;
	return GG_OK;
}

static char *col_dup(struct gg_stmt *st, int col, int *ok)
{
	const char *s = gg_db_col_text(st, col);
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*ok = 0;
	return d;
}

static unsigned char *col_blob_dup(struct gg_stmt *st, int col, size_t *len, int *ok)
{
	const void *p;
	unsigned char *d;

	*len = 0;
	if (gg_db_col_is_null(st, col))
		return NULL;
	p = gg_db_col_blob(st, col, len);
	if (!(d = malloc(*len ? *len : 1))) {
		*ok = 0;
		*len = 0;
		return NULL;
	}
	if (*len)
		memcpy(d, p, *len);
	return d;
}

static enum gg_err load_lists(struct gg_db *db, struct gg_talent *t, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t cap = 0;
	int row, ok = 1;
	enum gg_err rc;

	if ((rc = gg_db_prepare(db, "SELECT segment FROM talent_segments WHERE talent_id = ? ORDER BY segment", &st,
	                        err)) != GG_OK)
		return rc;
	if ((rc = gg_db_bind_i64(st, 1, t->id)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (t->nsegments == cap) {
			char **grown = realloc(t->segments, (cap = cap ? cap * 2 : 4) * sizeof(char *));
			if (!grown) {
				rc = GG_E_NOMEM;
				goto out;
			}
			t->segments = grown;
		}
		if (!(t->segments[t->nsegments] = col_dup(st, 0, &ok))) {
			rc = GG_E_NOMEM;
			goto out;
		}
		t->nsegments++;
	}
	if (rc != GG_OK)
		goto out;
	gg_db_done(st);
	st = NULL;
	cap = 0;
	if ((rc = gg_db_prepare(db,
	                        "SELECT kind, year FROM talent_honours WHERE talent_id = ? ORDER BY kind, "
	                        "COALESCE(year, 0)",
	                        &st, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_bind_i64(st, 1, t->id)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		const char *kind = lookup(honour_kinds, COUNT(honour_kinds), gg_db_col_text(st, 0));
		if (!kind)
			continue;
		if (t->nhonours == cap) {
			struct gg_talent_honour *grown = realloc(t->honours, (cap = cap ? cap * 2 : 4) * sizeof *grown);
			if (!grown) {
				rc = GG_E_NOMEM;
				goto out;
			}
			t->honours = grown;
		}
		t->honours[t->nhonours].kind = kind;
		t->honours[t->nhonours].year = gg_db_col_is_null(st, 1) ? 0 : (int)gg_db_col_i64(st, 1);
		t->nhonours++;
	}
out:
	gg_db_done(st);
	return finish(rc, err);
}

enum gg_err gg_talent_get(struct gg_db *db, int64_t id, struct gg_talent **out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_talent *t = NULL;
	int row, ok = 1;
	enum gg_err rc;

	*out = NULL;
	rc = gg_db_prepare(db,
	                   "SELECT t.id, t.name, t.latin_name, t.pinyin, t.pinyin_key, t.gender, t.birth_date, "
	                   "t.nationality, t.doc_type, t.doc_enc, t.doc_index, t.doc_masked, t.phone_enc, "
	                   "t.phone_index, t.phone_masked, t.email_enc, t.email_index, t.email_masked, t.org_id, "
	                   "o.name, t.title, t.city, t.fields, t.keywords, t.tier, t.status, t.notes, "
	                   "t.commissioner_id, t.merged_into, t.created_at, t.updated_at, t.version "
	                   "FROM talents t LEFT JOIN orgs o ON o.id = t.org_id WHERE t.id = ?",
	                   &st, err);
	if (rc != GG_OK)
		return rc;
	if ((rc = gg_db_bind_i64(st, 1, id)) != GG_OK || (rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (!row) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown talent %lld", (long long)id);
		goto out;
	}
	if (!(t = calloc(1, sizeof *t))) {
		rc = GG_E_NOMEM;
		goto out;
	}
	t->id = gg_db_col_i64(st, 0);
	t->name = col_dup(st, 1, &ok);
	t->latin_name = col_dup(st, 2, &ok);
	t->pinyin = col_dup(st, 3, &ok);
	t->pinyin_key = col_dup(st, 4, &ok);
	t->gender = col_dup(st, 5, &ok);
	t->birth_date = col_dup(st, 6, &ok);
	t->nationality = col_dup(st, 7, &ok);
	t->doc_type = col_dup(st, 8, &ok);
	t->doc_enc = col_blob_dup(st, 9, &t->doc_enc_len, &ok);
	t->doc_index = col_dup(st, 10, &ok);
	t->doc_masked = col_dup(st, 11, &ok);
	t->phone_enc = col_blob_dup(st, 12, &t->phone_enc_len, &ok);
	t->phone_index = col_dup(st, 13, &ok);
	t->phone_masked = col_dup(st, 14, &ok);
	t->email_enc = col_blob_dup(st, 15, &t->email_enc_len, &ok);
	t->email_index = col_dup(st, 16, &ok);
	t->email_masked = col_dup(st, 17, &ok);
	t->org_id = gg_db_col_i64(st, 18);
	t->org_name = col_dup(st, 19, &ok);
	t->title = col_dup(st, 20, &ok);
	t->city = col_dup(st, 21, &ok);
	if (split_list(gg_db_col_text(st, 22), &t->fields, &t->nfields) != GG_OK ||
	    split_list(gg_db_col_text(st, 23), &t->keywords, &t->nkeywords) != GG_OK)
		ok = 0;
	t->tier = col_dup(st, 24, &ok);
	t->status = col_dup(st, 25, &ok);
	t->notes = col_dup(st, 26, &ok);
	t->commissioner_id = gg_db_col_i64(st, 27);
	t->merged_into = gg_db_col_i64(st, 28);
	t->created_at = gg_db_col_i64(st, 29);
	t->updated_at = gg_db_col_i64(st, 30);
	t->version = gg_db_col_i64(st, 31);
	if (!ok) {
		rc = GG_E_NOMEM;
		goto out;
	}
	gg_db_done(st);
	st = NULL;
	if ((rc = load_lists(db, t, err)) != GG_OK)
		goto out;
	*out = t;
	t = NULL;
out:
	gg_db_done(st);
	gg_talent_free(t);
	return finish(rc, err);
}

/* Canonical text of personal data for its blind index; 0 when nothing is left. */
static int canonical_pii(const char *field, const char *value, char *out, size_t outsz)
{
	struct gg_buf b;
	int ok;

	gg_buf_init(&b, 1024);
	ok = gg_text_nfkc(value, &b) == GG_OK && b.len > 0 && b.len < outsz;
	if (ok) {
		memcpy(out, b.buf, b.len + 1);
		if (strcmp(field, "document") == 0) {
			drop_spaces(out);
			upper_ascii(out);
		} else if (strcmp(field, "phone") == 0) {
			char canon[64];
			if (canonical_phone(out, canon, sizeof canon)) {
				gg_strlcpy(out, canon, outsz);
			} else {
				/* not a valid phone: its digits and a leading '+' */
				char *w = out;
				for (const char *r = out; *r; r++)
					if ((*r >= '0' && *r <= '9') || (*r == '+' && w == out))
						*w++ = *r;
				*w = '\0';
			}
			memset(canon, 0, sizeof canon);
		} else {
			lower_ascii(out);
		}
		ok = out[0] != '\0';
	}
	memset(b.buf, 0, b.len);
	gg_buf_release(&b);
	return ok;
}

enum gg_err gg_talent_blind(const struct gg_keys *keys, const char *field, const char *value, char out[GG_BLIND_HEX],
                            struct gg_error *err)
{
	char canon[512];

	if (!value || !canonical_pii(field, value, canon, sizeof canon))
		return gg_error_field(err, GG_E_INVALID, field, "%s is empty or not valid text", field);
	gg_crypto_blind(keys, field, canon, out);
	memset(canon, 0, sizeof canon);
	return GG_OK;
}

enum gg_err gg_talent_find_by_doc(struct gg_db *db, const struct gg_keys *keys, const char *doc_type,
                                  const char *number, int64_t *id, int *found, struct gg_error *err)
{
	char index[GG_BLIND_HEX];
	struct gg_stmt *st = NULL;
	enum gg_err rc;

	(void)doc_type; /* resident ids and passports share one index: neither format can take the other's shape */
	*found = 0;
	*id = 0;
	if ((rc = gg_talent_blind(keys, "document", number, index, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_prepare(db, "SELECT id FROM talents WHERE doc_index = ?", &st, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_bind_text(st, 1, index)) == GG_OK && (rc = gg_db_step(st, found, err)) == GG_OK && *found)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	return finish(rc, err);
}

/* Personal data. */

void gg_talent_pii_wipe(struct gg_talent_pii *out)
{
	volatile unsigned char *v = (volatile unsigned char *)out;

	for (size_t i = 0; i < sizeof *out; i++)
		v[i] = 0;
}

unsigned gg_talent_pii_field(const char *name)
{
	for (int p = 0; name && p < P__COUNT; p++)
		if (strcmp(pii_defs[p].name, name) == 0)
			return pii_defs[p].bit;
	return 0;
}

enum gg_err gg_talent_decrypt(const struct gg_keys *keys, const struct gg_talent *t, unsigned fields,
                              struct gg_talent_pii *out, struct gg_error *err)
{
	const struct {
		const unsigned char *p;
		size_t len;
		char *dst;
		size_t dstsz;
	} src[P__COUNT] = {
	    {t->doc_enc, t->doc_enc_len, out->doc_number, sizeof out->doc_number},
	    {t->phone_enc, t->phone_enc_len, out->phone, sizeof out->phone},
	    {t->email_enc, t->email_enc_len, out->email, sizeof out->email},
	};
	struct gg_buf plain;
	enum gg_err rc = GG_OK;

	gg_talent_pii_wipe(out);
	gg_buf_init(&plain, 1024);
	for (int p = 0; p < P__COUNT; p++) {
		if (!(fields & pii_defs[p].bit) || !src[p].p)
			continue;
		if ((rc = gg_crypto_open(keys, pii_defs[p].name, src[p].p, src[p].len, &plain)) != GG_OK) {
			gg_error_set(err, rc, "talent %lld: the %s does not decrypt with this installation's key",
			             (long long)t->id, pii_defs[p].name);
			break;
		}
		if (gg_strlcpy(src[p].dst, plain.buf, src[p].dstsz) != GG_OK) {
			rc = gg_error_set(err, GG_E_INTERNAL, "talent %lld: the stored %s is too long",
			                  (long long)t->id, pii_defs[p].name);
			break;
		}
		out->present |= pii_defs[p].bit;
		if (p == P_DOC && t->doc_type)
			gg_strlcpy(out->doc_type, t->doc_type, sizeof out->doc_type);
	}
	memset(plain.buf, 0, plain.len);
	gg_buf_release(&plain);
	if (rc != GG_OK)
		gg_talent_pii_wipe(out);
	return rc;
}

static void fields_text(unsigned fields, char *out, size_t outsz)
{
	out[0] = '\0';
	for (int p = 0; p < P__COUNT; p++) {
		if (!(fields & pii_defs[p].bit))
			continue;
		if (out[0])
			strncat(out, ";", outsz - strlen(out) - 1);
		strncat(out, pii_defs[p].name, outsz - strlen(out) - 1);
	}
}

static unsigned fields_parse(const char *s)
{
	unsigned bits = 0;
	char copy[128], *save = NULL, *tok;

	if (!s || gg_strlcpy(copy, s, sizeof copy) != GG_OK)
		return 0;
	for (tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
		bits |= gg_talent_pii_field(tok);
	return bits;
}

enum gg_err gg_talent_reveal(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                             unsigned fields, const char *purpose, struct gg_talent_pii *out, struct gg_error *err)
{
	struct gg_talent *t = NULL;
	struct gg_stmt *st = NULL;
	char *why = NULL, list[64];
	int row, begun = 0;
	enum gg_err rc;

	gg_talent_pii_wipe(out);
	if ((fields & GG_PII_ALL) == 0 || (fields & ~GG_PII_ALL))
		return gg_error_field(err, GG_E_INVALID, "fields", "name at least one of document, phone and email");
	if ((rc = norm_text(purpose, "purpose", PURPOSE_MAX, 0, &why, err)) != GG_OK)
		return rc;
	fields_text(fields, list, sizeof list);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	begun = 1;
	if ((rc = gg_talent_get(db, id, &t, err)) != GG_OK)
		goto out;
	if ((rc = gg_db_prepare(db,
	                        "INSERT INTO pii_reads (talent_id, reader_id, reader, fields, purpose, at, request_id) "
	                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
	                        &st, err)) != GG_OK)
		goto out;
	if ((rc = gg_db_bind_i64(st, 1, id)) != GG_OK || (rc = gg_db_bind_i64(st, 2, actor->id)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 3, actor->name)) != GG_OK || (rc = gg_db_bind_text(st, 4, list)) != GG_OK ||
	    (rc = bind_text_or_null(st, 5, why)) != GG_OK || (rc = gg_db_bind_i64(st, 6, gg_clock_now())) != GG_OK ||
	    (rc = bind_text_or_null(st, 7, actor->request_id)) != GG_OK || (rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	gg_db_done(st);
	st = NULL;
	const struct gg_audit_change changes[] = {
	    {"fields", NULL, list},
	    {"purpose", NULL, why},
	};
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = "talent.pii_read",
	    .entity = "talent",
	    .entity_id = id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = why ? 2 : 1,
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	if ((rc = gg_talent_decrypt(keys, t, fields, out, err)) != GG_OK)
		goto out;
	rc = gg_db_commit(db, err);
	begun = 0;
out:
	gg_db_done(st);
	if (begun || rc != GG_OK)
		gg_db_rollback(db);
	if (rc != GG_OK)
		gg_talent_pii_wipe(out);
	gg_talent_free(t);
	free(why);
	return finish(rc, err);
}

enum gg_err gg_talent_pii_reads(struct gg_db *db, int64_t id, int64_t before_id, int limit, struct gg_pii_read **out,
                                size_t *n, int *more, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_pii_read *rows = NULL;
	int row;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (limit < 1 || limit > 200)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be a whole number from 1 to 200");
	if (!(rows = calloc((size_t)limit, sizeof *rows)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_db_prepare(db,
	                   "SELECT id, reader_id, reader, fields, purpose, at, request_id FROM pii_reads "
	                   "WHERE talent_id = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_i64(st, 1, id)) != GG_OK || (rc = gg_db_bind_i64(st, 2, before_id)) != GG_OK ||
	    (rc = gg_db_bind_i64(st, 3, before_id)) != GG_OK || (rc = gg_db_bind_i64(st, 4, limit + 1)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_pii_read *r;
		const char *s;

		if (*n == (size_t)limit) {
			*more = 1;
			break;
		}
		r = &rows[(*n)++];
		r->id = gg_db_col_i64(st, 0);
		r->reader_id = gg_db_col_i64(st, 1);
		gg_strlcpy(r->reader, (s = gg_db_col_text(st, 2)) ? s : "", sizeof r->reader);
		r->fields = fields_parse(gg_db_col_text(st, 3));
		gg_strlcpy(r->purpose, (s = gg_db_col_text(st, 4)) ? s : "", sizeof r->purpose);
		r->at = gg_db_col_i64(st, 5);
		gg_strlcpy(r->request_id, (s = gg_db_col_text(st, 6)) ? s : "", sizeof r->request_id);
	}
out:
	gg_db_done(st);
	if (rc != GG_OK) {
		free(rows);
		*n = 0;
		*more = 0;
		return finish(rc, err);
	}
	*out = rows;
	return GG_OK;
}

enum gg_err gg_talent_merged_ids(struct gg_db *db, int64_t id, int64_t **out, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t *ids = NULL;
	size_t cap = 0, done = 0;
	int row;
	enum gg_err rc = GG_OK;

	*out = NULL;
	*n = 0;
	/* breadth first over merged_into; ids[done..n) still need their own sources */
	for (int64_t target = id;; target = ids[done++]) {
		if ((rc = gg_db_prepare(db, "SELECT id FROM talents WHERE merged_into = ? ORDER BY id", &st, err)) !=
		    GG_OK)
			break;
		if ((rc = gg_db_bind_i64(st, 1, target)) != GG_OK)
			break;
		while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
			int64_t src = gg_db_col_i64(st, 0);
			int seen = src == id;
			for (size_t i = 0; i < *n && !seen; i++)
				seen = ids[i] == src;
			if (seen)
				continue;
			if (*n == cap) {
				int64_t *grown = realloc(ids, (cap = cap ? cap * 2 : 8) * sizeof *ids);
				if (!grown) {
					rc = GG_E_NOMEM;
					break;
				}
				ids = grown;
			}
			ids[(*n)++] = src;
		}
		gg_db_done(st);
		st = NULL;
		if (rc != GG_OK || done == *n)
			break;
	}
	gg_db_done(st);
	if (rc != GG_OK) {
		free(ids);
		*n = 0;
		return finish(rc, err);
	}
	*out = ids;
	return GG_OK;
}

/* Scope. */

/* How one grant limits talent reads. */
enum limit { LIMIT_NONE, LIMIT_ORG, LIMIT_SELF, LIMIT_ASSIGNED, LIMIT_NOTHING };

static enum limit grant_limit(const struct gg_role_grant *g)
{
	static const enum limit by_scope[] = {
	    [GG_SCOPE_NONE] = LIMIT_NONE,
	    [GG_SCOPE_ORG] = LIMIT_ORG,
	    [GG_SCOPE_STATION] = LIMIT_NOTHING,
	    [GG_SCOPE_TALENT] = LIMIT_SELF,
	};

	if (g->role == GG_ROLE_commissioner)
		return LIMIT_ASSIGNED;
	if ((unsigned)g->scope_kind >= COUNT(by_scope))
		return LIMIT_NOTHING;
	return by_scope[g->scope_kind];
}

int gg_talent_unscoped(const struct gg_principal *pr)
{
	struct gg_talent_scope sc;

	gg_talent_scope(pr, &sc);
	return sc.unscoped;
}

void gg_talent_scope(const struct gg_principal *pr, struct gg_talent_scope *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; pr && i < pr->nroles; i++) {
		const struct gg_role_grant *g = &pr->roles[i];

		if (!gg_role_grants(g->role, GG_PERM_talents_read))
			continue;
		switch (grant_limit(g)) {
		case LIMIT_NONE:
			memset(out, 0, sizeof *out);
			out->unscoped = 1;
			return;
		case LIMIT_ORG:
			if (!out->org_id)
				out->org_id = g->scope_id;
			break;
		case LIMIT_SELF:
			if (!out->talent_id)
				out->talent_id = g->scope_id;
			break;
		case LIMIT_ASSIGNED:
			out->commissioner_id = pr->user_id;
			break;
		case LIMIT_NOTHING:
			break;
		}
	}
}

int gg_talent_write_allowed(const struct gg_principal *pr, int64_t org_id, int64_t *own_org)
{
	int allowed = 0, unscoped = 0;
	int64_t first = 0;

	for (size_t i = 0; pr && i < pr->nroles; i++) {
		const struct gg_role_grant *g = &pr->roles[i];
		enum limit l = grant_limit(g);

		if (!gg_role_grants(g->role, GG_PERM_talents_write))
			continue;
		if (l == LIMIT_NONE)
			unscoped = allowed = 1;
		else if (l == LIMIT_ORG) {
			if (!first)
				first = g->scope_id;
			if (org_id != 0 && g->scope_id == org_id)
				allowed = 1;
		}
	}
	if (own_org)
		*own_org = unscoped ? 0 : first;
	return allowed;
}

/* 1 when grant g (of a principal with user id uid) reaches a talent with org_id and commissioner. */
static int grant_reaches(const struct gg_role_grant *g, int64_t uid, int64_t id, int64_t org_id, int64_t commissioner)
{
	switch (grant_limit(g)) {
	case LIMIT_NONE:
		return 1;
	case LIMIT_ORG:
		return org_id != 0 && g->scope_id == org_id;
	case LIMIT_SELF:
		return g->scope_id == id;
	case LIMIT_ASSIGNED:
		return commissioner != 0 && commissioner == uid;
	case LIMIT_NOTHING:
		break;
	}
	return 0;
}

/* org_id and commissioner_id of talent id; 0 when absent (or on error). */
static int talent_owner(struct gg_db *db, int64_t id, int64_t *org_id, int64_t *commissioner)
{
	struct gg_stmt *st = NULL;
	struct gg_error err;
	int row = 0;

	gg_error_init(&err);
	if (gg_db_prepare(db, "SELECT org_id, commissioner_id FROM talents WHERE id = ?", &st, &err) != GG_OK)
		return 0;
	if (gg_db_bind_i64(st, 1, id) == GG_OK && gg_db_step(st, &row, &err) == GG_OK && row) {
		*org_id = gg_db_col_i64(st, 0);
		*commissioner = gg_db_col_i64(st, 1);
	} else {
		row = 0;
	}
	gg_db_done(st);
	return row;
}

enum gg_err gg_talent_live_name(struct gg_db *db, int64_t id, char *name, size_t namesz, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t merged = 0;
	int row = 0;
	enum gg_err rc;

	name[0] = '\0';
	rc = gg_db_prepare(db, "SELECT name, merged_into FROM talents WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		gg_strlcpy(name, gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "", namesz);
		merged = gg_db_col_i64(st, 1);
	}
	gg_db_done(st);
	if (rc != GG_OK)
		return finish(rc, err);
	if (!row || merged || id <= 0)
		return gg_error_field(err, GG_E_NOT_FOUND, "talent_id", "unknown talent %lld", (long long)id);
	return GG_OK;
}

int gg_talent_visible(struct gg_db *db, const struct gg_principal *pr, int64_t id)
{
	int64_t org_id = 0, commissioner = 0;

	if (!pr || id <= 0 || !talent_owner(db, id, &org_id, &commissioner))
		return 0;
	for (size_t i = 0; i < pr->nroles; i++)
		if (gg_role_grants(pr->roles[i].role, GG_PERM_talents_read) &&
		    grant_reaches(&pr->roles[i], pr->user_id, id, org_id, commissioner))
			return 1;
	return 0;
}

int gg_talent_pii_allowed(struct gg_db *db, const struct gg_principal *pr, int64_t id)
{
	int64_t org_id = 0, commissioner = 0;

	if (!pr || id <= 0 || !talent_owner(db, id, &org_id, &commissioner))
		return 0;
	for (size_t i = 0; i < pr->nroles; i++) {
		const struct gg_role_grant *g = &pr->roles[i];
		enum limit l = grant_limit(g);

		if (!gg_role_grants(g->role, GG_PERM_pii_read))
			continue;
		if (l == LIMIT_NONE || (l == LIMIT_SELF && g->scope_id == id))
			return 1;
	}
	return 0;
}
