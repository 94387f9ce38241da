/*
 * api_loans: loan requests through the talent card over HTTP (loan.h,
 * docs/benefits.md). GET /api/v1/loans (?status= ?card_id= ?bank_id=)
 * and GET /api/v1/loans/{id} answer by the caller's scope: a talent its
 * own, a commissioner its assigned talents', a bank its own queue, the
 * bureau (cards_review) every request; anyone else 403. POST
 * /api/v1/loans files a request ({card_id, kind, org_id?, amount (a
 * decimal string of CNY) or amount_fen, term_months, purpose}); POST
 * .../{id}/accept, .../approve, .../decline ({reason}) are the bank's,
 * .../withdraw the talent's; If-Match is optional on them and checked
 * when sent. A request outside the caller's scope is 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/money.h"
#include "../domain/loan.h"
#include "api.h"

static struct gg_json *loan_json(const struct gg_loan *l, const struct gg_principal *pr)
{
	struct gg_json *o = gg_json_object(), *card = gg_json_object(), *actions = gg_json_array();
	unsigned allowed = gg_loan_allowed(l, pr);
	int ok = o && card && actions;

	if (!ok) {
		gg_json_free(o);
		gg_json_free(card);
		gg_json_free(actions);
		return NULL;
	}
	ok &= gg_json_set_int(card, "id", l->card_id) == GG_OK;
	ok &= gg_json_set_str(card, "card_no", l->card_no[0] ? l->card_no : NULL) == GG_OK;
	for (int a = 0; a < GG_LOANA__COUNT; a++)
		if (allowed & (1u << a))
			ok &= gg_json_append(actions, gg_json_string(gg_loan_action_token((enum gg_loan_action)a))) ==
			      GG_OK;
	ok &= gg_json_set_int(o, "id", l->id) == GG_OK;
	ok &= gg_json_set(o, "card", card) == GG_OK;
	gg_api_set_ref(o, "talent", l->talent_id, l->talent, &ok);
	gg_api_set_ref(o, "bank", l->bank_id, l->bank, &ok);
	ok &= gg_json_set_str(o, "kind", l->kind) == GG_OK;
	gg_api_set_ref(o, "org", l->org_id, l->org, &ok);
	ok &= gg_json_set_int(o, "amount_fen", l->amount_fen) == GG_OK;
	ok &= gg_json_set_int(o, "term_months", l->term_months) == GG_OK;
	ok &= gg_json_set_str(o, "purpose", l->purpose) == GG_OK;
	ok &= gg_json_set_str(o, "status", gg_loan_status_token(l->status)) == GG_OK;
	ok &= gg_json_set_str(o, "reason", l->reason[0] ? l->reason : NULL) == GG_OK;
	gg_api_set_id(o, "requested_by", l->requested_by, &ok);
	gg_api_set_time(o, "created_at", l->created_at, &ok);
	gg_api_set_id(o, "decided_by", l->decided_by, &ok);
	gg_api_set_time(o, "decided_at", l->decided_at, &ok);
	gg_api_set_time(o, "updated_at", l->updated_at, &ok);
	ok &= gg_json_set_int(o, "version", l->version) == GG_OK;
	ok &= gg_json_set(o, "allowed_actions", actions) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* 403 for a caller with no loan scope at all (the route is open to every account). */
static enum gg_err need_scope(struct gg_req *req, struct gg_loan_query *q, struct gg_error *err)
{
	gg_loan_scope(gg_req_principal(req), q);
	if (!q->unscoped && !q->nbanks && !q->ntalents && !q->commissioner)
		return gg_error_set(err, GG_E_FORBIDDEN,
		                    "loan requests are read by their talent, its bank and the bureau");
	return GG_OK;
}

static enum gg_err answer(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_loan *l = calloc(1, sizeof(*l));
	struct gg_json *body = NULL;
	enum gg_err rc;

	if (!l)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_loan_get(gg_req_db(req), id, l, err)) == GG_OK && !gg_loan_visible(l, gg_req_principal(req)))
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown loan request %lld", (long long)id);
	if (rc == GG_OK &&
	    ((body = loan_json(l, gg_req_principal(req))) == NULL || gg_resp_etag(req, l->version) != GG_OK))
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	free(l);
	if (rc != GG_OK) {
		gg_json_free(body);
		return rc;
	}
	return gg_resp_json(req, status, body);
}

