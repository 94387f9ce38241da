/*
 * dedup: likely duplicate talents and their merge. A second record with
 * the same document number is refused by the write itself (talent.h);
 * what is left are records that probably name the same person: the same
 * name and birth date, the same name at the same organisation, the same
 * pinyin and birth date under different characters (王金桥 / 汪金桥), the
 * same phone or the same e-mail (compared by blind index, never
 * decrypted). An officer reviews the pairs and merges one record into the
 * other: the target keeps its values and gains what it lacked, the source
 * stays (with merged_into set) so that the history of both is kept; or
 * dismisses the pair as two people, after which it is no pair any more.
 * Every talent write keeps the inbox's review tasks in line with the pairs.
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
 * The pairs of talent id (the same rules, not dismissed, neither record
 * merged), in the order of the other record's id, which is also their
 * (a, b) order: only those whose other record's id is above after (0:
 * from the first), at most limit (1..GG_DEDUP_LIMIT_MAX) into out, *more 1
 * when more follow. Indexed lookups of the one record (name and birth
 * date, name and organisation, pinyin and birth date, phone and e-mail
 * blind indexes), never a scan of the registry: the talent writes call it.
 * A merged record has no pairs; GG_E_NOT_FOUND for an unknown id.
 */
enum gg_err gg_dedup_of(struct gg_db *db, int64_t id, int64_t after, int limit, struct gg_dedup_pair *out, size_t *n,
                        int *more, struct gg_error *err);

/**
 * gg_dedup_list restricted to the pairs of talent id (GET
 * /api/v1/talents/duplicates?talent=ID), with the same cursors. A cursor
 * of a pair without id is GG_E_INVALID on field "cursor".
 */
enum gg_err gg_dedup_list_of(struct gg_db *db, int64_t id, const char *cursor, int limit, struct gg_dedup_pair *out,
                             size_t *n, char next_cursor[GG_DEDUP_CURSOR_MAX], struct gg_error *err);

/** The ids of every record paired with talent id now, in ascending order, into *ids (free()), *n of them. */
enum gg_err gg_dedup_partners(struct gg_db *db, int64_t id, int64_t **ids, size_t *n, struct gg_error *err);

/*
 * The review feed of the inbox (task.h, kind duplicate_review): a talent
 * that is the newer record of a pair has one open review task (label the
 * two names "older · newer", link "/talents/duplicates?talent=<newer>");
 * once it is the newer record of no pair (merged, dismissed, changed) its
 * task closes. "Newer" is the larger id: records get ids in the order
 * they are created.
 */

/**
 * Brings the review tasks in line after talent id was created, changed in
 * a compared field, or merged, inside the caller's write transaction:
 * id's own task, the tasks of the newer records now paired with id, and
 * the tasks of before[0..nbefore) (the records paired with id, or with a
 * merged source, before the change: they may have lost their last pair),
 * closed for reason ("changed", "merged"). Costs one gg_dedup_of of id and
 * one per record in before.
 */
enum gg_err gg_dedup_review_tx(struct gg_db *db, const struct gg_actor *actor, int64_t id, const int64_t *before,
                               size_t nbefore, const char *reason, struct gg_error *err);

#define GG_DEDUP_NOTE_MAX 500 /* characters */

/**
 * Records in its own write transaction that talents a and b (either
 * order) are different people: the pair leaves the duplicates list and
 * opens no review task again, the newer record's review task closes
 * (reason "dismissed") unless it is the newer record of another pair, and
 * each talent gets an audit row talent.duplicate_dismiss (the other's id
 * and the note). note may be NULL (at most GG_DEDUP_NOTE_MAX characters).
 * GG_E_INVALID when a == b (field "b"); GG_E_NOT_FOUND for an unknown
 * id; GG_E_CONFLICT when one is merged; GG_E_DUPLICATE when the pair is
 * dismissed already.
 */
enum gg_err gg_dedup_dismiss(struct gg_db *db, const struct gg_actor *actor, int64_t a, int64_t b, const char *note,
                             struct gg_error *err);

/**
 * Merges talent source_id into target_id inside the caller's write
 * transaction: the target's empty fields are filled from the source
 * (personal data moved as sealed, never decrypted; the document moves
 * only when the target has none), fields, keywords, segments and honours
 * are unioned, the source gets merged_into = target and disappears from
 * lists, both get a new version, both are re-indexed, and each gets an
 * audit row talent.merge listing its changed fields (personal data
 * masked), and the review tasks follow (gg_dedup_review_tx, reason
 * "merged"). expected_version (0: any) must be the target's (GG_E_STALE).
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
