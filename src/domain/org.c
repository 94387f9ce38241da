/*
 * org: organisation records. A write goes in three steps inside the
 * caller's transaction: validate the input alone (gg_org_validate), build
 * the record as it would be after the write (normalised values merged over
 * the stored ones) and compare it with the stored record, then, only when
 * something differs, write the row, segments and contacts, one audit row
 * listing every changed field, and the search terms. The comparison is
 * what makes a repeated import a no-op. Contacts' phone numbers and e-mail
 * addresses are sealed; the comparison opens the stored ones, the audit
 * row and the record carry only the masked copies.
 */
#include "org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/chinese.h"
#include "../core/clock.h"
#include "../core/text.h"
#include "mask.h"
#include "search.h"
#include "vocabulary.h"

#define TEXT_MAX    4096 /* bytes of one normalised text value */
#define TOKEN_MAX   64   /* bytes of a segment token */
#define SEGS_TEXT   (GG_ORG_SEGMENTS_MAX * TOKEN_MAX)
#define PHONE_MAX   32
#define FIELD_PHONE "org_contacts.phone" /* associated data of the sealed values */
#define FIELD_EMAIL "org_contacts.email"

/* Makes sure a failing function leaves a code in err even when a lower layer returned one without a message. */
static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

static const char *bool_text(int v)
{
	return v ? "true" : "false";
}

/* strcmp that treats NULL as "no value", equal only to NULL. */
static int same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = 1;
	return d;
}

/*
 * NFKC of s into out; checks 1..max characters (0..max when may_be_empty)
 * and adds a field error when it fails. A NULL s is an empty value.
 */
static enum gg_err norm_text(const char *s, const char *field, const char *what, long max, int may_be_empty,
                             struct gg_buf *out, struct gg_error *err)
{
	long n;

	if (!s)
		s = "";
	if (strlen(s) >= TEXT_MAX || gg_text_nfkc(s, out) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, field, "%s must be utf-8 text of at most %ld characters", what,
		                      max);
	n = gg_text_chars(out->buf);
	if (n < 0)
		return gg_error_field(err, GG_E_INVALID, field, "%s must not hold control characters", what);
	if (n == 0 && !may_be_empty)
		return gg_error_field(err, GG_E_INVALID, field, "%s is required", what);
	if (n > max)
		return gg_error_field(err, GG_E_INVALID, field, "%s must be at most %ld characters (got %ld)", what,
		                      max, n);
	return GG_OK;
}

/* 1 when s is blank (NULL, empty or white space only). */
static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/*
 * A phone number as stored: white space removed. Accepted: a mobile
 * 1[3-9] and 9 digits, +CC and 7..15 digits (E.164), a landline
 * 0AA(A)-NNNNNNN(N) with an optional -extension. 0 when it is none of them.
 */
static int norm_phone(const char *s, char *out, size_t outsz)
{
	size_t n = 0, digits = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (n + 1 >= outsz)
			return 0;
		out[n++] = *p;
	}
	out[n] = '\0';
	if (n == 0)
		return 0;
	if (out[0] == '+') {
		for (p = out + 1; *p; p++) {
			if (*p < '0' || *p > '9')
				return 0;
			digits++;
		}
		return digits >= 7 && digits <= 15 && out[1] != '0';
	}
	if (out[0] == '1') {
		if (n != 11 || out[1] < '3')
			return 0;
		for (p = out; *p; p++)
			if (*p < '0' || *p > '9')
				return 0;
		return 1;
	}
	if (out[0] == '0') {
		/* area code 0 + 2..3 digits, optional '-', 7..8 digits, optional '-' extension of 1..6 digits */
		size_t run = 0, part = 0, runs[3] = {0, 0, 0};
		for (p = out; *p; p++) {
			if (*p == '-') {
				if (run == 0 || part == 2)
					return 0;
				runs[part++] = run;
				run = 0;
			} else if (*p >= '0' && *p <= '9') {
				run++;
			} else {
				return 0;
			}
		}
		if (run == 0)
			return 0;
		runs[part] = run;
		if (part == 0) /* no separator: 0 + area + number, 10..12 digits */
			return runs[0] >= 10 && runs[0] <= 12;
		return runs[0] >= 3 && runs[0] <= 4 && runs[1] >= 7 && runs[1] <= 8 && (part == 1 || runs[2] <= 6);
	}
	return 0;
}

/* An e-mail address as stored: trimmed. local@domain.tld, no white space, at most GG_ORG_EMAIL_MAX bytes. */
static int norm_email(const char *s, char *out, size_t outsz)
{
	const char *start = s, *end, *at, *dot;
	size_t n;

	while (*start == ' ' || *start == '\t')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - start);
	if (n == 0 || n > GG_ORG_EMAIL_MAX || n >= outsz)
		return 0;
	memcpy(out, start, n);
	out[n] = '\0';
	at = strchr(out, '@');
	if (!at || at == out || strchr(at + 1, '@'))
		return 0;
	for (const char *p = out; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == ',' || *p == ';' || *p == '<' || *p == '>')
			return 0;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] != '\0';
}

enum gg_err gg_org_validate(const struct gg_org_input *in, int create, struct gg_error *err)
{
	struct gg_buf b;
	char field[64], phone[PHONE_MAX], email[GG_ORG_EMAIL_MAX + 1];
	enum gg_err rc = GG_OK;

