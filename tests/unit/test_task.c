/*
 * test_task: the "my tasks" inbox on a migrated SQLite database. Opening
 * is idempotent and audited, closing stamps who, when and why and is a
 * no-op without an open task; who sees a task (the kind's permission,
 * unscoped or within the scope, or the assignee); the order, pages and
 * filters of a list, age in days in a time zone with the clock set
 * through GUANGGU_TEST_NOW; the summary. Then the duplicate review feed
 * through the real talent writes: two records alike open one task for
 * the newer, a change that makes them differ closes it, and a dismissal
 * or a merge closes it too.
 */
#include "unit.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "domain/audit.h"
#include "domain/dedup.h"
#include "domain/role.h"
#include "domain/talent.h"
#include "domain/task.h"
#include "store/db.h"
#include "store/migrate.h"

#define T0  1795680000LL /* 2026-11-26T08:00:00Z, 16:00 in Shanghai */
#define DAY 86400LL

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
	struct gg_keys keys;
};

static const struct gg_actor officer = {7, "officer", "req-7"};
static const struct gg_actor system_actor = {0, "system", NULL};

static void set_now(int64_t t)
{
	char s[32];

	snprintf(s, sizeof s, "%lld", (long long)t);
	assert_int_equal(setenv("GUANGGU_TEST_NOW", s, 1), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct gg_error err;

	if (!fx || gg_crypto_init() != GG_OK)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/task.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	gg_crypto_random(fx->keys.data, sizeof fx->keys.data);
	gg_crypto_random(fx->keys.index, sizeof fx->keys.index);
	set_now(T0);
	gg_error_init(&err);
	if (gg_db_exec(fx->db,
	               "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"
	               " (1, '光谷测试科技', 'guang gu ce shi ke ji', 'leading_enterprise', 0, 0);"
	               "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES"
	               " (7, 'officer', 'Officer', 'x', 0, 0), (42, 'someone', 'Someone', 'x', 0, 0)",
	               &err) != GG_OK) {
		print_error("fixture rows: %s\n", gg_error_message(&err));
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
	gg_crypto_keys_wipe(&fx->keys);
	free(fx);
	unsetenv("GUANGGU_TEST_NOW");
	return 0;
}

/* Opens a duplicate_review task about subject in its own transaction; returns its id. */
static int64_t open_task(struct fixture *fx, int64_t subject, const char *label, enum gg_scope_kind sk, int64_t sid,
                         int64_t user, int *opened)
{
	struct gg_error err;
	int64_t id = 0;
	char link[64];

	snprintf(link, sizeof link, "/talents/duplicates?talent=%lld", (long long)subject);
	const struct gg_task_new t = {
	    .kind = GG_TASK_duplicate_review,
	    .subject_id = subject,
	    .label = label,
	    .link = link,
	    .scope_kind = sk,
	    .scope_id = sid,
	    .user_id = user,
	};
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	if (gg_task_open(fx->db, &officer, &t, &id, opened, &err) != GG_OK)
		fail_msg("open: %s", gg_error_message(&err));
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);
	return id;
}

static int close_task(struct fixture *fx, int64_t subject, const char *reason)
{
	struct gg_error err;
	int closed = -1;

	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	if (gg_task_close(fx->db, &officer, GG_TASK_duplicate_review, subject, reason, &closed, &err) != GG_OK)
		fail_msg("close: %s", gg_error_message(&err));
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);
	return closed;
}

static void principal(struct gg_principal *pr, int64_t user_id, enum gg_role role, enum gg_scope_kind sk, int64_t sid)
{
	memset(pr, 0, sizeof *pr);
	pr->kind = GG_AUTH_SESSION;
	pr->user_id = user_id;
	pr->nroles = 1;
	pr->roles[0].role = role;
	pr->roles[0].scope_kind = sk;
	pr->roles[0].scope_id = sid;
}

static void filter_init(struct gg_task_filter *f)
{
	memset(f, 0, sizeof *f);
	f->kind = -1;
	f->older_than_days = -1;
	f->limit = 50;
	f->timezone = "Asia/Shanghai";
}

