/*
 * verification: the annual verification of subsidy installments (issue
 * 6, DOMAIN.md programme 1, docs/verification.md). When an installment of
 * an active plan falls due a verification opens for the employer of the
 * recognition (org NULL: the bureau answers), with a deadline
 * (verification_days after the due day) and a verification_answer task.
 * The employer (or an officer) uploads evidence (file.h) and submits what
 * happened that year: still employed or the day employment ended, the
 * salary actually paid and the tax record number; an officer accepts it
 * (the installment priced by the rules of the plan's policy version:
 * gg_policy_price_year, lapse rules, cap room), returns it (reason) for
 * the employer to answer again, or, once it is overdue (open or returned
 * past its deadline), lapses it (reason): a verification never submitted
 * lapses only by an officer's recorded decision.
 *
 *   open -> submitted -> accepted
 *   open|returned -> submitted; submitted -> returned
 *   open|returned, past the deadline -> lapsed
 *
 * Every action is one write transaction with its audit row
 * (verification.<action>), its tasks and its ledger entries: a lapsed
 * installment releases its commitment, an accepted one priced below its
 * commitment releases the difference and one priced above commits the
 * extra when the fund covers it (else the approval of its payment does).
 *
 * Who may: read with verifications_read unscoped, scoped to the
 * verification's organisation (org:ID) or to its talent (talent:ID);
 * submit and upload with verifications_submit unscoped or scoped to its
 * organisation; accept, return and lapse with verifications_review. A
 * NULL principal is the command line, allowed everything the states
 * allow.
 */
#ifndef GG_VERIFICATION_H
#define GG_VERIFICATION_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "file.h"
#include "policyset.h"
#include "role.h"

#define GG_VERIFICATION_FILES_MAX  10   /* evidence files of one verification */
#define GG_VERIFICATION_TAX_MAX    64   /* characters of a tax record number */
#define GG_VERIFICATION_REASON_MAX 2000 /* characters of a reason */
#define GG_VERIFICATION_LIMIT_MAX  200

enum gg_ver_status { GG_VER_OPEN, GG_VER_SUBMITTED, GG_VER_ACCEPTED, GG_VER_RETURNED, GG_VER_LAPSED, GG_VER__COUNT };
enum gg_ver_action { GG_VERA_SUBMIT, GG_VERA_UPLOAD, GG_VERA_ACCEPT, GG_VERA_RETURN, GG_VERA_LAPSE, GG_VERA__COUNT };

/** "open", "submitted", ...; the status a token names (-1 when unknown). */
const char *gg_ver_status_token(enum gg_ver_status s);
int gg_ver_status_lookup(const char *token);
/** "submit", "upload", "accept", "return", "lapse". */
const char *gg_ver_action_token(enum gg_ver_action a);

struct gg_verification_file {
	char kind[16]; /* contract, tax_certificate, other */
	struct gg_file f;
};

/* A verification as read, with its installment, plan, talent and files. Strings owned; NULL: none. */
struct gg_verification {
	int64_t id;
	enum gg_ver_status status;
	char deadline_on[11];
	int overdue; /* open or returned and today is after deadline_on */
	int64_t installment_id;
	int year;
	char due_on[11];
	int64_t base_fen, planned_fen; /* the installment as planned */
	char inst_status[16];
	int64_t plan_id;
	char plan_kind[16];
	int64_t contract_fen;
	char pack[64], policy_version[64];
	char start_on[11];
	int64_t talent_id;
	char *talent_name;
	int64_t org_id; /* 0: none (the bureau answers) */
	char *org_name;
	int employed;            /* -1: not answered */
	char end_on[11];         /* "" when none */
	int64_t salary_paid_fen; /* -1: not answered */
	char *tax_record_no;
	struct gg_verification_file *files;
	size_t nfiles;
	int64_t amount_fen; /* -1: not priced */
	char *trace;        /* lines ending in '\n' */
	char *reason;
	int64_t submitted_by, submitted_at, decided_by, decided_at;
	char *submitted_by_name, *decided_by_name;
	int64_t version;
	int64_t created_at;
};
void gg_verification_free(struct gg_verification *v); /* NULL is a no-op */

/** 1 when pr may read verifications of org_id about talent_id (NULL pr: 1). */
int gg_verification_may_read(const struct gg_principal *pr, int64_t org_id, int64_t talent_id);
/** The actions pr may take on v today as bits (1u << enum gg_ver_action), by the checks the actions apply. */
unsigned gg_verification_allowed_actions(const struct gg_verification *v, const struct gg_principal *pr);

