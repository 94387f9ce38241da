/*
 * test_demo: the synthetic generator and the demo set. The generator must
 * be deterministic (the same seed and index give the same record, another
 * seed other records), its identifiers valid (every resident id passes
 * GB 11643 with the record's birth date, every credit code GB 32100) and
 * unique within a seed, its names drawn by surname frequency. The demo set
 * is loaded into a migrated database twice: the first load creates the
 * records, the second changes nothing, and the real people of the article
 * carry no personal identifier. The demo accounts: one per role, scoped
 * to demo records, logging in with the password the load hands back,
 * created once. The recruitment orders: issued and hired through order.c
 * under the shipped policy pack, their recognitions and plans DOMAIN.md's
 * worked examples, issued once. With the policy packs, also the
 * recruitment list's recommendations (one in each state) and a strategic
 * decision, made once.
 */
#include "unit.h"

#include <ctype.h>

#include "core/buf.h"
#include "core/chinese.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/csv.h"
#include "domain/demo.h"
#include "domain/ident.h"
#include "domain/org.h"
#include "domain/policyset.h"
#include "domain/vocabulary.h"
#include "domain/session.h"
#include "domain/talent.h"
#include "store/db.h"
#include "store/migrate.h"

#define NPEOPLE 60000

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when the n strings of v (sorted here) are all different; names a repeat on failure. */
static int all_distinct(char **v, size_t n, const char *what)
{
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t k = 1; k < n; k++) {
		if (strcmp(v[k - 1], v[k]) == 0) {
			print_error("%s repeats: %s\n", what, v[k]);
			return 0;
		}
	}
	return 1;
}

static void test_person_is_deterministic(void **state)
{
	struct gg_demo_person a, b, c;
	size_t differ = 0;

	(void)state;
	for (uint64_t i = 0; i < 2000; i += 7) {
		gg_demo_synth_person(42, i, &a);
		gg_demo_synth_person(42, i, &b);
		assert_string_equal(a.name, b.name);
		assert_string_equal(a.doc_number, b.doc_number);
		assert_string_equal(a.birth_date, b.birth_date);
		assert_string_equal(a.phone, b.phone);
		assert_string_equal(a.email, b.email);
		assert_int_equal(a.org, b.org);
		assert_ptr_equal(a.tier, b.tier);
		assert_ptr_equal(a.status, b.status);
		assert_int_equal(a.nhonours, b.nhonours);
		gg_demo_synth_person(43, i, &c);
		differ += strcmp(a.doc_number, c.doc_number) != 0 && strcmp(a.phone, c.phone) != 0;
	}
	/* another seed: other people (every one of them, identifiers being a bijection with an offset) */
	assert_true(differ > 280);
}

static void test_identifiers_are_valid_and_unique(void **state)
{
	char **docs = calloc(NPEOPLE, sizeof(char *)), **phones = calloc(NPEOPLE, sizeof(char *));
	char **emails = calloc(NPEOPLE, sizeof(char *));
	struct gg_demo_person p;
	struct gg_error err;

	(void)state;
	assert_non_null(docs);
	assert_non_null(phones);
	assert_non_null(emails);
	for (uint64_t i = 0; i < NPEOPLE; i++) {
		gg_demo_synth_person(7, i, &p);
		gg_error_init(&err);
		if (gg_ident_check_resident_id(p.doc_number, p.birth_date, "doc", &err) != GG_OK) {
			print_error("person %llu: %s: %s\n", (unsigned long long)i, p.doc_number,
			            gg_error_message(&err));
			fail();
		}
		/* GB 11643: the 17th character is odd for a man */
		assert_int_equal((p.doc_number[16] - '0') % 2 == 1, strcmp(p.gender, "male") == 0);
		assert_true(strcmp(p.birth_date, "1955-01-01") >= 0 && strcmp(p.birth_date, "1999-12-31") <= 0);
		/* the sequence numbers 900-999 belong to the demo people */
		assert_true(p.doc_number[14] != '9');
		assert_int_equal(strlen(p.phone), 11);
		assert_int_equal(p.phone[0], '1');
		assert_true(p.phone[1] >= '3' && p.phone[1] <= '9');
		for (int k = 0; k < 11; k++)
			assert_true(isdigit((unsigned char)p.phone[k]));
		assert_true(strstr(p.email, "@example.com") != NULL || strstr(p.email, "@example.cn") != NULL);
		assert_true(p.org < GG_DEMO_SYNTH_ORGS);
		assert_int_equal(p.nsegments, 1);
		assert_true(p.nfields >= 1 && p.nkeywords >= 1);
		assert_non_null(p.city);
		assert_non_null(p.status);
		for (size_t h = 0; h < p.nhonours; h++)
			assert_true(p.honours[h].year >= atoi(p.birth_date) + 25 && p.honours[h].year <= 2025);
		docs[i] = strdup(p.doc_number);
		phones[i] = strdup(p.phone);
		emails[i] = strdup(p.email);
		assert_non_null(docs[i]);
		assert_non_null(phones[i]);
		assert_non_null(emails[i]);
	}
	assert_true(all_distinct(docs, NPEOPLE, "resident id"));
	assert_true(all_distinct(phones, NPEOPLE, "phone"));
	assert_true(all_distinct(emails, NPEOPLE, "e-mail"));
	for (size_t i = 0; i < NPEOPLE; i++) {
		free(docs[i]);
		free(phones[i]);
		free(emails[i]);
	}
	free(docs);
	free(phones);
	free(emails);
}

