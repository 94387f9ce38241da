/*
 * test_search: search terms and list queries on a migrated SQLite database
 * whose talents and organisations are inserted with SQL (the registry's
 * write paths call the same index functions). Besides named cases (王金桥
 * by 王, 金桥, wang jinqiao, wjq; filters; scopes; cursors across equal
 * pinyin keys; merged records hidden), a generated population of several
 * thousand names is searched through every plan (rare and common terms,
 * more rows than the planner's threshold) and each result, page by page, is
 * compared with the answer computed here by brute force.
 */
#include "unit.h"

#include "core/text.h"
#include "domain/search.h"
#include "store/db.h"
#include "store/migrate.h"

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct gg_error err;

	if (!fx)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/search.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	gg_error_init(&err);
	if (gg_db_exec(fx->db,
	               "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at)"
	               " VALUES (7, 'comm', 'comm', 'x', 1, 1), (8, 'comm2', 'comm2', 'x', 1, 1)",
	               &err) != GG_OK) {
		print_error("database: %s\n", gg_error_message(&err));
		return -1;
	}
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

struct trow {
	const char *name, *pinyin, *latin, *keywords, *fields, *tier, *status, *city;
	int64_t org_id, commissioner_id, updated_at;
};

/* "wang jin qiao" -> "wangjinqiao" */
static void squeeze(const char *pinyin, char *out, size_t outsz)
{
	size_t n = 0;

	for (const char *p = pinyin; *p && n + 1 < outsz; p++)
		if (*p != ' ')
			out[n++] = *p;
	out[n] = '\0';
}

static int64_t add_talent(struct gg_db *db, const struct trow *r)
{
	struct gg_stmt *st = NULL;
	struct gg_error err;
	char key[256];
	int row = 0;
	int64_t id;

	gg_error_init(&err);
	squeeze(r->pinyin, key, sizeof key);
	assert_int_equal(
	    gg_db_prepare(db,
	                  "INSERT INTO talents (name, pinyin, pinyin_key, latin_name, keywords, fields, tier,"
	                  " status, city, org_id, commissioner_id, created_at, updated_at)"
	                  " VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE(?, 'prospect'), ?, ?, ?, 1, ?) RETURNING id",
	                  &st, &err),
	    GG_OK);
	gg_db_bind_text(st, 1, r->name);
	gg_db_bind_text(st, 2, r->pinyin);
	gg_db_bind_text(st, 3, key);
	gg_db_bind_text(st, 4, r->latin);
	gg_db_bind_text(st, 5, r->keywords ? r->keywords : "");
	gg_db_bind_text(st, 6, r->fields ? r->fields : "");
	gg_db_bind_text(st, 7, r->tier);
	gg_db_bind_text(st, 8, r->status);
	gg_db_bind_text(st, 9, r->city);
	if (r->org_id)
		gg_db_bind_i64(st, 10, r->org_id);
	if (r->commissioner_id)
		gg_db_bind_i64(st, 11, r->commissioner_id);
	gg_db_bind_i64(st, 12, r->updated_at ? r->updated_at : 100);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	assert_int_equal(row, 1);
	id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	assert_int_equal(gg_search_index_talent_tx(db, id, &err), GG_OK);
	return id;
}

static int64_t add_org(struct gg_db *db, const char *name, const char *pinyin, const char *kind, int verified,
                       const char *park)
{
	struct gg_stmt *st = NULL;
	struct gg_error err;
	int row = 0;
	int64_t id;

	gg_error_init(&err);
	assert_int_equal(gg_db_prepare(db,
	                               "INSERT INTO orgs (name, pinyin, kind, verified, park, created_at, updated_at)"
	                               " VALUES (?, ?, ?, ?, ?, 1, 1) RETURNING id",
	                               &st, &err),
	                 GG_OK);
	gg_db_bind_text(st, 1, name);
	gg_db_bind_text(st, 2, pinyin);
	gg_db_bind_text(st, 3, kind);
	gg_db_bind_i64(st, 4, verified);
	gg_db_bind_text(st, 5, park);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	assert_int_equal(gg_search_index_org_tx(db, id, &err), GG_OK);
	return id;
}

