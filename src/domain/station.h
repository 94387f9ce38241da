/*
 * station: the Optics Valley stations (光谷站, DOMAIN.md programme 4),
 * liaison offices in other talent hubs at home and abroad that are the
 * talents' "first stop". A station operator's account is scoped to one
 * (station:ID). This module holds the records only: a name (unique), the
 * city, the country (ISO 3166-1 alpha-2, CN at home), the hosting
 * organisation as text, the civil date it opened, a status (planned, open,
 * closed) and notes on where the facts come from. Every write is one
 * transaction with an audit row listing each changed field; a write that
 * changes nothing writes nothing. The stations programme itself (leads,
 * referrals, outcomes) builds on these records later.
 */
#ifndef GG_STATION_H
#define GG_STATION_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"

/* Limits in characters (code points) after NFKC; the buffers hold 4 bytes each. */
#define GG_STATION_NAME_MAX  64
#define GG_STATION_CITY_MAX  64
#define GG_STATION_HOST_MAX  128
#define GG_STATION_NOTES_MAX 1000
#define GG_STATION_LIST_MAX  1000 /* stations gg_station_list answers at most */

/* A record as stored; "" for a column without a value. */
struct gg_station {
	int64_t id;
	char name[4 * GG_STATION_NAME_MAX + 1];
	char city[4 * GG_STATION_CITY_MAX + 1];
	char country[3]; /* "CN" */
	char host_org[4 * GG_STATION_HOST_MAX + 1];
	char opened_on[11]; /* YYYY-MM-DD */
	char status[8];     /* planned, open, closed */
	char notes[4 * GG_STATION_NOTES_MAX + 1];
	int64_t created_at, updated_at;
	int64_t version;
};

/*
 * The whole record to write (a change replaces every field). Strings are
 * borrowed; NULL or "" for the optional ones means no value.
 */
struct gg_station_input {
	const char *name;      /* required, 1..64 characters */
	const char *city;      /* required, 1..64 characters */
	const char *country;   /* two letters (upper-cased); NULL: CN */
	const char *host_org;  /* the hosting organisation, 0..128 characters */
	const char *opened_on; /* a real date YYYY-MM-DD; NULL: not known */
	const char *status;    /* planned, open or closed; NULL: open */
	const char *notes;     /* 0..1000 characters */
};

enum gg_station_outcome { GG_STATION_CREATED, GG_STATION_UPDATED, GG_STATION_UNCHANGED };

/**
 * Checks in without touching the database, one field error per problem
 * ("name", "city", "country", "host_org", "opened_on", "status",
 * "notes"). GG_E_INVALID when any fails.
 */
enum gg_err gg_station_validate(const struct gg_station_input *in, struct gg_error *err);

/**
 * Creates (id 0) or changes station id inside the caller's write
 * transaction: validates, normalises (NFKC, upper-case country), compares
 * with the stored record and, when something differs, writes the row and
 * one audit row (station.create or station.update with every changed
 * field). GG_E_DUPLICATE on field name when another station has the name;
 * GG_E_NOT_FOUND for an unknown id; GG_E_STALE when expected_version (0:
 * any) is not the stored one. *id_out and *outcome may be NULL.
 */
enum gg_err gg_station_write_tx(struct gg_db *db, const struct gg_actor *actor, int64_t id,
                                const struct gg_station_input *in, int64_t expected_version, int64_t *id_out,
                                enum gg_station_outcome *outcome, struct gg_error *err);
/** gg_station_write_tx for a new station in its own write transaction. */
enum gg_err gg_station_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_station_input *in,
                              int64_t *id, struct gg_error *err);

/** Reads one station in a read transaction of its own. GG_E_NOT_FOUND ("unknown station 3"). */
enum gg_err gg_station_get(struct gg_db *db, int64_t id, struct gg_station *out, struct gg_error *err);
/** Every station by id, at most GG_STATION_LIST_MAX; *out (free()) gets *n records. Own read transaction. */
enum gg_err gg_station_list(struct gg_db *db, struct gg_station **out, size_t *n, struct gg_error *err);
/** The station named exactly name (after NFKC), inside the caller's transaction or alone: *found 0 or 1. */
enum gg_err gg_station_find_by_name(struct gg_db *db, const char *name, int64_t *id, int *found, struct gg_error *err);

#endif
