/*
 * cmd_serve: `guanggu serve` runs the HTTP API until SIGTERM or SIGINT. It
 * holds DIR/serve.lock for its whole life (so `restore` cannot replace the
 * database under it, and a second server on the same DIR is refused),
 * migrates the database, loads and checks the policy packs (a bad pack,
 * or a version whose content changed after its first decision, stops
 * start-up with the file, line and reason), then starts the server. SIGTERM and SIGINT are
 * blocked in every thread before any starts, and the main thread waits for
 * one with sigwait: no handler runs in an arbitrary thread, and the
 * shutdown (which lets requests in flight finish) happens in plain code.
 * The annual verifications that fell due (verification.h) are opened,
 * and the digital talent cards past their validity expired (card.h),
 * before it listens and then every hour by the main thread while it
 * waits, on a connection of its own.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "../core/clock.h"
#include "../core/log.h"
#include "../domain/card.h"
#include "../domain/policyset.h"
#include "../domain/verification.h"
#include "../http/http.h"
#include "cli.h"

#define SWEEP_SECONDS 3600

/* Opens the verifications due today (verification.h); a failure is logged and retried an hour later. */
static void sweep(struct gg_cli *cli)
{
	static const struct gg_actor actor = {0, "server", NULL};
	struct gg_error err;
	int64_t today = 0, opened = 0;

	gg_error_init(&err);
	if ((cli->db != NULL || gg_cli_open_db(cli, 0, &err) == GG_OK) && gg_clock_today(&today, &err) == GG_OK &&
	    gg_verification_open_due(cli->db, &actor, today, (int)gg_config_int(&cli->cfg, GG_CFG_verification_days),
	                             &opened, &err) == GG_OK) {
		if (opened > 0)
			gg_log(GG_LOG_INFO, "verifications_opened", "opened %lld verifications due", (long long)opened);
		return;
	}
	gg_log(GG_LOG_WARN, "verifications_open_failed", "cannot open the verifications due: %s",
	       gg_error_message(&err));
}

/* Expires the cards past their validity (card.h); a failure is logged and retried an hour later. */
static void expire_cards(struct gg_cli *cli)
{
	static const struct gg_actor actor = {0, "server", NULL};
	struct gg_error err;
	int64_t today = 0, expired = 0;

	gg_error_init(&err);
	if ((cli->db != NULL || gg_cli_open_db(cli, 0, &err) == GG_OK) && gg_clock_today(&today, &err) == GG_OK &&
	    gg_card_expire(cli->db, &actor, today, &expired, &err) == GG_OK) {
		if (expired > 0)
			gg_log(GG_LOG_INFO, "cards_expired", "expired %lld cards past their validity",
			       (long long)expired);
		return;
	}
	gg_log(GG_LOG_WARN, "cards_expire_failed", "cannot expire the cards past their validity: %s",
	       gg_error_message(&err));
}

int cmd_serve(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_server *srv = NULL;
	struct gg_policyset *policies = NULL;
	struct gg_error err;
	sigset_t stop, old;
	int lock = -1, sig = 0, masked = 0, status = GG_EXIT_FAIL;

	if (argc != 1)
		return gg_cli_usage(gg_cli_find("serve"));
	gg_error_init(&err);

	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &stop, &old) != 0) {
		gg_error_set(&err, GG_E_INTERNAL, "cannot block SIGTERM and SIGINT");
		goto fail;
	}
	masked = 1;
	/* A client that goes away must not kill the server. */
	signal(SIGPIPE, SIG_IGN);

	if (gg_cli_lock(cli, &lock, &err) != GG_OK || gg_cli_open_db(cli, 1, &err) != GG_OK ||
	    gg_cli_policies(cli, &policies, &err) != GG_OK || gg_policyset_verify(cli->db, policies, &err) != GG_OK)
		goto fail;
	sweep(cli); /* before listening: a client that sees the server sees the verifications due */
	expire_cards(cli);
	gg_cli_release(cli); /* each worker thread opens its own connection */
	if (gg_server_start(&cli->cfg, cli->db_path, policies, &srv, &err) != GG_OK)
		goto fail;
	fflush(stdout); /* "listening on ..." must reach a waiting test or supervisor now */

	for (;;) {
		struct timespec hour = {SWEEP_SECONDS, 0};

		if ((sig = sigtimedwait(&stop, NULL, &hour)) > 0)
			break;
		sweep(cli);
		expire_cards(cli);
	}
	gg_log(GG_LOG_INFO, "shutdown", "shutting down on %s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	gg_server_stop(srv);
	gg_log(GG_LOG_INFO, "stopped", "server stopped");
	status = GG_EXIT_OK;
	goto out;

fail:
	status = gg_cli_fail(&err);
out:
	gg_cli_release(cli);
	gg_policyset_free(policies);
	gg_cli_unlock(lock);
	if (masked) {
		/* a second SIGTERM during the grace period must not kill us after a clean stop */
		struct timespec zero = {0, 0};
		while (sigtimedwait(&stop, NULL, &zero) > 0)
			;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	return status;
}
