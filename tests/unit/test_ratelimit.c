/*
 * test_ratelimit: the per-client limit of the public card verifier
 * (src/http/ratelimit.c): a burst of a minute's worth, then one request
 * an interval, Retry-After in whole seconds, clients apart, 0 as off, and
 * a flood of clients in a bounded table.
 */
#include "unit.h"

#include "http/ratelimit.h"

#define S INT64_C(1000000) /* a second in microseconds */

static void test_burst_then_interval(void **state)
{
	struct gg_ratelimit *rl = gg_ratelimit_new(64);
	int64_t wait = -1, t = 1000 * S;

	(void)state;
	assert_non_null(rl);
	/* 6 a minute: six at once, the seventh waits one interval (10 s) */
	for (int i = 0; i < 6; i++)
		assert_int_equal(gg_ratelimit_take(rl, "10.0.0.1", t, 6, &wait), 1);
	assert_int_equal(gg_ratelimit_take(rl, "10.0.0.1", t, 6, &wait), 0);
	assert_int_equal(wait, 10);
	assert_int_equal(gg_ratelimit_take(rl, "10.0.0.1", t + 9 * S, 6, &wait), 0);
	assert_int_equal(wait, 1);
	assert_int_equal(gg_ratelimit_take(rl, "10.0.0.1", t + 10 * S, 6, &wait), 1);
	assert_int_equal(gg_ratelimit_take(rl, "10.0.0.1", t + 10 * S, 6, &wait), 0);
	/* another client is not held back */
	assert_int_equal(gg_ratelimit_take(rl, "10.0.0.2", t + 10 * S, 6, &wait), 1);
	/* a minute later the whole burst is back */
	for (int i = 0; i < 6; i++)
		assert_int_equal(gg_ratelimit_take(rl, "10.0.0.1", t + 80 * S, 6, &wait), 1);
	assert_int_equal(gg_ratelimit_take(rl, "10.0.0.1", t + 80 * S, 6, &wait), 0);
	gg_ratelimit_free(rl);
}

static void test_off_and_null(void **state)
{
	struct gg_ratelimit *rl = gg_ratelimit_new(64);
	int64_t wait = -1;

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(gg_ratelimit_take(rl, "10.0.0.1", 5 * S, 0, &wait), 1);
	assert_int_equal(wait, 0);
	assert_int_equal(gg_ratelimit_take(NULL, "10.0.0.1", 5 * S, 1, &wait), 1);
	gg_ratelimit_free(rl);
	gg_ratelimit_free(NULL);
}

static void test_flood_of_clients(void **state)
{
	struct gg_ratelimit *rl = gg_ratelimit_new(64);
	int64_t wait;
	char ip[32];
	int refused = 0;

	(void)state;
	/* 10,000 addresses in a table of 64 slots: every first request goes through */
	for (int i = 0; i < 10000; i++) {
		snprintf(ip, sizeof ip, "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
		refused += !gg_ratelimit_take(rl, ip, 7 * S, 1, &wait);
	}
	assert_int_equal(refused, 0);
	/* the table still limits: a client at its limit is refused */
	assert_int_equal(gg_ratelimit_take(rl, "192.0.2.1", 7 * S, 1, &wait), 1);
	assert_int_equal(gg_ratelimit_take(rl, "192.0.2.1", 7 * S, 1, &wait), 0);
	assert_int_equal(wait, 60);
	gg_ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burst_then_interval),
	    cmocka_unit_test(test_off_and_null),
	    cmocka_unit_test(test_flood_of_clients),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
