/*
 * card: the digital talent card (issue 7, DOMAIN.md programme 7,
 * docs/cards.md): the application with its consent notice, eligibility
 * by the policy pack, the officer's decisions, the chosen bank's
 * issuance queue, suspension, revocation and expiry, the card number,
 * the register's counts, the applicant data a bank reads (audited) and
 * the token a card shows (cardtoken.h). A card row is an application
 * that becomes a card (migration 0014_cards):
 *
 *   applied -> approved -> issuing -> active -> suspended -> active
 *   applied|approved|issuing -> rejected (reason; the talent may apply again)
 *   active|suspended -> revoked (reason); active|suspended -> expired
 *
 * Every action is one write transaction with its audit row
 * (card.<action>), a card_events row and its tasks (card_review for an
 * officer, card_issue for the bank, scoped org:BANK).
 *
 * Who may: read with cards_read unscoped, scoped to the card's bank
 * (org:ID), to its talent (talent:ID), or as the commissioner assigned to
 * its talent; apply with cards_apply (the talent for itself, the
 * commissioner for an assigned talent, an officer for anyone); approve,
 * reject, suspend, resume and revoke with cards_review; accept, issue and
 * bank_reject with cards_issue scoped to the card's bank. Another bank's
 * card is GG_E_NOT_FOUND, as an unknown one. A NULL principal is the
 * command line, allowed everything the states allow.
 */
#ifndef GG_CARD_H
#define GG_CARD_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"
#include "cardtoken.h"
#include "policyset.h"
#include "role.h"

#define GG_CARD_REASON_MAX 2000 /* characters of a reason */
#define GG_CARD_LIMIT_MAX  200
#define GG_CARD_NO_LEN     16
#define GG_CARD_NOTICE_MAX 2048 /* bytes of a consent notice */
#define GG_CARD_BANKS_MAX  64   /* partner banks: the register counts them, an applicant chooses among them */
#define GG_CARD_PREFIX     "8156"

enum gg_card_status {
	GG_CARD_APPLIED,
	GG_CARD_APPROVED,
	GG_CARD_ISSUING,
	GG_CARD_ACTIVE,
	GG_CARD_REJECTED,
	GG_CARD_SUSPENDED,
	GG_CARD_REVOKED,
	GG_CARD_EXPIRED,
	GG_CARD__COUNT
};
enum gg_card_action {
	GG_CARDA_APPROVE,
	GG_CARDA_REJECT,
	GG_CARDA_ACCEPT,
	GG_CARDA_ISSUE,
	GG_CARDA_BANK_REJECT,
	GG_CARDA_SUSPEND,
	GG_CARDA_RESUME,
	GG_CARDA_REVOKE,
	GG_CARDA__COUNT
};

/** "applied", "approved", ...; the status a token names (-1 when unknown). */
const char *gg_card_status_token(enum gg_card_status s);
int gg_card_status_lookup(const char *token);
/** "approve", "reject", "accept", "issue", "bank_reject", "suspend", "resume", "revoke". */
const char *gg_card_action_token(enum gg_card_action a);

/* A card as read. */
struct gg_card {
	int64_t id;
	int64_t talent_id;
	char talent_name[256];
	int64_t commissioner_id; /* the talent's commissioner; 0: none */
	int64_t bank_id;
	char bank_name[256];
	enum gg_card_status status;
	char tier[32]; /* "" when not recognised */
	int eligible, auto_approved;
	char policy_pack[64], policy_version[64]; /* "" when none */
	char card_no[GG_CARD_NO_LEN + 1];         /* "" until active */
	char valid_from[11], valid_to[11];        /* [from, to); "" until active */
	char debit_last4[5], debit_issued_on[11];
	char reason[GG_CARD_REASON_MAX * 4 + 1];
	int64_t applied_by, applied_at, decided_by, decided_at, bank_accepted_by, bank_accepted_at;
	char applied_by_name[128];
	int64_t updated_at, version;
};

