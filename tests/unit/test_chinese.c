/*
 * test_chinese: pinyin of names (tones removed, one syllable per
 * character), surname readings only in first place and only when asked,
 * Latin and digits inside names, the lazily filled table under several
 * threads, encoding detection (BOM, UTF-8, GB18030, binary), GB18030
 * conversion both ways (two- and four-byte sequences, long input across
 * the converter's chunks, its own byte order mark) and the byte offset
 * of a bad sequence.
 */
#include "unit.h"

#include <pthread.h>

#include "core/chinese.h"

static int setup_group(void **state)
{
	(void)state;
	return gg_chinese_init() == GG_OK ? 0 : -1;
}

static void assert_pinyin(const char *name, int surname, const char *want)
{
	struct gg_buf b;

	gg_buf_init(&b, 1024);
	assert_int_equal(gg_chinese_pinyin(name, surname, &b), GG_OK);
	if (strcmp(b.buf, want) != 0)
		fail_msg("pinyin of '%s' (surname %d) is '%s', want '%s'", name, surname, b.buf, want);
	gg_buf_release(&b);
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(gg_chinese_init(), GG_OK); /* idempotent */
	assert_pinyin("王金桥", 1, "wang jin qiao");
	assert_pinyin("王金桥", 0, "wang jin qiao");
	assert_pinyin("姚斌", 1, "yao bin");
	assert_pinyin("陈十一", 1, "chen shi yi");
	assert_pinyin("张清杰", 1, "zhang qing jie");
	/* ü is written v, as input methods type it. */
	assert_pinyin("吕女士", 1, "lv nv shi");
	assert_pinyin("绿", 0, "lv");
	/* Extension B (U+20000) and 〇. */
	assert_pinyin("\xF0\xA0\x80\x80", 0, "he");
	assert_pinyin("二〇二六", 0, "er ling er liu");
	assert_pinyin("", 1, "");
}

static void test_surnames(void **state)
{
	(void)state;
	assert_pinyin("单雄信", 1, "shan xiong xin");
	assert_pinyin("单雄信", 0, "dan xiong xin");
	assert_pinyin("单", 1, "shan");
	assert_pinyin("单", 0, "dan");
	assert_pinyin("曾国藩", 1, "zeng guo fan");
	assert_pinyin("曾国藩", 0, "ceng guo fan");
	assert_pinyin("朴槿惠", 1, "piao jin hui");
	assert_pinyin("解缙", 1, "xie jin");
	assert_pinyin("仇英", 1, "qiu ying");
	assert_pinyin("區", 1, "ou"); /* traditional form */
	assert_pinyin("翟天临", 1, "zhai tian lin");
	/* Only the first character reads as a surname. */
	assert_pinyin("王单", 1, "wang dan");
	assert_pinyin("曾曾", 1, "zeng ceng");
	/* Two-character surnames. */
	assert_pinyin("尉迟恭", 1, "yu chi gong");
	assert_pinyin("尉迟恭", 0, "wei chi gong");
	assert_pinyin("尉缭", 1, "wei liao");
	assert_pinyin("万俟卨", 1, "mo qi xie");
	/* Leading white space does not hide the surname. */
	assert_pinyin("  单田芳", 1, "shan tian fang");
}

static void test_mixed(void **state)
{
	(void)state;
	assert_pinyin("Li雷", 1, "li lei");
	assert_pinyin("Li 雷", 1, "li lei");
	assert_pinyin("雷Li", 1, "lei li");
	assert_pinyin("ＬＩ雷", 1, "li lei"); /* full-width letters */
	assert_pinyin("José王", 1, "jose wang");
	assert_pinyin("Mary·Smith", 1, "mary smith");
	assert_pinyin("王2号楼", 0, "wang 2 hao lou");
	assert_pinyin("3551人才", 0, "3551 ren cai");
	assert_pinyin("（北京）", 0, "bei jing");
	/* A surname override applies only when a Han character comes first. */
	assert_pinyin("Li单", 1, "li dan");
	assert_pinyin("!?,.", 0, "");
}

static void test_pinyin_refusals(void **state)
{
	struct gg_buf b, small;

	(void)state;
	gg_buf_init(&b, 1024);
	gg_buf_init(&small, 8);
	assert_int_equal(gg_buf_adds(&b, "stale"), GG_OK);
	assert_int_equal(gg_chinese_pinyin("王\xFF", 1, &b), GG_E_BAD_UTF8);
	assert_int_equal(b.len, 0);
	assert_int_equal(gg_chinese_pinyin("\xE7\x8E", 1, &b), GG_E_BAD_UTF8); /* truncated 王 */
	assert_int_equal(gg_chinese_pinyin(NULL, 1, &b), GG_E_INVALID);
	assert_int_equal(gg_chinese_pinyin("王金桥", 1, &small), GG_E_TOO_LARGE);
	assert_int_equal(small.len, 0);
	assert_int_equal(gg_chinese_pinyin("王金", 1, &small), GG_OK);
	assert_string_equal(small.buf, "wang jin");
	gg_buf_release(&b);
	gg_buf_release(&small);
}