/* Runs q (all pages when all is set) into ids; returns their number. */
static size_t run(struct gg_db *db, struct gg_search_query *q, int orgs, int all, int64_t *ids, size_t max)
{
	struct gg_search_page page;
	struct gg_error err;
	char cursor[GG_SEARCH_CURSOR_MAX] = "";
	size_t n = 0;

	for (;;) {
		gg_error_init(&err);
		q->cursor = cursor;
		if ((orgs ? gg_search_orgs(db, q, &page, &err) : gg_search_talents(db, q, &page, &err)) != GG_OK)
			fail_msg("search '%s': %s", q->q ? q->q : "", gg_error_message(&err));
		for (size_t i = 0; i < page.n; i++) {
			assert_true(n < max);
			ids[n++] = page.ids[i];
		}
		if (!all || !page.next_cursor[0])
			break;
		assert_int_equal(page.n, (size_t)q->limit);
		strcpy(cursor, page.next_cursor);
	}
	q->cursor = NULL;
	return n;
}

static size_t find(struct gg_db *db, const char *text, int64_t *ids, size_t max)
{
	struct gg_search_query q;

	gg_search_query_init(&q);
	q.q = text;
	return run(db, &q, 0, 1, ids, max);
}

static int has(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static int has_term(struct gg_db *db, int64_t id, const char *term)
{
	struct gg_stmt *st = NULL;
	struct gg_error err;
	int row = 0;

	gg_error_init(&err);
	assert_int_equal(gg_db_prepare(db, "SELECT 1 FROM talent_terms WHERE talent_id = ? AND term = ?", &st, &err),
	                 GG_OK);
	gg_db_bind_i64(st, 1, id);
	gg_db_bind_text(st, 2, term);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	gg_db_done(st);
	return row;
}

static void test_terms(void **state)
{
	struct fixture *fx = *state;
	int64_t org = add_org(fx->db, "武汉光迅科技", "wu han guang xun ke ji", "leading_enterprise", 1, "光谷");
	struct trow r = {.name = "王金桥",
	                 .pinyin = "wang jin qiao",
	                 .latin = "Jinqiao Wang",
	                 .keywords = "光通信;Machine Learning",
	                 .fields = "激光",
	                 .org_id = org};
	int64_t id = add_talent(fx->db, &r);
	static const char *yes[] = {"c:王",          "c:金",   "c:桥",   "h:王金",    "h:金桥",     "s:jinqiao",
	                            "s:qiao",        "i:wjq",  "i:wj",   "i:jq",      "l:jinqiao",  "l:wang",
	                            "l:jinqiaowang", "h:光通", "h:通信", "k:machine", "k:learning", "k:machinelearning",
	                            "h:激光",        "h:光迅", "h:武汉"};
	static const char *no[] = {"c:光", "s:wangjinqiao", "i:q", "c:激", "h:桥光", "k:光通信"};

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!has_term(fx->db, id, yes[i]))
			fail_msg("missing term %s", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (has_term(fx->db, id, no[i]))
			fail_msg("unexpected term %s", no[i]);

	/* re-indexing replaces the terms: a new name drops the old ones */
	unit_db_exec(
	    fx->db,
	    "UPDATE talents SET name = '李娜', pinyin = 'li na', pinyin_key = 'lina', keywords = '' WHERE id = 1");
	struct gg_error err;
	gg_error_init(&err);
	assert_int_equal(gg_search_index_talent_tx(fx->db, id, &err), GG_OK);
	assert_false(has_term(fx->db, id, "h:金桥"));
	assert_false(has_term(fx->db, id, "h:通信"));
	assert_true(has_term(fx->db, id, "h:李娜"));
	assert_true(has_term(fx->db, id, "i:ln"));
	/* a row that does not exist has no terms, and that is no error */
	assert_int_equal(gg_search_index_talent_tx(fx->db, 999, &err), GG_OK);
}

static void test_names(void **state)
{
	struct fixture *fx = *state;
	int64_t ids[64];
	size_t n;
	int64_t wjq = add_talent(fx->db, &(struct trow){.name = "王金桥", .pinyin = "wang jin qiao"});
	int64_t wj = add_talent(fx->db, &(struct trow){.name = "王金", .pinyin = "wang jin"});
	int64_t jqx = add_talent(fx->db, &(struct trow){.name = "金桥新", .pinyin = "jin qiao xin"});
	int64_t zhang = add_talent(fx->db, &(struct trow){.name = "张伟", .pinyin = "zhang wei"});
	int64_t john = add_talent(fx->db, &(struct trow){.name = "约翰", .pinyin = "yue han", .latin = "John Smith"});

	n = find(fx->db, "金桥", ids, 64);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], jqx); /* jinqiaoxin < wangjinqiao */
	assert_int_equal(ids[1], wjq);

	n = find(fx->db, "王", ids, 64);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], wj); /* wangjin < wangjinqiao */
	assert_int_equal(ids[1], wjq);

	n = find(fx->db, "王金桥", ids, 64);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], wjq);

	static const char *pinyin_hits[] = {
	    "wang jinqiao", "wangjinqiao", "WJQ", "wjq", "jinqiao", "wang jin qiao", "Ｗａｎｇ　ｊｉｎｑｉａｏ"};
	for (size_t i = 0; i < sizeof pinyin_hits / sizeof pinyin_hits[0]; i++) {
		n = find(fx->db, pinyin_hits[i], ids, 64);
		if (!has(ids, n, wjq))
			fail_msg("'%s' does not find 王金桥", pinyin_hits[i]);
		assert_false(has(ids, n, zhang));
	}
	n = find(fx->db, "wjq", ids, 64);
	assert_int_equal(n, 1);
	n = find(fx->db, "wang", ids, 64);
	assert_int_equal(n, 2);
	n = find(fx->db, "jinq", ids, 64); /* prefix of a given name, and of 金桥新's key */
	assert_int_equal(n, 2);
	assert_true(has(ids, n, jqx) && has(ids, n, wjq));
	n = find(fx->db, "qiao", ids, 64); /* a given name's syllable: 金桥新 (qiaoxin) and 王金桥 */
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], jqx);
	assert_int_equal(ids[1], wjq);
	n = find(fx->db, "qiaox", ids, 64);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], jqx);

	n = find(fx->db, "smith", ids, 64);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], john);
	n = find(fx->db, "john smith", ids, 64);
	assert_int_equal(n, 1);
	n = find(fx->db, "张 wei", ids, 64); /* Han and a word: both must match */
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], zhang);
	n = find(fx->db, "张 jin", ids, 64);
	assert_int_equal(n, 0);
	assert_int_equal(find(fx->db, "赵", ids, 64), 0);
	assert_int_equal(find(fx->db, "xyz", ids, 64), 0);
	/* no text: everything, in pinyin order */
	n = find(fx->db, "", ids, 64);
	assert_int_equal(n, 5);
	assert_int_equal(ids[0], jqx);
	n = find(fx->db, " ,;!", ids, 64);
	assert_int_equal(n, 5);
}

