/*
 * idempotency: Idempotency-Key records (idempotency.h). The record is
 * written in a write transaction of its own before the handler runs and
 * updated in another after it: the handler's own transaction stays the
 * one that changes the domain, so a crash between them leaves an
 * in-progress record whose request either committed or did not, and a
 * retry after GG_IDEM_STALE_SECONDS finds out from the domain's state
 * (the open run answered again, an approved run 409).
 */
#include "idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "multipart.h"
#include "router.h"

/* SHA-256 hex of method, path and body; a multipart body hashed without its boundary. */
static void request_hash(struct gg_req *req, char out[GG_SHA256_HEX])
{
	struct gg_buf b;
	char boundary[GG_MULTIPART_BOUNDARY_MAX];
	struct gg_error err;
	const char *ct = gg_req_content_type(req);
	const char *body = req->body.buf;
	size_t len = req->body.len;

	gg_buf_init(&b, (size_t)-1 / 2);
	gg_buf_addf(&b, "%s\n%s\n", req->method, req->path);
	gg_error_init(&err);
	if (ct && strncmp(ct, "multipart/", 10) == 0 && gg_multipart_boundary(ct, boundary, &err) == GG_OK &&
	    boundary[0]) {
		size_t blen = strlen(boundary);

		for (size_t i = 0; i < len;) {
			if (i + blen <= len && memcmp(body + i, boundary, blen) == 0) {
				i += blen;
				continue;
			}
			gg_buf_addch(&b, body[i++]);
		}
	} else {
		gg_buf_add(&b, body, len);
	}
	gg_crypto_sha256_hex(b.buf, b.len, out);
	gg_buf_release(&b);
}

static int key_ok(const char *k)
{
	size_t n = strlen(k);

	if (n == 0 || n > GG_IDEM_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)k[i] < 0x20 || (unsigned char)k[i] > 0x7e)
			return 0;
	return 1;
}

/* Prepares sql on the row of (user_id, key): ?1 the user, ?2 the key. */
static enum gg_err key_stmt(struct gg_db *db, const char *sql, int64_t user_id, const char *key, struct gg_stmt **s,
                            struct gg_error *err)
{
	enum gg_err rc = gg_db_prepare(db, sql, s, err);

	if (rc == GG_OK)
		rc = gg_db_bind_i64(*s, 1, user_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(*s, 2, key);
	return rc;
}

enum gg_err gg_idem_begin(struct gg_req *req, struct gg_idem *st, int *replayed, struct gg_error *err)
{
	const char *key = gg_req_header(req, GG_IDEM_HEADER);
	struct gg_db *db = req->db;
	struct gg_stmt *s = NULL;
	char sha[GG_SHA256_HEX], stored_sha[GG_SHA256_HEX] = "", ctype[128] = "";
	char *body = NULL;
	size_t body_len = 0;
	int64_t status = 0, created = 0, now = gg_clock_now();
	int row = 0;
	enum gg_err rc;

