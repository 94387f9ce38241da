/*
 * test_import: CSV imports and exports of the registry on a migrated
 * SQLite database in a temporary directory, with invented people only.
 * Headers in Chinese and in English; a missing or unknown column refuses
 * the file; row problems carry the spreadsheet line (a quoted cell that
 * spans lines counts its lines) and the column header as written; an ID
 * number that Excel turned into 4.20101E+17 is named as such; by default
 * nothing is written when a row is invalid, with skip_invalid the valid
 * rows are; importing the same file again changes nothing and writes no
 * audit row; GB18030 files import as UTF-8 ones do; workbooks and binary
 * files are refused. The export side: BOM, CRLF and Chinese headers, the
 * masked copy unless unmasked, and the round trip (an unmasked export
 * imports back unchanged, also as GB18030, and into a fresh database
 * exports to the same bytes).
 */
#include "unit.h"

#include "core/chinese.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "domain/export.h"
#include "domain/ident.h"
#include "domain/import.h"
#include "domain/org.h"
#include "store/db.h"
#include "store/migrate.h"

#define T0 1800000000LL /* 2027-01-15T08:00:00Z */

/* Invented organisations: credit codes get their check character in setup. */
#define USCC17_A "91420100MA4K7T3Q5"
#define USCC17_B "12420100MB1X2Y3W4"

/* Invented people: resident ids get their check character in setup. */
#define ID17_1 "42011119830412135" /* 1983-04-12 */
#define ID17_2 "11010519910923248" /* 1991-09-23 */
#define ID17_3 "31011519770101357" /* 1977-01-01 */

struct fixture {
	char dir[256];
	struct gg_db *db;
	struct gg_keys keys;
	char uscc_a[GG_IDENT_BUF], uscc_b[GG_IDENT_BUF];
	char id1[GG_IDENT_BUF], id2[GG_IDENT_BUF], id3[GG_IDENT_BUF];
	char buf[8192];
};

static const struct gg_actor officer = {7, "officer", "req-imp"};

static void set_now(int64_t t)
{
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)t);
	assert_int_equal(setenv("GUANGGU_TEST_NOW", s, 1), 0);
}

