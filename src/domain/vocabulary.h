/*
 * vocabulary: the registry's controlled values with their Chinese and
 * English labels. Tiers, industry chains and their segments are rows of
 * the database (0003_orgs.sql), so a bureau can add one without a new
 * binary; the values the schema fixes with CHECK constraints (organisation
 * kinds, talent statuses, honours, genders, document types) are C tables
 * here, in the same order as the CHECK lists. Every lookup accepts the
 * token, the Chinese label or the English label (case-insensitive), after
 * trimming white space, and answers the token: forms, the API and imports
 * with Chinese headers all end in the same stored value.
 */
#ifndef GG_VOCABULARY_H
#define GG_VOCABULARY_H

#include <stddef.h>

#include "../core/err.h"
#include "../store/db.h"

struct gg_vocab_item {
	const char *token;
	const char *zh;
	const char *en;
};

/* The fixed lists. */
enum gg_vocab_list {
	GG_VOCAB_ORG_KIND,
	GG_VOCAB_STATUS,
	GG_VOCAB_HONOUR,
	GG_VOCAB_GENDER,
	GG_VOCAB_DOC_TYPE,
	GG_VOCAB__COUNT
};

/** The items of a fixed list (*n gets their number); NULL for an unknown list. */
const struct gg_vocab_item *gg_vocab_items(enum gg_vocab_list list, size_t *n);
/** The list's name for messages and the API: "org_kinds", "statuses", "honours", "genders", "doc_types". */
const char *gg_vocab_list_name(enum gg_vocab_list list);
/** What one value is called in messages: "organisation kind", "status", ... */
const char *gg_vocab_list_noun(enum gg_vocab_list list);
/** The token that text names (token, zh or en label); NULL when none. */
const char *gg_vocab_lookup(enum gg_vocab_list list, const char *text);
/** The item of a token (exact); NULL when unknown. */
const struct gg_vocab_item *gg_vocab_item(enum gg_vocab_list list, const char *token);

/* The lists kept in the database. Strings owned by the struct gg_vocabulary. */
struct gg_vocab_tier {
	char *token, *zh, *en;
	int rank;
	int high_level;
};
struct gg_vocab_segment {
	char *token, *chain, *zh, *en;
};
struct gg_vocab_chain {
	char *token, *zh, *en;
	size_t first_segment; /* its segments are segments[first_segment .. first_segment + nsegments) */
	size_t nsegments;
};
struct gg_vocabulary {
	struct gg_vocab_tier *tiers; /* by rank */
	size_t ntiers;
	struct gg_vocab_chain *chains; /* by token */
	size_t nchains;
	struct gg_vocab_segment *segments; /* grouped by chain (chain order), then by token */
	size_t nsegments;
};

/** Reads tiers, chains and segments (no transaction of its own: also inside the caller's). *out is freed with
 * gg_vocab_free. */
enum gg_err gg_vocab_load(struct gg_db *db, struct gg_vocabulary **out, struct gg_error *err);
void gg_vocab_free(struct gg_vocabulary *v); /* NULL is a no-op */
/** The tier token text names in a loaded vocabulary; NULL when none. */
const char *gg_vocab_find_tier(const struct gg_vocabulary *v, const char *text);
/** The segment token text names in a loaded vocabulary; NULL when none. */
const char *gg_vocab_find_segment(const struct gg_vocabulary *v, const char *text);

/**
 * One lookup in the database, for single writes: the tier or segment token
 * that text names, into token (tokensz bytes); *found 0 when none.
 */
enum gg_err gg_vocab_tier_lookup(struct gg_db *db, const char *text, char *token, size_t tokensz, int *found,
                                 struct gg_error *err);
enum gg_err gg_vocab_segment_lookup(struct gg_db *db, const char *text, char *token, size_t tokensz, int *found,
                                    struct gg_error *err);

#endif