static void test_keywords_and_orgs(void **state)
{
	struct fixture *fx = *state;
	int64_t ids[16];
	size_t n;
	int64_t org = add_org(fx->db, "光迅科技", "guang xun ke ji", "leading_enterprise", 1, NULL);
	int64_t a = add_talent(
	    fx->db, &(struct trow){.name = "刘洋", .pinyin = "liu yang", .keywords = "光通信;laser", .org_id = org});
	int64_t b = add_talent(fx->db, &(struct trow){.name = "陈静", .pinyin = "chen jing", .fields = "合成生物学"});

	n = find(fx->db, "光通", ids, 16);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], a);
	n = find(fx->db, "光迅", ids, 16); /* the organisation's name */
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], a);
	n = find(fx->db, "las", ids, 16);
	assert_int_equal(n, 1);
	n = find(fx->db, "生物学", ids, 16);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], b);
	/* one character matches names only */
	assert_int_equal(find(fx->db, "光", ids, 16), 0);

	/* renaming the organisation re-indexes its talents */
	unit_db_exec(fx->db, "UPDATE orgs SET name = '长飞光纤', pinyin = 'chang fei guang xian' WHERE id = 1");
	struct gg_error err;
	gg_error_init(&err);
	assert_int_equal(gg_search_index_org_tx(fx->db, org, &err), GG_OK);
	assert_int_equal(gg_search_index_org_talents_tx(fx->db, org, &err), GG_OK);
	assert_int_equal(find(fx->db, "光迅", ids, 16), 0);
	assert_int_equal(find(fx->db, "长飞", ids, 16), 1);
}

