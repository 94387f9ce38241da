/*
 * cardtoken: signs, parses and judges the tokens of digital talent cards
 * (cardtoken.h has the format and the contract). The offline check needs
 * only the public keys; the online verdict reads the key by its kid, the
 * card's state and the benefits of its tier through the connection's
 * cached statements, so a verification costs one Ed25519 check and a few
 * indexed reads. Signing keys are made on first use and by rotation;
 * their secrets are sealed with data.key and opened only to sign.
 */
#include "cardtoken.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"

#define PREFIX      "GC1."
#define SIG_B64_LEN 86 /* unpadded base64url of 64 bytes */
#define B64URL      sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define SECRET_B64  (sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES, B64URL))
#define CODE_TRIES  20 /* fresh random codes tried before giving up */

static const char *const reason_tokens[GG_CTR__COUNT] = {
    [GG_CTR_VALID] = "valid",
    [GG_CTR_MALFORMED] = "malformed",
    [GG_CTR_BAD_SIGNATURE] = "bad_signature",
    [GG_CTR_UNKNOWN_KEY] = "unknown_key",
    [GG_CTR_EXPIRED] = "expired",
    [GG_CTR_REVOKED] = "revoked",
    [GG_CTR_SUSPENDED] = "suspended",
    [GG_CTR_NOT_ACTIVE] = "not_active",
};

/* The verdict on a card by its status; anything not listed is not_active. */
static const struct {
	const char *status;
	enum gg_cardtoken_reason reason;
} status_reasons[] = {
    {"active", GG_CTR_VALID},
    {"suspended", GG_CTR_SUSPENDED},
    {"revoked", GG_CTR_REVOKED},
    {"expired", GG_CTR_EXPIRED},
};

const char *gg_cardtoken_reason_token(enum gg_cardtoken_reason r)
{
	return (unsigned)r < GG_CTR__COUNT ? reason_tokens[r] : "";
}

/* ---- the token's text ---- */

/* Copies the field [s, s+len) to out when every byte is in the set and 1 <= len < outsz. */
static int field_of(const char *s, size_t len, const char *set, char *out, size_t outsz)
{
	if (len == 0 || len >= outsz || strspn(s, set) < len)
		return 0;
	memcpy(out, s, len);
	out[len] = '\0';
	return 1;
}

/* A positive decimal of at most maxdigits digits without a leading zero. */
static int decimal_of(const char *s, size_t len, size_t maxdigits, int64_t *out)
{
	char buf[24];
	int64_t v = 0;

	if (!field_of(s, len, "0123456789", buf, sizeof buf) || len > maxdigits || buf[0] == '0')
		return 0;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (buf[i] - '0');
	*out = v;
	return 1;
}

static int is_kid(const char *s, size_t len)
{
	char buf[GG_CARDTOKEN_KID_MAX];
	return field_of(s, len, "abcdefghijklmnopqrstuvwxyz0123456789", buf, sizeof buf);
}

/*
 * Splits token into its claims, the length of the signed part and the
 * signature; 0 when its form is not that of a token.
 */
static int parse(const char *token, struct gg_cardtoken *c, size_t *signed_len, unsigned char sig[crypto_sign_BYTES])
{
	const char *part[5], *p;
	size_t plen[5], bin_len = 0;
	const char *end = NULL;

	if (!token || strnlen(token, GG_CARDTOKEN_MAX) >= GG_CARDTOKEN_MAX || strncmp(token, PREFIX, 4) != 0)
		return 0;
	memset(c, 0, sizeof *c);
	/* kid, card id, tier, expiry, signature: four dots between five parts, none after */
	p = token + 4;
	for (int i = 0; i < 5; i++) {
		const char *dot = strchr(p, '.');

		if ((i < 4) != (dot != NULL))
			return 0;
		part[i] = p;
		plen[i] = dot ? (size_t)(dot - p) : strlen(p);
		p = dot ? dot + 1 : p;
	}
	if (!field_of(part[0], plen[0], "abcdefghijklmnopqrstuvwxyz0123456789", c->kid, sizeof c->kid) ||
	    !decimal_of(part[1], plen[1], 15, &c->card_id) ||
	    !field_of(part[2], plen[2], "abcdefghijklmnopqrstuvwxyz_", c->tier, sizeof c->tier) ||
	    !decimal_of(part[3], plen[3], 12, &c->expires_at))
		return 0;
	if (plen[4] != SIG_B64_LEN ||
	    sodium_base642bin(sig, crypto_sign_BYTES, part[4], plen[4], NULL, &bin_len, &end, B64URL) != 0 ||
	    bin_len != crypto_sign_BYTES || end != part[4] + plen[4])
		return 0;
	*signed_len = (size_t)(part[4] - 1 - token);
	return 1;
}