/** 1 when pr may read card c (see the file comment; NULL pr: 1). */
int gg_card_may_read(const struct gg_principal *pr, const struct gg_card *c);
/** The actions pr may take on c now as bits (1u << enum gg_card_action). */
unsigned gg_card_allowed_actions(const struct gg_card *c, const struct gg_principal *pr);
/** 1 when pr may show c's token: its own talent (talent:ID) or a holder of cards_review. */
int gg_card_may_show(const struct gg_principal *pr, const struct gg_card *c);

/** The 16-digit number of card id: "8156", id in 11 digits, a Luhn check digit; 0, or -1 when id is too big. */
int gg_card_number(int64_t id, char out[GG_CARD_NO_LEN + 1]);
/** 1 when digits (any length >= 2) end in a correct Luhn check digit. */
int gg_card_luhn_ok(const char *digits);

/* The consent notice of a bank: what personal data goes to it. */
struct gg_card_notice {
	int64_t bank_id;
	char bank_name[256];
	char text[GG_CARD_NOTICE_MAX];
	char hash[GG_SHA256_HEX]; /* SHA-256 of text */
};
/** The notice of bank_id (an org of kind bank, else GG_E_INVALID on field bank_id); own read transaction. */
enum gg_err gg_card_notice(struct gg_db *db, int64_t bank_id, struct gg_card_notice *out, struct gg_error *err);

/* A partner bank a talent may choose. */
struct gg_card_bank {
	int64_t id;
	char name[256];
};
/** The partner banks (organisations of kind bank) by name into out[0..max), *n set; own read transaction. */
enum gg_err gg_card_banks(struct gg_db *db, struct gg_card_bank *out, size_t max, size_t *n, struct gg_error *err);

/* An application. */
struct gg_card_apply {
	int64_t talent_id;
	int64_t bank_id;
	int consent;              /* must be 1 */
	const char *consent_hash; /* the hash of the notice shown (gg_card_notice) */
};
/**
 * Applies for a card in one write transaction: checks the talent (pr must
 * reach it with cards_apply, else GG_E_NOT_FOUND), the bank (field
 * bank_id), the consent (field consent; field consent_hash when not 64
 * hex digits; GG_E_CONFLICT when it is not the notice's hash now), then
 * eligibility under the pack in force today (set; GG_E_CONFIG without
 * packs): eligible -> approved at once with a card_issue task for the
 * bank, else applied with a card_review task. GG_E_DUPLICATE when the
 * talent holds a live card. *id the new card.
 */
enum gg_err gg_card_apply(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                          const struct gg_principal *pr, const struct gg_card_apply *in, int64_t *id,
                          struct gg_error *err);

/** Reads card id in a read transaction of its own. GG_E_NOT_FOUND "unknown card 7". */
enum gg_err gg_card_get(struct gg_db *db, int64_t id, struct gg_card *out, struct gg_error *err);

/* What an action carries. */
struct gg_card_act {
	const char *reason;       /* reject, bank_reject, suspend, revoke: required */
	const char *debit_last4;  /* issue: four digits */
	const char *issued_on;    /* issue: YYYY-MM-DD, not after today */
	int valid_years;          /* issue: the card_valid_years setting (1..20) */
	int64_t expected_version; /* 0: any; else GG_E_STALE when the card is at another */
};
/**
 * Takes action a on card id in a write transaction of its own. Refusals:
 * GG_E_NOT_FOUND when pr may not read the card nor act on it (another
 * bank's card), GG_E_FORBIDDEN when pr may read but not take the action,
 * GG_E_CONFLICT when the status does not allow it ("cannot issue card 7:
 * it is applied"), GG_E_STALE, GG_E_INVALID on field reason,
 * debit_last4 or issued_on. Issue activates the card: its number, valid
 * [today, today + valid_years years).
 */
enum gg_err gg_card_act(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr, int64_t id,
                        enum gg_card_action a, const struct gg_card_act *in, struct gg_error *err);

