/*
 * test_user: accounts, sessions, API tokens and invitations on a migrated
 * SQLite database in a temporary directory. The clock is moved with
 * GUANGGU_TEST_NOW (honoured by test builds) to expire sessions, tokens
 * and invitations and to let the login throttle pass. Every write is
 * checked for its audit row, every refusal for leaving nothing behind.
 * Each password hash costs ~50 ms and 64 MiB, so the tests hash sparingly.
 */
#include "unit.h"

#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "domain/audit.h"
#include "domain/invitation.h"
#include "domain/role.h"
#include "domain/session.h"
#include "domain/token.h"
#include "domain/user.h"
#include "store/db.h"
#include "store/migrate.h"

#define T0       1800000000LL /* 2027-01-15T08:00:00Z */
#define PASSWORD "correct-horse-1"

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
	struct gg_config cfg;
};

static const struct gg_actor cli = {0, "cli", NULL};

static void set_now(int64_t t)
{
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)t);
	assert_int_equal(setenv("GUANGGU_TEST_NOW", s, 1), 0);
	assert_int_equal(gg_clock_now(), t);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct gg_error err;

	if (!fx || gg_crypto_init() != GG_OK)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/user.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	gg_error_init(&err);
	gg_config_init(&fx->cfg);
	if (gg_config_set(&fx->cfg, GG_CFG_login_max_failures, "3", "test", &err) != GG_OK)
		return -1;
	/* the records the tests' scopes name (a scope must name an existing record): organisations 1, 2, 3,
	 * 5, 7, 8, 12 and 30, station 4, talents 3 and 9, and talent 5 merged into 3 */
	if (gg_db_exec(
	        fx->db,
	        "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES "
	        "(1, '甲单位', 'jia', 'leading_enterprise', 0, 0), (2, '乙单位', 'yi', 'rd_unit', 0, 0), "
	        "(3, '丙银行', 'bing', 'bank', 0, 0), (5, '丁银行', 'ding', 'bank', 0, 0), "
	        "(7, '戊单位', 'wu', 'leading_enterprise', 0, 0), (8, '己单位', 'ji', 'leading_enterprise', 0, 0), "
	        "(12, '庚单位', 'geng', 'leading_enterprise', 0, 0), (30, '辛服务', 'xin', 'service_provider', 0, 0);"
	        "INSERT INTO stations (id, name, city, country, created_at, updated_at) VALUES "
	        "(4, '测试站', '上海', 'CN', 0, 0);"
	        "INSERT INTO talents (id, name, pinyin, pinyin_key, created_at, updated_at) VALUES "
	        "(3, '壬某', 'ren mou', 'renmou', 0, 0), (5, '壬某', 'ren mou', 'renmou', 0, 0), "
	        "(9, '癸某', 'gui mou', 'guimou', 0, 0);"
	        "UPDATE talents SET merged_into = 3 WHERE id = 5",
	        &err) != GG_OK)
		return -1;
	set_now(T0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	gg_db_close(fx->db);
	unit_rmtree(fx->dir);
	free(fx);
	unsetenv("GUANGGU_TEST_NOW");
	return 0;
}

static int min_len(const struct fixture *fx)
{
	return (int)gg_config_int(&fx->cfg, GG_CFG_password_min_length);
}

/* Rows of the audit trail with this action (and entity id when not 0). */
static size_t audit_count(struct fixture *fx, const char *action, int64_t entity_id)
{
	struct gg_audit_filter f = {.action = action, .entity_id = entity_id, .limit = 200};
	struct gg_audit_row *rows = NULL;
	struct gg_error err;
	size_t n = 0;

	gg_error_init(&err);
	if (gg_audit_list(fx->db, &f, &rows, &n, &err) != GG_OK)
		fail_msg("audit list: %s", gg_error_message(&err));
	gg_audit_rows_free(rows, n);
	return n;
}

