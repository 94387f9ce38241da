/*
 * cmd_demo: `guanggu demo` loads the demo data set (the organisations,
 * people and station of DOMAIN.md, forty invented people and one
 * look-alike of them, a likely duplicate to review) into an
 * installation, once: a second run reports that it is already loaded. It
 * also creates one demo account per role (not with --no-accounts), whose
 * random passwords it prints once and writes to DIR/demo-accounts.txt
 * (mode 0600, created only if absent), after the load has committed: when
 * that file cannot be written the command fails and says how to set new
 * passwords, the old ones being lost. The demo's recruitment orders and
 * their hires, the recruitment list's recommendations (one in each state)
 * and a strategic decision are decided under the policy packs of the
 * policy_dir setting, as `serve` decides them. `guanggu demo
 * --synthetic N [--seed S]` adds N synthetic talents (and the seed's
 * thousand invented organisations) for benchmarks, through the same write
 * path, and reports the rate (--offset K starts at the K-th talent of the
 * seed, to add more later); with --csv FILE (and --orgs-csv FILE) it
 * writes the same records as import CSV files instead, without an
 * installation. Progress goes to a terminal only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/chinese.h"
#include "../core/clock.h"
#include "../core/crypto.h"
#include "../domain/demo.h"
#include "../domain/policyset.h"
#include "cli.h"

#define CSV_FLUSH_BYTES (4u << 20)
#define ACCOUNTS_FILE   "demo-accounts.txt"

struct demo_args {
	int no_accounts; /* --no-accounts */
	int synthetic;   /* --synthetic given */
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
		if (strcmp(argv[i], "--no-accounts") == 0) {
			a->no_accounts = 1;
		} else if ((r = gg_cli_flag_value(argc, argv, &i, "--synthetic", &v)) != 0) {
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
	if (a->synthetic && a->no_accounts)
		return usage_msg("--no-accounts goes with the demo set, not with", "--synthetic N");
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

/* The accounts file: comment lines, then username<TAB>password<TAB>role and scope. */
static enum gg_err accounts_text(const struct gg_demo_report *rep, const char *dir, struct gg_buf *b)
{
	char now[32];
	enum gg_err rc;

	gg_clock_iso(gg_clock_now(), now, sizeof(now));
	rc = gg_buf_addf(b,
	                 "# Guanggu demo accounts, made by `guanggu demo` in %s at %s: one per role, no password "
	                 "change asked.\n"
	                 "# username<TAB>password<TAB>role and scope. The passwords are shown nowhere else; keep this "
	                 "file private (mode 0600).\n"
	                 "# In a real installation disable them: guanggu user disable NAME (docs/operations.md).\n",
	                 dir, now);
	for (size_t i = 0; rc == GG_OK && i < rep->naccounts; i++) {
		const struct gg_demo_account *d = &rep->accounts[i];
		if (d->created)
			rc = gg_buf_addf(b, "%s\t%s\t%s\n", d->username, d->password, d->roles);
	}
	return rc;
}

/* Writes text to path, which must not exist: O_EXCL, mode 0600, synced to disk with its directory entry. */
static enum gg_err write_private(const char *path, const char *dir, const struct gg_buf *text, struct gg_error *err)
{
	int fd, dfd;
	size_t off = 0;

#ifdef GG_TEST_BUILD
	/* a fault point of test builds (GUANGGU_TEST_FAULT=demo_accounts_file): the disk is full */
	const char *fault = getenv("GUANGGU_TEST_FAULT");
	if (fault && strcmp(fault, "demo_accounts_file") == 0)
		return gg_error_set(err, GG_E_IO, "cannot create '%s': %s", path, strerror(ENOSPC));
#endif
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return gg_error_set(err, GG_E_IO, "cannot create '%s': %s", path, strerror(errno));
	while (off < text->len) {
		ssize_t w = write(fd, text->buf + off, text->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			gg_error_set(err, GG_E_IO, "cannot write '%s': %s", path, strerror(errno));
			close(fd);
			return GG_E_IO;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0)
		return gg_error_set(err, GG_E_IO, "cannot write '%s': %s", path, strerror(errno));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return GG_OK;
}

/* Prints what became of the accounts; writes the file of the new ones first. Returns the exit status. */
static int report_accounts(struct gg_cli *cli, const struct gg_demo_report *rep, const char *path)
{
	const char *dir = gg_config_str(&cli->cfg, GG_CFG_dir);
	struct gg_error err;
	struct gg_buf b;
	int status = GG_EXIT_OK;

	gg_error_init(&err);
	if (rep->accounts_created == 0) {
		printf(
		    "demo: the %zu demo accounts exist (passwords are not shown again; set a new one with guanggu user "
		    "passwd NAME)\n",
		    rep->naccounts);
		return GG_EXIT_OK;
	}
	gg_buf_init(&b, 64 * 1024);
	if (accounts_text(rep, dir, &b) != GG_OK)
		gg_error_set(&err, GG_E_NOMEM, NULL);
	if (err.code != GG_OK || write_private(path, dir, &b, &err) != GG_OK) {
		gg_cli_fail(&err);
		fprintf(stderr,
		        "error: the %zu demo accounts were created, but their passwords are lost: set new ones with "
		        "`guanggu user passwd NAME --dir %s` (or disable them: guanggu user disable NAME)\n",
		        rep->accounts_created, dir);
		status = GG_EXIT_FAIL;
	} else {
		printf("demo: %zu demo accounts created (one per role, no password change asked), also in %s (mode "
		       "0600):\n",
		       rep->accounts_created, path);
		for (size_t i = 0; i < rep->naccounts; i++) {
			const struct gg_demo_account *d = &rep->accounts[i];
			if (d->created)
				printf("%s\t%s\t%s\n", d->username, d->password, d->roles);
		}
		if (rep->assigned > 0)
			printf("demo: %lld demo talents assigned to the commissioner account\n",
			       (long long)rep->assigned);
	}
	for (size_t i = 0; i < rep->naccounts; i++)
		if (!rep->accounts[i].created)
			printf("demo: account '%s' exists already: left alone\n", rep->accounts[i].username);
	if (b.alloc)
		memset(b.buf, 0, b.alloc);
	gg_buf_release(&b);
	return status;
}

/* The recruitment orders' line: what this load issued and decided. */
static void print_orders(const struct gg_demo_report *rep)
{
	if (rep->orders.created == 0)
		return;
	printf("demo: %lld recruitment orders issued, %lld hires registered (%lld recognised at once)\n",
	       (long long)rep->orders.created, (long long)rep->hires, (long long)rep->recognised);
}

static void print_recommendations(const struct gg_demo_report *rep)
{
	if (rep->recommendations.created + rep->strategic.created == 0)
		return;
	printf("demo: %lld recommendations of the recruitment list and %lld strategic decision%s made\n",
	       (long long)rep->recommendations.created, (long long)rep->strategic.created,
	       rep->strategic.created == 1 ? "" : "s");
}

/* The special fund's line: verifications, payees and the paid run. */
static void print_disbursement(const struct gg_demo_report *rep)
{
	if (rep->verifications_opened + rep->payees + rep->verified.created + rep->verified.updated + rep->paid == 0)
		return;
	printf("demo: %lld annual verifications opened, %lld answered, %lld accepted; %lld payees confirmed",
	       (long long)rep->verifications_opened, (long long)rep->verified.updated, (long long)rep->verified.created,
	       (long long)rep->payees);
	if (rep->paid > 0)
		printf("; %lld payments paid in the run of 2025", (long long)rep->paid);
	fputs("\n", stdout);
}

/* The talent card's line. */
static void print_cards(const struct gg_demo_report *rep)
{
	if (rep->cards > 0)
		printf("demo: %lld digital talent cards applied for, one in each state (applied to expired)\n",
		       (long long)rep->cards);
}

static int demo_db(struct gg_cli *cli, const struct demo_args *a)
{
	struct gg_demo_report rep;
	struct gg_demo_options opt = {!a->no_accounts, (int)gg_config_int(&cli->cfg, GG_CFG_password_min_length), NULL};
	struct gg_policyset *policies = NULL;
	struct gg_error err;
	char path[1100];
	int64_t start = gg_clock_mono_ms();
	enum gg_err rc;
	int status;

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
	if (opt.accounts) {
		struct stat sb;
		size_t missing = 0;

		if (gg_cli_path(cli, ACCOUNTS_FILE, path, sizeof(path), &err) != GG_OK ||
		    gg_demo_accounts_missing(cli->db, &missing, &err) != GG_OK)
			return gg_cli_fail(&err);
		/* refuse before writing anything, rather than lose the passwords after the commit */
		if (missing > 0 && lstat(path, &sb) == 0) {
			gg_error_set(
			    &err, GG_E_CONFLICT,
			    "'%s' exists (the passwords of an earlier run?): move it away before demo accounts "
			    "are made, or run with --no-accounts",
			    path);
			return gg_cli_fail(&err);
		}
	}
	/* the orders, the recommendations and the strategic decision are decided under the policy packs */
	if (gg_cli_policies(cli, &policies, &err) != GG_OK)
		return gg_cli_fail(&err);
	opt.policies = policies;
	rc = gg_demo_load(cli->db, &cli->keys, &opt, &rep, &err);
	gg_policyset_free(policies);
	if (rc != GG_OK)
		return gg_cli_fail(&err);
	if (rep.orgs.created + rep.orgs.updated + rep.talents.created + rep.talents.updated + rep.stations.created +
	        rep.stations.updated + rep.orders.created + rep.recommendations.created + rep.strategic.created ==
	    0) {
		printf(
		    "demo: already loaded (%lld organisations, %lld station%s, %lld talents, %lld recruitment orders "
		    "unchanged)\n",
		    (long long)rep.orgs.unchanged, (long long)rep.stations.unchanged,
		    rep.stations.unchanged == 1 ? "" : "s", (long long)rep.talents.unchanged,
		    (long long)rep.orders.unchanged);
	} else {
		fputs("demo: ", stdout);
		print_counts("organisations", &rep.orgs);
		fputs(", ", stdout);
		print_counts("talents", &rep.talents);
		fputs(", ", stdout);
		print_counts(rep.stations.created + rep.stations.updated + rep.stations.unchanged == 1 ? "station"
		                                                                                       : "stations",
		             &rep.stations);
		fputs("\n", stdout);
		print_orders(&rep);
		print_recommendations(&rep);
	}
	print_disbursement(&rep);
	print_cards(&rep);
	status = opt.accounts ? report_accounts(cli, &rep, path) : GG_EXIT_OK;
	gg_demo_report_wipe(&rep);
	return status;
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
