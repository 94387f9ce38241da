/*
 * benefit: the benefits of the digital talent card (issue 7, DOMAIN.md
 * programme 7, docs/benefits.md). The catalogue is data: the nine
 * categories of 0014_cards (benefit_categories) and the items providers
 * deliver in them (a provider is an organisation, of kind service_provider
 * or bank), each with the tiers that may use it, an annual quota per card
 * (uses per calendar year in the timezone setting; none: no limit),
 * whether it needs a booking, and whether it is offered now. Items that
 * need a booking have time slots [starts_at, ends_at) with a capacity.
 *
 * A talent (or its commissioner, or an officer) books a future slot of an
 * item its active card's tier includes; the booking reserves one use of
 * the quota of the slot's year and one place of the slot. A provider
 * verifies a card by its token or short code (cardtoken.h: the online
 * verdict must be valid) and redeems one of its own active items the
 * card's tier includes: an item that needs a booking redeems a booking of
 * that card for a slot of today (the reserved use is kept), any other item
 * uses one more of the quota. A cancellation releases the use and the
 * place.
 *
 *   booking: booked -> redeemed | cancelled
 *
 * Quotas and capacities hold under any concurrency because the database
 * refuses them (CHECK used <= quota on benefit_usage, booked <= capacity
 * on benefit_slots): a write that would pass one fails its statement,
 * and the action answers GG_E_QUOTA_EXCEEDED or GG_E_SLOT_FULL. Every
 * write is one write transaction with its audit row (benefit.item_create,
 * benefit.item_update, benefit.slot_create, benefit.book, benefit.cancel,
 * benefit.redeem).
 *
 * Who may: the catalogue is read with benefits_read (an org-scoped holder,
 * a provider, sees its own organisation's items only); items and slots are
 * written with benefits_write; a card is reached for booking with
 * benefits_book unscoped, scoped to its talent (talent:ID), or as the
 * commissioner assigned to its talent; redemptions need benefits_redeem
 * scoped to the item's provider (or unscoped). A NULL principal is the
 * command line, allowed everything.
 */
#ifndef GG_BENEFIT_H
#define GG_BENEFIT_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "cardtoken.h"
#include "role.h"

#define GG_BENEFIT_CATEGORIES_MAX 32
#define GG_BENEFIT_TIERS_MAX      8    /* tiers an item lists */
#define GG_BENEFIT_NAME_MAX       100  /* characters of a name */
#define GG_BENEFIT_DESC_MAX       1000 /* characters of a description */
#define GG_BENEFIT_NOTE_MAX       500  /* characters of a redemption's note */
#define GG_BENEFIT_LIMIT_MAX      200  /* items of a list page */
#define GG_BENEFIT_SLOTS_MAX      200  /* slots a slot list answers */
#define GG_BENEFIT_CAPACITY_MAX   10000

/* A category with how many items it has (active or not). */
struct gg_benefit_category {
	char token[32];
	char zh[128];
	char en[128];
	int64_t items;
};

/** The categories by rank into out[0..max), *n of them. */
enum gg_err gg_benefit_categories(struct gg_db *db, struct gg_benefit_category *out, size_t max, size_t *n,
                                  struct gg_error *err);

struct gg_benefit_item {
	int64_t id;
	char category[32];
	char name[GG_BENEFIT_NAME_MAX * 4 + 1];
	char name_en[GG_BENEFIT_NAME_MAX * 4 + 1];
	char description[GG_BENEFIT_DESC_MAX * 4 + 1];
	int64_t provider_id;
	char provider[256];
	char tiers[GG_BENEFIT_TIERS_MAX][32]; /* in the vocabulary's order */
	size_t ntiers;
	int64_t annual_quota; /* 0: no limit */
	int needs_booking;
	int active;
	int64_t created_at, updated_at, version;
};

/*
 * An item to create, or the changes of an update (set_* 1 for the fields
 * given; a create takes every field and ignores the set_* flags). Strings
 * borrowed.
 */