/* The newest audit row's changes for action, as JSON text. */
static void audit_last_changes(struct fixture *fx, const char *action, char *out, size_t outsz)
{
	struct gg_audit_filter f = {.action = action, .limit = 1};
	struct gg_audit_row *rows = NULL;
	struct gg_error err;
	size_t n = 0;

	gg_error_init(&err);
	assert_int_equal(gg_audit_list(fx->db, &f, &rows, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	snprintf(out, outsz, "%s", rows[0].changes_json ? rows[0].changes_json : "");
	gg_audit_rows_free(rows, n);
}

static int64_t count_rows(struct fixture *fx, const char *sql)
{
	struct gg_error err;
	int64_t v = -1;
	int found = 0;

	gg_error_init(&err);
	assert_int_equal(gg_db_query_i64(fx->db, sql, NULL, 0, &v, &found, &err), GG_OK);
	assert_int_equal(found, 1);
	return v;
}

/*
 * Creates an account through gg_user_insert with the hash of PASSWORD
 * computed once for the whole run (or a fresh hash for another password),
 * so that setting up a test costs no argon2 time.
 */
static int64_t make_user(struct fixture *fx, const char *name, const char *password, enum gg_role role,
                         const char *scope)
{
	static char password_hash[GG_PWHASH_MAX];
	char other_hash[GG_PWHASH_MAX];
	const char *hash = password_hash;
	struct gg_role_grant g;
	struct gg_error err;
	int64_t id = 0;

	gg_error_init(&err);
	assert_int_equal(gg_role_parse_scope(role, scope, &g, &err), GG_OK);
	if (strcmp(password, PASSWORD) != 0) {
		assert_int_equal(gg_crypto_pwhash(password, other_hash), GG_OK);
		hash = other_hash;
	} else if (!password_hash[0]) {
		assert_int_equal(gg_crypto_pwhash(PASSWORD, password_hash), GG_OK);
	}
	const struct gg_user_new u = {.username = name, .roles = &g, .nroles = 1};
	assert_int_equal(gg_user_check(&u, min_len(fx), &err), GG_OK);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	if (gg_user_insert(fx->db, &cli, &u, hash, &id, &err) != GG_OK)
		fail_msg("create %s: %s", name, gg_error_message(&err));
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);
	assert_true(id > 0);
	assert_int_equal(audit_count(fx, "user.create", id), 1);
	return id;
}

static void test_create_and_read(void **state)
{
	struct fixture *fx = *state;
	struct gg_role_grant roles[2];
	struct gg_error err;
	struct gg_user u;
	char changes[1024];
	int64_t id = 0;

	gg_error_init(&err);
	/* Given out of table order; read back in table order. */
	assert_int_equal(gg_role_parse_scope(GG_ROLE_talent, "talent:3", &roles[0], &err), GG_OK);
	assert_int_equal(gg_role_parse_scope(GG_ROLE_employer, "org:12", &roles[1], &err), GG_OK);
	const struct gg_user_new nu = {
	    .username = "alice", .display_name = "Alice 张", .password = PASSWORD, .roles = roles, .nroles = 2};
	assert_int_equal(gg_user_create(fx->db, &cli, &nu, min_len(fx), &id, NULL, 0, &err), GG_OK);
	assert_true(id > 0);

	gg_error_init(&err);
	assert_int_equal(gg_user_get(fx->db, id, &u, &err), GG_OK);
	assert_string_equal(u.username, "alice");
	assert_string_equal(u.display_name, "Alice 张");
	assert_int_equal(u.must_change_password, 0);
	assert_int_equal(u.disabled, 0);
	assert_int_equal(u.version, 1);
	assert_int_equal(u.created_at, T0);
	assert_int_equal(u.updated_at, T0);
	assert_int_equal(u.last_login_at, 0);
	assert_int_equal(u.nroles, 2);
	assert_int_equal(u.roles[0].role, GG_ROLE_employer);
	assert_int_equal(u.roles[0].scope_kind, GG_SCOPE_ORG);
	assert_int_equal(u.roles[0].scope_id, 12);
	assert_int_equal(u.roles[1].role, GG_ROLE_talent);
	assert_int_equal(u.roles[1].scope_id, 3);

	gg_error_init(&err);
	memset(&u, 0, sizeof u);
	assert_int_equal(gg_user_get_by_name(fx->db, "alice", &u, &err), GG_OK);
	assert_int_equal(u.id, id);
	gg_error_init(&err);
	assert_int_equal(gg_user_get_by_name(fx->db, "nobody", &u, &err), GG_E_NOT_FOUND);
	gg_error_init(&err);
	assert_int_equal(gg_user_get(fx->db, id + 100, &u, &err), GG_E_NOT_FOUND);

	assert_int_equal(audit_count(fx, "user.create", id), 1);
	audit_last_changes(fx, "user.create", changes, sizeof changes);
	assert_non_null(strstr(changes, "\"new\":\"alice\""));
	assert_non_null(strstr(changes, "\"new\":\"employer org:12,talent talent:3\""));
	/* Neither the password nor its hash is in the trail. */
	assert_null(strstr(changes, PASSWORD));
	assert_null(strstr(changes, "argon2"));
}

/* Creating with u must fail with code on field, leaving no user and no audit row behind. */
static void refuse(struct fixture *fx, const struct gg_user_new *u, enum gg_err code, const char *field)
{
	int64_t users = count_rows(fx, "SELECT COUNT(*) FROM users");
	int64_t audits = count_rows(fx, "SELECT COUNT(*) FROM audit_log");
	struct gg_error err;
	char generated[32];
	int64_t id = 0;

	gg_error_init(&err);
	assert_int_equal(gg_user_create(fx->db, &cli, u, min_len(fx), &id, generated, sizeof generated, &err), code);
	assert_int_equal(err.code, code);
	assert_true(err.nfields >= 1);
	if (strcmp(err.fields[0].field, field) != 0)
		fail_msg("field '%s', expected '%s' (%s)", err.fields[0].field, field, err.fields[0].message);
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM users"), users);
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM audit_log"), audits);
}

static void test_create_refused(void **state)
{
	struct fixture *fx = *state;
	struct gg_role_grant g[3];
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_role_parse_scope(GG_ROLE_finance, NULL, &g[0], &err), GG_OK);
	struct gg_user_new u = {.username = "bob", .password = PASSWORD, .roles = g, .nroles = 1};

	char long_name[65];
	memset(long_name, 'a', 64);
	long_name[64] = '\0'; /* 64 characters: one too many */
	const char *const bad_names[] = {"ab", "Bob", "1bob", "_bob", "bo b", "bob!", "böb", "", long_name};
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		u.username = bad_names[i];
		refuse(fx, &u, GG_E_INVALID, "username");
	}
	long_name[63] = '\0';
	u.username = long_name; /* 63 characters: a good name, but a weak password */
	u.password = "short";
	refuse(fx, &u, GG_E_WEAK_PASSWORD, "password");
	u.username = "bobbobbobbob";
	u.password = "bobbobbobbob";
	refuse(fx, &u, GG_E_WEAK_PASSWORD, "password");
	u.password = "nine-char"; /* one below password_min_length */
	refuse(fx, &u, GG_E_WEAK_PASSWORD, "password");
	u.password = "密码密码密码密码密"; /* nine characters, 27 bytes: counted as characters */
	refuse(fx, &u, GG_E_WEAK_PASSWORD, "password");
	u.password = "tab\there-password";
	refuse(fx, &u, GG_E_WEAK_PASSWORD, "password");

	u.password = PASSWORD;
	u.display_name = "";
	refuse(fx, &u, GG_E_INVALID, "display_name");
	u.display_name = "bad\nname";
	refuse(fx, &u, GG_E_INVALID, "display_name");
	u.display_name = NULL;

	u.nroles = 0;
	refuse(fx, &u, GG_E_INVALID, "roles");
	/* A scoped role without its scope, given past the parser. */
	g[0] = (struct gg_role_grant){GG_ROLE_employer, GG_SCOPE_NONE, 0};
	u.nroles = 1;
	refuse(fx, &u, GG_E_INVALID, "roles.0.scope");
	g[0] = (struct gg_role_grant){GG_ROLE_finance, GG_SCOPE_ORG, 3};
	refuse(fx, &u, GG_E_INVALID, "roles.0.scope");
	g[0] = (struct gg_role_grant){GG_ROLE_finance, GG_SCOPE_NONE, 0};
	g[1] = (struct gg_role_grant){GG_ROLE_talent, GG_SCOPE_TALENT, 4};
	g[2] = (struct gg_role_grant){GG_ROLE_finance, GG_SCOPE_NONE, 0};
	u.nroles = 3;
	refuse(fx, &u, GG_E_INVALID, "roles.2");
	u.nroles = 1;

	/* The name is taken: refused inside the transaction, nothing written. */
	make_user(fx, "bob", PASSWORD, GG_ROLE_finance, NULL);
	u.username = "bob";
	refuse(fx, &u, GG_E_DUPLICATE, "username");
}

