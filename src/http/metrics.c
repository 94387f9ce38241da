/*
 * metrics: one array of relaxed atomic counters per kind of series,
 * indexed by route slot (the routes, then "unmatched" and "static"), method and status
 * (or latency bucket). Writers only add; the renderer reads each counter
 * once and prints the non-zero series, histograms cumulatively with
 * _count taken as the sum of the buckets so that the two always agree.
 */
#include "metrics.h"

#include <stdatomic.h>
#include <string.h>

#include "router.h"

#define ROUTE_SLOTS GG_ROUTER_SLOTS

static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/* Statuses counted by their own label; others count under their class ("2xx"). */
static const int statuses[] = {200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 405, 409,
                               410, 412, 413, 415, 422, 428, 429, 500, 502, 503, 504};
#define NSTATUSES (sizeof(statuses) / sizeof(statuses[0]))
static const char *const classes[] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
#define NCLASSES     (sizeof(classes) / sizeof(classes[0]))
#define STATUS_SLOTS (NSTATUSES + NCLASSES)

/* Upper bounds of the latency buckets in microseconds, and their labels; the last is +Inf. */
static const int64_t bucket_us[] = {1000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000};
static const char *const bucket_le[] = {"0.001", "0.005", "0.01", "0.025", "0.05", "0.1",
                                        "0.25",  "0.5",   "1",    "2.5",   "5",    "+Inf"};
#define NBUCKETS (sizeof(bucket_le) / sizeof(bucket_le[0]))

static atomic_ullong requests[ROUTE_SLOTS][NMETHODS][STATUS_SLOTS];
static atomic_ullong buckets[ROUTE_SLOTS][NMETHODS][NBUCKETS];
static atomic_ullong sum_us[ROUTE_SLOTS][NMETHODS];
static atomic_llong in_flight;

static size_t method_slot(const char *m)
{
	size_t i;

	for (i = 0; m && i < NMETHODS - 1; i++) {
		if (strcmp(methods[i], m) == 0)
			return i;
	}
	return NMETHODS - 1;
}

static size_t status_slot(int status)
{
	size_t i;

	for (i = 0; i < NSTATUSES; i++) {
		if (statuses[i] == status)
			return i;
	}
	if (status >= 100 && status <= 599)
		return NSTATUSES + (size_t)(status / 100 - 1);
	return NSTATUSES + NCLASSES - 1;
}

