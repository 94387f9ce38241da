/*
 * api_tasks: the "my tasks" inbox over HTTP. GET /api/v1/tasks lists the
 * tasks the caller sees (task.h: by the permission of their kind, within
 * the caller's scope, or assigned to the caller) with the filters status,
 * kind and older_than_days and an opaque cursor; GET /api/v1/tasks/summary
 * counts the open ones per kind. Every account has an inbox (the route
 * needs a login only); days are counted in the `timezone` setting.
 */
#include <stdlib.h>
#include <string.h>

#include "../domain/task.h"
#include "api.h"

static struct gg_json *task_json(const struct gg_task *t)
{
	struct gg_json *o = gg_json_object();
	int ok = o != NULL;

	if (!o)
		return NULL;
	ok &= gg_json_set_int(o, "id", t->id) == GG_OK;
	ok &= gg_json_set_str(o, "kind", gg_task_kinds[t->kind].token) == GG_OK;
	ok &= gg_json_set_str(o, "status", t->closed_at ? "closed" : "open") == GG_OK;
	ok &= gg_json_set_str(o, "label", t->label) == GG_OK;
	ok &= gg_json_set_str(o, "link", t->link) == GG_OK;
	ok &= gg_json_set_str(o, "subject_type", gg_task_kinds[t->kind].subject) == GG_OK;
	ok &= gg_json_set_int(o, "subject_id", t->subject_id) == GG_OK;
	gg_api_set_time(o, "created_at", t->created_at, &ok);
	ok &= gg_json_set_int(o, "age_days", t->age_days) == GG_OK;
	ok &= gg_json_set_str(o, "due_on", t->due_on[0] ? t->due_on : NULL) == GG_OK;
	gg_api_set_time(o, "closed_at", t->closed_at, &ok);
	if (t->closed_by)
		ok &= gg_json_set_int(o, "closed_by", t->closed_by) == GG_OK;
	else
		ok &= gg_json_set_null(o, "closed_by") == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* The filters of GET /api/v1/tasks from the query string. */
static enum gg_err read_filter(struct gg_req *req, struct gg_task_filter *f, struct gg_error *err)
{
	const char *s;
	long long v;

	memset(f, 0, sizeof *f);
	f->kind = -1;
	f->older_than_days = -1;
	f->timezone = gg_config_str(gg_req_config(req), GG_CFG_timezone);
	if (gg_req_page(req, &f->limit, &f->after_id, err) != GG_OK)
		return err->code;
	if ((s = gg_req_query(req, "status")) != NULL) {
		if (strcmp(s, "open") != 0 && strcmp(s, "closed") != 0)
			return gg_error_field(err, GG_E_INVALID, "status", "status must be open or closed");
		f->closed = strcmp(s, "closed") == 0;
	}
	if ((s = gg_req_query(req, "kind")) != NULL && (f->kind = gg_task_kind_lookup(s)) < 0)
		return gg_error_field(err, GG_E_INVALID, "kind", "unknown task kind '%.64s'", s);
	if ((s = gg_req_query(req, "older_than_days")) != NULL) {
		if (gg_parse_i64(s, 0, GG_TASK_DAYS_MAX, &v) != GG_OK)
			return gg_error_field(err, GG_E_INVALID, "older_than_days",
			                      "older_than_days must be a whole number from 0 to %d", GG_TASK_DAYS_MAX);
		f->older_than_days = (int)v;
	}
	return GG_OK;
}

enum gg_err api_tasks_list(struct gg_req *req, struct gg_error *err)
{
	struct gg_task_filter f;
	struct gg_task *tasks = NULL;
	struct gg_json *items;
	int64_t last;
	size_t n = 0;
	int more = 0, ok;
	enum gg_err rc;

	if ((rc = read_filter(req, &f, err)) != GG_OK)
		return rc;
	if ((rc = gg_task_list(gg_req_db(req), gg_req_principal(req), &f, &tasks, &n, &more, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		struct gg_json *t = task_json(&tasks[i]);
		ok &= t && gg_json_append(items, t) == GG_OK;
	}
	last = n > 0 ? tasks[n - 1].id : 0;
	free(tasks);
	if (!ok) {
		gg_json_free(items);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_list(req, items, more && n > 0, last, err);
}

enum gg_err api_tasks_summary(struct gg_req *req, struct gg_error *err)
{
	struct gg_task_count counts[GG_TASK__COUNT];
	struct gg_json *body = gg_json_object(), *by = gg_json_array();
	int64_t open = 0;
	size_t n = 0;
	int ok = body && by;
	enum gg_err rc;

	if (!ok) {
		gg_json_free(body);
		gg_json_free(by);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	if ((rc = gg_task_summary(gg_req_db(req), gg_req_principal(req), counts, &n, &open, err)) != GG_OK) {
		gg_json_free(body);
		gg_json_free(by);
		return rc;
	}
	for (size_t i = 0; ok && i < n; i++) {
		struct gg_json *o = gg_json_object();
		ok = o && gg_json_set_str(o, "kind", gg_task_kinds[counts[i].kind].token) == GG_OK &&
		     gg_json_set_int(o, "count", counts[i].count) == GG_OK;
		if (ok)
			gg_api_set_time(o, "oldest_created_at", counts[i].oldest_created_at, &ok);
		ok = ok ? gg_json_append(by, o) == GG_OK : (gg_json_free(o), 0);
	}
	ok = ok && gg_json_set_int(body, "open", open) == GG_OK;
	if (!ok || gg_json_set(body, "by_kind", by) != GG_OK) {
		if (!ok)
			gg_json_free(by);
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}