static void test_generated_password(void **state)
{
	struct fixture *fx = *state;
	struct gg_role_grant g = {GG_ROLE_bank, GG_SCOPE_ORG, 5};
	struct gg_error err;
	struct gg_login login;
	struct gg_user u;
	char generated[32] = "";
	char changes[512];
	int64_t id = 0;

	gg_error_init(&err);
	/* must_change 0 asked, but a generated password forces it. */
	const struct gg_user_new nu = {
	    .username = "bank1", .password = NULL, .must_change = 0, .roles = &g, .nroles = 1};
	assert_int_equal(gg_user_create(fx->db, &cli, &nu, min_len(fx), &id, generated, sizeof generated, &err), GG_OK);
	assert_int_equal(strlen(generated), 16);
	assert_int_equal(gg_user_get(fx->db, id, &u, &err), GG_OK);
	assert_int_equal(u.must_change_password, 1);
	assert_string_equal(u.display_name, "bank1");
	audit_last_changes(fx, "user.create", changes, sizeof changes);
	assert_null(strstr(changes, generated));
	assert_non_null(strstr(changes, "\"field\":\"must_change_password\",\"old\":null,\"new\":\"true\""));

	/* The generated password logs in, and the login says it must change. */
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "bank1", generated, NULL, &login, &err), GG_OK);
	assert_int_equal(login.user_id, id);
	assert_int_equal(login.must_change_password, 1);

	/* No room for the generated password: refused before anything is written. */
	gg_error_init(&err);
	const struct gg_user_new nu2 = {.username = "bank2", .roles = &g, .nroles = 1};
	assert_int_equal(gg_user_create(fx->db, &cli, &nu2, min_len(fx), &id, NULL, 0, &err), GG_E_INTERNAL);
	gg_error_init(&err);
	assert_int_equal(gg_user_get_by_name(fx->db, "bank2", &u, &err), GG_E_NOT_FOUND);
}

