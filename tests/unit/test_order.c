/*
 * test_order: recruitment orders and the real-time recognition of their
 * hires on a migrated SQLite database with the shipped policy pack
 * (policy/optics-valley-2024.yaml, in force from 2024-01-01). Issuing
 * checks every field at once and writes one order.create row; closing
 * takes only an open order. A hire is registered, the order filled, and
 * DOMAIN.md's worked examples hold: 1,200,000 gives 3 x 600,000;
 * 999,999.99 is not recognised but the hire is registered; 1,000,000
 * gives 3 x 500,000; 8,000,000 gives 4,000,000, 4,000,000 and the cap's
 * 2,000,000; 1,000,000.01 gives 500,000.01 first (half up). An employer
 * that is neither a leading enterprise nor an R&D unit recognises no one,
 * and a talent with an active formula plan is recognised again without a
 * second plan. The refusals (a start before the policy, a closed or
 * filled order, an unknown or merged talent, malformed amounts, dates and
 * terms) leave nothing written. Scopes: an employer's orders are its
 * organisation's.
 */
#include "unit.h"

#include "core/clock.h"
#include "domain/audit.h"
#include "domain/order.h"
#include "domain/policyset.h"
#include "domain/role.h"
#include "domain/vocabulary.h"
#include "store/db.h"
#include "store/migrate.h"

#define T0 1795680000LL /* 2026-11-26T08:00:00Z */

enum { ORG_LEADING = 1, ORG_RD = 2, ORG_PLATFORM = 3 };

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
	struct gg_vocabulary *vocab;
	struct gg_policyset *set;
};

static const struct gg_actor officer = {7, "officer", "req-7"};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct gg_error err;
	char now[32];

	if (!fx)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/order.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	snprintf(now, sizeof now, "%lld", T0);
	setenv("GUANGGU_TEST_NOW", now, 1);
	gg_error_init(&err);
	if (gg_db_exec(fx->db,
	               "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES"
	               " (1, '光谷示例光电', 'guang gu shi li guang dian', 'leading_enterprise', 0, 0),"
	               " (2, '江城示例研究院', 'jiang cheng shi li yan jiu yuan', 'rd_unit', 0, 0),"
	               " (3, '东湖示例平台', 'dong hu shi li ping tai', 'platform', 0, 0);"
	               "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES"
	               " (7, 'officer', 'Officer', 'x', 0, 0);"
	               "INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at) VALUES"
	               " (1, '艾思远', 'ai si yuan', 'aisiyuan', 1, 0, 0),"
	               " (2, '柏文澜', 'bai wen lan', 'baiwenlan', 1, 0, 0),"
	               " (3, '岑晓舟', 'cen xiao zhou', 'cenxiaozhou', 2, 0, 0),"
	               " (4, '邓一鸣', 'deng yi ming', 'dengyiming', 2, 0, 0),"
	               " (5, '范若溪', 'fan ruo xi', 'fanruoxi', 1, 0, 0),"
	               " (6, '顾远航', 'gu yuan hang', 'guyuanhang', 3, 0, 0),"
	               " (7, '何清和', 'he qing he', 'heqinghe', 1, 0, 0);"
	               "INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, merged_into, created_at, updated_at)"
	               " VALUES (8, '艾思远', 'ai si yuan', 'aisiyuan', 1, 1, 0, 0)",
	               &err) != GG_OK ||
	    gg_vocab_load(fx->db, &fx->vocab, &err) != GG_OK ||
	    gg_policyset_load("policy", fx->vocab, &fx->set, &err) != GG_OK) {
		print_error("fixture: %s\n", gg_error_message(&err));
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	gg_policyset_free(fx->set);
	gg_vocab_free(fx->vocab);
	gg_db_close(fx->db);
	unit_rmtree(fx->dir);
	free(fx);
	unsetenv("GUANGGU_TEST_NOW");
	return 0;
}

static int64_t count(struct fixture *fx, const char *table)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return unit_db_i64(fx->db, sql);
}

static int64_t issue(struct fixture *fx, int64_t org, const char *title, const char *salary)
{
	const struct gg_order_new in = {org, title, "optical_communication", salary, "负责相干光模块的研发"};
	struct gg_error err;
	int64_t id = 0;

	gg_error_init(&err);
	if (gg_order_issue(fx->db, &officer, &in, &id, &err) != GG_OK)
		fail_msg("issue: %s", gg_error_message(&err));
	assert_true(id > 0);
	return id;
}