static void test_surnames_follow_their_frequency(void **state)
{
	struct gg_demo_person p;
	int wang = 0, li = 0, tang = 0, compound = 0, two = 0;
	const int n = 50000;

	(void)state;
	for (int i = 0; i < n; i++) {
		gg_demo_synth_person(1, (uint64_t)i, &p);
		if (strncmp(p.name, "王", 3) == 0)
			wang++;
		else if (strncmp(p.name, "李", 3) == 0)
			li++;
		else if (strncmp(p.name, "汤", 3) == 0)
			tang++;
		else if (strncmp(p.name, "欧阳", 6) == 0 || strncmp(p.name, "司马", 6) == 0)
			compound++;
		two += strlen(p.name) == 6;
	}
	/* 王 about 7 %, 李 about 7 %, 汤 about 0.1 %, compound surnames rare, a third of names two characters */
	assert_true(wang > n * 6 / 100 && wang < n * 9 / 100);
	assert_true(li > n * 6 / 100 && li < n * 9 / 100);
	assert_true(tang > 0 && tang < n / 200);
	assert_true(compound < n / 500);
	assert_true(two > n / 5 && two < n / 2);
}

static void test_orgs_are_valid_and_unique(void **state)
{
	char *names[GG_DEMO_SYNTH_ORGS], *codes[GG_DEMO_SYNTH_ORGS];
	struct gg_demo_org o, again;
	struct gg_error err;

	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++) {
		for (size_t i = 0; i < GG_DEMO_SYNTH_ORGS; i++) {
			gg_demo_synth_org(seed, i, &o);
			gg_demo_synth_org(seed, i, &again);
			assert_string_equal(o.name, again.name);
			assert_string_equal(o.uscc, again.uscc);
			gg_error_init(&err);
			if (gg_ident_check_uscc(o.uscc, "uscc", &err) != GG_OK) {
				print_error("org %zu: %s: %s\n", i, o.uscc, gg_error_message(&err));
				fail();
			}
			assert_true(o.nsegments >= 1);
			names[i] = strdup(o.name);
			codes[i] = strdup(o.uscc);
		}
		assert_true(all_distinct(names, GG_DEMO_SYNTH_ORGS, "organisation name"));
		assert_true(all_distinct(codes, GG_DEMO_SYNTH_ORGS, "credit code"));
		for (size_t i = 0; i < GG_DEMO_SYNTH_ORGS; i++) {
			free(names[i]);
			free(codes[i]);
		}
	}
}

struct csv_rows {
	size_t rows;
	size_t nfields[4];
	char name[4][64];
	char doc[4][32];
};

static enum gg_err collect(void *ctx, size_t line, const char *const *fields, size_t nfields, struct gg_error *err)
{
	struct csv_rows *r = ctx;

