/*
 * api_verifications: the annual verification of installments over HTTP
 * (verification.h, docs/verification.md). GET /api/v1/verifications
 * (?status=, ?overdue=true, ?org=, ?talent=, ?year= of the due day;
 * scoped: an employer its organisation's, a talent its own), GET
 * /api/v1/verifications/{id} (ETag), POST .../{id}/submit ({employed,
 * end_on?, salary_paid (a decimal string of yuan), tax_record_no}),
 * POST .../{id}/files (multipart: kind, file), POST .../{id}/accept,
 * POST .../{id}/return and .../{id}/lapse ({reason}), POST
 * /api/v1/verifications/open-due ({opened}); If-Match is optional on
 * the actions and checked when sent. GET /api/v1/files/{id} streams a
 * stored file back to whoever may read the verification it belongs to,
 * after checking its checksum. Another organisation's or talent's
 * verification is 404, as an unknown one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"
#include "../domain/verification.h"
#include "api.h"
#include "multipart.h"

static struct gg_json *file_json(const struct gg_verification_file *vf)
{
	struct gg_json *o = gg_json_object();
	int ok = o != NULL;

	ok = ok && gg_json_set_int(o, "id", vf->f.id) == GG_OK && gg_json_set_str(o, "kind", vf->kind) == GG_OK &&
	     gg_json_set_str(o, "name", vf->f.name) == GG_OK && gg_json_set_int(o, "size", vf->f.size) == GG_OK &&
	     gg_json_set_str(o, "content_type", vf->f.content_type) == GG_OK &&
	     gg_json_set_str(o, "sha256", vf->f.sha256) == GG_OK;
	gg_api_set_time(o, "created_at", vf->f.created_at, &ok);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

static struct gg_json *ver_json(const struct gg_verification *v, const struct gg_principal *pr)
{
	struct gg_json *o = gg_json_object(), *inst = gg_json_object(), *plan = gg_json_object(),
	               *files = gg_json_array(), *actions = gg_json_array();
	unsigned allowed = gg_verification_allowed_actions(v, pr);
	int ok = o && inst && plan && files && actions;

	if (!ok) {
		gg_json_free(o);
		gg_json_free(inst);
		gg_json_free(plan);
		gg_json_free(files);
		gg_json_free(actions);
		return NULL;
	}
	ok &= gg_json_set_int(inst, "id", v->installment_id) == GG_OK;
	ok &= gg_json_set_int(inst, "year", v->year) == GG_OK;
	ok &= gg_json_set_str(inst, "due_on", v->due_on) == GG_OK;
	ok &= gg_json_set_int(inst, "base_fen", v->base_fen) == GG_OK;
	ok &= gg_json_set_int(inst, "amount_fen", v->planned_fen) == GG_OK;
	ok &= gg_json_set_str(inst, "status", v->inst_status) == GG_OK;
	ok &= gg_json_set_int(plan, "id", v->plan_id) == GG_OK;
	ok &= gg_json_set_str(plan, "kind", v->plan_kind) == GG_OK;
	ok &= gg_json_set_int(plan, "contract_fen", v->contract_fen) == GG_OK;
	ok &= gg_json_set_str(plan, "pack", v->pack) == GG_OK;
	ok &= gg_json_set_str(plan, "version", v->policy_version) == GG_OK;
	for (size_t i = 0; i < v->nfiles; i++)
		ok &= gg_json_append(files, file_json(&v->files[i])) == GG_OK;
	for (int a = 0; a < GG_VERA__COUNT; a++)
		if (allowed & (1u << a))
			ok &= gg_json_append(actions, gg_json_string(gg_ver_action_token((enum gg_ver_action)a))) ==
			      GG_OK;
	ok &= gg_json_set_int(o, "id", v->id) == GG_OK;
	ok &= gg_json_set_str(o, "status", gg_ver_status_token(v->status)) == GG_OK;
	ok &= gg_json_set_bool(o, "overdue", v->overdue) == GG_OK;
	ok &= gg_json_set_str(o, "deadline_on", v->deadline_on) == GG_OK;
	ok &= gg_json_set(o, "installment", inst) == GG_OK;
	ok &= gg_json_set(o, "plan", plan) == GG_OK;
	gg_api_set_ref(o, "talent", v->talent_id, v->talent_name, &ok);
	gg_api_set_ref(o, "org", v->org_id, v->org_name, &ok);
	ok &=
	    (v->employed < 0 ? gg_json_set_null(o, "employed") : gg_json_set_bool(o, "employed", v->employed)) == GG_OK;
	ok &= gg_json_set_str(o, "end_on", v->end_on[0] ? v->end_on : NULL) == GG_OK;
	ok &= (v->salary_paid_fen < 0 ? gg_json_set_null(o, "salary_paid_fen")
	                              : gg_json_set_int(o, "salary_paid_fen", v->salary_paid_fen)) == GG_OK;
	ok &= gg_json_set_str(o, "tax_record_no", v->tax_record_no) == GG_OK;
	ok &= gg_json_set(o, "files", files) == GG_OK;
	ok &= (v->amount_fen < 0 ? gg_json_set_null(o, "amount_fen")
	                         : gg_json_set_int(o, "amount_fen", v->amount_fen)) == GG_OK;
	ok &= gg_json_set(o, "trace", v->trace ? gg_api_lines_json(v->trace) : gg_json_null()) == GG_OK;
	ok &= gg_json_set_str(o, "reason", v->reason) == GG_OK;
	gg_api_set_ref(o, "submitted_by", v->submitted_by, v->submitted_by_name, &ok);
	gg_api_set_time(o, "submitted_at", v->submitted_at, &ok);
	gg_api_set_ref(o, "decided_by", v->decided_by, v->decided_by_name, &ok);
	gg_api_set_time(o, "decided_at", v->decided_at, &ok);
	ok &= gg_json_set_int(o, "version", v->version) == GG_OK;
	ok &= gg_json_set(o, "allowed_actions", actions) == GG_OK;
	gg_api_set_time(o, "created_at", v->created_at, &ok);
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* Verification id if the caller may read it (else 404 as for an unknown one). */
static enum gg_err visible(struct gg_req *req, int64_t id, struct gg_verification **v, struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_verification_get(gg_req_db(req), id, v, err)) != GG_OK)
		return rc;
	if (!gg_verification_may_read(gg_req_principal(req), (*v)->org_id, (*v)->talent_id)) {
		gg_verification_free(*v);
		*v = NULL;
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown verification %lld", (long long)id);
	}
	return GG_OK;
}

