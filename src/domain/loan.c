/*
 * loan: loan requests through the talent card (loan.h,
 * docs/benefits.md). The state machine is the table below; the checks of
 * every action and the allowed_actions both read it. The bank's queue is
 * the inbox: a loan_request task scoped to the bank opens with the
 * request and closes when the bank decides or the talent withdraws.
 */
#include "loan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/money.h"
#include "task.h"

static const char *const status_tokens[GG_LOAN__COUNT] = {"requested", "accepted", "approved", "declined", "withdrawn"};

#define ST(s) (1u << (s))

static const struct {
	const char *token;
	unsigned from;
	enum gg_loan_status to;
	enum gg_perm perm;
	int closes; /* the bank's task closes */
} machine[GG_LOANA__COUNT] = {
    [GG_LOANA_ACCEPT] = {"accept", ST(GG_LOAN_REQUESTED), GG_LOAN_ACCEPTED, GG_PERM_loans_handle, 0},
    [GG_LOANA_APPROVE] = {"approve", ST(GG_LOAN_ACCEPTED), GG_LOAN_APPROVED, GG_PERM_loans_handle, 1},
    [GG_LOANA_DECLINE] = {"decline", ST(GG_LOAN_REQUESTED) | ST(GG_LOAN_ACCEPTED), GG_LOAN_DECLINED,
                          GG_PERM_loans_handle, 1},
    [GG_LOANA_WITHDRAW] = {"withdraw", ST(GG_LOAN_REQUESTED), GG_LOAN_WITHDRAWN, GG_PERM_loans_request, 1},
};

const char *gg_loan_status_token(enum gg_loan_status s)
{
	return (int)s >= 0 && s < GG_LOAN__COUNT ? status_tokens[s] : "";
}

int gg_loan_status_lookup(const char *token)
{
	for (int i = 0; token && i < GG_LOAN__COUNT; i++)
		if (strcmp(token, status_tokens[i]) == 0)
			return i;
	return -1;
}

const char *gg_loan_action_token(enum gg_loan_action a)
{
	return (int)a >= 0 && a < GG_LOANA__COUNT ? machine[a].token : "";
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* 1 when pr holds perm in a way that reaches the bank (org) or the talent (own, or assigned to the commissioner). */
static int reaches(const struct gg_principal *pr, enum gg_perm perm, int64_t bank, int64_t talent, int64_t commissioner)
{
	if (!pr)
		return 1;
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];

		if (!gg_role_grants(g->role, perm))
			continue;
		if (g->role == GG_ROLE_commissioner) {
			if (commissioner && commissioner == pr->user_id)
				return 1;
		} else if (g->scope_kind == GG_SCOPE_NONE) {
			return 1;
		} else if (g->scope_kind == GG_SCOPE_ORG && bank && g->scope_id == bank) {
			return 1;
		} else if (g->scope_kind == GG_SCOPE_TALENT && talent && g->scope_id == talent) {
			return 1;
		}
	}
	return 0;
}

int gg_loan_visible(const struct gg_loan *l, const struct gg_principal *pr)
{
	return reaches(pr, GG_PERM_loans_request, 0, l->talent_id, l->commissioner_id) ||
	       reaches(pr, GG_PERM_loans_handle, l->bank_id, 0, 0) ||
	       gg_principal_reaches(pr, GG_PERM_cards_review, 0, 0);
}

static enum gg_err check(const struct gg_loan *l, const struct gg_principal *pr, enum gg_loan_action a,
                         struct gg_error *err)
{
	int may = machine[a].perm == GG_PERM_loans_handle
	              ? reaches(pr, GG_PERM_loans_handle, l->bank_id, 0, 0)
	              : reaches(pr, GG_PERM_loans_request, 0, l->talent_id, l->commissioner_id);

	if (!may && !gg_loan_visible(l, pr))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown loan request %lld", (long long)l->id);
	if (!may)
		return gg_error_set(err, GG_E_FORBIDDEN, "you may not %s loan request %lld", machine[a].token,
		                    (long long)l->id);
	if (!(machine[a].from & ST(l->status)))
		return gg_error_set(err, GG_E_CONFLICT, "cannot %s loan request %lld: it is %s", machine[a].token,
		                    (long long)l->id, status_tokens[l->status]);
	return GG_OK;
}

