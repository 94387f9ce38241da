/*
 * server: the only file that includes libmicrohttpd. It runs the daemon
 * (internal polling threads, epoll where available, a pool of worker
 * threads), turns each request into a struct gg_req for the router,
 * accumulates bodies under our own cap, sends the router's response, and
 * writes the access log and metrics when a request completes. It loads the
 * web UI's files (static.h) before the daemon starts and frees them only
 * after it stopped, so responses can point into them. Each worker
 * thread lazily opens its own database connection, closed when the thread
 * ends. Stopping quiesces the daemon, closes idle keep-alive connections,
 * lets requests in flight finish within the grace period, then stops.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "../core/log.h"
#include "http.h"
#include "metrics.h"
#include "router.h"
#include "static.h"

#define STOP_POLL_MS    20
#define ACCESS_LINE_MAX 8192
/* After a body passes the cap, this much more is read and dropped before the connection is cut. */
#define DISCARD_MAX (4 * 1024 * 1024)

/* One per TCP connection: lets gg_server_stop close the idle keep-alive ones. */
struct conn {
	int fd;
	int busy; /* a request is being read or answered */
	struct conn *prev, *next;
};

struct gg_server {
	struct MHD_Daemon *daemon;
	struct gg_config cfg;
	struct gg_keys keys;   /* DIR/keys, wiped when the server is freed */
	struct gg_static *web; /* the web UI's files; response bodies point into them */
	const struct gg_policyset *policies; /* borrowed from the caller */
	char *db_target;
	pthread_key_t db_key;
	int key_made;
	int lock_made;
	atomic_int quiescing;
	pthread_mutex_t lock; /* guards conns and every struct conn */
	struct conn *conns;
	char host[128];
	unsigned port;
};

/* Per request, from the URI callback to the completion callback. */
struct rq {
	struct gg_req req;
	struct gg_server *srv;
	struct MHD_Connection *mc;
	struct conn *conn;
	int64_t start_us;
	int started;   /* the access handler has run once */
	int answered;  /* a response was queued */
	int too_large; /* the body passed max_body_bytes */
	size_t discarded;
};

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void db_key_free(void *p)
{
	gg_db_close(p);
}

/* The worker thread's database connection, opened on first use. */
static struct gg_db *thread_db(void *ctx, struct gg_error *err)
{
	struct rq *rq = ctx;
	struct gg_server *srv = rq->srv;
	struct gg_db_options opt;
	struct gg_db *db = pthread_getspecific(srv->db_key);

	if (db)
		return db;
	memset(&opt, 0, sizeof(opt));
	opt.busy_timeout_ms = (int)gg_config_int(&srv->cfg, GG_CFG_busy_timeout_ms);
	opt.cache_mb = (int)gg_config_int(&srv->cfg, GG_CFG_db_cache_mb);
	opt.create = 0;
	if (gg_db_open(srv->db_target, &opt, &db, err) != GG_OK)
		return NULL;
	if (pthread_setspecific(srv->db_key, db) != 0) {
		gg_db_close(db);
		gg_error_set(err, GG_E_NOMEM, NULL);
		return NULL;
	}
	return db;
}

static const char *header_lookup(void *ctx, const char *name)
{
	struct rq *rq = ctx;

	return MHD_lookup_connection_value(rq->mc, MHD_HEADER_KIND, name);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	gg_log(GG_LOG_WARN, "http_server", "%s", msg);
}

static void client_text(struct MHD_Connection *mc, char *out, size_t outsz)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	gg_strlcpy(out, "", outsz);
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)outsz);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)outsz);
}

static void notify_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
	struct gg_server *srv = cls;
	const union MHD_ConnectionInfo *ci;
	struct conn *c;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		c = calloc(1, sizeof(*c));
		*socket_context = c;
		if (!c)
			return;
		ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
		c->fd = ci ? ci->connect_fd : -1;
		pthread_mutex_lock(&srv->lock);
		c->next = srv->conns;
		if (srv->conns)
			srv->conns->prev = c;
		srv->conns = c;
		pthread_mutex_unlock(&srv->lock);
		return;
	}
	c = *socket_context;
	if (!c)
		return;
	pthread_mutex_lock(&srv->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&srv->lock);
	free(c);
	*socket_context = NULL;
}

