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
#include "../domain/payrun.h"
#include "../domain/plan.h"
#include "../domain/policyset.h"
#include "../domain/role.h"
#include "../domain/user.h"
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

/*
 * Payment runs (issue 6, docs/payments.md): `subsidy run --period YYYY
 * --as USERNAME`, `subsidy approve RUN --as USERNAME`, `subsidy reject RUN
 * --reason TEXT --as USERNAME`, `subsidy bank-file RUN [--format
 * csv|xlsx] [--out FILE]`, `subsidy bank-result RUN FILE --as USERNAME`.
 * --as names the account that acts (it must hold the permission the API
 * route asks for; the four-eyes rule is payrun.c's); the bank file is
 * written by the operator, audited as "cli".
 */
static const struct gg_actor pay_cli_actor = {0, "cli", NULL};

/* The account USERNAME as actor, when it is enabled and holds perm; exit status on failure (0: ok). */
static int pay_actor(struct gg_cli *cli, const char *username, enum gg_perm perm, struct gg_principal *pr,
                     struct gg_actor *actor)
{
	struct gg_user u;
	struct gg_error err;

	gg_error_init(&err);
	if (username == NULL) {
		fprintf(stderr, "error: --as USERNAME is required\n");
		return usage();
	}
	if (gg_user_get_by_name(cli->db, username, &u, &err) != GG_OK)
		return gg_cli_fail(&err);
	memset(pr, 0, sizeof(*pr));
	pr->kind = GG_AUTH_TOKEN;
	if (gg_user_load_enabled(cli->db, u.id, pr, GG_E_DISABLED, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (!gg_principal_can(pr, perm)) {
		gg_error_set(&err, GG_E_FORBIDDEN, "account '%s' lacks permission '%s'", username, gg_perm_token(perm));
		return gg_cli_fail(&err);
	}
	actor->id = pr->user_id;
	actor->name = pr->username;
	actor->request_id = NULL;
	return 0;
}

/* A run id argument; 0 when malformed. */
static int64_t pay_run_id(const char *s)
{
	char *end = NULL;
	long long v = s ? strtoll(s, &end, 10) : 0;

	return s && s[0] && end && *end == '\0' && v > 0 ? (int64_t)v : 0;
}

/* Reads flags (--as, --period, --reason, --format, --out) and up to two positional arguments. */
struct pay_args {
	const char *as, *period, *reason, *format, *out, *ended_on;
	const char *pos[2];
	int npos;
};

static int pay_parse(int argc, char **argv, struct pay_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 2; i < argc; i++) {
		int r;

		if ((r = gg_cli_flag_value(argc, argv, &i, "--as", &a->as)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--period", &a->period)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--reason", &a->reason)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--format", &a->format)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--out", &a->out)) != 0 ||
		    (r = gg_cli_flag_value(argc, argv, &i, "--ended-on", &a->ended_on)) != 0) {
			if (r < 0) {
				fprintf(stderr, "error: %s needs a value\n", argv[i]);
				return usage();
			}
		} else if (argv[i][0] != '-' && a->npos < 2) {
			a->pos[a->npos++] = argv[i];
		} else {
			fprintf(stderr, "error: unexpected argument '%s'\n", argv[i]);
			return usage();
		}
	}
	return 0;
}

