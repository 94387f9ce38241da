/*
 * ratelimit: a per-client request limit for public routes (the card
 * verifier), in a fixed-size table so that memory stays bounded whatever
 * the number of clients. Each client key (its address as text) has one
 * slot holding a theoretical arrival time (the generic cell rate
 * algorithm): a client may send rate requests a minute, in bursts of up
 * to one minute's worth, and is told how long to wait when over. The table
 * is set-associative (a few slots per bucket); a new client takes an idle
 * slot of its bucket, else the one nearest to idle, so a flood of
 * addresses can only make the limit forget clients, never grow memory.
 * Buckets are guarded by striped mutexes: threads contend only when
 * their clients share a stripe.
 */
#ifndef GG_RATELIMIT_H
#define GG_RATELIMIT_H

#include <stdint.h>

#include "../core/err.h"

struct gg_ratelimit;
struct gg_req;

/** A limiter of about slots clients (rounded up to a power of two, at least 64). NULL on out of memory. */
struct gg_ratelimit *gg_ratelimit_new(unsigned slots);
void gg_ratelimit_free(struct gg_ratelimit *rl); /* NULL is a no-op */

/**
 * Counts one request of client key at now_us (a monotonic clock in
 * microseconds) against rate_per_minute: 1 when it may go on, 0 when it is
 * over the limit, with *retry_after_s the whole seconds (>= 1) until it may
 * send again. rate_per_minute <= 0 lets everything through.
 */
int gg_ratelimit_take(struct gg_ratelimit *rl, const char *key, int64_t now_us, int64_t rate_per_minute,
                      int64_t *retry_after_s);

/**
 * Counts request req of client key now: GG_OK when it may go on (also
 * when rl is NULL: a limiter that could not be made turns the limit off,
 * never the route), else GG_E_THROTTLED "more than RATE WHAT a minute;
 * retry in N s" with Retry-After set on req.
 */
enum gg_err gg_ratelimit_request(struct gg_ratelimit *rl, struct gg_req *req, const char *key, int64_t rate_per_minute,
                                 const char *what, struct gg_error *err);

#endif
