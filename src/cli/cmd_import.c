/*
 * cmd_import: `guanggu import talents|orgs FILE [--report FILE.csv]
 * [--skip-invalid]` reads a CSV file (UTF-8 with or without BOM, or
 * GB18030) into the registry through the import module, as the actor
 * "cli". A progress bar goes to standard error when it is a terminal; the
 * summary line goes to standard output; the first problems go to standard
 * error and all of them to the report when --report is given (written in
 * every case, also when the whole file is refused). Exit 1 when any row
 * is invalid without --skip-invalid (then nothing is written) or the file
 * cannot be imported at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../domain/import.h"
#include "cli.h"

#define FILE_MAX         ((size_t)4 << 30) /* what one import reads into memory */
#define REPORT_MAX       ((size_t)1 << 30)
#define ERRORS_SHOWN     20
#define PROGRESS_WIDTH   30
#define PROGRESS_STEP_MS 100

static const struct gg_actor cli_actor = {0, "cli", NULL};

struct bar {
	int64_t last_ms;
	int shown;
};

static void progress(void *ctx, size_t line, size_t total)
{
	struct bar *b = ctx;
	int64_t now = gg_clock_mono_ms();
	char fill[PROGRESS_WIDTH + 1];
	size_t pct = total ? line * 100 / total : 100, done, i;

	if (line < total && now - b->last_ms < PROGRESS_STEP_MS)
		return;
	b->last_ms = now;
	if (pct > 100)
		pct = 100;
	done = pct * PROGRESS_WIDTH / 100;
	for (i = 0; i < PROGRESS_WIDTH; i++)
		fill[i] = i < done ? '#' : '.';
	fill[PROGRESS_WIDTH] = '\0';
	fprintf(stderr, "\rimport: [%s] %3zu%% line %zu of %zu", fill, pct, line, total);
	fflush(stderr);
	b->shown = 1;
}

/* Reads the whole of path into *out (free()). */
static enum gg_err read_file(const char *path, char **out, size_t *len, struct gg_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n;
	char *data;

	*out = NULL;
	*len = 0;
	if (!f)
		return gg_error_set(err, GG_E_IO, "cannot read '%s': %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return gg_error_set(err, GG_E_IO, "'%s' is not a regular file", path);
	}
	if ((unsigned long long)st.st_size > FILE_MAX) {
		fclose(f);
		return gg_error_set(err, GG_E_TOO_LARGE, "'%s' is larger than %zu bytes", path, FILE_MAX);
	}
	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		fclose(f);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	n = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f) || n != (size_t)st.st_size) {
		fclose(f);
		free(data);
		return gg_error_set(err, GG_E_IO, "cannot read '%s'", path);
	}
	fclose(f);
	data[n] = '\0';
	*out = data;
	*len = n;
	return GG_OK;
}

static enum gg_err write_report(const char *path, const struct gg_import_result *res, struct gg_error *err)
{
	struct gg_buf b;
	FILE *f;
	enum gg_err rc;

	gg_buf_init(&b, REPORT_MAX);
	rc = gg_import_report_csv(res, &b);
	if (rc != GG_OK) {
		gg_buf_release(&b);
		return gg_error_set(err, rc, "the report is too large");
	}
	f = fopen(path, "wb");
	if (!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f) != 0) {
		rc = gg_error_set(err, GG_E_IO, "cannot write the report '%s': %s", path, strerror(errno));
		if (f)
			fclose(f);
	}
	gg_buf_release(&b);
	return rc;
}

