/*
 * idempotency: the Idempotency-Key layer of money-moving requests (routes
 * flagged GG_ROUTE_IDEMPOTENT; table idempotency_keys of 0012,
 * docs/payments.md). The router calls gg_idem_begin before the handler
 * and gg_idem_finish once the response is final (problem+json included).
 * The header is optional; with one (1..200 printable ASCII characters):
 * the first request with that key of that account is recorded as in
 * progress (committed at once, so a concurrent repeat sees it) with the
 * SHA-256 of its method, path and body (a multipart body without its
 * random boundary), then its status and body; a repeat of the same
 * request gets the stored answer with `Idempotent-Replayed: true`; the
 * same key on a different request is 422; while the first still runs 409;
 * an in-progress record older than GG_IDEM_STALE_SECONDS (a crashed
 * request) is taken over. A 5xx answer is not kept: the key may be used
 * again. Answered records older than GG_IDEM_KEEP_SECONDS are purged
 * (the domain's own guards keep a late retry from paying twice).
 */
#ifndef GG_IDEMPOTENCY_H
#define GG_IDEMPOTENCY_H

#include <stdint.h>

#include "../core/crypto.h"
#include "../core/err.h"

#define GG_IDEM_KEY_MAX       200
#define GG_IDEM_STALE_SECONDS 600
#define GG_IDEM_KEEP_SECONDS  (7 * 86400) /* answered records are kept this long, then purged */
#define GG_IDEM_HEADER        "Idempotency-Key"

struct gg_req;

struct gg_idem {
	int active; /* a key is recorded for this request: finish stores the answer */
	int64_t user_id;
	char key[GG_IDEM_KEY_MAX + 1];
};

/**
 * Before the handler of an idempotent route (the caller authenticated,
 * the database open): *replayed 1 with the response set when the answer
 * is stored already. GG_E_INVALID (field Idempotency-Key) for a malformed
 * key, GG_E_RULE for a key used on another request, GG_E_CONFLICT while
 * the first request runs.
 */
enum gg_err gg_idem_begin(struct gg_req *req, struct gg_idem *st, int *replayed, struct gg_error *err);
/** After the response is final: stores it under the key (or drops the key for a 5xx). Never fails the request. */
void gg_idem_finish(struct gg_req *req, struct gg_idem *st);

#endif
