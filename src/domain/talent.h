/*
 * talent: the talent records of the registry. A record holds a Chinese
 * name (NFKC-normalised, pinyin derived by ICU with surname rules), an
 * optional Latin name, personal data (identity document, phone, e-mail:
 * sealed with data.key, blind-indexed with index.key, kept as a masked
 * copy for display), the organisation, classification (tier, segments,
 * honours, status) and free text. Every write is one transaction with an
 * audit row listing each changed field (personal data only as masked
 * values) and a rebuild of the record's search terms; a write that changes
 * nothing writes nothing (no audit row, no new version), which re-imports
 * rely on. Reading unmasked personal data goes through gg_talent_reveal,
 * which logs who read what (pii_reads, shown to the talent) and audits it.
 */
#ifndef GG_TALENT_H
#define GG_TALENT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/crypto.h"
#include "../store/db.h"
#include "audit.h"
#include "role.h"

/* Limits, in characters (code points) after NFKC. */
#define GG_TALENT_NAME_MAX       64
#define GG_TALENT_LATIN_NAME_MAX 128
#define GG_TALENT_TITLE_MAX      128
#define GG_TALENT_CITY_MAX       64
#define GG_TALENT_NOTES_MAX      4000
#define GG_TALENT_WORD_MAX       64  /* one research field or keyword */
#define GG_TALENT_LIST_MAX       32  /* fields, keywords, segments, honours: items each */
#define GG_TALENT_EMAIL_MAX      254 /* bytes */

struct gg_talent_honour {
	const char *kind; /* nobel, cas_academician, cae_academician, foreign_academy, national_award */
	int year;         /* 1900..2100; 0: unknown */
};

/*
 * A record as stored (gg_talent_get). Strings are owned by the record
 * (freed by gg_talent_free); NULL means no value. Personal data: *_enc
 * are the sealed bytes, *_index the blind index, *_masked the display copy.
 */
struct gg_talent {
	int64_t id;
	char *name;
	char *latin_name;
	char *pinyin;      /* "wang jin qiao" */
	char *pinyin_key;  /* "wangjinqiao" */
	char *gender;      /* "male", "female" */
	char *birth_date;  /* YYYY-MM-DD */
	char *nationality; /* ISO 3166-1 alpha-2 */
	char *doc_type;    /* "resident_id", "passport"; NULL: no document */
	unsigned char *doc_enc;
	size_t doc_enc_len;
	char *doc_index;
	char *doc_masked; /* "420***********1234" */
	unsigned char *phone_enc;
	size_t phone_enc_len;
	char *phone_index;
	char *phone_masked;
	unsigned char *email_enc;
	size_t email_enc_len;
	char *email_index;
	char *email_masked;
	int64_t org_id; /* 0: none */
	char *org_name; /* the organisation's name (summary), NULL without one */
	char *title;
	char *city;
	char **fields; /* research fields */
	size_t nfields;
	char **keywords;
	size_t nkeywords;
	char **segments; /* segment tokens, sorted */
	size_t nsegments;
	struct gg_talent_honour *honours; /* sorted by kind, then year; kind: a static token */
	size_t nhonours;
	char *tier;   /* tier token; NULL: not recognised */
	char *status; /* prospect, in_contact, landed, serving, left */
	char *notes;
	int64_t commissioner_id; /* 0: none */
	int64_t merged_into;     /* 0: not merged */
	int64_t created_at, updated_at;
	int64_t version;
};

/*
 * Input of a create or a change (PATCH semantics): only fields whose
 * set_* flag is 1 are written; a set field with a NULL value (or 0 id, or
 * an empty array) clears it. Strings are borrowed; they are NFKC-normalised
 * and trimmed by the write. Create needs at least set_name. Enumerations
 * (gender, doc_type, honour kinds, segments, tier, status) are tokens: an
 * importer turns Chinese labels into tokens first (vocabulary.h).
 */
