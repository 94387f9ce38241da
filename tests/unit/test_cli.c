/*
 * test_cli: the command line run in-process through gg_cli_main, with
 * stdout and stderr captured, on real installations in temporary
 * directories: the command table, help and usage errors and their exit
 * codes, init (files, modes, the admin password, refusal, and removing
 * what a failed run made), migrate counting, audit verify on an intact and
 * an edited chain, backup and restore (also refused under the serve lock),
 * config show and config errors, a failed write to stdout, serve
 * (a forked child) answering SIGTERM with exit 0, and subsidy simulate
 * (its JSON, exit 0 also when not recognised, 2 for a malformed value,
 * 1 for a rule refusal).
 */
#include "unit_cli.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>

#include "cli/cli.h"
#include "store/db.h"
#include "store/migrate.h"

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void join(char *out, size_t outsz, const char *dir, const char *name)
{
	snprintf(out, outsz, "%s/%s", dir, name);
}

static int latest_version(void)
{
	return gg_migrations[gg_migrations_count - 1].version;
}

/* A fixture: a fresh temporary directory with an initialised installation in DIR/inst. */
struct fx {
	char tmp[512];
	char inst[600];
	char password[64];
};

static int setup_installed(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct run *r = calloc(1, sizeof(*r));
	const char *p;

	assert_non_null(fx);
	assert_non_null(r);
	unit_tmpdir(fx->tmp, sizeof(fx->tmp));
	join(fx->inst, sizeof(fx->inst), fx->tmp, "inst");
	run(r, "init", "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	p = strstr(r->out, "admin password: ");
	assert_non_null(p);
	sscanf(p + strlen("admin password: "), "%63s", fx->password);
	free(r);
	*state = fx;
	return 0;
}

static int setup_tmp(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	unit_tmpdir(fx->tmp, sizeof(fx->tmp));
	join(fx->inst, sizeof(fx->inst), fx->tmp, "inst");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	unit_rmtree(fx->tmp);
	free(fx);
	return 0;
}

static void test_table(void **state)
{
	static const char *const want[] = {"init",    "serve",  "migrate", "user",    "demo",   "station", "policy",
	                                   "subsidy", "ledger", "card",    "import",  "export", "audit",   "backup",
	                                   "restore", "check",  "config",  "version", "help"};
	const struct gg_cli_cmd *c, *d;
	size_t n = 0;

	for (c = gg_cli_cmds; c->name != NULL; c++, n++) {
		assert_true(n < sizeof(want) / sizeof(want[0]));
		assert_string_equal(c->name, want[n]);
		assert_non_null(c->fn);
		assert_non_null(c->usage);
		assert_non_null(c->help);
		/* Every usage line names its command, so `usage: guanggu X` reads right. */
		assert_int_equal(strncmp(c->usage, c->name, strlen(c->name)), 0);
		for (d = gg_cli_cmds; d != c; d++)
			assert_string_not_equal(d->name, c->name);
		assert_ptr_equal(gg_cli_find(c->name), c);
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	assert_null(gg_cli_find("nope"));
	assert_true(gg_cli_find("user")->flags & GG_CLI_NEED_DB);
	assert_true(gg_cli_find("audit")->flags & GG_CLI_NEED_DB);
	/* migrate counts what it applies, so the dispatcher must not migrate first. */
	assert_false(gg_cli_find("migrate")->flags & GG_CLI_NEED_DB);
	assert_false(gg_cli_find("init")->flags & GG_CLI_NEED_DB);
}

static void test_is_help_and_fail(void **state)
{
	struct gg_error err;
	int save, status;
	FILE *fe = tmpfile();
	char text[1024];

	assert_true(gg_cli_is_help("-h"));
	assert_true(gg_cli_is_help("--help"));
	assert_false(gg_cli_is_help("help"));
	assert_false(gg_cli_is_help("--helpx"));
	assert_false(gg_cli_is_help(NULL));

	assert_non_null(fe);
	fflush(stderr);
	save = dup(2);
	dup2(fileno(fe), 2);
	gg_error_init(&err);
	gg_error_set(&err, GG_E_USAGE, "flag --x needs a value");
	status = gg_cli_fail(&err);
	assert_int_equal(status, GG_EXIT_USAGE);
	gg_error_init(&err);
	gg_error_field(&err, GG_E_INVALID, "roles.0.role", "unknown role '%s'", "boss");
	gg_error_field(&err, GG_E_INVALID, "roles.0.scope", "scope needs an id");
	status = gg_cli_fail(&err);
	assert_int_equal(status, GG_EXIT_FAIL);
	status = gg_cli_usage(gg_cli_find("backup"));
	assert_int_equal(status, GG_EXIT_USAGE);
	fflush(stderr);
	dup2(save, 2);
	close(save);
	slurp(fe, text, sizeof(text));
	assert_non_null(strstr(text, "error: flag --x needs a value\n"));
	assert_non_null(strstr(text, "error: unknown role 'boss'\n"));
	assert_non_null(strstr(text, "  roles.0.scope: scope needs an id\n"));
	assert_non_null(strstr(text, "usage: guanggu backup FILE"));
}

static void test_help(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	const struct gg_cli_cmd *c;

	assert_non_null(r);
	run(r, "help");
	assert_int_equal(r->status, 0);
	for (c = gg_cli_cmds; c->name != NULL; c++) {
		char line[256];

		snprintf(line, sizeof(line), "  %-9s %s\n", c->name, c->help);
		assert_non_null(strstr(r->out, line));
	}

	run_to(r, NULL, NULL);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "  restore "));
	run(r, "--help");
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "  restore "));

	run(r, "help", "init");
	assert_int_equal(r->status, 0);
	assert_int_equal(strncmp(r->out, "usage: guanggu init [--dir DIR]\n", 32), 0);
	assert_non_null(strstr(r->out, "--listen"));
	assert_non_null(strstr(r->out, "GUANGGU_DIR"));

	/* `CMD --help` is `help CMD`, and needs no installation. */
	run(r, "audit", "verify", "--help", "--dir", "/nonexistent/x");
	assert_int_equal(r->status, 0);
	assert_int_equal(strncmp(r->out, "usage: guanggu audit verify", 27), 0);
	run(r, "user", "-h");
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "   or: guanggu user list\n"));

	run(r, "help", "errors");
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "invalid_input"));
	assert_non_null(strstr(r->out, "audit_chain_broken"));

	run(r, "frobnicate");
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "error: unknown command 'frobnicate'\n"));
	assert_string_equal(r->out, "");
	run(r, "help", "frobnicate");
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "unknown command 'frobnicate'"));
	run(r, "help", "a", "b");
	assert_int_equal(r->status, 2);

	run(r, "version");
	assert_int_equal(r->status, 0);
	assert_string_equal(r->out, "guanggu 0.1.0\n");
	run(r, "version", "extra");
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "usage: guanggu version"));
	free(r);
}

