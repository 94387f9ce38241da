/*
 * user: accounts, their roles and scopes, passwords.
 *
 * Every write runs in its own write transaction together with its audit
 * row and leaves nothing behind when it fails. Passwords are hashed
 * (argon2id, ~50 ms) before the write transaction starts, so the database
 * write lock is never held while hashing. Usernames are 3..63 characters
 * of [a-z0-9_.-] starting with a letter (63, so that they fit a
 * principal's username); display names 1..127 bytes
 * without control characters; a password has at least
 * password_min_length characters and differs from the username.
 */
#ifndef GG_USER_H
#define GG_USER_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "role.h"

#define GG_USERNAME_MAX     64 /* bytes, NUL included */
#define GG_DISPLAY_NAME_MAX 128
#define GG_PASSWORD_MAX     1024 /* longest password accepted, in bytes */

struct gg_user_new {
	const char *username;     /* 3..63 of [a-z0-9_.-], starts with a letter */
	const char *display_name; /* NULL: the username */
	const char *password;     /* NULL: generate one (then must_change is forced) */
	int must_change;          /* must change the password at first login */
	const struct gg_role_grant *roles;
	size_t nroles; /* 1..GG_PRINCIPAL_ROLES_MAX */
};

/**
 * Creates an account in its own write transaction, with its audit row.
 * When the password is generated it is written to generated (>= 17 bytes).
 * GG_E_DUPLICATE when the username exists; GG_E_INVALID/GG_E_WEAK_PASSWORD
 * with the field named. min_password_length: the password_min_length setting.
 */
enum gg_err gg_user_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_user_new *u,
                           int min_password_length, int64_t *id, char *generated, size_t generated_sz,
                           struct gg_error *err);

/**
 * Inserts an account whose fields were already checked (gg_user_check) and
 * whose password is already hashed, with its roles and a user.create audit
 * row, after checking that its scopes name existing records
 * (gg_user_check_scopes_tx). Runs inside the caller's write transaction
 * (invitations and the demo accounts use it).
 */
enum gg_err gg_user_insert(struct gg_db *db, const struct gg_actor *actor, const struct gg_user_new *u,
                           const char *password_hash, int64_t *id, struct gg_error *err);

/**
 * Checks inside the caller's transaction that every scoped grant names a
 * record that exists: org:ID an organisation, station:ID a station,
 * talent:ID a talent not merged into another. GG_E_INVALID on field
 * roles.N.scope ("scope org:7 names no organisation: there is no
 * organisation 7"). gg_user_insert and gg_user_update (for the grants an
 * account does not hold yet) check this.
 */
enum gg_err gg_user_check_scopes_tx(struct gg_db *db, const struct gg_role_grant *roles, size_t n,
                                    struct gg_error *err);

/**
 * Checks username, display name, roles (kinds, scopes, no duplicates) and,
 * when u->password is set, the password, naming the field of each problem
 * ("username", "display_name", "roles.1.scope", "password").
 */
enum gg_err gg_user_check(const struct gg_user_new *u, int min_password_length, struct gg_error *err);
/** Checks a username alone (field "username"). */
enum gg_err gg_user_check_username(const char *username, struct gg_error *err);
/**
 * Checks a new password: at least min_length characters (UTF-8 code
 * points), at most GG_PASSWORD_MAX bytes, not equal to the username.
 * GG_E_WEAK_PASSWORD on field.
 */
enum gg_err gg_user_check_password(const char *password, const char *username, int min_length, const char *field,
                                   struct gg_error *err);

struct gg_user {
	int64_t id;
	char username[GG_USERNAME_MAX];
	char display_name[GG_DISPLAY_NAME_MAX];
	int must_change_password;
	int disabled;
	int64_t created_at, updated_at;
	int64_t last_login_at; /* 0: never */
	int64_t version;       /* starts at 1, grows with every change */
	size_t nroles;
	struct gg_role_grant roles[GG_PRINCIPAL_ROLES_MAX]; /* ordered by role table order, then scope */
};

