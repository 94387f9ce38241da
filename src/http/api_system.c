/*
 * api_system: the operational endpoints. GET /healthz reads the database
 * with SELECT 1 on the worker's own connection and answers 200 or 503;
 * GET /metrics renders the counters of metrics.c as Prometheus text. Both
 * are public and neither needs a login (the router opens no database for
 * them, so a broken database still gets an answer).
 */
#include <stddef.h>

#include "../core/buf.h"
#include "../core/log.h"
#include "api.h"
#include "metrics.h"
#include "router.h"

#ifndef GG_VERSION
#define GG_VERSION "0.1.0"
#endif

#define METRICS_MAX (8 * 1024 * 1024)

enum gg_err api_health_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_error derr;
	struct gg_json *body;
	struct gg_db *db;
	int64_t one = 0;
	int found = 0, ok;

	gg_error_init(&derr);
	db = gg_req_db_try(req, &derr);
	ok = db && gg_db_query_i64(db, "SELECT 1", NULL, 0, &one, &found, &derr) == GG_OK && found && one == 1;
	if (!ok)
		gg_log(GG_LOG_WARN, "health", "database check failed: %s", gg_error_message(&derr));
	body = gg_json_object();
	if (!body)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if (gg_json_set_str(body, "status", ok ? "ok" : "unavailable") != GG_OK ||
	    gg_json_set_str(body, "db", ok ? "ok" : "unavailable") != GG_OK ||
	    gg_json_set_str(body, "version", GG_VERSION) != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, ok ? 200 : 503, body);
}

enum gg_err api_metrics_get(struct gg_req *req, struct gg_error *err)
{
	struct gg_buf b;
	enum gg_err rc;

	gg_buf_init(&b, METRICS_MAX);
	rc = gg_metrics_render(&b);
	if (rc != GG_OK) {
		gg_error_set(err, rc, "metrics do not fit in %d bytes", METRICS_MAX);
		goto out;
	}
	rc = gg_resp_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.buf, b.len);
	if (rc != GG_OK)
		gg_error_set(err, rc, NULL);
out:
	gg_buf_release(&b);
	return rc;
}
