/*
 * role: the roles of Guanggu, their scopes, the permissions, and the one
 * table that grants permissions to roles. A principal is whoever makes a
 * request (a session's or an API token's account) with its roles.
 */
#ifndef GG_ROLE_H
#define GG_ROLE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

enum gg_role {
#define GG_ROLE(tok, zh, en, scopes) GG_ROLE_##tok,
#include "role.tbl"
#undef GG_ROLE
	GG_ROLE__COUNT
};

enum gg_perm {
#define GG_PERM(tok, help) GG_PERM_##tok,
#include "perm.tbl"
#undef GG_PERM
	GG_PERM__COUNT
};

enum gg_scope_kind { GG_SCOPE_NONE = 0, GG_SCOPE_ORG = 1 << 0, GG_SCOPE_STATION = 1 << 1, GG_SCOPE_TALENT = 1 << 2 };

struct gg_role_def {
	const char *token;
	const char *zh;
	const char *en;
	unsigned scopes; /* enum gg_scope_kind bits allowed; NONE: the role takes no scope */
};
extern const struct gg_role_def gg_role_defs[GG_ROLE__COUNT];

/** Looks a role token up; GG_E_INVALID ("unknown role 'x'") when unknown. */
enum gg_err gg_role_parse(const char *token, enum gg_role *out, struct gg_error *err);
const char *gg_role_token(enum gg_role r);
const char *gg_perm_token(enum gg_perm p);
/** Looks a permission token up; -1 when unknown. */
int gg_perm_lookup(const char *token);

/** 1 when role r is granted permission p (public and authenticated: every role). */
int gg_role_grants(enum gg_role r, enum gg_perm p);

/** A role with its scope: "org:12" -> kind GG_SCOPE_ORG, id 12. */
struct gg_role_grant {
	enum gg_role role;
	enum gg_scope_kind scope_kind; /* GG_SCOPE_NONE when unscoped */
	int64_t scope_id;
};
/** Parses "org:ID", "station:ID", "talent:ID" (ID a positive integer); checks the role allows that kind. */
enum gg_err gg_role_parse_scope(enum gg_role role, const char *text, struct gg_role_grant *out, struct gg_error *err);
/** Writes "org:12" (or "" when unscoped) into out. */
void gg_role_scope_text(const struct gg_role_grant *g, char *out, size_t outsz);
/** The token of one scope kind: "org", "station", "talent"; "" for GG_SCOPE_NONE. */
const char *gg_scope_kind_token(enum gg_scope_kind k);
/** The scope kind a token names ("org" -> GG_SCOPE_ORG); GG_SCOPE_NONE when unknown or NULL. */
enum gg_scope_kind gg_scope_kind_lookup(const char *token);

#define GG_PRINCIPAL_ROLES_MAX 16
enum gg_auth_kind { GG_AUTH_NONE, GG_AUTH_SESSION, GG_AUTH_TOKEN };

struct gg_principal {
	enum gg_auth_kind kind;
	int64_t user_id;
	char username[64];
	char display_name[128];
	int must_change_password;
	int64_t session_id;  /* GG_AUTH_SESSION */
	int64_t token_id;    /* GG_AUTH_TOKEN */
	char csrf_token[64]; /* GG_AUTH_SESSION */
	size_t nroles;
	struct gg_role_grant roles[GG_PRINCIPAL_ROLES_MAX];
};

/** 1 when any of the principal's roles grants p (public: always; authenticated: any principal). */
int gg_principal_can(const struct gg_principal *pr, enum gg_perm p);
/** 1 when the principal holds role r (any scope). */
int gg_principal_has_role(const struct gg_principal *pr, enum gg_role r);
/**
 * 1 when pr holds perm unscoped, or scoped to organisation org_id or to
 * talent talent_id (0 for either: that scope reaches nothing). A NULL pr
 * (the system itself) reaches everything.
 */
int gg_principal_reaches(const struct gg_principal *pr, enum gg_perm perm, int64_t org_id, int64_t talent_id);
/**
 * Where pr holds perm, for list queries. Returns 1 when a grant of perm is
 * unscoped (or pr is NULL), with *norgs and *ntalents 0; otherwise 0 with
 * the organisations of its org-scoped grants in orgs[0..*norgs) (at most
 * maxorgs) and the talents of its talent-scoped grants in
 * talents[0..*ntalents) (at most maxtalents; talents may be NULL when
 * maxtalents is 0). Other scopes reach nothing here.
 */
int gg_principal_scope(const struct gg_principal *pr, enum gg_perm perm, int64_t *orgs, size_t maxorgs, size_t *norgs,
                       int64_t *talents, size_t maxtalents, size_t *ntalents);

#endif
