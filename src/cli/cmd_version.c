/*
 * cmd_version: `guanggu version` prints the program's version. The versions
 * of the libraries are known only inside their wrapper files (no third-party
 * header is included anywhere else), so this prints Guanggu's own.
 */
#include "cli.h"

#ifndef GG_VERSION
#define GG_VERSION "0.1.0"
#endif

int cmd_version(struct gg_cli *cli, int argc, char **argv)
{
	if (argc != 1)
		return gg_cli_usage(gg_cli_find("version"));
	printf("guanggu %s\n", GG_VERSION);
	return GG_EXIT_OK;
}
