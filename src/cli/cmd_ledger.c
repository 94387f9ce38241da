/*
 * cmd_ledger: the special fund's ledger on the command line
 * (domain/ledger.c, docs/ledger.md). `guanggu ledger balance [--on DATE]
 * [--format text|json]` prints each account of the chart with its balance
 * (debits - credits) from the entries posted on or before DATE (default:
 * all), and the totals; the JSON form is exactly {"accounts": [{"code",
 * "name", "balance_fen"}], "total_debit_fen", "total_credit_fen"}. The
 * text form also says how many plans are not committed yet, and an entry
 * that does not balance fails the command. `guanggu ledger appropriate
 * --amount CNY --memo TEXT` posts an appropriation to the fund; `guanggu
 * ledger commit-existing` commits every active formula plan not committed
 * yet (all or nothing; a shortfall is stated). Actor "cli". Exit 0, 1 for
 * a refusal, 2 for a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/json.h"
#include "../core/money.h"
#include "../domain/ledger.h"
#include "../domain/pack.h"
#include "cli.h"

static const struct gg_actor cli_actor = {0, "cli", NULL};

static int usage(void)
{
	return gg_cli_usage(gg_cli_find("ledger"));
}

static int missing_value(const char *flag)
{
	fprintf(stderr, "error: %s needs a value\n", flag);
	return usage();
}

static int print_json(const struct gg_ledger_balances *b)
{
	struct gg_json *o = gg_json_object(), *arr = gg_json_array();
	char *text = NULL;
	int ok = o != NULL && arr != NULL;

	for (size_t i = 0; ok && i < b->naccounts; i++) {
		struct gg_json *a = gg_json_object();

		ok &= gg_json_set_str(a, "code", b->accounts[i].code) == GG_OK;
		ok &= gg_json_set_str(a, "name", b->accounts[i].name_en) == GG_OK;
		ok &= gg_json_set_int(a, "balance_fen", b->accounts[i].balance_fen) == GG_OK;
		ok &= gg_json_append(arr, a) == GG_OK;
	}
	ok &= gg_json_set(o, "accounts", arr) == GG_OK;
	ok &= gg_json_set_int(o, "total_debit_fen", b->total_debit_fen) == GG_OK;
	ok &= gg_json_set_int(o, "total_credit_fen", b->total_credit_fen) == GG_OK;
	if (ok && (text = gg_json_dump(o, NULL)) != NULL)
		printf("%s\n", text);
	else
		fprintf(stderr, "error: out of memory\n");
	free(text);
	gg_json_free(o);
	return text != NULL ? GG_EXIT_OK : GG_EXIT_FAIL;
}

static void print_text(const struct gg_ledger_balances *b, const char *on)
{
	char m[GG_MONEY_TEXT_MAX], d[GG_MONEY_TEXT_MAX], c[GG_MONEY_TEXT_MAX];

	printf("the special fund on %s (balance = debits - credits, CNY)\n", on ? on : "the latest entry");
	for (size_t i = 0; i < b->naccounts; i++)
		printf("  %-20s %22s  %s / %s\n", b->accounts[i].code,
		       gg_money_format_grouped(b->accounts[i].balance_fen, m), b->accounts[i].name_zh,
		       b->accounts[i].name_en);
	printf("  %-20s %22s\n  %-20s %22s\n", "total debits", gg_money_format_grouped(b->total_debit_fen, d),
	       "total credits", gg_money_format_grouped(b->total_credit_fen, c));
	printf("%lld entr%s, all balanced\n", (long long)b->entries, b->entries == 1 ? "y" : "ies");
	if (b->uncommitted_plans > 0)
		printf(
		    "%lld plan%s not committed (%s planned): run `guanggu ledger commit-existing` once the fund covers "
		    "them\n",
		    (long long)b->uncommitted_plans, b->uncommitted_plans == 1 ? "" : "s",
		    gg_money_format_grouped(b->uncommitted_fen, m));
}

static int ledger_balance(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_ledger_balances b;
	struct gg_error err;
	const char *on = NULL, *format = "text";
	int64_t day = -1;

	for (int i = 2; i < argc; i++) {
		int r;

		if ((r = gg_cli_flag_value(argc, argv, &i, "--on", &on)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--format", &format)) != 0) {
			if (r < 0)
				return missing_value(argv[i]);
		} else {
			fprintf(stderr, "error: unexpected argument '%s'\n", argv[i]);
			return usage();
		}
	}
	if (on != NULL && gg_pack_parse_day(on, &day) != 0) {
		fprintf(stderr, "error: --on '%s' is not a date YYYY-MM-DD\n", on);
		return usage();
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "error: --format '%s' is not text or json\n", format);
		return usage();
	}
	gg_error_init(&err);
	if (gg_ledger_balances(cli->db, day, &b, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (b.unbalanced > 0 || b.total_debit_fen != b.total_credit_fen) {
		gg_error_set(&err, GG_E_INTERNAL, "the ledger does not balance: %lld entr%s, the first is entry %lld",
		             (long long)b.unbalanced, b.unbalanced == 1 ? "y does not" : "ies do not",
		             (long long)b.first_unbalanced);
		return gg_cli_fail(&err);
	}
	if (strcmp(format, "json") == 0)
		return print_json(&b);
	print_text(&b, on);
	return GG_EXIT_OK;
}

static int ledger_appropriate(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_error err;
	const char *amount = NULL, *memo = NULL;
	char text[GG_MONEY_TEXT_MAX];
	int64_t fen = 0, entry = 0;

	for (int i = 2; i < argc; i++) {
		int r;

		if ((r = gg_cli_flag_value(argc, argv, &i, "--amount", &amount)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--memo", &memo)) != 0) {
			if (r < 0)
				return missing_value(argv[i]);
		} else {
			fprintf(stderr, "error: unexpected argument '%s'\n", argv[i]);
			return usage();
		}
	}
	if (amount == NULL || memo == NULL) {
		fprintf(stderr, "error: --amount and --memo are required\n");
		return usage();
	}
	gg_error_init(&err);
	if (gg_money_parse(amount, &fen, &err) != GG_OK || fen == 0) {
		if (fen == 0 && err.code == GG_OK)
			gg_error_field(&err, GG_E_INVALID, "amount", "an appropriation is more than 0");
		gg_cli_fail(&err);
		return usage();
	}
	if (gg_ledger_appropriate(cli->db, &cli_actor, fen, memo, &entry, &err) != GG_OK) {
		if (err.code == GG_E_INVALID) {
			gg_cli_fail(&err);
			return usage();
		}
		return gg_cli_fail(&err);
	}
	printf("appropriated %s CNY to the fund (entry %lld)\n", gg_money_format_grouped(fen, text), (long long)entry);
	return GG_EXIT_OK;
}

static int ledger_commit_existing(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_error err;
	int64_t n = 0;

	if (argc > 2) {
		fprintf(stderr, "error: unexpected argument '%s'\n", argv[2]);
		return usage();
	}
	gg_error_init(&err);
	if (gg_ledger_commit_existing(cli->db, &cli_actor, &n, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("committed %lld plan%s\n", (long long)n, n == 1 ? "" : "s");
	return GG_EXIT_OK;
}

int cmd_ledger(struct gg_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "balance") == 0)
		return ledger_balance(cli, argc, argv);
	if (strcmp(argv[1], "appropriate") == 0)
		return ledger_appropriate(cli, argc, argv);
	if (strcmp(argv[1], "commit-existing") == 0)
		return ledger_commit_existing(cli, argc, argv);
	fprintf(stderr, "error: unknown ledger command '%s'\n", argv[1]);
	return usage();
}