	gg_buf_init(&b, TEXT_MAX);
	if (create && !in->set_name)
		rc = gg_error_field(err, GG_E_INVALID, "name", "name is required");
	else if (in->set_name && norm_text(in->name, "name", "name", GG_ORG_NAME_MAX, 0, &b, err) != GG_OK)
		rc = GG_E_INVALID;
	if (in->set_uscc && !blank(in->uscc) && gg_ident_check_uscc(in->uscc, "uscc", err) != GG_OK)
		rc = GG_E_INVALID;
	if ((create && !in->set_kind) || (in->set_kind && blank(in->kind)))
		rc = gg_error_field(err, GG_E_INVALID, "kind", "kind is required");
	else if (in->set_kind && !gg_vocab_lookup(GG_VOCAB_ORG_KIND, in->kind))
		rc = gg_error_field(err, GG_E_INVALID, "kind", "unknown organisation kind '%.64s'", in->kind);
	if (in->set_park && norm_text(in->park, "park", "park", GG_ORG_PARK_MAX, 1, &b, err) != GG_OK)
		rc = GG_E_INVALID;
	if (in->set_segments) {
		if (in->nsegments > GG_ORG_SEGMENTS_MAX)
			rc = gg_error_field(err, GG_E_INVALID, "segments", "at most %d segments are allowed",
			                    GG_ORG_SEGMENTS_MAX);
		for (size_t i = 0; i < in->nsegments && i < GG_ORG_SEGMENTS_MAX; i++) {
			if (!in->segments || blank(in->segments[i]) || strlen(in->segments[i]) >= TEXT_MAX) {
				snprintf(field, sizeof field, "segments.%zu", i);
				rc = gg_error_field(err, GG_E_INVALID, field, "segment must be a segment token");
			}
		}
	}
	if (in->set_contacts) {
		if (in->ncontacts > GG_ORG_CONTACTS_MAX)
			rc = gg_error_field(err, GG_E_INVALID, "contacts", "at most %d contacts are allowed",
			                    GG_ORG_CONTACTS_MAX);
		for (size_t i = 0; in->contacts && i < in->ncontacts && i < GG_ORG_CONTACTS_MAX; i++) {
			const struct gg_org_contact_input *c = &in->contacts[i];
			if (c->id < 0) {
				snprintf(field, sizeof field, "contacts.%zu.id", i);
				rc = gg_error_field(err, GG_E_INVALID, field, "contact id must be positive");
			}
			for (size_t j = 0; c->id > 0 && j < i; j++) {
				if (in->contacts[j].id == c->id) {
					snprintf(field, sizeof field, "contacts.%zu.id", i);
					rc = gg_error_field(err, GG_E_INVALID, field, "contact %lld is named twice",
					                    (long long)c->id);
					break;
				}
			}
			snprintf(field, sizeof field, "contacts.%zu.name", i);
			if (norm_text(c->name, field, "contact name", GG_ORG_CONTACT_NAME_MAX, 0, &b, err) != GG_OK)
				rc = GG_E_INVALID;
			snprintf(field, sizeof field, "contacts.%zu.title", i);
			if (norm_text(c->title, field, "title", GG_ORG_CONTACT_TITLE_MAX, 1, &b, err) != GG_OK)
				rc = GG_E_INVALID;
			if (c->set_phone && !blank(c->phone) && !norm_phone(c->phone, phone, sizeof phone)) {
				snprintf(field, sizeof field, "contacts.%zu.phone", i);
				rc = gg_error_field(err, GG_E_INVALID, field,
				                    "phone must be a mobile number (11 digits), +country code and "
				                    "number, or a landline 0AA-NNNNNNNN");
			}
			if (c->set_email && !blank(c->email) && !norm_email(c->email, email, sizeof email)) {
				snprintf(field, sizeof field, "contacts.%zu.email", i);
				rc = gg_error_field(err, GG_E_INVALID, field,
				                    "email must be an address name@domain.tld");
			}
		}
	}
	gg_buf_release(&b);
	return rc == GG_OK ? GG_OK : GG_E_INVALID;
}

/* A contact while writing: the plain personal data next to the masks. */
struct contact {
	int64_t id;
	char *name, *title;
	char *phone, *email;                   /* plain text; NULL: none */
	char *phone_masked, *email_masked;     /* NULL: none */
	const struct gg_org_contact_input *in; /* the input item that names it (writes) */
	int keep;                              /* named by the input (old ones) */
};

static void contact_release(struct contact *c)
{
	free(c->name);
	free(c->title);
	if (c->phone) {
		memset(c->phone, 0, strlen(c->phone));
		free(c->phone);
	}
	if (c->email) {
		memset(c->email, 0, strlen(c->email));
		free(c->email);
	}
	free(c->phone_masked);
	free(c->email_masked);
	memset(c, 0, sizeof *c);
}

void gg_org_free(struct gg_org *o)
{
	if (!o)
		return;
	free(o->name);
	free(o->pinyin);
	free(o->uscc);
	free(o->kind);
	free(o->park);
	for (size_t i = 0; i < o->nsegments; i++)
		free(o->segments[i]);
	free(o->segments);
	for (size_t i = 0; i < o->ncontacts; i++) {
		free(o->contacts[i].name);
		free(o->contacts[i].title);
		free(o->contacts[i].phone_masked);
		free(o->contacts[i].email_masked);
	}
	free(o->contacts);
	free(o);
}

/* Opens a sealed column into a new string (*out NULL when the column is NULL). */
static enum gg_err open_col(const struct gg_keys *keys, const char *field, struct gg_stmt *st, int col, char **out,
                            struct gg_error *err)
{
	struct gg_buf b;
	const void *p;
	size_t len = 0;
	enum gg_err rc;

