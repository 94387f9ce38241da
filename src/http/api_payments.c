/*
 * api_payments: payees, payment runs and payments over HTTP (issue 6,
 * docs/payments.md). PUT/GET /api/v1/plans/{id}/payee and POST
 * .../payee/confirm; GET/POST /api/v1/payment-runs, GET .../{id},
 * POST .../approve and .../reject, GET .../bank-file?format=csv|xlsx,
 * POST .../bank-result (multipart, part "file"), GET .../sheet (the
 * approval sheet's data), GET /api/v1/payments, POST
 * /api/v1/payments/{id}/clawbacks. The router checked the
 * route's permission (and the Idempotency-Key of the money-moving POSTs,
 * idempotency.h); the scope is checked here: payment runs are the
 * bureau's (a talent is refused), a talent reads its own payments and
 * payee and is the only one who confirms it. Account numbers are masked
 * ("**** 1234") except for holders of payments_approve, whose every
 * unmasked read is audited (payee.reveal, payrun.bank_file). The work is
 * payee.c's and payrun.c's, in the request's thread as imports are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"
#include "../domain/payee.h"
#include "../domain/payrun.h"
#include "api.h"
#include "multipart.h"

#define TEXT_JSON_MAX   (4 * GG_PAYEE_NAME_MAX)
#define REASON_JSON_MAX GG_PAYRUN_REASON_MAX
#define BANK_FILE_MAX   (64u * 1024 * 1024)

/* The caller's view of payments: 1 the bureau's (any), else only talent *talent (0: none). */
static int bureau_view(const struct gg_principal *pr, int64_t *talent)
{
	*talent = 0;
	for (size_t i = 0; pr && i < pr->nroles; i++) {
		const struct gg_role_grant *g = &pr->roles[i];

		if (!gg_role_grants(g->role, GG_PERM_payments_read))
			continue;
		if (g->role != GG_ROLE_talent)
			return 1;
		if (g->scope_kind == GG_SCOPE_TALENT)
			*talent = g->scope_id;
	}
	return 0;
}

static enum gg_err bureau_only(struct gg_req *req, struct gg_error *err)
{
	int64_t t;

	if (bureau_view(gg_req_principal(req), &t))
		return GG_OK;
	return gg_error_set(err, GG_E_FORBIDDEN, "payment runs are read by the bureau and finance only");
}

/* 422 problem+json with an extra member (the router's problem has no room for lists). */
static enum gg_err refused(struct gg_req *req, const struct gg_error *why, const char *member, struct gg_json *list,
                           struct gg_error *err)
{
	struct gg_json *p = gg_json_object(), *fields = gg_json_array();
	char *text;
	size_t len = 0;
	enum gg_err rc;
	int ok = p != NULL && fields != NULL && list != NULL;

	for (size_t i = 0; ok && i < why->nfields && i < GG_ERROR_FIELDS_MAX; i++) {
		struct gg_json *f = gg_json_object();

		ok = f && gg_json_set_str(f, "field", why->fields[i].field) == GG_OK &&
		     gg_json_set_str(f, "message", why->fields[i].message) == GG_OK;
		ok = gg_json_append(fields, f) == GG_OK && ok;
	}
	ok = ok && gg_json_set_str(p, "type", "about:blank") == GG_OK &&
	     gg_json_set_str(p, "title", gg_err_title(gg_err_status(GG_E_RULE))) == GG_OK &&
	     gg_json_set_int(p, "status", gg_err_status(GG_E_RULE)) == GG_OK &&
	     gg_json_set_str(p, "code", gg_err_code(GG_E_RULE)) == GG_OK &&
	     gg_json_set_str(p, "detail", gg_error_message(why)) == GG_OK &&
	     gg_json_set_str(p, "instance", gg_req_path(req)) == GG_OK &&
	     gg_json_set_str(p, "request_id", gg_req_id(req)) == GG_OK;
	if (ok) {
		ok = gg_json_set(p, "errors", fields) == GG_OK;
		fields = NULL;
		ok = gg_json_set(p, member, list) == GG_OK && ok;
		list = NULL;
	}
	text = ok ? gg_json_dump(p, &len) : NULL;
	gg_json_free(p);
	gg_json_free(fields);
	gg_json_free(list);
	if (!text)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_resp_bytes(req, gg_err_status(GG_E_RULE), "application/problem+json", text, len);
	free(text);
	return rc == GG_OK ? GG_OK : gg_error_set(err, rc, NULL);
}

