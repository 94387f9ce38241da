/*
 * cmd_migrate: `guanggu migrate` applies the migrations the database lacks
 * and says how many it applied (0 when it is up to date) and the version it
 * is at. It opens the database itself, without the dispatcher's automatic
 * migration, so the count is real.
 */
#include "../store/migrate.h"
#include "cli.h"

int cmd_migrate(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_error err;
	int applied = 0, version = 0;

	if (argc != 1)
		return gg_cli_usage(gg_cli_find("migrate"));
	gg_error_init(&err);
	if (gg_cli_open_db(cli, 0, &err) != GG_OK || gg_migrate(cli->db, &applied, &err) != GG_OK ||
	    gg_migrate_version(cli->db, &version, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("migrated: %d applied, at version %d\n", applied, version);
	return GG_EXIT_OK;
}
