/*
 * cmd_init: `guanggu init --dir DIR` creates an installation: DIR (0700)
 * when absent, the secret keys DIR/keys/data.key and index.key (0600), the
 * database DIR/guanggu.db with every migration applied, and the account
 * `admin` (bureau_admin) with a generated password that must be changed at
 * first login, printed once on stdout. It refuses an initialised DIR and
 * never overwrites a key. Nothing is left half-made: when a step fails,
 * everything this run created is removed again, in reverse order.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/crypto.h"
#include "../domain/user.h"
#include "../store/migrate.h"
#include "cli.h"

#define KEY_BYTES    32
#define PATH_MAX_LEN (GG_CONFIG_STR_MAX + 32)

struct init_paths {
	char keys[PATH_MAX_LEN];
	char data_key[PATH_MAX_LEN];
	char index_key[PATH_MAX_LEN];
	char wal[PATH_MAX_LEN];
	char shm[PATH_MAX_LEN];
};

/* What this run created, so that a failure removes exactly that. */
struct init_made {
	int dir, keys, data_key, index_key, db;
};

static enum gg_err make_dir(const char *path, int *made, struct gg_error *err)
{
	struct stat st;

	if (mkdir(path, 0700) == 0) {
		*made = 1;
		return GG_OK;
	}
	if (errno != EEXIST)
		return gg_error_set(err, GG_E_IO, "cannot create directory '%s': %s", path, strerror(errno));
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return gg_error_set(err, GG_E_IO, "'%s' exists and is not a directory", path);
	return GG_OK;
}

static enum gg_err make_paths(struct gg_cli *cli, struct init_paths *p, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_cli_path(cli, "keys", p->keys, sizeof(p->keys), err)) != GG_OK ||
	    (rc = gg_cli_path(cli, "keys/data.key", p->data_key, sizeof(p->data_key), err)) != GG_OK ||
	    (rc = gg_cli_path(cli, "keys/index.key", p->index_key, sizeof(p->index_key), err)) != GG_OK ||
	    (rc = gg_cli_path(cli, "guanggu.db-wal", p->wal, sizeof(p->wal), err)) != GG_OK ||
	    (rc = gg_cli_path(cli, "guanggu.db-shm", p->shm, sizeof(p->shm), err)) != GG_OK)
		return rc;
	return GG_OK;
}

static void undo(struct gg_cli *cli, const struct init_paths *p, const struct init_made *m)
{
	gg_cli_release(cli);
	if (m->db) {
		unlink(p->shm);
		unlink(p->wal);
		unlink(cli->db_path);
	}
	if (m->index_key)
		unlink(p->index_key);
	if (m->data_key)
		unlink(p->data_key);
	if (m->keys)
		rmdir(p->keys);
	if (m->dir)
		rmdir(gg_config_str(&cli->cfg, GG_CFG_dir));
}

static enum gg_err create_admin(struct gg_cli *cli, char *password, size_t passwordsz, struct gg_error *err)
{
	const struct gg_actor actor = {0, "cli", NULL};
	const struct gg_role_grant admin_role = {GG_ROLE_bureau_admin, GG_SCOPE_NONE, 0};
	struct gg_user_new u;
	int64_t id = 0;

	memset(&u, 0, sizeof(u));
	u.username = "admin";
	u.display_name = NULL;
	u.password = NULL; /* generated, and so must be changed at first login */
	u.must_change = 1;
	u.roles = &admin_role;
	u.nroles = 1;
	return gg_user_create(cli->db, &actor, &u, (int)gg_config_int(&cli->cfg, GG_CFG_password_min_length), &id,
	                      password, passwordsz, err);
}

int cmd_init(struct gg_cli *cli, int argc, char **argv)
{
	const char *dir = gg_config_str(&cli->cfg, GG_CFG_dir);
	struct gg_db_options opt = {(int)gg_config_int(&cli->cfg, GG_CFG_busy_timeout_ms), 1,
	                            (int)gg_config_int(&cli->cfg, GG_CFG_db_cache_mb)};
	struct init_paths p;
	struct init_made made;
	struct gg_error err;
	struct stat st;
	char password[64];
	enum gg_err rc;
	mode_t mask;
	int status = GG_EXIT_FAIL;

	if (argc != 1)
		return gg_cli_usage(gg_cli_find("init"));
	memset(&made, 0, sizeof(made));
	memset(password, 0, sizeof(password));
	gg_error_init(&err);
	if (make_paths(cli, &p, &err) != GG_OK)
		goto fail;

	if (stat(cli->db_path, &st) == 0) {
		gg_error_set(&err, GG_E_DUPLICATE, "'%s' is already initialised", dir);
		goto fail;
	}
	if (errno != ENOENT && errno != ENOTDIR) {
		gg_error_set(&err, GG_E_IO, "cannot read '%s': %s", cli->db_path, strerror(errno));
		goto fail;
	}

	if (make_dir(dir, &made.dir, &err) != GG_OK || make_dir(p.keys, &made.keys, &err) != GG_OK)
		goto fail;
	if (gg_crypto_write_key(p.data_key, KEY_BYTES, &err) != GG_OK)
		goto fail;
	made.data_key = 1;
	if (gg_crypto_write_key(p.index_key, KEY_BYTES, &err) != GG_OK)
		goto fail;
	made.index_key = 1;

	made.db = 1; /* checked absent above: whatever exists from here on is ours */
	/* The database holds password hashes: its owner's only, as the keys (SQLite gives -wal and -shm its mode). */
	mask = umask(077);
	rc = gg_db_open(cli->db_path, &opt, &cli->db, &err);
	umask(mask);
	if (rc != GG_OK || gg_migrate(cli->db, NULL, &err) != GG_OK ||
	    create_admin(cli, password, sizeof(password), &err) != GG_OK)
		goto fail;
	gg_cli_release(cli);

	printf("initialised '%s': database %s, secret keys in %s/\n", dir, cli->db_path, p.keys);
	printf("admin password: %s\n", password);
	printf("(shown once; it must be changed at first login)\n"
	       "keep a copy of %s/ apart from the backups: without it the encrypted personal data cannot be read\n",
	       p.keys);
	/* The password exists only on this output: if it did not get out, the installation is useless. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		gg_error_set(&err, GG_E_IO, "cannot write the admin password to standard output: %s", strerror(errno));
		goto fail;
	}
	status = GG_EXIT_OK;
	goto out;

fail:
	undo(cli, &p, &made);
	status = gg_cli_fail(&err);
out:
	explicit_bzero(password, sizeof(password));
	return status;
}
