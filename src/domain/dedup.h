/*
 * dedup: likely duplicate talents and their merge. A second record with
 * the same document number is refused by the write itself (talent.h);
 * what is left are records that probably name the same person: the same
 * name and birth date, the same name at the same organisation, the same
 * pinyin and birth date under different characters (王金桥 / 汪金桥), the
 * same phone or the same e-mail (compared by blind index, never
 * decrypted). An officer reviews the pairs and merges one record into the
 * other: the target keeps its values and gains what it lacked, the source
 * stays (with merged_into set) so that the history of both is kept.
 */
#ifndef GG_DEDUP_H
#define GG_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"

/* Why two records look alike (bits of struct gg_dedup_pair.reasons). */
#define GG_DEDUP_NAME_BIRTH   1u  /* same_name_birth_date */
#define GG_DEDUP_NAME_ORG     2u  /* same_name_org */
#define GG_DEDUP_PINYIN_BIRTH 4u  /* same_pinyin_birth_date (names differ) */
#define GG_DEDUP_PHONE        8u  /* same_phone */
#define GG_DEDUP_EMAIL        16u /* same_email */
#define GG_DEDUP_REASONS      5

/** The token of reason bit i (0..GG_DEDUP_REASONS-1): "same_name_birth_date", ... */
const char *gg_dedup_reason_token(int i);

struct gg_dedup_pair {
	int64_t a, b;     /* talent ids, a < b, neither merged into another */
	unsigned reasons; /* GG_DEDUP_* bits */
};

#define GG_DEDUP_LIMIT_MAX  200
#define GG_DEDUP_CURSOR_MAX 48

/**
 * One page of likely duplicate pairs, ordered by (a, b): at most limit
 * (1..GG_DEDUP_LIMIT_MAX) into out, *n of them; next_cursor gets the
 * cursor of the following page, "" on the last. cursor NULL or "" starts
 * at the first pair. GG_E_INVALID on field "limit" or "cursor".
 */
enum gg_err gg_dedup_list(struct gg_db *db, const char *cursor, int limit, struct gg_dedup_pair *out, size_t *n,
                          char next_cursor[GG_DEDUP_CURSOR_MAX], struct gg_error *err);

/**
 * Merges talent source_id into target_id inside the caller's write
 * transaction: the target's empty fields are filled from the source
 * (personal data moved as sealed, never decrypted; the document moves
 * only when the target has none), fields, keywords, segments and honours
 * are unioned, the source gets merged_into = target and disappears from
 * lists, both get a new version, both are re-indexed, and each gets an
 * audit row talent.merge listing its changed fields (personal data
 * masked). expected_version (0: any) must be the target's (GG_E_STALE).
 * Refused with GG_E_CONFLICT: a record into itself, a record already
 * merged (either side), two records with different document numbers
 * (field document.number). GG_E_NOT_FOUND for an unknown id.
 */
enum gg_err gg_dedup_merge_tx(struct gg_db *db, const struct gg_actor *actor, int64_t target_id, int64_t source_id,
                              int64_t expected_version, struct gg_error *err);
/** gg_dedup_merge_tx in its own write transaction. */
enum gg_err gg_dedup_merge(struct gg_db *db, const struct gg_actor *actor, int64_t target_id, int64_t source_id,
                           int64_t expected_version, struct gg_error *err);

#endif
