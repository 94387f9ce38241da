/*
 * Tests of loan (loan.h): requests through an active card (checks of
 * kind, enterprise, amount, term, purpose; another talent's card; a
 * revoked card), the bank's queue (its task, scoped to the bank), every
 * transition and its refusals (another bank as unknown, the talent may
 * not approve, decline needs a reason, withdraw only while requested),
 * allowed_actions, audit rows, and the lists by scope.
 */
#include "unit.h"

#include "core/clock.h"
#include "domain/loan.h"

#define ROWS                                                                                                                \
	"INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"                                          \
	" (1, '光谷测试科技', 'guang gu ce shi ke ji', 'leading_enterprise', 0, 0),"                                  \
	" (12, '汉口银行', 'han kou yin hang', 'bank', 0, 0), (13, '招商银行', 'zhao shang', 'bank', 0, 0);"        \
	"INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES"                      \
	" (7, 'olga', 'Olga', 'x', 0, 0), (9, 'comm', 'Comm', 'x', 0, 0);"                                                  \
	"INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, commissioner_id, created_at, updated_at) VALUES"        \
	" (1, '测试甲', 'ce shi jia', 'ceshijia', 1, 9, 0, 0), (2, '测试乙', 'ce shi yi', 'ceshiyi', 1, NULL, 0, 0);" \
	"INSERT INTO cards (id, talent_id, bank_id, status, tier, eligible, consent_hash, consent_at, applied_at,"          \
	" card_no, valid_from, valid_to, reason, updated_at) VALUES"                                                        \
	" (1, 1, 12, 'active', 'leading_talent', 1, printf('%064d', 0), 0, 0, '8156000000000018', '2026-01-01',"            \
	"  '2029-01-01', NULL, 0),"                                                                                         \
	" (2, 2, 13, 'revoked', 'high_level', 1, printf('%064d', 0), 0, 0, '8156000000000026', '2026-01-01',"               \
	"  '2029-01-01', 'lost', 0);"

static const struct gg_actor actor = {7, "olga", NULL};

struct lfx {
	char tmp[256];
	struct gg_db *db;
};

static struct gg_principal role(enum gg_role r, enum gg_scope_kind k, int64_t id, int64_t user)
{
	struct gg_principal p = {.kind = GG_AUTH_TOKEN, .user_id = user, .nroles = 1};

	p.roles[0] = (struct gg_role_grant){r, k, id};
	return p;
}

