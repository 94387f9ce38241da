/*
 * test_role: the role and permission tables without a database. The
 * expected grants are written out by hand below (not derived from
 * role.c's table), so a changed grant fails here until it is decided
 * again; scope parsing is checked for every role kind and for malformed
 * scopes; gg_principal_can for anonymous, plain and multi-role callers.
 */
#include "unit.h"

#include "domain/role.h"

/* Permissions in perm.tbl order: public, authenticated, users_read,
 * users_write, tokens_manage, invitations_create, audit_read, orgs_read,
 * orgs_write, talents_read, talents_write, talents_merge, pii_read,
 * registry_import, registry_export, policy_read, orders_read,
 * orders_write, recognitions_read, recommendations_read,
 * recommendations_write, recommendations_review, strategic_decide,
 * ledger_read, verifications_read, verifications_submit,
 * verifications_review, payees_write, payees_confirm, payments_read,
 * payments_propose, payments_approve, plans_write, cards_read,
 * cards_apply, cards_review, cards_issue, cards_pii, card_keys_manage,
 * benefits_read, benefits_write, benefits_book, benefits_redeem,
 * loans_request, loans_handle. */
#define NPERMS 45
static const struct {
	const char *role;
	int perms[NPERMS];
} expected[] = {
    /*                     pub auth ur uw tok inv aud or ow tr tw tm pii imp exp pol odr odw rcg rmr rmw rmv str ldg vr
       vs vv pyw pyc pmr pmp pma plw crd cap crv cis cpi ckm bfr bfw bfb bfx lnr lnh */
    {"bureau_admin", {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"bureau_officer", {1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1,
                        1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0}},
    {"finance", {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0,
                 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"commissioner", {1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0,
                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0}},
    {"station_operator", {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"employer", {1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0,
                  0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"talent", {1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0}},
    {"bank", {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1}},
    {"provider", {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0}},
    {"expert", {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"leader", {1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0,
                1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}},
};
static const char *const perm_names[NPERMS] = {"public",
                                               "authenticated",
                                               "users_read",
                                               "users_write",
                                               "tokens_manage",
                                               "invitations_create",
                                               "audit_read",
                                               "orgs_read",
                                               "orgs_write",
                                               "talents_read",
                                               "talents_write",
                                               "talents_merge",
                                               "pii_read",
                                               "registry_import",
                                               "registry_export",
                                               "policy_read",
                                               "orders_read",
                                               "orders_write",
                                               "recognitions_read",
                                               "recommendations_read",
                                               "recommendations_write",
                                               "recommendations_review",
                                               "strategic_decide",
                                               "ledger_read",
                                               "verifications_read",
                                               "verifications_submit",
                                               "verifications_review",
                                               "payees_write",
                                               "payees_confirm",
                                               "payments_read",
                                               "payments_propose",
                                               "payments_approve",
                                               "plans_write",
                                               "cards_read",
                                               "cards_apply",
                                               "cards_review",
                                               "cards_issue",
                                               "cards_pii",
                                               "card_keys_manage",
                                               "benefits_read",
                                               "benefits_write",
                                               "benefits_book",
                                               "benefits_redeem",
                                               "loans_request",
                                               "loans_handle"};

static void test_role_tokens(void **state)
{
	struct gg_error err;
	enum gg_role r;

	(void)state;
	assert_int_equal(GG_ROLE__COUNT, sizeof expected / sizeof expected[0]);
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		gg_error_init(&err);
		assert_int_equal(gg_role_parse(expected[i].role, &r, &err), GG_OK);
		assert_int_equal((int)r, (int)i);
		assert_string_equal(gg_role_token(r), expected[i].role);
		assert_non_null(gg_role_defs[r].zh);
		assert_true(strlen(gg_role_defs[r].en) > 0);
	}
	gg_error_init(&err);
	assert_int_equal(gg_role_parse("superuser", &r, &err), GG_E_INVALID);
	assert_string_equal(err.message, "unknown role 'superuser'");
	gg_error_init(&err);
	assert_int_equal(gg_role_parse("Bureau_Admin", &r, &err), GG_E_INVALID);
	gg_error_init(&err);
	assert_int_equal(gg_role_parse("", &r, &err), GG_E_INVALID);
	gg_error_init(&err);
	assert_int_equal(gg_role_parse(NULL, &r, &err), GG_E_INVALID);
	assert_string_equal(gg_role_token((enum gg_role)99), "");
}

static void test_perm_tokens(void **state)
{
	(void)state;
	assert_int_equal(GG_PERM__COUNT, NPERMS);
	for (int p = 0; p < NPERMS; p++) {
		assert_string_equal(gg_perm_token((enum gg_perm)p), perm_names[p]);
		assert_int_equal(gg_perm_lookup(perm_names[p]), p);
	}
	assert_int_equal(gg_perm_lookup("root"), -1);
	assert_int_equal(gg_perm_lookup(NULL), -1);
}

static void test_grants_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		enum gg_role r;
		struct gg_error err;
		gg_error_init(&err);
		assert_int_equal(gg_role_parse(expected[i].role, &r, &err), GG_OK);
		for (int p = 0; p < NPERMS; p++) {
			int got = gg_role_grants(r, (enum gg_perm)gg_perm_lookup(perm_names[p]));
			if (got != expected[i].perms[p])
				fail_msg("role %s permission %s: got %d, expected %d", expected[i].role, perm_names[p],
				         got, expected[i].perms[p]);
		}
	}
	assert_int_equal(gg_role_grants((enum gg_role)GG_ROLE__COUNT, GG_PERM_public), 0);
	assert_int_equal(gg_role_grants(GG_ROLE_bureau_admin, (enum gg_perm)GG_PERM__COUNT), 0);
}

static void principal(struct gg_principal *pr, enum gg_auth_kind kind)
{
	memset(pr, 0, sizeof *pr);
	pr->kind = kind;
	pr->user_id = kind == GG_AUTH_NONE ? 0 : 7;
}

static void add_role(struct gg_principal *pr, enum gg_role r, enum gg_scope_kind k, int64_t id)
{
	pr->roles[pr->nroles].role = r;
	pr->roles[pr->nroles].scope_kind = k;
	pr->roles[pr->nroles].scope_id = id;
	pr->nroles++;
}

static void test_principal_can(void **state)
{
	struct gg_principal pr;

	(void)state;
	/* No caller at all: public only. */
	assert_int_equal(gg_principal_can(NULL, GG_PERM_public), 1);
	assert_int_equal(gg_principal_can(NULL, GG_PERM_authenticated), 0);
	assert_int_equal(gg_principal_can(NULL, GG_PERM_users_read), 0);

	principal(&pr, GG_AUTH_NONE);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_public), 1);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_authenticated), 0);
	/* Roles on an anonymous principal grant nothing. */
	add_role(&pr, GG_ROLE_bureau_admin, GG_SCOPE_NONE, 0);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_users_read), 0);
	assert_int_equal(gg_principal_has_role(&pr, GG_ROLE_bureau_admin), 0);

	/* Logged in without roles: public and authenticated. */
	principal(&pr, GG_AUTH_SESSION);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_public), 1);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_authenticated), 1);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_users_read), 0);

	principal(&pr, GG_AUTH_TOKEN);
	add_role(&pr, GG_ROLE_employer, GG_SCOPE_ORG, 12);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_authenticated), 1);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_users_read), 0);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_invitations_create), 0);
	/* A second role adds its grants. */
	add_role(&pr, GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_users_read), 1);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_invitations_create), 1);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_users_write), 0);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_audit_read), 0);
	assert_int_equal(gg_principal_has_role(&pr, GG_ROLE_employer), 1);
	assert_int_equal(gg_principal_has_role(&pr, GG_ROLE_bureau_officer), 1);
	assert_int_equal(gg_principal_has_role(&pr, GG_ROLE_bureau_admin), 0);

	principal(&pr, GG_AUTH_SESSION);
	add_role(&pr, GG_ROLE_bureau_admin, GG_SCOPE_NONE, 0);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_audit_read), 1);
	assert_int_equal(gg_principal_can(&pr, GG_PERM_tokens_manage), 1);
}

