/*
 * cmd_user: `guanggu user add|list|passwd|disable|enable|token`, the
 * operator's way to manage accounts on the machine itself, also while the
 * server runs (the database waits for the server's write lock). Every
 * write goes through the same domain functions as the HTTP API and is
 * audited with the actor "cli". A password is read from standard input
 * with --password-stdin, otherwise generated, printed once and marked to
 * be changed at first login.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../domain/token.h"
#include "../domain/user.h"
#include "cli.h"

static const struct gg_actor cli_actor = {0, "cli", NULL};

static int usage(void)
{
	return gg_cli_usage(gg_cli_find("user"));
}

static int usage_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return usage();
}

static void wipe(void *p, size_t len)
{
	volatile unsigned char *v = p;
	while (len--)
		*v++ = 0;
}

/* Shows a generated password, if there is one, with what the account must do with it. */
static void show_generated(const char *generated)
{
	if (generated[0])
		printf("password: %s\n(shown once; it must be changed at first login)\n", generated);
}

/* Takes argument a as the NAME: GG_EXIT_OK, or the usage status for an option or a second name. */
static int name_arg(const char *a, const char **name)
{
	if (a[0] == '-' && a[1] != '\0')
		return usage_msg("unknown option '%s'", a);
	if (*name)
		return usage_msg("unexpected argument '%s'", a);
	*name = a;
	return GG_EXIT_OK;
}

/* Reads the first line of standard input as the password (without its line end). */
static enum gg_err read_password(char *out, size_t outsz, struct gg_error *err)
{
	size_t len;

	if (!fgets(out, (int)outsz, stdin)) {
		if (ferror(stdin))
			return gg_error_set(err, GG_E_IO, "cannot read the password from standard input: %s",
			                    strerror(errno));
		return gg_error_field(err, GG_E_WEAK_PASSWORD, "password", "no password on standard input");
	}
	len = strlen(out);
	if (len && out[len - 1] != '\n' && !feof(stdin))
		return gg_error_field(err, GG_E_WEAK_PASSWORD, "password", "password is longer than %d bytes",
		                      GG_PASSWORD_MAX);
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return GG_OK;
}

static int user_add(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_role_grant roles[GG_PRINCIPAL_ROLES_MAX];
	const char *name = NULL, *display = NULL, *v;
	char password[GG_PASSWORD_MAX + 2], generated[32] = "";
	size_t nroles = 0;
	int from_stdin = 0, has_scope[GG_PRINCIPAL_ROLES_MAX] = {0}, status = GG_EXIT_FAIL, r;
	struct gg_error err;
	int64_t id = 0;

	gg_error_init(&err);
	for (int i = 2; i < argc; i++) {
		if ((r = gg_cli_flag_value(argc, argv, &i, "--role", &v)) != 0) {
			if (r < 0)
				return usage_msg("%s needs a value", "--role");
			if (nroles == GG_PRINCIPAL_ROLES_MAX) {
				gg_error_set(&err, GG_E_INVALID, "at most %d roles are allowed",
				             GG_PRINCIPAL_ROLES_MAX);
				return gg_cli_fail(&err);
			}
			enum gg_role role;
			if (gg_role_parse(v, &role, &err) != GG_OK)
				return gg_cli_fail(&err);
			roles[nroles].role = role;
			roles[nroles].scope_kind = GG_SCOPE_NONE;
			roles[nroles].scope_id = 0;
			nroles++;
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--scope", &v)) != 0) {
			if (r < 0)
				return usage_msg("%s needs a value", "--scope");
			if (nroles == 0)
				return usage_msg("%s belongs to the --role before it", "--scope");
			if (has_scope[nroles - 1])
				return usage_msg("%s given twice for one --role", "--scope");
			has_scope[nroles - 1] = 1;
			if (gg_role_parse_scope(roles[nroles - 1].role, v, &roles[nroles - 1], &err) != GG_OK)
				return gg_cli_fail(&err);
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--display-name", &v)) != 0) {
			if (r < 0)
				return usage_msg("%s needs a value", "--display-name");
			display = v;
		} else if (strcmp(argv[i], "--password-stdin") == 0) {
			from_stdin = 1;
		} else if ((r = name_arg(argv[i], &name)) != GG_EXIT_OK) {
			return r;
		}
	}
	if (!name)
		return usage_msg("user add needs a NAME");
	if (nroles == 0)
		return usage_msg("user add needs at least one --role");
	/* A role that takes a scope and got none is refused here, with the scope forms it takes. */
	for (size_t k = 0; k < nroles; k++) {
		if (!has_scope[k] && gg_role_parse_scope(roles[k].role, NULL, &roles[k], &err) != GG_OK)
			return gg_cli_fail(&err);
	}
	if (from_stdin && read_password(password, sizeof password, &err) != GG_OK)
		goto out;

	const struct gg_user_new u = {
	    .username = name,
	    .display_name = display,
	    .password = from_stdin ? password : NULL,
	    .must_change = 0,
	    .roles = roles,
	    .nroles = nroles,
	};
	if (gg_user_create(cli->db, &cli_actor, &u, (int)gg_config_int(&cli->cfg, GG_CFG_password_min_length), &id,
	                   generated, sizeof generated, &err) != GG_OK)
		goto out;
	printf("created user '%s' (id %lld)\n", name, (long long)id);
	show_generated(generated);
	status = GG_EXIT_OK;
out:
	wipe(password, sizeof password);
	wipe(generated, sizeof generated);
	return status == GG_EXIT_OK ? status : gg_cli_fail(&err);
}

