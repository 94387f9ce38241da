/*
 * test_router: the HTTP router without a socket. Route matching over the
 * real table (every route matches itself, parameters, percent-decoding,
 * no trailing-slash aliasing, 404 versus 405 with Allow), query parsing,
 * ?limit and ?cursor bounds and the cursor round trip, problem+json and
 * the headers every response carries, the body checks (415, empty,
 * malformed, too deep, bad UTF-8), the access-log line (no query string),
 * the Prometheus rendering, and, on a migrated database in a temporary
 * directory, authentication: session cookie, bearer token, CSRF on
 * session writes, password change required, forbidden, public routes with
 * a bad cookie.
 */
#include "unit.h"

#include <strings.h>

#include "core/crypto.h"
#include "core/json.h"
#include "core/log.h"
#include "domain/session.h"
#include "domain/token.h"
#include "domain/user.h"
#include "http/api.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/migrate.h"

/* A request as the server would hand it over: headers from a small table, a database or none. */
struct fake {
	const char *names[8];
	const char *values[8];
	size_t n;
	struct gg_db *db; /* NULL: opening fails */
	int db_calls;
};

static const char *fake_header(void *ctx, const char *name)
{
	struct fake *f = ctx;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (strcasecmp(f->names[i], name) == 0)
			return f->values[i];
	}
	return NULL;
}

static struct gg_db *fake_db(void *ctx, struct gg_error *err)
{
	struct fake *f = ctx;

	f->db_calls++;
	if (!f->db)
		gg_error_set(err, GG_E_UNAVAILABLE, "database is gone");
	return f->db;
}

static void fake_add(struct fake *f, const char *name, const char *value)
{
	assert_true(f->n < 8);
	f->names[f->n] = name;
	f->values[f->n] = value;
	f->n++;
}

static struct gg_config test_cfg;

static void req_start(struct gg_req *req, struct fake *f, const char *method, const char *uri)
{
	assert_int_equal(gg_req_init(req, &test_cfg, uri), GG_OK);
	gg_req_set_method(req, method);
	req->io.header = fake_header;
	req->io.db = fake_db;
	req->io.ctx = f;
	gg_strlcpy(req->client, "127.0.0.1", sizeof(req->client));
	gg_router_begin(req);
}

static void req_body(struct gg_req *req, const char *text, size_t len)
{
	assert_int_equal(gg_buf_add(&req->body, text, len), GG_OK);
}

static const char *resp_header(const struct gg_req *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->resp.nheaders; i++) {
		if (strcasecmp(req->resp.headers[i].name, name) == 0)
			return req->resp.headers[i].value;
	}
	return NULL;
}

/* The response body parsed as JSON (caller frees). */
static struct gg_json *resp_json(const struct gg_req *req)
{
	struct gg_json *j = NULL;
	struct gg_error err;

	gg_error_init(&err);
	assert_non_null(req->resp.body);
	if (gg_json_parse(req->resp.body, req->resp.len, 32, &j, &err) != GG_OK)
		fail_msg("response is not json: %.*s", (int)req->resp.len, req->resp.body);
	return j;
}

static const char *jstr(const struct gg_json *j, const char *key)
{
	return gg_json_str(gg_json_get(j, key));
}