struct gg_benefit_item_in {
	const char *category;    /* a category token */
	const char *name;        /* 1..GG_BENEFIT_NAME_MAX characters */
	const char *name_en;     /* 1..GG_BENEFIT_NAME_MAX characters */
	const char *description; /* 0..GG_BENEFIT_DESC_MAX characters; NULL: "" */
	int64_t provider_id;     /* an organisation of kind service_provider or bank */
	const char *tiers[GG_BENEFIT_TIERS_MAX];
	size_t ntiers;        /* 1..GG_BENEFIT_TIERS_MAX distinct tier tokens */
	int64_t annual_quota; /* 0: no limit, else 1..10000 */
	int needs_booking;
	int active;
	int set_category, set_name, set_name_en, set_description, set_provider, set_tiers, set_quota, set_booking,
	    set_active;
};

/**
 * Creates an item (benefit.item_create) in its own write transaction; *id
 * its id. GG_E_INVALID on the field at fault (category, name, name_en,
 * description, provider_id, tiers.N, annual_quota).
 */
enum gg_err gg_benefit_item_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_benefit_item_in *in,
                                   int64_t *id, struct gg_error *err);
/**
 * Changes the fields in's set_* flags name (benefit.item_update) when the
 * item is at expected_version (else GG_E_STALE); GG_E_NOT_FOUND for an
 * unknown item; an item whose needs_booking is turned off keeps its slots.
 */
enum gg_err gg_benefit_item_update(struct gg_db *db, const struct gg_actor *actor, int64_t id,
                                   const struct gg_benefit_item_in *in, int64_t expected_version, struct gg_error *err);
/** Reads item id. GG_E_NOT_FOUND "unknown benefit item 7". */
enum gg_err gg_benefit_item_get(struct gg_db *db, int64_t id, struct gg_benefit_item *out, struct gg_error *err);

/*
 * Who a principal reaches for a permission, for lists and checks: every
 * record (unscoped), the organisations of its org-scoped grants, the
 * talents of its talent-scoped grants, and, for a commissioner, the
 * talents assigned to it (commissioner, its account id).
 */
struct gg_benefit_scope {
	int unscoped;
	int64_t orgs[GG_PRINCIPAL_ROLES_MAX];
	size_t norgs;
	int64_t talents[GG_PRINCIPAL_ROLES_MAX];
	size_t ntalents;
	int64_t commissioner; /* 0: none */
};
/** Fills out from pr's grants of perm (NULL pr: unscoped). */
void gg_benefit_scope(const struct gg_principal *pr, enum gg_perm perm, struct gg_benefit_scope *out);
/** 1 when pr reaches (by perm) the card of talent_id, whose commissioner is commissioner_id (0: none). */
int gg_benefit_reaches_talent(const struct gg_principal *pr, enum gg_perm perm, int64_t talent_id,
                              int64_t commissioner_id);

struct gg_benefit_item_query {
	const char *category;          /* NULL: any */
	int64_t provider_id;           /* 0: any */
	const char *tier;              /* NULL: any; else the items that include it */
	int active;                    /* -1: any, 0 or 1 */
	int64_t after_id;              /* cursor */
	int limit;                     /* 1..GG_BENEFIT_LIMIT_MAX */
	struct gg_benefit_scope scope; /* of benefits_read: org-scoped reach only their organisations' items */
};
/** One page of items by id into *out (free()), *n of them, *more 1 when more follow. */
enum gg_err gg_benefit_item_list(struct gg_db *db, const struct gg_benefit_item_query *q, struct gg_benefit_item **out,
                                 size_t *n, int *more, struct gg_error *err);

struct gg_benefit_slot {
	int64_t id, item_id;
	int64_t starts_at, ends_at; /* Unix seconds */
	int64_t capacity, booked;
};
/**
 * Adds a slot [starts_at, ends_at) of capacity (1..GG_BENEFIT_CAPACITY_MAX)
 * to item_id (benefit.slot_create). GG_E_INVALID on starts_at (not in the
 * future), ends_at (not after starts_at, or more than a day after it) or
 * capacity; GG_E_CONFLICT when the item needs no booking.
 */
