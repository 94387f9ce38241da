/*
 * cmd_demo: `guanggu demo` loads the demo data set (the organisations and
 * people of DOMAIN.md and forty invented people) into an installation,
 * once: a second run reports that it is already loaded. `guanggu demo
 * --synthetic N [--seed S]` adds N synthetic talents (and the seed's
 * thousand invented organisations) for benchmarks, through the same write
 * path, and reports the rate (--offset K starts at the K-th talent of the
 * seed, to add more later); with --csv FILE (and --orgs-csv FILE) it
 * writes the same records as import CSV files instead, without an
 * installation. Progress goes to a terminal only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/chinese.h"
#include "../core/clock.h"
#include "../core/crypto.h"
#include "../domain/demo.h"
#include "cli.h"

#define CSV_FLUSH_BYTES (4u << 20)

struct demo_args {
	int synthetic; /* --synthetic given */
	long long n;
	long long offset; /* the first synthetic talent's index */
	long long seed;
	const char *csv;
	const char *orgs_csv;
};

static int usage(void)
{
	return gg_cli_usage(gg_cli_find("demo"));
}

static int usage_msg(const char *msg, const char *arg)
{
	fprintf(stderr, "error: %s '%s'\n", msg, arg);
	return usage();
}

static int parse_args(int argc, char **argv, struct demo_args *a)
{
	const char *v;
	int r;

	memset(a, 0, sizeof(*a));
	a->seed = 1;
	for (int i = 1; i < argc; i++) {
		if ((r = gg_cli_flag_value(argc, argv, &i, "--synthetic", &v)) != 0) {
			if (r < 0 || gg_parse_i64(v, 0, GG_DEMO_SYNTH_MAX, &a->n) != GG_OK)
				return usage_msg("--synthetic takes a number of talents from 0 to 50000000, not",
				                 r < 0 ? "" : v);
			a->synthetic = 1;
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--offset", &v)) != 0) {
			if (r < 0 || gg_parse_i64(v, 0, GG_DEMO_SYNTH_MAX, &a->offset) != GG_OK)
				return usage_msg("--offset takes a number of talents from 0 to 50000000, not",
				                 r < 0 ? "" : v);
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--seed", &v)) != 0) {
			if (r < 0 || gg_parse_i64(v, 0, INT64_MAX, &a->seed) != GG_OK)
				return usage_msg("--seed takes a non-negative integer, not", r < 0 ? "" : v);
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--csv", &v)) != 0) {
			if (r < 0)
				return usage_msg("missing value for", "--csv");
			a->csv = v;
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--orgs-csv", &v)) != 0) {
			if (r < 0)
				return usage_msg("missing value for", "--orgs-csv");
			a->orgs_csv = v;
		} else {
			return usage_msg("unexpected argument", argv[i]);
		}
	}
	if (!a->synthetic && (a->csv || a->orgs_csv || a->seed != 1 || a->offset != 0))
		return usage_msg("--csv, --orgs-csv, --offset and --seed go with", "--synthetic N");
	if (a->offset + a->n > GG_DEMO_SYNTH_MAX)
		return usage_msg("--offset and --synthetic together pass the 50000000 talents of a seed, at",
		                 "--offset");
	return GG_EXIT_OK;
}

static double seconds_since(int64_t start_ms)
{
	int64_t ms = gg_clock_mono_ms() - start_ms;
	return (double)(ms > 0 ? ms : 1) / 1000.0;
}

/* Appends buffered CSV to f when it has grown (or always, with force). */
static enum gg_err flush_csv(FILE *f, const char *path, struct gg_buf *b, int force, struct gg_error *err)
{
	if (!force && b->len < CSV_FLUSH_BYTES)
		return GG_OK;
	if (b->len > 0 && fwrite(b->buf, 1, b->len, f) != b->len)
		return gg_error_set(err, GG_E_IO, "cannot write '%s': %s", path, strerror(errno));
	gg_buf_reset(b);
	return GG_OK;
}

static enum gg_err write_talents_csv(const struct demo_args *a, struct gg_error *err)
{
	struct gg_buf b;
	FILE *f = fopen(a->csv, "wb");
	enum gg_err rc;

	gg_buf_init(&b, 2 * CSV_FLUSH_BYTES);
	if (f == NULL)
		return gg_error_set(err, GG_E_IO, "cannot create '%s': %s", a->csv, strerror(errno));
	rc = gg_demo_csv_talent_header(&b);
	for (long long i = a->offset; rc == GG_OK && i < a->offset + a->n; i++) {
		rc = gg_demo_csv_talent((uint64_t)a->seed, (uint64_t)i, &b);
		if (rc == GG_OK)
			rc = flush_csv(f, a->csv, &b, 0, err);
	}
	if (rc == GG_OK)
		rc = flush_csv(f, a->csv, &b, 1, err);
	if (fclose(f) != 0 && rc == GG_OK)
		rc = gg_error_set(err, GG_E_IO, "cannot write '%s': %s", a->csv, strerror(errno));
	gg_buf_release(&b);
	if (rc != GG_OK && err->code == GG_OK)
		gg_error_set(err, rc, "cannot write '%s'", a->csv);
	return rc;
}