static int open_db(const char *dir, const char *name, struct gg_db **db)
{
	char path[400];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return unit_db_create(path, db);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (!fx || gg_crypto_init() != GG_OK || gg_chinese_init() != GG_OK)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	if (open_db(fx->dir, "a.db", &fx->db) != 0)
		return -1;
	gg_crypto_random(fx->keys.data, sizeof fx->keys.data);
	gg_crypto_random(fx->keys.index, sizeof fx->keys.index);
	snprintf(fx->uscc_a, sizeof fx->uscc_a, "%s%c", USCC17_A, gg_ident_uscc_check_char(USCC17_A));
	snprintf(fx->uscc_b, sizeof fx->uscc_b, "%s%c", USCC17_B, gg_ident_uscc_check_char(USCC17_B));
	snprintf(fx->id1, sizeof fx->id1, "%s%c", ID17_1, gg_ident_resident_check_char(ID17_1));
	snprintf(fx->id2, sizeof fx->id2, "%s%c", ID17_2, gg_ident_resident_check_char(ID17_2));
	snprintf(fx->id3, sizeof fx->id3, "%s%c", ID17_3, gg_ident_resident_check_char(ID17_3));
	set_now(T0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	gg_db_close(fx->db);
	unit_rmtree(fx->dir);
	gg_crypto_keys_wipe(&fx->keys);
	free(fx);
	unsetenv("GUANGGU_TEST_NOW");
	return 0;
}

static enum gg_err import_into(struct gg_db *db, const struct gg_keys *keys, enum gg_export_sheet sheet,
                               const char *text, size_t len, int skip, struct gg_import_result *res,
                               struct gg_error *err)
{
	struct gg_import_options opt;

	memset(&opt, 0, sizeof opt);
	opt.sheet = sheet;
	opt.skip_invalid = skip;
	opt.max_rows = 1000;
	opt.keys = keys;
	opt.actor = &officer;
	gg_error_init(err);
	return gg_import_run(db, &opt, text, len, res, err);
}

static enum gg_err import_text(struct fixture *fx, enum gg_export_sheet sheet, const char *text, int skip,
                               struct gg_import_result *res, struct gg_error *err)
{
	return import_into(fx->db, &fx->keys, sheet, text, strlen(text), skip, res, err);
}

/* The reason of the error at line and column (as in the file); fails the test when there is none. */
static const char *error_at(const struct gg_import_result *res, size_t line, const char *column)
{
	size_t i;

	for (i = 0; i < res->nerrors; i++) {
		if (res->errors[i].line == line && strcmp(res->errors[i].column, column) == 0)
			return res->errors[i].reason;
	}
	for (i = 0; i < res->nerrors; i++)
		print_error("  have: line %zu, '%s': %s\n", res->errors[i].line, res->errors[i].column,
		            res->errors[i].reason);
	fail_msg("no error at line %zu, column '%s'", line, column);
	return NULL;
}

#define ORG_HEAD "名称,统一社会信用代码,类型,园区,产业链环节,已核实\r\n"
#define TALENT_HEAD                                                                                                                                            \
	"姓名,拉丁名,性别,出生日期,国籍,证件类型,证件号码,手机,电子邮箱,单位统一社会信用代码,单位名称,职务,籍贯," \
	"研究领域,"                                                                                                                                        \
	"关键词,产业链环节,荣誉,人才层次,状态,备注\r\n"

/* Two organisations, by import (labels in Chinese). */
static void load_orgs(struct fixture *fx)
{
	struct gg_import_result res;
	struct gg_error err;

	gg_import_result_init(&res);
	snprintf(fx->buf, sizeof fx->buf,
	         ORG_HEAD "光谷样例光电有限公司,%s,龙头企业,光谷软件园,光通信;lasers,是\r\n"
	                  "江城样例研究院,%s,rd_unit,,,false\r\n"
	                  "无码样例孵化器,,孵化器,光谷生物城,,\r\n",
	         fx->uscc_a, fx->uscc_b);
	assert_int_equal(import_text(fx, GG_EXPORT_ORGS, fx->buf, 0, &res, &err), GG_OK);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.created, 3);
	gg_import_result_release(&res);
}

/* Three people in Chinese headers; row 2 has a note over two lines (stored with LF). */
static void people_zh(struct fixture *fx, char *out, size_t outsz)
{
	snprintf(out, outsz,
	         TALENT_HEAD
	         "艾样一,Yi AI,男,1983-04-12,CN,居民身份证,%s,13907150101,yi.ai@example.com,%s,,首席科学家,"
	         "武汉,光通信;硅光,相干模块,光通信,cas_academician:2019;national_award,top_scientist,已落地,"
	         "\"第一行\r\n第二行\"\r\n"
	         "柏样二,,female,1991-09-23,CN,,%s,,,,江城样例研究院,研究员,北京,,,,,high_level,serving,\r\n"
	         "岑样三,,,,,,,,,,无码样例孵化器,,,,,,,,,\r\n",
	         fx->id1, fx->uscc_a, fx->id2);
}

static void test_header_zh_and_en(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	char text[4096];

	load_orgs(fx);
	gg_import_result_init(&res);
	people_zh(fx, text, sizeof text);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 0, &res, &err), GG_OK);
	assert_int_equal(res.lang, GG_EXPORT_ZH);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.created, 3);
	assert_int_equal(res.invalid, 0);
	assert_true(res.written);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 3);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM talents WHERE name = '艾样一' AND gender = 'male' AND "
	                             "status = 'landed' AND notes = '第一行' || char(10) || '第二行'"),
	                 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talent_honours"), 2);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents t JOIN orgs o ON o.id = t.org_id "
	                                     "WHERE t.name = '柏样二' AND o.name = '江城样例研究院'"),
	                 1);

	/* English headers, any case, in another order and fewer columns: matched by document. */
	snprintf(text, sizeof text, "Doc_Number,NAME,title\r\n%s,艾样一,院长\r\n%s,柏样二,研究员\r\n", fx->id1,
	         fx->id2);
	gg_import_result_release(&res);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 0, &res, &err), GG_OK);
	assert_int_equal(res.lang, GG_EXPORT_EN);
	assert_int_equal(res.rows, 2);
	assert_int_equal(res.created, 0);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.unchanged, 1);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM talents WHERE name = '艾样一' AND title = '院长' AND "
	                             "birth_date = '1983-04-12'"),
	                 1);
	gg_import_result_release(&res);
}

