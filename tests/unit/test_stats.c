/*
 * test_stats: the registry counts on a small registry written with plain
 * SQL, so every expected number below is counted by hand: tiers with the
 * zero ones and the not recognised, statuses present, chains counting a
 * talent once however many of the chain's segments it has, a merged
 * record counted nowhere, months cut at local midnight of the time zone
 * (Asia/Shanghai against UTC), and the scopes of an employer, a
 * commissioner, a talent and a caller who sees nothing, each counting
 * only its own records, with the organisations by kind.
 */
#include "unit.h"

#include "core/clock.h"
#include "domain/stats.h"

struct fixture {
	char dir[256];
	char path[320];
	struct gg_db *db;
};

/*
 * 2 organisations (1 leading_enterprise, 2 rd_unit) and user 9 (a
 * commissioner). Talents, created at (UTC):
 *   1 org 1, top_scientist, landed,     2026-11-30T16:30:00Z (Shanghai: 2026-12-01 00:30), lasers + infrared
 *   2 org 1, high_level,    serving,    2026-11-30T15:59:59Z (Shanghai: 2026-11-30 23:59:59), lasers
 *   3 org 2, (none),        prospect,   2025-12-31T16:00:00Z (Shanghai: 2026-01-01 00:00), synthetic_biology
 *   4 org 2, (none),        prospect,   2025-12-31T15:59:59Z (Shanghai: 2025-12-31 23:59:59), multimodal_models
 *   5 no org, high_level,   serving,    2026-06-15T00:00:00Z, commissioner 9, lasers + synthetic_biology
 *   6 org 1, high_level,    left,       2026-06-15T00:00:00Z, merged into 2, multimodal_models
 */
static const char registry_sql[] =
    "INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES "
    "(9, 'comm', 'comm', 'x', 0, 0);"
    "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES "
    "(1, '甲', 'jia', 'leading_enterprise', 0, 0), (2, '乙', 'yi', 'rd_unit', 0, 0);"
    "INSERT INTO talents (id, name, pinyin, pinyin_key, org_id, tier, status, commissioner_id, created_at, "
    "updated_at) VALUES "
    "(1, '一', 'yi', 'yi', 1, 'top_scientist', 'landed', NULL, 1796056200, 0),"
    "(2, '二', 'er', 'er', 1, 'high_level', 'serving', NULL, 1796054399, 0),"
    "(3, '三', 'san', 'san', 2, NULL, 'prospect', NULL, 1767196800, 0),"
    "(4, '四', 'si', 'si', 2, NULL, 'prospect', NULL, 1767196799, 0),"
    "(5, '五', 'wu', 'wu', NULL, 'high_level', 'serving', 9, 1781481600, 0),"
    "(6, '六', 'liu', 'liu', 1, 'high_level', 'left', NULL, 1781481600, 0);"
    "UPDATE talents SET merged_into = 2 WHERE id = 6;"
    "INSERT INTO talent_segments (talent_id, segment) VALUES (1, 'lasers'), (1, 'infrared'), (2, 'lasers'), "
    "(3, 'synthetic_biology'), (4, 'multimodal_models'), (5, 'lasers'), (5, 'synthetic_biology'), "
    "(6, 'multimodal_models');";