static void test_update(void **state)
{
	struct fixture *fx = *state;
	struct gg_role_grant officer = {GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0};
	struct gg_role_grant emp[2] = {{GG_ROLE_employer, GG_SCOPE_ORG, 7}, {GG_ROLE_employer, GG_SCOPE_ORG, 8}};
	struct gg_error err;
	struct gg_user u;
	struct gg_login login;
	struct gg_principal pr;
	char changes[1024];
	int64_t admin = make_user(fx, "root", PASSWORD, GG_ROLE_bureau_admin, NULL);
	int64_t id = make_user(fx, "carol", PASSWORD, GG_ROLE_employer, "org:7");
	const struct gg_actor actor = {admin, "root", "req-1"};

	set_now(T0 + 10);
	gg_error_init(&err);
	struct gg_user_patch p = {.display_name = "Carol Chen", .disabled = -1};
	assert_int_equal(gg_user_update(fx->db, &actor, id, 1, &p, &u, &err), GG_OK);
	assert_int_equal(u.version, 2);
	assert_string_equal(u.display_name, "Carol Chen");
	assert_int_equal(u.updated_at, T0 + 10);
	assert_int_equal(audit_count(fx, "user.update", id), 1);
	audit_last_changes(fx, "user.update", changes, sizeof changes);
	assert_string_equal(changes, "[{\"field\":\"display_name\",\"old\":\"carol\",\"new\":\"Carol Chen\"}]");

	/* The same version again is stale, and writes nothing. */
	gg_error_init(&err);
	p.display_name = "Someone Else";
	assert_int_equal(gg_user_update(fx->db, &actor, id, 1, &p, &u, &err), GG_E_STALE);
	gg_error_init(&err);
	assert_int_equal(gg_user_get(fx->db, id, &u, &err), GG_OK);
	assert_string_equal(u.display_name, "Carol Chen");
	assert_int_equal(u.version, 2);
	assert_int_equal(audit_count(fx, "user.update", id), 1);

	/* Nothing changes: no new version, no audit row. */
	p.display_name = "Carol Chen";
	assert_int_equal(gg_user_update(fx->db, &actor, id, 2, &p, &u, &err), GG_OK);
	assert_int_equal(u.version, 2);
	assert_int_equal(audit_count(fx, "user.update", id), 1);

	/* Roles replaced; a bad role list is refused with its field. */
	p.display_name = NULL;
	p.set_roles = 1;
	p.roles = emp;
	p.nroles = 2;
	assert_int_equal(gg_user_update(fx->db, &actor, id, 2, &p, &u, &err), GG_OK);
	assert_int_equal(u.version, 3);
	assert_int_equal(u.nroles, 2);
	assert_int_equal(u.roles[1].scope_id, 8);
	emp[1] = emp[0];
	gg_error_init(&err);
	assert_int_equal(gg_user_update(fx->db, &actor, id, 3, &p, &u, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "roles.1");

	/* Self-protection: no disabling oneself, no dropping one's own bureau_admin. */
	struct gg_user_patch self = {.disabled = 1};
	gg_error_init(&err);
	assert_int_equal(gg_user_update(fx->db, &actor, admin, 1, &self, NULL, &err), GG_E_CONFLICT);
	self.disabled = -1;
	self.set_roles = 1;
	self.roles = &officer;
	self.nroles = 1;
	gg_error_init(&err);
	assert_int_equal(gg_user_update(fx->db, &actor, admin, 1, &self, NULL, &err), GG_E_CONFLICT);
	gg_error_init(&err);
	assert_int_equal(gg_user_get(fx->db, admin, &u, &err), GG_OK);
	assert_int_equal(u.version, 1);
	assert_int_equal(u.roles[0].role, GG_ROLE_bureau_admin);

	/* Disabling ends the account's sessions; the audit names it user.disable. */
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "carol", PASSWORD, NULL, &login, &err), GG_OK);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_OK);
	struct gg_user_patch off = {.disabled = 1};
	assert_int_equal(gg_user_update(fx->db, &actor, id, 3, &off, &u, &err), GG_OK);
	assert_int_equal(u.disabled, 1);
	assert_int_equal(audit_count(fx, "user.disable", id), 1);
	gg_error_init(&err);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_E_SESSION_EXPIRED);
	assert_int_equal(pr.kind, GG_AUTH_NONE);
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL"), 0);
	/* A disabled account's right password answers account_disabled, and opens no session. */
	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "carol", PASSWORD, NULL, &login, &err), GG_E_DISABLED);
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL"), 0);
}

static void test_list(void **state)
{
	struct fixture *fx = *state;
	struct gg_user *users = NULL;
	struct gg_error err;
	size_t n = 0;
	int more = 0;
	struct gg_user_filter f = {.disabled = -1, .limit = 2};

	make_user(fx, "dora", PASSWORD, GG_ROLE_employer, "org:1");
	make_user(fx, "dan_x", PASSWORD, GG_ROLE_finance, NULL);
	make_user(fx, "erin", PASSWORD, GG_ROLE_employer, "org:2");

	gg_error_init(&err);
	assert_int_equal(gg_user_list(fx->db, &f, &users, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(more, 1);
	assert_string_equal(users[0].username, "dora");
	f.after_id = users[1].id;
	free(users);
	assert_int_equal(gg_user_list(fx->db, &f, &users, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(more, 0);
	assert_string_equal(users[0].username, "erin");
	free(users);

	struct gg_user_filter byrole = {.has_role = 1, .role = GG_ROLE_employer, .disabled = -1, .limit = 50};
	assert_int_equal(gg_user_list(fx->db, &byrole, &users, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(users[1].username, "erin");
	assert_int_equal(users[1].roles[0].scope_id, 2);
	free(users);

	/* '_' is matched literally, not as LIKE's any-character. */
	struct gg_user_filter q = {.q = "n_", .disabled = -1, .limit = 50};
	assert_int_equal(gg_user_list(fx->db, &q, &users, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(users[0].username, "dan_x");
	free(users);

	struct gg_user_filter dis = {.disabled = 1, .limit = 50};
	assert_int_equal(gg_user_list(fx->db, &dis, &users, &n, &more, &err), GG_OK);
	assert_int_equal(n, 0);
	free(users);
}

static void test_login_and_throttle(void **state)
{
	struct fixture *fx = *state;
	struct gg_login login;
	struct gg_error err;
	struct gg_user u;
	int64_t id = make_user(fx, "frank", PASSWORD, GG_ROLE_expert, NULL);

	/* Three failures (login_max_failures is 3 here), each audited. */
	for (int i = 0; i < 3; i++) {
		set_now(T0 + 100 + i);
		gg_error_init(&err);
		assert_int_equal(gg_session_login(fx->db, &fx->cfg, "frank", "wrong-password", "r", &login, &err),
		                 GG_E_BAD_CREDENTIALS);
	}
	assert_int_equal(audit_count(fx, "auth.login_failed", id), 3);
	/* Now even the right password is refused, with the wait until the window passes. */
	set_now(T0 + 200);
	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "frank", PASSWORD, NULL, &login, &err), GG_E_THROTTLED);
	/* The oldest of the three (T0+100) leaves the 15-minute window at T0+1000. */
	assert_int_equal(login.retry_after, 800);
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM sessions"), 0);
	/* The throttle counts the name however it is cased. */
	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "FRANK", PASSWORD, NULL, &login, &err), GG_E_THROTTLED);

	set_now(T0 + 1000);
	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "frank", PASSWORD, "req-9", &login, &err), GG_OK);
	assert_int_equal(login.user_id, id);
	assert_int_equal(login.must_change_password, 0);
	assert_int_equal(login.expires_at, T0 + 1000 + 12 * 3600);
	assert_true(strlen(login.token) >= 40);
	assert_true(strlen(login.csrf_token) >= 40);
	assert_string_not_equal(login.token, login.csrf_token);
	assert_int_equal(audit_count(fx, "auth.login", id), 1);
	/* Success clears the name's failures; last_login_at is set. */
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM login_failures WHERE username = 'frank'"), 0);
	assert_int_equal(gg_user_get(fx->db, id, &u, &err), GG_OK);
	assert_int_equal(u.last_login_at, T0 + 1000);
	/* Only the token's hash is stored. */
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM sessions WHERE token_hash LIKE '%-%'"), 0);

	/* A name without an account: the same answer, also throttled after three. */
	for (int i = 0; i < 3; i++) {
		gg_error_init(&err);
		assert_int_equal(gg_session_login(fx->db, &fx->cfg, "ghost", PASSWORD, NULL, &login, &err),
		                 GG_E_BAD_CREDENTIALS);
	}
	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "ghost", PASSWORD, NULL, &login, &err), GG_E_THROTTLED);
	assert_int_equal(login.retry_after, 900);
}

