/*
 * mask: display copies of personal data. Each rule keeps a few characters
 * at the start and the end and stars the rest; it works on characters
 * (UTF-8 code points), not bytes, so a value typed with a stray non-ASCII
 * character is never cut inside a character.
 */
#include "mask.h"

#include <string.h>

#include "../core/buf.h"

/* Offsets of the first nmax character starts of s into starts; returns the number of characters. */
static size_t char_starts(const char *s, size_t *starts, size_t nmax)
{
	size_t len = strlen(s), i = 0, n = 0;

	while (i < len) {
		size_t step = gg_utf8_next(s + i, len - i, NULL);
		if (step == 0)
			step = 1;
		if (n < nmax)
			starts[n] = i;
		n++;
		i += step;
	}
	return n;
}

/* Copies the masked text built in b into out (empty on failure) and releases b. */
static enum gg_err finish(struct gg_buf *b, enum gg_err rc, char *out, size_t outsz)
{
	if (rc == GG_OK)
		rc = gg_strlcpy(out, b->buf, outsz);
	else
		out[0] = '\0';
	gg_buf_release(b);
	return rc;
}

/*
 * Keeps the first head and last tail characters of value with stars
 * between: one per hidden character, or exactly fixed_stars when that is
 * not 0. A value of at most head + tail characters becomes all stars.
 */
static enum gg_err keep_ends(const char *value, size_t head, size_t tail, size_t fixed_stars, char *out, size_t outsz)
{
	size_t starts[GG_MASK_MAX], len, n;
	struct gg_buf b;
	enum gg_err rc = GG_OK;

	if (!out || outsz == 0)
		return GG_E_TOO_LARGE;
	value = value ? value : "";
	len = strlen(value);
	n = char_starts(value, starts, GG_MASK_MAX);
	gg_buf_init(&b, outsz - 1);
	if (n > GG_MASK_MAX || n <= head + tail) {
		size_t stars = fixed_stars ? fixed_stars : (n > GG_MASK_MAX ? GG_MASK_MAX : n);
		for (size_t i = 0; i < stars && rc == GG_OK; i++)
			rc = gg_buf_addch(&b, '*');
	} else {
		size_t stars = fixed_stars ? fixed_stars : n - head - tail;
		rc = gg_buf_add(&b, value, starts[head]);
		for (size_t i = 0; i < stars && rc == GG_OK; i++)
			rc = gg_buf_addch(&b, '*');
		if (rc == GG_OK)
			rc = gg_buf_add(&b, value + starts[n - tail], len - starts[n - tail]);
	}
	return finish(&b, rc, out, outsz);
}

enum gg_err gg_mask_resident_id(const char *value, char *out, size_t outsz)
{
	return keep_ends(value, 3, 4, 0, out, outsz);
}

enum gg_err gg_mask_passport(const char *value, char *out, size_t outsz)
{
	return keep_ends(value, 1, 3, 0, out, outsz);
}

enum gg_err gg_mask_document(const char *type, const char *value, char *out, size_t outsz)
{
	if (type && strcmp(type, "resident_id") == 0)
		return gg_mask_resident_id(value, out, outsz);
	return gg_mask_passport(value, out, outsz);
}

enum gg_err gg_mask_phone(const char *value, char *out, size_t outsz)
{
	return keep_ends(value, 3, 4, 4, out, outsz);
}

enum gg_err gg_mask_email(const char *value, char *out, size_t outsz)
{
	const char *at = value ? strrchr(value, '@') : NULL;
	size_t first;
	struct gg_buf b;
	enum gg_err rc;

	if (!out || outsz == 0)
		return GG_E_TOO_LARGE;
	if (!at || at == value)
		return gg_strlcpy(out, "***", outsz) == GG_OK ? GG_OK : (out[0] = '\0', GG_E_TOO_LARGE);
	first = gg_utf8_next(value, (size_t)(at - value), NULL);
	if (first == 0)
		first = 1;
	gg_buf_init(&b, outsz - 1);
	rc = gg_buf_add(&b, value, first);
	if (rc == GG_OK)
		rc = gg_buf_adds(&b, "***");
	if (rc == GG_OK)
		rc = gg_buf_adds(&b, at);
	return finish(&b, rc, out, outsz);
}
