/*
 * user: accounts and their roles. The checks of names, passwords and role
 * lists live here, so the HTTP handlers, the command line and invitations
 * answer alike. Every write follows one pattern: check and hash outside
 * any transaction, then one write transaction with the change and its
 * audit row, rolled back as a whole on any error.
 */
#include "user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/crypto.h"
#include "session.h"

#define USER_COLS \
	"id, username, display_name, must_change_password, disabled, created_at, updated_at, last_login_at, version"

/* Clears a secret from the stack in a way the compiler keeps. */
static void wipe(void *p, size_t len)
{
	volatile unsigned char *v = p;
	while (len--)
		*v++ = 0;
}

static const char *bool_text(int v)
{
	return v ? "true" : "false";
}

/* Makes sure a failing function leaves a code in err even when a lower
 * layer (a bind) returned one without a message. */
static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

long gg_user_text_length(const char *s)
{
	size_t len = strlen(s), i = 0;
	long n = 0;

	while (i < len) {
		unsigned cp;
		size_t step = gg_utf8_next(s + i, len - i, &cp);
		if (step == 0 || cp < 0x20 || cp == 0x7f)
			return -1;
		i += step;
		n++;
	}
	return n;
}

enum gg_err gg_user_check_username(const char *username, struct gg_error *err)
{
	size_t len = username ? strlen(username) : 0;

	if (len < 3 || len >= GG_USERNAME_MAX)
		return gg_error_field(err, GG_E_INVALID, "username", "username must be 3 to %d characters long",
		                      GG_USERNAME_MAX - 1);
	for (size_t i = 0; i < len; i++) {
		char c = username[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return gg_error_field(err, GG_E_INVALID, "username",
			                      "username may hold only a-z, 0-9, '_', '.' and '-'");
	}
	if (!(username[0] >= 'a' && username[0] <= 'z'))
		return gg_error_field(err, GG_E_INVALID, "username", "username '%s' must start with a letter a-z",
		                      username);
	return GG_OK;
}

static enum gg_err check_display_name(const char *name, struct gg_error *err)
{
	long n = gg_user_text_length(name);

	if (n < 0)
		return gg_error_field(err, GG_E_INVALID, "display_name",
		                      "display name must be utf-8 text without control characters");
	if (n == 0 || strlen(name) >= GG_DISPLAY_NAME_MAX)
		return gg_error_field(err, GG_E_INVALID, "display_name", "display name must be 1 to %d bytes long",
		                      GG_DISPLAY_NAME_MAX - 1);
	return GG_OK;
}

enum gg_err gg_user_check_password(const char *password, const char *username, int min_length, const char *field,
                                   struct gg_error *err)
{
	long n;

	if (!password)
		return gg_error_field(err, GG_E_WEAK_PASSWORD, field, "password is missing");
	if (strlen(password) > GG_PASSWORD_MAX)
		return gg_error_field(err, GG_E_WEAK_PASSWORD, field, "password is longer than %d bytes",
		                      GG_PASSWORD_MAX);
	n = gg_user_text_length(password);
	if (n < 0)
		return gg_error_field(err, GG_E_WEAK_PASSWORD, field,
		                      "password must be utf-8 text without control characters");
	if (n < min_length)
		return gg_error_field(err, GG_E_WEAK_PASSWORD, field, "password is shorter than %d characters",
		                      min_length);
	if (username && strcmp(password, username) == 0)
		return gg_error_field(err, GG_E_WEAK_PASSWORD, field, "password must not be the username");
	return GG_OK;
}

static int grant_cmp(const void *a, const void *b)
{
	const struct gg_role_grant *x = a, *y = b;

	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	if (x->scope_kind != y->scope_kind)
		return x->scope_kind < y->scope_kind ? -1 : 1;
	if (x->scope_id != y->scope_id)
		return x->scope_id < y->scope_id ? -1 : 1;
	return 0;
}

/* Checks a role list: 1..GG_PRINCIPAL_ROLES_MAX grants, each a known role
 * with a scope of a kind it takes (or none when it takes none), no grant twice. */
static enum gg_err check_roles(const struct gg_role_grant *roles, size_t n, struct gg_error *err)
{
	char field[48];
	enum gg_err rc = GG_OK;