/* Parses text for role; returns the code and leaves the grant in *g. */
static enum gg_err scope(enum gg_role role, const char *text, struct gg_role_grant *g, char *msg, size_t msgsz)
{
	struct gg_error err;
	enum gg_err rc;

	gg_error_init(&err);
	memset(g, 0xff, sizeof *g);
	rc = gg_role_parse_scope(role, text, g, &err);
	if (msg)
		snprintf(msg, msgsz, "%s", err.message);
	return rc;
}

static void test_scope_parse(void **state)
{
	struct gg_role_grant g;
	char msg[256], text[48];

	(void)state;
	assert_int_equal(scope(GG_ROLE_employer, "org:12", &g, NULL, 0), GG_OK);
	assert_int_equal(g.role, GG_ROLE_employer);
	assert_int_equal(g.scope_kind, GG_SCOPE_ORG);
	assert_int_equal(g.scope_id, 12);
	gg_role_scope_text(&g, text, sizeof text);
	assert_string_equal(text, "org:12");

	assert_int_equal(scope(GG_ROLE_bank, "org:1", &g, NULL, 0), GG_OK);
	assert_int_equal(scope(GG_ROLE_provider, "org:9000000000", &g, NULL, 0), GG_OK);
	assert_int_equal(g.scope_id, 9000000000LL);
	assert_int_equal(scope(GG_ROLE_station_operator, "station:3", &g, NULL, 0), GG_OK);
	assert_int_equal(g.scope_kind, GG_SCOPE_STATION);
	gg_role_scope_text(&g, text, sizeof text);
	assert_string_equal(text, "station:3");
	assert_int_equal(scope(GG_ROLE_talent, "talent:9", &g, NULL, 0), GG_OK);
	assert_int_equal(g.scope_kind, GG_SCOPE_TALENT);
	assert_int_equal(g.scope_id, 9);

	/* Unscoped roles: no scope is right, any scope is refused. */
	assert_int_equal(scope(GG_ROLE_finance, NULL, &g, NULL, 0), GG_OK);
	assert_int_equal(g.scope_kind, GG_SCOPE_NONE);
	assert_int_equal(g.scope_id, 0);
	gg_role_scope_text(&g, text, sizeof text);
	assert_string_equal(text, "");
	assert_int_equal(scope(GG_ROLE_bureau_admin, "", &g, NULL, 0), GG_OK);
	assert_int_equal(scope(GG_ROLE_finance, "org:1", &g, msg, sizeof msg), GG_E_INVALID);
	assert_string_equal(msg, "role 'finance' takes no scope");
	assert_int_equal(scope(GG_ROLE_bureau_admin, "station:1", &g, NULL, 0), GG_E_INVALID);

	/* Scoped roles need a scope, of their own kind. */
	assert_int_equal(scope(GG_ROLE_employer, NULL, &g, msg, sizeof msg), GG_E_INVALID);
	assert_string_equal(msg, "role 'employer' needs a scope org:ID");
	assert_int_equal(scope(GG_ROLE_station_operator, "", &g, msg, sizeof msg), GG_E_INVALID);
	assert_string_equal(msg, "role 'station_operator' needs a scope station:ID");
	assert_int_equal(scope(GG_ROLE_employer, "station:3", &g, msg, sizeof msg), GG_E_INVALID);
	assert_string_equal(msg, "role 'employer' takes a scope org:ID, not 'station:3'");
	assert_int_equal(scope(GG_ROLE_talent, "org:3", &g, NULL, 0), GG_E_INVALID);
	assert_int_equal(scope(GG_ROLE_station_operator, "talent:3", &g, NULL, 0), GG_E_INVALID);

	/* Malformed scopes. */
	static const char *const bad[] = {"org",
	                                  "org:",
	                                  "org:0",
	                                  "org:-1",
	                                  "org:+1",
	                                  "org:12x",
	                                  "org: 12",
	                                  "ORG:12",
	                                  ":12",
	                                  "orgs:12",
	                                  "org:1:2",
	                                  "org:0x10",
	                                  "org:99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (scope(GG_ROLE_employer, bad[i], &g, NULL, 0) != GG_E_INVALID)
			fail_msg("scope '%s' was accepted", bad[i]);
	}
	assert_int_equal(scope((enum gg_role)GG_ROLE__COUNT, "org:1", &g, NULL, 0), GG_E_INVALID);
}