	(void)line;
	(void)err;
	if (r->rows < 4) {
		r->nfields[r->rows] = nfields;
		snprintf(r->name[r->rows], sizeof(r->name[0]), "%s", fields[0]);
		snprintf(r->doc[r->rows], sizeof(r->doc[0]), "%s", nfields > 6 ? fields[6] : "");
	}
	r->rows++;
	return GG_OK;
}

static void test_csv_rows_are_the_generated_people(void **state)
{
	struct gg_buf a, b;
	struct csv_rows rows;
	struct gg_demo_person p;
	struct gg_error err;

	(void)state;
	gg_buf_init(&a, 1 << 20);
	gg_buf_init(&b, 1 << 20);
	assert_int_equal(gg_demo_csv_talent_header(&a), GG_OK);
	for (uint64_t i = 0; i < 3; i++)
		assert_int_equal(gg_demo_csv_talent(5, i, &a), GG_OK);
	assert_int_equal(gg_demo_csv_talent_header(&b), GG_OK);
	for (uint64_t i = 0; i < 3; i++)
		assert_int_equal(gg_demo_csv_talent(5, i, &b), GG_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);

	memset(&rows, 0, sizeof(rows));
	gg_error_init(&err);
	assert_int_equal(gg_csv_parse(a.buf, a.len, collect, &rows, &err), GG_OK);
	assert_int_equal(rows.rows, 4);
	assert_int_equal(rows.nfields[0], 20);
	assert_string_equal(rows.name[0], "name");
	assert_string_equal(rows.doc[0], "doc_number");
	for (uint64_t i = 0; i < 3; i++) {
		gg_demo_synth_person(5, i, &p);
		assert_int_equal(rows.nfields[i + 1], 20);
		assert_string_equal(rows.name[i + 1], p.name);
		assert_string_equal(rows.doc[i + 1], p.doc_number);
	}

	gg_buf_reset(&a);
	assert_int_equal(gg_demo_csv_org_header(&a), GG_OK);
	assert_int_equal(gg_demo_csv_org(5, 0, &a), GG_OK);
	assert_non_null(strstr(a.buf, "name,uscc,kind,park,segments,verified\r\n"));
	gg_buf_release(&a);
	gg_buf_release(&b);
}

