/*
 * cmd_policy: `guanggu policy show [--on DATE] [--policy NAME]` prints the
 * values of the policy packs in force on a civil day (default: today in
 * the timezone setting), each with its legal reference, and `guanggu
 * policy check FILE` validates one pack file (exit 0, or 1 with
 * "file:line: field: reason"), and `guanggu policy test [FILE...]` runs
 * the policy tests as data (default: every NAME.yaml of policy_dir/tests),
 * printing "FILE: ok N cases" or one line per failure, exit 1 when any
 * case fails, and `guanggu policy whatif --set PARAM=VALUE [--set ...]
 * [--from DATE] [--format text|json]` prices the register's unpaid
 * installments due on or after DATE (default today) again with the
 * parameters changed (domain/whatif.c) and prints the recorded and the new
 * totals by calendar year of the due day, the totals and the difference,
 * writing nothing. Packs are the NAME.yaml files of the policy_dir
 * setting; tiers are checked against the installation's vocabulary, so
 * all need an installation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/json.h"
#include "../core/money.h"
#include "../domain/pack.h"
#include "../domain/policyset.h"
#include "../domain/policytest.h"
#include "../domain/vocabulary.h"
#include "../domain/whatif.h"
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
	if (v->has_card_tiers) {
		char value[512];

		gg_pack_card_tiers_text(v, value, sizeof(value));
		printf("  %-24s %s  (%s)\n", "card_tiers", value, v->card_tiers_ref);
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
	} else if (gg_clock_today(&day, &err) != GG_OK) {
		return gg_cli_fail(&err);
	}
	gg_clock_day_text(day, onbuf);
	if (name != NULL &&
	    (name[0] == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(name))) {
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

/* Yuan with a sign for a difference: "+360,000.00", "-1,080,000.00", "0.00". */
static const char *signed_yuan(int64_t fen, char out[GG_MONEY_TEXT_MAX + 1])
{
	out[0] = fen > 0 ? '+' : '\0';
	gg_money_format_grouped(fen, out + (fen > 0));
	return out;
}

static void whatif_text(const struct gg_whatif *w, const char *from, const struct gg_whatif_result *r)
{
	char a[GG_MONEY_TEXT_MAX], b[GG_MONEY_TEXT_MAX], c[GG_MONEY_TEXT_MAX + 1];

	printf("what if");
	for (size_t i = 0; i < w->nsets; i++) {
		gg_whatif_set_text(&w->sets[i], a);
		printf("%s %s = %s", i ? "," : "", gg_pack_param_name(w->sets[i].param), a);
	}
	printf(": the planned installments due on or after %s (%lld, of %lld plans), priced again under each plan's "
	       "version so changed; hypothetical, nothing is written\n",
	       from, (long long)r->total.installments, (long long)r->plans);
	printf("%-6s %12s %18s %18s %18s\n", "year", "installments", "recorded", "what-if", "difference");
	for (size_t i = 0; i <= r->nrows; i++) {
		const struct gg_whatif_row *row = i < r->nrows ? &r->rows[i] : &r->total;
		char year[16];

		if (i < r->nrows)
			snprintf(year, sizeof(year), "%d", row->year);
		else
			snprintf(year, sizeof(year), "total");
		printf("%-6s %12lld %18s %18s %18s\n", year, (long long)row->installments,
		       gg_money_format_grouped(row->old_fen, a), gg_money_format_grouped(row->new_fen, b),
		       signed_yuan(row->new_fen - row->old_fen, c));
	}
}

/* {"year"?, "installments", "old_fen", "new_fen", "difference_fen"}; NULL on out of memory. */
static struct gg_json *whatif_row_json(const struct gg_whatif_row *row, int with_year)
{
	struct gg_json *o = gg_json_object();
	int ok = o != NULL;

	if (with_year)
		ok &= gg_json_set_int(o, "year", row->year) == GG_OK;
	ok &= gg_json_set_int(o, "installments", row->installments) == GG_OK;
	ok &= gg_json_set_int(o, "old_fen", row->old_fen) == GG_OK;
	ok &= gg_json_set_int(o, "new_fen", row->new_fen) == GG_OK;
	ok &= gg_json_set_int(o, "difference_fen", row->new_fen - row->old_fen) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* The what-if as one JSON object; NULL on out of memory. */
static struct gg_json *whatif_json(const struct gg_whatif *w, const char *from, const struct gg_whatif_result *r)
{
	struct gg_json *o = gg_json_object(), *sets = gg_json_array(), *years = gg_json_array();
	char text[GG_MONEY_TEXT_MAX];
	int ok = o != NULL;