enum gg_err api_loans_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_loan_query q;
	struct gg_loan *list = NULL;
	struct gg_json *items;
	const char *s;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	memset(&q, 0, sizeof q);
	q.status = -1;
	if ((rc = need_scope(req, &q, err)) != GG_OK || (rc = gg_req_page(req, &q.limit, &q.after_id, err)) != GG_OK)
		return rc;
	if ((s = gg_req_query(req, "status")) != NULL && (q.status = gg_loan_status_lookup(s)) < 0)
		gg_error_field(err, GG_E_INVALID, "status",
		               "unknown status '%.32s' (requested, accepted, approved, declined, withdrawn)", s);
	gg_req_query_id(req, "card_id", &q.card_id, err);
	gg_req_query_id(req, "bank_id", &q.bank_id, err);
	if (err->code != GG_OK)
		return err->code;
	if ((rc = gg_loan_list(gg_req_db(req), &q, &list, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, loan_json(&list[i], gg_req_principal(req))) == GG_OK;
	int64_t last = n ? list[n - 1].id : 0;
	free(list);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

enum gg_err api_loans_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_loan_query q;
	int64_t id;
	enum gg_err rc;

	if ((rc = need_scope(req, &q, err)) != GG_OK || (rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

enum gg_err api_loans_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "card_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "kind", .want = GG_WANT_STRING, .required = 1, .max_len = 32},
	    {.name = "org_id", .want = GG_WANT_INT, .nullable = 1},
	    {.name = "amount", .want = GG_WANT_STRING, .max_len = GG_MONEY_TEXT_MAX},
	    {.name = "amount_fen", .want = GG_WANT_INT},
	    {.name = "term_months", .want = GG_WANT_INT, .required = 1},
	    {.name = "purpose", .want = GG_WANT_STRING, .required = 1, .max_len = GG_LOAN_PURPOSE_MAX * 4},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_loan_in in;
	struct gg_actor actor;
	struct gg_error one;
	const char *amount;
	int64_t id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	memset(&in, 0, sizeof in);
	amount = gg_json_str(gg_json_get(b, "amount"));
	if ((amount != NULL) == (gg_json_get(b, "amount_fen") != NULL))
		return gg_error_field(err, GG_E_INVALID, "amount",
		                      "give the amount as a decimal string of CNY (amount) or in fen (amount_fen)");
	gg_error_init(&one);
	if (amount && gg_money_parse(amount, &in.amount_fen, &one) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, "amount", "amount: %s", gg_error_message(&one));
	if (!amount)
		in.amount_fen = gg_json_intv(gg_json_get(b, "amount_fen"));
	in.card_id = gg_json_intv(gg_json_get(b, "card_id"));
	in.kind = gg_json_str(gg_json_get(b, "kind"));
	in.org_id = gg_json_intv(gg_json_get(b, "org_id"));
	in.term_months = gg_json_intv(gg_json_get(b, "term_months"));
	in.purpose = gg_json_str(gg_json_get(b, "purpose"));
	gg_api_actor(req, &actor);
	if ((rc = gg_loan_request(gg_req_db(req), &actor, gg_req_principal(req), &in, &id, err)) != GG_OK)
		return rc;
	return answer(req, 201, id, err);
}

static enum gg_err act(struct gg_req *req, enum gg_loan_action a, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "reason",
	     .want = GG_WANT_STRING,
	     .max_len = GG_LOAN_REASON_MAX * 4,
	     .nullable = 1,
	     .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_loan *l = NULL;
	struct gg_actor actor;
	int64_t id, version = 0;
	enum gg_err rc;

	if (b && gg_json_check(b, fields, 1, "", err) != GG_OK)
		return err->code;
	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if (gg_req_header(req, "If-Match")) {
		if ((l = calloc(1, sizeof(*l))) == NULL)
			return gg_error_set(err, GG_E_NOMEM, NULL);
		if ((rc = gg_loan_get(gg_req_db(req), id, l, err)) == GG_OK &&
		    !gg_loan_visible(l, gg_req_principal(req)))
			rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown loan request %lld", (long long)id);
		if (rc == GG_OK)
			rc = gg_req_if_match(req, "loan request", id, l->version, &version, err);
		free(l);
		if (rc != GG_OK)
			return rc;
	}
	gg_api_actor(req, &actor);
	if ((rc = gg_loan_act(gg_req_db(req), &actor, gg_req_principal(req), id, a,
	                      b ? gg_json_str(gg_json_get(b, "reason")) : NULL, version, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

enum gg_err api_loans_accept(struct gg_req *req, struct gg_error *err)
{
	return act(req, GG_LOANA_ACCEPT, err);
}

enum gg_err api_loans_approve(struct gg_req *req, struct gg_error *err)
{
	return act(req, GG_LOANA_APPROVE, err);
}

enum gg_err api_loans_decline(struct gg_req *req, struct gg_error *err)
{
	return act(req, GG_LOANA_DECLINE, err);
}

enum gg_err api_loans_withdraw(struct gg_req *req, struct gg_error *err)
{
	return act(req, GG_LOANA_WITHDRAW, err);
}
