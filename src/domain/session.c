/*
 * session: login, the session lookup behind every cookie request, logout.
 * A session ends at the first of: logout, session_idle_minutes without a
 * request, session_max_hours after login, the account being disabled or
 * its password changed. Failed logins are kept per tried name (also names
 * without an account, so a throttled answer does not reveal which exist);
 * the password check itself runs outside any transaction.
 */
#include "session.h"

#include <ctype.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "user.h"

/*
 * A hash of a random password with the parameters gg_crypto_pwhash uses
 * (argon2id, m=64 MiB, t=2): a login for a name without an account is
 * checked against it, so it costs as long as a real one.
 */
static const char dummy_hash[] = "$argon2id$v=19$m=65536,t=2,p=1$SPAK7NH2p+nOcCgeN4YHrw$"
                                 "B/JiRAdsafE7atjCiNl7WcnQtT0ylW2cg3vACWeVcH4";

/* last_seen_at is written at most this often, to save writes. */
#define TOUCH_EVERY_SECONDS 60

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

/* The name as the throttle counts it: lower-case, cut to a username's size. */
static void login_name(const char *username, char *out, size_t outsz)
{
	size_t i = 0;

	for (; username && username[i] && i + 1 < outsz; i++)
		out[i] = (char)tolower((unsigned char)username[i]);
	out[i] = '\0';
}

/*
 * Seconds until the name may try again, 0 when not throttled: the name is
 * throttled while max failures lie within the window, so it is free again
 * when the max-th newest of them leaves the window.
 */