static void test_filters_and_scopes(void **state)
{
	struct fixture *fx = *state;
	struct gg_search_query q;
	int64_t ids[16];
	size_t n;
	int64_t o1 = add_org(fx->db, "甲公司", "jia gong si", "leading_enterprise", 1, NULL);
	int64_t o2 = add_org(fx->db, "乙公司", "yi gong si", "university", 0, NULL);
	int64_t a = add_talent(fx->db, &(struct trow){.name = "王一",
	                                              .pinyin = "wang yi",
	                                              .tier = "top_scientist",
	                                              .status = "landed",
	                                              .city = "武汉",
	                                              .org_id = o1});
	int64_t b = add_talent(fx->db, &(struct trow){.name = "王二",
	                                              .pinyin = "wang er",
	                                              .tier = "high_level",
	                                              .status = "serving",
	                                              .city = "北京",
	                                              .org_id = o2,
	                                              .commissioner_id = 7});
	int64_t c = add_talent(
	    fx->db,
	    &(struct trow){.name = "王三", .pinyin = "wang san", .tier = "high_level", .city = "武汉", .org_id = o1});

	unit_db_exec(fx->db, "INSERT INTO talent_segments (talent_id, segment) VALUES (1, 'lasers'), (3, 'lasers'),"
	                     " (2, 'biomedicine')");
	unit_db_exec(fx->db, "INSERT INTO talent_honours (talent_id, kind, year) VALUES (2, 'cas_academician', 2019)");

	gg_search_query_init(&q);
	q.q = "王";
	q.tier = "high_level";
	n = run(fx->db, &q, 0, 1, ids, 16);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], b); /* wanger < wangsan */
	assert_int_equal(ids[1], c);

	gg_search_query_init(&q);
	q.status = "landed";
	assert_int_equal(run(fx->db, &q, 0, 1, ids, 16), 1);
	assert_int_equal(ids[0], a);

	gg_search_query_init(&q);
	q.city = "武汉";
	q.segment = "lasers";
	n = run(fx->db, &q, 0, 1, ids, 16);
	assert_int_equal(n, 2);
	assert_true(has(ids, n, a) && has(ids, n, c));

	gg_search_query_init(&q);
	q.honour = "cas_academician";
	assert_int_equal(run(fx->db, &q, 0, 1, ids, 16), 1);
	assert_int_equal(ids[0], b);
	q.honour = "nobel";
	assert_int_equal(run(fx->db, &q, 0, 1, ids, 16), 0);

	gg_search_query_init(&q);
	q.org_id = o1;
	q.q = "wang";
	assert_int_equal(run(fx->db, &q, 0, 1, ids, 16), 2);

	/* scopes: an employer sees its organisation's people, a talent itself, a commissioner its own */
	gg_search_query_init(&q);
	q.org_scope = o2;
	n = run(fx->db, &q, 0, 1, ids, 16);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], b);
	gg_search_query_init(&q);
	q.talent_scope = c;
	n = run(fx->db, &q, 0, 1, ids, 16);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], c);
	gg_search_query_init(&q);
	q.commissioner_scope = 7;
	n = run(fx->db, &q, 0, 1, ids, 16);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], b);
	q.commissioner_scope = 8;
	assert_int_equal(run(fx->db, &q, 0, 1, ids, 16), 0);
	gg_search_query_init(&q);
	q.scope_none = 1;
	assert_int_equal(run(fx->db, &q, 0, 1, ids, 16), 0);

	/* organisations */
	gg_search_query_init(&q);
	q.q = "公司";
	assert_int_equal(run(fx->db, &q, 1, 1, ids, 16), 2);
	assert_int_equal(ids[0], o1); /* jia < yi */
	q.kind = "university";
	assert_int_equal(run(fx->db, &q, 1, 1, ids, 16), 1);
	assert_int_equal(ids[0], o2);
	gg_search_query_init(&q);
	q.verified = 1;
	assert_int_equal(run(fx->db, &q, 1, 1, ids, 16), 1);
	assert_int_equal(ids[0], o1);
	gg_search_query_init(&q);
	q.q = "jgs";
	assert_int_equal(run(fx->db, &q, 1, 1, ids, 16), 1);
	q.q = "gongsi";
	assert_int_equal(run(fx->db, &q, 1, 1, ids, 16), 2);
	q.q = "yi gong";
	assert_int_equal(run(fx->db, &q, 1, 1, ids, 16), 1);
	assert_int_equal(ids[0], o2);
	gg_search_query_init(&q);
	q.org_scope = o2;
	assert_int_equal(run(fx->db, &q, 1, 1, ids, 16), 1);
	assert_int_equal(ids[0], o2);
}