static int user_list(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_user_filter f = {.disabled = -1, .limit = 200};
	struct gg_user *users = NULL;
	struct gg_error err;
	char roles[1024];
	size_t n = 0;
	int more = 1;

	if (argc != 2)
		return usage_msg("unexpected argument '%s'", argv[2]);
	gg_error_init(&err);
	printf("%-6s %-24s %-40s %-8s %s\n", "id", "username", "roles", "disabled", "must change");
	while (more) {
		if (gg_user_list(cli->db, &f, &users, &n, &more, &err) != GG_OK)
			return gg_cli_fail(&err);
		for (size_t i = 0; i < n; i++) {
			gg_user_roles_text(users[i].roles, users[i].nroles, roles, sizeof roles);
			printf("%-6lld %-24s %-40s %-8s %s\n", (long long)users[i].id, users[i].username, roles,
			       users[i].disabled ? "yes" : "no", users[i].must_change_password ? "yes" : "no");
		}
		if (n > 0)
			f.after_id = users[n - 1].id;
		free(users);
		users = NULL;
	}
	return GG_EXIT_OK;
}

/* NAME and whether --password-stdin was given; other arguments are usage errors. */
static int name_args(int argc, char **argv, int allow_stdin, const char **name, int *from_stdin)
{
	int rc;

	*name = NULL;
	*from_stdin = 0;
	for (int i = 2; i < argc; i++) {
		if (allow_stdin && strcmp(argv[i], "--password-stdin") == 0)
			*from_stdin = 1;
		else if ((rc = name_arg(argv[i], name)) != GG_EXIT_OK)
			return rc;
	}
	if (!*name)
		return usage_msg("user %s needs a NAME", argv[1]);
	return GG_EXIT_OK;
}

static int user_passwd(struct gg_cli *cli, int argc, char **argv)
{
	const char *name;
	char password[GG_PASSWORD_MAX + 2] = "", generated[32] = "";
	int from_stdin, status;
	struct gg_error err;
	struct gg_user u;

	if ((status = name_args(argc, argv, 1, &name, &from_stdin)) != GG_EXIT_OK)
		return status;
	gg_error_init(&err);
	status = GG_EXIT_FAIL;
	if (gg_user_get_by_name(cli->db, name, &u, &err) != GG_OK)
		goto out;
	if (from_stdin && read_password(password, sizeof password, &err) != GG_OK)
		goto out;
	if (gg_user_password_reset(cli->db, &cli_actor, u.id, from_stdin ? password : NULL, 0,
	                           (int)gg_config_int(&cli->cfg, GG_CFG_password_min_length), generated,
	                           sizeof generated, &err) != GG_OK)
		goto out;
	printf("password of '%s' set; its sessions ended\n", name);
	show_generated(generated);
	status = GG_EXIT_OK;
out:
	wipe(password, sizeof password);
	wipe(generated, sizeof generated);
	return status == GG_EXIT_OK ? status : gg_cli_fail(&err);
}