static void test_missing_and_unknown_columns(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;

	gg_import_result_init(&res);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, "性别,鞋码\r\n男,42\r\n", 0, &res, &err), GG_E_INVALID);
	assert_non_null(strstr(err.message, "missing column '姓名'"));
	assert_non_null(strstr(err.message, "unknown column '鞋码'"));
	assert_string_equal(error_at(&res, 1, "鞋码"), "unknown column");
	assert_string_equal(error_at(&res, 1, "姓名"), "missing required column");
	assert_false(res.written);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 0);

	/* Organisations need name and kind; the English file gets English names in the message. */
	gg_import_result_release(&res);
	assert_int_equal(import_text(fx, GG_EXPORT_ORGS, "name,uscc\r\nx,\r\n", 0, &res, &err), GG_E_INVALID);
	assert_non_null(strstr(err.message, "missing column 'kind'"));
	assert_string_equal(error_at(&res, 1, "kind"), "missing required column");

	/* A column named twice. */
	gg_import_result_release(&res);
	assert_int_equal(import_text(fx, GG_EXPORT_ORGS, "name,名称,kind\r\nx,y,other\r\n", 0, &res, &err),
	                 GG_E_INVALID);
	assert_string_equal(error_at(&res, 1, "名称"), "the column appears twice");
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM orgs"), 0);
	gg_import_result_release(&res);
}

/* A file with a multi-line cell and bad rows after it (lines 2-3 good, 4 and 5 bad, 6 good). */
static void bad_file(struct fixture *fx, char *out, size_t outsz)
{
	char wrong[GG_IDENT_BUF];

	memcpy(wrong, fx->id3, sizeof wrong);
	wrong[17] = wrong[17] == '0' ? '1' : '0';
	snprintf(out, outsz,
	         "姓名,性别,出生日期,证件号码,备注,人才层次\r\n"
	         "艾样一,男,1983-04-12,%s,\"两行\r\n备注\",\r\n"
	         "坏性别,雌雄,1980-02-30,,,\r\n"
	         "坏号码,male,,%s,,无此层次\r\n"
	         "柏样二,female,1991-09-23,%s,,\r\n",
	         fx->id1, wrong, fx->id2);
}

static void test_row_errors_and_all_or_nothing(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	struct gg_buf report;
	char text[2048];
	int64_t audits = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");

	gg_import_result_init(&res);
	bad_file(fx, text, sizeof text);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 0, &res, &err), GG_E_RULE);
	assert_non_null(strstr(err.message, "2 of 4 rows are invalid"));
	assert_int_equal(res.rows, 4);
	assert_int_equal(res.invalid, 2);
	assert_int_equal(res.created, 0);
	assert_false(res.written);
	assert_non_null(strstr(error_at(&res, 4, "性别"), "unknown gender '雌雄'"));
	assert_non_null(strstr(error_at(&res, 4, "出生日期"), "not a real date"));
	assert_non_null(strstr(error_at(&res, 5, "证件号码"), "check character"));
	assert_non_null(strstr(error_at(&res, 5, "人才层次"), "unknown tier '无此层次'"));
	assert_int_equal(res.nerrors, 4);
	/* Nothing was written, not even the valid rows, and no audit row. */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 0);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audits);

	/* The report: BOM, Chinese header, CRLF, one line per problem. */
	gg_buf_init(&report, 1 << 20);
	assert_int_equal(gg_import_report_csv(&res, &report), GG_OK);
	assert_memory_equal(report.buf, "\xEF\xBB\xBF行号,列,原因\r\n4,性别,",
	                    strlen("\xEF\xBB\xBF行号,列,原因\r\n4,性别,"));
	assert_non_null(strstr(report.buf, "\r\n5,证件号码,"));
	gg_buf_release(&report);
	gg_import_result_release(&res);
}