enum gg_err gg_benefit_slot_create(struct gg_db *db, const struct gg_actor *actor, int64_t item_id, int64_t starts_at,
                                   int64_t ends_at, int64_t capacity, int64_t *id, struct gg_error *err);
/** The slots of item_id ending after from (0: all), by start, at most max into out. */
enum gg_err gg_benefit_slot_list(struct gg_db *db, int64_t item_id, int64_t from, struct gg_benefit_slot *out,
                                 size_t max, size_t *n, struct gg_error *err);

enum gg_booking_status { GG_BOOKING_BOOKED, GG_BOOKING_CANCELLED, GG_BOOKING_REDEEMED, GG_BOOKING__COUNT };
enum gg_booking_action { GG_BOOKA_CANCEL, GG_BOOKA_REDEEM, GG_BOOKA__COUNT };
/** "booked", "cancelled", "redeemed"; the status a token names (-1 when unknown). */
const char *gg_booking_status_token(enum gg_booking_status s);
int gg_booking_status_lookup(const char *token);
/** "cancel", "redeem". */
const char *gg_booking_action_token(enum gg_booking_action a);

struct gg_benefit_booking {
	int64_t id;
	int64_t item_id;
	char item_name[GG_BENEFIT_NAME_MAX * 4 + 1], item_name_en[GG_BENEFIT_NAME_MAX * 4 + 1];
	int64_t provider_id;
	char provider[256];
	int64_t card_id, talent_id, commissioner_id;
	int64_t slot_id, starts_at, ends_at;
	int year;
	enum gg_booking_status status;
	int64_t booked_by;
	int64_t created_at, cancelled_at, updated_at;
};
/** The actions pr may take on b now as bits (1u << enum gg_booking_action). */
unsigned gg_benefit_booking_allowed(const struct gg_benefit_booking *b, const struct gg_principal *pr);

/**
 * Books slot_id for card_id (benefit.book): the card active and reached
 * by pr with benefits_book (else GG_E_NOT_FOUND as for an unknown card;
 * GG_E_CONFLICT when it is not active); item_id (0: the slot's) must be
 * the slot's item (else GG_E_SLOT_UNAVAILABLE on field slot_id), active,
 * needing a booking (else GG_E_CONFLICT) and including the card's tier
 * (else GG_E_TIER_EXCLUDED); the slot not started (else
 * GG_E_SLOT_UNAVAILABLE); a place (else GG_E_SLOT_FULL) and a use of the
 * quota of the slot's year (else GG_E_QUOTA_EXCEEDED); GG_E_DUPLICATE when
 * the card has booked the slot already. *id the booking.
 */
enum gg_err gg_benefit_book(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                            int64_t card_id, int64_t slot_id, int64_t item_id, int64_t *id, struct gg_error *err);
/**
 * Cancels booking id (benefit.cancel), releasing its use and its place:
 * pr must reach its card with benefits_book (else GG_E_NOT_FOUND), the
 * booking be booked (else GG_E_CONFLICT) and its slot not ended.
 */
enum gg_err gg_benefit_booking_cancel(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                      int64_t id, struct gg_error *err);
/** Reads booking id. GG_E_NOT_FOUND "unknown booking 7". */
enum gg_err gg_benefit_booking_get(struct gg_db *db, int64_t id, struct gg_benefit_booking *out, struct gg_error *err);
/** 1 when pr may read b (benefits_read: its card's talent, commissioner, its item's provider, unscoped). */
int gg_benefit_booking_visible(const struct gg_benefit_booking *b, const struct gg_principal *pr);

