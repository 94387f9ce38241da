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
#include "../domain/report.h"
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

/* ---- `guanggu ledger report KIND ...` (domain/report.c, docs/reports.md) ---- */

struct report_args {
	const char *kind, *from, *to, *years, *by, *talent, *org, *format;
};

static int report_id(const char *flag, const char *s, int64_t *out)
{
	long long v = 0;

	if (s == NULL)
		return 0;
	if (gg_parse_i64(s, 1, INT64_MAX, &v) != GG_OK) {
		fprintf(stderr, "error: %s '%s' is not a positive whole number\n", flag, s);
		return -1;
	}
	*out = (int64_t)v;
	return 0;
}

/* Prints t as CSV (without the BOM: a terminal or a pipe) or as aligned text. */
static int report_print(struct gg_report_table *t, int csv)
{
	struct gg_error err;
	struct gg_buf b;
	int rc = GG_EXIT_OK;

	gg_error_init(&err);
	gg_buf_init(&b, (size_t)64 * 1024 * 1024);
	if (csv) {
		if (gg_report_table_csv(t, &b, &err) != GG_OK)
			rc = gg_cli_fail(&err);
		else
			fwrite(b.buf + 3, 1, b.len - 3, stdout);
	} else {
		for (size_t c = 0; c < t->ncols; c++)
			printf("%s%s", c ? "  " : "", t->header[c]);
		printf("\n");
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++)
				printf("%s%s", c ? "  " : "",
				       t->cells[r * t->ncols + c][0] ? t->cells[r * t->ncols + c] : "-");
			printf("\n");
		}
	}
	gg_buf_release(&b);
	gg_report_table_free(t);
	return rc;
}