static void conn_set_busy(struct gg_server *srv, struct conn *c, int busy)
{
	if (!c)
		return;
	pthread_mutex_lock(&srv->lock);
	c->busy = busy;
	/* Once stopping, a connection that has nothing more to answer is closed (FIN after the response). */
	if (!busy && atomic_load(&srv->quiescing) && c->fd >= 0)
		shutdown(c->fd, SHUT_WR);
	pthread_mutex_unlock(&srv->lock);
}

/* Called once per request before its headers are read: the request's state is born here. */
static void *uri_log(void *cls, const char *uri, struct MHD_Connection *mc)
{
	struct gg_server *srv = cls;
	const union MHD_ConnectionInfo *ci;
	struct rq *rq = calloc(1, sizeof(*rq));

	if (!rq)
		return NULL;
	if (gg_req_init(&rq->req, &srv->cfg, uri) != GG_OK) {
		gg_req_release(&rq->req);
		free(rq);
		return NULL;
	}
	rq->req.keys = &srv->keys;
	rq->req.web = srv->web;
	rq->req.policies = srv->policies;
	rq->srv = srv;
	rq->mc = mc;
	rq->start_us = mono_us();
	rq->req.io.header = header_lookup;
	rq->req.io.db = thread_db;
	rq->req.io.ctx = rq;
	client_text(mc, rq->req.client, sizeof(rq->req.client));
	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	rq->conn = ci ? ci->socket_context : NULL;
	conn_set_busy(srv, rq->conn, 1);
	gg_metrics_in_flight(1);
	return rq;
}

/* Hands the router's response to MHD. */
static enum MHD_Result send_response(struct rq *rq)
{
	struct gg_resp *r = &rq->req.resp;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t i;