unsigned gg_loan_allowed(const struct gg_loan *l, const struct gg_principal *pr)
{
	unsigned bits = 0;
	struct gg_error e;

	for (int a = 0; a < GG_LOANA__COUNT; a++) {
		gg_error_init(&e);
		if (check(l, pr, (enum gg_loan_action)a, &e) == GG_OK)
			bits |= 1u << a;
	}
	return bits;
}

#define SELECT_LOAN                                                                                              \
	"SELECT l.id, l.card_id, COALESCE(c.card_no, ''), c.talent_id, COALESCE(t.commissioner_id, 0), t.name,"  \
	" l.bank_id, b.name, l.kind, COALESCE(l.org_id, 0), COALESCE(o.name, ''), l.amount_fen, l.term_months,"  \
	" l.purpose, l.status, COALESCE(l.reason, ''), COALESCE(l.requested_by, 0), l.created_at,"               \
	" COALESCE(l.decided_by, 0), COALESCE(l.decided_at, 0), l.updated_at, l.version FROM loan_requests l"    \
	" JOIN cards c ON c.id = l.card_id JOIN talents t ON t.id = c.talent_id JOIN orgs b ON b.id = l.bank_id" \
	" LEFT JOIN orgs o ON o.id = l.org_id"

static void row_of(struct gg_stmt *st, void *out)
{
	struct gg_loan *l = out;

	int s;

	memset(l, 0, sizeof *l);
	l->id = gg_db_col_i64(st, 0);
	l->card_id = gg_db_col_i64(st, 1);
	gg_db_col_copy(st, 2, l->card_no, sizeof l->card_no);
	l->talent_id = gg_db_col_i64(st, 3);
	l->commissioner_id = gg_db_col_i64(st, 4);
	gg_db_col_copy(st, 5, l->talent, sizeof l->talent);
	l->bank_id = gg_db_col_i64(st, 6);
	gg_db_col_copy(st, 7, l->bank, sizeof l->bank);
	gg_db_col_copy(st, 8, l->kind, sizeof l->kind);
	l->org_id = gg_db_col_i64(st, 9);
	gg_db_col_copy(st, 10, l->org, sizeof l->org);
	l->amount_fen = gg_db_col_i64(st, 11);
	l->term_months = (int)gg_db_col_i64(st, 12);
	gg_db_col_copy(st, 13, l->purpose, sizeof l->purpose);
	s = gg_loan_status_lookup(gg_db_col_text(st, 14));
	l->status = s < 0 ? GG_LOAN_REQUESTED : (enum gg_loan_status)s;
	gg_db_col_copy(st, 15, l->reason, sizeof l->reason);
	l->requested_by = gg_db_col_i64(st, 16);
	l->created_at = gg_db_col_i64(st, 17);
	l->decided_by = gg_db_col_i64(st, 18);
	l->decided_at = gg_db_col_i64(st, 19);
	l->updated_at = gg_db_col_i64(st, 20);
	l->version = gg_db_col_i64(st, 21);
}

static enum gg_err load(struct gg_db *db, int64_t id, struct gg_loan *out, struct gg_error *err)
{
	return gg_db_row_by_id(db, SELECT_LOAN " WHERE l.id = ?", id, row_of, out, "loan request", err);
}

enum gg_err gg_loan_get(struct gg_db *db, int64_t id, struct gg_loan *out, struct gg_error *err)
{
	return gg_db_get_by_id(db, SELECT_LOAN " WHERE l.id = ?", id, row_of, out, "loan request", err);
}