/* Payees. */

static struct gg_json *payee_json(const struct gg_principal *pr, const struct gg_payee *p, const char *account_no)
{
	struct gg_json *o = gg_json_object(), *a = gg_json_array();
	char mask[16];
	int64_t talent = 0;
	int ok = o != NULL && a != NULL;

	bureau_view(pr, &talent);
	gg_payee_mask(p->last4, mask, sizeof mask);
	if (ok && p->confirmed_at == 0 && talent == p->talent_id && talent > 0)
		ok = gg_json_append(a, gg_json_string("confirm")) == GG_OK;
	if (ok && gg_principal_can(pr, GG_PERM_payees_write))
		ok = gg_json_append(a, gg_json_string("change")) == GG_OK;
	ok = ok && gg_json_set_int(o, "id", p->id) == GG_OK;
	ok = ok && gg_json_set_int(o, "plan_id", p->plan_id) == GG_OK;
	ok = ok && gg_json_set_int(o, "talent_id", p->talent_id) == GG_OK;
	ok = ok && gg_json_set_str(o, "payee_name", p->payee_name) == GG_OK;
	ok = ok && gg_json_set_str(o, "bank", p->bank) == GG_OK;
	ok = ok && gg_json_set_str(o, "account", mask) == GG_OK;
	if (ok && account_no)
		ok = gg_json_set_str(o, "account_no", account_no) == GG_OK;
	ok = ok && gg_json_set_bool(o, "confirmed", p->confirmed_at != 0) == GG_OK;
	gg_api_set_time(o, "confirmed_at", p->confirmed_at, &ok);
	gg_api_set_id(o, "confirmed_by", p->confirmed_by, &ok);
	gg_api_set_time(o, "entered_at", p->entered_at, &ok);
	gg_api_set_id(o, "entered_by", p->entered_by, &ok);
	if (ok) {
		ok = gg_json_set(o, "allowed_actions", a) == GG_OK;
		a = NULL;
	}
	gg_json_free(a);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* The plan of the path when the caller may see it (the bureau, or the plan's talent); 404 otherwise. */
static enum gg_err visible_plan(struct gg_req *req, int64_t *plan, struct gg_error *err)
{
	int64_t talent = 0, owner = 0;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", plan, err)) != GG_OK)
		return rc;
	if ((rc = gg_payee_plan_talent(gg_req_db(req), *plan, &owner, err)) != GG_OK)
		return rc;
	if (bureau_view(gg_req_principal(req), &talent) ||
	    gg_principal_can(gg_req_principal(req), GG_PERM_payees_write))
		return GG_OK;
	if (talent > 0 && talent == owner)
		return GG_OK;
	gg_error_init(err);
	return gg_error_set(err, GG_E_NOT_FOUND, "unknown plan %lld", (long long)*plan);
}

/*
 * The payee of plan, masked; unmasked (account_no, audited as
 * payee.reveal) only when reveal is asked and the caller holds
 * payments_approve.
 */
static enum gg_err answer_payee(struct gg_req *req, int64_t plan, int reveal, struct gg_error *err)
{
	const struct gg_principal *pr = gg_req_principal(req);
	struct gg_payee p;
	struct gg_json *body;
	char account[GG_PAYEE_ACCOUNT_MAX + 1];
	int unmasked = reveal && gg_principal_can(pr, GG_PERM_payments_approve);
	enum gg_err rc;

	if ((rc = gg_payee_get(gg_req_db(req), plan, &p, err)) != GG_OK)
		return rc;
	if (unmasked) {
		struct gg_actor actor;

		gg_api_actor(req, &actor);
		if ((rc =
		         gg_payee_reveal(gg_req_db(req), gg_req_keys(req), &actor, plan, account, sizeof account, err)))
			return rc;
	}
	body = payee_json(pr, &p, unmasked ? account : NULL);
	memset(account, 0, sizeof account);
	if (!body)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	return gg_resp_json(req, 200, body);
}

enum gg_err api_payee_get(struct gg_req *req, struct gg_error *err)
{
	const char *q = gg_req_query(req, "reveal");
	int64_t plan;
	int reveal = q != NULL && strcmp(q, "true") == 0;
	enum gg_err rc;

	if (q != NULL && !reveal && strcmp(q, "false") != 0)
		return gg_error_field(err, GG_E_INVALID, "reveal", "reveal is true or false");

	if ((rc = visible_plan(req, &plan, err)) != GG_OK)
		return rc;
	return answer_payee(req, plan, reveal, err);
}

enum gg_err api_payee_put(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "payee_name", .want = GG_WANT_STRING, .required = 1, .max_len = TEXT_JSON_MAX, .allow_empty = 1},
	    {.name = "bank", .want = GG_WANT_STRING, .required = 1, .max_len = TEXT_JSON_MAX, .allow_empty = 1},
	    {.name = "account_no", .want = GG_WANT_STRING, .required = 1, .max_len = 64, .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_actor actor;
	int64_t plan, id = 0;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &plan, err)) != GG_OK)
		return rc;
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	if (!gg_req_keys(req))
		return gg_error_set(err, GG_E_INTERNAL, "the server has no personal-data keys");
	gg_api_actor(req, &actor);
	if ((rc = gg_payee_set(gg_req_db(req), gg_req_keys(req), &actor, plan,
	                       gg_json_str(gg_json_get(b, "payee_name")), gg_json_str(gg_json_get(b, "bank")),
	                       gg_json_str(gg_json_get(b, "account_no")), &id, err)) != GG_OK)
		return rc;
	return answer_payee(req, plan, 0, err);
}

