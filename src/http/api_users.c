/*
 * api_users: accounts over HTTP. GET/POST /api/v1/users, GET/PATCH
 * /api/v1/users/{id} (ETag "<version>", PATCH needs If-Match) and
 * POST /api/v1/users/{id}/password-reset. The router has checked the
 * permission; the rules (names, roles and scopes, self-protection, stale
 * versions) are the domain's, reported here with the field they concern.
 * Also the one user object every accounts handler answers with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/user.h"
#include "api.h"

#define NAME_JSON_MAX 256
#define Q_MAX         100

void gg_api_set_time(struct gg_json *o, const char *key, int64_t t, int *ok)
{
	char iso[32];

	if (t) {
		gg_clock_iso(t, iso, sizeof iso);
		*ok &= gg_json_set_str(o, key, iso) == GG_OK;
	} else {
		*ok &= gg_json_set_null(o, key) == GG_OK;
	}
}

void gg_api_set_id(struct gg_json *o, const char *key, int64_t id, int *ok)
{
	*ok &= (id ? gg_json_set_int(o, key, id) : gg_json_set_null(o, key)) == GG_OK;
}

struct gg_json *gg_api_ref_json(int64_t id, const char *name)
{
	struct gg_json *o = gg_json_object();

	if (o && (gg_json_set_int(o, "id", id) != GG_OK || gg_json_set_str(o, "name", name) != GG_OK)) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

void gg_api_set_ref(struct gg_json *o, const char *key, int64_t id, const char *name, int *ok)
{
	*ok &= gg_json_set(o, key, id ? gg_api_ref_json(id, name) : gg_json_null()) == GG_OK;
}

void gg_api_set_grant(struct gg_json *o, const struct gg_role_grant *g, int *ok)
{
	char scope[48];

	gg_role_scope_text(g, scope, sizeof scope);
	*ok &= gg_json_set_str(o, "role", gg_role_token(g->role)) == GG_OK;
	*ok &= gg_json_set_str(o, "scope", scope[0] ? scope : NULL) == GG_OK;
}

struct gg_json *gg_api_grant_json(const struct gg_role_grant *g)
{
	struct gg_json *o = gg_json_object();
	int ok = 1;

	if (!o)
		return NULL;
	gg_api_set_grant(o, g, &ok);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

struct gg_json *gg_api_user_json(const struct gg_user *u)
{
	struct gg_json *o = gg_json_object(), *roles = gg_json_array();
	int ok = o && roles;

	for (size_t i = 0; ok && i < u->nroles; i++) {
		struct gg_json *g = gg_api_grant_json(&u->roles[i]);
		ok &= g && gg_json_append(roles, g) == GG_OK;
	}
	if (!ok) {
		gg_json_free(roles);
		gg_json_free(o);
		return NULL;
	}
	ok &= gg_json_set_int(o, "id", u->id) == GG_OK;
	ok &= gg_json_set_str(o, "username", u->username) == GG_OK;
	ok &= gg_json_set_str(o, "display_name", u->display_name) == GG_OK;
	ok &= gg_json_set(o, "roles", roles) == GG_OK;
	ok &= gg_json_set_bool(o, "disabled", u->disabled) == GG_OK;
	ok &= gg_json_set_bool(o, "must_change_password", u->must_change_password) == GG_OK;
	gg_api_set_time(o, "created_at", u->created_at, &ok);
	gg_api_set_time(o, "updated_at", u->updated_at, &ok);
	gg_api_set_time(o, "last_login_at", u->last_login_at, &ok);
	ok &= gg_json_set_int(o, "version", u->version) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

enum gg_err gg_api_parse_roles(const struct gg_json *arr, struct gg_role_grant *out, size_t *n, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "role", .want = GG_WANT_STRING, .required = 1, .max_len = 64},
	    {.name = "scope", .want = GG_WANT_STRING, .max_len = 64, .nullable = 1},
	};
	char prefix[32], field[48];
	size_t count = gg_json_size(arr);

	*n = 0;
	if (gg_json_kind(arr) != GG_JSON_ARRAY)
		return gg_error_field(err, GG_E_WRONG_TYPE, "roles", "roles must be an array");
	if (count == 0)
		return gg_error_field(err, GG_E_INVALID, "roles", "at least one role is required");
	if (count > GG_PRINCIPAL_ROLES_MAX)
		return gg_error_field(err, GG_E_INVALID, "roles", "at most %d roles are allowed",
		                      GG_PRINCIPAL_ROLES_MAX);
	for (size_t i = 0; i < count; i++) {
		const struct gg_json *item = gg_json_at(arr, i);
		struct gg_error one;
		enum gg_role role;

		snprintf(prefix, sizeof prefix, "roles.%zu.", i);
		if (gg_json_check(item, fields, sizeof fields / sizeof fields[0], prefix, err) != GG_OK)
			continue;
		gg_error_init(&one);
		snprintf(field, sizeof field, "roles.%zu.role", i);
		if (gg_role_parse(gg_json_str(gg_json_get(item, "role")), &role, &one) != GG_OK) {
			gg_error_field(err, GG_E_INVALID, field, "%s", one.message);
			continue;
		}
		snprintf(field, sizeof field, "roles.%zu.scope", i);
		if (gg_role_parse_scope(role, gg_json_str(gg_json_get(item, "scope")), &out[i], &one) != GG_OK) {
			gg_error_field(err, GG_E_INVALID, field, "%s", one.message);
			continue;
		}
	}
	if (err->code != GG_OK)
		return err->code;
	*n = count;
	return GG_OK;
}

void gg_api_actor(struct gg_req *req, struct gg_actor *out)
{
	const struct gg_principal *pr = gg_req_principal(req);

	out->id = pr ? pr->user_id : 0;
	out->name = pr && pr->username[0] ? pr->username : "anonymous";
	out->request_id = gg_req_id(req);
}

/* Answers status with the user object (and its ETag). */
static enum gg_err answer_user(struct gg_req *req, int status, const struct gg_user *u, struct gg_error *err)
{
	struct gg_json *body = gg_api_user_json(u);

