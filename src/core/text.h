/*
 * text: Unicode normalisation through utf8proc (the one file that
 * includes it). People type full-width letters and brackets on Chinese
 * keyboards (ＡＢＣ（北京）); everything is NFKC-normalised before it is
 * stored, indexed or compared, so ABC(北京) and ＡＢＣ（北京） are one value.
 */
#ifndef GG_TEXT_H
#define GG_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/**
 * NFKC of s, with leading/trailing white space removed and inner runs of
 * white space (also U+3000) folded to one ASCII space. out is reset first.
 * GG_E_BAD_UTF8 for invalid UTF-8.
 */
enum gg_err gg_text_nfkc(const char *s, struct gg_buf *out);
/**
 * NFKC of s (NULL: "") as above into *out (malloc'd, the caller frees),
 * at most max characters. Otherwise *out NULL and a field error on field:
 * GG_E_INVALID "FIELD must be utf-8 text of at most MAX characters", or
 * GG_E_NOMEM. An empty result is the caller's to refuse or accept.
 */
enum gg_err gg_text_nfkc_dup(const char *s, const char *field, long max, char **out, struct gg_error *err);
/** NFKC as above, then lower-cased (case folding), for search keys. */
enum gg_err gg_text_fold(const char *s, struct gg_buf *out);
/** 1 when cp is a CJK unified ideograph (basic block and extensions A-G, compatibility). */
int gg_text_is_han(uint32_t cp);
/** Number of code points of valid UTF-8 s (invalid bytes count one each). */
size_t gg_text_length(const char *s);
/** Number of code points of s, or -1 when s is not valid UTF-8 or holds a control character (C0, DEL, C1). */
long gg_text_chars(const char *s);

#endif