	*out = NULL;
	if (gg_db_col_is_null(st, col))
		return GG_OK;
	if (!keys)
		return gg_error_set(err, GG_E_INTERNAL, "personal data keys are not loaded");
	p = gg_db_col_blob(st, col, &len);
	gg_buf_init(&b, 4096);
	rc = gg_crypto_open(keys, field, p, len, &b);
	if (rc != GG_OK) {
		gg_buf_release(&b);
		return gg_error_set(err, GG_E_INTERNAL, "a contact's sealed value does not open with data.key");
	}
	*out = gg_buf_detach(&b, NULL);
	gg_buf_release(&b);
	if (!*out)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return GG_OK;
}

/* The contacts of an organisation in id order; with keys, the plain phone and e-mail too. */
static enum gg_err load_contacts(struct gg_db *db, const struct gg_keys *keys, int open, int64_t org_id,
                                 struct contact **out, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct contact *v = NULL;
	size_t cap = 0, count = 0;
	enum gg_err rc;
	int row, oom = 0;

	*out = NULL;
	*n = 0;
	rc = gg_db_prepare(db,
	                   "SELECT id, name, title, phone_masked, email_masked, phone_enc, email_enc FROM org_contacts "
	                   "WHERE org_id = ? ORDER BY id",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_i64(st, 1, org_id)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			struct contact *nv = realloc(v, ncap * sizeof *nv);
			if (!nv) {
				oom = 1;
				break;
			}
			v = nv;
			cap = ncap;
		}
		struct contact *c = &v[count++];
		memset(c, 0, sizeof *c);
		c->id = gg_db_col_i64(st, 0);
		c->name = dup_or_null(gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "", &oom);
		c->title = dup_or_null(gg_db_col_text(st, 2), &oom);
		c->phone_masked = dup_or_null(gg_db_col_text(st, 3), &oom);
		c->email_masked = dup_or_null(gg_db_col_text(st, 4), &oom);
		if (open) {
			if ((rc = open_col(keys, FIELD_PHONE, st, 5, &c->phone, err)) != GG_OK ||
			    (rc = open_col(keys, FIELD_EMAIL, st, 6, &c->email, err)) != GG_OK)
				break;
		}
		if (oom)
			break;
	}
	if (rc == GG_OK && oom)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
out:
	gg_db_done(st);
	if (rc != GG_OK) {
		for (size_t i = 0; i < count; i++)
			contact_release(&v[i]);
		free(v);
		return finish(rc, err);
	}
	*out = v;
	*n = count;
	return GG_OK;
}

static void contacts_free(struct contact *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		contact_release(&v[i]);
	free(v);
}

/* Reads one organisation without a transaction of its own. */
static enum gg_err load_org(struct gg_db *db, int64_t id, struct gg_org **out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_org *o = calloc(1, sizeof *o);
	struct contact *cs = NULL;
	size_t ncs = 0, cap = 0;
	enum gg_err rc;
	int row = 0, oom = 0;

	*out = NULL;
	if (!o)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_db_prepare(db,
	                   "SELECT id, name, pinyin, uscc, kind, park, verified, created_at, updated_at, version "
	                   "FROM orgs WHERE id = ?",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_i64(st, 1, id)) != GG_OK || (rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (!row) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown organisation %lld", (long long)id);
		goto out;
	}
	o->id = gg_db_col_i64(st, 0);
	o->name = dup_or_null(gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "", &oom);
	o->pinyin = dup_or_null(gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "", &oom);
	o->uscc = dup_or_null(gg_db_col_text(st, 3), &oom);
	o->kind = dup_or_null(gg_db_col_text(st, 4) ? gg_db_col_text(st, 4) : "", &oom);
	o->park = dup_or_null(gg_db_col_text(st, 5), &oom);
	o->verified = gg_db_col_i64(st, 6) != 0;
	o->created_at = gg_db_col_i64(st, 7);
	o->updated_at = gg_db_col_i64(st, 8);
	o->version = gg_db_col_i64(st, 9);
	gg_db_done(st);
	st = NULL;
	if (oom)
		goto out;

	if ((rc = gg_db_prepare(db, "SELECT segment FROM org_segments WHERE org_id = ? ORDER BY segment", &st, err)) !=
	    GG_OK)
		goto out;
	if ((rc = gg_db_bind_i64(st, 1, id)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (o->nsegments == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **nv = realloc(o->segments, ncap * sizeof *nv);
			if (!nv) {
				oom = 1;
				break;
			}
			o->segments = nv;
			cap = ncap;
		}
		o->segments[o->nsegments] = dup_or_null(gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "", &oom);
		if (oom)
			break;
		o->nsegments++;
	}
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK || oom)
		goto out;

	if ((rc = load_contacts(db, NULL, 0, id, &cs, &ncs, err)) != GG_OK)
		goto out;
	if (ncs) {
		o->contacts = calloc(ncs, sizeof *o->contacts);
		if (!o->contacts) {
			oom = 1;
			goto out;
		}
		for (size_t i = 0; i < ncs; i++) {
			/* hand the strings over */
			o->contacts[i].id = cs[i].id;
			o->contacts[i].name = cs[i].name;
			o->contacts[i].title = cs[i].title;
			o->contacts[i].phone_masked = cs[i].phone_masked;
			o->contacts[i].email_masked = cs[i].email_masked;
			cs[i].name = cs[i].title = cs[i].phone_masked = cs[i].email_masked = NULL;
		}
		o->ncontacts = ncs;
	}

	const int64_t args[] = {id};
	int found = 0;
	rc = gg_db_query_i64(db, "SELECT COUNT(*) FROM talents WHERE org_id = ? AND merged_into IS NULL", args, 1,
	                     &o->talents_count, &found, err);
out:
	gg_db_done(st);
	contacts_free(cs, ncs);
	if (rc == GG_OK && oom)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	if (rc != GG_OK) {
		gg_org_free(o);
		return finish(rc, err);
	}
	*out = o;
	return GG_OK;
}

