/*
 * cmd_card: `guanggu card` for the digital talent card (docs/cards.md).
 * `card verify TOKEN --public-key FILE` checks a token offline, with the
 * keys file only (no installation needed): exit 0 valid, 1 invalid (the
 * reason printed), 2 usage or an unreadable or malformed keys file.
 * `card keys export|rotate|list` publish, rotate (audited as the account
 * --as names, which must hold card_keys_manage) and list the signing
 * keys; `card expire` runs the expiry sweep the server runs hourly;
 * `card list` prints the register.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../domain/card.h"
#include "../domain/cardtoken.h"
#include "../domain/user.h"
#include "cli.h"

#define KEYS_FILE_MAX (64 * 1024)

static int usage(void)
{
	return gg_cli_usage(gg_cli_find("card"));
}

static int card_verify(struct gg_cli *cli, int argc, char **argv)
{
	const char *token = NULL, *file = NULL;
	struct gg_cardkey_pub keys[GG_CARDKEYS_MAX];
	struct gg_cardtoken claims;
	struct gg_buf text;
	struct gg_error err;
	enum gg_cardtoken_reason r;
	size_t n = 0;
	char when[32];

	(void)cli;
	for (int i = 1; i < argc; i++) {
		int f = gg_cli_flag_value(argc, argv, &i, "--public-key", &file);

		if (f < 0) {
			fprintf(stderr, "error: --public-key needs a file\n");
			return usage();
		}
		if (f == 0 && argv[i][0] != '-' && token == NULL)
			token = argv[i];
		else if (f == 0)
			return usage();
	}
	if (!token || !file) {
		fprintf(stderr, "error: card verify needs TOKEN and --public-key FILE\n");
		return usage();
	}
	gg_error_init(&err);
	gg_buf_init(&text, KEYS_FILE_MAX);
	if (gg_buf_read_file(&text, file, &err) != GG_OK ||
	    gg_cardkeys_parse(text.buf, keys, GG_CARDKEYS_MAX, &n, &err) != GG_OK) {
		gg_buf_release(&text);
		fprintf(stderr, "error: %s: %s\n", file, gg_error_message(&err));
		return GG_EXIT_USAGE;
	}
	gg_buf_release(&text);
	memset(&claims, 0, sizeof claims);
	r = gg_cardtoken_check(token, keys, n, gg_clock_now(), &claims);
	if (r != GG_CTR_VALID) {
		printf("invalid: %s\n", gg_cardtoken_reason_token(r));
		return GG_EXIT_FAIL;
	}
	gg_clock_iso(claims.expires_at, when, sizeof when);
	printf("valid card %lld tier %s expires %s (key %s)\n", (long long)claims.card_id, claims.tier, when,
	       claims.kid);
	return GG_EXIT_OK;
}

/* Opens the installation's database and keys for the subcommands that need them. */
static int open_installation(struct gg_cli *cli)
{
	struct gg_error err;

	gg_error_init(&err);
	if (gg_cli_open_db(cli, 1, &err) != GG_OK ||
	    gg_crypto_keys_load(gg_config_str(&cli->cfg, GG_CFG_dir), &cli->keys, &err) != GG_OK)
		return gg_cli_fail(&err);
	return 0;
}

static int keys_export(struct gg_cli *cli, int argc, char **argv)
{
	const char *out = NULL;
	struct gg_buf b;
	struct gg_error err;
	FILE *f;
	int st;

	for (int i = 2; i < argc; i++) {
		if (gg_cli_flag_value(argc, argv, &i, "--output", &out) != 1)
			return usage();
	}
	if ((st = open_installation(cli)) != 0)
		return st;
	gg_error_init(&err);
	gg_buf_init(&b, KEYS_FILE_MAX);
	if (gg_cardkeys_export(cli->db, &b, &err) != GG_OK) {
		gg_buf_release(&b);
		return gg_cli_fail(&err);
	}
	if (!out) {
		fputs(b.buf, stdout);
		gg_buf_release(&b);
		return GG_EXIT_OK;
	}
	f = fopen(out, "w");
	st = f && fputs(b.buf, f) >= 0;
	if (f && fclose(f) != 0)
		st = 0;
	gg_buf_release(&b);
	if (!st) {
		gg_error_set(&err, GG_E_IO, "cannot write '%s'", out);
		return gg_cli_fail(&err);
	}
	return GG_EXIT_OK;
}