/* The verdict of the signature and expiry under public key pk. */
static enum gg_cardtoken_reason judge(const char *token, size_t signed_len, const unsigned char *sig,
                                      const unsigned char pk[32], const struct gg_cardtoken *c, int64_t now)
{
	if (crypto_sign_verify_detached(sig, (const unsigned char *)token, signed_len, pk) != 0)
		return GG_CTR_BAD_SIGNATURE;
	return c->expires_at <= now ? GG_CTR_EXPIRED : GG_CTR_VALID;
}

enum gg_cardtoken_reason gg_cardtoken_check(const char *token, const struct gg_cardkey_pub *keys, size_t nkeys,
                                            int64_t now, struct gg_cardtoken *claims)
{
	struct gg_cardtoken c;
	unsigned char sig[crypto_sign_BYTES];
	size_t signed_len;

	if (!parse(token, &c, &signed_len, sig))
		return GG_CTR_MALFORMED;
	if (claims)
		*claims = c;
	for (size_t i = 0; i < nkeys; i++)
		if (strcmp(keys[i].kid, c.kid) == 0)
			return judge(token, signed_len, sig, keys[i].pk, &c, now);
	return GG_CTR_UNKNOWN_KEY;
}

/* ---- keys files ---- */

static int pk_of(const char *b64, size_t len, unsigned char pk[32])
{
	size_t bin_len = 0;
	const char *end = NULL;

	return len == GG_CARDKEY_B64_LEN && sodium_base642bin(pk, 32, b64, len, NULL, &bin_len, &end, B64URL) == 0 &&
	       bin_len == 32 && end == b64 + len;
}

enum gg_err gg_cardkeys_parse(const char *text, struct gg_cardkey_pub *keys, size_t max, size_t *n,
                              struct gg_error *err)
{
	const char *line = text;
	int lineno = 0;

	*n = 0;
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		const char *sp;
		size_t klen;

		lineno++;
		if (len && line[len - 1] == '\r')
			len--;
		if (len == 0 || line[0] == '#')
			goto next;
		sp = memchr(line, ' ', len);
		klen = sp ? (size_t)(sp - line) : len;
		if (!sp || !is_kid(line, klen))
			return gg_error_set(err, GG_E_INVALID, "line %d: expected 'KEY_ID BASE64URL_KEY'", lineno);
		if (*n == max)
			return gg_error_set(err, GG_E_INVALID, "line %d: more than %zu keys", lineno, max);
		memcpy(keys[*n].kid, line, klen);
		keys[*n].kid[klen] = '\0';
		if (!pk_of(sp + 1, len - klen - 1, keys[*n].pk))
			return gg_error_set(err, GG_E_INVALID,
			                    "line %d: key '%s' is not a base64url Ed25519 public key", lineno,
			                    keys[*n].kid);
		for (size_t i = 0; i < *n; i++)
			if (strcmp(keys[i].kid, keys[*n].kid) == 0)
				return gg_error_set(err, GG_E_INVALID, "line %d: key '%s' is listed twice", lineno,
				                    keys[i].kid);
		(*n)++;
	next:
		line = eol ? eol + 1 : NULL;
	}
	return GG_OK;
}

