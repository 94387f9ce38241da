/*
 * static: the web UI's files in memory and the answers made from them.
 * Loading walks web_dir once (bounded in files, bytes, depth and path
 * length), reads each file whole, hashes it for its ETag, sorts the table
 * by URL path and links each NAME.gz to its NAME. Answering decodes the
 * request path, looks it up with bsearch, falls back to index.html for
 * the single-page application's own paths, and sets the caching and
 * security headers. The response body points into the table (the table
 * outlives the server's daemon), so serving a file copies nothing.
 */
#include "static.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/crypto.h"
#include "router.h"

#define ETAG_HASH_BYTES 16 /* of SHA-256: 128 bits name a file's content well enough */
#define ETAG_MAX        (2 * ETAG_HASH_BYTES + 3)
#define FS_PATH_MAX     (GG_CONFIG_STR_MAX + GG_STATIC_PATH_MAX + 2)

static const char cache_immutable[] = "public, max-age=31536000, immutable";
static const char cache_revalidate[] = "no-cache";
static const char csp[] = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                          "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                          "form-action 'self'";
static const char not_built[] = "The web UI is not built: '%s' has no index.html. Run make to build the web UI, "
                                "then restart guanggu serve.\n";

/* Content types by extension (lower case, without the dot). */
static const struct {
	const char *ext;
	const char *type;
} types[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"txt", "text/plain; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
};
static const char octet_stream[] = "application/octet-stream";

/* First path segments that belong to the server, not to the UI. */
static const char *const reserved[] = {"api", "healthz", "metrics"};

/* Paths under this prefix are Vite's content-hashed files: cached for a year. */
static const char immutable_prefix[] = "/assets/";

struct file {
	char *path; /* URL path: "/assets/app-abc123.js" */
	char *data;
	size_t len;
	const char *ctype;
	char etag[ETAG_MAX];   /* "\"<hex>\"" */
	const struct file *gz; /* NAME.gz beside NAME, or NULL */
};

struct gg_static {
	char dir[GG_CONFIG_STR_MAX];
	struct gg_static_limits lim;
	struct file *files; /* sorted by path once loaded */
	size_t n, cap;
	size_t total;
	const struct file *index;
};

const char *gg_static_content_type(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	const char *dot = strrchr(name, '.');
	size_t i;

	if (!dot || dot[1] == '\0')
		return octet_stream;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	}
	return octet_stream;
}

static int is_html(const struct file *f)
{
	return strncmp(f->ctype, "text/html", 9) == 0;
}

enum gg_err gg_static_path(const char *raw, size_t len, char *out, size_t outsz)
{
	char buf[3 * GG_STATIC_PATH_MAX + 1];
	const char *seg, *end;
	long n;
	size_t segl;

	if (len == 0 || raw[0] != '/')
		return GG_E_INVALID;
	/* An escape is three bytes for one: a longer raw path cannot decode short enough. */
	if (len > 3 * GG_STATIC_PATH_MAX)
		return GG_E_TOO_LARGE;
	n = gg_router_pct_decode(raw, len, buf, 0);
	if (n < 0)
		return GG_E_INVALID;
	if ((size_t)n > GG_STATIC_PATH_MAX || (size_t)n >= outsz)
		return GG_E_TOO_LARGE;
	for (seg = buf + 1;; seg = end + 1) {
		end = strchr(seg, '/');
		segl = end ? (size_t)(end - seg) : strlen(seg);
		if ((segl == 1 && seg[0] == '.') || (segl == 2 && seg[0] == '.' && seg[1] == '.'))
			return GG_E_INVALID;
		if (segl == 0 && end)
			return GG_E_INVALID; /* "//": only the last segment may be empty */
		if (!end)
			break;
	}
	memcpy(out, buf, (size_t)n + 1);
	return GG_OK;
}

int gg_static_reserved(const char *path)
{
	const char *first = path[0] == '/' ? path + 1 : path;
	size_t n = strcspn(first, "/"), i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		if (strlen(reserved[i]) == n && memcmp(first, reserved[i], n) == 0)
			return 1;
	}
	return 0;
}

