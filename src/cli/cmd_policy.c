/*
 * cmd_policy: `guanggu policy show [--on DATE] [--policy NAME]` prints the
 * values of the policy packs in force on a civil day (default: today in
 * the timezone setting), each with its legal reference, and `guanggu
 * policy check FILE` validates one pack file (exit 0, or 1 with
 * "file:line: field: reason"), and `guanggu policy test [FILE...]` runs
 * the policy tests as data (default: every NAME.yaml of policy_dir/tests),
 * printing "FILE: ok N cases" or one line per failure, exit 1 when any
 * case fails. Packs are the NAME.yaml files of the policy_dir setting;
 * tiers are checked against the installation's vocabulary, so all need
 * an installation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/pack.h"
#include "../domain/policyset.h"
#include "../domain/policytest.h"
#include "../domain/vocabulary.h"
#include "cli.h"

static int usage(void)
{
	return gg_cli_usage(gg_cli_find("policy"));
}

static int usage_msg(const char *msg, const char *arg)
{
	fprintf(stderr, "error: %s '%s'\n", msg, arg);
	return usage();
}

static void print_version(const struct gg_pack *p, const struct gg_pack_version *v, const char *on)
{
	char hash[GG_SHA256_HEX];
	struct gg_error err;

	gg_error_init(&err);
	if (gg_policyset_version_hash(p, v, hash, &err) != GG_OK)
		snprintf(hash, sizeof(hash), "-");
	printf("%s  %s\n", p->name, p->title);
	printf("version %s in force on %s: [%s, %s)  sha256 %s\n", v->version, on, v->from, v->to[0] ? v->to : "…",
	       hash);
	printf("reference: %s\n", v->reference);
	for (int i = 0; i < GG_PACK_PARAM__COUNT; i++) {
		char value[512];

		gg_pack_param_text(v, (enum gg_pack_param)i, value, sizeof(value));
		printf("  %-24s %s  (%s)\n", gg_pack_param_name((enum gg_pack_param)i), value, v->refs[i]);
	}
}

static int policy_show(struct gg_cli *cli, int argc, char **argv)
{
	const char *on = NULL, *name = NULL;
	struct gg_policyset *set = NULL;
	struct gg_error err;
	char onbuf[11];
	int64_t day;
	int status = GG_EXIT_OK, shown = 0;

	for (int i = 2; i < argc; i++) {
		int r;

		if ((r = gg_cli_flag_value(argc, argv, &i, "--on", &on)) != 0) {
			if (r < 0)
				return usage();
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--policy", &name)) != 0) {
			if (r < 0)
				return usage();
		} else {
			return usage_msg("unexpected argument", argv[i]);
		}
	}
	gg_error_init(&err);
	if (on != NULL) {
		if (gg_pack_parse_day(on, &day) != 0) {
			fprintf(stderr, "error: --on '%s' is not a date YYYY-MM-DD\n", on);
			return GG_EXIT_USAGE;
		}
	} else if (gg_clock_local_day(gg_clock_zone(), gg_clock_now(), &day) != 0) {
		gg_error_set(&err, GG_E_CONFIG, "unknown time zone '%s'", gg_clock_zone());
		return gg_cli_fail(&err);
	}
	gg_clock_day_text(day, onbuf);
	if (name != NULL && (name[0] == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(name))) {
		fprintf(stderr, "error: --policy '%s' is not a pack name (a-z, 0-9, '-', '_')\n", name);
		return GG_EXIT_USAGE;
	}
	if (gg_cli_policies(cli, &set, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (name != NULL && gg_policyset_find(set, name) == NULL) {
		gg_error_set(&err, GG_E_NOT_FOUND, "unknown policy '%s'", name);
		status = gg_cli_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < gg_policyset_count(set); i++) {
		const struct gg_pack *p = gg_policyset_at(set, i);
		const struct gg_pack_version *v;
		struct gg_policy_params params;

		if (name != NULL && strcmp(p->name, name) != 0)
			continue;
		if ((v = gg_pack_version_on(p, day)) == NULL) {
			gg_pack_params_on(p, day, &params, &err);
			status = gg_cli_fail(&err);
			goto out;
		}
		if (shown++ > 0)
			putchar('\n');
		print_version(p, v, onbuf);
	}
out:
	gg_policyset_free(set);
	return status;
}

static int policy_check(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_vocabulary *vocab = NULL;
	struct gg_pack *p = NULL;
	struct gg_error err;
	int status;

	if (argc != 3)
		return argc < 3 ? usage() : usage_msg("unexpected argument", argv[3]);
	gg_error_init(&err);
	if (gg_vocab_load(cli->db, &vocab, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (gg_pack_load(argv[2], vocab, &p, &err) != GG_OK) {
		status = gg_cli_fail(&err);
	} else {
		printf("ok: %s, %zu version%s, sha256 %s\n", p->name, p->nversions, p->nversions == 1 ? "" : "s",
		       gg_pack_hash(p));
		status = GG_EXIT_OK;
	}
	gg_pack_free(p);
	gg_vocab_free(vocab);
	return status;
}

/* Runs one case file: "FILE: ok N cases" or its failure lines; 0 all passed, 1 not. */
static int test_file(const char *path, const char *dir, const struct gg_vocabulary *vocab)
{
	struct gg_policytest_result res;
	struct gg_error err;
	int status = GG_EXIT_OK;

	gg_error_init(&err);
	if (gg_policytest_run(path, dir, vocab, &res, &err) != GG_OK) {
		status = gg_cli_fail(&err);
	} else if (res.failed > 0) {
		fwrite(res.failures.buf, 1, res.failures.len, stdout);
		printf("%s: FAILED %d of %d cases\n", path, res.failed, res.passed + res.failed);
		status = GG_EXIT_FAIL;
	} else {
		printf("%s: ok %d cases\n", path, res.passed);
	}
	gg_buf_release(&res.failures);
	return status;
}

