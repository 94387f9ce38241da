/*
 * org: the organisations of the registry (employers, R&D units,
 * universities, incubators, platforms, banks, service providers). A record
 * holds the name (NFKC-normalised, pinyin derived by ICU), the unified
 * social credit code (GB 32100, upper case, unique when known), the kind,
 * the park, industry-chain segments, a verified flag and contact persons,
 * whose phone and e-mail are personal data (sealed with data.key, kept as
 * a masked copy for display). Every write is one transaction with an audit
 * row listing each changed field (contacts' personal data only masked)
 * and a rebuild of the record's search terms; a write that changes nothing
 * writes nothing (no audit row, no new version), which re-imports rely on.
 * The structs carry no JSON: the HTTP layer renders them field by field.
 */
#ifndef GG_ORG_H
#define GG_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"
#include "ident.h"
#include "role.h"

/* Limits, in characters (code points) after NFKC. */
#define GG_ORG_NAME_MAX          128
#define GG_ORG_PARK_MAX          64
#define GG_ORG_SEGMENTS_MAX      32
#define GG_ORG_CONTACTS_MAX      16
#define GG_ORG_CONTACT_NAME_MAX  64
#define GG_ORG_CONTACT_TITLE_MAX 128
#define GG_ORG_EMAIL_MAX         254 /* bytes */

/* A contact as stored: strings owned by the record, NULL: no value. */
struct gg_org_contact {
	int64_t id;
	char *name;
	char *title;
	char *phone_masked; /* "138****5678" */
	char *email_masked; /* "w***@example.com" */
};

/* A record as stored (gg_org_get); strings owned, freed by gg_org_free. */
struct gg_org {
	int64_t id;
	char *name;
	char *pinyin; /* "guang xun ke ji" */
	char *uscc;   /* NULL: unknown */
	char *kind;   /* org kind token */
	char *park;   /* NULL: none */
	int verified;
	char **segments; /* segment tokens, sorted */
	size_t nsegments;
	struct gg_org_contact *contacts; /* in id order */
	size_t ncontacts;
	int64_t talents_count; /* talents with this org_id, not merged into another */
	int64_t created_at, updated_at;
	int64_t version;
};

/*
 * One contact of a write. A write with set_contacts replaces the list by
 * these items: an item with the id of one of the organisation's current
 * contacts changes that contact (its phone and e-mail are kept unless
 * set_phone / set_email); an item with id 0 adds a contact; current
 * contacts not named are removed. Phone and e-mail are plain text here
 * and are sealed and masked by the write.
 */
struct gg_org_contact_input {
	int64_t id;       /* 0: a new contact */
	const char *name; /* required, 1..64 characters */
	const char *title;
	int set_phone;
	const char
	    *phone; /* NULL: none; 1[3-9] and 9 digits, or +CC and up to 15 digits, or a landline 0AA(A)-NNNNNNN(N) */
	int set_email;
	const char *email; /* NULL: none; local@domain.tld */
};

/*
 * Input of a create or a change (PATCH semantics): only fields whose set_*
 * flag is 1 are written; a set field with a NULL value (or an empty array)
 * clears it. Strings are borrowed. Create needs set_name and set_kind.
 * kind and segments take a token or its Chinese label (as imports do).
 */
struct gg_org_input {
	int set_name;
	const char *name; /* 1..128 characters after NFKC */
	int set_uscc;
	const char *uscc; /* GB 32100; NULL: unknown */
	int set_kind;
	const char *kind; /* an org kind (vocabulary) */
	int set_park;
	const char *park;
	int set_segments;
	const char *const *segments; /* segment tokens or labels; must exist (checked in the write) */
	size_t nsegments;
	int set_verified;
	int verified;
	int set_contacts;
	const struct gg_org_contact_input *contacts;
	size_t ncontacts;
};

enum gg_org_outcome { GG_ORG_CREATED, GG_ORG_UPDATED, GG_ORG_UNCHANGED };

/**
 * Checks every set field of in without touching the database, adding one
 * field error per problem with the API's dotted names ("name", "uscc",
 * "kind", "segments.0", "contacts.1.phone", ...) naming the rule that
 * failed (the credit code through gg_ident_check_uscc). create: name and
 * kind are required. GG_E_INVALID when any fails.
 */
enum gg_err gg_org_validate(const struct gg_org_input *in, int create, struct gg_error *err);

/**
 * Creates (id 0) or changes organisation id inside the caller's write
 * transaction: validates, normalises (NFKC names, upper-case credit code,
 * kind and segment labels to tokens), checks the segments exist (field
 * segments.N) and the credit code is unique (GG_E_DUPLICATE on field uscc:
 * "organisation 12 has this credit code"), compares with the stored
 * record, writes what changed, one audit row (org.create or org.update
 * with every changed field, contacts' phone and e-mail masked) and the
 * search terms. expected_version (0: any) must equal the stored version
 * (GG_E_STALE). A write that changes nothing is GG_ORG_UNCHANGED and
 * writes nothing. GG_E_NOT_FOUND for an unknown id. keys seal the
 * contacts' phone and e-mail.
 */
enum gg_err gg_org_write_tx(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                            const struct gg_org_input *in, int64_t expected_version, int64_t *id_out,
                            enum gg_org_outcome *outcome, struct gg_error *err);
/** gg_org_write_tx for a new record in its own write transaction. */
enum gg_err gg_org_create(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                          const struct gg_org_input *in, int64_t *id, struct gg_error *err);
/** gg_org_write_tx for a change in its own write transaction; outcome may be NULL. */
enum gg_err gg_org_update(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                          const struct gg_org_input *in, int64_t expected_version, enum gg_org_outcome *outcome,
                          struct gg_error *err);

/**
 * Reads one record with its segments, contacts and talents_count, in a
 * read transaction of its own (so not inside another transaction).
 * GG_E_NOT_FOUND ("unknown organisation 12").
 */
enum gg_err gg_org_get(struct gg_db *db, int64_t id, struct gg_org **out, struct gg_error *err);
void gg_org_free(struct gg_org *o); /* NULL is a no-op */

/*
 * The finders open no transaction: they run inside the caller's (imports
 * call them within their write transaction) or alone.
 */
/**
 * Finds the organisation with credit code uscc (normalised first): *found
 * 1 and *id set, or *found 0 (also for a value that is not a valid code).
 */
enum gg_err gg_org_find_by_uscc(struct gg_db *db, const char *uscc, int64_t *id, int *found, struct gg_error *err);
/**
 * Finds organisations named exactly name (after NFKC): *found gets how
 * many (0, 1, or 2 meaning "more than one") and *id the lowest id of them.
 */
enum gg_err gg_org_find_by_name(struct gg_db *db, const char *name, int64_t *id, int *found, struct gg_error *err);

/**
 * The organisation scope of a principal: 1 when pr may see organisation id
 * (an unscoped reader: any; an employer, bank or provider: the
 * organisations of its org:ID grants; others holding orgs_read without a
 * scope: any), else 0. *scope_org gets the org id the caller is limited
 * to for list queries (0: unrestricted; -1: nothing; with several org:ID
 * grants the lowest id).
 */
int gg_org_visible(const struct gg_principal *pr, int64_t id);
void gg_org_scope(const struct gg_principal *pr, int64_t *scope_org);

#endif