#define THREADS 4

struct pinyin_job {
	const char *text;
	char *result;
	enum gg_err ret;
};

static void *pinyin_thread(void *arg)
{
	struct pinyin_job *job = arg;
	struct gg_buf b;

	gg_buf_init(&b, 1 << 20);
	job->ret = gg_chinese_pinyin(job->text, 0, &b);
	job->result = gg_buf_detach(&b, NULL);
	return NULL;
}

/* Threads fill the lazy table at the same time and all read the same syllables. */
static void test_threads(void **state)
{
	struct pinyin_job jobs[THREADS];
	pthread_t t[THREADS];
	struct gg_buf text, serial;
	unsigned cp;
	char utf8[4];
	int i;

	(void)state;
	gg_buf_init(&text, 1 << 20);
	gg_buf_init(&serial, 1 << 20);
	/* 2,000 characters of the basic block no other test has looked up. */
	for (cp = 0x8000; cp < 0x8000 + 2000; cp++) {
		utf8[0] = (char)(0xE0 | (cp >> 12));
		utf8[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		utf8[2] = (char)(0x80 | (cp & 0x3F));
		assert_int_equal(gg_buf_add(&text, utf8, 3), GG_OK);
	}
	for (i = 0; i < THREADS; i++) {
		jobs[i].text = text.buf;
		jobs[i].result = NULL;
		assert_int_equal(pthread_create(&t[i], NULL, pinyin_thread, &jobs[i]), 0);
	}
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(gg_chinese_pinyin(text.buf, 0, &serial), GG_OK);
	assert_true(serial.len > 4000);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(jobs[i].ret, GG_OK);
		assert_non_null(jobs[i].result);
		assert_string_equal(jobs[i].result, serial.buf);
		free(jobs[i].result);
	}
	gg_buf_release(&text);
	gg_buf_release(&serial);
}

static void test_detect(void **state)
{
	static const char bom[] = "\xEF\xBB\xBF姓名,性别\r\n王金桥,male\r\n";
	static const char utf8[] = "姓名,性别\r\n王金桥,male\r\n";
	static const char gb[] = "\xD0\xD5\xC3\xFB,\xD0\xD4\xB1\xF0\r\n"; /* 姓名,性别 */
	static const char nul[] = "name\0,x\n";
	static const char zip[] = "PK\x03\x04\x14\x00\x06\x00";
	static const char junk[] = "\xFF\xFE\xFD\x80\x80";

	(void)state;
	assert_int_equal(gg_chinese_detect(bom, sizeof(bom) - 1), GG_ENC_UTF8_BOM);
	assert_int_equal(gg_chinese_detect(utf8, sizeof(utf8) - 1), GG_ENC_UTF8);
	assert_int_equal(gg_chinese_detect("abc,def\n", 8), GG_ENC_UTF8);
	assert_int_equal(gg_chinese_detect("", 0), GG_ENC_UTF8);
	assert_int_equal(gg_chinese_detect(gb, sizeof(gb) - 1), GG_ENC_GB18030);
	assert_int_equal(gg_chinese_detect(nul, sizeof(nul) - 1), GG_ENC_BINARY);
	assert_int_equal(gg_chinese_detect(zip, sizeof(zip) - 1), GG_ENC_BINARY);
	assert_int_equal(gg_chinese_detect(junk, sizeof(junk) - 1), GG_ENC_BINARY);
	/* A BOM followed by GB18030 bytes is neither encoding. */
	assert_int_equal(gg_chinese_detect("\xEF\xBB\xBF\xD6\xD0", 5), GG_ENC_BINARY);
	/* A GB18030 file cut in the middle of a character. */
	assert_int_equal(gg_chinese_detect("\xD6\xD0\xCE", 3), GG_ENC_BINARY);
}

static void test_gb18030_round_trip(void **state)
{
	struct gg_buf gb, back;
	struct gg_error err;

	(void)state;
	gg_buf_init(&gb, 1 << 20);
	gg_buf_init(&back, 1 << 20);
	gg_error_init(&err);
	assert_int_equal(gg_chinese_to_gb18030("中文 abc", strlen("中文 abc"), &gb, &err), GG_OK);
	assert_int_equal(gb.len, 8);
	assert_memory_equal(gb.buf, "\xD6\xD0\xCE\xC4 abc", 8);
	assert_int_equal(gg_chinese_detect(gb.buf, gb.len), GG_ENC_GB18030);
	assert_int_equal(gg_chinese_from_gb18030(gb.buf, gb.len, &back, &err), GG_OK);
	assert_string_equal(back.buf, "中文 abc");

	/* U+20000 is a four-byte sequence in GB18030. */
	assert_int_equal(gg_chinese_to_gb18030("\xF0\xA0\x80\x80", 4, &gb, &err), GG_OK);
	assert_int_equal(gb.len, 4);
	assert_memory_equal(gb.buf, "\x95\x32\x82\x36", 4);
	assert_int_equal(gg_chinese_from_gb18030(gb.buf, gb.len, &back, &err), GG_OK);
	assert_string_equal(back.buf, "\xF0\xA0\x80\x80");
	/* So is U+0080, in the BMP part. */
	assert_int_equal(gg_chinese_from_gb18030("\x81\x30\x81\x30", 4, &back, &err), GG_OK);
	assert_string_equal(back.buf, "\xC2\x80");

	/* GB18030's byte order mark is dropped. */
	assert_int_equal(gg_chinese_from_gb18030("\x84\x31\x95\x33\xD6\xD0", 6, &back, &err), GG_OK);
	assert_string_equal(back.buf, "中");
	assert_int_equal(gg_chinese_from_gb18030("", 0, &back, &err), GG_OK);
	assert_string_equal(back.buf, "");
	gg_buf_release(&gb);
	gg_buf_release(&back);
}

