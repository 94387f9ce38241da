/*
 * invitation: one-time activation links. Creating one reserves the
 * username while it is pending; activating one creates the account with
 * the invited role and scope and marks the link used, in one write
 * transaction, so a link can never make two accounts. The password is
 * checked and hashed before that transaction starts.
 */
#include "invitation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"

#define INV_COLS                                                                                                    \
	"id, username, display_name, role, scope_kind, scope_id, invited_by, created_at, expires_at, accepted_at, " \
	"user_id"

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

static void wipe(void *p, size_t len)
{
	volatile unsigned char *v = p;
	while (len--)
		*v++ = 0;
}

static void inv_from_row(struct gg_stmt *st, struct gg_invitation *v)
{
	struct gg_error ignored;
	enum gg_role r = GG_ROLE_talent;

	memset(v, 0, sizeof *v);
	gg_error_init(&ignored);
	v->id = gg_db_col_i64(st, 0);
	gg_strlcpy(v->username, gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "", sizeof v->username);
	gg_strlcpy(v->display_name, gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "", sizeof v->display_name);
	gg_role_parse(gg_db_col_text(st, 3), &r, &ignored);
	v->grant.role = r;
	v->grant.scope_kind = gg_scope_kind_lookup(gg_db_col_text(st, 4));
	v->grant.scope_id = gg_db_col_is_null(st, 5) ? 0 : gg_db_col_i64(st, 5);
	v->invited_by = gg_db_col_i64(st, 6);
	v->created_at = gg_db_col_i64(st, 7);
	v->expires_at = gg_db_col_i64(st, 8);
	v->accepted_at = gg_db_col_is_null(st, 9) ? 0 : gg_db_col_i64(st, 9);
	v->user_id = gg_db_col_is_null(st, 10) ? 0 : gg_db_col_i64(st, 10);
}

/* GG_E_DUPLICATE on "username" when an account or a pending invitation holds the name. */
static enum gg_err name_free(struct gg_db *db, const char *username, int64_t now, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db,
	                   "SELECT 1 FROM users WHERE username = ? UNION ALL "
	                   "SELECT 1 FROM invitations WHERE username = ? AND accepted_at IS NULL AND expires_at > ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, username)) == GG_OK &&
	    (rc = gg_db_bind_text(st, 2, username)) == GG_OK && (rc = gg_db_bind_i64(st, 3, now)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && row)
		rc = gg_error_field(err, GG_E_DUPLICATE, "username", "username '%s' is taken", username);
	return finish(rc, err);
}

/* A single grant's fields are "roles.0.scope"; the invitation's is "scope". Returns rc. */
static enum gg_err single_grant_fields(enum gg_err rc, struct gg_error *err)
{
	for (size_t i = 0; err && i < err->nfields; i++) {
		if (strncmp(err->fields[i].field, "roles.0.", 8) == 0)
			memmove(err->fields[i].field, err->fields[i].field + 8, strlen(err->fields[i].field + 8) + 1);
	}
	return rc;
}

enum gg_err gg_invitation_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_invitation_new *in,
                                 char *token, size_t tokensz, struct gg_invitation *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char raw[GG_TOKEN_MAX], hash[GG_SHA256_HEX], scope[48], exp_text[24];
	const char *display = in->display_name ? in->display_name : in->username;
	int64_t now = gg_clock_now(), expires = now + (int64_t)in->hours * 3600, id = 0;
	int scoped = in->grant.scope_kind != GG_SCOPE_NONE;
	enum gg_err rc;
	int row = 0, in_txn = 0;

	/* The same checks as for an account, so that activation cannot fail on them later. */
	const struct gg_user_new as_user = {
	    .username = in->username,
	    .display_name = in->display_name,
	    .roles = &in->grant,
	    .nroles = 1,
	};
	if ((rc = gg_user_check(&as_user, 0, err)) != GG_OK)
		return single_grant_fields(rc, err);
	if (in->hours < 1)
		return gg_error_set(err, GG_E_INVALID, "invitation validity must be at least one hour");
	if (actor->id <= 0)
		return gg_error_set(err, GG_E_INVALID, "an invitation needs an inviting account");
	if (!token || tokensz < GG_TOKEN_MAX)
		return gg_error_set(err, GG_E_INTERNAL, "no room for the invitation token");
	gg_crypto_token(raw, sizeof raw, 32);
	gg_crypto_sha256_hex(raw, strlen(raw), hash);

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	if ((rc = name_free(db, in->username, now, err)) != GG_OK)
		goto out;
	if ((rc = gg_user_check_scopes_tx(db, &in->grant, 1, err)) != GG_OK) {
		rc = single_grant_fields(rc, err);
		goto out;
	}
	rc = gg_db_prepare(db,
	                   "INSERT INTO invitations (token_hash, username, display_name, role, scope_kind, scope_id, "
	                   "invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, hash)) == GG_OK &&
	    (rc = gg_db_bind_text(st, 2, in->username)) == GG_OK && (rc = gg_db_bind_text(st, 3, display)) == GG_OK &&
	    (rc = gg_db_bind_text(st, 4, gg_role_token(in->grant.role))) == GG_OK &&
	    (rc = gg_db_bind_text(st, 5, scoped ? gg_scope_kind_token(in->grant.scope_kind) : NULL)) == GG_OK &&
	    (rc = scoped ? gg_db_bind_i64(st, 6, in->grant.scope_id) : gg_db_bind_null(st, 6)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 7, actor->id)) == GG_OK && (rc = gg_db_bind_i64(st, 8, now)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 9, expires)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_DB, "insert into invitations returned no id");
	if (rc == GG_OK)
		id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK)
		goto out;

	gg_role_scope_text(&in->grant, scope, sizeof scope);
	gg_clock_iso(expires, exp_text, sizeof exp_text);
	const struct gg_audit_change changes[] = {
	    {"username", NULL, in->username},
	    {"display_name", NULL, display},
	    {"role", NULL, gg_role_token(in->grant.role)},
	    {"scope", NULL, scoped ? scope : NULL},
	    {"expires_at", NULL, exp_text},
	};
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = "invitation.create",
	    .entity = "invitation",
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
	gg_strlcpy(token, raw, tokensz);
	if (out) {
		memset(out, 0, sizeof *out);
		out->id = id;
		gg_strlcpy(out->username, in->username, sizeof out->username);
		gg_strlcpy(out->display_name, display, sizeof out->display_name);
		out->grant = in->grant;
		out->invited_by = actor->id;
		out->created_at = now;
		out->expires_at = expires;
	}
