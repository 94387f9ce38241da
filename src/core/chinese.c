/*
 * chinese: the one file that includes ICU. Pinyin comes from ICU's
 * Han-Latin transliterator, which reads each character on its own (no
 * word context), so a character's reading is transliterated once and kept
 * in a table for CJK extension A and the basic block: the first look-up of
 * a character fills its slot under a lock (about 5 microseconds), later
 * ones read it without locking. Opening Han-Latin costs about 140 ms, so
 * the table is filled lazily rather than all 27,648 slots at start. Tone
 * marks are removed by decomposing ICU's output and keeping ASCII letters;
 * u with diaeresis becomes v (lv, nv), as pinyin input methods spell it.
 * Han-Latin knows no surnames: a small table gives the surname readings
 * that differ from the common ones once tones are gone. GB18030, what
 * Excel on a Chinese Windows saves, is converted with ICU's converter,
 * whose STOP callback turns a bad byte sequence into an error with its
 * offset instead of a replacement character.
 */
#include "chinese.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "buf.h"
#include "text.h"

/* Longest toneless reading is six letters (zhuang, shuang); one for the NUL, one spare. */
#define SYL_MAX    8
#define TABLE_LO   0x3400 /* extension A, then the basic block */
#define TABLE_HI   0xA000
#define TABLE_SIZE (TABLE_HI - TABLE_LO)
#define CONV_CHUNK 16384
#define PIVOT_LEN  1024

static char syl_table[TABLE_SIZE][SYL_MAX];
static atomic_uchar syl_ready[TABLE_SIZE];

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static enum gg_err init_result = GG_E_INTERNAL;
/* ICU transliterators are not safe for concurrent use: every call holds this lock. */
static pthread_mutex_t translit_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *translit;
static const UNormalizer2 *nfd;
static const UNormalizer2 *nfkd;

/*
 * Surname readings that differ from Han-Latin's reading once tones are
 * removed (checked against ICU 72: 单 gives dan, 曾 ceng, ...). Simplified
 * and traditional forms. 尉 is left out: alone it is the surname Wei, as
 * ICU reads it; Yu only in the compound 尉迟.
 */
static const struct {
	const char *hanzi;
	const char *pinyin;
} surname_table[] = {
    /* two-character surnames first: the longest match wins */
    {"尉迟", "yu chi"},    {"万俟", "mo qi"},   {"單于", "chan yu"}, {"单于", "chan yu"}, {"長孫", "zhang sun"},
    {"长孙", "zhang sun"}, {"澹台", "tan tai"}, {"单", "shan"},      {"單", "shan"},      {"曾", "zeng"},
    {"朴", "piao"},        {"仇", "qiu"},       {"解", "xie"},       {"区", "ou"},        {"區", "ou"},
    {"查", "zha"},         {"盖", "ge"},        {"蓋", "ge"},        {"覃", "qin"},       {"种", "chong"},
    {"種", "chong"},       {"秘", "bi"},        {"乐", "yue"},       {"樂", "yue"},       {"员", "yun"},
    {"員", "yun"},         {"缪", "miao"},      {"繆", "miao"},      {"翟", "zhai"},      {"都", "du"},
    {"重", "chong"},       {"薄", "bo"},        {"长", "chang"},     {"長", "chang"},     {"召", "shao"},
    {"折", "she"},         {"粘", "nian"},      {"宓", "fu"},        {"蔚", "yu"},        {"繁", "po"},
    {"么", "yao"},         {"角", "jue"},       {"洗", "xian"},      {"黑", "he"},        {"能", "nai"},
    {"句", "gou"},         {"祭", "zhai"},
};

static void chinese_init_once(void)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar id[16];

	u_uastrcpy(id, "Han-Latin");
	nfd = unorm2_getNFDInstance(&e);
	if (U_SUCCESS(e))
		nfkd = unorm2_getNFKDInstance(&e);
	if (U_SUCCESS(e))
		translit = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
	init_result = U_SUCCESS(e) && translit ? GG_OK : GG_E_INTERNAL;
}

