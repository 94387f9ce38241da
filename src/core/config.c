/*
 * config: one typed table (config.tbl) read from four layers, lowest
 * first: defaults, the file guanggu.conf, GUANGGU_* variables, --flags.
 * Every value is validated by type and bounds when it is set and keeps its
 * origin ("default", "FILE:LINE", "env GUANGGU_X", "flag --x"), so a bad
 * value names where it came from and `config show` says why a value is
 * what it is. The file format is `name = value` per line with whole-line
 * `#` comments; `config show` prints a file this parser reads back.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

#define CONFIG_LINE_MAX  4096
#define CONFIG_FILE_NAME "guanggu.conf"
#define CONFIG_ENV       "GUANGGU_CONFIG"
#define CONFIG_FLAG      "config"
#define SHOW_VALUE_WIDTH 40
#define HELP_FLAG_WIDTH  34

const struct gg_config_def gg_config_defs[GG_CFG__COUNT] = {
#define GG_CFG(name, type, def, min, max, env, help) \
	[GG_CFG_##name] = {#name, GG_CFG_TYPE_##type, def, min, max, env, help},
#include "config.tbl"
#undef GG_CFG
};

static const struct {
	const char *word;
	int value;
} bool_words[] = {
    {"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0}, {"on", 1}, {"off", 0}, {"1", 1}, {"0", 0},
};

/* Checks value for one type; num gets the parsed number. msg explains a refusal. */
typedef int parse_fn(const struct gg_config_def *d, const char *value, long long *num, char *msg, size_t msgsz);

static int parse_str(const struct gg_config_def *d, const char *value, long long *num, char *msg, size_t msgsz)
{
	size_t len = strlen(value), i;

	*num = 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) {
			snprintf(msg, msgsz, "value contains a control character");
			return -1;
		}
	}
	if (len == 0 && d->min > 0) {
		snprintf(msg, msgsz, "value is empty");
		return -1;
	}
	if ((long long)len < d->min) {
		snprintf(msg, msgsz, "value '%.64s' is shorter than %lld bytes", value, d->min);
		return -1;
	}
	if ((long long)len > d->max) {
		snprintf(msg, msgsz, "value '%.64s%s' is longer than %lld bytes", value, len > 64 ? "..." : "", d->max);
		return -1;
	}
	return 0;
}

static int parse_int(const struct gg_config_def *d, const char *value, long long *num, char *msg, size_t msgsz)
{
	if (gg_parse_i64(value, LLONG_MIN, LLONG_MAX, num) != GG_OK) {
		snprintf(msg, msgsz, "value '%.64s' is not an integer", value);
		return -1;
	}
	if (*num < d->min) {
		snprintf(msg, msgsz, "value '%s' is below %lld", value, d->min);
		return -1;
	}
	if (*num > d->max) {
		snprintf(msg, msgsz, "value '%s' is above %lld", value, d->max);
		return -1;
	}
	return 0;
}

static int bool_word(const char *s, long long *num)
{
	size_t i;

	for (i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]); i++) {
		if (strcasecmp(s, bool_words[i].word) == 0) {
			*num = bool_words[i].value;
			return 1;
		}
	}
	return 0;
}

static int parse_bool(const struct gg_config_def *d, const char *value, long long *num, char *msg, size_t msgsz)
{
	if (bool_word(value, num))
		return 0;
	snprintf(msg, msgsz, "value '%.64s' is not a boolean (true/false, yes/no, on/off, 1/0)", value);
	return -1;
}

static parse_fn *const parsers[] = {
    [GG_CFG_TYPE_STR] = parse_str,
    [GG_CFG_TYPE_INT] = parse_int,
    [GG_CFG_TYPE_BOOL] = parse_bool,
};

enum gg_err gg_config_set(struct gg_config *cfg, enum gg_config_key key, const char *value, const char *origin,
                          struct gg_error *err)
{
	const struct gg_config_def *d;
	char msg[GG_ERROR_MSG_MAX];
	struct gg_config_value *v;
	long long num;