struct gg_talent_input {
	int set_name;
	const char *name; /* required: 1..64 characters */
	int set_latin_name;
	const char *latin_name;
	int set_gender;
	const char *gender; /* "male", "female" */
	int set_birth_date;
	const char *birth_date; /* YYYY-MM-DD, a real date, not in the future */
	int set_nationality;
	const char *nationality; /* two upper-case letters */
	int set_document;        /* doc_type and doc_number together (both NULL: no document) */
	const char *doc_type;    /* "resident_id", "passport" */
	const char *doc_number;  /* GB 11643 for resident_id; 5..20 of [A-Z0-9] for passport */
	int set_phone;
	const char *phone; /* Chinese mobile 1[3-9]XXXXXXXXX or +CC... (E.164, up to 15 digits) */
	int set_email;
	const char *email; /* local@domain.tld, at most 254 bytes */
	int set_org;
	int64_t org_id; /* 0: none; must exist (checked in the write) */
	int set_title;
	const char *title;
	int set_city;
	const char *city;
	int set_fields;
	const char *const *fields;
	size_t nfields;
	int set_keywords;
	const char *const *keywords;
	size_t nkeywords;
	int set_segments;
	const char *const *segments; /* segment tokens; must exist (checked in the write) */
	size_t nsegments;
	int set_honours;
	const struct gg_talent_honour *honours;
	size_t nhonours;
	int set_tier;
	const char *tier; /* a tier token of the tiers table (checked in the write) */
	int set_status;
	const char *status; /* prospect, in_contact, landed, serving, left (create default: prospect) */
	int set_notes;
	const char *notes;
	int set_commissioner;
	int64_t commissioner_id; /* 0: none; must be an account (checked in the write) */
};

enum gg_talent_outcome { GG_TALENT_CREATED, GG_TALENT_UPDATED, GG_TALENT_UNCHANGED };

/**
 * Checks every set field of in without touching the database, adding one
 * field error per problem with the API's dotted names ("name",
 * "document.number", "honours.2.year", "segments.0", ...) and the rule
 * that failed. A resident ID is checked with gg_ident_check_resident_id,
 * against in->birth_date when both are set. GG_E_INVALID when any fails.
 */
enum gg_err gg_talent_validate(const struct gg_talent_input *in, struct gg_error *err);

/**
 * Creates (id 0) or changes talent id inside the caller's write
 * transaction: validates, checks references (org, tier, segments,
 * commissioner) and the document's uniqueness (GG_E_DUPLICATE on field
 * document.number: "talent 12 has this document number"), compares with
 * the stored record, writes the changed columns, honours and segments,
 * one audit row (talent.create or talent.update, every changed field with
 * old and new value, personal data masked) and the search terms; a new
 * record, or a change of a field dedup compares (name, birth date,
 * organisation, phone, e-mail), also updates the duplicate review tasks
 * (gg_dedup_review_tx: one indexed lookup of the record's pairs).
 * expected_version (0: any) must equal the stored version (GG_E_STALE).
 * A change that changes nothing is GG_TALENT_UNCHANGED and writes nothing.
 * GG_E_NOT_FOUND for an unknown or merged id.
 */
enum gg_err gg_talent_write_tx(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                               const struct gg_talent_input *in, int64_t expected_version, int64_t *id_out,
                               enum gg_talent_outcome *outcome, struct gg_error *err);
/** gg_talent_write_tx for a new record in its own write transaction. */
enum gg_err gg_talent_create(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                             const struct gg_talent_input *in, int64_t *id, struct gg_error *err);
/** gg_talent_write_tx for a change in its own write transaction; outcome may be NULL. */
enum gg_err gg_talent_update(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                             const struct gg_talent_input *in, int64_t expected_version,
                             enum gg_talent_outcome *outcome, struct gg_error *err);

/** Reads one record (also a merged one: see merged_into). GG_E_NOT_FOUND ("unknown talent 12"). */
enum gg_err gg_talent_get(struct gg_db *db, int64_t id, struct gg_talent **out, struct gg_error *err);
void gg_talent_free(struct gg_talent *t); /* NULL is a no-op */

/**
 * Finds the record holding a document (type and number normalised as the
 * write does) by its blind index: *found 1 and *id set, or *found 0.
 */
enum gg_err gg_talent_find_by_doc(struct gg_db *db, const struct gg_keys *keys, const char *doc_type,
                                  const char *number, int64_t *id, int *found, struct gg_error *err);

/**
 * Blind-index values of personal data, normalised as stored: the document
 * upper-cased (field "document"), the phone's digits and leading '+'
 * (field "phone"), the e-mail lower-cased (field "email"). Used for
 * duplicate checks by dedup and import. GG_E_INVALID when value is empty.
 */
enum gg_err gg_talent_blind(const struct gg_keys *keys, const char *field, const char *value, char out[GG_BLIND_HEX],
                            struct gg_error *err);

/* Personal data fields for reveal (bits). */
#define GG_PII_DOCUMENT 1u
#define GG_PII_PHONE    2u
#define GG_PII_EMAIL    4u
#define GG_PII_ALL      7u

/* Unmasked personal data: present bits say which values the record holds. */
struct gg_talent_pii {
	unsigned present;
	char doc_type[16];
	char doc_number[32];
	char phone[32];
	char email[GG_TALENT_EMAIL_MAX + 1];
};

