/*
 * report: the special fund's reports (issue 6, docs/reports.md), read from
 * the ledger (journal_entries, journal_lines), the plans and installments,
 * verifications and payments. Each report is read in one read transaction
 * of its own and never writes. Money is integer fen; a balance is debits -
 * credits as in ledger.h.
 *
 *  - forecast: per due year from a year on (1..10 years, default 5), the
 *    planned installments of active plans (and the payable ones of cancelled plans), what they still have committed
 *    (the fund_committed balance of their lines) and what is planned but
 *    was never committed;
 *  - position: per calendar year with entries, the year's movements by
 *    kind and the balances at the year's end; or per industry chain (the
 *    chain of the organisation of the plan's recognition), the committed,
 *    approved and paid balances;
 *  - register: the payments paid or returned, filtered and paged;
 *  - statement: one talent's plans, installments (verification, payments)
 *    and ledger lines with a running paid total.
 *
 * Every report also turns into a table (header and text cells) written as
 * CSV (UTF-8 with a BOM, CRLF) or XLSX; amounts there are CNY with two
 * decimals.
 */
#ifndef GG_REPORT_H
#define GG_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../store/db.h"
#include "ledger.h"

#define GG_REPORT_FORECAST_YEARS      5      /* the default horizon */
#define GG_REPORT_FORECAST_YEARS_MAX  10     /* the longest horizon */
#define GG_REPORT_POSITION_YEARS_MAX  200    /* calendar years with entries */
#define GG_REPORT_CHAINS_MAX          32     /* industry chains, "none" included */
#define GG_REPORT_PAGE_MAX            500    /* register page size */
#define GG_REPORT_PAGE_DEFAULT        100    /* register page size when none is asked */
#define GG_REPORT_REGISTER_ROWS_MAX   100000 /* a register file (every page) */
#define GG_REPORT_STATEMENT_LINES_MAX 5000   /* ledger lines of one statement */
#define GG_REPORT_STATEMENT_ITEMS_MAX 2000   /* plans, installments, payments of one statement */
#define GG_REPORT_CURSOR_MAX          40
#define GG_REPORT_NAME_MAX            256
#define GG_REPORT_TEXT_MAX            128

/* ---- forecast ---- */

struct gg_report_forecast_year {
	int year;                /* due year; 0 in the total row */
	int64_t installments;    /* planned installments of active or cancelled plans due that year */
	int64_t committed_fen;   /* their fund_committed balance (debits - credits of their lines) */
	int64_t uncommitted_fen; /* planned amount of those with no fund_committed line at all */
	int64_t total_fen;       /* committed + uncommitted */
};
struct gg_report_forecast {
	int from, years;
	struct gg_report_forecast_year rows[GG_REPORT_FORECAST_YEARS_MAX];
	struct gg_report_forecast_year total;
};
/**
 * The forecast of years due years (0: GG_REPORT_FORECAST_YEARS) from year
 * from (0: the current year in the `timezone` setting). GG_E_INVALID on
 * field "from" (not 2000..9990) or "years" (not 1..10).
 */
enum gg_err gg_report_forecast(struct gg_db *db, int from, int years, struct gg_report_forecast *out,
                               struct gg_error *err);

/* ---- fund position ---- */

struct gg_report_position_year {
	int year;
	int64_t appropriated_fen;            /* appropriation entries posted that year */
	int64_t committed_fen;               /* commitment entries */
	int64_t released_fen;                /* release entries */
	int64_t committed_net_fen;           /* committed - released */
	int64_t approved_fen;                /* approval entries */
	int64_t paid_fen;                    /* payment entries */
	int64_t failed_fen;                  /* payment_failed entries */
	int64_t returned_fen;                /* payment_returned entries */
	int64_t clawed_back_fen;             /* clawback entries */
	int64_t debit_fen, credit_fen;       /* all lines posted that year (equal) */
	int64_t end_fen[GG_LEDGER_ACCOUNTS]; /* each account's balance at 31 December, chart order */
};
struct gg_report_position {
	char codes[GG_LEDGER_ACCOUNTS][32]; /* the chart, in order */
	size_t naccounts;
	struct gg_report_position_year *rows; /* oldest first */
	size_t n;
};
/** The position by calendar year (every year with an entry). Freed with gg_report_position_free. */
enum gg_err gg_report_position_years(struct gg_db *db, struct gg_report_position *out, struct gg_error *err);
void gg_report_position_free(struct gg_report_position *p);