/* ---- keys in the database ---- */

enum gg_err gg_cardkey_list(struct gg_db *db, struct gg_cardkey_info *out, size_t max, size_t *n, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	enum gg_err rc;
	int row = 0;

	*n = 0;
	rc = gg_db_prepare(db, "SELECT kid, public_key, created_at, retired_at FROM card_keys ORDER BY id", &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		size_t len = 0;
		const void *pk = gg_db_col_blob(st, 1, &len);

		if (*n == max) {
			rc = gg_error_set(err, GG_E_INTERNAL, "more than %zu card keys", max);
			break;
		}
		gg_db_col_copy(st, 0, out[*n].kid, sizeof out[*n].kid);
		if (len != 32) {
			rc = gg_error_set(err, GG_E_INTERNAL, "card key '%s' is not 32 bytes", out[*n].kid);
			break;
		}
		sodium_bin2base64(out[*n].public_key, sizeof out[*n].public_key, pk, 32, B64URL);
		out[*n].created_at = gg_db_col_i64(st, 2);
		out[*n].retired_at = gg_db_col_i64(st, 3);
		(*n)++;
	}
	gg_db_done(st);
	return rc;
}

enum gg_err gg_cardkeys_export(struct gg_db *db, struct gg_buf *out, struct gg_error *err)
{
	struct gg_cardkey_info keys[GG_CARDKEYS_MAX];
	size_t n = 0;
	enum gg_err rc = gg_cardkey_list(db, keys, GG_CARDKEYS_MAX, &n, err);

	if (rc == GG_OK)
		rc = gg_buf_adds(out, "# Guanggu digital talent card: token signing keys (Ed25519), one 'KEY_ID "
		                      "BASE64URL_KEY' a line\n");
	for (size_t i = 0; rc == GG_OK && i < n; i++)
		rc = gg_buf_addf(out, "%s %s\n", keys[i].kid, keys[i].public_key);
	if (rc != GG_OK && err->code == GG_OK)
		gg_error_set(err, rc, "cannot write the keys file");
	return rc;
}

/* Makes a new signing key and retires the old one, inside the caller's write transaction. */
static enum gg_err new_key(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor, int64_t now,
                           char kid[GG_CARDTOKEN_KID_MAX], struct gg_error *err)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char sk64[SECRET_B64], old[GG_CARDTOKEN_KID_MAX] = "";
	struct gg_buf sealed;
	struct gg_stmt *st = NULL;
	int64_t next = 0;
	int found = 0, row = 0;
	enum gg_err rc;

	rc = gg_db_query_i64(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM card_keys", NULL, 0, &next, &found, err);
	if (rc != GG_OK)
		return rc;
	snprintf(kid, GG_CARDTOKEN_KID_MAX, "k%lld", (long long)next);
	rc = gg_db_prepare(db, "SELECT kid FROM card_keys WHERE retired_at IS NULL", &st, err);
	if (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row)
		gg_db_col_copy(st, 0, old, sizeof old);
	gg_db_done(st);
	if (rc == GG_OK && row)
		rc = gg_db_run_i64(db, "UPDATE card_keys SET retired_at = ? WHERE retired_at IS NULL", &now, 1, err);
	if (rc != GG_OK)
		return rc;

	crypto_sign_keypair(pk, sk);
	sodium_bin2base64(sk64, sizeof sk64, sk, sizeof sk, B64URL);
	sodium_memzero(sk, sizeof sk);
	gg_buf_init(&sealed, 1024);
	rc = gg_crypto_seal(keys, "card_key", sk64, &sealed);
	sodium_memzero(sk64, sizeof sk64);
	if (rc != GG_OK)
		gg_error_set(err, rc, "cannot seal the card signing key");
	st = NULL;
	if (rc == GG_OK)
		rc = gg_db_prepare(db,
		                   "INSERT INTO card_keys (kid, public_key, secret_enc, created_at, created_by) "
		                   "VALUES (?, ?, ?, ?, ?)",
		                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, kid);
	if (rc == GG_OK)
		rc = gg_db_bind_blob(st, 2, pk, sizeof pk);
	if (rc == GG_OK)
		rc = gg_db_bind_blob(st, 3, sealed.buf, sealed.len);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, now);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 5, actor ? actor->id : 0);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	gg_buf_release(&sealed);
	if (rc == GG_OK) {
		struct gg_audit_change ch[] = {{"kid", old[0] ? old : NULL, kid}};
		rc = gg_audit_by(db, actor, "card_key.rotate", "card_key", next, ch, 1, err);
	}
	return rc;
}