/* ---- the demo set in a database ---- */

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
	struct gg_keys keys;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct gg_db_options opt = {.busy_timeout_ms = 1000, .create = 1};
	struct gg_error err;

	if (!fx || gg_crypto_init() != GG_OK || gg_chinese_init() != GG_OK)
		return -1;
	unit_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->path, sizeof fx->path, "%s/demo.db", fx->dir);
	gg_error_init(&err);
	if (gg_db_open(fx->path, &opt, &fx->db, &err) != GG_OK || gg_migrate(fx->db, NULL, &err) != GG_OK) {
		print_error("database: %s\n", gg_error_message(&err));
		return -1;
	}
	for (size_t k = 0; k < GG_KEY_LEN; k++) {
		fx->keys.data[k] = (unsigned char)(k * 7 + 1);
		fx->keys.index[k] = (unsigned char)(k * 13 + 5);
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

/* gg_demo_load, failing the test with the error's message and first field. */
static void load_ok(struct fixture *fx, struct gg_demo_report *rep)
{
	struct gg_error err;

	gg_error_init(&err);
	if (gg_demo_load(fx->db, &fx->keys, NULL, rep, &err) != GG_OK) {
		print_error("demo: %s (%s: %s)\n", gg_error_message(&err), err.nfields ? err.fields[0].field : "",
		            err.nfields ? err.fields[0].message : "");
		fail();
	}
}

static void test_demo_loads_once(void **state)
{
	struct fixture *fx = *state;
	struct gg_demo_report rep;
	struct gg_error err;
	struct gg_talent *t = NULL;
	int64_t audit_rows, id;
	int found;

	gg_error_init(&err);
	load_ok(fx, &rep);
	assert_int_equal(rep.orgs.created, 20);
	assert_int_equal(rep.talents.created, 45);
	assert_int_equal(rep.stations.created, 1);
	assert_int_equal(rep.orgs.updated + rep.orgs.unchanged + rep.talents.updated + rep.talents.unchanged, 0);
	assert_int_equal(rep.naccounts, 0);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM users"), 0);
	/* the first station: what the article says, no opening date or host it does not give */
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM stations WHERE name = '光谷站·上海' AND city = '上海' AND "
	                             "country = 'CN' AND status = 'open' AND opened_on IS NULL AND host_org IS NULL"),
	                 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 45);
	/* the look-alike (invented person 0 entered again) waits as one duplicate review */
	assert_int_equal(
	    unit_db_i64(fx->db, "SELECT COUNT(*) FROM tasks WHERE kind = 'duplicate_review' AND closed_at IS NULL"), 1);
	/* 20 and the 7 benefit providers of demo_benefits */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM orgs"), 27);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE actor <> 'demo'"), 0);
	/* the benefit catalogue: items in all nine categories, slots for those that need booking */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(DISTINCT category) FROM benefit_items"), 9);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM benefit_items"), 11);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM benefit_items i WHERE needs_booking = 1 AND NOT"
	                                     " EXISTS (SELECT 1 FROM benefit_slots s WHERE s.item_id = i.id)"),
	                 0);
	/* every tier, status and honour kind but nobel appears */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(DISTINCT tier) FROM talents"), 5);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(DISTINCT status) FROM talents"), 5);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(DISTINCT kind) FROM talent_honours"), 4);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(DISTINCT segment) FROM talent_segments"), 15);
	/* the invented people have a document, a phone and an e-mail; the four real people none */
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM talents WHERE doc_enc IS NOT NULL AND phone_enc IS NOT "
	                             "NULL AND email_enc IS NOT NULL AND birth_date IS NOT NULL"),
	                 40);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM talents WHERE name IN ('姚斌', '陈十一', '张清杰', "
	                             "'王金桥') AND doc_enc IS NULL AND doc_index IS NULL AND phone_enc IS NULL "
	                             "AND email_enc IS NULL AND birth_date IS NULL"),
	                 4);
	/* real organisations (and the benefit providers) have no credit code */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM orgs WHERE uscc IS NULL"), 17);

	assert_int_equal(
	    gg_db_query_i64(fx->db, "SELECT id FROM talents WHERE name = '王金桥'", NULL, 0, &id, &found, &err), GG_OK);
	assert_true(found);
	assert_int_equal(gg_talent_get(fx->db, id, &t, &err), GG_OK);
	assert_string_equal(t->tier, "leading_talent");
	assert_string_equal(t->pinyin_key, "wangjinqiao");
	assert_string_equal(t->org_name, "武汉人工智能研究院");
	assert_int_equal(t->nkeywords >= 1, 1);
	assert_string_equal(t->keywords[0], "紫东太初");
	gg_talent_free(t);

	/* again: nothing changes, nothing is written */
	audit_rows = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");
	load_ok(fx, &rep);
	assert_int_equal(rep.orgs.unchanged, 20);
	assert_int_equal(rep.talents.unchanged, 45);
	assert_int_equal(rep.stations.unchanged, 1);
	assert_int_equal(rep.orgs.created + rep.orgs.updated + rep.talents.created + rep.talents.updated, 0);
	assert_int_equal(rep.stations.created + rep.stations.updated, 0);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audit_rows);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 45);
}

static void test_demo_restores_a_changed_record(void **state)
{
	struct fixture *fx = *state;
	struct gg_demo_report rep;
	struct gg_talent_input in;
	struct gg_error err;
	const struct gg_actor officer = {0, "cli", NULL};
	enum gg_talent_outcome outcome;
	int64_t id;
	int found;

	gg_error_init(&err);
	load_ok(fx, &rep);
	assert_int_equal(
	    gg_db_query_i64(fx->db, "SELECT id FROM talents WHERE name = '张清杰'", NULL, 0, &id, &found, &err), GG_OK);
	memset(&in, 0, sizeof(in));
	in.set_title = 1;
	in.title = "院长";
	assert_int_equal(gg_talent_update(fx->db, &fx->keys, &officer, id, &in, 0, &outcome, &err), GG_OK);
	assert_int_equal(outcome, GG_TALENT_UPDATED);
	load_ok(fx, &rep);
	assert_int_equal(rep.talents.updated, 1);
	assert_int_equal(rep.talents.unchanged, 44);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE name = '张清杰' AND title = '教授'"),
	                 1);
}