void gg_metrics_observe(size_t route, const char *method, int status, int64_t duration_us)
{
	size_t r = route < ROUTE_SLOTS ? route : GG_ROUTER_SLOT_UNMATCHED;
	size_t m = method_slot(method);
	size_t b;

	if (duration_us < 0)
		duration_us = 0;
	for (b = 0; b < NBUCKETS - 1 && duration_us > bucket_us[b]; b++)
		;
	atomic_fetch_add_explicit(&requests[r][m][status_slot(status)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&buckets[r][m][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_us[r][m], (unsigned long long)duration_us, memory_order_relaxed);
}

void gg_metrics_in_flight(int delta)
{
	atomic_fetch_add_explicit(&in_flight, delta, memory_order_relaxed);
}

void gg_metrics_reset(void)
{
	size_t r, m, i;

	for (r = 0; r < ROUTE_SLOTS; r++) {
		for (m = 0; m < NMETHODS; m++) {
			for (i = 0; i < STATUS_SLOTS; i++)
				atomic_store(&requests[r][m][i], 0);
			for (i = 0; i < NBUCKETS; i++)
				atomic_store(&buckets[r][m][i], 0);
			atomic_store(&sum_us[r][m], 0);
		}
	}
	atomic_store(&in_flight, 0);
}

enum gg_err gg_metrics_escape(struct gg_buf *out, const char *s)
{
	enum gg_err rc = GG_OK;

	for (; rc == GG_OK && s && *s; s++) {
		if (*s == '\\')
			rc = gg_buf_adds(out, "\\\\");
		else if (*s == '"')
			rc = gg_buf_adds(out, "\\\"");
		else if (*s == '\n')
			rc = gg_buf_adds(out, "\\n");
		else
			rc = gg_buf_addch(out, *s);
	}
	return rc;
}

static const char *route_name(size_t r)
{
	if (r == GG_ROUTER_SLOT_STATIC)
		return "static";
	return r < GG_ROUTES_COUNT ? gg_routes[r].pattern : "unmatched";
}

/* name{route="..",method=".." */
static enum gg_err series_start(struct gg_buf *out, const char *name, size_t r, size_t m)
{
	enum gg_err rc;

	rc = gg_buf_addf(out, "%s{route=\"", name);
	if (rc == GG_OK)
		rc = gg_metrics_escape(out, route_name(r));
	if (rc == GG_OK)
		rc = gg_buf_adds(out, "\",method=\"");
	if (rc == GG_OK)
		rc = gg_metrics_escape(out, methods[m]);
	if (rc == GG_OK)
		rc = gg_buf_addch(out, '"');
	return rc;
}

static enum gg_err render_requests(struct gg_buf *out)
{
	enum gg_err rc;
	unsigned long long n;
	size_t r, m, s;
	char label[16];

	rc =
	    gg_buf_adds(out, "# HELP guanggu_http_requests_total HTTP requests answered, by route, method and status.\n"
	                     "# TYPE guanggu_http_requests_total counter\n");
	for (r = 0; rc == GG_OK && r < ROUTE_SLOTS; r++) {
		for (m = 0; rc == GG_OK && m < NMETHODS; m++) {
			for (s = 0; rc == GG_OK && s < STATUS_SLOTS; s++) {
				n = atomic_load_explicit(&requests[r][m][s], memory_order_relaxed);
				if (n == 0)
					continue;
				if (s < NSTATUSES)
					snprintf(label, sizeof(label), "%d", statuses[s]);
				else
					gg_strlcpy(label, classes[s - NSTATUSES], sizeof(label));
				rc = series_start(out, "guanggu_http_requests_total", r, m);
				if (rc == GG_OK)
					rc = gg_buf_addf(out, ",status=\"%s\"} %llu\n", label, n);
			}
		}
	}
	return rc;
}

static enum gg_err render_histogram(struct gg_buf *out)
{
	enum gg_err rc;
	unsigned long long b[NBUCKETS], total, cum, us;
	size_t r, m, i;

	rc = gg_buf_adds(out, "# HELP guanggu_http_request_duration_seconds Time to answer a request, by route and "
	                      "method.\n"
	                      "# TYPE guanggu_http_request_duration_seconds histogram\n");
	for (r = 0; rc == GG_OK && r < ROUTE_SLOTS; r++) {
		for (m = 0; rc == GG_OK && m < NMETHODS; m++) {
			total = 0;
			for (i = 0; i < NBUCKETS; i++) {
				b[i] = atomic_load_explicit(&buckets[r][m][i], memory_order_relaxed);
				total += b[i];
			}
			if (total == 0)
				continue;
			us = atomic_load_explicit(&sum_us[r][m], memory_order_relaxed);
			cum = 0;
			for (i = 0; rc == GG_OK && i < NBUCKETS; i++) {
				cum += b[i];
				rc = series_start(out, "guanggu_http_request_duration_seconds_bucket", r, m);
				if (rc == GG_OK)
					rc = gg_buf_addf(out, ",le=\"%s\"} %llu\n", bucket_le[i], cum);
			}
			if (rc == GG_OK)
				rc = series_start(out, "guanggu_http_request_duration_seconds_sum", r, m);
			if (rc == GG_OK)
				rc = gg_buf_addf(out, "} %llu.%06llu\n", us / 1000000ULL, us % 1000000ULL);
			if (rc == GG_OK)
				rc = series_start(out, "guanggu_http_request_duration_seconds_count", r, m);
			if (rc == GG_OK)
				rc = gg_buf_addf(out, "} %llu\n", total);
		}
	}
	return rc;
}

enum gg_err gg_metrics_render(struct gg_buf *out)
{
	enum gg_err rc;

	rc = render_requests(out);
	if (rc == GG_OK)
		rc = render_histogram(out);
	if (rc == GG_OK)
		rc = gg_buf_addf(out,
		                 "# HELP guanggu_http_requests_in_flight Requests being answered now.\n"
		                 "# TYPE guanggu_http_requests_in_flight gauge\n"
		                 "guanggu_http_requests_in_flight %lld\n",
		                 (long long)atomic_load_explicit(&in_flight, memory_order_relaxed));
	return rc;
}
