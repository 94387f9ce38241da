/*
 * cmd_check: `guanggu check id VALUE [--birth-date YYYY-MM-DD]` and
 * `guanggu check uscc VALUE` check one number by hand, for staff who have
 * it on paper or in a spreadsheet: the answer is `ok` (exit 0) or the rule
 * that failed (exit 1), followed by a hint when the value looks damaged by
 * a spreadsheet. Needs no installation. Subcommands are a small table.
 */
#include <stdio.h>
#include <string.h>

#include "../domain/ident.h"
#include "cli.h"

/* 1 when s is a real date YYYY-MM-DD. */
static int is_date(const char *s)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* Prints the verdict of a check: ok, or the rule and (when it fits) the spreadsheet hint. */
static int verdict(enum gg_err rc, const struct gg_error *err, const char *value)
{
	const char *damaged;

	if (rc == GG_OK) {
		puts("ok");
		return GG_EXIT_OK;
	}
	if (rc != GG_E_INVALID)
		return gg_cli_fail(err);
	puts(gg_error_message(err));
	damaged = gg_ident_excel_damaged(value);
	if (damaged)
		printf("hint: %s\n", damaged);
	return GG_EXIT_FAIL;
}

static int check_id(int argc, char **argv)
{
	const char *value = NULL, *birth = NULL;
	struct gg_error err;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--birth-date") == 0) {
			if (i + 1 >= argc || birth)
				return gg_cli_usage(gg_cli_find("check"));
			birth = argv[++i];
		} else if (strncmp(argv[i], "--birth-date=", 13) == 0) {
			if (birth)
				return gg_cli_usage(gg_cli_find("check"));
			birth = argv[i] + 13;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			fprintf(stderr, "error: unknown option '%s'\n", argv[i]);
			return gg_cli_usage(gg_cli_find("check"));
		} else if (!value) {
			value = argv[i];
		} else {
			return gg_cli_usage(gg_cli_find("check"));
		}
	}
	if (!value)
		return gg_cli_usage(gg_cli_find("check"));
	if (birth && !is_date(birth)) {
		fprintf(stderr, "error: --birth-date '%s' is not a date YYYY-MM-DD\n", birth);
		return GG_EXIT_USAGE;
	}
	gg_error_init(&err);
	return verdict(gg_ident_check_resident_id(value, birth, NULL, &err), &err, value);
}

static int check_uscc(int argc, char **argv)
{
	struct gg_error err;

	if (argc != 3 || (argv[2][0] == '-' && argv[2][1] == '-'))
		return gg_cli_usage(gg_cli_find("check"));
	gg_error_init(&err);
	return verdict(gg_ident_check_uscc(argv[2], NULL, &err), &err, argv[2]);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} subcommands[] = {
    {"id", check_id},
    {"uscc", check_uscc},
};

int cmd_check(struct gg_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc < 2)
		return gg_cli_usage(gg_cli_find("check"));
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(argc, argv);
	fprintf(stderr, "error: unknown check '%s'\n", argv[1]);
	return gg_cli_usage(gg_cli_find("check"));
}