static int setup(void **state)
{
	struct lfx *f = calloc(1, sizeof(*f));
	struct gg_error err;
	char path[300];

	if (!f)
		return -1;
	setenv("GUANGGU_TEST_NOW", "2026-06-01T02:00:00Z", 1);
	unit_tmpdir(f->tmp, sizeof f->tmp);
	snprintf(path, sizeof path, "%s/g.db", f->tmp);
	gg_error_init(&err);
	if (unit_db_create(path, &f->db) != 0 || gg_db_exec(f->db, ROWS, &err) != GG_OK) {
		print_error("fixture: %s\n", gg_error_message(&err));
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct lfx *f = *state;

	unsetenv("GUANGGU_TEST_NOW");
	gg_db_close(f->db);
	unit_rmtree(f->tmp);
	free(f);
	return 0;
}

static void test_request(void **state)
{
	struct lfx *f = *state;
	struct gg_principal t1 = role(GG_ROLE_talent, GG_SCOPE_TALENT, 1, 20),
	                    t2 = role(GG_ROLE_talent, GG_SCOPE_TALENT, 2, 21),
	                    comm = role(GG_ROLE_commissioner, GG_SCOPE_NONE, 0, 9),
	                    bank = role(GG_ROLE_bank, GG_SCOPE_ORG, 12, 30);
	struct gg_loan_in in = {.card_id = 1, .kind = "car_loan", .org_id = 0, .amount_fen = 0, .term_months = 0};
	struct gg_loan l;
	struct gg_error err;
	int64_t id = 0;

	gg_error_init(&err);
	assert_int_equal(gg_loan_request(f->db, &actor, &t1, &in, &id, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 4);
	assert_string_equal(err.fields[0].field, "kind");
	assert_string_equal(err.fields[1].field, "amount");
	assert_string_equal(err.fields[2].field, "term_months");
	assert_string_equal(err.fields[3].field, "purpose");
	in = (struct gg_loan_in){
	    .card_id = 1, .kind = "enterprise_loan", .amount_fen = 50000000, .term_months = 36, .purpose = "扩大研发"};
	gg_error_init(&err);
	assert_int_equal(gg_loan_request(f->db, &actor, &t1, &in, &id, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "org_id");
	in.org_id = 99;
	gg_error_init(&err);
	assert_int_equal(gg_loan_request(f->db, &actor, &t1, &in, &id, &err), GG_E_INVALID);
	in.org_id = 1;
	/* another talent's card: as unknown; the bank may not request; a revoked card */
	gg_error_init(&err);
	assert_int_equal(gg_loan_request(f->db, &actor, &t2, &in, &id, &err), GG_E_NOT_FOUND);
	gg_error_init(&err);
	assert_int_equal(gg_loan_request(f->db, &actor, &bank, &in, &id, &err), GG_E_NOT_FOUND);
	in.card_id = 2;
	gg_error_init(&err);
	assert_int_equal(gg_loan_request(f->db, &actor, &t2, &in, &id, &err), GG_E_CONFLICT);
	in.card_id = 1;
	gg_error_init(&err);
	assert_int_equal(gg_loan_request(f->db, &actor, &comm, &in, &id, &err), GG_OK);
	assert_int_equal(gg_loan_get(f->db, id, &l, &err), GG_OK);
	assert_int_equal(l.status, GG_LOAN_REQUESTED);
	assert_int_equal(l.bank_id, 12);
	assert_string_equal(l.org, "光谷测试科技");
	assert_int_equal(l.amount_fen, 50000000);
	assert_int_equal(unit_db_i64(f->db,
	                             "SELECT count(*) FROM tasks WHERE kind = 'loan_request' AND closed_at IS NULL"
	                             " AND scope_kind = 'org' AND scope_id = 12"),
	                 1);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM audit_log WHERE action = 'loan.request'"), 1);
	assert_int_equal(gg_loan_allowed(&l, &t1), 1u << GG_LOANA_WITHDRAW);
	assert_int_equal(gg_loan_allowed(&l, &bank), (1u << GG_LOANA_ACCEPT) | (1u << GG_LOANA_DECLINE));
	assert_true(gg_loan_visible(&l, &comm));
	assert_false(gg_loan_visible(&l, &t2));
}

static void test_actions(void **state)
{
	struct lfx *f = *state;
	struct gg_principal t1 = role(GG_ROLE_talent, GG_SCOPE_TALENT, 1, 20),
	                    b12 = role(GG_ROLE_bank, GG_SCOPE_ORG, 12, 30),
	                    b13 = role(GG_ROLE_bank, GG_SCOPE_ORG, 13, 31),
	                    officer = role(GG_ROLE_bureau_officer, GG_SCOPE_NONE, 0, 7);
	struct gg_loan_in in = {
	    .card_id = 1, .kind = "talent_loan", .amount_fen = 30000000, .term_months = 12, .purpose = "购房首付"};
	struct gg_loan_query q = {.status = -1, .limit = 50};
	struct gg_loan *list = NULL, l;
	struct gg_error err;
	int64_t a = 0, b = 0, c = 0;
	size_t n = 0;
	int more = 0;

	gg_error_init(&err);
	assert_int_equal(gg_loan_request(f->db, &actor, &t1, &in, &a, &err), GG_OK);
	assert_int_equal(gg_loan_request(f->db, &actor, &t1, &in, &b, &err), GG_OK);
	assert_int_equal(gg_loan_request(f->db, &actor, &t1, &in, &c, &err), GG_OK);
	/* another bank: as unknown; the talent may not accept; approve before accept */
	assert_int_equal(gg_loan_act(f->db, &actor, &b13, a, GG_LOANA_ACCEPT, NULL, 0, &err), GG_E_NOT_FOUND);
	gg_error_init(&err);
	assert_int_equal(gg_loan_act(f->db, &actor, &t1, a, GG_LOANA_ACCEPT, NULL, 0, &err), GG_E_FORBIDDEN);
	gg_error_init(&err);
	assert_int_equal(gg_loan_act(f->db, &actor, &b12, a, GG_LOANA_APPROVE, NULL, 0, &err), GG_E_CONFLICT);
	gg_error_init(&err);
	assert_int_equal(gg_loan_act(f->db, &actor, &b12, a, GG_LOANA_ACCEPT, NULL, 7, &err), GG_E_STALE);
	gg_error_init(&err);
	assert_int_equal(gg_loan_act(f->db, &actor, &b12, a, GG_LOANA_ACCEPT, NULL, 1, &err), GG_OK);
	assert_int_equal(gg_loan_act(f->db, &actor, &t1, a, GG_LOANA_WITHDRAW, NULL, 0, &err), GG_E_CONFLICT);
	gg_error_init(&err);
	assert_int_equal(gg_loan_act(f->db, &actor, &b12, a, GG_LOANA_APPROVE, NULL, 0, &err), GG_OK);
	assert_int_equal(gg_loan_get(f->db, a, &l, &err), GG_OK);
	assert_int_equal(l.status, GG_LOAN_APPROVED);
	assert_int_equal(l.decided_by, 7);
	assert_int_equal(l.version, 3);
	assert_int_equal(gg_loan_allowed(&l, &b12), 0);
	/* decline needs a reason */
	assert_int_equal(gg_loan_act(f->db, &actor, &b12, b, GG_LOANA_DECLINE, "", 0, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "reason");
	gg_error_init(&err);
	assert_int_equal(gg_loan_act(f->db, &actor, &b12, b, GG_LOANA_DECLINE, "收入证明不足", 0, &err), GG_OK);
	assert_int_equal(gg_loan_get(f->db, b, &l, &err), GG_OK);
	assert_string_equal(l.reason, "收入证明不足");
	assert_int_equal(gg_loan_act(f->db, &actor, &t1, c, GG_LOANA_WITHDRAW, NULL, 0, &err), GG_OK);
	assert_int_equal(
	    unit_db_i64(f->db, "SELECT count(*) FROM tasks WHERE kind = 'loan_request' AND closed_at IS NULL"), 0);
	assert_int_equal(unit_db_i64(f->db, "SELECT count(*) FROM audit_log WHERE action IN ('loan.accept',"
	                                    " 'loan.approve', 'loan.decline', 'loan.withdraw')"),
	                 4);
	/* lists: the bank its own, another bank none, the talent its own, the officer all */
	gg_loan_scope(&b12, &q);
	assert_int_equal(gg_loan_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 3);
	free(list);
	gg_loan_scope(&b13, &q);
	assert_int_equal(gg_loan_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 0);
	free(list);
	gg_loan_scope(&officer, &q);
	q.status = GG_LOAN_DECLINED;
	assert_int_equal(gg_loan_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, b);
	free(list);
	gg_loan_scope(&t1, &q);
	q.status = -1;
	q.limit = 2;
	assert_int_equal(gg_loan_list(f->db, &q, &list, &n, &more, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(more, 1);
	free(list);
	assert_string_equal(gg_loan_status_token(GG_LOAN_WITHDRAWN), "withdrawn");
	assert_int_equal(gg_loan_status_lookup("accepted"), GG_LOAN_ACCEPTED);
	assert_string_equal(gg_loan_action_token(GG_LOANA_DECLINE), "decline");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_request, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_actions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
