/*
 * cli: the command table of `guanggu` and what a command gets. main.c
 * dispatches `guanggu <cmd> ...` through the table (as git.c does); each
 * command lives in cli/cmd_<cmd>.c as cmd_<cmd>(). Only main and commands
 * exit; a command returns its exit status: 0 success, 1 failure, 2 usage.
 */
#ifndef GG_CLI_H
#define GG_CLI_H

#include <stdio.h>

#include "../core/config.h"
#include "../core/crypto.h"
#include "../core/err.h"
#include "../store/db.h"

#define GG_EXIT_OK    0
#define GG_EXIT_FAIL  1
#define GG_EXIT_USAGE 2

enum gg_cli_flags {
	GG_CLI_NEED_DB = 1 << 0, /* open DIR/guanggu.db (must exist) and migrate it before calling */
};

struct gg_cli {
	struct gg_config cfg; /* loaded: defaults < file < env < flags (config flags already removed from argv) */
	struct gg_db *db;     /* open when the command has GG_CLI_NEED_DB, else NULL */
	char db_path[1100];   /* DIR/guanggu.db */
	struct gg_keys keys;  /* DIR/keys, loaded with the database for GG_CLI_NEED_DB commands */
};

typedef int (*gg_cli_fn)(struct gg_cli *cli, int argc, char **argv);

struct gg_cli_cmd {
	const char *name;
	gg_cli_fn fn;
	unsigned flags; /* enum gg_cli_flags */
	/* "user add NAME --role ROLE [--scope KIND:ID] [--password-stdin]" (several lines, '\n'-separated) */
	const char *usage;
	const char *help; /* one line */
};

/** The table, in the order `guanggu help` lists it; NULL-name terminated. */
extern const struct gg_cli_cmd gg_cli_cmds[];

/** Prints "error: <message>" (and each field error) to stderr; returns the exit status for err (2 for usage). */
int gg_cli_fail(const struct gg_error *err);
/** Prints "usage: guanggu <usage>" to stderr and returns 2. */
int gg_cli_usage(const struct gg_cli_cmd *cmd);
/** 1 when argv[i] is -h or --help. */
int gg_cli_is_help(const char *arg);
/**
 * Matches argv[*i] against --name VALUE or --name=VALUE. Returns 1 with
 * *value set (and *i moved past the value), 0 when argv[*i] is another
 * argument, -1 when the value is missing.
 */
int gg_cli_flag_value(int argc, char **argv, int *i, const char *name, const char **value);

/*
 * Added by the command-line engineer: the dispatcher as a function (so the
 * unit tests can run whole commands in-process) and what several commands
 * share.
 */
/**
 * The whole of `guanggu`: loads the configuration (envp: "NAME=value"
 * strings, NULL for none), sets up logging and crypto, dispatches argv[1]
 * through gg_cli_cmds and checks that stdout was written. Returns the exit
 * status; never exits. argv is modified (config flags are removed).
 */
int gg_cli_main(int argc, char **argv, char **envp);
/** The command named name, or NULL. */
const struct gg_cli_cmd *gg_cli_find(const char *name);
/** Sets cli->db_path from the dir setting and cli->db to NULL. */
enum gg_err gg_cli_init(struct gg_cli *cli, struct gg_error *err);
/** Closes cli->db (when open). */
void gg_cli_release(struct gg_cli *cli);
/**
 * Opens cli->db_path (never creates it) into cli->db and, when migrate is
 * set, applies pending migrations. A missing database fails with GG_E_NOT_FOUND:
 * "no installation at 'DIR' (run guanggu init --dir DIR)".
 */
enum gg_err gg_cli_open_db(struct gg_cli *cli, int migrate, struct gg_error *err);
/**
 * Takes DIR/serve.lock (flock LOCK_EX|LOCK_NB), which `serve` holds for its
 * lifetime and `restore` while it replaces the database. *fd gets the lock,
 * given back with gg_cli_unlock. GG_E_CONFLICT "a server is running on 'DIR'"
 * when another process holds it; GG_E_NOT_FOUND when DIR is absent.
 */
struct gg_policyset;
/**
 * Loads the policy packs of the policy_dir setting, validated against the
 * installation's tiers (the database must be open), into *out (freed with
 * gg_policyset_free); errors name file, line and field.
 */
enum gg_err gg_cli_policies(struct gg_cli *cli, struct gg_policyset **out, struct gg_error *err);
enum gg_err gg_cli_lock(const struct gg_cli *cli, int *fd, struct gg_error *err);
void gg_cli_unlock(int fd); /* -1 is a no-op */
/** Writes DIR/name into out (no doubled '/'); GG_E_TOO_LARGE when it does not fit. */
enum gg_err gg_cli_path(const struct gg_cli *cli, const char *name, char *out, size_t outsz, struct gg_error *err);
/** Prints "usage: guanggu <line>" and "   or: guanggu <line>" for each further usage line to f. */
void gg_cli_print_usage(FILE *f, const struct gg_cli_cmd *cmd);

/* The commands (cli/cmd_*.c). */
int cmd_init(struct gg_cli *cli, int argc, char **argv);
int cmd_serve(struct gg_cli *cli, int argc, char **argv);
int cmd_migrate(struct gg_cli *cli, int argc, char **argv);
int cmd_user(struct gg_cli *cli, int argc, char **argv);
int cmd_audit(struct gg_cli *cli, int argc, char **argv);
int cmd_backup(struct gg_cli *cli, int argc, char **argv);
int cmd_restore(struct gg_cli *cli, int argc, char **argv);
int cmd_config(struct gg_cli *cli, int argc, char **argv);
int cmd_version(struct gg_cli *cli, int argc, char **argv);
int cmd_help(struct gg_cli *cli, int argc, char **argv);
int cmd_import(struct gg_cli *cli, int argc, char **argv);
int cmd_export(struct gg_cli *cli, int argc, char **argv);
int cmd_demo(struct gg_cli *cli, int argc, char **argv);
int cmd_check(struct gg_cli *cli, int argc, char **argv);
int cmd_station(struct gg_cli *cli, int argc, char **argv);
int cmd_policy(struct gg_cli *cli, int argc, char **argv);
int cmd_subsidy(struct gg_cli *cli, int argc, char **argv);
int cmd_ledger(struct gg_cli *cli, int argc, char **argv);
int cmd_card(struct gg_cli *cli, int argc, char **argv);

#endif