static int policy_test(struct gg_cli *cli, int argc, char **argv)
{
	const char *dir = gg_config_str(&cli->cfg, GG_CFG_policy_dir);
	struct gg_vocabulary *vocab = NULL;
	struct gg_error err;
	int status = GG_EXIT_OK;

	for (int i = 2; i < argc; i++)
		if (argv[i][0] == '-')
			return usage_msg("unexpected option", argv[i]);
	gg_error_init(&err);
	if (gg_vocab_load(cli->db, &vocab, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			if (test_file(argv[i], dir, vocab) != GG_EXIT_OK)
				status = GG_EXIT_FAIL;
	} else {
		char tests[GG_CONFIG_STR_MAX + 16];
		char *names[GG_POLICYSET_PACKS_MAX];
		size_t n = 0, len = strlen(dir);

		snprintf(tests, sizeof(tests), "%s%stests", dir, len && dir[len - 1] == '/' ? "" : "/");
		if (gg_policyset_names(tests, names, &n, &err) != GG_OK || n == 0) {
			gg_error_set(&err, GG_E_NOT_FOUND, "no policy test files (NAME.yaml) in '%s'", tests);
			status = gg_cli_fail(&err);
		} else {
			for (size_t i = 0; i < n; i++) {
				char path[GG_CONFIG_STR_MAX + 128];

				snprintf(path, sizeof(path), "%s/%s.yaml", tests, names[i]);
				if (test_file(path, dir, vocab) != GG_EXIT_OK)
					status = GG_EXIT_FAIL;
			}
		}
		for (size_t i = 0; i < n; i++)
			free(names[i]);
	}
	gg_vocab_free(vocab);
	return status;
}

int cmd_policy(struct gg_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "show") == 0)
		return policy_show(cli, argc, argv);
	if (strcmp(argv[1], "check") == 0)
		return policy_check(cli, argc, argv);
	if (strcmp(argv[1], "test") == 0)
		return policy_test(cli, argc, argv);
	return usage_msg("unknown policy command", argv[1]);
}
