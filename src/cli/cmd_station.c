/*
 * cmd_station: `guanggu station list|add`, the operator's way to record
 * the Optics Valley stations that station operators' accounts are scoped
 * to (`guanggu user add NAME --role station_operator --scope station:ID`
 * needs the station to exist). Writes go through the station module,
 * audited with the actor "cli". The stations programme itself (leads,
 * referrals) follows in a later issue.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/station.h"
#include "cli.h"

static const struct gg_actor cli_actor = {0, "cli", NULL};

static int usage(void)
{
	return gg_cli_usage(gg_cli_find("station"));
}

static int usage_msg(const char *msg, const char *arg)
{
	fprintf(stderr, "error: %s '%s'\n", msg, arg);
	return usage();
}

static int station_list(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_station *v = NULL;
	struct gg_error err;
	size_t n = 0;

	if (argc != 2)
		return usage_msg("unexpected argument", argv[2]);
	gg_error_init(&err);
	if (gg_station_list(cli->db, &v, &n, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("%-6s %-24s %-12s %-7s %-8s %-10s %s\n", "id", "name", "city", "country", "status", "opened on", "host");
	for (size_t i = 0; i < n; i++)
		printf("%-6lld %-24s %-12s %-7s %-8s %-10s %s\n", (long long)v[i].id, v[i].name, v[i].city,
		       v[i].country, v[i].status, v[i].opened_on[0] ? v[i].opened_on : "-",
		       v[i].host_org[0] ? v[i].host_org : "-");
	free(v);
	return GG_EXIT_OK;
}

/* The options of station add, each setting one field of the input. */
static const struct {
	const char *flag;
	size_t off;
} add_flags[] = {
    {"--city", offsetof(struct gg_station_input, city)},
    {"--country", offsetof(struct gg_station_input, country)},
    {"--host-org", offsetof(struct gg_station_input, host_org)},
    {"--opened-on", offsetof(struct gg_station_input, opened_on)},
    {"--status", offsetof(struct gg_station_input, status)},
    {"--notes", offsetof(struct gg_station_input, notes)},
};

static int station_add(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_station_input in;
	struct gg_error err;
	int64_t id = 0;

	memset(&in, 0, sizeof(in));
	for (int i = 2; i < argc; i++) {
		const char *v = NULL;
		size_t k = 0;
		int r = 0;

		for (; k < sizeof(add_flags) / sizeof(add_flags[0]); k++)
			if ((r = gg_cli_flag_value(argc, argv, &i, add_flags[k].flag, &v)) != 0)
				break;
		if (r < 0)
			return usage_msg("missing value for", add_flags[k].flag);
		if (r > 0)
			*(const char **)((char *)&in + add_flags[k].off) = v;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return usage_msg("unknown option", argv[i]);
		else if (in.name)
			return usage_msg("unexpected argument", argv[i]);
		else
			in.name = argv[i];
	}
	if (!in.name)
		return usage_msg("station add needs a NAME, not", "");
	gg_error_init(&err);
	if (gg_station_create(cli->db, &cli_actor, &in, &id, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("station %lld '%s' added; scope station:%lld\n", (long long)id, in.name, (long long)id);
	return GG_EXIT_OK;
}

static const struct {
	const char *name;
	gg_cli_fn fn;
} subcommands[] = {
    {"list", station_list},
    {"add", station_add},
};

int cmd_station(struct gg_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(cli, argc, argv);
	return usage_msg("unknown station command", argv[1]);
}