int gg_static_fallback(const char *path)
{
	const char *last = strrchr(path, '/');

	if (path[0] != '/' || gg_static_reserved(path))
		return 0;
	return strchr(last ? last + 1 : path, '.') == NULL;
}

/* Loading. */

static enum gg_err add_file(struct gg_static *s, const char *fs, const char *url, struct gg_error *err)
{
	struct file *f;
	struct stat st;
	unsigned char hash[GG_SHA256_LEN];
	char hex[2 * ETAG_HASH_BYTES + 1];
	size_t got = 0;
	ssize_t r;
	int fd;
	enum gg_err rc = GG_OK;

	if (s->n == s->lim.max_files)
		return gg_error_set(err, GG_E_CONFIG, "web_dir '%.200s' holds more than %zu files", s->dir,
		                    s->lim.max_files);
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct file *grown = realloc(s->files, cap * sizeof(*grown));
		if (!grown)
			return gg_error_set(err, GG_E_NOMEM, NULL);
		s->files = grown;
		s->cap = cap;
	}
	fd = open(fs, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gg_error_set(err, GG_E_IO, "cannot open '%.200s': %s", fs, strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = gg_error_set(err, GG_E_IO, "cannot read '%.200s': %s", fs, strerror(errno));
		goto out;
	}
	if ((unsigned long long)st.st_size > s->lim.max_file) {
		rc = gg_error_set(err, GG_E_CONFIG, "web_dir file '%.200s' has %lld bytes; a file may have at most %zu",
		                  url, (long long)st.st_size, s->lim.max_file);
		goto out;
	}
	if ((size_t)st.st_size > s->lim.max_total - s->total) {
		rc = gg_error_set(err, GG_E_CONFIG, "web_dir '%.200s' holds more than %zu bytes of files", s->dir,
		                  s->lim.max_total);
		goto out;
	}
	f = &s->files[s->n];
	memset(f, 0, sizeof(*f));
	f->len = (size_t)st.st_size;
	f->path = strdup(url);
	f->data = malloc(f->len ? f->len : 1);
	if (!f->path || !f->data) {
		free(f->path);
		free(f->data);
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	while (got < f->len) {
		r = read(fd, f->data + got, f->len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = gg_error_set(err, GG_E_IO, "cannot read '%.200s': %s", fs,
			                  r < 0 ? strerror(errno) : "it became shorter while being read");
			free(f->path);
			free(f->data);
			goto out;
		}
		got += (size_t)r;
	}
	f->ctype = gg_static_content_type(url);
	gg_crypto_sha256(f->data, f->len, hash);
	gg_crypto_hex(hash, ETAG_HASH_BYTES, hex);
	snprintf(f->etag, sizeof(f->etag), "\"%s\"", hex);
	s->total += f->len;
	s->n++;
out:
	close(fd);
	return rc;
}

/* Adds the files below fs (URL path url, "" for the root) at the given depth. */
static enum gg_err walk(struct gg_static *s, const char *fs, const char *url, int depth, struct gg_error *err)
{
	char cfs[FS_PATH_MAX], curl[GG_STATIC_PATH_MAX + 1];
	struct dirent *de;
	struct stat st;
	DIR *d;
	enum gg_err rc = GG_OK;

	if (depth > GG_STATIC_DEPTH_MAX)
		return gg_error_set(err, GG_E_CONFIG, "web_dir directory '%.200s' is nested deeper than %d levels", url,
		                    GG_STATIC_DEPTH_MAX);
	d = opendir(fs);
	if (!d)
		return gg_error_set(err, GG_E_IO, "cannot read the directory '%.200s': %s", fs, strerror(errno));
	while (rc == GG_OK) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				rc = gg_error_set(err, GG_E_IO, "cannot read the directory '%.200s': %s", fs,
				                  strerror(errno));
			break;
		}
		/* Hidden names (also "." and "..") are never served: .vite/, editor and OS droppings. */
		if (de->d_name[0] == '.')
			continue;
		if (gg_snprintf(curl, sizeof(curl), "%s/%s", url, de->d_name) != GG_OK) {
			rc = gg_error_set(err, GG_E_CONFIG, "web_dir path '%.120s/%.60s...' is longer than %d bytes",
			                  url, de->d_name, GG_STATIC_PATH_MAX);
			break;
		}
		if (gg_snprintf(cfs, sizeof(cfs), "%s/%s", fs, de->d_name) != GG_OK) {
			rc = gg_error_set(err, GG_E_CONFIG, "web_dir path '%.200s' is too long", curl);
			break;
		}
		if (stat(cfs, &st) != 0) {
			rc = gg_error_set(err, GG_E_IO, "cannot read '%.200s': %s", cfs, strerror(errno));
			break;
		}
		if (S_ISDIR(st.st_mode))
			rc = walk(s, cfs, curl, depth + 1, err);
		else if (S_ISREG(st.st_mode))
			rc = add_file(s, cfs, curl, err);
	}
	closedir(d);
	return rc;
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

