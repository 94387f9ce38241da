/*
 * clock: the one source of "now". Release builds read the system clock;
 * test builds (-DGG_TEST_BUILD) honour GUANGGU_TEST_NOW (seconds since the
 * epoch, or an ISO date-time "2026-11-26T08:00:00Z"), so tests can move
 * time (session expiry, token expiry) without sleeping. Also the calendar
 * months of the configured time zone.
 */
#ifndef GG_CLOCK_H
#define GG_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/** Seconds since the epoch. */
int64_t gg_clock_now(void);
/** Milliseconds of a monotonic clock, for durations. */
int64_t gg_clock_mono_ms(void);
/** Formats t as "2026-11-26T19:32:04Z" (UTC) into out (>= 21 bytes). */
void gg_clock_iso(int64_t t, char *out, size_t outsz);
/** Parses "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" (as midnight UTC); -1 on error. */
int gg_clock_parse_iso(const char *s, int64_t *out);

/*
 * Local time: the timezone setting decides "today" and calendar months.
 * The zone is the process's (TZ), set once at start before any thread
 * runs; localtime_r and mktime only read it afterwards.
 */
/** Sets the zone of local dates to name (an IANA name: "Asia/Shanghai", "UTC"); -1 when none is installed. */
int gg_clock_set_zone(const char *name);
/** The local year and month (1..12) of instant t. */
void gg_clock_local_month(int64_t t, int *year, int *month);
/** The instant local month (year, month) begins: midnight of its first day; month 0 or 13 carry into the year. */
int64_t gg_clock_month_start(int year, int month);

#endif