/* The ids of one page into ids (at most 16); returns how many. */
static size_t list_ids(struct fixture *fx, const struct gg_principal *pr, const struct gg_task_filter *f,
                       int64_t ids[16], int *more)
{
	struct gg_task *tasks = NULL;
	struct gg_error err;
	size_t n = 0;

	gg_error_init(&err);
	if (gg_task_list(fx->db, pr, f, &tasks, &n, more, &err) != GG_OK)
		fail_msg("list: %s", gg_error_message(&err));
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++)
		ids[i] = tasks[i].id;
	free(tasks);
	return n;
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(gg_task_kind_lookup("duplicate_review"), GG_TASK_duplicate_review);
	assert_int_equal(gg_task_kind_lookup("no_such_kind"), -1);
	assert_int_equal(gg_task_kind_lookup(NULL), -1);
	assert_string_equal(gg_task_kinds[GG_TASK_duplicate_review].subject, "talent");
	assert_int_equal(gg_task_kinds[GG_TASK_duplicate_review].perm, GG_PERM_talents_merge);
	assert_true(strlen(gg_task_kinds[GG_TASK_duplicate_review].zh) > 0);
}

static void test_open_close(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	char buf[512];
	int opened = -1;
	int64_t audits = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");
	int64_t id = open_task(fx, 12, "王金桥 · 汪金桥", GG_SCOPE_NONE, 0, 0, &opened);

	assert_true(id > 0);
	assert_int_equal(opened, 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audits + 1);
	unit_db_text(
	    fx->db,
	    "SELECT action || '/' || entity || '/' || entity_id || '/' || actor || '/' || request_id FROM audit_log"
	    " ORDER BY id DESC LIMIT 1",
	    buf, sizeof buf);
	snprintf(buf + 256, 256, "task.open/task/%lld/officer/req-7", (long long)id);
	assert_string_equal(buf, buf + 256);
	unit_db_text(fx->db, "SELECT changes FROM audit_log ORDER BY id DESC LIMIT 1", buf, sizeof buf);
	assert_non_null(strstr(buf, "talent:12"));
	assert_non_null(strstr(buf, "duplicate_review"));
	unit_db_text(fx->db, "SELECT perm || '/' || subject_type || '/' || link FROM tasks", buf, sizeof buf);
	assert_string_equal(buf, "talents_merge/talent//talents/duplicates?talent=12");
	assert_int_equal(unit_db_i64(fx->db, "SELECT created_at FROM tasks"), T0);

	/* again: the open task is left as it is, nothing written */
	assert_int_equal(open_task(fx, 12, "another label", GG_SCOPE_NONE, 0, 0, &opened), id);
	assert_int_equal(opened, 0);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM tasks"), 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audits + 1);
	unit_db_text(fx->db, "SELECT label FROM tasks", buf, sizeof buf);
	assert_string_equal(buf, "王金桥 · 汪金桥");

	/* close: stamped and audited; a second close does nothing */
	set_now(T0 + 60);
	assert_int_equal(close_task(fx, 12, "dismissed"), 1);
	unit_db_text(fx->db, "SELECT closed_at || '/' || closed_by || '/' || close_reason FROM tasks", buf, sizeof buf);
	snprintf(buf + 256, 256, "%lld/7/dismissed", (long long)(T0 + 60));
	assert_string_equal(buf, buf + 256);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'task.close'"), 1);
	assert_int_equal(close_task(fx, 12, "dismissed"), 0);
	assert_int_equal(close_task(fx, 99, "dismissed"), 0);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audits + 2);

	/* a closed task stays; opening again opens a new one */
	assert_true(open_task(fx, 12, "王金桥 · 汪金桥", GG_SCOPE_NONE, 0, 0, &opened) > id);
	assert_int_equal(opened, 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM tasks"), 2);

	/* refusals write nothing */
	const struct gg_task_new bad[] = {
	    {.kind = GG_TASK_duplicate_review, .subject_id = 5, .label = "", .link = "/x"},
	    {.kind = GG_TASK_duplicate_review, .subject_id = 5, .label = "x", .link = "http://elsewhere/"},
	    {.kind = GG_TASK_duplicate_review, .subject_id = 5, .label = "x", .link = "/x", .due_on = "2026-02-30"},
	};
	const char *fields[] = {"label", "link", "due_on"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		gg_error_init(&err);
		assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
		assert_int_equal(gg_task_open(fx->db, &officer, &bad[i], NULL, NULL, &err), GG_E_INVALID);
		assert_string_equal(err.fields[0].field, fields[i]);
		gg_db_rollback(fx->db);
	}
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_task_close(fx->db, &officer, GG_TASK_duplicate_review, 12, "", NULL, &err), GG_E_INVALID);
	gg_db_rollback(fx->db);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM tasks"), 2);

	/* closed by the system: no account */
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_task_close(fx->db, &system_actor, GG_TASK_duplicate_review, 12, "changed", NULL, &err),
	                 GG_OK);
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);
	assert_int_equal(
	    unit_db_i64(fx->db, "SELECT COUNT(*) FROM tasks WHERE closed_by IS NULL AND close_reason = 'changed'"), 1);
}

