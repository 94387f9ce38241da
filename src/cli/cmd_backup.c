/*
 * cmd_backup: `guanggu backup FILE` writes a consistent copy of the
 * database (the backend's online backup, so the server may keep running)
 * to a new FILE, readable by its owner only; `guanggu restore FILE` checks
 * a backup and puts it in place of DIR/guanggu.db while holding the serve
 * lock, so never under a running server, and keeps the database it
 * replaces next to it. Neither touches the secret keys in DIR/keys: they
 * are not in a backup and must be kept apart from it (docs/operations.md).
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../store/migrate.h"
#include "cli.h"

#define PATH_MAX_LEN (GG_CONFIG_STR_MAX + 64)

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int cmd_backup(struct gg_cli *cli, int argc, char **argv)
{
	char keys[PATH_MAX_LEN];
	struct gg_error err;
	const char *file;
	mode_t mask;
	enum gg_err rc;

	if (argc != 2 || argv[1][0] == '\0')
		return gg_cli_usage(gg_cli_find("backup"));
	file = argv[1];
	gg_error_init(&err);
	if (gg_cli_path(cli, "keys", keys, sizeof(keys), &err) != GG_OK)
		return gg_cli_fail(&err);
	if (exists(file)) {
		gg_error_set(&err, GG_E_DUPLICATE, "'%s' already exists", file);
		return gg_cli_fail(&err);
	}
	/* The backup is taken as it is: an upgrade's backup must precede its migrations. */
	if (gg_cli_open_db(cli, 0, &err) != GG_OK)
		return gg_cli_fail(&err);
	/* Password hashes and encrypted personal data: the copy is for its owner only. */
	mask = umask(077);
	rc = gg_db_backup(cli->db, file, &err);
	umask(mask);
	if (rc != GG_OK) {
		unlink(file); /* it did not exist before: whatever is there is a partial copy */
		return gg_cli_fail(&err);
	}
	printf("backup: %s\n", file);
	printf("note: the secret keys in %s/ are not in the backup; without them its personal data cannot be read:\n"
	       "keep copies of them apart from the backups (docs/operations.md)\n",
	       keys);
	return GG_EXIT_OK;
}

struct restore_paths {
	char wal[PATH_MAX_LEN], shm[PATH_MAX_LEN];
	char saved[PATH_MAX_LEN], saved_wal[PATH_MAX_LEN];
	char data_key[PATH_MAX_LEN], index_key[PATH_MAX_LEN];
};

static enum gg_err restore_paths(struct gg_cli *cli, struct restore_paths *p, struct gg_error *err)
{
	char stamp[32], name[64];
	time_t now = time(NULL);
	struct tm tm;
	enum gg_err rc;
	int n;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	/* A name no earlier restore used, even within the same second. */
	for (n = 1;; n++) {
		if (n == 1)
			snprintf(name, sizeof(name), "guanggu.db.before-restore-%s", stamp);
		else
			snprintf(name, sizeof(name), "guanggu.db.before-restore-%s.%d", stamp, n);
		if ((rc = gg_cli_path(cli, name, p->saved, sizeof(p->saved), err)) != GG_OK)
			return rc;
		if (!exists(p->saved) || n == 100)
			break;
	}
	if ((rc = gg_cli_path(cli, "guanggu.db-wal", p->wal, sizeof(p->wal), err)) != GG_OK ||
	    (rc = gg_cli_path(cli, "guanggu.db-shm", p->shm, sizeof(p->shm), err)) != GG_OK ||
	    (rc = gg_cli_path(cli, "keys/data.key", p->data_key, sizeof(p->data_key), err)) != GG_OK ||
	    (rc = gg_cli_path(cli, "keys/index.key", p->index_key, sizeof(p->index_key), err)) != GG_OK)
		return rc;
	if (gg_snprintf(p->saved_wal, sizeof(p->saved_wal), "%s-wal", p->saved) != GG_OK)
		return gg_error_set(err, GG_E_TOO_LARGE, "path too long: '%s-wal'", p->saved);
	return GG_OK;
}