/* Checks a problem+json answer: status, code, instance, request id, the usual headers. */
static void assert_problem(const struct gg_req *req, int status, const char *code)
{
	struct gg_json *j;

	if (req->resp.status != status)
		fail_msg("status %d, want %d: %.*s", req->resp.status, status, (int)req->resp.len,
		         req->resp.body ? req->resp.body : "");
	assert_string_equal(req->resp.ctype, "application/problem+json");
	j = resp_json(req);
	assert_string_equal(jstr(j, "type"), "about:blank");
	assert_string_equal(jstr(j, "code"), code);
	assert_int_equal(gg_json_intv(gg_json_get(j, "status")), status);
	assert_string_equal(jstr(j, "title"), gg_err_title(status));
	assert_non_null(jstr(j, "detail"));
	assert_string_equal(jstr(j, "instance"), req->path);
	assert_string_equal(jstr(j, "request_id"), req->id);
	assert_string_equal(resp_header(req, "X-Request-Id"), req->id);
	assert_string_equal(resp_header(req, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(resp_header(req, "X-Frame-Options"), "DENY");
	assert_string_equal(resp_header(req, "Referrer-Policy"), "no-referrer");
	assert_string_equal(resp_header(req, "Cache-Control"), "no-store");
	gg_json_free(j);
}

static size_t route_index(const char *method, const char *pattern)
{
	size_t i;

	for (i = 0; i < gg_nroutes; i++) {
		if (strcmp(gg_routes[i].method, method) == 0 && strcmp(gg_routes[i].pattern, pattern) == 0)
			return i;
	}
	fail_msg("no route %s %s", method, pattern);
	return 0;
}

/* Matches method and raw path; returns the match kind, route and allow filled. */
static enum gg_match match(const char *method, const char *raw, size_t *route, struct gg_route_params *params,
                           char *allow, size_t allowsz)
{
	struct gg_path p;
	enum gg_match m;

	assert_int_equal(gg_path_parse(raw, strlen(raw), &p), GG_OK);
	m = gg_router_match(method, &p, route, params, allow, allowsz);
	/* params point into the decoded path: copy what the caller looks at before releasing. */
	if (m == GG_MATCH_OK && params->n > 0) {
		static char kept[GG_ROUTER_PARAMS_MAX][64];
		size_t i;
		for (i = 0; i < params->n; i++) {
			gg_strlcpy(kept[i], params->p[i].value, sizeof(kept[i]));
			params->p[i].value = kept[i];
		}
	}
	gg_path_release(&p);
	return m;
}

static void test_every_route_matches_itself(void **state)
{
	struct gg_route_params params;
	char raw[256], allow[GG_ROUTER_ALLOW_MAX];
	size_t i, got, o;
	const char *p;

	(void)state;
	assert_int_equal(gg_nroutes, GG_ROUTES_COUNT);
	assert_true(gg_nroutes >= 20);
	for (i = 0; i < gg_nroutes; i++) {
		/* Fill each {param} with 7. */
		for (p = gg_routes[i].pattern, o = 0; *p; p++) {
			if (*p == '{') {
				raw[o++] = '7';
				p = strchr(p, '}');
			} else {
				raw[o++] = *p;
			}
		}
		raw[o] = '\0';
		assert_int_equal(match(gg_routes[i].method, raw, &got, &params, allow, sizeof(allow)), GG_MATCH_OK);
		if (got != i)
			fail_msg("%s %s matched route %zu, want %zu", gg_routes[i].method, raw, got, i);
		assert_non_null(gg_routes[i].handler);
	}
}

static void test_match_params_and_decoding(void **state)
{
	struct gg_route_params params;
	char allow[GG_ROUTER_ALLOW_MAX];
	size_t route = 999;

	(void)state;
	assert_int_equal(match("GET", "/healthz", &route, &params, allow, sizeof(allow)), GG_MATCH_OK);
	assert_int_equal(route, route_index("GET", "/healthz"));
	assert_int_equal(params.n, 0);

	assert_int_equal(match("GET", "/api/v1/users/12", &route, &params, allow, sizeof(allow)), GG_MATCH_OK);
	assert_int_equal(route, route_index("GET", "/api/v1/users/{id}"));
	assert_int_equal(params.n, 1);
	assert_int_equal(params.p[0].name_len, 2);
	assert_memory_equal(params.p[0].name, "id", 2);
	assert_string_equal(params.p[0].value, "12");

	assert_int_equal(match("POST", "/api/v1/users/3/tokens", &route, &params, allow, sizeof(allow)), GG_MATCH_OK);
	assert_int_equal(route, route_index("POST", "/api/v1/users/{id}/tokens"));
	assert_string_equal(params.p[0].value, "3");

	/* Segments are percent-decoded: literal segments and parameters alike. */
	assert_int_equal(match("GET", "/api/v1/%75sers", &route, &params, allow, sizeof(allow)), GG_MATCH_OK);
	assert_int_equal(route, route_index("GET", "/api/v1/users"));
	assert_int_equal(match("GET", "/api/v1/users/a%2Fb", &route, &params, allow, sizeof(allow)), GG_MATCH_OK);
	assert_string_equal(params.p[0].value, "a/b");
	/* A literal segment that looks like a parameter elsewhere. */
	assert_int_equal(match("GET", "/api/v1/invitations/lookup", &route, &params, allow, sizeof(allow)),
	                 GG_MATCH_OK);
	assert_int_equal(route, route_index("GET", "/api/v1/invitations/lookup"));
}

static void test_not_found_versus_method(void **state)
{
	struct gg_route_params params;
	char allow[GG_ROUTER_ALLOW_MAX];
	size_t route;
	struct gg_path p;

	(void)state;
	/* No trailing-slash aliasing, no case folding, no empty parameters. */
	assert_int_equal(match("GET", "/api/v1/users/", &route, &params, allow, sizeof(allow)), GG_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/users/12/", &route, &params, allow, sizeof(allow)), GG_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "/healthz/", &route, &params, allow, sizeof(allow)), GG_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "//healthz", &route, &params, allow, sizeof(allow)), GG_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "/HEALTHZ", &route, &params, allow, sizeof(allow)), GG_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/user", &route, &params, allow, sizeof(allow)), GG_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/users/12/tokens/9", &route, &params, allow, sizeof(allow)),
	                 GG_MATCH_NOT_FOUND);
	assert_int_equal(match("GET", "/", &route, &params, allow, sizeof(allow)), GG_MATCH_NOT_FOUND);

	/* A known path under another method: 405 with every allowed method once. */
	assert_int_equal(match("PUT", "/api/v1/users", &route, &params, allow, sizeof(allow)), GG_MATCH_METHOD);
	assert_string_equal(allow, "GET, POST");
	assert_int_equal(match("DELETE", "/api/v1/users/5", &route, &params, allow, sizeof(allow)), GG_MATCH_METHOD);
	assert_string_equal(allow, "GET, PATCH");
	assert_int_equal(match("OPTIONS", "/healthz", &route, &params, allow, sizeof(allow)), GG_MATCH_METHOD);
	assert_string_equal(allow, "GET");
	assert_int_equal(match("HEAD", "/api/v1/me", &route, &params, allow, sizeof(allow)), GG_MATCH_METHOD);
	assert_string_equal(allow, "GET");
	assert_int_equal(match("GET", "/api/v1/tokens/4", &route, &params, allow, sizeof(allow)), GG_MATCH_METHOD);
	assert_string_equal(allow, "DELETE");
	assert_int_equal(match("get", "/healthz", &route, &params, allow, sizeof(allow)), GG_MATCH_METHOD);

	/* Malformed escapes and escaped NULs are refused; very deep paths are simply unknown. */
	assert_int_equal(gg_path_parse("/api/%zz", 8, &p), GG_E_INVALID);
	assert_int_equal(gg_path_parse("/api/%4", 7, &p), GG_E_INVALID);
	assert_int_equal(gg_path_parse("/api/a%00b", 10, &p), GG_E_INVALID);
	assert_int_equal(gg_path_parse("api", 3, &p), GG_E_INVALID);
	assert_int_equal(gg_path_parse("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", 34, &p), GG_E_NOT_FOUND);
	assert_int_equal(gg_path_parse("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", 32, &p), GG_OK);
	assert_int_equal(p.nseg, 16);
	assert_string_equal(p.seg[15], "p");
	gg_path_release(&p);
}

static void test_query_parsing(void **state)
{
	struct fake f = {0};
	struct gg_req req;

	(void)state;
	req_start(&req, &f, "GET", "/api/v1/users?q=a+b%20c&flag&role=employer&&q=second&e=");
	assert_int_equal(req.begin_err, GG_OK);
	assert_string_equal(gg_req_path(&req), "/api/v1/users");
	assert_string_equal(gg_req_query(&req, "q"), "a b c"); /* the first of repeated names */
	assert_string_equal(gg_req_query(&req, "flag"), "");
	assert_string_equal(gg_req_query(&req, "role"), "employer");
	assert_string_equal(gg_req_query(&req, "e"), "");
	assert_null(gg_req_query(&req, "missing"));
	gg_req_release(&req);

	req_start(&req, &f, "GET", "/api/v1/users?q=%G1");
	assert_int_equal(req.begin_err, GG_E_INVALID);
	gg_router_handle(&req);
	assert_problem(&req, 400, "invalid_input");
	assert_non_null(strstr(req.resp.body, "query string"));
	gg_req_release(&req);

	/* An absolute-form target is routed by its path; a target that is no path is refused. */
	req_start(&req, &f, "GET", "HTTP://example.org:8080/api/v1/users/9?limit=3");
	assert_int_equal(req.match, GG_MATCH_OK);
	assert_string_equal(gg_req_path(&req), "/api/v1/users/9");
	assert_string_equal(gg_req_param(&req, "id"), "9");
	assert_string_equal(gg_req_query(&req, "limit"), "3");
	gg_req_release(&req);
	req_start(&req, &f, "OPTIONS", "*");
	gg_router_handle(&req);
	assert_problem(&req, 400, "invalid_input");
	assert_non_null(strstr(req.resp.body, "not a path"));
	gg_req_release(&req);
}

/* Runs gg_req_page on a request for uri. */
static enum gg_err page(const char *uri, int *limit, int64_t *cursor, struct gg_error *err)
{
	struct fake f = {0};
	struct gg_req req;
	enum gg_err rc;

	req_start(&req, &f, "GET", uri);
	gg_error_init(err);
	rc = gg_req_page(&req, limit, cursor, err);
	gg_req_release(&req);
	return rc;
}

static void test_limit_bounds(void **state)
{
	static const char *const bad[] = {"0", "201", "-1", "abc", "", "10x", " 5", "1e2", "99999999999999999999"};
	struct gg_error err;
	char uri[128];
	int limit;
	int64_t cursor;
	size_t i;

	(void)state;
	assert_int_equal(page("/x", &limit, &cursor, &err), GG_OK);
	assert_int_equal(limit, 50);
	assert_int_equal(cursor, 0);
	assert_int_equal(page("/x?limit=1", &limit, &cursor, &err), GG_OK);
	assert_int_equal(limit, 1);
	assert_int_equal(page("/x?limit=200", &limit, &cursor, &err), GG_OK);
	assert_int_equal(limit, 200);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(uri, sizeof(uri), "/x?limit=%s", bad[i]);
		if (page(uri, &limit, &cursor, &err) != GG_E_INVALID)
			fail_msg("limit '%s' was accepted", bad[i]);
		assert_int_equal(err.nfields, 1);
		assert_string_equal(err.fields[0].field, "limit");
	}
}

static void test_cursor_round_trip(void **state)
{
	static const int64_t ids[] = {1, 2, 42, 255, 256, 65536, 2147483647LL, 2147483648LL, INT64_MAX};
	static const char *const bad[] = {"abc",         "AAAAAAAAAAA",  "AAAAAAAAAAF", "AAAAAAAAAA=",
	                                  "AAAAAAAAA+A", "AAAAAAAAAAAA", "gAAAAAAAAAA", "AAAA+AAAAAA"};
	struct gg_error err;
	char cur[32], uri[128];
	int64_t got;
	int limit;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		gg_req_cursor_encode(ids[i], cur, sizeof(cur));
		assert_int_equal(strlen(cur), 11);
		assert_int_equal(strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 11);
		assert_int_equal(gg_router_cursor_decode(cur, &got), GG_OK);
		assert_int_equal(got, ids[i]);
		snprintf(uri, sizeof(uri), "/x?cursor=%s&limit=7", cur);
		assert_int_equal(page(uri, &limit, &got, &err), GG_OK);
		assert_int_equal(got, ids[i]);
		assert_int_equal(limit, 7);
	}
	/* Different ids give different cursors. */
	gg_req_cursor_encode(41, cur, sizeof(cur));
	gg_req_cursor_encode(42, uri, sizeof(uri));
	assert_string_not_equal(cur, uri);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(uri, sizeof(uri), "/x?cursor=%s", bad[i]);
		if (page(uri, &limit, &got, &err) != GG_E_INVALID)
			fail_msg("cursor '%s' was accepted", bad[i]);
		assert_string_equal(err.fields[0].field, "cursor");
	}
	/* An empty cursor is the first page. */
	assert_int_equal(page("/x?cursor=", &limit, &got, &err), GG_OK);
	assert_int_equal(got, 0);
}