static enum gg_err write_orgs_csv(const struct demo_args *a, struct gg_error *err)
{
	struct gg_buf b;
	FILE *f = fopen(a->orgs_csv, "wb");
	enum gg_err rc;

	gg_buf_init(&b, 2 * CSV_FLUSH_BYTES);
	if (f == NULL)
		return gg_error_set(err, GG_E_IO, "cannot create '%s': %s", a->orgs_csv, strerror(errno));
	rc = gg_demo_csv_org_header(&b);
	for (size_t i = 0; rc == GG_OK && i < GG_DEMO_SYNTH_ORGS; i++)
		rc = gg_demo_csv_org((uint64_t)a->seed, i, &b);
	if (rc == GG_OK)
		rc = flush_csv(f, a->orgs_csv, &b, 1, err);
	if (fclose(f) != 0 && rc == GG_OK)
		rc = gg_error_set(err, GG_E_IO, "cannot write '%s': %s", a->orgs_csv, strerror(errno));
	gg_buf_release(&b);
	if (rc != GG_OK && err->code == GG_OK)
		gg_error_set(err, rc, "cannot write '%s'", a->orgs_csv);
	return rc;
}

static int demo_csv(const struct demo_args *a)
{
	struct gg_error err;
	int64_t start = gg_clock_mono_ms();

	gg_error_init(&err);
	if (a->orgs_csv != NULL) {
		if (write_orgs_csv(a, &err) != GG_OK)
			return gg_cli_fail(&err);
		printf("demo: wrote %d synthetic organisations to %s\n", GG_DEMO_SYNTH_ORGS, a->orgs_csv);
	}
	if (a->csv != NULL) {
		if (write_talents_csv(a, &err) != GG_OK)
			return gg_cli_fail(&err);
		printf("demo: wrote %lld synthetic talents to %s in %.1f s (%.0f rows/s)\n", a->n, a->csv,
		       seconds_since(start), (double)a->n / seconds_since(start));
	}
	return GG_EXIT_OK;
}

static void progress(void *ctx, uint64_t done, uint64_t total)
{
	const int64_t *start = ctx;

	fprintf(stderr, "\rdemo: %llu/%llu talents, %.0f/s ", (unsigned long long)done, (unsigned long long)total,
	        (double)done / seconds_since(*start));
	if (done == total)
		fputc('\n', stderr);
}

static void print_counts(const char *what, const struct gg_demo_counts *c)
{
	printf("%lld %s (%lld created, %lld updated, %lld unchanged)",
	       (long long)(c->created + c->updated + c->unchanged), what, (long long)c->created, (long long)c->updated,
	       (long long)c->unchanged);
}

static int demo_db(struct gg_cli *cli, const struct demo_args *a)
{
	struct gg_demo_report rep;
	struct gg_error err;
	int64_t start = gg_clock_mono_ms();
	enum gg_err rc;

	gg_error_init(&err);
	if (gg_cli_open_db(cli, 1, &err) != GG_OK ||
	    gg_crypto_keys_load(gg_config_str(&cli->cfg, GG_CFG_dir), &cli->keys, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (gg_chinese_init() != GG_OK) {
		gg_error_set(&err, GG_E_INTERNAL, "cannot load the pinyin transliterator (ICU Han-Latin)");
		return gg_cli_fail(&err);
	}
	if (a->synthetic) {
		int tty = isatty(STDERR_FILENO);

		rc = gg_demo_synthetic(cli->db, &cli->keys, (uint64_t)a->seed, (uint64_t)a->offset, (uint64_t)a->n,
		                       tty ? progress : NULL, &start, &rep, &err);
		if (rc != GG_OK)
			return gg_cli_fail(&err);
		fputs("demo: ", stdout);
		print_counts("synthetic talents", &rep.talents);
		fputs(", ", stdout);
		print_counts("organisations", &rep.orgs);
		printf(", seed %lld, in %.1f s (%.0f talents/s)\n", a->seed, seconds_since(start),
		       (double)a->n / seconds_since(start));
		return GG_EXIT_OK;
	}
	if (gg_demo_load(cli->db, &cli->keys, &rep, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (rep.orgs.created + rep.orgs.updated + rep.talents.created + rep.talents.updated == 0) {
		printf("demo: already loaded (%lld organisations, %lld talents unchanged)\n",
		       (long long)rep.orgs.unchanged, (long long)rep.talents.unchanged);
		return GG_EXIT_OK;
	}
	fputs("demo: ", stdout);
	print_counts("organisations", &rep.orgs);
	fputs(", ", stdout);
	print_counts("talents", &rep.talents);
	fputs("\n", stdout);
	return GG_EXIT_OK;
}

int cmd_demo(struct gg_cli *cli, int argc, char **argv)
{
	struct demo_args a;
	int status = parse_args(argc, argv, &a);

	if (status != GG_EXIT_OK)
		return status;
	if (a.csv != NULL || a.orgs_csv != NULL)
		return demo_csv(&a);
	return demo_db(cli, &a);
}
