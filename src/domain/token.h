/*
 * token: bearer API tokens for integrations (banks, benefit providers).
 * A token is "gg_" and 43 random base64url characters, shown once when
 * issued; the database keeps its SHA-256, label, expiry and revocation
 * time. Tokens of a disabled account fail.
 */
#ifndef GG_TOKEN_H
#define GG_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"
#include "role.h"

#define GG_TOKEN_PREFIX    "gg_"
#define GG_TOKEN_TEXT_MAX  (GG_TOKEN_MAX + 3) /* prefix, token and NUL */
#define GG_TOKEN_LABEL_MAX 128                /* bytes, NUL included */
#define GG_TOKEN_DAYS_MAX  3650

/**
 * Looks a bearer token up; fills pr when it is live and its account is
 * enabled. GG_E_TOKEN_INVALID otherwise (unknown, expired, revoked).
 */
enum gg_err gg_token_authenticate(struct gg_db *db, const char *bearer, struct gg_principal *pr, struct gg_error *err);

struct gg_token {
	int64_t id;
	int64_t user_id;
	char label[GG_TOKEN_LABEL_MAX];
	int64_t created_at, expires_at;
	int64_t revoked_at;   /* 0: not revoked */
	int64_t last_used_at; /* 0: never */
	int64_t created_by;   /* 0: the command line */
};

/**
 * Issues a token for an account (GG_E_NOT_FOUND when absent) valid for
 * days (1..GG_TOKEN_DAYS_MAX, field "expires_in_days"); label 1..127 bytes
 * without control characters (field "label"). text (>= GG_TOKEN_TEXT_MAX)
 * gets the token, shown only now; out (may be NULL) the stored record.
 * Records token.create.
 */
enum gg_err gg_token_create(struct gg_db *db, const struct gg_actor *actor, int64_t user_id, const char *label,
                            int days, char *text, size_t textsz, struct gg_token *out, struct gg_error *err);

/** The tokens of an account by id ascending, after after_id; *out free()d by the caller. */
enum gg_err gg_token_list(struct gg_db *db, int64_t user_id, int64_t after_id, int limit, struct gg_token **out,
                          size_t *n, int *more, struct gg_error *err);

/** Revokes a token (token.revoke): GG_E_NOT_FOUND when unknown, GG_E_CONFLICT when already revoked. */
enum gg_err gg_token_revoke(struct gg_db *db, const struct gg_actor *actor, int64_t id, struct gg_error *err);

#endif