/** Reads one account by id; GG_E_NOT_FOUND ("unknown user 12") when absent. */
enum gg_err gg_user_get(struct gg_db *db, int64_t id, struct gg_user *out, struct gg_error *err);
/** Reads one account by username; GG_E_NOT_FOUND when absent. */
enum gg_err gg_user_get_by_name(struct gg_db *db, const char *username, struct gg_user *out, struct gg_error *err);

struct gg_user_filter {
	int has_role; /* only accounts holding role (any scope) */
	enum gg_role role;
	const char *q;    /* NULL: any; else a substring of username or display name */
	int disabled;     /* -1: any, 0: enabled only, 1: disabled only */
	int64_t after_id; /* cursor: ids above this one; 0 from the start */
	int limit;        /* 1..1000 */
};
/**
 * Lists accounts by id ascending. *out (free() it) gets up to limit
 * accounts; *more is 1 when further accounts follow the last one.
 */
enum gg_err gg_user_list(struct gg_db *db, const struct gg_user_filter *f, struct gg_user **out, size_t *n, int *more,
                         struct gg_error *err);

struct gg_user_patch {
	const char *display_name; /* NULL: unchanged */
	int set_roles;            /* 1: replace the roles with roles[0..nroles) */
	const struct gg_role_grant *roles;
	size_t nroles;
	int disabled; /* -1: unchanged, 0: enable, 1: disable */
};
/**
 * Changes an account when its version is still expected_version
 * (GG_E_STALE otherwise), increments the version, writes user.update (or
 * user.disable when it disables) with the changed fields. An account may
 * not disable itself nor drop its own bureau_admin role (GG_E_CONFLICT).
 * A scoped grant the account does not hold yet must name an existing
 * record (gg_user_check_scopes_tx).
 * Disabling ends the account's sessions (its API tokens then fail too).
 * out (may be NULL) gets the account as stored afterwards.
 */
enum gg_err gg_user_update(struct gg_db *db, const struct gg_actor *actor, int64_t id, int64_t expected_version,
                           const struct gg_user_patch *p, struct gg_user *out, struct gg_error *err);

/**
 * The account changes its own password: current must match (else
 * GG_E_INVALID on field current_password); new_password must pass
 * gg_user_check_password and differ from current (GG_E_WEAK_PASSWORD on
 * field new_password). Clears must_change_password and ends the account's
 * other sessions (all but keep_session_id, 0 for none).
 */
enum gg_err gg_user_password_change(struct gg_db *db, const struct gg_actor *actor, int64_t id, const char *current,
                                    const char *new_password, int min_password_length, int64_t keep_session_id,
                                    struct gg_error *err);

/**
 * An administrator sets an account's password: password NULL generates
 * one into generated (>= 17 bytes) and forces must_change; otherwise
 * must_change is as given. Ends all the account's sessions.
 */
enum gg_err gg_user_password_reset(struct gg_db *db, const struct gg_actor *actor, int64_t id, const char *password,
                                   int must_change, int min_password_length, char *generated, size_t generated_sz,
                                   struct gg_error *err);

/**
 * Fills pr's account fields and roles from the database (kind, session
 * and token fields are left to the caller). *disabled gets the account's
 * flag. GG_E_NOT_FOUND when the account is absent.
 */
enum gg_err gg_user_load_principal(struct gg_db *db, int64_t id, struct gg_principal *pr, int *disabled,
                                   struct gg_error *err);
/**
 * As gg_user_load_principal, for a credential (session, token) that names
 * account id: when the account is absent or disabled, the credential is
 * refused with `refusal` (GG_E_SESSION_EXPIRED, GG_E_TOKEN_INVALID) and no
 * details.
 */
enum gg_err gg_user_load_enabled(struct gg_db *db, int64_t id, struct gg_principal *pr, enum gg_err refusal,
                                 struct gg_error *err);

/**
 * The number of characters (code points) of a text field, or -1 when it
 * is not valid UTF-8 or holds control characters. Used for names, labels
 * and passwords.
 */
long gg_user_text_length(const char *s);

/** Writes "bureau_admin,employer org:12" (roles in table order, scopes after a space) into out. */
void gg_user_roles_text(const struct gg_role_grant *roles, size_t n, char *out, size_t outsz);

#endif
