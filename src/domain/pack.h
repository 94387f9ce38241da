/*
 * pack: a policy pack, the recruitment order's rules as dated data
 * (issue 5; DESIGN.md vocabulary). One YAML file of the policy_dir
 * setting holds one pack: its name, a title, and versions in force over
 * half-open intervals [from, to) of civil days, in order and never
 * overlapping, each with a legal reference and the parameters
 * (threshold_cny, rate_bp, years, cap_cny, cap_scope,
 * eligible_employer_kinds, lapse_rules, strategic_cap_cny,
 * recommendation_quota, rounding, tier, high_level_tiers and the optional
 * card_tiers), every parameter written as
 * `{value: ..., reference: "..."}` so each value carries its own legal
 * reference. Loading validates everything and names file:line and the
 * field of the first problem; amounts of yuan are quoted decimal strings
 * or integers, never YAML floats. The pack keeps the SHA-256 of the
 * file's bytes, so that a version stamp can be held to its content.
 */
#ifndef GG_PACK_H
#define GG_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "../core/crypto.h"
#include "../core/err.h"
#include "policy.h"
#include "vocabulary.h"

#define GG_PACK_FILE_MAX     (256 * 1024) /* bytes of one pack file */
#define GG_PACK_VERSIONS_MAX 64
#define GG_PACK_TIERS_MAX    8
#define GG_PACK_TOKEN_MAX    32
#define GG_PACK_TEXT_MAX     512 /* a title or a reference */

/* The parameters of a version, in the order `policy show` prints them. */
enum gg_pack_param {
	GG_PACK_THRESHOLD,
	GG_PACK_RATE_BP,
	GG_PACK_YEARS,
	GG_PACK_CAP,
	GG_PACK_CAP_SCOPE,
	GG_PACK_ELIGIBLE_KINDS,
	GG_PACK_LAPSE_RULES,
	GG_PACK_STRATEGIC_CAP,
	GG_PACK_QUOTA,
	GG_PACK_ROUNDING,
	GG_PACK_TIER,
	GG_PACK_HIGH_LEVEL_TIERS,
	GG_PACK_PARAM__COUNT
};

struct gg_pack_version {
	char version[GG_POLICY_NAME_MAX];
	char from[11], to[11];    /* YYYY-MM-DD; to "" when open-ended */
	int64_t from_day, to_day; /* civil days; to_day INT64_MAX when open-ended */
	char reference[GG_PACK_TEXT_MAX];
	int line;
	int64_t threshold_fen;
	int64_t rate_bp;
	int years;
	int64_t cap_fen;
	char cap_scope[GG_PACK_TOKEN_MAX];               /* "total" */
	const char *eligible_kinds[GG_POLICY_KINDS_MAX]; /* the vocabulary's static tokens */
	size_t neligible;
	unsigned lapse_rules; /* enum gg_policy_lapse flags: [paid_below_threshold, employment_ended]; 0: [] */
	int64_t strategic_cap_fen;
	int64_t recommendation_quota;     /* per employer per calendar year */
	char rounding[GG_PACK_TOKEN_MAX]; /* "half_up" */
	char tier[GG_PACK_TOKEN_MAX];
	char high_level_tiers[GG_PACK_TIERS_MAX][GG_PACK_TOKEN_MAX];
	size_t nhigh;
	/*
	 * card_tiers, optional (not in enum gg_pack_param, so a version
	 * without it hashes as before): the tiers that may hold a digital
	 * talent card; has_card_tiers 0: high_level_tiers decide.
	 */
	int has_card_tiers;
	char card_tiers[GG_PACK_TIERS_MAX][GG_PACK_TOKEN_MAX];
	size_t ncard;
	char card_tiers_ref[GG_PACK_TEXT_MAX];
	char refs[GG_PACK_PARAM__COUNT][GG_PACK_TEXT_MAX]; /* each parameter's legal reference */
};

struct gg_pack {
	char name[GG_POLICY_NAME_MAX]; /* "optics-valley-2024" */
	char title[GG_PACK_TEXT_MAX];
	char hash[GG_SHA256_HEX]; /* of the file's bytes */
	struct gg_pack_version versions[GG_PACK_VERSIONS_MAX];
	size_t nversions;
};

/**
 * Reads and validates the pack file at path into *out (freed with
 * gg_pack_free). Tiers are checked against vocab (the installation's
 * tiers), organisation kinds against the fixed list. GG_E_INVALID
 * "path:line: field: reason" for the first problem; GG_E_NOT_FOUND or
 * GG_E_IO when the file cannot be read; GG_E_TOO_LARGE above
 * GG_PACK_FILE_MAX bytes.
 */
enum gg_err gg_pack_load(const char *path, const struct gg_vocabulary *vocab, struct gg_pack **out,
                         struct gg_error *err);
void gg_pack_free(struct gg_pack *p); /* NULL is a no-op */

/** The SHA-256 (hex) of the pack file's bytes as loaded. */
const char *gg_pack_hash(const struct gg_pack *p);

/** The version in force on civil day `day`, or NULL. */
const struct gg_pack_version *gg_pack_version_on(const struct gg_pack *p, int64_t day);

/**
 * Fills *out with the parameters of the version in force on day (its
 * strings point into p, which must outlive *out). GG_E_RULE "no version
 * of 'NAME' in force on YYYY-MM-DD" when none is.
 */
enum gg_err gg_pack_params_on(const struct gg_pack *p, int64_t day, struct gg_policy_params *out, struct gg_error *err);

/** Parses a civil date "YYYY-MM-DD" (a real day) into days since 1970-01-01: 0, or -1. */
int gg_pack_parse_day(const char *s, int64_t *day);

/**
 * 1 when tier (NULL: not recognised, never) may hold a digital talent
 * card under v: among its card_tiers, or its high_level_tiers when the
 * version has no card_tiers.
 */
int gg_pack_card_tier(const struct gg_pack_version *v, const char *tier);
/** v's card tiers as "a, b" into out (the high-level tiers when it has none). */
void gg_pack_card_tiers_text(const struct gg_pack_version *v, char *out, size_t outsz);

/** The parameter's name in the pack ("threshold_cny"). */
const char *gg_pack_param_name(enum gg_pack_param param);
/** The parameter called name (enum gg_pack_param), or -1. */
int gg_pack_param_lookup(const char *name);
/**
 * The value of param in v as text for people ("1,000,000.00", "5000",
 * "leading_enterprise, rd_unit"; an empty list "none") into out.
 */
void gg_pack_param_text(const struct gg_pack_version *v, enum gg_pack_param param, char *out, size_t outsz);

#endif
