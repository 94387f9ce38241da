/*
 * main: the entry point of `guanggu`, both the server (`guanggu serve`) and
 * the operator's tool. Everything happens in gg_cli_main (cli/cli.c): the
 * command table, the configuration, the dispatch; main only hands it the
 * arguments and the environment and exits with the status it returns.
 */
#include <unistd.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	return gg_cli_main(argc, argv, environ);
}
