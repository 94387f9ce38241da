/*
 * api_cards: the digital talent card over HTTP (card.h, docs/cards.md).
 * GET /api/v1/cards (?status= ?bank_id= ?talent_id= ?q= ?limit ?cursor;
 * scoped: a bank its own queue, a talent its own card, a commissioner its
 * assigned talents'), GET /api/v1/cards/stats (the register's counts by
 * status and bank), GET /api/v1/cards/notice?bank_id= (the consent
 * notice and its hash), POST /api/v1/cards (apply), GET .../{id} (ETag),
 * GET .../{id}/events, the officer's approve, reject, suspend, resume and
 * revoke, the bank's accept, issue and bank-reject (If-Match optional,
 * checked when sent), GET .../{id}/applicant (the bank's audited read of
 * the applicant's data) and POST .../{id}/token (a fresh signed token
 * with its short code and its QR code as SVG). Another bank's card is
 * 404, as an unknown one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/qr.h"
#include "../domain/card.h"
#include "api.h"

static struct gg_json *card_json(const struct gg_card *c, const struct gg_principal *pr)
{
	struct gg_json *o = gg_json_object(), *policy = gg_json_object(), *actions = gg_json_array();
	unsigned allowed = gg_card_allowed_actions(c, pr);
	int ok = o && policy && actions;

	if (!ok) {
		gg_json_free(o);
		gg_json_free(policy);
		gg_json_free(actions);
		return NULL;
	}
	for (int a = 0; a < GG_CARDA__COUNT; a++)
		if (allowed & (1u << a))
			ok &= gg_json_append(actions, gg_json_string(gg_card_action_token((enum gg_card_action)a))) ==
			      GG_OK;
	ok &= gg_json_set_str(policy, "pack", c->policy_pack[0] ? c->policy_pack : NULL) == GG_OK;
	ok &= gg_json_set_str(policy, "version", c->policy_version[0] ? c->policy_version : NULL) == GG_OK;
	ok &= gg_json_set_int(o, "id", c->id) == GG_OK;
	gg_api_set_ref(o, "talent", c->talent_id, c->talent_name, &ok);
	gg_api_set_ref(o, "bank", c->bank_id, c->bank_name, &ok);
	ok &= gg_json_set_str(o, "status", gg_card_status_token(c->status)) == GG_OK;
	ok &= gg_json_set_str(o, "tier", c->tier[0] ? c->tier : NULL) == GG_OK;
	ok &= gg_json_set_bool(o, "eligible", c->eligible) == GG_OK;
	ok &= gg_json_set_bool(o, "auto_approved", c->auto_approved) == GG_OK;
	ok &= gg_json_set(o, "policy", policy) == GG_OK;
	ok &= gg_json_set_str(o, "card_no", c->card_no[0] ? c->card_no : NULL) == GG_OK;
	ok &= gg_json_set_str(o, "valid_from", c->valid_from[0] ? c->valid_from : NULL) == GG_OK;
	ok &= gg_json_set_str(o, "valid_to", c->valid_to[0] ? c->valid_to : NULL) == GG_OK;
	ok &= gg_json_set_str(o, "debit_last4", c->debit_last4[0] ? c->debit_last4 : NULL) == GG_OK;
	ok &= gg_json_set_str(o, "debit_issued_on", c->debit_issued_on[0] ? c->debit_issued_on : NULL) == GG_OK;
	ok &= gg_json_set_str(o, "reason", c->reason[0] ? c->reason : NULL) == GG_OK;
	gg_api_set_time(o, "applied_at", c->applied_at, &ok);
	gg_api_set_ref(o, "applied_by", c->applied_by, c->applied_by_name, &ok);
	gg_api_set_time(o, "decided_at", c->decided_at, &ok);
	gg_api_set_time(o, "bank_accepted_at", c->bank_accepted_at, &ok);
	gg_api_set_time(o, "updated_at", c->updated_at, &ok);
	ok &= gg_json_set_int(o, "version", c->version) == GG_OK;
	ok &= gg_json_set(o, "allowed_actions", actions) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* Card id if the caller may read it (else 404 as for an unknown one). */
