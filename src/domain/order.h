/*
 * order: the recruitment order (光谷招聘令, DOMAIN.md programme 1) and its
 * hire. An employer issues an order for one post of its organisation
 * (title, industry-chain segment, annual salary, description); the order
 * is open until a hire fills it or someone closes it. Registering the
 * hire is the real-time recognition: in one write transaction the hire is
 * written, the order filled, and the policy version in force on the
 * contract's start day decides at once, with no committee, whether the
 * talent is recognised (gg_policy_evaluate with the employer's kind, the
 * contracted salary, the start day and the cap room the talent's earlier
 * plans used); when it is, the recognition (basis order, the hire as its
 * source, the decision's trace) and the formula subsidy plan are written
 * in the same transaction, except that a talent with an active formula
 * plan gets no second one (one entitlement per talent; the trace says
 * so). A refusal writes nothing. Every write has its audit rows:
 * order.create, order.close, hire.create and order.fill.
 *
 * Who may act: a role granting orders_read or orders_write without a
 * scope acts on every organisation's orders; an employer (org:ID) only on
 * its own (gg_order_scope). Amounts come in as text of yuan (parsed with
 * gg_money_parse: at most two decimals, no sign or exponent) and are
 * stored and answered as integer fen.
 */
#ifndef GG_ORDER_H
#define GG_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "policy.h"
#include "policyset.h"
#include "role.h"

#define GG_ORDER_TITLE_MAX       200  /* characters after NFKC */
#define GG_ORDER_DESCRIPTION_MAX 4000 /* characters after NFKC */
#define GG_ORDER_TERM_MAX        10   /* years of a contract's term */
#define GG_ORDER_LIMIT_MAX       200

enum gg_order_status { GG_ORDER_OPEN, GG_ORDER_FILLED, GG_ORDER_CLOSED, GG_ORDER__COUNT };
/** "open", "filled", "closed". */
const char *gg_order_status_token(enum gg_order_status s);
/** The status a token names; -1 when unknown. */
int gg_order_status_lookup(const char *token);

/* An order to issue. Strings are borrowed. */
struct gg_order_new {
	int64_t org_id;          /* the employer; must exist */
	const char *title;       /* 1..GG_ORDER_TITLE_MAX characters */
	const char *segment;     /* a segment token (or its label) of the vocabulary */
	const char *salary;      /* annual salary, yuan text, more than 0 */
	const char *description; /* NULL or "": none; at most GG_ORDER_DESCRIPTION_MAX characters */
};

/**
 * Issues an order inside the caller's write transaction with its audit
 * row (order.create); *id gets its id. Field errors (GG_E_INVALID) name
 * org_id ("unknown organisation 7"), title, segment, salary and
 * description; every problem is reported at once.
 */
enum gg_err gg_order_issue_tx(struct gg_db *db, const struct gg_actor *actor, const struct gg_order_new *in,
                              int64_t *id, struct gg_error *err);
/** gg_order_issue_tx in a write transaction of its own. */
enum gg_err gg_order_issue(struct gg_db *db, const struct gg_actor *actor, const struct gg_order_new *in, int64_t *id,
                           struct gg_error *err);

/**
 * Closes open order id inside the caller's write transaction (order.close
 * audit row). GG_E_NOT_FOUND "unknown order 7"; GG_E_CONFLICT when the
 * order is filled or closed already.
 */
enum gg_err gg_order_close_tx(struct gg_db *db, const struct gg_actor *actor, int64_t id, struct gg_error *err);
/** gg_order_close_tx in a write transaction of its own. */
enum gg_err gg_order_close(struct gg_db *db, const struct gg_actor *actor, int64_t id, struct gg_error *err);

/* A hire to register. Strings are borrowed. */
struct gg_hire_new {
	int64_t order_id;
	int64_t talent_id;           /* an existing talent, not merged into another */
	const char *contract_salary; /* the contracted annual salary, yuan text, more than 0 */
	const char *start_on;        /* the first day of work, a real date YYYY-MM-DD */
	int term_years;              /* 1..GG_ORDER_TERM_MAX */
};

/* What registering a hire decided. */
struct gg_hire_result {
	int64_t hire_id;
	int64_t recognition_id;        /* 0: not recognised */
	int64_t plan_id;               /* 0: no plan (not recognised, or the talent has an active formula plan) */
	int64_t active_plan_id;        /* the talent's formula plan that kept this hire from a second one; 0: none */
	char pack[GG_POLICY_NAME_MAX]; /* the policy version that decided */
	char version[GG_POLICY_NAME_MAX];
	/*
	 * The evaluator's decision: recognised, tier, the installments and
	 * their total as planned (none when no plan was made), the trace.
	 * Release with gg_hire_result_release.
	 */
	struct gg_policy_decision decision;
};
/** Frees what a result holds (its trace); safe on a zeroed result and twice. */
void gg_hire_result_release(struct gg_hire_result *r);

