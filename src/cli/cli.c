/*
 * cli: the command table of `guanggu` and the dispatcher that runs it, after
 * git.c. gg_cli_main loads the configuration (defaults < guanggu.conf <
 * GUANGGU_* < flags), sets up crypto and logging, finds argv[1] in the table,
 * prepares what the command's flags ask for (an open, migrated database),
 * calls it and checks that stdout was written without error. The helpers
 * here (paths under DIR, opening the database, the serve lock, printing
 * errors and usage) are shared by the commands in cli/cmd_*.c.
 */
#include "cli.h"

#include "../domain/policyset.h"
#include "../domain/vocabulary.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/crypto.h"
#include "../core/log.h"
#include "../store/migrate.h"

const struct gg_cli_cmd gg_cli_cmds[] = {
    {"init", cmd_init, 0, "init [--dir DIR]", "create an installation: database, secret keys and the admin account"},
    {"serve", cmd_serve, 0, "serve [--dir DIR] [--listen HOST:PORT] [--SETTING VALUE]...",
     "serve the HTTP API until SIGTERM or SIGINT (migrates the database first)"},
    {"migrate", cmd_migrate, 0, "migrate [--dir DIR]", "apply the pending database migrations"},
    {"user", cmd_user, GG_CLI_NEED_DB,
     "user add NAME --role ROLE [--scope KIND:ID] [--role ROLE [--scope KIND:ID]]... [--display-name TEXT] "
     "[--password-stdin]\n"
     "user list\n"
     "user passwd NAME [--password-stdin]\n"
     "user disable NAME\n"
     "user enable NAME\n"
     "user token NAME --label LABEL [--days N]",
     "manage accounts: add, list, set a password, disable, enable, issue an API token"},
    {"demo", cmd_demo, 0,
     "demo [--no-accounts] [--dir DIR]\n"
     "demo --synthetic N [--offset K] [--seed S] [--dir DIR]\n"
     "demo --synthetic N [--offset K] [--seed S] --csv FILE [--orgs-csv FILE]",
     "load the demo data and one demo account per role (passwords in DIR/demo-accounts.txt; academician projects "
     "follow in later issues), or N synthetic talents"},
    {"station", cmd_station, GG_CLI_NEED_DB,
     "station list [--dir DIR]\n"
     "station add NAME --city CITY [--country CC] [--host-org TEXT] [--opened-on YYYY-MM-DD] "
     "[--status planned|open|closed] [--notes TEXT] [--dir DIR]",
     "list or add the Optics Valley stations that station operators' accounts are scoped to"},
    {"policy", cmd_policy, GG_CLI_NEED_DB,
     "policy show [--on YYYY-MM-DD] [--policy NAME] [--dir DIR]\n"
     "policy check FILE [--dir DIR]\n"
     "policy test [FILE...] [--dir DIR]\n"
     "policy whatif --set PARAM=VALUE [--set PARAM=VALUE]... [--from YYYY-MM-DD] [--format text|json] [--dir DIR]",
     "print the policy values in force on a date with their legal references, validate a policy pack file, run "
     "the policy tests (default: every policy_dir/tests/*.yaml), or price the planned installments again with "
     "threshold_cny, rate_bp or cap_cny changed (hypothetical: nothing is written)"},
    {"subsidy", cmd_subsidy, GG_CLI_NEED_DB,
     "subsidy simulate --salary CNY [--employer-kind KIND] [--start YYYY-MM-DD] [--paid Y1,Y2,...] "
     "[--end-after-years N] [--policy NAME] [--dir DIR]\n"
     "subsidy open-due [--on YYYY-MM-DD] [--dir DIR]\n"
     "subsidy run --period YYYY --as USERNAME [--dir DIR]\n"
     "subsidy approve RUN --as USERNAME [--dir DIR]\n"
     "subsidy reject RUN --reason TEXT --as USERNAME [--dir DIR]\n"
     "subsidy bank-file RUN [--format csv|xlsx] [--out FILE] [--dir DIR]\n"
     "subsidy bank-result RUN FILE --as USERNAME [--dir DIR]\n"
     "subsidy cancel PLAN --ended-on YYYY-MM-DD --reason TEXT --as USERNAME [--dir DIR]",
     "print, as JSON, the recognition and subsidy installments the policy would give a hire (KIND: "
     "leading_enterprise, the default, rd_unit, other; start: today by default; nothing is written); open-due "
     "opens the annual verification of every installment due on or before the day (today by default) that has "
     "none (docs/verification.md); propose, approve or reject the payment run of a year, write its bank file, "
     "apply the bank's result (docs/payments.md); cancel a plan when employment ended: its installments not "
     "accepted or paid lapse (docs/ledger.md)"},
    {"ledger", cmd_ledger, GG_CLI_NEED_DB,
     "ledger balance [--on YYYY-MM-DD] [--format text|json] [--dir DIR]\n"
     "ledger appropriate --amount CNY --memo TEXT [--dir DIR]\n"
     "ledger commit-existing [--dir DIR]\n"
     "ledger report forecast|position|register|statement [--from YEAR|DATE] [--years N] [--to DATE] [--by year|chain] "
     "[--talent ID] [--org ID] [--format text|csv] [--dir DIR]",
     "print the special fund's accounts with their balances (debits - credits) on a date, appropriate money to the "
     "fund, commit the formula plans not committed yet (docs/ledger.md), or print a report of the fund "
     "(docs/reports.md)"},
    {"card", cmd_card, 0,
     "card verify TOKEN --public-key FILE\n"
     "card keys export [--output FILE] [--dir DIR]\n"
     "card keys rotate --as USERNAME [--dir DIR]\n"
     "card keys list [--dir DIR]\n"
     "card expire [--dir DIR]\n"
     "card list [--status STATUS] [--dir DIR]",
     "check a digital talent card's token offline against a keys file (exit 0 valid, 1 invalid, 2 usage or an "
     "unreadable keys file), export, rotate or list the token signing keys, expire the cards past their validity, "
     "or list the cards (docs/cards.md)"},
    {"import", cmd_import, GG_CLI_NEED_DB, "import talents|orgs FILE [--report FILE.csv] [--skip-invalid] [--dir DIR]",
     "import talents or organisations from CSV (UTF-8 or GB18030, Chinese or English headers); all or nothing "
     "unless --skip-invalid"},
    {"export", cmd_export, GG_CLI_NEED_DB,
     "export talents|orgs [--format csv|xlsx] [--lang zh|en] [--output FILE] [--dir DIR]",
     "export talents or organisations as CSV or XLSX with personal data unmasked (audited)"},
    {"audit", cmd_audit, GG_CLI_NEED_DB, "audit verify [--dir DIR]",
     "check the audit trail's hash chain and name the first bad row"},
    {"backup", cmd_backup, 0, "backup FILE [--dir DIR]",
     "write a consistent copy of the database to FILE, also while the server runs"},
    {"restore", cmd_restore, 0, "restore FILE [--dir DIR]",
     "replace the database with a backup (the server must be stopped)"},
    {"check", cmd_check, 0, "check id VALUE [--birth-date YYYY-MM-DD]\ncheck uscc VALUE",
     "check a resident ID number (GB 11643) or a unified social credit code (GB 32100) by hand"},
    {"config", cmd_config, 0, "config show [--dir DIR] [--config FILE]",
     "print every setting with its value and where it came from"},
    {"version", cmd_version, 0, "version", "print the version"},
    {"help", cmd_help, 0, "help [COMMAND | errors]", "list the commands, explain one, or list the error codes"},
    {NULL, NULL, 0, NULL, NULL},
};

