/*
 * log: one JSON object per line on stderr (or a FILE given to
 * gg_log_open). Thread-safe: a line is written with one fwrite under a lock.
 * Never pass personal data (ID numbers, phones, e-mail, passwords, tokens).
 */
#ifndef GG_LOG_H
#define GG_LOG_H

#include <stdio.h>

#include "buf.h"

enum gg_log_level { GG_LOG_DEBUG, GG_LOG_INFO, GG_LOG_WARN, GG_LOG_ERROR };

/** Sets the sink (NULL: stderr) and the lowest level written. */
void gg_log_setup(FILE *sink, enum gg_log_level min);
/** "debug"/"info"/"warn"/"error" to a level; GG_E_INVALID otherwise. */
enum gg_err gg_log_parse_level(const char *s, enum gg_log_level *out);

/**
 * Writes {"ts":"2026-11-26T19:32:04.123Z","level":"info","event":EVENT,"msg":MSG}.
 * msg is printf-formatted.
 */
void gg_log(enum gg_log_level lvl, const char *event, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * Writes a prepared JSON object as one line, adding "ts" and "level" in
 * front: fields must be the object's members without braces, e.g.
 * "\"event\":\"access\",\"status\":200". Used for access-log lines.
 */
void gg_log_fields(enum gg_log_level lvl, const char *fields);

#endif