static void test_skip_invalid(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	char text[2048];

	gg_import_result_init(&res);
	bad_file(fx, text, sizeof text);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 1, &res, &err), GG_OK);
	assert_true(res.written);
	assert_int_equal(res.rows, 4);
	assert_int_equal(res.created, 2);
	assert_int_equal(res.invalid, 2);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 2);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE name IN ('坏性别', '坏号码')"), 0);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE notes = '两行' || char(10) || '备注'"),
	                 1);
	gg_import_result_release(&res);

	/* Skipping in a second file: a row matched by its document changes that record, a new one is created. */
	snprintf(text, sizeof text, "姓名,证件号码,出生日期\r\n另一人,%s,1983-04-12\r\n好的新人,%s,\r\n", fx->id1,
	         fx->id3);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 1, &res, &err), GG_OK);
	assert_int_equal(res.created, 1);
	assert_int_equal(res.updated, 1); /* matched by document: the name changes */
	gg_import_result_release(&res);
}

static void test_excel_damaged(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	char text[1024];

	gg_import_result_init(&res);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS,
	                             "姓名,证件号码\r\n艾样一,4.20101E+17\r\n柏样二,420111198304121000\r\n", 0, &res,
	                             &err),
	                 GG_E_RULE);
	assert_non_null(strstr(error_at(&res, 2, "证件号码"), "Excel"));
	assert_non_null(strstr(error_at(&res, 2, "证件号码"), "4.20101E+17"));
	assert_non_null(strstr(error_at(&res, 3, "证件号码"), "Excel"));
	gg_import_result_release(&res);

	snprintf(text, sizeof text, "name,uscc,kind\r\n样例公司,9.14201E+17,other\r\n");
	assert_int_equal(import_text(fx, GG_EXPORT_ORGS, text, 0, &res, &err), GG_E_RULE);
	assert_non_null(strstr(error_at(&res, 2, "uscc"), "Excel"));
	gg_import_result_release(&res);
}

static void test_reimport_unchanged(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	char text[4096];
	int64_t audits;

	load_orgs(fx);
	gg_import_result_init(&res);
	people_zh(fx, text, sizeof text);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 0, &res, &err), GG_OK);
	assert_int_equal(res.created, 3);
	gg_import_result_release(&res);

	audits = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 0, &res, &err), GG_OK);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.created, 0);
	assert_int_equal(res.updated, 0);
	assert_int_equal(res.unchanged, 3);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audits);
	assert_int_equal(unit_db_i64(fx->db, "SELECT MAX(version) FROM talents"), 1);
	gg_import_result_release(&res);

	/* The person without a document is found by name, birth date and organisation; one change, one audit row. */
	snprintf(text, sizeof text, "姓名,单位名称,籍贯\r\n岑样三,无码样例孵化器,宜昌\r\n");
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 0, &res, &err), GG_OK);
	assert_int_equal(res.updated, 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 3);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audits + 1);
	gg_import_result_release(&res);

	/* Organisations again: unchanged, matched by credit code and, without one, by name. */
	snprintf(fx->buf, sizeof fx->buf,
	         ORG_HEAD "光谷样例光电有限公司,%s,龙头企业,光谷软件园,光通信;lasers,是\r\n"
	                  "江城样例研究院,%s,rd_unit,,,false\r\n"
	                  "无码样例孵化器,,孵化器,光谷生物城,,\r\n",
	         fx->uscc_a, fx->uscc_b);
	assert_int_equal(import_text(fx, GG_EXPORT_ORGS, fx->buf, 0, &res, &err), GG_OK);
	assert_int_equal(res.unchanged, 3);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audits + 1);
	gg_import_result_release(&res);
}

static void test_same_record_twice(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	char text[1024];

	gg_import_result_init(&res);
	snprintf(text, sizeof text, "姓名,证件号码\r\n艾样一,%s\r\n艾样一,%s\r\n", fx->id1, fx->id1);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 1, &res, &err), GG_OK);
	assert_int_equal(res.created, 1);
	assert_int_equal(res.invalid, 1);
	assert_non_null(strstr(error_at(&res, 3, "证件号码"), "same record as line 2"));
	gg_import_result_release(&res);
}

