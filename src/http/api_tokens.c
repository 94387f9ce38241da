/*
 * api_tokens: API tokens of an account. GET and POST
 * /api/v1/users/{id}/tokens, DELETE /api/v1/tokens/{id}. A token's text
 * appears once, in the answer to POST; lists show only its metadata.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/token.h"
#include "../domain/user.h"
#include "api.h"

static struct gg_json *token_json(const struct gg_token *t)
{
	struct gg_json *o = gg_json_object();
	int ok = o != NULL;

	if (!o)
		return NULL;
	ok &= gg_json_set_int(o, "id", t->id) == GG_OK;
	ok &= gg_json_set_str(o, "label", t->label) == GG_OK;
	gg_api_set_time(o, "created_at", t->created_at, &ok);
	gg_api_set_time(o, "expires_at", t->expires_at, &ok);
	gg_api_set_time(o, "revoked_at", t->revoked_at, &ok);
	gg_api_set_time(o, "last_used_at", t->last_used_at, &ok);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* GG_E_NOT_FOUND unless the account exists. */
static enum gg_err account_exists(struct gg_req *req, int64_t id, struct gg_error *err)
{
	struct gg_user u;

	return gg_user_get(gg_req_db(req), id, &u, err);
}

enum gg_err api_tokens_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_token *tokens = NULL;
	struct gg_json *items;
	int64_t user_id, after = 0, last;
	size_t n = 0;
	int limit = 50, more = 0, ok;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &user_id, err)) != GG_OK)
		return rc;
	if (gg_req_page(req, &limit, &after, err) != GG_OK)
		return err->code;
	if ((rc = account_exists(req, user_id, err)) != GG_OK)
		return rc;
	if ((rc = gg_token_list(gg_req_db(req), user_id, after, limit, &tokens, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		struct gg_json *t = token_json(&tokens[i]);
		ok &= t && gg_json_append(items, t) == GG_OK;
	}
	last = n > 0 ? tokens[n - 1].id : 0;
	free(tokens);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

enum gg_err api_tokens_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "label", .want = GG_WANT_STRING, .required = 1, .max_len = GG_TOKEN_LABEL_MAX - 1},
	    {.name = "expires_in_days", .want = GG_WANT_INT, .nullable = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	const struct gg_json *days_json;
	struct gg_actor actor;
	struct gg_token t;
	struct gg_json *body;
	char text[GG_TOKEN_TEXT_MAX], iso[32];
	int64_t user_id;
	int days;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &user_id, err)) != GG_OK)
		return rc;
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	days = (int)gg_config_int(gg_req_config(req), GG_CFG_token_days);
	days_json = gg_json_get(b, "expires_in_days");
	if (days_json && gg_json_kind(days_json) == GG_JSON_INT) {
		int64_t v = gg_json_intv(days_json);
		days = v < 1 || v > GG_TOKEN_DAYS_MAX ? 0 : (int)v; /* 0: refused with the field named */
	}
	gg_api_actor(req, &actor);
	rc = gg_token_create(gg_req_db(req), &actor, user_id, gg_json_str(gg_json_get(b, "label")), days, text,
	                     sizeof text, &t, err);
	if (rc != GG_OK)
		return err->code != GG_OK ? err->code : rc;
	gg_clock_iso(t.expires_at, iso, sizeof iso);
	body = gg_json_object();
	if (!body || gg_json_set_int(body, "id", t.id) != GG_OK || gg_json_set_str(body, "label", t.label) != GG_OK ||
	    gg_json_set_str(body, "token", text) != GG_OK || gg_json_set_str(body, "expires_at", iso) != GG_OK) {
		gg_json_free(body);
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	} else {
		rc = gg_resp_json(req, 201, body);
	}
	return rc;
}

enum gg_err api_tokens_revoke(struct gg_req *req, struct gg_error *err)
{
	struct gg_actor actor;
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_token_revoke(gg_req_db(req), &actor, id, err)) != GG_OK)
		return rc;
	return gg_resp_empty(req, 204);
}