/* Longer than the converter's 16 KiB chunks: nothing lost or doubled at the seams. */
static void test_gb18030_long(void **state)
{
	struct gg_buf utf8, gb, back;
	struct gg_error err;
	int i;

	(void)state;
	gg_buf_init(&utf8, 1 << 22);
	gg_buf_init(&gb, 1 << 22);
	gg_buf_init(&back, 1 << 22);
	gg_error_init(&err);
	for (i = 0; i < 20000; i++)
		assert_int_equal(gg_buf_addf(&utf8, "%d,王金桥,\xF0\xA0\x80\x80\r\n", i), GG_OK);
	assert_int_equal(gg_chinese_to_gb18030(utf8.buf, utf8.len, &gb, &err), GG_OK);
	assert_true(gb.len < utf8.len);
	assert_int_equal(gg_chinese_detect(gb.buf, gb.len), GG_ENC_GB18030);
	assert_int_equal(gg_chinese_from_gb18030(gb.buf, gb.len, &back, &err), GG_OK);
	assert_int_equal(back.len, utf8.len);
	assert_memory_equal(back.buf, utf8.buf, utf8.len);
	gg_buf_release(&utf8);
	gg_buf_release(&gb);
	gg_buf_release(&back);
}

static void test_gb18030_errors(void **state)
{
	struct gg_buf out, small;
	struct gg_error err;

	(void)state;
	gg_buf_init(&out, 1024);
	gg_buf_init(&small, 4);
	gg_error_init(&err);
	/* 0xFF is never valid: at byte 4, after "ab" and 中. */
	assert_int_equal(gg_chinese_from_gb18030("ab\xD6\xD0\xFFxy", 7, &out, &err), GG_E_BAD_UTF8);
	assert_string_equal(err.message, "invalid gb18030 byte sequence at byte 4");
	assert_int_equal(out.len, 0);
	/* Truncated at the end: the lead byte's offset. */
	gg_error_init(&err);
	assert_int_equal(gg_chinese_from_gb18030("abc\xD6", 4, &out, &err), GG_E_BAD_UTF8);
	assert_string_equal(err.message, "invalid gb18030 byte sequence at byte 3");
	/* A bad byte far into the input, past the first chunk. */
	{
		struct gg_buf big, big_out;

		gg_buf_init(&big, 1 << 20);
		gg_buf_init(&big_out, 1 << 20);
		while (big.len < 40000)
			assert_int_equal(gg_buf_add(&big, "\xD6\xD0", 2), GG_OK);
		assert_int_equal(gg_buf_addch(&big, (char)0x80), GG_OK);
		gg_error_init(&err);
		/* out holds 1 KiB: too small for 20,000 characters. */
		assert_int_equal(gg_chinese_from_gb18030(big.buf, big.len, &out, &err), GG_E_TOO_LARGE);
		assert_int_equal(out.len, 0);
		gg_error_init(&err);
		assert_int_equal(gg_chinese_from_gb18030(big.buf, big.len, &big_out, &err), GG_E_BAD_UTF8);
		assert_string_equal(err.message, "invalid gb18030 byte sequence at byte 40000");
		assert_int_equal(big_out.len, 0);
		gg_buf_release(&big);
		gg_buf_release(&big_out);
	}
	/* Invalid UTF-8 going the other way. */
	gg_error_init(&err);
	assert_int_equal(gg_chinese_to_gb18030("a\377b", 3, &out, &err), GG_E_BAD_UTF8);
	assert_string_equal(err.message, "invalid utf-8 byte sequence at byte 1");
	gg_error_init(&err);
	assert_int_equal(gg_chinese_to_gb18030("中文中文", 12, &small, &err), GG_E_TOO_LARGE);
	assert_int_equal(small.len, 0);
	gg_buf_release(&out);
	gg_buf_release(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_surnames),
	    cmocka_unit_test(test_mixed),
	    cmocka_unit_test(test_pinyin_refusals),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_detect),
	    cmocka_unit_test(test_gb18030_round_trip),
	    cmocka_unit_test(test_gb18030_long),
	    cmocka_unit_test(test_gb18030_errors),
	};

	return cmocka_run_group_tests(tests, setup_group, NULL);
}
