/*
 * router: turns a request the server collected into a response. It owns
 * the route table (routes.tbl), splits and percent-decodes the path,
 * matches it (404 unknown path, 405 with Allow for a known path), picks
 * the request id, authenticates the caller (bearer token, else session
 * cookie), checks the route's permission, a required password change and
 * the CSRF token of session writes, checks the content type and parses
 * the JSON body, then calls the handler. Whatever fails becomes RFC 9457
 * problem+json built from struct gg_error. It also implements the gg_req_*
 * and gg_resp_* functions handlers use; none of it knows libmicrohttpd.
 */
#include "router.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/crypto.h"
#include "../core/log.h"
#include "../domain/session.h"
#include "../domain/token.h"
#include "api.h"
#include "multipart.h"
#include "static.h"

const struct gg_route gg_routes[] = {
#define GG_ROUTE(method, path, handler, perm, flags) {#method, path, handler, GG_PERM_##perm, flags},
#include "routes.tbl"
#undef GG_ROUTE
};
const size_t gg_nroutes = sizeof(gg_routes) / sizeof(gg_routes[0]);

/* Handlers that answer without the database: the router does not open it for them. */
static const gg_handler_fn no_db_handlers[] = {api_health_get, api_metrics_get};

#define PROBLEM_MAX (64 * 1024)
#define COOKIE_MAX  256
#define CURSOR_LEN  11

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decoding never lengthens: out needs len + 1 bytes whatever the escapes. */
long gg_router_pct_decode(const char *s, size_t len, char *out, int plus_space)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (i + 2 >= len)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (plus_space && s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return (long)o;
}

enum gg_err gg_path_parse(const char *raw, size_t len, struct gg_path *out)
{
	size_t i, start;
	char *w;
	long n;

	memset(out, 0, sizeof(*out));
	if (len == 0 || raw[0] != '/')
		return GG_E_INVALID;
	out->mem = malloc(len + 1);
	if (!out->mem)
		return GG_E_NOMEM;
	w = out->mem;
	start = 1;
	for (i = 1; i <= len; i++) {
		if (i < len && raw[i] != '/')
			continue;
		if (out->nseg == GG_ROUTER_SEGMENTS_MAX) {
			gg_path_release(out);
			return GG_E_NOT_FOUND;
		}
		n = gg_router_pct_decode(raw + start, i - start, w, 0);
		if (n < 0) {
			gg_path_release(out);
			return GG_E_INVALID;
		}
		out->seg[out->nseg++] = w;
		w += n + 1;
		start = i + 1;
	}
	return GG_OK;
}

void gg_path_release(struct gg_path *p)
{
	free(p->mem);
	memset(p, 0, sizeof(*p));
}

/* Matches path against pattern; params filled on a match. */
static int pattern_match(const char *pattern, const struct gg_path *path, struct gg_route_params *params)
{
	const char *p = pattern + 1, *end;
	size_t i = 0, n;

	params->n = 0;
	for (;;) {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (i >= path->nseg)
			return 0;
		if (n >= 2 && p[0] == '{' && p[n - 1] == '}') {
			if (path->seg[i][0] == '\0' || params->n == GG_ROUTER_PARAMS_MAX)
				return 0;
			params->p[params->n].name = p + 1;
			params->p[params->n].name_len = n - 2;
			params->p[params->n].value = path->seg[i];
			params->n++;
		} else if (strlen(path->seg[i]) != n || memcmp(path->seg[i], p, n) != 0) {
			return 0;
		}
		i++;
		if (!end)
			break;
		p = end + 1;
	}
	return i == path->nseg;
}

enum gg_match gg_router_match(const char *method, const struct gg_path *path, size_t *route,
                              struct gg_route_params *params, char *allow, size_t allowsz)
{
	struct gg_route_params scratch;
	int known = 0;
	size_t r, j;

	if (allowsz)
		allow[0] = '\0';
	for (r = 0; r < gg_nroutes; r++) {
		if (!pattern_match(gg_routes[r].pattern, path, &scratch))
			continue;
		if (strcmp(gg_routes[r].method, method) == 0) {
			*route = r;
			*params = scratch;
			return GG_MATCH_OK;
		}
		/* List each method once, in table order. */
		for (j = 0; j < r; j++) {
			if (strcmp(gg_routes[j].method, gg_routes[r].method) == 0 &&
			    pattern_match(gg_routes[j].pattern, path, &scratch))
				break;
		}
		if (j == r && allowsz) {
			size_t used = strlen(allow);
			snprintf(allow + used, allowsz - used, "%s%s", known ? ", " : "", gg_routes[r].method);
		}
		known = 1;
	}
	return known ? GG_MATCH_METHOD : GG_MATCH_NOT_FOUND;
}

void gg_req_cursor_encode(int64_t id, char *out, size_t outsz)
{
	uint64_t v = (uint64_t)id;
	unsigned char b[8];
	char s[CURSOR_LEN + 1];
	size_t i, bit;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	/* 64 bits as 11 six-bit groups, the last one padded with two zero bits. */
	for (i = 0; i < CURSOR_LEN; i++) {
		unsigned six = 0;
		for (bit = 0; bit < 6; bit++) {
			size_t k = i * 6 + bit;
			unsigned one = k < 64 ? (b[k / 8] >> (7 - k % 8)) & 1u : 0u;
			six = (six << 1) | one;
		}
		s[i] = b64url[six];
	}
	s[CURSOR_LEN] = '\0';
	gg_strlcpy(out, s, outsz);
}