static int keys_list(struct gg_cli *cli)
{
	struct gg_cardkey_info keys[GG_CARDKEYS_MAX];
	struct gg_error err;
	size_t n = 0;
	int st;

	if ((st = open_installation(cli)) != 0)
		return st;
	gg_error_init(&err);
	if (gg_cardkey_list(cli->db, keys, GG_CARDKEYS_MAX, &n, &err) != GG_OK)
		return gg_cli_fail(&err);
	for (size_t i = 0; i < n; i++) {
		char made[32], retired[32];

		gg_clock_iso(keys[i].created_at, made, sizeof made);
		if (keys[i].retired_at)
			gg_clock_iso(keys[i].retired_at, retired, sizeof retired);
		printf("%s %s created %s %s%s\n", keys[i].kid, keys[i].public_key, made,
		       keys[i].retired_at ? "retired " : "signing", keys[i].retired_at ? retired : "");
	}
	return GG_EXIT_OK;
}

static int keys_rotate(struct gg_cli *cli, int argc, char **argv)
{
	const char *as = NULL;
	struct gg_user u;
	struct gg_principal pr;
	struct gg_actor actor;
	struct gg_error err;
	char kid[GG_CARDTOKEN_KID_MAX];
	int st;

	for (int i = 2; i < argc; i++) {
		if (gg_cli_flag_value(argc, argv, &i, "--as", &as) != 1)
			return usage();
	}
	if (!as) {
		fprintf(stderr, "error: --as USERNAME is required\n");
		return usage();
	}
	if ((st = open_installation(cli)) != 0)
		return st;
	gg_error_init(&err);
	if (gg_user_get_by_name(cli->db, as, &u, &err) != GG_OK)
		return gg_cli_fail(&err);
	memset(&pr, 0, sizeof pr);
	pr.kind = GG_AUTH_TOKEN;
	if (gg_user_load_enabled(cli->db, u.id, &pr, GG_E_DISABLED, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (!gg_principal_can(&pr, GG_PERM_card_keys_manage)) {
		gg_error_set(&err, GG_E_FORBIDDEN, "account '%s' lacks permission 'card_keys_manage'", as);
		return gg_cli_fail(&err);
	}
	actor.id = pr.user_id;
	actor.name = pr.username;
	actor.request_id = NULL;
	if (gg_cardkey_rotate(cli->db, &cli->keys, &actor, kid, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("signing key %s\n", kid);
	return GG_EXIT_OK;
}

static int card_expire(struct gg_cli *cli)
{
	static const struct gg_actor actor = {0, "cli", NULL};
	struct gg_error err;
	int64_t today = 0, n = 0;
	int st;

	if ((st = open_installation(cli)) != 0)
		return st;
	gg_error_init(&err);
	if (gg_clock_today(&today, &err) != GG_OK || gg_card_expire(cli->db, &actor, today, &n, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("expired %lld cards\n", (long long)n);
	return GG_EXIT_OK;
}

static int card_list(struct gg_cli *cli, int argc, char **argv)
{
	const char *status = NULL;
	struct gg_card_query q;
	struct gg_card *page;
	struct gg_error err;
	size_t n = 0;
	int more = 1, st;

	for (int i = 1; i < argc; i++) {
		if (gg_cli_flag_value(argc, argv, &i, "--status", &status) != 1)
			return usage();
	}
	memset(&q, 0, sizeof q);
	q.status = -1;
	if (status && (q.status = gg_card_status_lookup(status)) < 0) {
		fprintf(stderr, "error: unknown status '%s'\n", status);
		return usage();
	}
	if ((st = open_installation(cli)) != 0)
		return st;
	q.limit = GG_CARD_LIMIT_MAX;
	gg_card_scope(NULL, &q);
	if ((page = calloc(GG_CARD_LIMIT_MAX, sizeof *page)) == NULL) {
		gg_error_set(&err, GG_E_NOMEM, NULL);
		return gg_cli_fail(&err);
	}
	gg_error_init(&err);
	while (more) {
		if (gg_card_list(cli->db, &q, page, &n, &more, &err) != GG_OK) {
			free(page);
			return gg_cli_fail(&err);
		}
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)page[i].id,
			       gg_card_status_token(page[i].status), page[i].talent_name, page[i].bank_name,
			       page[i].tier[0] ? page[i].tier : "-", page[i].card_no[0] ? page[i].card_no : "-",
			       page[i].valid_to[0] ? page[i].valid_to : "-");
		if (n > 0)
			q.after_id = page[n - 1].id;
		else
			more = 0;
	}
	free(page);
	return GG_EXIT_OK;
}

int cmd_card(struct gg_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "verify") == 0)
		return card_verify(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "keys") == 0 && argc >= 3) {
		if (strcmp(argv[2], "export") == 0)
			return keys_export(cli, argc - 1, argv + 1);
		if (strcmp(argv[2], "rotate") == 0)
			return keys_rotate(cli, argc - 1, argv + 1);
		if (strcmp(argv[2], "list") == 0 && argc == 3)
			return keys_list(cli);
		return usage();
	}
	if (strcmp(argv[1], "expire") == 0 && argc == 2)
		return card_expire(cli);
	if (strcmp(argv[1], "list") == 0)
		return card_list(cli, argc - 1, argv + 1);
	return usage();
}