	if (!origin)
		origin = "";
	if ((unsigned)key >= (unsigned)GG_CFG__COUNT)
		return gg_error_set(err, GG_E_CONFIG, "%s: unknown setting", origin);
	d = &gg_config_defs[key];
	if (!value)
		return gg_error_set(err, GG_E_CONFIG, "%s: %s: no value", origin, d->name);
	if (strlen(value) >= GG_CONFIG_STR_MAX)
		return gg_error_set(err, GG_E_CONFIG, "%s: %s: value is longer than %d bytes", origin, d->name,
		                    GG_CONFIG_STR_MAX - 1);
	if (parsers[d->type](d, value, &num, msg, sizeof(msg)) != 0)
		return gg_error_set(err, GG_E_CONFIG, "%s: %s: %s", origin, d->name, msg);
	v = &cfg->v[key];
	gg_strlcpy(v->str, value, sizeof(v->str));
	gg_strlcpy(v->origin, origin, sizeof(v->origin));
	v->num = num;
	return GG_OK;
}

void gg_config_init(struct gg_config *cfg)
{
	int k;

	memset(cfg, 0, sizeof(*cfg));
	for (k = 0; k < GG_CFG__COUNT; k++)
		gg_config_set(cfg, (enum gg_config_key)k, gg_config_defs[k].def, "default", NULL);
}

int gg_config_lookup(const char *name)
{
	char norm[64];
	size_t i;
	int k;

	if (!name)
		return -1;
	if (strncmp(name, "--", 2) == 0)
		name += 2;
	for (i = 0; name[i]; i++) {
		if (i + 1 >= sizeof(norm))
			return -1;
		norm[i] = name[i] == '-' ? '_' : name[i];
	}
	norm[i] = '\0';
	for (k = 0; k < GG_CFG__COUNT; k++)
		if (strcmp(norm, gg_config_defs[k].name) == 0)
			return k;
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/*
 * The value part of a line: "quoted text" (taken as is, no escapes) or bare
 * text, either optionally followed by whitespace and a # comment. Returns
 * NULL when a quote is not closed or text follows the closing quote.
 */
static char *line_value(char *s)
{
	char *end, *p;

	s = trim(s);
	if (*s == '"') {
		end = strchr(s + 1, '"');
		if (!end)
			return NULL;
		*end = '\0';
		p = trim(end + 1);
		if (*p && *p != '#')
			return NULL;
		return s + 1;
	}
	for (p = s; *p; p++) {
		if (*p == '#' && p > s && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
	return trim(s);
}

static enum gg_err config_line(struct gg_config *cfg, const char *path, unsigned lineno, char *line,
                               struct gg_error *err)
{
	char origin[GG_CONFIG_ORIGIN_MAX];
	char *name, *value, *eq;
	int key;

	line = trim(line);
	if (*line == '\0' || *line == '#')
		return GG_OK;
	eq = strchr(line, '=');
	if (!eq)
		return gg_error_set(err, GG_E_CONFIG, "%s:%u: expected 'name = value'", path, lineno);
	*eq = '\0';
	name = trim(line);
	key = *name == '-' ? -1 : gg_config_lookup(name);
	if (key < 0)
		return gg_error_set(err, GG_E_CONFIG, "%s:%u: unknown setting '%.64s'", path, lineno, name);
	value = line_value(eq + 1);
	if (!value)
		return gg_error_set(err, GG_E_CONFIG, "%s:%u: %s: unterminated quoted value", path, lineno, name);
	snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
	return gg_config_set(cfg, (enum gg_config_key)key, value, origin, err);
}

/* Reads path; a missing file is fine unless it was asked for by name. */
static enum gg_err config_file(struct gg_config *cfg, const char *path, int must_exist, struct gg_error *err)
{
	char line[CONFIG_LINE_MAX];
	enum gg_err ret = GG_OK;
	unsigned lineno = 0;
	size_t len;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return GG_OK;
		return gg_error_set(err, GG_E_CONFIG, "cannot open config file '%s': %s", path, strerror(errno));
	}
	if (gg_strlcpy(cfg->file, path, sizeof(cfg->file)) != GG_OK) {
		ret = gg_error_set(err, GG_E_CONFIG, "config file name '%.64s...' is too long", path);
		goto out;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n' && !feof(f)) {
			ret = gg_error_set(err, GG_E_CONFIG, "%s:%u: line is longer than %d bytes", path, lineno,
			                   CONFIG_LINE_MAX - 2);
			goto out;
		}
		/* Editors on Windows start UTF-8 files with a byte order mark. */
		ret = config_line(cfg, path, lineno,
		                  lineno == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0 ? line + 3 : line, err);
		if (ret != GG_OK)
			goto out;
	}
	if (ferror(f))
		ret = gg_error_set(err, GG_E_CONFIG, "cannot read config file '%s'", path);
out:
	fclose(f);
	return ret;
}

static const char *env_get(char **envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

struct flag {
	int key; /* a gg_config_key, or FLAG_CONFIG for --config */
	const char *value;
};

#define FLAG_CONFIG GG_CFG__COUNT

/*
 * Finds the setting flags in argv without applying them: a flag's value is
 * after '=' or the next argument (a BOOL flag alone means true). drop[i]
 * marks the arguments the flags use. Stops at "--".
 */
static enum gg_err scan_flags(int argc, char **argv, struct flag *flags, int *nflags, unsigned char *drop,
                              struct gg_error *err)
{
	char name[64];
	const char *a, *eq;
	long long b;
	size_t len;
	int i, key;

	*nflags = 0;
	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0)
			continue;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if (len >= sizeof(name))
			continue;
		memcpy(name, a, len);
		name[len] = '\0';
		key = strcmp(name + 2, CONFIG_FLAG) == 0 ? FLAG_CONFIG : gg_config_lookup(name);
		if (key < 0)
			continue;
		drop[i] = 1;
		flags[*nflags].key = key;
		if (eq) {
			flags[*nflags].value = eq + 1;
		} else if (key != FLAG_CONFIG && gg_config_defs[key].type == GG_CFG_TYPE_BOOL) {
			flags[*nflags].value = "true";
			if (i + 1 < argc && bool_word(argv[i + 1], &b)) {
				flags[*nflags].value = argv[++i];
				drop[i] = 1;
			}
		} else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
			flags[*nflags].value = argv[++i];
			drop[i] = 1;
		} else {
			return gg_error_set(err, GG_E_USAGE, "flag %s needs a value", name);
		}
		(*nflags)++;
	}
	return GG_OK;
}

