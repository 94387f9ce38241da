/*
 * Accounts: users and their roles, login sessions, API tokens, invitations
 * and the failed logins that throttle an account. Times are epoch seconds;
 * secrets (passwords, session, API and invitation tokens) are stored only
 * as argon2id or SHA-256 hashes.
 */

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	last_login_at INTEGER,
	version INTEGER NOT NULL DEFAULT 1
);

/*
 * One row per role of an account; scope_kind/scope_id are NULL for an
 * unscoped role. The unique index treats a missing scope as one value, so
 * an unscoped role cannot be granted twice either.
 */
CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users (id),
	role TEXT NOT NULL,
	scope_kind TEXT CHECK (scope_kind IN ('org', 'station', 'talent')),
	scope_id INTEGER CHECK (scope_id > 0),
	CHECK ((scope_kind IS NULL AND scope_id IS NULL) OR (scope_kind IS NOT NULL AND scope_id IS NOT NULL))
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, (COALESCE(scope_kind, '')), (COALESCE(scope_id, 0)));
CREATE INDEX user_roles_role ON user_roles (role, user_id);

/*
 * expires_at is the absolute end (login + session_max_hours); the idle end
 * is last_seen_at + session_idle_minutes.
 */
CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	user_id INTEGER NOT NULL REFERENCES users (id),
	csrf_token TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	ended_at INTEGER
);
CREATE INDEX sessions_user ON sessions (user_id, ended_at);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id),
	label TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	revoked_at INTEGER,
	last_used_at INTEGER,
	created_by INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE invitations (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	username TEXT NOT NULL,
	display_name TEXT NOT NULL,
	role TEXT NOT NULL,
	scope_kind TEXT CHECK (scope_kind IN ('org', 'station', 'talent')),
	scope_id INTEGER CHECK (scope_id > 0),
	invited_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	accepted_at INTEGER,
	user_id INTEGER REFERENCES users (id)
);
CREATE INDEX invitations_username ON invitations (username, accepted_at);
CREATE INDEX invitations_invited_by ON invitations (invited_by, id);

/*
 * Failed logins by the name that was tried (also names with no account,
 * so throttling does not tell which accounts exist).
 */
CREATE TABLE login_failures (
	username TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX login_failures_username_at ON login_failures (username, at);
CREATE INDEX login_failures_at ON login_failures (at);
