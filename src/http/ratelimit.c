/*
 * ratelimit: the generic cell rate algorithm over a set-associative table
 * of client slots (ratelimit.h has the contract). A slot keeps the hash of
 * its client's key and its theoretical arrival time (tat): each request
 * moves tat one emission interval (a minute / rate) later; a request is
 * refused while tat lies more than the burst tolerance (a minute less one
 * interval) ahead of now. A slot whose tat has passed holds nothing a
 * fresh slot would not, so it is free for any client.
 */
#include "ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/crypto.h"
#include "http.h"

#define WAYS      4  /* slots per bucket */
#define STRIPES   64 /* mutexes; a bucket's is its index modulo STRIPES */
#define MINUTE_US INT64_C(60000000)

struct slot {
	uint64_t key; /* hash of the client's key; 0: never used */
	int64_t tat;  /* theoretical arrival time, microseconds */
};

struct gg_ratelimit {
	uint64_t seed;
	size_t nbuckets; /* a power of two */
	struct slot *slots;
	pthread_mutex_t locks[STRIPES];
};

/* FNV-1a under a random seed, then a 64-bit finaliser: never 0. */
static uint64_t hash_key(uint64_t seed, const char *s)
{
	uint64_t h = 0xcbf29ce484222325u ^ seed;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h ? h : 1;
}

struct gg_ratelimit *gg_ratelimit_new(unsigned slots)
{
	struct gg_ratelimit *rl = calloc(1, sizeof *rl);
	size_t nb = 16;
	int i;

	if (!rl)
		return NULL;
	while (nb * WAYS < slots)
		nb *= 2;
	rl->nbuckets = nb;
	rl->slots = calloc(nb * WAYS, sizeof *rl->slots);
	if (!rl->slots) {
		free(rl);
		return NULL;
	}
	gg_crypto_random(&rl->seed, sizeof rl->seed);
	for (i = 0; i < STRIPES; i++)
		pthread_mutex_init(&rl->locks[i], NULL);
	return rl;
}

void gg_ratelimit_free(struct gg_ratelimit *rl)
{
	if (!rl)
		return;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&rl->locks[i]);
	free(rl->slots);
	free(rl);
}

int gg_ratelimit_take(struct gg_ratelimit *rl, const char *key, int64_t now_us, int64_t rate_per_minute,
                      int64_t *retry_after_s)
{
	uint64_t h;
	size_t b;
	struct slot *set, *s = NULL;
	int64_t interval, tolerance, tat;
	int ok;

	*retry_after_s = 0;
	if (rate_per_minute <= 0 || !rl)
		return 1;
	interval = MINUTE_US / rate_per_minute;
	if (interval < 1)
		interval = 1;
	tolerance = MINUTE_US - interval;
	h = hash_key(rl->seed, key ? key : "");
	b = (size_t)(h >> 16) & (rl->nbuckets - 1);
	set = &rl->slots[b * WAYS];

	pthread_mutex_lock(&rl->locks[b % STRIPES]);
	for (int i = 0; i < WAYS; i++)
		if (set[i].key == h) {
			s = &set[i];
			break;
		}
	if (!s) {
		/* a new client: the slot nearest to idle (an idle one when there is one) */
		s = &set[0];
		for (int i = 1; i < WAYS; i++)
			if (set[i].tat < s->tat)
				s = &set[i];
		s->key = h;
		s->tat = now_us;
	}
	tat = s->tat > now_us ? s->tat : now_us;
	ok = tat - now_us <= tolerance;
	if (ok)
		s->tat = tat + interval;
	pthread_mutex_unlock(&rl->locks[b % STRIPES]);
	if (!ok)
		*retry_after_s = (tat - now_us - tolerance + 999999) / 1000000;
	return ok;
}

enum gg_err gg_ratelimit_request(struct gg_ratelimit *rl, struct gg_req *req, const char *key, int64_t rate_per_minute,
                                 const char *what, struct gg_error *err)
{
	int64_t wait = 0;
	char retry[24];

	if (!rl || gg_ratelimit_take(rl, key, gg_clock_mono_ms() * 1000, rate_per_minute, &wait))
		return GG_OK;
	snprintf(retry, sizeof retry, "%lld", (long long)wait);
	gg_resp_header(req, "Retry-After", retry);
	return gg_error_set(err, GG_E_THROTTLED, "more than %lld %s a minute; retry in %lld s",
	                    (long long)rate_per_minute, what, (long long)wait);
}