static void test_param_id(void **state)
{
	struct fake f = {0};
	struct gg_req req;
	struct gg_error err;
	int64_t id = 0;

	(void)state;
	gg_error_init(&err);
	req_start(&req, &f, "GET", "/api/v1/users/123");
	assert_int_equal(req.match, GG_MATCH_OK);
	assert_string_equal(gg_req_param(&req, "id"), "123");
	assert_null(gg_req_param(&req, "i"));
	assert_int_equal(gg_req_param_id(&req, "id", &id, &err), GG_OK);
	assert_int_equal(id, 123);
	assert_int_equal(gg_req_param_id(&req, "other", &id, &err), GG_E_NOT_FOUND);
	gg_req_release(&req);

	req_start(&req, &f, "GET", "/api/v1/users/0");
	assert_int_equal(gg_req_param_id(&req, "id", &id, &err), GG_E_NOT_FOUND);
	gg_req_release(&req);
	req_start(&req, &f, "GET", "/api/v1/users/12abc");
	assert_int_equal(gg_req_param_id(&req, "id", &id, &err), GG_E_NOT_FOUND);
	gg_req_release(&req);
}

static void test_not_found_and_method_answers(void **state)
{
	struct fake f = {0};
	struct gg_req req;
	struct gg_json *j;

	(void)state;
	req_start(&req, &f, "GET", "/nope?token=secret");
	gg_router_handle(&req);
	assert_problem(&req, 404, "not_found");
	assert_string_equal(req.path, "/nope");
	assert_null(strstr(req.resp.body, "secret"));
	assert_null(resp_header(&req, "Allow"));
	assert_string_equal(gg_router_label(&req), "unmatched");
	gg_req_release(&req);

	req_start(&req, &f, "PUT", "/api/v1/users");
	gg_router_handle(&req);
	assert_problem(&req, 405, "method_not_allowed");
	assert_string_equal(resp_header(&req, "Allow"), "GET, POST");
	j = resp_json(&req);
	assert_non_null(strstr(jstr(j, "detail"), "PUT"));
	assert_null(gg_json_get(j, "errors"));
	gg_json_free(j);
	gg_req_release(&req);
	assert_int_equal(f.db_calls, 0);
}