/**
 * Decrypts the asked fields (GG_PII_* bits) of a loaded record into out
 * without any record of the read: for the operator's command-line export,
 * which audits itself. GG_E_INTERNAL when a value does not authenticate.
 */
enum gg_err gg_talent_decrypt(const struct gg_keys *keys, const struct gg_talent *t, unsigned fields,
                              struct gg_talent_pii *out, struct gg_error *err);
/** Clears out (personal data does not linger in memory). */
void gg_talent_pii_wipe(struct gg_talent_pii *out);

/**
 * Reveals fields (GG_PII_* bits, at least one) of talent id to actor:
 * in one write transaction writes a pii_reads row (reader, fields,
 * purpose, request id) and an audit row talent.pii_read (fields listed,
 * no values), then returns the decrypted values in out.
 * purpose may be NULL (at most 200 characters).
 */
enum gg_err gg_talent_reveal(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t id,
                             unsigned fields, const char *purpose, struct gg_talent_pii *out, struct gg_error *err);

/** Parses a field name of reveal ("document", "phone", "email") into its bit; 0 when unknown. */
unsigned gg_talent_pii_field(const char *name);

/* One read of personal data (pii_reads). */
struct gg_pii_read {
	int64_t id;
	int64_t reader_id;
	char reader[128];
	unsigned fields; /* GG_PII_* bits */
	char purpose[808];
	int64_t at;
	char request_id[64];
};
/**
 * The reads of talent id, newest first: ids below before_id (0: from the
 * newest), at most limit (1..200). *out (free()) gets them; *more is 1
 * when older ones follow.
 */
enum gg_err gg_talent_pii_reads(struct gg_db *db, int64_t id, int64_t before_id, int limit, struct gg_pii_read **out,
                                size_t *n, int *more, struct gg_error *err);

/**
 * The ids of the records merged into id (directly or through a chain),
 * for the history of a record. *out (free()) gets them, *n their number.
 */
enum gg_err gg_talent_merged_ids(struct gg_db *db, int64_t id, int64_t **out, size_t *n, struct gg_error *err);

/**
 * The name of talent id into name (namesz bytes), inside the caller's
 * transaction, when the record exists and is not merged: the talent a
 * decision names. GG_E_NOT_FOUND on field talent_id, "unknown talent 7",
 * otherwise (also for an id under 1).
 */
enum gg_err gg_talent_live_name(struct gg_db *db, int64_t id, char *name, size_t namesz, struct gg_error *err);

/**
 * The talent scope of a principal: 1 when pr may see talent id at all
 * (an unscoped reader such as an officer, admin or leader: any record;
 * an employer: talents of its organisations; a talent: itself; a
 * commissioner: talents assigned to it), else 0 (also for an unknown id
 * or a database error). The route's permission is checked by the router.
 */
int gg_talent_visible(struct gg_db *db, const struct gg_principal *pr, int64_t id);

/**
 * 1 when pr may read the unmasked personal data of talent id: through a
 * role granting pii_read without a scope (officer, admin) when the record
 * is visible, or through a talent role scoped to id itself. 0 otherwise.
 */
int gg_talent_pii_allowed(struct gg_db *db, const struct gg_principal *pr, int64_t id);

/**
 * 1 when pr reads talents without a scope restriction (bureau roles,
 * leader), 0 when its talent reads are scoped (employer, talent,
 * commissioner).
 */
int gg_talent_unscoped(const struct gg_principal *pr);

/* What a principal's talent reads are limited to, for list queries. */
struct gg_talent_scope {
	int unscoped;            /* 1: every record (then the rest is 0) */
	int64_t org_id;          /* employer org:ID: talents of that organisation; 0: none */
	int64_t talent_id;       /* talent:ID: that record; 0: none */
	int64_t commissioner_id; /* commissioner: talents assigned to this user id; 0: none */
};
/** Fills out from pr's roles that grant talents_read; all 0: pr sees no talent. */
void gg_talent_scope(const struct gg_principal *pr, struct gg_talent_scope *out);

/**
 * 1 when pr may write a talent employed by org_id (0: none): through a
 * role granting talents_write without a scope, or an org-scoped one for
 * exactly that organisation. *own_org (may be NULL) gets the organisation
 * of pr's first org-scoped talents_write grant when pr has no unscoped
 * one (what an employer's new talents default to), else 0.
 */
int gg_talent_write_allowed(const struct gg_principal *pr, int64_t org_id, int64_t *own_org);

#endif