static void test_visible(void **state)
{
	struct fixture *fx = *state;
	struct gg_principal pr;
	struct gg_task_filter f;
	int64_t ids[16];
	int more, opened;
	int64_t unscoped = open_task(fx, 1, "a · b", GG_SCOPE_NONE, 0, 0, &opened);
	int64_t org1 = open_task(fx, 2, "c · d", GG_SCOPE_ORG, 1, 0, &opened);
	int64_t mine = open_task(fx, 3, "e · f", GG_SCOPE_NONE, 0, 42, &opened);

	filter_init(&f);
	/* holders of talents_merge without scope: everything of the kind */
	principal(&pr, 7, GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0);
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 3);
	principal(&pr, 8, GG_ROLE_bureau_admin, GG_SCOPE_NONE, 0);
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 3);
	/* no talents_merge: nothing, unless assigned */
	enum gg_role others[] = {GG_ROLE_leader, GG_ROLE_finance, GG_ROLE_expert, GG_ROLE_commissioner};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		principal(&pr, 9, others[i], GG_SCOPE_NONE, 0);
		assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 0);
	}
	principal(&pr, 9, GG_ROLE_employer, GG_SCOPE_ORG, 1);
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 0);
	principal(&pr, 42, GG_ROLE_talent, GG_SCOPE_TALENT, 3);
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 1);
	assert_int_equal(ids[0], mine);
	/*
	 * A holder through a scoped grant sees the tasks of its scope only. No
	 * role of role.c holds talents_merge with a scope yet, so the grant is
	 * made up here to reach that rule.
	 */
	principal(&pr, 10, GG_ROLE_bureau_admin, GG_SCOPE_ORG, 1);
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 1);
	assert_int_equal(ids[0], org1);
	principal(&pr, 10, GG_ROLE_bureau_admin, GG_SCOPE_ORG, 2);
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 0);
	/* an unscoped grant beside a scoped one sees everything */
	principal(&pr, 10, GG_ROLE_bureau_admin, GG_SCOPE_ORG, 2);
	pr.roles[1].role = GG_ROLE_bureau_officer;
	pr.nroles = 2;
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 3);
	assert_int_equal(ids[0], unscoped);

	/* the summary follows the same rule */
	struct gg_task_count counts[GG_TASK__COUNT];
	struct gg_error err;
	size_t n;
	int64_t open;
	gg_error_init(&err);
	principal(&pr, 42, GG_ROLE_talent, GG_SCOPE_TALENT, 3);
	assert_int_equal(gg_task_summary(fx->db, &pr, counts, &n, &open, &err), GG_OK);
	assert_int_equal(open, 1);
	assert_int_equal(n, 1);
	principal(&pr, 9, GG_ROLE_leader, GG_SCOPE_NONE, 0);
	assert_int_equal(gg_task_summary(fx->db, &pr, counts, &n, &open, &err), GG_OK);
	assert_int_equal(open, 0);
	assert_int_equal(n, 0);
}