/* Prints run id as one JSON line {id, period, status, payments, total_fen}. */
static int pay_print_run(struct gg_cli *cli, int64_t id, int created, const struct gg_payrun_proposal *p)
{
	struct gg_payrun *r = NULL;
	struct gg_error err;

	gg_error_init(&err);
	if (gg_payrun_get(cli->db, id, &r, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("{\"id\":%lld,\"period\":%d,\"status\":\"%s\",\"created\":%s,\"payments\":%lld,\"total_fen\":%lld",
	       (long long)r->id, r->period, r->status, created ? "true" : "false", (long long)r->npayments,
	       (long long)r->total_fen);
	printf(",\"skipped\":%zu}\n", p ? p->nskipped : 0);
	for (size_t i = 0; p && i < p->nskipped; i++)
		fprintf(stderr, "skipped: installment %lld (plan %lld, year %d): %s\n",
		        (long long)p->skipped[i].installment_id, (long long)p->skipped[i].plan_id, p->skipped[i].year,
		        p->skipped[i].why);
	gg_payrun_free(r);
	return GG_EXIT_OK;
}

static int subsidy_run(struct gg_cli *cli, int argc, char **argv)
{
	struct pay_args a;
	struct gg_principal pr;
	struct gg_actor actor;
	struct gg_payrun_proposal p;
	struct gg_error err;
	int64_t today = 0;
	int status;

	if ((status = pay_parse(argc, argv, &a)) != 0)
		return status;
	if (a.period == NULL || a.npos != 0 || strlen(a.period) != 4 || strspn(a.period, "0123456789") != 4) {
		fprintf(stderr, "error: --period YYYY is required\n");
		return usage();
	}
	if ((status = pay_actor(cli, a.as, GG_PERM_payments_propose, &pr, &actor)) != 0)
		return status;
	gg_error_init(&err);
	if (gg_clock_today(&today, &err) != GG_OK)
		return gg_cli_fail(&err);
	if (gg_payrun_propose(cli->db, &actor, atoi(a.period), today, &p, &err) != GG_OK) {
		for (size_t i = 0; i < p.nskipped; i++)
			fprintf(stderr, "skipped: installment %lld (plan %lld, year %d): %s\n",
			        (long long)p.skipped[i].installment_id, (long long)p.skipped[i].plan_id,
			        p.skipped[i].year, p.skipped[i].why);
		gg_payrun_proposal_release(&p);
		err.nfields = 0; /* the skipped ones are listed above */
		return gg_cli_fail(&err);
	}
	status = pay_print_run(cli, p.run_id, p.created, &p);
	gg_payrun_proposal_release(&p);
	return status;
}

static int subsidy_decide(struct gg_cli *cli, int argc, char **argv, int approve)
{
	struct pay_args a;
	struct gg_principal pr;
	struct gg_actor actor;
	struct gg_error err;
	int64_t id;
	int status;

	if ((status = pay_parse(argc, argv, &a)) != 0)
		return status;
	if (a.npos != 1 || (id = pay_run_id(a.pos[0])) == 0) {
		fprintf(stderr, "error: the run's id is required\n");
		return usage();
	}
	if (!approve && a.reason == NULL) {
		fprintf(stderr, "error: --reason TEXT is required\n");
		return usage();
	}
	if ((status = pay_actor(cli, a.as, GG_PERM_payments_approve, &pr, &actor)) != 0)
		return status;
	gg_error_init(&err);
	if ((approve ? gg_payrun_approve(cli->db, &actor, id, 0, &err)
	             : gg_payrun_reject(cli->db, &actor, id, a.reason, 0, &err)) != GG_OK)
		return gg_cli_fail(&err);
	return pay_print_run(cli, id, 0, NULL);
}

static int subsidy_bank_file(struct gg_cli *cli, int argc, char **argv)
{
	struct pay_args a;
	struct gg_error err;
	struct gg_buf out;
	enum gg_payrun_format f = GG_PAYRUN_CSV;
	int64_t id;
	int status = GG_EXIT_OK;
	FILE *fp;

	if ((status = pay_parse(argc, argv, &a)) != 0)
		return status;
	if (a.npos != 1 || (id = pay_run_id(a.pos[0])) == 0) {
		fprintf(stderr, "error: the run's id is required\n");
		return usage();
	}
	if (a.format && strcmp(a.format, "xlsx") == 0) {
		f = GG_PAYRUN_XLSX;
	} else if (a.format && strcmp(a.format, "csv") != 0) {
		fprintf(stderr, "error: --format must be csv or xlsx\n");
		return usage();
	}
	if (f == GG_PAYRUN_XLSX && a.out == NULL) {
		fprintf(stderr, "error: an XLSX bank file needs --out FILE\n");
		return usage();
	}
	gg_error_init(&err);
	gg_buf_init(&out, 64u * 1024 * 1024);
	if (gg_payrun_bank_file(cli->db, &cli->keys, &pay_cli_actor, id, f, &out, &err) != GG_OK) {
		status = gg_cli_fail(&err);
		goto done;
	}
	fp = a.out ? fopen(a.out, "wb") : stdout;
	if (fp == NULL || fwrite(out.buf, 1, out.len, fp) != out.len || (a.out && fclose(fp) != 0)) {
		gg_error_set(&err, GG_E_IO, "cannot write '%s'", a.out ? a.out : "stdout");
		status = gg_cli_fail(&err);
	}
done:
	if (out.alloc)
		memset(out.buf, 0, out.len);
	gg_buf_release(&out);
	return status;
}

static int subsidy_bank_result(struct gg_cli *cli, int argc, char **argv)
{
	struct pay_args a;
	struct gg_principal pr;
	struct gg_actor actor;
	struct gg_payrun_result res;
	struct gg_error err;
	struct gg_buf in;
	int64_t id;
	int status;

	if ((status = pay_parse(argc, argv, &a)) != 0)
		return status;
	if (a.npos != 2 || (id = pay_run_id(a.pos[0])) == 0) {
		fprintf(stderr, "error: the run's id and the result FILE are required\n");
		return usage();
	}
	if ((status = pay_actor(cli, a.as, GG_PERM_payments_approve, &pr, &actor)) != 0)
		return status;
	gg_error_init(&err);
	gg_buf_init(&in, GG_PAYRUN_RESULT_MAX);
	if (gg_buf_read_file(&in, a.pos[1], &err) != GG_OK) {
		gg_buf_release(&in);
		return gg_cli_fail(&err);
	}
	if (gg_payrun_bank_result(cli->db, &actor, id, a.pos[1], in.buf, in.len, &res, &err) != GG_OK) {
		for (size_t i = 0; i < res.nerrors; i++)
			fprintf(stderr, "line %zu: %s\n", res.errors[i].line, res.errors[i].reason);
		err.nfields = 0;
		status = gg_cli_fail(&err);
	} else if (res.already) {
		printf("already applied: run %lld has this file already; nothing changed\n", (long long)id);
	} else {
		printf("applied %zu rows to run %lld: %zu paid, %zu failed, %zu returned%s\n", res.rows, (long long)id,
		       res.paid, res.failed, res.returned, res.closed ? "; the run is closed" : "");
	}
	gg_payrun_result_release(&res);
	gg_buf_release(&in);
	return status;
}

/*
 * `subsidy cancel PLAN --ended-on DATE --reason TEXT --as USERNAME`: the
 * plan is cancelled as plan.h says (plans_write); prints {id, status,
 * lapsed} as one JSON line.
 */
static int subsidy_cancel(struct gg_cli *cli, int argc, char **argv)
{
	struct pay_args a;
	struct gg_principal pr;
	struct gg_actor actor;
	struct gg_error err;
	int64_t id;
	int status, lapsed = 0;

	if ((status = pay_parse(argc, argv, &a)) != 0)
		return status;
	if (a.npos != 1 || (id = pay_run_id(a.pos[0])) == 0) {
		fprintf(stderr, "error: the plan's id is required\n");
		return usage();
	}
	if (a.ended_on == NULL || a.reason == NULL) {
		fprintf(stderr, "error: --ended-on YYYY-MM-DD and --reason TEXT are required\n");
		return usage();
	}
	if ((status = pay_actor(cli, a.as, GG_PERM_plans_write, &pr, &actor)) != 0)
		return status;
	gg_error_init(&err);
	if (gg_plan_cancel(cli->db, &actor, id, a.ended_on, a.reason, &lapsed, &err) != GG_OK)
		return gg_cli_fail(&err);
	printf("{\"id\":%lld,\"status\":\"cancelled\",\"lapsed\":%d}\n", (long long)id, lapsed);
	return GG_EXIT_OK;
}

int cmd_subsidy(struct gg_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "simulate") == 0)
		return subsidy_simulate(cli, argc, argv);
	/* payment runs (issue 6) */
	if (strcmp(argv[1], "run") == 0)
		return subsidy_run(cli, argc, argv);
	if (strcmp(argv[1], "approve") == 0 || strcmp(argv[1], "reject") == 0)
		return subsidy_decide(cli, argc, argv, argv[1][0] == 'a');
	if (strcmp(argv[1], "bank-file") == 0)
		return subsidy_bank_file(cli, argc, argv);
	if (strcmp(argv[1], "bank-result") == 0)
		return subsidy_bank_result(cli, argc, argv);
	if (strcmp(argv[1], "open-due") == 0)
		return subsidy_open_due(cli, argc, argv);
	if (strcmp(argv[1], "cancel") == 0)
		return subsidy_cancel(cli, argc, argv);
	fprintf(stderr, "error: unknown subsidy command '%s'\n", argv[1]);
	return usage();
}