/* The id the query answers (the test fails without one). */
static int64_t id_of(struct gg_db *db, const char *sql)
{
	return unit_db_i64(db, sql);
}

static void test_demo_accounts(void **state)
{
	struct fixture *fx = *state;
	const struct gg_demo_options opt = {1, 10, NULL};
	struct gg_demo_report rep;
	struct gg_config cfg;
	struct gg_login login;
	struct gg_error err;
	struct gg_user u;
	char sql[256];
	size_t missing = 0;
	int64_t audit_rows;

	gg_error_init(&err);
	gg_config_init(&cfg);
	assert_int_equal(gg_demo_accounts_missing(fx->db, &missing, &err), GG_OK);
	assert_int_equal(missing, GG_ROLE__COUNT);
	/* someone has taken the name "leader" already: it stays theirs */
	const struct gg_role_grant expert = {GG_ROLE_expert, GG_SCOPE_NONE, 0};
	const struct gg_user_new taken = {
	    .username = "leader", .password = "a-real-persons-password", .roles = &expert, .nroles = 1};
	const struct gg_actor cli = {0, "cli", NULL};
	assert_int_equal(gg_user_create(fx->db, &cli, &taken, 10, NULL, NULL, 0, &err), GG_OK);

	if (gg_demo_load(fx->db, &fx->keys, &opt, &rep, &err) != GG_OK) {
		print_error("demo: %s (%s: %s)\n", gg_error_message(&err), err.nfields ? err.fields[0].field : "",
		            err.nfields ? err.fields[0].message : "");
		fail();
	}
	assert_int_equal(rep.naccounts, GG_ROLE__COUNT);
	assert_int_equal(rep.accounts_created, GG_ROLE__COUNT - 1);
	assert_int_equal(rep.assigned, 7);
	for (int r = 0; r < GG_ROLE__COUNT; r++) {
		const struct gg_demo_account *a = &rep.accounts[r];
		assert_string_equal(a->username, gg_role_token((enum gg_role)r));
		if (r == GG_ROLE_leader) {
			assert_int_equal(a->created, 0);
			assert_string_equal(a->password, "");
			continue;
		}
		assert_int_equal(a->created, 1);
		assert_int_equal(strlen(a->password), 16);
		assert_int_equal(strncmp(a->display_name, "示例·", strlen("示例·")), 0);
		assert_non_null(strstr(a->display_name, gg_role_defs[r].zh));
		/* it logs in with the password handed back, and need not change it */
		gg_error_init(&err);
		assert_int_equal(gg_session_login(fx->db, &cfg, a->username, a->password, NULL, &login, &err), GG_OK);
		assert_int_equal(login.must_change_password, 0);
		assert_int_equal(gg_user_get(fx->db, login.user_id, &u, &err), GG_OK);
		assert_int_equal(u.nroles, 1);
		assert_int_equal(u.roles[0].role, r);
	}
	/* the scopes name the demo records of the contract */
	snprintf(sql, sizeof sql,
	         "SELECT id FROM orgs WHERE name = '武汉晶澜光电科技有限公司' AND kind = 'leading_enterprise'");
	assert_string_equal(rep.accounts[GG_ROLE_employer].roles, "employer org:15");
	assert_int_equal(id_of(fx->db, sql), 15);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE org_id = 15"), 4);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM user_roles r JOIN orgs o ON o.id = r.scope_id WHERE "
	                                     "r.role = 'bank' AND o.kind = 'bank'"),
	                 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM user_roles r JOIN orgs o ON o.id = r.scope_id WHERE "
	                                     "r.role = 'provider' AND o.kind = 'service_provider'"),
	                 1);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM user_roles r JOIN stations s ON s.id = r.scope_id WHERE "
	                             "r.role = 'station_operator' AND s.name = '光谷站·上海'"),
	                 1);
	assert_int_equal(
	    unit_db_i64(fx->db,
	                "SELECT COUNT(*) FROM user_roles r JOIN talents t ON t.id = r.scope_id WHERE "
	                "r.role = 'talent' AND t.doc_enc IS NOT NULL AND t.phone_enc IS NOT NULL AND "
	                "t.email_enc IS NOT NULL AND t.birth_date IS NOT NULL AND t.notes LIKE '%虚构示例人物%'"),
	    1);
	/* the commissioner serves the invented strategic scientists */
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM talents t JOIN users u ON u.id = t.commissioner_id WHERE "
	                             "u.username = 'commissioner' AND t.tier = 'strategic_scientist'"),
	                 7);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE commissioner_id IS NOT NULL"), 7);
	/* audited as the demo, with no password or hash in the trail */
	assert_int_equal(
	    unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'user.create' AND actor = 'demo'"),
	    GG_ROLE__COUNT - 1);
	for (int r = 0; r < GG_ROLE__COUNT; r++) {
		if (!rep.accounts[r].created)
			continue;
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%%%s%%'",
		         rep.accounts[r].password);
		assert_int_equal(unit_db_i64(fx->db, sql), 0);
	}
	gg_demo_report_wipe(&rep);
	for (int r = 0; r < GG_ROLE__COUNT; r++)
		assert_string_equal(rep.accounts[r].password, "");

	/* again: none made, nothing written */
	audit_rows = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(gg_demo_load(fx->db, &fx->keys, &opt, &rep, &err), GG_OK);
	assert_int_equal(rep.accounts_created, 0);
	assert_int_equal(rep.assigned, 0);
	for (int r = 0; r < GG_ROLE__COUNT; r++)
		assert_string_equal(rep.accounts[r].password, "");
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audit_rows);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM users"), GG_ROLE__COUNT);
	assert_int_equal(gg_demo_accounts_missing(fx->db, &missing, &err), GG_OK);
	assert_int_equal(missing, 0);
}

