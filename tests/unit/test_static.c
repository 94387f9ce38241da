/*
 * test_static: the web UI's files. The content-type table, request path
 * checks (escapes, NUL, "." and "..", empty segments, length), which
 * paths are the server's and which fall back to index.html, loading a
 * directory within the limits (files, bytes per file and in all, depth,
 * path length; hidden names skipped; a missing directory is no error),
 * and the answers the router makes from the table without a socket:
 * headers, ETag and 304, the single-page fallback, gzip variants, 404 for
 * what is not the UI's, and 503 when the UI is not built.
 */
#include "unit.h"

#include <strings.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "http/router.h"
#include "http/static.h"

static struct gg_config test_cfg;

static const char index_html[] = "<!doctype html><title>ui</title><div id=app></div>\n";
static const char app_js[] = "console.log('app');\n";
static const char app_js_gz[] = "\x1f\x8b not really gzip, but other bytes\n";
static const char logo_svg[] = "<svg xmlns='http://www.w3.org/2000/svg'/>\n";
static const char sub_index[] = "<!doctype html><title>sub</title>\n";

/* Request headers from a small table. */
struct fake {
	const char *names[4];
	const char *values[4];
	size_t n;
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

static struct gg_db *no_db(void *ctx, struct gg_error *err)
{
	gg_error_set(err, GG_E_UNAVAILABLE, "no database in this test");
	return NULL;
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

/* Runs method uri through the router with web as the UI's files and the given header (name NULL: none). */
static void run(struct gg_req *req, const struct gg_static *web, const char *method, const char *uri, const char *hname,
                const char *hvalue)
{
	static struct fake f;

	memset(&f, 0, sizeof(f));
	if (hname) {
		f.names[0] = hname;
		f.values[0] = hvalue;
		f.n = 1;
	}
	assert_int_equal(gg_req_init(req, &test_cfg, uri), GG_OK);
	gg_req_set_method(req, method);
	req->io.header = fake_header;
	req->io.db = no_db;
	req->io.ctx = &f;
	req->web = web;
	gg_router_handle(req);
}

static void assert_body(const struct gg_req *req, const char *want)
{
	assert_int_equal(req->resp.len, strlen(want));
	assert_memory_equal(req->resp.body, want, req->resp.len);
}

static void mkdir_ok(const char *path)
{
	assert_int_equal(mkdir(path, 0700), 0);
}

/* A directory shaped like a Vite build. */
static void make_build(const char *dir)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/index.html", dir);
	unit_write_file(p, index_html);
	snprintf(p, sizeof(p), "%s/assets", dir);
	mkdir_ok(p);
	snprintf(p, sizeof(p), "%s/assets/app-abc123.js", dir);
	unit_write_file(p, app_js);
	snprintf(p, sizeof(p), "%s/assets/app-abc123.js.gz", dir);
	unit_write_file(p, app_js_gz);
	snprintf(p, sizeof(p), "%s/logo.svg", dir);
	unit_write_file(p, logo_svg);
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir_ok(p);
	snprintf(p, sizeof(p), "%s/sub/index.html", dir);
	unit_write_file(p, sub_index);
	/* hidden: never loaded, never served */
	snprintf(p, sizeof(p), "%s/.vite", dir);
	mkdir_ok(p);
	snprintf(p, sizeof(p), "%s/.vite/manifest.json", dir);
	unit_write_file(p, "{}");
	snprintf(p, sizeof(p), "%s/.env", dir);
	unit_write_file(p, "SECRET=1\n");
}

static void test_content_types(void **state)
{
	assert_string_equal(gg_static_content_type("/index.html"), "text/html; charset=utf-8");
	assert_string_equal(gg_static_content_type("/INDEX.HTML"), "text/html; charset=utf-8");
	assert_string_equal(gg_static_content_type("/assets/app-abc123.js"), "text/javascript; charset=utf-8");
	assert_string_equal(gg_static_content_type("/assets/worker.mjs"), "text/javascript; charset=utf-8");
	assert_string_equal(gg_static_content_type("/assets/app.css"), "text/css; charset=utf-8");
	assert_string_equal(gg_static_content_type("/data.json"), "application/json");
	assert_string_equal(gg_static_content_type("/assets/app.js.map"), "application/json");
	assert_string_equal(gg_static_content_type("/logo.svg"), "image/svg+xml");
	assert_string_equal(gg_static_content_type("/a.png"), "image/png");
	assert_string_equal(gg_static_content_type("/a.jpg"), "image/jpeg");
	assert_string_equal(gg_static_content_type("/favicon.ico"), "image/x-icon");
	assert_string_equal(gg_static_content_type("/f.woff"), "font/woff");
	assert_string_equal(gg_static_content_type("/f.woff2"), "font/woff2");
	assert_string_equal(gg_static_content_type("/f.ttf"), "font/ttf");
	assert_string_equal(gg_static_content_type("/robots.txt"), "text/plain; charset=utf-8");
	assert_string_equal(gg_static_content_type("/site.webmanifest"), "application/manifest+json");
	/* unknown, none, a dot only in a directory, a trailing dot */
	assert_string_equal(gg_static_content_type("/a.tar.gz"), "application/octet-stream");
	assert_string_equal(gg_static_content_type("/README"), "application/octet-stream");
	assert_string_equal(gg_static_content_type("/v1.2/README"), "application/octet-stream");
	assert_string_equal(gg_static_content_type("/a."), "application/octet-stream");
	assert_string_equal(gg_static_content_type("/a.jsx"), "application/octet-stream");
}

static void path_is(const char *raw, enum gg_err want, const char *decoded)
{
	char out[GG_STATIC_PATH_MAX + 1];
	enum gg_err rc = gg_static_path(raw, strlen(raw), out, sizeof(out));

	if (rc != want)
		fail_msg("path '%s': %s, want %s", raw, gg_err_code(rc), gg_err_code(want));
	if (decoded)
		assert_string_equal(out, decoded);
}

static void test_path_validation(void **state)
{
	char raw[4 * GG_STATIC_PATH_MAX], out[8];
	size_t i;

	path_is("/", GG_OK, "/");
	path_is("/assets/app-abc123.js", GG_OK, "/assets/app-abc123.js");
	path_is("/a%20b.js", GG_OK, "/a b.js");
	path_is("/talents/", GG_OK, "/talents/");
	path_is("/%E5%85%89%E8%B0%B7", GG_OK, "/光谷");
	path_is("/.well-known", GG_OK, "/.well-known");
	path_is("/..", GG_E_INVALID, NULL);
	path_is("/../etc/passwd", GG_E_INVALID, NULL);
	path_is("/assets/../index.html", GG_E_INVALID, NULL);
	path_is("/%2e%2e/index.html", GG_E_INVALID, NULL);
	path_is("/assets%2f..%2findex.html", GG_E_INVALID, NULL);
	path_is("/./index.html", GG_E_INVALID, NULL);
	path_is("/a//b", GG_E_INVALID, NULL);
	path_is("//", GG_E_INVALID, NULL);
	path_is("/a%00.js", GG_E_INVALID, NULL);
	path_is("/a%zz", GG_E_INVALID, NULL);
	path_is("/a%2", GG_E_INVALID, NULL);
	path_is("index.html", GG_E_INVALID, NULL);
	assert_int_equal(gg_static_path("", 0, out, sizeof(out)), GG_E_INVALID);

	/* length: GG_STATIC_PATH_MAX bytes decoded is the most, however they were written */
	raw[0] = '/';
	for (i = 1; i < GG_STATIC_PATH_MAX; i++)
		raw[i] = 'a';
	raw[GG_STATIC_PATH_MAX] = '\0';
	path_is(raw, GG_OK, raw);
	raw[GG_STATIC_PATH_MAX] = 'a';
	raw[GG_STATIC_PATH_MAX + 1] = '\0';
	path_is(raw, GG_E_TOO_LARGE, NULL);
	for (i = 1; i + 3 <= 3 * GG_STATIC_PATH_MAX + 3; i += 3)
		memcpy(raw + i, "%61", 3);
	raw[i] = '\0';
	path_is(raw, GG_E_TOO_LARGE, NULL);
	assert_int_equal(gg_static_path("/index.html", 11, out, sizeof(out)), GG_E_TOO_LARGE);
}

static void test_fallback_decision(void **state)
{
	assert_true(gg_static_fallback("/"));
	assert_true(gg_static_fallback("/talents/12"));
	assert_true(gg_static_fallback("/talents/"));
	assert_true(gg_static_fallback("/login"));
	assert_true(gg_static_fallback("/v1.2/page"));
	assert_true(gg_static_fallback("/apiary"));
	assert_true(gg_static_fallback("/metricsboard/x"));
	assert_false(gg_static_fallback("/missing.js"));
	assert_false(gg_static_fallback("/talents/12.json"));
	assert_false(gg_static_fallback("/api"));
	assert_false(gg_static_fallback("/api/"));
	assert_false(gg_static_fallback("/api/v1/nope"));
	assert_false(gg_static_fallback("/healthz"));
	assert_false(gg_static_fallback("/metrics"));
	assert_false(gg_static_fallback("/metrics/x"));
	assert_false(gg_static_fallback("talents"));

	assert_true(gg_static_reserved("/api/v1/me"));
	assert_true(gg_static_reserved("/api"));
	assert_true(gg_static_reserved("/healthz"));
	assert_true(gg_static_reserved("/metrics"));
	assert_false(gg_static_reserved("/"));
	assert_false(gg_static_reserved("/apis"));
	assert_false(gg_static_reserved("/assets/api"));
}

static void test_load(void **state)
{
	char dir[256], p[512];
	struct gg_static *s = NULL;
	struct gg_error err;

	gg_error_init(&err);
	unit_tmpdir(dir, sizeof(dir));
	make_build(dir);
	assert_int_equal(gg_static_load(dir, NULL, &s, &err), GG_OK);
	assert_true(gg_static_ready(s));
	assert_string_equal(gg_static_dir(s), dir);
	assert_int_equal(gg_static_count(s), 5); /* index, app, app.gz, logo, sub/index; not .vite/ nor .env */
	assert_int_equal(gg_static_bytes(s), strlen(index_html) + strlen(app_js) + strlen(app_js_gz) +
	                                         strlen(logo_svg) + strlen(sub_index));
	gg_static_free(s);

	/* A build without index.html loads, but is not ready. */
	snprintf(p, sizeof(p), "%s/index.html", dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(gg_static_load(dir, NULL, &s, &err), GG_OK);
	assert_false(gg_static_ready(s));
	assert_int_equal(gg_static_count(s), 4);
	gg_static_free(s);

	/* A directory that does not exist: no error, nothing served. */
	snprintf(p, sizeof(p), "%s/not-built", dir);
	assert_int_equal(gg_static_load(p, NULL, &s, &err), GG_OK);
	assert_false(gg_static_ready(s));
	assert_int_equal(gg_static_count(s), 0);
	gg_static_free(s);

	/* A file where the directory should be: a configuration error. */
	snprintf(p, sizeof(p), "%s/logo.svg", dir);
	assert_int_equal(gg_static_load(p, NULL, &s, &err), GG_E_CONFIG);
	assert_null(s);
	assert_non_null(strstr(gg_error_message(&err), "is not a directory"));

	gg_static_free(NULL);
	unit_rmtree(dir);
}

static void test_limits(void **state)
{
	char dir[256], p[512], deep[512];
	struct gg_static_limits lim;
	struct gg_static *s = NULL;
	struct gg_error err;
	size_t n;
	int i;

	unit_tmpdir(dir, sizeof(dir));
	make_build(dir);

	lim.max_files = 4; /* five files */
	lim.max_total = GG_STATIC_MAX_TOTAL;
	lim.max_file = GG_STATIC_MAX_FILE;
	gg_error_init(&err);
	assert_int_equal(gg_static_load(dir, &lim, &s, &err), GG_E_CONFIG);
	assert_null(s);
	assert_non_null(strstr(gg_error_message(&err), "more than 4 files"));
	lim.max_files = 5;
	assert_int_equal(gg_static_load(dir, &lim, &s, &err), GG_OK);
	gg_static_free(s);

	lim.max_file = strlen(index_html) - 1; /* index.html is the largest file */
	gg_error_init(&err);
	assert_int_equal(gg_static_load(dir, &lim, &s, &err), GG_E_CONFIG);
	assert_non_null(strstr(gg_error_message(&err), "'/index.html'"));
	assert_non_null(strstr(gg_error_message(&err), "at most"));
	lim.max_file = strlen(index_html);
	assert_int_equal(gg_static_load(dir, &lim, &s, &err), GG_OK);
	n = gg_static_bytes(s);
	gg_static_free(s);

	lim.max_total = n - 1;
	gg_error_init(&err);
	assert_int_equal(gg_static_load(dir, &lim, &s, &err), GG_E_CONFIG);
	assert_non_null(strstr(gg_error_message(&err), "bytes of files"));
	lim.max_total = n;
	assert_int_equal(gg_static_load(dir, &lim, &s, &err), GG_OK);
	gg_static_free(s);

	/* Nested deeper than GG_STATIC_DEPTH_MAX. */
	snprintf(deep, sizeof(deep), "%s", dir);
	for (i = 0; i <= GG_STATIC_DEPTH_MAX; i++) {
		n = strlen(deep);
		snprintf(deep + n, sizeof(deep) - n, "/d");
		mkdir_ok(deep);
	}
	gg_error_init(&err);
	assert_int_equal(gg_static_load(dir, NULL, &s, &err), GG_E_CONFIG);
	assert_non_null(strstr(gg_error_message(&err), "nested deeper"));
	snprintf(p, sizeof(p), "%s/d", dir);
	unit_rmtree(p);
	assert_int_equal(gg_static_load(dir, NULL, &s, &err), GG_OK);
	gg_static_free(s);

	/* A URL path longer than GG_STATIC_PATH_MAX. */
	snprintf(p, sizeof(p), "%s/", dir);
	n = strlen(p);
	memset(p + n, 'x', 200);
	p[n + 200] = '\0';
	mkdir_ok(p);
	n = strlen(p);
	snprintf(p + n, sizeof(p) - n, "/%.*s.js", 60,
	         "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
	unit_write_file(p, "1");
	gg_error_init(&err);
	assert_int_equal(gg_static_load(dir, NULL, &s, &err), GG_E_CONFIG);
	assert_non_null(strstr(gg_error_message(&err), "longer than 255 bytes"));

	unit_rmtree(dir);
}

struct built {
	char dir[256];
	struct gg_static *s;
};

static int built_setup(void **state)
{
	struct built *b = calloc(1, sizeof(*b));
	struct gg_error err;

	if (!b)
		return -1;
	gg_error_init(&err);
	unit_tmpdir(b->dir, sizeof(b->dir));
	make_build(b->dir);
	if (gg_static_load(b->dir, NULL, &b->s, &err) != GG_OK) {
		print_error("load: %s\n", gg_error_message(&err));
		return -1;
	}
	*state = b;
	return 0;
}

static int built_teardown(void **state)
{
	struct built *b = *state;

	gg_static_free(b->s);
	unit_rmtree(b->dir);
	free(b);
	return 0;
}

static void test_answers(void **state)
{
	struct built *b = *state;
	struct gg_req req;
	char etag[64], js_etag[64], gz_etag[64];

	/* / is index.html: HTML headers, revalidated, a strong ETag; the body is the table's, not a copy. */
	run(&req, b->s, "GET", "/", NULL, NULL);
	assert_int_equal(req.resp.status, 200);
	assert_string_equal(req.resp.ctype, "text/html; charset=utf-8");
	assert_body(&req, index_html);
	assert_true(req.resp.borrowed);
	assert_string_equal(resp_header(&req, "Cache-Control"), "no-cache");
	assert_string_equal(resp_header(&req, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(resp_header(&req, "Referrer-Policy"), "same-origin");
	assert_string_equal(resp_header(&req, "Content-Security-Policy"),
	                    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
	                    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
	                    "form-action 'self'");
	assert_non_null(resp_header(&req, "X-Request-Id"));
	assert_null(resp_header(&req, "Vary"));
	assert_string_equal(gg_router_label(&req), "static");
	assert_int_equal(gg_router_slot(&req), GG_ROUTER_SLOT_STATIC);
	gg_strlcpy(etag, resp_header(&req, "ETag"), sizeof(etag));
	assert_int_equal(strlen(etag), 34);
	assert_true(etag[0] == '"' && etag[33] == '"');
	gg_req_release(&req);

	/* The single-page application's own paths answer index.html, with its ETag. */
	run(&req, b->s, "GET", "/talents/12?tab=history", NULL, NULL);
	assert_int_equal(req.resp.status, 200);
	assert_body(&req, index_html);
	assert_string_equal(resp_header(&req, "ETag"), etag);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/sub/", NULL, NULL);
	assert_int_equal(req.resp.status, 200);
	assert_body(&req, sub_index);
	gg_req_release(&req);

	/* Hashed assets: a year, immutable; not HTML, so no CSP. Without gzip accepted, the plain file. */
	run(&req, b->s, "GET", "/assets/app-abc123.js", NULL, NULL);
	assert_int_equal(req.resp.status, 200);
	assert_string_equal(req.resp.ctype, "text/javascript; charset=utf-8");
	assert_body(&req, app_js);
	assert_string_equal(resp_header(&req, "Cache-Control"), "public, max-age=31536000, immutable");
	assert_null(resp_header(&req, "Content-Security-Policy"));
	assert_string_equal(resp_header(&req, "Referrer-Policy"), "no-referrer");
	assert_string_equal(resp_header(&req, "Vary"), "Accept-Encoding");
	assert_null(resp_header(&req, "Content-Encoding"));
	gg_strlcpy(js_etag, resp_header(&req, "ETag"), sizeof(js_etag));
	assert_string_not_equal(js_etag, etag);
	gg_req_release(&req);

	/* gzip accepted: NAME.gz with its own ETag. */
	run(&req, b->s, "GET", "/assets/app-abc123.js", "Accept-Encoding", "br, gzip, deflate");
	assert_int_equal(req.resp.status, 200);
	assert_string_equal(req.resp.ctype, "text/javascript; charset=utf-8");
	assert_body(&req, app_js_gz);
	assert_string_equal(resp_header(&req, "Content-Encoding"), "gzip");
	assert_string_equal(resp_header(&req, "Vary"), "Accept-Encoding");
	gg_strlcpy(gz_etag, resp_header(&req, "ETag"), sizeof(gz_etag));
	assert_string_not_equal(gz_etag, js_etag);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/assets/app-abc123.js", "Accept-Encoding", "*");
	assert_body(&req, app_js_gz);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/assets/app-abc123.js", "Accept-Encoding", "gzip;q=0, br");
	assert_body(&req, app_js);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/assets/app-abc123.js", "Accept-Encoding", "gzip; q=0.000");
	assert_body(&req, app_js);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/assets/app-abc123.js", "Accept-Encoding", "gzip;q=0.5");
	assert_body(&req, app_js_gz);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/assets/app-abc123.js", "Accept-Encoding", "*;q=0");
	assert_body(&req, app_js);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/assets/app-abc123.js", "Accept-Encoding", "identity");
	assert_body(&req, app_js);
	gg_req_release(&req);

	/* If-None-Match: 304 without a body for the current ETag (weak comparison, lists, "*"). */
	run(&req, b->s, "GET", "/assets/app-abc123.js", "If-None-Match", js_etag);
	assert_int_equal(req.resp.status, 304);
	assert_null(req.resp.body);
	assert_int_equal(req.resp.len, 0);
	assert_string_equal(resp_header(&req, "ETag"), js_etag);
	assert_string_equal(resp_header(&req, "Cache-Control"), "public, max-age=31536000, immutable");
	gg_req_release(&req);
	{
		char list[160];
		snprintf(list, sizeof(list), "\"0000\", W/%s", etag);
		run(&req, b->s, "GET", "/talents/3", "If-None-Match", list);
		assert_int_equal(req.resp.status, 304);
		gg_req_release(&req);
	}
	run(&req, b->s, "GET", "/logo.svg", "If-None-Match", "*");
	assert_int_equal(req.resp.status, 304);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/logo.svg", "If-None-Match", "\"0000\"");
	assert_int_equal(req.resp.status, 200);
	assert_string_equal(req.resp.ctype, "image/svg+xml");
	assert_string_equal(resp_header(&req, "Cache-Control"), "no-cache");
	assert_body(&req, logo_svg);
	gg_req_release(&req);
	run(&req, b->s, "GET", "/logo.svg", "If-None-Match", "garbage");
	assert_int_equal(req.resp.status, 200);
	gg_req_release(&req);

	/* HEAD answers as GET (the server sends no body). */
	run(&req, b->s, "HEAD", "/logo.svg", NULL, NULL);
	assert_int_equal(req.resp.status, 200);
	assert_int_equal(req.resp.len, strlen(logo_svg));
	gg_req_release(&req);
}

/* What is not the UI's stays the router's problem+json 404. */
static void test_not_the_uis(void **state)
{
	struct built *b = *state;
	struct gg_req req;
	static const char *const gets[] = {
	    "/missing.js",
	    "/api/v1/nope",
	    "/api",
	    "/api/",
	    "/%2e%2e/index.html",
	    "/assets/../index.html",
	    "/.env",
	    "/.vite/manifest.json",
	    "/a//b",
	    "/index.html%00",
	    "/sub", /* a directory is not a file: no '.'... */
	};
	size_t i;

	for (i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		run(&req, b->s, "GET", gets[i], NULL, NULL);
		if (strcmp(gets[i], "/sub") == 0) {
			/* ... so it is a page of the application */
			assert_int_equal(req.resp.status, 200);
			assert_body(&req, index_html);
		} else if (strcmp(gets[i], "/index.html%00") == 0) {
			assert_int_equal(req.resp.status, 400);
		} else {
			if (req.resp.status != 404)
				fail_msg("GET %s: %d, want 404", gets[i], req.resp.status);
			assert_string_equal(req.resp.ctype, "application/problem+json");
			assert_string_equal(resp_header(&req, "Cache-Control"), "no-store");
			assert_null(resp_header(&req, "ETag"));
			assert_string_equal(gg_router_label(&req), "unmatched");
		}
		gg_req_release(&req);
	}
	/* Other methods never reach the files. */
	run(&req, b->s, "POST", "/talents/12", NULL, NULL);
	assert_int_equal(req.resp.status, 404);
	assert_string_equal(req.resp.ctype, "application/problem+json");
	gg_req_release(&req);
	run(&req, b->s, "DELETE", "/index.html", NULL, NULL);
	assert_int_equal(req.resp.status, 404);
	gg_req_release(&req);
	/* Routes stay routes: HEAD /healthz is the route's 405, not a page. */
	run(&req, b->s, "HEAD", "/healthz", NULL, NULL);
	assert_int_equal(req.resp.status, 405);
	gg_req_release(&req);
	/* Without a table nothing is served. */
	run(&req, NULL, "GET", "/", NULL, NULL);
	assert_int_equal(req.resp.status, 404);
	gg_req_release(&req);
}

static void test_not_built(void **state)
{
	char dir[256], missing[300];
	struct gg_static *s = NULL;
	struct gg_error err;
	struct gg_req req;

	gg_error_init(&err);
	unit_tmpdir(dir, sizeof(dir));
	snprintf(missing, sizeof(missing), "%s/web/dist", dir);
	assert_int_equal(gg_static_load(missing, NULL, &s, &err), GG_OK);

	run(&req, s, "GET", "/", NULL, NULL);
	assert_int_equal(req.resp.status, 503);
	assert_string_equal(req.resp.ctype, "text/plain; charset=utf-8");
	assert_non_null(req.resp.body);
	assert_non_null(strstr(req.resp.body, missing));
	assert_non_null(strstr(req.resp.body, "Run make to build the web UI"));
	assert_string_equal(resp_header(&req, "Cache-Control"), "no-store");
	gg_req_release(&req);
	run(&req, s, "GET", "/talents/12", NULL, NULL);
	assert_int_equal(req.resp.status, 503);
	gg_req_release(&req);
	run(&req, s, "GET", "/app.js", NULL, NULL);
	assert_int_equal(req.resp.status, 404);
	gg_req_release(&req);
	run(&req, s, "GET", "/api/v1/nope", NULL, NULL);
	assert_int_equal(req.resp.status, 404);
	assert_string_equal(req.resp.ctype, "application/problem+json");
	gg_req_release(&req);

	gg_static_free(s);
	unit_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_content_types),
	    cmocka_unit_test(test_path_validation),
	    cmocka_unit_test(test_fallback_decision),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_not_built),
	};
	const struct CMUnitTest built_tests[] = {
	    cmocka_unit_test(test_answers),
	    cmocka_unit_test(test_not_the_uis),
	};
	int failed;

	if (gg_crypto_init() != GG_OK)
		return 1;
	gg_log_setup(fopen("/dev/null", "w"), GG_LOG_ERROR);
	gg_config_init(&test_cfg);
	failed = cmocka_run_group_tests_name("static", tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("static_built", built_tests, built_setup, built_teardown);
	return failed;
}
