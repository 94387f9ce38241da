/*
 * api_auth: logging in and out, changing one's own password, who am I
 * (GET /api/v1/me) and the role table (GET /api/v1/roles). Login sets the
 * session cookie and answers the CSRF token that writes must send back;
 * a throttled login answers 429 with Retry-After.
 */
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/session.h"
#include "../domain/user.h"
#include "api.h"

#define USERNAME_JSON_MAX 256

static void wipe(void *p, size_t len)
{
	volatile unsigned char *v = p;
	while (len--)
		*v++ = 0;
}

enum gg_err api_auth_login(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "username", .want = GG_WANT_STRING, .required = 1, .max_len = USERNAME_JSON_MAX},
	    {.name = "password", .want = GG_WANT_STRING, .required = 1, .max_len = GG_PASSWORD_MAX},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_login login;
	struct gg_user u;
	struct gg_json *body = NULL, *user;
	char retry[24];
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	rc = gg_session_login(gg_req_db(req), gg_req_config(req), gg_json_str(gg_json_get(b, "username")),
	                      gg_json_str(gg_json_get(b, "password")), gg_req_id(req), &login, err);
	if (rc == GG_E_THROTTLED) {
		snprintf(retry, sizeof retry, "%lld", (long long)login.retry_after);
		gg_resp_header(req, "Retry-After", retry);
	}
	if (rc != GG_OK)
		goto out;
	if ((rc = gg_user_get(gg_req_db(req), login.user_id, &u, err)) != GG_OK)
		goto out;
	rc = gg_resp_session_cookie(req, login.token, login.expires_at - gg_clock_now());
	if (rc != GG_OK) {
		rc = gg_error_set(err, GG_E_INTERNAL, "cannot set the session cookie");
		goto out;
	}
	body = gg_json_object();
	user = gg_api_user_json(&u);
	if (!body || !user || gg_json_set_str(body, "csrf_token", login.csrf_token) != GG_OK ||
	    gg_json_set(body, "user", user) != GG_OK ||
	    gg_json_set_bool(body, "must_change_password", u.must_change_password) != GG_OK) {
		if (!body)
			gg_json_free(user);
		gg_json_free(body);
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = gg_resp_json(req, 200, body);
out:
	wipe(login.token, sizeof login.token);
	return rc;
}

enum gg_err api_auth_logout(struct gg_req *req, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	struct gg_actor actor;
	enum gg_err rc;

	if (pr->kind == GG_AUTH_SESSION) {
		gg_api_actor(req, &actor);
		rc = gg_session_logout(gg_req_db(req), &actor, pr->session_id, err);
		/* Ended meanwhile (by another tab, a password change): the goal is reached. */
		if (rc == GG_E_NOT_FOUND) {
			gg_error_init(err);
			rc = GG_OK;
		}
		if (rc != GG_OK)
			return rc;
		if (gg_resp_session_cookie(req, NULL, 0) != GG_OK)
			return gg_error_set(err, GG_E_INTERNAL, "cannot clear the session cookie");
	}
	return gg_resp_empty(req, 204);
}

enum gg_err api_auth_password(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "current_password", .want = GG_WANT_STRING, .required = 1, .max_len = GG_PASSWORD_MAX},
	    {.name = "new_password", .want = GG_WANT_STRING, .required = 1, .max_len = GG_PASSWORD_MAX},
	};
	const struct gg_json *b = gg_req_body(req);
	const struct gg_principal *pr = gg_req_principal(req);
	struct gg_actor actor;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	gg_api_actor(req, &actor);
	rc = gg_user_password_change(gg_req_db(req), &actor, pr->user_id,
	                             gg_json_str(gg_json_get(b, "current_password")),
	                             gg_json_str(gg_json_get(b, "new_password")),
	                             (int)gg_config_int(gg_req_config(req), GG_CFG_password_min_length),
	                             pr->kind == GG_AUTH_SESSION ? pr->session_id : 0, err);
	if (rc != GG_OK)
		return rc;
	return gg_resp_empty(req, 204);
}

enum gg_err api_me_get(struct gg_req *req, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	struct gg_json *body = NULL, *user, *perms;
	struct gg_user u;
	enum gg_err rc;
	int ok;

	if ((rc = gg_user_get(gg_req_db(req), pr->user_id, &u, err)) != GG_OK)
		return rc;
	body = gg_json_object();
	user = gg_api_user_json(&u);
	perms = gg_json_array();
	ok = body && user && perms;
	for (int p = 0; ok && p < GG_PERM__COUNT; p++) {
		if (p != GG_PERM_public && gg_principal_can(pr, (enum gg_perm)p))
			ok &= gg_json_append(perms, gg_json_string(gg_perm_token((enum gg_perm)p))) == GG_OK;
	}
	if (!ok) {
		gg_json_free(user);
		gg_json_free(perms);
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	ok &= gg_json_set(body, "user", user) == GG_OK;
	ok &= gg_json_set(body, "permissions", perms) == GG_OK;
	ok &= gg_json_set_str(body, "csrf_token", pr->kind == GG_AUTH_SESSION ? pr->csrf_token : NULL) == GG_OK;
	ok &= gg_json_set_str(body, "auth", pr->kind == GG_AUTH_SESSION ? "session" : "token") == GG_OK;
	if (!ok) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}

static struct gg_json *role_json(enum gg_role r)
{
	static const enum gg_scope_kind kinds[] = {GG_SCOPE_ORG, GG_SCOPE_STATION, GG_SCOPE_TALENT};
	struct gg_json *o = gg_json_object(), *scopes = gg_json_array(), *perms = gg_json_array();
	int ok = o && scopes && perms;

	for (size_t i = 0; ok && i < sizeof kinds / sizeof kinds[0]; i++) {
		if (gg_role_defs[r].scopes & kinds[i])
			ok &= gg_json_append(scopes, gg_json_string(gg_scope_kind_token(kinds[i]))) == GG_OK;
	}
	for (int p = 0; ok && p < GG_PERM__COUNT; p++) {
		if (p != GG_PERM_public && gg_role_grants(r, (enum gg_perm)p))
			ok &= gg_json_append(perms, gg_json_string(gg_perm_token((enum gg_perm)p))) == GG_OK;
	}
	if (!ok) {
		gg_json_free(o);
		gg_json_free(scopes);
		gg_json_free(perms);
		return NULL;
	}
	ok &= gg_json_set_str(o, "role", gg_role_defs[r].token) == GG_OK;
	ok &= gg_json_set_str(o, "zh", gg_role_defs[r].zh) == GG_OK;
	ok &= gg_json_set_str(o, "en", gg_role_defs[r].en) == GG_OK;
	ok &= gg_json_set(o, "scopes", scopes) == GG_OK;
	ok &= gg_json_set(o, "permissions", perms) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

enum gg_err api_roles_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_json *body = gg_json_object(), *items = gg_json_array();
	int ok = body && items;

	for (int r = 0; ok && r < GG_ROLE__COUNT; r++) {
		struct gg_json *o = role_json((enum gg_role)r);
		ok &= o && gg_json_append(items, o) == GG_OK;
	}
	if (!ok) {
		gg_json_free(items);
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	ok &= gg_json_set(body, "items", items) == GG_OK;
	ok &= gg_json_set_null(body, "next_cursor") == GG_OK;
	if (!ok) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}
