/*
 * test_whatif: the register priced again under changed parameters
 * (domain/whatif.c) and `guanggu policy whatif`, on an installation
 * holding three formula plans recorded through recognition and subsidy
 * (DOMAIN.md's 1,200,000 and 8,000,000 examples, and 2,000,000 with a
 * lapsed year): a lower rate, a lower cap and a raised threshold change
 * only the planned installments due on or after the day, each priced by
 * the evaluator's rule with the cap room the talent's earlier installments
 * leave; totals by calendar year, old and new; nothing is written; a plan
 * whose version is not in the packs is an error; malformed --set values
 * are usage errors (exit 2); the text table and the JSON.
 */
#include "unit_cli.h"
#include "unit_recognition.h"

#include "core/clock.h"
#include "domain/audit.h"
#include "domain/whatif.h"

struct wfx {
	char tmp[512], inst[600];
	struct gg_db *db;
	struct gg_vocabulary *vocab;
	struct gg_policyset *set;
	struct gg_whatif_result res;
};

/* Records an order recognition of talent (the hire's id too) for contract_fen from start, with its formula plan. */
static void recognise(struct wfx *w, int64_t talent, int64_t contract_fen, const char *start)
{
	struct gg_error err;
	int64_t rec_id = 0, plan_id = 0;

	gg_error_init(&err);
	if (unit_recognise(w->db, w->set, talent, talent, contract_fen, start, &rec_id, &plan_id, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
}

static int setup(void **state)
{
	struct wfx *w = calloc(1, sizeof(*w));
	struct run *r = calloc(1, sizeof(*r));
	char path[700];
	struct gg_error err;

	if (w == NULL || r == NULL)
		return -1;
	unit_tmpdir(w->tmp, sizeof(w->tmp));
	snprintf(w->inst, sizeof(w->inst), "%s/inst", w->tmp);
	run(r, "init", "--dir", w->inst);
	assert_int_equal(r->status, 0);
	free(r);
	snprintf(path, sizeof(path), "%s/guanggu.db", w->inst);
	gg_error_init(&err);
	if (unit_db_create(path, &w->db) != 0 || gg_vocab_load(w->db, &w->vocab, &err) != GG_OK ||
	    unit_recognition_load(w->db, w->vocab,
	                          "INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, created_at, updated_at)"
	                          " VALUES (3, '测试丙', 'ce shi bing', 'ceshibing', 1, 0, 0)",
	                          &w->set, &err) != GG_OK) {
		print_error("fixture: %s\n", gg_error_message(&err));
		return -1;
	}
	/* 1: 600,000 due 2025-03-01, 2026-03-01, 2027-03-01 */
	recognise(w, 1, 120000000, "2024-03-01");
	/* 2: 4,000,000 due 2026-06-01, 2027-06-01, then 2,000,000 (the cap) 2028-06-01 */
	recognise(w, 2, 800000000, "2025-06-01");
	/* 3: 1,000,000 due 2026-01-15, 2027-01-15 (lapsed by a decision recorded later), 2028-01-15 */
	recognise(w, 3, 200000000, "2025-01-15");
	unit_db_exec(w->db, "UPDATE installments SET status = 'lapsed', amount_fen = 0"
	                    " WHERE year = 2 AND plan_id = (SELECT id FROM subsidy_plans WHERE talent_id = 3)");
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct wfx *w = *state;

	gg_policyset_free(w->set);
	gg_vocab_free(w->vocab);
	gg_db_close(w->db);
	unit_rmtree(w->tmp);
	free(w);
	return 0;
}

/* Runs the what-if of the sets (NULL-terminated "PARAM=VALUE") from day into w->res. */
static struct gg_whatif_result *whatif(struct wfx *w, const char *from, ...)
{
	struct gg_whatif wi = {.nsets = 0};
	struct gg_error err;
	const char *s;
	va_list ap;

	gg_error_init(&err);
	va_start(ap, from);
	while ((s = va_arg(ap, const char *)) != NULL)
		assert_int_equal(gg_whatif_parse_set(&wi, s, &err), GG_OK);
	va_end(ap);
	if (gg_whatif_run(w->db, w->set, &wi, unit_day(from), &w->res, &err) != GG_OK)
		fail_msg("%s", gg_error_message(&err));
	return &w->res;
}

static void row_is(const struct gg_whatif_row *r, int year, int64_t n, int64_t old_fen, int64_t new_fen)
{
	assert_int_equal(r->year, year);
	assert_int_equal(r->installments, n);
	assert_int_equal(r->old_fen, old_fen);
	assert_int_equal(r->new_fen, new_fen);
}

static void test_rate(void **state)
{
	struct wfx *w = *state;
	struct gg_whatif_result *r;
	int64_t before = unit_db_i64(w->db, "SELECT SUM(amount_fen) FROM installments");

	r = whatif(w, "2026-03-01", "rate_bp=4000", NULL);
	/* 2026: talent 1's year 2 (600,000 -> 480,000), talent 2's year 1 (4,000,000 -> 3,200,000); talent 3's
	 * 2026-01-15 is before the day */
	assert_int_equal(r->nrows, 3);
	row_is(&r->rows[0], 2026, 2, 460000000, 368000000);
	row_is(&r->rows[1], 2027, 2, 460000000, 368000000);
	/* 2028: talent 2's year 3 is no longer capped (3,200,000 within the 3,600,000 left), talent 3's year 3 at
	 * 800,000 (year 2 lapsed, untouched) */
	row_is(&r->rows[2], 2028, 2, 300000000, 400000000);
	row_is(&r->total, 0, 6, 1220000000, 1136000000);
	assert_int_equal(r->plans, 3);
	/* nothing written */
	assert_int_equal(unit_db_i64(w->db, "SELECT SUM(amount_fen) FROM installments"), before);
	assert_int_equal(unit_db_i64(w->db, "SELECT COUNT(*) FROM installments WHERE status = 'lapsed'"), 1);

	/* the same rate changes nothing */
	r = whatif(w, "2026-03-01", "rate_bp=5000", NULL);
	assert_int_equal(r->total.old_fen, r->total.new_fen);
	/* from a day after every installment: nothing to price */
	r = whatif(w, "2030-01-01", "rate_bp=4000", NULL);
	assert_int_equal(r->nrows, 0);
	assert_int_equal(r->total.installments, 0);
	assert_int_equal(r->plans, 0);
}

static void test_cap_and_threshold(void **state)
{
	struct wfx *w = *state;
	struct gg_whatif_result *r;

	/* a cap of 9,000,000: talent 2's year 3 gets the 1,000,000 left */
	r = whatif(w, "2026-03-01", "cap_cny=9000000", NULL);
	row_is(&r->rows[2], 2028, 2, 300000000, 200000000);
	assert_int_equal(r->total.new_fen - r->total.old_fen, -100000000);
	/* the cap counts the installments before the day at their recorded amounts: talent 1 has 600,000 used, so a
	 * cap of 1,000,000 leaves it 400,000 and then nothing */
	r = whatif(w, "2026-03-01", "cap_cny=1000000", NULL);
	row_is(&r->rows[0], 2026, 2, 460000000, 40000000 + 100000000);
	row_is(&r->rows[1], 2027, 2, 460000000, 0);
	/* a threshold of 1,500,000: talent 1's base of 1,200,000 lapses under paid_below_threshold */
	r = whatif(w, "2026-03-01", "threshold_cny=1500000.00", NULL);
	row_is(&r->rows[0], 2026, 2, 460000000, 400000000);
	row_is(&r->rows[1], 2027, 2, 460000000, 400000000);
	row_is(&r->rows[2], 2028, 2, 300000000, 300000000);
	/* two parameters at once */
	r = whatif(w, "2026-03-01", "rate_bp=4000", "cap_cny=9000000", NULL);
	row_is(&r->rows[2], 2028, 2, 300000000, 260000000 + 80000000);
	/* from before every installment: talent 1's first year too */
	r = whatif(w, "2025-01-01", "rate_bp=4000", NULL);
	assert_int_equal(r->total.installments, 8);
	row_is(&r->rows[0], 2025, 1, 60000000, 48000000);
}

static void test_parse_and_errors(void **state)
{
	struct wfx *w = *state;
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"rate_bp", "--set 'rate_bp' is not PARAM=VALUE"},
	    {"=5", "--set '=5' is not PARAM=VALUE"},
	    {"rate=5", "unknown parameter 'rate'"},
	    {"years=2", "parameter 'years' cannot be set in a what-if"},
	    {"lapse_rules=[]", "parameter 'lapse_rules' cannot be set in a what-if"},
	    {"rate_bp=10001", "rate_bp '10001' is not a whole number of basis points 0 to 10000"},
	    {"rate_bp=-1", "rate_bp '-1' is not"},
	    {"rate_bp=40.5", "rate_bp '40.5' is not"},
	    {"cap_cny=1e7", "cap_cny: amount '1e7'"},
	    {"threshold_cny=1000000.001", "threshold_cny: amount '1000000.001' has more than two decimals"},
	};
	struct gg_whatif wi = {.nsets = 0};
	struct gg_policyset *other = NULL;
	struct gg_error err;
	char dir[600], path[700], text[GG_MONEY_TEXT_MAX];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		gg_error_init(&err);
		assert_int_equal(gg_whatif_parse_set(&wi, bad[i].text, &err), GG_E_INVALID);
		assert_string_equal(err.fields[0].field, "set");
		if (strncmp(gg_error_message(&err), bad[i].msg, strlen(bad[i].msg)) != 0)
			fail_msg("%s: got '%s'", bad[i].text, gg_error_message(&err));
	}
	assert_int_equal(wi.nsets, 0);
	gg_error_init(&err);
	assert_int_equal(gg_whatif_parse_set(&wi, "cap_cny=8000000", &err), GG_OK);
	assert_int_equal(wi.sets[0].param, GG_PACK_CAP);
	assert_int_equal(wi.sets[0].value, 800000000);
	gg_whatif_set_text(&wi.sets[0], text);
	assert_string_equal(text, "8,000,000.00");
	assert_int_equal(gg_whatif_parse_set(&wi, "cap_cny=9000000", &err), GG_E_INVALID);
	assert_string_equal(gg_error_message(&err), "parameter 'cap_cny' is set twice");

	/* a plan whose version is not in the packs */
	snprintf(dir, sizeof(dir), "%s/packs", w->tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/optics-valley-2030.yaml", dir);
	{
		char pack[8192];
		size_t n = unit_read_file("policy/optics-valley-2024.yaml", pack, sizeof(pack));
		char *name = strstr(pack, "name: optics-valley-2024");

		assert_true(n > 0 && name != NULL);
		memcpy(name + strlen("name: optics-valley-20"), "30", 2);
		unit_write_file(path, pack);
	}
	gg_error_init(&err);
	assert_int_equal(gg_policyset_load(dir, w->vocab, &other, &err), GG_OK);
	gg_error_init(&err);
	assert_int_equal(gg_whatif_run(w->db, other, &wi, unit_day("2026-01-01"), &w->res, &err), GG_E_CONFIG);
	assert_string_equal(gg_error_message(&err),
	                    "plan 1: policy 'optics-valley-2024' version '2024.1' is not in the policy packs");
	gg_policyset_free(other);
	/* the read transaction is over: a write can begin */
	assert_int_equal(gg_db_begin(w->db, GG_DB_WRITE, &err), GG_OK);
	gg_db_rollback(w->db);
}