static void test_unknown_org(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;

	gg_import_result_init(&res);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, "姓名,单位名称\r\n艾样一,不存在的单位\r\n", 0, &res, &err),
	                 GG_E_RULE);
	assert_non_null(strstr(error_at(&res, 2, "单位名称"), "no organisation is named '不存在的单位'"));
	gg_import_result_release(&res);
}

static void test_gb18030(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	struct gg_buf gb;
	char text[4096];

	load_orgs(fx);
	people_zh(fx, text, sizeof text);
	gg_buf_init(&gb, 1 << 20);
	gg_error_init(&err);
	assert_int_equal(gg_chinese_to_gb18030(text, strlen(text), &gb, &err), GG_OK);
	assert_true(gg_chinese_detect(gb.buf, gb.len) == GG_ENC_GB18030);
	gg_import_result_init(&res);
	assert_int_equal(import_into(fx->db, &fx->keys, GG_EXPORT_TALENTS, gb.buf, gb.len, 0, &res, &err), GG_OK);
	assert_int_equal(res.created, 3);
	assert_int_equal(
	    unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE name IN ('艾样一', '柏样二', '岑样三')"), 3);
	gg_import_result_release(&res);
	/* The UTF-8 file with a BOM is the same data: nothing changes. */
	memmove(text + 3, text, strlen(text) + 1);
	memcpy(text, "\xEF\xBB\xBF", 3);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 0, &res, &err), GG_OK);
	assert_int_equal(res.unchanged, 3);
	gg_import_result_release(&res);
	gg_buf_release(&gb);
}

static void test_refused_files(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	static const char zip[] = "PK\x03\x04\x14\x00\x06\x00 [Content_Types].xml";
	static const char cut[] = "姓名\r\n艾样一\r\n柏\xE6\xA0";
	static const char bin[] = "\x7f"
	                          "ELF\x02\x01\x01\x00\x00\x00\x00\x00\xff\xfe\x00\x01";

	gg_import_result_init(&res);
	assert_int_equal(import_into(fx->db, &fx->keys, GG_EXPORT_TALENTS, zip, sizeof zip - 1, 0, &res, &err),
	                 GG_E_MEDIA_TYPE);
	assert_string_equal(err.message, "xlsx files are not imported: save the sheet as CSV (UTF-8) and upload that");
	assert_int_equal(res.nerrors, 1);
	gg_import_result_release(&res);
	assert_int_equal(import_into(fx->db, &fx->keys, GG_EXPORT_TALENTS, bin, sizeof bin - 1, 0, &res, &err),
	                 GG_E_INVALID);
	assert_string_equal(err.message, "file is not text (binary or unknown encoding)");
	gg_import_result_release(&res);
	assert_int_equal(import_into(fx->db, &fx->keys, GG_EXPORT_TALENTS, "", 0, 0, &res, &err), GG_E_INVALID);
	gg_import_result_release(&res);
	/* A UTF-8 file cut inside its last character. */
	assert_int_equal(import_into(fx->db, &fx->keys, GG_EXPORT_TALENTS, cut, sizeof cut - 1, 0, &res, &err),
	                 GG_E_INVALID);
	assert_string_equal(err.message, "the file ends inside a character: it looks cut short");
	gg_import_result_release(&res);
	/* A quote that never closes: the whole file is refused, naming the line. */
	assert_int_equal(
	    import_text(fx, GG_EXPORT_TALENTS, "姓名,备注\r\n艾样一,ok\r\n柏样二,\"open\r\n", 0, &res, &err),
	    GG_E_INVALID);
	assert_int_equal(res.nerrors, 1);
	assert_int_equal(res.errors[0].line, 3);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 0);
	gg_import_result_release(&res);
	/* More rows than allowed. */
	assert_int_equal(import_text(fx, GG_EXPORT_ORGS, "name,kind\r\na,other\r\nb,other\r\n", 0, &res, &err), GG_OK);
	gg_import_result_release(&res);
	{
		struct gg_import_options opt = {
		    .sheet = GG_EXPORT_ORGS, .max_rows = 1, .keys = &fx->keys, .actor = &officer};
		const char *t = "name,kind\r\nc,other\r\nd,other\r\n";
		gg_error_init(&err);
		assert_int_equal(gg_import_run(fx->db, &opt, t, strlen(t), &res, &err), GG_E_TOO_LARGE);
		assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM orgs"), 2);
		gg_import_result_release(&res);
	}
}

