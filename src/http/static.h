/*
 * static (internal to src/http): the web UI's files, served at /. At
 * `guanggu serve` start every file under the web_dir setting (a Vite
 * build, web/dist by default) is read into memory, within fixed limits,
 * and kept in one table sorted by URL path; requests are answered from
 * that table only, so no request touches the filesystem and no path can
 * leave the directory. The table is immutable once loaded and shared by
 * every worker thread.
 *
 * The router hands a request here when no route of routes.tbl matches its
 * path. GET and HEAD of a file answer it with its content type, a strong
 * ETag (304 on If-None-Match), Cache-Control (a year and immutable under
 * /assets/, where Vite puts its content-hashed files; no-cache elsewhere)
 * and, for HTML, a Content-Security-Policy. A path outside /api/,
 * /healthz and /metrics with no file and no '.' in its last segment is a
 * page of the single-page application: it answers index.html. Without an
 * index.html (the UI was not built) such paths answer 503. NAME.gz beside
 * NAME is sent instead of NAME to clients that accept gzip.
 */
#ifndef GG_STATIC_H
#define GG_STATIC_H

#include <stddef.h>

#include "../core/err.h"

struct gg_req;

#define GG_STATIC_MAX_FILES 4096
#define GG_STATIC_MAX_TOTAL (64u * 1024u * 1024u) /* bytes of all files together */
#define GG_STATIC_MAX_FILE  (16u * 1024u * 1024u) /* bytes of one file */
#define GG_STATIC_PATH_MAX  255                   /* longest URL path of a file ("/assets/x.js"), in bytes */
#define GG_STATIC_DEPTH_MAX 16                    /* deepest directory nesting under web_dir */

struct gg_static_limits {
	size_t max_files;
	size_t max_total;
	size_t max_file;
};

struct gg_static;

/**
 * Reads every regular file under dir (symbolic links followed; names
 * starting with '.' skipped) into a new table *out, within limits (NULL:
 * the GG_STATIC_MAX_* values). A dir that does not exist gives an empty
 * table (gg_static_ready says 0), not an error. GG_E_CONFIG naming the
 * file or the limit when dir is not a directory, a file or the whole is
 * too large, there are too many files, a path is longer than
 * GG_STATIC_PATH_MAX or nested deeper than GG_STATIC_DEPTH_MAX; GG_E_IO
 * when something cannot be read. Free with gg_static_free.
 */
enum gg_err gg_static_load(const char *dir, const struct gg_static_limits *limits, struct gg_static **out,
                           struct gg_error *err);
/** Frees the table and its files; NULL is a no-op. */
void gg_static_free(struct gg_static *s);
/** 1 when the table has /index.html, i.e. the UI is built. */
int gg_static_ready(const struct gg_static *s);
/** The directory the table was loaded from (as given). */
const char *gg_static_dir(const struct gg_static *s);
/** Number of files in the table. */
size_t gg_static_count(const struct gg_static *s);
/** Bytes of all files in the table. */
size_t gg_static_bytes(const struct gg_static *s);

/**
 * Content type of a file by the extension of its last path segment
 * (case-insensitive; "text/html; charset=utf-8" for .html, ...);
 * "application/octet-stream" for an unknown or missing extension.
 */
const char *gg_static_content_type(const char *path);

/**
 * Decodes and checks the raw request path raw[0..len) (percent escapes,
 * without the query) into out. GG_E_INVALID for a path not starting with
 * '/', a malformed escape or an escaped NUL, a "." or ".." segment or an
 * empty segment other than the last (a trailing '/'); GG_E_TOO_LARGE
 * when the decoded path is longer than GG_STATIC_PATH_MAX or does not fit
 * in outsz.
 */
enum gg_err gg_static_path(const char *raw, size_t len, char *out, size_t outsz);

/** 1 when a decoded path belongs to the server, never to the UI: /api, /healthz, /metrics and below. */
int gg_static_reserved(const char *path);

/**
 * 1 when a decoded path with no file is a page of the single-page
 * application (answered with index.html): not reserved, and no '.' in
 * its last segment ("/talents/12", "/", "/talents/").
 */
int gg_static_fallback(const char *path);

/**
 * Answers req (a request whose path matched no route) from the table:
 * GG_OK with req->resp set (200, 304, or 503 when the UI is not built);
 * GG_E_NOT_FOUND, with req->resp untouched, when the request is not the
 * UI's (a method other than GET and HEAD, a reserved or invalid path, no
 * file and no fallback); GG_E_NOMEM when the answer cannot be made (no
 * header of it is left on req->resp). s may be NULL (nothing is served).
 */
enum gg_err gg_static_answer(const struct gg_static *s, struct gg_req *req);

#endif