static void test_demo_orders(void **state)
{
	struct fixture *fx = *state;
	struct gg_vocabulary *vocab = NULL;
	struct gg_policyset *set = NULL;
	struct gg_demo_report rep;
	struct gg_error err;
	char buf[512];
	int64_t audit_rows;

	gg_error_init(&err);
	if (gg_vocab_load(fx->db, &vocab, &err) != GG_OK || gg_policyset_load("policy", vocab, &set, &err) != GG_OK)
		fail_msg("policies: %s", gg_error_message(&err));
	const struct gg_demo_options opt = {0, 10, set};
	if (gg_demo_load(fx->db, &fx->keys, &opt, &rep, &err) != GG_OK)
		fail_msg("demo: %s (%s)", gg_error_message(&err), err.nfields ? err.fields[0].message : "");
	assert_int_equal(rep.orders.created, 6);
	assert_int_equal(rep.hires, 4);
	assert_int_equal(rep.recognised, 3);
	/* the worked examples, issued by the demo's leading enterprises and R&D units */
	unit_db_text(fx->db,
	             "SELECT group_concat(x, ' | ') FROM (SELECT g.kind || ' ' || h.contract_fen || ' ' || h.recognised"
	             " || ' ' || COALESCE((SELECT group_concat(amount_fen, ',') FROM (SELECT i.amount_fen FROM"
	             " recognitions r JOIN subsidy_plans p ON p.recognition_id = r.id JOIN installments i ON"
	             " i.plan_id = p.id WHERE r.basis = 'order' AND r.source_id = h.id ORDER BY i.year)), '-') AS x"
	             " FROM hires h JOIN orgs g ON g.id = h.org_id ORDER BY h.id)",
	             buf, sizeof buf);
	assert_string_equal(buf, "leading_enterprise 120000000 1 60000000,60000000,60000000 | "
	                         "leading_enterprise 100000000 1 50000000,50000000,50000000 | "
	                         "rd_unit 800000000 1 400000000,400000000,200000000 | "
	                         "leading_enterprise 99999999 0 -");
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM orders WHERE status = 'open'"), 2);
	/* the people hired are invented ones; a recognition changed no tier (the top scientist keeps hers) */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM hires h JOIN talents t ON t.id = h.talent_id WHERE"
	                                     " t.notes LIKE '%虚构示例人物%' AND t.org_id = h.org_id"),
	                 4);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM recognitions r JOIN talents t ON t.id = r.talent_id"
	                             " WHERE r.basis = 'order' AND t.tier IN ('leading_talent', 'top_scientist')"),
	                 3);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE actor <> 'demo'"), 0);

	/* again: nothing issued, nothing written */
	audit_rows = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");
	if (gg_demo_load(fx->db, &fx->keys, &opt, &rep, &err) != GG_OK)
		fail_msg("demo: %s", gg_error_message(&err));
	assert_int_equal(rep.orders.created, 0);
	assert_int_equal(rep.orders.unchanged, 6);
	assert_int_equal(rep.hires, 0);
	assert_int_equal(rep.talents.unchanged, 45);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audit_rows);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM orders"), 6);
	gg_policyset_free(set);
	gg_vocab_free(vocab);
}