/*
 * Moves the current database (with its write-ahead log, which may hold
 * committed pages) aside under the saved name; *moved says whether there was
 * one. The shared-memory index is rebuilt by SQLite and is simply removed.
 */
static enum gg_err set_aside(struct gg_cli *cli, const struct restore_paths *p, int *moved, struct gg_error *err)
{
	*moved = 0;
	if (!exists(cli->db_path))
		return GG_OK;
	if (exists(p->saved))
		return gg_error_set(err, GG_E_DUPLICATE, "'%s' already exists", p->saved);
	if (rename(cli->db_path, p->saved) != 0)
		return gg_error_set(err, GG_E_IO, "cannot move '%s' aside: %s", cli->db_path, strerror(errno));
	*moved = 1;
	if (exists(p->wal) && rename(p->wal, p->saved_wal) != 0) {
		int e = errno;

		rename(p->saved, cli->db_path);
		*moved = 0;
		return gg_error_set(err, GG_E_IO, "cannot move '%s' aside: %s", p->wal, strerror(e));
	}
	unlink(p->shm);
	return GG_OK;
}

/* After a failed restore: whatever is at the database's place came from it; the set-aside one returns. */
static void put_back(struct gg_cli *cli, const struct restore_paths *p, int moved)
{
	unlink(p->shm);
	unlink(p->wal);
	unlink(cli->db_path);
	if (!moved)
		return;
	if (exists(p->saved_wal))
		rename(p->saved_wal, p->wal);
	rename(p->saved, cli->db_path);
}

int cmd_restore(struct gg_cli *cli, int argc, char **argv)
{
	struct restore_paths p;
	struct gg_error err;
	struct stat st;
	const char *file;
	int lock = -1, moved = 0, version = 0, status = GG_EXIT_FAIL;
	int latest = gg_migrations_count > 0 ? gg_migrations[gg_migrations_count - 1].version : 0;

	if (argc != 2 || argv[1][0] == '\0')
		return gg_cli_usage(gg_cli_find("restore"));
	file = argv[1];
	gg_error_init(&err);
	if (restore_paths(cli, &p, &err) != GG_OK)
		goto fail;
	if (stat(file, &st) != 0) {
		gg_error_set(&err, GG_E_NOT_FOUND, "cannot read '%s': %s", file, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		gg_error_set(&err, GG_E_INVALID, "'%s' is not a file", file);
		goto fail;
	}
	if (gg_cli_lock(cli, &lock, &err) != GG_OK)
		goto fail;
	gg_cli_release(cli);
	if (set_aside(cli, &p, &moved, &err) != GG_OK)
		goto fail;
	if (gg_db_restore(file, cli->db_path, &err) != GG_OK) {
		put_back(cli, &p, moved);
		goto fail;
	}
	if (gg_cli_open_db(cli, 0, &err) != GG_OK || gg_migrate_version(cli->db, &version, &err) != GG_OK)
		goto fail;
	gg_cli_release(cli);

	printf("restore: %s now holds the backup '%s' (schema version %d)\n", cli->db_path, file, version);
	if (version < latest)
		printf("restore: its schema is older than this guanggu's (%d): serve or migrate brings it up to date\n",
		       latest);
	else if (version > latest)
		printf("note: the backup comes from a newer guanggu (schema %d, this one knows %d): serve it with that "
		       "version\n",
		       version, latest);
	if (moved)
		printf("restore: the database it replaced is kept as %s\n", p.saved);
	if (!exists(p.data_key) || !exists(p.index_key))
		printf("note: %s or %s is missing: put back the keys of this backup before serving, or its personal "
		       "data cannot be read\n",
		       p.data_key, p.index_key);
	status = GG_EXIT_OK;
	goto out;

fail:
	status = gg_cli_fail(&err);
out:
	gg_cli_release(cli);
	gg_cli_unlock(lock);
	return status;
}