static void test_session_expiry(void **state)
{
	struct fixture *fx = *state;
	struct gg_login login;
	struct gg_principal pr;
	struct gg_error err;
	const struct gg_actor actor = {0, "cli", NULL};
	int64_t id = make_user(fx, "gina", PASSWORD, GG_ROLE_station_operator, "station:4");

	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "gina", PASSWORD, NULL, &login, &err), GG_OK);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_OK);
	assert_int_equal(pr.kind, GG_AUTH_SESSION);
	assert_int_equal(pr.user_id, id);
	assert_string_equal(pr.username, "gina");
	assert_string_equal(pr.csrf_token, login.csrf_token);
	assert_int_equal(pr.session_id, login.session_id);
	assert_int_equal(pr.nroles, 1);
	assert_int_equal(pr.roles[0].role, GG_ROLE_station_operator);
	assert_int_equal(pr.roles[0].scope_kind, GG_SCOPE_STATION);
	assert_int_equal(pr.roles[0].scope_id, 4);

	/* Requests every 29 minutes keep it alive (idle 30) ... */
	int64_t t = T0;
	for (int i = 0; i < 5; i++) {
		t += 29 * 60;
		set_now(t);
		gg_error_init(&err);
		assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_OK);
	}
	/* ... 30 idle minutes end it. */
	set_now(t + 30 * 60);
	gg_error_init(&err);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_E_SESSION_EXPIRED);

	/* A busy session still ends session_max_hours (12) after login. */
	int64_t start = t + 31 * 60;
	set_now(start);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "gina", PASSWORD, NULL, &login, &err), GG_OK);
	for (t = start + 20 * 60; t < start + 12 * 3600; t += 20 * 60) {
		set_now(t);
		gg_error_init(&err);
		assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_OK);
	}
	set_now(start + 12 * 3600);
	gg_error_init(&err);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_E_SESSION_EXPIRED);

	/* Logout ends a session at once, audited; twice is NOT_FOUND. */
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "gina", PASSWORD, NULL, &login, &err), GG_OK);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_OK);
	assert_int_equal(gg_session_logout(fx->db, &actor, login.session_id, &err), GG_OK);
	assert_int_equal(audit_count(fx, "auth.logout", login.session_id), 1);
	gg_error_init(&err);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, login.token, &pr, &err), GG_E_SESSION_EXPIRED);
	gg_error_init(&err);
	assert_int_equal(gg_session_logout(fx->db, &actor, login.session_id, &err), GG_E_NOT_FOUND);

	/* Unknown, empty and oversized cookies. */
	static const char *const bad[] = {"", "nope",
	                                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		gg_error_init(&err);
		assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, bad[i], &pr, &err), GG_E_SESSION_EXPIRED);
	}
	gg_error_init(&err);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, NULL, &pr, &err), GG_E_SESSION_EXPIRED);
}