	memset(st, 0, sizeof(*st));
	*replayed = 0;
	if (key == NULL)
		return GG_OK;
	if (!key_ok(key))
		return gg_error_field(err, GG_E_INVALID, GG_IDEM_HEADER,
		                      "an Idempotency-Key is 1 to %d printable ASCII characters", GG_IDEM_KEY_MAX);
	request_hash(req, sha);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	{
		int64_t old = now - GG_IDEM_KEEP_SECONDS;

		rc =
		    gg_db_run_i64(db, "DELETE FROM idempotency_keys WHERE created_at < ? AND status > 0", &old, 1, err);
	}
	if (rc == GG_OK)
		rc = key_stmt(db,
		              "SELECT request_sha256, status, content_type, body, created_at FROM idempotency_keys"
		              " WHERE user_id = ?1 AND key = ?2",
		              req->pr.user_id, key, &s, err);
	if (rc == GG_OK)
		rc = gg_db_step(s, &row, err);
	if (rc == GG_OK && row) {
		const char *b = gg_db_col_text(s, 3);

		gg_db_col_copy(s, 0, stored_sha, sizeof stored_sha);
		status = gg_db_col_i64(s, 1);
		gg_db_col_copy(s, 2, ctype, sizeof ctype);
		created = gg_db_col_i64(s, 4);
		if (b && (body = strdup(b)) == NULL)
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
		body_len = body ? strlen(body) : 0;
	}
	gg_db_done(s);
	s = NULL;
	if (rc != GG_OK)
		goto out;
	if (row && strcmp(stored_sha, sha) != 0) {
		rc = gg_error_field(err, GG_E_RULE, GG_IDEM_HEADER,
		                    "this Idempotency-Key was used for a different request");
		goto out;
	}
	if (row && status > 0) {
		rc = gg_resp_bytes(req, (int)status, ctype[0] ? ctype : "application/json", body ? body : "", body_len);
		if (rc == GG_OK)
			rc = gg_resp_header(req, "Idempotent-Replayed", "true");
		if (rc != GG_OK)
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
		else
			*replayed = 1;
		goto out;
	}
	if (row && created > now - GG_IDEM_STALE_SECONDS) {
		rc = gg_error_field(err, GG_E_CONFLICT, GG_IDEM_HEADER,
		                    "a request with this Idempotency-Key is still running");
		goto out;
	}
	rc = key_stmt(db,
	              row ? "UPDATE idempotency_keys SET created_at = ?3 WHERE user_id = ?1 AND key = ?2"
	                  : "INSERT INTO idempotency_keys (user_id, key, request_sha256, created_at)"
	                    " VALUES (?1, ?2, ?4, ?3)",
	              req->pr.user_id, key, &s, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(s, 3, now);
	if (rc == GG_OK && !row)
		rc = gg_db_bind_text(s, 4, sha);
	if (rc == GG_OK)
		rc = gg_db_step(s, &row, err);
	gg_db_done(s);
	if (rc == GG_OK) {
		st->active = 1;
		st->user_id = req->pr.user_id;
		snprintf(st->key, sizeof(st->key), "%s", key);
	}
out:
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		st->active = 0;
	free(body);
	return rc;
}

void gg_idem_finish(struct gg_req *req, struct gg_idem *st)
{
	struct gg_db *db = req->db;
	struct gg_stmt *s = NULL;
	struct gg_error err;
	int row = 0, keep;
	enum gg_err rc;

	if (!st->active || db == NULL)
		return;
	st->active = 0;
	keep = req->resp.status > 0 && req->resp.status < 500;
	gg_error_init(&err);
	gg_db_rollback(db);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, &err)) != GG_OK)
		goto out;
	rc = key_stmt(db,
	              keep ? "UPDATE idempotency_keys SET status = ?3, content_type = ?4, body = ?5"
	                     " WHERE user_id = ?1 AND key = ?2"
	                   : "DELETE FROM idempotency_keys WHERE user_id = ?1 AND key = ?2",
	              st->user_id, st->key, &s, &err);
	if (rc == GG_OK && keep) {
		char *copy = strndup(req->resp.body ? req->resp.body : "", req->resp.body ? req->resp.len : 0);

		rc = gg_db_bind_i64(s, 3, req->resp.status);
		if (rc == GG_OK)
			rc = gg_db_bind_text(s, 4, req->resp.ctype);
		if (rc == GG_OK)
			rc = copy ? gg_db_bind_text(s, 5, copy) : GG_E_NOMEM;
		if (rc == GG_OK)
			rc = gg_db_step(s, &row, &err);
		free(copy);
	} else if (rc == GG_OK) {
		rc = gg_db_step(s, &row, &err);
	}
	gg_db_done(s);
	if (rc == GG_OK)
		rc = gg_db_commit(db, &err);
	else
		gg_db_rollback(db);
out:
	if (rc != GG_OK)
		gg_log(GG_LOG_ERROR, "idempotency_store_failed",
		       "request %s: the answer under its Idempotency-Key was not kept: %s", req->id,
		       gg_error_message(&err));
}