static enum gg_err answer(struct gg_req *req, int status, int64_t id, struct gg_error *err)
{
	struct gg_verification *v = NULL;
	struct gg_json *body;
	enum gg_err rc;

	if ((rc = visible(req, id, &v, err)) != GG_OK)
		return rc;
	body = ver_json(v, gg_req_principal(req));
	rc = gg_resp_etag(req, v->version);
	gg_verification_free(v);
	if (!body || rc != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, status, body);
}

enum gg_err api_verifications_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_verification_query q;
	struct gg_verification **v = NULL;
	struct gg_json *items;
	const char *s;
	size_t n = 0;
	int more = 0, ok;
	long long year = 0;
	enum gg_err rc;

	memset(&q, 0, sizeof q);
	q.status = -1;
	if ((rc = gg_req_page(req, &q.limit, &q.after_id, err)) != GG_OK)
		return rc;
	if ((s = gg_req_query(req, "status")) != NULL && (q.status = gg_ver_status_lookup(s)) < 0)
		gg_error_field(err, GG_E_INVALID, "status",
		               "unknown status '%.32s' (open, submitted, accepted, returned, lapsed)", s);
	if ((s = gg_req_query(req, "overdue")) != NULL) {
		if (strcmp(s, "true") == 0)
			q.overdue = 1;
		else if (strcmp(s, "false") != 0)
			gg_error_field(err, GG_E_INVALID, "overdue", "overdue is true or false");
	}
	if ((s = gg_req_query(req, "year")) != NULL) {
		if (gg_parse_i64(s, 2000, 9999, &year) != GG_OK)
			gg_error_field(err, GG_E_INVALID, "year", "year is a year 2000 to 9999");
		q.year = (int)year;
	}
	gg_req_query_id(req, "org", &q.org_id, err);
	gg_req_query_id(req, "talent", &q.talent_id, err);
	if (err->code != GG_OK)
		return err->code;
	gg_verification_scope(gg_req_principal(req), &q);
	if ((rc = gg_verification_list(gg_req_db(req), &q, &v, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok &= gg_json_append(items, ver_json(v[i], gg_req_principal(req))) == GG_OK;
	int64_t last = n > 0 ? v[n - 1]->id : 0;
	gg_verification_list_free(v, n);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

enum gg_err api_verifications_get(struct gg_req *req, struct gg_error *err)
{
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

/* The id of the path, checked visible, and the If-Match version when sent (0: none). */
static enum gg_err prepare(struct gg_req *req, int64_t *id, int64_t *expected, struct gg_error *err)
{
	struct gg_verification *v = NULL;
	enum gg_err rc;

	*expected = 0;
	if ((rc = gg_req_param_id(req, "id", id, err)) != GG_OK || (rc = visible(req, *id, &v, err)) != GG_OK)
		return rc;
	if (gg_req_header(req, "If-Match"))
		rc = gg_req_if_match(req, "verification", *id, v->version, expected, err);
	gg_verification_free(v);
	return rc;
}

enum gg_err api_verifications_submit(struct gg_req *req, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "employed", .want = GG_WANT_BOOL, .required = 1},
	    {.name = "end_on", .want = GG_WANT_STRING, .max_len = 32, .nullable = 1},
	    {.name = "salary_paid", .want = GG_WANT_STRING, .required = 1, .max_len = GG_MONEY_TEXT_MAX},
	    {.name = "tax_record_no", .want = GG_WANT_STRING, .required = 1, .max_len = 4 * GG_VERIFICATION_TAX_MAX},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_verification_answer in = {0};
	struct gg_actor actor;
	struct gg_error one;
	int64_t id;
	enum gg_err rc;

	if (gg_json_check(b, fields, sizeof fields / sizeof fields[0], "", err) != GG_OK)
		return err->code;
	gg_error_init(&one);
	if (gg_money_parse(gg_json_str(gg_json_get(b, "salary_paid")), &in.salary_paid_fen, &one) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, "salary_paid", "salary_paid: %s", gg_error_message(&one));
	in.employed = gg_json_boolv(gg_json_get(b, "employed"));
	in.end_on = gg_json_str(gg_json_get(b, "end_on"));
	in.tax_record_no = gg_json_str(gg_json_get(b, "tax_record_no"));
	if ((rc = prepare(req, &id, &in.expected_version, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_verification_submit(gg_req_db(req), &actor, gg_req_principal(req), id, &in, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

static enum gg_err files_dir(struct gg_req *req, char *out, size_t outsz, struct gg_error *err)
{
	const struct gg_config *cfg = gg_req_config(req);

	return gg_file_dir(gg_config_str(cfg, GG_CFG_dir), gg_config_str(cfg, GG_CFG_files_dir), out, outsz, err);
}

enum gg_err api_verifications_upload(struct gg_req *req, struct gg_error *err)
{
	struct gg_multipart *mp = NULL;
	const struct gg_multipart_part *file, *kind;
	char dir[GG_FILE_PATH_MAX], kindbuf[32];
	struct gg_actor actor;
	struct gg_file stored;
	int64_t id, expected;
	enum gg_err rc;

	if ((rc = prepare(req, &id, &expected, err)) != GG_OK)
		return rc;
	if ((rc = gg_req_multipart(req, &mp, err)) != GG_OK)
		return rc;
	file = gg_multipart_get(mp, "file");
	kind = gg_multipart_get(mp, "kind");
	if (!kind || kind->len == 0 || kind->len >= sizeof kindbuf)
		gg_error_field(err, GG_E_INVALID, "kind",
		               "a part 'kind' (contract, tax_certificate or other) is required");
	if (!file || !file->has_filename)
		gg_error_field(err, GG_E_INVALID, "file", "a part 'file' with the file and its name is required");
	if ((rc = err->code) != GG_OK)
		goto out;
	memcpy(kindbuf, kind->data, kind->len);
	kindbuf[kind->len] = '\0';
	if ((rc = files_dir(req, dir, sizeof dir, err)) != GG_OK)
		goto out;
	gg_api_actor(req, &actor);
	rc = gg_verification_attach(gg_req_db(req), &actor, gg_req_principal(req), id, kindbuf, dir, file->filename,
	                            file->data, file->len, gg_config_int(gg_req_config(req), GG_CFG_upload_max_bytes),
	                            &stored, err);
	if (rc == GG_OK)
		rc = answer(req, 201, id, err);
out:
	free(mp);
	return rc;
}

enum gg_err api_verifications_accept(struct gg_req *req, struct gg_error *err)
{
	struct gg_actor actor;
	int64_t id, expected;
	enum gg_err rc;

	if ((rc = prepare(req, &id, &expected, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_verification_accept(gg_req_db(req), gg_req_policies(req), &actor, gg_req_principal(req), id,
	                                 expected, err)) != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

/* return and lapse: {reason}. */
static enum gg_err with_reason(struct gg_req *req, int lapse, struct gg_error *err)
{
	static const struct gg_json_field fields[] = {
	    {.name = "reason",
	     .want = GG_WANT_STRING,
	     .max_len = 4 * GG_VERIFICATION_REASON_MAX,
	     .nullable = 1,
	     .allow_empty = 1},
	};
	const struct gg_json *b = gg_req_body(req);
	struct gg_actor actor;
	const char *reason;
	int64_t id, expected;
	enum gg_err rc;

	if (gg_json_check(b, fields, 1, "", err) != GG_OK)
		return err->code;
	reason = gg_json_str(gg_json_get(b, "reason"));
	if ((rc = prepare(req, &id, &expected, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	rc = lapse ? gg_verification_lapse(gg_req_db(req), &actor, gg_req_principal(req), id, reason, expected, err)
	           : gg_verification_return(gg_req_db(req), &actor, gg_req_principal(req), id, reason, expected, err);
	if (rc != GG_OK)
		return rc;
	return answer(req, 200, id, err);
}

enum gg_err api_verifications_return(struct gg_req *req, struct gg_error *err)
{
	return with_reason(req, 0, err);
}

enum gg_err api_verifications_lapse(struct gg_req *req, struct gg_error *err)
{
	return with_reason(req, 1, err);
}

enum gg_err api_verifications_open_due(struct gg_req *req, struct gg_error *err)
{
	struct gg_actor actor;
	struct gg_json *o;
	int64_t today, opened = 0;
	enum gg_err rc;

	if ((rc = gg_clock_today(&today, err)) != GG_OK)
		return rc;
	gg_api_actor(req, &actor);
	if ((rc = gg_verification_open_due(gg_req_db(req), &actor, today,
	                                   (int)gg_config_int(gg_req_config(req), GG_CFG_verification_days), &opened,
	                                   err)) != GG_OK)
		return rc;
	if ((o = gg_json_object()) == NULL || gg_json_set_int(o, "opened", opened) != GG_OK) {
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}

enum gg_err api_files_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_file f;
	char dir[GG_FILE_PATH_MAX], *data = NULL;
	size_t len = 0;
	int64_t id;
	enum gg_err rc;

	if ((rc = gg_req_param_id(req, "id", &id, err)) != GG_OK ||
	    (rc = gg_verification_file_visible(gg_req_db(req), gg_req_principal(req), id, err)) != GG_OK ||
	    (rc = gg_file_get(gg_req_db(req), id, &f, err)) != GG_OK ||
	    (rc = files_dir(req, dir, sizeof dir, err)) != GG_OK)
		return rc;
	if ((rc = gg_file_read(dir, &f, &data, &len, err)) != GG_OK)
		return rc;
	rc = gg_resp_attachment(req, f.content_type, f.name, data, len);
	free(data);
	return rc == GG_OK ? GG_OK : gg_error_set(err, rc, NULL);
}