int cmd_import(struct gg_cli *cli, int argc, char **argv)
{
	const struct gg_cli_cmd *cmd = gg_cli_find("import");
	struct gg_import_options opt;
	struct gg_import_result res;
	struct gg_error err, rerr;
	struct bar bar = {0, 0};
	const char *file = NULL, *report = NULL;
	char *data = NULL;
	size_t len = 0, i;
	int skip = 0, status = GG_EXIT_FAIL;
	enum gg_err rc;

	gg_error_init(&err);
	gg_import_result_init(&res);
	memset(&opt, 0, sizeof(opt));
	if (argc < 3)
		return gg_cli_usage(cmd);
	if (gg_export_parse_sheet(argv[1], &opt.sheet, &err) != GG_OK) {
		gg_cli_fail(&err);
		return gg_cli_usage(cmd);
	}
	for (i = 2; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--skip-invalid") == 0) {
			skip = 1;
		} else if (strcmp(argv[i], "--report") == 0 && i + 1 < (size_t)argc) {
			report = argv[++i];
		} else if (strncmp(argv[i], "--report=", 9) == 0) {
			report = argv[i] + 9;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "error: unknown option '%s'\n", argv[i]);
			return gg_cli_usage(cmd);
		} else if (!file) {
			file = argv[i];
		} else {
			return gg_cli_usage(cmd);
		}
	}
	if (!file || (report && !*report))
		return gg_cli_usage(cmd);

	opt.skip_invalid = skip;
	opt.max_rows = gg_config_int(&cli->cfg, GG_CFG_max_import_rows);
	opt.keys = &cli->keys;
	opt.actor = &cli_actor;
	if (isatty(STDERR_FILENO)) {
		opt.progress = progress;
		opt.progress_ctx = &bar;
	}
	rc = read_file(file, &data, &len, &err);
	if (rc == GG_OK)
		rc = gg_import_run(cli->db, &opt, data, len, &res, &err);
	if (bar.shown)
		fputc('\n', stderr);

	if (report) {
		if (rc != GG_OK && res.nerrors == 0) {
			/* The file could not be read at all: the report says so. */
			struct gg_import_result one;
			gg_import_result_init(&one);
			one.errors = &(struct gg_import_error){0, (char *)"", (char *)gg_error_message(&err)};
			one.nerrors = 1;
			gg_error_init(&rerr);
			if (write_report(report, &one, &rerr) != GG_OK)
				gg_cli_fail(&rerr);
		} else {
			gg_error_init(&rerr);
			if (write_report(report, &res, &rerr) != GG_OK) {
				gg_cli_fail(&rerr);
				if (rc == GG_OK)
					rc = rerr.code;
			}
		}
	}
	if (rc == GG_OK || rc == GG_E_RULE) {
		for (i = 0; i < res.nerrors && i < ERRORS_SHOWN; i++) {
			if (res.errors[i].column[0])
				fprintf(stderr, "line %zu, %s: %s\n", res.errors[i].line, res.errors[i].column,
				        res.errors[i].reason);
			else
				fprintf(stderr, "line %zu: %s\n", res.errors[i].line, res.errors[i].reason);
		}
		if (res.nerrors + (size_t)res.errors_dropped > ERRORS_SHOWN)
			fprintf(stderr, "... and %zu more%s\n", res.nerrors + (size_t)res.errors_dropped - ERRORS_SHOWN,
			        report ? " (all of them in the report)" : " (--report FILE lists all of them)");
		printf("import: %lld rows, %lld created, %lld updated, %lld unchanged, %lld invalid\n",
		       (long long)res.rows, (long long)res.created, (long long)res.updated, (long long)res.unchanged,
		       (long long)res.invalid);
	}
	if (rc == GG_OK) {
		status = GG_EXIT_OK;
	} else if (rc == GG_E_RULE) {
		fprintf(stderr, "error: %s (--skip-invalid imports the valid rows)\n", gg_error_message(&err));
		status = GG_EXIT_FAIL;
	} else {
		status = gg_cli_fail(&err);
		for (i = 0; i < res.nerrors && i < ERRORS_SHOWN; i++) {
			if (res.errors[i].column[0])
				fprintf(stderr, "  line %zu, %s: %s\n", res.errors[i].line, res.errors[i].column,
				        res.errors[i].reason);
		}
	}
	gg_import_result_release(&res);
	free(data);
	return status;
}
