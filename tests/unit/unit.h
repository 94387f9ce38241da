/*
 * unit: small helpers shared by the cmocka unit tests: the includes cmocka
 * needs, a private temporary directory per test, writing and reading small
 * files, a fresh migrated database, and removing the directory again.
 */
#ifndef GG_UNIT_H
#define GG_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/migrate.h"

/* Creates a fresh directory under $TMPDIR (or /tmp) into out. */
static inline void unit_tmpdir(char *out, size_t outsz)
{
	const char *base = getenv("TMPDIR");

	snprintf(out, outsz, "%s/gg-unit-XXXXXX", base && *base ? base : "/tmp");
	assert_non_null(mkdtemp(out));
}

static inline void unit_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Reads up to outsz-1 bytes of path into out; returns the byte count. */
static inline size_t unit_read_file(const char *path, char *out, size_t outsz)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, outsz - 1, f);
	out[n] = '\0';
	fclose(f);
	return n;
}

/* Runs sql (one or more statements); fails the test with the error otherwise. */
static inline void unit_db_exec(struct gg_db *db, const char *sql)
{
	struct gg_error err;

	gg_error_init(&err);
	if (gg_db_exec(db, sql, &err) != GG_OK)
		fail_msg("%s: %s", sql, gg_error_message(&err));
}

/* The first column of the first row of sql as an integer, -1 when there is no row; fails the test on an error. */
static inline int64_t unit_db_i64(struct gg_db *db, const char *sql)
{
	struct gg_error err;
	int64_t v = 0;
	int found = 0;

	gg_error_init(&err);
	if (gg_db_query_i64(db, sql, NULL, 0, &v, &found, &err) != GG_OK)
		fail_msg("%s: %s", sql, gg_error_message(&err));
	return found ? v : -1;
}

/* The first column of the first row of sql as text into out ("" for NULL or no row). */
static inline void unit_db_text(struct gg_db *db, const char *sql, char *out, size_t outsz)
{
	struct gg_stmt *st = NULL;
	struct gg_error err;
	int row = 0;

	gg_error_init(&err);
	out[0] = '\0';
	if (gg_db_prepare(db, sql, &st, &err) != GG_OK || gg_db_step(st, &row, &err) != GG_OK)
		fail_msg("%s: %s", sql, gg_error_message(&err));
	if (row && gg_db_col_text(st, 0))
		snprintf(out, outsz, "%s", gg_db_col_text(st, 0));
	gg_db_done(st);
}

/* Creates and migrates the database at path into *db: 0, or -1 (said on stderr) for a fixture's setup. */
static inline int unit_db_create(const char *path, struct gg_db **db)
{
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = 1};
	struct gg_error err;

	gg_error_init(&err);
	if (gg_db_open(path, &opt, db, &err) != GG_OK || gg_migrate(*db, NULL, &err) != GG_OK) {
		print_error("database: %s\n", gg_error_message(&err));
		return -1;
	}
	return 0;
}

static inline int unit_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes dir and everything below it. */
static inline void unit_rmtree(const char *dir)
{
	nftw(dir, unit_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