static int ledger_report(struct gg_cli *cli, int argc, char **argv)
{
	struct report_args a = {.format = "text"};
	struct gg_report_table t;
	struct gg_error err;
	enum gg_err rc;
	int csv;

	if (argc < 3)
		return usage();
	a.kind = argv[2];
	for (int i = 3; i < argc; i++) {
		int r;

		if ((r = gg_cli_flag_value(argc, argv, &i, "--from", &a.from)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--to", &a.to)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--years", &a.years)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--by", &a.by)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--talent", &a.talent)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--org", &a.org)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--format", &a.format)) != 0) {
			if (r < 0)
				return missing_value(argv[i]);
		} else {
			fprintf(stderr, "error: unexpected argument '%s'\n", argv[i]);
			return usage();
		}
	}
	if (strcmp(a.format, "text") != 0 && strcmp(a.format, "csv") != 0) {
		fprintf(stderr, "error: --format '%s' is not text or csv\n", a.format);
		return usage();
	}
	csv = strcmp(a.format, "csv") == 0;
	gg_error_init(&err);
	if (strcmp(a.kind, "forecast") == 0) {
		struct gg_report_forecast f;
		long long from = 0, years = 0;

		if ((a.from && gg_parse_i64(a.from, 2000, 9999, &from) != GG_OK) ||
		    (a.years && gg_parse_i64(a.years, 1, GG_REPORT_FORECAST_YEARS_MAX, &years) != GG_OK)) {
			fprintf(stderr, "error: --from is a year, --years 1 to %d\n", GG_REPORT_FORECAST_YEARS_MAX);
			return usage();
		}
		if (gg_report_forecast(cli->db, (int)from, (int)years, &f, &err) != GG_OK)
			return gg_cli_fail(&err);
		rc = gg_report_forecast_table(&f, &t, &err);
	} else if (strcmp(a.kind, "position") == 0) {
		if (a.by && strcmp(a.by, "year") != 0 && strcmp(a.by, "chain") != 0) {
			fprintf(stderr, "error: --by '%s' is not year or chain\n", a.by);
			return usage();
		}
		if (a.by && strcmp(a.by, "chain") == 0) {
			struct gg_report_chains c;

			if (gg_report_position_chains(cli->db, &c, &err) != GG_OK)
				return gg_cli_fail(&err);
			rc = gg_report_chains_table(&c, &t, &err);
		} else {
			struct gg_report_position p;

			if (gg_report_position_years(cli->db, &p, &err) != GG_OK)
				return gg_cli_fail(&err);
			rc = gg_report_position_table(&p, &t, &err);
			gg_report_position_free(&p);
		}
	} else if (strcmp(a.kind, "register") == 0) {
		struct gg_report_register_query q = {.from_day = -1, .to_day = -1};
		struct gg_report_register r;

		if ((a.from && gg_pack_parse_day(a.from, &q.from_day) != 0) ||
		    (a.to && gg_pack_parse_day(a.to, &q.to_day) != 0)) {
			fprintf(stderr, "error: --from and --to are dates YYYY-MM-DD\n");
			return usage();
		}
		if (report_id("--talent", a.talent, &q.talent_id) != 0 || report_id("--org", a.org, &q.org_id) != 0)
			return usage();
		if (gg_report_register(cli->db, &q, &r, &err) != GG_OK) {
			if (err.code == GG_E_INVALID) {
				gg_cli_fail(&err);
				return usage();
			}
			return gg_cli_fail(&err);
		}
		rc = gg_report_register_table(&r, &t, &err);
		gg_report_register_free(&r);
	} else if (strcmp(a.kind, "statement") == 0) {
		struct gg_report_statement s;
		int64_t talent = 0;

		if (report_id("--talent", a.talent, &talent) != 0 || talent == 0) {
			if (talent == 0 && a.talent == NULL)
				fprintf(stderr, "error: --talent is required\n");
			return usage();
		}
		if (gg_report_statement(cli->db, talent, 0, &s, &err) != GG_OK)
			return gg_cli_fail(&err);
		if (!csv) {
			char m[4][GG_MONEY_TEXT_MAX];

			printf("statement of talent %lld %s\n", (long long)s.talent_id, s.talent_name);
			for (size_t i = 0; i < s.nplans; i++)
				printf("plan %lld (%s, %s): %s CNY from %s\n", (long long)s.plans[i].id,
				       s.plans[i].kind, s.plans[i].status,
				       gg_money_format_grouped(s.plans[i].total_fen, m[0]), s.plans[i].start_on);
			for (size_t i = 0; i < s.ninst; i++)
				printf(
				    "  plan %lld year %d due %s planned %s (%s) verification %s accepted %s paid %s\n",
				    (long long)s.inst[i].plan_id, s.inst[i].year, s.inst[i].due_on,
				    gg_money_format_grouped(s.inst[i].amount_fen, m[0]), s.inst[i].status,
				    s.inst[i].verification[0] ? s.inst[i].verification : "-",
				    s.inst[i].accepted ? gg_money_format_grouped(s.inst[i].accepted_fen, m[1]) : "-",
				    gg_money_format_grouped(s.inst[i].paid_fen, m[2]));
			printf("paid %s, returned %s, clawed back %s, committed %s CNY\n",
			       gg_money_format_grouped(s.paid_fen, m[0]), gg_money_format_grouped(s.returned_fen, m[1]),
			       gg_money_format_grouped(s.clawed_back_fen, m[2]),
			       gg_money_format_grouped(s.committed_fen, m[3]));
		}
		rc = gg_report_statement_table(&s, &t, &err);
		gg_report_statement_free(&s);
	} else {
		fprintf(stderr, "error: unknown report '%s' (forecast, position, register, statement)\n", a.kind);
		return usage();
	}
	if (rc != GG_OK)
		return gg_cli_fail(&err);
	return report_print(&t, csv);
}
/* ---- end of ledger report ---- */

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
	if (strcmp(argv[1], "report") == 0)
		return ledger_report(cli, argc, argv);
	fprintf(stderr, "error: unknown ledger command '%s'\n", argv[1]);
	return usage();
}
