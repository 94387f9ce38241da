/*
 * migrate: applies the embedded migrations (gg_migrations[], generated
 * from src/store/migrations by tools/embed-sql.sh) that a database has not
 * recorded in schema_migrations yet, in version order, each in its own
 * write transaction together with its row. Whether a migration is recorded
 * is checked again under the write lock, so two processes migrating at
 * once apply each migration once. A database that records a version
 * newer than this binary knows is refused rather than run against an
 * older schema's code.
 */
#include "migrate.h"

#include "../core/buf.h"
#include "../core/clock.h"

static const char create_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 "version INTEGER PRIMARY KEY, "
                                 "name TEXT NOT NULL, "
                                 "applied_at TEXT NOT NULL)";

static enum gg_err ensure_table(struct gg_db *db, struct gg_error *err)
{
	return gg_db_exec(db, create_sql, err);
}

static enum gg_err recorded_max(struct gg_db *db, int64_t *max, struct gg_error *err)
{
	int found = 0;

	return gg_db_query_i64(db, "SELECT MAX(version) FROM schema_migrations", NULL, 0, max, &found, err);
}

/* Applies m unless it is recorded; *done is 1 when it was applied now. */
static enum gg_err apply_one(struct gg_db *db, const struct gg_migration *m, int *done, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char now[32];
	int64_t version = m->version, seen = 0;
	int found = 0, row = 0;
	enum gg_err rc;

	*done = 0;
	rc = gg_db_begin(db, GG_DB_WRITE, err);
	if (rc != GG_OK)
		return rc;
	rc = gg_db_query_i64(db, "SELECT version FROM schema_migrations WHERE version = ?", &version, 1, &seen, &found,
	                     err);
	if (rc != GG_OK || found)
		goto out;
	rc = gg_db_exec(db, m->sql, err);
	if (rc != GG_OK)
		goto out;
	rc = gg_db_prepare(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", &st, err);
	if (rc != GG_OK)
		goto out;
	gg_clock_iso(gg_clock_now(), now, sizeof(now));
	if ((rc = gg_db_bind_i64(st, 1, version)) != GG_OK || (rc = gg_db_bind_text(st, 2, m->name)) != GG_OK ||
	    (rc = gg_db_bind_text(st, 3, now)) != GG_OK) {
		gg_error_set(err, rc, "cannot bind the row of migration %d", m->version);
		goto out;
	}
	rc = gg_db_step(st, &row, err);
	if (rc != GG_OK)
		goto out;
	gg_db_done(st);
	st = NULL;
	rc = gg_db_commit(db, err);
	if (rc == GG_OK)
		*done = 1;
out:
	gg_db_done(st);
	if (rc != GG_OK || !*done)
		gg_db_rollback(db);
	if (rc != GG_OK && err != NULL) {
		char why[GG_ERROR_MSG_MAX];
		gg_strlcpy(why, gg_error_message(err), sizeof(why));
		gg_error_set(err, rc, "migration %04d_%s failed: %s", m->version, m->name, why);
	}
	return rc;
}

enum gg_err gg_migrate(struct gg_db *db, int *applied, struct gg_error *err)
{
	int64_t have = 0;
	int known = 0, count = 0;
	enum gg_err rc;

	if (applied != NULL)
		*applied = 0;
	for (int i = 0; i < gg_migrations_count; i++) {
		if (gg_migrations[i].version <= known)
			return gg_error_set(err, GG_E_INTERNAL, "migration %d is out of order",
			                    gg_migrations[i].version);
		known = gg_migrations[i].version;
	}
	rc = ensure_table(db, err);
	if (rc != GG_OK)
		return rc;
	rc = recorded_max(db, &have, err);
	if (rc != GG_OK)
		return rc;
	if (have > known)
		return gg_error_set(err, GG_E_CONFIG, "database is at migration %lld, this guanggu knows up to %d",
		                    (long long)have, known);
	for (int i = 0; i < gg_migrations_count; i++) {
		int done = 0;
		rc = apply_one(db, &gg_migrations[i], &done, err);
		if (rc != GG_OK)
			return rc;
		count += done;
		if (applied != NULL)
			*applied = count;
	}
	return GG_OK;
}

enum gg_err gg_migrate_version(struct gg_db *db, int *version, struct gg_error *err)
{
	int64_t have = 0;
	enum gg_err rc;

	*version = 0;
	rc = ensure_table(db, err);
	if (rc == GG_OK)
		rc = recorded_max(db, &have, err);
	if (rc == GG_OK)
		*version = (int)have;
	return rc;
}
