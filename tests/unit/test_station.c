/*
 * test_station: station records on a migrated SQLite database in a
 * temporary directory. Checks refuse bad input field by field, a create
 * normalises and audits every field, writing the same record again writes
 * nothing, a change audits only what changed, names are unique, a stale
 * version and an unknown id are refused, and list and get read back.
 */
#include "unit.h"

#include "core/clock.h"
#include "domain/audit.h"
#include "domain/station.h"

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
};

static const struct gg_actor officer = {7, "olga", "req-1"};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	unit_tmpdir(fx->dir, sizeof(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/station.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
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

/* in must fail validation with field named (among its errors). */
static void refused(const struct gg_station_input *in, const char *field)
{
	struct gg_error err;
	int named = 0;

	gg_error_init(&err);
	assert_int_equal(gg_station_validate(in, &err), GG_E_INVALID);
	for (size_t i = 0; i < err.nfields; i++)
		named |= strcmp(err.fields[i].field, field) == 0;
	if (!named)
		fail_msg("no error on field '%s' (first: %s)", field, err.nfields ? err.fields[0].field : "none");
}

static void test_validate(void **state)
{
	struct gg_station_input in = {.name = "光谷站·北京", .city = "北京"};
	struct gg_error err;
	char long_name[80];

	(void)state;
	gg_error_init(&err);
	assert_int_equal(gg_station_validate(&in, &err), GG_OK);
	in.name = "";
	refused(&in, "name");
	in.name = NULL;
	refused(&in, "name");
	memset(long_name, 'x', 65);
	long_name[65] = '\0';
	in.name = long_name;
	refused(&in, "name");
	in.name = "光谷站·北京";
	in.city = "";
	refused(&in, "city");
	in.city = "北京";
	const char *const countries[] = {"C", "CHN", "C1", "中国"};
	for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++) {
		in.country = countries[i];
		refused(&in, "country");
	}
	in.country = "us";
	assert_int_equal(gg_station_validate(&in, &err), GG_OK);
	const char *const dates[] = {"2026-02-30", "2026-13-01", "2026-4-1", "April 2026", "2026-04-01T00:00:00Z"};
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		in.opened_on = dates[i];
		refused(&in, "opened_on");
	}
	in.opened_on = "2024-02-29";
	assert_int_equal(gg_station_validate(&in, &err), GG_OK);
	in.status = "active";
	refused(&in, "status");
	in.status = "planned";
	in.notes = "bad \xff notes"; /* not utf-8 */
	refused(&in, "notes");
}

static void test_write_read_audit(void **state)
{
	struct fixture *fx = *state;
	struct gg_station_input in = {.name = "光谷站·ＡＢ", .city = "上海", .country = "cn", .notes = "据报道"};
	enum gg_station_outcome outcome;
	struct gg_station s, *list = NULL;
	struct gg_audit_filter f = {.entity = "station", .limit = 10};
	struct gg_audit_row *rows = NULL;
	struct gg_error err;
	size_t n = 0;
	int64_t id = 0, id2 = 0, again = 0;
	int found = 0;

	gg_error_init(&err);
	assert_int_equal(gg_station_create(fx->db, &officer, &in, &id, &err), GG_OK);
	assert_true(id > 0);
	assert_int_equal(gg_station_get(fx->db, id, &s, &err), GG_OK);
	assert_string_equal(s.name, "光谷站·AB"); /* NFKC */
	assert_string_equal(s.country, "CN");
	assert_string_equal(s.status, "open");
	assert_string_equal(s.opened_on, "");
	assert_string_equal(s.host_org, "");
	assert_int_equal(s.version, 1);
	assert_int_equal(
	    unit_db_i64(fx->db, "SELECT COUNT(*) FROM stations WHERE opened_on IS NULL AND host_org IS NULL"), 1);
	assert_int_equal(gg_station_find_by_name(fx->db, "光谷站·ＡＢ", &again, &found, &err), GG_OK);
	assert_int_equal(found, 1);
	assert_int_equal(again, id);

	/* the create's audit row lists every field that has a value */
	assert_int_equal(gg_audit_list(fx->db, &f, &rows, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].action, "station.create");
	assert_string_equal(rows[0].actor, "olga");
	assert_int_equal(rows[0].entity_id, id);
	assert_non_null(strstr(rows[0].changes_json, "\"field\":\"country\",\"old\":null,\"new\":\"CN\""));
	assert_non_null(strstr(rows[0].changes_json, "\"field\":\"status\",\"old\":null,\"new\":\"open\""));
	assert_null(strstr(rows[0].changes_json, "host_org"));
	gg_audit_rows_free(rows, n);

	/* the same record again: nothing written */
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_station_write_tx(fx->db, &officer, id, &in, 1, &again, &outcome, &err), GG_OK);
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);
	assert_int_equal(outcome, GG_STATION_UNCHANGED);
	assert_int_equal(again, id);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), 1);

	/* a change: one audit row with the changed fields only, a new version */
	in.opened_on = "2026-04-01";
	in.host_org = "示例合作单位";
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_station_write_tx(fx->db, &officer, id, &in, 1, NULL, &outcome, &err), GG_OK);
	assert_int_equal(gg_db_commit(fx->db, &err), GG_OK);
	assert_int_equal(outcome, GG_STATION_UPDATED);
	assert_int_equal(gg_station_get(fx->db, id, &s, &err), GG_OK);
	assert_int_equal(s.version, 2);
	assert_string_equal(s.opened_on, "2026-04-01");
	f.action = "station.update";
	assert_int_equal(gg_audit_list(fx->db, &f, &rows, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_non_null(strstr(rows[0].changes_json, "\"field\":\"opened_on\",\"old\":null,\"new\":\"2026-04-01\""));
	assert_null(strstr(rows[0].changes_json, "\"city\""));
	gg_audit_rows_free(rows, n);

	/* a stale version, an unknown id, a name taken: refused, nothing written */
	in.city = "杭州";
	gg_error_init(&err);
	assert_int_equal(gg_db_begin(fx->db, GG_DB_WRITE, &err), GG_OK);
	assert_int_equal(gg_station_write_tx(fx->db, &officer, id, &in, 1, NULL, &outcome, &err), GG_E_STALE);
	gg_error_init(&err);
	assert_int_equal(gg_station_write_tx(fx->db, &officer, id + 9, &in, 0, NULL, &outcome, &err), GG_E_NOT_FOUND);
	gg_db_rollback(fx->db);
	struct gg_station_input other = {.name = "光谷站·AB", .city = "深圳"};
	gg_error_init(&err);
	assert_int_equal(gg_station_create(fx->db, &officer, &other, &id2, &err), GG_E_DUPLICATE);
	assert_string_equal(err.fields[0].field, "name");
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM stations"), 1);
	assert_int_equal(unit_db_i64(fx->db, "SELECT COUNT(*) FROM audit_log"), 2);

	other.name = "光谷站·深圳";
	gg_error_init(&err);
	assert_int_equal(gg_station_create(fx->db, &officer, &other, &id2, &err), GG_OK);
	assert_int_equal(gg_station_list(fx->db, &list, &n, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, id);
	assert_int_equal(list[1].id, id2);
	assert_string_equal(list[1].city, "深圳");
	free(list);
	gg_error_init(&err);
	assert_int_equal(gg_station_get(fx->db, 999, &s, &err), GG_E_NOT_FOUND);
	assert_string_equal(gg_error_message(&err), "unknown station 999");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test_setup_teardown(test_write_read_audit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