enum gg_err gg_router_cursor_decode(const char *s, int64_t *out)
{
	uint64_t v = 0;
	size_t i;
	const char *c;
	unsigned six;

	if (!s || strlen(s) != CURSOR_LEN)
		return GG_E_INVALID;
	for (i = 0; i < CURSOR_LEN; i++) {
		c = s[i] ? strchr(b64url, s[i]) : NULL;
		if (!c)
			return GG_E_INVALID;
		six = (unsigned)(c - b64url);
		if (i < CURSOR_LEN - 1) {
			v = (v << 6) | six;
		} else {
			if (six & 3u)
				return GG_E_INVALID; /* not canonical: padding bits set */
			v = (v << 4) | (six >> 2);
		}
	}
	if (v == 0 || v > (uint64_t)INT64_MAX)
		return GG_E_INVALID;
	*out = (int64_t)v;
	return GG_OK;
}

enum gg_err gg_req_init(struct gg_req *req, const struct gg_config *cfg, const char *uri)
{
	const char *q;

	memset(req, 0, sizeof(*req));
	req->cfg = cfg;
	req->route = -1;
	req->match = GG_MATCH_NOT_FOUND;
	gg_buf_init(&req->body, cfg ? (size_t)gg_config_int(cfg, GG_CFG_max_body_bytes) : 1024 * 1024);
	req->uri = strdup(uri ? uri : "");
	if (!req->uri)
		return GG_E_NOMEM;
	/* An absolute-form target (RFC 9112, 3.2.2) names the path after scheme and authority. */
	req->target = req->uri;
	if (strncasecmp(req->uri, "http://", 7) == 0 || strncasecmp(req->uri, "https://", 8) == 0) {
		req->target = strstr(req->uri, "://") + 3;
		req->target += strcspn(req->target, "/?");
	}
	q = strchr(req->target, '?');
	req->path_len = q ? (size_t)(q - req->target) : strlen(req->target);
	return GG_OK;
}

static void resp_clear_body(struct gg_resp *r)
{
	if (!r->borrowed)
		free(r->body);
	r->borrowed = 0;
	r->body = NULL;
	r->len = 0;
	r->ctype[0] = '\0';
}

void gg_req_release(struct gg_req *req)
{
	gg_buf_release(&req->body);
	free(req->uri);
	req->uri = NULL;
	gg_path_release(&req->dpath);
	free(req->qmem);
	req->qmem = NULL;
	gg_json_free(req->json);
	req->json = NULL;
	gg_resp_reset(req);
}

void gg_resp_reset(struct gg_req *req)
{
	size_t i;

	resp_clear_body(&req->resp);
	for (i = 0; i < req->resp.nheaders; i++) {
		free(req->resp.headers[i].name);
		free(req->resp.headers[i].value);
	}
	req->resp.nheaders = 0;
	req->resp.nhandler = 0;
	req->resp.status = 0;
}

void gg_req_set_method(struct gg_req *req, const char *method)
{
	gg_strlcpy(req->method, method ? method : "", sizeof(req->method));
}

/* Splits the query string into decoded name/value pairs. */
static enum gg_err parse_query(struct gg_req *req)
{
	const char *q, *end, *eq, *amp;
	char *w;
	long n;

	if (req->target[req->path_len] != '?')
		return GG_OK;
	q = req->target + req->path_len + 1;
	end = q + strlen(q);
	/* Each byte decodes to at most one byte, plus a NUL per name and value. */
	req->qmem = malloc((size_t)(end - q) + 2 * GG_ROUTER_QUERY_MAX + 2);
	if (!req->qmem)
		return GG_E_NOMEM;
	w = req->qmem;
	while (q < end && req->nquery < GG_ROUTER_QUERY_MAX) {
		amp = memchr(q, '&', (size_t)(end - q));
		if (!amp)
			amp = end;
		if (amp == q) {
			q++;
			continue;
		}
		eq = memchr(q, '=', (size_t)(amp - q));
		if (!eq)
			eq = amp;
		n = gg_router_pct_decode(q, (size_t)(eq - q), w, 1);
		if (n < 0)
			return GG_E_INVALID;
		req->qname[req->nquery] = w;
		w += n + 1;
		n = eq < amp ? gg_router_pct_decode(eq + 1, (size_t)(amp - eq - 1), w, 1)
		             : gg_router_pct_decode("", 0, w, 1);
		if (n < 0)
			return GG_E_INVALID;
		req->qvalue[req->nquery++] = w;
		w += n + 1;
		q = amp < end ? amp + 1 : end;
	}
	return GG_OK;
}

/* A client's X-Request-Id is reused when it is 1..64 of [A-Za-z0-9._-]. */
static int request_id_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/*
 * A fresh request id: 12 random bytes as 16 base64url characters. The
 * bytes come from the system's generator 64 ids at a time into a pool of
 * the worker thread, so a request does not pay a system call for its id
 * (measured: one getrandom per request on the card verifier, bench/verify.sh).
 * Ids are not secrets; they only need to be unique.
 */
