/*
 * chinese: pinyin and GB18030 through ICU (the one file that includes
 * ICU). Pinyin comes from ICU's Han-Latin transliteration, applied once
 * per character and cached in a table (transliterating whole strings is
 * tens of microseconds a row), with an override table for characters that
 * read differently as surnames (单 shan, 曾 zeng, 朴 piao, 仇 qiu, 解 xie,
 * 区 ou, 查 zha, ...). Thread-safe after gg_chinese_init.
 */
#ifndef GG_CHINESE_H
#define GG_CHINESE_H

#include <stddef.h>

#include "buf.h"

/** Once per process (idempotent, thread-safe); GG_E_INTERNAL when ICU cannot open Han-Latin. */
enum gg_err gg_chinese_init(void);

/**
 * Pinyin of a name, lower-case ASCII without tones, one syllable per Han
 * character, separated by single spaces ("王金桥" -> "wang jin qiao").
 * When surname is set, the first character reads as a surname (单 -> shan).
 * Non-Han runs (Latin letters, digits) are kept lower-cased as one
 * "syllable" each; other characters are dropped. out is reset first.
 */
enum gg_err gg_chinese_pinyin(const char *utf8, int surname, struct gg_buf *out);

enum gg_encoding { GG_ENC_UTF8, GG_ENC_UTF8_BOM, GG_ENC_GB18030, GG_ENC_BINARY };
/**
 * Guesses the encoding of a text file's bytes: UTF-8 with a BOM, valid
 * UTF-8, else GB18030 when it decodes as GB18030 without errors, else
 * binary (NUL bytes, or neither decodes).
 */
enum gg_encoding gg_chinese_detect(const char *data, size_t len);
/** Converts GB18030 bytes to UTF-8 (out reset first); GG_E_BAD_UTF8 naming the byte offset on a bad sequence. */
enum gg_err gg_chinese_from_gb18030(const char *data, size_t len, struct gg_buf *out, struct gg_error *err);
/** Converts UTF-8 to GB18030 (out reset first). */
enum gg_err gg_chinese_to_gb18030(const char *data, size_t len, struct gg_buf *out, struct gg_error *err);

#endif