enum gg_err gg_chinese_init(void)
{
	pthread_once(&init_once, chinese_init_once);
	return init_result;
}

static int is_ascii_alnum(UChar32 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char ascii_lower(UChar32 c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/*
 * Transliterates one character into out (SYL_MAX bytes): lower-case ASCII
 * letters, tones removed, "" when ICU has no reading (it then returns the
 * character itself). The caller holds translit_lock.
 */
static void translit_one(UChar32 cp, char out[SYL_MAX])
{
	UChar text[32], decomposed[64];
	int32_t len = 0, limit, n, i, o = 0;
	UErrorCode e = U_ZERO_ERROR;
	UBool overflow = 0;

	out[0] = '\0';
	U16_APPEND(text, len, 32, cp, overflow);
	if (overflow)
		return;
	limit = len;
	utrans_transUChars(translit, text, &len, 32, 0, &limit, &e);
	if (U_FAILURE(e) || len <= 0 || len > 32)
		return;
	n = unorm2_normalize(nfd, text, len, decomposed, 64, &e);
	if (U_FAILURE(e))
		return;
	for (i = 0; i < n; i++) {
		UChar c = decomposed[i];

		if (c >= 0x2E80) /* still a Han character: no reading */
			goto none;
		if (c == 0x0308 && o > 0 && out[o - 1] == 'u') {
			out[o - 1] = 'v'; /* lü -> lv */
			continue;
		}
		if (!is_ascii_alnum(c))
			continue;
		if (o >= SYL_MAX - 1)
			goto none;
		out[o++] = ascii_lower(c);
	}
	out[o] = '\0';
	return;
none:
	out[0] = '\0';
}

/* The reading of a Han character (maybe ""); scratch holds it when it is not in the table. */
static const char *syllable(UChar32 cp, char scratch[SYL_MAX])
{
	size_t idx;

	if (cp >= TABLE_LO && cp < TABLE_HI) {
		idx = (size_t)(cp - TABLE_LO);
		if (atomic_load_explicit(&syl_ready[idx], memory_order_acquire))
			return syl_table[idx];
		pthread_mutex_lock(&translit_lock);
		if (!atomic_load_explicit(&syl_ready[idx], memory_order_relaxed)) {
			translit_one(cp, syl_table[idx]);
			atomic_store_explicit(&syl_ready[idx], 1, memory_order_release);
		}
		pthread_mutex_unlock(&translit_lock);
		return syl_table[idx];
	}
	pthread_mutex_lock(&translit_lock);
	translit_one(cp, scratch);
	pthread_mutex_unlock(&translit_lock);
	return scratch;
}

/* Appends a word, preceded by a space unless it is the first. */
static enum gg_err add_word(struct gg_buf *out, const char *w)
{
	enum gg_err ret;

	if (out->len > 0) {
		ret = gg_buf_addch(out, ' ');
		if (ret != GG_OK)
			return ret;
	}
	return gg_buf_adds(out, w);
}

/* Appends the ASCII letters and digits of a non-ASCII letter's NFKD form (é -> e, Ｌ -> l). */
static enum gg_err add_letter(struct gg_buf *out, UChar32 cp, int *in_run)
{
	UChar text[4], decomposed[32];
	int32_t len = 0, n, i;
	UErrorCode e = U_ZERO_ERROR;
	UBool overflow = 0;
	enum gg_err ret;

	U16_APPEND(text, len, 4, cp, overflow);
	if (overflow)
		return GG_OK;
	n = unorm2_normalize(nfkd, text, len, decomposed, 32, &e);
	if (U_FAILURE(e))
		return GG_OK;
	for (i = 0; i < n; i++) {
		if (!is_ascii_alnum(decomposed[i]))
			continue;
		if (!*in_run && out->len > 0) {
			ret = gg_buf_addch(out, ' ');
			if (ret != GG_OK)
				return ret;
		}
		*in_run = 1;
		ret = gg_buf_addch(out, ascii_lower(decomposed[i]));
		if (ret != GG_OK)
			return ret;
	}
	return GG_OK;
}

enum gg_err gg_chinese_pinyin(const char *utf8, int surname, struct gg_buf *out)
{
	char scratch[SYL_MAX];
	const char *syl;
	size_t len, pos = 0, n, i, klen;
	unsigned cp;
	int in_run = 0;
	enum gg_err ret;

	gg_buf_reset(out);
	if (!utf8)
		return GG_E_INVALID;
	ret = gg_chinese_init();
	if (ret != GG_OK)
		return ret;
	len = strlen(utf8);
	while (pos < len && (utf8[pos] == ' ' || utf8[pos] == '\t'))
		pos++;
	if (surname) {
		for (i = 0; i < sizeof(surname_table) / sizeof(surname_table[0]); i++) {
			klen = strlen(surname_table[i].hanzi);
			if (strncmp(utf8 + pos, surname_table[i].hanzi, klen) == 0) {
				ret = gg_buf_adds(out, surname_table[i].pinyin);
				if (ret != GG_OK)
					goto out;
				pos += klen;
				break;
			}
		}
	}
	while (pos < len) {
		n = gg_utf8_next(utf8 + pos, len - pos, &cp);
		if (n == 0) {
			ret = GG_E_BAD_UTF8;
			goto out;
		}
		pos += n;
		if (gg_text_is_han(cp) || cp == 0x3007 /* 〇 */) {
			in_run = 0;
			syl = syllable((UChar32)cp, scratch);
			if (syl[0])
				ret = add_word(out, syl);
		} else if (cp < 0x80 && is_ascii_alnum((UChar32)cp)) {
			if (!in_run && out->len > 0)
				ret = gg_buf_addch(out, ' ');
			in_run = 1;
			if (ret == GG_OK)
				ret = gg_buf_addch(out, ascii_lower((UChar32)cp));
		} else if (cp >= 0x80 && u_isalnum((UChar32)cp)) {
			ret = add_letter(out, (UChar32)cp, &in_run);
		} else {
			in_run = 0;
		}
		if (ret != GG_OK)
			goto out;
	}
out:
	if (ret != GG_OK)
		gg_buf_reset(out);
	return ret;
}

static int is_conversion_error(UErrorCode e)
{
	return e == U_INVALID_CHAR_FOUND || e == U_TRUNCATED_CHAR_FOUND || e == U_ILLEGAL_CHAR_FOUND ||
	       e == U_ILLEGAL_ESCAPE_SEQUENCE || e == U_UNSUPPORTED_ESCAPE_SEQUENCE;
}

static UConverter *open_strict(const char *name)
{
	UErrorCode e = U_ZERO_ERROR;
	UConverter *c = ucnv_open(name, &e);

	if (U_FAILURE(e))
		return NULL;
	ucnv_setToUCallBack(c, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &e);
	ucnv_setFromUCallBack(c, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &e);
	if (U_FAILURE(e)) {
		ucnv_close(c);
		return NULL;
	}
	return c;
}

/*
 * Converts data from charset `from` to charset `to`, appending to out
 * (NULL: only checks that it converts). A bad sequence gives GG_E_BAD_UTF8
 * with its byte offset in *bad.
 */
static enum gg_err convert(const char *from, const char *to, const char *data, size_t len, struct gg_buf *out,
                           size_t *bad)
{
	UConverter *src = open_strict(from), *dst = open_strict(to);
	static const char empty[1];
	char chunk[CONV_CHUNK], invalid[32], *target;
	UChar pivot[PIVOT_LEN], *pivot_src = pivot, *pivot_dst = pivot;
	const char *base = data ? data : empty, *source = base, *limit;
	UErrorCode e, e2;
	int8_t invalid_len;
	UBool reset = 1;
	enum gg_err ret = GG_OK;

	*bad = 0;
	if (!src || !dst) {
		ret = GG_E_INTERNAL;
		goto out;
	}
	limit = source + len;
	for (;;) {
		e = U_ZERO_ERROR;
		target = chunk;
		ucnv_convertEx(dst, src, &target, chunk + sizeof(chunk), &source, limit, pivot, &pivot_src, &pivot_dst,
		               pivot + PIVOT_LEN, reset, 1, &e);
		reset = 0;
		if (out && target > chunk) {
			ret = gg_buf_add(out, chunk, (size_t)(target - chunk));
			if (ret != GG_OK)
				goto out;
		}
		if (e == U_BUFFER_OVERFLOW_ERROR)
			continue;
		break;
	}
	if (U_SUCCESS(e))
		goto out;
	if (!is_conversion_error(e)) {
		ret = GG_E_INTERNAL;
		goto out;
	}
	e2 = U_ZERO_ERROR;
	invalid_len = (int8_t)sizeof(invalid);
	ucnv_getInvalidChars(src, invalid, &invalid_len, &e2);
	if (U_FAILURE(e2) || invalid_len < 0)
		invalid_len = 0;
	*bad = (size_t)(source - base) >= (size_t)invalid_len ? (size_t)(source - base) - (size_t)invalid_len : 0;
	ret = GG_E_BAD_UTF8;
out:
	if (src)
		ucnv_close(src);
	if (dst)
		ucnv_close(dst);
	return ret;
}

/* 1 when all of data is well-formed UTF-8. */
static int valid_utf8(const char *data, size_t len)
{
	size_t pos = 0, n;

	while (pos < len) {
		if ((unsigned char)data[pos] < 0x80) {
			pos++;
			continue;
		}
		n = gg_utf8_next(data + pos, len - pos, NULL);
		if (n == 0)
			return 0;
		pos += n;
	}
	return 1;
}

enum gg_encoding gg_chinese_detect(const char *data, size_t len)
{
	size_t bad;

	if (len > 0 && memchr(data, '\0', len))
		return GG_ENC_BINARY;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		return valid_utf8(data + 3, len - 3) ? GG_ENC_UTF8_BOM : GG_ENC_BINARY;
	if (valid_utf8(data, len))
		return GG_ENC_UTF8;
	if (convert("GB18030", "UTF-8", data, len, NULL, &bad) == GG_OK)
		return GG_ENC_GB18030;
	return GG_ENC_BINARY;
}

enum gg_err gg_chinese_from_gb18030(const char *data, size_t len, struct gg_buf *out, struct gg_error *err)
{
	size_t bad;
	enum gg_err ret;

	gg_buf_reset(out);
	ret = convert("GB18030", "UTF-8", data, len, out, &bad);
	if (ret != GG_OK) {
		gg_buf_reset(out);
		if (ret == GG_E_BAD_UTF8)
			return gg_error_set(err, ret, "invalid gb18030 byte sequence at byte %zu", bad);
		if (ret == GG_E_TOO_LARGE)
			return gg_error_set(err, ret, "converted text is larger than %zu bytes", out->max);
		return gg_error_set(err, ret, "cannot convert from gb18030");
	}
	/* GB18030's own byte order mark (84 31 95 33) arrives as U+FEFF: drop it like a UTF-8 BOM. */
	if (out->len >= 3 && memcmp(out->buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(out->buf, out->buf + 3, out->len - 3 + 1);
		out->len -= 3;
	}
	return GG_OK;
}

enum gg_err gg_chinese_to_gb18030(const char *data, size_t len, struct gg_buf *out, struct gg_error *err)
{
	size_t bad;
	enum gg_err ret;

	gg_buf_reset(out);
	ret = convert("UTF-8", "GB18030", data, len, out, &bad);
	if (ret != GG_OK) {
		gg_buf_reset(out);
		if (ret == GG_E_BAD_UTF8)
			return gg_error_set(err, ret, "invalid utf-8 byte sequence at byte %zu", bad);
		if (ret == GG_E_TOO_LARGE)
			return gg_error_set(err, ret, "converted text is larger than %zu bytes", out->max);
		return gg_error_set(err, ret, "cannot convert to gb18030");
	}
	return GG_OK;
}