static size_t read_all(const char *path, char *out, size_t outsz)
{
	return unit_read_file(path, out, outsz);
}

static void export_to(struct gg_db *db, const struct gg_keys *keys, enum gg_export_sheet sheet, int unmasked,
                      enum gg_export_format format, const char *path)
{
	struct gg_export_options opt = {
	    .sheet = sheet, .format = format, .unmasked = unmasked, .keys = keys, .actor = &officer};
	struct gg_error err;
	int64_t rows = 0;

	gg_error_init(&err);
	if (gg_export_file(db, &opt, path, &rows, &err) != GG_OK)
		fail_msg("export: %s", gg_error_message(&err));
}

static void test_export_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct gg_import_result res;
	struct gg_error err;
	struct gg_keys keys2;
	struct gg_db *fresh = NULL;
	struct gg_buf gb;
	static char t1[16384], t2[16384], o1[4096], o2[4096], masked[16384];
	char path[400], text[4096];
	size_t n1, n2, m1, m2, nm;

	load_orgs(fx);
	people_zh(fx, text, sizeof text);
	gg_import_result_init(&res);
	assert_int_equal(import_text(fx, GG_EXPORT_TALENTS, text, 0, &res, &err), GG_OK);
	gg_import_result_release(&res);

	snprintf(path, sizeof path, "%s/t1.csv", fx->dir);
	export_to(fx->db, &fx->keys, GG_EXPORT_TALENTS, 1, GG_EXPORT_CSV, path);
	n1 = read_all(path, t1, sizeof t1);
	snprintf(path, sizeof path, "%s/o1.csv", fx->dir);
	export_to(fx->db, &fx->keys, GG_EXPORT_ORGS, 1, GG_EXPORT_CSV, path);
	m1 = read_all(path, o1, sizeof o1);
	/* BOM, Chinese header, CRLF, rows in pinyin order (ai, bai, cen), the unmasked number, no ids. */
	assert_memory_equal(t1, "\xEF\xBB\xBF" TALENT_HEAD "艾样一,Yi AI,male,1983-04-12,CN,resident_id,",
	                    strlen("\xEF\xBB\xBF" TALENT_HEAD "艾样一,Yi AI,male,1983-04-12,CN,resident_id,"));
	assert_non_null(strstr(t1, fx->id1));
	assert_true(strstr(t1, "艾样一") < strstr(t1, "柏样二") && strstr(t1, "柏样二") < strstr(t1, "岑样三"));
	assert_non_null(strstr(t1, "cas_academician:2019;national_award"));
	assert_memory_equal(o1, "\xEF\xBB\xBF" ORG_HEAD, strlen("\xEF\xBB\xBF" ORG_HEAD));
	assert_non_null(strstr(o1, "光谷样例光电有限公司,"));
	assert_non_null(strstr(o1, ",leading_enterprise,光谷软件园,lasers;optical_communication,true\r\n"));
	/* Audited, unmasked, with the row count. */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'talent.export'"), 1);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM audit_log WHERE action = 'talent.export' AND changes "
	                             "LIKE '%\"rows\"%\"3\"%' AND changes LIKE '%\"unmasked\"%\"true\"%'"),
	                 1);

	/* Masked: the numbers are not in the file. */
	snprintf(path, sizeof path, "%s/masked.csv", fx->dir);
	export_to(fx->db, NULL, GG_EXPORT_TALENTS, 0, GG_EXPORT_CSV, path);
	nm = read_all(path, masked, sizeof masked);
	assert_true(nm > 100);
	assert_null(strstr(masked, fx->id1));
	assert_null(strstr(masked, "13907150101"));
	assert_null(strstr(masked, "yi.ai@example.com"));
	assert_non_null(strstr(masked, "420***********"));

	/* The unmasked export imports back unchanged, as UTF-8 and as GB18030. */
	assert_int_equal(import_into(fx->db, &fx->keys, GG_EXPORT_TALENTS, t1, n1, 0, &res, &err), GG_OK);
	assert_int_equal(res.unchanged, 3);
	assert_int_equal(res.created + res.updated, 0);
	gg_import_result_release(&res);
	gg_buf_init(&gb, 1 << 20);
	assert_int_equal(gg_chinese_to_gb18030(t1, n1, &gb, &err), GG_OK);
	assert_int_equal(import_into(fx->db, &fx->keys, GG_EXPORT_TALENTS, gb.buf, gb.len, 0, &res, &err), GG_OK);
	assert_int_equal(res.unchanged, 3);
	assert_int_equal(res.created + res.updated, 0);
	gg_import_result_release(&res);

	/* A fresh installation (other keys): import both exports (talents as GB18030), export again: same bytes. */
	assert_int_equal(open_db(fx->dir, "fresh.db", &fresh), 0);
	gg_crypto_random(keys2.data, sizeof keys2.data);
	gg_crypto_random(keys2.index, sizeof keys2.index);
	assert_int_equal(import_into(fresh, &keys2, GG_EXPORT_ORGS, o1, m1, 0, &res, &err), GG_OK);
	assert_int_equal(res.created, 3);
	gg_import_result_release(&res);
	assert_int_equal(import_into(fresh, &keys2, GG_EXPORT_TALENTS, gb.buf, gb.len, 0, &res, &err), GG_OK);
	assert_int_equal(res.created, 3);
	gg_import_result_release(&res);
	snprintf(path, sizeof path, "%s/t2.csv", fx->dir);
	export_to(fresh, &keys2, GG_EXPORT_TALENTS, 1, GG_EXPORT_CSV, path);
	n2 = read_all(path, t2, sizeof t2);
	snprintf(path, sizeof path, "%s/o2.csv", fx->dir);
	export_to(fresh, &keys2, GG_EXPORT_ORGS, 1, GG_EXPORT_CSV, path);
	m2 = read_all(path, o2, sizeof o2);
	assert_int_equal(n1, n2);
	assert_memory_equal(t1, t2, n1);
	assert_int_equal(m1, m2);
	assert_memory_equal(o1, o2, m1);

	/* XLSX: a zip workbook. */
	snprintf(path, sizeof path, "%s/t.xlsx", fx->dir);
	export_to(fresh, &keys2, GG_EXPORT_TALENTS, 1, GG_EXPORT_XLSX, path);
	n2 = read_all(path, t2, sizeof t2);
	assert_true(n2 > 1000);
	assert_memory_equal(t2, "PK\x03\x04", 4);

	gg_buf_release(&gb);
	gg_crypto_keys_wipe(&keys2);
	gg_db_close(fresh);
}

