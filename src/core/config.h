/*
 * config: the typed configuration table (config.tbl) and its sources.
 *
 * Values come, lowest first, from the table's defaults, the file
 * guanggu.conf in the installation directory (or --config FILE /
 * GUANGGU_CONFIG), GUANGGU_* environment variables, and --flags. Each
 * value remembers where it came from, for `guanggu config show`. A bad
 * value fails with the source named: "guanggu.conf:12: threads: value
 * '0' is below 1".
 */
#ifndef GG_CONFIG_H
#define GG_CONFIG_H

#include <stdio.h>

#include "err.h"

#define GG_CONFIG_STR_MAX    1024
#define GG_CONFIG_ORIGIN_MAX 1100

enum gg_config_key {
#define GG_CFG(name, type, def, min, max, env, help) GG_CFG_##name,
#include "config.tbl"
#undef GG_CFG
	GG_CFG__COUNT
};

enum gg_config_type { GG_CFG_TYPE_STR, GG_CFG_TYPE_INT, GG_CFG_TYPE_BOOL };

struct gg_config_def {
	const char *name;
	enum gg_config_type type;
	const char *def;
	long long min, max;
	const char *env;
	const char *help;
};

struct gg_config_value {
	char str[GG_CONFIG_STR_MAX];       /* the text as given (also for INT/BOOL) */
	long long num;                     /* INT value, or BOOL as 0/1 */
	char origin[GG_CONFIG_ORIGIN_MAX]; /* "default", "var/guanggu.conf:12", "env GUANGGU_X", "flag --x" */
};

struct gg_config {
	char file[GG_CONFIG_STR_MAX]; /* the config file read, "" when none existed */
	struct gg_config_value v[GG_CFG__COUNT];
};

/** The table, GG_CFG__COUNT rows, in table order. */
extern const struct gg_config_def gg_config_defs[GG_CFG__COUNT];

/** Fills every value from the defaults. */
void gg_config_init(struct gg_config *cfg);

/**
 * Applies the sources above the defaults, in order: file, environment
 * (envp, NULL-terminated "NAME=value" strings; NULL means none), flags.
 * argv/argc: the flags; every flag naming a setting (--name VALUE or
 * --name=VALUE, also --config FILE) is consumed and removed from argv, the
 * rest is left in order for the command (*argc updated, argv[*argc] NULL).
 * The file is --config / GUANGGU_CONFIG when given (must exist), else
 * DIR/guanggu.conf when it exists (DIR as resolved from flag > env > default).
 * Errors (GG_E_CONFIG, or GG_E_USAGE for a flag without value) name source and line.
 */
enum gg_err gg_config_load(struct gg_config *cfg, int *argc, char **argv, char **envp, struct gg_error *err);

/** Sets one value from a given origin; validates type and bounds. */
enum gg_err gg_config_set(struct gg_config *cfg, enum gg_config_key key, const char *value, const char *origin,
                          struct gg_error *err);

/** Looks a key up by name (underscores; a leading "--" and dashes are accepted). -1 if unknown. */
int gg_config_lookup(const char *name);

static inline const char *gg_config_str(const struct gg_config *cfg, enum gg_config_key k)
{
	return cfg->v[k].str;
}
static inline long long gg_config_int(const struct gg_config *cfg, enum gg_config_key k)
{
	return cfg->v[k].num;
}
static inline int gg_config_bool(const struct gg_config *cfg, enum gg_config_key k)
{
	return cfg->v[k].num != 0;
}

/** Prints "name = value    # origin" for every setting (config show). */
void gg_config_show(const struct gg_config *cfg, FILE *f);
/** Prints the settings' flags, env vars, defaults and help (for --help). */
void gg_config_help(FILE *f);

#endif