	if (!body || gg_resp_etag(req, u->version) != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, status, body);
}

enum gg_err api_users_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_user_filter f = {.disabled = -1};
	struct gg_user *users = NULL;
	struct gg_json *items;
	const char *s;
	int64_t last;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	gg_req_page(req, &f.limit, &f.after_id, err);
	if ((s = gg_req_query(req, "role")) != NULL) {
		struct gg_error one;
		gg_error_init(&one);
		if (gg_role_parse(s, &f.role, &one) != GG_OK)
			gg_error_field(err, GG_E_INVALID, "role", "%s", one.message);
		f.has_role = 1;
	}
	if ((s = gg_req_query(req, "q")) != NULL && *s) {
		if (strlen(s) > Q_MAX)
			gg_error_field(err, GG_E_INVALID, "q", "q must be at most %d bytes", Q_MAX);
		f.q = s;
	}
	if ((s = gg_req_query(req, "disabled")) != NULL) {
		if (strcmp(s, "true") == 0)
			f.disabled = 1;
		else if (strcmp(s, "false") == 0)
			f.disabled = 0;
		else
			gg_error_field(err, GG_E_INVALID, "disabled", "disabled must be true or false");
	}
	if (err->code != GG_OK)
		return err->code;

	rc = gg_user_list(gg_req_db(req), &f, &users, &n, &more, err);
	if (rc != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		struct gg_json *u = gg_api_user_json(&users[i]);
		ok &= u && gg_json_append(items, u) == GG_OK;
	}
	last = n > 0 ? users[n - 1].id : 0;
	free(users);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

