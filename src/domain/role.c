/*
 * role: the role and permission tables, scope parsing and the permission
 * test of a principal. The grants table below is the one place that says
 * which role may do what; routes name a permission, never a role, so a
 * new route is decided here and in routes.tbl only.
 */
#include "role.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"

const struct gg_role_def gg_role_defs[GG_ROLE__COUNT] = {
#define GG_ROLE(tok, zh, en, scopes) {#tok, zh, en, scopes},
#include "role.tbl"
#undef GG_ROLE
};

static const char *const perm_tokens[GG_PERM__COUNT] = {
#define GG_PERM(tok, help) #tok,
#include "perm.tbl"
#undef GG_PERM
};

/* one bit per permission: up to 64 */
_Static_assert(GG_PERM__COUNT <= 64, "role_grants holds 64 permissions");
#define P(tok)    (UINT64_C(1) << GG_PERM_##tok)
#define ALL_PERMS (GG_PERM__COUNT == 64 ? ~UINT64_C(0) : (UINT64_C(1) << GG_PERM__COUNT) - 1u)

/* Every role has public and authenticated; the rest is granted here only. */
static const uint64_t role_grants[GG_ROLE__COUNT] = {
    [GG_ROLE_bureau_admin] = ALL_PERMS,
    [GG_ROLE_bureau_officer] =
        P(users_read) | P(invitations_create) | P(orgs_read) | P(orgs_write) | P(talents_read) | P(talents_write) |
        P(talents_merge) | P(pii_read) | P(registry_import) | P(registry_export) | P(policy_read) | P(orders_read) |
        P(orders_write) | P(recognitions_read) | P(recommendations_read) | P(recommendations_review) |
        P(strategic_decide) | P(ledger_read) |
        /* annual verification (verification.c): the bureau answers when no employer does */
        P(verifications_read) | P(verifications_submit) | P(verifications_review) |
        /* payments (payrun.c) */
        P(payees_write) | P(payments_read) | P(payments_propose) |
        /* strategic tranches, plan cancellation (plan.c) */
        P(plans_write) |
        /* the talent card (card.c) and its benefits (benefit.c) */
        P(cards_read) | P(cards_apply) | P(cards_review) | P(benefits_read) | P(benefits_write) | P(benefits_book),
    /* reads what the subsidy plans rest on; the fund's ledger; decides payment runs (never its own proposal) */
    [GG_ROLE_finance] = P(policy_read) | P(orders_read) | P(recognitions_read) | P(ledger_read) |
                        P(verifications_read) | P(payments_read) | P(payments_approve),
    /* scoped: the assigned talents only */
    [GG_ROLE_commissioner] = P(talents_read) | P(orgs_read) | P(policy_read) | P(recognitions_read) | P(cards_read) |
                             P(cards_apply) | P(benefits_read) | P(benefits_book) | P(loans_request),
    /* scoped to org:ID: its own organisation and the talents it employs, masked */
    [GG_ROLE_employer] = P(orgs_read) | P(talents_read) | P(talents_write) | P(registry_export) | P(policy_read) |
                         P(orders_read) | P(orders_write) | P(recognitions_read) | P(recommendations_read) |
                         P(recommendations_write) | P(verifications_read) | P(verifications_submit),
    /* scoped to talent:ID: the own record; may read its own personal data */
    [GG_ROLE_talent] = P(talents_read) | P(pii_read) | P(recognitions_read) | P(verifications_read) |
                       P(payees_confirm) | P(payments_read) | P(cards_read) | P(cards_apply) | P(benefits_read) |
                       P(benefits_book) | P(loans_request),
    /* scoped to org:ID of kind bank: its issuance and loan queues, the applicants' data it needs (audited) */
    [GG_ROLE_bank] = P(cards_read) | P(cards_issue) | P(cards_pii) | P(loans_handle),
    /* scoped to org:ID: verifies cards, reads and redeems its own organisation's benefits */
    [GG_ROLE_provider] = P(benefits_read) | P(benefits_redeem),
    /* read-only, masked */
    [GG_ROLE_leader] = P(orgs_read) | P(talents_read) | P(registry_export) | P(policy_read) | P(orders_read) |
                       P(recognitions_read) | P(recommendations_read) | P(ledger_read) | P(verifications_read) |
                       P(payments_read) | P(cards_read) | P(benefits_read),
};