	if (n == 0 || !roles)
		return gg_error_field(err, GG_E_INVALID, "roles", "at least one role is required");
	if (n > GG_PRINCIPAL_ROLES_MAX)
		return gg_error_field(err, GG_E_INVALID, "roles", "at most %d roles are allowed",
		                      GG_PRINCIPAL_ROLES_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct gg_role_grant *g = &roles[i];
		if ((int)g->role < 0 || g->role >= GG_ROLE__COUNT) {
			snprintf(field, sizeof field, "roles.%zu.role", i);
			rc = gg_error_field(err, GG_E_INVALID, field, "unknown role");
			continue;
		}
		unsigned allowed = gg_role_defs[g->role].scopes;
		const char *tok = gg_role_defs[g->role].token;
		snprintf(field, sizeof field, "roles.%zu.scope", i);
		if (allowed == GG_SCOPE_NONE && g->scope_kind != GG_SCOPE_NONE) {
			rc = gg_error_field(err, GG_E_INVALID, field, "role '%s' takes no scope", tok);
			continue;
		}
		if (allowed != GG_SCOPE_NONE &&
		    (g->scope_kind == GG_SCOPE_NONE || !(allowed & g->scope_kind) || g->scope_id <= 0)) {
			rc = gg_error_field(err, GG_E_INVALID, field, "role '%s' needs a scope of its kind", tok);
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			if (grant_cmp(&roles[j], g) == 0) {
				snprintf(field, sizeof field, "roles.%zu", i);
				rc = gg_error_field(err, GG_E_INVALID, field, "role '%s' is given twice", tok);
				break;
			}
		}
	}
	return rc;
}

enum gg_err gg_user_check(const struct gg_user_new *u, int min_password_length, struct gg_error *err)
{
	enum gg_err rc = GG_OK, r;

	if ((r = gg_user_check_username(u->username, err)) != GG_OK)
		rc = r;
	if (u->display_name && (r = check_display_name(u->display_name, err)) != GG_OK && rc == GG_OK)
		rc = r;
	if ((r = check_roles(u->roles, u->nroles, err)) != GG_OK && rc == GG_OK)
		rc = r;
	if (u->password &&
	    (r = gg_user_check_password(u->password, u->username, min_password_length, "password", err)) != GG_OK &&
	    rc == GG_OK)
		rc = r;
	return rc;
}

void gg_user_roles_text(const struct gg_role_grant *roles, size_t n, char *out, size_t outsz)
{
	struct gg_role_grant sorted[GG_PRINCIPAL_ROLES_MAX];
	struct gg_buf b;
	char scope[48];

	if (!outsz)
		return;
	if (n > GG_PRINCIPAL_ROLES_MAX)
		n = GG_PRINCIPAL_ROLES_MAX;
	memcpy(sorted, roles, n * sizeof roles[0]);
	qsort(sorted, n, sizeof sorted[0], grant_cmp);
	gg_buf_init(&b, outsz - 1);
	for (size_t i = 0; i < n; i++) {
		gg_role_scope_text(&sorted[i], scope, sizeof scope);
		gg_buf_addf(&b, "%s%s%s%s", i ? "," : "", gg_role_token(sorted[i].role), scope[0] ? " " : "", scope);
	}
	gg_strlcpy(out, b.buf, outsz);
	gg_buf_release(&b);
}

/* Loads the roles of one account, sorted. */
static enum gg_err load_roles(struct gg_db *db, int64_t user_id, struct gg_role_grant *roles, size_t *n,
                              struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row;

	*n = 0;
	rc = gg_db_prepare(db, "SELECT role, scope_kind, scope_id FROM user_roles WHERE user_id = ?", &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_i64(st, 1, user_id)) != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		enum gg_role r;
		struct gg_error ignored;
		gg_error_init(&ignored);
		if (gg_role_parse(gg_db_col_text(st, 0), &r, &ignored) != GG_OK || *n >= GG_PRINCIPAL_ROLES_MAX)
			continue; /* a role this version no longer knows grants nothing */
		roles[*n].role = r;
		roles[*n].scope_kind = gg_scope_kind_lookup(gg_db_col_text(st, 1));
		roles[*n].scope_id = gg_db_col_is_null(st, 2) ? 0 : gg_db_col_i64(st, 2);
		(*n)++;
	}
	if (*n > 1)
		qsort(roles, *n, sizeof roles[0], grant_cmp);
out:
	gg_db_done(st);
	return finish(rc, err);
}

