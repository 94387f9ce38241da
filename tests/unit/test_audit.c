/*
 * test_audit: the audit trail on a migrated database in a temporary
 * directory. Rows chain by hash and the chain verifies; the table refuses
 * UPDATE and DELETE; then the file is tampered with through raw SQLite
 * (triggers dropped first) by editing a row, removing one, swapping two,
 * and verify must name the first bad row. Listing is checked with every
 * filter and the cursor, with times set through GUANGGU_TEST_NOW.
 */
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/crypto.h"
#include "domain/audit.h"
#include "store/db.h"
#include "store/migrate.h"

struct fixture {
	char dir[64];
	char path[128];
	struct gg_db *db;
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static struct gg_db *open_db(const char *path, int create)
{
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = create};
	struct gg_error err;
	struct gg_db *db = NULL;

	gg_error_init(&err);
	if (gg_db_open(path, &opt, &db, &err) != GG_OK)
		fail_msg("open %s: %s", path, gg_error_message(&err));
	return db;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct gg_error err;

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/gg-audit-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/audit.db", fx->dir);
	fx->db = open_db(fx->path, 1);
	gg_error_init(&err);
	if (gg_migrate(fx->db, NULL, &err) != GG_OK) {
		print_error("migrate: %s\n", gg_error_message(&err));
		return -1;
	}
	unsetenv("GUANGGU_TEST_NOW");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	gg_db_close(fx->db);
	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	unsetenv("GUANGGU_TEST_NOW");
	return 0;
}

static void set_now(const char *t)
{
	setenv("GUANGGU_TEST_NOW", t, 1);
}

/* Records one event in its own write transaction, as every write of the platform does. */
static void record(struct gg_db *db, int64_t actor_id, const char *actor, const char *action, const char *entity,
                   int64_t entity_id, const struct gg_audit_change *changes, size_t nchanges)
{
	struct gg_audit_event ev = {
	    .actor_id = actor_id,
	    .actor = actor,
	    .action = action,
	    .entity = entity,
	    .entity_id = entity_id,
	    .request_id = NULL,
	    .changes = changes,
	    .nchanges = nchanges,
	};
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(db, GG_DB_WRITE, &err), GG_OK);
	if (gg_audit_record(db, &ev, &err) != GG_OK)
		fail_msg("record %s: %s", action, gg_error_message(&err));
	assert_int_equal(gg_db_commit(db, &err), GG_OK);
}

static void record_five(struct gg_db *db)
{
	const struct gg_audit_change c[] = {{"name", NULL, "ann"}, {"disabled", "0", "1"}};

	record(db, 1, "admin", "user.create", "user", 2, c, 1);
	record(db, 1, "admin", "user.update", "user", 2, c + 1, 1);
	record(db, 2, "ann", "auth.login", "session", 1, NULL, 0);
	record(db, 1, "admin", "user.create", "user", 3, c, 2);
	record(db, 0, "cli", "user.passwd", "user", 3, NULL, 0);
}

/* Runs SQL on the database file through SQLite itself, around the application. */
static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *conn = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &conn), SQLITE_OK);
	if (sqlite3_exec(conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char copy[256];
		snprintf(copy, sizeof(copy), "%s", msg != NULL ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(conn);
		fail_msg("raw sql '%s': %s", sql, copy);
	}
	sqlite3_close(conn);
}

static void expect_broken(struct gg_db *db, int64_t first_bad, const char *why)
{
	struct gg_audit_report rep;
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_audit_verify(db, &rep, &err), GG_E_AUDIT_BROKEN);
	assert_int_equal(rep.first_bad, first_bad);
	assert_string_equal(rep.why, why);
	assert_string_equal(err.message, why);
	assert_int_equal(err.code, GG_E_AUDIT_BROKEN);
}

