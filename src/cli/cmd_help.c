/*
 * cmd_help: `guanggu help` lists the commands from the table; `guanggu help
 * CMD` (also `guanggu CMD --help`) prints the command's usage, what it does
 * and the settings every command accepts as flags (so `guanggu help
 * config` lists them all); `guanggu help errors` prints the error table as
 * markdown (the build writes docs/errors.md from it).
 */
#include <string.h>

#include "cli.h"

static int list_commands(void)
{
	const struct gg_cli_cmd *c;

	fputs("usage: guanggu COMMAND [ARGS] [--SETTING VALUE]...\n\ncommands:\n", stdout);
	for (c = gg_cli_cmds; c->name != NULL; c++)
		printf("  %-9s %s\n", c->name, c->help);
	fputs("\nguanggu help COMMAND explains a command and lists the settings;\n"
	      "guanggu help errors lists the error codes.\n",
	      stdout);
	return GG_EXIT_OK;
}

static int explain(const struct gg_cli_cmd *cmd)
{
	gg_cli_print_usage(stdout, cmd);
	printf("\n%s\n", cmd->help);
	if (cmd->flags & GG_CLI_NEED_DB)
		fputs("works on an existing installation (guanggu init creates one) and migrates it first\n", stdout);
	fputc('\n', stdout);
	gg_config_help(stdout);
	return GG_EXIT_OK;
}

int cmd_help(struct gg_cli *cli, int argc, char **argv)
{
	const struct gg_cli_cmd *cmd;

	if (argc < 2)
		return list_commands();
	if (argc > 2)
		return gg_cli_usage(gg_cli_find("help"));
	if (strcmp(argv[1], "errors") == 0) {
		if (gg_err_write_markdown(stdout) != 0) {
			fputs("error: cannot write the error table\n", stderr);
			return GG_EXIT_FAIL;
		}
		return GG_EXIT_OK;
	}
	cmd = gg_cli_find(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "error: unknown command '%s'\n(guanggu help lists the commands)\n", argv[1]);
		return GG_EXIT_USAGE;
	}
	return explain(cmd);
}
