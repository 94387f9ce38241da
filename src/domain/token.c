/*
 * token: bearer API tokens. Issuing, listing and revoking are writes with
 * their audit rows; authenticating hashes the presented text and looks
 * the hash up, so the token itself is never stored. last_used_at is
 * written at most once a minute per token, to save writes on busy
 * integrations.
 */
#include "token.h"

#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "user.h"

#define TOUCH_EVERY_SECONDS 60
#define TOKEN_COLS          "id, user_id, label, created_at, expires_at, revoked_at, last_used_at, created_by"

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

/* 1 for 1..max-1 bytes of UTF-8 text without control characters. */
static int label_ok(const char *s, size_t max)
{
	return s && *s && strlen(s) < max && gg_user_text_length(s) > 0;
}

static void token_from_row(struct gg_stmt *st, struct gg_token *t)
{
	memset(t, 0, sizeof *t);
	t->id = gg_db_col_i64(st, 0);
	t->user_id = gg_db_col_i64(st, 1);
	gg_strlcpy(t->label, gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "", sizeof t->label);
	t->created_at = gg_db_col_i64(st, 3);
	t->expires_at = gg_db_col_i64(st, 4);
	t->revoked_at = gg_db_col_is_null(st, 5) ? 0 : gg_db_col_i64(st, 5);
	t->last_used_at = gg_db_col_is_null(st, 6) ? 0 : gg_db_col_i64(st, 6);
	t->created_by = gg_db_col_is_null(st, 7) ? 0 : gg_db_col_i64(st, 7);
}

enum gg_err gg_token_authenticate(struct gg_db *db, const char *bearer, struct gg_principal *pr, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char hash[GG_SHA256_HEX];
	int64_t now = gg_clock_now(), token_id = 0, user_id = 0, last_used = 0;
	size_t plen = strlen(GG_TOKEN_PREFIX);
	enum gg_err rc;
	int row = 0, in_txn = 0;

	memset(pr, 0, sizeof *pr);
	if (!bearer || strncmp(bearer, GG_TOKEN_PREFIX, plen) != 0 || strlen(bearer) <= plen ||
	    strlen(bearer) >= GG_TOKEN_TEXT_MAX)
		return gg_error_set(err, GG_E_TOKEN_INVALID, NULL);
	gg_crypto_sha256_hex(bearer, strlen(bearer), hash);

	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	in_txn = 1;
	rc = gg_db_prepare(db,
	                   "SELECT id, user_id, last_used_at FROM api_tokens "
	                   "WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, hash)) == GG_OK && (rc = gg_db_bind_i64(st, 2, now)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		token_id = gg_db_col_i64(st, 0);
		user_id = gg_db_col_i64(st, 1);
		last_used = gg_db_col_is_null(st, 2) ? 0 : gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	if (rc != GG_OK)
		goto out;
	if (!row) {
		rc = gg_error_set(err, GG_E_TOKEN_INVALID, NULL);
		goto out;
	}
	if ((rc = gg_user_load_enabled(db, user_id, pr, GG_E_TOKEN_INVALID, err)) != GG_OK)
		goto out;
	gg_db_rollback(db);
	in_txn = 0;
	pr->kind = GG_AUTH_TOKEN;
	pr->token_id = token_id;
	if (now - last_used >= TOUCH_EVERY_SECONDS) {
		/* Bookkeeping only: a busy database must not refuse the request. */
		const int64_t args[] = {now, token_id};
		struct gg_error ignored;
		gg_error_init(&ignored);
		gg_db_run_i64(db, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", args, 2, &ignored);
	}
out:
	if (in_txn)
		gg_db_rollback(db);
	if (rc != GG_OK) {
		memset(pr, 0, sizeof *pr);
		pr->kind = GG_AUTH_NONE;
	}
	return finish(rc, err);
}

enum gg_err gg_token_create(struct gg_db *db, const struct gg_actor *actor, int64_t user_id, const char *label,
                            int days, char *text, size_t textsz, struct gg_token *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char raw[GG_TOKEN_MAX], full[GG_TOKEN_TEXT_MAX], hash[GG_SHA256_HEX], user_text[24], exp_text[24];
	int64_t now = gg_clock_now(), expires, id = 0, found_id = 0;
	enum gg_err rc = GG_OK;
	int row = 0, in_txn = 0, found = 0;

	if (!label_ok(label, GG_TOKEN_LABEL_MAX))
		rc = gg_error_field(err, GG_E_INVALID, "label", "label must be 1 to %d bytes of text",
		                    GG_TOKEN_LABEL_MAX - 1);
	if (days < 1 || days > GG_TOKEN_DAYS_MAX)
		rc = gg_error_field(err, GG_E_INVALID, "expires_in_days", "expires_in_days must be 1 to %d",
		                    GG_TOKEN_DAYS_MAX);
	if (rc != GG_OK)
		return rc;
	if (!text || textsz < GG_TOKEN_TEXT_MAX)
		return gg_error_set(err, GG_E_INTERNAL, "no room for the token");
	expires = now + (int64_t)days * 86400;
	gg_crypto_token(raw, sizeof raw, 32);
	snprintf(full, sizeof full, "%s%s", GG_TOKEN_PREFIX, raw);
	gg_crypto_sha256_hex(full, strlen(full), hash);

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	const int64_t uid[] = {user_id};
	if ((rc = gg_db_query_i64(db, "SELECT id FROM users WHERE id = ?", uid, 1, &found_id, &found, err)) != GG_OK)
		goto out;
	if (!found) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown user %lld", (long long)user_id);
		goto out;
	}
	rc = gg_db_prepare(db,
	                   "INSERT INTO api_tokens (user_id, label, token_hash, created_at, expires_at, created_by) "
	                   "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, user_id)) == GG_OK &&
	    (rc = gg_db_bind_text(st, 2, label)) == GG_OK && (rc = gg_db_bind_text(st, 3, hash)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 4, now)) == GG_OK && (rc = gg_db_bind_i64(st, 5, expires)) == GG_OK &&
	    (rc = actor->id > 0 ? gg_db_bind_i64(st, 6, actor->id) : gg_db_bind_null(st, 6)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_DB, "insert into api_tokens returned no id");
	if (rc == GG_OK)
		id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK)
		goto out;

	snprintf(user_text, sizeof user_text, "%lld", (long long)user_id);
	gg_clock_iso(expires, exp_text, sizeof exp_text);
	const struct gg_audit_change changes[] = {
	    {"user_id", NULL, user_text},
	    {"label", NULL, label},
	    {"expires_at", NULL, exp_text},
	};
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = "token.create",
	    .entity = "token",
	    .entity_id = id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = sizeof changes / sizeof changes[0],
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	if ((rc = gg_db_commit(db, err)) != GG_OK)
		goto out;
	in_txn = 0;
	gg_strlcpy(text, full, textsz);
	if (out) {
		memset(out, 0, sizeof *out);
		out->id = id;
		out->user_id = user_id;
		gg_strlcpy(out->label, label, sizeof out->label);
		out->created_at = now;
		out->expires_at = expires;
		out->created_by = actor->id > 0 ? actor->id : 0;
	}
out:
	gg_db_done(st);
	if (in_txn)
		gg_db_rollback(db);
	return finish(rc, err);
}