enum gg_err api_payee_confirm(struct gg_req *req, struct gg_error *err)
{
	struct gg_actor actor;
	int64_t plan, talent = 0, owner = 0;
	enum gg_err rc;

	bureau_view(gg_req_principal(req), &talent);
	if (talent == 0)
		return gg_error_set(err, GG_E_FORBIDDEN, "only the talent of a plan confirms its payee account");
	if ((rc = gg_req_param_id(req, "id", &plan, err)) != GG_OK)
		return rc;
	if ((rc = gg_payee_plan_talent(gg_req_db(req), plan, &owner, err)) != GG_OK)
		return rc;
	if (owner != talent)
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown plan %lld", (long long)plan);
	gg_api_actor(req, &actor);
	if ((rc = gg_payee_confirm(gg_req_db(req), &actor, plan, err)) != GG_OK)
		return rc;
	return answer_payee(req, plan, 0, err);
}

/* Payment runs. */

static struct gg_json *payment_json(const struct gg_payment *p, int with_trace)
{
	struct gg_json *o = gg_json_object(), *inst = gg_json_object(), *payee = gg_json_object();
	char mask[16];
	int ok = o && inst && payee;

	gg_payee_mask(p->last4, mask, sizeof mask);
	ok = ok && gg_json_set_int(inst, "id", p->installment_id) == GG_OK &&
	     gg_json_set_int(inst, "year", p->year) == GG_OK && gg_json_set_str(inst, "due_on", p->due_on) == GG_OK;
	ok = ok && gg_json_set_str(payee, "name", p->payee_name) == GG_OK &&
	     gg_json_set_str(payee, "bank", p->bank) == GG_OK && gg_json_set_str(payee, "account", mask) == GG_OK;
	ok = ok && gg_json_set_int(o, "id", p->id) == GG_OK;
	ok = ok && gg_json_set_int(o, "run_id", p->run_id) == GG_OK;
	ok = ok && gg_json_set_str(o, "reference", p->reference) == GG_OK;
	if (ok) {
		ok = gg_json_set(o, "installment", inst) == GG_OK;
		inst = NULL;
		ok = gg_json_set(o, "payee", payee) == GG_OK && ok;
		payee = NULL;
	}
	ok = ok && gg_json_set_int(o, "plan_id", p->plan_id) == GG_OK;
	ok = ok && gg_json_set(o, "talent", gg_api_ref_json(p->talent_id, p->talent_name)) == GG_OK;
	gg_api_set_id(o, "verification_id", p->verification_id, &ok);
	ok = ok && gg_json_set_int(o, "amount_fen", p->amount_fen) == GG_OK;
	ok = ok && gg_json_set_str(o, "status", p->status) == GG_OK;
	ok = ok && (p->bank_txn_id[0] ? gg_json_set_str(o, "bank_txn_id", p->bank_txn_id)
	                              : gg_json_set_null(o, "bank_txn_id")) == GG_OK;
	ok = ok && (p->settled_on[0] ? gg_json_set_str(o, "settled_on", p->settled_on)
	                             : gg_json_set_null(o, "settled_on")) == GG_OK;
	ok = ok && (p->reason ? gg_json_set_str(o, "reason", p->reason) : gg_json_set_null(o, "reason")) == GG_OK;
	if (with_trace)
		ok = ok && gg_json_set(o, "trace", gg_api_lines_json(p->trace)) == GG_OK;
	gg_api_set_time(o, "created_at", p->created_at, &ok);
	gg_api_set_time(o, "updated_at", p->updated_at, &ok);
	gg_json_free(inst);
	gg_json_free(payee);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

static struct gg_json *run_actions(const struct gg_principal *pr, const struct gg_payrun *r)
{
	struct gg_json *a = gg_json_array();
	int ok = a != NULL, fin = gg_principal_can(pr, GG_PERM_payments_approve);