static void user_from_row(struct gg_stmt *st, struct gg_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = gg_db_col_i64(st, 0);
	gg_strlcpy(u->username, gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "", sizeof u->username);
	gg_strlcpy(u->display_name, gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "", sizeof u->display_name);
	u->must_change_password = gg_db_col_i64(st, 3) != 0;
	u->disabled = gg_db_col_i64(st, 4) != 0;
	u->created_at = gg_db_col_i64(st, 5);
	u->updated_at = gg_db_col_i64(st, 6);
	u->last_login_at = gg_db_col_is_null(st, 7) ? 0 : gg_db_col_i64(st, 7);
	u->version = gg_db_col_i64(st, 8);
}

/* Reads an account by id (by_name NULL) or by name, without opening a transaction. */
static enum gg_err load_user(struct gg_db *db, int64_t id, const char *by_name, struct gg_user *out,
                             struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc = gg_db_prepare(db,
	                   by_name ? "SELECT " USER_COLS " FROM users WHERE username = ?"
	                           : "SELECT " USER_COLS " FROM users WHERE id = ?",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	rc = by_name ? gg_db_bind_text(st, 1, by_name) : gg_db_bind_i64(st, 1, id);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (!row) {
		if (by_name)
			rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown user '%.64s'", by_name);
		else
			rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown user %lld", (long long)id);
		goto out;
	}
	user_from_row(st, out);
	gg_db_done(st);
	st = NULL;
	rc = load_roles(db, out->id, out->roles, &out->nroles, err);
out:
	gg_db_done(st);
	return finish(rc, err);
}

/* Runs a read in a read transaction so that an account and its roles are one snapshot. */
static enum gg_err read_user(struct gg_db *db, int64_t id, const char *by_name, struct gg_user *out,
                             struct gg_error *err)
{
	enum gg_err rc = gg_db_begin(db, GG_DB_READ, err);

	if (rc != GG_OK)
		return rc;
	rc = load_user(db, id, by_name, out, err);
	gg_db_rollback(db);
	return rc;
}

enum gg_err gg_user_get(struct gg_db *db, int64_t id, struct gg_user *out, struct gg_error *err)
{
	return read_user(db, id, NULL, out, err);
}

enum gg_err gg_user_get_by_name(struct gg_db *db, const char *username, struct gg_user *out, struct gg_error *err)
{
	return read_user(db, 0, username ? username : "", out, err);
}

static enum gg_err insert_roles(struct gg_db *db, int64_t user_id, const struct gg_role_grant *roles, size_t n,
                                struct gg_error *err)
{
	enum gg_err rc = GG_OK;

	for (size_t i = 0; i < n && rc == GG_OK; i++) {
		struct gg_stmt *st = NULL;
		int row;
		rc = gg_db_prepare(
		    db, "INSERT INTO user_roles (user_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)", &st, err);
		if (rc != GG_OK)
			break;
		int scoped = roles[i].scope_kind != GG_SCOPE_NONE;
		if ((rc = gg_db_bind_i64(st, 1, user_id)) == GG_OK &&
		    (rc = gg_db_bind_text(st, 2, gg_role_token(roles[i].role))) == GG_OK &&
		    (rc = gg_db_bind_text(st, 3, scoped ? gg_scope_kind_token(roles[i].scope_kind) : NULL)) == GG_OK &&
		    (rc = scoped ? gg_db_bind_i64(st, 4, roles[i].scope_id) : gg_db_bind_null(st, 4)) == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
	}
	return finish(rc, err);
}

/*
 * What a scope must name, by kind: the query answers one row for an
 * existing record, its value the talent it was merged into (0: none).
 */
static const struct {
	enum gg_scope_kind kind;
	const char *noun;
	const char *sql;
} scope_targets[] = {
    {GG_SCOPE_ORG, "organisation", "SELECT 0 FROM orgs WHERE id = ?"},
    {GG_SCOPE_STATION, "station", "SELECT 0 FROM stations WHERE id = ?"},
    {GG_SCOPE_TALENT, "talent", "SELECT COALESCE(merged_into, 0) FROM talents WHERE id = ?"},
};

/* 1 when g is one of roles[0..n). */
static int holds_grant(const struct gg_role_grant *roles, size_t n, const struct gg_role_grant *g)
{
	for (size_t i = 0; i < n; i++)
		if (grant_cmp(&roles[i], g) == 0)
			return 1;
	return 0;
}

/* gg_user_check_scopes_tx for the grants not among held[0..nheld). */
static enum gg_err check_new_scopes(struct gg_db *db, const struct gg_role_grant *roles, size_t n,
                                    const struct gg_role_grant *held, size_t nheld, struct gg_error *err)
{
	char field[48], scope[48];
	enum gg_err rc = GG_OK;

	for (size_t i = 0; i < n; i++) {
		const struct gg_role_grant *g = &roles[i];
		int64_t merged_into = 0;
		int found = 0;
		size_t k = 0;

		if (g->scope_kind == GG_SCOPE_NONE || holds_grant(held, nheld, g))
			continue;
		while (k < sizeof scope_targets / sizeof scope_targets[0] && scope_targets[k].kind != g->scope_kind)
			k++;
		if (k == sizeof scope_targets / sizeof scope_targets[0])
			continue; /* check_roles has refused a kind no role takes */
		enum gg_err r = gg_db_query_i64(db, scope_targets[k].sql, &g->scope_id, 1, &merged_into, &found, err);
		if (r != GG_OK)
			return finish(r, err);
		snprintf(field, sizeof field, "roles.%zu.scope", i);
		gg_role_scope_text(g, scope, sizeof scope);
		if (!found)
			rc =
			    gg_error_field(err, GG_E_INVALID, field, "scope %s names no %s: there is no %s %lld", scope,
			                   scope_targets[k].noun, scope_targets[k].noun, (long long)g->scope_id);
		else if (merged_into > 0)
			rc = gg_error_field(err, GG_E_INVALID, field,
			                    "scope %s names a talent merged into talent %lld: use talent:%lld", scope,
			                    (long long)merged_into, (long long)merged_into);
	}
	return rc;
}

enum gg_err gg_user_check_scopes_tx(struct gg_db *db, const struct gg_role_grant *roles, size_t n, struct gg_error *err)
{
	return check_new_scopes(db, roles, n, NULL, 0, err);
}

enum gg_err gg_user_insert(struct gg_db *db, const struct gg_actor *actor, const struct gg_user_new *u,
                           const char *password_hash, int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;
	int64_t now = gg_clock_now(), new_id = 0;
	const char *display = u->display_name ? u->display_name : u->username;
	int must_change = u->must_change ? 1 : 0;
	char roles_text[512];

	rc = gg_db_prepare(db, "SELECT id FROM users WHERE username = ?", &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_text(st, 1, u->username)) != GG_OK || (rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	gg_db_done(st);
	st = NULL;
	if (row) {
		rc = gg_error_field(err, GG_E_DUPLICATE, "username", "username '%s' is taken", u->username);
		goto out;
	}
	if ((rc = gg_user_check_scopes_tx(db, u->roles, u->nroles, err)) != GG_OK)
		goto out;

	rc = gg_db_prepare(db,
	                   "INSERT INTO users (username, display_name, password_hash, must_change_password, disabled, "
	                   "created_at, updated_at, version) VALUES (?, ?, ?, ?, 0, ?, ?, 1) RETURNING id",
	                   &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_text(st, 1, u->username)) != GG_OK || (rc = gg_db_bind_text(st, 2, display)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 3, password_hash)) != GG_OK ||
	    (rc = gg_db_bind_i64(st, 4, must_change)) != GG_OK || (rc = gg_db_bind_i64(st, 5, now)) != GG_OK ||
	    (rc = gg_db_bind_i64(st, 6, now)) != GG_OK)
		goto out;
	rc = gg_db_step(st, &row, err);
	if (rc == GG_E_DUPLICATE) {
		gg_error_init(err);
		rc = gg_error_field(err, GG_E_DUPLICATE, "username", "username '%s' is taken", u->username);
	}
	if (rc != GG_OK)
		goto out;
	if (!row) {
		rc = gg_error_set(err, GG_E_DB, "insert into users returned no id");
		goto out;
	}
	new_id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	st = NULL;

	if ((rc = insert_roles(db, new_id, u->roles, u->nroles, err)) != GG_OK)
		goto out;

	gg_user_roles_text(u->roles, u->nroles, roles_text, sizeof roles_text);
	const struct gg_audit_change changes[] = {
	    {"username", NULL, u->username},
	    {"display_name", NULL, display},
	    {"roles", NULL, roles_text},
	    {"must_change_password", NULL, bool_text(must_change)},
	};
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = "user.create",
	    .entity = "user",
	    .entity_id = new_id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = sizeof changes / sizeof changes[0],
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	if (id)
		*id = new_id;
out:
	gg_db_done(st);
	return finish(rc, err);
}

enum gg_err gg_user_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_user_new *u,
                           int min_password_length, int64_t *id, char *generated, size_t generated_sz,
                           struct gg_error *err)
{
	char password[32], hash[GG_PWHASH_MAX];
	struct gg_user_new n = *u;
	enum gg_err rc;
	int in_txn = 0;

