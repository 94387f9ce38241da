/*
 * db: the storage interface. Domain code talks to a struct gg_db through
 * these functions only, in portable SQL with '?' placeholders (a
 * PostgreSQL backend rewrites them to $n). The backend is a vtable
 * (struct gg_db_ops); db_sqlite.c is the first, selected for a file path,
 * db_pg.c follows for "postgresql://" URLs.
 *
 * One connection serves one thread at a time. Statements are prepared
 * once and cached per connection by their SQL text; gg_db_prepare hands
 * back a reset statement, gg_db_done resets it for the next user.
 * Transactions: gg_db_begin(db, GG_DB_WRITE) takes the write lock at once
 * (SQLite: BEGIN IMMEDIATE), so a transaction never fails mid-way on a
 * read-to-write upgrade.
 */
#ifndef GG_DB_H
#define GG_DB_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

struct gg_db;
struct gg_stmt;

enum gg_db_txn { GG_DB_READ, GG_DB_WRITE };

struct gg_db_options {
	int busy_timeout_ms; /* wait for locks this long */
	int create;          /* create the database when absent */
	int cache_mb;        /* page cache of this connection in MiB; 0: the backend's default */
};

struct gg_db_ops {
	const char *name;
	enum gg_err (*open)(const char *target, const struct gg_db_options *opt, struct gg_db **out,
	                    struct gg_error *err);
	void (*close)(struct gg_db *db);
	enum gg_err (*begin)(struct gg_db *db, enum gg_db_txn mode, struct gg_error *err);
	enum gg_err (*commit)(struct gg_db *db, struct gg_error *err);
	void (*rollback)(struct gg_db *db);
	enum gg_err (*exec)(struct gg_db *db, const char *sql, struct gg_error *err);
	enum gg_err (*prepare)(struct gg_db *db, const char *sql, struct gg_stmt **out, struct gg_error *err);
	void (*done)(struct gg_stmt *st);
	enum gg_err (*bind_i64)(struct gg_stmt *st, int idx, int64_t v);
	enum gg_err (*bind_text)(struct gg_stmt *st, int idx, const char *s, size_t len);
	enum gg_err (*bind_blob)(struct gg_stmt *st, int idx, const void *p, size_t len);
	enum gg_err (*bind_null)(struct gg_stmt *st, int idx);
	enum gg_err (*step)(struct gg_stmt *st, int *row, struct gg_error *err);
	int (*col_count)(struct gg_stmt *st);
	int (*col_is_null)(struct gg_stmt *st, int col);
	int64_t (*col_i64)(struct gg_stmt *st, int col);
	const char *(*col_text)(struct gg_stmt *st, int col);
	const void *(*col_blob)(struct gg_stmt *st, int col, size_t *len);
	int64_t (*changes)(struct gg_db *db);
	enum gg_err (*backup)(struct gg_db *db, const char *dest_path, struct gg_error *err);
};

/*
 * Every backend's struct gg_db and struct gg_stmt begin with this member,
 * so that db.c reaches the ops of any connection or statement.
 */
struct gg_db_head {
	const struct gg_db_ops *ops;
};

/* The SQLite backend (db_sqlite.c). */
extern const struct gg_db_ops gg_db_sqlite_ops;
/** gg_db_restore for a SQLite file: checks src, then replaces target atomically. */
enum gg_err gg_db_sqlite_restore(const char *src, const char *target, struct gg_error *err);

/**
 * Opens target: a file path (SQLite, WAL, foreign keys on, busy timeout)
 * or, once db_pg.c exists, a postgresql:// URL. *out is freed with gg_db_close.
 * GG_E_NOT_FOUND when the database is absent and opt->create is 0.
 */
enum gg_err gg_db_open(const char *target, const struct gg_db_options *opt, struct gg_db **out, struct gg_error *err);
void gg_db_close(struct gg_db *db); /* NULL is a no-op */
/** The backend's name: "sqlite". */
const char *gg_db_backend(const struct gg_db *db);

enum gg_err gg_db_begin(struct gg_db *db, enum gg_db_txn mode, struct gg_error *err);
enum gg_err gg_db_commit(struct gg_db *db, struct gg_error *err);
void gg_db_rollback(struct gg_db *db); /* no-op when no transaction is open */
/** Runs SQL text with no parameters and no rows (several statements allowed). */
enum gg_err gg_db_exec(struct gg_db *db, const char *sql, struct gg_error *err);

