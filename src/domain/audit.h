/*
 * audit: the append-only audit trail. Every write of the platform records
 * who, what, when and the changed fields with old and new values, in the
 * same transaction as the change. Each row is chained to the one before:
 * hash = SHA-256(prev_hash || canonical text of the row), so an edited,
 * removed or reordered row is found by gg_audit_verify. Personal data is
 * passed in already masked or encrypted; this module stores what it gets.
 */
#ifndef GG_AUDIT_H
#define GG_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "../store/db.h"

/** Who acts: the account (id 0 and name "cli" or "system" outside HTTP) and the request. */
struct gg_actor {
	int64_t id;
	const char *name;
	const char *request_id; /* NULL outside HTTP */
};

struct gg_audit_change {
	const char *field;
	const char *old_value; /* NULL: no value */
	const char *new_value; /* NULL: no value */
};

struct gg_audit_event {
	int64_t actor_id;       /* user id, 0 for the system or the command line */
	const char *actor;      /* username, or "system", or "cli" */
	const char *action;     /* verb: "user.create", "auth.login", ... */
	const char *entity;     /* noun: "user", "session", ... */
	int64_t entity_id;      /* 0 when none */
	const char *request_id; /* NULL outside HTTP */
	const struct gg_audit_change *changes;
	size_t nchanges;
};

/** Appends one row; must run inside the caller's write transaction. */
enum gg_err gg_audit_record(struct gg_db *db, const struct gg_audit_event *ev, struct gg_error *err);
/** gg_audit_record of one action by actor on entity entity_id with n changes. */
enum gg_err gg_audit_by(struct gg_db *db, const struct gg_actor *actor, const char *action, const char *entity,
                        int64_t entity_id, const struct gg_audit_change *changes, size_t n, struct gg_error *err);

struct gg_audit_report {
	int64_t rows;      /* rows checked */
	int64_t first_bad; /* id of the first bad row, 0 when all are good */
	char why[256];     /* "row 17: hash does not match its contents" */
};
/** Walks the whole chain. GG_OK when intact, GG_E_AUDIT_BROKEN with the report filled otherwise. */
enum gg_err gg_audit_verify(struct gg_db *db, struct gg_audit_report *rep, struct gg_error *err);

struct gg_audit_filter {
	const char *entity; /* NULL: any */
	int64_t entity_id;  /* 0: any */
	int64_t actor_id;   /* 0: any */
	const char *action; /* NULL: any; a trailing '.' matches a prefix ("user.") */
	int64_t from, to;   /* epoch seconds, [from, to); 0: open */
	int64_t before_id;  /* cursor: rows with id < before_id; 0: from the newest */
	int limit;          /* 1..200 */
};

struct gg_audit_row {
	int64_t id;
	int64_t at; /* epoch seconds */
	int64_t actor_id;
	char actor[128];
	char action[64];
	char entity[64];
	int64_t entity_id;
	char request_id[64];
	char *changes_json; /* [{"field":..,"old":..,"new":..}], owned */
	char hash[65];      /* hex SHA-256 of the row */
};

/** Newest first. *rows (caller frees with gg_audit_rows_free) gets up to limit rows. */
enum gg_err gg_audit_list(struct gg_db *db, const struct gg_audit_filter *f, struct gg_audit_row **rows, size_t *n,
                          struct gg_error *err);
void gg_audit_rows_free(struct gg_audit_row *rows, size_t n);

#endif