static void test_synthetic_writes_n_once(void **state)
{
	struct fixture *fx = *state;
	struct gg_demo_report rep;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_demo_synthetic(fx->db, &fx->keys, 9, 0, 120, NULL, NULL, &rep, &err) != GG_OK) {
		print_error("synthetic: %s (%s: %s)\n", gg_error_message(&err), err.nfields ? err.fields[0].field : "",
		            err.nfields ? err.fields[0].message : "");
		fail();
	}
	assert_int_equal(rep.talents.created, 120);
	assert_int_equal(rep.orgs.created, GG_DEMO_SYNTH_ORGS);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 120);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents WHERE notes = '合成数据 (synthetic)'"), 120);
	/* the same seed and range again: unchanged; the next range: new people */
	assert_int_equal(gg_demo_synthetic(fx->db, &fx->keys, 9, 0, 120, NULL, NULL, &rep, &err), GG_OK);
	assert_int_equal(rep.talents.unchanged, 120);
	assert_int_equal(rep.orgs.unchanged, GG_DEMO_SYNTH_ORGS);
	assert_int_equal(gg_demo_synthetic(fx->db, &fx->keys, 9, 120, 30, NULL, NULL, &rep, &err), GG_OK);
	assert_int_equal(rep.talents.created, 30);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM talents"), 150);
	/* more than a seed can make is refused before anything is written */
	assert_int_equal(gg_demo_synthetic(fx->db, &fx->keys, 9, 0, GG_DEMO_SYNTH_MAX + 1ull, NULL, NULL, &rep, &err),
	                 GG_E_INVALID);
}

