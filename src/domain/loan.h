/*
 * loan: loans through the digital talent card (issue 7, DOMAIN.md
 * programme 7, docs/benefits.md). A talent (or its commissioner) asks the
 * bank of its active card for a talent loan or, for an enterprise it
 * names, an enterprise loan: an amount in fen, a term in months and a
 * purpose. The request waits in the bank's queue (a loan_request task
 * scoped to the bank) until the bank accepts it to study it, approves or
 * declines it (reason); the talent may withdraw it while it is requested.
 *
 *   requested -> accepted -> approved | declined
 *   requested -> declined | withdrawn
 *
 * Every action is one write transaction with its audit row
 * (loan.<action>) and its task. Who may: request and withdraw with
 * loans_request unscoped, scoped to the card's talent or as the
 * commissioner assigned to it; accept, approve and decline with
 * loans_handle unscoped or scoped to the card's bank (org:ID). Reading:
 * those, and cards_review (the bureau) for every request.
 */
#ifndef GG_LOAN_H
#define GG_LOAN_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "role.h"

#define GG_LOAN_PURPOSE_MAX 500  /* characters */
#define GG_LOAN_REASON_MAX  1000 /* characters */
#define GG_LOAN_LIMIT_MAX   200
#define GG_LOAN_AMOUNT_MAX  (100000000LL * 100) /* fen: CNY 100 million */

enum gg_loan_status {
	GG_LOAN_REQUESTED,
	GG_LOAN_ACCEPTED,
	GG_LOAN_APPROVED,
	GG_LOAN_DECLINED,
	GG_LOAN_WITHDRAWN,
	GG_LOAN__COUNT
};
enum gg_loan_action { GG_LOANA_ACCEPT, GG_LOANA_APPROVE, GG_LOANA_DECLINE, GG_LOANA_WITHDRAW, GG_LOANA__COUNT };

/** "requested", "accepted", ...; the status a token names (-1 when unknown). */
const char *gg_loan_status_token(enum gg_loan_status s);
int gg_loan_status_lookup(const char *token);
/** "accept", "approve", "decline", "withdraw". */
const char *gg_loan_action_token(enum gg_loan_action a);

struct gg_loan {
	int64_t id;
	int64_t card_id;
	char card_no[17];
	int64_t talent_id, commissioner_id;
	char talent[256];
	int64_t bank_id;
	char bank[256];
	char kind[16];  /* talent_loan, enterprise_loan */
	int64_t org_id; /* enterprise_loan; 0 otherwise */
	char org[256];
	int64_t amount_fen;
	int term_months;
	char purpose[GG_LOAN_PURPOSE_MAX * 4 + 1];
	enum gg_loan_status status;
	char reason[GG_LOAN_REASON_MAX * 4 + 1];
	int64_t requested_by, created_at, decided_by, decided_at, updated_at, version;
};

/** 1 when pr may read l (loans_request on its talent, loans_handle on its bank, cards_review). */
int gg_loan_visible(const struct gg_loan *l, const struct gg_principal *pr);
/** The actions pr may take on l as bits (1u << enum gg_loan_action). */
unsigned gg_loan_allowed(const struct gg_loan *l, const struct gg_principal *pr);

/* A request. Strings borrowed. */
struct gg_loan_in {
	int64_t card_id;
	const char *kind;    /* talent_loan or enterprise_loan */
	int64_t org_id;      /* the enterprise of an enterprise_loan (required there, refused otherwise) */
	int64_t amount_fen;  /* 1..GG_LOAN_AMOUNT_MAX */
	int64_t term_months; /* 1..360 */
	const char *purpose; /* 1..GG_LOAN_PURPOSE_MAX characters */
};

/**
 * Files a request (loan.request) with its loan_request task for the
 * card's bank. GG_E_INVALID on the field at fault (kind, org_id,
 * amount, term_months, purpose); GG_E_NOT_FOUND when pr does not reach
 * the card; GG_E_CONFLICT when the card is not active. *id the request.
 */
enum gg_err gg_loan_request(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                            const struct gg_loan_in *in, int64_t *id, struct gg_error *err);

/**
 * Takes action a on request id (reason required for decline, ignored
 * otherwise). GG_E_NOT_FOUND when pr may not read it, GG_E_FORBIDDEN when
 * pr may read but not act, GG_E_CONFLICT when its status does not allow
 * the action, GG_E_STALE when expected_version (0: any) differs.
 */
enum gg_err gg_loan_act(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr, int64_t id,
                        enum gg_loan_action a, const char *reason, int64_t expected_version, struct gg_error *err);

/** Reads request id. GG_E_NOT_FOUND "unknown loan request 7". */
enum gg_err gg_loan_get(struct gg_db *db, int64_t id, struct gg_loan *out, struct gg_error *err);

struct gg_loan_query {
	int status;      /* -1: any */
	int64_t card_id; /* 0: any */
	int64_t bank_id; /* 0: any */
	int64_t after_id;
	int limit; /* 1..GG_LOAN_LIMIT_MAX */
	/* the scope: every request, or those of these banks, talents, or a commissioner's talents */
	int unscoped;
	int64_t banks[GG_PRINCIPAL_ROLES_MAX];
	size_t nbanks;
	int64_t talents[GG_PRINCIPAL_ROLES_MAX];
	size_t ntalents;
	int64_t commissioner;
};
/** Sets q's scope from pr (loans_handle: banks; loans_request: talents, commissioner; cards_review: all). */
void gg_loan_scope(const struct gg_principal *pr, struct gg_loan_query *q);
/** One page by id into *out (free()), *n of them, *more 1 when more follow. */
enum gg_err gg_loan_list(struct gg_db *db, const struct gg_loan_query *q, struct gg_loan **out, size_t *n, int *more,
                         struct gg_error *err);

#endif