enum gg_err gg_org_get(struct gg_db *db, int64_t id, struct gg_org **out, struct gg_error *err)
{
	enum gg_err rc = gg_db_begin(db, GG_DB_READ, err);

	*out = NULL;
	if (rc != GG_OK)
		return rc;
	rc = load_org(db, id, out, err);
	gg_db_rollback(db);
	return rc;
}

/* Strings the audit row points at, freed together at the end of a write. */
struct pool {
	char **v;
	size_t n, cap;
	int oom;
};

static const char *pool_add(struct pool *p, const char *s)
{
	char *d;

	if (!s)
		return NULL;
	if (p->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 32;
		char **nv = realloc(p->v, ncap * sizeof *nv);
		if (!nv) {
			p->oom = 1;
			return NULL;
		}
		p->v = nv;
		p->cap = ncap;
	}
	d = strdup(s);
	if (!d) {
		p->oom = 1;
		return NULL;
	}
	p->v[p->n++] = d;
	return d;
}

/* "contacts.<id>.<what>", the audit field of one contact's value. */
static const char *contact_field(struct pool *p, int64_t id, const char *what)
{
	char s[96];

	snprintf(s, sizeof s, "contacts.%lld.%s", (long long)id, what);
	return pool_add(p, s);
}

static void pool_release(struct pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* The audit changes of one write. */
struct changes {
	struct gg_audit_change *v;
	size_t n, cap;
	int oom;
};

/* Records a changed field; force: also when the two texts are equal (two values with one mask). */
static void change_any(struct changes *c, const char *field, const char *old_value, const char *new_value, int force)
{
	if (!force && same(old_value, new_value))
		return;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct gg_audit_change *nv = realloc(c->v, ncap * sizeof *nv);
		if (!nv) {
			c->oom = 1;
			return;
		}
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n].field = field;
	c->v[c->n].old_value = old_value;
	c->v[c->n].new_value = new_value;
	c->n++;
}

static void change(struct changes *c, const char *field, const char *old_value, const char *new_value)
{
	change_any(c, field, old_value, new_value, 0);
}

/* The record as it will be after the write. */
struct target {
	struct gg_buf name, pinyin, park;
	int has_park;
	char uscc[GG_IDENT_BUF];
	int has_uscc;
	const char *kind;
	int verified;
	char segs[GG_ORG_SEGMENTS_MAX][TOKEN_MAX];
	size_t nsegs;
	char segs_text[SEGS_TEXT]; /* "a;b", for comparing and the audit row */
	struct contact *contacts;  /* after the write (set_contacts), in input order */
	size_t ncontacts;
};

static int seg_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void join_segments(char **segs, size_t n, char *out, size_t outsz)
{
	struct gg_buf b;

	gg_buf_init(&b, outsz - 1);
	for (size_t i = 0; i < n; i++)
		if (gg_buf_adds(&b, i ? ";" : "") != GG_OK || gg_buf_adds(&b, segs[i]) != GG_OK)
			break;
	gg_strlcpy(out, b.buf, outsz);
	gg_buf_release(&b);
}

/* Resolves the input's segments (tokens or labels) to sorted, distinct tokens. */
static enum gg_err resolve_segments(struct gg_db *db, const struct gg_org_input *in, struct target *t,
                                    struct gg_error *err)
{
	char field[48];
	enum gg_err rc = GG_OK;

	t->nsegs = 0;
	for (size_t i = 0; i < in->nsegments && i < GG_ORG_SEGMENTS_MAX; i++) {
		char tok[TOKEN_MAX];
		int found = 0, dup = 0;
		enum gg_err r = gg_vocab_segment_lookup(db, in->segments[i], tok, sizeof tok, &found, err);
		if (r != GG_OK)
			return r;
		if (!found) {
			snprintf(field, sizeof field, "segments.%zu", i);
			rc = gg_error_field(err, GG_E_INVALID, field, "unknown segment '%.64s'", in->segments[i]);
			continue;
		}
		for (size_t j = 0; j < t->nsegs; j++)
			dup |= strcmp(t->segs[j], tok) == 0;
		if (!dup)
			memcpy(t->segs[t->nsegs++], tok, sizeof tok);
	}
	qsort(t->segs, t->nsegs, sizeof t->segs[0], seg_cmp);
	return rc;
}

static void target_release(struct target *t)
{
	gg_buf_release(&t->name);
	gg_buf_release(&t->pinyin);
	gg_buf_release(&t->park);
	contacts_free(t->contacts, t->ncontacts);
	t->contacts = NULL;
	t->ncontacts = 0;
}

/* Masks a plain value into a new string (NULL for NULL). */
static char *masked(const char *plain, int phone, int *oom)
{
	char m[GG_MASK_MAX];

	if (!plain)
		return NULL;
	if ((phone ? gg_mask_phone(plain, m, sizeof m) : gg_mask_email(plain, m, sizeof m)) != GG_OK)
		gg_strlcpy(m, "***", sizeof m);
	return dup_or_null(m, oom);
}