enum gg_err gg_cardkey_rotate(struct gg_db *db, const struct gg_keys *keys, const struct gg_actor *actor,
                              char kid_out[GG_CARDTOKEN_KID_MAX], struct gg_error *err)
{
	enum gg_err rc = gg_db_begin(db, GG_DB_WRITE, err);

	if (rc == GG_OK)
		rc = new_key(db, keys, actor, gg_clock_now(), kid_out, err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	if (rc != GG_OK)
		gg_db_rollback(db);
	return rc;
}

/* The signing key's kid and secret; made when the installation has none (inside the caller's transaction). */
static enum gg_err signing_key(struct gg_db *db, const struct gg_keys *keys, int64_t now,
                               char kid[GG_CARDTOKEN_KID_MAX], unsigned char sk[crypto_sign_SECRETKEYBYTES],
                               struct gg_error *err)
{
	static const struct gg_actor first_use = {0, "server", NULL};
	struct gg_stmt *st = NULL;
	struct gg_buf plain;
	int row = 0;
	size_t bin_len = 0;
	enum gg_err rc;

	for (int attempt = 0; attempt < 2; attempt++) {
		rc = gg_db_prepare(db, "SELECT kid, secret_enc FROM card_keys WHERE retired_at IS NULL", &st, err);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		if (rc != GG_OK || !row) {
			gg_db_done(st);
			st = NULL;
			if (rc == GG_OK)
				rc = new_key(db, keys, &first_use, now, kid, err);
			if (rc != GG_OK)
				return rc;
			continue;
		}
		size_t len = 0;
		const void *sealed = gg_db_col_blob(st, 1, &len);
		gg_db_col_copy(st, 0, kid, GG_CARDTOKEN_KID_MAX);
		gg_buf_init(&plain, 1024);
		rc = gg_crypto_open(keys, "card_key", sealed, len, &plain);
		gg_db_done(st);
		if (rc == GG_OK && (sodium_base642bin(sk, crypto_sign_SECRETKEYBYTES, plain.buf, plain.len, NULL,
		                                      &bin_len, NULL, B64URL) != 0 ||
		                    bin_len != crypto_sign_SECRETKEYBYTES))
			rc = GG_E_INTERNAL;
		sodium_memzero(plain.buf, plain.len);
		gg_buf_release(&plain);
		if (rc != GG_OK)
			return gg_error_set(err, GG_E_INTERNAL, "card key '%s' does not open with data.key", kid);
		return GG_OK;
	}
	return gg_error_set(err, GG_E_INTERNAL, "no card signing key");
}

/* A random 8-digit code no live token holds. */
static enum gg_err fresh_code(struct gg_db *db, char code[GG_CARDTOKEN_CODE_LEN + 1], struct gg_error *err)
{
	for (int i = 0; i < CODE_TRIES; i++) {
		struct gg_stmt *st = NULL;
		int row = 0;
		enum gg_err rc;

		snprintf(code, GG_CARDTOKEN_CODE_LEN + 1, "%08u", (unsigned)randombytes_uniform(100000000u));
		rc = gg_db_prepare(db, "SELECT 1 FROM card_codes WHERE code = ?", &st, err);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, 1, code);
		if (rc == GG_OK)
			rc = gg_db_step(st, &row, err);
		gg_db_done(st);
		if (rc != GG_OK || !row)
			return rc;
	}
	return gg_error_set(err, GG_E_BUSY, "no free short code after %d tries", CODE_TRIES);
}

