/*
 * api_cardtoken: the public side of digital talent card tokens (issue 7,
 * cardtoken.h). GET /api/v1/cards/verify?token= answers anyone, without a
 * login, the online verdict on a token: 200 {"valid": true, tier,
 * expires_at, valid_to, benefits} or 200 {"valid": false, reason}, never
 * who holds the card; it is limited per client address by the
 * verify_rate_per_minute setting (429 with Retry-After; behind the
 * trusted_proxy, the address it forwards). GET
 * /api/v1/cards/keys publishes the public keys (the keys file as text, or
 * ?format=json), and POST /api/v1/cards/keys/rotate makes a new signing
 * key (card_keys_manage; audited by gg_cardkey_rotate).
 *
 * The verifier is the hottest public route (bench/verify.sh): it builds
 * its small JSON answer straight into a buffer instead of a jansson tree,
 * and reads through gg_cardtoken_verify's cached statements in one read
 * transaction.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "../core/clock.h"
#include "../domain/cardtoken.h"
#include "api.h"
#include "ratelimit.h"
#include "router.h"

#define VERIFY_BODY_MAX (512 * 1024) /* 128 benefits of long names fit many times over */
#define LIMITER_CLIENTS 16384        /* clients the rate limit remembers at once (256 KiB) */
#define TOKEN_QUERY_MAX 1024         /* longer is refused as input; up to it, a long token is "malformed" */

static struct gg_ratelimit *limiter;
static pthread_once_t limiter_once = PTHREAD_ONCE_INIT;

static void limiter_make(void)
{
	limiter = gg_ratelimit_new(LIMITER_CLIENTS); /* NULL (no memory): the limit is off, never the route */
}

/*
 * The client the limit counts: the connection's address, or behind the
 * trusted_proxy the address that proxy appended last to X-Forwarded-For
 * (what it saw; anything before it the client may have written itself).
 */
static const char *client_of(struct gg_req *req, char *buf, size_t bufsz)
{
	const char *peer = gg_req_client(req), *proxy = gg_config_str(gg_req_config(req), GG_CFG_trusted_proxy);
	const char *xff, *last;
	size_t n;

	if (!proxy[0] || strcmp(peer, proxy) != 0 || !(xff = gg_req_header(req, "X-Forwarded-For")))
		return peer;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	if (n == 0 || n >= bufsz)
		return peer;
	memcpy(buf, last, n);
	buf[n] = '\0';
	return buf;
}

/* 0 when the client may go on; GG_E_THROTTLED with Retry-After set otherwise. */
static enum gg_err rate_limit(struct gg_req *req, struct gg_error *err)
{
	int64_t rate = gg_config_int(gg_req_config(req), GG_CFG_verify_rate_per_minute);
	char client[64];

	if (rate <= 0)
		return GG_OK;
	pthread_once(&limiter_once, limiter_make);
	return gg_ratelimit_request(limiter, req, client_of(req, client, sizeof client), rate,
	                            "verifications from this address", err);
}

/* Appends s, then the decimal v, then t: the JSON is written without printf on this hot path. */
static enum gg_err add_num(struct gg_buf *b, const char *s, int64_t v, const char *t)
{
	char d[24], *p = d + sizeof d;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	enum gg_err rc;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	if ((rc = gg_buf_adds(b, s)) == GG_OK && (rc = gg_buf_add(b, p, (size_t)(d + sizeof d - p))) == GG_OK)
		rc = gg_buf_adds(b, t);
	return rc;
}

/* Appends s, then t as a JSON string. */
static enum gg_err add_str(struct gg_buf *b, const char *s, const char *t)
{
	enum gg_err rc = gg_buf_adds(b, s);

	return rc == GG_OK ? gg_buf_add_json_str(b, t) : rc;
}

static enum gg_err benefit_json(struct gg_buf *b, const struct gg_card_benefit *x, int first)
{
	enum gg_err rc = add_num(b, first ? "{\"id\":" : ",{\"id\":", x->id, "");

	if (rc == GG_OK)
		rc = add_str(b, ",\"category\":", x->category);
	if (rc == GG_OK)
		rc = add_str(b, ",\"name\":", x->name);
	if (rc == GG_OK)
		rc = add_str(b, ",\"name_en\":", x->name_en);
	if (rc == GG_OK)
		rc = add_num(b, ",\"provider\":{\"id\":", x->provider_id, "");
	if (rc == GG_OK)
		rc = add_str(b, ",\"name\":", x->provider);
	if (rc == GG_OK && x->annual_quota > 0)
		rc = add_num(b, "},\"annual_quota\":", x->annual_quota, "");
	else if (rc == GG_OK)
		rc = gg_buf_adds(b, "},\"annual_quota\":null");
	if (rc == GG_OK)
		rc = gg_buf_adds(b, x->needs_booking ? ",\"needs_booking\":true}" : ",\"needs_booking\":false}");
	return rc;
}

/* The verdict's JSON: only the tier, the token's expiry, the card's validity and the tier's benefits. */
static enum gg_err verdict_json(struct gg_buf *b, const struct gg_card_verdict *v)
{
	char iso[32];
	enum gg_err rc;

