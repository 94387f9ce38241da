/*
 * test_store: the SQLite backend of db.h and the migrations, on real
 * files in a fresh temporary directory per test: opening and creating,
 * WAL and foreign keys, the statement cache past its bound, transactions
 * seen from a second connection, error mapping (duplicate, busy), running
 * migrate twice, an online backup taken while another connection writes,
 * and restore.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/migrate.h"

struct fixture {
	char dir[64];
};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/gg-store-XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static void path_in(void **state, const char *name, char *out, size_t outsz)
{
	struct fixture *fx = *state;

	snprintf(out, outsz, "%s/%s", fx->dir, name);
}

static int exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

static struct gg_db *open_db(const char *path, int create, int busy_ms)
{
	struct gg_db_options opt = {.busy_timeout_ms = busy_ms, .create = create};
	struct gg_error err;
	struct gg_db *db = NULL;

	gg_error_init(&err);
	assert_int_equal(gg_db_open(path, &opt, &db, &err), GG_OK);
	assert_non_null(db);
	return db;
}

static void exec_ok(struct gg_db *db, const char *sql)
{
	struct gg_error err;

	gg_error_init(&err);
	if (gg_db_exec(db, sql, &err) != GG_OK)
		fail_msg("exec '%s': %s", sql, gg_error_message(&err));
}

static int64_t query(struct gg_db *db, const char *sql)
{
	struct gg_error err;
	int64_t v = -1;
	int found = 0;

	gg_error_init(&err);
	if (gg_db_query_i64(db, sql, NULL, 0, &v, &found, &err) != GG_OK)
		fail_msg("query '%s': %s", sql, gg_error_message(&err));
	assert_true(found);
	return v;
}

static void test_open(void **state)
{
	char path[128];
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = 0};
	struct gg_error err;
	struct gg_db *db = NULL;

	path_in(state, "a.db", path, sizeof(path));
	gg_error_init(&err);
	assert_int_equal(gg_db_open(path, &opt, &db, &err), GG_E_NOT_FOUND);
	assert_null(db);
	assert_non_null(strstr(err.message, "a.db"));
	assert_false(exists(path));

	db = open_db(path, 1, 1000);
	assert_string_equal(gg_db_backend(db), "sqlite");
	exec_ok(db, "CREATE TABLE t (x INTEGER)");
	gg_db_close(db);
	assert_true(exists(path));

	db = open_db(path, 0, 1000);
	assert_int_equal(query(db, "SELECT count(*) FROM t"), 0);
	gg_db_close(db);
	gg_db_close(NULL);

	gg_error_init(&err);
	assert_int_equal(gg_db_open("postgresql://localhost/gg", &opt, &db, &err), GG_E_CONFIG);
	assert_string_equal(err.message, "postgresql backend is not built in this version");
	assert_null(db);
}

static void test_open_not_a_database(void **state)
{
	char path[128];
	struct gg_db_options opt = {.busy_timeout_ms = 100, .create = 0};
	struct gg_error err;
	struct gg_db *db = NULL;
	FILE *f;

	path_in(state, "junk.db", path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not a database file at all. ", f);
	fclose(f);
	gg_error_init(&err);
	assert_int_equal(gg_db_open(path, &opt, &db, &err), GG_E_DB);
	assert_null(db);
	assert_non_null(strstr(err.message, "not a database"));
}

static void test_wal_and_foreign_keys(void **state)
{
	char path[128], wal[160];
	struct gg_error err;
	struct gg_stmt *st = NULL;
	struct gg_db *db;
	int row = 0;

	path_in(state, "wal.db", path, sizeof(path));
	snprintf(wal, sizeof(wal), "%s-wal", path);
	db = open_db(path, 1, 1000);
	gg_error_init(&err);
	assert_int_equal(gg_db_prepare(db, "PRAGMA journal_mode", &st, &err), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_true(row);
	assert_string_equal(gg_db_col_text(st, 0), "wal");
	gg_db_done(st);
	assert_int_equal(query(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query(db, "PRAGMA synchronous"), 1); /* NORMAL */

	exec_ok(db, "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
	            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id))");
	assert_true(exists(wal));
	exec_ok(db, "INSERT INTO parent (id) VALUES (1)");
	exec_ok(db, "INSERT INTO child (id, parent_id) VALUES (1, 1)");
	gg_error_init(&err);
	assert_int_equal(gg_db_exec(db, "INSERT INTO child (id, parent_id) VALUES (2, 99)", &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "FOREIGN KEY"));
	gg_error_init(&err);
	assert_int_equal(gg_db_exec(db, "DELETE FROM parent WHERE id = 1", &err), GG_E_CONFLICT);
	assert_int_equal(query(db, "SELECT count(*) FROM child"), 1);
	gg_db_close(db);
}

