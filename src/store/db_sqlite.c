/*
 * db_sqlite: the SQLite backend of db.h, and the only file that includes
 * <sqlite3.h>. A connection serves one thread (SQLITE_OPEN_NOMUTEX) in WAL
 * mode with foreign keys on and synchronous=NORMAL. Statements are cached
 * per connection in a small open-addressing table keyed by their SQL text
 * (FNV-1a hash, linear probing, at most CACHE_MAX entries, the least
 * recently used one finalized when full); a statement asked for while it
 * is still handed out is prepared afresh and finalized when given back.
 * Backups go through the online backup API into a new file that is then
 * switched to a rollback journal, so the copy is one self-contained file;
 * restore checks a copy and renames it over the target.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"

#include "../core/buf.h"

#define CACHE_MAX       128
#define CACHE_SLOTS     256 /* a power of two, twice CACHE_MAX, so probes stay short */
#define DEFAULT_BUSY_MS 5000
#define BACKUP_RETRY_MS 20

struct gg_stmt {
	struct gg_db_head head; /* first: db.c dispatches through it */
	struct gg_db *db;
	sqlite3_stmt *stmt;
	char *sql;
	uint64_t hash;
	uint64_t used; /* db->tick when last handed out */
	int busy;      /* handed out and not yet given back */
	int cached;    /* owned by the cache; otherwise finalized by done */
};

struct gg_db {
	struct gg_db_head head; /* first: db.c dispatches through it */
	sqlite3 *conn;
	int busy_ms;
	uint64_t tick;
	int ncached;
	struct gg_stmt *slots[CACHE_SLOTS];
};

/* SQLite result codes to ours: extended codes are matched first, then primary ones. */
static const struct {
	int code;
	enum gg_err err;
} code_map[] = {
    {SQLITE_CONSTRAINT_UNIQUE, GG_E_DUPLICATE},
    {SQLITE_CONSTRAINT_PRIMARYKEY, GG_E_DUPLICATE},
    {SQLITE_CONSTRAINT, GG_E_CONFLICT},
    {SQLITE_BUSY, GG_E_BUSY},
    {SQLITE_LOCKED, GG_E_BUSY},
    {SQLITE_NOMEM, GG_E_NOMEM},
    {SQLITE_TOOBIG, GG_E_TOO_LARGE},
    {SQLITE_RANGE, GG_E_INTERNAL},
    {SQLITE_MISUSE, GG_E_INTERNAL},
};

static enum gg_err map_code(int rc)
{
	size_t n = sizeof(code_map) / sizeof(code_map[0]);

	for (size_t i = 0; i < n; i++)
		if (code_map[i].code == rc)
			return code_map[i].err;
	for (size_t i = 0; i < n; i++)
		if (code_map[i].code == (rc & 0xff))
			return code_map[i].err;
	return GG_E_DB;
}

/* Maps rc and puts the connection's message (or msg when given) into err. */
static enum gg_err fail(sqlite3 *conn, int rc, const char *msg, struct gg_error *err)
{
	if (msg == NULL)
		msg = conn != NULL ? sqlite3_errmsg(conn) : sqlite3_errstr(rc);
	return gg_error_set(err, map_code(rc), "%s", msg);
}

static enum gg_err exec_conn(sqlite3 *conn, const char *sql, struct gg_error *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);
	enum gg_err e = GG_OK;

	if (rc != SQLITE_OK)
		e = fail(conn, rc, msg, err);
	sqlite3_free(msg);
	return e;
}

/* Runs a statement whose first row's first column is text and copies it into out. */
static enum gg_err query_text(sqlite3 *conn, const char *sql, char *out, size_t outsz, struct gg_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(conn, sql, -1, &st, NULL);
	enum gg_err e = GG_OK;

	out[0] = '\0';
	if (rc != SQLITE_OK) {
		e = fail(conn, rc, NULL, err);
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		if (t != NULL)
			gg_strlcpy(out, (const char *)t, outsz);
	} else if (rc != SQLITE_DONE) {
		e = fail(conn, rc, NULL, err);
	}
out:
	sqlite3_finalize(st);
	return e;
}

