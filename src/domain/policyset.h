/*
 * policyset: the installation's policy packs, the NAME.yaml files of the
 * policy_dir setting, loaded and validated together (a file must hold the
 * pack its name names), and the stamps that hold a version to its
 * content. Every version of a pack has a hash over its canonical content
 * (pack name, version, first day, reference, every parameter's value and
 * reference; not its last day, which is set when a successor version is
 * adopted, and not comments or other versions). The first decision made
 * under a version records that hash in the policy_versions table
 * (gg_policyset_stamp, in the decision's transaction); from then on a
 * pack whose version under the same name has other content is refused,
 * both by the stamp and by gg_policyset_verify, which the server runs at
 * start, so that a version stamp on a decision means one set of rules.
 */
#ifndef GG_POLICYSET_H
#define GG_POLICYSET_H

#include <stddef.h>
#include <stdint.h>

#include "../core/crypto.h"
#include "../core/err.h"
#include "../store/db.h"
#include "pack.h"
#include "policy.h"
#include "vocabulary.h"

#define GG_POLICYSET_PACKS_MAX 64

struct gg_policyset;

/**
 * The NAME parts of dir's NAME.yaml files, sorted, into names (*n of them,
 * at most GG_POLICYSET_PACKS_MAX; each freed by the caller). GG_E_NOT_FOUND
 * when dir cannot be read; an empty directory gives *n 0.
 */
enum gg_err gg_policyset_names(const char *dir, char **names, size_t *n, struct gg_error *err);
/** "dir/name.yaml" into out; GG_E_TOO_LARGE when it does not fit. */
enum gg_err gg_policyset_path(const char *dir, const char *name, char *out, size_t outsz, struct gg_error *err);

/**
 * Loads every NAME.yaml of dir (sorted by name; files starting with '.'
 * ignored; at most GG_POLICYSET_PACKS_MAX) with gg_pack_load. GG_E_NOT_FOUND
 * when dir cannot be read or holds no pack; GG_E_INVALID "path:line:
 * field: reason" for the first bad pack, or "path: the file is named 'a'
 * but the pack 'b'".
 */
enum gg_err gg_policyset_load(const char *dir, const struct gg_vocabulary *vocab, struct gg_policyset **out,
                              struct gg_error *err);
void gg_policyset_free(struct gg_policyset *s); /* NULL is a no-op */

size_t gg_policyset_count(const struct gg_policyset *s);
/** The i-th pack in name order. */
const struct gg_pack *gg_policyset_at(const struct gg_policyset *s, size_t i);
/** The pack called name, or NULL. */
const struct gg_pack *gg_policyset_find(const struct gg_policyset *s, const char *name);

/**
 * GG_OK when s holds the installation's packs; GG_E_CONFIG "no policy
 * packs are loaded (the policy_dir setting)" when s is NULL (a server
 * started without them), for every decision that needs a version in force.
 */
enum gg_err gg_policyset_need(const struct gg_policyset *s, struct gg_error *err);

/**
 * The pack called name (NULL: the default, the pack in force on day,
 * the first in name order when several are) and its version in force on
 * day, as evaluator parameters (strings point into s). GG_E_RULE
 * "unknown policy 'x'" or "no version of 'x' in force on YYYY-MM-DD".
 */
enum gg_err gg_policyset_params_on(const struct gg_policyset *s, const char *name, int64_t day,
                                   struct gg_policy_params *out, const struct gg_pack **pack,
                                   const struct gg_pack_version **version, struct gg_error *err);

#define GG_POLICYSET_CANON_MAX (64 * 1024) /* bytes of a version's canonical text */

/** The hash of a version's canonical content (SHA-256 hex), as policy_versions stores it. */
enum gg_err gg_policyset_version_hash(const struct gg_pack *p, const struct gg_pack_version *v, char out[GG_SHA256_HEX],
                                      struct gg_error *err);

/**
 * Records the first use of version v of pack p in the caller's write
 * transaction (policy_versions: pack, version, hash, first used), or
 * checks that the recorded hash is v's: GG_E_CONFLICT "policy
 * 'p' version 'v' changed since it was first used on YYYY-MM-DD" when not.
 * hash (may be NULL) gets the version's hash, for the decision's own stamp.
 */
enum gg_err gg_policyset_stamp(struct gg_db *db, const struct gg_pack *p, const struct gg_pack_version *v,
                               char hash[GG_SHA256_HEX], struct gg_error *err);

/**
 * Checks every recorded version against s: GG_E_CONFIG naming the first
 * pack and version whose content changed after its first use, or that
 * is recorded but no longer in the pack files.
 */
enum gg_err gg_policyset_verify(struct gg_db *db, const struct gg_policyset *s, struct gg_error *err);

#endif