/* With the policy packs: one recommendation in each state and one strategic decision, made once. */
static void test_demo_recommendations(void **state)
{
	struct fixture *fx = *state;
	struct gg_vocabulary *vocab = NULL;
	struct gg_policyset *set = NULL;
	struct gg_demo_options opt = {0, 12, NULL};
	struct gg_demo_report rep;
	struct gg_error err;
	int64_t audit_rows;

	gg_error_init(&err);
	setenv("GUANGGU_TEST_NOW", "2026-03-02T02:00:00Z", 1);
	assert_int_equal(gg_vocab_load(fx->db, &vocab, &err), GG_OK);
	assert_int_equal(gg_policyset_load("policy", vocab, &set, &err), GG_OK);
	opt.policies = set;
	if (gg_demo_load(fx->db, &fx->keys, &opt, &rep, &err) != GG_OK)
		fail_msg("demo: %s", gg_error_message(&err));
	assert_int_equal(rep.recommendations.created, 5);
	assert_int_equal(rep.strategic.created, 1);
	/* one in each state; the decisions with the officer's reason; the first three by the employer account's org */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(DISTINCT status) FROM recommendations"), 5);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM recommendations WHERE status IN ('draft', "
	                                     "'submitted', 'returned', 'approved', 'rejected')"),
	                 5);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM recommendations WHERE status IN ('approved', "
	                                     "'rejected', 'returned') AND length(decision_reason) > 0"),
	                 3);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM recommendations r JOIN orgs o ON o.id = r.org_id"
	                                     " WHERE o.name = '武汉晶澜光电科技有限公司'"),
	                 3);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM recognitions WHERE basis = 'recommendation'"), 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM recommendations r JOIN recognitions g ON"
	                                     " g.id = r.recognition_id WHERE r.status = 'approved' AND g.tier ="
	                                     " r.decided_tier AND g.reason = r.decision_reason"),
	                 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM tasks WHERE kind = 'recommendation_review'"
	                                     " AND closed_at IS NULL"),
	                 1); /* the submitted one waits */
	/* the strategic decision: a rationale, a package within the cap, its recognition and plan */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM strategic_decisions d JOIN recognitions g ON"
	                                     " g.id = d.recognition_id JOIN subsidy_plans p ON p.id = d.plan_id"
	                                     " WHERE length(d.rationale) > 0 AND d.package_total_fen = 5000000000"
	                                     " AND g.tier = 'strategic_scientist' AND p.kind = 'strategic'"),
	                 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT SUM(amount_fen) FROM strategic_items"), 5000000000LL);
	/* the recruitment orders' worked examples stay as they are: no person of theirs is recommended or decided on */
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM subsidy_plans WHERE status = 'replaced'"), 0);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM recognitions o JOIN recognitions r ON"
	                             " r.talent_id = o.talent_id WHERE o.basis = 'order' AND r.basis <> 'order'"),
	                 0);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log WHERE actor <> 'demo'"), 0);
	/* the special fund: 3,000,000,000 CNY appropriated once, every active formula plan committed, balanced */
	assert_int_equal(unit_db_i64(fx->db, "SELECT SUM(credit_fen) FROM journal_lines"
	                                     " WHERE account = 'fund_appropriations'"),
	                 300000000000LL);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT COUNT(*) FROM subsidy_plans p WHERE p.kind = 'formula' AND"
	                             " p.status = 'active' AND NOT EXISTS (SELECT 1 FROM journal_entries e WHERE"
	                             " e.kind = 'commitment' AND e.source_type = 'plan' AND e.source_id = p.id)"),
	                 0);
	assert_int_equal(unit_db_i64(fx->db,
	                             "SELECT SUM(debit_fen) - SUM(credit_fen) FROM journal_lines WHERE account ="
	                             " 'fund_committed'"),
	                 unit_db_i64(fx->db, "SELECT SUM(i.amount_fen) FROM installments i JOIN subsidy_plans p ON"
	                                     " p.id = i.plan_id WHERE p.kind = 'formula' AND p.status = 'active'"
	                                     " AND i.status = 'planned'"));
	assert_int_equal(unit_db_i64(fx->db, "SELECT SUM(debit_fen) - SUM(credit_fen) FROM journal_lines"), 0);

	/* again: the people's tiers were kept, so nothing changes and nothing is written */
	audit_rows = unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log");
	if (gg_demo_load(fx->db, &fx->keys, &opt, &rep, &err) != GG_OK)
		fail_msg("demo: %s", gg_error_message(&err));
	assert_int_equal(rep.talents.unchanged, 45);
	assert_int_equal(rep.recommendations.created, 0);
	assert_int_equal(rep.recommendations.unchanged, 5);
	assert_int_equal(rep.strategic.created, 0);
	assert_int_equal(rep.strategic.unchanged, 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), audit_rows);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM recommendations"), 5);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM journal_entries WHERE kind = 'appropriation'"), 1);
	gg_policyset_free(set);
	gg_vocab_free(vocab);
	unsetenv("GUANGGU_TEST_NOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_person_is_deterministic),
	    cmocka_unit_test(test_identifiers_are_valid_and_unique),
	    cmocka_unit_test(test_surnames_follow_their_frequency),
	    cmocka_unit_test(test_orgs_are_valid_and_unique),
	    cmocka_unit_test(test_csv_rows_are_the_generated_people),
	    cmocka_unit_test_setup_teardown(test_demo_loads_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_restores_a_changed_record, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_accounts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_orders, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_recommendations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_synthetic_writes_n_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
