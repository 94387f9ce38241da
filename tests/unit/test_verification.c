/*
 * test_verification: the annual verification of installments
 * (domain/verification.c, file.c, the installment entries of ledger.c)
 * on the recognition fixture with a funded ledger. open-due opens one
 * verification per due installment with its task, and is idempotent; a
 * reduced salary prices the year lower and releases the difference; a
 * salary below the threshold lapses the year; employment that ended
 * before the anniversary lapses the year and every later one, an end on
 * the anniversary completes it; the cap room counts the earlier years
 * that did not lapse (accepted amounts once accepted) and an extra above
 * the commitment is committed; another employer sees nothing (404) and
 * an employer may not accept (403); return needs a reason and reopens the
 * answer; lapse is refused before the deadline and allowed after it;
 * evidence files: type by content and name, size, count, stored once by
 * content, read back only while the checksum matches. The ledger
 * balances after every step.
 */
#include "unit_recognition.h"

#include <sys/stat.h>

#include "core/clock.h"
#include "domain/file.h"
#include "domain/ledger.h"
#include "domain/verification.h"

#define NOW    "2027-03-10T02:00:00Z" /* 2027-03-10 in Asia/Shanghai */
#define CNY(x) ((int64_t)(x)*100)
#define FUND   CNY(100000000)

static int setup(void **state)
{
	struct rfx *r = unit_recognition_open(NOW, NULL);
	struct gg_error err;
	int64_t entry = 0;

	if (!r)
		return -1;
	gg_error_init(&err);
	if (gg_ledger_appropriate(r->fx->db, &unit_officer, FUND, "budget", &entry, &err) != GG_OK) {
		print_error("fixture: %s\n", gg_error_message(&err));
		return -1;
	}
	*state = r;
	return 0;
}

static void balanced(struct gg_db *db)
{
	unit_balanced(db, 1);
}