	if (ok && fin && strcmp(r->status, "proposed") == 0 && pr->user_id != r->proposed_by)
		ok = gg_json_append(a, gg_json_string("approve")) == GG_OK &&
		     gg_json_append(a, gg_json_string("reject")) == GG_OK;
	if (ok && fin && (strcmp(r->status, "approved") == 0 || strcmp(r->status, "closed") == 0))
		ok = gg_json_append(a, gg_json_string("bank_file")) == GG_OK &&
		     gg_json_append(a, gg_json_string("bank_result")) == GG_OK;
	if (!ok) {
		gg_json_free(a);
		return NULL;
	}
	return a;
}

static struct gg_json *run_json(const struct gg_principal *pr, const struct gg_payrun *r, int payments, int traces)
{
	struct gg_json *o = gg_json_object(), *totals = gg_json_object();
	int ok = o && totals;

	ok = ok && gg_json_set_int(o, "id", r->id) == GG_OK;
	ok = ok && gg_json_set_int(o, "period", r->period) == GG_OK;
	ok = ok && gg_json_set_str(o, "status", r->status) == GG_OK;
	gg_api_set_ref(o, "proposed_by", r->proposed_by, r->proposer, &ok);
	gg_api_set_time(o, "proposed_at", r->proposed_at, &ok);
	gg_api_set_ref(o, "decided_by", r->decided_by, r->decider, &ok);
	gg_api_set_time(o, "decided_at", r->decided_at, &ok);
	ok = ok && (r->reason ? gg_json_set_str(o, "reason", r->reason) : gg_json_set_null(o, "reason")) == GG_OK;
	ok = ok && gg_json_set_int(o, "total_fen", r->total_fen) == GG_OK;
	ok = ok && gg_json_set_int(o, "payments_count", r->npayments) == GG_OK;
	ok = ok && gg_json_set_int(totals, "paid_fen", r->paid_fen) == GG_OK &&
	     gg_json_set_int(totals, "failed_fen", r->failed_fen) == GG_OK &&
	     gg_json_set_int(totals, "returned_fen", r->returned_fen) == GG_OK &&
	     gg_json_set_int(totals, "pending_fen", r->pending_fen) == GG_OK;
	if (ok) {
		ok = gg_json_set(o, "totals", totals) == GG_OK;
		totals = NULL;
	}
	ok = ok && gg_json_set_int(o, "version", r->version) == GG_OK;
	ok = ok && gg_json_set(o, "allowed_actions", run_actions(pr, r)) == GG_OK;
	if (ok && payments) {
		struct gg_json *list = gg_json_array();

		ok = list != NULL;
		for (size_t i = 0; ok && i < r->n; i++)
			ok = gg_json_append(list, payment_json(&r->payments[i], traces)) == GG_OK;
		ok = gg_json_set(o, "payments", list) == GG_OK && ok;
	}
	gg_json_free(totals);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* Answers status with run id as it is now (ETag; Location for 201); extra: a member to add (taken), or NULL. */
static enum gg_err answer_run(struct gg_req *req, int status, int64_t id, int traces, const char *extra_name,
                              struct gg_json *extra, struct gg_error *err)
{
	struct gg_payrun *r = NULL;
	struct gg_json *body;
	char location[64];
	enum gg_err rc;

