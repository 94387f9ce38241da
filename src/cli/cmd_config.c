/*
 * cmd_config: `guanggu config show` prints every setting with its effective
 * value and where it came from (default, the config file and line, a
 * GUANGGU_* variable or a flag), after the name of the config file used.
 * Subcommands are a small table, as git's OPT_SUBCOMMAND.
 */
#include <string.h>

#include "cli.h"

static int config_show(struct gg_cli *cli, int argc, char **argv)
{
	char conf[GG_CONFIG_STR_MAX + 32];
	struct gg_error err;

	if (argc != 2)
		return gg_cli_usage(gg_cli_find("config"));
	gg_error_init(&err);
	if (cli->cfg.file[0] != '\0') {
		printf("# config file: %s\n", cli->cfg.file);
	} else {
		if (gg_cli_path(cli, "guanggu.conf", conf, sizeof(conf), &err) != GG_OK)
			return gg_cli_fail(&err);
		printf("# config file: none (%s does not exist)\n", conf);
	}
	gg_config_show(&cli->cfg, stdout);
	return GG_EXIT_OK;
}

static const struct {
	const char *name;
	gg_cli_fn fn;
} subcommands[] = {
    {"show", config_show},
};

int cmd_config(struct gg_cli *cli, int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return gg_cli_usage(gg_cli_find("config"));
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(cli, argc, argv);
	fprintf(stderr, "error: unknown config command '%s'\n", argv[1]);
	return gg_cli_usage(gg_cli_find("config"));
}