static uint64_t hash_sql(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static int file_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* base followed by suffix in fresh memory, or NULL. */
static char *path_with(const char *base, const char *suffix)
{
	size_t a = strlen(base), b = strlen(suffix);
	char *p = malloc(a + b + 1);

	if (p != NULL) {
		memcpy(p, base, a);
		memcpy(p + a, suffix, b + 1);
	}
	return p;
}

static enum gg_err unlink_if_present(const char *base, const char *suffix, struct gg_error *err)
{
	char *p = path_with(base, suffix);
	enum gg_err e = GG_OK;

	if (p == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if (unlink(p) != 0 && errno != ENOENT)
		e = gg_error_set(err, GG_E_IO, "cannot remove '%s': %s", p, strerror(errno));
	free(p);
	return e;
}

static void sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL;
	int fd;

	if (slash == NULL)
		dir = path_with(".", "");
	else if (slash == path)
		dir = path_with("/", "");
	else if ((dir = path_with(path, "")) != NULL)
		dir[slash - path] = '\0';
	if (dir == NULL)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Creates path, which must not exist, as an empty file only its owner may read. */
static enum gg_err create_new_file(const char *path, struct gg_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EEXIST)
		return gg_error_set(err, GG_E_DUPLICATE, "backup file '%s' already exists", path);
	if (fd < 0)
		return gg_error_set(err, GG_E_IO, "cannot create '%s': %s", path, strerror(errno));
	close(fd);
	return GG_OK;
}

static void finalize_stmt(struct gg_stmt *st)
{
	sqlite3_finalize(st->stmt);
	free(st->sql);
	free(st);
}

/* ---- the statement cache ---- */

static int cache_find(struct gg_db *db, const char *sql, uint64_t h)
{
	size_t i = (size_t)h & (CACHE_SLOTS - 1);

	while (db->slots[i] != NULL) {
		if (db->slots[i]->hash == h && strcmp(db->slots[i]->sql, sql) == 0)
			return (int)i;
		i = (i + 1) & (CACHE_SLOTS - 1);
	}
	return -1;
}

static void cache_insert(struct gg_db *db, struct gg_stmt *st)
{
	size_t i = (size_t)st->hash & (CACHE_SLOTS - 1);

	while (db->slots[i] != NULL)
		i = (i + 1) & (CACHE_SLOTS - 1);
	db->slots[i] = st;
	st->cached = 1;
	db->ncached++;
}

/* Empties slot i and shifts later entries of its probe run back, so no lookup stops early. */
static void cache_remove(struct gg_db *db, size_t i)
{
	size_t j = i;

	db->slots[i] = NULL;
	db->ncached--;
	for (;;) {
		size_t home;

		j = (j + 1) & (CACHE_SLOTS - 1);
		if (db->slots[j] == NULL)
			break;
		home = (size_t)db->slots[j]->hash & (CACHE_SLOTS - 1);
		/* Entry j may move to i when its home is not in the cyclic range (i, j]. */
		if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
			db->slots[i] = db->slots[j];
			db->slots[j] = NULL;
			i = j;
		}
	}
}

/* Finalizes the least recently used statement not handed out; 0 when every one is. */
static int cache_evict(struct gg_db *db)
{
	struct gg_stmt *old = NULL;
	size_t at = 0;

	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		struct gg_stmt *st = db->slots[i];
		if (st != NULL && !st->busy && (old == NULL || st->used < old->used)) {
			old = st;
			at = i;
		}
	}
	if (old == NULL)
		return 0;
	cache_remove(db, at);
	finalize_stmt(old);
	return 1;
}

/* ---- the ops ---- */

static enum gg_err sq_open(const char *target, const struct gg_db_options *opt, struct gg_db **out,
                           struct gg_error *err)
{
	struct gg_db *db = NULL;
	int create = opt != NULL && opt->create;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	char mode[32];
	enum gg_err e = GG_OK;
	int rc;