struct gg_benefit_list_query {
	int64_t card_id; /* 0: any */
	int64_t item_id; /* 0: any */
	int status;      /* bookings: -1 any, else enum gg_booking_status */
	int64_t after_id;
	int limit;                     /* 1..GG_BENEFIT_LIMIT_MAX */
	struct gg_benefit_scope scope; /* of benefits_read: orgs reach their items', talents and commissioner cards' */
};
/** One page of bookings by id. */
enum gg_err gg_benefit_booking_list(struct gg_db *db, const struct gg_benefit_list_query *q,
                                    struct gg_benefit_booking **out, size_t *n, int *more, struct gg_error *err);

/* What a provider redeems. Strings borrowed. */
struct gg_benefit_redeem_in {
	const char *token; /* the card's token, or */
	const char *code;  /* its short code (one of the two) */
	int64_t item_id;
	int64_t booking_id; /* 0: none (an item that needs one takes the card's booking of today) */
	const char *note;   /* NULL or 0..GG_BENEFIT_NOTE_MAX characters */
};

struct gg_benefit_redemption {
	int64_t id;
	int64_t item_id;
	char item_name[GG_BENEFIT_NAME_MAX * 4 + 1], item_name_en[GG_BENEFIT_NAME_MAX * 4 + 1];
	char category[32];
	int64_t provider_id;
	char provider[256];
	int64_t card_id, talent_id, booking_id;
	int year;
	char note[GG_BENEFIT_NOTE_MAX * 4 + 1];
	int64_t redeemed_by;
	char redeemed_by_name[128];
	int64_t redeemed_at;
};

/**
 * Records a use (benefit.redeem) in one write transaction: the verdict on
 * the token or code (gg_cardtoken_verify) must be valid (else
 * GG_E_CARD_INVALID on field token or code, the verdict's reason in the
 * message and in *reason when not NULL); the item must be pr's own
 * (benefits_redeem scoped to its provider, else GG_E_NOT_FOUND on field
 * item_id), active (else GG_E_RULE) and include the card's tier (else
 * GG_E_TIER_EXCLUDED); an item that needs a booking redeems booking_id
 * (or the card's booking of today: else GG_E_BOOKING_REQUIRED), which
 * must be that card's and item's, booked and for a slot of today; any
 * other item uses one more (else GG_E_QUOTA_EXCEEDED). *id the redemption.
 */
enum gg_err gg_benefit_redeem(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                              const struct gg_benefit_redeem_in *in, int64_t *id, enum gg_cardtoken_reason *reason,
                              struct gg_error *err);
/** Reads redemption id. GG_E_NOT_FOUND "unknown redemption 7". */
enum gg_err gg_benefit_redemption_get(struct gg_db *db, int64_t id, struct gg_benefit_redemption *out,
                                      struct gg_error *err);
/** One page of redemptions by id (status ignored). */
enum gg_err gg_benefit_redemption_list(struct gg_db *db, const struct gg_benefit_list_query *q,
                                       struct gg_benefit_redemption **out, size_t *n, int *more, struct gg_error *err);

/* What a card has of an item in a year. */
struct gg_benefit_usage {
	struct gg_benefit_item item;
	int64_t used;
	int64_t quota;     /* 0: no limit */
	int64_t remaining; /* -1: no limit */
};

/* A card as the benefit rules see it. */
struct gg_benefit_card {
	int64_t id, talent_id, commissioner_id, bank_id;
	char status[16];
	char tier[32];
	char valid_to[11];
};
/** Reads card id. GG_E_NOT_FOUND "unknown card 7". */
enum gg_err gg_benefit_card_get(struct gg_db *db, int64_t id, struct gg_benefit_card *out, struct gg_error *err);

/** The year (in the timezone setting) a use at instant t counts in. */
int gg_benefit_year(int64_t t);

/**
 * The active items the tier of card_id includes (provider_id 0: every
 * provider's; else only its), with what the card used of each in year,
 * at most max into out, by category rank and id.
 */
enum gg_err gg_benefit_card_usage(struct gg_db *db, int64_t card_id, int64_t provider_id, int year,
                                  struct gg_benefit_usage *out, size_t max, size_t *n, struct gg_error *err);

#endif
