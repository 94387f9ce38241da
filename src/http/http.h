/*
 * http: what a route handler sees of a request and how it answers.
 * Handlers live in api_<resource>.c, are listed in routes.tbl, and never
 * see libmicrohttpd (server.c is the only file that includes it).
 *
 * By the time a handler runs, the router has: matched method and path
 * (path parameters by name), authenticated the caller and checked the
 * route's permission, checked the CSRF token of a session on writes,
 * refused a required password change, and for routes that take a body
 * parsed it as JSON within the body and depth limits. A handler returns
 * GG_OK after setting a response, or an error code with err filled; the
 * router then answers RFC 9457 problem+json from err.
 */
#ifndef GG_HTTP_H
#define GG_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "../core/config.h"
#include "../core/crypto.h"
#include "../core/err.h"
#include "../core/json.h"
#include "../domain/role.h"
#include "../store/db.h"

struct gg_req;

typedef enum gg_err (*gg_handler_fn)(struct gg_req *req, struct gg_error *err);

/* The request. Strings are borrowed and live as long as the request. */
const char *gg_req_method(const struct gg_req *req);
const char *gg_req_path(const struct gg_req *req);
/** Path parameter by name ("id" for /api/v1/users/{id}); NULL when absent. */
const char *gg_req_param(const struct gg_req *req, const char *name);
/** Path parameter as a positive int64; GG_E_NOT_FOUND when absent or malformed. */
enum gg_err gg_req_param_id(const struct gg_req *req, const char *name, int64_t *out, struct gg_error *err);
/** Query-string argument (decoded); NULL when absent. */
const char *gg_req_query(const struct gg_req *req, const char *name);
/** Request header (case-insensitive name); NULL when absent. */
const char *gg_req_header(const struct gg_req *req, const char *name);
/**
 * A query argument of at most max bytes; NULL when absent or empty, and
 * NULL with a GG_E_INVALID on field name when longer.
 */
const char *gg_req_query_text(const struct gg_req *req, const char *name, size_t max, struct gg_error *err);
/** A whole number query argument in [1, INT64_MAX] into *out (0 when absent; GG_E_INVALID on field name otherwise). */
void gg_req_query_id(const struct gg_req *req, const char *name, int64_t *out, struct gg_error *err);
/** The parsed JSON body, or NULL for routes without a body. */
struct gg_json *gg_req_body(const struct gg_req *req);
/**
 * The request body as received (*len its length): for upload routes
 * (GG_ROUTE_UPLOAD) the whole multipart body, at most max_upload_bytes.
 * Never NULL (an empty body gives "").
 */
const char *gg_req_raw_body(const struct gg_req *req, size_t *len);
/** The Content-Type header, or NULL when absent. */
const char *gg_req_content_type(const struct gg_req *req);
struct gg_multipart;
/**
 * The multipart/form-data body of an upload route, parsed into *out: a
 * heap struct gg_multipart the caller free()s, whose parts borrow from
 * the request body. GG_E_MEDIA_TYPE without a boundary, the parser's
 * errors (multipart.h) for a malformed body; *out is NULL on any error.
 */
enum gg_err gg_req_multipart(const struct gg_req *req, struct gg_multipart **out, struct gg_error *err);
/** The caller (kind GG_AUTH_NONE on public routes without credentials). */
const struct gg_principal *gg_req_principal(const struct gg_req *req);
/** This worker thread's database connection (opened lazily, never NULL in a handler). */
struct gg_db *gg_req_db(struct gg_req *req);
const struct gg_config *gg_req_config(const struct gg_req *req);
/** The installation's personal-data keys (DIR/keys, loaded when the server starts). */
const struct gg_keys *gg_req_keys(const struct gg_req *req);
struct gg_policyset;
/** The policy packs the server loaded and checked at start (policyset.h). */
const struct gg_policyset *gg_req_policies(const struct gg_req *req);
/** The request id (also sent as X-Request-Id and in problem+json and the access log). */
const char *gg_req_id(const struct gg_req *req);
/** The client's address as text ("127.0.0.1"). */
const char *gg_req_client(const struct gg_req *req);

/**
 * Reads ?limit= (default 50, 1..200, else GG_E_INVALID on field "limit")
 * and ?cursor= (an opaque id cursor; 0 when absent, GG_E_INVALID on field
 * "cursor" when malformed).
 */
enum gg_err gg_req_page(const struct gg_req *req, int *limit, int64_t *cursor, struct gg_error *err);
/** Encodes a next-page id cursor as an opaque string (out >= 32 bytes). */
void gg_req_cursor_encode(int64_t id, char *out, size_t outsz);
/**
 * Reads the version the If-Match header names ("3", W/"3" or 3; "*" names
 * current_version) into *version. GG_E_PRECONDITION when the header is
 * absent, GG_E_STALE when it names no version; the messages name the
 * record as "<what> <id>" ("talent 7").
 */
enum gg_err gg_req_if_match(const struct gg_req *req, const char *what, int64_t id, int64_t current_version,
                            int64_t *version, struct gg_error *err);

/* The response. */
/** Answers status with body as JSON, taking over body's reference. */
enum gg_err gg_resp_json(struct gg_req *req, int status, struct gg_json *body);
/** Answers status with no body (204). */
enum gg_err gg_resp_empty(struct gg_req *req, int status);
/** Answers with bytes of a given content type (copied). */
enum gg_err gg_resp_bytes(struct gg_req *req, int status, const char *content_type, const void *data, size_t len);
/** Adds a response header (copied). At most 16 per response. */
enum gg_err gg_resp_header(struct gg_req *req, const char *name, const char *value);
/**
 * Answers 200 with a page of a list: {"items": items, "next_cursor": the
 * cursor after last_id when more, else null}. Takes items over (freed on
 * failure).
 */
enum gg_err gg_resp_list(struct gg_req *req, struct gg_json *items, int more, int64_t last_id, struct gg_error *err);
/** Adds the ETag header of a record's version ("3", quoted). */
enum gg_err gg_resp_etag(struct gg_req *req, int64_t version);
/**
 * Answers 200 with a file to download: data (copied) of content_type with
 * Content-Disposition: attachment, filename (UTF-8, no path) given both as
 * an ASCII fallback and as an RFC 5987 filename* so Chinese names survive.
 */
enum gg_err gg_resp_attachment(struct gg_req *req, const char *content_type, const char *filename, const void *data,
                               size_t len);
/** Sets or clears (value NULL) the session cookie with the configured attributes. */
enum gg_err gg_resp_session_cookie(struct gg_req *req, const char *value, int64_t max_age_seconds);

/* The server (server.c). */
struct gg_server;
/** Name of the session cookie. */
#define GG_SESSION_COOKIE "gg_session"

/**
 * Starts serving on cfg's listen address with db_target as the database
 * (each worker thread opens its own connection) and policies (borrowed:
 * they must outlive the server) as the rules in force. Prints
 * "listening on http://HOST:PORT" on stdout once ready.
 */
enum gg_err gg_server_start(const struct gg_config *cfg, const char *db_target, const struct gg_policyset *policies,
                            struct gg_server **out, struct gg_error *err);
/** Stops accepting, waits up to the grace period for requests in flight, stops, frees. */
void gg_server_stop(struct gg_server *srv);

#endif