static enum gg_err visible(struct gg_req *req, int64_t id, struct gg_card *c, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_card_get(gg_req_db(req), id, c, err)) != GG_OK)
		return rc;
	if (!gg_card_may_read(gg_req_principal(req), c))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown card %lld", (long long)id);
	return GG_OK;
}

static enum gg_err answer(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_card *c = malloc(sizeof *c);
	struct gg_json *body = NULL;
	char location[64];
	enum gg_err rc;

	if (!c)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = visible(req, id, c, err)) != GG_OK) {
		free(c);
		return rc;
	}
	body = card_json(c, gg_req_principal(req));
	rc = gg_resp_etag(req, c->version);
	free(c);
	if (rc == GG_OK && status == 201) {
		snprintf(location, sizeof location, "/api/v1/cards/%lld", (long long)id);
		rc = gg_resp_header(req, "Location", location);
	}
	if (!body || rc != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, status, body);
}

/* The list's filters and the caller's scope from the query. */
static enum gg_err query_of(struct gg_req *req, struct gg_card_query *q, int paged, struct gg_error *err)
{
	const char *s;
	enum gg_err rc;

	memset(q, 0, sizeof *q);
	q->status = -1;
	if (paged && (rc = gg_req_page(req, &q->limit, &q->after_id, err)) != GG_OK)
		return rc;
	if (paged && (s = gg_req_query(req, "status")) != NULL && (q->status = gg_card_status_lookup(s)) < 0)
		gg_error_field(err, GG_E_INVALID, "status",
		               "unknown status '%.32s' (applied, approved, issuing, active, rejected, suspended, "
		               "revoked, expired)",
		               s);
	if (paged) {
		gg_req_query_id(req, "bank_id", &q->bank_id, err);
		gg_req_query_id(req, "talent_id", &q->talent_id, err);
		q->q = gg_req_query_text(req, "q", 64, err);
		if (q->q && !q->q[0])
			q->q = NULL;
	}
	if (err->code != GG_OK)
		return err->code;
	gg_card_scope(gg_req_principal(req), q);
	return GG_OK;
}

enum gg_err api_cards_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_card_query q;
	struct gg_card *page = NULL;
	struct gg_json *items;
	size_t n = 0;
	int more = 0, ok;
	int64_t last;
	enum gg_err rc;

	if ((rc = query_of(req, &q, 1, err)) != GG_OK)
		return rc;
	if ((page = calloc((size_t)q.limit, sizeof *page)) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_card_list(gg_req_db(req), &q, page, &n, &more, err)) != GG_OK) {
		free(page);
		return rc;
	}
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, card_json(&page[i], gg_req_principal(req))) == GG_OK;
	last = n > 0 ? page[n - 1].id : 0;
	free(page);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

static struct gg_json *by_status_json(const int64_t *counts)
{
	struct gg_json *o = gg_json_object();
	int ok = o != NULL;

	for (int s = 0; ok && s < GG_CARD__COUNT; s++)
		ok &= gg_json_set_int(o, gg_card_status_token((enum gg_card_status)s), counts[s]) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

enum gg_err api_cards_stats(struct gg_req *req, struct gg_error *err)
{
	struct gg_card_query q;
	struct gg_card_stats *s = malloc(sizeof *s);
	struct gg_json *o = NULL, *banks = NULL;
	int ok;
	enum gg_err rc;

