/*
 * cardtoken: the signed token a digital talent card shows as its QR code
 * (issue 7, DOMAIN.md programme 7, docs/cards.md), the Ed25519 keys that
 * sign it, and the verdict on a token offline (signature and expiry) and
 * online (also the card's state now and the benefits of its tier).
 *
 * A token carries no personal data. Its text, at most GG_CARDTOKEN_MAX-1
 * bytes of URL-safe ASCII:
 *
 *   GC1.<kid>.<card_id>.<tier>.<expires_at>.<signature>
 *
 * kid the signing key's id ([a-z0-9]{1,16}), card_id the card's id
 * (decimal, no leading zero), tier a tier token ([a-z_]{1,31}),
 * expires_at Unix seconds (decimal), signature the Ed25519 signature of
 * every byte before the last '.', as unpadded base64url (86 characters).
 * Tokens live minutes (the card_token_seconds setting); the phone page
 * asks for a new one before the old one expires.
 *
 * Keys: one key signs (the newest); a rotation retires it, and a retired
 * key still verifies the tokens it signed until they expire, by their
 * kid. Secrets are sealed with data.key (field card_key) in card_keys;
 * public keys are published as a keys file, one "KID BASE64URL_KEY" a
 * line (gg_cardkeys_export, GET /api/v1/cards/keys), which is what
 * `guanggu card verify TOKEN --public-key FILE` reads.
 *
 * Each minted token also gets a short numeric code (8 digits, unique
 * among live codes) that a provider types at a counter without a camera;
 * the code resolves to its token until the token expires.
 */
#ifndef GG_CARDTOKEN_H
#define GG_CARDTOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"

#define GG_CARDTOKEN_MAX      256 /* bytes of a token with its NUL */
#define GG_CARDTOKEN_KID_MAX  17  /* bytes of a key id with its NUL */
#define GG_CARDTOKEN_TIER_MAX 32  /* bytes of a tier token with its NUL */
#define GG_CARDTOKEN_CODE_LEN 8   /* digits of a short code */
#define GG_CARDKEYS_MAX       64  /* keys a keys file or the database may hold */
#define GG_CARDKEY_B64_LEN    43  /* base64url characters of a 32-byte public key */
#define GG_CARD_BENEFITS_MAX  128 /* benefits a verdict lists */

/* Why a token is not valid; GG_CTR_VALID when it is. Tokens: "valid", "malformed", ... */
enum gg_cardtoken_reason {
	GG_CTR_VALID,
	GG_CTR_MALFORMED,
	GG_CTR_BAD_SIGNATURE,
	GG_CTR_UNKNOWN_KEY,
	GG_CTR_EXPIRED,
	GG_CTR_REVOKED,
	GG_CTR_SUSPENDED,
	GG_CTR_NOT_ACTIVE,
	GG_CTR__COUNT
};
/** "valid", "malformed", "bad_signature", "unknown_key", "expired", "revoked", "suspended", "not_active". */
const char *gg_cardtoken_reason_token(enum gg_cardtoken_reason r);

/* The claims of a token. */
struct gg_cardtoken {
	char kid[GG_CARDTOKEN_KID_MAX];
	int64_t card_id;
	char tier[GG_CARDTOKEN_TIER_MAX];
	int64_t expires_at; /* Unix seconds */
};

/* A public key. */
struct gg_cardkey_pub {
	char kid[GG_CARDTOKEN_KID_MAX];
	unsigned char pk[32];
};

/**
 * Offline verdict: the token's form, its key among keys[0..nkeys) by kid,
 * its signature, then its expiry (expired when expires_at <= now). Fills
 * *claims when the form is good (claims may be NULL). Touches no database.
 */
enum gg_cardtoken_reason gg_cardtoken_check(const char *token, const struct gg_cardkey_pub *keys, size_t nkeys,
                                            int64_t now, struct gg_cardtoken *claims);

/**
 * Parses a keys file's text (one "KID BASE64URL_KEY" a line; blank lines
 * and lines starting with '#' skipped) into keys[0..max). GG_E_INVALID
 * "line N: ..." for a bad line, a repeated kid or more than max keys.
 */