static void test_pages_and_merged(void **state)
{
	struct fixture *fx = *state;
	struct gg_search_query q;
	struct gg_search_page page;
	struct gg_error err;
	int64_t ids[32], made[7];
	size_t n;

	for (int i = 0; i < 7; i++)
		made[i] = add_talent(fx->db, &(struct trow){.name = "李娜", .pinyin = "li na", .updated_at = 500 - i});
	add_talent(fx->db, &(struct trow){.name = "李四", .pinyin = "li si"});

	/* pages of 3 across seven equal keys: each record once, by id */
	gg_search_query_init(&q);
	q.q = "李娜";
	q.limit = 3;
	n = run(fx->db, &q, 0, 1, ids, 32);
	assert_int_equal(n, 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(ids[i], made[i]);
	q.sort = GG_SEARCH_PINYIN_DESC;
	n = run(fx->db, &q, 0, 1, ids, 32);
	assert_int_equal(n, 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(ids[i], made[6 - i]);
	q.sort = GG_SEARCH_UPDATED_ASC; /* updated_at falls with the id */
	n = run(fx->db, &q, 0, 1, ids, 32);
	assert_int_equal(n, 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(ids[i], made[6 - i]);
	q.sort = GG_SEARCH_UPDATED_DESC;
	q.q = "lina";
	n = run(fx->db, &q, 0, 1, ids, 32);
	assert_int_equal(n, 7);
	assert_int_equal(ids[0], made[0]);

	/* the last page has no cursor; a full last page too */
	gg_search_query_init(&q);
	q.q = "李";
	q.limit = 8;
	gg_error_init(&err);
	assert_int_equal(gg_search_talents(fx->db, &q, &page, &err), GG_OK);
	assert_int_equal(page.n, 8);
	assert_string_equal(page.next_cursor, "");
	q.limit = 7;
	assert_int_equal(gg_search_talents(fx->db, &q, &page, &err), GG_OK);
	assert_int_equal(page.n, 7);
	assert_string_not_equal(page.next_cursor, "");

	/* bad limits and cursors */
	char cursor[GG_SEARCH_CURSOR_MAX];
	strcpy(cursor, page.next_cursor);
	q.sort = GG_SEARCH_UPDATED_ASC;
	q.cursor = cursor;
	gg_error_init(&err);
	assert_int_equal(gg_search_talents(fx->db, &q, &page, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "cursor");
	static const char *bad[] = {
	    "x", "p", "p0.61", "pabc.61", "p1.6", "p1.zz", "p1.0061", "u1.x", "p99999999999999999999.61"};
	q.sort = GG_SEARCH_PINYIN_ASC;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		q.cursor = bad[i];
		gg_error_init(&err);
		if (gg_search_talents(fx->db, &q, &page, &err) != GG_E_INVALID)
			fail_msg("cursor '%s' accepted", bad[i]);
	}
	q.cursor = NULL;
	/* bad text: invalid UTF-8, too long, too long once folded (U+FDFA folds to 33 bytes) */
	char big[300], expands[256] = "";
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int i = 0; i < 80; i++)
		strcat(expands, "\xef\xb7\xba");
	const char *bad_q[] = {"\xff\xfe", big, expands};
	for (size_t i = 0; i < sizeof bad_q / sizeof bad_q[0]; i++) {
		q.q = bad_q[i];
		gg_error_init(&err);
		assert_int_equal(gg_search_talents(fx->db, &q, &page, &err), GG_E_INVALID);
		assert_string_equal(err.fields[0].field, "q");
	}
	q.q = "李";
	q.limit = 0;
	gg_error_init(&err);
	assert_int_equal(gg_search_talents(fx->db, &q, &page, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "limit");
	q.limit = 201;
	assert_int_equal(gg_search_talents(fx->db, &q, &page, &err), GG_E_INVALID);

	enum gg_search_sort s;
	assert_int_equal(gg_search_parse_sort("-updated", &s, &err), GG_OK);
	assert_int_equal(s, GG_SEARCH_UPDATED_DESC);
	assert_int_equal(gg_search_parse_sort(NULL, &s, &err), GG_OK);
	assert_int_equal(s, GG_SEARCH_PINYIN_ASC);
	gg_error_init(&err);
	assert_int_equal(gg_search_parse_sort("name", &s, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "sort");

	/* a record merged into another disappears, by text and without */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE talents SET merged_into = %lld WHERE id = %lld", (long long)made[0],
	         (long long)made[1]);
	unit_db_exec(fx->db, sql);
	gg_error_init(&err);
	assert_int_equal(gg_search_index_talent_tx(fx->db, made[1], &err), GG_OK);
	n = find(fx->db, "李娜", ids, 32);
	assert_int_equal(n, 6);
	assert_false(has(ids, n, made[1]));
	n = find(fx->db, "", ids, 32);
	assert_int_equal(n, 7);
	assert_false(has(ids, n, made[1]));
	assert_int_equal(find(fx->db, "lina", ids, 32), 6);
}

/* ---- a generated population against brute force ---- */

#define POP 6000

static const char *const chars[] = {"张", "王", "李", "金", "桥", "伟", "芳", "娜", "强", "明", "华", "军"};
static const char *const sylls[] = {"zhang", "wang", "li",    "jin",  "qiao", "wei",
                                    "fang",  "na",   "qiang", "ming", "hua",  "jun"};

struct person {
	int64_t id;
	int c[3];
	int n;
	char key[64];
	int64_t updated;
	int tier; /* 0 high_level, 1 other */
};

static struct person pop[POP];

static unsigned lcg(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* Han query semantics: one character anywhere; else every bigram of the query among the name's. */
static int matches(const struct person *p, const int *qc, int qn)
{
	if (qn == 1) {
		for (int i = 0; i < p->n; i++)
			if (p->c[i] == qc[0])
				return 1;
		return 0;
	}
	for (int k = 0; k + 1 < qn; k++) {
		int found = 0;
		for (int i = 0; i + 1 < p->n; i++)
			if (p->c[i] == qc[k] && p->c[i + 1] == qc[k + 1])
				found = 1;
		if (!found)
			return 0;
	}
	return 1;
}

static int cmp_pinyin(const void *a, const void *b)
{
	const struct person *x = *(const struct person *const *)a, *y = *(const struct person *const *)b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->id < y->id ? -1 : 1);
}

static int cmp_updated(const void *a, const void *b)
{
	const struct person *x = *(const struct person *const *)a, *y = *(const struct person *const *)b;

	if (x->updated != y->updated)
		return x->updated < y->updated ? -1 : 1;
	return x->id < y->id ? -1 : 1;
}

static void test_population(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	unsigned seed = 42;
	static int64_t got[POP];
	static const struct person *want[POP];

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	for (int i = 0; i < POP; i++) {
		struct person *p = &pop[i];
		char name[16] = "", pinyin[64] = "";
		/* 张 in half the names: far above the planner's threshold */
		p->n = 2 + (int)(lcg(&seed) % 2);
		p->c[0] = (lcg(&seed) % 2) ? 0 : 1 + (int)(lcg(&seed) % 2);
		for (int k = 1; k < p->n; k++)
			p->c[k] = 3 + (int)(lcg(&seed) % 9);
		for (int k = 0; k < p->n; k++) {
			strcat(name, chars[p->c[k]]);
			if (k)
				strcat(pinyin, " ");
			strcat(pinyin, sylls[p->c[k]]);
		}
		squeeze(pinyin, p->key, sizeof p->key);
		p->updated = 1000 + lcg(&seed) % 50;
		p->tier = (lcg(&seed) % 10) == 0 ? 0 : 1;
		p->id = add_talent(fx->db, &(struct trow){.name = name,
		                                          .pinyin = pinyin,
		                                          .updated_at = p->updated,
		                                          .tier = p->tier == 0 ? "high_level" : "other"});
	}
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);

	static const char *const queries[] = {"张",   "王",     "金",     "军",   "张金", "金桥",
	                                      "桥伟", "张金桥", "王华军", "伟伟", "李"};
	for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
		int qc[3], qn = 0;
		/* decode the query into character indexes */
		for (const char *s = queries[qi]; *s;) {
			for (int k = 0; k < 12; k++) {
				if (strncmp(s, chars[k], strlen(chars[k])) == 0) {
					qc[qn++] = k;
					s += strlen(chars[k]);
					break;
				}
			}
		}
		for (int variant = 0; variant < 6; variant++) {
			struct gg_search_query q;
			size_t nwant = 0, n;

			gg_search_query_init(&q);
			q.q = queries[qi];
			q.limit = variant % 2 ? 7 : 200;
			q.sort = variant < 2   ? GG_SEARCH_PINYIN_ASC
			         : variant < 4 ? GG_SEARCH_PINYIN_DESC
			                       : GG_SEARCH_UPDATED_DESC;
			if (variant == 3)
				q.tier = "high_level";
			for (int i = 0; i < POP; i++)
				if (matches(&pop[i], qc, qn) && (!q.tier || pop[i].tier == 0))
					want[nwant++] = &pop[i];
			qsort(want, nwant, sizeof want[0], q.sort <= GG_SEARCH_PINYIN_DESC ? cmp_pinyin : cmp_updated);
			n = run(fx->db, &q, 0, 1, got, POP);
			if (n != nwant)
				fail_msg("'%s' variant %d: %zu results, expected %zu", q.q, variant, n, nwant);
			for (size_t i = 0; i < n; i++) {
				size_t w = q.sort == GG_SEARCH_PINYIN_ASC ? i : n - 1 - i;
				if (got[i] != want[w]->id)
					fail_msg("'%s' variant %d: result %zu is %lld, expected %lld", q.q, variant, i,
					         (long long)got[i], (long long)want[w]->id);
			}
		}
	}
	/* pinyin: prefix of the key, over all pages */
	{
		struct gg_search_query q;
		size_t nwant = 0, n;

		gg_search_query_init(&q);
		q.q = "zhang jin";
		q.limit = 13;
		for (int i = 0; i < POP; i++)
			if (strncmp(pop[i].key, "zhangjin", 8) == 0)
				want[nwant++] = &pop[i];
		qsort(want, nwant, sizeof want[0], cmp_pinyin);
		n = run(fx->db, &q, 0, 1, got, POP);
		assert_int_equal(n, nwant);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(got[i], want[i]->id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_terms, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_keywords_and_orgs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filters_and_scopes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pages_and_merged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_population, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