enum gg_err gg_token_list(struct gg_db *db, int64_t user_id, int64_t after_id, int limit, struct gg_token **out,
                          size_t *n, int *more, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_token *items = NULL;
	size_t count = 0;
	enum gg_err rc;
	int row;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (limit < 1)
		limit = 1;
	if (limit > 1000)
		limit = 1000;
	items = calloc((size_t)limit + 1, sizeof *items);
	if (!items)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_db_prepare(db, "SELECT " TOKEN_COLS " FROM api_tokens WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, user_id)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 2, after_id)) == GG_OK)
		rc = gg_db_bind_i64(st, 3, (int64_t)limit + 1);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row && count <= (size_t)limit)
		token_from_row(st, &items[count++]);
	if (rc != GG_OK)
		goto out;
	if (count > (size_t)limit) {
		*more = 1;
		count = (size_t)limit;
	}
	*out = items;
	*n = count;
	items = NULL;
out:
	gg_db_done(st);
	free(items);
	return finish(rc, err);
}

enum gg_err gg_token_revoke(struct gg_db *db, const struct gg_actor *actor, int64_t id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_token t;
	char now_text[24];
	int64_t now = gg_clock_now();
	enum gg_err rc;
	int row = 0, in_txn = 0;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	rc = gg_db_prepare(db, "SELECT " TOKEN_COLS " FROM api_tokens WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		token_from_row(st, &t);
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK)
		goto out;
	if (!row) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown token %lld", (long long)id);
		goto out;
	}
	if (t.revoked_at) {
		rc = gg_error_set(err, GG_E_CONFLICT, "token %lld is already revoked", (long long)id);
		goto out;
	}
	const int64_t args[] = {now, id};
	rc =
	    gg_db_run_i64(db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", args, 2, err);
	if (rc != GG_OK)
		goto out;
	gg_clock_iso(now, now_text, sizeof now_text);
	const struct gg_audit_change changes[] = {{"revoked_at", NULL, now_text}};
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = "token.revoke",
	    .entity = "token",
	    .entity_id = id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = 1,
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	rc = gg_db_commit(db, err);
	in_txn = 0;
out:
	gg_db_done(st);
	if (in_txn)
		gg_db_rollback(db);
	return finish(rc, err);
}
