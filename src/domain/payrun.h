/*
 * payrun: payment runs (issue 6, docs/payments.md). An officer proposes a
 * run for a period (a calendar year of due days): every installment due
 * in that year by today whose verification was accepted with an amount
 * above 0, its plan active (or cancelled: what was accepted before the
 * cancellation stays payable), its payee account confirmed and no live
 * payment, becomes a payment with a stable reference
 * (GG<period>-<payment id padded to 8>) and a snapshot of the payee. A
 * finance user other than the proposer approves the run (one approval
 * journal entry per payment, all or nothing) or rejects it (its payments
 * cancelled, the installments free again). The bank file of an approved
 * run lists its payments; the bank's result file settles them (payment,
 * payment_failed, payment_returned entries), all rows or none, and the
 * run closes once every payment is settled. Every write is one write
 * transaction with its audit rows. The database backs the rules: one
 * live payment per installment and one open run per period (unique
 * indexes), never the proposer as decider (a CHECK).
 */
#ifndef GG_PAYRUN_H
#define GG_PAYRUN_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"

#define GG_PAYRUN_REASON_MAX 1000 /* bytes of a rejection's reason */
#define GG_PAYRUN_WHY_MAX    160
#define GG_PAYRUN_RESULT_MAX (8u * 1024 * 1024) /* bytes of a bank result file */

struct gg_payment {
	int64_t id, run_id, installment_id, plan_id, talent_id, verification_id, payee_id, amount_fen;
	int year;
	char due_on[11];
	char talent_name[128];
	char reference[24];
	char payee_name[201];
	char bank[201];
	char last4[5];
	char status[12]; /* proposed approved paid failed returned cancelled */
	char bank_txn_id[65];
	char settled_on[11];
	char *reason; /* NULL: none */
	char *trace;  /* lines separated by '\n' */
	int64_t created_at, updated_at;
};

struct gg_payrun {
	int64_t id;
	int period;
	char status[12]; /* proposed approved rejected closed */
	int64_t proposed_by, proposed_at, decided_by, decided_at;
	char proposer[128], decider[128]; /* display names; "" when none */
	char *reason;
	int64_t total_fen, npayments, version;
	int64_t paid_fen, failed_fen, returned_fen, pending_fen; /* by payment status (pending: proposed|approved) */
	struct gg_payment *payments;                             /* by id; NULL in lists */
	size_t n;
};

struct gg_payrun_skip {
	int64_t installment_id, plan_id, talent_id;
	int year;
	char why[GG_PAYRUN_WHY_MAX];
};

struct gg_payrun_proposal {
	int64_t run_id;
	int created; /* 0: the open run of that period, answered again */
	struct gg_payrun_skip *skipped;
	size_t nskipped;
};
void gg_payrun_proposal_release(struct gg_payrun_proposal *p);

/**
 * Proposes the run of period (a year, at most today's year; today_day
 * days since 1970-01-01 in the timezone setting) into *out. When that
 * period has an open run (proposed or approved), answers it (created 0)
 * and writes nothing. GG_E_INVALID on field "period" for a year outside
 * 2000..9999; GG_E_RULE on field "period" for a future year; GG_E_RULE
 * "nothing is due ..." when no installment qualifies (the skipped ones as
 * field errors "skipped.N" and in out). Fault point
 * payrun.propose.after_payments.
 */
enum gg_err gg_payrun_propose(struct gg_db *db, const struct gg_actor *actor, int64_t period, int64_t today_day,
                              struct gg_payrun_proposal *out, struct gg_error *err);

/**
 * Approves run_id (expected_version 0: any): one approval entry per
 * payment, payments approved, the run approved, decided by actor.
 * GG_E_NOT_FOUND, GG_E_STALE (another version), GG_E_CONFLICT (not
 * proposed), GG_E_FORBIDDEN "the proposer of a run cannot approve it",
 * GG_E_RULE with the shortfall when the fund cannot cover what the
 * commitments do not. Nothing is written on any error. Fault point
 * payrun.approve.after_entries.
 */
enum gg_err gg_payrun_approve(struct gg_db *db, const struct gg_actor *actor, int64_t run_id, int64_t expected_version,
                              struct gg_error *err);
/**
 * Rejects run_id with reason (1..GG_PAYRUN_REASON_MAX bytes, field
 * "reason"): the run rejected, its payments cancelled. Errors as approve.
 */