static void test_request_id(void **state)
{
	struct fake f = {0};
	struct gg_req req, req2;

	(void)state;
	fake_add(&f, "X-Request-Id", "client-id_1.2");
	req_start(&req, &f, "GET", "/nope");
	assert_string_equal(gg_req_id(&req), "client-id_1.2");
	gg_router_handle(&req);
	assert_string_equal(resp_header(&req, "X-Request-Id"), "client-id_1.2");
	gg_req_release(&req);

	f.values[0] = "has space";
	req_start(&req, &f, "GET", "/nope");
	req_start(&req2, &f, "GET", "/nope");
	assert_string_not_equal(gg_req_id(&req), "has space");
	assert_true(strlen(gg_req_id(&req)) >= 16);
	assert_string_not_equal(gg_req_id(&req), gg_req_id(&req2));
	gg_req_release(&req);
	gg_req_release(&req2);

	/* 65 characters is one too many. */
	f.values[0] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	req_start(&req, &f, "GET", "/nope");
	assert_string_not_equal(gg_req_id(&req), f.values[0]);
	gg_req_release(&req);
}

static void test_unauthenticated(void **state)
{
	struct fake f = {0};
	struct gg_req req;

	(void)state;
	req_start(&req, &f, "GET", "/api/v1/me");
	gg_router_handle(&req);
	assert_problem(&req, 401, "unauthenticated");
	assert_non_null(resp_header(&req, "WWW-Authenticate"));
	gg_req_release(&req);

	/* Another scheme is no credential; an empty bearer token is a bad one. */
	fake_add(&f, "Authorization", "Basic YWRtaW46eA==");
	req_start(&req, &f, "GET", "/api/v1/audit");
	gg_router_handle(&req);
	assert_problem(&req, 401, "unauthenticated");
	gg_req_release(&req);
	f.values[0] = "Bearer ";
	req_start(&req, &f, "GET", "/api/v1/audit");
	gg_router_handle(&req);
	assert_problem(&req, 401, "invalid_token");
	gg_req_release(&req);
	assert_int_equal(f.db_calls, 0);

	/* With credentials but no database: the database's error, not a 401. */
	f.values[0] = "Bearer gg_something";
	req_start(&req, &f, "GET", "/api/v1/audit");
	gg_router_handle(&req);
	assert_problem(&req, 503, "unavailable");
	gg_req_release(&req);
}