	for (size_t i = 0; i < w->nsets; i++) {
		struct gg_json *s = gg_json_object();
		int money = w->sets[i].param != GG_PACK_RATE_BP;

		gg_whatif_set_text(&w->sets[i], text);
		ok &= gg_json_set_str(s, "param", gg_pack_param_name(w->sets[i].param)) == GG_OK;
		ok &= gg_json_set_str(s, "text", text) == GG_OK;
		ok &= gg_json_set_int(s, money ? "value_fen" : "value", w->sets[i].value) == GG_OK;
		ok &= gg_json_append(sets, s) == GG_OK;
	}
	for (size_t i = 0; i < r->nrows; i++)
		ok &= gg_json_append(years, whatif_row_json(&r->rows[i], 1)) == GG_OK;
	ok &= gg_json_set_str(o, "from", from) == GG_OK;
	ok &= gg_json_set(o, "set", sets) == GG_OK;
	ok &= gg_json_set_int(o, "plans", r->plans) == GG_OK;
	ok &= gg_json_set(o, "years", years) == GG_OK;
	ok &= gg_json_set(o, "total", whatif_row_json(&r->total, 0)) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

static int policy_whatif(struct gg_cli *cli, int argc, char **argv)
{
	const char *from = NULL, *format = "text", *set_text = NULL;
	struct gg_whatif w = {.nsets = 0};
	struct gg_whatif_result *res = NULL;
	struct gg_policyset *set = NULL;
	struct gg_json *json = NULL;
	struct gg_error err;
	char frombuf[11], *text = NULL;
	int64_t day;
	int status = GG_EXIT_OK;

	gg_error_init(&err);
	for (int i = 2; i < argc; i++) {
		int r;

		if ((r = gg_cli_flag_value(argc, argv, &i, "--set", &set_text)) > 0) {
			if (gg_whatif_parse_set(&w, set_text, &err) != GG_OK) {
				gg_cli_fail(&err);
				return usage();
			}
		} else if (r == 0 && ((r = gg_cli_flag_value(argc, argv, &i, "--from", &from)) != 0 ||
		                      (r = gg_cli_flag_value(argc, argv, &i, "--format", &format)) != 0)) {
			if (r < 0)
				return usage_msg("a value is needed after", argv[i]);
		} else if (r < 0) {
			return usage_msg("a value is needed after", argv[i]);
		} else {
			return usage_msg("unexpected argument", argv[i]);
		}
	}
	if (w.nsets == 0) {
		fprintf(stderr, "error: --set PARAM=VALUE is required (threshold_cny, rate_bp or cap_cny)\n");
		return usage();
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return usage_msg("--format is text or json, not", format);
	if (from != NULL) {
		if (gg_pack_parse_day(from, &day) != 0)
			return usage_msg("--from is not a date YYYY-MM-DD:", from);
	} else if (gg_clock_today(&day, &err) != GG_OK) {
		return gg_cli_fail(&err);
	}
	gg_clock_day_text(day, frombuf);
	if (gg_cli_policies(cli, &set, &err) != GG_OK)
		return gg_cli_fail(&err);
	if ((res = malloc(sizeof(*res))) == NULL) {
		gg_error_set(&err, GG_E_NOMEM, NULL);
		status = gg_cli_fail(&err);
		goto out;
	}
	if (gg_whatif_run(cli->db, set, &w, day, res, &err) != GG_OK) {
		status = gg_cli_fail(&err);
		goto out;
	}
	if (strcmp(format, "text") == 0) {
		whatif_text(&w, frombuf, res);
	} else if ((json = whatif_json(&w, frombuf, res)) == NULL || (text = gg_json_dump(json, NULL)) == NULL) {
		gg_error_set(&err, GG_E_NOMEM, NULL);
		status = gg_cli_fail(&err);
	} else {
		printf("%s\n", text);
	}
out:
	free(text);
	gg_json_free(json);
	free(res);
	gg_policyset_free(set);
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
	if (strcmp(argv[1], "whatif") == 0)
		return policy_whatif(cli, argc, argv);
	return usage_msg("unknown policy command", argv[1]);
}