	if ((rc = gg_user_check(u, min_password_length, err)) != GG_OK)
		return rc;
	if (!u->password) {
		if (!generated || generated_sz < 17)
			return gg_error_set(err, GG_E_INTERNAL, "no room for the generated password");
		gg_crypto_password(password, sizeof password);
		n.password = password;
		n.must_change = 1;
	}
	if ((rc = gg_crypto_pwhash(n.password, hash)) != GG_OK) {
		rc = gg_error_set(err, rc, "cannot hash the password");
		goto out;
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	if ((rc = gg_user_insert(db, actor, &n, hash, id, err)) != GG_OK)
		goto out;
	rc = gg_db_commit(db, err);
	in_txn = 0;
	if (rc == GG_OK && !u->password)
		gg_strlcpy(generated, password, generated_sz);
out:
	if (in_txn)
		gg_db_rollback(db);
	wipe(password, sizeof password);
	return finish(rc, err);
}

/* Appends q to b as a LIKE pattern matching q anywhere, with '\' escaping. */
static enum gg_err like_pattern(struct gg_buf *b, const char *q)
{
	enum gg_err rc = gg_buf_addch(b, '%');

	for (const char *p = q; *p && rc == GG_OK; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			rc = gg_buf_addch(b, '\\');
		if (rc == GG_OK)
			rc = gg_buf_addch(b, *p);
	}
	if (rc == GG_OK)
		rc = gg_buf_addch(b, '%');
	return rc;
}

enum gg_err gg_user_list(struct gg_db *db, const struct gg_user_filter *f, struct gg_user **out, size_t *n, int *more,
                         struct gg_error *err)
{
	struct gg_buf sql, pat;
	struct gg_stmt *st = NULL;
	struct gg_user *users = NULL;
	size_t count = 0;
	int limit = f->limit < 1 ? 1 : f->limit > 1000 ? 1000 : f->limit;
	int idx = 1, row, in_txn = 0;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	gg_buf_init(&sql, 1024);
	gg_buf_init(&pat, 1024);
	rc = gg_buf_adds(&sql, "SELECT " USER_COLS " FROM users WHERE id > ?");
	if (rc == GG_OK && f->has_role)
		rc = gg_buf_adds(&sql,
		                 " AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.role = ?)");
	if (rc == GG_OK && f->q && *f->q)
		rc = gg_buf_adds(&sql, " AND (username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\')");
	if (rc == GG_OK && f->disabled >= 0)
		rc = gg_buf_adds(&sql, " AND disabled = ?");
	if (rc == GG_OK)
		rc = gg_buf_adds(&sql, " ORDER BY id LIMIT ?");
	if (rc == GG_OK && f->q && *f->q)
		rc = like_pattern(&pat, f->q);
	if (rc != GG_OK) {
		rc = gg_error_field(err, GG_E_INVALID, "q", "search text is too long");
		goto out;
	}
	users = calloc((size_t)limit + 1, sizeof *users);
	if (!users) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	in_txn = 1;
	if ((rc = gg_db_prepare(db, sql.buf, &st, err)) != GG_OK)
		goto out;
	rc = gg_db_bind_i64(st, idx++, f->after_id);
	if (rc == GG_OK && f->has_role)
		rc = gg_db_bind_text(st, idx++, gg_role_token(f->role));
	if (rc == GG_OK && f->q && *f->q) {
		rc = gg_db_bind_text(st, idx++, pat.buf);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, idx++, pat.buf);
	}
	if (rc == GG_OK && f->disabled >= 0)
		rc = gg_db_bind_i64(st, idx++, f->disabled ? 1 : 0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, (int64_t)limit + 1);
	if (rc != GG_OK)
		goto out;
	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row && count <= (size_t)limit)
		user_from_row(st, &users[count++]);
	if (rc != GG_OK)
		goto out;
	gg_db_done(st);
	st = NULL;
	if (count > (size_t)limit) {
		*more = 1;
		count = (size_t)limit;
	}
	for (size_t i = 0; i < count && rc == GG_OK; i++)
		rc = load_roles(db, users[i].id, users[i].roles, &users[i].nroles, err);
	if (rc != GG_OK)
		goto out;
	*out = users;
	*n = count;
	users = NULL;
