/*
 * api: the handlers named in routes.tbl, one api_<resource>.c each.
 */
#ifndef GG_API_H
#define GG_API_H

#include "http.h"

#define GG_ROUTE(method, path, handler, perm, flags) enum gg_err handler(struct gg_req *req, struct gg_error *err);
#include "routes.tbl"
#undef GG_ROUTE

/* Shared by every handler's JSON (defined in api_users.c); each clears *ok on failure. */
/** Sets o[key] to instant t as ISO 8601, or null when t is 0. */
void gg_api_set_time(struct gg_json *o, const char *key, int64_t t, int *ok);
/** Sets o["role"] and o["scope"] (null when unscoped) from grant g. */
void gg_api_set_grant(struct gg_json *o, const struct gg_role_grant *g, int *ok);
/** Sets o[key] to id, or null when id is 0 (no record). */
void gg_api_set_id(struct gg_json *o, const char *key, int64_t id, int *ok);
/** A reference to a record, {"id": id, "name": name}; NULL on out of memory. */
struct gg_json *gg_api_ref_json(int64_t id, const char *name);
/** Sets o[key] to gg_api_ref_json(id, name), or null when id is 0. */
void gg_api_set_ref(struct gg_json *o, const char *key, int64_t id, const char *name, int *ok);

/* Shared by the accounts handlers (defined in api_users.c). */
struct gg_user;
struct gg_actor;
/** The API's user object (id, username, display_name, roles, ...); NULL on out of memory. */
struct gg_json *gg_api_user_json(const struct gg_user *u);
/** {"role":"employer","scope":"org:12"|null}; NULL on out of memory. */
struct gg_json *gg_api_grant_json(const struct gg_role_grant *g);
/**
 * Parses a request's "roles" array ([{"role","scope"?}], 1..GG_PRINCIPAL_ROLES_MAX
 * items) into out, naming bad items by field ("roles.0.role", "roles.1.scope").
 */
enum gg_err gg_api_parse_roles(const struct gg_json *arr, struct gg_role_grant *out, size_t *n, struct gg_error *err);
/** The acting account of a request, for audit rows (name and request id borrowed from req). */
void gg_api_actor(struct gg_req *req, struct gg_actor *out);

/* Shared by the registry handlers (defined in api_talents.c). */
struct gg_talent;
struct gg_search_query;
/** The API's talent object (personal data masked, org summary); NULL on out of memory. */
struct gg_json *gg_api_talent_json(const struct gg_talent *t);
/**
 * Sets q's scope fields from the caller's roles (employer: its org, talent:
 * itself, commissioner: its assigned talents; nothing visible: scope_none).
 */
void gg_api_talent_scope(const struct gg_principal *pr, struct gg_search_query *q);

/* Shared by the handlers that answer audit rows (defined in api_audit.c). */
struct gg_audit_row;
/** An audit row in the shape of GET /api/v1/audit's items; NULL on out of memory. */
struct gg_json *gg_api_audit_row_json(const struct gg_audit_row *row);

/* Shared by the handlers that answer recognitions (defined in api_recognitions.c). */
struct gg_recognition;
struct gg_plan;
/**
 * The API's recognition object (talent, tier, basis, policy pack, version
 * and hash, the trace as lines, plan: gg_api_plan_json of plan or null);
 * NULL on out of memory.
 */
struct gg_json *gg_api_recognition_json(const struct gg_recognition *r, const struct gg_plan *plan);
/** The API's subsidy plan object with its installments; NULL on out of memory. */
struct gg_json *gg_api_plan_json(const struct gg_plan *p);
/** The lines of text (each ending in '\n', the last one maybe not) as a JSON array of strings; [] for NULL. */
struct gg_json *gg_api_lines_json(const char *text);
/** Whether the caller's recognitions_read scope reaches r (the rule of GET /api/v1/recognitions/{id}). */
int gg_api_recognition_visible(struct gg_req *req, const struct gg_recognition *r);
/* Shared by the handlers that answer a decision (defined in api_policy.c). */
struct gg_simulation;
/**
 * The decision object {recognized, tier, policy, version, installments:
 * [{year, due, amount_fen, status}], total_fen, trace} of a view
 * (domain/simulate.h: gg_simulate_run, or gg_simulation_view of a
 * hire's decision); NULL on out of memory.
 */
struct gg_json *gg_api_decision_json(const struct gg_simulation *s);

#endif
