/*
 * buf: the bounded byte buffer (git's strbuf with curl's dynbuf "toobig"
 * limit), JSON string escaping for the hand-written JSON of log lines,
 * bounded string copies, a strict integer parser and a UTF-8 decoder.
 * Every append either succeeds whole or leaves the buffer as it was.
 */
#include "buf.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What an empty buffer points at; only ever holds its NUL. */
static char buf_empty[1];

#define BUF_FIRST_ALLOC 64

void gg_buf_init(struct gg_buf *b, size_t max)
{
	b->buf = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void gg_buf_release(struct gg_buf *b)
{
	if (b->alloc)
		free(b->buf);
	gg_buf_init(b, b->max);
}

void gg_buf_reset(struct gg_buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = '\0';
}

/* Makes room for extra more bytes and the NUL, never past max. */
static enum gg_err buf_grow(struct gg_buf *b, size_t extra)
{
	size_t need, want, cap;
	char *p;

	if (extra > b->max - b->len || b->len + extra == SIZE_MAX)
		return GG_E_TOO_LARGE;
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return GG_OK;
	cap = b->max == SIZE_MAX ? SIZE_MAX : b->max + 1;
	want = b->alloc ? b->alloc : BUF_FIRST_ALLOC;
	while (want < need)
		want = want > SIZE_MAX / 2 ? need : want * 2;
	if (want > cap)
		want = cap;
	if (b->alloc) {
		p = realloc(b->buf, want);
	} else {
		p = malloc(want);
		if (p)
			p[0] = '\0';
	}
	if (!p)
		return GG_E_NOMEM;
	b->buf = p;
	b->alloc = want;
	return GG_OK;
}

enum gg_err gg_buf_add(struct gg_buf *b, const void *data, size_t len)
{
	enum gg_err ret;

	if (len == 0)
		return GG_OK;
	ret = buf_grow(b, len);
	if (ret != GG_OK)
		return ret;
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
	return GG_OK;
}

enum gg_err gg_buf_adds(struct gg_buf *b, const char *s)
{
	return gg_buf_add(b, s, strlen(s));
}

enum gg_err gg_buf_addch(struct gg_buf *b, char c)
{
	return gg_buf_add(b, &c, 1);
}

enum gg_err gg_buf_vaddf(struct gg_buf *b, const char *fmt, va_list ap)
{
	enum gg_err ret;
	size_t room = b->alloc > b->len ? b->alloc - b->len : 0;
	va_list cp;
	int n;

	/* First try the room there is; only measure when there is none. */
	va_copy(cp, ap);
	n = vsnprintf(room ? b->buf + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n >= 0 && (size_t)n < room) {
		if ((size_t)n > b->max - b->len) {
			b->buf[b->len] = '\0';
			return GG_E_TOO_LARGE;
		}
		b->len += (size_t)n;
		return GG_OK;
	}
	if (room)
		b->buf[b->len] = '\0';
	if (n < 0)
		return GG_E_INVALID;
	ret = buf_grow(b, (size_t)n);
	if (ret != GG_OK)
		return ret;
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return GG_OK;
}

enum gg_err gg_buf_addf(struct gg_buf *b, const char *fmt, ...)
{
	enum gg_err ret;
	va_list ap;

	va_start(ap, fmt);
	ret = gg_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * RFC 8259 string: quote and backslash escaped, control characters as
 * \u00XX. A byte that does not start valid UTF-8 becomes U+FFFD, so a log
 * line stays valid JSON whatever it quotes.
 */
enum gg_err gg_buf_add_json_str(struct gg_buf *b, const char *s)
{
	enum gg_err ret;
	size_t old = b->len, i = 0, run = 0, n, slen;
	unsigned char c;
	char esc[8];

	if (!s)
		return gg_buf_adds(b, "null");
	slen = strlen(s);
	ret = gg_buf_addch(b, '"');
	while (ret == GG_OK && i < slen) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80 && (n = gg_utf8_next(s + i, slen - i, NULL)) > 0) {
			i += n;
			continue;
		}
		ret = gg_buf_add(b, s + run, i - run);
		if (ret != GG_OK)
			break;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			ret = gg_buf_add(b, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			ret = gg_buf_add(b, esc, 6);
		} else {
			ret = gg_buf_add(b, "\\ufffd", 6);
		}
		run = ++i;
	}
	if (ret == GG_OK)
		ret = gg_buf_add(b, s + run, i - run);
	if (ret == GG_OK)
		ret = gg_buf_addch(b, '"');
	if (ret != GG_OK) {
		b->len = old;
		if (b->alloc)
			b->buf[old] = '\0';
	}
	return ret;
}