struct gg_report_chain {
	char chain[32]; /* token, or "none" */
	char name_zh[64], name_en[64];
	int64_t committed_fen, approved_fen, paid_fen; /* balances of the lines of plans of that chain */
};
struct gg_report_chains {
	struct gg_report_chain rows[GG_REPORT_CHAINS_MAX]; /* chains in table order, then "none" */
	size_t n;
	struct gg_report_chain total;
};
/**
 * The balances by industry chain: a line's chain is the chain of the
 * organisation of its plan's recognition (recognitions.org_id; of an
 * organisation in segments of several chains, the first chain token in
 * order); "none" when the recognition has no organisation or the
 * organisation no segment. Lines without a plan (appropriations) count
 * nowhere. Every chain is listed, also at 0.
 */
enum gg_err gg_report_position_chains(struct gg_db *db, struct gg_report_chains *out, struct gg_error *err);

/* ---- disbursement register ---- */

struct gg_report_register_query {
	int64_t from_day, to_day;  /* settled_on range, days since 1970-01-01; -1: open */
	int64_t talent_id, org_id; /* 0: any */
	size_t limit;              /* 1..GG_REPORT_PAGE_MAX; 0: every row (a file), up to GG_REPORT_REGISTER_ROWS_MAX */
	const char *cursor;        /* next_cursor of the previous page; NULL: the first */
};
struct gg_report_payment {
	int64_t id;
	char reference[GG_REPORT_CURSOR_MAX];
	int64_t talent_id;
	char talent_name[GG_REPORT_NAME_MAX];
	int64_t org_id; /* the recognition's organisation; 0: none */
	char org_name[GG_REPORT_NAME_MAX];
	int64_t plan_id, installment_id;
	int year; /* the installment's */
	char due_on[11];
	int64_t amount_fen;
	int64_t run_id;
	int period;
	char bank_txn_id[GG_REPORT_TEXT_MAX];
	char settled_on[11];
	char status[16]; /* paid, returned */
};
struct gg_report_register {
	struct gg_report_payment *rows;
	size_t n;
	char next_cursor[GG_REPORT_CURSOR_MAX]; /* "" on the last page */
	int64_t paid_fen, returned_fen;         /* of this page's rows */
};
/**
 * The payments paid or returned that q selects, by settled day then id.
 * GG_E_INVALID on field "limit" or "cursor" (malformed), "to" (before
 * from); GG_E_RULE when a file would hold more than
 * GG_REPORT_REGISTER_ROWS_MAX rows. Freed with gg_report_register_free.
 */
enum gg_err gg_report_register(struct gg_db *db, const struct gg_report_register_query *q,
                               struct gg_report_register *out, struct gg_error *err);
void gg_report_register_free(struct gg_report_register *r);

/* ---- per-talent statement ---- */

