/*
 * clock: the one source of "now". Release builds read the system clock;
 * test builds (-DGG_TEST_BUILD) honour GUANGGU_TEST_NOW (seconds since the
 * epoch, or an ISO date-time "2026-11-26T08:00:00Z"), so tests can move
 * time (session expiry, token expiry) without sleeping. Civil dates in
 * the `timezone` setting ("today", a task's age) come from the system's
 * time zone database.
 */
#ifndef GG_CLOCK_H
#define GG_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/** Seconds since the epoch. */
int64_t gg_clock_now(void);
/** Milliseconds of a monotonic clock, for durations. */
int64_t gg_clock_mono_ms(void);
/** Formats t as "2026-11-26T19:32:04Z" (UTC) into out (>= 21 bytes). */
void gg_clock_iso(int64_t t, char *out, size_t outsz);
/** Parses "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" (as midnight UTC); -1 on error. */
int gg_clock_parse_iso(const char *s, int64_t *out);

/** Days since 1970-01-01 of the civil date y-m-d (proleptic Gregorian; m 1..12, d 1..31). */
int64_t gg_clock_days_from_civil(int64_t y, int m, int d);
/** The civil date of z days since 1970-01-01: the inverse of gg_clock_days_from_civil. */
void gg_clock_civil_from_days(int64_t z, int64_t *year, int *month, int *day);
/** Writes the civil date of z days since 1970-01-01 as "YYYY-MM-DD" (years 0..9999) into out; returns out. */
char *gg_clock_day_text(int64_t z, char out[11]);

/**
 * The offset from UTC in seconds of time zone tz (an IANA name such as
 * "Asia/Shanghai", the `timezone` setting) at instant t, from the system's
 * time zone database (TZif files under $TZDIR or /usr/share/zoneinfo, as
 * the C library reads them; Debian's tzdata package, priority required),
 * including the rule that follows the file's last transition. Thread-safe
 * (the last zone read is kept, under a lock). 0, or -1 when tz names no
 * zone there.
 */
int gg_clock_utc_offset(const char *tz, int64_t t, int32_t *offset);
/** The civil date of instant t in zone tz as days since 1970-01-01 (the day of "today" is the day of now); -1 when tz
 * names no zone. */
int gg_clock_local_day(const char *tz, int64_t t, int64_t *day);
/** The first instant of civil day `day` (days since 1970-01-01) in zone tz; -1 when tz names no zone. */
int gg_clock_day_start(const char *tz, int64_t day, int64_t *t);

/*
 * The zone of the installation: `timezone` is checked and recorded once at
 * start, before any thread runs (cli.c); the functions below read it.
 */
/** Records name (an IANA zone) as the installation's zone; -1, nothing changed, when no such zone is installed. */
int gg_clock_set_zone(const char *name);
/** The installation's zone ("Asia/Shanghai" until gg_clock_set_zone). */
const char *gg_clock_zone(void);
/** The civil day of now in the installation's zone into *day; GG_E_CONFIG "unknown time zone 'X'" when it is missing.
 */
enum gg_err gg_clock_today(int64_t *day, struct gg_error *err);
/** The local year and month (1..12) of instant t in the installation's zone. */
void gg_clock_local_month(int64_t t, int *year, int *month);
/** The instant local month (year, month) begins in the installation's zone; month 0 or 13 carry into the year. */
int64_t gg_clock_month_start(int year, int month);

#endif
