/*
 * cmd_subsidy: `guanggu subsidy simulate --salary CNY [--employer-kind
 * KIND] [--start DATE] [--paid Y1,Y2,...] [--end-after-years N] [--policy
 * NAME]` prints the decision the recruitment order's rules would make for
 * a hire, as one JSON object: {"recognized", "tier", "policy", "version",
 * "installments": [{"year", "due", "amount_fen", "status"}], "total_fen",
 * "trace"}. The checks, defaults and the decision are domain/simulate.c's,
 * shared with POST /api/v1/policy/simulate; this file only reads the
 * flags and copies the view into JSON (decision_json: the CLI's twin of
 * gg_api_decision_json, since cli and http may not call each other and
 * the domain builds no JSON; simulate.h says more). Exit 0 with the
 * decision (also when not recognised), 2 for a malformed value (with the
 * usage), 1 for a rule refusal (unknown policy, a start before the
 * policy) with the reason on stderr. Nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/json.h"
#include "../domain/policyset.h"
#include "../domain/simulate.h"
#include "../domain/verification.h"
#include "cli.h"

#define PAID_TEXT_MAX 512 /* bytes of --paid */

static int usage(void)
{
	return gg_cli_usage(gg_cli_find("subsidy"));
}

/* A malformed value: the reason, then the usage; exit 2. */
static int malformed(const struct gg_error *err)
{
	gg_cli_fail(err);
	return usage();
}

/* The view as the decision JSON; NULL on out of memory. (Each set and append takes its value, even on failure.) */
static struct gg_json *decision_json(const struct gg_simulation *s)
{
	struct gg_json *o = gg_json_object(), *inst = gg_json_array(), *trace = gg_json_array();
	int ok = o != NULL;

	for (int i = 0; i < s->ninst; i++) {
		struct gg_json *it = gg_json_object();

		ok &= gg_json_set_int(it, "year", s->inst[i].year) == GG_OK;
		ok &= gg_json_set_str(it, "due", s->inst[i].due) == GG_OK;
		ok &= gg_json_set_int(it, "amount_fen", s->inst[i].amount_fen) == GG_OK;
		ok &= gg_json_set_str(it, "status", s->inst[i].status) == GG_OK;
		ok &= gg_json_append(inst, it) == GG_OK;
	}
	for (size_t i = 0; i < s->ntrace; i++)
		ok &= gg_json_append(trace, gg_json_string(s->trace[i])) == GG_OK;
	ok &= gg_json_set_bool(o, "recognized", s->recognized) == GG_OK;
	ok &= gg_json_set_str(o, "tier", s->tier) == GG_OK;
	ok &= gg_json_set_str(o, "policy", s->policy) == GG_OK;
	ok &= gg_json_set_str(o, "version", s->version) == GG_OK;
	ok &= gg_json_set(o, "installments", inst) == GG_OK;
	ok &= gg_json_set_int(o, "total_fen", s->total_fen) == GG_OK;
	ok &= gg_json_set(o, "trace", trace) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

/* Splits text "Y1,Y2,..." (copied into buf) into in->paid; GG_E_INVALID on field paid. */
static enum gg_err split_paid(const char *text, char buf[PAID_TEXT_MAX], struct gg_simulate_input *in,
                              struct gg_error *err)
{
	char *p = buf;

	if (strlen(text) >= PAID_TEXT_MAX)
		return gg_error_field(err, GG_E_INVALID, "paid", "--paid is longer than %d bytes", PAID_TEXT_MAX - 1);
	memcpy(buf, text, strlen(text) + 1);
	for (;;) {
		char *comma = strchr(p, ',');

		if (in->npaid == GG_POLICY_YEARS_MAX)
			return gg_error_field(err, GG_E_INVALID, "paid", "--paid gives more than %d years",
			                      GG_POLICY_YEARS_MAX);
		if (comma)
			*comma = '\0';
		in->paid[in->npaid++] = p;
		if (!comma)
			return GG_OK;
		p = comma + 1;
	}
}

/* A whole number 0..GG_SIMULATE_YEARS_MAX. */
static enum gg_err years_of(const char *text, int64_t *out, struct gg_error *err)
{
	int64_t v = 0;

