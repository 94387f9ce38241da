/*
 * demo: the demo data set and the synthetic talents of the benchmark.
 * gg_demo_load writes the organisations and people named in DOMAIN.md
 * (the real people without any personal identifier) and a few dozen
 * clearly invented people with valid-looking identifiers, through the same
 * write paths as the API (gg_org_write_tx, gg_talent_write_tx), in one
 * transaction audited as the actor "demo"; loading twice changes nothing.
 * The synthetic generator makes any number of plausible talents and about
 * a thousand invented organisations from a seed: talent i depends only on
 * (seed, i), so the same seed gives the same records in the database and
 * in a CSV file, in any batch size. Identifiers are unique per seed by
 * construction (a bijection of i), not by luck.
 */
#ifndef GG_DEMO_H
#define GG_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/crypto.h"
#include "../store/db.h"
#include "talent.h"

/* Records written, by outcome. */
struct gg_demo_counts {
	int64_t created, updated, unchanged;
};

struct gg_demo_report {
	struct gg_demo_counts orgs, talents;
};

/**
 * Loads the demo set in one write transaction (actor "demo"): creates
 * what is missing, brings changed records back to the demo values and
 * leaves equal ones alone (counted as unchanged, nothing written). Orgs
 * are matched by credit code, else by name; people with a document by
 * it, the real people by name and organisation. rep is zeroed first.
 */
enum gg_err gg_demo_load(struct gg_db *db, const struct gg_keys *keys, struct gg_demo_report *rep,
                         struct gg_error *err);

/* The synthetic data set. */
#define GG_DEMO_SYNTH_ORGS  1000     /* invented organisations per seed */
#define GG_DEMO_SYNTH_MAX   50000000 /* most talents one seed can make with unique identifiers */
#define GG_DEMO_BATCH       10000    /* talents per write transaction */
#define GG_DEMO_NAME_BYTES  40
#define GG_DEMO_EMAIL_BYTES 64

/* One invented organisation; strings are owned by the struct or static. */
struct gg_demo_org {
	char name[96];
	char uscc[19];
	const char *kind;
	const char *park;
	const char *segments[2];
	size_t nsegments;
	int verified;
};

/* One synthetic talent; char arrays owned by the struct, const char * static. */
struct gg_demo_person {
	char name[GG_DEMO_NAME_BYTES];
	const char *gender; /* "male" or "female", from the id's sequence digit */
	char birth_date[11];
	char doc_number[19]; /* GB 11643 resident id */
	char phone[12];
	char email[GG_DEMO_EMAIL_BYTES];
	size_t org; /* index of the organisation, < GG_DEMO_SYNTH_ORGS */
	const char *title;
	const char *city; /* city of origin, consistent with the id's area code */
	const char *fields[2];
	size_t nfields;
	const char *keywords[3];
	size_t nkeywords;
	const char *segments[1];
	size_t nsegments;
	struct gg_talent_honour honours[3];
	size_t nhonours;
	const char *tier; /* NULL: not recognised */
	const char *status;
};

/** Invented organisation i (< GG_DEMO_SYNTH_ORGS) of seed; names and codes are unique within a seed. */
void gg_demo_synth_org(uint64_t seed, size_t i, struct gg_demo_org *out);
/** Synthetic talent i (< GG_DEMO_SYNTH_MAX) of seed. */
void gg_demo_synth_person(uint64_t seed, uint64_t i, struct gg_demo_person *out);

/** Called after each committed batch with the talents written so far; NULL for none. */
typedef void (*gg_demo_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/**
 * Writes talents first..first+n-1 of seed (and the seed's organisations,
 * in the first transaction) through gg_org_write_tx and gg_talent_write_tx,
 * GG_DEMO_BATCH talents per write transaction, audited as "demo". A talent
 * whose document exists already is updated to the generated values (so a
 * second run of the same seed and range changes nothing). rep is zeroed
 * first; on failure the batches committed before stay.
 */
enum gg_err gg_demo_synthetic(struct gg_db *db, const struct gg_keys *keys, uint64_t seed, uint64_t first, uint64_t n,
                              gg_demo_progress_fn progress, void *ctx, struct gg_demo_report *rep,
                              struct gg_error *err);

/** The header line of the talents import CSV (English headers, CRLF) into out (appended). */
enum gg_err gg_demo_csv_talent_header(struct gg_buf *out);
/** Appends talent i of seed as one CSV record of the import format (personal data in clear). */
enum gg_err gg_demo_csv_talent(uint64_t seed, uint64_t i, struct gg_buf *out);
/** The header line of the organisations import CSV into out (appended). */
enum gg_err gg_demo_csv_org_header(struct gg_buf *out);
/** Appends organisation i of seed as one CSV record. */
enum gg_err gg_demo_csv_org(uint64_t seed, size_t i, struct gg_buf *out);

#endif