static void test_chain_and_verify(void **state)
{
	struct fixture *fx = *state;
	struct gg_audit_report rep;
	struct gg_error err;
	struct gg_stmt *st = NULL;
	char prev[GG_SHA256_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";
	int row = 0, n = 0;

	gg_error_init(&err);
	assert_int_equal(gg_audit_verify(fx->db, &rep, &err), GG_OK);
	assert_int_equal(rep.rows, 0);
	assert_int_equal(rep.first_bad, 0);

	record_five(fx->db);
	assert_int_equal(gg_audit_verify(fx->db, &rep, &err), GG_OK);
	assert_int_equal(rep.rows, 5);
	assert_int_equal(rep.first_bad, 0);
	assert_int_equal(gg_audit_verify(fx->db, NULL, &err), GG_OK);

	/* Each row carries the previous row's hash, the first one 64 zeros; ids run 1..5. */
	assert_int_equal(gg_db_prepare(fx->db, "SELECT id, prev_hash, hash FROM audit_log ORDER BY id", &st, &err),
	                 GG_OK);
	while (gg_db_step(st, &row, &err) == GG_OK && row) {
		n++;
		assert_int_equal(gg_db_col_i64(st, 0), n);
		assert_string_equal(gg_db_col_text(st, 1), prev);
		assert_int_equal(strlen(gg_db_col_text(st, 2)), 64);
		assert_string_not_equal(gg_db_col_text(st, 2), prev);
		memcpy(prev, gg_db_col_text(st, 2), sizeof(prev));
	}
	gg_db_done(st);
	assert_int_equal(n, 5);

	/* The table itself refuses changes and removals. */
	gg_error_init(&err);
	assert_int_equal(gg_db_exec(fx->db, "UPDATE audit_log SET actor = 'x' WHERE id = 2", &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "audit_log is append-only"));
	gg_error_init(&err);
	assert_int_equal(gg_db_exec(fx->db, "DELETE FROM audit_log WHERE id = 5", &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "audit_log is append-only"));
	gg_error_init(&err);
	assert_int_equal(gg_audit_verify(fx->db, &rep, &err), GG_OK);
	assert_int_equal(rep.rows, 5);
}

static void test_rolled_back_record_leaves_no_row(void **state)
{
	struct fixture *fx = *state;
	struct gg_audit_event ev = {.actor_id = 1, .actor = "admin", .action = "user.create", .entity = "user"};
	struct gg_audit_report rep;
	struct gg_error err;
	int64_t count = -1;
	int found = 0;

	record_five(fx->db);
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_audit_record(fx->db, &ev, &err), GG_OK);
	gg_db_rollback(fx->db);
	assert_int_equal(gg_db_query_i64(fx->db, "SELECT count(*) FROM audit_log", NULL, 0, &count, &found, &err),
	                 GG_OK);
	assert_int_equal(count, 5);
	/* The next row continues the chain from the last committed one. */
	record(fx->db, 1, "admin", "user.update", "user", 2, NULL, 0);
	assert_int_equal(gg_audit_verify(fx->db, &rep, &err), GG_OK);
	assert_int_equal(rep.rows, 6);
}

