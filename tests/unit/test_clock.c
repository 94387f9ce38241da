/*
 * test_clock: the clock's override in test builds, ISO formatting and
 * parsing, and civil days in a time zone read from the system's time zone
 * database: a zone without daylight saving time, one with it on both
 * sides of a change, a southern-hemisphere one whose summer spans the new
 * year, instants past the last transition of the file (its POSIX rule),
 * and names that are no zone or try to leave the zone directory.
 */
#include "unit.h"

#include "core/clock.h"

static void test_override_and_iso(void **state)
{
	char iso[32];
	int64_t t;

	(void)state;
	assert_int_equal(setenv("GUANGGU_TEST_NOW", "2026-11-26T08:00:00Z", 1), 0);
	assert_int_equal(gg_clock_now(), 1795680000LL);
	assert_int_equal(setenv("GUANGGU_TEST_NOW", "1795680001", 1), 0);
	assert_int_equal(gg_clock_now(), 1795680001LL);
	unsetenv("GUANGGU_TEST_NOW");
	gg_clock_iso(1795680000LL, iso, sizeof iso);
	assert_string_equal(iso, "2026-11-26T08:00:00Z");
	assert_int_equal(gg_clock_parse_iso("2026-11-26", &t), 0);
	assert_int_equal(t, 1795651200LL);
	assert_int_equal(gg_clock_parse_iso("2026-02-29", &t), -1);
}

static int32_t offset(const char *tz, const char *when)
{
	int64_t t;
	int32_t off = 12345;

	assert_int_equal(gg_clock_parse_iso(when, &t), 0);
	if (gg_clock_utc_offset(tz, t, &off) != 0)
		fail_msg("no offset for %s at %s", tz, when);
	return off;
}

static void test_offsets(void **state)
{
	(void)state;
	assert_int_equal(offset("Asia/Shanghai", "2026-11-26T08:00:00Z"), 8 * 3600);
	assert_int_equal(offset("Asia/Shanghai", "2026-07-01T00:00:00Z"), 8 * 3600);
	assert_int_equal(offset("Asia/Shanghai", "1988-07-01T00:00:00Z"), 9 * 3600); /* China had DST 1986-1991 */
	assert_int_equal(offset("Asia/Shanghai", "2080-01-01T00:00:00Z"), 8 * 3600);
	assert_int_equal(offset("UTC", "2026-11-26T08:00:00Z"), 0);
	/* Berlin: CET, CEST from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC */
	assert_int_equal(offset("Europe/Berlin", "2026-01-15T12:00:00Z"), 3600);
	assert_int_equal(offset("Europe/Berlin", "2026-03-29T00:59:59Z"), 3600);
	assert_int_equal(offset("Europe/Berlin", "2026-03-29T01:00:00Z"), 7200);
	assert_int_equal(offset("Europe/Berlin", "2026-10-25T00:59:59Z"), 7200);
	assert_int_equal(offset("Europe/Berlin", "2026-10-25T01:00:00Z"), 3600);
	/* past the file's transitions: its POSIX rule (2050-03-27 is the last Sunday of March) */
	assert_int_equal(offset("Europe/Berlin", "2050-03-27T00:59:59Z"), 3600);
	assert_int_equal(offset("Europe/Berlin", "2050-03-27T01:00:00Z"), 7200);
	assert_int_equal(offset("Europe/Berlin", "2050-12-01T00:00:00Z"), 3600);
	/* Sydney: summer time from the first Sunday of October to the first Sunday of April */
	assert_int_equal(offset("Australia/Sydney", "2026-01-15T00:00:00Z"), 11 * 3600);
	assert_int_equal(offset("Australia/Sydney", "2026-07-15T00:00:00Z"), 10 * 3600);
	assert_int_equal(offset("Australia/Sydney", "2060-01-15T00:00:00Z"), 11 * 3600);
	assert_int_equal(offset("Australia/Sydney", "2060-07-15T00:00:00Z"), 10 * 3600);
	/* west of UTC */
	assert_int_equal(offset("America/New_York", "2060-01-15T00:00:00Z"), -5 * 3600);
	assert_int_equal(offset("America/New_York", "2060-07-15T00:00:00Z"), -4 * 3600);
}

static void test_days(void **state)
{
	int64_t t, day, start;

	(void)state;
	/* 2026-11-25T16:30:00Z is 2026-11-26 00:30 in Shanghai, still the 25th in UTC */
	assert_int_equal(gg_clock_parse_iso("2026-11-25T16:30:00Z", &t), 0);
	assert_int_equal(gg_clock_local_day("Asia/Shanghai", t, &day), 0);
	assert_int_equal(day, 1795651200LL / 86400);
	assert_int_equal(gg_clock_local_day("UTC", t, &day), 0);
	assert_int_equal(day, 1795651200LL / 86400 - 1);
	/* the first instant of the 26th in Shanghai: 16:00 UTC the day before */
	assert_int_equal(gg_clock_day_start("Asia/Shanghai", 1795651200LL / 86400, &start), 0);
	assert_int_equal(start, 1795651200LL - 8 * 3600);
	/* New York, west of UTC: the 26th begins at 05:00 UTC */
	assert_int_equal(gg_clock_day_start("America/New_York", 1795651200LL / 86400, &start), 0);
	assert_int_equal(start, 1795651200LL + 5 * 3600);
	/* before 1970: days below zero */
	assert_int_equal(gg_clock_parse_iso("1969-12-31T12:00:00Z", &t), 0);
	assert_int_equal(gg_clock_local_day("UTC", t, &day), 0);
	assert_int_equal(day, -1);
}

static void test_civil_days(void **state)
{
	char text[11];
	int64_t y;
	int m, d;

	(void)state;
	assert_int_equal(gg_clock_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(gg_clock_days_from_civil(2026, 11, 26), 1795651200LL / 86400);
	assert_string_equal(gg_clock_day_text(gg_clock_days_from_civil(2024, 2, 29), text), "2024-02-29");
	assert_string_equal(gg_clock_day_text(-1, text), "1969-12-31");
	/* the two directions agree over four centuries, leap days included */
	for (int64_t z = -146097; z <= 146097; z += 7) {
		gg_clock_civil_from_days(z, &y, &m, &d);
		assert_int_equal(gg_clock_days_from_civil(y, m, d), z);
	}
}

static void test_bad_zones(void **state)
{
	static const char *bad[] = {"",
	                            "Nowhere/Atlantis",
	                            "../../etc/passwd",
	                            "/etc/localtime",
	                            "Asia/../Asia/Shanghai",
	                            "Asia/Shang hai",
	                            "zone.tab"};
	int32_t off;
	int64_t day;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (gg_clock_utc_offset(bad[i], 0, &off) != -1)
			fail_msg("'%s' accepted as a time zone", bad[i]);
	assert_int_equal(gg_clock_utc_offset(NULL, 0, &off), -1);
	assert_int_equal(gg_clock_local_day("Nowhere/Atlantis", 0, &day), -1);
	/* a good zone after a bad one is read again */
	assert_int_equal(gg_clock_utc_offset("Asia/Shanghai", 1795680000LL, &off), 0);
	assert_int_equal(off, 8 * 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_override_and_iso), cmocka_unit_test(test_offsets),   cmocka_unit_test(test_days),
	    cmocka_unit_test(test_civil_days),       cmocka_unit_test(test_bad_zones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
