/*
 * api_invitations: invitations to activate an account. An officer or
 * administrator invites (POST /api/v1/invitations) and gets a one-time
 * activation link; the invited person looks it up and activates it
 * (both public routes) by choosing a password. A bureau_officer may invite
 * only employer and talent accounts and lists only its own invitations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../domain/invitation.h"
#include "../domain/user.h"
#include "api.h"

#define NAME_JSON_MAX 256
#define URL_MAX       2048

/* The roles a bureau_officer (without bureau_admin) may invite. */
static const enum gg_role officer_may_invite[] = {GG_ROLE_employer, GG_ROLE_talent};

static struct gg_json *invitation_json(const struct gg_invitation *v)
{
	struct gg_json *o = gg_json_object();
	int ok = 1;

	if (!o)
		return NULL;
	ok &= gg_json_set_int(o, "id", v->id) == GG_OK;
	ok &= gg_json_set_str(o, "username", v->username) == GG_OK;
	gg_api_set_grant(o, &v->grant, &ok);
	ok &= gg_json_set_int(o, "invited_by", v->invited_by) == GG_OK;
	gg_api_set_time(o, "created_at", v->created_at, &ok);
	gg_api_set_time(o, "expires_at", v->expires_at, &ok);
	gg_api_set_time(o, "accepted_at", v->accepted_at, &ok);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

enum gg_err api_invitations_list(struct gg_req *req, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	struct gg_invitation *items_v = NULL;
	struct gg_json *items;
	int64_t after = 0, by, last;
	size_t n = 0;
	int limit = 50, more = 0, ok;
	enum gg_err rc;

	if (gg_req_page(req, &limit, &after, err) != GG_OK)
		return err->code;
	by = gg_principal_has_role(pr, GG_ROLE_bureau_admin) ? 0 : pr->user_id;
	if ((rc = gg_invitation_list(gg_req_db(req), by, after, limit, &items_v, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		struct gg_json *v = invitation_json(&items_v[i]);
		ok &= v && gg_json_append(items, v) == GG_OK;
	}
	last = n > 0 ? items_v[n - 1].id : 0;
	free(items_v);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

static int officer_may(enum gg_role r)
{
	for (size_t i = 0; i < sizeof officer_may_invite / sizeof officer_may_invite[0]; i++) {
		if (officer_may_invite[i] == r)
			return 1;
	}
	return 0;
}

enum gg_err api_invitations_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "username", .want = GG_WANT_STRING, .required = 1, .max_len = NAME_JSON_MAX},
	    {.name = "display_name", .want = GG_WANT_STRING, .max_len = NAME_JSON_MAX, .nullable = 1},
	    {.name = "role", .want = GG_WANT_STRING, .required = 1, .max_len = 64},
	    {.name = "scope", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	const struct gg_principal *pr = gg_req_principal(req);
	const struct gg_config *cfg = gg_req_config(req);
	struct gg_invitation_new in = {0};
	struct gg_invitation inv;
	struct gg_actor actor;
	struct gg_error one;
	struct gg_json *body;
	struct gg_buf url;
	char token[GG_TOKEN_MAX];
	const char *base;
	size_t blen;
	enum gg_role role;
	enum gg_err rc;
	int ok = 1;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	gg_error_init(&one);
	if (gg_role_parse(gg_json_str(gg_json_get(b, "role")), &role, &one) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, "role", "%s", one.message);
	if (!gg_principal_has_role(pr, GG_ROLE_bureau_admin) && !officer_may(role))
		return gg_error_set(err, GG_E_FORBIDDEN,
		                    "a bureau officer may invite only employer or talent accounts");
	if (gg_role_parse_scope(role, gg_json_str(gg_json_get(b, "scope")), &in.grant, &one) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, "scope", "%s", one.message);
	in.username = gg_json_str(gg_json_get(b, "username"));
	in.display_name = gg_json_str(gg_json_get(b, "display_name"));
	in.hours = (int)gg_config_int(cfg, GG_CFG_invitation_hours);
	gg_api_actor(req, &actor);
	rc = gg_invitation_create(gg_req_db(req), &actor, &in, token, sizeof token, &inv, err);
	if (rc != GG_OK)
		return err->code != GG_OK ? err->code : rc;

	base = gg_config_str(cfg, GG_CFG_public_url);
	blen = strlen(base);
	while (blen && base[blen - 1] == '/')
		blen--;
	gg_buf_init(&url, URL_MAX);
	ok &= gg_buf_add(&url, base, blen) == GG_OK;
	ok &= gg_buf_addf(&url, "/activate?token=%s", token) == GG_OK;
	body = gg_json_object();
	if (ok && body) {
		ok &= gg_json_set_int(body, "id", inv.id) == GG_OK;
		ok &= gg_json_set_str(body, "username", inv.username) == GG_OK;
		gg_api_set_grant(body, &inv.grant, &ok);
		gg_api_set_time(body, "expires_at", inv.expires_at, &ok);
		ok &= gg_json_set_str(body, "activation_url", url.buf) == GG_OK;
		ok &= gg_json_set_str(body, "token", token) == GG_OK;
	}
	gg_buf_release(&url);
	if (!ok || !body) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 201, body);
}

enum gg_err api_invitations_lookup(struct gg_req *req, struct gg_error *err)
{
	const char *token = gg_req_query(req, "token");
	struct gg_invitation inv;
	struct gg_json *body;
	enum gg_err rc;
	int ok = 1;

	if (!token || !*token)
		return gg_error_field(err, GG_E_INVALID, "token", "token is required");
	if ((rc = gg_invitation_lookup(gg_req_db(req), token, &inv, err)) != GG_OK)
		return rc;
	body = gg_json_object();
	if (!body)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	ok &= gg_json_set_str(body, "username", inv.username) == GG_OK;
	ok &= gg_json_set_str(body, "display_name", inv.display_name) == GG_OK;
	gg_api_set_grant(body, &inv.grant, &ok);
	gg_api_set_time(body, "expires_at", inv.expires_at, &ok);
	if (!ok) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}

enum gg_err api_invitations_activate(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "token", .want = GG_WANT_STRING, .required = 1, .max_len = 256},
	    {.name = "password", .want = GG_WANT_STRING, .required = 1, .max_len = GG_PASSWORD_MAX},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_json *body, *user;
	struct gg_user u;
	int64_t id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	rc = gg_invitation_activate(
	    gg_req_db(req), gg_json_str(gg_json_get(b, "token")), gg_json_str(gg_json_get(b, "password")),
	    (int)gg_config_int(gg_req_config(req), GG_CFG_password_min_length), gg_req_id(req), &id, err);
	if (rc != GG_OK)
		return err->code != GG_OK ? err->code : rc;
	if ((rc = gg_user_get(gg_req_db(req), id, &u, err)) != GG_OK)
		return rc;
	body = gg_json_object();
	user = gg_api_user_json(&u);
	if (!body || !user || gg_json_set(body, "user", user) != GG_OK) {
		if (!body)
			gg_json_free(user);
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 201, body);
}