/* Recognises talent with contract_fen from start, commits its plan; the plan's id. */
static int64_t plan(struct rfx *r, int64_t talent, int64_t source, int64_t contract_fen, const char *start)
{
	struct gg_error err;
	int64_t rec = 0, plan_id = 0, n = 0;

	gg_error_init(&err);
	if (unit_recognise(r->fx->db, r->set, talent, source, contract_fen, start, &rec, &plan_id, &err) != GG_OK ||
	    gg_ledger_commit_existing(r->fx->db, &unit_officer, &n, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	return plan_id;
}

static int64_t open_due(struct rfx *r)
{
	struct gg_error err;
	int64_t today = 0, opened = 0;

	gg_error_init(&err);
	assert_int_equal(gg_clock_today(&today, &err), GG_OK);
	if (gg_verification_open_due(r->fx->db, &unit_officer, today, 60, &opened, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	balanced(r->fx->db);
	return opened;
}

/* The verification of installment year of plan_id. */
static int64_t ver_of(struct gg_db *db, int64_t plan_id, int year)
{
	char sql[256];

	snprintf(sql, sizeof sql,
	         "SELECT v.id FROM verifications v JOIN installments i ON i.id = v.installment_id"
	         " WHERE i.plan_id = %lld AND i.year = %d",
	         (long long)plan_id, year);
	return unit_db_i64(db, sql);
}

static int64_t committed_of(struct gg_db *db, int64_t plan_id, int year)
{
	char sql[256];
	struct gg_error err;
	int64_t fen = 0;

	snprintf(sql, sizeof sql, "SELECT id FROM installments WHERE plan_id = %lld AND year = %d", (long long)plan_id,
	         year);
	gg_error_init(&err);
	assert_int_equal(gg_ledger_installment_committed(db, unit_db_i64(db, sql), &fen, &err), GG_OK);
	return fen;
}

static void inst_status(struct gg_db *db, int64_t plan_id, int year, const char *want)
{
	char sql[256], got[32];

	snprintf(sql, sizeof sql, "SELECT status FROM installments WHERE plan_id = %lld AND year = %d",
	         (long long)plan_id, year);
	unit_db_text(db, sql, got, sizeof got);
	assert_string_equal(got, want);
}

static enum gg_err submit(struct rfx *r, const struct gg_principal *pr, int64_t id, int employed, const char *end_on,
                          int64_t paid_fen, struct gg_error *err)
{
	const struct gg_verification_answer in = {
	    .employed = employed, .end_on = end_on, .salary_paid_fen = paid_fen, .tax_record_no = "TAX-2027-001"};

	gg_error_init(err);
	return gg_verification_submit(r->fx->db, &unit_officer, pr, id, &in, err);
}

static enum gg_err accept(struct rfx *r, const struct gg_principal *pr, int64_t id, struct gg_error *err)
{
	gg_error_init(err);
	return gg_verification_accept(r->fx->db, r->set, &unit_officer, pr, id, 0, err);
}

static struct gg_verification *get(struct gg_db *db, int64_t id)
{
	struct gg_verification *v = NULL;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_verification_get(db, id, &v, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	return v;
}

/* Submits the officer's answer to verification id and accepts it, both as the command line; the verification. */
static struct gg_verification *decided(struct rfx *r, int64_t id, int employed, const char *end_on, int64_t paid_fen)
{
	struct gg_error err;

	assert_int_equal(submit(r, NULL, id, employed, end_on, paid_fen, &err), GG_OK);
	assert_int_equal(accept(r, NULL, id, &err), GG_OK);
	return get(r->fx->db, id);
}

static void principal(struct gg_principal *pr, enum gg_role role, enum gg_scope_kind k, int64_t scope)
{
	memset(pr, 0, sizeof *pr);
	pr->kind = GG_AUTH_SESSION;
	pr->user_id = 7;
	pr->nroles = 1;
	pr->roles[0].role = role;
	pr->roles[0].scope_kind = k;
	pr->roles[0].scope_id = scope;
}

static void test_open_due_idempotent(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_verification *v;
	int64_t p = plan(r, 1, 101, CNY(1200000), "2026-03-01");

	assert_int_equal(open_due(r), 1);
	assert_int_equal(open_due(r), 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM verifications"), 1);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM tasks WHERE kind = 'verification_answer'"
	                                 " AND scope_kind = 'org' AND scope_id = 1 AND closed_at IS NULL"),
	                 1);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'verification.open'"), 1);
	v = get(db, ver_of(db, p, 1));
	assert_int_equal(v->status, GG_VER_OPEN);
	assert_string_equal(v->due_on, "2027-03-01");
	assert_string_equal(v->deadline_on, "2027-04-30");
	assert_int_equal(v->org_id, 1);
	assert_int_equal(v->overdue, 0);
	assert_int_equal(v->planned_fen, CNY(600000));
	assert_true(gg_verification_allowed_actions(v, NULL) == ((1u << GG_VERA_SUBMIT) | (1u << GG_VERA_UPLOAD)));
	gg_verification_free(v);
}

static void test_reduced_salary(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_verification *v;
	struct gg_error err;
	int64_t p = plan(r, 1, 101, CNY(1200000), "2026-03-01"), id;

	open_due(r);
	id = ver_of(db, p, 1);
	/* bad answers: nothing written */
	assert_int_equal(submit(r, NULL, id, 0, NULL, CNY(1100000), &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "end_on");
	assert_int_equal(submit(r, NULL, id, 1, NULL, -1, &err), GG_E_INVALID);
	assert_int_equal(accept(r, NULL, id, &err), GG_E_CONFLICT);
	assert_int_equal(submit(r, NULL, id, 1, NULL, CNY(1100000), &err), GG_OK);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM tasks WHERE kind = 'verification_answer'"
	                                 " AND closed_at IS NULL"),
	                 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM tasks WHERE kind = 'verification_review'"
	                                 " AND closed_at IS NULL"),
	                 1);
	assert_int_equal(accept(r, NULL, id, &err), GG_OK);
	v = get(db, id);
	assert_int_equal(v->status, GG_VER_ACCEPTED);
	assert_int_equal(v->amount_fen, CNY(550000));
	assert_non_null(strstr(v->trace, "base 1,100,000.00 x 5000 bp = 550,000.00"));
	assert_non_null(strstr(v->trace, "550,000.00"));
	gg_verification_free(v);
	assert_int_equal(committed_of(db, p, 1), CNY(550000));
	assert_int_equal(committed_of(db, p, 2), CNY(600000));
	inst_status(db, p, 1, "planned");
	assert_int_equal(
	    unit_db_i64(db, "SELECT count(*) FROM tasks WHERE kind LIKE 'verification%' AND closed_at IS NULL"), 0);
	balanced(db);
}

static void test_below_threshold(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_verification *v;
	int64_t p = plan(r, 1, 101, CNY(1200000), "2026-03-01"), id;

	open_due(r);
	id = ver_of(db, p, 1);
	v = decided(r, id, 1, NULL, CNY(900000));
	assert_int_equal(v->amount_fen, 0);
	assert_non_null(strstr(v->trace, "lapsed by rule paid_below_threshold"));
	gg_verification_free(v);
	inst_status(db, p, 1, "lapsed");
	inst_status(db, p, 2, "planned");
	assert_int_equal(committed_of(db, p, 1), 0);
	assert_int_equal(committed_of(db, p, 2), CNY(600000));
	balanced(db);
}

static void test_employment_ended(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_verification *v;
	int64_t p1 = plan(r, 1, 101, CNY(1200000), "2026-03-01"), p2 = plan(r, 2, 102, CNY(1000000), "2026-03-01");

	open_due(r);
	/* ended before the anniversary: this year and every later one lapse */
	v = decided(r, ver_of(db, p1, 1), 0, "2027-01-10", CNY(1200000));
	assert_int_equal(v->amount_fen, 0);
	assert_non_null(strstr(v->trace, "lapsed by rule employment_ended"));
	gg_verification_free(v);
	for (int y = 1; y <= 3; y++) {
		inst_status(db, p1, y, "lapsed");
		assert_int_equal(committed_of(db, p1, y), 0);
	}
	balanced(db);
	/* an end on the anniversary completes the year */
	v = decided(r, ver_of(db, p2, 1), 0, "2027-03-01", CNY(1000000));
	assert_int_equal(v->amount_fen, CNY(500000));
	gg_verification_free(v);
	inst_status(db, p2, 1, "planned");
	inst_status(db, p2, 2, "planned");
	balanced(db);
}

static void test_cap_room(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_verification *v;
	int64_t p = plan(r, 1, 101, CNY(8000000), "2024-03-01");

	assert_int_equal(open_due(r), 3);
	assert_int_equal(committed_of(db, p, 3), CNY(2000000));
	/* year 1 in full: 4,000,000; year 2 paid 6,000,000: 3,000,000; year 3 then has 3,000,000 of room */
	gg_verification_free(decided(r, ver_of(db, p, 1), 1, NULL, CNY(8000000)));
	gg_verification_free(decided(r, ver_of(db, p, 2), 1, NULL, CNY(6000000)));
	v = decided(r, ver_of(db, p, 3), 1, NULL, CNY(9000000));
	assert_int_equal(v->amount_fen, CNY(3000000));
	assert_non_null(strstr(v->trace, "used by earlier installments 7,000,000.00, room 3,000,000.00"));
	assert_non_null(strstr(v->trace, "base 8,000,000.00 x 5000 bp = 4,000,000.00, capped at 3,000,000.00"));
	assert_non_null(strstr(v->trace, "1,000,000.00 more committed"));
	gg_verification_free(v);
	assert_int_equal(committed_of(db, p, 1), CNY(4000000));
	assert_int_equal(committed_of(db, p, 2), CNY(3000000));
	assert_int_equal(committed_of(db, p, 3), CNY(3000000));
	balanced(db);
}

static void test_scope_return_lapse(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_principal other, hr, officer, talent;
	struct gg_verification *v;
	struct gg_error err;
	int64_t p = plan(r, 1, 101, CNY(1200000), "2026-03-01"), id;

	open_due(r);
	id = ver_of(db, p, 1);
	principal(&other, GG_ROLE_employer, GG_SCOPE_ORG, 2);
	principal(&hr, GG_ROLE_employer, GG_SCOPE_ORG, 1);
	principal(&officer, GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0);
	principal(&talent, GG_ROLE_talent, GG_SCOPE_TALENT, 1);
	assert_int_equal(submit(r, &other, id, 1, NULL, CNY(1200000), &err), GG_E_NOT_FOUND);
	assert_int_equal(submit(r, &talent, id, 1, NULL, CNY(1200000), &err), GG_E_FORBIDDEN);
	assert_int_equal(gg_verification_may_read(&talent, 1, 1), 1);
	assert_int_equal(gg_verification_may_read(&other, 1, 1), 0);
	assert_int_equal(submit(r, &hr, id, 1, NULL, CNY(1200000), &err), GG_OK);
	assert_int_equal(accept(r, &hr, id, &err), GG_E_FORBIDDEN);
	gg_error_init(&err);
	assert_int_equal(gg_verification_return(db, &unit_officer, &officer, id, "", 0, &err), GG_E_INVALID);
	gg_error_init(&err);
	assert_int_equal(gg_verification_return(db, &unit_officer, &officer, id, "税单不清晰", 99, &err), GG_E_STALE);
	gg_error_init(&err);
	assert_int_equal(gg_verification_return(db, &unit_officer, &officer, id, "税单不清晰", 0, &err), GG_OK);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM tasks WHERE kind = 'verification_answer'"
	                                 " AND closed_at IS NULL AND scope_id = 1"),
	                 1);
	/* not overdue yet: no lapse */
	gg_error_init(&err);
	assert_int_equal(gg_verification_lapse(db, &unit_officer, &officer, id, "no answer", 0, &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "not overdue"));
	setenv("GUANGGU_TEST_NOW", "2027-05-01T02:00:00Z", 1);
	v = get(db, id);
	assert_int_equal(v->overdue, 1);
	assert_true(gg_verification_allowed_actions(v, &officer) & (1u << GG_VERA_LAPSE));
	assert_false(gg_verification_allowed_actions(v, &hr) & (1u << GG_VERA_LAPSE));
	gg_verification_free(v);
	gg_error_init(&err);
	assert_int_equal(gg_verification_lapse(db, &unit_officer, &hr, id, "no answer", 0, &err), GG_E_FORBIDDEN);
	gg_error_init(&err);
	assert_int_equal(gg_verification_lapse(db, &unit_officer, &officer, id, "逾期未提交", 0, &err), GG_OK);
	v = get(db, id);
	assert_int_equal(v->status, GG_VER_LAPSED);
	assert_string_equal(v->reason, "逾期未提交");
	gg_verification_free(v);
	inst_status(db, p, 1, "lapsed");
	assert_int_equal(committed_of(db, p, 1), 0);
	assert_int_equal(
	    unit_db_i64(db, "SELECT count(*) FROM tasks WHERE kind LIKE 'verification%' AND closed_at IS NULL"), 0);
	balanced(db);
}