#define RID_BYTES 12
#define RID_POOL  (64 * RID_BYTES)

static void request_id_new(char *out, size_t outsz)
{
	static _Thread_local unsigned char pool[RID_POOL];
	static _Thread_local size_t used = RID_POOL;
	const unsigned char *b;
	size_t o = 0;

	if (outsz < 4 * RID_BYTES / 3 + 1) {
		gg_crypto_token(out, outsz, RID_BYTES);
		return;
	}
	if (used == RID_POOL) {
		gg_crypto_random(pool, sizeof pool);
		used = 0;
	}
	b = pool + used;
	used += RID_BYTES;
	for (size_t i = 0; i < RID_BYTES; i += 3) {
		unsigned v = (unsigned)b[i] << 16 | (unsigned)b[i + 1] << 8 | b[i + 2];
		out[o++] = b64url[v >> 18 & 63];
		out[o++] = b64url[v >> 12 & 63];
		out[o++] = b64url[v >> 6 & 63];
		out[o++] = b64url[v & 63];
	}
	out[o] = '\0';
}

void gg_router_begin(struct gg_req *req)
{
	const char *rid;
	size_t route = 0;
	enum gg_err rc;

	if (req->begun)
		return;
	req->begun = 1;
	/* The logged path is cut to fit; matching uses the whole path. */
	if (req->path_len < sizeof(req->path)) {
		memcpy(req->path, req->target, req->path_len);
		req->path[req->path_len] = '\0';
	} else {
		memcpy(req->path, req->target, sizeof(req->path) - 1);
		req->path[sizeof(req->path) - 1] = '\0';
	}

	rid = gg_req_header(req, "X-Request-Id");
	if (rid && request_id_ok(rid))
		gg_strlcpy(req->id, rid, sizeof(req->id));
	else
		request_id_new(req->id, sizeof(req->id));

	rc = gg_path_parse(req->target, req->path_len, &req->dpath);
	if (rc == GG_E_NOT_FOUND) {
		req->match = GG_MATCH_NOT_FOUND;
		return;
	}
	if (rc != GG_OK) {
		req->begin_err = rc;
		req->begin_msg = req->path_len && req->target[0] == '/' ? "malformed percent-encoding in the path"
		                                                        : "the request target is not a path";
		return;
	}
	rc = parse_query(req);
	if (rc != GG_OK) {
		req->begin_err = rc;
		req->begin_msg = "malformed percent-encoding in the query string";
		return;
	}
	req->match = gg_router_match(req->method, &req->dpath, &route, &req->params, req->allow, sizeof(req->allow));
	if (req->match == GG_MATCH_OK)
		req->route = (long)route;
	/* An upload route takes files up to max_upload_bytes; the body is still empty here. */
	if (req->match == GG_MATCH_OK && (gg_routes[route].flags & GG_ROUTE_UPLOAD) && req->cfg && req->body.len == 0)
		req->body.max = (size_t)gg_config_int(req->cfg, GG_CFG_max_upload_bytes);
}

const char *gg_router_label(const struct gg_req *req)
{
	if (req->is_static)
		return "static";
	return req->route >= 0 ? gg_routes[req->route].pattern : "unmatched";
}

size_t gg_router_slot(const struct gg_req *req)
{
	if (req->is_static)
		return GG_ROUTER_SLOT_STATIC;
	return req->route >= 0 ? (size_t)req->route : GG_ROUTER_SLOT_UNMATCHED;
}

enum gg_err gg_router_access_fields(const struct gg_req *req, int64_t duration_us, struct gg_buf *out)
{
	enum gg_err rc;

	if (duration_us < 0)
		duration_us = 0;
	rc = gg_buf_adds(out, "\"event\":\"access\",\"request_id\":");
	if (rc == GG_OK)
		rc = gg_buf_add_json_str(out, req->id);
	if (rc == GG_OK)
		rc = gg_buf_adds(out, ",\"method\":");
	if (rc == GG_OK)
		rc = gg_buf_add_json_str(out, req->method);
	if (rc == GG_OK)
		rc = gg_buf_adds(out, ",\"path\":");
	if (rc == GG_OK)
		rc = gg_buf_add_json_str(out, req->path);
	if (rc == GG_OK)
		rc = gg_buf_adds(out, ",\"route\":");
	if (rc == GG_OK)
		rc = gg_buf_add_json_str(out, gg_router_label(req));
	if (rc == GG_OK)
		rc = gg_buf_addf(
		    out, ",\"status\":%d,\"duration_ms\":%lld.%03lld,\"bytes\":%zu,\"user_id\":%lld,\"client\":",
		    req->resp.status, (long long)(duration_us / 1000), (long long)(duration_us % 1000), req->resp.len,
		    (long long)req->pr.user_id);
	if (rc == GG_OK)
		rc = gg_buf_add_json_str(out, req->client);
	return rc;
}

/* The request, as handlers see it. */

const char *gg_req_method(const struct gg_req *req)
{
	return req->method;
}

const char *gg_req_path(const struct gg_req *req)
{
	return req->path;
}

const char *gg_req_param(const struct gg_req *req, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < req->params.n; i++) {
		if (req->params.p[i].name_len == n && memcmp(req->params.p[i].name, name, n) == 0)
			return req->params.p[i].value;
	}
	return NULL;
}

