/*
 * migrate: numbered schema migrations embedded in the binary (from
 * src/store/migrations/NNNN_name.sql, turned into C by the build). Each
 * one is applied in its own write transaction together with its row in
 * schema_migrations; running migrate again applies nothing.
 */
#ifndef GG_MIGRATE_H
#define GG_MIGRATE_H

#include "db.h"

struct gg_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct gg_migration gg_migrations[];
extern const int gg_migrations_count;

/** Applies every migration not yet recorded; *applied (may be NULL) counts them. */
enum gg_err gg_migrate(struct gg_db *db, int *applied, struct gg_error *err);
/** The highest version recorded (0 for a new database). */
enum gg_err gg_migrate_version(struct gg_db *db, int *version, struct gg_error *err);

#endif
