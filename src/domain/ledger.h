/*
 * ledger: the special fund as a double-entry ledger (issue 6,
 * docs/ledger.md). A fixed chart of five budgetary accounts
 * (fund_appropriations, fund_available, fund_committed, fund_approved,
 * fund_paid); every movement is a journal entry whose lines' debits equal
 * its credits, written once and never changed (0011_ledger.sql enforces
 * that too). Balances are derived from the lines, never stored. This
 * module is the only writer of journal_entries and journal_lines.
 */
#ifndef GG_LEDGER_H
#define GG_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"

#define GG_LEDGER_LINES_MAX 64 /* lines of one entry: a plan's installments pair up (10 years, 20 lines) */
#define GG_LEDGER_ACCOUNTS  5  /* the fixed chart */
#define GG_LEDGER_MEMO_MAX  500

struct gg_ledger_line {
	const char *account;                        /* a code of the chart */
	int64_t debit_fen, credit_fen;              /* exactly one > 0 */
	int64_t talent_id, plan_id, installment_id; /* 0: none (for reports) */
};

struct gg_ledger_entry {
	const char *kind;        /* appropriation, commitment, release */
	int64_t posted_on;       /* civil day (days since 1970-01-01); -1: today */
	const char *memo;        /* NULL: "" */
	const char *source_type; /* plan, installment, appropriation, demo; NULL: none */
	int64_t source_id;       /* with source_type */
	const struct gg_ledger_line *lines;
	size_t nlines;
};

/**
 * Posts e in the caller's write transaction, with its audit row
 * (ledger.post); *entry_id its id. GG_E_INVALID (nothing written) for an
 * unbalanced entry, fewer than two lines, a line that is not exactly one
 * positive debit or credit, an unknown account or an unknown kind;
 * GG_E_DUPLICATE when an entry of that kind and source exists.
 */
enum gg_err gg_ledger_post_tx(struct gg_db *db, const struct gg_actor *actor, const struct gg_ledger_entry *e,
                              int64_t *entry_id, struct gg_error *err);

/**
 * Appropriates fen (> 0) to the fund, today, in a write transaction of its
 * own: Dr fund_available / Cr fund_appropriations. *entry_id its id.
 */
enum gg_err gg_ledger_appropriate(struct gg_db *db, const struct gg_actor *actor, int64_t fen, const char *memo,
                                  int64_t *entry_id, struct gg_error *err);
/**
 * The same in the caller's write transaction, at most once per source
 * (source_type NULL: no source): *entry_id 0 and GG_OK when that source
 * has its appropriation already (the demo's fund).
 */
enum gg_err gg_ledger_appropriate_tx(struct gg_db *db, const struct gg_actor *actor, int64_t fen, const char *memo,
                                     const char *source_type, int64_t source_id, int64_t *entry_id,
                                     struct gg_error *err);

/** The fund's available balance now (debits - credits of fund_available). */
enum gg_err gg_ledger_available(struct gg_db *db, int64_t *fen, struct gg_error *err);

/**
 * Commits formula plan plan_id's planned installments in the caller's
 * write transaction: one entry (kind commitment, source plan) with a
 * Dr fund_committed / Cr fund_available pair per planned installment
 * that nothing has moved yet: not lapsed, no journal line of its own (its
 * own commitment, a release, an approval drawn from fund_available) and
 * no payment; an installment with an accepted verification is committed
 * at the accepted amount (none when 0). So a plan recorded while the fund
 * could not cover it is never committed twice later.
 * Idempotent: *entry_id 0 and GG_OK when the plan is committed already or
 * has nothing planned. GG_E_RULE with the shortfall stated ("the fund
 * cannot cover plan 7: 1,800,000.00 needed, 1,000,000.00 available, short
 * by 800,000.00") when fund_available is less than the plan's total;
 * GG_E_NOT_FOUND for an unknown plan, GG_E_CONFLICT for one that is not
 * an active formula plan.
 */
enum gg_err gg_ledger_commit_plan_tx(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, int64_t *entry_id,
                                     struct gg_error *err);
/**
 * Commits, in one write transaction of its own, every active formula
 * plan not committed yet, oldest first; *committed how many. The first
 * one the fund cannot cover refuses the whole run (GG_E_RULE, the
 * shortfall stated) and nothing is written.
 */