/*
 * Builds the contacts after the write from the input and the stored ones
 * (old, whose keep flags it sets). Field errors name the input item.
 */
static enum gg_err plan_contacts(const struct gg_org_input *in, struct contact *old, size_t nold, int64_t org_id,
                                 struct target *t, struct gg_error *err)
{
	struct gg_buf b;
	char field[48], phone[PHONE_MAX], email[GG_ORG_EMAIL_MAX + 1];
	enum gg_err rc = GG_OK;
	int oom = 0;

	t->contacts = calloc(in->ncontacts ? in->ncontacts : 1, sizeof *t->contacts);
	if (!t->contacts)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	gg_buf_init(&b, TEXT_MAX);
	for (size_t i = 0; i < in->ncontacts; i++) {
		const struct gg_org_contact_input *ci = &in->contacts[i];
		struct contact *c = &t->contacts[t->ncontacts++], *prev = NULL;

		c->in = ci;
		if (ci->id > 0) {
			for (size_t j = 0; j < nold; j++)
				if (old[j].id == ci->id)
					prev = &old[j];
			if (!prev) {
				snprintf(field, sizeof field, "contacts.%zu.id", i);
				rc = gg_error_field(err, GG_E_INVALID, field, "organisation %lld has no contact %lld",
				                    (long long)org_id, (long long)ci->id);
				continue;
			}
			prev->keep = 1;
			c->id = prev->id;
		}
		gg_text_nfkc(ci->name, &b);
		c->name = dup_or_null(b.buf, &oom);
		if (!blank(ci->title)) {
			gg_text_nfkc(ci->title, &b);
			c->title = dup_or_null(b.buf, &oom);
		}
		if (ci->set_phone)
			c->phone = !blank(ci->phone) && norm_phone(ci->phone, phone, sizeof phone)
			               ? dup_or_null(phone, &oom)
			               : NULL;
		else if (prev)
			c->phone = dup_or_null(prev->phone, &oom);
		if (ci->set_email)
			c->email = !blank(ci->email) && norm_email(ci->email, email, sizeof email)
			               ? dup_or_null(email, &oom)
			               : NULL;
		else if (prev)
			c->email = dup_or_null(prev->email, &oom);
		c->phone_masked = masked(c->phone, 1, &oom);
		c->email_masked = masked(c->email, 0, &oom);
	}
	gg_buf_release(&b);
	if (oom)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return rc;
}

/* 1 when contact c (planned) differs from its stored version p. */
static int contact_differs(const struct contact *c, const struct contact *p)
{
	return !same(c->name, p->name) || !same(c->title, p->title) || !same(c->phone, p->phone) ||
	       !same(c->email, p->email);
}

static enum gg_err bind_sealed(struct gg_stmt *st, int idx, const struct gg_keys *keys, const char *field,
                               const char *plain, struct gg_buf *b, struct gg_error *err)
{
	if (!plain)
		return gg_db_bind_null(st, idx);
	if (!keys)
		return gg_error_set(err, GG_E_INTERNAL, "personal data keys are not loaded");
	if (gg_crypto_seal(keys, field, plain, b) != GG_OK)
		return gg_error_set(err, GG_E_INTERNAL, "cannot seal a contact's personal data");
	return gg_db_bind_blob(st, idx, b->buf, b->len);
}

/* Inserts (c->id 0) or updates one contact. */
static enum gg_err write_contact(struct gg_db *db, const struct gg_keys *keys, int64_t org_id, struct contact *c,
                                 struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_buf pb, eb;
	enum gg_err rc;
	int row = 0;

	gg_buf_init(&pb, 4096);
	gg_buf_init(&eb, 4096);
	rc = gg_db_prepare(db,
	                   c->id ? "UPDATE org_contacts SET name = ?, title = ?, phone_enc = ?, phone_masked = ?, "
	                           "email_enc = ?, email_masked = ? WHERE id = ? AND org_id = ?"
	                         : "INSERT INTO org_contacts (name, title, phone_enc, phone_masked, email_enc, "
	                           "email_masked, org_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_text(st, 1, c->name)) != GG_OK || (rc = gg_db_bind_text(st, 2, c->title)) != GG_OK ||
	    (rc = bind_sealed(st, 3, keys, FIELD_PHONE, c->phone, &pb, err)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 4, c->phone_masked)) != GG_OK ||
	    (rc = bind_sealed(st, 5, keys, FIELD_EMAIL, c->email, &eb, err)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 6, c->email_masked)) != GG_OK)
		goto out;
	if (c->id) {
		if ((rc = gg_db_bind_i64(st, 7, c->id)) != GG_OK || (rc = gg_db_bind_i64(st, 8, org_id)) != GG_OK)
			goto out;
	} else if ((rc = gg_db_bind_i64(st, 7, org_id)) != GG_OK) {
		goto out;
	}
	if ((rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (!c->id) {
		if (!row) {
			rc = gg_error_set(err, GG_E_DB, "insert into org_contacts returned no id");
			goto out;
		}
		c->id = gg_db_col_i64(st, 0);
	}
out:
	gg_db_done(st);
	gg_buf_release(&pb);
	gg_buf_release(&eb);
	return finish(rc, err);
}

static enum gg_err write_segments(struct gg_db *db, int64_t org_id, const struct target *t, int replace,
                                  struct gg_error *err)
{
	const int64_t args[] = {org_id};
	enum gg_err rc = GG_OK;

	if (replace && (rc = gg_db_run_i64(db, "DELETE FROM org_segments WHERE org_id = ?", args, 1, err)) != GG_OK)
		return rc;
	for (size_t i = 0; i < t->nsegs && rc == GG_OK; i++) {
		struct gg_stmt *st = NULL;
		int row;
		rc = gg_db_prepare(db, "INSERT INTO org_segments (org_id, segment) VALUES (?, ?)", &st, err);
		if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, org_id)) == GG_OK &&
		    (rc = gg_db_bind_text(st, 2, t->segs[i])) == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	return finish(rc, err);
}