static void test_list(void **state)
{
	struct fixture *fx = *state;
	struct gg_principal pr;
	struct gg_task_filter f;
	struct gg_task *tasks = NULL;
	struct gg_error err;
	int64_t ids[16], t[5];
	size_t n;
	int more = 0, opened;

	/* five tasks opened a day apart at 17:00 UTC (01:00 the next day in Shanghai) */
	for (int i = 0; i < 5; i++) {
		char label[48];
		set_now(T0 - (5 - i) * DAY + 9 * 3600);
		snprintf(label, sizeof label, "甲%d · 乙%d", i, i);
		t[i] = open_task(fx, 100 + i, label, GG_SCOPE_NONE, 0, 0, &opened);
	}
	set_now(T0 + 7 * 3600); /* 2026-11-26T15:00:00Z: 23:00 in Shanghai */
	principal(&pr, 7, GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0);
	filter_init(&f);

	/* open: oldest first; age in Shanghai days (the first opened 2026-11-22 01:00 there) */
	gg_error_init(&err);
	assert_int_equal(gg_task_list(fx->db, &pr, &f, &tasks, &n, &more, &err), GG_OK);
	assert_int_equal(n, 5);
	assert_int_equal(more, 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(tasks[i].id, t[i]);
		assert_int_equal(tasks[i].age_days, 4 - i);
		assert_int_equal(tasks[i].closed_at, 0);
		assert_string_equal(tasks[i].due_on, "");
	}
	assert_string_equal(tasks[0].label, "甲0 · 乙0");
	assert_int_equal(tasks[0].subject_id, 100);
	assert_string_equal(tasks[0].link, "/talents/duplicates?talent=100");
	free(tasks);
	/* the same instants counted in UTC: each a day older */
	f.timezone = "UTC";
	assert_int_equal(gg_task_list(fx->db, &pr, &f, &tasks, &n, &more, &err), GG_OK);
	assert_int_equal(tasks[0].age_days, 5);
	assert_int_equal(tasks[4].age_days, 1);
	free(tasks);
	f.timezone = "Asia/Shanghai";

	/* older_than_days: strictly older */
	f.older_than_days = 2;
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 2);
	assert_int_equal(ids[0], t[0]);
	assert_int_equal(ids[1], t[1]);
	f.older_than_days = 0;
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 4);
	f.older_than_days = 4;
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 0);
	f.older_than_days = -1;

	/* pages of two */
	f.limit = 2;
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 2);
	assert_int_equal(more, 1);
	f.after_id = ids[1];
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 2);
	assert_int_equal(ids[0], t[2]);
	assert_int_equal(more, 1);
	f.after_id = ids[1];
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 1);
	assert_int_equal(ids[0], t[4]);
	assert_int_equal(more, 0);
	f.after_id = 0;
	f.limit = 50;

	/* closed: the most recently closed first */
	set_now(T0 + 8 * 3600);
	assert_int_equal(close_task(fx, 101, "merged"), 1);
	set_now(T0 + 9 * 3600);
	assert_int_equal(close_task(fx, 103, "dismissed"), 1);
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 3);
	f.closed = 1;
	assert_int_equal(gg_task_list(fx->db, &pr, &f, &tasks, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(tasks[0].id, t[3]);
	assert_int_equal(tasks[0].closed_at, T0 + 9 * 3600);
	assert_int_equal(tasks[0].closed_by, 7);
	assert_string_equal(tasks[0].close_reason, "dismissed");
	assert_int_equal(tasks[1].id, t[1]);
	free(tasks);
	f.limit = 1;
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 1);
	f.after_id = ids[0];
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 1);
	assert_int_equal(ids[0], t[1]);
	assert_int_equal(more, 0);

	/* the kind filter */
	f.after_id = 0;
	f.limit = 50;
	f.closed = 0;
	f.kind = GG_TASK_duplicate_review;
	assert_int_equal(list_ids(fx, &pr, &f, ids, &more), 3);

	/* the summary: open ones only */
	struct gg_task_count counts[GG_TASK__COUNT];
	int64_t open;
	assert_int_equal(gg_task_summary(fx->db, &pr, counts, &n, &open, &err), GG_OK);
	assert_int_equal(open, 3);
	assert_int_equal(n, 1);
	assert_int_equal(counts[0].kind, GG_TASK_duplicate_review);
	assert_int_equal(counts[0].count, 3);
	assert_int_equal(counts[0].oldest_created_at, T0 - 5 * DAY + 9 * 3600);

	/* refusals */
	f.kind = -1;
	f.closed = 1;
	f.after_id =
	    t[0]; /* an open task is no cursor of the closed list (a closed one is of the open list: it closed since) */
	gg_error_init(&err);
	assert_int_equal(gg_task_list(fx->db, &pr, &f, &tasks, &n, &more, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "cursor");
	f.closed = 0;
	f.after_id = 9999;
	gg_error_init(&err);
	assert_int_equal(gg_task_list(fx->db, &pr, &f, &tasks, &n, &more, &err), GG_E_INVALID);
	f.after_id = 0;
	f.limit = 201;
	gg_error_init(&err);
	assert_int_equal(gg_task_list(fx->db, &pr, &f, &tasks, &n, &more, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "limit");
	f.limit = 50;
	f.older_than_days = 3651;
	gg_error_init(&err);
	assert_int_equal(gg_task_list(fx->db, &pr, &f, &tasks, &n, &more, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "older_than_days");
	f.older_than_days = -1;
	f.timezone = "Nowhere/Atlantis";
	gg_error_init(&err);
	assert_int_equal(gg_task_list(fx->db, &pr, &f, &tasks, &n, &more, &err), GG_E_CONFIG);
}

/* ---- the duplicate review feed through the talent writes ---- */

static int64_t create(struct fixture *fx, const char *name, const char *birth, int64_t org, const char *phone)
{
	struct gg_talent_input in;
	struct gg_error err;
	int64_t id = 0;

	memset(&in, 0, sizeof in);
	in.set_name = 1;
	in.name = name;
	in.set_birth_date = birth != NULL;
	in.birth_date = birth;
	in.set_org = org != 0;
	in.org_id = org;
	in.set_phone = phone != NULL;
	in.phone = phone;
	gg_error_init(&err);
	if (gg_talent_create(fx->db, &fx->keys, &officer, &in, &id, &err) != GG_OK)
		fail_msg("create %s: %s", name, gg_error_message(&err));
	return id;
}

static void set_birth(struct fixture *fx, int64_t id, const char *birth)
{
	struct gg_talent_input in;
	struct gg_error err;

	memset(&in, 0, sizeof in);
	in.set_birth_date = 1;
	in.birth_date = birth;
	gg_error_init(&err);
	if (gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 0, NULL, &err) != GG_OK)
		fail_msg("update %lld: %s", (long long)id, gg_error_message(&err));
}

static int64_t open_of(struct fixture *fx, int64_t subject)
{
	char sql[160];

	snprintf(
	    sql, sizeof sql,
	    "SELECT COUNT(*) FROM tasks WHERE kind = 'duplicate_review' AND subject_id = %lld AND closed_at IS NULL",
	    (long long)subject);
	return unit_db_i64(fx->db, sql);
}

static void test_feed(void **state)
{
	struct fixture *fx = *state;
	struct gg_error err;
	char buf[512];
	int64_t a, b, c, d;

	a = create(fx, "王金桥", "1980-01-02", 0, NULL);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM tasks"), 0);
	/* the same pinyin and birth date: one task, for the newer record */
	b = create(fx, "汪金桥", "1980-01-02", 0, NULL);
	assert_int_equal(open_of(fx, a), 0);
	assert_int_equal(open_of(fx, b), 1);
	unit_db_text(fx->db, "SELECT label || '|' || link FROM tasks", buf, sizeof buf);
	snprintf(buf + 256, 256, "王金桥 · 汪金桥|/talents/duplicates?talent=%lld", (long long)b);
	assert_string_equal(buf, buf + 256);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'task.open'"), 1);
	/* a change that makes them differ closes it, the reverse opens a new one */
	set_birth(fx, b, "1981-01-02");
	assert_int_equal(open_of(fx, b), 0);
	unit_db_text(fx->db, "SELECT close_reason FROM tasks", buf, sizeof buf);
	assert_string_equal(buf, "changed");
	set_birth(fx, b, "1980-01-02");
	assert_int_equal(open_of(fx, b), 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM tasks"), 2);
	/* changing the older record of the pair closes the newer's task too */
	set_birth(fx, a, "1979-05-05");
	assert_int_equal(open_of(fx, b), 0);
	set_birth(fx, a, "1980-01-02");
	assert_int_equal(open_of(fx, b), 1);

	/* a third with a's name, org and phone of nobody: still one task each for the newer records */
	c = create(fx, "王金桥", "1980-01-02", 1, "13800000001");
	assert_int_equal(open_of(fx, c), 1);
	assert_int_equal(open_of(fx, a), 0);
	/* gg_dedup_of answers a record's pairs from its own lookups */
	struct gg_dedup_pair pairs[8];
	size_t n;
	int more;
	gg_error_init(&err);
	assert_int_equal(gg_dedup_of(fx->db, a, 0, 8, pairs, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(pairs[0].a, a);
	assert_int_equal(pairs[0].b, b);
	assert_int_equal(pairs[0].reasons, GG_DEDUP_PINYIN_BIRTH);
	assert_int_equal(pairs[1].b, c);
	assert_int_equal(pairs[1].reasons, GG_DEDUP_NAME_BIRTH);
	assert_int_equal(gg_dedup_of(fx->db, a, b, 1, pairs, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(pairs[0].b, c);
	assert_int_equal(more, 0);
	assert_int_equal(gg_dedup_of(fx->db, 999, 0, 8, pairs, &n, &more, &err), GG_E_NOT_FOUND);

	/* dismissing (b, c) leaves c its pair with a; dismissing (a, c) then closes c's task */
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, c, b, "不同的人", &err), GG_OK);
	assert_int_equal(open_of(fx, c), 1);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, a, c, NULL, &err), GG_OK);
	assert_int_equal(open_of(fx, c), 0);
	unit_db_text(fx->db, "SELECT close_reason FROM tasks WHERE subject_id = (SELECT MAX(subject_id) FROM tasks)",
	             buf, sizeof buf);
	assert_string_equal(buf, "dismissed");
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM duplicate_dismissals"), 2);
	assert_int_equal(
	    unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'talent.duplicate_dismiss'"), 4);
	unit_db_text(fx->db,
	             "SELECT changes FROM audit_log WHERE action = 'talent.duplicate_dismiss' ORDER BY id LIMIT 1", buf,
	             sizeof buf);
	assert_non_null(strstr(buf, "不同的人"));
	/* a dismissed pair never comes back, also after a change */
	set_birth(fx, c, "1980-01-02");
	set_birth(fx, c, "1970-01-01");
	set_birth(fx, c, "1980-01-02");
	assert_int_equal(open_of(fx, c), 0);
	/* refusals */
	int64_t dismissals = unit_db_i64(fx->db, "SELECT COUNT(*) FROM duplicate_dismissals");
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, a, c, NULL, &err), GG_E_DUPLICATE);
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, a, a, NULL, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "b");
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, a, 999, NULL, &err), GG_E_NOT_FOUND);
	char longnote[GG_DEDUP_NOTE_MAX * 3 + 8] = "";
	for (int i = 0; i <= GG_DEDUP_NOTE_MAX; i++)
		strcat(longnote, "人");
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, a, b, longnote, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "note");
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM duplicate_dismissals"), dismissals);

	/* a merge of b into a closes b's task: no pair is left */
	assert_int_equal(open_of(fx, b), 1);
	gg_error_init(&err);
	assert_int_equal(gg_dedup_merge(fx->db, &officer, a, b, 0, &err), GG_OK);
	assert_int_equal(open_of(fx, b), 0);
	unit_db_text(fx->db, "SELECT close_reason FROM tasks WHERE subject_id = 2 ORDER BY id DESC LIMIT 1", buf,
	             sizeof buf);
	assert_string_equal(buf, "merged");
	/* a merged record is no longer dismissable */
	gg_error_init(&err);
	assert_int_equal(gg_dedup_dismiss(fx->db, &officer, b, c, NULL, &err), GG_E_CONFLICT);

	/* a merge that leaves the target paired with a newer record keeps that record's task */
	d = create(fx, "李娜", NULL, 1, "13800000001"); /* c's phone */
	assert_int_equal(open_of(fx, d), 1);
	gg_error_init(&err);
	assert_int_equal(gg_dedup_merge(fx->db, &officer, c, a, 0, &err), GG_OK);
	assert_int_equal(open_of(fx, d), 1);
	assert_int_equal(open_of(fx, c), 0);
	struct gg_audit_report rep;
	assert_int_equal(gg_audit_verify(fx->db, &rep, &err), GG_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),
	    cmocka_unit_test_setup_teardown(test_open_close, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_visible, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_feed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