	*out = NULL;
	if (!create && !file_exists(target))
		return gg_error_set(err, GG_E_NOT_FOUND, "database '%s' does not exist", target);
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	db->head.ops = &gg_db_sqlite_ops;
	db->busy_ms = opt != NULL && opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : DEFAULT_BUSY_MS;
	rc = sqlite3_open_v2(target, &db->conn, flags, NULL);
	if (rc != SQLITE_OK) {
		e = gg_error_set(err, rc == SQLITE_CANTOPEN && !create ? GG_E_NOT_FOUND : map_code(rc),
		                 "cannot open database '%s': %s", target,
		                 db->conn != NULL ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sqlite3_busy_timeout(db->conn, db->busy_ms);
	e = query_text(db->conn, "PRAGMA journal_mode=WAL", mode, sizeof(mode), err);
	if (e != GG_OK) {
		gg_error_set(err, e, "cannot open database '%s': %s", target, sqlite3_errmsg(db->conn));
		goto out;
	}
	if (strcmp(mode, "wal") != 0) {
		e = gg_error_set(err, GG_E_DB, "cannot put database '%s' in wal mode (it stays in '%s')", target, mode);
		goto out;
	}
	e = exec_conn(db->conn, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", err);
	if (e != GG_OK)
		goto out;
	if (opt != NULL && opt->cache_mb > 0) {
		char pragma[64];
		/* a negative cache_size is in KiB */
		snprintf(pragma, sizeof(pragma), "PRAGMA cache_size=-%d", opt->cache_mb * 1024);
		e = exec_conn(db->conn, pragma, err);
		if (e != GG_OK)
			goto out;
	}
	*out = db;
	db = NULL;
out:
	if (db != NULL) {
		sqlite3_close_v2(db->conn);
		free(db);
	}
	return e;
}

static void sq_close(struct gg_db *db)
{
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (db->slots[i] != NULL)
			finalize_stmt(db->slots[i]);
	sqlite3_close_v2(db->conn);
	free(db);
}

static enum gg_err sq_begin(struct gg_db *db, enum gg_db_txn mode, struct gg_error *err)
{
	return exec_conn(db->conn, mode == GG_DB_WRITE ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

static enum gg_err sq_commit(struct gg_db *db, struct gg_error *err)
{
	return exec_conn(db->conn, "COMMIT", err);
}

static void sq_rollback(struct gg_db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		(void)sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

static enum gg_err sq_exec(struct gg_db *db, const char *sql, struct gg_error *err)
{
	return exec_conn(db->conn, sql, err);
}

/* Compiles sql into a new, not yet cached statement. */
static enum gg_err compile(struct gg_db *db, const char *sql, uint64_t h, struct gg_stmt **out, struct gg_error *err)
{
	struct gg_stmt *st = calloc(1, sizeof(*st));
	const char *tail = NULL;
	enum gg_err e = GG_OK;
	int rc;

	if (st == NULL || (st->sql = path_with(sql, "")) == NULL) {
		e = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	st->head.ops = &gg_db_sqlite_ops;
	st->db = db;
	st->hash = h;
	rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmt, &tail);
	if (rc != SQLITE_OK) {
		e = fail(db->conn, rc, NULL, err);
		goto out;
	}
	if (st->stmt == NULL) {
		e = gg_error_set(err, GG_E_INTERNAL, "no statement in '%.80s'", sql);
		goto out;
	}
	while (tail != NULL && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' || *tail == ';'))
		tail++;
	if (tail != NULL && *tail != '\0') {
		e = gg_error_set(err, GG_E_INTERNAL, "more than one statement in '%.80s'", sql);
		goto out;
	}
	*out = st;
	st = NULL;
out:
	if (st != NULL)
		finalize_stmt(st);
	return e;
}

static enum gg_err sq_prepare(struct gg_db *db, const char *sql, struct gg_stmt **out, struct gg_error *err)
{
	uint64_t h = hash_sql(sql);
	int slot = cache_find(db, sql, h);
	struct gg_stmt *st = NULL;
	enum gg_err e;

	*out = NULL;
	if (slot >= 0 && !db->slots[slot]->busy) {
		st = db->slots[slot];
	} else {
		e = compile(db, sql, h, &st, err);
		if (e != GG_OK)
			return e;
		/* A text already cached but handed out gets a private statement. */
		if (slot < 0 && (db->ncached < CACHE_MAX || cache_evict(db)))
			cache_insert(db, st);
	}
	st->busy = 1;
	st->used = ++db->tick;
	*out = st;
	return GG_OK;
}

static void sq_done(struct gg_stmt *st)
{
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
	st->busy = 0;
	if (!st->cached)
		finalize_stmt(st);
}

static enum gg_err bind_result(int rc)
{
	return rc == SQLITE_OK ? GG_OK : map_code(rc);
}

static enum gg_err sq_bind_i64(struct gg_stmt *st, int idx, int64_t v)
{
	return bind_result(sqlite3_bind_int64(st->stmt, idx, (sqlite3_int64)v));
}

static enum gg_err sq_bind_text(struct gg_stmt *st, int idx, const char *s, size_t len)
{
	return bind_result(sqlite3_bind_text64(st->stmt, idx, s, (sqlite3_uint64)len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static enum gg_err sq_bind_blob(struct gg_stmt *st, int idx, const void *p, size_t len)
{
	return bind_result(sqlite3_bind_blob64(st->stmt, idx, p, (sqlite3_uint64)len, SQLITE_TRANSIENT));
}

static enum gg_err sq_bind_null(struct gg_stmt *st, int idx)
{
	return bind_result(sqlite3_bind_null(st->stmt, idx));
}

static enum gg_err sq_step(struct gg_stmt *st, int *row, struct gg_error *err)
{
	int rc = sqlite3_step(st->stmt);

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return GG_OK;
	return fail(st->db->conn, rc, NULL, err);
}

static int sq_col_count(struct gg_stmt *st)
{
	return sqlite3_column_count(st->stmt);
}

static int sq_col_is_null(struct gg_stmt *st, int col)
{
	return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

static int64_t sq_col_i64(struct gg_stmt *st, int col)
{
	return (int64_t)sqlite3_column_int64(st->stmt, col);
}

static const char *sq_col_text(struct gg_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->stmt, col);
}

static const void *sq_col_blob(struct gg_stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st->stmt, col);

	if (len != NULL)
		*len = (size_t)sqlite3_column_bytes(st->stmt, col);
	return p;
}

static int64_t sq_changes(struct gg_db *db)
{
	return (int64_t)sqlite3_changes64(db->conn);
}

/*
 * Copies the main database of src into the empty file dest_path in one
 * read snapshot of src, then gives the copy a rollback journal so that it
 * is complete without any -wal file.
 */
static enum gg_err copy_into(sqlite3 *src, int busy_ms, const char *dest_path, struct gg_error *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b = NULL;
	int tries = busy_ms / BACKUP_RETRY_MS + 1;
	char mode[32];
	enum gg_err e = GG_OK;
	int rc;

	rc = sqlite3_open_v2(dest_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		e = gg_error_set(err, map_code(rc), "cannot open '%s': %s", dest_path,
		                 dst != NULL ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_extended_result_codes(dst, 1);
	sqlite3_busy_timeout(dst, busy_ms);
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (b == NULL) {
		e = gg_error_set(err, GG_E_DB, "cannot copy into '%s': %s", dest_path, sqlite3_errmsg(dst));
		goto out;
	}
	/* One step of all pages reads a single snapshot; a locked source is retried for the busy time. */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (--tries <= 0)
			break;
		sqlite3_sleep(BACKUP_RETRY_MS);
	}
	{
		int frc = sqlite3_backup_finish(b);
		if (rc == SQLITE_DONE)
			rc = frc;
	}
	if (rc != SQLITE_OK) {
		e = gg_error_set(err, map_code(rc), "cannot copy into '%s': %s", dest_path, sqlite3_errstr(rc));
		goto out;
	}
	e = query_text(dst, "PRAGMA journal_mode=DELETE", mode, sizeof(mode), err);
	if (e == GG_OK && strcmp(mode, "delete") != 0)
		e = gg_error_set(err, GG_E_DB, "cannot give '%s' a rollback journal (it stays in '%s')", dest_path,
		                 mode);
out:
	if (dst != NULL && sqlite3_close(dst) != SQLITE_OK && e == GG_OK)
		e = gg_error_set(err, GG_E_DB, "cannot close '%s': %s", dest_path, sqlite3_errmsg(dst));
	return e;
}

static enum gg_err sq_backup(struct gg_db *db, const char *dest_path, struct gg_error *err)
{
	enum gg_err e;

	if (sqlite3_txn_state(db->conn, "main") == SQLITE_TXN_WRITE)
		return gg_error_set(err, GG_E_CONFLICT, "cannot back up from inside a write transaction");
	e = create_new_file(dest_path, err);
	if (e != GG_OK)
		return e;
	e = copy_into(db->conn, db->busy_ms, dest_path, err);
	if (e != GG_OK) {
		unlink(dest_path);
		(void)unlink_if_present(dest_path, "-journal", NULL);
	}
	return e;
}

/* GG_OK when src is a sound database with a migration table. */
static enum gg_err check_restorable(sqlite3 *src, const char *path, struct gg_error *err)
{
	char res[GG_ERROR_MSG_MAX];
	enum gg_err e;

	e = query_text(src, "PRAGMA integrity_check", res, sizeof(res), err);
	if (e != GG_OK)
		return gg_error_set(err, GG_E_INVALID, "'%s' is not a usable database: %s", path, sqlite3_errmsg(src));
	if (strcmp(res, "ok") != 0)
		return gg_error_set(err, GG_E_INVALID, "'%s' fails its integrity check: %.160s", path, res);
	e = query_text(src, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", res,
	               sizeof(res), err);
	if (e != GG_OK)
		return gg_error_set(err, GG_E_INVALID, "'%s' is not a usable database: %s", path, sqlite3_errmsg(src));
	if (res[0] == '\0')
		return gg_error_set(err, GG_E_INVALID, "'%s' is not a guanggu database (no schema_migrations table)",
		                    path);
	return GG_OK;
}

enum gg_err gg_db_sqlite_restore(const char *src, const char *target, struct gg_error *err)
{
	sqlite3 *conn = NULL;
	char *tmp = NULL;
	int tmp_made = 0;
	enum gg_err e = GG_OK;
	int rc;

	if (!file_exists(src))
		return gg_error_set(err, GG_E_NOT_FOUND, "restore file '%s' does not exist", src);
	rc = sqlite3_open_v2(src, &conn, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		e = gg_error_set(err, GG_E_INVALID, "cannot open '%s': %s", src,
		                 conn != NULL ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(conn, DEFAULT_BUSY_MS);
	e = check_restorable(conn, src, err);
	if (e != GG_OK)
		goto out;
	tmp = path_with(target, ".restore");
	if (tmp == NULL) {
		e = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	/* A leftover of an interrupted restore is ours to replace. */
	if ((e = unlink_if_present(tmp, "", err)) != GG_OK || (e = unlink_if_present(tmp, "-journal", err)) != GG_OK)
		goto out;
	e = create_new_file(tmp, err);
	if (e != GG_OK)
		goto out;
	tmp_made = 1;
	e = copy_into(conn, DEFAULT_BUSY_MS, tmp, err);
	if (e != GG_OK)
		goto out;
	/* The old WAL, index and journal belong to the old file and must not be applied to the new one. */
	if ((e = unlink_if_present(target, "-wal", err)) != GG_OK ||
	    (e = unlink_if_present(target, "-shm", err)) != GG_OK ||
	    (e = unlink_if_present(target, "-journal", err)) != GG_OK)
		goto out;
	if (rename(tmp, target) != 0) {
		e = gg_error_set(err, GG_E_IO, "cannot replace '%s': %s", target, strerror(errno));
		goto out;
	}
	tmp_made = 0;
	sync_parent_dir(target);
out:
	if (tmp_made)
		unlink(tmp);
	free(tmp);
	sqlite3_close(conn);
	return e;
}

const struct gg_db_ops gg_db_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .done = sq_done,
    .bind_i64 = sq_bind_i64,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_count = sq_col_count,
    .col_is_null = sq_col_is_null,
    .col_i64 = sq_col_i64,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .changes = sq_changes,
    .backup = sq_backup,
};