static void test_tamper_edit(void **state)
{
	struct fixture *fx = *state;

	record_five(fx->db);
	raw_sql(fx->path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE id = 3");
	expect_broken(fx->db, 3, "row 3: contents do not match its hash");
}

static void test_tamper_edit_changes(void **state)
{
	struct fixture *fx = *state;
	struct gg_audit_report rep;
	struct gg_error err;

	record_five(fx->db);
	raw_sql(fx->path, "DROP TRIGGER audit_log_no_update; "
	                  "UPDATE audit_log SET changes = replace(changes, '\"1\"', '\"0\"') WHERE id = 2");
	expect_broken(fx->db, 2, "row 2: contents do not match its hash");
	gg_error_init(&err);
	gg_audit_verify(fx->db, &rep, &err);
	assert_int_equal(rep.rows, 2);
}

static void test_tamper_delete(void **state)
{
	struct fixture *fx = *state;

	record_five(fx->db);
	raw_sql(fx->path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3");
	expect_broken(fx->db, 4, "row 4: does not follow row 2 (a row was removed or reordered)");
}

static void test_tamper_delete_first(void **state)
{
	struct fixture *fx = *state;

	record_five(fx->db);
	raw_sql(fx->path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 1");
	expect_broken(fx->db, 2, "row 2: does not start the chain (a row was removed or reordered)");
}

static void test_tamper_swap(void **state)
{
	struct fixture *fx = *state;

	record_five(fx->db);
	raw_sql(fx->path, "DROP TRIGGER audit_log_no_update; "
	                  "UPDATE audit_log SET id = -1 WHERE id = 3; "
	                  "UPDATE audit_log SET id = 3 WHERE id = 4; "
	                  "UPDATE audit_log SET id = 4 WHERE id = -1");
	expect_broken(fx->db, 3, "row 3: does not follow row 2 (a row was removed or reordered)");
}

static void test_tamper_rehash(void **state)
{
	struct fixture *fx = *state;
	const struct gg_audit_change c[] = {{"name", NULL, "ann"}, {"disabled", "0", "1"}};
	struct gg_audit_report rep;
	struct gg_error err;
	struct gg_stmt *st = NULL;
	struct gg_db *forge;
	char path[160], sql[256];
	int row = 0;

	/*
	 * A forger who edits row 2 and gives it the right hash for its new
	 * contents (made here by recording the edited rows, at the same
	 * times, into a second database) still breaks the link of row 3.
	 */
	set_now("1000");
	record_five(fx->db);
	snprintf(path, sizeof(path), "%s/forge.db", fx->dir);
	forge = open_db(path, 1);
	gg_error_init(&err);
	assert_int_equal(gg_migrate(forge, NULL, &err), GG_OK);
	record(forge, 1, "admin", "user.create", "user", 2, c, 1);
	record(forge, 1, "mallory", "user.update", "user", 2, c + 1, 1);
	assert_int_equal(gg_audit_verify(forge, &rep, &err), GG_OK);
	assert_int_equal(gg_db_prepare(forge, "SELECT hash FROM audit_log WHERE id = 2", &st, &err), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_true(row);
	snprintf(sql, sizeof(sql),
	         "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory', hash = '%s' WHERE id = 2",
	         gg_db_col_text(st, 0));
	gg_db_done(st);
	gg_db_close(forge);
	raw_sql(fx->path, sql);
	expect_broken(fx->db, 3, "row 3: does not follow row 2 (a row was removed or reordered)");
}

static void test_record_invalid(void **state)
{
	struct fixture *fx = *state;
	struct gg_audit_event ev = {.actor_id = 1, .actor = "admin", .action = "user.create", .entity = "user"};
	char longer[100];
	struct gg_error err;

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	ev.actor = NULL;
	assert_int_equal(gg_audit_record(fx->db, &ev, &err), GG_E_INVALID);
	ev.actor = "admin";
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	ev.action = longer;
	gg_error_init(&err);
	assert_int_equal(gg_audit_record(fx->db, &ev, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "action");
	ev.action = "user.create";
	ev.nchanges = 1;
	gg_error_init(&err);
	assert_int_equal(gg_audit_record(fx->db, &ev, &err), GG_E_INVALID);
	gg_db_rollback(fx->db);
}

static void expect_ids(struct gg_db *db, const struct gg_audit_filter *f, const int64_t *ids, size_t n)
{
	struct gg_audit_row *rows = NULL;
	struct gg_error err;
	size_t got = 99;

	gg_error_init(&err);
	if (gg_audit_list(db, f, &rows, &got, &err) != GG_OK)
		fail_msg("list: %s", gg_error_message(&err));
	assert_int_equal(got, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].id, ids[i]);
	gg_audit_rows_free(rows, got);
}

static void test_list(void **state)
{
	struct fixture *fx = *state;
	const struct gg_audit_change c[] = {{"name", NULL, "张三 \"q\""}, {"phone", "138****0000", NULL}};
	struct gg_audit_event ev = {.actor_id = 9,
	                            .actor = "officer",
	                            .action = "user.update",
	                            .entity = "user",
	                            .entity_id = 2,
	                            .request_id = "req-42",
	                            .changes = c,
	                            .nchanges = 2};
	struct gg_audit_filter f;
	struct gg_audit_row *rows = NULL;
	struct gg_error err;
	size_t n = 0;

	set_now("1000");
	record(fx->db, 7, "admin", "user.create", "user", 1, NULL, 0); /* 1 */
	set_now("2000");
	record(fx->db, 7, "admin", "user.update", "user", 1, NULL, 0); /* 2 */
	set_now("3000");
	record(fx->db, 8, "ann", "session.create", "session", 5, NULL, 0); /* 3 */
	set_now("4000");
	record(fx->db, 8, "ann", "user.create", "user", 2, NULL, 0); /* 4 */
	set_now("5000");
	record(fx->db, 7, "admin", "user.disable", "user", 2, NULL, 0); /* 5 */
	set_now("2026-11-26T08:00:00Z");
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_audit_record(fx->db, &ev, &err), GG_OK); /* 6 */
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);

	/* The full row, newest first. */
	f = (struct gg_audit_filter){.limit = 1};
	assert_int_equal(gg_audit_list(fx->db, &f, &rows, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, 6);
	assert_int_equal(rows[0].at, 1795680000);
	assert_int_equal(rows[0].actor_id, 9);
	assert_string_equal(rows[0].actor, "officer");
	assert_string_equal(rows[0].action, "user.update");
	assert_string_equal(rows[0].entity, "user");
	assert_int_equal(rows[0].entity_id, 2);
	assert_string_equal(rows[0].request_id, "req-42");
	assert_string_equal(rows[0].changes_json, "[{\"field\":\"name\",\"old\":null,\"new\":\"张三 \\\"q\\\"\"},"
	                                          "{\"field\":\"phone\",\"old\":\"138****0000\",\"new\":null}]");
	assert_int_equal(strlen(rows[0].hash), 64);
	gg_audit_rows_free(rows, n);

	f = (struct gg_audit_filter){.limit = 50, .to = 6000};
	expect_ids(fx->db, &f, (int64_t[]){5, 4, 3, 2, 1}, 5);
	{
		struct gg_audit_row *r1 = NULL;
		f = (struct gg_audit_filter){.limit = 1, .before_id = 2};
		assert_int_equal(gg_audit_list(fx->db, &f, &r1, &n, &err), GG_OK);
		assert_int_equal(n, 1);
		assert_string_equal(r1[0].changes_json, "[]");
		assert_string_equal(r1[0].request_id, "");
		gg_audit_rows_free(r1, n);
	}

	f = (struct gg_audit_filter){.limit = 50, .entity = "user"};
	expect_ids(fx->db, &f, (int64_t[]){6, 5, 4, 2, 1}, 5);
	f = (struct gg_audit_filter){.limit = 50, .entity = "user", .entity_id = 2};
	expect_ids(fx->db, &f, (int64_t[]){6, 5, 4}, 3);
	f = (struct gg_audit_filter){.limit = 50, .actor_id = 8};
	expect_ids(fx->db, &f, (int64_t[]){4, 3}, 2);
	f = (struct gg_audit_filter){.limit = 50, .action = "user."};
	expect_ids(fx->db, &f, (int64_t[]){6, 5, 4, 2, 1}, 5);
	f = (struct gg_audit_filter){.limit = 50, .action = "user.create"};
	expect_ids(fx->db, &f, (int64_t[]){4, 1}, 2);
	f = (struct gg_audit_filter){.limit = 50, .action = "user"};
	expect_ids(fx->db, &f, NULL, 0);
	f = (struct gg_audit_filter){.limit = 50, .action = "session."};
	expect_ids(fx->db, &f, (int64_t[]){3}, 1);
	f = (struct gg_audit_filter){.limit = 50, .from = 2000, .to = 4000};
	expect_ids(fx->db, &f, (int64_t[]){3, 2}, 2);
	f = (struct gg_audit_filter){.limit = 50, .from = 4000};
	expect_ids(fx->db, &f, (int64_t[]){6, 5, 4}, 3);
	f = (struct gg_audit_filter){.limit = 50, .actor_id = 7, .action = "user.", .from = 1500, .to = 6000};
	expect_ids(fx->db, &f, (int64_t[]){5, 2}, 2);
	f = (struct gg_audit_filter){.limit = 50, .entity = "nothing"};
	expect_ids(fx->db, &f, NULL, 0);

	/* Paging with the cursor. */
	f = (struct gg_audit_filter){.limit = 2, .entity = "user"};
	expect_ids(fx->db, &f, (int64_t[]){6, 5}, 2);
	f.before_id = 5;
	expect_ids(fx->db, &f, (int64_t[]){4, 2}, 2);
	f.before_id = 2;
	expect_ids(fx->db, &f, (int64_t[]){1}, 1);
	f.before_id = 1;
	expect_ids(fx->db, &f, NULL, 0);
	f = (struct gg_audit_filter){.limit = 200};
	expect_ids(fx->db, &f, (int64_t[]){6, 5, 4, 3, 2, 1}, 6);

	/* Limits outside 1..200 are refused. */
	f = (struct gg_audit_filter){.limit = 0};
	gg_error_init(&err);
	assert_int_equal(gg_audit_list(fx->db, &f, &rows, &n, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "limit");
	assert_null(rows);
	assert_int_equal(n, 0);
	f.limit = 201;
	assert_int_equal(gg_audit_list(fx->db, &f, &rows, &n, &err), GG_E_INVALID);
	f = (struct gg_audit_filter){.limit = 10, .before_id = -3};
	assert_int_equal(gg_audit_list(fx->db, &f, &rows, &n, &err), GG_E_INVALID);
	gg_audit_rows_free(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_chain_and_verify, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rolled_back_record_leaves_no_row, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tamper_edit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tamper_edit_changes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tamper_delete, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tamper_delete_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tamper_swap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tamper_rehash, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_record_invalid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	};

	if (gg_crypto_init() != GG_OK)
		return 1;
	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
