/*
 * bench/verify_bare: the baseline of the card verifier benchmark
 * (bench/verify.sh). A bare libmicrohttpd server, run the way `guanggu
 * serve` runs its daemon (an internal polling thread with epoll and a
 * thread pool of the same size, no response queued on the first call),
 * that answers GET /?token=... with only the Ed25519 check of the token:
 * its form (GC1.kid.card.tier.exp.sig as cardtoken.h has it), the key of
 * its kid, crypto_sign_verify_detached over the signed part, and the
 * expiry; then a fixed JSON body, 200 when valid and 400 when not (so that
 * wrk counts failures). No database, router, log or JSON building.
 *
 *   verify_bare KEYS BODY THREADS   (prints "listening on http://127.0.0.1:PORT")
 *
 * KEYS is a keys file ("KID BASE64URL_KEY" lines, the first key used);
 * BODY a file whose bytes are the fixed answer (the benchmark passes the
 * real verifier's answer for one token, so both send as many bytes).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#define B64URL sodium_base64_VARIANT_URLSAFE_NO_PADDING

static char kid[17];
static unsigned char pk[crypto_sign_PUBLICKEYBYTES];
static struct MHD_Response *ok_resp, *bad_resp;

/* 1 when token is a valid, unexpired token signed by the key. */
static int verify(const char *token)
{
	unsigned char sig[crypto_sign_BYTES];
	const char *p, *dot[5], *end;
	size_t n = 0, len, bin_len = 0;
	long long exp;

	if (!token || (len = strnlen(token, 256)) >= 256 || strncmp(token, "GC1.", 4) != 0)
		return 0;
	for (p = token + 4; *p && n < 5; p++)
		if (*p == '.')
			dot[n++] = p;
	if (n != 4 || (size_t)(dot[0] - token - 4) != strlen(kid) || memcmp(token + 4, kid, strlen(kid)) != 0)
		return 0;
	exp = strtoll(dot[2] + 1, NULL, 10);
	if (sodium_base642bin(sig, sizeof sig, dot[3] + 1, len - (size_t)(dot[3] + 1 - token), NULL, &bin_len, &end,
	                      B64URL) != 0 ||
	    bin_len != sizeof sig || *end)
		return 0;
	if (crypto_sign_verify_detached(sig, (const unsigned char *)token, (size_t)(dot[3] - token), pk) != 0)
		return 0;
	return exp > (long long)time(NULL);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload, size_t *upload_size, void **state)
{
	static int first;

	if (!*state) {
		*state = &first; /* no response on the first call: it would cost the keep-alive */
		return MHD_YES;
	}
	if (verify(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token")))
		return MHD_queue_response(c, MHD_HTTP_OK, ok_resp);
	return MHD_queue_response(c, MHD_HTTP_BAD_REQUEST, bad_resp);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = f ? malloc(1 << 20) : NULL;

	*len = 0;
	if (buf)
		*len = fread(buf, 1, (1 << 20) - 1, f);
	if (f)
		fclose(f);
	if (buf)
		buf[*len] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	static const char bad[] = "{\"valid\":false,\"reason\":\"bad_signature\"}";
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	char *keys, *body, *sp, *nl;
	size_t klen, blen, bin_len = 0;
	unsigned threads;
	sigset_t set;
	int sig;

	if (argc != 4 || (threads = (unsigned)atoi(argv[3])) < 1 || sodium_init() < 0) {
		fprintf(stderr, "usage: verify_bare KEYS BODY THREADS\n");
		return 2;
	}
	keys = slurp(argv[1], &klen);
	body = slurp(argv[2], &blen);
	if (!keys || !body) {
		fprintf(stderr, "verify_bare: cannot read '%s' or '%s'\n", argv[1], argv[2]);
		return 1;
	}
	/* the first line that is not a comment: "KID BASE64URL_KEY" */
	for (char *line = keys; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line == '#' || !(sp = strchr(line, ' ')) || (size_t)(sp - line) >= sizeof kid)
			continue;
		memcpy(kid, line, (size_t)(sp - line));
		if (sodium_base642bin(pk, sizeof pk, sp + 1, strlen(sp + 1), NULL, &bin_len, NULL, B64URL) == 0 &&
		    bin_len == sizeof pk)
			break;
		kid[0] = '\0';
	}
	if (!kid[0]) {
		fprintf(stderr, "verify_bare: no key in '%s'\n", argv[1]);
		return 1;
	}
	ok_resp = MHD_create_response_from_buffer(blen, body, MHD_RESPMEM_PERSISTENT);
	bad_resp = MHD_create_response_from_buffer(sizeof bad - 1, (void *)bad, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(ok_resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(bad_resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* SIGINT/SIGTERM are waited for below; the daemon's threads must not take them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC, 0, NULL, NULL, handler, NULL,
	                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin, MHD_OPTION_CONNECTION_LIMIT, 1024u,
	                     MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "verify_bare: cannot start the daemon\n");
		return 1;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on http://127.0.0.1:%u\n", di ? di->port : 0);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(ok_resp);
	MHD_destroy_response(bad_resp);
	free(keys);
	free(body);
	return 0;
}