char *gg_buf_detach(struct gg_buf *b, size_t *len)
{
	char *r;

	if (!b->alloc) {
		r = malloc(1);
		if (!r)
			return NULL;
		r[0] = '\0';
		if (len)
			*len = 0;
		return r;
	}
	r = b->buf;
	if (len)
		*len = b->len;
	gg_buf_init(b, b->max);
	return r;
}

char *gg_strdup_oom(const char *s, int *oom)
{
	char *p;

	if (!s)
		return NULL;
	if (!(p = strdup(s)))
		*oom = 1;
	return p;
}

enum gg_err gg_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size == 0)
		return GG_E_TOO_LARGE;
	if (n >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return GG_E_TOO_LARGE;
	}
	memcpy(dst, src, n + 1);
	return GG_OK;
}

enum gg_err gg_snprintf(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, size, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (size)
			dst[0] = '\0';
		return GG_E_INVALID;
	}
	return (size_t)n >= size ? GG_E_TOO_LARGE : GG_OK;
}

enum gg_err gg_parse_i64(const char *s, long long min, long long max, long long *out)
{
	unsigned long long acc = 0, limit = LLONG_MAX, d;
	const char *p = s;
	long long v;
	int neg = 0;

	if (!p)
		return GG_E_INVALID;
	if (*p == '-') {
		neg = 1;
		limit = (unsigned long long)LLONG_MAX + 1;
		p++;
	}
	if (*p < '0' || *p > '9')
		return GG_E_INVALID;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return GG_E_INVALID;
		d = (unsigned long long)(*p - '0');
		if (acc > (limit - d) / 10)
			return GG_E_INVALID;
		acc = acc * 10 + d;
	}
	if (!neg)
		v = (long long)acc;
	else if (acc == (unsigned long long)LLONG_MAX + 1)
		v = LLONG_MIN;
	else
		v = -(long long)acc;
	if (v < min || v > max)
		return GG_E_INVALID;
	if (out)
		*out = v;
	return GG_OK;
}

size_t gg_utf8_next(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c, lo;
	size_t n, i;

	if (len == 0)
		return 0;
	c = u[0];
	if (c < 0x80) {
		n = 1;
		lo = 0;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
		lo = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
		lo = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
		lo = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < lo || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	if (cp)
		*cp = c;
	return n;
}

enum gg_err gg_buf_read_file(struct gg_buf *b, const char *path, struct gg_error *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	enum gg_err rc = GG_OK;
	size_t n;

	gg_buf_reset(b);
	if (f == NULL)
		return gg_error_set(err, errno == ENOENT ? GG_E_NOT_FOUND : GG_E_IO, "cannot read '%s': %s", path,
		                    strerror(errno));
	while (rc == GG_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (gg_buf_add(b, chunk, n) != GG_OK)
			rc = gg_error_set(err, GG_E_TOO_LARGE, "%s: larger than %zu bytes", path, b->max);
	if (rc == GG_OK && ferror(f))
		rc = gg_error_set(err, GG_E_IO, "cannot read '%s'", path);
	fclose(f);
	if (rc != GG_OK)
		gg_buf_reset(b);
	return rc;
}