out:
	gg_db_done(st);
	if (in_txn)
		gg_db_rollback(db);
	free(users);
	gg_buf_release(&sql);
	gg_buf_release(&pat);
	if (rc != GG_OK)
		*more = 0;
	return finish(rc, err);
}

static int holds_role(const struct gg_role_grant *roles, size_t n, enum gg_role r)
{
	for (size_t i = 0; i < n; i++) {
		if (roles[i].role == r)
			return 1;
	}
	return 0;
}

static int same_roles(const struct gg_user *u, const struct gg_role_grant *roles, size_t n)
{
	struct gg_role_grant sorted[GG_PRINCIPAL_ROLES_MAX];

	if (n != u->nroles || n > GG_PRINCIPAL_ROLES_MAX)
		return 0;
	memcpy(sorted, roles, n * sizeof roles[0]);
	qsort(sorted, n, sizeof sorted[0], grant_cmp);
	for (size_t i = 0; i < n; i++) {
		if (grant_cmp(&sorted[i], &u->roles[i]) != 0)
			return 0;
	}
	return 1;
}

enum gg_err gg_user_update(struct gg_db *db, const struct gg_actor *actor, int64_t id, int64_t expected_version,
                           const struct gg_user_patch *p, struct gg_user *out, struct gg_error *err)
{
	struct gg_user cur;
	struct gg_audit_change changes[3];
	size_t nchanges = 0;
	char old_roles[512], new_roles[512];
	const char *display;
	int disabled, in_txn = 0, disabling;
	int64_t now = gg_clock_now();
	enum gg_err rc = GG_OK, r;

	if (p->display_name && (r = check_display_name(p->display_name, err)) != GG_OK)
		rc = r;
	if (p->set_roles && (r = check_roles(p->roles, p->nroles, err)) != GG_OK && rc == GG_OK)
		rc = r;
	if (rc != GG_OK)
		return rc;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	if ((rc = load_user(db, id, NULL, &cur, err)) != GG_OK)
		goto out;
	if (cur.version != expected_version) {
		rc = gg_error_set(err, GG_E_STALE, "user %lld is at version %lld, not %lld", (long long)id,
		                  (long long)cur.version, (long long)expected_version);
		goto out;
	}
	display = p->display_name ? p->display_name : cur.display_name;
	disabled = p->disabled < 0 ? cur.disabled : p->disabled ? 1 : 0;
	disabling = disabled && !cur.disabled;
	if (actor->id == id && disabling) {
		rc = gg_error_field(err, GG_E_CONFLICT, "disabled", "an account cannot disable itself");
		goto out;
	}
	if (actor->id == id && p->set_roles && holds_role(cur.roles, cur.nroles, GG_ROLE_bureau_admin) &&
	    !holds_role(p->roles, p->nroles, GG_ROLE_bureau_admin)) {
		rc = gg_error_field(err, GG_E_CONFLICT, "roles", "an account cannot remove its own bureau_admin role");
		goto out;
	}

	if (strcmp(display, cur.display_name) != 0)
		changes[nchanges++] = (struct gg_audit_change){"display_name", cur.display_name, display};
	int roles_changed = p->set_roles && !same_roles(&cur, p->roles, p->nroles);
	if (roles_changed && (rc = check_new_scopes(db, p->roles, p->nroles, cur.roles, cur.nroles, err)) != GG_OK)
		goto out;
	if (roles_changed) {
		gg_user_roles_text(cur.roles, cur.nroles, old_roles, sizeof old_roles);
		gg_user_roles_text(p->roles, p->nroles, new_roles, sizeof new_roles);
		changes[nchanges++] = (struct gg_audit_change){"roles", old_roles, new_roles};
	}
	if (disabled != cur.disabled)
		changes[nchanges++] =
		    (struct gg_audit_change){"disabled", bool_text(cur.disabled), bool_text(disabled)};
	if (nchanges == 0) {
		/* Nothing to change: no new version, no audit row. */
		gg_db_rollback(db);
		in_txn = 0;
		if (out)
			*out = cur;
		goto out;
	}

	struct gg_stmt *st = NULL;
	int row;
	rc = gg_db_prepare(db,
	                   "UPDATE users SET display_name = ?, disabled = ?, updated_at = ?, version = version + 1 "
	                   "WHERE id = ? AND version = ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, display)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 2, disabled)) == GG_OK && (rc = gg_db_bind_i64(st, 3, now)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 4, id)) == GG_OK && (rc = gg_db_bind_i64(st, 5, expected_version)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc != GG_OK)
		goto out;
	if (gg_db_changes(db) != 1) {
		rc = gg_error_set(err, GG_E_STALE, "user %lld changed meanwhile", (long long)id);
		goto out;
	}
	if (roles_changed) {
		const int64_t args[] = {id};
		if ((rc = gg_db_run_i64(db, "DELETE FROM user_roles WHERE user_id = ?", args, 1, err)) != GG_OK)
			goto out;
		if ((rc = insert_roles(db, id, p->roles, p->nroles, err)) != GG_OK)
			goto out;
	}
	if (disabling && (rc = gg_session_end_user(db, id, 0, NULL, err)) != GG_OK)
		goto out;

	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = disabling ? "user.disable" : "user.update",
	    .entity = "user",
	    .entity_id = id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = nchanges,
	};
	if ((rc = gg_audit_record(db, &ev, err)) != GG_OK)
		goto out;
	if (out && (rc = load_user(db, id, NULL, out, err)) != GG_OK)
		goto out;
	rc = gg_db_commit(db, err);
	in_txn = 0;
out:
	if (in_txn)
		gg_db_rollback(db);
	return finish(rc, err);
}