/* Checks that no other organisation holds the credit code. */
static enum gg_err check_uscc_free(struct gg_db *db, const char *uscc, int64_t self, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db, "SELECT id FROM orgs WHERE uscc = ? AND id <> ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, uscc)) == GG_OK && (rc = gg_db_bind_i64(st, 2, self)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		rc = gg_error_field(err, GG_E_DUPLICATE, "uscc", "organisation %lld has this credit code",
		                    (long long)gg_db_col_i64(st, 0));
	gg_db_done(st);
	return finish(rc, err);
}

/* Builds the target record from the stored one (cur, NULL on create) and the input. */
static enum gg_err build_target(struct gg_db *db, const struct gg_org_input *in, const struct gg_org *cur,
                                struct target *t, struct gg_error *err)
{
	enum gg_err rc;

	if (in->set_name) {
		if ((rc = gg_text_nfkc(in->name, &t->name)) != GG_OK)
			return gg_error_field(err, GG_E_INVALID, "name", "name must be utf-8 text");
		if ((rc = gg_chinese_pinyin(t->name.buf, 0, &t->pinyin)) != GG_OK)
			return gg_error_set(err, rc, "cannot derive the pinyin of '%.64s'", t->name.buf);
	} else if ((rc = gg_buf_adds(&t->name, cur->name)) != GG_OK ||
	           (rc = gg_buf_adds(&t->pinyin, cur->pinyin)) != GG_OK) {
		return gg_error_set(err, rc, NULL);
	}
	if (in->set_uscc) {
		t->has_uscc = !blank(in->uscc);
		if (t->has_uscc)
			gg_ident_normalise(in->uscc, t->uscc);
	} else if (cur && cur->uscc) {
		t->has_uscc = 1;
		gg_strlcpy(t->uscc, cur->uscc, sizeof t->uscc);
	}
	t->kind = in->set_kind ? gg_vocab_lookup(GG_VOCAB_ORG_KIND, in->kind) : NULL;
	if (!t->kind && cur) {
		const struct gg_vocab_item *it = gg_vocab_item(GG_VOCAB_ORG_KIND, cur->kind);
		t->kind = it ? it->token : "other";
	}
	if (in->set_park) {
		if ((rc = gg_text_nfkc(in->park ? in->park : "", &t->park)) != GG_OK)
			return gg_error_field(err, GG_E_INVALID, "park", "park must be utf-8 text");
		t->has_park = t->park.len > 0;
	} else if (cur && cur->park) {
		if ((rc = gg_buf_adds(&t->park, cur->park)) != GG_OK)
			return gg_error_set(err, rc, NULL);
		t->has_park = 1;
	}
	t->verified = in->set_verified ? (in->verified != 0) : (cur ? cur->verified : 0);
	if (in->set_segments) {
		if ((rc = resolve_segments(db, in, t, err)) != GG_OK)
			return rc;
	} else if (cur) {
		for (size_t i = 0; i < cur->nsegments && i < GG_ORG_SEGMENTS_MAX; i++)
			gg_strlcpy(t->segs[t->nsegs++], cur->segments[i], TOKEN_MAX);
	}
	char *ptrs[GG_ORG_SEGMENTS_MAX];
	for (size_t i = 0; i < t->nsegs; i++)
		ptrs[i] = t->segs[i];
	join_segments(ptrs, t->nsegs, t->segs_text, sizeof t->segs_text);
	return GG_OK;
}

static enum gg_err write_row(struct gg_db *db, int64_t id, const struct target *t, int64_t now, int64_t version,
                             int64_t *new_id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db,
	                   id ? "UPDATE orgs SET name = ?, pinyin = ?, uscc = ?, kind = ?, park = ?, verified = ?, "
	                        "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"
	                      : "INSERT INTO orgs (name, pinyin, uscc, kind, park, verified, updated_at, created_at, "
	                        "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_text(st, 1, t->name.buf)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 2, t->pinyin.buf)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 3, t->has_uscc ? t->uscc : NULL)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 4, t->kind)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 5, t->has_park ? t->park.buf : NULL)) != GG_OK ||
	    (rc = gg_db_bind_i64(st, 6, t->verified)) != GG_OK || (rc = gg_db_bind_i64(st, 7, now)) != GG_OK ||
	    (rc = gg_db_bind_i64(st, 8, id ? id : now)) != GG_OK)
		goto out;
	if (id && (rc = gg_db_bind_i64(st, 9, version)) != GG_OK)
		goto out;
	rc = gg_db_step(st, &row, err);
	if (rc == GG_E_DUPLICATE) {
		gg_error_init(err);
		rc =
		    gg_error_field(err, GG_E_DUPLICATE, "uscc", "another organisation has the credit code %s", t->uscc);
	}
	if (rc != GG_OK)
		goto out;
	if (id) {
		if (gg_db_changes(db) != 1)
			rc = gg_error_set(err, GG_E_STALE, "organisation %lld changed while it was written",
			                  (long long)id);
		*new_id = id;
	} else if (!row) {
		rc = gg_error_set(err, GG_E_DB, "insert into orgs returned no id");
	} else {
		*new_id = gg_db_col_i64(st, 0);
	}
