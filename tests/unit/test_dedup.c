/*
 * test_dedup: likely duplicate pairs and the merge, on a migrated SQLite
 * database whose talents are inserted with SQL (personal data as stand-in
 * sealed bytes, blind indexes and masked copies: the merge moves them
 * without decrypting). Checks the reasons, the order and pages, that
 * merged records drop out, what a merge fills, unions and moves, its two
 * audit rows, and that every refusal leaves the database as it was; the
 * pairs of one record and the list narrowed to it, and dismissed pairs.
 */
#include "unit.h"

#include "domain/audit.h"
#include "domain/dedup.h"
#include "domain/search.h"
#include "store/db.h"
#include "store/migrate.h"

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
};

static const struct gg_actor officer = {5, "officer", "req-1"};

static void reindex_all(struct gg_db *db)
{
	struct gg_error err;
	int64_t n = unit_db_i64(db, "SELECT MAX(id) FROM talents");

	gg_error_init(&err);
	for (int64_t id = 1; id <= n; id++)
		assert_int_equal(gg_search_index_talent_tx(db, id, &err), GG_OK);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	if (!fx)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/dedup.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	unit_db_exec(fx->db, "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"
	                     " (1, '光迅科技', 'guang xun ke ji', 'leading_enterprise', 1, 1),"
	                     " (2, '长飞光纤', 'chang fei guang xian', 'leading_enterprise', 1, 1)");
	/*
	 * 1/2: same name and birth date; 3: same pinyin and birth date as both;
	 * 4/5: same name and organisation, and the same phone; 1/6: same phone;
	 * 7/8: same e-mail; 9: like 1 but merged into it already.
	 */
	unit_db_exec(
	    fx->db,
	    "INSERT INTO talents (id, name, pinyin, pinyin_key, birth_date, org_id, title, keywords, fields,"
	    " doc_type, doc_enc, doc_index, doc_masked, phone_enc, phone_index, phone_masked,"
	    " email_enc, email_index, email_masked, tier, status, merged_into, created_at, updated_at, version) VALUES"
	    " (1, '王金桥', 'wang jin qiao', 'wangjinqiao', '1980-01-02', 1, NULL, '光通信;激光', '',"
	    "  NULL, NULL, NULL, NULL, x'01', 'P1', '138****0001', NULL, NULL, NULL, NULL, 'landed', NULL, 1, 1, 3),"
	    " (2, '王金桥', 'wang jin qiao', 'wangjinqiao', '1980-01-02', 2, '首席科学家', '激光;光芯片', '光电子',"
	    "  'resident_id', x'0203', 'D2', '420***********0012', x'02', 'P2', '139****0002',"
	    "  x'0202', 'E2', 'w***@example.com', 'high_level', 'prospect', NULL, 1, 1, 1),"
	    " (3, '汪金桥', 'wang jin qiao', 'wangjinqiao', '1980-01-02', NULL, NULL, '', '',"
	    "  'passport', x'0303', 'D3', 'E1****678', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'prospect', NULL, 1, "
	    "1, 1),"
	    " (4, '李娜', 'li na', 'lina', NULL, 1, NULL, '', '',"
	    "  NULL, NULL, NULL, NULL, x'04', 'P4', '137****0004', NULL, NULL, NULL, NULL, 'prospect', NULL, 1, 1, 1),"
	    " (5, '李娜', 'li na', 'lina', NULL, 1, NULL, '', '',"
	    "  NULL, NULL, NULL, NULL, x'05', 'P4', '137****0004', NULL, NULL, NULL, NULL, 'prospect', NULL, 1, 1, 1),"
	    " (6, '张三', 'zhang san', 'zhangsan', NULL, NULL, NULL, '', '',"
	    "  NULL, NULL, NULL, NULL, x'06', 'P1', '138****0001', NULL, NULL, NULL, NULL, 'prospect', NULL, 1, 1, 1),"
	    " (7, '赵四', 'zhao si', 'zhaosi', NULL, NULL, NULL, '', '',"
	    "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, x'07', 'E7', 'z***@example.com', NULL, 'prospect', NULL, 1, "
	    "1, 1),"
	    " (8, '钱五', 'qian wu', 'qianwu', NULL, NULL, NULL, '', '',"
	    "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, x'08', 'E7', 'z***@example.com', NULL, 'prospect', NULL, 1, "
	    "1, 1),"
	    " (9, '王金桥', 'wang jin qiao', 'wangjinqiao', '1980-01-02', 1, NULL, '', '',"
	    "  NULL, NULL, NULL, NULL, x'09', 'P1', '138****0001', NULL, NULL, NULL, NULL, 'prospect', 1, 1, 1, 1)");
	unit_db_exec(fx->db, "INSERT INTO talent_segments (talent_id, segment) VALUES (1, 'lasers'), (2, 'lasers'),"
	                     " (2, 'optoelectronic_chips')");
	unit_db_exec(fx->db, "INSERT INTO talent_honours (talent_id, kind, year) VALUES (1, 'cas_academician', 2019),"
	                     " (2, 'cas_academician', 2019), (2, 'national_award', 2015), (2, 'nobel', NULL)");
	reindex_all(fx->db);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	gg_db_close(fx->db);
	unit_rmtree(fx->dir);
	free(fx);
	return 0;
}