	if (!s)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = query_of(req, &q, 0, err)) != GG_OK || (rc = gg_card_stats(gg_req_db(req), &q, s, err)) != GG_OK) {
		free(s);
		return rc;
	}
	o = gg_json_object();
	banks = gg_json_array();
	ok = o && banks;
	for (size_t i = 0; ok && i < s->nbanks; i++) {
		struct gg_json *b = gg_json_object();

		ok &= b != NULL;
		gg_api_set_ref(b, "bank", s->banks[i].bank_id, s->banks[i].bank_name, &ok);
		ok &= gg_json_set_int(b, "total", s->banks[i].total) == GG_OK;
		ok &= gg_json_set(b, "by_status", by_status_json(s->banks[i].by_status)) == GG_OK;
		ok &= gg_json_append(banks, b) == GG_OK;
	}
	ok = ok && gg_json_set_int(o, "total", s->total) == GG_OK &&
	     gg_json_set(o, "by_status", by_status_json(s->by_status)) == GG_OK;
	free(s);
	if (ok)
		ok = gg_json_set(o, "by_bank", banks) == GG_OK;
	else
		gg_json_free(banks);
	if (!ok) {
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}

enum gg_err api_cards_banks(struct gg_req *req, struct gg_error *err)
{
	struct gg_card_bank *banks = calloc(GG_CARD_BANKS_MAX, sizeof *banks);
	struct gg_json *o = gg_json_object(), *items = gg_json_array();
	size_t n = 0;
	int ok = banks && o && items;
	enum gg_err rc = GG_OK;

	/* o owns items from here on, also when setting fails */
	ok = o && gg_json_set(o, "items", items) == GG_OK && ok;
	if (!o)
		gg_json_free(items);
	if (ok && (rc = gg_card_banks(gg_req_db(req), banks, GG_CARD_BANKS_MAX, &n, err)) != GG_OK)
		ok = 0;
	for (size_t i = 0; ok && i < n; i++)
		ok = gg_json_append(items, gg_api_ref_json(banks[i].id, banks[i].name)) == GG_OK;
	free(banks);
	if (!ok) {
		gg_json_free(o);
		return rc != GG_OK ? rc : gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}

enum gg_err api_cards_notice(struct gg_req *req, struct gg_error *err)
{
	struct gg_card_notice n;
	struct gg_json *o, *fields;
	int64_t bank = 0;
	int ok;
	enum gg_err rc;

	gg_req_query_id(req, "bank_id", &bank, err);
	if (err->code == GG_OK && bank == 0)
		gg_error_field(err, GG_E_INVALID, "bank_id", "bank_id (a partner bank's id) is required");
	if (err->code != GG_OK)
		return err->code;
	if ((rc = gg_card_notice(gg_req_db(req), bank, &n, err)) != GG_OK)
		return rc;
	o = gg_json_object();
	fields = gg_json_array();
	ok = o && fields;
	ok = ok && gg_json_append(fields, gg_json_string("name")) == GG_OK &&
	     gg_json_append(fields, gg_json_string("doc_number")) == GG_OK &&
	     gg_json_append(fields, gg_json_string("phone")) == GG_OK;
	if (ok) {
		gg_api_set_ref(o, "bank", n.bank_id, n.bank_name, &ok);
		ok &= gg_json_set_str(o, "text", n.text) == GG_OK;
		ok &= gg_json_set_str(o, "hash", n.hash) == GG_OK;
		ok &= gg_json_set(o, "fields", fields) == GG_OK;
		fields = NULL;
	}
	if (!ok) {
		gg_json_free(fields);
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}

enum gg_err api_cards_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "talent_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "bank_id", .want = GG_WANT_INT, .required = 1},
	    {.name = "consent", .want = GG_WANT_BOOL, .required = 1},
	    {.name = "consent_hash", .want = GG_WANT_STRING, .required = 1, .max_len = 128},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_card_apply in;
	struct gg_actor actor;
	int64_t id = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	in.talent_id = gg_json_intv(gg_json_get(b, "talent_id"));
	in.bank_id = gg_json_intv(gg_json_get(b, "bank_id"));
	in.consent = gg_json_boolv(gg_json_get(b, "consent"));
	in.consent_hash = gg_json_str(gg_json_get(b, "consent_hash"));
	gg_api_actor(req, &actor);
	if ((rc = gg_card_apply(gg_req_db(req), gg_req_policies(req), &actor, gg_req_principal(req), &in, &id, err)) !=
	    GG_OK)
		return rc;
	return answer(req, 201, id, err);
}

enum gg_err api_cards_get(struct gg_req *req, struct gg_error *err)
{
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

enum gg_err api_cards_events(struct gg_req *req, struct gg_error *err)
{
	enum { MAX = 200 };
	struct gg_card c;
	struct gg_card_event *ev = NULL;
	struct gg_json *items = NULL, *o = NULL;
	size_t n = 0;
	int64_t id;
	int ok;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK || (rc = visible(req, id, &c, err)) != GG_OK)
		return rc;
	if ((ev = calloc(MAX, sizeof *ev)) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_card_events(gg_req_db(req), id, ev, MAX, &n, err)) != GG_OK) {
		free(ev);
		return rc;
	}
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		struct gg_json *e = gg_json_object();