const struct gg_cli_cmd *gg_cli_find(const char *name)
{
	const struct gg_cli_cmd *c;

	if (name == NULL)
		return NULL;
	for (c = gg_cli_cmds; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int gg_cli_flag_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t len = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, len) != 0)
		return 0;
	if (a[len] == '=') {
		*value = a + len + 1;
		return 1;
	}
	if (a[len] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

int gg_cli_is_help(const char *arg)
{
	return arg != NULL && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0);
}

int gg_cli_fail(const struct gg_error *err)
{
	const char *msg = gg_error_message(err);
	size_t i;

	fprintf(stderr, "error: %s\n", msg);
	for (i = 0; i < err->nfields && i < GG_ERROR_FIELDS_MAX; i++) {
		/* A lone field error whose text is already the message says nothing more. */
		if (err->nfields == 1 && strcmp(err->fields[i].message, msg) == 0)
			continue;
		fprintf(stderr, "  %s: %s\n", err->fields[i].field, err->fields[i].message);
	}
	return err->code == GG_E_USAGE ? GG_EXIT_USAGE : GG_EXIT_FAIL;
}

void gg_cli_print_usage(FILE *f, const struct gg_cli_cmd *cmd)
{
	const char *line = cmd->usage;
	const char *lead = "usage:";

	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		int len = nl != NULL ? (int)(nl - line) : (int)strlen(line);

		fprintf(f, "%s guanggu %.*s\n", lead, len, line);
		lead = "   or:";
		if (nl == NULL)
			break;
		line = nl + 1;
	}
}