out:
	gg_db_done(st);
	if (in_txn)
		gg_db_rollback(db);
	wipe(raw, sizeof raw);
	return finish(rc, err);
}

enum gg_err gg_invitation_list(struct gg_db *db, int64_t invited_by, int64_t after_id, int limit,
                               struct gg_invitation **out, size_t *n, int *more, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct gg_invitation *items = NULL;
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
	rc = gg_db_prepare(db,
	                   invited_by > 0 ? "SELECT " INV_COLS
	                                    " FROM invitations WHERE id > ? AND invited_by = ? ORDER BY id LIMIT ?"
	                                  : "SELECT " INV_COLS " FROM invitations WHERE id > ? ORDER BY id LIMIT ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, after_id)) == GG_OK) {
		int idx = 2;
		if (invited_by > 0)
			rc = gg_db_bind_i64(st, idx++, invited_by);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, idx, (int64_t)limit + 1);
	}
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row && count <= (size_t)limit)
		inv_from_row(st, &items[count++]);
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

/* Finds an invitation by token: NOT_FOUND unknown, GONE used or expired at now. */
static enum gg_err find_by_token(struct gg_db *db, const char *token, int64_t now, struct gg_invitation *out,
                                 struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char hash[GG_SHA256_HEX];
	enum gg_err rc;
	int row = 0;

	if (!token || !*token || strlen(token) >= GG_TOKEN_MAX)
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown invitation");
	gg_crypto_sha256_hex(token, strlen(token), hash);
	rc = gg_db_prepare(db, "SELECT " INV_COLS " FROM invitations WHERE token_hash = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, hash)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		inv_from_row(st, out);
	gg_db_done(st);
	if (rc != GG_OK)
		return finish(rc, err);
	if (!row)
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown invitation");
	if (out->accepted_at)
		return gg_error_set(err, GG_E_GONE, "invitation was already used");
	if (out->expires_at <= now)
		return gg_error_set(err, GG_E_GONE, "invitation has expired");
	return GG_OK;
}

enum gg_err gg_invitation_lookup(struct gg_db *db, const char *token, struct gg_invitation *out, struct gg_error *err)
{
	return find_by_token(db, token, gg_clock_now(), out, err);
}

enum gg_err gg_invitation_activate(struct gg_db *db, const char *token, const char *password, int min_password_length,
                                   const char *request_id, int64_t *user_id, struct gg_error *err)
{
	struct gg_invitation inv;
	char hash[GG_PWHASH_MAX], id_text[24];
	int64_t now = gg_clock_now(), new_id = 0;
	enum gg_err rc;
	int in_txn = 0;

	if ((rc = find_by_token(db, token, now, &inv, err)) != GG_OK)
		return rc;
	if ((rc = gg_user_check_password(password, inv.username, min_password_length, "password", err)) != GG_OK)
		return rc;
	if ((rc = gg_crypto_pwhash(password, hash)) != GG_OK)
		return gg_error_set(err, rc, "cannot hash the password");

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	/* Again under the write lock: another activation may have won meanwhile. */
	if ((rc = find_by_token(db, token, now, &inv, err)) != GG_OK)
		goto out;
	const struct gg_user_new u = {
	    .username = inv.username,
	    .display_name = inv.display_name,
	    .password = password,
	    .must_change = 0,
	    .roles = &inv.grant,
	    .nroles = 1,
	};
	/* The person activating acts; the account id exists only after the
	 * insert, so user.create names them by the invited username. */
	const struct gg_actor actor = {0, inv.username, request_id};
	if ((rc = gg_user_insert(db, &actor, &u, hash, &new_id, err)) != GG_OK)
		goto out;
	const int64_t args[] = {now, new_id, inv.id};
	rc = gg_db_run_i64(db,
	                   "UPDATE invitations SET accepted_at = ?, user_id = ? WHERE id = ? AND accepted_at IS NULL",
	                   args, 3, err);
	if (rc != GG_OK)
		goto out;
	if (gg_db_changes(db) != 1) {
		rc = gg_error_set(err, GG_E_GONE, "invitation was already used");
		goto out;
	}
	snprintf(id_text, sizeof id_text, "%lld", (long long)new_id);
	const struct gg_audit_change changes[] = {{"user_id", NULL, id_text}};
	const struct gg_audit_event ev = {
	    .actor_id = new_id,
	    .actor = inv.username,
	    .action = "invitation.accept",
	    .entity = "invitation",
	    .entity_id = inv.id,
	    .request_id = request_id,
	    .changes = changes,
	    .nchanges = 1,
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	if ((rc = gg_db_commit(db, err)) != GG_OK)
		goto out;
	in_txn = 0;
	if (user_id)
		*user_id = new_id;
out:
	if (in_txn)
		gg_db_rollback(db);
	return finish(rc, err);
}