/* cache_mb sets this connection's page cache; 0 keeps the backend's default. */
static void test_cache_size(void **state)
{
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = 1, .cache_mb = 8};
	struct gg_error err;
	struct gg_db *db = NULL;
	char path[128];
	int64_t def;

	path_in(state, "cache.db", path, sizeof(path));
	db = open_db(path, 1, 1000);
	def = query(db, "PRAGMA cache_size");
	assert_int_not_equal(def, -8 * 1024);
	gg_db_close(db);
	gg_error_init(&err);
	assert_int_equal(gg_db_open(path, &opt, &db, &err), GG_OK);
	assert_int_equal(query(db, "PRAGMA cache_size"), -8 * 1024);
	gg_db_close(db);
}

static void test_statement_cache(void **state)
{
	char path[128], sql[64];
	struct gg_error err;
	struct gg_stmt *st = NULL, *st2 = NULL;
	struct gg_db *db;
	int row = 0;

	path_in(state, "cache.db", path, sizeof(path));
	db = open_db(path, 1, 1000);
	gg_error_init(&err);
	struct gg_stmt *seen[300];

	/* Three passes over 300 texts: far more than the cache holds, so entries are evicted and recompiled. */
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < 300; i++) {
			snprintf(sql, sizeof(sql), "SELECT ? + %d", i);
			assert_int_equal(gg_db_prepare(db, sql, &st, &err), GG_OK);
			assert_int_equal(gg_db_bind_i64(st, 1, 1000 * pass), GG_OK);
			assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
			assert_true(row);
			assert_int_equal(gg_db_col_i64(st, 0), 1000 * pass + i);
			assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
			assert_false(row);
			seen[i] = st;
			gg_db_done(st);
		}
	}
	/* The 100 most recently used texts are still cached: the same statements come back. */
	for (int i = 200; i < 300; i++) {
		snprintf(sql, sizeof(sql), "SELECT ? + %d", i);
		assert_int_equal(gg_db_prepare(db, sql, &st, &err), GG_OK);
		assert_ptr_equal(st, seen[i]);
		assert_int_equal(gg_db_bind_i64(st, 1, 1), GG_OK);
		assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
		assert_int_equal(gg_db_col_i64(st, 0), 1 + i);
		gg_db_done(st);
	}
	/* A cached statement comes back reset with its bindings cleared. */
	assert_int_equal(gg_db_prepare(db, "SELECT ?", &st, &err), GG_OK);
	assert_int_equal(gg_db_bind_text(st, 1, "first"), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_string_equal(gg_db_col_text(st, 0), "first");
	gg_db_done(st);
	assert_int_equal(gg_db_prepare(db, "SELECT ?", &st, &err), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_true(row);
	assert_true(gg_db_col_is_null(st, 0));
	assert_null(gg_db_col_text(st, 0));
	gg_db_done(st);

	/* A statement stopped mid-way starts again from its first row. */
	exec_ok(db, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)");
	assert_int_equal(gg_db_prepare(db, "SELECT x FROM t ORDER BY x", &st, &err), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_int_equal(gg_db_col_i64(st, 0), 1);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_int_equal(gg_db_col_i64(st, 0), 2);
	gg_db_done(st);
	assert_int_equal(gg_db_prepare(db, "SELECT x FROM t ORDER BY x", &st, &err), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_int_equal(gg_db_col_i64(st, 0), 1);

	/* The same text asked for while handed out is a separate statement. */
	assert_int_equal(gg_db_prepare(db, "SELECT x FROM t ORDER BY x", &st2, &err), GG_OK);
	assert_ptr_not_equal(st, st2);
	assert_int_equal(gg_db_step(st2, &row, &err), GG_OK);
	assert_int_equal(gg_db_col_i64(st2, 0), 1);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_int_equal(gg_db_col_i64(st, 0), 2);
	gg_db_done(st2);
	gg_db_done(st);

	/* Blobs, and two statements in one text are refused. */
	assert_int_equal(gg_db_prepare(db, "SELECT ?", &st, &err), GG_OK);
	assert_int_equal(gg_db_bind_blob(st, 1, "\0a\0", 3), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	{
		size_t len = 0;
		const void *p = gg_db_col_blob(st, 0, &len);
		assert_int_equal(len, 3);
		assert_memory_equal(p, "\0a\0", 3);
	}
	gg_db_done(st);
	gg_error_init(&err);
	assert_int_equal(gg_db_prepare(db, "SELECT 1; SELECT 2", &st, &err), GG_E_INTERNAL);
	assert_null(st);
	gg_error_init(&err);
	assert_int_equal(gg_db_prepare(db, "SELEC 1", &st, &err), GG_E_DB);
	assert_non_null(strstr(err.message, "syntax error"));
	gg_db_close(db);
}

static void test_transactions(void **state)
{
	char path[128];
	struct gg_error err;
	struct gg_db *a, *b;
	int64_t args[1] = {7};

	path_in(state, "txn.db", path, sizeof(path));
	a = open_db(path, 1, 1000);
	b = open_db(path, 0, 1000);
	gg_error_init(&err);
	exec_ok(a, "CREATE TABLE t (x INTEGER)");

	assert_int_equal(gg_db_begin(a, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_db_run_i64(a, "INSERT INTO t (x) VALUES (?)", args, 1, &err), GG_OK);
	assert_int_equal(gg_db_changes(a), 1);
	assert_int_equal(query(a, "SELECT count(*) FROM t"), 1);
	assert_int_equal(query(b, "SELECT count(*) FROM t"), 0);
	gg_db_rollback(a);
	assert_int_equal(query(a, "SELECT count(*) FROM t"), 0);
	gg_db_rollback(a); /* nothing open: no-op */

	assert_int_equal(gg_db_begin(a, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_db_run_i64(a, "INSERT INTO t (x) VALUES (?)", args, 1, &err), GG_OK);
	assert_int_equal(query(b, "SELECT count(*) FROM t"), 0);
	assert_int_equal(gg_db_commit(a, &err), GG_OK);
	assert_int_equal(query(b, "SELECT count(*) FROM t WHERE x = 7"), 1);

	/* A read transaction keeps its snapshot while the other connection commits. */
	assert_int_equal(gg_db_begin(b, GG_DB_READ, &err), GG_OK);
	assert_int_equal(query(b, "SELECT count(*) FROM t"), 1);
	assert_int_equal(gg_db_run_i64(a, "INSERT INTO t (x) VALUES (?)", args, 1, &err), GG_OK);
	assert_int_equal(query(b, "SELECT count(*) FROM t"), 1);
	assert_int_equal(gg_db_commit(b, &err), GG_OK);
	assert_int_equal(query(b, "SELECT count(*) FROM t"), 2);

	/* query_i64: no row is not found, and so is a NULL. */
	{
		int64_t v = 5;
		int found = 1;
		assert_int_equal(
		    gg_db_query_i64(a, "SELECT x FROM t WHERE x = ?", (int64_t[]){99}, 1, &v, &found, &err), GG_OK);
		assert_false(found);
		assert_int_equal(v, 0);
		found = 1;
		assert_int_equal(gg_db_query_i64(a, "SELECT MAX(x) FROM t WHERE x > 100", NULL, 0, &v, &found, &err),
		                 GG_OK);
		assert_false(found);
	}
	gg_db_close(b);
	gg_db_close(a);
}

static void test_duplicate(void **state)
{
	char path[128];
	struct gg_error err;
	struct gg_stmt *st = NULL;
	struct gg_db *db;
	int row = 0;

	path_in(state, "dup.db", path, sizeof(path));
	db = open_db(path, 1, 1000);
	exec_ok(db, "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER CHECK (n > 0))");
	gg_error_init(&err);
	assert_int_equal(gg_db_prepare(db, "INSERT INTO u (id, name, n) VALUES (?, ?, ?)", &st, &err), GG_OK);
	gg_db_bind_i64(st, 1, 1);
	gg_db_bind_text(st, 2, "ann");
	gg_db_bind_i64(st, 3, 1);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	gg_db_done(st);

	assert_int_equal(gg_db_prepare(db, "INSERT INTO u (id, name, n) VALUES (?, ?, ?)", &st, &err), GG_OK);
	gg_db_bind_i64(st, 1, 2);
	gg_db_bind_text(st, 2, "ann");
	gg_db_bind_i64(st, 3, 1);
	assert_int_equal(gg_db_step(st, &row, &err), GG_E_DUPLICATE);
	assert_non_null(strstr(err.message, "UNIQUE constraint failed: u.name"));
	gg_db_done(st);

	gg_error_init(&err);
	assert_int_equal(gg_db_prepare(db, "INSERT INTO u (id, name, n) VALUES (?, ?, ?)", &st, &err), GG_OK);
	gg_db_bind_i64(st, 1, 1);
	gg_db_bind_text(st, 2, "bob");
	gg_db_bind_i64(st, 3, 1);
	assert_int_equal(gg_db_step(st, &row, &err), GG_E_DUPLICATE);
	gg_db_done(st);

	gg_error_init(&err);
	assert_int_equal(gg_db_exec(db, "INSERT INTO u (id, name, n) VALUES (3, 'cy', 0)", &err), GG_E_CONFLICT);
	gg_error_init(&err);
	assert_int_equal(gg_db_exec(db, "INSERT INTO u (id, name, n) VALUES (3, NULL, 1)", &err), GG_E_CONFLICT);
	assert_int_equal(query(db, "SELECT count(*) FROM u"), 1);
	gg_db_close(db);
}

static void test_busy(void **state)
{
	char path[128];
	struct gg_error err;
	struct gg_db *a, *b;

	path_in(state, "busy.db", path, sizeof(path));
	a = open_db(path, 1, 1000);
	b = open_db(path, 0, 50);
	exec_ok(a, "CREATE TABLE t (x INTEGER)");
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(a, GG_DB_WRITE, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(b, GG_DB_WRITE, &err), GG_E_BUSY);
	assert_non_null(strstr(err.message, "locked"));
	/* Readers are not blocked by the writer. */
	assert_int_equal(gg_db_begin(b, GG_DB_READ, &err), GG_OK);
	assert_int_equal(query(b, "SELECT count(*) FROM t"), 0);
	gg_db_rollback(b);
	gg_db_rollback(a);
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(b, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_db_commit(b, &err), GG_OK);
	gg_db_close(b);
	gg_db_close(a);
}

static void test_migrate_twice(void **state)
{
	char path[128];
	struct gg_error err;
	struct gg_db *db;
	int applied = -1, version = -1;
	int last = gg_migrations[gg_migrations_count - 1].version;

	path_in(state, "mig.db", path, sizeof(path));
	db = open_db(path, 1, 1000);
	gg_error_init(&err);
	assert_int_equal(gg_migrate_version(db, &version, &err), GG_OK);
	assert_int_equal(version, 0);
	assert_int_equal(gg_migrate(db, &applied, &err), GG_OK);
	assert_int_equal(applied, gg_migrations_count);
	assert_true(applied >= 1);
	assert_int_equal(gg_migrate_version(db, &version, &err), GG_OK);
	assert_int_equal(version, last);
	assert_int_equal(query(db, "SELECT count(*) FROM schema_migrations"), gg_migrations_count);
	assert_int_equal(query(db, "SELECT count(*) FROM audit_log"), 0);

	assert_int_equal(gg_migrate(db, &applied, &err), GG_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(query(db, "SELECT count(*) FROM schema_migrations"), gg_migrations_count);
	gg_db_close(db);

	/* Again through a new connection, as a restarted server does. */
	db = open_db(path, 0, 1000);
	assert_int_equal(gg_migrate(db, &applied, &err), GG_OK);
	assert_int_equal(applied, 0);

	/* A database from a newer guanggu is refused. */
	exec_ok(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')");
	gg_error_init(&err);
	assert_int_equal(gg_migrate(db, &applied, &err), GG_E_CONFIG);
	{
		char want[128];
		snprintf(want, sizeof(want), "database is at migration 9999, this guanggu knows up to %d", last);
		assert_string_equal(err.message, want);
	}
	gg_db_close(db);
}

static void test_migrate_partial(void **state)
{
	char path[128];
	struct gg_error err;
	struct gg_db *db;
	int applied = -1;

	/* A database that recorded only the first migration gets the rest. */
	path_in(state, "partial.db", path, sizeof(path));
	db = open_db(path, 1, 1000);
	gg_error_init(&err);
	exec_ok(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	            "applied_at TEXT NOT NULL)");
	exec_ok(db, gg_migrations[0].sql);
	exec_ok(db, "INSERT INTO schema_migrations VALUES (1, 'audit', '2026-01-01T00:00:00Z')");
	assert_int_equal(gg_migrate(db, &applied, &err), GG_OK);
	assert_int_equal(applied, gg_migrations_count - 1);
	assert_int_equal(query(db, "SELECT count(*) FROM schema_migrations"), gg_migrations_count);
	gg_db_close(db);
}

static int64_t count_rows_of(const char *path, const char *sql)
{
	struct gg_db *db = open_db(path, 0, 1000);
	int64_t n = query(db, sql);

	gg_db_close(db);
	return n;
}

static void test_backup_while_writing(void **state)
{
	char path[128], dest[128], dest_wal[160];
	unsigned char header[100];
	struct gg_error err;
	struct gg_db *a, *b;
	int fd;

	path_in(state, "live.db", path, sizeof(path));
	path_in(state, "copy.db", dest, sizeof(dest));
	snprintf(dest_wal, sizeof(dest_wal), "%s-wal", dest);
	a = open_db(path, 1, 1000);
	b = open_db(path, 0, 1000);
	gg_error_init(&err);
	assert_int_equal(gg_migrate(a, NULL, &err), GG_OK);
	exec_ok(a, "CREATE TABLE t (x INTEGER, pad BLOB)");
	exec_ok(a, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
	           "INSERT INTO t (x) SELECT i FROM n");

	/* b holds the write lock with uncommitted rows; its tiny cache spills them into the WAL. */
	exec_ok(b, "PRAGMA cache_size = 4");
	assert_int_equal(gg_db_begin(b, GG_DB_WRITE, &err), GG_OK);
	exec_ok(b, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
	           "INSERT INTO t (x, pad) SELECT -i, randomblob(500) FROM n");
	exec_ok(b, "DELETE FROM t WHERE x <= 10 AND x > 0");

	assert_int_equal(gg_db_backup(a, dest, &err), GG_OK);
	assert_int_equal(gg_db_commit(b, &err), GG_OK);
	assert_int_equal(query(a, "SELECT count(*) FROM t"), 1490);

	/* The copy is one self-contained file in rollback-journal mode. */
	assert_false(exists(dest_wal));
	fd = open(dest, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, header, sizeof(header)), sizeof(header));
	close(fd);
	assert_memory_equal(header, "SQLite format 3", 16);
	assert_int_equal(header[18], 1);
	assert_int_equal(header[19], 1);
	{
		struct stat sb;
		assert_int_equal(stat(dest, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
	}

	/* It holds exactly the committed state from before b's commit. */
	assert_int_equal(count_rows_of(dest, "SELECT count(*) FROM t"), 1000);
	assert_int_equal(count_rows_of(dest, "SELECT sum(x) FROM t"), 500500);
	assert_int_equal(count_rows_of(dest, "SELECT count(*) FROM schema_migrations"), gg_migrations_count);

	/* An existing file is never overwritten; a backup inside one's own write transaction is refused. */
	gg_error_init(&err);
	assert_int_equal(gg_db_backup(a, dest, &err), GG_E_DUPLICATE);
	assert_non_null(strstr(err.message, "already exists"));
	path_in(state, "copy2.db", dest, sizeof(dest));
	assert_int_equal(gg_db_begin(a, GG_DB_WRITE, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_db_backup(a, dest, &err), GG_E_CONFLICT);
	assert_false(exists(dest));
	gg_db_rollback(a);
	gg_db_close(b);
	gg_db_close(a);
}

static void test_restore(void **state)
{
	char path[128], copy[128], side[160], junk[128], bare[128];
	struct gg_error err;
	struct gg_db *db;
	FILE *f;

	path_in(state, "main.db", path, sizeof(path));
	path_in(state, "saved.db", copy, sizeof(copy));
	path_in(state, "junk.db", junk, sizeof(junk));
	path_in(state, "bare.db", bare, sizeof(bare));
	db = open_db(path, 1, 1000);
	gg_error_init(&err);
	assert_int_equal(gg_migrate(db, NULL, &err), GG_OK);
	exec_ok(db, "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('before')");
	assert_int_equal(gg_db_backup(db, copy, &err), GG_OK);
	exec_ok(db, "UPDATE t SET x = 'after'; INSERT INTO t VALUES ('more')");
	gg_db_close(db);

	/* Stale side files of the target must not survive the restore. */
	snprintf(side, sizeof(side), "%s-wal", path);
	f = fopen(side, "w");
	assert_non_null(f);
	fputs("stale", f);
	fclose(f);
	snprintf(side, sizeof(side), "%s-shm", path);
	f = fopen(side, "w");
	assert_non_null(f);
	fputs("stale", f);
	fclose(f);

	assert_int_equal(gg_db_restore(copy, path, &err), GG_OK);
	assert_false(exists(side));
	snprintf(side, sizeof(side), "%s-wal", path);
	assert_false(exists(side));
	snprintf(side, sizeof(side), "%s.restore", path);
	assert_false(exists(side));
	assert_true(exists(copy));

	db = open_db(path, 0, 1000);
	assert_int_equal(query(db, "SELECT count(*) FROM t"), 1);
	assert_int_equal(query(db, "SELECT count(*) FROM t WHERE x = 'before'"), 1);
	assert_int_equal(query(db, "SELECT count(*) FROM schema_migrations"), gg_migrations_count);
	{
		struct gg_stmt *st = NULL;
		int row = 0;
		assert_int_equal(gg_db_prepare(db, "PRAGMA journal_mode", &st, &err), GG_OK);
		assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
		assert_string_equal(gg_db_col_text(st, 0), "wal");
		gg_db_done(st);
	}
	/* Writes go on as before. */
	exec_ok(db, "INSERT INTO t VALUES ('again')");
	gg_db_close(db);

	/* Into a target that does not exist yet. */
	path_in(state, "fresh.db", side, sizeof(side));
	assert_int_equal(gg_db_restore(copy, side, &err), GG_OK);
	assert_int_equal(count_rows_of(side, "SELECT count(*) FROM t"), 1);

	/* Refused: a missing file, a file that is no database, a database without migrations. */
	gg_error_init(&err);
	path_in(state, "missing.db", side, sizeof(side));
	assert_int_equal(gg_db_restore(side, path, &err), GG_E_NOT_FOUND);
	f = fopen(junk, "w");
	assert_non_null(f);
	for (int i = 0; i < 100; i++)
		fputs("definitely not sqlite ", f);
	fclose(f);
	gg_error_init(&err);
	assert_int_equal(gg_db_restore(junk, path, &err), GG_E_INVALID);
	assert_non_null(strstr(err.message, "junk.db"));
	db = open_db(bare, 1, 1000);
	exec_ok(db, "CREATE TABLE t (x TEXT)");
	gg_db_close(db);
	gg_error_init(&err);
	assert_int_equal(gg_db_restore(bare, path, &err), GG_E_INVALID);
	assert_non_null(strstr(err.message, "schema_migrations"));
	gg_error_init(&err);
	assert_int_equal(gg_db_restore(copy, "postgresql://db/gg", &err), GG_E_CONFIG);
	/* After the refusals the target is untouched. */
	assert_int_equal(count_rows_of(path, "SELECT count(*) FROM t"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_not_a_database, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wal_and_foreign_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cache_size, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_twice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_partial, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backup_while_writing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