/* The stored hash and name of an account. */
static enum gg_err load_hash(struct gg_db *db, int64_t id, char *hash, char *username, int *must_change,
                             struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	rc =
	    gg_db_prepare(db, "SELECT password_hash, username, must_change_password FROM users WHERE id = ?", &st, err);
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_db_bind_i64(st, 1, id)) != GG_OK || (rc = gg_db_step(st, &row, err)) != GG_OK)
		goto out;
	if (!row) {
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown user %lld", (long long)id);
		goto out;
	}
	gg_strlcpy(hash, gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "", GG_PWHASH_MAX);
	gg_strlcpy(username, gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "", GG_USERNAME_MAX);
	*must_change = gg_db_col_i64(st, 2) != 0;
out:
	gg_db_done(st);
	return finish(rc, err);
}

/* Writes a new password hash (only while the old one is still stored, so
 * two changes at once cannot both win), ends sessions, records action. */
static enum gg_err store_password(struct gg_db *db, const struct gg_actor *actor, int64_t id, const char *old_hash,
                                  const char *new_hash, int old_must, int new_must, int64_t keep_session,
                                  const char *action, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t now = gg_clock_now(), ended = 0;
	enum gg_err rc;
	int row, in_txn = 0;
	char ended_text[24];

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		goto out;
	in_txn = 1;
	rc = gg_db_prepare(db,
	                   "UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ?, "
	                   "version = version + 1 WHERE id = ? AND password_hash = ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, new_hash)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 2, new_must ? 1 : 0)) == GG_OK && (rc = gg_db_bind_i64(st, 3, now)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 4, id)) == GG_OK && (rc = gg_db_bind_text(st, 5, old_hash)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc != GG_OK)
		goto out;
	if (gg_db_changes(db) != 1) {
		rc = gg_error_set(err, GG_E_CONFLICT, "the password of user %lld changed meanwhile", (long long)id);
		goto out;
	}
	if ((rc = gg_session_end_user(db, id, keep_session, &ended, err)) != GG_OK)
		goto out;
	snprintf(ended_text, sizeof ended_text, "%lld", (long long)ended);
	struct gg_audit_change changes[2];
	size_t nchanges = 0;
	changes[nchanges++] =
	    (struct gg_audit_change){"must_change_password", bool_text(old_must), bool_text(new_must)};
	if (ended)
		changes[nchanges++] = (struct gg_audit_change){"sessions_ended", NULL, ended_text};
	const struct gg_audit_event ev = {
	    .actor_id = actor->id,
	    .actor = actor->name,
	    .action = action,
	    .entity = "user",
	    .entity_id = id,
	    .request_id = actor->request_id,
	    .changes = changes,
	    .nchanges = nchanges,
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

enum gg_err gg_user_password_change(struct gg_db *db, const struct gg_actor *actor, int64_t id, const char *current,
                                    const char *new_password, int min_password_length, int64_t keep_session_id,
                                    struct gg_error *err)
{
	char old_hash[GG_PWHASH_MAX], new_hash[GG_PWHASH_MAX], username[GG_USERNAME_MAX];
	int must_change = 0;
	enum gg_err rc;

	if ((rc = load_hash(db, id, old_hash, username, &must_change, err)) != GG_OK)
		return rc;
	if (!current || strlen(current) > GG_PASSWORD_MAX || !gg_crypto_pwverify(old_hash, current))
		return gg_error_field(err, GG_E_INVALID, "current_password", "current password is wrong");
	if ((rc = gg_user_check_password(new_password, username, min_password_length, "new_password", err)) != GG_OK)
		return rc;
	if (strcmp(new_password, current) == 0)
		return gg_error_field(err, GG_E_WEAK_PASSWORD, "new_password",
		                      "new password must differ from the current one");
	if ((rc = gg_crypto_pwhash(new_password, new_hash)) != GG_OK)
		return gg_error_set(err, rc, "cannot hash the password");
	return store_password(db, actor, id, old_hash, new_hash, must_change, 0, keep_session_id,
	                      "user.password_change", err);
}

enum gg_err gg_user_password_reset(struct gg_db *db, const struct gg_actor *actor, int64_t id, const char *password,
                                   int must_change, int min_password_length, char *generated, size_t generated_sz,
                                   struct gg_error *err)
{
	char old_hash[GG_PWHASH_MAX], new_hash[GG_PWHASH_MAX], username[GG_USERNAME_MAX], pw[32];
	int old_must = 0;
	enum gg_err rc;

	if ((rc = load_hash(db, id, old_hash, username, &old_must, err)) != GG_OK)
		return rc;
	if (!password) {
		if (!generated || generated_sz < 17)
			return gg_error_set(err, GG_E_INTERNAL, "no room for the generated password");
		gg_crypto_password(pw, sizeof pw);
		password = pw;
		must_change = 1;
	} else if ((rc = gg_user_check_password(password, username, min_password_length, "password", err)) != GG_OK) {
		return rc;
	}
	rc = gg_crypto_pwhash(password, new_hash);
	if (rc != GG_OK) {
		rc = gg_error_set(err, rc, "cannot hash the password");
		goto out;
	}
	rc = store_password(db, actor, id, old_hash, new_hash, old_must, must_change ? 1 : 0, 0, "user.password_reset",
	                    err);
	if (rc == GG_OK && password == pw)
		gg_strlcpy(generated, pw, generated_sz);
out:
	wipe(pw, sizeof pw);
	return rc;
}

enum gg_err gg_user_load_principal(struct gg_db *db, int64_t id, struct gg_principal *pr, int *disabled,
                                   struct gg_error *err)
{
	struct gg_user u;
	enum gg_err rc = load_user(db, id, NULL, &u, err);

	if (rc != GG_OK)
		return rc;
	pr->user_id = u.id;
	gg_strlcpy(pr->username, u.username, sizeof pr->username);
	gg_strlcpy(pr->display_name, u.display_name, sizeof pr->display_name);
	pr->must_change_password = u.must_change_password;
	pr->nroles = u.nroles;
	memcpy(pr->roles, u.roles, u.nroles * sizeof u.roles[0]);
	if (disabled)
		*disabled = u.disabled;
	return GG_OK;
}

enum gg_err gg_user_load_enabled(struct gg_db *db, int64_t id, struct gg_principal *pr, enum gg_err refusal,
                                 struct gg_error *err)
{
	int disabled = 0;
	enum gg_err rc = gg_user_load_principal(db, id, pr, &disabled, err);

	if (rc == GG_E_NOT_FOUND || (rc == GG_OK && disabled)) {
		gg_error_init(err);
		rc = gg_error_set(err, refusal, NULL);
	}
	return rc;
}
