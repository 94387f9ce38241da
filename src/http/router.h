/*
 * router (internal to src/http): the route table built from routes.tbl,
 * path matching, the definition of struct gg_req, and the dispatch that
 * runs between the server and a handler (request id, authentication,
 * permission, CSRF, body checks, problem+json). Nothing here knows
 * libmicrohttpd: server.c fills a struct gg_req (raw URI, method, body,
 * a header lookup and a database opener) and sends the response the
 * router leaves in req->resp, so the whole dispatch can be tested without
 * a socket.
 */
#ifndef GG_ROUTER_H
#define GG_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"
#include "http.h"
#include "idempotency.h"

struct gg_static;

/* Route flags (the last column of routes.tbl). */
#define GG_ROUTE_BODY       1u
#define GG_ROUTE_UPLOAD     2u /* a multipart/form-data upload up to max_upload_bytes, read raw by the handler */
#define GG_ROUTE_IDEMPOTENT 4u /* money moves: an Idempotency-Key is honoured (idempotency.h) */

struct gg_route {
	const char *method;
	const char *pattern;
	gg_handler_fn handler;
	enum gg_perm perm;
	unsigned flags;
};

/** The routes of routes.tbl, in table order; gg_nroutes == GG_ROUTES_COUNT. */
extern const struct gg_route gg_routes[];
extern const size_t gg_nroutes;

/* The number of routes as a constant expression (for arrays sized by route). */
enum {
	GG_ROUTES_COUNT = 0
#define GG_ROUTE(method, path, handler, perm, flags) +1
#include "routes.tbl"
#undef GG_ROUTE
};

#define GG_ROUTER_SEGMENTS_MAX 16
#define GG_ROUTER_PARAMS_MAX   4
#define GG_ROUTER_QUERY_MAX    32
#define GG_ROUTER_ALLOW_MAX    64

enum gg_match { GG_MATCH_OK, GG_MATCH_NOT_FOUND, GG_MATCH_METHOD };

/** A decoded path: the segments between slashes, percent-decoded. */
struct gg_path {
	char *mem; /* owned: the decoded segments, NUL-separated */
	size_t nseg;
	const char *seg[GG_ROUTER_SEGMENTS_MAX];
};

/**
 * Splits the raw path (from '/' up to, not including, '?') into decoded
 * segments. GG_E_INVALID for a path not starting with '/', a malformed or
 * NUL escape; GG_E_NOT_FOUND for more than GG_ROUTER_SEGMENTS_MAX
 * segments (no route is that deep). Free with gg_path_release.
 */
enum gg_err gg_path_parse(const char *raw, size_t len, struct gg_path *out);
void gg_path_release(struct gg_path *p);

struct gg_route_params {
	size_t n;
	struct {
		const char *name; /* points into the pattern; not NUL-terminated */
		size_t name_len;
		const char *value; /* points into the decoded path */
	} p[GG_ROUTER_PARAMS_MAX];
};

/**
 * Finds the route for method and path. GG_MATCH_OK: *route is its index
 * and params are filled. GG_MATCH_METHOD: the path is known under other
 * methods, listed in allow ("GET, POST"). GG_MATCH_NOT_FOUND otherwise.
 */
enum gg_match gg_router_match(const char *method, const struct gg_path *path, size_t *route,
                              struct gg_route_params *params, char *allow, size_t allowsz);

/**
 * Percent-decodes s[0..len) into out (room for len + 1 bytes, NUL-terminated);
 * '+' becomes a space when plus_space (query strings). Returns the decoded
 * length, or -1 for a malformed escape or an escaped NUL.
 */
long gg_router_pct_decode(const char *s, size_t len, char *out, int plus_space);

/** Decodes an opaque id cursor; GG_E_INVALID unless it is one gg_req_cursor_encode made. */
enum gg_err gg_router_cursor_decode(const char *s, int64_t *out);

/* What the server hands the router to reach the connection. */
struct gg_req_io {
	/** Request header by name, case-insensitive; NULL when absent. */
	const char *(*header)(void *ctx, const char *name);
	/** This thread's database connection; NULL with err filled when it cannot be opened. */
	struct gg_db *(*db)(void *ctx, struct gg_error *err);
	void *ctx;
};

#define GG_RESP_HANDLER_HEADERS 16
#define GG_RESP_HEADERS_MAX     (GG_RESP_HANDLER_HEADERS + 8)
#define GG_REQ_ID_MAX           65

struct gg_resp_hdr {
	char *name;  /* owned */
	char *value; /* owned */
};

struct gg_resp {
	int status;      /* 0 until a response is set */
	char ctype[128]; /* "" for no body */
	char *body;      /* owned, malloc'd (unless borrowed); NULL for no body */
	size_t len;
	int borrowed; /* body points into memory that outlives the request (gg_resp_borrowed): not freed */
	size_t nheaders;
	size_t nhandler; /* headers added through gg_resp_header */
	struct gg_resp_hdr headers[GG_RESP_HEADERS_MAX];
};

