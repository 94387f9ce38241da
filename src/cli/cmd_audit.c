/*
 * cmd_audit: `guanggu audit verify` walks the audit trail's SHA-256 chain
 * and reports the first row that was changed, removed or reordered (exit 1),
 * or how many rows it checked (exit 0). Subcommands are a small table.
 */
#include <ctype.h>
#include <string.h>

#include "../domain/audit.h"
#include "cli.h"

/* The report's why may begin with "row N: "; the line below names the row already. */
static const char *reason(const char *why)
{
	const char *p = why;

	if (strncmp(p, "row ", 4) != 0)
		return why;
	p += 4;
	if (!isdigit((unsigned char)*p))
		return why;
	while (isdigit((unsigned char)*p))
		p++;
	return strncmp(p, ": ", 2) == 0 ? p + 2 : why;
}

static int audit_verify(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_audit_report rep;
	struct gg_error err;
	enum gg_err rc;

	if (argc != 2)
		return gg_cli_usage(gg_cli_find("audit"));
	memset(&rep, 0, sizeof(rep));
	gg_error_init(&err);
	rc = gg_audit_verify(cli->db, &rep, &err);
	if (rc == GG_OK) {
		printf("audit: %lld rows, chain intact\n", (long long)rep.rows);
		return GG_EXIT_OK;
	}
	if (rc == GG_E_AUDIT_BROKEN) {
		printf("audit: chain broken at row %lld: %s\n", (long long)rep.first_bad, reason(rep.why));
		return GG_EXIT_FAIL;
	}
	return gg_cli_fail(&err);
}

static const struct {
	const char *name;
	gg_cli_fn fn;
} subcommands[] = {
    {"verify", audit_verify},
};

int cmd_audit(struct gg_cli *cli, int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return gg_cli_usage(gg_cli_find("audit"));
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(cli, argc, argv);
	fprintf(stderr, "error: unknown audit command '%s'\n", argv[1]);
	return gg_cli_usage(gg_cli_find("audit"));
}
