/*
 * db: the public storage functions. Each one reaches the backend through
 * the ops pointer that every connection and statement carries first
 * (struct gg_db_head), so domain code never knows which backend it talks
 * to. The backend is chosen here from the target: a postgresql:// URL for
 * PostgreSQL (not built into this version), anything else is a SQLite
 * file path. The one-shot helpers at the end are written over the public
 * functions only, so they serve every backend.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"

static const char *const pg_prefixes[] = {"postgresql://", "postgres://"};

static const struct gg_db_ops *db_ops(const struct gg_db *db)
{
	return ((const struct gg_db_head *)(const void *)db)->ops;
}

static const struct gg_db_ops *stmt_ops(const struct gg_stmt *st)
{
	return ((const struct gg_db_head *)(const void *)st)->ops;
}

static int is_pg_target(const char *target)
{
	for (size_t i = 0; i < sizeof(pg_prefixes) / sizeof(pg_prefixes[0]); i++)
		if (strncmp(target, pg_prefixes[i], strlen(pg_prefixes[i])) == 0)
			return 1;
	return 0;
}

/* The backend for target, or GG_E_CONFIG when it is not built in. */
static enum gg_err pick_backend(const char *target, const struct gg_db_ops **ops, struct gg_error *err)
{
	if (target == NULL || target[0] == '\0')
		return gg_error_set(err, GG_E_CONFIG, "database target is empty");
	if (is_pg_target(target))
		return gg_error_set(err, GG_E_CONFIG, "postgresql backend is not built in this version");
	*ops = &gg_db_sqlite_ops;
	return GG_OK;
}

enum gg_err gg_db_open(const char *target, const struct gg_db_options *opt, struct gg_db **out, struct gg_error *err)
{
	const struct gg_db_ops *ops = NULL;
	enum gg_err rc;

	*out = NULL;
	rc = pick_backend(target, &ops, err);
	if (rc != GG_OK)
		return rc;
	return ops->open(target, opt, out, err);
}

void gg_db_close(struct gg_db *db)
{
	if (db != NULL)
		db_ops(db)->close(db);
}

const char *gg_db_backend(const struct gg_db *db)
{
	return db_ops(db)->name;
}

enum gg_err gg_db_begin(struct gg_db *db, enum gg_db_txn mode, struct gg_error *err)
{
	return db_ops(db)->begin(db, mode, err);
}

enum gg_err gg_db_commit(struct gg_db *db, struct gg_error *err)
{
	return db_ops(db)->commit(db, err);
}

void gg_db_rollback(struct gg_db *db)
{
	db_ops(db)->rollback(db);
}

enum gg_err gg_db_exec(struct gg_db *db, const char *sql, struct gg_error *err)
{
	return db_ops(db)->exec(db, sql, err);
}

enum gg_err gg_db_prepare(struct gg_db *db, const char *sql, struct gg_stmt **out, struct gg_error *err)
{
	*out = NULL;
	return db_ops(db)->prepare(db, sql, out, err);
}

void gg_db_done(struct gg_stmt *st)
{
	if (st != NULL)
		stmt_ops(st)->done(st);
}

enum gg_err gg_db_bind_i64(struct gg_stmt *st, int idx, int64_t v)
{
	return stmt_ops(st)->bind_i64(st, idx, v);
}

enum gg_err gg_db_bind_text(struct gg_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return stmt_ops(st)->bind_null(st, idx);
	return stmt_ops(st)->bind_text(st, idx, s, strlen(s));
}

enum gg_err gg_db_bind_blob(struct gg_stmt *st, int idx, const void *p, size_t len)
{
	if (p == NULL)
		return stmt_ops(st)->bind_null(st, idx);
	return stmt_ops(st)->bind_blob(st, idx, p, len);
}

enum gg_err gg_db_bind_null(struct gg_stmt *st, int idx)
{
	return stmt_ops(st)->bind_null(st, idx);
}

enum gg_err gg_db_bind_id(struct gg_stmt *st, int idx, int64_t id)
{
	return id > 0 ? gg_db_bind_i64(st, idx, id) : gg_db_bind_null(st, idx);
}

enum gg_err gg_db_step(struct gg_stmt *st, int *row, struct gg_error *err)
{
	*row = 0;
	return stmt_ops(st)->step(st, row, err);
}

int gg_db_col_is_null(struct gg_stmt *st, int col)
{
	return stmt_ops(st)->col_is_null(st, col);
}

int64_t gg_db_col_i64(struct gg_stmt *st, int col)
{
	return stmt_ops(st)->col_i64(st, col);
}