static int set_disabled(struct gg_cli *cli, int argc, char **argv, int disabled)
{
	const char *name, *word = disabled ? "disabled" : "enabled";
	struct gg_user_patch p = {.disabled = disabled};
	struct gg_error err;
	struct gg_user u;
	int from_stdin, status;
	enum gg_err rc = GG_E_STALE;

	if ((status = name_args(argc, argv, 0, &name, &from_stdin)) != GG_EXIT_OK)
		return status;
	/* A change by someone else between reading and writing: read again, a few times. */
	for (int attempt = 0; attempt < 3 && rc == GG_E_STALE; attempt++) {
		gg_error_init(&err);
		if ((rc = gg_user_get_by_name(cli->db, name, &u, &err)) != GG_OK)
			return gg_cli_fail(&err);
		if (u.disabled == disabled) {
			printf("user '%s' is already %s\n", name, word);
			return GG_EXIT_OK;
		}
		rc = gg_user_update(cli->db, &cli_actor, u.id, u.version, &p, NULL, &err);
	}
	if (rc != GG_OK)
		return gg_cli_fail(&err);
	printf("user '%s' %s%s\n", name, word, disabled ? "; its sessions ended and its API tokens stop working" : "");
	return GG_EXIT_OK;
}

static int user_disable(struct gg_cli *cli, int argc, char **argv)
{
	return set_disabled(cli, argc, argv, 1);
}

static int user_enable(struct gg_cli *cli, int argc, char **argv)
{
	return set_disabled(cli, argc, argv, 0);
}

static int user_token(struct gg_cli *cli, int argc, char **argv)
{
	const char *name = NULL, *label = NULL, *days_text = NULL, *v;
	char text[GG_TOKEN_TEXT_MAX] = "", expires[32];
	long long days = gg_config_int(&cli->cfg, GG_CFG_token_days);
	struct gg_error err;
	struct gg_token t;
	struct gg_user u;
	int r;

	for (int i = 2; i < argc; i++) {
		if ((r = gg_cli_flag_value(argc, argv, &i, "--label", &v)) != 0) {
			if (r < 0)
				return usage_msg("%s needs a value", "--label");
			label = v;
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--days", &v)) != 0) {
			if (r < 0)
				return usage_msg("%s needs a value", "--days");
			days_text = v;
		} else if ((r = name_arg(argv[i], &name)) != GG_EXIT_OK) {
			return r;
		}
	}
	if (!name)
		return usage_msg("user token needs a NAME");
	if (!label)
		return usage_msg("user token needs --label");
	gg_error_init(&err);
	if (days_text && gg_parse_i64(days_text, 1, GG_TOKEN_DAYS_MAX, &days) != GG_OK) {
		gg_error_field(&err, GG_E_INVALID, "days", "--days must be a whole number from 1 to %d",
		               GG_TOKEN_DAYS_MAX);
		return gg_cli_fail(&err);
	}
	if (gg_user_get_by_name(cli->db, name, &u, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (gg_token_create(cli->db, &cli_actor, u.id, label, (int)days, text, sizeof text, &t, &err) != GG_OK)
		return gg_cli_fail(&err);
	gg_clock_iso(t.expires_at, expires, sizeof expires);
	printf("token: %s\n(id %lld for '%s', expires %s; shown once)\n", text, (long long)t.id, name, expires);
	wipe(text, sizeof text);
	return GG_EXIT_OK;
}

static const struct {
	const char *name;
	gg_cli_fn fn;
} subcommands[] = {
    {"add", user_add},         {"list", user_list},     {"passwd", user_passwd},
    {"disable", user_disable}, {"enable", user_enable}, {"token", user_token},
};

int cmd_user(struct gg_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(cli, argc, argv);
	}
	return usage_msg("unknown user command '%s'", argv[1]);
}