static enum gg_err end(struct gg_db *db, enum gg_err rc, struct gg_error *err)
{
	if (rc == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

enum gg_err gg_loan_request(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                            const struct gg_loan_in *in, int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char status[16] = "", valid_to[11] = "", today[11], talent[256] = "", amount[GG_MONEY_TEXT_MAX];
	char term[16], card_text[24], label[400], link[64];
	int64_t talent_id = 0, commissioner = 0, bank = 0, day = 0, now = gg_clock_now();
	int row = 0, found = 0, enterprise;
	enum gg_err rc;

	*id = 0;
	enterprise = in->kind && strcmp(in->kind, "enterprise_loan") == 0;
	if (!in->kind || (!enterprise && strcmp(in->kind, "talent_loan") != 0))
		gg_error_field(err, GG_E_INVALID, "kind", "kind is talent_loan or enterprise_loan");
	if (enterprise && in->org_id <= 0)
		gg_error_field(err, GG_E_INVALID, "org_id", "an enterprise loan names its enterprise (org_id)");
	if (!enterprise && in->org_id > 0)
		gg_error_field(err, GG_E_INVALID, "org_id", "only an enterprise loan names an enterprise");
	if (in->amount_fen < 1 || in->amount_fen > GG_LOAN_AMOUNT_MAX)
		gg_error_field(err, GG_E_INVALID, "amount", "the amount is 0.01 to 100000000.00 CNY");
	if (in->term_months < 1 || in->term_months > 360)
		gg_error_field(err, GG_E_INVALID, "term_months", "term_months is 1 to 360");
	if (!in->purpose || !in->purpose[0] || chars(in->purpose) > GG_LOAN_PURPOSE_MAX)
		gg_error_field(err, GG_E_INVALID, "purpose", "a purpose of 1 to %d characters is required",
		               GG_LOAN_PURPOSE_MAX);
	if (err->nfields)
		return GG_E_INVALID;
	if ((rc = gg_clock_today(&day, err)) != GG_OK)
		return rc;
	gg_clock_day_text(day, today);
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT c.status, COALESCE(c.valid_to, ''), c.talent_id, COALESCE(t.commissioner_id, 0),"
	                   " c.bank_id, t.name FROM cards c JOIN talents t ON t.id = c.talent_id WHERE c.id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, in->card_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		gg_db_col_copy(st, 0, status, sizeof status);
		gg_db_col_copy(st, 1, valid_to, sizeof valid_to);
		talent_id = gg_db_col_i64(st, 2);
		commissioner = gg_db_col_i64(st, 3);
		bank = gg_db_col_i64(st, 4);
		gg_db_col_copy(st, 5, talent, sizeof talent);
	}
	gg_db_done(st);
	if (rc != GG_OK)
		goto out;
	if (!row || !reaches(pr, GG_PERM_loans_request, 0, talent_id, commissioner)) {
		rc = gg_error_field(err, GG_E_NOT_FOUND, "card_id", "unknown card %lld", (long long)in->card_id);
		goto out;
	}
	if (strcmp(status, "active") != 0 || strcmp(today, valid_to) >= 0) {
		rc = gg_error_field(err, GG_E_CONFLICT, "card_id", "card %lld is %s: loans go through an active card",
		                    (long long)in->card_id, strcmp(status, "active") ? status : "expired");
		goto out;
	}
	if (enterprise) {
		const int64_t a[1] = {in->org_id};
		int64_t one = 0;

		if ((rc = gg_db_query_i64(db, "SELECT 1 FROM orgs WHERE id = ?", a, 1, &one, &found, err)) != GG_OK)
			goto out;
		if (!found) {
			rc = gg_error_field(err, GG_E_INVALID, "org_id", "unknown organisation %lld",
			                    (long long)in->org_id);
			goto out;
		}
	}
	rc = gg_db_prepare(
	    db,
	    "INSERT INTO loan_requests (card_id, bank_id, kind, org_id, amount_fen, term_months, purpose,"
	    " status, requested_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?)",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, in->card_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, bank);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, enterprise ? "enterprise_loan" : "talent_loan");
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 4, enterprise ? in->org_id : 0);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, in->amount_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 6, in->term_months);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 7, in->purpose);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 8, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 9, now);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 10, now);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT last_insert_rowid()", NULL, 0, id, &found, err);
	if (rc == GG_OK) {
		gg_money_format(in->amount_fen, amount);
		snprintf(term, sizeof term, "%lld", (long long)in->term_months);
		snprintf(card_text, sizeof card_text, "%lld", (long long)in->card_id);
		const struct gg_audit_change ch[] = {{"card_id", NULL, card_text},
		                                     {"kind", NULL, enterprise ? "enterprise_loan" : "talent_loan"},
		                                     {"amount", NULL, amount},
		                                     {"term_months", NULL, term},
		                                     {"status", NULL, "requested"}};
		rc = gg_audit_by(db, actor, "loan.request", "loan", *id, ch, 5, err);
	}
	if (rc == GG_OK) {
		struct gg_task_new t = {.kind = GG_TASK_loan_request,
		                        .subject_id = *id,
		                        .label = label,
		                        .link = link,
		                        .scope_kind = GG_SCOPE_ORG,
		                        .scope_id = bank};

		snprintf(label, sizeof label, "%.120s %s %s元", talent, enterprise ? "企业贷款" : "人才贷款", amount);
		snprintf(link, sizeof link, "/bank/loans/%lld", (long long)*id);
		rc = gg_task_open(db, actor, &t, NULL, NULL, err);
	}