/**
 * Expires every active or suspended card whose valid_to is on or before
 * today_day, each with its event and audit row (card.expire), in one
 * write transaction. *expired how many.
 */
enum gg_err gg_card_expire(struct gg_db *db, const struct gg_actor *actor, int64_t today_day, int64_t *expired,
                           struct gg_error *err);

/* One row of card_events. */
struct gg_card_event {
	int64_t id;
	char from_status[16]; /* "" for the application */
	char to_status[16];
	char reason[GG_CARD_REASON_MAX * 4 + 1];
	int64_t by_user;
	char by_name[128];
	int64_t at;
};
/** The events of card id, oldest first, at most max into out (*n). Own read transaction. */
enum gg_err gg_card_events(struct gg_db *db, int64_t id, struct gg_card_event *out, size_t max, size_t *n,
                           struct gg_error *err);

/* A list query and the scope of its caller. */
struct gg_card_query {
	int status;        /* -1: any */
	int64_t bank_id;   /* 0: any */
	int64_t talent_id; /* 0: any */
	const char *q;     /* part of the talent's name or the card number; NULL: any */
	int limit;         /* 1..GG_CARD_LIMIT_MAX */
	int64_t after_id;  /* oldest first by id */
	/* scope (gg_card_scope) */
	int unscoped;
	int64_t scope_banks[16], scope_talents[16];
	size_t nbanks, ntalents;
	int64_t scope_commissioner; /* talents assigned to this user; 0: none */
};
/** Fills q's scope from pr's cards_read grants (NULL pr: unscoped). */
void gg_card_scope(const struct gg_principal *pr, struct gg_card_query *q);
/** One page into out[0..limit) (*n), *more 1 when more follow. Own read transaction. */
enum gg_err gg_card_list(struct gg_db *db, const struct gg_card_query *q, struct gg_card *out, size_t *n, int *more,
                         struct gg_error *err);

/* The register's counts (GET /api/v1/cards/stats), within q's scope (status, bank, talent, q ignored). */
struct gg_card_bank_stats {
	int64_t bank_id;
	char bank_name[256];
	int64_t total;
	int64_t by_status[GG_CARD__COUNT];
};
struct gg_card_stats {
	int64_t total;
	int64_t by_status[GG_CARD__COUNT];
	struct gg_card_bank_stats banks[GG_CARD_BANKS_MAX];
	size_t nbanks;
};
enum gg_err gg_card_stats(struct gg_db *db, const struct gg_card_query *scope, struct gg_card_stats *out,
                          struct gg_error *err);

/* The applicant's data a bank reads for its customer checks. */
struct gg_card_applicant {
	char name[256];
	char doc_type[16];   /* "" when none */
	char doc_number[32]; /* "" when none */
	char phone[32];      /* "" when none */
};
/**
 * Reads the applicant of card id unmasked for pr (cards_pii reaching the
 * card's bank; GG_E_NOT_FOUND otherwise) in one write transaction with a
 * pii_reads row and an audit row card.applicant_read (no values).
 */
enum gg_err gg_card_applicant_read(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                                   const struct gg_principal *pr, int64_t id, struct gg_card_applicant *out,
                                   struct gg_error *err);
/** Clears out. */
void gg_card_applicant_wipe(struct gg_card_applicant *out);

/**
 * Mints a token for active card id (gg_cardtoken_mint, ttl_seconds) in a
 * write transaction of its own, for pr who may show it (gg_card_may_show;
 * GG_E_NOT_FOUND when pr may not read it, GG_E_FORBIDDEN when it may read
 * but not show it); GG_E_CONFLICT when the card is not active.
 */
enum gg_err gg_card_token(struct gg_db *db, const struct gg_keys *keys, const struct gg_principal *pr, int64_t id,
                          int ttl_seconds, struct gg_cardtoken_minted *out, struct gg_error *err);

#endif