static void test_body_checks(void **state)
{
	static const struct {
		const char *ctype;
		const char *body;
		int status;
		const char *code;
	} cases[] = {
	    {NULL, "{}", 415, "unsupported_media_type"},
	    {"text/plain", "{}", 415, "unsupported_media_type"},
	    {"application/json-seq", "{}", 415, "unsupported_media_type"},
	    {"application/json; charset=latin1", "{}", 415, "unsupported_media_type"},
	    {"application/json", "", 400, "malformed_json"},
	    {"application/json; charset=utf-8", "{\"username\":", 400, "malformed_json"},
	    {"Application/JSON;charset=\"UTF-8\"", "{} x", 400, "malformed_json"},
	    {"application/json", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	     400, "json_too_deep"},
	    {"application/json", "{\"username\":\"\xff\"}", 400, "invalid_utf8"},
	    /* A good body reaches the point where the handler needs the database, which is gone. */
	    {"application/json", "{\"username\":\"a\",\"password\":\"b\"}", 503, "unavailable"},
	};
	struct gg_req req;
	struct gg_json *j;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake f = {0};

		if (cases[i].ctype)
			fake_add(&f, "Content-Type", cases[i].ctype);
		req_start(&req, &f, "POST", "/api/v1/auth/login");
		req_body(&req, cases[i].body, strlen(cases[i].body));
		gg_router_handle(&req);
		assert_problem(&req, cases[i].status, cases[i].code);
		if (cases[i].status == 400) {
			j = resp_json(&req);
			assert_true(strlen(jstr(j, "detail")) > 0);
			assert_string_not_equal(jstr(j, "detail"), gg_err_message(GG_E_OK));
			gg_json_free(j);
		}
		gg_req_release(&req);
	}
}