static void test_scope_kind_tokens(void **state)
{
	(void)state;
	assert_string_equal(gg_scope_kind_token(GG_SCOPE_ORG), "org");
	assert_string_equal(gg_scope_kind_token(GG_SCOPE_STATION), "station");
	assert_string_equal(gg_scope_kind_token(GG_SCOPE_TALENT), "talent");
	assert_string_equal(gg_scope_kind_token(GG_SCOPE_NONE), "");
	assert_int_equal(gg_scope_kind_lookup("org"), GG_SCOPE_ORG);
	assert_int_equal(gg_scope_kind_lookup("station"), GG_SCOPE_STATION);
	assert_int_equal(gg_scope_kind_lookup("talent"), GG_SCOPE_TALENT);
	assert_int_equal(gg_scope_kind_lookup("user"), GG_SCOPE_NONE);
	assert_int_equal(gg_scope_kind_lookup(NULL), GG_SCOPE_NONE);
	/* The role table's scope kinds, by hand. */
	assert_int_equal(gg_role_defs[GG_ROLE_employer].scopes, GG_SCOPE_ORG);
	assert_int_equal(gg_role_defs[GG_ROLE_bank].scopes, GG_SCOPE_ORG);
	assert_int_equal(gg_role_defs[GG_ROLE_provider].scopes, GG_SCOPE_ORG);
	assert_int_equal(gg_role_defs[GG_ROLE_station_operator].scopes, GG_SCOPE_STATION);
	assert_int_equal(gg_role_defs[GG_ROLE_talent].scopes, GG_SCOPE_TALENT);
	assert_int_equal(gg_role_defs[GG_ROLE_expert].scopes, GG_SCOPE_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_role_tokens),  cmocka_unit_test(test_perm_tokens),
	    cmocka_unit_test(test_grants_table), cmocka_unit_test(test_principal_can),
	    cmocka_unit_test(test_scope_parse),  cmocka_unit_test(test_scope_kind_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