	if ((rc = gg_payrun_get(gg_req_db(req), id, &r, err)) != GG_OK) {
		gg_json_free(extra);
		return rc;
	}
	body = run_json(gg_req_principal(req), r, 1, traces);
	rc = body ? gg_resp_etag(req, r->version) : GG_E_NOMEM;
	gg_payrun_free(r);
	if (rc == GG_OK && extra_name) {
		rc = gg_json_set(body, extra_name, extra);
		extra = NULL;
	}
	if (rc == GG_OK && status == 201) {
		snprintf(location, sizeof location, "/api/v1/payment-runs/%lld", (long long)id);
		rc = gg_resp_header(req, "Location", location);
	}
	gg_json_free(extra);
	if (rc != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, status, body);
}

static struct gg_json *skipped_json(const struct gg_payrun_proposal *p)
{
	struct gg_json *a = gg_json_array();
	int ok = a != NULL;

	for (size_t i = 0; ok && i < p->nskipped; i++) {
		struct gg_json *s = gg_json_object();

		ok = s && gg_json_set_int(s, "installment_id", p->skipped[i].installment_id) == GG_OK &&
		     gg_json_set_int(s, "plan_id", p->skipped[i].plan_id) == GG_OK &&
		     gg_json_set_int(s, "talent_id", p->skipped[i].talent_id) == GG_OK &&
		     gg_json_set_int(s, "year", p->skipped[i].year) == GG_OK &&
		     gg_json_set_str(s, "why", p->skipped[i].why) == GG_OK;
		ok = gg_json_append(a, s) == GG_OK && ok;
	}
	if (!ok) {
		gg_json_free(a);
		return NULL;
	}
	return a;
}

enum gg_err api_payruns_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_payrun_query q;
	struct gg_payrun *v = NULL;
	struct gg_json *items;
	const char *s;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	if ((rc = bureau_only(req, err)) != GG_OK)
		return rc;
	memset(&q, 0, sizeof q);
	if ((rc = gg_req_page(req, &q.limit, &q.before_id, err)) != GG_OK)
		return rc;
	if ((s = gg_req_query(req, "period")) != NULL) {
		if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
			return gg_error_field(err, GG_E_INVALID, "period", "period is a year YYYY");
		q.period = atoi(s);
	}
	if ((s = gg_req_query(req, "status")) != NULL) {
		if (strcmp(s, "proposed") && strcmp(s, "approved") && strcmp(s, "rejected") && strcmp(s, "closed"))
			return gg_error_field(err, GG_E_INVALID, "status",
			                      "status must be proposed, approved, rejected or closed");
		q.status = s;
	}
	if ((rc = gg_payrun_list(gg_req_db(req), &q, &v, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok = gg_json_append(items, run_json(gg_req_principal(req), &v[i], 0, 0)) == GG_OK;
	rc = ok ? gg_resp_list(req, items, more && n > 0, n > 0 ? v[n - 1].id : 0, err)
	        : (gg_json_free(items), gg_error_set(err, GG_E_NOMEM, NULL));
	gg_payrun_list_free(v, n);
	return rc;
}

enum gg_err api_payruns_create(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "period", .want = GG_WANT_INT, .required = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_payrun_proposal p;
	struct gg_actor actor;
	int64_t today = 0;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	if ((rc = gg_clock_today(&today, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	rc = gg_payrun_propose(gg_req_db(req), &actor, gg_json_intv(gg_json_get(b, "period")), today, &p, err);
	if (rc == GG_E_RULE && p.nskipped > 0) {
		rc = refused(req, err, "skipped", skipped_json(&p), err);
	} else if (rc == GG_OK) {
		rc = answer_run(req, p.created ? 201 : 200, p.run_id, 0, "skipped", skipped_json(&p), err);
	}
	gg_payrun_proposal_release(&p);
	return rc;
}

enum gg_err api_payruns_get(struct gg_req *req, struct gg_error *err)
{
	int64_t id;
	enum gg_err rc;

	if ((rc = bureau_only(req, err)) != GG_OK || (rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	return answer_run(req, 200, id, 0, NULL, NULL, err);
}

enum gg_err api_payruns_sheet(struct gg_req *req, struct gg_error *err)
{
	int64_t id;
	enum gg_err rc;

	if ((rc = bureau_only(req, err)) != GG_OK || (rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	return answer_run(req, 200, id, 1, NULL, NULL, err);
}

/* The optional If-Match of a decision: *version 0 when absent. */
static enum gg_err optional_if_match(struct gg_req *req, int64_t id, int64_t *version, struct gg_error *err)
{
	*version = 0;
	if (gg_req_header(req, "If-Match") == NULL)
		return GG_OK;
	return gg_req_if_match(req, "payment run", id, 0, version, err);
}

enum gg_err api_payruns_approve(struct gg_req *req, struct gg_error *err)
{
	struct gg_actor actor;
	int64_t id, version;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK || (rc = optional_if_match(req, id, &version, err)))
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_payrun_approve(gg_req_db(req), &actor, id, version, err)) != GG_OK)
		return rc;
	return answer_run(req, 200, id, 0, NULL, NULL, err);
}

enum gg_err api_payruns_reject(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "reason", .want = GG_WANT_STRING, .required = 1, .max_len = REASON_JSON_MAX, .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_actor actor;
	int64_t id, version;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK || (rc = optional_if_match(req, id, &version, err)))
		return rc;
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	gg_api_actor(req, &actor);
	if ((rc = gg_payrun_reject(gg_req_db(req), &actor, id, gg_json_str(gg_json_get(b, "reason")), version, err)))
		return rc;
	return answer_run(req, 200, id, 0, NULL, NULL, err);
}

enum gg_err api_payruns_bank_file(struct gg_req *req, struct gg_error *err)
{
	const char *format = gg_req_query(req, "format");
	enum gg_payrun_format f = GG_PAYRUN_CSV;
	struct gg_actor actor;
	struct gg_buf out;
	char name[64];
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if (format && strcmp(format, "xlsx") == 0)
		f = GG_PAYRUN_XLSX;
	else if (format && strcmp(format, "csv") != 0)
		return gg_error_field(err, GG_E_INVALID, "format", "format must be csv or xlsx");
	if (!gg_req_keys(req))
		return gg_error_set(err, GG_E_INTERNAL, "the server has no personal-data keys");
	gg_api_actor(req, &actor);
	gg_buf_init(&out, BANK_FILE_MAX);
	rc = gg_payrun_bank_file(gg_req_db(req), gg_req_keys(req), &actor, id, f, &out, err);
	if (rc == GG_OK) {
		snprintf(name, sizeof name, "payment-run-%lld.%s", (long long)id, f == GG_PAYRUN_XLSX ? "xlsx" : "csv");
		rc = gg_resp_attachment(req,
		                        f == GG_PAYRUN_XLSX
		                            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		                            : "text/csv; charset=utf-8",
		                        name, out.buf, out.len);
		if (rc != GG_OK)
			rc = gg_error_set(err, rc, NULL);
	}
	if (out.alloc)
		memset(out.buf, 0, out.len);
	gg_buf_release(&out);
	return rc;
}

static struct gg_json *row_errors_json(const struct gg_payrun_result *res)
{
	struct gg_json *a = gg_json_array();
	int ok = a != NULL;

	for (size_t i = 0; ok && i < res->nerrors; i++) {
		struct gg_json *e = gg_json_object();

		ok = e && gg_json_set_int(e, "line", (int64_t)res->errors[i].line) == GG_OK &&
		     gg_json_set_str(e, "reference", res->errors[i].reference) == GG_OK &&
		     gg_json_set_str(e, "reason", res->errors[i].reason) == GG_OK;
		ok = gg_json_append(a, e) == GG_OK && ok;
	}
	if (!ok) {
		gg_json_free(a);
		return NULL;
	}
	return a;
}

enum gg_err api_payruns_bank_result(struct gg_req *req, struct gg_error *err)
{
	struct gg_multipart *mp = NULL;
	const struct gg_multipart_part *file;
	struct gg_payrun_result res;
	struct gg_actor actor;
	struct gg_json *body;
	int64_t id;
	int ok;
	enum gg_err rc;

	memset(&res, 0, sizeof res);
	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	if ((rc = gg_req_multipart(req, &mp, err)) != GG_OK)
		return rc;
	if (!(file = gg_multipart_get(mp, "file"))) {
		rc = gg_error_field(err, GG_E_INVALID, "file", "a part named 'file' with the bank's CSV is required");
		goto out;
	}
	gg_api_actor(req, &actor);
	rc = gg_payrun_bank_result(gg_req_db(req), &actor, id, file->filename, file->data, file->len, &res, err);
	if (rc == GG_E_RULE) {
		rc = refused(req, err, "rows", row_errors_json(&res), err);
		goto out;
	}
	if (rc != GG_OK)
		goto out;
	body = gg_json_object();
	ok = body != NULL;
	ok = ok && gg_json_set_bool(body, "already_applied", res.already) == GG_OK;
	ok = ok && gg_json_set_str(body, "detail",
	                           res.already ? "already applied: this file was imported before, nothing changed"
	                                       : "applied") == GG_OK;
	ok = ok && gg_json_set_int(body, "rows", (int64_t)res.rows) == GG_OK;
	ok = ok && gg_json_set_int(body, "paid", (int64_t)res.paid) == GG_OK;
	ok = ok && gg_json_set_int(body, "failed", (int64_t)res.failed) == GG_OK;
	ok = ok && gg_json_set_int(body, "returned", (int64_t)res.returned) == GG_OK;
	ok = ok && gg_json_set_bool(body, "closed", res.closed) == GG_OK;
	if (!ok) {
		gg_json_free(body);
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = gg_resp_json(req, 200, body);
out:
	gg_payrun_result_release(&res);
	free(mp);
	return rc;
}

enum gg_err api_payments_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_payment_query q;
	struct gg_payment *v = NULL;
	struct gg_json *items;
	const char *s;
	int64_t talent = 0;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	memset(&q, 0, sizeof q);
	if ((rc = gg_req_page(req, &q.limit, &q.before_id, err)) != GG_OK)
		return rc;
	gg_req_query_id(req, "talent", &q.talent_id, err);
	gg_req_query_id(req, "plan", &q.plan_id, err);
	gg_req_query_id(req, "run", &q.run_id, err);
	if ((s = gg_req_query(req, "status")) != NULL) {
		static const char *const st[] = {"proposed", "approved", "paid", "failed", "returned", "cancelled"};
		size_t i;

		for (i = 0; i < sizeof st / sizeof st[0] && strcmp(s, st[i]) != 0; i++)
			;
		if (i == sizeof st / sizeof st[0])
			gg_error_field(err, GG_E_INVALID, "status",
			               "status must be proposed, approved, paid, failed, returned or cancelled");
		q.status = s;
	}
	if (err->code != GG_OK)
		return err->code;
	if (!bureau_view(gg_req_principal(req), &talent)) {
		if (talent == 0 || (q.talent_id && q.talent_id != talent))
			return gg_resp_list(req, gg_json_array(), 0, 0, err); /* nothing of others' is visible */
		q.talent_id = talent;
	}
	if ((rc = gg_payment_list(gg_req_db(req), &q, &v, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok = gg_json_append(items, payment_json(&v[i], 0)) == GG_OK;
	rc = ok ? gg_resp_list(req, items, more && n > 0, n > 0 ? v[n - 1].id : 0, err)
	        : (gg_json_free(items), gg_error_set(err, GG_E_NOMEM, NULL));
	gg_payment_list_free(v, n);
	return rc;
}

enum gg_err api_payments_clawback(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "amount", .want = GG_WANT_STRING, .required = 1, .max_len = 32, .allow_empty = 1},
	    {.name = "reason", .want = GG_WANT_STRING, .required = 1, .max_len = REASON_JSON_MAX, .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_actor actor;
	struct gg_json *o;
	int64_t payment, fen = 0, id = 0;
	int ok;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &payment, err)) != GG_OK)
		return rc;
	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	{
		struct gg_error merr;

		gg_error_init(&merr);
		if (gg_money_parse(gg_json_str(gg_json_get(b, "amount")), &fen, &merr) != GG_OK)
			return gg_error_field(err, GG_E_INVALID, "amount", "%s", gg_error_message(&merr));
	}
	gg_api_actor(req, &actor);
	if ((rc = gg_payrun_clawback(gg_req_db(req), &actor, payment, fen, gg_json_str(gg_json_get(b, "reason")), &id,
	                             err)) != GG_OK)
		return rc;
	o = gg_json_object();
	ok = o != NULL;
	ok = ok && gg_json_set_int(o, "id", id) == GG_OK;
	ok = ok && gg_json_set_int(o, "payment_id", payment) == GG_OK;
	ok = ok && gg_json_set_int(o, "amount_fen", fen) == GG_OK;
	ok = ok && gg_json_set_str(o, "reason", gg_json_str(gg_json_get(b, "reason"))) == GG_OK;
	gg_api_set_id(o, "created_by", actor.id, &ok);
	if (!ok) {
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 201, o);
}