static void test_reasons(void **state)
{
	assert_string_equal(gg_dedup_reason_token(0), "same_name_birth_date");
	assert_string_equal(gg_dedup_reason_token(1), "same_name_org");
	assert_string_equal(gg_dedup_reason_token(2), "same_pinyin_birth_date");
	assert_string_equal(gg_dedup_reason_token(3), "same_phone");
	assert_string_equal(gg_dedup_reason_token(4), "same_email");
	assert_string_equal(gg_dedup_reason_token(5), "");
	(void)state;
}

static void test_list(void **state)
{
	struct fixture *fx = *state;
	static const struct gg_dedup_pair want[] = {
	    {1, 2, GG_DEDUP_NAME_BIRTH},
	    {1, 3, GG_DEDUP_PINYIN_BIRTH},
	    {1, 6, GG_DEDUP_PHONE},
	    {2, 3, GG_DEDUP_PINYIN_BIRTH},
	    {4, 5, GG_DEDUP_NAME_ORG | GG_DEDUP_PHONE},
	    {7, 8, GG_DEDUP_EMAIL},
	};
	struct gg_dedup_pair got[16];
	struct gg_error err;
	char next[GG_DEDUP_CURSOR_MAX], cursor[GG_DEDUP_CURSOR_MAX] = "";
	size_t n, total = 0;
	int pages = 0;

	/* one page with everything */
	gg_error_init(&err);
	assert_int_equal(gg_dedup_list(fx->db, NULL, 50, got, &n, next, &err), GG_OK);
	assert_int_equal(n, 6);
	assert_string_equal(next, "");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got[i].a, want[i].a);
		assert_int_equal(got[i].b, want[i].b);
		assert_int_equal(got[i].reasons, want[i].reasons);
	}
	/* pages of two */
	do {
		assert_int_equal(gg_dedup_list(fx->db, cursor, 2, got, &n, next, &err), GG_OK);
		for (size_t i = 0; i < n; i++, total++) {
			assert_int_equal(got[i].a, want[total].a);
			assert_int_equal(got[i].b, want[total].b);
			assert_int_equal(got[i].reasons, want[total].reasons);
		}
		strcpy(cursor, next);
		pages++;
	} while (cursor[0]);
	assert_int_equal(total, 6);
	assert_int_equal(pages, 3);
	/* pages of four: the second has the last two */
	assert_int_equal(gg_dedup_list(fx->db, NULL, 4, got, &n, next, &err), GG_OK);
	assert_int_equal(n, 4);
	assert_string_equal(next, "2.3");
	assert_int_equal(gg_dedup_list(fx->db, next, 4, got, &n, next, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(got[0].a, 4);
	assert_string_equal(next, "");

	static const char *bad[] = {"x", "1", "1.", ".1", "0.1", "1.-2", "1.2.3", "99999999999999999999.1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		gg_error_init(&err);
		if (gg_dedup_list(fx->db, bad[i], 2, got, &n, next, &err) != GG_E_INVALID)
			fail_msg("cursor '%s' accepted", bad[i]);
		assert_string_equal(err.fields[0].field, "cursor");
	}
	gg_error_init(&err);
	assert_int_equal(gg_dedup_list(fx->db, NULL, 0, got, &n, next, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "limit");
	assert_int_equal(gg_dedup_list(fx->db, NULL, 201, got, &n, next, &err), GG_E_INVALID);
}

static void test_merge(void **state)
{
	struct fixture *fx = *state;
	struct gg_dedup_pair got[16];
	struct gg_search_query q;
	struct gg_search_page page;
	struct gg_error err;
	char next[GG_DEDUP_CURSOR_MAX], buf[1024];
	size_t n;
	int64_t audits = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");

	gg_error_init(&err);
	assert_int_equal(gg_dedup_merge(fx->db, &officer, 1, 2, 3, &err), GG_OK);

	/* the target: filled, unioned, the document moved, a new version */
	assert_int_equal(unit_db_i64(fx->db, "SELECT version FROM talents WHERE id = 1"), 4);
	assert_int_equal(unit_db_i64(fx->db, "SELECT org_id FROM talents WHERE id = 1"), 1); /* its own value stays */
	unit_db_text(fx->db, "SELECT title FROM talents WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "首席科学家");
	unit_db_text(fx->db, "SELECT tier FROM talents WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "high_level");
	unit_db_text(fx->db, "SELECT status FROM talents WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "landed");
	unit_db_text(fx->db, "SELECT keywords FROM talents WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "光通信;激光;光芯片");
	unit_db_text(fx->db, "SELECT fields FROM talents WHERE id = 1", buf, sizeof buf);
	assert_string_equal(buf, "光电子");
	unit_db_text(
	    fx->db,
	    "SELECT doc_index || '/' || doc_type || '/' || doc_masked || '/' || hex(doc_enc) FROM talents WHERE id = 1",
	    buf, sizeof buf);
	assert_string_equal(buf, "D2/resident_id/420***********0012/0203");
	unit_db_text(fx->db,
	             "SELECT phone_index || '/' || email_index || '/' || hex(email_enc) FROM talents WHERE id = 1", buf,
	             sizeof buf);
	assert_string_equal(buf, "P1/E2/0202"); /* its own phone stays, the e-mail it lacked comes */
	unit_db_text(fx->db,
	             "SELECT group_concat(segment, ';') FROM (SELECT segment FROM talent_segments WHERE talent_id = 1"
	             " ORDER BY segment)",
	             buf, sizeof buf);
	assert_string_equal(buf, "lasers;optoelectronic_chips");
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talent_honours WHERE talent_id = 1"), 3);

	/* the source: merged, without its document, its other data kept */
	assert_int_equal(unit_db_i64(fx->db, "SELECT merged_into FROM talents WHERE id = 2"), 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT version FROM talents WHERE id = 2"), 2);
	assert_int_equal(
	    unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE id = 2 AND doc_index IS NULL AND doc_enc IS NULL"
	                        " AND doc_type IS NULL AND doc_masked IS NULL AND phone_index = 'P2'"),
	    1);

	/*
	 * one talent.merge audit row on each, personal data masked; and the
	 * review tasks come in line (this fixture's rows were inserted without
	 * any): the target is the older record of pairs with 3 and 6, so each
	 * of them gets a task, with its task.open row
	 */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'talent.merge'"), 2);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audits + 4);
	unit_db_text(fx->db,
	             "SELECT group_concat(subject_id, ',') FROM (SELECT subject_id FROM tasks WHERE closed_at IS NULL"
	             " ORDER BY subject_id)",
	             buf, sizeof buf);
	assert_string_equal(buf, "3,6");
	unit_db_text(fx->db, "SELECT changes FROM audit_log WHERE action = 'talent.merge' AND entity_id = 1", buf,
	             sizeof buf);
	assert_non_null(strstr(buf, "\"merged_from\""));
	assert_non_null(strstr(buf, "\"title\""));
	assert_non_null(strstr(buf, "420***********0012"));
	assert_non_null(strstr(buf, "w***@example.com"));
	assert_non_null(strstr(buf, "\"segments\""));
	assert_non_null(strstr(buf, "national_award:2015"));
	assert_null(strstr(buf, "\"org_id\""));
	assert_null(strstr(buf, "\"phone\""));
	unit_db_text(fx->db, "SELECT changes FROM audit_log WHERE action = 'talent.merge' AND entity_id = 2", buf,
	             sizeof buf);
	assert_non_null(strstr(buf, "\"merged_into\""));
	assert_non_null(strstr(buf, "\"document.number\""));
	unit_db_text(fx->db, "SELECT actor || '/' || request_id FROM audit_log WHERE entity_id = 2", buf, sizeof buf);
	assert_string_equal(buf, "officer/req-1");
	struct gg_audit_report rep;
	assert_int_equal(gg_audit_verify(fx->db, &rep, &err), GG_OK);

	/* the source is gone from search and from the duplicates */
	gg_search_query_init(&q);
	q.q = "王金桥";
	assert_int_equal(gg_search_talents(fx->db, &q, &page, &err), GG_OK);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.ids[0], 1);
	q.q = "光芯"; /* the keyword the target gained is searchable */
	assert_int_equal(gg_search_talents(fx->db, &q, &page, &err), GG_OK);
	assert_int_equal(page.n, 1);
	assert_int_equal(page.ids[0], 1);
	assert_int_equal(gg_dedup_list(fx->db, NULL, 50, got, &n, next, &err), GG_OK);
	for (size_t i = 0; i < n; i++)
		assert_true(got[i].a != 2 && got[i].b != 2);
	assert_int_equal(n, 4);
}

static void refused(struct gg_db *db, int64_t target, int64_t source, int64_t version, enum gg_err want,
                    const char *message_part)
{
	struct gg_error err;
	int64_t audits = unit_db_i64(db, "SELECT COUNT(*) FROM audit_log");
	int64_t versions = unit_db_i64(db, "SELECT SUM(version) FROM talents");
	int64_t terms = unit_db_i64(db, "SELECT COUNT(*) FROM talent_terms");

	gg_error_init(&err);
	assert_int_equal(gg_dedup_merge(db, &officer, target, source, version, &err), want);
	if (!strstr(gg_error_message(&err), message_part))
		fail_msg("message '%s' lacks '%s'", gg_error_message(&err), message_part);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM audit_log"), audits);
	assert_int_equal(unit_db_i64(db, "SELECT SUM(version) FROM talents"), versions);
	assert_int_equal(unit_db_i64(db, "SELECT COUNT(*) FROM talent_terms"), terms);
}

static void test_refusals(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;

	refused(fx->db, 1, 1, 0, GG_E_CONFLICT, "into itself");
	refused(fx->db, 1, 9, 0, GG_E_CONFLICT, "talent 9 is already merged into talent 1");
	refused(fx->db, 9, 4, 0, GG_E_CONFLICT, "talent 9 is already merged");
	refused(fx->db, 2, 3, 0, GG_E_CONFLICT, "different document numbers");
	refused(fx->db, 1, 4, 2, GG_E_STALE, "version 3");
	refused(fx->db, 1, 99, 0, GG_E_NOT_FOUND, "unknown talent 99");
	refused(fx->db, 99, 1, 0, GG_E_NOT_FOUND, "unknown talent 99");
	gg_error_init(&err);
	assert_int_equal(gg_dedup_merge(fx->db, &officer, 2, 3, 0, &err), GG_E_CONFLICT);
	assert_string_equal(err.fields[0].field, "document.number");

	/* a merge of a record without a document into one with it keeps the target's */
	gg_error_init(&err);
	assert_int_equal(gg_dedup_merge(fx->db, &officer, 3, 6, 1, &err), GG_OK);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE id = 3 AND doc_index = 'D3'"
	                                     " AND phone_index = 'P1'"),
	                 1);
	/* and it can now take no further merge of 6 */
	refused(fx->db, 1, 6, 0, GG_E_CONFLICT, "talent 6 is already merged into talent 3");
}

static void test_dismissed_and_one_record(void **state)
{
	struct fixture *fx = *state;
	struct gg_dedup_pair got[16];
	struct gg_error err;
	char next[GG_DEDUP_CURSOR_MAX];
	size_t n;
	int more;

	/* the pairs of record 1, in the order of the other record, from its own lookups */
	gg_error_init(&err);
	assert_int_equal(gg_dedup_of(fx->db, 1, 0, 10, got, &n, &more, &err), GG_OK);
	assert_int_equal(n, 3);
	assert_int_equal(more, 0);
	assert_true(got[0].a == 1 && got[0].b == 2 && got[0].reasons == GG_DEDUP_NAME_BIRTH);
	assert_true(got[1].a == 1 && got[1].b == 3 && got[1].reasons == GG_DEDUP_PINYIN_BIRTH);
	assert_true(got[2].a == 1 && got[2].b == 6 && got[2].reasons == GG_DEDUP_PHONE);
	/* record 3 is the newer of both its pairs */
	assert_int_equal(gg_dedup_of(fx->db, 3, 0, 10, got, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_true(got[0].a == 1 && got[0].b == 3 && got[1].a == 2 && got[1].b == 3);
	/* a merged record has none; an unknown one is not found */
	assert_int_equal(gg_dedup_of(fx->db, 9, 0, 10, got, &n, &more, &err), GG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(gg_dedup_of(fx->db, 99, 0, 10, got, &n, &more, &err), GG_E_NOT_FOUND);

	/* the talent filter of the list: pages of one with the list's cursors */
	assert_int_equal(gg_dedup_list_of(fx->db, 1, NULL, 1, got, &n, next, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(next, "1.2");
	assert_int_equal(gg_dedup_list_of(fx->db, 1, next, 1, got, &n, next, &err), GG_OK);
	assert_true(n == 1 && got[0].b == 3);
	assert_string_equal(next, "1.3");
	assert_int_equal(gg_dedup_list_of(fx->db, 1, next, 1, got, &n, next, &err), GG_OK);
	assert_true(n == 1 && got[0].b == 6);
	assert_string_equal(next, "");
	gg_error_init(&err);
	assert_int_equal(gg_dedup_list_of(fx->db, 1, "4.5", 1, got, &n, next, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "cursor");

	/* dismissing (1, 2), given either way round, takes it out of the list and of both records' pairs */
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, 2, 1, "两个人", &err), GG_OK);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM duplicate_dismissals WHERE a = 1 AND b = 2"), 1);
	assert_int_equal(gg_dedup_list(fx->db, NULL, 50, got, &n, next, &err), GG_OK);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_false(got[i].a == 1 && got[i].b == 2);
	assert_int_equal(gg_dedup_of(fx->db, 2, 0, 10, got, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].b, 3);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'talent.duplicate_dismiss'"
	                                     " AND actor = 'officer' AND request_id = 'req-1'"),
	                 2);
	/* twice is refused, and so is a merged record */
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, 1, 2, NULL, &err), GG_E_DUPLICATE);
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, 1, 9, NULL, &err), GG_E_CONFLICT);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM duplicate_dismissals"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reasons),
	    cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_merge, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dismissed_and_one_record, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