static const uint64_t everyone_grants = P(public) | P(authenticated);

/* Scope kinds as written in "kind:ID". */
static const struct {
	const char *name;
	enum gg_scope_kind kind;
} scope_names[] = {
    {"org", GG_SCOPE_ORG},
    {"station", GG_SCOPE_STATION},
    {"talent", GG_SCOPE_TALENT},
};

enum gg_err gg_role_parse(const char *token, enum gg_role *out, struct gg_error *err)
{
	for (int r = 0; token && r < GG_ROLE__COUNT; r++) {
		if (strcmp(gg_role_defs[r].token, token) == 0) {
			*out = (enum gg_role)r;
			return GG_OK;
		}
	}
	return gg_error_set(err, GG_E_INVALID, "unknown role '%.64s'", token ? token : "");
}

const char *gg_role_token(enum gg_role r)
{
	if ((int)r < 0 || r >= GG_ROLE__COUNT)
		return "";
	return gg_role_defs[r].token;
}

const char *gg_perm_token(enum gg_perm p)
{
	if ((int)p < 0 || p >= GG_PERM__COUNT)
		return "";
	return perm_tokens[p];
}

int gg_perm_lookup(const char *token)
{
	for (int p = 0; token && p < GG_PERM__COUNT; p++) {
		if (strcmp(perm_tokens[p], token) == 0)
			return p;
	}
	return -1;
}

int gg_role_grants(enum gg_role r, enum gg_perm p)
{
	if ((int)r < 0 || r >= GG_ROLE__COUNT || (int)p < 0 || p >= GG_PERM__COUNT)
		return 0;
	return ((role_grants[r] | everyone_grants) & (UINT64_C(1) << p)) != 0;
}

const char *gg_scope_kind_token(enum gg_scope_kind k)
{
	for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++) {
		if (scope_names[i].kind == k)
			return scope_names[i].name;
	}
	return "";
}

enum gg_scope_kind gg_scope_kind_lookup(const char *token)
{
	for (size_t i = 0; token && i < sizeof scope_names / sizeof scope_names[0]; i++) {
		if (strcmp(scope_names[i].name, token) == 0)
			return scope_names[i].kind;
	}
	return GG_SCOPE_NONE;
}

/* "org:ID or station:ID": the kinds a role takes, for messages. */
static void scope_forms(unsigned kinds, char *out, size_t outsz)
{
	struct gg_buf b;
	gg_buf_init(&b, outsz ? outsz - 1 : 0);
	for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++) {
		if (!(kinds & scope_names[i].kind))
			continue;
		if (b.len)
			gg_buf_adds(&b, " or ");
		gg_buf_addf(&b, "%s:ID", scope_names[i].name);
	}
	gg_strlcpy(out, b.buf, outsz);
	gg_buf_release(&b);
}

enum gg_err gg_role_parse_scope(enum gg_role role, const char *text, struct gg_role_grant *out, struct gg_error *err)
{
	char forms[64];
	const char *colon;
	size_t klen;
	long long id;

	if ((int)role < 0 || role >= GG_ROLE__COUNT)
		return gg_error_set(err, GG_E_INVALID, "unknown role");
	out->role = role;
	out->scope_kind = GG_SCOPE_NONE;
	out->scope_id = 0;
	unsigned allowed = gg_role_defs[role].scopes;
	if (!text || !*text) {
		if (allowed == GG_SCOPE_NONE)
			return GG_OK;
		scope_forms(allowed, forms, sizeof forms);
		return gg_error_set(err, GG_E_INVALID, "role '%s' needs a scope %s", gg_role_defs[role].token, forms);
	}
	if (allowed == GG_SCOPE_NONE)
		return gg_error_set(err, GG_E_INVALID, "role '%s' takes no scope", gg_role_defs[role].token);