static const struct file *find(const struct gg_static *s, const char *path)
{
	struct file key;

	if (!s || s->n == 0)
		return NULL;
	key.path = (char *)path;
	return bsearch(&key, s->files, s->n, sizeof(*s->files), file_cmp);
}

/* Links every NAME.gz to its NAME (the table is sorted). */
static void link_gz(struct gg_static *s)
{
	char base[GG_STATIC_PATH_MAX + 1];
	struct file *plain;
	size_t i, n;

	for (i = 0; i < s->n; i++) {
		n = strlen(s->files[i].path);
		if (n <= 3 || strcmp(s->files[i].path + n - 3, ".gz") != 0)
			continue;
		memcpy(base, s->files[i].path, n - 3);
		base[n - 3] = '\0';
		plain = (struct file *)find(s, base);
		if (plain)
			plain->gz = &s->files[i];
	}
}

enum gg_err gg_static_load(const char *dir, const struct gg_static_limits *limits, struct gg_static **out,
                           struct gg_error *err)
{
	struct gg_static *s;
	struct stat st;
	enum gg_err rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if (gg_strlcpy(s->dir, dir, sizeof(s->dir)) != GG_OK) {
		rc = gg_error_set(err, GG_E_CONFIG, "web_dir is longer than %d bytes", GG_CONFIG_STR_MAX - 1);
		goto fail;
	}
	if (limits) {
		s->lim = *limits;
	} else {
		s->lim.max_files = GG_STATIC_MAX_FILES;
		s->lim.max_total = GG_STATIC_MAX_TOTAL;
		s->lim.max_file = GG_STATIC_MAX_FILE;
	}
	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			goto done; /* not built yet: an empty table */
		rc = gg_error_set(err, GG_E_IO, "cannot read web_dir '%.200s': %s", dir, strerror(errno));
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		rc = gg_error_set(err, GG_E_CONFIG, "web_dir '%.200s' is not a directory", dir);
		goto fail;
	}
	rc = walk(s, dir, "", 0, err);
	if (rc != GG_OK)
		goto fail;
	qsort(s->files, s->n, sizeof(*s->files), file_cmp);
	link_gz(s);
	s->index = find(s, "/index.html");
done:
	*out = s;
	return GG_OK;
fail:
	gg_static_free(s);
	return rc;
}

void gg_static_free(struct gg_static *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->files[i].path);
		free(s->files[i].data);
	}
	free(s->files);
	free(s);
}

int gg_static_ready(const struct gg_static *s)
{
	return s && s->index;
}

const char *gg_static_dir(const struct gg_static *s)
{
	return s->dir;
}

size_t gg_static_count(const struct gg_static *s)
{
	return s->n;
}

size_t gg_static_bytes(const struct gg_static *s)
{
	return s->total;
}

/* Answering. */

/* 1 when the If-None-Match list names etag ("*" names any); compared weakly (RFC 9110, 13.1.2). */
static int etag_listed(const char *list, const char *etag)
{
	size_t n = strlen(etag), len;
	const char *p = list, *end;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"')
			return 0; /* malformed: nothing matches */
		end = strchr(p + 1, '"');
		if (!end)
			return 0;
		len = (size_t)(end - p) + 1;
		if (len == n && memcmp(p, etag, n) == 0)
			return 1;
		p = end + 1;
	}
	return 0;
}

