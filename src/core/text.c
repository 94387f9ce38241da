/*
 * text: the one file that includes utf8proc. A value is mapped to NFKC
 * (full-width letters, digits and brackets become ASCII, the ideographic
 * space U+3000 becomes a space), control characters are removed (line
 * breaks and tabs become spaces), default-ignorable code points such as
 * ZERO WIDTH SPACE, SOFT HYPHEN and BOM, which people paste from web pages
 * without seeing them, are dropped, and white space is trimmed and folded
 * to single ASCII spaces, so two spellings of one name compare equal.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"

#define TEXT_BASE_OPTIONS \
	(UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_IGNORE | UTF8PROC_STRIPCC)

/* Han blocks, half-open [lo, hi): unified ideographs and the compatibility ones. */
static const struct {
	uint32_t lo, hi;
} han_blocks[] = {
    {0x3400, 0x4DC0},   /* extension A */
    {0x4E00, 0xA000},   /* basic block */
    {0xF900, 0xFB00},   /* compatibility ideographs */
    {0x20000, 0x2A6E0}, /* extension B */
    {0x2A700, 0x2EE60}, /* extensions C, D, E, F and I */
    {0x2F800, 0x2FA20}, /* compatibility supplement */
    {0x30000, 0x323B0}, /* extensions G and H */
};

int gg_text_is_han(uint32_t cp)
{
	size_t i;

	for (i = 0; i < sizeof(han_blocks) / sizeof(han_blocks[0]); i++)
		if (cp >= han_blocks[i].lo && cp < han_blocks[i].hi)
			return 1;
	return 0;
}

static int is_space(utf8proc_int32_t cp)
{
	utf8proc_category_t cat;

	if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
		return 1;
	if (cp < 0x80)
		return 0;
	cat = utf8proc_category(cp);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

/*
 * Maps s with options, then copies it to out with white space trimmed and
 * folded. The append is all or nothing: on an error out is left empty.
 */
static enum gg_err text_map(const char *s, utf8proc_option_t options, struct gg_buf *out)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n, i, step;
	utf8proc_int32_t cp;
	enum gg_err ret = GG_OK;
	int pending_space = 0;

	gg_buf_reset(out);
	if (!s)
		return GG_E_INVALID;
	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &mapped, options);
	if (n < 0) {
		if (n == UTF8PROC_ERROR_NOMEM || n == UTF8PROC_ERROR_OVERFLOW)
			return GG_E_NOMEM;
		return GG_E_BAD_UTF8;
	}
	for (i = 0; i < n; i += step) {
		step = utf8proc_iterate(mapped + i, n - i, &cp);
		if (step <= 0) {
			ret = GG_E_BAD_UTF8;
			goto out;
		}
		if (is_space(cp)) {
			pending_space = out->len > 0;
			continue;
		}
		if (pending_space) {
			ret = gg_buf_addch(out, ' ');
			if (ret != GG_OK)
				goto out;
			pending_space = 0;
		}
		ret = gg_buf_add(out, mapped + i, (size_t)step);
		if (ret != GG_OK)
			goto out;
	}
out:
	free(mapped);
	if (ret != GG_OK)
		gg_buf_reset(out);
	return ret;
}

enum gg_err gg_text_nfkc(const char *s, struct gg_buf *out)
{
	return text_map(s, TEXT_BASE_OPTIONS, out);
}

enum gg_err gg_text_nfkc_dup(const char *s, const char *field, long max, char **out, struct gg_error *err)
{
	struct gg_buf b;
	long n = -1;

	*out = NULL;
	gg_buf_init(&b, (size_t)max * 4);
	if (gg_text_nfkc(s ? s : "", &b) == GG_OK)
		n = gg_text_chars(b.buf);
	if (n < 0 || n > max) {
		gg_buf_release(&b);
		return gg_error_field(err, GG_E_INVALID, field, "%s must be utf-8 text of at most %ld characters",
		                      field, max);
	}
	*out = gg_buf_detach(&b, NULL);
	gg_buf_release(&b);
	return *out ? GG_OK : gg_error_set(err, GG_E_NOMEM, NULL);
}

enum gg_err gg_text_fold(const char *s, struct gg_buf *out)
{
	return text_map(s, TEXT_BASE_OPTIONS | UTF8PROC_CASEFOLD, out);
}

size_t gg_text_length(const char *s)
{
	size_t len, n = 0, step;

	if (!s)
		return 0;
	len = strlen(s);
	while (len > 0) {
		step = gg_utf8_next(s, len, NULL);
		if (step == 0)
			step = 1;
		s += step;
		len -= step;
		n++;
	}
	return n;
}

long gg_text_chars(const char *s)
{
	size_t len = strlen(s), i = 0;
	long n = 0;

	while (i < len) {
		unsigned cp;
		size_t step = gg_utf8_next(s + i, len - i, &cp);
		if (step == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return -1;
		i += step;
		n++;
	}
	return n;
}