static void test_stdout_failure(void **state)
{
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	if (!exists("/dev/full")) {
		free(r);
		skip();
	}
	run_to(r, "/dev/full", "version", (const char *)NULL);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "error: cannot write to standard output"));
	free(r);
}

static void test_init(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));
	char path[1200];
	struct stat st;

	assert_non_null(r);
	/* The fixture ran init; its password is 16 letters and digits. */
	assert_int_equal(strlen(fx->password), 16);
	assert_int_equal(mode_of(fx->inst), 0700);
	join(path, sizeof(path), fx->inst, "keys");
	assert_int_equal(mode_of(path), 0700);
	join(path, sizeof(path), fx->inst, "keys/data.key");
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 32);
	join(path, sizeof(path), fx->inst, "keys/index.key");
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 32);
	join(path, sizeof(path), fx->inst, "guanggu.db");
	assert_int_equal(mode_of(path), 0600);

	run(r, "init", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "is already initialised"));
	assert_null(strstr(r->out, "admin password"));

	run(r, "init", "--dir", fx->inst, "extra");
	assert_int_equal(r->status, 2);
	free(r);
}

static void test_init_cleans_up(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));
	char path[1200];

	assert_non_null(r);
	/* A key that exists already is never overwritten, and what the run made goes again. */
	assert_int_equal(mkdir(fx->inst, 0700), 0);
	join(path, sizeof(path), fx->inst, "keys");
	assert_int_equal(mkdir(path, 0700), 0);
	join(path, sizeof(path), fx->inst, "keys/index.key");
	unit_write_file(path, "not ours to remove");
	run(r, "init", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "index.key"));
	assert_true(exists(path));
	join(path, sizeof(path), fx->inst, "keys/data.key");
	assert_false(exists(path));
	join(path, sizeof(path), fx->inst, "guanggu.db");
	assert_false(exists(path));
	join(path, sizeof(path), fx->inst, "keys");
	assert_true(exists(path)); /* it was there before */

	/*
	 * The last step failing (the password cannot be shown: the output is
	 * full) takes back everything: database, keys and the directories.
	 */
	join(path, sizeof(path), fx->tmp, "fresh");
	run_to(r, "/dev/full", "init", "--dir", path, (const char *)NULL);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "cannot write the admin password"));
	assert_false(exists(path));

	join(path, sizeof(path), fx->tmp, "no/such/parent");
	run(r, "init", "--dir", path);
	assert_int_equal(r->status, 1);
	join(path, sizeof(path), fx->tmp, "no");
	assert_false(exists(path));
	free(r);
}