enum gg_err gg_req_param_id(const struct gg_req *req, const char *name, int64_t *out, struct gg_error *err)
{
	const char *s = gg_req_param(req, name);
	long long v;

	if (!s || gg_parse_i64(s, 1, INT64_MAX, &v) != GG_OK)
		return gg_error_set(err, GG_E_NOT_FOUND, "no record with %s '%.40s'", name, s ? s : "");
	*out = (int64_t)v;
	return GG_OK;
}

const char *gg_req_query(const struct gg_req *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nquery; i++) {
		if (strcmp(req->qname[i], name) == 0)
			return req->qvalue[i];
	}
	return NULL;
}

const char *gg_req_header(const struct gg_req *req, const char *name)
{
	if (!req->io.header)
		return NULL;
	return req->io.header(req->io.ctx, name);
}

struct gg_json *gg_req_body(const struct gg_req *req)
{
	return req->json;
}

const char *gg_req_raw_body(const struct gg_req *req, size_t *len)
{
	*len = req->body.len;
	return req->body.buf;
}

const char *gg_req_content_type(const struct gg_req *req)
{
	return gg_req_header(req, "Content-Type");
}

enum gg_err gg_req_multipart(const struct gg_req *req, struct gg_multipart **out, struct gg_error *err)
{
	char boundary[GG_MULTIPART_BOUNDARY_MAX];
	struct gg_multipart *mp;
	enum gg_err rc;

	*out = NULL;
	if ((rc = gg_multipart_boundary(gg_req_content_type(req), boundary, err)) != GG_OK)
		return rc;
	if (!(mp = malloc(sizeof(*mp))))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((rc = gg_multipart_parse(req->body.buf, req->body.len, boundary, mp, err)) != GG_OK) {
		free(mp);
		return rc;
	}
	*out = mp;
	return GG_OK;
}

const struct gg_principal *gg_req_principal(const struct gg_req *req)
{
	return &req->pr;
}

struct gg_db *gg_req_db_try(struct gg_req *req, struct gg_error *err)
{
	if (!req->db && req->io.db)
		req->db = req->io.db(req->io.ctx, err);
	else if (!req->db)
		gg_error_set(err, GG_E_UNAVAILABLE, "no database connection");
	return req->db;
}

struct gg_db *gg_req_db(struct gg_req *req)
{
	struct gg_error err;

	gg_error_init(&err);
	return gg_req_db_try(req, &err);
}

const struct gg_config *gg_req_config(const struct gg_req *req)
{
	return req->cfg;
}

const struct gg_keys *gg_req_keys(const struct gg_req *req)
{
	return req->keys;
}

const struct gg_policyset *gg_req_policies(const struct gg_req *req)
{
	return req->policies;
}

const char *gg_req_id(const struct gg_req *req)
{
	return req->id;
}

const char *gg_req_client(const struct gg_req *req)
{
	return req->client;
}

const char *gg_req_query_text(const struct gg_req *req, const char *name, size_t max, struct gg_error *err)
{
	const char *s = gg_req_query(req, name);

	if (!s || !*s)
		return NULL;
	if (strlen(s) > max) {
		gg_error_field(err, GG_E_INVALID, name, "%s must be at most %zu bytes", name, max);
		return NULL;
	}
	return s;
}

void gg_req_query_id(const struct gg_req *req, const char *name, int64_t *out, struct gg_error *err)
{
	const char *s = gg_req_query(req, name);
	long long v;

	*out = 0;
	if (!s)
		return;
	if (gg_parse_i64(s, 1, INT64_MAX, &v) != GG_OK)
		gg_error_field(err, GG_E_INVALID, name, "%s must be a positive whole number", name);
	else
		*out = (int64_t)v;
}

enum gg_err gg_req_if_match(const struct gg_req *req, const char *what, int64_t id, int64_t current_version,
                            int64_t *version, struct gg_error *err)
{
	const char *h = gg_req_header(req, "If-Match");
	char tag[32];
	size_t len;
	long long v;

	if (!h)
		return gg_error_set(err, GG_E_PRECONDITION, "send If-Match with the ETag of %s %lld", what,
		                    (long long)id);
	while (*h == ' ' || *h == '\t')
		h++;
	if (strcmp(h, "*") == 0) {
		*version = current_version;
		return GG_OK;
	}
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	len = strlen(h);
	while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
		len--;
	if (len >= 2 && h[0] == '"' && h[len - 1] == '"') {
		h++;
		len -= 2;
	}
	if (len > 0 && len < sizeof tag) {
		memcpy(tag, h, len);
		tag[len] = '\0';
		if (gg_parse_i64(tag, 1, INT64_MAX, &v) == GG_OK) {
			*version = (int64_t)v;
			return GG_OK;
		}
	}
	return gg_error_set(err, GG_E_STALE, "If-Match does not name a version of %s %lld", what, (long long)id);
}

enum gg_err gg_req_page(const struct gg_req *req, int *limit, int64_t *cursor, struct gg_error *err)
{
	const char *s;
	long long v;