const char *gg_db_col_text(struct gg_stmt *st, int col)
{
	return stmt_ops(st)->col_text(st, col);
}

void gg_db_col_copy(struct gg_stmt *st, int col, char *out, size_t outsz)
{
	const char *s = gg_db_col_text(st, col);
	size_t n;

	/* as snprintf("%s") would, without its cost: hot readers (the card verifier) copy many columns */
	if (outsz == 0)
		return;
	n = s ? strnlen(s, outsz - 1) : 0;
	memcpy(out, s ? s : "", n);
	out[n] = '\0';
}

enum gg_err gg_db_page(struct gg_stmt *st, gg_db_fill_fn fill, void *items, size_t size, size_t limit, size_t *n,
                       int *more, struct gg_error *err)
{
	int row = 0;
	enum gg_err rc;

	while ((rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (*n == limit) {
			*more = 1;
			break;
		}
		fill(st, (char *)items + (*n)++ * size);
	}
	return rc;
}

enum gg_err gg_db_row_by_id(struct gg_db *db, const char *sql, int64_t id, gg_db_fill_fn fill, void *out,
                            const char *what, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc = gg_db_prepare(db, sql, &st, err);

	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		fill(st, out);
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown %s %lld", what, (long long)id);
	return rc;
}

enum gg_err gg_db_get_by_id(struct gg_db *db, const char *sql, int64_t id, gg_db_fill_fn fill, void *out,
                            const char *what, struct gg_error *err)
{
	enum gg_err rc = gg_db_begin(db, GG_DB_READ, err);

	if (rc == GG_OK)
		rc = gg_db_row_by_id(db, sql, id, fill, out, what, err);
	gg_db_rollback(db);
	return rc;
}

const void *gg_db_col_blob(struct gg_stmt *st, int col, size_t *len)
{
	return stmt_ops(st)->col_blob(st, col, len);
}

int64_t gg_db_changes(struct gg_db *db)
{
	return db_ops(db)->changes(db);
}

enum gg_err gg_db_backup(struct gg_db *db, const char *dest_path, struct gg_error *err)
{
	if (dest_path == NULL || dest_path[0] == '\0')
		return gg_error_set(err, GG_E_INVALID, "backup file name is empty");
	return db_ops(db)->backup(db, dest_path, err);
}

enum gg_err gg_db_restore(const char *src, const char *target, struct gg_error *err)
{
	const struct gg_db_ops *ops = NULL;
	enum gg_err rc;

	if (src == NULL || src[0] == '\0')
		return gg_error_set(err, GG_E_INVALID, "restore file name is empty");
	rc = pick_backend(target, &ops, err);
	if (rc != GG_OK)
		return rc;
	if (ops != &gg_db_sqlite_ops)
		return gg_error_set(err, GG_E_CONFIG, "restore is not supported by the %s backend", ops->name);
	return gg_db_sqlite_restore(src, target, err);
}

/* Prepares sql and binds args[0..nargs) to its parameters 1..nargs. */
static enum gg_err prepare_i64(struct gg_db *db, const char *sql, const int64_t *args, int nargs, struct gg_stmt **out,
                               struct gg_error *err)
{
	enum gg_err rc = gg_db_prepare(db, sql, out, err);

	for (int i = 0; rc == GG_OK && i < nargs; i++) {
		rc = gg_db_bind_i64(*out, i + 1, args[i]);
		if (rc != GG_OK)
			rc = gg_error_set(err, rc, "cannot bind parameter %d of '%.80s'", i + 1, sql);
	}
	if (rc != GG_OK) {
		gg_db_done(*out);
		*out = NULL;
	}
	return rc;
}

enum gg_err gg_db_run_i64(struct gg_db *db, const char *sql, const int64_t *args, int nargs, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc = prepare_i64(db, sql, args, nargs, &st, err);

	if (rc != GG_OK)
		return rc;
	rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		rc = gg_error_set(err, GG_E_INTERNAL, "statement '%.80s' returned rows", sql);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_db_query_i64(struct gg_db *db, const char *sql, const int64_t *args, int nargs, int64_t *out, int *found,
                            struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*out = 0;
	if (found != NULL)
		*found = 0;
	rc = prepare_i64(db, sql, args, nargs, &st, err);
	if (rc != GG_OK)
		return rc;
	rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row && !gg_db_col_is_null(st, 0)) {
		*out = gg_db_col_i64(st, 0);
		if (found != NULL)
			*found = 1;
	}
	gg_db_done(st);
	return rc;
}