	colon = strchr(text, ':');
	if (!colon)
		return gg_error_set(err, GG_E_INVALID, "invalid scope '%.64s', expected KIND:ID", text);
	klen = (size_t)(colon - text);
	enum gg_scope_kind kind = GG_SCOPE_NONE;
	for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++) {
		if (strlen(scope_names[i].name) == klen && strncmp(scope_names[i].name, text, klen) == 0)
			kind = scope_names[i].kind;
	}
	if (kind == GG_SCOPE_NONE)
		return gg_error_set(err, GG_E_INVALID, "unknown scope kind in '%.64s'", text);
	if (gg_parse_i64(colon + 1, 1, INT64_MAX, &id) != GG_OK)
		return gg_error_set(err, GG_E_INVALID, "invalid scope id in '%.64s', expected a positive integer",
		                    text);
	if (!(allowed & kind)) {
		scope_forms(allowed, forms, sizeof forms);
		return gg_error_set(err, GG_E_INVALID, "role '%s' takes a scope %s, not '%.64s'",
		                    gg_role_defs[role].token, forms, text);
	}
	out->scope_kind = kind;
	out->scope_id = id;
	return GG_OK;
}

void gg_role_scope_text(const struct gg_role_grant *g, char *out, size_t outsz)
{
	if (!outsz)
		return;
	if (g->scope_kind == GG_SCOPE_NONE) {
		out[0] = '\0';
		return;
	}
	snprintf(out, outsz, "%s:%lld", gg_scope_kind_token(g->scope_kind), (long long)g->scope_id);
}

int gg_principal_can(const struct gg_principal *pr, enum gg_perm p)
{
	if (p == GG_PERM_public)
		return 1;
	if (!pr || pr->kind == GG_AUTH_NONE)
		return 0;
	if (p == GG_PERM_authenticated)
		return 1;
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		if (gg_role_grants(pr->roles[i].role, p))
			return 1;
	}
	return 0;
}

int gg_principal_has_role(const struct gg_principal *pr, enum gg_role r)
{
	if (!pr || pr->kind == GG_AUTH_NONE)
		return 0;
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		if (pr->roles[i].role == r)
			return 1;
	}
	return 0;
}

int gg_principal_scope(const struct gg_principal *pr, enum gg_perm perm, int64_t *orgs, size_t maxorgs, size_t *norgs,
                       int64_t *talents, size_t maxtalents, size_t *ntalents)
{
	*norgs = *ntalents = 0;
	if (!pr)
		return 1;
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];
		if (!gg_role_grants(g->role, perm))
			continue;
		if (g->scope_kind == GG_SCOPE_NONE) {
			*norgs = *ntalents = 0;
			return 1;
		}
		if (g->scope_kind == GG_SCOPE_ORG && *norgs < maxorgs)
			orgs[(*norgs)++] = g->scope_id;
		if (g->scope_kind == GG_SCOPE_TALENT && *ntalents < maxtalents)
			talents[(*ntalents)++] = g->scope_id;
	}
	return 0;
}

int gg_principal_reaches(const struct gg_principal *pr, enum gg_perm perm, int64_t org_id, int64_t talent_id)
{
	int64_t orgs[GG_PRINCIPAL_ROLES_MAX], talents[GG_PRINCIPAL_ROLES_MAX];
	size_t norgs, ntalents;

	if (gg_principal_scope(pr, perm, orgs, GG_PRINCIPAL_ROLES_MAX, &norgs, talents, GG_PRINCIPAL_ROLES_MAX,
	                       &ntalents))
		return 1;
	for (size_t i = 0; org_id && i < norgs; i++)
		if (orgs[i] == org_id)
			return 1;
	for (size_t i = 0; talent_id && i < ntalents; i++)
		if (talents[i] == talent_id)
			return 1;
	return 0;
}