/* Hires talent into order under contract; returns the code, the result in *res (released by the caller). */
static enum gg_err hire(struct fixture *fx, int64_t order, int64_t talent, const char *contract, const char *start,
                        int term, struct gg_hire_result *res, struct gg_error *err)
{
	const struct gg_hire_new in = {order, talent, contract, start, term};

	gg_error_init(err);
	return gg_order_hire(fx->db, fx->set, &officer, &in, res, err);
}

/* The installments of the plan of res as "year:amount_fen:due_on:status" lines. */
static void installments(struct fixture *fx, int64_t plan, char *out, size_t outsz)
{
	char sql[256];

	snprintf(sql, sizeof sql,
	         "SELECT group_concat(year || ':' || amount_fen || ':' || due_on || ':' || status, ' ') FROM"
	         " (SELECT * FROM installments WHERE plan_id = %lld ORDER BY year)",
	         (long long)plan);
	unit_db_text(fx->db, sql, out, outsz);
}

static void test_issue_and_close(void **state)
{
	struct fixture *fx = *state;
	struct gg_order *o = NULL;
	struct gg_error err;
	char buf[512];
	int64_t audits = count(fx, "audit_log"), id;

	const struct gg_order_new in = {ORG_LEADING, "  首席科学家（光通信）  ", "光通信", "1200000.00", NULL};
	gg_error_init(&err);
	assert_int_equal(gg_order_issue(fx->db, &officer, &in, &id, &err), GG_OK);
	assert_int_equal(gg_order_get(fx->db, id, &o, &err), GG_OK);
	assert_string_equal(o->title, "首席科学家(光通信)"); /* NFKC, trimmed */
	assert_string_equal(o->segment, "optical_communication");
	assert_int_equal(o->salary_fen, 120000000);
	assert_null(o->description);
	assert_int_equal(o->status, GG_ORDER_OPEN);
	assert_string_equal(o->org_name, "光谷示例光电");
	assert_int_equal(o->created_by, 7);
	assert_int_equal(o->created_at, T0);
	assert_int_equal(o->closed_at, 0);
	assert_null(o->hire);
	gg_order_free(o);
	assert_int_equal(count(fx, "audit_log"), audits + 1);
	unit_db_text(fx->db, "SELECT action || ' ' || entity || ' ' || changes FROM audit_log ORDER BY id DESC LIMIT 1",
	             buf, sizeof buf);
	assert_non_null(strstr(buf, "order.create order "));
	assert_non_null(strstr(buf, "1200000.00"));

	/* every problem at once, nothing written */
	const struct gg_order_new bad = {99, "", "no_such_segment", "1200000.001", NULL};
	gg_error_init(&err);
	assert_int_equal(gg_order_issue(fx->db, &officer, &bad, &id, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 2); /* title and salary before the database is asked */
	assert_string_equal(err.fields[0].field, "title");
	assert_string_equal(err.fields[1].field, "salary");
	const struct gg_order_new bad2 = {99, "岗位", "no_such_segment", "1200000", NULL};
	gg_error_init(&err);
	assert_int_equal(gg_order_issue(fx->db, &officer, &bad2, &id, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 2);
	assert_string_equal(err.fields[0].field, "org_id");
	assert_non_null(strstr(err.fields[0].message, "unknown organisation 99"));
	assert_string_equal(err.fields[1].field, "segment");
	static const char *const salaries[] = {"-1", "0", "1e6", "1,000,000", "1200000.123", "", " 1", "0.00"};
	for (size_t i = 0; i < sizeof salaries / sizeof salaries[0]; i++) {
		const struct gg_order_new b = {ORG_LEADING, "岗位", "lasers", salaries[i], NULL};
		gg_error_init(&err);
		assert_int_equal(gg_order_issue(fx->db, &officer, &b, &id, &err), GG_E_INVALID);
		assert_string_equal(err.fields[0].field, "salary");
	}
	char longtitle[4 * 201 + 1] = "";
	for (int i = 0; i < 201; i++)
		strcat(longtitle, "岗");
	const struct gg_order_new b3 = {ORG_LEADING, longtitle, "lasers", "1", NULL};
	gg_error_init(&err);
	assert_int_equal(gg_order_issue(fx->db, &officer, &b3, &id, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "title");
	assert_int_equal(count(fx, "orders"), 1);
	assert_int_equal(count(fx, "audit_log"), audits + 1);

	/* close: open only; once */
	id = issue(fx, ORG_RD, "研究员", "800000");
	gg_error_init(&err);
	assert_int_equal(gg_order_close(fx->db, &officer, id, &err), GG_OK);
	assert_int_equal(gg_order_get(fx->db, id, &o, &err), GG_OK);
	assert_int_equal(o->status, GG_ORDER_CLOSED);
	assert_int_equal(o->closed_at, T0);
	assert_int_equal(o->closed_by, 7);
	assert_int_equal(o->version, 2);
	gg_order_free(o);
	gg_error_init(&err);
	assert_int_equal(gg_order_close(fx->db, &officer, id, &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "closed"));
	gg_error_init(&err);
	assert_int_equal(gg_order_close(fx->db, &officer, 999, &err), GG_E_NOT_FOUND);
	assert_string_equal(err.message, "unknown order 999");
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'order.close'"), 1);

	/* the demo's finder */
	int64_t found = 0;
	assert_int_equal(gg_order_find(fx->db, ORG_RD, "研究员", &found, &err), GG_OK);
	assert_int_equal(found, id);
	assert_int_equal(gg_order_find(fx->db, ORG_LEADING, "研究员", &found, &err), GG_OK);
	assert_int_equal(found, 0);
}

struct example {
	const char *salary;
	int64_t org;
	int64_t talent;
	int recognised;
	const char *installments; /* NULL: no plan */
	int64_t total_fen;
};

static void test_worked_examples(void **state)
{
	static const struct example ex[] = {
	    {"1200000.00", ORG_LEADING, 1, 1,
	     "1:60000000:2025-03-01:planned 2:60000000:2026-03-01:planned 3:60000000:2027-03-01:planned", 180000000},
	    {"999999.99", ORG_LEADING, 2, 0, NULL, 0},
	    {"1000000", ORG_RD, 3, 1,
	     "1:50000000:2025-03-01:planned 2:50000000:2026-03-01:planned 3:50000000:2027-03-01:planned", 150000000},
	    {"8000000", ORG_RD, 4, 1,
	     "1:400000000:2025-03-01:planned 2:400000000:2026-03-01:planned 3:200000000:2027-03-01:planned",
	     1000000000},
	    {"1000000.01", ORG_LEADING, 5, 1,
	     "1:50000001:2025-03-01:planned 2:50000001:2026-03-01:planned 3:50000001:2027-03-01:planned", 150000003},
	    /* a platform is not an eligible employer: the hire is registered, no one recognised */
	    {"2000000", ORG_PLATFORM, 6, 0, NULL, 0},
	};
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		struct gg_hire_result res;
		struct gg_order *o = NULL;
		struct gg_error err;
		char buf[512], sql[256];
		int64_t order = issue(fx, ex[i].org, "首席科学家", ex[i].salary);
		int64_t audits = count(fx, "audit_log"), recs = count(fx, "recognitions"),
		        plans = count(fx, "subsidy_plans");

		assert_int_equal(hire(fx, order, ex[i].talent, ex[i].salary, "2024-03-01", 5, &res, &err), GG_OK);
		assert_true(res.hire_id > 0);
		assert_int_equal(res.decision.recognised, ex[i].recognised);
		assert_string_equal(res.pack, "optics-valley-2024");
		assert_string_equal(res.version, "2024.1");
		assert_int_equal(res.decision.total_fen, ex[i].total_fen);
		assert_non_null(strstr(res.decision.trace.buf, "optics-valley-2024"));
		assert_int_equal(gg_order_get(fx->db, order, &o, &err), GG_OK);
		assert_int_equal(o->status, GG_ORDER_FILLED);
		assert_int_equal(o->closed_at, T0);
		assert_int_equal(o->closed_by, 0);
		assert_non_null(o->hire);
		assert_int_equal(o->hire->id, res.hire_id);
		assert_int_equal(o->hire->talent_id, ex[i].talent);
		assert_string_equal(o->hire->start_on, "2024-03-01");
		assert_int_equal(o->hire->term_years, 5);
		assert_int_equal(o->hire->recognised, ex[i].recognised);
		assert_int_equal(o->hire->recognition_id, res.recognition_id);
		gg_order_free(o);
		snprintf(sql, sizeof sql,
		         "SELECT COUNT(*) FROM audit_log WHERE (action = 'hire.create' AND entity = 'hire' AND "
		         "entity_id = %lld)"
		         " OR (action = 'order.fill' AND entity = 'order' AND entity_id = %lld)",
		         (long long)res.hire_id, (long long)order);
		assert_int_equal(unit_db_i64(fx->db, sql), 2);
		if (!ex[i].recognised) {
			assert_int_equal(res.recognition_id, 0);
			assert_int_equal(res.plan_id, 0);
			assert_int_equal(res.decision.ninst, 0);
			assert_int_equal(count(fx, "recognitions"), recs);
			assert_int_equal(count(fx, "subsidy_plans"), plans);
			assert_int_equal(count(fx, "audit_log"), audits + 2);
		} else {
			assert_true(res.recognition_id > 0);
			assert_true(res.plan_id > 0);
			assert_string_equal(res.decision.tier, "leading_talent");
			installments(fx, res.plan_id, buf, sizeof buf);
			assert_string_equal(buf, ex[i].installments);
			snprintf(sql, sizeof sql,
			         "SELECT basis || ' ' || source_id || ' ' || org_id || ' ' || pack || ' ' || version "
			         "|| ' ' ||"
			         " effective_on || ' ' || tier FROM recognitions WHERE id = %lld",
			         (long long)res.recognition_id);
			unit_db_text(fx->db, sql, buf, sizeof buf);
			snprintf(sql, sizeof sql, "order %lld %lld optics-valley-2024 2024.1 2024-03-01 leading_talent",
			         (long long)res.hire_id, (long long)ex[i].org);
			assert_string_equal(buf, sql);
			snprintf(sql, sizeof sql, "SELECT total_fen FROM subsidy_plans WHERE id = %lld",
			         (long long)res.plan_id);
			assert_int_equal(unit_db_i64(fx->db, sql), ex[i].total_fen);
			snprintf(sql, sizeof sql, "SELECT trace FROM recognitions WHERE id = %lld",
			         (long long)res.recognition_id);
			unit_db_text(fx->db, sql, buf, sizeof buf);
			assert_non_null(strstr(buf, ">= threshold 1,000,000.00"));
			snprintf(sql, sizeof sql, "SELECT tier FROM talents WHERE id = %lld", (long long)ex[i].talent);
			unit_db_text(fx->db, sql, buf, sizeof buf);
			assert_string_equal(buf, "leading_talent");
		}
		gg_hire_result_release(&res);
	}
	/* the policy version that decided was stamped on first use */
	assert_int_equal(
	    unit_db_i64(
	        fx->db,
	        "SELECT COUNT(*) FROM policy_versions WHERE pack = 'optics-valley-2024' AND version = '2024.1'"),
	    1);
}

static void test_one_entitlement(void **state)
{
	struct fixture *fx = *state;
	struct gg_hire_result first, second;
	struct gg_error err;
	int64_t a = issue(fx, ORG_LEADING, "首席科学家", "1200000"), b = issue(fx, ORG_RD, "研究院院长", "2000000");

	assert_int_equal(hire(fx, a, 7, "1200000", "2024-03-01", 3, &first, &err), GG_OK);
	assert_true(first.plan_id > 0);
	/* the same talent moves on: recognised again, the trace says why there is no second plan */
	assert_int_equal(hire(fx, b, 7, "2000000", "2025-01-01", 3, &second, &err), GG_OK);
	assert_int_equal(second.decision.recognised, 1);
	assert_true(second.recognition_id > 0 && second.recognition_id != first.recognition_id);
	assert_int_equal(second.plan_id, 0);
	assert_int_equal(second.active_plan_id, first.plan_id);
	assert_int_equal(second.decision.ninst, 0);
	assert_int_equal(second.decision.total_fen, 0);
	assert_non_null(strstr(second.decision.trace.buf, "no second plan"));
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM subsidy_plans WHERE talent_id = 7"), 1);
	gg_hire_result_release(&first);
	gg_hire_result_release(&second);
}

/* Snapshot of what a refused hire must not change. */
struct snapshot {
	int64_t audit, hires, recognitions, plans, installments, open;
};

static void snap(struct fixture *fx, struct snapshot *s)
{
	s->audit = count(fx, "audit_log");
	s->hires = count(fx, "hires");
	s->recognitions = count(fx, "recognitions");
	s->plans = count(fx, "subsidy_plans");
	s->installments = count(fx, "installments");
	s->open = unit_db_i64(fx->db, "SELECT COUNT(*) FROM orders WHERE status = 'open'");
}

static void assert_unchanged(struct fixture *fx, const struct snapshot *before)
{
	struct snapshot now;

	snap(fx, &now);
	assert_memory_equal(&now, before, sizeof now);
}

static void test_refusals_write_nothing(void **state)
{
	struct fixture *fx = *state;
	struct gg_hire_result res;
	struct gg_error err;
	struct snapshot before;
	int64_t order = issue(fx, ORG_LEADING, "首席科学家", "1200000"), closed = issue(fx, ORG_LEADING, "已关闭", "1");

	gg_error_init(&err);
	assert_int_equal(gg_order_close(fx->db, &officer, closed, &err), GG_OK);
	snap(fx, &before);

	/* a start before any version of the policy */
	assert_int_equal(hire(fx, order, 1, "1200000", "2023-06-01", 3, &res, &err), GG_E_RULE);
	assert_true(err.nfields >= 1);
	assert_string_equal(err.fields[0].field, "start_on");
	assert_non_null(strstr(gg_error_message(&err), "2023-06-01"));
	gg_hire_result_release(&res);
	assert_unchanged(fx, &before);

	/* a closed order; an unknown one */
	assert_int_equal(hire(fx, closed, 1, "1200000", "2024-03-01", 3, &res, &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "closed"));
	gg_hire_result_release(&res);
	assert_int_equal(hire(fx, 999, 1, "1200000", "2024-03-01", 3, &res, &err), GG_E_NOT_FOUND);
	gg_hire_result_release(&res);

	/* an unknown talent, a merged one */
	assert_int_equal(hire(fx, order, 999, "1200000", "2024-03-01", 3, &res, &err), GG_E_INVALID);
	assert_string_equal(err.fields[0].field, "talent_id");
	assert_non_null(strstr(err.fields[0].message, "unknown talent 999"));
	gg_hire_result_release(&res);
	assert_int_equal(hire(fx, order, 8, "1200000", "2024-03-01", 3, &res, &err), GG_E_INVALID);
	assert_non_null(strstr(err.fields[0].message, "merged into talent 1"));
	gg_hire_result_release(&res);

	/* malformed input, every problem named */
	static const struct {
		const char *salary, *start;
		int term;
		const char *field;
	} bad[] = {
	    {"1200000.001", "2024-03-01", 3, "contract_salary"},
	    {"-1200000", "2024-03-01", 3, "contract_salary"},
	    {"1.2e6", "2024-03-01", 3, "contract_salary"},
	    {"0", "2024-03-01", 3, "contract_salary"},
	    {NULL, "2024-03-01", 3, "contract_salary"},
	    {"1200000", "2024-02-30", 3, "start_on"},
	    {"1200000", "2024-3-1", 3, "start_on"},
	    {"1200000", NULL, 3, "start_on"},
	    {"1200000", "2024-03-01", 0, "term_years"},
	    {"1200000", "2024-03-01", 11, "term_years"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(hire(fx, order, 1, bad[i].salary, bad[i].start, bad[i].term, &res, &err),
		                 GG_E_INVALID);
		assert_int_equal(err.nfields, 1);
		assert_string_equal(err.fields[0].field, bad[i].field);
		gg_hire_result_release(&res);
	}
	assert_int_equal(hire(fx, order, 0, "x", "y", 99, &res, &err), GG_E_INVALID);
	assert_int_equal(err.nfields, 4);
	gg_hire_result_release(&res);
	assert_unchanged(fx, &before);

	/* the order is still open and takes its hire; then it is filled */
	assert_int_equal(hire(fx, order, 1, "1200000", "2024-03-01", 3, &res, &err), GG_OK);
	gg_hire_result_release(&res);
	assert_int_equal(hire(fx, order, 2, "1200000", "2024-03-01", 3, &res, &err), GG_E_CONFLICT);
	assert_non_null(strstr(err.message, "filled"));
	gg_hire_result_release(&res);
	gg_error_init(&err);
	assert_int_equal(gg_order_close(fx->db, &officer, order, &err), GG_E_CONFLICT);
}

static void principal(struct gg_principal *pr, enum gg_role role, enum gg_scope_kind sk, int64_t sid)
{
	memset(pr, 0, sizeof *pr);
	pr->kind = GG_AUTH_SESSION;
	pr->user_id = 7;
	pr->nroles = 1;
	pr->roles[0].role = role;
	pr->roles[0].scope_kind = sk;
	pr->roles[0].scope_id = sid;
}

static size_t list(struct fixture *fx, struct gg_order_query *q, int64_t *ids, size_t max, int *more)
{
	struct gg_order **v = NULL;
	struct gg_error err;
	size_t n = 0;

	gg_error_init(&err);
	if (gg_order_list(fx->db, q, &v, &n, more, &err) != GG_OK)
		fail_msg("list: %s", gg_error_message(&err));
	assert_true(n <= max);
	for (size_t i = 0; i < n; i++)
		ids[i] = v[i]->id;
	gg_order_list_free(v, n);
	return n;
}

static void test_scope_and_list(void **state)
{
	struct fixture *fx = *state;
	struct gg_principal pr;
	struct gg_order_query q;
	int64_t ids[16], a = issue(fx, ORG_LEADING, "一", "1"), b = issue(fx, ORG_RD, "二", "1"),
	                 c = issue(fx, ORG_LEADING, "三", "1");
	struct gg_error err;
	int more = -1;

	gg_error_init(&err);
	assert_int_equal(gg_order_close(fx->db, &officer, c, &err), GG_OK);

	principal(&pr, GG_ROLE_employer, GG_SCOPE_ORG, ORG_LEADING);
	memset(&q, 0, sizeof q);
	gg_order_scope(&pr, GG_PERM_orders_read, &q.scope);
	assert_int_equal(q.scope.unscoped, 0);
	assert_int_equal(q.scope.norgs, 1);
	assert_true(gg_order_scope_has(&q.scope, ORG_LEADING));
	assert_false(gg_order_scope_has(&q.scope, ORG_RD));
	q.status = -1;
	q.limit = 16;
	assert_int_equal(list(fx, &q, ids, 16, &more), 2);
	assert_int_equal(ids[0], c); /* newest first */
	assert_int_equal(ids[1], a);
	assert_int_equal(more, 0);
	q.status = GG_ORDER_OPEN;
	assert_int_equal(list(fx, &q, ids, 16, &more), 1);
	assert_int_equal(ids[0], a);

	/* unscoped readers: the bureau, finance, leaders; paging newest first */
	principal(&pr, GG_ROLE_finance, GG_SCOPE_NONE, 0);
	gg_order_scope(&pr, GG_PERM_orders_read, &q.scope);
	assert_int_equal(q.scope.unscoped, 1);
	q.status = -1;
	q.limit = 2;
	assert_int_equal(list(fx, &q, ids, 16, &more), 2);
	assert_int_equal(ids[0], c);
	assert_int_equal(ids[1], b);
	assert_int_equal(more, 1);
	q.before_id = ids[1];
	assert_int_equal(list(fx, &q, ids, 16, &more), 1);
	assert_int_equal(ids[0], a);
	assert_int_equal(more, 0);
	q.before_id = 0;
	q.limit = 16;
	q.org_id = ORG_RD;
	assert_int_equal(list(fx, &q, ids, 16, &more), 1);
	assert_int_equal(ids[0], b);

	/* finance reads but does not write; a talent reads no order; an employer writes for its own */
	gg_order_scope(&pr, GG_PERM_orders_write, &q.scope);
	assert_false(q.scope.unscoped);
	assert_int_equal(q.scope.norgs, 0);
	principal(&pr, GG_ROLE_talent, GG_SCOPE_TALENT, 1);
	gg_order_scope(&pr, GG_PERM_orders_read, &q.scope);
	assert_false(q.scope.unscoped);
	assert_int_equal(list(fx, &q, ids, 16, &more), 0);
	principal(&pr, GG_ROLE_employer, GG_SCOPE_ORG, ORG_RD);
	gg_order_scope(&pr, GG_PERM_orders_write, &q.scope);
	assert_true(gg_order_scope_has(&q.scope, ORG_RD));
	assert_false(gg_order_scope_has(&q.scope, ORG_LEADING));

	assert_int_equal(gg_order_status_lookup("filled"), GG_ORDER_FILLED);
	assert_int_equal(gg_order_status_lookup("nope"), -1);
	assert_string_equal(gg_order_status_token(GG_ORDER_CLOSED), "closed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_issue_and_close, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_worked_examples, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_entitlement, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refusals_write_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope_and_list, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