static void test_command(void **state)
{
	struct wfx *w = *state;
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	run(r, "policy", "whatif", "--set", "rate_bp=4000", "--from", "2026-03-01", "--dir", w->inst);
	assert_int_equal(r->status, 0);
	if (strstr(r->out, "year   installments           recorded            what-if         difference\n"
	                   "2026              2       4,600,000.00       3,680,000.00        -920,000.00\n"
	                   "2027              2       4,600,000.00       3,680,000.00        -920,000.00\n"
	                   "2028              2       3,000,000.00       4,000,000.00      +1,000,000.00\n"
	                   "total             6      12,200,000.00      11,360,000.00        -840,000.00\n") == NULL)
		fail_msg("out:\n%s", r->out);
	assert_non_null(strstr(r->out, "what if rate_bp = 4000: the planned installments due on or after 2026-03-01 "
	                               "(6, of 3 plans)"));
	assert_string_equal(r->err, "");

	run(r, "policy", "whatif", "--set", "rate_bp=4000", "--set=cap_cny=9000000", "--from", "2026-03-01", "--format",
	    "json", "--dir", w->inst);
	assert_int_equal(r->status, 0);
	assert_string_equal(
	    r->out, "{\"from\":\"2026-03-01\",\"set\":[{\"param\":\"rate_bp\",\"text\":\"4000\",\"value\":4000},"
	            "{\"param\":\"cap_cny\",\"text\":\"9,000,000.00\",\"value_fen\":900000000}],\"plans\":3,\"years\":["
	            "{\"year\":2026,\"installments\":2,\"old_fen\":460000000,\"new_fen\":368000000,\"difference_fen\":"
	            "-92000000},"
	            "{\"year\":2027,\"installments\":2,\"old_fen\":460000000,\"new_fen\":368000000,\"difference_fen\":"
	            "-92000000},"
	            "{\"year\":2028,\"installments\":2,\"old_fen\":300000000,\"new_fen\":340000000,\"difference_fen\":"
	            "40000000}],"
	            "\"total\":{\"installments\":6,\"old_fen\":1220000000,\"new_fen\":1076000000,\"difference_fen\":"
	            "-144000000}}\n");

	/* usage errors: exit 2 */
	run(r, "policy", "whatif", "--dir", w->inst);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "error: --set PARAM=VALUE is required"));
	run(r, "policy", "whatif", "--set", "years=2", "--dir", w->inst);
	assert_int_equal(r->status, 2);
	assert_non_null(strstr(r->err, "usage: guanggu policy show"));
	run(r, "policy", "whatif", "--set", "rate_bp=4000", "--from", "2026-02-30", "--dir", w->inst);
	assert_int_equal(r->status, 2);
	run(r, "policy", "whatif", "--set", "rate_bp=4000", "--format", "xml", "--dir", w->inst);
	assert_int_equal(r->status, 2);
	run(r, "policy", "whatif", "--set", "rate_bp=4000", "--dry", "--dir", w->inst);
	assert_int_equal(r->status, 2);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_rate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cap_and_threshold, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parse_and_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_command, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
