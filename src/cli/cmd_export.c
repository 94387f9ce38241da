/*
 * cmd_export: `guanggu export talents|orgs [--format csv|xlsx] [--lang
 * zh|en] [--output FILE]` writes the whole registry list as CSV (UTF-8
 * with BOM, Chinese headers by default) or XLSX. This is the operator's
 * tool: personal data is exported unmasked, and the export is audited as
 * the actor "cli" (talent.export / org.export with the row count). The
 * file is readable by its owner only. Without --output the file goes to
 * standard output (through a private temporary file, as a workbook is
 * written by path).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../domain/export.h"
#include "cli.h"

#define PATH_LEN 4096

static const struct gg_actor cli_actor = {0, "cli", NULL};

/* Copies the file at path to standard output. */
static enum gg_err copy_to_stdout(const char *path, struct gg_error *err)
{
	char chunk[64 * 1024];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return gg_error_set(err, GG_E_IO, "cannot read '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (fwrite(chunk, 1, n, stdout) != n) {
			fclose(f);
			return gg_error_set(err, GG_E_IO, "cannot write to standard output: %s", strerror(errno));
		}
	}
	if (ferror(f)) {
		fclose(f);
		return gg_error_set(err, GG_E_IO, "cannot read '%s'", path);
	}
	fclose(f);
	return GG_OK;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cmd_export(struct gg_cli *cli, int argc, char **argv)
{
	const struct gg_cli_cmd *cmd = gg_cli_find("export");
	struct gg_export_options opt;
	struct gg_error err;
	const char *format = NULL, *lang = NULL, *output = NULL;
	char tmp[PATH_LEN];
	int64_t rows = 0;
	mode_t mask;
	int i;
	enum gg_err rc;

	gg_error_init(&err);
	memset(&opt, 0, sizeof(opt));
	tmp[0] = '\0';
	if (argc < 2)
		return gg_cli_usage(cmd);
	if (gg_export_parse_sheet(argv[1], &opt.sheet, &err) != GG_OK) {
		gg_cli_fail(&err);
		return gg_cli_usage(cmd);
	}
	for (i = 2; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--format") == 0   ? &format
		                    : strcmp(argv[i], "--lang") == 0   ? &lang
		                    : strcmp(argv[i], "--output") == 0 ? &output
		                                                       : NULL;
		if (!slot || i + 1 >= argc || !*argv[i + 1]) {
			fprintf(stderr, "error: unexpected argument '%s'\n", argv[i]);
			return gg_cli_usage(cmd);
		}
		*slot = argv[++i];
	}
	if (!format && output && ends_with(output, ".xlsx"))
		format = "xlsx";
	if (gg_export_parse_format(format, &opt.format, &err) != GG_OK ||
	    gg_export_parse_lang(lang, &opt.lang, &err) != GG_OK) {
		err.code = GG_E_USAGE;
		return gg_cli_fail(&err);
	}
	opt.unmasked = 1;
	opt.keys = &cli->keys;
	opt.actor = &cli_actor;

	/* Unmasked personal data: the file is its owner's only. */
	mask = umask(077);
	if (!output) {
		if (gg_export_tempfile(tmp, sizeof(tmp), &err) != GG_OK) {
			umask(mask);
			return gg_cli_fail(&err);
		}
	}
	rc = gg_export_file(cli->db, &opt, output ? output : tmp, &rows, &err);
	umask(mask);
	if (rc == GG_OK && !output)
		rc = copy_to_stdout(tmp, &err);
	if (tmp[0])
		unlink(tmp);
	if (rc != GG_OK)
		return gg_cli_fail(&err);
	if (output)
		printf("export: %lld %s to %s\n", (long long)rows, argv[1], output);
	return GG_EXIT_OK;
}