enum gg_err api_users_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "username", .want = GG_WANT_STRING, .required = 1, .max_len = NAME_JSON_MAX},
	    {.name = "display_name", .want = GG_WANT_STRING, .max_len = NAME_JSON_MAX, .nullable = 1},
	    {.name = "roles", .want = GG_WANT_ARRAY, .required = 1},
	    {.name = "password", .want = GG_WANT_STRING, .max_len = GG_PASSWORD_MAX, .nullable = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_role_grant roles[GG_PRINCIPAL_ROLES_MAX];
	struct gg_actor actor;
	struct gg_user u;
	struct gg_json *body, *user;
	char generated[32] = "";
	size_t nroles = 0;
	int64_t id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	if (gg_api_parse_roles(gg_json_get(b, "roles"), roles, &nroles, err) != GG_OK)
		return err->code;
	const struct gg_user_new nu = {
	    .username = gg_json_str(gg_json_get(b, "username")),
	    .display_name = gg_json_str(gg_json_get(b, "display_name")),
	    .password = gg_json_str(gg_json_get(b, "password")),
	    .must_change = 0,
	    .roles = roles,
	    .nroles = nroles,
	};
	gg_api_actor(req, &actor);
	rc = gg_user_create(gg_req_db(req), &actor, &nu,
	                    (int)gg_config_int(gg_req_config(req), GG_CFG_password_min_length), &id, generated,
	                    sizeof generated, err);
	if (rc != GG_OK)
		return err->code != GG_OK ? err->code : rc;
	if ((rc = gg_user_get(gg_req_db(req), id, &u, err)) != GG_OK)
		return rc;
	body = gg_json_object();
	user = gg_api_user_json(&u);
	if (!body || !user || gg_json_set(body, "user", user) != GG_OK ||
	    gg_json_set_str(body, "generated_password", generated[0] ? generated : NULL) != GG_OK ||
	    gg_resp_etag(req, u.version) != GG_OK) {
		if (!body)
			gg_json_free(user);
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 201, body);
}

enum gg_err api_users_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_user u;
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if ((rc = gg_user_get(gg_req_db(req), id, &u, err)) != GG_OK)
		return rc;
	return answer_user(req, 200, &u, err);
}

enum gg_err api_users_update(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "display_name", .want = GG_WANT_STRING, .max_len = NAME_JSON_MAX, .nullable = 1},
	    {.name = "roles", .want = GG_WANT_ARRAY, .nullable = 1},
	    {.name = "disabled", .want = GG_WANT_BOOL, .nullable = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	const struct gg_json *roles_json, *disabled_json;
	struct gg_role_grant roles[GG_PRINCIPAL_ROLES_MAX];
	struct gg_user cur, u;
	struct gg_actor actor;
	int64_t id, version;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if (!gg_req_header(req, "If-Match")) /* 428 before the body is read */
		return gg_req_if_match(req, "user", id, 0, &version, err);
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	struct gg_user_patch p = {.disabled = -1};
	p.display_name = gg_json_str(gg_json_get(b, "display_name"));
	roles_json = gg_json_get(b, "roles");
	if (roles_json && gg_json_kind(roles_json) != GG_JSON_NULL) {
		if (gg_api_parse_roles(roles_json, roles, &p.nroles, err) != GG_OK)
			return err->code;
		p.set_roles = 1;
		p.roles = roles;
	}
	disabled_json = gg_json_get(b, "disabled");
	if (disabled_json && gg_json_kind(disabled_json) == GG_JSON_BOOL)
		p.disabled = gg_json_boolv(disabled_json) ? 1 : 0;

	if ((rc = gg_user_get(gg_req_db(req), id, &cur, err)) != GG_OK)
		return rc;
	if ((rc = gg_req_if_match(req, "user", id, cur.version, &version, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	rc = gg_user_update(gg_req_db(req), &actor, id, version, &p, &u, err);
	if (rc != GG_OK)
		return err->code != GG_OK ? err->code : rc;
	return answer_user(req, 200, &u, err);
}

enum gg_err api_users_reset_password(struct gg_req *req, struct gg_error *err)
{
	struct gg_actor actor;
	struct gg_json *body;
	char generated[32];
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	rc = gg_user_password_reset(gg_req_db(req), &actor, id, NULL, 1,
	                            (int)gg_config_int(gg_req_config(req), GG_CFG_password_min_length), generated,
	                            sizeof generated, err);
	if (rc != GG_OK)
		return rc;
	body = gg_json_object();
	if (!body || gg_json_set_str(body, "generated_password", generated) != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}
