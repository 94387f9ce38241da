/*
 * search: the registry's Chinese search. Every talent and organisation
 * has a set of search terms in talent_terms / org_terms (0005_search.sql),
 * rebuilt from the row by gg_search_index_*_tx inside the owner's write
 * transaction after each write. Terms are folded (gg_text_fold) and
 * prefixed by their kind: "c:" each Han character of the name, "h:" each
 * overlapping Han bigram of the name, the keywords, the research fields
 * and (talents) the organisation's name, "s:" the pinyin syllable
 * suffixes (jinqiao, qiao; organisations: from the first syllable), "i:"
 * every run of two or more initials (wj, wjq, jq), "l:" Latin name words,
 * "k:" keyword and research-field words (and, for talents, the
 * organisation's Latin words). This is plain SQL (no FTS5), so it runs on
 * PostgreSQL as well and answers one- and two-character hanzi queries,
 * which a trigram index does not. Records merged into another have no
 * terms.
 *
 * Queries: q is folded and split into Han runs and words. A one-character
 * Han run must be a character of the name, a longer one must have all its
 * bigrams among the record's; with Han text present each word is a further
 * condition, else all words joined ("wang jinqiao" -> "wangjinqiao") are
 * one: a prefix of the pinyin key (talents), of a syllable suffix, of a
 * Latin or keyword word, or exactly a run of initials. Every condition
 * must hold (AND). Filters and the caller's scope narrow the result;
 * records merged into another are never listed. Results come in pages of
 * ids in a stable order with an opaque cursor for the next.
 */
#ifndef GG_SEARCH_H
#define GG_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"

#define GG_SEARCH_LIMIT_MAX  200
#define GG_SEARCH_CURSOR_MAX 256 /* bytes of an encoded cursor, NUL included */

/**
 * Rebuilds the search terms of talent id (or of organisation id) from its
 * row in talents/orgs. Must run inside the caller's write transaction,
 * after the row (and, for talents, its keywords/fields/org) was written.
 * A row that does not exist loses its terms (GG_OK).
 */
enum gg_err gg_search_index_talent_tx(struct gg_db *db, int64_t id, struct gg_error *err);
enum gg_err gg_search_index_org_tx(struct gg_db *db, int64_t id, struct gg_error *err);
/**
 * Renaming an organisation changes the "o:" terms of its talents: call
 * this after gg_search_index_org_tx when the name changed (same
 * transaction); it re-indexes every talent of the organisation.
 */
enum gg_err gg_search_index_org_talents_tx(struct gg_db *db, int64_t org_id, struct gg_error *err);

enum gg_search_sort {
	GG_SEARCH_PINYIN_ASC = 0, /* "pinyin": pinyin key, then id (the default) */
	GG_SEARCH_PINYIN_DESC,    /* "-pinyin" */
	GG_SEARCH_UPDATED_ASC,    /* "updated": updated_at, then id */
	GG_SEARCH_UPDATED_DESC    /* "-updated" */
};

/** Parses "pinyin", "-pinyin", "updated", "-updated" (NULL or "": pinyin); GG_E_INVALID on field "sort". */
enum gg_err gg_search_parse_sort(const char *text, enum gg_search_sort *out, struct gg_error *err);

/**
 * One query. Zero the struct (or call gg_search_query_init), then set what
 * is wanted: NULL strings and 0 ids mean "no filter". Strings are borrowed.
 */
struct gg_search_query {
	const char *q; /* free text; NULL or blank: everything */

	/* talent filters */
	const char *tier;    /* tier token */
	const char *segment; /* segment token (talent_segments) */
	const char *status;  /* status token */
	const char *honour;  /* honour kind (talent_honours) */
	const char *city;    /* exact city of origin (NFKC) */
	int64_t org_id;      /* talents of this organisation */

	/*
	 * The caller's scope, for talents (all 0: unrestricted). When several
	 * are set a talent is visible when any of them allows it.
	 * org_scope also restricts gg_search_orgs to that organisation.
	 */
	int64_t org_scope;          /* employer org:ID: talents with org_id = ID */
	int64_t talent_scope;       /* talent:ID: that talent only */
	int64_t commissioner_scope; /* commissioner user id: talents with commissioner_id = ID */
	int scope_none;             /* 1: the caller may see nothing (an empty page) */

	/* organisation filters */
	const char *kind; /* org kind token */
	/* segment above also filters organisations (org_segments) */
	int verified;     /* -1: any, 0 or 1 */
	const char *park; /* exact park */

	enum gg_search_sort sort;
	int limit;          /* 1..GG_SEARCH_LIMIT_MAX */
	const char *cursor; /* NULL or "": first page; else a next_cursor of the same query */
};

/** Zeroes q, sets verified to -1 (any), limit to 50, sort to pinyin ascending. */
void gg_search_query_init(struct gg_search_query *q);

struct gg_search_page {
	int64_t ids[GG_SEARCH_LIMIT_MAX];
	size_t n;
	char next_cursor[GG_SEARCH_CURSOR_MAX]; /* "" on the last page */
};

/**
 * Talents matching q, in q->sort order, at most q->limit ids into page.
 * GG_E_INVALID (field "limit", "cursor" or "q") for a bad limit, a cursor
 * that is not one of ours, or a query too long to run.
 */
enum gg_err gg_search_talents(struct gg_db *db, const struct gg_search_query *q, struct gg_search_page *page,
                              struct gg_error *err);
/**
 * The caller's talent scope of q as the talents list applies it, for
 * other queries that must see what the list sees (the statistics): one SQL
 * condition over the talents table named t, "(t.org_id = ? OR t.id = ? OR
 * t.commissioner_id = ?)", with its three values written to args (0 for a
 * scope q does not have: no record has id 0). NULL when q's scope is
 * unrestricted (args untouched); scope_none is the caller's to check.
 */
const char *gg_search_talent_scope(const struct gg_search_query *q, int64_t args[3]);
/** Organisations matching q (text, kind, segment, verified, park, org_scope), as gg_search_talents. */
enum gg_err gg_search_orgs(struct gg_db *db, const struct gg_search_query *q, struct gg_search_page *page,
                           struct gg_error *err);

#endif