enum gg_err gg_ledger_commit_existing(struct gg_db *db, const struct gg_actor *actor, int64_t *committed,
                                      struct gg_error *err);
/**
 * Releases what plan_id still has committed (a plan replaced or
 * cancelled), in the caller's write transaction: one entry (kind release,
 * source plan), Dr fund_available / Cr fund_committed per installment.
 * *entry_id 0 when nothing is committed.
 */
enum gg_err gg_ledger_release_plan_tx(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id,
                                      int64_t *entry_id, struct gg_error *err);

struct gg_ledger_balance {
	char code[32];
	char name_zh[64];
	char name_en[64];
	int64_t balance_fen; /* debits - credits */
};
struct gg_ledger_balances {
	struct gg_ledger_balance accounts[GG_LEDGER_ACCOUNTS]; /* in chart order */
	size_t naccounts;
	int64_t total_debit_fen, total_credit_fen;
	int64_t entries;           /* entries counted */
	int64_t unbalanced;        /* entries whose lines do not balance (0 unless the database was tampered with) */
	int64_t first_unbalanced;  /* the first such entry's id */
	int64_t uncommitted_plans; /* active formula plans not committed with something commit-existing would commit */
	int64_t uncommitted_fen;   /* what it would commit (gg_ledger_commit_plan_tx's installments) */
};
/**
 * Each account's balance from the lines of entries posted on or before
 * on_day (days since 1970-01-01; -1: all), in one read transaction of its
 * own, with the totals, a check that every such entry balances, and the
 * plans not committed yet.
 */
enum gg_err gg_ledger_balances(struct gg_db *db, int64_t on_day, struct gg_ledger_balances *out, struct gg_error *err);

/* Verification (issue 6, verification.c): an installment's own commitment and release. */
/**
 * What installment installment_id has committed now: the debits minus
 * the credits of fund_committed over the lines that carry it (its plan's
 * commitment, its own extra commitment, releases, approvals), into *fen.
 */
enum gg_err gg_ledger_installment_committed(struct gg_db *db, int64_t installment_id, int64_t *fen,
                                            struct gg_error *err);
/**
 * Releases fen (> 0; at most what the installment has committed; 0: all
 * of it) of installment_id in the caller's write transaction: one entry
 * (kind release, source installment), Dr fund_available / Cr
 * fund_committed, lines carrying the talent, plan and installment.
 * *entry_id 0 and nothing written when nothing is committed.
 * GG_E_NOT_FOUND for an unknown installment; GG_E_DUPLICATE when the
 * installment has its release entry already.
 */
enum gg_err gg_ledger_release_installment_tx(struct gg_db *db, const struct gg_actor *actor, int64_t installment_id,
                                             int64_t fen, int64_t *entry_id, struct gg_error *err);
/**
 * Commits fen (> 0) more for installment_id in the caller's write
 * transaction: one entry (kind commitment, source installment), Dr
 * fund_committed / Cr fund_available. GG_E_RULE with the shortfall stated
 * ("the fund cannot cover installment 7: ...") when fund_available is
 * less than fen; GG_E_NOT_FOUND for an unknown installment;
 * GG_E_DUPLICATE when the installment has its own commitment already.
 */
enum gg_err gg_ledger_commit_installment_tx(struct gg_db *db, const struct gg_actor *actor, int64_t installment_id,
                                            int64_t fen, int64_t *entry_id, struct gg_error *err);

/*
 * Payments (issue 6, part B: payrun.c). Each entry's source is the
 * payment ("payment", id); its lines carry the payment's talent, plan and
 * installment.
 */
/**
 * What approving payment_id needs beyond its installment's commitment:
 * *remainder = amount - min(amount, committed) (0 when the commitment
 * covers it). GG_E_NOT_FOUND for an unknown payment.
 */
enum gg_err gg_ledger_approval_remainder(struct gg_db *db, int64_t payment_id, int64_t *remainder,
                                         struct gg_error *err);
/**
 * Posts the approval of payment_id in the caller's write transaction:
 * Dr fund_approved its amount / Cr fund_committed what its installment
 * has committed (at most the amount) / Cr fund_available the rest.
 * GG_E_RULE with the shortfall stated when fund_available cannot cover
 * the rest; GG_E_DUPLICATE when the payment has its approval already;
 * GG_E_NOT_FOUND for an unknown payment.
 */
