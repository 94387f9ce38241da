/*
 * demo: the demo data set and the synthetic talents of the benchmark.
 * gg_demo_load writes the organisations, people and station named in
 * DOMAIN.md (the real people without any personal identifier), a few
 * dozen clearly invented people with valid-looking identifiers and one
 * demo account per role, through the same write paths as the API
 * (gg_org_write_tx, gg_talent_write_tx, gg_station_write_tx,
 * gg_user_insert), in one transaction audited as the actor "demo";
 * loading twice changes nothing.
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
#include "policyset.h"
#include "role.h"
#include "talent.h"
#include "user.h"

/* Records written, by outcome. */
struct gg_demo_counts {
	int64_t created, updated, unchanged;
};

#define GG_DEMO_PASSWORD_MAX 24 /* bytes of a generated password, NUL included */

/*
 * One demo account: username = role token, display name "示例·" and the
 * role's Chinese name, the role with its scope. password is set only for
 * an account this load created (shown once); clear it with
 * gg_demo_report_wipe.
 */
struct gg_demo_account {
	char username[GG_USERNAME_MAX];
	char display_name[GG_DISPLAY_NAME_MAX];
	char roles[96]; /* "employer org:15" */
	char password[GG_DEMO_PASSWORD_MAX];
	int created; /* 1: created by this load; 0: the username existed */
};

struct gg_demo_report {
	struct gg_demo_counts orgs, talents, stations;
	struct gg_demo_counts orders; /* created: issued by this load; unchanged: there already */
	int64_t hires, recognised;    /* hires registered by this load, and how many were recognised at once */
	struct gg_demo_counts recommendations, strategic; /* the recruitment list's, strategic decisions (一事一议) */
	struct gg_demo_account accounts[GG_ROLE__COUNT]; /* role table order; naccounts of them */
	size_t naccounts;                                /* GG_ROLE__COUNT with accounts, else 0 */
	size_t accounts_created;
	int64_t assigned; /* talents given the demo commissioner by this load */
	/* the special fund's side (after the load's transaction): verifications opened, payee accounts entered and
	 * confirmed, verifications answered (updated) and accepted (created), payments paid in the demo's run */
	int64_t verifications_opened, payees, paid;
	/* digital talent cards applied for, one ending in each state (card.c) */
	int64_t cards;
	struct gg_demo_counts verified;
};

struct gg_demo_options {
	int accounts;            /* 1: also create the demo accounts that do not exist */
	int min_password_length; /* the password_min_length setting */
	/* the policy packs: the recruitment orders, the recommendations and the strategic decision need them; NULL:
	 * none */
	const struct gg_policyset *policies;
};

/**
 * Loads the demo set in one write transaction (actor "demo"): creates
 * what is missing, brings changed records back to the demo values and
 * leaves equal ones alone (counted as unchanged, nothing written). Orgs
 * are matched by credit code, else by name; people with a document by
 * it, the real people by name and organisation; the station by name.
 *
 * With opt->accounts, the same transaction creates one account per role
 * (gg_user_insert, audited as "demo") whose username is not taken yet,
 * with a random password hashed before the transaction starts and no
 * password change asked: employer scoped to an invented leading
 * enterprise that employs several demo people, bank and provider to the
 * invented bank and service provider, station_operator to 光谷站·上海,
 * talent to an invented person with full personal data; a commissioner
 * created now gets the invented strategic scientists assigned.
 *
 * With opt->policies, the same transaction issues the demo's recruitment
 * orders (an order is matched by its organisation and title, so a second
 * load issues none) and registers their hires through order.c, so that
 * the recognitions and plans reproduce DOMAIN.md's worked examples
 * (1,200,000; 1,000,000; 8,000,000 with the cap; 999,999.99 not
 * recognised); two orders stay open. The people hired are invented ones
 * already recognised at or above the leading-talent tier, so the tier a
 * recognition records changes no demo record. It also files
 * recommendations of invented people by the demo's employers through
 * recommendation.h, one in each state (a draft, a submitted one, one
 * returned for changes, one approved and one rejected with the officer's
 * reason; the first three by the employer account's organisation), and
 * one strategic decision with its rationale and package through
 * strategic.h; each is made once (an employer's recommendation of a
 * talent, or a talent's decision, found again is left as it is), and an
 * approval or a decision keeps the person's demo tier. opt NULL: no
 * accounts, no orders, no recommendations. rep is zeroed first; on
 * failure of that transaction nothing stays written.
 *
 * Then, with opt->policies, the special fund's side, in steps that are
 * each a transaction of their own and skipped when done (a failure keeps
 * the steps before it; the next load completes them): the annual
 * verifications due today are opened; the hired worked examples' plans
 * get a payee account (invented, confirmed); their first years are
 * answered and accepted; their second years are left open (the demo
 * employer's inbox), answered (the officer's queue) and accepted; and,
 * when the bureau_officer and finance accounts exist, the run of 2025 is
 * proposed by the one, approved by the other, its bank file written and
 * the bank's answer (every payment paid) applied, once.
 */
enum gg_err gg_demo_load(struct gg_db *db, const struct gg_keys *keys, const struct gg_demo_options *opt,
                         struct gg_demo_report *rep, struct gg_error *err);
/** Clears the passwords of rep. */
void gg_demo_report_wipe(struct gg_demo_report *rep);
/** How many of the demo accounts' usernames have no account yet (GG_ROLE__COUNT on a fresh installation). */
enum gg_err gg_demo_accounts_missing(struct gg_db *db, size_t *missing, struct gg_error *err);

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
