/*
 * stats: counts over the registry for dashboards. gg_stats_registry
 * counts the talents a caller may see, with the scope the talents list
 * applies (gg_search_talent_scope: an employer its organisation's, a
 * commissioner its assigned ones, a talent itself, the bureau and leaders
 * all), by tier, by status, by industry chain and by month of creation,
 * and, for callers who also read organisations, the organisations by
 * kind. Records merged into another are never counted. Every count is an
 * index read (0006_stations.sql adds the partial indexes the unscoped
 * counts read), so a registry of a million talents answers in well under
 * a second; a scoped caller's counts start from its few records.
 */
#ifndef GG_STATS_H
#define GG_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "search.h"

#define GG_STATS_MONTHS  12 /* months of created_by_month, the last the current one */
#define GG_STATS_KEY_MAX 64 /* bytes of a key, NUL included */
#define GG_STATS_KINDS   16 /* room for the organisation kinds and the talent statuses */

struct gg_stats_count {
	char key[GG_STATS_KEY_MAX]; /* a token; "" for the tier of talents not recognised; "YYYY-MM" for months */
	int64_t count;
};

/* The answer; free the arrays with gg_stats_registry_release. */
struct gg_registry_stats {
	int64_t as_of; /* the instant counted at */
	int64_t talents;
	struct gg_stats_count *by_tier; /* every tier of the vocabulary by rank, then "" (not recognised) */
	size_t ntiers;
	struct gg_stats_count by_status[GG_STATS_KINDS]; /* the statuses present, in vocabulary order */
	size_t nstatuses;
	struct gg_stats_count *by_chain; /* every industry chain of the vocabulary, in its order */
	size_t nchains;
	struct gg_stats_count by_month[GG_STATS_MONTHS]; /* oldest first, local months of the timezone setting */
	int with_orgs;                                   /* 1: the organisation counts below are filled */
	int64_t orgs;
	struct gg_stats_count by_kind[GG_STATS_KINDS]; /* every organisation kind, in vocabulary order */
	size_t nkinds;
};

/* Who is counting. */
struct gg_stats_scope {
	const struct gg_search_query
	    *talents;      /* its scope fields, as the talents list sets them (gg_api_talent_scope) */
	int orgs;          /* 1: count organisations too (the caller reads them) */
	int64_t org_scope; /* as gg_org_scope: 0 every organisation, -1 none, else that one */
};

/**
 * Counts in one read transaction of its own as at instant now (months
 * are the calendar months of the process's time zone, gg_clock_set_zone,
 * the last one holding now). A talent counts once in a chain however
 * many of the chain's segments it has. out is zeroed first and, on
 * success, owns arrays freed by gg_stats_registry_release.
 */
enum gg_err gg_stats_registry(struct gg_db *db, const struct gg_stats_scope *scope, int64_t now,
                              struct gg_registry_stats *out, struct gg_error *err);
void gg_stats_registry_release(struct gg_registry_stats *s);

#endif