	*limit = 50;
	*cursor = 0;
	s = gg_req_query(req, "limit");
	if (s) {
		if (gg_parse_i64(s, 1, 200, &v) != GG_OK)
			return gg_error_field(err, GG_E_INVALID, "limit", "limit must be a whole number from 1 to 200");
		*limit = (int)v;
	}
	s = gg_req_query(req, "cursor");
	if (s && *s && gg_router_cursor_decode(s, cursor) != GG_OK)
		return gg_error_field(err, GG_E_INVALID, "cursor", "malformed cursor");
	return GG_OK;
}

/* The response. */

static int header_name_ok(const char *s)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";

	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr(extra, *s)))
			return 0;
	}
	return 1;
}

static int header_value_ok(const char *s)
{
	if (!s)
		return 0;
	for (; *s; s++) {
		if (*s == '\r' || *s == '\n')
			return 0;
	}
	return 1;
}

static enum gg_err add_header(struct gg_resp *r, const char *name, const char *value)
{
	struct gg_resp_hdr *h;

	if (!header_name_ok(name) || !header_value_ok(value))
		return GG_E_INVALID;
	if (r->nheaders == GG_RESP_HEADERS_MAX)
		return GG_E_TOO_LARGE;
	h = &r->headers[r->nheaders];
	h->name = strdup(name);
	h->value = strdup(value);
	if (!h->name || !h->value) {
		free(h->name);
		free(h->value);
		h->name = h->value = NULL;
		return GG_E_NOMEM;
	}
	r->nheaders++;
	return GG_OK;
}

static int has_header(const struct gg_resp *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, name) == 0)
			return 1;
	}
	return 0;
}

static enum gg_err set_body(struct gg_req *req, int status, const char *ctype, char *body, size_t len)
{
	if (!ctype)
		ctype = "";
	if (strlen(ctype) >= sizeof(req->resp.ctype)) {
		free(body);
		resp_clear_body(&req->resp);
		return GG_E_INVALID;
	}
	resp_clear_body(&req->resp);
	memcpy(req->resp.ctype, ctype, strlen(ctype) + 1);
	req->resp.body = body;
	req->resp.len = len;
	req->resp.status = status;
	return GG_OK;
}

enum gg_err gg_resp_borrowed(struct gg_req *req, int status, const char *content_type, const void *data, size_t len)
{
	enum gg_err rc = set_body(req, status, content_type, NULL, 0);

	if (rc != GG_OK)
		return rc;
	req->resp.body = (char *)data; /* never written nor freed: borrowed */
	req->resp.len = len;
	req->resp.borrowed = 1;
	return GG_OK;
}

enum gg_err gg_resp_json(struct gg_req *req, int status, struct gg_json *body)
{
	char *text;
	size_t len = 0;

	if (!body)
		return GG_E_NOMEM;
	text = gg_json_dump(body, &len);
	gg_json_free(body);
	if (!text)
		return GG_E_NOMEM;
	return set_body(req, status, "application/json", text, len);
}

enum gg_err gg_resp_empty(struct gg_req *req, int status)
{
	resp_clear_body(&req->resp);
	req->resp.status = status;
	return GG_OK;
}

enum gg_err gg_resp_bytes(struct gg_req *req, int status, const char *content_type, const void *data, size_t len)
{
	char *copy = malloc(len ? len : 1);

	if (!copy)
		return GG_E_NOMEM;
	if (len)
		memcpy(copy, data, len);
	return set_body(req, status, content_type, copy, len);
}

enum gg_err gg_resp_header(struct gg_req *req, const char *name, const char *value)
{
	enum gg_err rc;

	if (req->resp.nhandler >= GG_RESP_HANDLER_HEADERS)
		return GG_E_TOO_LARGE;
	rc = add_header(&req->resp, name, value);
	if (rc == GG_OK)
		req->resp.nhandler++;
	return rc;
}

#define FILENAME_MAX_BYTES 200