static void test_password_change_and_reset(void **state)
{
	struct fixture *fx = *state;
	struct gg_login a, b;
	struct gg_principal pr;
	struct gg_error err;
	struct gg_user u;
	char generated[32] = "";
	int64_t id = make_user(fx, "hank", PASSWORD, GG_ROLE_leader, NULL);
	const struct gg_actor self = {id, "hank", NULL};

	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "hank", PASSWORD, NULL, &a, &err), GG_OK);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "hank", PASSWORD, NULL, &b, &err), GG_OK);

	gg_error_init(&err);
	assert_int_equal(gg_user_password_change(fx->db, &self, id, "not-it-at-all", "new-password-1", min_len(fx),
	                                         a.session_id, &err),
	                 GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "current_password");
	gg_error_init(&err);
	assert_int_equal(gg_user_password_change(fx->db, &self, id, PASSWORD, "short", min_len(fx), a.session_id, &err),
	                 GG_E_WEAK_PASSWORD);
	assert_string_equal(err.fields[0].field, "new_password");
	gg_error_init(&err);
	assert_int_equal(
	    gg_user_password_change(fx->db, &self, id, PASSWORD, PASSWORD, min_len(fx), a.session_id, &err),
	    GG_E_WEAK_PASSWORD);
	assert_string_equal(err.fields[0].field, "new_password");
	assert_int_equal(audit_count(fx, "user.password_change", id), 0);

	gg_error_init(&err);
	assert_int_equal(
	    gg_user_password_change(fx->db, &self, id, PASSWORD, "new-password-1", min_len(fx), a.session_id, &err),
	    GG_OK);
	assert_int_equal(audit_count(fx, "user.password_change", id), 1);
	/* The session that changed it lives on; the other one ended. */
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, a.token, &pr, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, b.token, &pr, &err), GG_E_SESSION_EXPIRED);

	/* An administrator's reset generates a password that must be changed, and ends every session. */
	gg_error_init(&err);
	assert_int_equal(
	    gg_user_password_reset(fx->db, &cli, id, NULL, 0, min_len(fx), generated, sizeof generated, &err), GG_OK);
	assert_int_equal(strlen(generated), 16);
	assert_int_equal(gg_user_get(fx->db, id, &u, &err), GG_OK);
	assert_int_equal(u.must_change_password, 1);
	gg_error_init(&err);
	assert_int_equal(gg_session_authenticate(fx->db, &fx->cfg, a.token, &pr, &err), GG_E_SESSION_EXPIRED);
	assert_int_equal(audit_count(fx, "user.password_reset", id), 1);
	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "hank", "new-password-1", NULL, &a, &err),
	                 GG_E_BAD_CREDENTIALS);
	gg_error_init(&err);
	assert_int_equal(gg_session_login(fx->db, &fx->cfg, "hank", generated, NULL, &a, &err), GG_OK);
	assert_int_equal(a.must_change_password, 1);
	gg_error_init(&err);
	assert_int_equal(
	    gg_user_password_reset(fx->db, &cli, id + 1000, NULL, 0, min_len(fx), generated, sizeof generated, &err),
	    GG_E_NOT_FOUND);
}