enum gg_err gg_cardtoken_mint(struct gg_db *db, const struct gg_keys *keys, int64_t card_id, const char *tier,
                              int64_t now, int ttl_seconds, struct gg_cardtoken_minted *out, struct gg_error *err)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	struct gg_stmt *st = NULL;
	char tierbuf[GG_CARDTOKEN_TIER_MAX];
	int n, row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof *out);
	if (card_id <= 0 || !tier ||
	    !field_of(tier, strlen(tier), "abcdefghijklmnopqrstuvwxyz_", tierbuf, sizeof tierbuf))
		return gg_error_set(err, GG_E_INVALID, "a card token needs a card id and a tier token");
	if (ttl_seconds < 1 || ttl_seconds > 86400)
		return gg_error_set(err, GG_E_INVALID, "a card token lives 1 to 86400 seconds");
	if ((rc = signing_key(db, keys, now, out->kid, sk, err)) != GG_OK)
		return rc;
	out->expires_at = now + ttl_seconds;
	n = snprintf(out->token, sizeof out->token, PREFIX "%s.%lld.%s.%lld.", out->kid, (long long)card_id, tierbuf,
	             (long long)out->expires_at);
	if (n < 0 || (size_t)n + SIG_B64_LEN >= sizeof out->token) {
		sodium_memzero(sk, sizeof sk);
		return gg_error_set(err, GG_E_INTERNAL, "card token too long");
	}
	crypto_sign_detached(sig, NULL, (const unsigned char *)out->token, (size_t)n - 1, sk);
	sodium_memzero(sk, sizeof sk);
	sodium_bin2base64(out->token + n, sizeof out->token - (size_t)n, sig, sizeof sig, B64URL);

	rc = gg_db_run_i64(db, "DELETE FROM card_codes WHERE expires_at <= ?", &now, 1, err);
	if (rc == GG_OK)
		rc = fresh_code(db, out->code, err);
	if (rc == GG_OK)
		rc = gg_db_prepare(db, "INSERT INTO card_codes (code, card_id, token, expires_at) VALUES (?, ?, ?, ?)",
		                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, out->code);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, card_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, out->token);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, out->expires_at);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

/* ---- the online verdict ---- */