int gg_cli_usage(const struct gg_cli_cmd *cmd)
{
	gg_cli_print_usage(stderr, cmd);
	fprintf(stderr, "(guanggu help %s explains it)\n", cmd->name);
	return GG_EXIT_USAGE;
}

enum gg_err gg_cli_path(const struct gg_cli *cli, const char *name, char *out, size_t outsz, struct gg_error *err)
{
	const char *dir = gg_config_str(&cli->cfg, GG_CFG_dir);
	size_t len = strlen(dir);
	const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";

	if (gg_snprintf(out, outsz, "%s%s%s", dir, sep, name) != GG_OK)
		return gg_error_set(err, GG_E_TOO_LARGE, "path too long: '%s%s%s'", dir, sep, name);
	return GG_OK;
}

enum gg_err gg_cli_init(struct gg_cli *cli, struct gg_error *err)
{
	cli->db = NULL;
	return gg_cli_path(cli, "guanggu.db", cli->db_path, sizeof(cli->db_path), err);
}

void gg_cli_release(struct gg_cli *cli)
{
	gg_db_close(cli->db);
	cli->db = NULL;
}

enum gg_err gg_cli_open_db(struct gg_cli *cli, int migrate, struct gg_error *err)
{
	const char *dir = gg_config_str(&cli->cfg, GG_CFG_dir);
	struct gg_db_options opt = {(int)gg_config_int(&cli->cfg, GG_CFG_busy_timeout_ms), 0,
	                            (int)gg_config_int(&cli->cfg, GG_CFG_db_cache_mb)};
	enum gg_err rc;

	if (cli->db != NULL)
		return GG_OK;
	rc = gg_db_open(cli->db_path, &opt, &cli->db, err);
	if (rc == GG_E_NOT_FOUND)
		return gg_error_set(err, rc, "no installation at '%s' (run guanggu init --dir %s)", dir, dir);
	if (rc != GG_OK)
		return rc;
	if (migrate) {
		rc = gg_migrate(cli->db, NULL, err);
		if (rc != GG_OK) {
			gg_cli_release(cli);
			return rc;
		}
	}
	return GG_OK;
}

enum gg_err gg_cli_policies(struct gg_cli *cli, struct gg_policyset **out, struct gg_error *err)
{
	struct gg_vocabulary *vocab = NULL;
	enum gg_err rc;

	*out = NULL;
	if ((rc = gg_vocab_load(cli->db, &vocab, err)) != GG_OK)
		return rc;
	rc = gg_policyset_load(gg_config_str(&cli->cfg, GG_CFG_policy_dir), vocab, out, err);
	gg_vocab_free(vocab);
	return rc;
}

enum gg_err gg_cli_lock(const struct gg_cli *cli, int *fd, struct gg_error *err)
{
	const char *dir = gg_config_str(&cli->cfg, GG_CFG_dir);
	char path[GG_CONFIG_STR_MAX + 32];
	enum gg_err rc;
	int f;

	*fd = -1;
	rc = gg_cli_path(cli, "serve.lock", path, sizeof(path), err);
	if (rc != GG_OK)
		return rc;
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0) {
		if (errno == ENOENT)
			return gg_error_set(err, GG_E_NOT_FOUND, "no installation at '%s' (run guanggu init --dir %s)",
			                    dir, dir);
		return gg_error_set(err, GG_E_IO, "cannot open '%s': %s", path, strerror(errno));
	}
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		close(f);
		if (e == EWOULDBLOCK)
			return gg_error_set(err, GG_E_CONFLICT, "a server is running on '%s'", dir);
		return gg_error_set(err, GG_E_IO, "cannot lock '%s': %s", path, strerror(e));
	}
	*fd = f;
	return GG_OK;
}