static void test_missing_installation(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));
	char want[1400];

	assert_non_null(r);
	snprintf(want, sizeof(want), "error: no installation at '%s' (run guanggu init --dir %s)\n", fx->inst,
	         fx->inst);
	run(r, "audit", "verify", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_string_equal(r->err, want);
	run(r, "migrate", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_string_equal(r->err, want);
	run(r, "backup", "x.db", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_string_equal(r->err, want);
	/* Nothing was created on the way. */
	assert_false(exists(fx->inst));
	free(r);
}

static void test_migrate_counts(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = 1};
	struct gg_db *db = NULL;
	struct gg_error err;
	char path[1200], want[128];

	assert_non_null(r);
	gg_error_init(&err);
	assert_int_equal(mkdir(fx->inst, 0700), 0);
	join(path, sizeof(path), fx->inst, "guanggu.db");
	assert_int_equal(gg_db_open(path, &opt, &db, &err), GG_OK);
	gg_db_close(db);

	run(r, "migrate", "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	snprintf(want, sizeof(want), "migrated: %d applied, at version %d\n", gg_migrations_count, latest_version());
	assert_string_equal(r->out, want);
	run(r, "migrate", "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	snprintf(want, sizeof(want), "migrated: 0 applied, at version %d\n", latest_version());
	assert_string_equal(r->out, want);
	free(r);
}

static void test_audit_verify(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = 0};
	struct gg_db *db = NULL;
	struct gg_error err;
	char path[1200];
	long long rows = 0;

	assert_non_null(r);
	run(r, "audit", "verify", "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	assert_int_equal(sscanf(r->out, "audit: %lld rows, chain intact\n", &rows), 1);
	assert_true(rows >= 1); /* init recorded the admin's creation */

	run(r, "audit", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "audit", "check", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "unknown audit command 'check'"));

	/* Edit the first row behind the triggers' back: verify names it. */
	gg_error_init(&err);
	join(path, sizeof(path), fx->inst, "guanggu.db");
	assert_int_equal(gg_db_open(path, &opt, &db, &err), GG_OK);
	assert_int_equal(gg_db_exec(db,
	                            "DROP TRIGGER audit_log_no_update; "
	                            "UPDATE audit_log SET actor = 'mallory' WHERE id = 1",
	                            &err),
	                 GG_OK);
	gg_db_close(db);
	run(r, "audit", "verify", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_int_equal(strncmp(r->out, "audit: chain broken at row 1: ", 30), 0);
	assert_null(strstr(r->out + 30, "row 1:")); /* the reason does not repeat the row */
	free(r);
}

static void test_backup_restore(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));
	char file[1200], junk[1200], lock[1200], db[1200];
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = 0};
	struct gg_db *conn = NULL;
	struct gg_error err;
	int64_t n = 0;
	int fd, found = 0;

	assert_non_null(r);
	join(file, sizeof(file), fx->tmp, "backup.db");
	join(junk, sizeof(junk), fx->tmp, "junk.db");
	join(lock, sizeof(lock), fx->inst, "serve.lock");
	join(db, sizeof(db), fx->inst, "guanggu.db");

	run(r, "backup", file, "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "backup: "));
	assert_non_null(strstr(r->out, "/keys/ are not in the backup"));
	assert_int_equal(mode_of(file), 0600);
	run(r, "backup", file, "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "already exists"));
	run(r, "backup", "--dir", fx->inst);
	assert_int_equal(r->status, 2);

	/* A change after the backup: the restore takes the database back to before it. */
	gg_error_init(&err);
	assert_int_equal(gg_db_open(db, &opt, &conn, &err), GG_OK);
	assert_int_equal(gg_db_exec(conn, "CREATE TABLE after_backup (x INTEGER)", &err), GG_OK);
	gg_db_close(conn);
	run(r, "restore", file, "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "now holds the backup"));
	assert_non_null(strstr(r->out, "the database it replaced is kept as "));
	assert_int_equal(gg_db_open(db, &opt, &conn, &err), GG_OK);
	assert_int_not_equal(gg_db_query_i64(conn, "SELECT COUNT(*) FROM after_backup", NULL, 0, &n, &found, &err),
	                     GG_OK);
	gg_db_close(conn);
	run(r, "audit", "verify", "--dir", fx->inst);
	assert_int_equal(r->status, 0);

	/* Not a database: refused, and the installation is as it was. */
	unit_write_file(junk, "this is not a database, just some text that is long enough to be read");
	run(r, "restore", junk, "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_true(exists(db));
	run(r, "audit", "verify", "--dir", fx->inst);
	assert_int_equal(r->status, 0);

	join(junk, sizeof(junk), fx->tmp, "absent.db");
	run(r, "restore", junk, "--dir", fx->inst);
	assert_int_equal(r->status, 1);

	/* Under the serve lock (held here as serve holds it), restore refuses. */
	fd = open(lock, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	run(r, "restore", file, "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "error: a server is running on '"));
	close(fd);
	run(r, "restore", file, "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	free(r);
}

static void test_config(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));
	char conf[1200];

	assert_non_null(r);
	run(r, "config", "show", "--dir", fx->inst, "--threads", "7");
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "# config file: none ("));
	assert_non_null(strstr(r->out, "# flag --threads\n"));
	assert_non_null(strstr(r->out, "# flag --dir\n"));
	assert_non_null(strstr(r->out, "listen "));

	join(conf, sizeof(conf), fx->inst, "guanggu.conf");
	unit_write_file(conf, "# settings\nthreads = 3\n");
	run(r, "config", "show", "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "# config file: "));
	assert_non_null(strstr(r->out, "guanggu.conf:2\n"));

	run(r, "config", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "config", "edit", "--dir", fx->inst);
	assert_int_equal(r->status, 2);

	/* A bad value in the file stops every command with file and line: exit 1. */
	unit_write_file(conf, "threads = 3\nthreads = 0\n");
	run(r, "version", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "guanggu.conf:2"));
	unlink(conf);
	/* A flag without its value is a usage error: exit 2. */
	run(r, "version", "--dir", fx->inst, "--threads");
	assert_int_equal(r->status, 2);
	run(r, "version", "--dir", fx->inst, "--log-level", "loud");
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "log_level"));
	/* A time zone the system does not know stops every command, naming it. */
	run(r, "version", "--dir", fx->inst, "--timezone", "Mars/Olympus_Mons");
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "unknown time zone 'Mars/Olympus_Mons'"));
	run(r, "version", "--dir", fx->inst, "--timezone", "UTC");
	assert_int_equal(r->status, 0);
	free(r);
}

