/*
 * clock: "now" for the whole program, ISO-8601 formatting and parsing in
 * UTC. Test builds read GUANGGU_TEST_NOW on every call so a test can fix
 * the time of a server it starts; release builds have no such door. Civil
 * dates in a time zone come from the zone's TZif file (RFC 8536) read by
 * this file, not from localtime_r: that needs TZ in the environment of
 * the whole process, which threads cannot change safely.
 */
#include "clock.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* ---- time zones: TZif files (RFC 8536) and their POSIX TZ footer ---- */

#define TZ_NAME_MAX  64
#define TZ_TRANS_MAX 2400 /* a "fat" file of the busiest zone has under 2000 */
#define TZ_TYPES_MAX 256
#define TZ_FILE_MAX  (256 * 1024)

/* One offset rule of a POSIX TZ string: Jn, n or Mm.w.d, at time seconds after local midnight. */
struct tz_rule {
	char kind; /* 'J' (1..365, no Feb 29), 'D' (0..365), 'M' */
	int day, week, month;
	int32_t time;
};

/* A POSIX TZ string "CST-8" or "CET-1CEST,M3.5.0,M10.5.0/3": offsets as east of UTC. */
struct tz_posix {
	int present;
	int32_t std_off, dst_off;
	int has_dst;
	struct tz_rule start, end;
};

struct tz_zone {
	char name[TZ_NAME_MAX + 1];
	size_t ntrans, ntypes;
	int64_t trans[TZ_TRANS_MAX];
	unsigned char idx[TZ_TRANS_MAX];
	int32_t type_off[TZ_TYPES_MAX];
	struct tz_posix footer;
};