/**
 * Opens a verification for every planned installment of an active plan
 * due on or before today_day (days since 1970-01-01) that has none:
 * org the recognition's, deadline the due day plus days (1..3650), and a
 * verification_answer task scoped to that org (unscoped when none), in
 * one write transaction with an audit row (verification.open) each.
 * *opened how many (0 when all had one: idempotent).
 */
enum gg_err gg_verification_open_due(struct gg_db *db, const struct gg_actor *actor, int64_t today_day, int days,
                                     int64_t *opened, struct gg_error *err);

/**
 * Reads verification id as of today (overdue) in a read transaction of its
 * own. GG_E_NOT_FOUND "unknown verification 7".
 */
enum gg_err gg_verification_get(struct gg_db *db, int64_t id, struct gg_verification **out, struct gg_error *err);

/* What an employer answers. Strings borrowed. */
struct gg_verification_answer {
	int employed;              /* 1 or 0 */
	const char *end_on;        /* YYYY-MM-DD; required when employed is 0, refused otherwise */
	int64_t salary_paid_fen;   /* >= 0 */
	const char *tax_record_no; /* 1..GG_VERIFICATION_TAX_MAX characters */
	int64_t expected_version;  /* 0: any; else GG_E_STALE when the record is at another */
};

/*
 * The actions. Each runs in a write transaction of its own. Common
 * refusals: GG_E_NOT_FOUND when pr may not read the verification (as for
 * an unknown one), GG_E_FORBIDDEN when pr may not take the action on it,
 * GG_E_CONFLICT when its status does not allow it ("cannot accept
 * verification 7: it is open"), GG_E_STALE for another version.
 */
/** Submits: GG_E_INVALID on field employed, end_on, salary_paid or tax_record_no. */
enum gg_err gg_verification_submit(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                   int64_t id, const struct gg_verification_answer *in, struct gg_error *err);
/**
 * Stores an evidence file of kind (contract, tax_certificate, other: else
 * GG_E_INVALID on field kind) as gg_file_store_tx under dir does (max_bytes
 * each) and links it; GG_E_RULE on field file when the verification has
 * GG_VERIFICATION_FILES_MAX files already. *file the stored row.
 */
enum gg_err gg_verification_attach(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                   int64_t id, const char *kind, const char *dir, const char *name, const void *data,
                                   size_t len, int64_t max_bytes, struct gg_file *file, struct gg_error *err);
/**
 * Accepts: prices the installment (docs/verification.md) under the plan's
 * version from set (GG_E_CONFIG when no packs are loaded, GG_E_RULE when
 * the version is gone), records amount and trace, lapses (this and, for
 * employment ended, later installments) and moves the ledger as the file
 * comment says.
 */
enum gg_err gg_verification_accept(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                   const struct gg_principal *pr, int64_t id, int64_t expected_version,
                                   struct gg_error *err);
/** Returns for changes (reason required: GG_E_INVALID on field reason); the answer task reopens. */
enum gg_err gg_verification_return(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                   int64_t id, const char *reason, int64_t expected_version, struct gg_error *err);
/**
 * Lapses an overdue one (reason required); GG_E_CONFLICT "... is not
 * overdue (deadline YYYY-MM-DD)" before its deadline has passed. The
 * installment lapses and its commitment is released.
 */
enum gg_err gg_verification_lapse(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                  int64_t id, const char *reason, int64_t expected_version, struct gg_error *err);

/**
 * Who may answer the file's owner: GG_OK when stored file file_id belongs
 * to a verification pr may read (*found 1), GG_E_NOT_FOUND otherwise
 * ("unknown file 7"), in a read transaction of its own.
 */
enum gg_err gg_verification_file_visible(struct gg_db *db, const struct gg_principal *pr, int64_t file_id,
                                         struct gg_error *err);

struct gg_verification_query {
	int status;        /* -1: any */
	int overdue;       /* 1: only overdue */
	int64_t org_id;    /* 0: any */
	int64_t talent_id; /* 0: any */
	int year;          /* of the due day; 0: any */
	int limit;         /* 1..GG_VERIFICATION_LIMIT_MAX */
	int64_t after_id;  /* oldest first by id; 0: from the first */
	/* scope (gg_verification_scope): unscoped, or these organisations and talents only */
	int unscoped;
	int64_t scope_orgs[16], scope_talents[16];
	size_t norgs, ntalents;
};
/** Fills q's scope from pr's verifications_read grants (NULL pr: unscoped). */
void gg_verification_scope(const struct gg_principal *pr, struct gg_verification_query *q);
/** One page (with files), *more 1 when more follow; own read transaction. Free with gg_verification_list_free. */
enum gg_err gg_verification_list(struct gg_db *db, const struct gg_verification_query *q, struct gg_verification ***out,
                                 size_t *n, int *more, struct gg_error *err);
void gg_verification_list_free(struct gg_verification **v, size_t n);

#endif
