/*
 * clock: "now" for the whole program, ISO-8601 formatting and parsing in
 * UTC. Test builds read GUANGGU_TEST_NOW on every call so a test can fix
 * the time of a server it starts; release builds have no such door.
 */
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

#ifdef GG_TEST_BUILD
static int clock_override(int64_t *out)
{
	const char *s = getenv("GUANGGU_TEST_NOW");
	long long v;

	if (!s || !*s)
		return 0;
	if (gg_parse_i64(s, 0, (long long)INT64_MAX, &v) == GG_OK) {
		*out = (int64_t)v;
		return 1;
	}
	return gg_clock_parse_iso(s, out) == 0;
}
#endif

int64_t gg_clock_now(void)
{
	struct timespec ts;

#ifdef GG_TEST_BUILD
	int64_t t;

	if (clock_override(&t))
		return t;
#endif
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t gg_clock_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void gg_clock_iso(int64_t t, char *out, size_t outsz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (outsz == 0)
		return;
	if (!gmtime_r(&tt, &tm)) {
		out[0] = '\0';
		return;
	}
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec);
}

/* n decimal digits at s, as a number; -1 when any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int gg_clock_parse_iso(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	size_t len;
	struct tm tm;

	if (!s || !out)
		return -1;
	len = strlen(s);
	if (len != 10 && len != 20)
		return -1;
	if (s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (len == 20) {
		if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
			return -1;
		h = digits(s + 11, 2);
		mi = digits(s + 14, 2);
		sec = digits(s + 17, 2);
	}
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (int64_t)timegm(&tm);
	return 0;
}

int gg_clock_set_zone(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[512], tz[160];
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len >= 128 || name[0] == '/' || strstr(name, ".."))
		return -1;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("/_+-", *p)))
			return -1;
	/* glibc takes an unknown name for UTC without a word: look for the zone's file first */
	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if (access(path, R_OK) != 0 && strcmp(name, "UTC") != 0)
		return -1;
	snprintf(tz, sizeof(tz), ":%s", name);
	if (setenv("TZ", tz, 1) != 0)
		return -1;
	tzset();
	return 0;
}

void gg_clock_local_month(int64_t t, int *year, int *month)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm)) {
		*year = 1970;
		*month = 1;
		return;
	}
	*year = tm.tm_year + 1900;
	*month = tm.tm_mon + 1;
}

int64_t gg_clock_month_start(int year, int month)
{
	struct tm tm;

	year += (month - 1 >= 0 ? month - 1 : month - 12) / 12;
	month = ((month - 1) % 12 + 12) % 12 + 1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = 1;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}