	if (r->body && r->borrowed) {
		resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_PERSISTENT);
	} else if (r->body) {
		resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
		if (resp)
			r->body = NULL; /* MHD frees it now */
	} else {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	if (r->ctype[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	for (i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	if (atomic_load(&rq->srv->quiescing))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(rq->mc, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	if (ret == MHD_YES)
		rq->answered = 1;
	return ret;
}

/* 1 when a Content-Length header announces more than max bytes. */
static int declared_too_large(struct MHD_Connection *mc, size_t max)
{
	const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long v = 0;

	if (!cl)
		return 0;
	for (; *cl >= '0' && *cl <= '9'; cl++) {
		if (v > (unsigned long long)max)
			return 1;
		v = v * 10 + (unsigned)(*cl - '0');
	}
	return v > (unsigned long long)max;
}

static void refuse_too_large(struct rq *rq)
{
	struct gg_error err;

	gg_error_init(&err);
	gg_error_set(&err, GG_E_TOO_LARGE, "request body is larger than %zu bytes", rq->req.body.max);
	gg_router_problem(&rq->req, GG_E_TOO_LARGE, &err);
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *mc, const char *url, const char *method,
                                      const char *version, const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
	struct rq *rq = *con_cls;

	if (!rq)
		return MHD_NO; /* out of memory when the request began: drop the connection */
	if (!rq->started) {
		rq->started = 1;
		rq->mc = mc;
		gg_req_set_method(&rq->req, method);
		gg_router_begin(&rq->req);
		if (declared_too_large(mc, rq->req.body.max)) {
			/* Answer at once without reading the body; MHD then closes the connection. */
			rq->too_large = 1;
			refuse_too_large(rq);
			return send_response(rq);
		}
		return MHD_YES; /* no response on the first call: it would cost the keep-alive */
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (rq->answered)
			return MHD_YES;
		if (!rq->too_large) {
			enum gg_err rc = gg_buf_add(&rq->req.body, upload_data, n);
			if (rc == GG_E_TOO_LARGE) {
				rq->too_large = 1;
				gg_buf_release(&rq->req.body);
			} else if (rc != GG_OK) {
				return MHD_NO; /* out of memory: drop the connection */
			}
		}
		if (rq->too_large) {
			rq->discarded += n;
			if (rq->discarded > DISCARD_MAX)
				return MHD_NO;
		}
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	if (rq->too_large)
		refuse_too_large(rq);
	else
		gg_router_handle(&rq->req);
	return send_response(rq);
}

static void access_log(struct rq *rq, int64_t duration_us)
{
	struct gg_buf b;

	gg_buf_init(&b, ACCESS_LINE_MAX);
	if (gg_router_access_fields(&rq->req, duration_us, &b) == GG_OK)
		gg_log_fields(GG_LOG_INFO, b.buf);
	gg_buf_release(&b);
}

static void request_completed(void *cls, struct MHD_Connection *mc, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct gg_server *srv = cls;
	struct rq *rq = *con_cls;
	int64_t dur;

	if (!rq)
		return;
	*con_cls = NULL;
	dur = mono_us() - rq->start_us;
	if (rq->started) {
		if (rq->answered)
			gg_metrics_observe(gg_router_slot(&rq->req), rq->req.method, rq->req.resp.status, dur);
		else
			rq->req.resp.status = 0; /* the client went away before an answer */
		if (gg_config_bool(&srv->cfg, GG_CFG_access_log))
			access_log(rq, dur);
	}
	gg_metrics_in_flight(-1);
	conn_set_busy(srv, rq->conn, 0);
	gg_req_release(&rq->req);
	free(rq);
}

/* HOST:PORT with HOST an IPv4 literal or "localhost". */
static enum gg_err parse_listen(const char *s, struct sockaddr_in *sin, char *host, size_t hostsz, struct gg_error *err)
{
	const char *colon = strrchr(s, ':');
	long long port;
	size_t hlen;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (!colon || colon == s)
		return gg_error_set(err, GG_E_CONFIG, "listen address '%s' is not HOST:PORT", s);
	hlen = (size_t)(colon - s);
	if (hlen >= hostsz)
		return gg_error_set(err, GG_E_CONFIG, "listen host in '%s' is too long", s);
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (gg_parse_i64(colon + 1, 0, 65535, &port) != GG_OK)
		return gg_error_set(err, GG_E_CONFIG, "listen port in '%s' is not a number from 0 to 65535", s);
	sin->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0) {
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return GG_OK;
	}
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return gg_error_set(err, GG_E_CONFIG, "listen host '%s' is not an IPv4 address or localhost", host);
	return GG_OK;
}

/* Loads web_dir; says in one log line what is served, or how to build the UI when it is not there. */
static enum gg_err load_web(struct gg_server *srv, struct gg_error *err)
{
	const char *dir = gg_config_str(&srv->cfg, GG_CFG_web_dir);
	char cwd[1024];
	enum gg_err rc;

	rc = gg_static_load(dir, NULL, &srv->web, err);
	if (rc != GG_OK)
		return rc;
	if (!getcwd(cwd, sizeof(cwd)))
		gg_strlcpy(cwd, "?", sizeof(cwd));
	if (gg_static_ready(srv->web))
		gg_log(GG_LOG_INFO, "web_ui", "serving the web UI from '%s' (%zu files, %zu bytes)", dir,
		       gg_static_count(srv->web), gg_static_bytes(srv->web));
	else
		gg_log(GG_LOG_WARN, "web_ui_missing",
		       "web UI not built: web_dir '%s' (from %s) has no index.html; run make to build the web UI, "
		       "or set web_dir; / answers 503 until then",
		       dir, dir[0] == '/' ? "/" : cwd);
	return GG_OK;
}

static void server_free(struct gg_server *srv)
{
	struct conn *c;

	if (!srv)
		return;
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	gg_static_free(srv->web); /* after the daemon: no response points into it any more */
	if (srv->key_made)
		pthread_key_delete(srv->db_key);
	while ((c = srv->conns)) {
		srv->conns = c->next;
		free(c);
	}
	if (srv->lock_made)
		pthread_mutex_destroy(&srv->lock);
	free(srv->db_target);
	gg_crypto_keys_wipe(&srv->keys);
	free(srv);
}

enum gg_err gg_server_start(const struct gg_config *cfg, const char *db_target,
                            const struct gg_policyset *policies, struct gg_server **out, struct gg_error *err)
{
	struct gg_server *srv;
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *di;
	struct MHD_OptionItem pool_opt[2] = {{MHD_OPTION_END, 0, NULL}, {MHD_OPTION_END, 0, NULL}};
	long long threads;
	unsigned flags;
	enum gg_err rc;

	*out = NULL;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	srv->cfg = *cfg;
	srv->policies = policies;
	atomic_init(&srv->quiescing, 0);
	srv->db_target = strdup(db_target ? db_target : "");
	if (!srv->db_target) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto fail;
	}
	rc = parse_listen(gg_config_str(cfg, GG_CFG_listen), &sin, srv->host, sizeof(srv->host), err);
	if (rc != GG_OK)
		goto fail;
	rc = gg_crypto_keys_load(gg_config_str(cfg, GG_CFG_dir), &srv->keys, err);
	if (rc != GG_OK)
		goto fail;
	rc = load_web(srv, err);
	if (rc != GG_OK)
		goto fail;
	if (pthread_mutex_init(&srv->lock, NULL) != 0) {
		rc = gg_error_set(err, GG_E_INTERNAL, "cannot create a mutex");
		goto fail;
	}
	srv->lock_made = 1;
	if (pthread_key_create(&srv->db_key, db_key_free) != 0) {
		rc = gg_error_set(err, GG_E_INTERNAL, "cannot create a thread key");
		goto fail;
	}
	srv->key_made = 1;

	/* One thread is MHD's single internal thread: MHD wants no pool size said then. */
	threads = gg_config_int(cfg, GG_CFG_threads);
	pool_opt[0].option = threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END;
	pool_opt[0].value = (intptr_t)threads;
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL : MHD_USE_POLL;
	srv->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, access_handler, srv,
	    /* The logger first, so that MHD's own messages about later options reach it. */
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin, MHD_OPTION_ARRAY,
	    pool_opt, MHD_OPTION_CONNECTION_LIMIT, (unsigned)gg_config_int(cfg, GG_CFG_max_connections),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)gg_config_int(cfg, GG_CFG_request_timeout_seconds),
	    MHD_OPTION_NOTIFY_COMPLETED, request_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, notify_connection, srv,
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log, srv, MHD_OPTION_END);
	if (!srv->daemon) {
		rc = gg_error_set(err, GG_E_IO, "cannot listen on '%s'", gg_config_str(cfg, GG_CFG_listen));
		goto fail;
	}
	di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di && di->port ? di->port : ntohs(sin.sin_port);
	printf("listening on http://%s:%u\n", srv->host, srv->port);
	fflush(stdout);
	*out = srv;
	return GG_OK;
fail:
	server_free(srv);
	return rc;
}

static unsigned current_connections(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

	return di ? di->num_connections : 0;
}

void gg_server_stop(struct gg_server *srv)
{
	struct timespec nap = {0, STOP_POLL_MS * 1000000L};
	int64_t deadline;
	MHD_socket fd;
	struct conn *c;

	if (!srv)
		return;
	atomic_store(&srv->quiescing, 1);
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/*
	 * Idle keep-alive connections are shut now (MHD then reads end of file
	 * and closes them); busy ones answer with Connection: close, or get a
	 * FIN after the response they were sending when the stop began.
	 */
	pthread_mutex_lock(&srv->lock);
	for (c = srv->conns; c; c = c->next) {
		if (!c->busy && c->fd >= 0)
			shutdown(c->fd, SHUT_RDWR);
	}
	pthread_mutex_unlock(&srv->lock);
	deadline = mono_us() + (int64_t)gg_config_int(&srv->cfg, GG_CFG_shutdown_grace_seconds) * 1000000;
	while (current_connections(srv->daemon) > 0 && mono_us() < deadline) {
		while (nanosleep(&nap, &nap) != 0 && errno == EINTR)
			;
		nap.tv_sec = 0;
		nap.tv_nsec = STOP_POLL_MS * 1000000L;
	}
	server_free(srv);
}