/* RFC 5987 attr-char: sent as is in filename*; every other byte is percent-encoded. */
static int attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$&+-.^_`|~", c));
}

enum gg_err gg_resp_list(struct gg_req *req, struct gg_json *items, int more, int64_t last_id, struct gg_error *err)
{
	struct gg_json *body = gg_json_object();
	char cursor[32];
	int ok;

	if (!body || gg_json_set(body, "items", items) != GG_OK) {
		/* gg_json_set took items over even when it failed */
		if (!body)
			gg_json_free(items);
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	if (more) {
		gg_req_cursor_encode(last_id, cursor, sizeof cursor);
		ok = gg_json_set_str(body, "next_cursor", cursor) == GG_OK;
	} else {
		ok = gg_json_set_null(body, "next_cursor") == GG_OK;
	}
	if (!ok) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, body);
}

enum gg_err gg_resp_etag(struct gg_req *req, int64_t version)
{
	char tag[32];

	snprintf(tag, sizeof tag, "\"%lld\"", (long long)version);
	return gg_resp_header(req, "ETag", tag);
}

enum gg_err gg_resp_attachment(struct gg_req *req, const char *content_type, const char *filename, const void *data,
                               size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char ascii[FILENAME_MAX_BYTES + 1], ext[3 * FILENAME_MAX_BYTES + 1], line[4 * FILENAME_MAX_BYTES + 96];
	size_t i, n = filename ? strlen(filename) : 0, a = 0, e = 0, step;
	unsigned char c;
	enum gg_err rc;

	if (n == 0 || n > FILENAME_MAX_BYTES)
		return GG_E_INVALID;
	for (i = 0; i < n; i += step) {
		c = (unsigned char)filename[i];
		step = gg_utf8_next(filename + i, n - i, NULL);
		if (step == 0 || c < 0x20 || c == 0x7f || c == '/' || c == '\\')
			return GG_E_INVALID;
		/* The plain filename is ASCII: a non-ASCII character becomes '_', as do quote and percent. */
		ascii[a++] = step > 1 || c == '"' || c == '%' || c == ';' ? '_' : (char)c;
		for (size_t k = 0; k < step; k++) {
			c = (unsigned char)filename[i + k];
			if (attr_char(c)) {
				ext[e++] = (char)c;
			} else {
				ext[e++] = '%';
				ext[e++] = hex[c >> 4];
				ext[e++] = hex[c & 15];
			}
		}
	}
	ascii[a] = '\0';
	ext[e] = '\0';
	if (gg_snprintf(line, sizeof(line), "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, ext) != GG_OK)
		return GG_E_INVALID;
	rc = gg_resp_header(req, "Content-Disposition", line);
	if (rc != GG_OK)
		return rc;
	return gg_resp_bytes(req, 200, content_type, data, len);
}

/* Cookie values we set are base64url tokens; refuse anything a cookie cannot carry. */
static int cookie_value_ok(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\')
			return 0;
	}
	return 1;
}

enum gg_err gg_resp_session_cookie(struct gg_req *req, const char *value, int64_t max_age_seconds)
{
	char line[COOKIE_MAX + 128];
	int secure = req->cfg && gg_config_bool(req->cfg, GG_CFG_cookie_secure);

	if (!value) {
		value = "";
		max_age_seconds = 0;
	}
	if (!cookie_value_ok(value) || strlen(value) > COOKIE_MAX || max_age_seconds < 0)
		return GG_E_INVALID;
	if (gg_snprintf(line, sizeof(line), "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
	                GG_SESSION_COOKIE, value, (long long)max_age_seconds, secure ? "; Secure" : "") != GG_OK)
		return GG_E_INVALID;
	return gg_resp_header(req, "Set-Cookie", line);
}

/* Dispatch. */

static int is_write(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 || strcmp(method, "PATCH") == 0 ||
	       strcmp(method, "DELETE") == 0;
}

/* "Bearer <token>" (scheme case-insensitive); *token points at the token (may be ""). */
static int bearer_token(const char *authz, const char **token)
{
	while (*authz == ' ' || *authz == '\t')
		authz++;
	if (strncasecmp(authz, "Bearer", 6) != 0 || (authz[6] != ' ' && authz[6] != '\t' && authz[6] != '\0'))
		return 0;
	authz += 6;
	while (*authz == ' ' || *authz == '\t')
		authz++;
	*token = authz;
	return 1;
}

/*
 * Finds the gg_session cookie in a Cookie header. 1 with the value in out,
 * 0 when absent or empty, -1 when present but too long to be one of ours.
 */
static int session_cookie(const char *header, char *out, size_t outsz)
{
	const char *p = header, *name, *val, *end;
	size_t nlen = strlen(GG_SESSION_COOKIE);

	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		name = p;
		end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		val = memchr(name, '=', (size_t)(end - name));
		if (val && (size_t)(val - name) == nlen && memcmp(name, GG_SESSION_COOKIE, nlen) == 0) {
			size_t vlen;
			val++;
			vlen = (size_t)(end - val);
			while (vlen && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
				val++;
				vlen -= 2;
			}
			if (vlen == 0)
				return 0;
			if (vlen >= outsz)
				return -1;
			memcpy(out, val, vlen);
			out[vlen] = '\0';
			return 1;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

static void anonymous(struct gg_principal *pr)
{
	memset(pr, 0, sizeof(*pr));
	pr->kind = GG_AUTH_NONE;
}

/*
 * Fills req->pr from a bearer token or the session cookie. On a public
 * route any failure leaves the caller anonymous; elsewhere no credentials
 * is 401 unauthenticated, a bad token 401 invalid_token, a bad cookie 401
 * session_expired, and a database failure its own error.
 */
static enum gg_err authenticate(struct gg_req *req, const struct gg_route *rt, struct gg_error *err)
{
	int public = rt->perm == GG_PERM_public;
	const char *authz = gg_req_header(req, "Authorization");
	const char *cookies = gg_req_header(req, "Cookie");
	const char *bearer = NULL;
	char cookie[COOKIE_MAX + 1];
	struct gg_error aerr;
	struct gg_db *db;
	enum gg_err rc;
	int has_cookie = 0;

	anonymous(&req->pr);
	gg_error_init(&aerr);
	if (!(authz && bearer_token(authz, &bearer)))
		bearer = NULL;
	if (!bearer && cookies)
		has_cookie = session_cookie(cookies, cookie, sizeof(cookie));
	if (!bearer && has_cookie == 0)
		return public ? GG_OK : gg_error_set(err, GG_E_UNAUTHENTICATED, NULL);
	if (!bearer && has_cookie < 0)
		return public ? GG_OK : gg_error_set(err, GG_E_SESSION_EXPIRED, NULL);
	if (bearer && !*bearer)
		return public ? GG_OK : gg_error_set(err, GG_E_TOKEN_INVALID, NULL);

	db = gg_req_db_try(req, &aerr);
	if (!db) {
		rc = aerr.code != GG_OK ? aerr.code : GG_E_UNAVAILABLE;
		goto fail;
	}
	if (bearer)
		rc = gg_token_authenticate(db, bearer, &req->pr, &aerr);
	else
		rc = gg_session_authenticate(db, req->cfg, cookie, &req->pr, &aerr);
	gg_db_rollback(db);
	if (rc == GG_OK && req->pr.kind != GG_AUTH_NONE)
		return GG_OK;
	if (rc == GG_OK)
		rc = bearer ? GG_E_TOKEN_INVALID : GG_E_SESSION_EXPIRED;
fail:
	anonymous(&req->pr);
	if (public)
		return GG_OK;
	*err = aerr;
	err->code = rc;
	return rc;
}

static enum gg_err check_csrf(struct gg_req *req, const struct gg_route *rt, struct gg_error *err)
{
	const char *sent;
	size_t n;

	if (req->pr.kind != GG_AUTH_SESSION || rt->perm == GG_PERM_public || !is_write(req->method))
		return GG_OK;
	sent = gg_req_header(req, "X-CSRF-Token");
	n = strnlen(req->pr.csrf_token, sizeof(req->pr.csrf_token));
	if (!sent || n == 0 || n == sizeof(req->pr.csrf_token) || strlen(sent) != n ||
	    !gg_crypto_equal(sent, req->pr.csrf_token, n))
		return gg_error_set(err, GG_E_CSRF, "missing or invalid X-CSRF-Token header");
	return GG_OK;
}

/* application/json, optionally with charset=utf-8 (any case, quotes allowed). */
static int content_type_json(const char *ct)
{
	static const char want[] = "application/json";
	const char *p, *v;
	size_t n;

	if (!ct)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	n = strlen(want);
	if (strncasecmp(ct, want, n) != 0)
		return 0;
	p = ct + n;
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p == ';') {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		v = strchr(p, '=');
		if (!v)
			return 0;
		if ((size_t)(v - p) == 7 && strncasecmp(p, "charset", 7) == 0) {
			v++;
			if (strncasecmp(v, "utf-8", 5) == 0)
				p = v + 5;
			else if (strncasecmp(v, "\"utf-8\"", 7) == 0)
				p = v + 7;
			else
				return 0;
		} else {
			p = v + 1;
			while (*p && *p != ';')
				p++;
		}
		while (*p == ' ' || *p == '\t')
			p++;
	}
	return *p == '\0';
}

static enum gg_err read_body(struct gg_req *req, struct gg_error *err)
{
	int depth = req->cfg ? (int)gg_config_int(req->cfg, GG_CFG_max_json_depth) : 32;

	if (!content_type_json(gg_req_header(req, "Content-Type")))
		return gg_error_set(err, GG_E_MEDIA_TYPE, "content-type must be application/json");
	if (req->body.len == 0)
		return gg_error_set(err, GG_E_JSON_MALFORMED, "request body is empty");
	return gg_json_parse(req->body.buf, req->body.len, depth, &req->json, err);
}

static int needs_db(const struct gg_route *rt)
{
	size_t i;

	for (i = 0; i < sizeof(no_db_handlers) / sizeof(no_db_handlers[0]); i++) {
		if (no_db_handlers[i] == rt->handler)
			return 0;
	}
	return 1;
}

static enum gg_err run_route(struct gg_req *req, struct gg_error *err)
{
	const struct gg_route *rt;
	enum gg_err rc;

	if (req->begin_err == GG_E_NOMEM)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if (req->begin_err != GG_OK)
		return gg_error_set(err, GG_E_INVALID, "%s",
		                    req->begin_msg ? req->begin_msg : "malformed request target");
	if (req->match == GG_MATCH_NOT_FOUND) {
		/* Not an API route: maybe a file of the web UI or one of its pages. */
		rc = gg_static_answer(req->web, req);
		if (rc == GG_OK)
			return GG_OK;
		if (rc != GG_E_NOT_FOUND)
			return gg_error_set(err, rc, NULL);
		return gg_error_set(err, GG_E_NOT_FOUND, "no route for path '%.200s'", req->path);
	}
	if (req->match == GG_MATCH_METHOD) {
		add_header(&req->resp, "Allow", req->allow);
		return gg_error_set(err, GG_E_METHOD, "method '%.15s' not allowed here (allowed: %s)", req->method,
		                    req->allow);
	}
	rt = &gg_routes[req->route];
	rc = authenticate(req, rt, err);
	if (rc != GG_OK)
		return rc;
	rc = check_csrf(req, rt, err);
	if (rc != GG_OK)
		return rc;
	if (req->pr.must_change_password && rt->perm != GG_PERM_public && rt->perm != GG_PERM_authenticated)
		return gg_error_set(err, GG_E_PASSWORD_CHANGE, NULL);
	if (!gg_principal_can(&req->pr, rt->perm))
		return gg_error_set(err, GG_E_FORBIDDEN, "permission '%s' required", gg_perm_token(rt->perm));
	if (rt->flags & GG_ROUTE_BODY) {
		rc = read_body(req, err);
		if (rc != GG_OK)
			return rc;
	}
	if (rt->flags & GG_ROUTE_UPLOAD) {
		char boundary[GG_MULTIPART_BOUNDARY_MAX];
		rc = gg_multipart_boundary(gg_req_content_type(req), boundary, err);
		if (rc != GG_OK)
			return rc;
	}
	if (needs_db(rt) && !gg_req_db_try(req, err)) {
		if (err->code == GG_OK)
			gg_error_set(err, GG_E_UNAVAILABLE, NULL);
		return err->code;
	}
	if (rt->flags & GG_ROUTE_IDEMPOTENT) {
		int replayed = 0;

		if ((rc = gg_idem_begin(req, &req->idem, &replayed, err)) != GG_OK || replayed)
			return rc;
	}
	rc = rt->handler(req, err);
	if (req->db)
		gg_db_rollback(req->db); /* a handler that forgot its transaction must not leave it open */
	if (rc == GG_OK && req->resp.status == 0)
		return gg_error_set(err, GG_E_INTERNAL, "the handler gave no response");
	return rc;
}

/* Renders rc/err as problem+json into the response (keeping headers already added). */
static void problem(struct gg_req *req, enum gg_err rc, const struct gg_error *err)
{
	struct gg_buf b;
	const char *detail;
	char *text;
	size_t i, len = 0;
	int status = gg_err_status(rc);
	int ok;

	detail = err->code == rc && err->message[0] ? err->message : gg_err_message(rc);
	if (status >= 500) {
		/* Internal details go to the log, not to the client. */
		gg_log(GG_LOG_ERROR, "request_failed", "request %s: %s: %s", req->id, gg_err_code(rc), detail);
		detail = gg_err_message(rc);
	}
	if (status == 401 && !has_header(&req->resp, "WWW-Authenticate"))
		add_header(&req->resp, "WWW-Authenticate", "Bearer realm=\"guanggu\"");

	gg_buf_init(&b, PROBLEM_MAX);
	ok = gg_buf_adds(&b, "{\"type\":\"about:blank\",\"title\":") == GG_OK &&
	     gg_buf_add_json_str(&b, gg_err_title(status)) == GG_OK &&
	     gg_buf_addf(&b, ",\"status\":%d,\"code\":", status) == GG_OK &&
	     gg_buf_add_json_str(&b, gg_err_code(rc)) == GG_OK && gg_buf_adds(&b, ",\"detail\":") == GG_OK &&
	     gg_buf_add_json_str(&b, detail) == GG_OK && gg_buf_adds(&b, ",\"instance\":") == GG_OK &&
	     gg_buf_add_json_str(&b, req->path[0] ? req->path : "/") == GG_OK &&
	     gg_buf_adds(&b, ",\"request_id\":") == GG_OK && gg_buf_add_json_str(&b, req->id) == GG_OK;
	if (ok && err->code == rc && err->nfields > 0) {
		ok = gg_buf_adds(&b, ",\"errors\":[") == GG_OK;
		for (i = 0; ok && i < err->nfields && i < GG_ERROR_FIELDS_MAX; i++) {
			ok = gg_buf_adds(&b, i ? ",{\"field\":" : "{\"field\":") == GG_OK &&
			     gg_buf_add_json_str(&b, err->fields[i].field) == GG_OK &&
			     gg_buf_adds(&b, ",\"message\":") == GG_OK &&
			     gg_buf_add_json_str(&b, err->fields[i].message) == GG_OK && gg_buf_addch(&b, '}') == GG_OK;
		}
		ok = ok && gg_buf_addch(&b, ']') == GG_OK;
	}
	ok = ok && gg_buf_addch(&b, '}') == GG_OK;
	text = ok ? gg_buf_detach(&b, &len) : NULL;
	gg_buf_release(&b);
	if (!text || set_body(req, status, "application/problem+json", text, len) != GG_OK) {
		resp_clear_body(&req->resp);
		req->resp.status = status;
	}
}

/* Headers every response carries. */
static void finish(struct gg_req *req)
{
	add_header(&req->resp, "X-Request-Id", req->id);
	add_header(&req->resp, "X-Content-Type-Options", "nosniff");
	add_header(&req->resp, "X-Frame-Options", "DENY");
	if (!has_header(&req->resp, "Referrer-Policy"))
		add_header(&req->resp, "Referrer-Policy", "no-referrer");
	if (!has_header(&req->resp, "Cache-Control"))
		add_header(&req->resp, "Cache-Control", "no-store");
}

void gg_router_handle(struct gg_req *req)
{
	struct gg_error err;
	enum gg_err rc;

	gg_error_init(&err);
	gg_router_begin(req);
	rc = run_route(req, &err);
	if (rc != GG_OK) {
		resp_clear_body(&req->resp);
		problem(req, rc, &err);
	}
	gg_idem_finish(req, &req->idem); /* no-op unless an Idempotency-Key was recorded */
	finish(req);
}

void gg_router_problem(struct gg_req *req, enum gg_err code, const struct gg_error *err)
{
	struct gg_error none;

	gg_error_init(&none);
	gg_router_begin(req);
	resp_clear_body(&req->resp);
	problem(req, code, err ? err : &none);
	finish(req);
}
