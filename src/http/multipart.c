/*
 * multipart: splits a multipart/form-data body (RFC 7578, RFC 2046) into
 * parts without copying their data. The body is scanned for the
 * delimiter CRLF "--" boundary; each part's header block (bounded) is read
 * for Content-Disposition (form-data with name, filename, filename*) and
 * Content-Type, other headers are ignored. Every malformed input gets an
 * error that says which part and what was wrong, for the person who
 * uploaded it.
 */
#include "multipart.h"

#include <string.h>
#include <strings.h>

#include "../core/buf.h"

#define DELIM_MAX (GG_MULTIPART_BOUNDARY_MAX + 4) /* CRLF "--" boundary */
#define PARAM_MAX 1024

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 2046 bcharsnospace. */
static int is_bchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != '\0' && strchr("'()+_,-./:=?", c));
}

/* RFC 9110 tchar. */
static int is_tchar(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

/*
 * Reads one parameter "name=value" (value a token or a quoted-string with
 * backslash escapes) at *pp, up to end. name and value are NUL-terminated
 * into the given arrays. Returns 0 on success, -1 when malformed, -2 when
 * a name or value does not fit.
 */
static int read_param(const char **pp, const char *end, char *name, size_t namesz, char *value, size_t valuesz)
{
	const char *p = skip_space(*pp, end);
	size_t n = 0;

	while (p < end && is_tchar(*p)) {
		if (n + 1 >= namesz)
			return -2;
		name[n++] = *p++;
	}
	name[n] = '\0';
	if (n == 0)
		return -1;
	p = skip_space(p, end);
	if (p >= end || *p != '=')
		return -1;
	p = skip_space(p + 1, end);
	n = 0;
	if (p < end && *p == '"') {
		p++;
		while (p < end && *p != '"') {
			if (*p == '\\' && p + 1 < end)
				p++;
			if (*p == '\r' || *p == '\n')
				return -1;
			if (n + 1 >= valuesz)
				return -2;
			value[n++] = *p++;
		}
		if (p >= end)
			return -1;
		p++; /* closing quote */
	} else {
		while (p < end && *p != ';' && !is_space(*p)) {
			if (n + 1 >= valuesz)
				return -2;
			value[n++] = *p++;
		}
		if (n == 0)
			return -1;
	}
	value[n] = '\0';
	p = skip_space(p, end);
	if (p < end && *p != ';')
		return -1;
	*pp = p < end ? p + 1 : p;
	return 0;
}

enum gg_err gg_multipart_boundary(const char *content_type, char out[GG_MULTIPART_BOUNDARY_MAX], struct gg_error *err)
{
	static const char want[] = "multipart/form-data";
	const char *p, *end;
	char name[64], value[PARAM_MAX];
	size_t i, n;
	int rc;

	out[0] = '\0';
	if (!content_type)
		return gg_error_set(err, GG_E_MEDIA_TYPE, "content-type must be multipart/form-data");
	p = content_type;
	end = p + strlen(p);
	p = skip_space(p, end);
	n = sizeof(want) - 1;
	if ((size_t)(end - p) < n || strncasecmp(p, want, n) != 0)
		return gg_error_set(err, GG_E_MEDIA_TYPE, "content-type must be multipart/form-data");
	p = skip_space(p + n, end);
	if (p < end && *p != ';')
		return gg_error_set(err, GG_E_MEDIA_TYPE, "content-type must be multipart/form-data");
	if (p < end)
		p++;
	while (p < end) {
		rc = read_param(&p, end, name, sizeof(name), value, sizeof(value));
		if (rc != 0)
			return gg_error_set(err, GG_E_MEDIA_TYPE, "malformed parameters in the multipart content-type");
		if (strcasecmp(name, "boundary") != 0)
			continue;
		n = strlen(value);
		if (n == 0 || n >= GG_MULTIPART_BOUNDARY_MAX || value[n - 1] == ' ')
			return gg_error_set(err, GG_E_MEDIA_TYPE, "multipart boundary must be 1 to 70 characters");
		for (i = 0; i < n; i++) {
			if (!is_bchar(value[i]) && value[i] != ' ')
				return gg_error_set(err, GG_E_MEDIA_TYPE,
				                    "multipart boundary holds a character RFC 2046 does not allow");
		}
		memcpy(out, value, n + 1);
		return GG_OK;
	}
	return gg_error_set(err, GG_E_MEDIA_TYPE, "multipart/form-data content-type has no boundary");
}

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

/* RFC 5987 ext-value "UTF-8''%E4%BA%BA.csv" (language tag ignored) into out; -1 when malformed. */
static int ext_value(const char *s, char *out, size_t outsz)
{
	const char *q;
	size_t o = 0;
	int hi, lo;

	if (strncasecmp(s, "utf-8'", 6) != 0)
		return -1;
	q = strchr(s + 6, '\'');
	if (!q)
		return -1;
	for (s = q + 1; *s; s++) {
		if (o + 1 >= outsz)
			return -1;
		if (*s == '%') {
			hi = hexval(s[1]);
			lo = hi >= 0 ? hexval(s[2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			out[o++] = (char)(hi * 16 + lo);
			s += 2;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
	return 0;
}

static int utf8_ok(const char *s)
{
	size_t len = strlen(s), i = 0, n;

	while (i < len) {
		n = gg_utf8_next(s + i, len - i, NULL);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Keeps what follows the last '/' or '\' (old browsers sent whole paths). */
static void strip_path(char *s)
{
	char *slash = strrchr(s, '/'), *back = strrchr(s, '\\');
	char *last = slash > back ? slash : back;

	if (last)
		memmove(s, last + 1, strlen(last + 1) + 1);
}

/* Content-Disposition: form-data; name="file"; filename="x.csv". */
static enum gg_err disposition(struct gg_multipart_part *part, size_t no, const char *p, const char *end,
                               struct gg_error *err)
{
	static const char want[] = "form-data";
	char name[64], value[PARAM_MAX];
	size_t n = sizeof(want) - 1;
	int rc, has_ext = 0;

	p = skip_space(p, end);
	if ((size_t)(end - p) < n || strncasecmp(p, want, n) != 0)
		return gg_error_set(err, GG_E_INVALID, "multipart part %zu: content-disposition is not form-data", no);
	p = skip_space(p + n, end);
	if (p < end && *p != ';')
		return gg_error_set(err, GG_E_INVALID, "multipart part %zu: content-disposition is not form-data", no);
	if (p < end)
		p++;
	while (skip_space(p, end) < end) {
		rc = read_param(&p, end, name, sizeof(name), value, sizeof(value));
		if (rc == -2)
			return gg_error_set(err, GG_E_TOO_LARGE,
			                    "multipart part %zu: a content-disposition parameter is too long", no);
		if (rc != 0)
			return gg_error_set(err, GG_E_INVALID,
			                    "multipart part %zu: malformed content-disposition parameters", no);
		if (strcasecmp(name, "name") == 0) {
			if (gg_strlcpy(part->name, value, sizeof(part->name)) != GG_OK)
				return gg_error_set(err, GG_E_TOO_LARGE, "multipart part %zu: name is too long", no);
		} else if (strcasecmp(name, "filename") == 0 && !has_ext) {
			part->has_filename = 1;
			if (gg_strlcpy(part->filename, value, sizeof(part->filename)) != GG_OK)
				return gg_error_set(err, GG_E_TOO_LARGE, "multipart part %zu: filename is too long",
				                    no);
		} else if (strcasecmp(name, "filename*") == 0) {
			if (ext_value(value, part->filename, sizeof(part->filename)) != 0)
				return gg_error_set(err, GG_E_INVALID, "multipart part %zu: malformed filename*", no);
			part->has_filename = 1;
			has_ext = 1;
		}
	}
	if (!utf8_ok(part->name) || !utf8_ok(part->filename))
		return gg_error_set(err, GG_E_INVALID, "multipart part %zu: name or filename is not valid utf-8", no);
	strip_path(part->filename);
	return GG_OK;
}

/* The header block h[0..len), each line ending in CRLF. */
static enum gg_err part_headers(struct gg_multipart_part *part, size_t no, const char *h, size_t len,
                                struct gg_error *err)
{
	const char *p = h, *end = h + len, *eol, *colon, *v, *vend;
	int seen_disposition = 0;
	enum gg_err rc;

	while (p < end) {
		eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		if (!eol)
			eol = end;
		if (is_space(*p))
			return gg_error_set(err, GG_E_INVALID,
			                    "multipart part %zu: folded header lines are not supported", no);
		colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon || colon == p)
			return gg_error_set(err, GG_E_INVALID, "multipart part %zu: malformed header line", no);
		v = skip_space(colon + 1, eol);
		vend = eol;
		while (vend > v && is_space(vend[-1]))
			vend--;
		if ((size_t)(colon - p) == 19 && strncasecmp(p, "Content-Disposition", 19) == 0) {
			if (seen_disposition)
				return gg_error_set(err, GG_E_INVALID,
				                    "multipart part %zu: more than one content-disposition", no);
			seen_disposition = 1;
			rc = disposition(part, no, v, vend, err);
			if (rc != GG_OK)
				return rc;
		} else if ((size_t)(colon - p) == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
			if ((size_t)(vend - v) >= sizeof(part->content_type))
				return gg_error_set(err, GG_E_TOO_LARGE, "multipart part %zu: content-type is too long",
				                    no);
			memcpy(part->content_type, v, (size_t)(vend - v));
			part->content_type[vend - v] = '\0';
		}
		p = eol + 2;
	}
	if (!seen_disposition)
		return gg_error_set(err, GG_E_INVALID, "multipart part %zu has no content-disposition header", no);
	if (!part->name[0])
		return gg_error_set(err, GG_E_INVALID, "multipart part %zu has no name", no);
	return GG_OK;
}

/*
 * After a delimiter at *pos: "--" ends the body (returns 1), else optional
 * white space and CRLF start the next part (returns 0); -1 when neither.
 */
static int after_delimiter(const char *body, size_t len, size_t *pos)
{
	size_t p = *pos;

	if (len - p >= 2 && body[p] == '-' && body[p + 1] == '-')
		return 1;
	while (p < len && is_space(body[p]))
		p++;
	if (len - p < 2 || body[p] != '\r' || body[p + 1] != '\n')
		return -1;
	*pos = p + 2;
	return 0;
}

enum gg_err gg_multipart_parse(const char *body, size_t len, const char *boundary, struct gg_multipart *mp,
                               struct gg_error *err)
{
	char delim[DELIM_MAX];
	size_t dlen, blen = boundary ? strlen(boundary) : 0, pos, hend, dstart, scan;
	const char *hit;
	struct gg_multipart_part *part;
	enum gg_err rc;
	int state;

	memset(mp, 0, sizeof(*mp));
	if (blen == 0 || blen >= GG_MULTIPART_BOUNDARY_MAX)
		return gg_error_set(err, GG_E_INVALID, "multipart boundary must be 1 to 70 characters");
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	dlen = blen + 4;

	/* The first delimiter opens the body or follows a preamble (then after CRLF). */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		pos = dlen - 2;
	} else {
		hit = len ? memmem(body, len, delim, dlen) : NULL;
		if (!hit)
			return gg_error_set(err, GG_E_INVALID, "multipart body does not contain its boundary");
		pos = (size_t)(hit - body) + dlen;
	}
	state = after_delimiter(body, len, &pos);
	if (state < 0)
		return gg_error_set(err, GG_E_INVALID, "multipart body has a malformed boundary line");
	while (state == 0) {
		if (mp->nparts == GG_MULTIPART_PARTS_MAX)
			return gg_error_set(err, GG_E_TOO_LARGE, "multipart body has more than %d parts",
			                    GG_MULTIPART_PARTS_MAX);
		part = &mp->parts[mp->nparts];
		memset(part, 0, sizeof(*part));
		/* Headers end at an empty line; a part may have none (then the data follows CRLF at once). */
		if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
			hend = pos;
			dstart = pos + 2;
		} else {
			scan = len - pos < GG_MULTIPART_HEADER_MAX + 4 ? len - pos : GG_MULTIPART_HEADER_MAX + 4;
			hit = memmem(body + pos, scan, "\r\n\r\n", 4);
			if (!hit) {
				if (scan == len - pos)
					return gg_error_set(err, GG_E_INVALID,
					                    "multipart part %zu is truncated inside its headers",
					                    mp->nparts + 1);
				return gg_error_set(err, GG_E_TOO_LARGE,
				                    "multipart part %zu has more than %d bytes of headers",
				                    mp->nparts + 1, GG_MULTIPART_HEADER_MAX);
			}
			hend = (size_t)(hit - body) + 2;
			dstart = hend + 2;
		}
		if (hend - pos > GG_MULTIPART_HEADER_MAX)
			return gg_error_set(err, GG_E_TOO_LARGE, "multipart part %zu has more than %d bytes of headers",
			                    mp->nparts + 1, GG_MULTIPART_HEADER_MAX);
		rc = part_headers(part, mp->nparts + 1, body + pos, hend - pos, err);
		if (rc != GG_OK)
			return rc;
		/* The data runs up to the next CRLF "--" boundary; the CRLF belongs to the delimiter. */
		hit = len - dstart >= dlen ? memmem(body + dstart, len - dstart, delim, dlen) : NULL;
		if (!hit)
			return gg_error_set(err, GG_E_INVALID, "multipart body is truncated: no closing boundary");
		part->data = body + dstart;
		part->len = (size_t)(hit - body) - dstart;
		mp->nparts++;
		pos = (size_t)(hit - body) + dlen;
		state = after_delimiter(body, len, &pos);
		if (state < 0)
			return gg_error_set(err, GG_E_INVALID, "multipart body has a malformed boundary line");
	}
	return GG_OK;
}

const struct gg_multipart_part *gg_multipart_get(const struct gg_multipart *mp, const char *name)
{
	size_t i;

	for (i = 0; i < mp->nparts; i++) {
		if (strcmp(mp->parts[i].name, name) == 0)
			return &mp->parts[i];
	}
	return NULL;
}
