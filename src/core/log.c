/*
 * log: JSON lines. Each line is built in a private bounded buffer and then
 * written with one fwrite under a mutex, so lines from the HTTP worker
 * threads never interleave. Timestamps are UTC with milliseconds from the
 * real clock (not the test clock: logs say when things really happened).
 */
#include "log.h"

#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#define LOG_LINE_MAX 16384
#define LOG_MSG_MAX  4096

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_sink; /* NULL: stderr */
static enum gg_log_level log_min = GG_LOG_INFO;

static const char *const level_names[] = {
    [GG_LOG_DEBUG] = "debug",
    [GG_LOG_INFO] = "info",
    [GG_LOG_WARN] = "warn",
    [GG_LOG_ERROR] = "error",
};

void gg_log_setup(FILE *sink, enum gg_log_level min)
{
	pthread_mutex_lock(&log_lock);
	log_sink = sink;
	log_min = min;
	pthread_mutex_unlock(&log_lock);
}

enum gg_err gg_log_parse_level(const char *s, enum gg_log_level *out)
{
	size_t i;

	for (i = 0; s && i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*out = (enum gg_log_level)i;
			return GG_OK;
		}
	}
	return GG_E_INVALID;
}

static int log_enabled(enum gg_log_level lvl)
{
	int on;

	pthread_mutex_lock(&log_lock);
	on = lvl >= log_min;
	pthread_mutex_unlock(&log_lock);
	return on;
}

static const char *level_name(enum gg_log_level lvl)
{
	if ((unsigned)lvl >= sizeof(level_names) / sizeof(level_names[0]))
		return "error";
	return level_names[lvl];
}

/* Starts a line: {"ts":"2026-11-26T19:32:04.123Z","level":"info" */
static enum gg_err log_begin(struct gg_buf *b, enum gg_log_level lvl)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	return gg_buf_addf(b, "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\"", tm.tm_year + 1900,
	                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000,
	                   level_name(lvl));
}

static void log_write(const struct gg_buf *b)
{
	FILE *f;

	pthread_mutex_lock(&log_lock);
	f = log_sink ? log_sink : stderr;
	fwrite(b->buf, 1, b->len, f);
	fflush(f);
	pthread_mutex_unlock(&log_lock);
}

void gg_log(enum gg_log_level lvl, const char *event, const char *fmt, ...)
{
	char msg[LOG_MSG_MAX];
	struct gg_buf b;
	va_list ap;

	if (!log_enabled(lvl))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gg_buf_init(&b, LOG_LINE_MAX);
	if (log_begin(&b, lvl) == GG_OK && gg_buf_adds(&b, ",\"event\":") == GG_OK &&
	    gg_buf_add_json_str(&b, event) == GG_OK && gg_buf_adds(&b, ",\"msg\":") == GG_OK &&
	    gg_buf_add_json_str(&b, msg) == GG_OK && gg_buf_adds(&b, "}\n") == GG_OK)
		log_write(&b);
	gg_buf_release(&b);
}

void gg_log_fields(enum gg_log_level lvl, const char *fields)
{
	struct gg_buf b;

	if (!log_enabled(lvl))
		return;
	gg_buf_init(&b, LOG_LINE_MAX);
	if (log_begin(&b, lvl) == GG_OK && (!fields || !*fields || gg_buf_addf(&b, ",%s", fields) == GG_OK) &&
	    gg_buf_adds(&b, "}\n") == GG_OK)
		log_write(&b);
	gg_buf_release(&b);
}