/**
 * Registers a hire inside the caller's write transaction, as the file
 * comment says: checks the input (field errors on contract_salary,
 * start_on, term_years, talent_id: "unknown talent 12" or "talent 12 was
 * merged into talent 15"), that the order exists (GG_E_NOT_FOUND) and is
 * open (GG_E_CONFLICT), takes the parameters of the policy in force on
 * the start day from set (GG_E_RULE on field start_on, "no version of
 * 'x' in force on 2023-06-01"), evaluates, writes the hire (hire.create),
 * fills the order (order.fill) and, when recognised, the recognition and
 * the formula plan. res is zeroed first and must be released by the
 * caller even on failure. On failure the caller rolls back: nothing stays.
 */
enum gg_err gg_order_hire_tx(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                             const struct gg_hire_new *in, struct gg_hire_result *res, struct gg_error *err);
/** gg_order_hire_tx in a write transaction of its own (rolled back on failure). */
enum gg_err gg_order_hire(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                          const struct gg_hire_new *in, struct gg_hire_result *res, struct gg_error *err);

/* A hire as stored. */
struct gg_hire {
	int64_t id;
	int64_t order_id;
	int64_t talent_id;
	char *talent_name;
	int64_t org_id;
	int64_t contract_fen;
	char start_on[11];
	int term_years;
	char pack[GG_POLICY_NAME_MAX];
	char version[GG_POLICY_NAME_MAX];
	int recognised;
	int64_t recognition_id; /* 0: none */
	int64_t created_at;
	int64_t created_by; /* account; 0: the command line */
};

/* An order as stored, with its hire. Strings are owned (gg_order_free). */
struct gg_order {
	int64_t id;
	int64_t org_id;
	char *org_name;
	char *title;
	char *segment; /* token */
	int64_t salary_fen;
	char *description; /* NULL: none */
	enum gg_order_status status;
	int64_t created_at;
	int64_t created_by; /* account; 0: the command line */
	int64_t closed_at;  /* 0 while open; when filled or closed */
	int64_t closed_by;  /* account that closed it; 0 otherwise */
	int64_t version;
	struct gg_hire *hire; /* NULL when no hire */
};

/**
 * Reads order id and its hire, inside the caller's transaction or alone.
 * GG_E_NOT_FOUND "unknown order 7". Freed with gg_order_free.
 */
enum gg_err gg_order_get(struct gg_db *db, int64_t id, struct gg_order **out, struct gg_error *err);
void gg_order_free(struct gg_order *o); /* NULL is a no-op */

/* What a principal's order reads or writes are limited to. */
struct gg_order_scope {
	int unscoped;                         /* 1: every organisation's orders */
	int64_t orgs[GG_PRINCIPAL_ROLES_MAX]; /* else: only these organisations' (none: nothing) */
	size_t norgs;
};
/** The scope pr's roles granting perm (orders_read or orders_write) give. */
void gg_order_scope(const struct gg_principal *pr, enum gg_perm perm, struct gg_order_scope *out);
/** 1 when scope s reaches organisation org_id's orders. */
int gg_order_scope_has(const struct gg_order_scope *s, int64_t org_id);

struct gg_order_query {
	int64_t org_id;    /* 0: any */
	int status;        /* an enum gg_order_status; -1: any */
	int limit;         /* 1..GG_ORDER_LIMIT_MAX */
	int64_t before_id; /* newest first; 0: from the newest */
	struct gg_order_scope scope;
};
/**
 * One page of orders newest first, each with its hire, within q->scope:
 * *out (gg_order_list_free) gets *n of them, *more 1 when older ones
 * follow. Runs inside the caller's transaction or alone.
 */
enum gg_err gg_order_list(struct gg_db *db, const struct gg_order_query *q, struct gg_order ***out, size_t *n,
                          int *more, struct gg_error *err);
void gg_order_list_free(struct gg_order **v, size_t n);

/**
 * The most recent order of organisation org_id titled exactly title
 * (after NFKC): *id, or 0 when none. For loaders that must not issue the
 * same order twice (the demo).
 */
enum gg_err gg_order_find(struct gg_db *db, int64_t org_id, const char *title, int64_t *id, struct gg_error *err);

#endif
