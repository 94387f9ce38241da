/*
 * clock: the one source of "now". Release builds read the system clock;
 * test builds (-DGG_TEST_BUILD) honour GUANGGU_TEST_NOW (seconds since the
 * epoch, or an ISO date-time "2026-11-26T08:00:00Z"), so tests can move
 * time (session expiry, token expiry) without sleeping.
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

#endif