	if (v->reason != GG_CTR_VALID) {
		rc = add_str(b, "{\"valid\":false,\"reason\":", gg_cardtoken_reason_token(v->reason));
		return rc == GG_OK ? gg_buf_addch(b, '}') : rc;
	}
	gg_clock_iso(v->claims.expires_at, iso, sizeof iso);
	/* a card without a tier (an officer's approval of an unrecognised talent): null */
	rc = v->tier[0] ? add_str(b, "{\"valid\":true,\"tier\":", v->tier)
	                : gg_buf_adds(b, "{\"valid\":true,\"tier\":null");
	if (rc == GG_OK)
		rc = add_str(b, ",\"expires_at\":", iso);
	if (rc == GG_OK)
		rc = add_str(b, ",\"valid_to\":", v->valid_to);
	if (rc == GG_OK)
		rc = gg_buf_adds(b, ",\"benefits\":[");
	for (size_t i = 0; rc == GG_OK && i < v->nbenefits; i++)
		rc = benefit_json(b, &v->benefits[i], i == 0);
	if (rc == GG_OK)
		rc = gg_buf_adds(b, "]}");
	return rc;
}

/*
 * Runs a statement without rows through the connection's statement cache:
 * BEGIN and COMMIT of the verifier's read transaction, which gg_db_begin
 * would compile again on every request.
 */
static enum gg_err run_cached(struct gg_db *db, const char *sql, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc = gg_db_prepare(db, sql, &st, err);

	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

enum gg_err api_cardtoken_verify(struct gg_req *req, struct gg_error *err)
{
	struct gg_card_verdict v; /* ~57 KiB on the worker's stack: no allocation per verification */
	const char *token;
	struct gg_db *db;
	struct gg_buf b;
	enum gg_err rc;

	if ((rc = rate_limit(req, err)) != GG_OK)
		return rc;
	token = gg_req_query(req, "token");
	if (!token || !*token)
		return gg_error_field(err, GG_E_INVALID, "token", "token is required");
	if (strlen(token) > TOKEN_QUERY_MAX)
		return gg_error_field(err, GG_E_INVALID, "token", "token must be at most %d bytes", TOKEN_QUERY_MAX);
	/*
	 * One read transaction for the key, the card and the catalogue: a
	 * snapshot, and one shared lock of the database file instead of one a
	 * statement (the lock's system calls cost more than the reads).
	 */
	if (!(db = gg_req_db_try(req, err)))
		return err->code != GG_OK ? err->code : gg_error_set(err, GG_E_UNAVAILABLE, NULL);
	if ((rc = run_cached(db, "BEGIN", err)) != GG_OK)
		return rc;
	rc = gg_cardtoken_verify(db, token, gg_clock_now(), 1, &v, err);
	if (rc == GG_OK)
		rc = run_cached(db, "COMMIT", err);
	gg_db_rollback(db); /* only when something failed: a no-op after COMMIT */
	if (rc != GG_OK)
		return rc;
	gg_buf_init(&b, VERIFY_BODY_MAX);
	rc = verdict_json(&b, &v);
	if (rc == GG_OK)
		rc = gg_resp_bytes(req, 200, "application/json", b.buf, b.len);
	gg_buf_release(&b);
	if (rc == GG_OK)
		rc = gg_resp_header(req, "Cache-Control", "no-store");
	return rc == GG_OK ? GG_OK : gg_error_set(err, rc, "cannot answer the verdict");
}

enum gg_err api_cardkeys_get(struct gg_req *req, struct gg_error *err)
{
	const char *format = gg_req_query(req, "format");
	struct gg_cardkey_info keys[GG_CARDKEYS_MAX];
	struct gg_json *items, *o;
	struct gg_buf b;
	size_t n = 0;
	enum gg_err rc;
	int ok;

	if (!format || !*format || strcmp(format, "text") == 0) {
		gg_buf_init(&b, 64 * 1024);
		rc = gg_cardkeys_export(gg_req_db(req), &b, err);
		if (rc == GG_OK)
			rc = gg_resp_bytes(req, 200, "text/plain; charset=utf-8", b.buf, b.len);
		gg_buf_release(&b);
		return rc == GG_OK || err->code != GG_OK ? rc : gg_error_set(err, rc, NULL);
	}
	if (strcmp(format, "json") != 0)
		return gg_error_field(err, GG_E_INVALID, "format", "format must be text or json");
	if ((rc = gg_cardkey_list(gg_req_db(req), keys, GG_CARDKEYS_MAX, &n, err)) != GG_OK)
		return rc;
	items = gg_json_array();
	ok = items != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		o = gg_json_object();
		ok = o != NULL;
		ok = ok && gg_json_set_str(o, "kid", keys[i].kid) == GG_OK;
		ok = ok && gg_json_set_str(o, "public_key", keys[i].public_key) == GG_OK;
		gg_api_set_time(o, "created_at", keys[i].created_at, &ok);
		gg_api_set_time(o, "retired_at", keys[i].retired_at, &ok);
		if (o && gg_json_append(items, o) != GG_OK)
			ok = 0;
	}
	o = ok ? gg_json_object() : NULL;
	if (!o || gg_json_set(o, "items", items) != GG_OK) {
		if (!o)
			gg_json_free(items);
		gg_json_free(o);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 200, o);
}

enum gg_err api_cardkeys_rotate(struct gg_req *req, struct gg_error *err)
{
	char kid[GG_CARDTOKEN_KID_MAX];
	struct gg_actor actor;
	struct gg_json *body;
	enum gg_err rc;

	gg_api_actor(req, &actor);
	if ((rc = gg_cardkey_rotate(gg_req_db(req), gg_req_keys(req), &actor, kid, err)) != GG_OK)
		return rc;
	body = gg_json_object();
	if (!body || gg_json_set_str(body, "kid", kid) != GG_OK) {
		gg_json_free(body);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	return gg_resp_json(req, 201, body);
}