out:
	rc = end(db, rc, err);
	if (rc != GG_OK)
		*id = 0;
	return rc;
}

enum gg_err gg_loan_act(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr, int64_t id,
                        enum gg_loan_action a, const char *reason, int64_t expected_version, struct gg_error *err)
{
	struct gg_loan *l = calloc(1, sizeof(*l));
	struct gg_stmt *st = NULL;
	int decline = a == GG_LOANA_DECLINE, row = 0;
	char action[32];
	enum gg_err rc;

	if (!l)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	if ((int)a < 0 || a >= GG_LOANA__COUNT) {
		free(l);
		return gg_error_set(err, GG_E_INVALID, "unknown loan action");
	}
	if (decline && (!reason || !reason[0] || chars(reason) > GG_LOAN_REASON_MAX)) {
		free(l);
		return gg_error_field(err, GG_E_INVALID, "reason", "a reason of 1 to %d characters is required",
		                      GG_LOAN_REASON_MAX);
	}
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK) {
		free(l);
		return rc;
	}
	if ((rc = load(db, id, l, err)) != GG_OK || (rc = check(l, pr, a, err)) != GG_OK)
		goto out;
	if (expected_version && expected_version != l->version) {
		rc = gg_error_set(err, GG_E_STALE, "loan request %lld is at version %lld, not %lld", (long long)id,
		                  (long long)l->version, (long long)expected_version);
		goto out;
	}
	rc = gg_db_prepare(db,
	                   "UPDATE loan_requests SET status = ?, reason = CASE WHEN ? THEN ? ELSE reason END,"
	                   " decided_by = CASE WHEN ? THEN ? ELSE decided_by END,"
	                   " decided_at = CASE WHEN ? THEN ? ELSE decided_at END, updated_at = ?, version = version + 1"
	                   " WHERE id = ?",
	                   &st, err);
	{
		int64_t now = gg_clock_now();
		int bank = machine[a].perm == GG_PERM_loans_handle;
		int i = 1;

		if (rc == GG_OK)
			rc = gg_db_bind_text(st, i++, status_tokens[machine[a].to]);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, decline);
		if (rc == GG_OK)
			rc = gg_db_bind_text(st, i++, decline ? reason : NULL);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, bank);
		if (rc == GG_OK)
			rc = gg_db_bind_id(st, i++, actor->id);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, bank);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, now);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, now);
		if (rc == GG_OK)
			rc = gg_db_bind_i64(st, i++, id);
	}
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK) {
		const struct gg_audit_change ch[] = {{"status", status_tokens[l->status], status_tokens[machine[a].to]},
		                                     {"reason", NULL, decline ? reason : NULL}};
		snprintf(action, sizeof action, "loan.%s", machine[a].token);
		rc = gg_audit_by(db, actor, action, "loan", id, ch, decline ? 2 : 1, err);
	}
	if (rc == GG_OK && machine[a].closes)
		rc = gg_task_close(db, actor, GG_TASK_loan_request, id, status_tokens[machine[a].to], NULL, err);
out:
	free(l);
	return end(db, rc, err);
}