enum gg_err gg_payrun_reject(struct gg_db *db, const struct gg_actor *actor, int64_t run_id, const char *reason,
                             int64_t expected_version, struct gg_error *err);

/** Run id with its payments into *out (free with gg_payrun_free); GG_E_NOT_FOUND. */
enum gg_err gg_payrun_get(struct gg_db *db, int64_t id, struct gg_payrun **out, struct gg_error *err);
void gg_payrun_free(struct gg_payrun *r);

struct gg_payrun_query {
	int period;         /* 0: any */
	const char *status; /* NULL: any */
	int64_t before_id;  /* cursor: ids below it; 0 from the newest */
	int limit;
};
/** Runs newest first, without payments, into *out[*n]; *more when more follow. */
enum gg_err gg_payrun_list(struct gg_db *db, const struct gg_payrun_query *q, struct gg_payrun **out, size_t *n,
                           int *more, struct gg_error *err);
void gg_payrun_list_free(struct gg_payrun *v, size_t n);

struct gg_payment_query {
	int64_t talent_id, plan_id, run_id; /* 0: any */
	const char *status;                 /* NULL: any */
	int64_t before_id;
	int limit;
};
/** Payments newest first into *out[*n]; *more when more follow. */
enum gg_err gg_payment_list(struct gg_db *db, const struct gg_payment_query *q, struct gg_payment **out, size_t *n,
                            int *more, struct gg_error *err);
void gg_payment_list_free(struct gg_payment *v, size_t n);

enum gg_payrun_format { GG_PAYRUN_CSV, GG_PAYRUN_XLSX };
/**
 * The bank file of run_id (approved or closed) into out: the header
 * reference,payee_name,account_no,bank,amount and a row per payment by
 * id, the account numbers unsealed, amounts as CNY with two decimals.
 * CSV: UTF-8 with a BOM, CRLF; XLSX: one sheet, fixed document times.
 * The same bytes on every call. Audited (payrun.bank_file) in a write
 * transaction of its own. GG_E_NOT_FOUND; GG_E_CONFLICT for a run not
 * approved.
 */
enum gg_err gg_payrun_bank_file(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                                int64_t run_id, enum gg_payrun_format format, struct gg_buf *out, struct gg_error *err);

struct gg_payrun_row_error {
	size_t line;
	char reference[32];
	char reason[GG_PAYRUN_WHY_MAX];
};
struct gg_payrun_result {
	int already; /* the same file was applied before: nothing done */
	size_t rows; /* rows applied */
	size_t paid, failed, returned;
	int closed; /* the run closed */
	struct gg_payrun_row_error *errors;
	size_t nerrors;
};
void gg_payrun_result_release(struct gg_payrun_result *r);
/**
 * Applies the bank's result file (CSV, UTF-8 with or without BOM, header
 * reference,amount,status,bank_txn_id,date,reason; status paid, failed or
 * returned) to run_id, all rows or none: an unknown reference or one of
 * another run, an amount other than the payment's, a bad status or date,
 * a reference twice, a move the payment's state does not allow make it
 * GG_E_RULE with every bad row in res->errors (and the first ones as
 * field errors "rows.LINE"). The same file (by SHA-256) again: GG_OK with
 * res->already. GG_E_CONFLICT for a run not approved. Set-based (a
 * TEMP table of the rows, docs/payments.md); fault point
 * payrun.result.between_rows after the first half of the rows is applied.
 */
enum gg_err gg_payrun_bank_result(struct gg_db *db, const struct gg_actor *actor, int64_t run_id, const char *name,
                                  const char *data, size_t len, struct gg_payrun_result *res, struct gg_error *err);

#define GG_PAYRUN_CLAWBACK_REASON_MAX 1000
/**
 * Records a clawback of amount_fen (> 0) on paid payment payment_id: the
 * money the talent pays back because the verification turned out false
 * (reason required). At most what was paid less earlier clawbacks. In one
 * write transaction: the clawbacks row, its clawback entry (Dr
 * fund_available / Cr fund_paid) and the audit row; *clawback_id its id.
 * GG_E_INVALID on field "amount" or "reason"; GG_E_NOT_FOUND for an
 * unknown payment; GG_E_CONFLICT for one not paid; GG_E_RULE on field
 * "amount" above what is left.
 */
enum gg_err gg_payrun_clawback(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id, int64_t amount_fen,
                               const char *reason, int64_t *clawback_id, struct gg_error *err);

#endif
