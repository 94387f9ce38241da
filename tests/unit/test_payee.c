/*
 * test_payee: the payee account of a plan (domain/payee.c). Bad names,
 * banks and account numbers are refused on their field with nothing
 * written; the account is sealed (never in the clear in the database),
 * opens again with the installation's key and not with another, and is
 * masked as "**** 1234"; an unknown plan is 404, a plan not active 409; a
 * new account supersedes the active one and needs a new confirmation;
 * confirming twice is 409; every write and every unmasked read has its
 * audit row.
 */
#include "unit_recognition.h"

#include "domain/payee.h"

static struct gg_keys keys;

static int setup(void **state)
{
	memset(keys.data, 3, sizeof keys.data);
	memset(keys.index, 4, sizeof keys.index);
	return (*state = unit_recognition_open("2026-06-01T02:00:00Z", NULL)) ? 0 : -1;
}

static int64_t a_plan(struct rfx *r)
{
	struct gg_error err;
	int64_t rec = 0, plan = 0;

	gg_error_init(&err);
	if (unit_recognise(r->fx->db, r->set, 1, 11, 120000000, "2025-03-01", &rec, &plan, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	return plan;
}

static enum gg_err set(struct gg_db *db, int64_t plan, const char *name, const char *bank, const char *no,
                       struct gg_error *err)
{
	int64_t id = 0;

	gg_error_init(err);
	return gg_payee_set(db, &keys, &unit_officer, plan, name, bank, no, &id, err);
}

static void test_checks(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	struct gg_error err;
	int64_t plan = a_plan(r);
	static const char *const bad_accounts[] = {"",          "1234567",    "123456789012345678901234567890123",
	                                           "6222 0000", "6222-00001", "62220000x"};

	for (size_t i = 0; i < sizeof bad_accounts / sizeof bad_accounts[0]; i++) {
		assert_int_equal(set(db, plan, "甲", "光谷银行", bad_accounts[i], &err), GG_E_INVALID);
		assert_string_equal(err.fields[0].field, "account_no");
	}
	assert_int_equal(set(db, plan, "", "光谷银行", "62220000", &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "payee_name");
	assert_int_equal(set(db, plan, "甲", "", "62220000", &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "bank");
	assert_int_equal(set(db, plan, "甲\n", "x", "62220000", &err), GG_E_INVALID);
	assert_int_equal(set(db, 999, "甲", "光谷银行", "62220000", &err), GG_E_NOT_FOUND);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payees"), 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'payee.%'"), 0);
}

static void test_seal_mask_supersede_confirm(void **state)
{
	struct rfx *r = *state;
	struct gg_db *db = r->fx->db;
	const struct gg_actor talent = {0, "talent", NULL};
	struct gg_keys other;
	struct gg_payee p;
	struct gg_error err;
	struct gg_stmt *st = NULL;
	char account[GG_PAYEE_ACCOUNT_MAX + 1], mask[16];
	int64_t plan = a_plan(r), first;
	int row = 0;

	assert_int_equal(set(db, plan, "测试甲", "光谷银行", "6222000012345678", &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_payee_get(db, plan, &p, &err), GG_OK);
	first = p.id;
	assert_string_equal(p.last4, "5678");
	assert_int_equal(p.confirmed_at, 0);
	gg_payee_mask(p.last4, mask, sizeof mask);
	assert_string_equal(mask, "**** 5678");
	/* sealed: the number is nowhere in the row; it opens with the key, not with another */
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payees WHERE instr(CAST(account_sealed AS TEXT),"
	                                 " '6222000012345678') > 0"),
	                 0);
	assert_int_equal(gg_db_prepare(db, "SELECT account_sealed FROM payees WHERE id = 1", &st, &err), GG_OK);
	assert_int_equal(gg_db_step(st, &row, &err), GG_OK);
	{
		size_t len = 0;
		const void *blob = gg_db_col_blob(st, 0, &len);

		assert_int_equal(gg_payee_open(&keys, blob, len, account, sizeof account, &err), GG_OK);
		assert_string_equal(account, "6222000012345678");
		memset(other.data, 5, sizeof other.data);
		gg_error_init(&err);
		assert_int_equal(gg_payee_open(&other, blob, len, account, sizeof account, &err), GG_E_INTERNAL);
	}
	gg_db_done(st);
	/* unmasked read: audited */
	gg_error_init(&err);
	assert_int_equal(gg_payee_reveal(db, &keys, &unit_officer, plan, account, sizeof account, &err), GG_OK);
	assert_string_equal(account, "6222000012345678");
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'payee.reveal'"), 1);
	/* confirm, twice is a conflict */
	gg_error_init(&err);
	assert_int_equal(gg_payee_confirm(db, &talent, plan, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_payee_confirm(db, &talent, plan, &err), GG_E_CONFLICT);
	/* a new account supersedes the confirmed one and needs its own confirmation */
	assert_int_equal(set(db, plan, "测试甲", "光谷银行", "9555000011112222", &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_payee_get(db, plan, &p, &err), GG_OK);
	assert_true(p.id != first);
	assert_string_equal(p.last4, "2222");
	assert_int_equal(p.confirmed_at, 0);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM payees WHERE status = 'superseded'"), 1);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'payee.set'"), 2);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE action = 'payee.confirm'"), 1);
	assert_int_equal(unit_db_i64(db, "SELECT count(*) FROM audit_log WHERE changes LIKE '%9555000011112222%'"), 0);
	/* a plan no longer active takes no new account */
	unit_db_exec(db, "UPDATE subsidy_plans SET status = 'cancelled'");
	assert_int_equal(set(db, plan, "测试甲", "光谷银行", "9555000011113333", &err), GG_E_CONFLICT);
	/* a plan without a payee */
	gg_error_init(&err);
	assert_int_equal(gg_payee_confirm(db, &talent, 999, &err), GG_E_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_checks, setup, unit_recognition_teardown),
	    cmocka_unit_test_setup_teardown(test_seal_mask_supersede_confirm, setup, unit_recognition_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