static struct tz_zone tz_cache;
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	if (n == 4)
		return (int64_t)(int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t gg_clock_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void gg_clock_civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

char *gg_clock_day_text(int64_t z, char out[11])
{
	int64_t y;
	int m, d;

	gg_clock_civil_from_days(z, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	return out;
}

/* The year of days since 1970-01-01. */
static int64_t year_of_days(int64_t z)
{
	int64_t y;
	int m, d;

	gg_clock_civil_from_days(z, &y, &m, &d);
	return y;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* A decimal number at *s within [min, max]; advances *s. */
static int tz_num(const char **s, int min, int max, int *out)
{
	int v = 0, n = 0;

	while (**s >= '0' && **s <= '9' && n < 8) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (n == 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* [+-]hh[:mm[:ss]] as seconds (hours up to 167, as TZif version 3 allows). */
static int tz_hms(const char **s, int32_t *out)
{
	int sign = 1, h, m = 0, sec = 0;

	if (**s == '+' || **s == '-')
		sign = *(*s)++ == '-' ? -1 : 1;
	if (tz_num(s, 0, 167, &h) != 0)
		return -1;
	if (**s == ':') {
		(*s)++;
		if (tz_num(s, 0, 59, &m) != 0)
			return -1;
		if (**s == ':') {
			(*s)++;
			if (tz_num(s, 0, 59, &sec) != 0)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + sec);
	return 0;
}

/* A zone abbreviation: <...> or at least three letters. */
static int tz_abbr(const char **s)
{
	const char *p = *s;

	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		if (*p != '>')
			return -1;
		*s = p + 1;
		return 0;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	if (p - *s < 3)
		return -1;
	*s = p;
	return 0;
}

static int tz_rule_parse(const char **s, struct tz_rule *r)
{
	r->time = 7200; /* 02:00 local unless given */
	if (**s == 'J') {
		(*s)++;
		r->kind = 'J';
		if (tz_num(s, 1, 365, &r->day) != 0)
			return -1;
	} else if (**s == 'M') {
		(*s)++;
		r->kind = 'M';
		if (tz_num(s, 1, 12, &r->month) != 0 || *(*s)++ != '.' || tz_num(s, 1, 5, &r->week) != 0 ||
		    *(*s)++ != '.' || tz_num(s, 0, 6, &r->day) != 0)
			return -1;
	} else {
		r->kind = 'D';
		if (tz_num(s, 0, 365, &r->day) != 0)
			return -1;
	}
	if (**s == '/') {
		(*s)++;
		if (tz_hms(s, &r->time) != 0)
			return -1;
	}
	return 0;
}

/* Parses a footer such as "CET-1CEST,M3.5.0,M10.5.0/3" (POSIX offsets are west of UTC). */
static int tz_posix_parse(const char *s, struct tz_posix *p)
{
	int32_t off;

	memset(p, 0, sizeof *p);
	if (!*s)
		return 0; /* an empty footer: no rule after the last transition */
	if (tz_abbr(&s) != 0 || tz_hms(&s, &off) != 0)
		return -1;
	p->present = 1;
	p->std_off = -off;
	if (!*s)
		return 0;
	if (tz_abbr(&s) != 0)
		return -1;
	p->has_dst = 1;
	p->dst_off = p->std_off + 3600;
	if (*s && *s != ',') {
		if (tz_hms(&s, &off) != 0)
			return -1;
		p->dst_off = -off;
	}
	if (*s != ',')
		return -1; /* POSIX leaves the default rules to the implementation; zic always writes them */
	s++;
	if (tz_rule_parse(&s, &p->start) != 0 || *s++ != ',' || tz_rule_parse(&s, &p->end) != 0 || *s)
		return -1;
	return 0;
}

static int is_leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The instant (UTC) a rule takes effect in year y, local time being UTC + off. */
static int64_t tz_rule_at(const struct tz_rule *r, int64_t y, int32_t off)
{
	int64_t day;

	if (r->kind == 'J') {
		day = gg_clock_days_from_civil(y, 1, 1) + r->day - 1;
		if (is_leap_year(y) && r->day >= 60)
			day++;
	} else if (r->kind == 'D') {
		day = gg_clock_days_from_civil(y, 1, 1) + r->day;
	} else {
		int64_t first = gg_clock_days_from_civil(y, r->month, 1);
		int wd = (int)((first % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
		int mdays = days_in_month((int)y, r->month);
		int64_t d = (r->day - wd + 7) % 7 + (int64_t)(r->week - 1) * 7;
		while (d >= mdays)
			d -= 7;
		day = first + d;
	}
	return day * 86400 + r->time - off;
}

static int32_t tz_posix_offset(const struct tz_posix *p, int64_t t)
{
	int64_t y, start, end;

	if (!p->has_dst)
		return p->std_off;
	y = year_of_days(floor_div(t + p->std_off, 86400));
	start = tz_rule_at(&p->start, y, p->std_off);
	end = tz_rule_at(&p->end, y, p->dst_off);
	if (start < end)
		return t >= start && t < end ? p->dst_off : p->std_off;
	return t >= end && t < start ? p->std_off : p->dst_off; /* southern hemisphere: DST spans the new year */
}

/* Letters, digits and "/_+-" only, no "..": a name under the zone directory, never a path out of it. */
static int tz_name_ok(const char *tz)
{
	size_t n = tz ? strlen(tz) : 0;

	if (n == 0 || n > TZ_NAME_MAX || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	for (const char *p = tz; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("/_+-", *p)))
			return 0;
	return 1;
}

/* Reads and parses the TZif file of zone tz into z. */
static int tz_load(const char *tz, struct tz_zone *z)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	unsigned char *data = NULL;
	const unsigned char *p, *end;
	size_t len = 0;
	int64_t cnt[6];
	int tsize = 4, rc = -1;
	FILE *f = NULL;

	memset(z, 0, sizeof *z);
	if (!tz_name_ok(tz))
		return -1;
	if (snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz) >= (int)sizeof path)
		return -1;
	if (!(f = fopen(path, "rb")) || !(data = malloc(TZ_FILE_MAX)))
		goto out;
	len = fread(data, 1, TZ_FILE_MAX, f);
	p = data;
	end = data + len;
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		size_t body;
		if (end - p < 44 || memcmp(p, "TZif", 4) != 0)
			goto out;
		for (int i = 0; i < 6; i++)
			cnt[i] = be(p + 20 + 4 * i, 4);
		/* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
		for (int i = 0; i < 6; i++)
			if (cnt[i] < 0 || cnt[i] > 65536)
				goto out;
		body = (size_t)(cnt[3] * tsize + cnt[3] + cnt[4] * 6 + cnt[5] + cnt[2] * (tsize + 4) + cnt[1] + cnt[0]);
		if (pass == 0 && p[4] >= '2') { /* skip the 32-bit data: the 64-bit copy follows */
			if ((size_t)(end - p) < 44 + body)
				goto out;
			p += 44 + body;
			tsize = 8;
			continue;
		}
		if ((size_t)(end - p) < 44 + body || cnt[3] > TZ_TRANS_MAX || cnt[4] < 1 || cnt[4] > TZ_TYPES_MAX)
			goto out;
		p += 44;
		z->ntrans = (size_t)cnt[3];
		z->ntypes = (size_t)cnt[4];
		for (size_t i = 0; i < z->ntrans; i++, p += tsize)
			z->trans[i] = be(p, tsize);
		for (size_t i = 0; i < z->ntrans; i++, p++) {
			if (*p >= z->ntypes)
				goto out;
			z->idx[i] = *p;
		}
		for (size_t i = 0; i < z->ntypes; i++, p += 6)
			z->type_off[i] = (int32_t)be(p, 4);
		p += cnt[5] + cnt[2] * (tsize + 4) + cnt[1] + cnt[0];
		if (tsize == 8) { /* the footer: "\n" POSIX-TZ "\n" */
			char footer[128];
			const unsigned char *nl;
			if (p >= end || *p != '\n' || !(nl = memchr(p + 1, '\n', (size_t)(end - p - 1))) ||
			    (size_t)(nl - p - 1) >= sizeof footer)
				goto out;
			memcpy(footer, p + 1, (size_t)(nl - p - 1));
			footer[nl - p - 1] = '\0';
			if (tz_posix_parse(footer, &z->footer) != 0)
				goto out;
		}
		break;
	}
	snprintf(z->name, sizeof z->name, "%s", tz);
	rc = 0;
out:
	if (f)
		fclose(f);
	free(data);
	if (rc != 0)
		z->name[0] = '\0';
	return rc;
}

static int32_t tz_offset_at(const struct tz_zone *z, int64_t t)
{
	size_t lo = 0, hi = z->ntrans;

	if (z->ntrans == 0 || t < z->trans[0])
		return z->ntrans == 0 && z->footer.present ? tz_posix_offset(&z->footer, t) : z->type_off[0];
	if (t >= z->trans[z->ntrans - 1] && z->footer.present)
		return tz_posix_offset(&z->footer, t);
	while (hi - lo > 1) { /* trans[lo] <= t < trans[hi] */
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->type_off[z->idx[lo]];
}

int gg_clock_utc_offset(const char *tz, int64_t t, int32_t *offset)
{
	int rc = 0;

	pthread_mutex_lock(&tz_lock);
	if (!tz || strcmp(tz_cache.name, tz) != 0 || !tz_cache.name[0])
		rc = tz_load(tz, &tz_cache);
	if (rc == 0)
		*offset = tz_offset_at(&tz_cache, t);
	pthread_mutex_unlock(&tz_lock);
	return rc;
}

int gg_clock_local_day(const char *tz, int64_t t, int64_t *day)
{
	int32_t off;

	if (gg_clock_utc_offset(tz, t, &off) != 0)
		return -1;
	*day = floor_div(t + off, 86400);
	return 0;
}

int gg_clock_day_start(const char *tz, int64_t day, int64_t *t)
{
	int32_t off;
	int64_t guess = day * 86400;

	/* the offset at local midnight: take it at the UTC guess, then at the corrected instant */
	if (gg_clock_utc_offset(tz, guess, &off) != 0 || gg_clock_utc_offset(tz, guess - off, &off) != 0)
		return -1;
	*t = guess - off;
	return 0;
}

/* The installation's zone, written once at start (gg_clock_set_zone) before threads exist. */
static char install_zone[TZ_NAME_MAX + 1] = "Asia/Shanghai";

int gg_clock_set_zone(const char *name)
{
	int32_t off;

	if (!name || strlen(name) > TZ_NAME_MAX || gg_clock_utc_offset(name, 0, &off) != 0)
		return -1;
	gg_strlcpy(install_zone, name, sizeof(install_zone));
	return 0;
}

const char *gg_clock_zone(void)
{
	return install_zone;
}

enum gg_err gg_clock_today(int64_t *day, struct gg_error *err)
{
	if (gg_clock_local_day(gg_clock_zone(), gg_clock_now(), day) != 0)
		return gg_error_set(err, GG_E_CONFIG, "unknown time zone '%s'", gg_clock_zone());
	return GG_OK;
}

void gg_clock_local_month(int64_t t, int *year, int *month)
{
	int64_t day, y;
	int d;

	if (gg_clock_local_day(install_zone, t, &day) != 0)
		day = floor_div(t, 86400);
	gg_clock_civil_from_days(day, &y, month, &d);
	*year = (int)y;
}

int64_t gg_clock_month_start(int year, int month)
{
	int64_t day, t;

	year += (month - 1 >= 0 ? month - 1 : month - 12) / 12;
	month = ((month - 1) % 12 + 12) % 12 + 1;
	day = gg_clock_days_from_civil(year, month, 1);
	if (gg_clock_day_start(install_zone, day, &t) != 0)
		t = day * 86400;
	return t;
}
