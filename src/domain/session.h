/*
 * session: login sessions of people. The cookie carries a random token;
 * the database keeps only its SHA-256, the account, a CSRF token, and
 * the idle and absolute expiry. Login failures are counted per account
 * and throttle further attempts (login_max_failures in
 * login_window_minutes).
 */
#ifndef GG_SESSION_H
#define GG_SESSION_H

#include <stdint.h>

#include "../core/config.h"
#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"
#include "role.h"

struct gg_login {
	int64_t user_id;
	int64_t session_id;
	char token[GG_TOKEN_MAX]; /* the cookie value; shown only here */
	char csrf_token[GG_TOKEN_MAX];
	int64_t expires_at; /* absolute end: login + session_max_hours */
	int must_change_password;
	int64_t retry_after; /* seconds, set with GG_E_THROTTLED */
};

/**
 * Logs in: refuses with GG_E_THROTTLED (out->retry_after set) while the
 * name has login_max_failures failures within login_window_minutes, even
 * with the right password; then checks the password (against a dummy hash
 * when the account does not exist, so timing does not tell) and answers
 * GG_E_BAD_CREDENTIALS for a wrong name or password alike (recording the
 * failure and auth.login_failed), GG_E_DISABLED for a disabled account
 * whose password was right. On success creates the session, sets
 * last_login_at, clears the name's failures and records auth.login.
 * request_id may be NULL.
 */
enum gg_err gg_session_login(struct gg_db *db, const struct gg_config *cfg, const char *username, const char *password,
                             const char *request_id, struct gg_login *out, struct gg_error *err);

/**
 * Looks the cookie token up; when the session is live fills pr (account,
 * roles and scopes, csrf token), and moves its idle expiry forward.
 * GG_E_SESSION_EXPIRED when unknown, expired, logged out or the account
 * is disabled.
 */
enum gg_err gg_session_authenticate(struct gg_db *db, const struct gg_config *cfg, const char *cookie_token,
                                    struct gg_principal *pr, struct gg_error *err);

/** Ends a session (auth.logout). GG_E_NOT_FOUND when absent or already ended. */
enum gg_err gg_session_logout(struct gg_db *db, const struct gg_actor *actor, int64_t session_id, struct gg_error *err);

/**
 * Ends every live session of an account except keep_session_id (0: none).
 * Runs inside the caller's write transaction. *ended (may be NULL) counts them.
 */
enum gg_err gg_session_end_user(struct gg_db *db, int64_t user_id, int64_t keep_session_id, int64_t *ended,
                                struct gg_error *err);

#endif