static void test_columns(void **state)
{
	(void)state;
	assert_int_equal(gg_export_column_find(GG_EXPORT_TALENTS, " 证件号码 "), GG_TCOL_DOC_NUMBER);
	assert_int_equal(gg_export_column_find(GG_EXPORT_TALENTS, "Doc_Number"), GG_TCOL_DOC_NUMBER);
	assert_int_equal(gg_export_column_find(GG_EXPORT_TALENTS, "uscc"), -1);
	assert_int_equal(gg_export_column_find(GG_EXPORT_ORGS, "uscc"), GG_OCOL_USCC);
	assert_int_equal(gg_export_column_of_field(GG_EXPORT_TALENTS, "document.number"), GG_TCOL_DOC_NUMBER);
	assert_int_equal(gg_export_column_of_field(GG_EXPORT_TALENTS, "document.type"), GG_TCOL_DOC_TYPE);
	assert_int_equal(gg_export_column_of_field(GG_EXPORT_TALENTS, "document"), GG_TCOL_DOC_NUMBER);
	assert_int_equal(gg_export_column_of_field(GG_EXPORT_TALENTS, "honours.2.year"), GG_TCOL_HONOURS);
	assert_int_equal(gg_export_column_of_field(GG_EXPORT_TALENTS, "names"), -1);
	assert_int_equal(gg_export_column_of_field(GG_EXPORT_ORGS, "segments.0"), GG_OCOL_SEGMENTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_columns),
	    cmocka_unit_test_setup_teardown(test_header_zh_and_en, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_and_unknown_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_row_errors_and_all_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_skip_invalid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_excel_damaged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reimport_unchanged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_same_record_twice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_org, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gb18030, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_export_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