/* 1 when Accept-Encoding accepts gzip: listed (or "*") without q=0. */
static int accepts_gzip(const char *ae)
{
	const char *p = ae, *name, *params, *end;
	size_t n;
	int star = 0;

	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		name = p;
		end = p + strcspn(p, ",");
		params = memchr(name, ';', (size_t)(end - name));
		n = (size_t)((params ? params : end) - name);
		while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
			n--;
		if (n) {
			int zero = 0;
			if (params) {
				const char *q = params + 1;
				while (*q == ' ' || *q == '\t')
					q++;
				/* q=0, q=0., q=0.0, ... : "not acceptable" */
				if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=' && q[2] == '0') {
					const char *z = q + 3;
					if (*z == '.')
						z++;
					while (*z == '0')
						z++;
					zero = z >= end || *z == ' ' || *z == '\t' || *z == ';' || *z == ',';
				}
			}
			if ((n == 4 && strncasecmp(name, "gzip", 4) == 0) ||
			    (n == 6 && strncasecmp(name, "x-gzip", 6) == 0))
				return !zero;
			if (n == 1 && name[0] == '*')
				star = zero ? -1 : 1;
		}
		p = end;
	}
	return star == 1;
}

static enum gg_err answer_file(struct gg_req *req, const struct file *f, const char *path)
{
	const struct file *body = f;
	const char *inm;
	enum gg_err rc;

	if (f->gz && accepts_gzip(gg_req_header(req, "Accept-Encoding")))
		body = f->gz;
	rc = gg_resp_header(req, "Cache-Control",
	                    strncmp(path, immutable_prefix, sizeof(immutable_prefix) - 1) == 0 ? cache_immutable
	                                                                                       : cache_revalidate);
	if (rc == GG_OK)
		rc = gg_resp_header(req, "ETag", body->etag);
	if (rc == GG_OK && f->gz)
		rc = gg_resp_header(req, "Vary", "Accept-Encoding");
	if (rc == GG_OK && is_html(f))
		rc = gg_resp_header(req, "Content-Security-Policy", csp);
	if (rc == GG_OK && is_html(f))
		rc = gg_resp_header(req, "Referrer-Policy", "same-origin");
	if (rc != GG_OK)
		return rc;
	inm = gg_req_header(req, "If-None-Match");
	if (inm && etag_listed(inm, body->etag))
		return gg_resp_empty(req, 304);
	if (body == f->gz) {
		rc = gg_resp_header(req, "Content-Encoding", "gzip");
		if (rc != GG_OK)
			return rc;
	}
	return gg_resp_borrowed(req, 200, f->ctype, body->data, body->len);
}

enum gg_err gg_static_answer(const struct gg_static *s, struct gg_req *req)
{
	char path[GG_STATIC_PATH_MAX + 1], index[GG_STATIC_PATH_MAX + 1];
	const struct file *f = NULL;
	size_t n;
	enum gg_err rc;

	if (!s || (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0))
		return GG_E_NOT_FOUND;
	if (gg_static_path(req->target, req->path_len, path, sizeof(path)) != GG_OK || gg_static_reserved(path))
		return GG_E_NOT_FOUND;
	n = strlen(path);
	if (path[n - 1] == '/') {
		/* A directory's own page: DIR/index.html when the build has one. */
		if (gg_snprintf(index, sizeof(index), "%sindex.html", path) == GG_OK)
			f = find(s, index);
	} else {
		f = find(s, path);
	}
	if (!f && gg_static_fallback(path))
		f = s->index;
	if (f) {
		rc = answer_file(req, f, path);
	} else if (gg_static_fallback(path)) {
		char msg[sizeof(not_built) + GG_CONFIG_STR_MAX];
		snprintf(msg, sizeof(msg), not_built, s->dir);
		rc = gg_resp_bytes(req, 503, "text/plain; charset=utf-8", msg, strlen(msg));
	} else {
		return GG_E_NOT_FOUND;
	}
	if (rc != GG_OK) {
		gg_resp_reset(req); /* no caching header of a file may stay on the error answer */
		return rc;
	}
	req->is_static = 1;
	return GG_OK;
}