static void flag_origin(char *out, size_t outsz, int key)
{
	size_t i;

	snprintf(out, outsz, "flag --%s", gg_config_defs[key].name);
	for (i = 7; out[i]; i++)
		if (out[i] == '_')
			out[i] = '-';
}

enum gg_err gg_config_load(struct gg_config *cfg, int *argc, char **argv, char **envp, struct gg_error *err)
{
	char path[GG_CONFIG_STR_MAX + sizeof(CONFIG_FILE_NAME) + 1];
	char origin[GG_CONFIG_ORIGIN_MAX];
	const char *dir = NULL, *file = NULL, *env;
	struct flag *flags = NULL;
	unsigned char *drop = NULL;
	enum gg_err ret = GG_OK;
	int nflags = 0, i, k, kept;
	size_t n = *argc > 0 ? (size_t)*argc : 0;

	flags = calloc(n + 1, sizeof(*flags));
	drop = calloc(n + 1, 1);
	if (!flags || !drop) {
		ret = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	ret = scan_flags((int)n, argv, flags, &nflags, drop, err);
	if (ret != GG_OK)
		goto out;

	/* Where the file is: --config > GUANGGU_CONFIG > DIR/guanggu.conf, DIR from flag > env > default. */
	for (i = 0; i < nflags; i++) {
		if (flags[i].key == FLAG_CONFIG)
			file = flags[i].value;
		else if (flags[i].key == GG_CFG_dir)
			dir = flags[i].value;
	}
	if (!file)
		file = env_get(envp, CONFIG_ENV);
	if (!dir)
		dir = env_get(envp, gg_config_defs[GG_CFG_dir].env);
	if (!dir)
		dir = gg_config_str(cfg, GG_CFG_dir);
	cfg->file[0] = '\0';
	if (file) {
		if (!*file) {
			ret = gg_error_set(err, GG_E_USAGE, "--config needs a file name");
			goto out;
		}
		ret = config_file(cfg, file, 1, err);
	} else if (*dir) {
		snprintf(path, sizeof(path), "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", CONFIG_FILE_NAME);
		ret = config_file(cfg, path, 0, err);
	}
	if (ret != GG_OK)
		goto out;

	for (k = 0; k < GG_CFG__COUNT; k++) {
		env = env_get(envp, gg_config_defs[k].env);
		if (!env)
			continue;
		snprintf(origin, sizeof(origin), "env %s", gg_config_defs[k].env);
		ret = gg_config_set(cfg, (enum gg_config_key)k, env, origin, err);
		if (ret != GG_OK)
			goto out;
	}

	for (i = 0; i < nflags; i++) {
		if (flags[i].key == FLAG_CONFIG)
			continue;
		flag_origin(origin, sizeof(origin), flags[i].key);
		ret = gg_config_set(cfg, (enum gg_config_key)flags[i].key, flags[i].value, origin, err);
		if (ret != GG_OK)
			goto out;
	}

	for (i = 0, kept = 0; i < (int)n; i++)
		if (!drop[i])
			argv[kept++] = argv[i];
	if (argv)
		argv[kept] = NULL;
	*argc = kept;
out:
	free(flags);
	free(drop);
	return ret;
}

/* A value needs quotes in the file when bare text would read differently. */
static int needs_quotes(const char *s)
{
	size_t n = strlen(s);

	return n == 0 || s[0] == '"' || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
	       strchr(s, '#') != NULL;
}

void gg_config_show(const struct gg_config *cfg, FILE *f)
{
	char shown[GG_CONFIG_STR_MAX + 2];
	int k, nw = 0, vw = 0, len;

	for (k = 0; k < GG_CFG__COUNT; k++) {
		len = (int)strlen(gg_config_defs[k].name);
		nw = len > nw ? len : nw;
		len = (int)strlen(cfg->v[k].str) + 2 * needs_quotes(cfg->v[k].str);
		vw = len > vw && len <= SHOW_VALUE_WIDTH ? len : vw;
	}
	for (k = 0; k < GG_CFG__COUNT; k++) {
		snprintf(shown, sizeof(shown), needs_quotes(cfg->v[k].str) ? "\"%s\"" : "%s", cfg->v[k].str);
		fprintf(f, "%-*s = %-*s  # %s\n", nw, gg_config_defs[k].name, vw, shown, cfg->v[k].origin);
	}
}

static const char *const metavar[] = {
    [GG_CFG_TYPE_STR] = "TEXT",
    [GG_CFG_TYPE_INT] = "N",
    [GG_CFG_TYPE_BOOL] = "[BOOL]",
};

void gg_config_help(FILE *f)
{
	const struct gg_config_def *d;
	char flag[128];
	size_t i;
	int k;

	fprintf(f, "Settings (lowest first: default < %s < environment < flag):\n", CONFIG_FILE_NAME);
	fprintf(f, "  %-*s %s\n", HELP_FLAG_WIDTH, "--config FILE",
	        "read settings from FILE instead of DIR/" CONFIG_FILE_NAME);
	fprintf(f, "  %-*s (%s)\n", HELP_FLAG_WIDTH, "", CONFIG_ENV);
	for (k = 0; k < GG_CFG__COUNT; k++) {
		d = &gg_config_defs[k];
		snprintf(flag, sizeof(flag), "--%s %s", d->name, metavar[d->type]);
		for (i = 2; flag[i] && flag[i] != ' '; i++)
			if (flag[i] == '_')
				flag[i] = '-';
		fprintf(f, "  %-*s %s\n", HELP_FLAG_WIDTH, flag, d->help);
		fprintf(f, "  %-*s (%s, default \"%s\"", HELP_FLAG_WIDTH, "", d->env, d->def);
		if (d->type == GG_CFG_TYPE_INT)
			fprintf(f, ", %lld to %lld", d->min, d->max);
		else if (d->type == GG_CFG_TYPE_STR)
			fprintf(f, ", %lld to %lld bytes", d->min, d->max);
		fputs(")\n", f);
	}
}
