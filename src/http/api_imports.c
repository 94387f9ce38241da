/*
 * api_imports: POST /api/v1/imports/talents and /api/v1/imports/orgs.
 * The body is multipart/form-data (the router has checked the type and
 * the size, up to max_upload_bytes) with a part "file" holding the CSV
 * and an optional part "skip_invalid" ("true" or "false"). The import
 * module does the work; the answer is 200 with the counts and the
 * problems ({"rows","created","updated","unchanged","invalid","errors":
 * [{"line","column","reason"}],"report"}), or, when rows were invalid
 * without skip_invalid, 422 rule_refused problem+json carrying the same
 * members (nothing was written). A workbook is 415 with the advice to
 * save it as CSV; a file that cannot be read as a whole is 400 on field
 * "file".
 */
#include <stdlib.h>
#include <string.h>

#include "../domain/import.h"
#include "api.h"
#include "multipart.h"

#define JSON_ERRORS_MAX 1000                /* errors listed in the answer; the report has them all */
#define REPORT_MAX      (64u * 1024 * 1024) /* bytes of the report in the answer */

/* The import's counts, errors and report as members of o. */
static int result_members(struct gg_json *o, const struct gg_import_result *res)
{
	struct gg_json *errors = gg_json_array();
	struct gg_buf report;
	size_t i;
	int ok = errors != NULL;

	for (i = 0; ok && i < res->nerrors && i < JSON_ERRORS_MAX; i++) {
		struct gg_json *e = gg_json_object();
		ok = e != NULL;
		if (ok && res->errors[i].line)
			ok = gg_json_set_int(e, "line", (int64_t)res->errors[i].line) == GG_OK;
		else if (ok)
			ok = gg_json_set_null(e, "line") == GG_OK;
		ok = ok && gg_json_set_str(e, "column", res->errors[i].column) == GG_OK &&
		     gg_json_set_str(e, "reason", res->errors[i].reason) == GG_OK;
		if (!ok || gg_json_append(errors, e) != GG_OK) {
			gg_json_free(e);
			ok = 0;
		}
	}
	ok = ok && gg_json_set_int(o, "rows", res->rows) == GG_OK &&
	     gg_json_set_int(o, "created", res->created) == GG_OK &&
	     gg_json_set_int(o, "updated", res->updated) == GG_OK &&
	     gg_json_set_int(o, "unchanged", res->unchanged) == GG_OK &&
	     gg_json_set_int(o, "invalid", res->invalid) == GG_OK &&
	     gg_json_set_int(o, "errors_total", (int64_t)res->nerrors + res->errors_dropped) == GG_OK;
	if (ok) {
		ok = gg_json_set(o, "errors", errors) == GG_OK;
		errors = NULL;
	}
	gg_json_free(errors);
	if (!ok)
		return 0;
	if (res->nerrors == 0)
		return gg_json_set_null(o, "report") == GG_OK;
	gg_buf_init(&report, REPORT_MAX);
	ok = gg_import_report_csv(res, &report) == GG_OK && gg_json_set_str(o, "report", report.buf) == GG_OK;
	gg_buf_release(&report);
	return ok;
}

/* 422 problem+json with the import's members (the router's problem has no room for them). */
static enum gg_err refused(struct gg_req *req, const struct gg_import_result *res, const struct gg_error *why,
                           struct gg_error *err)
{
	struct gg_json *p = gg_json_object();
	char *text;
	size_t len = 0;
	enum gg_err rc;
	int ok = p != NULL;

	ok = ok && gg_json_set_str(p, "type", "about:blank") == GG_OK &&
	     gg_json_set_str(p, "title", gg_err_title(gg_err_status(GG_E_RULE))) == GG_OK &&
	     gg_json_set_int(p, "status", gg_err_status(GG_E_RULE)) == GG_OK &&
	     gg_json_set_str(p, "code", gg_err_code(GG_E_RULE)) == GG_OK &&
	     gg_json_set_str(p, "detail", gg_error_message(why)) == GG_OK &&
	     gg_json_set_str(p, "instance", gg_req_path(req)) == GG_OK &&
	     gg_json_set_str(p, "request_id", gg_req_id(req)) == GG_OK && result_members(p, res);
	text = ok ? gg_json_dump(p, &len) : NULL;
	gg_json_free(p);
	if (!text)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_resp_bytes(req, gg_err_status(GG_E_RULE), "application/problem+json", text, len);
	free(text);
	return rc == GG_OK ? GG_OK : gg_error_set(err, rc, NULL);
}

static enum gg_err run_import(struct gg_req *req, enum gg_export_sheet sheet, struct gg_error *err)
{
	struct gg_multipart *mp = NULL;
	const struct gg_multipart_part *file, *skip;
	struct gg_import_options opt;
	struct gg_import_result res;
	struct gg_actor actor;
	struct gg_json *body;
	enum gg_err rc;

	gg_import_result_init(&res);
	memset(&opt, 0, sizeof(opt));
	if ((rc = gg_req_multipart(req, &mp, err)) != GG_OK)
		return rc;
	file = gg_multipart_get(mp, "file");
	skip = gg_multipart_get(mp, "skip_invalid");
	if (!file) {
		rc = gg_error_field(err, GG_E_INVALID, "file", "a part named 'file' with the CSV file is required");
		goto out;
	}
	if (skip && skip->len == 4 && memcmp(skip->data, "true", 4) == 0) {
		opt.skip_invalid = 1;
	} else if (skip && !(skip->len == 5 && memcmp(skip->data, "false", 5) == 0)) {
		rc = gg_error_field(err, GG_E_INVALID, "skip_invalid", "skip_invalid must be true or false");
		goto out;
	}
	gg_api_actor(req, &actor);
	opt.sheet = sheet;
	opt.max_rows = gg_config_int(gg_req_config(req), GG_CFG_max_import_rows);
	opt.keys = gg_req_keys(req);
	opt.actor = &actor;
	if (!opt.keys) {
		rc = gg_error_set(err, GG_E_INTERNAL, "the server has no personal-data keys");
		goto out;
	}
	rc = gg_import_run(gg_req_db(req), &opt, file->data, file->len, &res, err);
	if (rc == GG_E_RULE) {
		rc = refused(req, &res, err, err);
		goto out;
	}
	if (rc == GG_E_INVALID && err->nfields == 0) {
		gg_error_field(err, rc, "file", "%s", gg_error_message(err));
		goto out;
	}
	if (rc != GG_OK)
		goto out;
	body = gg_json_object();
	if (!body || !result_members(body, &res)) {
		gg_json_free(body);
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	rc = gg_resp_json(req, 200, body);
out:
	gg_import_result_release(&res);
	free(mp);
	return rc;
}

enum gg_err api_imports_talents(struct gg_req *req, struct gg_error *err)
{
	return run_import(req, GG_EXPORT_TALENTS, err);
}

enum gg_err api_imports_orgs(struct gg_req *req, struct gg_error *err)
{
	return run_import(req, GG_EXPORT_ORGS, err);
}