struct gg_report_st_plan {
	int64_t id, recognition_id;
	char kind[16], status[16], pack[64], version[32];
	char start_on[11];
	int64_t total_fen;
	int64_t org_id; /* 0: none */
	char org_name[GG_REPORT_NAME_MAX];
};
struct gg_report_st_installment {
	int64_t id, plan_id;
	int year;
	char due_on[11];
	int64_t base_fen, amount_fen; /* amount: planned */
	char status[16];              /* planned, lapsed */
	char verification[16];        /* its status; "" when none */
	int accepted;                 /* 1: accepted_fen is the verification's accepted amount */
	int64_t accepted_fen;
	int64_t committed_fen; /* its fund_committed balance */
	int64_t paid_fen;      /* its fund_paid balance */
};
struct gg_report_st_payment {
	int64_t id, installment_id, run_id;
	char reference[GG_REPORT_CURSOR_MAX];
	int64_t amount_fen;
	char status[16];
	char settled_on[11]; /* "" when not settled */
	char bank_txn_id[GG_REPORT_TEXT_MAX];
};
struct gg_report_st_line {
	int64_t entry_id, line_id;
	char posted_on[11];
	char kind[24], account[32];
	int64_t debit_fen, credit_fen;
	int64_t plan_id, installment_id; /* 0: none */
	char source_type[16];
	int64_t source_id;
	char memo[GG_LEDGER_MEMO_MAX + 1];
	int64_t running_paid_fen; /* the talent's fund_paid balance after this line */
};
struct gg_report_statement {
	int64_t talent_id;
	char talent_name[GG_REPORT_NAME_MAX];
	struct gg_report_st_plan *plans;
	size_t nplans;
	struct gg_report_st_installment *inst; /* by plan, then year */
	size_t ninst;
	struct gg_report_st_payment *payments; /* by id */
	size_t npayments;
	struct gg_report_st_line *lines; /* by posted day, entry, line */
	size_t nlines;
	int64_t paid_fen;              /* payment entries' Dr fund_paid */
	int64_t returned_fen;          /* payment_returned entries' Cr fund_paid */
	int64_t clawed_back_fen;       /* clawback entries' Cr fund_paid */
	int64_t net_paid_fen;          /* the fund_paid balance: paid - returned - clawed back */
	int64_t committed_fen;         /* the fund_committed balance */
	int64_t approved_fen;          /* the fund_approved balance */
	int64_t debit_fen, credit_fen; /* of the lines listed */
};
/**
 * The statement of talent_id; org_id > 0 limits it to the plans whose
 * recognition is of that organisation (an employer's view) and their
 * lines. GG_E_NOT_FOUND (field "talent") for an unknown talent; GG_E_RULE
 * when it has more than the limits above. Freed with
 * gg_report_statement_free.
 */
enum gg_err gg_report_statement(struct gg_db *db, int64_t talent_id, int64_t org_id, struct gg_report_statement *out,
                                struct gg_error *err);
void gg_report_statement_free(struct gg_report_statement *s);
/** 1 when talent_id has a recognition of organisation org_id (an employer may read its statement). */
enum gg_err gg_report_talent_of_org(struct gg_db *db, int64_t talent_id, int64_t org_id, int *yes,
                                    struct gg_error *err);

/* ---- tables, CSV and XLSX ---- */

struct gg_report_table {
	const char *name;          /* sheet and file stem: forecast, position, position-chains, register, statement */
	const char *const *header; /* ncols column names */
	size_t ncols;
	char **cells; /* nrows * ncols, owned */
	size_t nrows, cap;
};
void gg_report_table_free(struct gg_report_table *t);
/** A report as a table (amounts in CNY, two decimals; a last "total" row where the report has totals). */
enum gg_err gg_report_forecast_table(const struct gg_report_forecast *f, struct gg_report_table *t,
                                     struct gg_error *err);
enum gg_err gg_report_position_table(const struct gg_report_position *p, struct gg_report_table *t,
                                     struct gg_error *err);
enum gg_err gg_report_chains_table(const struct gg_report_chains *c, struct gg_report_table *t, struct gg_error *err);
enum gg_err gg_report_register_table(const struct gg_report_register *r, struct gg_report_table *t,
                                     struct gg_error *err);
/** The statement's ledger lines with the running paid total, then a total row. */
enum gg_err gg_report_statement_table(const struct gg_report_statement *s, struct gg_report_table *t,
                                      struct gg_error *err);
/** Appends t as CSV (a BOM, the header, the rows, CRLF) to out. */
enum gg_err gg_report_table_csv(const struct gg_report_table *t, struct gg_buf *out, struct gg_error *err);
/** Writes t as an XLSX workbook at path (one sheet named t->name). */
enum gg_err gg_report_table_xlsx(const struct gg_report_table *t, const char *path, struct gg_error *err);

#endif