/* Reads the active benefits of tier into v, in category order, from the database. */
static enum gg_err benefits_read(struct gg_db *db, const char *tier, struct gg_card_verdict *v, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	v->nbenefits = 0;
	rc = gg_db_prepare(db,
	                   "SELECT i.id, i.category, i.name, i.name_en, i.provider_id, o.name, "
	                   "COALESCE(i.annual_quota, 0), i.needs_booking "
	                   "FROM benefit_item_tiers t JOIN benefit_items i ON i.id = t.item_id "
	                   "JOIN benefit_categories c ON c.token = i.category JOIN orgs o ON o.id = i.provider_id "
	                   "WHERE t.tier = ? AND i.active = 1 ORDER BY c.rank, i.id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, tier);
	while (rc == GG_OK && v->nbenefits < GG_CARD_BENEFITS_MAX && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_card_benefit *b = &v->benefits[v->nbenefits++];

		b->id = gg_db_col_i64(st, 0);
		gg_db_col_copy(st, 1, b->category, sizeof b->category);
		gg_db_col_copy(st, 2, b->name, sizeof b->name);
		gg_db_col_copy(st, 3, b->name_en, sizeof b->name_en);
		b->provider_id = gg_db_col_i64(st, 4);
		gg_db_col_copy(st, 5, b->provider, sizeof b->provider);
		b->annual_quota = gg_db_col_i64(st, 6);
		b->needs_booking = (int)gg_db_col_i64(st, 7);
	}
	gg_db_done(st);
	return rc;
}

/*
 * The benefits of a tier are the same for every card of it and change
 * only with the catalogue, so each thread keeps the last few tiers' lists
 * under the catalogue's stamp (migration 0015: a random number made anew
 * by every change) and, while the stamp it reads is the same, copies them
 * instead of running the join. Freed when the thread ends.
 */
#define TIER_SLOTS 8

struct tier_slot {
	int64_t stamp;
	char tier[GG_CARDTOKEN_TIER_MAX];
	size_t n;
	struct gg_card_benefit *b; /* n entries; NULL when the slot is empty */
};
struct tier_cache {
	struct tier_slot slot[TIER_SLOTS];
	size_t next; /* the slot refilled next when no slot holds the tier */
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static int cache_ok;

static void cache_free(void *p)
{
	struct tier_cache *c = p;

	for (size_t i = 0; c && i < TIER_SLOTS; i++)
		free(c->slot[i].b);
	free(c);
}

static void cache_init(void)
{
	cache_ok = pthread_key_create(&cache_key, cache_free) == 0;
}

/* This thread's cache; NULL (no caching) when it cannot be had. */
static struct tier_cache *thread_cache(void)
{
	struct tier_cache *c;

	pthread_once(&cache_once, cache_init);
	if (!cache_ok)
		return NULL;
	if ((c = pthread_getspecific(cache_key)) == NULL && (c = calloc(1, sizeof *c)) != NULL &&
	    pthread_setspecific(cache_key, c) != 0) {
		free(c);
		c = NULL;
	}
	return c;
}

static enum gg_err benefits_of(struct gg_db *db, const char *tier, struct gg_card_verdict *v, struct gg_error *err)
{
	struct tier_cache *c = thread_cache();
	struct tier_slot *s = NULL;
	int64_t stamp = 0;
	int found = 0;
	enum gg_err rc;

	if (!c)
		return benefits_read(db, tier, v, err);
	rc = gg_db_query_i64(db, "SELECT stamp FROM benefit_catalogue WHERE id = 1", NULL, 0, &stamp, &found, err);
	if (rc != GG_OK)
		return rc;
	for (size_t i = 0; found && i < TIER_SLOTS; i++)
		if (c->slot[i].b && c->slot[i].stamp == stamp && strcmp(c->slot[i].tier, tier) == 0) {
			s = &c->slot[i];
			memcpy(v->benefits, s->b, s->n * sizeof *s->b);
			v->nbenefits = s->n;
			return GG_OK;
		}
	if ((rc = benefits_read(db, tier, v, err)) != GG_OK || !found)
		return rc;
	/* keep it: the slot of this tier (an older stamp) or the next one round */
	for (size_t i = 0; i < TIER_SLOTS && !s; i++)
		if (c->slot[i].b && strcmp(c->slot[i].tier, tier) == 0)
			s = &c->slot[i];
	if (!s) {
		s = &c->slot[c->next];
		c->next = (c->next + 1) % TIER_SLOTS;
	}
	free(s->b);
	s->b = malloc((v->nbenefits ? v->nbenefits : 1) * sizeof *s->b);
	if (s->b) {
		memcpy(s->b, v->benefits, v->nbenefits * sizeof *s->b);
		s->n = v->nbenefits;
		s->stamp = stamp;
		snprintf(s->tier, sizeof s->tier, "%s", tier);
	}
	return GG_OK;
}

/* The card's verdict: its status, then its validity on today's civil day. */
static enum gg_err card_state(struct gg_db *db, struct gg_card_verdict *v, int64_t now, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char status[16] = "";
	int row = 0;
	enum gg_err rc;

	v->reason = GG_CTR_NOT_ACTIVE;
	rc = gg_db_prepare(db, "SELECT status, COALESCE(tier, ''), COALESCE(valid_to, '') FROM cards WHERE id = ?", &st,
	                   err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, v->claims.card_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		gg_db_col_copy(st, 0, status, sizeof status);
		gg_db_col_copy(st, 1, v->tier, sizeof v->tier);
		gg_db_col_copy(st, 2, v->valid_to, sizeof v->valid_to);
	}
	gg_db_done(st);
	if (rc != GG_OK || !row)
		return rc;
	for (size_t i = 0; i < sizeof status_reasons / sizeof status_reasons[0]; i++)
		if (strcmp(status, status_reasons[i].status) == 0)
			v->reason = status_reasons[i].reason;
	if (v->reason == GG_CTR_VALID) {
		int64_t today = 0;
		char day[11];

		if (gg_clock_local_day(gg_clock_zone(), now, &today) != 0)
			return gg_error_set(err, GG_E_CONFIG, "unknown time zone '%s'", gg_clock_zone());
		if (strcmp(v->valid_to, gg_clock_day_text(today, day)) <= 0)
			v->reason = GG_CTR_EXPIRED;
	}
	return GG_OK;
}

enum gg_err gg_cardtoken_verify(struct gg_db *db, const char *token, int64_t now, int want_benefits,
                                struct gg_card_verdict *v, struct gg_error *err)
{
	unsigned char sig[crypto_sign_BYTES], pk[32];
	struct gg_stmt *st = NULL;
	size_t signed_len, len = 0;
	int row = 0;
	enum gg_err rc;

	v->reason = GG_CTR_MALFORMED;
	v->tier[0] = v->valid_to[0] = '\0';
	v->nbenefits = 0;
	if (!parse(token, &v->claims, &signed_len, sig)) {
		memset(&v->claims, 0, sizeof v->claims);
		return GG_OK;
	}
	rc = gg_db_prepare(db, "SELECT public_key FROM card_keys WHERE kid = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, v->claims.kid);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		const void *p = gg_db_col_blob(st, 0, &len);
		if (len == sizeof pk)
			memcpy(pk, p, sizeof pk);
	}
	gg_db_done(st);
	if (rc != GG_OK)
		return rc;
	if (!row || len != sizeof pk) {
		v->reason = GG_CTR_UNKNOWN_KEY;
		return GG_OK;
	}
	if ((v->reason = judge(token, signed_len, sig, pk, &v->claims, now)) != GG_CTR_VALID)
		return GG_OK;
	if ((rc = card_state(db, v, now, err)) != GG_OK)
		return rc;
	if (v->reason != GG_CTR_VALID) {
		v->tier[0] = v->valid_to[0] = '\0';
		return GG_OK;
	}
	return want_benefits ? benefits_of(db, v->tier, v, err) : GG_OK;
}

enum gg_err gg_cardtoken_verify_code(struct gg_db *db, const char *code, int64_t now, int want_benefits,
                                     struct gg_card_verdict *v, char token_out[GG_CARDTOKEN_MAX], struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char digits[GG_CARDTOKEN_CODE_LEN + 1];
	int row = 0;
	enum gg_err rc = GG_OK;

	token_out[0] = '\0';
	memset(&v->claims, 0, sizeof v->claims);
	v->tier[0] = v->valid_to[0] = '\0';
	v->nbenefits = 0;
	v->reason = GG_CTR_MALFORMED;
	if (!code || strlen(code) != GG_CARDTOKEN_CODE_LEN ||
	    !field_of(code, GG_CARDTOKEN_CODE_LEN, "0123456789", digits, sizeof digits))
		return GG_OK;
	rc = gg_db_prepare(db, "SELECT token FROM card_codes WHERE code = ? AND expires_at > ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, digits);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, now);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		gg_db_col_copy(st, 0, token_out, GG_CARDTOKEN_MAX);
	gg_db_done(st);
	if (rc != GG_OK || !row)
		return rc;
	return gg_cardtoken_verify(db, token_out, now, want_benefits, v, err);
}