void gg_cli_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the only descriptor releases the flock */
}

static int setup(struct gg_cli *cli, int *argc, char **argv, char **envp)
{
	struct gg_error err;
	enum gg_log_level lvl;

	gg_error_init(&err);
	if (gg_crypto_init() != GG_OK) {
		fputs("error: cannot initialise libsodium\n", stderr);
		return GG_EXIT_FAIL;
	}
	gg_config_init(&cli->cfg);
	if (gg_config_load(&cli->cfg, argc, argv, envp, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (gg_log_parse_level(gg_config_str(&cli->cfg, GG_CFG_log_level), &lvl) != GG_OK) {
		gg_error_set(&err, GG_E_CONFIG, "%s: log_level: unknown level '%s' (debug, info, warn or error)",
		             cli->cfg.v[GG_CFG_log_level].origin, gg_config_str(&cli->cfg, GG_CFG_log_level));
		return gg_cli_fail(&err);
	}
	gg_log_setup(NULL, lvl);
	if (gg_clock_set_zone(gg_config_str(&cli->cfg, GG_CFG_timezone)) != 0) {
		gg_error_set(&err, GG_E_CONFIG,
		             "%s: timezone: unknown time zone '%s' (an IANA name such as Asia/Shanghai)",
		             cli->cfg.v[GG_CFG_timezone].origin, gg_config_str(&cli->cfg, GG_CFG_timezone));
		return gg_cli_fail(&err);
	}
	gg_crypto_set_hash_concurrency((int)gg_config_int(&cli->cfg, GG_CFG_hash_concurrency));
	if (gg_cli_init(cli, &err) != GG_OK)
		return gg_cli_fail(&err);
	return GG_EXIT_OK;
}

/* 1 when an argument before a "--" asks for help: `guanggu user add --help`. */
static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (gg_cli_is_help(argv[i]))
			return 1;
	}
	return 0;
}

int gg_cli_main(int argc, char **argv, char **envp)
{
	static char help_name[] = "help";
	char *help_argv[3] = {help_name, NULL, NULL};
	struct gg_cli cli;
	struct gg_error err;
	const struct gg_cli_cmd *cmd;
	int status, werr;

	memset(&cli, 0, sizeof(cli));
	gg_error_init(&err);
	status = setup(&cli, &argc, argv, envp);
	if (status != GG_EXIT_OK)
		goto out;

	if (argc < 2 || gg_cli_is_help(argv[1])) {
		status = cmd_help(&cli, 1, help_argv);
		goto out;
	}
	cmd = gg_cli_find(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "error: unknown command '%s'\n(guanggu help lists the commands)\n", argv[1]);
		status = GG_EXIT_USAGE;
		goto out;
	}
	if (wants_help(argc - 2, argv + 2)) {
		help_argv[1] = argv[1];
		status = cmd_help(&cli, 2, help_argv);
		goto out;
	}
	if ((cmd->flags & GG_CLI_NEED_DB) &&
	    (gg_cli_open_db(&cli, 1, &err) != GG_OK ||
	     gg_crypto_keys_load(gg_config_str(&cli.cfg, GG_CFG_dir), &cli.keys, &err) != GG_OK)) {
		status = gg_cli_fail(&err);
		goto out;
	}
	status = cmd->fn(&cli, argc - 1, argv + 1);

out:
	gg_cli_release(&cli);
	gg_crypto_keys_wipe(&cli.keys);
	/*
	 * As git does: output that did not reach its file is a failure, not a
	 * success. A command that failed has said why already.
	 */
	werr = fflush(stdout) != 0 ? errno : ferror(stdout) ? EIO : 0;
	if (werr != 0 && status == GG_EXIT_OK) {
		fprintf(stderr, "error: cannot write to standard output: %s\n", strerror(werr));
		status = GG_EXIT_FAIL;
	}
	return status;
}