/* 2026-11-30T17:00:00Z: in Shanghai already 2026-12-01 01:00. */
#define NOW 1796058000

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct gg_error err;

	if (!fx)
		return -1;
	unit_tmpdir(fx->dir, sizeof(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/stats.db", fx->dir);
	if (unit_db_create(fx->path, &fx->db) != 0)
		return -1;
	gg_error_init(&err);
	if (gg_db_exec(fx->db, registry_sql, &err) != GG_OK) {
		print_error("registry: %s\n", gg_error_message(&err));
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
	gg_clock_set_zone("UTC");
	return 0;
}

/* The count of key in v (fails when key is not listed). */
static int64_t of(const struct gg_stats_count *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return v[i].count;
	fail_msg("'%s' is not listed", key);
	return -1;
}

static void counted(struct fixture *fx, const struct gg_search_query *q, int orgs, int64_t org_scope,
                    struct gg_registry_stats *s)
{
	const struct gg_stats_scope scope = {q, orgs, org_scope};
	struct gg_error err;

	gg_error_init(&err);
	if (gg_stats_registry(fx->db, &scope, NOW, s, &err) != GG_OK)
		fail_msg("stats: %s", gg_error_message(&err));
}

static void test_unscoped_counts(void **state)
{
	struct fixture *fx = *state;
	struct gg_search_query q;
	struct gg_registry_stats s;

	assert_int_equal(gg_clock_set_zone("Asia/Shanghai"), 0);
	gg_search_query_init(&q);
	counted(fx, &q, 1, 0, &s);
	assert_int_equal(s.as_of, NOW);
	assert_int_equal(s.talents, 5); /* 6 is merged into 2 */
	/* every tier by rank, zero ones too, then the not recognised */
	assert_int_equal(s.ntiers, 6);
	const char *const tiers[] = {"strategic_scientist", "top_scientist", "leading_talent",
	                             "high_level",          "other",         ""};
	const int64_t tier_counts[] = {0, 1, 0, 2, 0, 2};
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(s.by_tier[i].key, tiers[i]);
		assert_int_equal(s.by_tier[i].count, tier_counts[i]);
	}
	/* the statuses present, in vocabulary order (left only on the merged record) */
	assert_int_equal(s.nstatuses, 3);
	assert_string_equal(s.by_status[0].key, "prospect");
	assert_int_equal(s.by_status[0].count, 2);
	assert_string_equal(s.by_status[1].key, "landed");
	assert_string_equal(s.by_status[2].key, "serving");
	assert_int_equal(s.by_status[2].count, 2);
	/* talent 1 has two optoelectronics segments: counted once; 6's multimodal segment is not counted */
	assert_int_equal(s.nchains, 6);
	assert_int_equal(of(s.by_chain, s.nchains, "optoelectronics"), 3);
	assert_int_equal(of(s.by_chain, s.nchains, "life_health"), 2);
	assert_int_equal(of(s.by_chain, s.nchains, "ai"), 1);
	assert_int_equal(of(s.by_chain, s.nchains, "thermoelectrics"), 0);
	/* twelve Shanghai months ending with December 2026 */
	assert_string_equal(s.by_month[0].key, "2026-01");
	assert_string_equal(s.by_month[11].key, "2026-12");
	assert_int_equal(s.by_month[0].count, 1);  /* 3; 4 is still December 2025 */
	assert_int_equal(s.by_month[5].count, 1);  /* 5 in June (6 is merged) */
	assert_int_equal(s.by_month[10].count, 1); /* 2, at 23:59:59 on 30 November */
	assert_int_equal(s.by_month[11].count, 1); /* 1, at 00:30 on 1 December */
	/* organisations by every kind */
	assert_int_equal(s.with_orgs, 1);
	assert_int_equal(s.orgs, 2);
	assert_int_equal(s.nkinds, 8);
	assert_string_equal(s.by_kind[0].key, "leading_enterprise");
	assert_int_equal(of(s.by_kind, s.nkinds, "rd_unit"), 1);
	assert_int_equal(of(s.by_kind, s.nkinds, "bank"), 0);
	gg_stats_registry_release(&s);

	/* in UTC the same instants fall a month earlier at the edges */
	assert_int_equal(gg_clock_set_zone("UTC"), 0);
	counted(fx, &q, 0, 0, &s);
	assert_string_equal(s.by_month[0].key, "2025-12");
	assert_string_equal(s.by_month[11].key, "2026-11");
	assert_int_equal(s.by_month[0].count, 2);  /* 3 and 4 */
	assert_int_equal(s.by_month[11].count, 2); /* 1 and 2 */
	assert_int_equal(s.with_orgs, 0);
	gg_stats_registry_release(&s);
	assert_int_equal(gg_clock_set_zone("Nowhere/Atlantis"), -1);
	assert_int_equal(gg_clock_set_zone("../../etc/passwd"), -1);
}

static void test_scoped_counts(void **state)
{
	struct fixture *fx = *state;
	struct gg_search_query q;
	struct gg_registry_stats s;

	assert_int_equal(gg_clock_set_zone("Asia/Shanghai"), 0);
	/* an employer of organisation 1: talents 1 and 2 (6 is merged), its organisation */
	gg_search_query_init(&q);
	q.org_scope = 1;
	counted(fx, &q, 1, 1, &s);
	assert_int_equal(s.talents, 2);
	assert_int_equal(of(s.by_tier, s.ntiers, "top_scientist"), 1);
	assert_int_equal(of(s.by_tier, s.ntiers, ""), 0);
	assert_int_equal(of(s.by_chain, s.nchains, "optoelectronics"), 2);
	assert_int_equal(of(s.by_chain, s.nchains, "ai"), 0);
	assert_int_equal(s.by_month[10].count + s.by_month[11].count, 2);
	assert_int_equal(s.orgs, 1);
	assert_int_equal(of(s.by_kind, s.nkinds, "leading_enterprise"), 1);
	assert_int_equal(of(s.by_kind, s.nkinds, "rd_unit"), 0);
	gg_stats_registry_release(&s);

	/* a commissioner: its assigned talent 5 */
	gg_search_query_init(&q);
	q.commissioner_scope = 9;
	counted(fx, &q, 1, 0, &s);
	assert_int_equal(s.talents, 1);
	assert_int_equal(s.nstatuses, 1);
	assert_string_equal(s.by_status[0].key, "serving");
	assert_int_equal(of(s.by_chain, s.nchains, "optoelectronics"), 1);
	assert_int_equal(of(s.by_chain, s.nchains, "life_health"), 1);
	assert_int_equal(s.by_month[5].count, 1);
	assert_int_equal(s.orgs, 2);
	gg_stats_registry_release(&s);

	/* a talent: itself; a talent scoped to a merged record sees nothing */
	gg_search_query_init(&q);
	q.talent_scope = 4;
	counted(fx, &q, 0, 0, &s);
	assert_int_equal(s.talents, 1);
	assert_int_equal(of(s.by_tier, s.ntiers, ""), 1);
	for (int i = 0; i < GG_STATS_MONTHS; i++)
		assert_int_equal(s.by_month[i].count, 0); /* created in December 2025, Shanghai time */
	gg_stats_registry_release(&s);
	q.talent_scope = 6;
	counted(fx, &q, 0, 0, &s);
	assert_int_equal(s.talents, 0);
	gg_stats_registry_release(&s);

	/* nobody's: every list still there, all zero */
	gg_search_query_init(&q);
	q.scope_none = 1;
	counted(fx, &q, 1, -1, &s);
	assert_int_equal(s.talents, 0);
	assert_int_equal(s.ntiers, 6);
	assert_int_equal(s.nchains, 6);
	assert_int_equal(s.nstatuses, 0);
	assert_int_equal(s.with_orgs, 1);
	assert_int_equal(s.orgs, 0);
	assert_int_equal(s.nkinds, 8);
	gg_stats_registry_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_unscoped_counts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scoped_counts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