struct gg_req {
	/* Filled by the server (gg_req_init, then the fields below). */
	const struct gg_config *cfg;
	const struct gg_keys *keys;          /* the server's personal-data keys; NULL outside a server */
	const struct gg_static *web;         /* the web UI's files (static.h); NULL: none are served */
	const struct gg_policyset *policies; /* the policy packs loaded at start; NULL outside a server */
	struct gg_req_io io;
	char method[16];    /* cut to 15 bytes; longer methods match no route */
	char *uri;          /* owned: the raw request target */
	const char *target; /* in uri: the path (after scheme and authority of an absolute-form target) */
	size_t path_len;    /* bytes of target before '?' */
	char client[64];
	struct gg_buf body; /* bounded by max_body_bytes */

	/* Filled by gg_router_begin. */
	int begun;
	enum gg_err begin_err; /* a malformed path or query: answered by gg_router_handle */
	const char *begin_msg; /* what was wrong with it */
	char path[512];        /* the raw path without the query, cut to fit (logs, instance) */
	struct gg_path dpath;
	char *qmem; /* owned: decoded query names and values */
	size_t nquery;
	const char *qname[GG_ROUTER_QUERY_MAX];
	const char *qvalue[GG_ROUTER_QUERY_MAX];
	enum gg_match match;
	long route; /* index in gg_routes, -1 when unmatched */
	struct gg_route_params params;
	char allow[GG_ROUTER_ALLOW_MAX];
	char id[GG_REQ_ID_MAX];

	/* Filled by gg_router_handle. */
	int is_static; /* answered from the web UI's files */
	struct gg_principal pr;
	struct gg_db *db;
	struct gg_json *json;
	struct gg_idem idem; /* GG_ROUTE_IDEMPOTENT routes: the key recorded for this request */

	struct gg_resp resp;
};

/** Prepares req for a request to uri (copied). GG_E_NOMEM when the copy fails. */
enum gg_err gg_req_init(struct gg_req *req, const struct gg_config *cfg, const char *uri);
/** Frees everything req owns (also the response body if not taken). */
void gg_req_release(struct gg_req *req);
/** Sets the request method (cut to 15 bytes). */
void gg_req_set_method(struct gg_req *req, const char *method);

/**
 * Once method, io and client are set: splits path and query, matches the
 * route and picks the request id. Errors are kept for gg_router_handle.
 */
void gg_router_begin(struct gg_req *req);

/**
 * Runs the request once its body is complete: authentication, permission,
 * CSRF, password change, content type and JSON body, then the handler.
 * Always leaves a complete response in req->resp (status, body, headers,
 * security headers and X-Request-Id included).
 */
void gg_router_handle(struct gg_req *req);

/**
 * Answers code as problem+json from err (its message as detail, its field
 * errors as "errors"), replacing any body, with the usual headers. The
 * server uses it for 413; err may be NULL (the table's message).
 */
void gg_router_problem(struct gg_req *req, enum gg_err code, const struct gg_error *err);

/**
 * Appends the access-log members of req (event, request_id, method, path
 * without the query, route, status, duration_ms, bytes, user_id, client)
 * for gg_log_fields. Never the query string, headers, cookies or bodies.
 */
enum gg_err gg_router_access_fields(const struct gg_req *req, int64_t duration_us, struct gg_buf *out);

/** The route pattern for logs and metrics ("static" for the web UI's files, "unmatched" when none). */
const char *gg_router_label(const struct gg_req *req);
/** The metrics slot of req: its index in gg_routes, GG_ROUTER_SLOT_UNMATCHED or GG_ROUTER_SLOT_STATIC. */
size_t gg_router_slot(const struct gg_req *req);
#define GG_ROUTER_SLOT_UNMATCHED ((size_t)GG_ROUTES_COUNT)
#define GG_ROUTER_SLOT_STATIC    ((size_t)GG_ROUTES_COUNT + 1)
#define GG_ROUTER_SLOTS          ((size_t)GG_ROUTES_COUNT + 2)

/**
 * Answers status with len bytes at data as the body, not copied: data
 * must outlive the request (the web UI's files, which the server frees
 * only after its daemon stopped).
 */
enum gg_err gg_resp_borrowed(struct gg_req *req, int status, const char *content_type, const void *data, size_t len);
/** Drops the response: status, body and every header. */
void gg_resp_reset(struct gg_req *req);

/** Database connection without the handler guarantee: NULL (err filled) when it cannot be opened. */
struct gg_db *gg_req_db_try(struct gg_req *req, struct gg_error *err);

#endif