out:
	gg_db_done(st);
	return finish(rc, err);
}

enum gg_err gg_org_write_tx(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                            const struct gg_org_input *in, int64_t expected_version, int64_t *id_out,
                            enum gg_org_outcome *outcome, struct gg_error *err)
{
	struct gg_org *cur = NULL;
	struct contact *old = NULL;
	size_t nold = 0;
	struct target t;
	struct pool pool = {0};
	struct changes ch = {0};
	char old_segs[SEGS_TEXT] = "";
	int64_t new_id = 0, now = gg_clock_now();
	int differs = 0, segs_differ = 0;
	enum gg_err rc;

	memset(&t, 0, sizeof t);
	gg_buf_init(&t.name, TEXT_MAX);
	gg_buf_init(&t.pinyin, TEXT_MAX * 2);
	gg_buf_init(&t.park, TEXT_MAX);
	if (id_out)
		*id_out = 0;
	if (outcome)
		*outcome = GG_ORG_UNCHANGED;
	if ((rc = gg_org_validate(in, id == 0, err)) != GG_OK)
		goto out;
	if ((rc = gg_chinese_init()) != GG_OK) {
		rc = gg_error_set(err, rc, "cannot open ICU's Han-Latin transliterator");
		goto out;
	}
	if (id) {
		if ((rc = load_org(db, id, &cur, err)) != GG_OK)
			goto out;
		if (expected_version && cur->version != expected_version) {
			rc = gg_error_set(err, GG_E_STALE, "organisation %lld is at version %lld, not %lld",
			                  (long long)id, (long long)cur->version, (long long)expected_version);
			goto out;
		}
		join_segments(cur->segments, cur->nsegments, old_segs, sizeof old_segs);
	}
	if ((rc = build_target(db, in, cur, &t, err)) != GG_OK)
		goto out;
	if (in->set_contacts) {
		if (id && (rc = load_contacts(db, keys, 1, id, &old, &nold, err)) != GG_OK)
			goto out;
		if ((rc = plan_contacts(in, old, nold, id, &t, err)) != GG_OK)
			goto out;
	}
	if (t.has_uscc && (!cur || !same(cur->uscc, t.uscc)) && (rc = check_uscc_free(db, t.uscc, id, err)) != GG_OK)
		goto out;

	/* compare */
	if (cur) {
		segs_differ = strcmp(old_segs, t.segs_text) != 0;
		differs = strcmp(cur->name, t.name.buf) != 0 || !same(cur->uscc, t.has_uscc ? t.uscc : NULL) ||
		          strcmp(cur->kind, t.kind) != 0 || !same(cur->park, t.has_park ? t.park.buf : NULL) ||
		          cur->verified != t.verified || segs_differ;
		for (size_t i = 0; i < nold && !differs; i++)
			differs = !old[i].keep;
		for (size_t i = 0; i < t.ncontacts && !differs; i++) {
			const struct contact *p = NULL;
			for (size_t j = 0; j < nold; j++)
				if (old[j].id == t.contacts[i].id && t.contacts[i].id)
					p = &old[j];
			differs = !p || contact_differs(&t.contacts[i], p);
		}
		if (!differs) {
			if (id_out)
				*id_out = id;
			goto out;
		}
	}

