/*
 * api_ledger: the special fund's balances over HTTP (permission
 * ledger_read; domain/ledger.c, docs/ledger.md). GET
 * /api/v1/ledger/balances?on=YYYY-MM-DD answers what `guanggu ledger
 * balance --format json` prints (each account of the fixed chart with
 * balance_fen = debits - credits, the totals), each account also with its
 * Chinese and English name, plus the number of entries and the plans not
 * committed yet. An entry that does not balance (a tampered database) is
 * a 500 naming it, never a figure.
 */
#include "../domain/ledger.h"
#include "../domain/pack.h"
#include "api.h"

static struct gg_json *balances_json(const struct gg_ledger_balances *b, const char *on)
{
	struct gg_json *o = gg_json_object(), *arr = gg_json_array();
	int ok = o != NULL && arr != NULL;

	for (size_t i = 0; i < b->naccounts; i++) {
		struct gg_json *a = gg_json_object();

		ok &= gg_json_set_str(a, "code", b->accounts[i].code) == GG_OK;
		ok &= gg_json_set_str(a, "name", b->accounts[i].name_en) == GG_OK;
		ok &= gg_json_set_str(a, "name_zh", b->accounts[i].name_zh) == GG_OK;
		ok &= gg_json_set_str(a, "name_en", b->accounts[i].name_en) == GG_OK;
		ok &= gg_json_set_int(a, "balance_fen", b->accounts[i].balance_fen) == GG_OK;
		ok &= gg_json_append(arr, a) == GG_OK;
	}
	ok &= gg_json_set(o, "accounts", arr) == GG_OK;
	ok &= gg_json_set_int(o, "total_debit_fen", b->total_debit_fen) == GG_OK;
	ok &= gg_json_set_int(o, "total_credit_fen", b->total_credit_fen) == GG_OK;
	ok &= gg_json_set_str(o, "on", on) == GG_OK;
	ok &= gg_json_set_int(o, "entries", b->entries) == GG_OK;
	ok &= gg_json_set_int(o, "uncommitted_plans", b->uncommitted_plans) == GG_OK;
	ok &= gg_json_set_int(o, "uncommitted_fen", b->uncommitted_fen) == GG_OK;
	if (!ok) {
		gg_json_free(o);
		return NULL;
	}
	return o;
}

enum gg_err api_ledger_balances(struct gg_req *req, struct gg_error *err)
{
	struct gg_ledger_balances b;
	const char *on = gg_req_query(req, "on");
	struct gg_json *body;
	int64_t day = -1;
	enum gg_err rc;

	if (on != NULL && gg_pack_parse_day(on, &day) != 0)
		return gg_error_field(err, GG_E_INVALID, "on", "on must be a date YYYY-MM-DD");
	if ((rc = gg_ledger_balances(gg_req_db(req), day, &b, err)) != GG_OK)
		return rc;
	if (b.unbalanced > 0)
		return gg_error_set(err, GG_E_INTERNAL,
		                    "journal entry %lld does not balance: the ledger needs checking",
		                    (long long)b.first_unbalanced);
	body = balances_json(&b, on);
	return body != NULL ? gg_resp_json(req, 200, body) : gg_error_set(err, GG_E_NOMEM, NULL);
}
