/*
 * unit_cli: running `guanggu` in-process (gg_cli_main) with stdout and
 * stderr captured, for the tests of whole commands (test_cli, test_whatif).
 */
#ifndef UNIT_CLI_H
#define UNIT_CLI_H

#include "unit.h"

#include <fcntl.h>

#include "cli/cli.h"

#define OUT_MAX 32768

struct run {
	int status;
	char out[OUT_MAX];
	char err[OUT_MAX];
};

static char *no_env[] = {NULL};

static inline size_t slurp(FILE *f, char *out, size_t outsz)
{
	size_t n;

	rewind(f);
	n = fread(out, 1, outsz - 1, f);
	out[n] = '\0';
	fclose(f);
	return n;
}

/* Runs `guanggu args...` (NULL-terminated) with stdout and stderr captured; out_path NULL: a temp file. */
static inline void run_to(struct run *r, const char *out_path, const char *arg, ...)
{
	char *argv[32];
	char copies[32][1200];
	int argc = 0, save_out, save_err, out_fd;
	FILE *fo = NULL, *fe = tmpfile();
	va_list ap;

	snprintf(copies[argc], sizeof(copies[argc]), "guanggu");
	argv[argc] = copies[argc];
	argc++;
	va_start(ap, arg);
	for (; arg != NULL && argc < 31; arg = va_arg(ap, const char *)) {
		snprintf(copies[argc], sizeof(copies[argc]), "%s", arg);
		argv[argc] = copies[argc];
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;

	assert_non_null(fe);
	if (out_path == NULL) {
		fo = tmpfile();
		assert_non_null(fo);
		out_fd = fileno(fo);
	} else {
		out_fd = open(out_path, O_WRONLY);
		assert_true(out_fd >= 0);
	}
	fflush(stdout);
	fflush(stderr);
	save_out = dup(1);
	save_err = dup(2);
	dup2(out_fd, 1);
	dup2(fileno(fe), 2);
	r->status = gg_cli_main(argc, argv, no_env);
	fflush(stdout);
	fflush(stderr);
	dup2(save_out, 1);
	dup2(save_err, 2);
	close(save_out);
	close(save_err);
	clearerr(stdout);
	if (fo != NULL)
		slurp(fo, r->out, sizeof(r->out));
	else {
		close(out_fd);
		r->out[0] = '\0';
	}
	slurp(fe, r->err, sizeof(r->err));
}

#define run(r, ...) run_to((r), NULL, __VA_ARGS__, (const char *)NULL)

#endif