/* serve in a child: it prints where it listens, holds the lock, and exits 0 on SIGTERM. */
static void test_serve(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));
	char line[256] = "", file[1200];
	int out[2], status = -1;
	size_t got = 0;
	pid_t pid;

	assert_non_null(r);
	join(file, sizeof(file), fx->tmp, "while-serving.db");
	assert_int_equal(pipe(out), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = {"guanggu", "serve", "--dir", fx->inst, "--listen", "127.0.0.1:0", NULL};
		int devnull = open("/dev/null", O_WRONLY);

		dup2(out[1], 1);
		dup2(devnull, 2);
		close(out[0]);
		_exit(gg_cli_main(6, argv, no_env));
	}
	close(out[1]);
	while (got < sizeof(line) - 1 && strchr(line, '\n') == NULL) {
		ssize_t n = read(out[0], line + got, sizeof(line) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		line[got] = '\0';
	}
	assert_int_equal(strncmp(line, "listening on http://127.0.0.1:", 30), 0);

	/* Backups while it serves; no restore under it, and no second server. */
	run(r, "backup", file, "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	run(r, "restore", file, "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "a server is running on"));
	run(r, "serve", "--dir", fx->inst, "--listen", "127.0.0.1:0");
	assert_int_equal(r->status, 1);
	assert_non_null(strstr(r->err, "a server is running on"));

	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(out[0]);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	free(r);
}

