/*
 * bench/verify_tokens: the fixture of the card verifier benchmark
 * (bench/verify.sh). In an installation made by `guanggu init`, it adds a
 * bank, a provider, twelve benefit items over the nine categories (a tier
 * sees 4 to 12 of them), N talents with an active card each (bulk SQL in
 * one transaction), makes the signing key with gg_cardkey_rotate and
 * mints one token per card with gg_cardtoken_mint, living a day. Writes
 * the N distinct tokens, one a line, to TOKENS, and the keys file (one
 * "KID BASE64URL_KEY" line, gg_cardkeys_export) to KEYS for the bare
 * server.
 *
 *   verify_tokens DIR N TOKENS KEYS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "domain/cardtoken.h"
#include "store/db.h"

#define TTL_SECONDS 86400

static const char *const tiers[] = {"top_scientist", "leading_talent", "high_level", "other"};

static int fail(const char *what, const struct gg_error *err)
{
	fprintf(stderr, "verify_tokens: %s: %s\n", what, err ? gg_error_message(err) : "failed");
	return 1;
}

/* The catalogue and the cards, with rows 1..n, in the caller's transaction. */
static enum gg_err fixture(struct gg_db *db, long n, struct gg_error *err)
{
	char sql[2048];
	enum gg_err rc;

	rc = gg_db_exec(db,
	                "INSERT INTO orgs (id, name, pinyin, kind, created_at, updated_at) VALUES "
	                "(900001, '压测银行', 'ya ce yin hang', 'bank', 0, 0), "
	                "(900002, '压测服务机构', 'ya ce fu wu ji gou', 'service_provider', 0, 0)",
	                err);
	/* item k: in category k mod 9; every tier but high_level (k <= 8) and other (k <= 4) */
	if (rc == GG_OK)
		rc = gg_db_exec(
		    db,
		    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 12) "
		    "INSERT INTO benefit_items (id, category, name, name_en, provider_id, annual_quota, "
		    "needs_booking, created_at, updated_at) "
		    "SELECT i, (SELECT token FROM benefit_categories WHERE rank = (i - 1) % 9 + 1), "
		    "'压测权益' || i, 'Bench benefit ' || i, 900002, CASE WHEN i % 3 = 0 THEN NULL ELSE i END, "
		    "i % 2, 0, 0 FROM k",
		    err);
	if (rc == GG_OK)
		rc = gg_db_exec(db,
		                "INSERT INTO benefit_item_tiers (item_id, tier) "
		                "SELECT i.id, t.token FROM benefit_items i, tiers t WHERE i.id <= 12 AND "
		                "(t.token IN ('strategic_scientist', 'top_scientist', 'leading_talent') OR "
		                "(t.token = 'high_level' AND i.id <= 8) OR (t.token = 'other' AND i.id <= 4))",
		                err);
	if (rc != GG_OK)
		return rc;
	snprintf(sql, sizeof sql,
	         "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %ld) "
	         "INSERT INTO talents (id, name, pinyin, pinyin_key, tier, created_at, updated_at) "
	         "SELECT i, '压测' || i, 'ya ce', 'yace' || i, "
	         "CASE i %% 4 WHEN 0 THEN 'top_scientist' WHEN 1 THEN 'leading_talent' WHEN 2 THEN 'high_level' "
	         "ELSE 'other' END, 0, 0 FROM k",
	         n);
	if ((rc = gg_db_exec(db, sql, err)) != GG_OK)
		return rc;
	snprintf(sql, sizeof sql,
	         "INSERT INTO cards (id, talent_id, bank_id, status, tier, eligible, consent_hash, consent_at, "
	         "applied_at, card_no, valid_from, valid_to, debit_last4, debit_issued_on, updated_at) "
	         "SELECT id, id, 900001, 'active', tier, 1, printf('%%064d', 0), 0, 0, printf('8156%%012d', id), "
	         "'2025-01-01', '2099-01-01', '1234', '2025-01-01', 0 FROM talents WHERE id <= %ld",
	         n);
	return gg_db_exec(db, sql, err);
}

int main(int argc, char **argv)
{
	const struct gg_db_options opt = {.busy_timeout_ms = 5000, .create = 0, .cache_mb = 64};
	static const struct gg_actor bench = {0, "bench", NULL};
	struct gg_cardtoken_minted m;
	struct gg_keys keys;
	struct gg_db *db = NULL;
	struct gg_error err;
	struct gg_buf b;
	char path[1100], kid[GG_CARDTOKEN_KID_MAX];
	FILE *out = NULL, *kout = NULL;
	long n;
	int64_t now;
	int status = 1;

	if (argc != 5 || (n = atol(argv[2])) < 1 || n > 10000000) {
		fprintf(stderr, "usage: verify_tokens DIR N TOKENS KEYS (N 1..10000000)\n");
		return 2;
	}
	gg_error_init(&err);
	gg_buf_init(&b, 1 << 20);
	snprintf(path, sizeof path, "%s/guanggu.db", argv[1]);
	if (gg_crypto_init() != GG_OK || gg_crypto_keys_load(argv[1], &keys, &err) != GG_OK ||
	    gg_db_open(path, &opt, &db, &err) != GG_OK) {
		fail("installation", &err);
		goto out;
	}
	if (gg_db_begin(db, GG_DB_WRITE, &err) != GG_OK || fixture(db, n, &err) != GG_OK ||
	    gg_db_commit(db, &err) != GG_OK) {
		fail("cards", &err);
		goto out;
	}
	if (gg_cardkey_rotate(db, &keys, &bench, kid, &err) != GG_OK) {
		fail("signing key", &err);
		goto out;
	}
	if (!(out = fopen(argv[3], "w")) || !(kout = fopen(argv[4], "w"))) {
		fprintf(stderr, "verify_tokens: cannot write '%s' or '%s'\n", argv[3], argv[4]);
		goto out;
	}
	now = gg_clock_now();
	if (gg_db_begin(db, GG_DB_WRITE, &err) != GG_OK) {
		fail("mint", &err);
		goto out;
	}
	for (long i = 1; i <= n; i++) {
		if (gg_cardtoken_mint(db, &keys, i, tiers[i % 4], now, TTL_SECONDS, &m, &err) != GG_OK) {
			gg_db_rollback(db);
			fail("mint", &err);
			goto out;
		}
		fprintf(out, "%s\n", m.token);
	}
	if (gg_db_commit(db, &err) != GG_OK || gg_cardkeys_export(db, &b, &err) != GG_OK) {
		fail("keys", &err);
		goto out;
	}
	fwrite(b.buf, 1, b.len, kout);
	if (fclose(out) != 0 || fclose(kout) != 0) {
		out = kout = NULL;
		fprintf(stderr, "verify_tokens: cannot write the tokens\n");
		goto out;
	}
	out = kout = NULL;
	printf("%ld active cards, %ld tokens signed by key %s, valid %d s\n", n, n, kid, TTL_SECONDS);
	status = 0;
out:
	if (out)
		fclose(out);
	if (kout)
		fclose(kout);
	gg_buf_release(&b);
	gg_db_close(db);
	gg_crypto_keys_wipe(&keys);
	return status;
}