static void test_tokens(void **state)
{
	struct fixture *fx = *state;
	struct gg_principal pr;
	struct gg_error err;
	struct gg_token t, *list = NULL;
	char text[GG_TOKEN_TEXT_MAX], text2[GG_TOKEN_TEXT_MAX];
	size_t n = 0;
	int more = 0;
	int64_t id = make_user(fx, "ivy", PASSWORD, GG_ROLE_provider, "org:30");
	const struct gg_actor admin = {999, "root", NULL};

	gg_error_init(&err);
	assert_int_equal(gg_token_create(fx->db, &admin, id, "benefit sync", 30, text, sizeof text, &t, &err), GG_OK);
	assert_int_equal(strncmp(text, "gg_", 3), 0);
	assert_true(strlen(text) > 40);
	assert_int_equal(t.expires_at, T0 + 30 * 86400);
	assert_int_equal(audit_count(fx, "token.create", t.id), 1);
	/* Only the hash is stored. */
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM api_tokens WHERE token_hash LIKE 'gg_%'"), 0);

	assert_int_equal(gg_token_authenticate(fx->db, text, &pr, &err), GG_OK);
	assert_int_equal(pr.kind, GG_AUTH_TOKEN);
	assert_int_equal(pr.user_id, id);
	assert_int_equal(pr.token_id, t.id);
	assert_string_equal(pr.csrf_token, "");
	assert_int_equal(pr.roles[0].role, GG_ROLE_provider);
	assert_int_equal(pr.roles[0].scope_id, 30);

	assert_int_equal(gg_token_list(fx->db, id, 0, 10, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].label, "benefit sync");
	assert_int_equal(list[0].last_used_at, T0);
	assert_int_equal(list[0].created_by, 999);
	free(list);

	/* Expiry: valid until, not at, expires_at. */
	set_now(T0 + 30 * 86400 - 1);
	assert_int_equal(gg_token_authenticate(fx->db, text, &pr, &err), GG_OK);
	set_now(T0 + 30 * 86400);
	gg_error_init(&err);
	assert_int_equal(gg_token_authenticate(fx->db, text, &pr, &err), GG_E_TOKEN_INVALID);
	assert_int_equal(pr.kind, GG_AUTH_NONE);

	/* Revocation, once. */
	set_now(T0);
	assert_int_equal(gg_token_create(fx->db, &cli, id, "second", 1, text2, sizeof text2, &t, &err), GG_OK);
	assert_int_equal(t.created_by, 0);
	assert_int_equal(gg_token_authenticate(fx->db, text2, &pr, &err), GG_OK);
	assert_int_equal(gg_token_revoke(fx->db, &admin, t.id, &err), GG_OK);
	assert_int_equal(audit_count(fx, "token.revoke", t.id), 1);
	gg_error_init(&err);
	assert_int_equal(gg_token_authenticate(fx->db, text2, &pr, &err), GG_E_TOKEN_INVALID);
	gg_error_init(&err);
	assert_int_equal(gg_token_revoke(fx->db, &admin, t.id, &err), GG_E_CONFLICT);
	gg_error_init(&err);
	assert_int_equal(gg_token_revoke(fx->db, &admin, t.id + 99, &err), GG_E_NOT_FOUND);
	assert_int_equal(audit_count(fx, "token.revoke", 0), 1);

	/* A disabled account's tokens fail. */
	assert_int_equal(gg_token_create(fx->db, &cli, id, "third", 5, text2, sizeof text2, &t, &err), GG_OK);
	struct gg_user_patch off = {.disabled = 1};
	assert_int_equal(gg_user_update(fx->db, &admin, id, 1, &off, NULL, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_token_authenticate(fx->db, text2, &pr, &err), GG_E_TOKEN_INVALID);

	/* Malformed bearers and refused arguments. */
	static const char *const bad[] = {"", "gg_", "xx_abc", "gg_unknown"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		gg_error_init(&err);
		assert_int_equal(gg_token_authenticate(fx->db, bad[i], &pr, &err), GG_E_TOKEN_INVALID);
	}
	int64_t before = count_rows(fx, "SELECT COUNT(*) FROM api_tokens");
	gg_error_init(&err);
	assert_int_equal(gg_token_create(fx->db, &cli, id, "", 5, text2, sizeof text2, &t, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "label");
	gg_error_init(&err);
	assert_int_equal(gg_token_create(fx->db, &cli, id, "ok", 0, text2, sizeof text2, &t, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "expires_in_days");
	gg_error_init(&err);
	assert_int_equal(gg_token_create(fx->db, &cli, id + 500, "ok", 5, text2, sizeof text2, &t, &err),
	                 GG_E_NOT_FOUND);
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM api_tokens"), before);
}

static void test_invitations(void **state)
{
	struct fixture *fx = *state;
	struct gg_invitation inv, *list = NULL;
	struct gg_error err;
	struct gg_user u;
	char token[GG_TOKEN_MAX], token2[GG_TOKEN_MAX];
	size_t n = 0;
	int more = 0;
	int64_t user_id = 0, kate_id = 0;
	int64_t officer = make_user(fx, "jill", PASSWORD, GG_ROLE_bureau_officer, NULL);
	const struct gg_actor actor = {officer, "jill", "req-inv"};

	struct gg_invitation_new in = {.username = "kate", .display_name = "Kate HR", .hours = 72};
	gg_error_init(&err);
	assert_int_equal(gg_role_parse_scope(GG_ROLE_employer, "org:12", &in.grant, &err), GG_OK);
	assert_int_equal(gg_invitation_create(fx->db, &actor, &in, token, sizeof token, &inv, &err), GG_OK);
	assert_int_equal(inv.expires_at, T0 + 72 * 3600);
	assert_int_equal(inv.invited_by, officer);
	assert_int_equal(audit_count(fx, "invitation.create", inv.id), 1);

	/* The name is reserved while the invitation is pending. */
	gg_error_init(&err);
	assert_int_equal(gg_invitation_create(fx->db, &actor, &in, token2, sizeof token2, NULL, &err), GG_E_DUPLICATE);
	assert_string_equal(err.fields[0].field, "username");
	/* A taken account name, too; and a scope the role does not take is named "scope". */
	struct gg_invitation_new taken = {.username = "jill", .grant = in.grant, .hours = 72};
	gg_error_init(&err);
	assert_int_equal(gg_invitation_create(fx->db, &actor, &taken, token2, sizeof token2, NULL, &err),
	                 GG_E_DUPLICATE);
	struct gg_invitation_new noscope = {
	    .username = "lena", .grant = {GG_ROLE_employer, GG_SCOPE_NONE, 0}, .hours = 72};
	gg_error_init(&err);
	assert_int_equal(gg_invitation_create(fx->db, &actor, &noscope, token2, sizeof token2, NULL, &err),
	                 GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "scope");

	memset(&inv, 0, sizeof inv);
	assert_int_equal(gg_invitation_lookup(fx->db, token, &inv, &err), GG_OK);
	assert_string_equal(inv.username, "kate");
	assert_string_equal(inv.display_name, "Kate HR");
	assert_int_equal(inv.grant.role, GG_ROLE_employer);
	assert_int_equal(inv.grant.scope_id, 12);
	gg_error_init(&err);
	assert_int_equal(gg_invitation_lookup(fx->db, "not-a-token", &inv, &err), GG_E_NOT_FOUND);

	/* A weak password is refused and the link stays usable. */
	gg_error_init(&err);
	assert_int_equal(gg_invitation_activate(fx->db, token, "kate", min_len(fx), NULL, &user_id, &err),
	                 GG_E_WEAK_PASSWORD);
	assert_string_equal(err.fields[0].field, "password");
	gg_error_init(&err);
	assert_int_equal(gg_invitation_activate(fx->db, token, "kate-secret-1", min_len(fx), "req-act", &user_id, &err),
	                 GG_OK);
	assert_int_equal(gg_user_get(fx->db, user_id, &u, &err), GG_OK);
	kate_id = user_id;
	assert_string_equal(u.username, "kate");
	assert_string_equal(u.display_name, "Kate HR");
	assert_int_equal(u.must_change_password, 0);
	assert_int_equal(u.nroles, 1);
	assert_int_equal(u.roles[0].role, GG_ROLE_employer);
	assert_int_equal(u.roles[0].scope_id, 12);
	assert_int_equal(audit_count(fx, "user.create", user_id), 1);
	assert_int_equal(audit_count(fx, "invitation.accept", 0), 1);

	/* One-time: a second activation and a lookup answer gone. */
	gg_error_init(&err);
	assert_int_equal(gg_invitation_activate(fx->db, token, "kate-secret-2", min_len(fx), NULL, &user_id, &err),
	                 GG_E_GONE);
	gg_error_init(&err);
	assert_int_equal(gg_invitation_lookup(fx->db, token, &inv, &err), GG_E_GONE);
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM users WHERE username = 'kate'"), 1);

	/* Expired: gone at expires_at, and its name is free again. */
	struct gg_invitation_new later = {
	    .username = "liam", .grant = {GG_ROLE_talent, GG_SCOPE_TALENT, 9}, .hours = 1};
	assert_int_equal(gg_invitation_create(fx->db, &actor, &later, token2, sizeof token2, &inv, &err), GG_OK);
	set_now(T0 + 3600);
	gg_error_init(&err);
	assert_int_equal(gg_invitation_lookup(fx->db, token2, &inv, &err), GG_E_GONE);
	gg_error_init(&err);
	assert_int_equal(gg_invitation_activate(fx->db, token2, "liam-secret-1", min_len(fx), NULL, &user_id, &err),
	                 GG_E_GONE);
	gg_error_init(&err);
	assert_int_equal(gg_user_get_by_name(fx->db, "liam", &u, &err), GG_E_NOT_FOUND);
	assert_int_equal(gg_invitation_create(fx->db, &actor, &later, token2, sizeof token2, &inv, &err), GG_OK);

	/* Listing: everyone's, or one inviter's. */
	assert_int_equal(gg_invitation_list(fx->db, officer, 0, 10, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].accepted_at, T0);
	assert_int_equal(list[0].user_id, kate_id);
	assert_int_equal(list[1].accepted_at, 0);
	free(list);
	assert_int_equal(gg_invitation_list(fx->db, officer + 1, 0, 10, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(gg_invitation_list(fx->db, 0, 0, 2, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(more, 1);
	free(list);
}

/* A scope names an existing record: on create, on a role change, in an invitation. */
static void test_scopes_must_exist(void **state)
{
	struct fixture *fx = *state;
	struct gg_role_grant g = {GG_ROLE_employer, GG_SCOPE_ORG, 99};
	struct gg_user_new u = {.username = "nemo", .password = PASSWORD, .roles = &g, .nroles = 1};
	struct gg_error err;
	struct gg_user cur;
	char token[GG_TOKEN_MAX];

	refuse(fx, &u, GG_E_INVALID, "roles.0.scope");
	gg_error_init(&err);
	assert_int_equal(gg_user_create(fx->db, &cli, &u, min_len(fx), NULL, NULL, 0, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].message, "scope org:99 names no organisation: there is no organisation 99");
	g = (struct gg_role_grant){GG_ROLE_station_operator, GG_SCOPE_STATION, 5};
	refuse(fx, &u, GG_E_INVALID, "roles.0.scope");
	g = (struct gg_role_grant){GG_ROLE_talent, GG_SCOPE_TALENT, 44};
	refuse(fx, &u, GG_E_INVALID, "roles.0.scope");
	/* a talent merged into another: the message names the one to use */
	g = (struct gg_role_grant){GG_ROLE_talent, GG_SCOPE_TALENT, 5};
	gg_error_init(&err);
	assert_int_equal(gg_user_create(fx->db, &cli, &u, min_len(fx), NULL, NULL, 0, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "roles.0.scope");
	assert_non_null(strstr(err.fields[0].message, "merged into talent 3: use talent:3"));
	/* the existing ones pass */
	g = (struct gg_role_grant){GG_ROLE_talent, GG_SCOPE_TALENT, 3};
	gg_error_init(&err);
	assert_int_equal(gg_user_create(fx->db, &cli, &u, min_len(fx), NULL, NULL, 0, &err), GG_OK);

	/* a role change: the new grant is checked, nothing written when it fails */
	int64_t id = make_user(fx, "olaf", PASSWORD, GG_ROLE_employer, "org:1");
	struct gg_role_grant two[2] = {{GG_ROLE_employer, GG_SCOPE_ORG, 1}, {GG_ROLE_bank, GG_SCOPE_ORG, 404}};
	struct gg_user_patch p = {.set_roles = 1, .roles = two, .nroles = 2, .disabled = -1};
	int64_t audits = count_rows(fx, "SELECT COUNT(*) FROM audit_log");
	gg_error_init(&err);
	assert_int_equal(gg_user_update(fx->db, &cli, id, 1, &p, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "roles.1.scope");
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM audit_log"), audits);
	two[1].scope_id = 3;
	gg_error_init(&err);
	assert_int_equal(gg_user_update(fx->db, &cli, id, 1, &p, &cur, &err), GG_OK);
	assert_int_equal(cur.nroles, 2);

	/* an invitation names its field "scope" */
	struct gg_invitation_new in = {.username = "nina", .grant = {GG_ROLE_provider, GG_SCOPE_ORG, 31}, .hours = 24};
	const struct gg_actor officer = {id, "olaf", NULL};
	gg_error_init(&err);
	assert_int_equal(gg_invitation_create(fx->db, &officer, &in, token, sizeof token, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "scope");
	assert_int_equal(count_rows(fx, "SELECT COUNT(*) FROM invitations"), 0);
	in.grant.scope_id = 30;
	gg_error_init(&err);
	assert_int_equal(gg_invitation_create(fx->db, &officer, &in, token, sizeof token, NULL, &err), GG_OK);
}

static void test_audit_chain_intact(void **state)
{
	struct fixture *fx = *state;
	struct gg_audit_report rep;
	struct gg_error err;

	make_user(fx, "mona", PASSWORD, GG_ROLE_commissioner, NULL);
	gg_error_init(&err);
	memset(&rep, 0, sizeof rep);
	assert_int_equal(gg_audit_verify(fx->db, &rep, &err), GG_OK);
	assert_int_equal(rep.rows, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_and_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_generated_password, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_update, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_login_and_throttle, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_session_expiry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_password_change_and_reset, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invitations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scopes_must_exist, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_chain_intact, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
