/*
 * metrics: request counters and latency histograms of the HTTP server,
 * kept in process-wide atomics (one server per process) and rendered in
 * the Prometheus text format (version 0.0.4) for GET /metrics. Series are
 * keyed by route slot (gg_router_slot: the routes.tbl index, or the
 * slots of unmatched requests and of the web UI's files), method and status.
 */
#ifndef GG_METRICS_H
#define GG_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "../core/buf.h"

/** Counts one answered request. route: its slot (gg_router_slot); out of range counts as unmatched. */
void gg_metrics_observe(size_t route, const char *method, int status, int64_t duration_us);
/** Moves the in-flight gauge by delta (+1 when a request starts, -1 when it ends). */
void gg_metrics_in_flight(int delta);
/** Appends every non-zero series to out. GG_E_TOO_LARGE when out's maximum is reached. */
enum gg_err gg_metrics_render(struct gg_buf *out);
/** Zeroes every series (tests). */
void gg_metrics_reset(void);
/** Appends s escaped as a Prometheus label value (backslash, double quote, newline), without quotes. */
enum gg_err gg_metrics_escape(struct gg_buf *out, const char *s);

#endif