static const char PDF[] = "%PDF-1.4\n% evidence\n";
static const char PNG[] = "\x89PNG\r\n\x1a\n0000";

static void test_files(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_principal hr;
	struct gg_file f, f2, got;
	struct gg_error err;
	char tmp[512], path[GG_FILE_PATH_MAX], *data = NULL;
	size_t len = 0;
	int64_t p = plan(r, 1, 101, CNY(1200000), "2026-03-01"), id;
	struct stat sb;

	unit_tmpdir(tmp, sizeof tmp);
	open_due(r);
	id = ver_of(db, p, 1);
	principal(&hr, GG_ROLE_employer, GG_SCOPE_ORG, 1);
#define ATTACH(kind, name, d, n, max, out) \
	(gg_error_init(&err), gg_verification_attach(db, &unit_officer, &hr, id, kind, tmp, name, d, n, max, out, &err))
	assert_int_equal(ATTACH("contract", "合同.pdf", PDF, sizeof PDF - 1, 1024, &f), GG_OK);
	assert_string_equal(f.content_type, "application/pdf");
	assert_int_equal(ATTACH("tax_certificate", "tax.PDF", PDF, sizeof PDF - 1, 1024, &f2), GG_OK);
	assert_string_equal(f.sha256, f2.sha256);
	assert_int_equal(gg_file_path(tmp, f.sha256, path, sizeof path, &err), GG_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, (off_t)(sizeof PDF - 1));
	/* type by content, and the name must agree */
	assert_int_equal(ATTACH("other", "scan.png", PDF, sizeof PDF - 1, 1024, &f2), GG_E_MEDIA_TYPE);
	assert_string_equal(err.fields[0].field, "file");
	assert_int_equal(ATTACH("other", "notes.pdf", "hello world", 11, 1024, &f2), GG_E_MEDIA_TYPE);
	assert_int_equal(ATTACH("other", "big.pdf", PDF, sizeof PDF - 1, 8, &f2), GG_E_TOO_LARGE);
	assert_int_equal(ATTACH("passport", "a.pdf", PDF, sizeof PDF - 1, 1024, &f2), GG_E_INVALID);
	assert_int_equal(ATTACH("other", "a/b.pdf", PDF, sizeof PDF - 1, 1024, &f2), GG_E_INVALID);
	assert_int_equal(ATTACH("other", "scan.png", PNG, sizeof PNG - 1, 1024, &f2), GG_OK);
	assert_string_equal(f2.content_type, "image/png");
	for (int i = 3; i < GG_VERIFICATION_FILES_MAX; i++)
		assert_int_equal(ATTACH("other", "more.jpg", "\xff\xd8\xff\xe0", 4, 1024, &f2), GG_OK);
	assert_int_equal(ATTACH("other", "one-too-many.pdf", PDF, sizeof PDF - 1, 1024, &f2), GG_E_RULE);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM verification_files"), GG_VERIFICATION_FILES_MAX);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM files"), GG_VERIFICATION_FILES_MAX);
	/* read back, visible only in scope */
	gg_error_init(&err);
	assert_int_equal(gg_verification_file_visible(db, &hr, f.id, &err), GG_OK);
	hr.roles[0].scope_id = 2;
	gg_error_init(&err);
	assert_int_equal(gg_verification_file_visible(db, &hr, f.id, &err), GG_E_NOT_FOUND);
	gg_error_init(&err);
	assert_int_equal(gg_file_get(db, f.id, &got, &err), GG_OK);
	assert_int_equal(gg_file_read(tmp, &got, &data, &len, &err), GG_OK);
	assert_int_equal(len, sizeof PDF - 1);
	assert_memory_equal(data, PDF, len);
	free(data);
	/* a changed file on disk is never handed out */
	chmod(path, 0640);
	unit_write_file(path, "%PDF-1.4\n% forged!!\n");
	gg_error_init(&err);
	assert_int_equal(gg_file_read(tmp, &got, &data, &len, &err), GG_E_INTERNAL);
	assert_null(data);
	assert_non_null(strstr(err.message, "does not match its checksum"));
	/* no uploads once submitted */
	hr.roles[0].scope_id = 1;
	assert_int_equal(submit(r, &hr, id, 1, NULL, CNY(1200000), &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_file_sniff(PDF, sizeof PDF - 1, "x.pdf", &(const char *){NULL}, &err), GG_OK);
	unit_rmtree(tmp);
	balanced(db);
#undef ATTACH
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open_due_idempotent, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_reduced_salary, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_below_threshold, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_employment_ended, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_cap_room, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_scope_return_lapse, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_files, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