		ok &= e != NULL;
		ok = ok && gg_json_set_int(e, "id", ev[i].id) == GG_OK &&
		     gg_json_set_str(e, "from_status", ev[i].from_status[0] ? ev[i].from_status : NULL) == GG_OK &&
		     gg_json_set_str(e, "to_status", ev[i].to_status) == GG_OK &&
		     gg_json_set_str(e, "reason", ev[i].reason[0] ? ev[i].reason : NULL) == GG_OK;
		if (ok)
			gg_api_set_ref(e, "by", ev[i].by_user, ev[i].by_name, &ok);
		if (ok)
			gg_api_set_time(e, "at", ev[i].at, &ok);
		ok &= gg_json_append(items, e) == GG_OK;
	}
	free(ev);
	ok = ok && (o = gg_json_object()) != NULL && gg_json_set(o, "items", items) == GG_OK;
	if (!ok) {
		if (!o)
			gg_json_free(items);
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	if (gg_json_set_null(o, "next_cursor") != GG_OK) {
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}

/* An action: the path's card (visible or acted upon), If-Match when sent, the body's fields. */
static enum gg_err action(struct gg_req *req, enum gg_card_action a, struct gg_error *err)
{
	static const struct gg_json_field reason_fields[] = {
	    {.name = "reason",
	     .want = GG_WANT_STRING,
	     .max_len = 4 * GG_CARD_REASON_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	};
	static const struct gg_json_field issue_fields[] = {
	    {.name = "debit_last4", .want = GG_WANT_STRING, .required = 1, .max_len = 16},
	    {.name = "issued_on", .want = GG_WANT_STRING, .required = 1, .max_len = 32},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_card_act in = {0};
	struct gg_card c;
	struct gg_actor actor;
	int64_t id;
	enum gg_err rc;

	if (a == GG_CARDA_REJECT || a == GG_CARDA_BANK_REJECT || a == GG_CARDA_SUSPEND || a == GG_CARDA_REVOKE) {
		if (gg_json_check(b, reason_fields, 1, "", err) != GG_OK)
			return err->code;
		in.reason = gg_json_str(gg_json_get(b, "reason"));
	} else if (a == GG_CARDA_ISSUE) {
		if (gg_json_check(b, issue_fields, 2, "", err) != GG_OK)
			return err->code;
		in.debit_last4 = gg_json_str(gg_json_get(b, "debit_last4"));
		in.issued_on = gg_json_str(gg_json_get(b, "issued_on"));
		in.valid_years = (int)gg_config_int(gg_req_config(req), GG_CFG_card_valid_years);
	}
	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if (gg_req_header(req, "If-Match")) {
		/* the card as the caller sees it; one it may not see is 404 from the action itself */
		if ((rc = gg_card_get(gg_req_db(req), id, &c, err)) != GG_OK)
			return rc;
		if ((rc = gg_req_if_match(req, "card", id, c.version, &in.expected_version, err)) != GG_OK)
			return rc;
	}
	gg_api_actor(req, &actor);
	if ((rc = gg_card_act(gg_req_db(req), &actor, gg_req_principal(req), id, a, &in, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

enum gg_err api_cards_approve(struct gg_req *req, struct gg_error *err)
{
	return action(req, GG_CARDA_APPROVE, err);
}

enum gg_err api_cards_reject(struct gg_req *req, struct gg_error *err)
{
	return action(req, GG_CARDA_REJECT, err);
}

enum gg_err api_cards_suspend(struct gg_req *req, struct gg_error *err)
{
	return action(req, GG_CARDA_SUSPEND, err);
}

enum gg_err api_cards_resume(struct gg_req *req, struct gg_error *err)
{
	return action(req, GG_CARDA_RESUME, err);
}

enum gg_err api_cards_revoke(struct gg_req *req, struct gg_error *err)
{
	return action(req, GG_CARDA_REVOKE, err);
}

enum gg_err api_cards_accept(struct gg_req *req, struct gg_error *err)
{
	return action(req, GG_CARDA_ACCEPT, err);
}

enum gg_err api_cards_issue(struct gg_req *req, struct gg_error *err)
{
	return action(req, GG_CARDA_ISSUE, err);
}

enum gg_err api_cards_bank_reject(struct gg_req *req, struct gg_error *err)
{
	return action(req, GG_CARDA_BANK_REJECT, err);
}

enum gg_err api_cards_applicant(struct gg_req *req, struct gg_error *err)
{
	const struct gg_keys *keys = gg_req_keys(req);
	struct gg_card_applicant ap;
	struct gg_actor actor;
	struct gg_json *o;
	int64_t id;
	int ok;
	enum gg_err rc;

	if (!keys)
		return gg_error_set(err, GG_E_INTERNAL, "the personal-data keys are not loaded");
	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_card_applicant_read(gg_req_db(req), keys, &actor, gg_req_principal(req), id, &ap, err)) != GG_OK)
		return rc;
	o = gg_json_object();
	ok = o && gg_json_set_str(o, "name", ap.name) == GG_OK &&
	     gg_json_set_str(o, "doc_type", ap.doc_type[0] ? ap.doc_type : NULL) == GG_OK &&
	     gg_json_set_str(o, "doc_number", ap.doc_number[0] ? ap.doc_number : NULL) == GG_OK &&
	     gg_json_set_str(o, "phone", ap.phone[0] ? ap.phone : NULL) == GG_OK;
	gg_card_applicant_wipe(&ap);
	if (!ok) {
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	if (gg_resp_header(req, "Cache-Control", "no-store") != GG_OK) {
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}

enum gg_err api_cards_token(struct gg_req *req, struct gg_error *err)
{
	const struct gg_keys *keys = gg_req_keys(req);
	struct gg_cardtoken_minted m;
	struct gg_buf svg;
	struct gg_json *o;
	int64_t id;
	int ttl = (int)gg_config_int(gg_req_config(req), GG_CFG_card_token_seconds), ok;
	enum gg_err rc;

	if (!keys)
		return gg_error_set(err, GG_E_INTERNAL, "the personal-data keys are not loaded");
	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	/* minting is no state change of the card: no audit row (see gg_card_token) */
	if ((rc = gg_card_token(gg_req_db(req), keys, gg_req_principal(req), id, ttl, &m, err)) != GG_OK)
		return rc;
	gg_buf_init(&svg, 256 * 1024);
	if ((rc = gg_qr_svg(m.token, &svg, NULL, err)) != GG_OK) {
		gg_buf_release(&svg);
		return rc;
	}
	o = gg_json_object();
	ok = o && gg_json_set_str(o, "token", m.token) == GG_OK && gg_json_set_str(o, "code", m.code) == GG_OK;
	if (ok)
		gg_api_set_time(o, "expires_at", m.expires_at, &ok);
	ok = ok && gg_json_set_str(o, "kid", m.kid) == GG_OK && gg_json_set_int(o, "ttl_seconds", ttl) == GG_OK &&
	     gg_json_set_str(o, "qr_svg", svg.buf) == GG_OK;
	gg_buf_release(&svg);
	if (!ok || gg_resp_header(req, "Cache-Control", "no-store") != GG_OK) {
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}