static void test_subsidy_simulate(void **state)
{
	struct fx *fx = *state;
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	run(r, "subsidy", "simulate", "--salary", "8000000", "--start", "2024-03-01", "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	if (strncmp(
	        r->out,
	        "{\"recognized\":true,\"tier\":\"leading_talent\",\"policy\":\"optics-valley-2024\",\"version\":"
	        "\"2024.1\",\"installments\":[{\"year\":1,\"due\":\"2025-03-01\",\"amount_fen\":400000000,\"status\":"
	        "\"due\"},{\"year\":2,\"due\":\"2026-03-01\",\"amount_fen\":400000000,\"status\":\"due\"},{\"year\":3,"
	        "\"due\":\"2027-03-01\",\"amount_fen\":200000000,\"status\":\"due\"}],\"total_fen\":1000000000,"
	        "\"trace\":[\"policy optics-valley-2024 version 2024.1 (from 2024-01-01) is in force on the start "
	        "2024-03-01 (the default: no policy named)\",",
	        420) != 0)
		fail_msg("out: %s", r->out);
	assert_non_null(strstr(r->out, "\"total 10,000,000.00\"]}\n"));
	assert_string_equal(r->err, "");

	/* not recognised: exit 0, no installments */
	run(r, "subsidy", "simulate", "--salary=999999.99", "--employer-kind", "rd_unit", "--start", "2024-03-01",
	    "--policy", "optics-valley-2024", "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "{\"recognized\":false,\"tier\":null,\"policy\":\"optics-valley-2024\","
	                               "\"version\":\"2024.1\",\"installments\":[],\"total_fen\":0,\"trace\":["));
	/* paid and an end: lapsed years show 0 and are not in the total */
	run(r, "subsidy", "simulate", "--salary", "1200000", "--start", "2024-03-01", "--paid", "1200000,999999.99",
	    "--end-after-years", "2", "--dir", fx->inst);
	assert_int_equal(r->status, 0);
	assert_non_null(strstr(r->out, "{\"year\":2,\"due\":\"2026-03-01\",\"amount_fen\":0,\"status\":\"lapsed\"}"));
	assert_non_null(strstr(r->out, "{\"year\":3,\"due\":\"2027-03-01\",\"amount_fen\":0,\"status\":\"lapsed\"}"));
	assert_non_null(strstr(r->out, "\"total_fen\":60000000,"));
	assert_non_null(strstr(r->out, "year 3 (due 2027-03-01): lapsed by rule employment_ended"));

	/* malformed values: exit 2 with the reason and the usage */
	run(r, "subsidy", "simulate", "--salary", "1200000.001", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	assert_string_equal(r->out, "");
	assert_non_null(strstr(r->err, "error: salary: amount '1200000.001' has more than two decimals\n"));
	assert_non_null(strstr(r->err, "usage: guanggu subsidy simulate --salary CNY"));
	run(r, "subsidy", "simulate", "--salary", "-1200000", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "subsidy", "simulate", "--salary", "1.2e6", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "subsidy", "simulate", "--salary", "1200000", "--employer-kind", "castle", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "subsidy", "simulate", "--salary", "1200000", "--start", "2024-13-01", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "subsidy", "simulate", "--salary", "1200000", "--end-after-years", "x", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "subsidy", "simulate", "--salary", "1200000", "--paid", "1,2,3,4", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "subsidy", "simulate", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "subsidy", "simulate", "--salary", "1200000", "--bonus", "1", "--dir", fx->inst);
	assert_int_equal(r->status, 2);
	run(r, "subsidy", "plan", "--dir", fx->inst);
	assert_int_equal(r->status, 2);

	/* rule refusals: exit 1 with the reason, no usage */
	run(r, "subsidy", "simulate", "--salary", "1200000", "--start", "2023-12-31", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_string_equal(r->out, "");
	assert_string_equal(r->err,
	                    "error: start 2023-12-31 is before policy 'optics-valley-2024' (from 2024-01-01)\n");
	run(r, "subsidy", "simulate", "--salary", "1200000", "--policy", "nope", "--dir", fx->inst);
	assert_int_equal(r->status, 1);
	assert_string_equal(r->err, "error: unknown policy 'nope'\n");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_is_help_and_fail),
	    cmocka_unit_test(test_help),
	    cmocka_unit_test(test_stdout_failure),
	    cmocka_unit_test_setup_teardown(test_init, setup_installed, teardown),
	    cmocka_unit_test_setup_teardown(test_init_cleans_up, setup_tmp, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_installation, setup_tmp, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_counts, setup_tmp, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_verify, setup_installed, teardown),
	    cmocka_unit_test_setup_teardown(test_backup_restore, setup_installed, teardown),
	    cmocka_unit_test_setup_teardown(test_config, setup_installed, teardown),
	    cmocka_unit_test_setup_teardown(test_serve, setup_installed, teardown),
	    cmocka_unit_test_setup_teardown(test_subsidy_simulate, setup_installed, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