	if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text) || strlen(text) > 3 ||
	    (v = strtoll(text, NULL, 10)) > GG_SIMULATE_YEARS_MAX)
		return gg_error_field(err, GG_E_INVALID, "end_after_years",
		                      "--end-after-years '%.16s' is not a whole number of years 0 to %d", text,
		                      GG_SIMULATE_YEARS_MAX);
	*out = v;
	return GG_OK;
}

static int subsidy_simulate(struct gg_cli *cli, int argc, char **argv)
{
	struct gg_simulate_input in = {.end_after_years = -1};
	struct gg_policyset *set = NULL;
	struct gg_simulation *sim = NULL;
	struct gg_json *json = NULL;
	struct gg_error err;
	const char *paid = NULL, *years = NULL;
	char paidbuf[PAID_TEXT_MAX], *text = NULL;
	int64_t today;
	int status = GG_EXIT_OK;

	for (int i = 2; i < argc; i++) {
		int r;

		if ((r = gg_cli_flag_value(argc, argv, &i, "--salary", &in.salary)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--employer-kind", &in.employer_kind)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--start", &in.start)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--paid", &paid)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--end-after-years", &years)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--policy", &in.policy)) != 0) {
			if (r < 0) {
				fprintf(stderr, "error: %s needs a value\n", argv[i]);
				return usage();
			}
		} else {
			fprintf(stderr, "error: unexpected argument '%s'\n", argv[i]);
			return usage();
		}
	}
	gg_error_init(&err);
	if (in.salary == NULL) {
		fprintf(stderr, "error: --salary is required\n");
		return usage();
	}
	if (paid != NULL && split_paid(paid, paidbuf, &in, &err) != GG_OK)
		return malformed(&err);
	if (years != NULL && years_of(years, &in.end_after_years, &err) != GG_OK)
		return malformed(&err);
	if (gg_clock_today(&today, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (gg_cli_policies(cli, &set, &err) != GG_OK)
		return gg_cli_fail(&err);
	if ((sim = malloc(sizeof(*sim))) == NULL) {
		gg_error_set(&err, GG_E_NOMEM, NULL);
		status = gg_cli_fail(&err);
		goto out;
	}
	if (gg_simulate_run(set, &in, today, sim, &err) != GG_OK) {
		status = err.code == GG_E_INVALID ? malformed(&err) : gg_cli_fail(&err);
		goto out;
	}
	if ((json = decision_json(sim)) == NULL || (text = gg_json_dump(json, NULL)) == NULL) {
		gg_error_set(&err, GG_E_NOMEM, NULL);
		status = gg_cli_fail(&err);
		goto out;
	}
	printf("%s\n", text);
out:
	free(text);
	gg_json_free(json);
	free(sim);
	gg_policyset_free(set);
	return status;
}

/*
 * Annual verification (verification.c): `subsidy open-due [--on DATE]`
 * opens the verification of every installment due on or before DATE
 * (today by default) that has none; prints "opened N verifications".
 */
static int subsidy_open_due(struct gg_cli *cli, int argc, char **argv)
{
	static const struct gg_actor cli_actor = {0, "cli", NULL};
	const char *on = NULL;
	struct gg_error err;
	int64_t day = 0, opened = 0;

	for (int i = 2; i < argc; i++) {
		int r = gg_cli_flag_value(argc, argv, &i, "--on", &on);

		if (r < 0) {
			fprintf(stderr, "error: %s needs a value\n", argv[i]);
			return usage();
		}
		if (r == 0) {
			fprintf(stderr, "error: unexpected argument '%s'\n", argv[i]);
			return usage();
		}
	}
	gg_error_init(&err);
	if (on != NULL && gg_pack_parse_day(on, &day) != 0) {
		gg_error_field(&err, GG_E_INVALID, "on", "--on '%.32s' is not a day YYYY-MM-DD", on);
		return malformed(&err);
	}
	if (on == NULL && gg_clock_today(&day, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (gg_verification_open_due(cli->db, &cli_actor, day, (int)gg_config_int(&cli->cfg, GG_CFG_verification_days),
	                             &opened, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("opened %lld verifications\n", (long long)opened);
	return GG_EXIT_OK;
}

int cmd_subsidy(struct gg_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "simulate") == 0)
		return subsidy_simulate(cli, argc, argv);
	if (strcmp(argv[1], "open-due") == 0)
		return subsidy_open_due(cli, argc, argv);
	fprintf(stderr, "error: unknown subsidy command '%s'\n", argv[1]);
	return usage();
}