enum gg_err gg_cardkeys_parse(const char *text, struct gg_cardkey_pub *keys, size_t max, size_t *n,
                              struct gg_error *err);

/* A key as listed (GET /api/v1/cards/keys, `card keys list`). */
struct gg_cardkey_info {
	char kid[GG_CARDTOKEN_KID_MAX];
	char public_key[GG_CARDKEY_B64_LEN + 1]; /* base64url, unpadded */
	int64_t created_at;
	int64_t retired_at; /* 0: the signing key */
};

/** Every key, oldest first, into out[0..max) (*n set). */
enum gg_err gg_cardkey_list(struct gg_db *db, struct gg_cardkey_info *out, size_t max, size_t *n, struct gg_error *err);

/** Appends the keys file text of every key (oldest first) to out. */
enum gg_err gg_cardkeys_export(struct gg_db *db, struct gg_buf *out, struct gg_error *err);

/**
 * Creates a new signing key (kid "k" and the next number) and retires the
 * current one, with its audit row (card_key.rotate), in its own write
 * transaction; the first call on an installation just creates the first
 * key. Writes the new kid to kid_out.
 */
enum gg_err gg_cardkey_rotate(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                              char kid_out[GG_CARDTOKEN_KID_MAX], struct gg_error *err);

/* A minted token. */
struct gg_cardtoken_minted {
	char token[GG_CARDTOKEN_MAX];
	char code[GG_CARDTOKEN_CODE_LEN + 1];
	int64_t expires_at;
	char kid[GG_CARDTOKEN_KID_MAX];
};

/**
 * Signs a token for card_id at tier, living ttl_seconds from now, with the
 * signing key (created when the installation has none), and stores its
 * short code (expired codes pruned). Runs inside the caller's write
 * transaction; the caller has decided that the card is active and that the
 * principal may show it. GG_E_INVALID for a bad tier or ttl.
 */
enum gg_err gg_cardtoken_mint(struct gg_db *db, const struct gg_keys *keys, int64_t card_id, const char *tier,
                              int64_t now, int ttl_seconds, struct gg_cardtoken_minted *out, struct gg_error *err);

/* A benefit the verdict lists (active items whose tiers include the card's tier). */
struct gg_card_benefit {
	int64_t id;
	char category[32];
	char name[128], name_en[128];
	int64_t provider_id;
	char provider[128];
	int64_t annual_quota; /* 0: no limit */
	int needs_booking;
};

/* The online verdict. */
struct gg_card_verdict {
	enum gg_cardtoken_reason reason;  /* GG_CTR_VALID when valid */
	struct gg_cardtoken claims;       /* when not malformed */
	char tier[GG_CARDTOKEN_TIER_MAX]; /* the card's tier (valid only) */
	char valid_to[11];                /* the card's last day + 1 (valid only) */
	struct gg_card_benefit benefits[GG_CARD_BENEFITS_MAX];
	size_t nbenefits; /* filled when valid and want_benefits */
};

/**
 * Online verdict on token at now: gg_cardtoken_check against the key of
 * its kid in the database (read through the connection's cached
 * statement), then the card: revoked, suspended, expired (status expired or valid_to
 * reached), not_active (applied, approved, issuing, rejected or unknown
 * card); valid when active. Benefits are listed when want_benefits. Reads
 * only; never says who holds the card. GG_E_* only for database failures.
 */
enum gg_err gg_cardtoken_verify(struct gg_db *db, const char *token, int64_t now, int want_benefits,
                                struct gg_card_verdict *v, struct gg_error *err);

/**
 * The same for a short code: the live token the code names (copied to
 * token_out), then gg_cardtoken_verify. An unknown or expired code is
 * GG_CTR_MALFORMED with token_out "".
 */
enum gg_err gg_cardtoken_verify_code(struct gg_db *db, const char *code, int64_t now, int want_benefits,
                                     struct gg_card_verdict *v, char token_out[GG_CARDTOKEN_MAX], struct gg_error *err);

#endif