/** A cached, reset statement for sql; give it back with gg_db_done. */
enum gg_err gg_db_prepare(struct gg_db *db, const char *sql, struct gg_stmt **out, struct gg_error *err);
void gg_db_done(struct gg_stmt *st); /* resets bindings; NULL is a no-op */

/* Binding: idx from 1. s NULL binds NULL. */
enum gg_err gg_db_bind_i64(struct gg_stmt *st, int idx, int64_t v);
enum gg_err gg_db_bind_text(struct gg_stmt *st, int idx, const char *s);
enum gg_err gg_db_bind_blob(struct gg_stmt *st, int idx, const void *p, size_t len);
enum gg_err gg_db_bind_null(struct gg_stmt *st, int idx);
/** Binds a row id, or NULL when id <= 0 (no row: the system as actor, no organisation). */
enum gg_err gg_db_bind_id(struct gg_stmt *st, int idx, int64_t id);

/**
 * Steps: *row is 1 when a row is ready, 0 when done. Constraint failures
 * map to GG_E_DUPLICATE (unique) or GG_E_CONFLICT (foreign key, check),
 * lock time-outs to GG_E_BUSY, the rest to GG_E_DB; err says which.
 */
enum gg_err gg_db_step(struct gg_stmt *st, int *row, struct gg_error *err);

/* Columns: col from 0; text and blob pointers live until the next step or done. */
int gg_db_col_is_null(struct gg_stmt *st, int col);
int64_t gg_db_col_i64(struct gg_stmt *st, int col);
const char *gg_db_col_text(struct gg_stmt *st, int col); /* NULL for NULL */
const void *gg_db_col_blob(struct gg_stmt *st, int col, size_t *len);
/** Copies the text of col into out[0..outsz) (truncated; "" for NULL). */
void gg_db_col_copy(struct gg_stmt *st, int col, char *out, size_t outsz);

/* Fills a record from the current row of st (its columns in the order its SELECT names them). */
typedef void (*gg_db_fill_fn)(struct gg_stmt *st, void *out);
/**
 * Reads the one row of sql, whose one parameter is bound to id, inside the
 * caller's transaction, and hands it to fill(st, out). GG_E_NOT_FOUND
 * "unknown WHAT ID" when there is none.
 */
/**
 * Steps st, whose last parameter asked for limit + 1 rows, filling
 * items[*n..limit) (records of size bytes each) with fill; *more 1 when a
 * row beyond limit exists (a list's next page).
 */
enum gg_err gg_db_page(struct gg_stmt *st, gg_db_fill_fn fill, void *items, size_t size, size_t limit, size_t *n,
                       int *more, struct gg_error *err);
enum gg_err gg_db_row_by_id(struct gg_db *db, const char *sql, int64_t id, gg_db_fill_fn fill, void *out,
                            const char *what, struct gg_error *err);
/** The same in a read transaction of its own. */
enum gg_err gg_db_get_by_id(struct gg_db *db, const char *sql, int64_t id, gg_db_fill_fn fill, void *out,
                            const char *what, struct gg_error *err);

/** Rows changed by the last statement. */
int64_t gg_db_changes(struct gg_db *db);

/** Consistent online copy into dest_path (must not exist), while others write. */
enum gg_err gg_db_backup(struct gg_db *db, const char *dest_path, struct gg_error *err);

/**
 * Checks that src is a database of this backend with a migration table,
 * then replaces the database at target with it (target's -wal/-shm are
 * removed). No server may be running on target.
 */
enum gg_err gg_db_restore(const char *src, const char *target, struct gg_error *err);

/* One-shot helpers over prepare/bind/step/done. */
/** Runs sql with the given int64 parameters (nargs of them), expects no rows. */
enum gg_err gg_db_run_i64(struct gg_db *db, const char *sql, const int64_t *args, int nargs, struct gg_error *err);
/** Runs a query whose first row's first column is an integer; *found 0 when no row (or a NULL value). */
enum gg_err gg_db_query_i64(struct gg_db *db, const char *sql, const int64_t *args, int nargs, int64_t *out, int *found,
                            struct gg_error *err);

#endif