enum gg_err gg_ledger_approve_tx(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id, int64_t *entry_id,
                                 struct gg_error *err);
/** A batch of entries posted set-based (docs/ledger.md, "Batches"). */
struct gg_ledger_batch {
	int64_t entries, lines;          /* posted (gg_ledger_run_need: the run's payments) */
	int64_t total_fen;               /* the payments' total */
	int64_t need_fen;                /* beyond their installments' commitments: from fund_available */
	int64_t first_entry, last_entry; /* the entries' ids, consecutive */
};
/**
 * What approving every payment of run_id takes: b->entries the payments,
 * b->total_fen their total, b->need_fen the sum of their remainders (see
 * gg_ledger_approval_remainder). Reads only.
 */
enum gg_err gg_ledger_run_need(struct gg_db *db, int64_t run_id, struct gg_ledger_batch *b, struct gg_error *err);
/**
 * Posts the approval of every payment of run_id in the caller's write
 * transaction, set-based: per payment the entry gg_ledger_approve_tx
 * posts (source payment), with created_by actor and created_at now, ids
 * b->first_entry..b->last_entry in payment order. No ledger.post audit
 * row per entry: the caller records one for the batch. The caller checks
 * fund_available against b->need_fen first. GG_E_DUPLICATE when a
 * payment has its approval already.
 */
enum gg_err gg_ledger_approve_run_tx(struct gg_db *db, const struct gg_actor *actor, int64_t run_id,
                                     struct gg_ledger_batch *b, struct gg_error *err);
/**
 * Posts the bank's answer for payment_id in the caller's write
 * transaction, kind one of: "payment" (Dr fund_paid / Cr fund_approved),
 * "payment_failed" (Dr fund_committed / Cr fund_approved: failed, or
 * returned before it was marked paid), "payment_returned" (Dr
 * fund_committed / Cr fund_paid: returned after paid). GG_E_INVALID for
 * another kind, GG_E_DUPLICATE when posted already, GG_E_NOT_FOUND for an
 * unknown payment.
 */
enum gg_err gg_ledger_settle_tx(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id, const char *kind,
                                int64_t *entry_id, struct gg_error *err);
/**
 * gg_ledger_settle_tx within a batch (a bank result file): the same entry,
 * created_by actor and created_at now, without its ledger.post audit row;
 * the caller records one audit row for the batch naming its entries.
 */
enum gg_err gg_ledger_settle_batch_tx(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id,
                                      const char *kind, int64_t *entry_id, struct gg_error *err);
/** The caller's TEMP table of a set-based settlement: (seq INTEGER PRIMARY KEY, payment INTEGER, kind TEXT, ...). */
#define GG_LEDGER_SETTLE_ROWS "temp.settle_rows"
/**
 * Posts, in the caller's write transaction, the settlement of every row of
 * GG_LEDGER_SETTLE_ROWS with lo <= seq < hi, set-based: per row the entry
 * gg_ledger_settle_batch_tx posts for (payment, kind), created_by actor and
 * created_at now, ids b->first_entry..b->last_entry in seq order, without
 * ledger.post audit rows (docs/ledger.md, "Batches"). b->entries, b->lines
 * and b->total_fen what was posted (0 entries for an empty range).
 * GG_E_INVALID when a row's kind is not a settlement kind, GG_E_DUPLICATE
 * when a payment has that entry already (UNIQUE(kind, source)).
 */
enum gg_err gg_ledger_settle_rows_tx(struct gg_db *db, const struct gg_actor *actor, int64_t lo, int64_t hi,
                                     struct gg_ledger_batch *b, struct gg_error *err);
/**
 * Posts clawback clawback_id (a row of clawbacks) in the caller's write
 * transaction: Dr fund_available / Cr fund_paid its amount, the lines on
 * its payment's talent, plan and installment (source clawback).
 * GG_E_NOT_FOUND for an unknown clawback, GG_E_DUPLICATE when posted.
 */
enum gg_err gg_ledger_clawback_tx(struct gg_db *db, const struct gg_actor *actor, int64_t clawback_id,
                                  int64_t *entry_id, struct gg_error *err);

#endif