static void test_problem_field_errors(void **state)
{
	struct fake f = {0};
	struct gg_req req;
	struct gg_error err;
	struct gg_json *j, *errors;

	(void)state;
	/* The audit handler validates its filters before touching the database. */
	req_start(&req, &f, "GET", "/api/v1/audit?limit=0&from=yesterday&actor_id=-3&entity_id=7");
	gg_error_init(&err);
	assert_int_equal(api_audit_list(&req, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 3);
	gg_router_problem(&req, GG_E_INVALID, &err);
	assert_problem(&req, 400, "invalid_input");
	j = resp_json(&req);
	errors = gg_json_get(j, "errors");
	assert_int_equal(gg_json_size(errors), 3);
	assert_string_equal(jstr(gg_json_at(errors, 0), "field"), "limit");
	assert_string_equal(jstr(gg_json_at(errors, 1), "field"), "actor_id");
	assert_string_equal(jstr(gg_json_at(errors, 2), "field"), "from");
	assert_non_null(jstr(gg_json_at(errors, 2), "message"));
	gg_json_free(j);
	gg_req_release(&req);
	assert_int_equal(f.db_calls, 0);

	req_start(&req, &f, "GET", "/api/v1/audit?from=2026-11-27&to=2026-11-26T23:00:00%2B08:00");
	gg_error_init(&err);
	assert_int_equal(api_audit_list(&req, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "to");
	gg_req_release(&req);
}

static void test_health_and_metrics_without_db(void **state)
{
	struct fake f = {0};
	struct gg_req req;
	struct gg_json *j;

	(void)state;
	req_start(&req, &f, "GET", "/healthz");
	gg_router_handle(&req);
	assert_int_equal(req.resp.status, 503);
	assert_string_equal(req.resp.ctype, "application/json");
	j = resp_json(&req);
	assert_string_equal(jstr(j, "status"), "unavailable");
	assert_non_null(jstr(j, "version"));
	gg_json_free(j);
	assert_string_equal(resp_header(&req, "Cache-Control"), "no-store");
	gg_req_release(&req);

	req_start(&req, &f, "GET", "/metrics");
	gg_router_handle(&req);
	assert_int_equal(req.resp.status, 200);
	assert_string_equal(req.resp.ctype, "text/plain; version=0.0.4; charset=utf-8");
	assert_non_null(strstr(req.resp.body, "# TYPE guanggu_http_requests_in_flight gauge\n"));
	gg_req_release(&req);
}

static void test_access_log_line(void **state)
{
	struct fake f = {0};
	struct gg_req req;
	struct gg_buf b;
	char line[4200];
	struct gg_json *j;
	struct gg_error err;

	(void)state;
	fake_add(&f, "Cookie", "gg_session=cookiesecret");
	fake_add(&f, "Content-Type", "application/json");
	req_start(&req, &f, "GET", "/api/v1/invitations/lookup?token=querysecret");
	gg_router_handle(&req);
	gg_buf_init(&b, 4096);
	assert_int_equal(gg_router_access_fields(&req, 12345, &b), GG_OK);
	assert_null(strstr(b.buf, "secret"));
	snprintf(line, sizeof(line), "{%s}", b.buf);
	gg_error_init(&err);
	assert_int_equal(gg_json_parse(line, strlen(line), 4, &j, &err), GG_OK);
	assert_string_equal(jstr(j, "event"), "access");
	assert_string_equal(jstr(j, "path"), "/api/v1/invitations/lookup");
	assert_string_equal(jstr(j, "route"), "/api/v1/invitations/lookup");
	assert_string_equal(jstr(j, "method"), "GET");
	assert_string_equal(jstr(j, "request_id"), req.id);
	assert_string_equal(jstr(j, "client"), "127.0.0.1");
	assert_int_equal(gg_json_intv(gg_json_get(j, "status")), req.resp.status);
	assert_int_equal(gg_json_intv(gg_json_get(j, "bytes")), req.resp.len);
	assert_int_equal(gg_json_intv(gg_json_get(j, "user_id")), 0);
	assert_int_equal(gg_json_kind(gg_json_get(j, "duration_ms")), GG_JSON_REAL);
	assert_non_null(strstr(b.buf, "\"duration_ms\":12.345,"));
	gg_json_free(j);
	gg_buf_release(&b);
	gg_req_release(&req);
}

static void test_session_cookie_header(void **state)
{
	struct fake f = {0};
	struct gg_req req;
	struct gg_config cfg;
	struct gg_error err;

	(void)state;
	req_start(&req, &f, "POST", "/api/v1/auth/login");
	assert_int_equal(gg_resp_session_cookie(&req, "abc_DEF-1", 3600), GG_OK);
	assert_int_equal(gg_resp_session_cookie(&req, NULL, 99), GG_OK);
	assert_int_equal(gg_resp_session_cookie(&req, "bad;value", 10), GG_E_INVALID);
	assert_int_equal(req.resp.nheaders, 2);
	assert_string_equal(req.resp.headers[0].value,
	                    "gg_session=abc_DEF-1; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600");
	assert_string_equal(req.resp.headers[1].value, "gg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	gg_req_release(&req);

	cfg = test_cfg;
	gg_error_init(&err);
	assert_int_equal(gg_config_set(&cfg, GG_CFG_cookie_secure, "true", "test", &err), GG_OK);
	assert_int_equal(gg_req_init(&req, &cfg, "/"), GG_OK);
	assert_int_equal(gg_resp_session_cookie(&req, "v", 60), GG_OK);
	assert_string_equal(req.resp.headers[0].value,
	                    "gg_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
	/* Header injection is refused; a handler gets at most 16 headers. */
	assert_int_equal(gg_resp_header(&req, "X-A", "1\r\nX-B: 2"), GG_E_INVALID);
	assert_int_equal(gg_resp_header(&req, "Bad Name", "1"), GG_E_INVALID);
	while (req.resp.nhandler < GG_RESP_HANDLER_HEADERS)
		assert_int_equal(gg_resp_header(&req, "X-N", "n"), GG_OK);
	assert_int_equal(gg_resp_header(&req, "X-N", "n"), GG_E_TOO_LARGE);
	gg_req_release(&req);
}

static void test_metrics_rendering(void **state)
{
	struct gg_buf b;
	size_t health = route_index("GET", "/healthz");
	char want[256];

	(void)state;
	gg_metrics_reset();
	gg_metrics_observe(health, "GET", 200, 3000);
	gg_metrics_observe(health, "GET", 200, 1000);
	gg_metrics_observe(gg_nroutes, "BREW", 404, 7000000);
	gg_metrics_observe(health, "GET", 299, 10);
	gg_metrics_in_flight(1);
	gg_buf_init(&b, 1 << 20);
	assert_int_equal(gg_metrics_render(&b), GG_OK);
	assert_non_null(
	    strstr(b.buf, "guanggu_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"));
	assert_non_null(
	    strstr(b.buf, "guanggu_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"2xx\"} 1\n"));
	assert_non_null(
	    strstr(b.buf, "guanggu_http_requests_total{route=\"unmatched\",method=\"OTHER\",status=\"404\"} 1\n"));
	/* Cumulative buckets: 10us and 1000us are <= 1 ms, 3000us <= 5 ms; 7 s only in +Inf. */
	snprintf(want, sizeof(want),
	         "guanggu_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.001\"} 2\n");
	assert_non_null(strstr(b.buf, want));
	snprintf(want, sizeof(want),
	         "guanggu_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"0.005\"} 3\n");
	assert_non_null(strstr(b.buf, want));
	assert_non_null(strstr(
	    b.buf, "guanggu_http_request_duration_seconds_bucket{route=\"/healthz\",method=\"GET\",le=\"+Inf\"} 3\n"));
	assert_non_null(
	    strstr(b.buf, "guanggu_http_request_duration_seconds_sum{route=\"/healthz\",method=\"GET\"} 0.004010\n"));
	assert_non_null(
	    strstr(b.buf, "guanggu_http_request_duration_seconds_count{route=\"/healthz\",method=\"GET\"} 3\n"));
	assert_non_null(strstr(
	    b.buf, "guanggu_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"OTHER\",le=\"5\"} 0\n"));
	assert_non_null(strstr(
	    b.buf,
	    "guanggu_http_request_duration_seconds_bucket{route=\"unmatched\",method=\"OTHER\",le=\"+Inf\"} 1\n"));
	assert_non_null(strstr(b.buf, "guanggu_http_requests_in_flight 1\n"));
	/* Series never observed are not printed. */
	assert_null(strstr(b.buf, "route=\"/api/v1/me\""));
	gg_buf_release(&b);

	gg_buf_init(&b, 100);
	assert_int_equal(gg_metrics_escape(&b, "a\"b\\c\nd"), GG_OK);
	assert_string_equal(b.buf, "a\\\"b\\\\c\\nd");
	gg_buf_release(&b);
	/* A buffer too small for the text says so. */
	gg_buf_init(&b, 64);
	assert_int_equal(gg_metrics_render(&b), GG_E_TOO_LARGE);
	gg_buf_release(&b);
	gg_metrics_in_flight(-1);
}

/* With a database: real sessions and tokens. */
#define CRED_MAX 256
struct dbfx {
	char dir[128];
	char path[256];
	struct gg_db *db;
	char admin_cookie[CRED_MAX], admin_csrf[GG_TOKEN_MAX];
	char fresh_cookie[CRED_MAX];    /* must change its password */
	char employer_cookie[CRED_MAX]; /* no audit_read */
	char employer_csrf[GG_TOKEN_MAX];
	char admin_token[CRED_MAX];
};

static void make_user(struct dbfx *fx, const char *name, enum gg_role role, const char *scope, int must_change,
                      char *cookie, char *csrf)
{
	struct gg_actor actor = {0, "cli", NULL};
	struct gg_role_grant g;
	struct gg_user_new u;
	struct gg_login login;
	struct gg_error err;
	int64_t id;

	gg_error_init(&err);
	memset(&g, 0, sizeof(g));
	g.role = role;
	if (scope)
		assert_int_equal(gg_role_parse_scope(role, scope, &g, &err), GG_OK);
	memset(&u, 0, sizeof(u));
	u.username = name;
	u.password = "correct horse battery";
	u.must_change = must_change;
	u.roles = &g;
	u.nroles = 1;
	if (gg_user_create(fx->db, &actor, &u, 10, &id, NULL, 0, &err) != GG_OK)
		fail_msg("create %s: %s", name, gg_error_message(&err));
	if (gg_session_login(fx->db, &test_cfg, name, "correct horse battery", NULL, &login, &err) != GG_OK)
		fail_msg("login %s: %s", name, gg_error_message(&err));
	snprintf(cookie, CRED_MAX, "gg_session=%s", login.token);
	if (csrf)
		gg_strlcpy(csrf, login.csrf_token, GG_TOKEN_MAX);
	if (strcmp(name, "admin") == 0) {
		char text[CRED_MAX - 16];
		if (gg_token_create(fx->db, &actor, id, "test", 30, text, sizeof(text), NULL, &err) != GG_OK)
			fail_msg("token: %s", gg_error_message(&err));
		snprintf(fx->admin_token, sizeof(fx->admin_token), "Bearer %s", text);
	}
}

static int db_setup(void **state)
{
	struct dbfx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	unit_tmpdir(fx->dir, sizeof(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/test.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	make_user(fx, "admin", GG_ROLE_bureau_admin, NULL, 0, fx->admin_cookie, fx->admin_csrf);
	make_user(fx, "fresh", GG_ROLE_bureau_admin, NULL, 1, fx->fresh_cookie, NULL);
	/* the employer's scope must name an organisation */
	struct gg_error err;
	gg_error_init(&err);
	if (gg_db_exec(fx->db,
	               "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES (3, '路由测试单位', "
	               "'lu you ce shi dan wei', 'leading_enterprise', 0, 0)",
	               &err) != GG_OK)
		return -1;
	make_user(fx, "hr_user", GG_ROLE_employer, "org:3", 0, fx->employer_cookie, fx->employer_csrf);
	*state = fx;
	return 0;
}

static int db_teardown(void **state)
{
	struct dbfx *fx = *state;

	if (!fx)
		return 0;
	gg_db_close(fx->db);
	unit_rmtree(fx->dir);
	free(fx);
	return 0;
}

/* Runs one request against the fixture's database; the caller releases req. */
static void run(struct dbfx *fx, struct gg_req *req, struct fake *f, const char *method, const char *uri)
{
	f->db = fx->db;
	req_start(req, f, method, uri);
	gg_router_handle(req);
}

static void test_auth_session_and_token(void **state)
{
	struct dbfx *fx = *state;
	struct gg_req req;
	struct gg_json *j;

	{
		struct fake f = {0};
		fake_add(&f, "Cookie", "theme=dark; gg_session=nonsense; other=1");
		run(fx, &req, &f, "GET", "/api/v1/audit");
		assert_problem(&req, 401, "session_expired");
		gg_req_release(&req);
	}
	{
		struct fake f = {0};
		fake_add(&f, "Authorization", "Bearer gg_nonsense");
		run(fx, &req, &f, "GET", "/api/v1/audit");
		assert_problem(&req, 401, "invalid_token");
		gg_req_release(&req);
	}
	{
		/* A public route with a bad cookie works, anonymously. */
		struct fake f = {0};
		fake_add(&f, "Cookie", "gg_session=nonsense");
		run(fx, &req, &f, "GET", "/healthz");
		assert_int_equal(req.resp.status, 200);
		j = resp_json(&req);
		assert_string_equal(jstr(j, "status"), "ok");
		assert_string_equal(jstr(j, "db"), "ok");
		gg_json_free(j);
		assert_int_equal(gg_req_principal(&req)->kind, GG_AUTH_NONE);
		gg_req_release(&req);
	}
	{
		struct fake f = {0};
		fake_add(&f, "Cookie", fx->admin_cookie);
		run(fx, &req, &f, "GET", "/api/v1/audit?limit=2");
		assert_int_equal(req.resp.status, 200);
		assert_int_equal(gg_req_principal(&req)->kind, GG_AUTH_SESSION);
		assert_string_equal(gg_req_principal(&req)->username, "admin");
		j = resp_json(&req);
		assert_int_equal(gg_json_size(gg_json_get(j, "items")), 2);
		assert_int_equal(gg_json_kind(gg_json_get(j, "next_cursor")), GG_JSON_STRING);
		assert_non_null(jstr(gg_json_at(gg_json_get(j, "items"), 0), "hash"));
		gg_json_free(j);
		gg_req_release(&req);
	}
	{
		struct fake f = {0};
		fake_add(&f, "Authorization", fx->admin_token);
		run(fx, &req, &f, "GET", "/api/v1/audit?action=user.create");
		assert_int_equal(req.resp.status, 200);
		assert_int_equal(gg_req_principal(&req)->kind, GG_AUTH_TOKEN);
		j = resp_json(&req);
		assert_int_equal(gg_json_size(gg_json_get(j, "items")), 3);
		assert_string_equal(jstr(gg_json_at(gg_json_get(j, "items"), 0), "action"), "user.create");
		assert_int_equal(gg_json_kind(gg_json_get(j, "next_cursor")), GG_JSON_NULL);
		gg_json_free(j);
		gg_req_release(&req);
	}
}

static void test_permission_and_password_change(void **state)
{
	struct dbfx *fx = *state;
	struct gg_req req;

	{
		struct fake f = {0};
		fake_add(&f, "Cookie", fx->employer_cookie);
		run(fx, &req, &f, "GET", "/api/v1/audit");
		assert_problem(&req, 403, "forbidden");
		gg_req_release(&req);
	}
	{
		struct fake f = {0};
		fake_add(&f, "Cookie", fx->fresh_cookie);
		run(fx, &req, &f, "GET", "/api/v1/audit");
		assert_problem(&req, 403, "password_change_required");
		gg_req_release(&req);
	}
	{
		/* Routes with permission authenticated stay open (here: past the router, to the handler). */
		struct fake f = {0};
		fake_add(&f, "Cookie", fx->fresh_cookie);
		run(fx, &req, &f, "GET", "/api/v1/roles");
		assert_int_equal(req.resp.status, 200);
		gg_req_release(&req);
	}
}

static void test_csrf(void **state)
{
	struct dbfx *fx = *state;
	struct gg_req req;
	char wrong[GG_TOKEN_MAX];

	{
		struct fake f = {0};
		fake_add(&f, "Cookie", fx->admin_cookie);
		run(fx, &req, &f, "DELETE", "/api/v1/tokens/999");
		assert_problem(&req, 403, "csrf_token_invalid");
		gg_req_release(&req);
	}
	{
		struct fake f = {0};
		gg_strlcpy(wrong, fx->admin_csrf, sizeof(wrong));
		wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
		fake_add(&f, "Cookie", fx->admin_cookie);
		fake_add(&f, "X-CSRF-Token", wrong);
		run(fx, &req, &f, "DELETE", "/api/v1/tokens/999");
		assert_problem(&req, 403, "csrf_token_invalid");
		gg_req_release(&req);
	}
	{
		/* Another session's token is no good either. */
		struct fake f = {0};
		fake_add(&f, "Cookie", fx->admin_cookie);
		fake_add(&f, "X-CSRF-Token", fx->employer_csrf);
		run(fx, &req, &f, "DELETE", "/api/v1/tokens/999");
		assert_problem(&req, 403, "csrf_token_invalid");
		gg_req_release(&req);
	}
	{
		struct fake f = {0};
		fake_add(&f, "Cookie", fx->admin_cookie);
		fake_add(&f, "X-CSRF-Token", fx->admin_csrf);
		run(fx, &req, &f, "DELETE", "/api/v1/tokens/999");
		assert_problem(&req, 404, "not_found");
		gg_req_release(&req);
	}
	{
		/* Bearer requests need no CSRF token. */
		struct fake f = {0};
		fake_add(&f, "Authorization", fx->admin_token);
		run(fx, &req, &f, "DELETE", "/api/v1/tokens/999");
		assert_problem(&req, 404, "not_found");
		gg_req_release(&req);
	}
	{
		/* Reads with a session need none. */
		struct fake f = {0};
		fake_add(&f, "Cookie", fx->admin_cookie);
		run(fx, &req, &f, "GET", "/api/v1/audit?limit=1");
		assert_int_equal(req.resp.status, 200);
		gg_req_release(&req);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_route_matches_itself),
	    cmocka_unit_test(test_match_params_and_decoding),
	    cmocka_unit_test(test_not_found_versus_method),
	    cmocka_unit_test(test_query_parsing),
	    cmocka_unit_test(test_limit_bounds),
	    cmocka_unit_test(test_cursor_round_trip),
	    cmocka_unit_test(test_param_id),
	    cmocka_unit_test(test_not_found_and_method_answers),
	    cmocka_unit_test(test_request_id),
	    cmocka_unit_test(test_unauthenticated),
	    cmocka_unit_test(test_body_checks),
	    cmocka_unit_test(test_problem_field_errors),
	    cmocka_unit_test(test_health_and_metrics_without_db),
	    cmocka_unit_test(test_access_log_line),
	    cmocka_unit_test(test_session_cookie_header),
	    cmocka_unit_test(test_metrics_rendering),
	};
	const struct CMUnitTest db_tests[] = {
	    cmocka_unit_test(test_auth_session_and_token),
	    cmocka_unit_test(test_permission_and_password_change),
	    cmocka_unit_test(test_csrf),
	};
	int failed;

	if (gg_crypto_init() != GG_OK)
		return 1;
	gg_log_setup(fopen("/dev/null", "w"), GG_LOG_ERROR);
	gg_config_init(&test_cfg);
	failed = cmocka_run_group_tests_name("router", tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("router_db", db_tests, db_setup, db_teardown);
	return failed;
}
