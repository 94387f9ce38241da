/*
 * vocabulary: the fixed lists as C tables (their order is the order the
 * API lists them in, the same as the CHECK lists of the schema), the
 * database lists read on demand, and the lookups from a token or label to
 * the token that forms and imports share.
 */
#include "vocabulary.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/buf.h"

static const struct gg_vocab_item org_kinds[] = {
    {"leading_enterprise", "龙头企业", "Leading enterprise"},
    {"rd_unit", "研发单位", "R&D unit"},
    {"university", "高等院校", "University"},
    {"incubator", "孵化器", "Incubator"},
    {"platform", "创新平台", "Innovation platform"},
    {"bank", "银行", "Bank"},
    {"service_provider", "服务机构", "Service provider"},
    {"other", "其他", "Other"},
};

static const struct gg_vocab_item statuses[] = {
    {"prospect", "潜在人才", "Prospect"}, {"in_contact", "联系中", "In contact"},
    {"landed", "已落地", "Landed"},       {"serving", "服务中", "Serving"},
    {"left", "已离开", "Left"},
};

static const struct gg_vocab_item honours[] = {
    {"nobel", "诺贝尔奖获得者", "Nobel laureate"},
    {"cas_academician", "中国科学院院士", "CAS academician"},
    {"cae_academician", "中国工程院院士", "CAE academician"},
    {"foreign_academy", "外国科学院院士", "Foreign academy member"},
    {"national_award", "国家科学技术奖", "National science and technology award"},
};

static const struct gg_vocab_item genders[] = {
    {"male", "男", "Male"},
    {"female", "女", "Female"},
};

static const struct gg_vocab_item doc_types[] = {
    {"resident_id", "居民身份证", "Resident identity card"},
    {"passport", "护照", "Passport"},
};

static const struct {
	const char *name;
	const char *noun;
	const struct gg_vocab_item *items;
	size_t n;
} lists[GG_VOCAB__COUNT] = {
    [GG_VOCAB_ORG_KIND] = {"org_kinds", "organisation kind", org_kinds, sizeof org_kinds / sizeof org_kinds[0]},
    [GG_VOCAB_STATUS] = {"statuses", "status", statuses, sizeof statuses / sizeof statuses[0]},
    [GG_VOCAB_HONOUR] = {"honours", "honour", honours, sizeof honours / sizeof honours[0]},
    [GG_VOCAB_GENDER] = {"genders", "gender", genders, sizeof genders / sizeof genders[0]},
    [GG_VOCAB_DOC_TYPE] = {"doc_types", "document type", doc_types, sizeof doc_types / sizeof doc_types[0]},
};

#define LOOKUP_MAX 256 /* longest text a lookup compares; labels are far shorter */

/* Copies text without surrounding ASCII white space into out; 0 when it does not fit or is empty. */
static int trimmed(const char *text, char *out, size_t outsz)
{
	const char *p = text ? text : "", *end;

	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (end == p || (size_t)(end - p) >= outsz)
		return 0;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return 1;
}

/* 1 when t names an item with these token and labels. */
static int names(const char *t, const char *token, const char *zh, const char *en)
{
	return strcmp(t, token) == 0 || strcmp(t, zh) == 0 || strcasecmp(t, en) == 0;
}

const struct gg_vocab_item *gg_vocab_items(enum gg_vocab_list list, size_t *n)
{
	if ((int)list < 0 || list >= GG_VOCAB__COUNT) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (n)
		*n = lists[list].n;
	return lists[list].items;
}

const char *gg_vocab_list_name(enum gg_vocab_list list)
{
	return (int)list < 0 || list >= GG_VOCAB__COUNT ? "" : lists[list].name;
}

const char *gg_vocab_list_noun(enum gg_vocab_list list)
{
	return (int)list < 0 || list >= GG_VOCAB__COUNT ? "" : lists[list].noun;
}

const char *gg_vocab_lookup(enum gg_vocab_list list, const char *text)
{
	char t[LOOKUP_MAX];
	size_t n;
	const struct gg_vocab_item *items = gg_vocab_items(list, &n);

	if (!items || !trimmed(text, t, sizeof t))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (names(t, items[i].token, items[i].zh, items[i].en))
			return items[i].token;
	return NULL;
}

const struct gg_vocab_item *gg_vocab_item(enum gg_vocab_list list, const char *token)
{
	size_t n;
	const struct gg_vocab_item *items = gg_vocab_items(list, &n);

	if (!items || !token)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].token, token) == 0)
			return &items[i];
	return NULL;
}

/* Makes sure a failing function leaves a code in err. */
static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

static char *dup_col(struct gg_stmt *st, int col)
{
	const char *s = gg_db_col_text(st, col);
	return strdup(s ? s : "");
}

void gg_vocab_free(struct gg_vocabulary *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->ntiers; i++) {
		free(v->tiers[i].token);
		free(v->tiers[i].zh);
		free(v->tiers[i].en);
	}
	for (size_t i = 0; i < v->nchains; i++) {
		free(v->chains[i].token);
		free(v->chains[i].zh);
		free(v->chains[i].en);
	}
	for (size_t i = 0; i < v->nsegments; i++) {
		free(v->segments[i].token);
		free(v->segments[i].chain);
		free(v->segments[i].zh);
		free(v->segments[i].en);
	}
	free(v->tiers);
	free(v->chains);
	free(v->segments);
	free(v);
}

/* Grows *arr (of elements of size sz) to hold at least want elements. */
static int grow(void **arr, size_t *cap, size_t want, size_t sz)
{
	if (want <= *cap)
		return 1;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, ncap * sz);
	if (!p)
		return 0;
	memset((char *)p + *cap * sz, 0, (ncap - *cap) * sz);
	*arr = p;
	*cap = ncap;
	return 1;
}