static enum gg_err throttle_wait(struct gg_db *db, const struct gg_config *cfg, const char *name, int64_t now,
                                 int64_t *wait, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t window = gg_config_int(cfg, GG_CFG_login_window_minutes) * 60;
	int64_t max = gg_config_int(cfg, GG_CFG_login_max_failures);
	enum gg_err rc;
	int row = 0;

	*wait = 0;
	rc = gg_db_prepare(
	    db, "SELECT at FROM login_failures WHERE username = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?", &st,
	    err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_text(st, 1, name)) != GG_OK || (rc = gg_db_bind_i64(st, 2, now - window)) != GG_OK ||
	    (rc = gg_db_bind_i64(st, 3, max - 1)) != GG_OK || (rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (row) {
		*wait = gg_db_col_i64(st, 0) + window - now;
		if (*wait < 1)
			*wait = 1;
	}
out:
	gg_db_done(st);
	return finish(rc, err);
}

struct login_account {
	int found;
	int64_t id;
	char username[GG_USERNAME_MAX];
	char hash[GG_PWHASH_MAX];
	int disabled;
	int must_change;
	int64_t last_login_at;
};

static enum gg_err find_account(struct gg_db *db, const char *name, struct login_account *a, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	memset(a, 0, sizeof *a);
	rc = gg_db_prepare(db,
	                   "SELECT id, username, password_hash, disabled, must_change_password, last_login_at "
	                   "FROM users WHERE username = ?",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_text(st, 1, name)) != GG_OK || (rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (row) {
		a->found = 1;
		a->id = gg_db_col_i64(st, 0);
		gg_strlcpy(a->username, gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "", sizeof a->username);
		gg_strlcpy(a->hash, gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "", sizeof a->hash);
		a->disabled = gg_db_col_i64(st, 3) != 0;
		a->must_change = gg_db_col_i64(st, 4) != 0;
		a->last_login_at = gg_db_col_is_null(st, 5) ? 0 : gg_db_col_i64(st, 5);
	}
out:
	gg_db_done(st);
	return finish(rc, err);
}

/* Records a refused login: the failure row (bad password only) and auth.login_failed. */
static enum gg_err record_failure(struct gg_db *db, const struct gg_config *cfg, const char *name,
                                  const struct login_account *a, const char *reason, int count_it,
                                  const char *request_id, int64_t now, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row, in_txn = 0;
	int64_t window = gg_config_int(cfg, GG_CFG_login_window_minutes) * 60;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	if (count_it) {
		rc = gg_db_prepare(db, "INSERT INTO login_failures (username, at) VALUES (?, ?)", &st, err);
		if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, name)) == GG_OK &&
		    (rc = gg_db_bind_i64(st, 2, now)) == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
		st = NULL;
		if (rc != GG_OK)
			goto out;
		/* Failures older than the window count no more: drop them (all names). */
		const int64_t args[] = {now - window};
		if ((rc = gg_db_run_i64(db, "DELETE FROM login_failures WHERE at <= ?", args, 1, err)) != GG_OK)
			goto out;
	}
	const struct gg_audit_change changes[] = {{"reason", NULL, reason}};
	/* Whoever tried is not known to be the account's owner: the actor is anonymous. */
	const struct gg_audit_event ev = {
	    .actor_id = 0,
	    .actor = "anonymous",
	    .action = "auth.login_failed",
	    .entity = "user",
	    .entity_id = a->found ? a->id : 0,
	    .request_id = request_id,
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

static enum gg_err open_session(struct gg_db *db, const struct gg_config *cfg, const char *name,
                                const struct login_account *a, const char *request_id, int64_t now,
                                struct gg_login *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char token_hash[GG_SHA256_HEX], last_text[24], now_text[24];
	int64_t max_age = gg_config_int(cfg, GG_CFG_session_max_hours) * 3600;
	enum gg_err rc;
	int row = 0, in_txn = 0;

	gg_crypto_token(out->token, sizeof out->token, 32);
	gg_crypto_token(out->csrf_token, sizeof out->csrf_token, 32);
	gg_crypto_sha256_hex(out->token, strlen(out->token), token_hash);
	out->expires_at = now + max_age;
	out->user_id = a->id;
	out->must_change_password = a->must_change;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	rc = gg_db_prepare(
	    db,
	    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
	    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	    &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, token_hash)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 2, a->id)) == GG_OK && (rc = gg_db_bind_text(st, 3, out->csrf_token)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 4, now)) == GG_OK && (rc = gg_db_bind_i64(st, 5, now)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 6, out->expires_at)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_DB, "insert into sessions returned no id");
	if (rc == GG_OK)
		out->session_id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK)
		goto out;

	const int64_t set_login[] = {now, a->id};
	if ((rc = gg_db_run_i64(db, "UPDATE users SET last_login_at = ? WHERE id = ?", set_login, 2, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db, "DELETE FROM login_failures WHERE username = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, name)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK)
		goto out;

	if (a->last_login_at)
		gg_clock_iso(a->last_login_at, last_text, sizeof last_text);
	gg_clock_iso(now, now_text, sizeof now_text);
	const struct gg_audit_change changes[] = {
	    {"last_login_at", a->last_login_at ? last_text : NULL, now_text},
	};
	const struct gg_audit_event ev = {
	    .actor_id = a->id,
	    .actor = a->username,
	    .action = "auth.login",
	    .entity = "user",
	    .entity_id = a->id,
	    .request_id = request_id,
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

enum gg_err gg_session_login(struct gg_db *db, const struct gg_config *cfg, const char *username, const char *password,
                             const char *request_id, struct gg_login *out, struct gg_error *err)
{
	char name[GG_USERNAME_MAX];
	struct login_account a;
	int64_t now = gg_clock_now(), wait = 0;
	enum gg_err rc;
	int ok;

	memset(out, 0, sizeof *out);
	login_name(username, name, sizeof name);
	if ((rc = throttle_wait(db, cfg, name, now, &wait, err)) != GG_OK)
		return rc;
	if (wait > 0) {
		out->retry_after = wait;
		return gg_error_set(err, GG_E_THROTTLED, "too many failed logins, try again in %lld seconds",
		                    (long long)wait);
	}
	if ((rc = find_account(db, name, &a, err)) != GG_OK)
		return rc;
	/* A name longer than any account, or an overlong password, still costs a full check. */
	if (!password || strlen(password) > GG_PASSWORD_MAX)
		password = "";
	ok = gg_crypto_pwverify(a.found ? a.hash : dummy_hash, password);
	if (a.found && (!username || strlen(username) >= sizeof name))
		ok = 0;
	if (!ok) {
		rc = record_failure(db, cfg, name, &a, "invalid_credentials", 1, request_id, now, err);
		if (rc != GG_OK)
			return rc;
		return gg_error_set(err, GG_E_BAD_CREDENTIALS, NULL);
	}
	if (a.disabled) {
		rc = record_failure(db, cfg, name, &a, "account_disabled", 0, request_id, now, err);
		if (rc != GG_OK)
			return rc;
		return gg_error_set(err, GG_E_DISABLED, NULL);
	}
	return open_session(db, cfg, name, &a, request_id, now, out, err);
}

/* Writes last_seen_at; a failure (a busy database) costs only idle time, so it is not an error. */
static void touch(struct gg_db *db, int64_t session_id, int64_t now)
{
	const int64_t args[] = {now, session_id};
	struct gg_error ignored;

	gg_error_init(&ignored);
	gg_db_run_i64(db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", args, 2, &ignored);
}

enum gg_err gg_session_authenticate(struct gg_db *db, const struct gg_config *cfg, const char *cookie_token,
                                    struct gg_principal *pr, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char token_hash[GG_SHA256_HEX], csrf[GG_TOKEN_MAX];
	int64_t now = gg_clock_now(), idle = gg_config_int(cfg, GG_CFG_session_idle_minutes) * 60;
	int64_t session_id = 0, user_id = 0, last_seen = 0;
	enum gg_err rc;
	int row = 0, in_txn = 0;

	memset(pr, 0, sizeof *pr);
	if (!cookie_token || !*cookie_token || strlen(cookie_token) >= GG_TOKEN_MAX)
		return gg_error_set(err, GG_E_SESSION_EXPIRED, NULL);
	gg_crypto_sha256_hex(cookie_token, strlen(cookie_token), token_hash);

	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	in_txn = 1;
	rc = gg_db_prepare(db,
	                   "SELECT id, user_id, csrf_token, last_seen_at FROM sessions "
	                   "WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ? AND last_seen_at > ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, token_hash)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 2, now)) == GG_OK && (rc = gg_db_bind_i64(st, 3, now - idle)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		session_id = gg_db_col_i64(st, 0);
		user_id = gg_db_col_i64(st, 1);
		gg_strlcpy(csrf, gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "", sizeof csrf);
		last_seen = gg_db_col_i64(st, 3);
	}
	gg_db_done(st);
	if (rc != GG_OK)
		goto out;
	if (!row) {
		rc = gg_error_set(err, GG_E_SESSION_EXPIRED, NULL);
		goto out;
	}
	if ((rc = gg_user_load_enabled(db, user_id, pr, GG_E_SESSION_EXPIRED, err)) != GG_OK)
		goto out;
	gg_db_rollback(db);
	in_txn = 0;
	pr->kind = GG_AUTH_SESSION;
	pr->session_id = session_id;
	gg_strlcpy(pr->csrf_token, csrf, sizeof pr->csrf_token);
	if (now - last_seen >= TOUCH_EVERY_SECONDS)
		touch(db, session_id, now);
out:
	if (in_txn)
		gg_db_rollback(db);
	if (rc != GG_OK) {
		memset(pr, 0, sizeof *pr);
		pr->kind = GG_AUTH_NONE;
	}
	return finish(rc, err);
}

enum gg_err gg_session_logout(struct gg_db *db, const struct gg_actor *actor, int64_t session_id, struct gg_error *err)
{
	const int64_t args[] = {gg_clock_now(), session_id};
	enum gg_err rc;
	int in_txn = 0;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	rc = gg_db_run_i64(db, "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL", args, 2, err);
	if (rc != GG_OK)
		goto out;
	if (gg_db_changes(db) != 1) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "no live session %lld", (long long)session_id);
		goto out;
	}
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = "auth.logout",
	    .entity = "session",
	    .entity_id = session_id,
	    .request_id = actor->request_id,
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	rc = gg_db_commit(db, err);
	in_txn = 0;
out:
	if (in_txn)
		gg_db_rollback(db);
	return finish(rc, err);
}

enum gg_err gg_session_end_user(struct gg_db *db, int64_t user_id, int64_t keep_session_id, int64_t *ended,
                                struct gg_error *err)
{
	const int64_t args[] = {gg_clock_now(), user_id, keep_session_id};
	enum gg_err rc;

	rc = gg_db_run_i64(db, "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL AND id <> ?",
	                   args, 3, err);
	if (rc == GG_OK && ended)
		*ended = gg_db_changes(db);
	return finish(rc, err);
}