void gg_loan_scope(const struct gg_principal *pr, struct gg_loan_query *q)
{
	q->unscoped = 0;
	q->nbanks = q->ntalents = 0;
	q->commissioner = 0;
	if (!pr || gg_principal_reaches(pr, GG_PERM_cards_review, 0, 0)) {
		q->unscoped = 1;
		return;
	}
	for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
		const struct gg_role_grant *g = &pr->roles[i];
		int handle = gg_role_grants(g->role, GG_PERM_loans_handle),
		    request = gg_role_grants(g->role, GG_PERM_loans_request);

		if (!handle && !request)
			continue;
		if (request && g->role == GG_ROLE_commissioner) {
			q->commissioner = pr->user_id;
		} else if (g->scope_kind == GG_SCOPE_NONE) {
			q->unscoped = 1;
			return;
		} else if (handle && g->scope_kind == GG_SCOPE_ORG && q->nbanks < GG_PRINCIPAL_ROLES_MAX) {
			q->banks[q->nbanks++] = g->scope_id;
		} else if (request && g->scope_kind == GG_SCOPE_TALENT && q->ntalents < GG_PRINCIPAL_ROLES_MAX) {
			q->talents[q->ntalents++] = g->scope_id;
		}
	}
}

enum gg_err gg_loan_list(struct gg_db *db, const struct gg_loan_query *q, struct gg_loan **out, size_t *n, int *more,
                         struct gg_error *err)
{
	struct gg_buf sql;
	struct gg_stmt *st = NULL;
	struct gg_loan *items = NULL;
	int idx = 1;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (q->limit < 1 || q->limit > GG_LOAN_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit is 1 to %d", GG_LOAN_LIMIT_MAX);
	if (!q->unscoped && !q->nbanks && !q->ntalents && !q->commissioner)
		return GG_OK;
	if ((items = calloc((size_t)q->limit, sizeof(*items))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	gg_buf_init(&sql, 4096);
	gg_buf_adds(&sql, SELECT_LOAN " WHERE l.id > ?");
	if (q->status >= 0)
		gg_buf_adds(&sql, " AND l.status = ?");
	if (q->card_id)
		gg_buf_adds(&sql, " AND l.card_id = ?");
	if (q->bank_id)
		gg_buf_adds(&sql, " AND l.bank_id = ?");
	if (!q->unscoped) {
		gg_buf_adds(&sql, " AND (0");
		for (size_t i = 0; i < q->nbanks; i++)
			gg_buf_adds(&sql, " OR l.bank_id = ?");
		for (size_t i = 0; i < q->ntalents; i++)
			gg_buf_adds(&sql, " OR c.talent_id = ?");
		if (q->commissioner)
			gg_buf_adds(&sql, " OR t.commissioner_id = ?");
		gg_buf_adds(&sql, ")");
	}
	gg_buf_adds(&sql, " ORDER BY l.id LIMIT ?");
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db, sql.buf, &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->after_id);
	if (rc == GG_OK && q->status >= 0)
		rc = gg_db_bind_text(st, idx++, status_tokens[q->status]);
	if (rc == GG_OK && q->card_id)
		rc = gg_db_bind_i64(st, idx++, q->card_id);
	if (rc == GG_OK && q->bank_id)
		rc = gg_db_bind_i64(st, idx++, q->bank_id);
	for (size_t i = 0; rc == GG_OK && !q->unscoped && i < q->nbanks; i++)
		rc = gg_db_bind_i64(st, idx++, q->banks[i]);
	for (size_t i = 0; rc == GG_OK && !q->unscoped && i < q->ntalents; i++)
		rc = gg_db_bind_i64(st, idx++, q->talents[i]);
	if (rc == GG_OK && !q->unscoped && q->commissioner)
		rc = gg_db_bind_i64(st, idx++, q->commissioner);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, idx++, q->limit + 1);
	if (rc == GG_OK)
		rc = gg_db_page(st, row_of, items, sizeof *items, (size_t)q->limit, n, more, err);
	gg_db_done(st);
	gg_db_rollback(db);
out:
	gg_buf_release(&sql);
	if (rc != GG_OK) {
		free(items);
		*n = 0;
		*more = 0;
		return rc;
	}
	*out = items;
	return GG_OK;
}