enum gg_err gg_vocab_load(struct gg_db *db, struct gg_vocabulary **out, struct gg_error *err)
{
	struct gg_vocabulary *v = calloc(1, sizeof *v);
	struct gg_stmt *st = NULL;
	size_t cap_t = 0, cap_c = 0, cap_s = 0;
	enum gg_err rc;
	int row, oom = 0;

	*out = NULL;
	if (!v)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_db_prepare(db, "SELECT token, zh, en, rank, high_level FROM tiers ORDER BY rank, token", &st,
	                        err)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (!grow((void **)&v->tiers, &cap_t, v->ntiers + 1, sizeof v->tiers[0])) {
			oom = 1;
			break;
		}
		struct gg_vocab_tier *t = &v->tiers[v->ntiers++];
		t->token = dup_col(st, 0);
		t->zh = dup_col(st, 1);
		t->en = dup_col(st, 2);
		t->rank = (int)gg_db_col_i64(st, 3);
		t->high_level = gg_db_col_i64(st, 4) != 0;
		oom |= !t->token || !t->zh || !t->en;
	}
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK || oom)
		goto out;
	if ((rc = gg_db_prepare(db, "SELECT token, zh, en FROM chains ORDER BY token", &st, err)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (!grow((void **)&v->chains, &cap_c, v->nchains + 1, sizeof v->chains[0])) {
			oom = 1;
			break;
		}
		struct gg_vocab_chain *c = &v->chains[v->nchains++];
		c->token = dup_col(st, 0);
		c->zh = dup_col(st, 1);
		c->en = dup_col(st, 2);
		oom |= !c->token || !c->zh || !c->en;
	}
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK || oom)
		goto out;
	if ((rc = gg_db_prepare(db, "SELECT token, chain, zh, en FROM segments ORDER BY chain, token", &st, err)) !=
	    GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (!grow((void **)&v->segments, &cap_s, v->nsegments + 1, sizeof v->segments[0])) {
			oom = 1;
			break;
		}
		struct gg_vocab_segment *s = &v->segments[v->nsegments++];
		s->token = dup_col(st, 0);
		s->chain = dup_col(st, 1);
		s->zh = dup_col(st, 2);
		s->en = dup_col(st, 3);
		oom |= !s->token || !s->chain || !s->zh || !s->en;
	}
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK || oom)
		goto out;
	/* both are sorted by chain token, so each chain's segments are one run */
	for (size_t c = 0, s = 0; c < v->nchains; c++) {
		while (s < v->nsegments && strcmp(v->segments[s].chain, v->chains[c].token) < 0)
			s++;
		v->chains[c].first_segment = s;
		while (s < v->nsegments && strcmp(v->segments[s].chain, v->chains[c].token) == 0) {
			v->chains[c].nsegments++;
			s++;
		}
	}
	*out = v;
	v = NULL;
out:
	gg_db_done(st);
	if (oom && rc == GG_OK)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	gg_vocab_free(v);
	return finish(rc, err);
}

const char *gg_vocab_find_tier(const struct gg_vocabulary *v, const char *text)
{
	char t[LOOKUP_MAX];

	if (!v || !trimmed(text, t, sizeof t))
		return NULL;
	for (size_t i = 0; i < v->ntiers; i++)
		if (names(t, v->tiers[i].token, v->tiers[i].zh, v->tiers[i].en))
			return v->tiers[i].token;
	return NULL;
}

const char *gg_vocab_find_segment(const struct gg_vocabulary *v, const char *text)
{
	char t[LOOKUP_MAX];

	if (!v || !trimmed(text, t, sizeof t))
		return NULL;
	for (size_t i = 0; i < v->nsegments; i++)
		if (names(t, v->segments[i].token, v->segments[i].zh, v->segments[i].en))
			return v->segments[i].token;
	return NULL;
}

/* One lookup of text in table (tiers or segments; a constant, never input). */
static enum gg_err lookup_row(struct gg_db *db, const char *sql, const char *text, char *token, size_t tokensz,
                              int *found, struct gg_error *err)
{
	char t[LOOKUP_MAX];
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	*found = 0;
	if (tokensz)
		token[0] = '\0';
	if (!trimmed(text, t, sizeof t))
		return GG_OK;
	if ((rc = gg_db_prepare(db, sql, &st, err)) != GG_OK)
		goto out;
	if ((rc = gg_db_bind_text(st, 1, t)) != GG_OK || (rc = gg_db_bind_text(st, 2, t)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 3, t)) != GG_OK || (rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (row) {
		if (gg_strlcpy(token, gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "", tokensz) != GG_OK) {
			rc = gg_error_set(err, GG_E_TOO_LARGE, "token does not fit");
			goto out;
		}
		*found = 1;
	}
out:
	gg_db_done(st);
	return finish(rc, err);
}

enum gg_err gg_vocab_tier_lookup(struct gg_db *db, const char *text, char *token, size_t tokensz, int *found,
                                 struct gg_error *err)
{
	return lookup_row(db,
	                  "SELECT token FROM tiers WHERE token = ? OR zh = ? OR lower(en) = lower(?) "
	                  "ORDER BY rank LIMIT 1",
	                  text, token, tokensz, found, err);
}

enum gg_err gg_vocab_segment_lookup(struct gg_db *db, const char *text, char *token, size_t tokensz, int *found,
                                    struct gg_error *err)
{
	return lookup_row(db,
	                  "SELECT token FROM segments WHERE token = ? OR zh = ? OR lower(en) = lower(?) "
	                  "ORDER BY token LIMIT 1",
	                  text, token, tokensz, found, err);
}