	/* write */
	if ((rc = write_row(db, id, &t, now, cur ? cur->version : 0, &new_id, err)) != GG_OK)
		goto out;
	if ((!cur && t.nsegs) || segs_differ) {
		if ((rc = write_segments(db, new_id, &t, cur != NULL, err)) != GG_OK)
			goto out;
	}
	change(&ch, "name", cur ? cur->name : NULL, t.name.buf);
	change(&ch, "uscc", cur ? cur->uscc : NULL, t.has_uscc ? t.uscc : NULL);
	change(&ch, "kind", cur ? cur->kind : NULL, t.kind);
	change(&ch, "park", cur ? cur->park : NULL, t.has_park ? t.park.buf : NULL);
	change(&ch, "verified", cur ? bool_text(cur->verified) : NULL, bool_text(t.verified));
	change(&ch, "segments", cur && cur->nsegments ? old_segs : NULL, t.nsegs ? t.segs_text : NULL);
	for (size_t i = 0; i < t.ncontacts; i++) {
		struct contact *c = &t.contacts[i];
		const struct contact *p = NULL;
		for (size_t j = 0; j < nold; j++)
			if (c->id && old[j].id == c->id)
				p = &old[j];
		if (p && !contact_differs(c, p))
			continue;
		if ((rc = write_contact(db, keys, new_id, c, err)) != GG_OK)
			goto out;
		change(&ch, contact_field(&pool, c->id, "name"), p ? p->name : NULL, c->name);
		change(&ch, contact_field(&pool, c->id, "title"), p ? p->title : NULL, c->title);
		if (!same(p ? p->phone : NULL, c->phone))
			change_any(&ch, contact_field(&pool, c->id, "phone"), p ? p->phone_masked : NULL,
			           c->phone_masked, 1);
		if (!same(p ? p->email : NULL, c->email))
			change_any(&ch, contact_field(&pool, c->id, "email"), p ? p->email_masked : NULL,
			           c->email_masked, 1);
	}
	/* removed contacts go last, so a new contact never takes the id of one removed in the same write */
	for (size_t i = 0; i < nold; i++) {
		const struct contact *p = &old[i];
		const int64_t args[] = {p->id};
		if (p->keep)
			continue;
		if ((rc = gg_db_run_i64(db, "DELETE FROM org_contacts WHERE id = ?", args, 1, err)) != GG_OK)
			goto out;
		change(&ch, contact_field(&pool, p->id, "name"), p->name, NULL);
		change(&ch, contact_field(&pool, p->id, "title"), p->title, NULL);
		change(&ch, contact_field(&pool, p->id, "phone"), p->phone_masked, NULL);
		change(&ch, contact_field(&pool, p->id, "email"), p->email_masked, NULL);
	}
	if (pool.oom || ch.oom) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	const struct gg_audit_event ev = {
	    .actor_id = actor ? actor->id : 0,
	    .actor = actor && actor->name ? actor->name : "system",
	    .action = cur ? "org.update" : "org.create",
	    .entity = "org",
	    .entity_id = new_id,
	    .request_id = actor ? actor->request_id : NULL,
	    .changes = ch.v,
	    .nchanges = ch.n,
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	if ((rc = gg_search_index_org_tx(db, new_id, err)) != GG_OK)
		goto out;
	if (cur && strcmp(cur->name, t.name.buf) != 0 &&
	    (rc = gg_search_index_org_talents_tx(db, new_id, err)) != GG_OK)
		goto out;
	if (id_out)
		*id_out = new_id;
	if (outcome)
		*outcome = cur ? GG_ORG_UPDATED : GG_ORG_CREATED;
out:
	gg_org_free(cur);
	contacts_free(old, nold);
	target_release(&t);
	pool_release(&pool);
	free(ch.v);
	return finish(rc, err);
}

enum gg_err gg_org_create(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                          const struct gg_org_input *in, int64_t *id, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_org_validate(in, 1, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_org_write_tx(db, keys, actor, 0, in, 0, id, NULL, err);
	if (rc == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

enum gg_err gg_org_update(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                          const struct gg_org_input *in, int64_t expected_version, enum gg_org_outcome *outcome,
                          struct gg_error *err)
{
	enum gg_org_outcome oc = GG_ORG_UNCHANGED;
	enum gg_err rc;

	if ((rc = gg_org_validate(in, 0, err)) != GG_OK)
		return rc;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_org_write_tx(db, keys, actor, id, in, expected_version, NULL, &oc, err);
	if (rc == GG_OK && oc != GG_ORG_UNCHANGED)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc == GG_OK && outcome)
		*outcome = oc;
	return rc;
}

enum gg_err gg_org_find_by_uscc(struct gg_db *db, const char *uscc, int64_t *id, int *found, struct gg_error *err)
{
	char v[GG_IDENT_BUF];
	struct gg_stmt *st = NULL;
	struct gg_error ignored;
	enum gg_err rc;
	int row = 0;

	*found = 0;
	*id = 0;
	gg_error_init(&ignored);
	if (blank(uscc) || gg_ident_check_uscc(uscc, NULL, &ignored) != GG_OK)
		return GG_OK;
	gg_ident_normalise(uscc, v);
	rc = gg_db_prepare(db, "SELECT id FROM orgs WHERE uscc = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, v)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		*id = gg_db_col_i64(st, 0);
		*found = 1;
	}
	gg_db_done(st);
	return finish(rc, err);
}

enum gg_err gg_org_find_by_name(struct gg_db *db, const char *name, int64_t *id, int *found, struct gg_error *err)
{
	struct gg_buf b;
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	*found = 0;
	*id = 0;
	gg_buf_init(&b, TEXT_MAX);
	if (blank(name) || strlen(name) >= TEXT_MAX || gg_text_nfkc(name, &b) != GG_OK) {
		gg_buf_release(&b);
		return GG_OK;
	}
	rc = gg_db_prepare(db, "SELECT id FROM orgs WHERE name = ? ORDER BY id LIMIT 2", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, b.buf)) == GG_OK) {
		while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
			if (*found == 0)
				*id = gg_db_col_i64(st, 0);
			(*found)++;
		}
	}
	gg_db_done(st);
	gg_buf_release(&b);
	return finish(rc, err);
}

/* The organisation read grants of pr: *unscoped 1 when one is unscoped; ids of its org:ID scopes. */
static size_t org_grants(const struct gg_principal *pr, int *unscoped, int64_t *ids, size_t max)
{
	size_t n = 0;

	*unscoped = 0;
	if (!pr)
		return 0;
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];
		if (!gg_role_grants(g->role, GG_PERM_orgs_read))
			continue;
		if (g->scope_kind == GG_SCOPE_NONE)
			*unscoped = 1;
		else if (g->scope_kind == GG_SCOPE_ORG && n < max)
			ids[n++] = g->scope_id;
	}
	return n;
}

int gg_org_visible(const struct gg_principal *pr, int64_t id)
{
	int64_t ids[GG_PRINCIPAL_ROLES_MAX];
	int unscoped;
	size_t n = org_grants(pr, &unscoped, ids, GG_PRINCIPAL_ROLES_MAX);

	if (unscoped)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

void gg_org_scope(const struct gg_principal *pr, int64_t *scope_org)
{
	int64_t ids[GG_PRINCIPAL_ROLES_MAX];
	int unscoped;
	size_t n = org_grants(pr, &unscoped, ids, GG_PRINCIPAL_ROLES_MAX);

	if (unscoped)
		*scope_org = 0;
	else if (n == 0)
		*scope_org = -1;
	else {
		*scope_org = ids[0];
		for (size_t i = 1; i < n; i++)
			if (ids[i] < *scope_org)
				*scope_org = ids[i];
	}
}
