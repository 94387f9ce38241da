/*
 * buf: a bounded, growable, always NUL-terminated byte buffer (after
 * git's strbuf and curl's dynbuf). Every buffer has a maximum size; an
 * append that would pass it fails with GG_E_TOO_LARGE and leaves the
 * buffer as it was. After gg_buf_init, b->buf is never NULL.
 */
#ifndef GG_BUF_H
#define GG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

struct gg_buf {
	char *buf;    /* NUL-terminated; points at a static "" until first growth */
	size_t len;   /* bytes used, without the NUL */
	size_t alloc; /* bytes allocated (0 while buf is the static "") */
	size_t max;   /* largest len allowed */
};

/** Borrowed slice: not NUL-terminated, not owned. */
struct gg_str {
	const char *p;
	size_t len;
};

void gg_buf_init(struct gg_buf *b, size_t max);
/** Frees the contents; b is then as after gg_buf_init with the same max. */
void gg_buf_release(struct gg_buf *b);
/** Empties the buffer, keeping its memory. */
void gg_buf_reset(struct gg_buf *b);

enum gg_err gg_buf_add(struct gg_buf *b, const void *data, size_t len);
enum gg_err gg_buf_adds(struct gg_buf *b, const char *s);
enum gg_err gg_buf_addch(struct gg_buf *b, char c);
enum gg_err gg_buf_addf(struct gg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum gg_err gg_buf_vaddf(struct gg_buf *b, const char *fmt, va_list ap);
/**
 * Reads the whole file at path into b (reset first), at most b->max bytes.
 * GG_E_NOT_FOUND or GG_E_IO when it cannot be read, GG_E_TOO_LARGE when it
 * is larger, each naming path; b is then empty.
 */
enum gg_err gg_buf_read_file(struct gg_buf *b, const char *path, struct gg_error *err);
/** Appends s as a JSON string literal, quotes included (NULL gives null). */
enum gg_err gg_buf_add_json_str(struct gg_buf *b, const char *s);

/**
 * Hands the contents over: the caller owns the returned string and frees
 * it with free(). Never NULL on success (an empty buffer gives a fresh "").
 * *len may be NULL. b is reset to empty. Returns NULL only on out of memory.
 */
char *gg_buf_detach(struct gg_buf *b, size_t *len);

/**
 * A malloc'd copy of s, NULL for NULL; on out of memory NULL and *oom set
 * to 1, so a record filled from several columns checks once at the end.
 */
char *gg_strdup_oom(const char *s, int *oom);

/* Bounded string helpers: always NUL-terminate, return GG_E_TOO_LARGE when cut. */
enum gg_err gg_strlcpy(char *dst, const char *src, size_t size);
enum gg_err gg_snprintf(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * Parses a whole decimal integer in [min, max]: no sign other than a
 * leading '-', no spaces, no trailing bytes. GG_E_INVALID otherwise.
 */
enum gg_err gg_parse_i64(const char *s, long long min, long long max, long long *out);

/**
 * Decodes the UTF-8 sequence at s[0..len): returns its length (1-4) and
 * stores the code point in *cp (cp may be NULL), or returns 0 when s does
 * not start with a well-formed sequence (truncated, overlong, a surrogate,
 * above U+10FFFF) or len is 0.
 */
size_t gg_utf8_next(const char *s, size_t len, unsigned *cp);

#endif
