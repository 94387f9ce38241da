/*
 * multipart: a bounded multipart/form-data parser (RFC 7578 over the
 * multipart syntax of RFC 2046), for file uploads. It works on the whole
 * body already in memory and copies nothing: each part's data is a slice
 * of the body. Limits: at most GG_MULTIPART_PARTS_MAX parts, each part's
 * header block at most GG_MULTIPART_HEADER_MAX bytes, a boundary of 1..70
 * characters. Lines end in CRLF, as browsers, curl and fetch send them.
 */
#ifndef GG_MULTIPART_H
#define GG_MULTIPART_H

#include <stddef.h>

#include "../core/err.h"

#define GG_MULTIPART_PARTS_MAX    16
#define GG_MULTIPART_HEADER_MAX   8192
#define GG_MULTIPART_BOUNDARY_MAX 71 /* 70 characters (RFC 2046) and the NUL */
#define GG_MULTIPART_NAME_MAX     128
#define GG_MULTIPART_FILENAME_MAX 256
#define GG_MULTIPART_CTYPE_MAX    128

struct gg_multipart_part {
	char name[GG_MULTIPART_NAME_MAX];          /* the form field's name */
	int has_filename;                          /* a file part (filename given, maybe empty) */
	char filename[GG_MULTIPART_FILENAME_MAX];  /* as sent (UTF-8), path stripped */
	char content_type[GG_MULTIPART_CTYPE_MAX]; /* "" when the part has none */
	const char *data;                          /* borrowed from the body */
	size_t len;
};

struct gg_multipart {
	size_t nparts;
	struct gg_multipart_part parts[GG_MULTIPART_PARTS_MAX];
};

/**
 * Reads the boundary of a Content-Type header "multipart/form-data;
 * boundary=..." (parameter quoted or not, any case of names). Anything
 * else, including a missing or malformed boundary, is GG_E_MEDIA_TYPE.
 */
enum gg_err gg_multipart_boundary(const char *content_type, char out[GG_MULTIPART_BOUNDARY_MAX], struct gg_error *err);

/**
 * Splits body[0..len) into parts. GG_E_INVALID with a message saying
 * what is wrong ("multipart body has no closing boundary", "part 2 has no
 * name", ...); GG_E_TOO_LARGE for more parts or longer headers than the
 * limits. mp borrows from body.
 */
enum gg_err gg_multipart_parse(const char *body, size_t len, const char *boundary, struct gg_multipart *mp,
                               struct gg_error *err);

/** The first part named name, or NULL. */
const struct gg_multipart_part *gg_multipart_get(const struct gg_multipart *mp, const char *name);

#endif
