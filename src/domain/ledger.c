/*
 * ledger: the fund's journal (ledger.h, docs/ledger.md). An entry is
 * checked here (balanced, every line one positive amount on an account of
 * the chart), then written the way 0011_ledger.sql checks it again: its
 * lines first, under the id the entry will take (the largest id plus one,
 * safe inside the write transaction), then the entry row with its total,
 * whose insert trigger refuses an unbalanced entry. Balances are sums of
 * lines; nothing here updates or deletes a row.
 */
#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/money.h"

static const char *const chart[GG_LEDGER_ACCOUNTS] = {"fund_appropriations", "fund_available", "fund_committed",
                                                      "fund_approved", "fund_paid"};
static const char *const kinds[] = {"appropriation", "commitment",     "release",          "approval",
                                    "payment",       "payment_failed", "payment_returned", "clawback"};

#define LAST_DAY "9999-12-31"

static int known(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Checks e without touching the database; *total its debits. */
static enum gg_err check_entry(const struct gg_ledger_entry *e, int64_t *total, struct gg_error *err)
{
	int64_t debit = 0, credit = 0;

	if (!known(e->kind, kinds, sizeof kinds / sizeof kinds[0]))
		return gg_error_field(err, GG_E_INVALID, "kind", "unknown journal entry kind '%s'",
		                      e->kind ? e->kind : "");
	if (e->nlines < 2 || e->nlines > GG_LEDGER_LINES_MAX)
		return gg_error_field(err, GG_E_INVALID, "lines", "a journal entry has 2 to %d lines, not %zu",
		                      GG_LEDGER_LINES_MAX, e->nlines);
	if (e->memo != NULL && strlen(e->memo) > GG_LEDGER_MEMO_MAX)
		return gg_error_field(err, GG_E_INVALID, "memo", "a memo is at most %d bytes", GG_LEDGER_MEMO_MAX);
	if ((e->source_type == NULL) != (e->source_id == 0))
		return gg_error_set(err, GG_E_INTERNAL, "a journal entry's source has a type and an id, or neither");
	for (size_t i = 0; i < e->nlines; i++) {
		const struct gg_ledger_line *l = &e->lines[i];
		char field[32];

		snprintf(field, sizeof(field), "lines.%zu", i);
		if (!known(l->account, chart, GG_LEDGER_ACCOUNTS))
			return gg_error_field(err, GG_E_INVALID, field, "unknown ledger account '%s'",
			                      l->account ? l->account : "");
		if (l->debit_fen < 0 || l->credit_fen < 0)
			return gg_error_field(err, GG_E_INVALID, field, "line %zu has a negative amount", i + 1);
		if ((l->debit_fen > 0) == (l->credit_fen > 0))
			return gg_error_field(err, GG_E_INVALID, field,
			                      "line %zu must be exactly one of a debit or a credit, more than 0",
			                      i + 1);
		if (l->debit_fen > GG_MONEY_MAX_FEN || l->credit_fen > GG_MONEY_MAX_FEN || debit > GG_MONEY_MAX_FEN ||
		    credit > GG_MONEY_MAX_FEN)
			return gg_error_field(err, GG_E_INVALID, field, "line %zu is too large", i + 1);
		debit += l->debit_fen;
		credit += l->credit_fen;
	}
	if (debit != credit) {
		char d[GG_MONEY_TEXT_MAX], c[GG_MONEY_TEXT_MAX];

		return gg_error_field(err, GG_E_INVALID, "lines", "unbalanced journal entry: debits %s, credits %s",
		                      gg_money_format_grouped(debit, d), gg_money_format_grouped(credit, c));
	}
	*total = debit;
	return GG_OK;
}

static enum gg_err insert_line(struct gg_db *db, int64_t entry_id, const struct gg_ledger_line *l, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "INSERT INTO journal_lines (entry_id, account, debit_fen, credit_fen, talent_id, plan_id,"
	                   " installment_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, entry_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, l->account);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, l->debit_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, l->credit_fen);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 5, l->talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 6, l->plan_id);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 7, l->installment_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return rc;
}

/* The entry of kind from source, *id (0 when none). */
static enum gg_err entry_of(struct gg_db *db, const char *kind, const char *source_type, int64_t source_id, int64_t *id,
                            struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*id = 0;
	rc = gg_db_prepare(db, "SELECT id FROM journal_entries WHERE kind = ? AND source_type = ? AND source_id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, kind);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, source_type);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, source_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	return rc;
}

/* Posts e; with audit, its ledger.post audit row too (a batch records one row for all its entries instead). */
static enum gg_err post_entry(struct gg_db *db, const struct gg_actor *actor, const struct gg_ledger_entry *e,
                              int audit, int64_t *entry_id, struct gg_error *err);

enum gg_err gg_ledger_post_tx(struct gg_db *db, const struct gg_actor *actor, const struct gg_ledger_entry *e,
                              int64_t *entry_id, struct gg_error *err)
{
	return post_entry(db, actor, e, 1, entry_id, err);
}

static enum gg_err post_entry(struct gg_db *db, const struct gg_actor *actor, const struct gg_ledger_entry *e,
                              int audit, int64_t *entry_id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char day[11], total_text[GG_MONEY_TEXT_MAX], nlines[16], source[64] = "";
	int64_t total = 0, day_num = e->posted_on, id = 0, existing = 0;
	int row = 0, found = 0;
	enum gg_err rc;

	*entry_id = 0;
	if ((rc = check_entry(e, &total, err)) != GG_OK)
		return rc;
	if (day_num < 0 && (rc = gg_clock_today(&day_num, err)) != GG_OK)
		return rc;
	gg_clock_day_text(day_num, day);
	if (e->source_type != NULL) {
		if ((rc = entry_of(db, e->kind, e->source_type, e->source_id, &existing, err)) != GG_OK)
			return rc;
		if (existing)
			return gg_error_set(err, GG_E_DUPLICATE, "%s %lld has its %s entry already (entry %lld)",
			                    e->source_type, (long long)e->source_id, e->kind, (long long)existing);
		snprintf(source, sizeof(source), "%s:%lld", e->source_type, (long long)e->source_id);
	}
	rc = gg_db_query_i64(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM journal_entries", NULL, 0, &id, &found, err);
	for (size_t i = 0; rc == GG_OK && i < e->nlines; i++)
		rc = insert_line(db, id, &e->lines[i], err);
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    "INSERT INTO journal_entries (id, posted_on, kind, memo, source_type, source_id, total_fen,"
		    " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, day);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, e->kind);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, e->memo ? e->memo : "");
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, e->source_type);
	if (rc == GG_OK)
		rc = e->source_type ? gg_db_bind_i64(st, 6, e->source_id) : gg_db_bind_null(st, 6);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, total);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 8, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 9, actor->id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && audit) {
		const struct gg_audit_change changes[] = {
		    {"kind", NULL, e->kind},
		    {"posted_on", NULL, day},
		    {"total", NULL, gg_money_format(total, total_text)},
		    {"lines", NULL, nlines},
		    {"source", NULL, source[0] ? source : NULL},
		    {"memo", NULL, e->memo && e->memo[0] ? e->memo : NULL},
		};

		snprintf(nlines, sizeof(nlines), "%zu", e->nlines);
		rc = gg_audit_by(db, actor, "ledger.post", "journal_entry", id, changes,
		                 sizeof changes / sizeof changes[0], err);
	}
	if (rc == GG_OK)
		*entry_id = id;
	return rc;
}

/* One movement of fen from credit to debit about one installment: a two-line entry of kind from its source. */
struct move {
	const char *kind, *debit, *credit;
	int64_t fen, talent, plan, inst;
	const char *source_type;
	int64_t source_id;
	const char *memo;
};

static enum gg_err post_move(struct gg_db *db, const struct gg_actor *actor, const struct move *m, int audit,
                             int64_t *entry_id, struct gg_error *err)
{
	const struct gg_ledger_line lines[] = {{m->debit, m->fen, 0, m->talent, m->plan, m->inst},
	                                       {m->credit, 0, m->fen, m->talent, m->plan, m->inst}};
	const struct gg_ledger_entry e = {.kind = m->kind,
	                                  .posted_on = -1,
	                                  .memo = m->memo,
	                                  .source_type = m->source_type,
	                                  .source_id = m->source_id,
	                                  .lines = lines,
	                                  .nlines = 2};

	return post_entry(db, actor, &e, audit, entry_id, err);
}

/* GG_E_RULE: the fund cannot cover what ("plan", "installment", "payment") id, needing need with have available. */
static enum gg_err shortfall(struct gg_error *err, const char *what, int64_t id, int64_t need, int64_t have)
{
	char n[GG_MONEY_TEXT_MAX], h[GG_MONEY_TEXT_MAX], s[GG_MONEY_TEXT_MAX];

	return gg_error_set(err, GG_E_RULE, "the fund cannot cover %s %lld: %s needed, %s available, short by %s", what,
	                    (long long)id, gg_money_format_grouped(need, n), gg_money_format_grouped(have, h),
	                    gg_money_format_grouped(need - have, s));
}

enum gg_err gg_ledger_appropriate_tx(struct gg_db *db, const struct gg_actor *actor, int64_t fen, const char *memo,
                                     const char *source_type, int64_t source_id, int64_t *entry_id,
                                     struct gg_error *err)
{
	const struct gg_ledger_line lines[] = {{.account = "fund_available", .debit_fen = fen},
	                                       {.account = "fund_appropriations", .credit_fen = fen}};
	const struct gg_ledger_entry e = {.kind = "appropriation",
	                                  .posted_on = -1,
	                                  .memo = memo,
	                                  .source_type = source_type,
	                                  .source_id = source_id,
	                                  .lines = lines,
	                                  .nlines = 2};
	enum gg_err rc;

	*entry_id = 0;
	if (fen <= 0 || fen > GG_MONEY_MAX_FEN)
		return gg_error_field(err, GG_E_INVALID, "amount",
		                      "an appropriation is more than 0 and at most %lld fen",
		                      (long long)GG_MONEY_MAX_FEN);
	if (memo == NULL || memo[0] == '\0')
		return gg_error_field(err, GG_E_INVALID, "memo", "an appropriation needs a memo (its source)");
	if (source_type != NULL) {
		int64_t existing = 0;

		if ((rc = entry_of(db, "appropriation", source_type, source_id, &existing, err)) != GG_OK || existing)
			return rc;
	}
	return gg_ledger_post_tx(db, actor, &e, entry_id, err);
}

enum gg_err gg_ledger_appropriate(struct gg_db *db, const struct gg_actor *actor, int64_t fen, const char *memo,
                                  int64_t *entry_id, struct gg_error *err)
{
	enum gg_err rc;

	*entry_id = 0;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_ledger_appropriate_tx(db, actor, fen, memo, NULL, 0, entry_id, err);
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		*entry_id = 0;
	return rc;
}

/* debits - credits of account over all entries. */
static enum gg_err account_balance(struct gg_db *db, const char *account, int64_t *fen, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*fen = 0;
	rc = gg_db_prepare(db,
	                   "SELECT COALESCE(SUM(debit_fen), 0) - COALESCE(SUM(credit_fen), 0) FROM journal_lines"
	                   " WHERE account = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, account);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*fen = gg_db_col_i64(st, 0);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_ledger_available(struct gg_db *db, int64_t *fen, struct gg_error *err)
{
	return account_balance(db, "fund_available", fen, err);
}

struct plan_lines {
	struct gg_ledger_line lines[GG_LEDGER_LINES_MAX];
	size_t n;
	int64_t total;
};

/* Adds the pair Dr debit / Cr credit of fen for installment inst of plan to pl. */
static enum gg_err add_pair(struct plan_lines *pl, const char *debit, const char *credit, int64_t fen, int64_t talent,
                            int64_t plan, int64_t inst, struct gg_error *err)
{
	if (pl->n + 2 > GG_LEDGER_LINES_MAX)
		return gg_error_set(err, GG_E_INTERNAL, "plan %lld has more installments than an entry holds",
		                    (long long)plan);
	pl->lines[pl->n++] = (struct gg_ledger_line){debit, fen, 0, talent, plan, inst};
	pl->lines[pl->n++] = (struct gg_ledger_line){credit, 0, fen, talent, plan, inst};
	pl->total += fen;
	return GG_OK;
}

/*
 * Commits plan_id as gg_ledger_commit_plan_tx says. *available is the
 * fund's available balance when the caller knows it (a batch reads it
 * once and this keeps it up to date), or -1 to read it here.
 */
static enum gg_err commit_plan(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, int64_t *available,
                               int64_t *entry_id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct plan_lines *pl = NULL;
	char kind[16] = "", status[16] = "", memo[64];
	int64_t talent = 0, existing = 0;
	int row = 0;
	enum gg_err rc;

	*entry_id = 0;
	rc = gg_db_prepare(db, "SELECT kind, status, talent_id FROM subsidy_plans WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		snprintf(kind, sizeof(kind), "%s", gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "");
		snprintf(status, sizeof(status), "%s", gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "");
		talent = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK)
		return rc;
	if (!row)
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown plan %lld", (long long)plan_id);
	if (strcmp(kind, "formula") != 0 || strcmp(status, "active") != 0)
		return gg_error_set(err, GG_E_CONFLICT, "plan %lld is not an active formula plan (%s, %s)",
		                    (long long)plan_id, kind, status);
	if ((rc = entry_of(db, "commitment", "plan", plan_id, &existing, err)) != GG_OK || existing)
		return rc;
	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	/*
	 * Only what nothing has moved yet: planned, no journal line of its own
	 * (its own commitment, a release, an approval drawn from the fund) and
	 * no payment; an accepted verification's amount over the planned one.
	 */
	rc = gg_db_prepare(
	    db,
	    "SELECT i.id, COALESCE((SELECT v.amount_fen FROM verifications v WHERE v.installment_id = i.id"
	    " AND v.status = 'accepted'), i.amount_fen) FROM installments i WHERE i.plan_id = ?"
	    " AND i.status = 'planned' AND i.amount_fen > 0"
	    " AND NOT EXISTS (SELECT 1 FROM journal_lines l WHERE l.installment_id = i.id)"
	    " AND NOT EXISTS (SELECT 1 FROM payments m WHERE m.installment_id = i.id)"
	    " AND NOT EXISTS (SELECT 1 FROM verifications v WHERE v.installment_id = i.id"
	    " AND v.status = 'lapsed') ORDER BY i.year",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row)
		if (gg_db_col_i64(st, 1) > 0)
			rc = add_pair(pl, "fund_committed", "fund_available", gg_db_col_i64(st, 1), talent, plan_id,
			              gg_db_col_i64(st, 0), err);
	gg_db_done(st);
	if (rc != GG_OK || pl->n == 0)
		goto out;
	if (*available < 0 && (rc = gg_ledger_available(db, available, err)) != GG_OK)
		goto out;
	if (*available < pl->total) {
		rc = shortfall(err, "plan", plan_id, pl->total, *available);
		goto out;
	}
	snprintf(memo, sizeof(memo), "commitment of plan %lld", (long long)plan_id);
	{
		const struct gg_ledger_entry e = {.kind = "commitment",
		                                  .posted_on = -1,
		                                  .memo = memo,
		                                  .source_type = "plan",
		                                  .source_id = plan_id,
		                                  .lines = pl->lines,
		                                  .nlines = pl->n};

		rc = gg_ledger_post_tx(db, actor, &e, entry_id, err);
		if (rc == GG_OK)
			*available -= pl->total;
	}
out:
	free(pl);
	return rc;
}

enum gg_err gg_ledger_commit_plan_tx(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id, int64_t *entry_id,
                                     struct gg_error *err)
{
	int64_t available = -1;

	return commit_plan(db, actor, plan_id, &available, entry_id, err);
}

enum gg_err gg_ledger_release_plan_tx(struct gg_db *db, const struct gg_actor *actor, int64_t plan_id,
                                      int64_t *entry_id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	struct plan_lines *pl = NULL;
	char memo[64];
	int row = 0;
	enum gg_err rc;

	*entry_id = 0;
	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	rc = gg_db_prepare(db,
	                   "SELECT installment_id, talent_id, SUM(debit_fen) - SUM(credit_fen) FROM journal_lines"
	                   " WHERE plan_id = ? AND account = 'fund_committed' GROUP BY installment_id, talent_id"
	                   " HAVING SUM(debit_fen) - SUM(credit_fen) > 0 ORDER BY installment_id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, plan_id);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row)
		rc = add_pair(pl, "fund_available", "fund_committed", gg_db_col_i64(st, 2), gg_db_col_i64(st, 1),
		              plan_id, gg_db_col_i64(st, 0), err);
	gg_db_done(st);
	if (rc == GG_OK && pl->n > 0) {
		const struct gg_ledger_entry e = {.kind = "release",
		                                  .posted_on = -1,
		                                  .memo = memo,
		                                  .source_type = "plan",
		                                  .source_id = plan_id,
		                                  .lines = pl->lines,
		                                  .nlines = pl->n};

		snprintf(memo, sizeof(memo), "release of plan %lld", (long long)plan_id);
		rc = gg_ledger_post_tx(db, actor, &e, entry_id, err);
	}
	free(pl);
	return rc;
}

enum gg_err gg_ledger_commit_existing(struct gg_db *db, const struct gg_actor *actor, int64_t *committed,
                                      struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t *ids = NULL, available = -1;
	size_t n = 0, cap = 0;
	int row = 0;
	enum gg_err rc;

	*committed = 0;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(db,
	                   "SELECT p.id FROM subsidy_plans p WHERE p.kind = 'formula' AND p.status = 'active'"
	                   " AND NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.kind = 'commitment'"
	                   " AND e.source_type = 'plan' AND e.source_id = p.id) ORDER BY p.id",
	                   &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			int64_t *grown = realloc(ids, ncap * sizeof(*ids));

			if (grown == NULL) {
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
				break;
			}
			ids = grown;
			cap = ncap;
		}
		ids[n++] = gg_db_col_i64(st, 0);
	}
	gg_db_done(st);
	/* the fund's available balance is read once, then kept by commit_plan */
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		int64_t entry = 0;

		rc = commit_plan(db, actor, ids[i], &available, &entry, err);
		if (rc == GG_OK && entry)
			(*committed)++;
	}
	if (rc == GG_OK)
		rc = gg_db_commit(db, err);
	else
		gg_db_rollback(db);
	if (rc != GG_OK)
		*committed = 0;
	free(ids);
	return rc;
}

enum gg_err gg_ledger_balances(struct gg_db *db, int64_t on_day, struct gg_ledger_balances *out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char day[11];
	int row = 0;
	enum gg_err rc;

	memset(out, 0, sizeof(*out));
	if (on_day >= 0)
		gg_clock_day_text(on_day, day);
	else
		snprintf(day, sizeof(day), "%s", LAST_DAY);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = gg_db_prepare(
	    db,
	    "SELECT a.code, a.name_zh, a.name_en, COALESCE(s.d, 0), COALESCE(s.c, 0) FROM ledger_accounts a"
	    " LEFT JOIN (SELECT l.account AS account, SUM(l.debit_fen) AS d, SUM(l.credit_fen) AS c"
	    " FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id WHERE e.posted_on <= ?"
	    " GROUP BY l.account) s ON s.account = a.code ORDER BY a.seq",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, day);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_ledger_balance *b;

		if (out->naccounts == GG_LEDGER_ACCOUNTS) {
			rc = gg_error_set(err, GG_E_INTERNAL, "the chart of accounts has more than %d accounts",
			                  GG_LEDGER_ACCOUNTS);
			break;
		}
		b = &out->accounts[out->naccounts++];
		snprintf(b->code, sizeof(b->code), "%s", gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "");
		snprintf(b->name_zh, sizeof(b->name_zh), "%s", gg_db_col_text(st, 1) ? gg_db_col_text(st, 1) : "");
		snprintf(b->name_en, sizeof(b->name_en), "%s", gg_db_col_text(st, 2) ? gg_db_col_text(st, 2) : "");
		b->balance_fen = gg_db_col_i64(st, 3) - gg_db_col_i64(st, 4);
		out->total_debit_fen += gg_db_col_i64(st, 3);
		out->total_credit_fen += gg_db_col_i64(st, 4);
	}
	gg_db_done(st);
	st = NULL;
	/* every entry balances: the database refuses one that does not, this says so if it was bypassed */
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    "SELECT e.id, SUM(l.debit_fen) <> SUM(l.credit_fen) OR SUM(l.debit_fen) <> e.total_fen"
		    " OR count(l.id) < 2 FROM journal_entries e LEFT JOIN journal_lines l ON l.entry_id = e.id"
		    " WHERE e.posted_on <= ? GROUP BY e.id, e.total_fen ORDER BY e.id",
		    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, day);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		out->entries++;
		if (gg_db_col_is_null(st, 1) || gg_db_col_i64(st, 1) != 0) {
			if (out->unbalanced++ == 0)
				out->first_unbalanced = gg_db_col_i64(st, 0);
		}
	}
	gg_db_done(st);
	st = NULL;
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    /* what commit-existing would commit (gg_ledger_commit_plan_tx's installments) */
		    "SELECT count(*), COALESCE(SUM(t), 0) FROM (SELECT p.id, SUM(COALESCE((SELECT v.amount_fen"
		    " FROM verifications v WHERE v.installment_id = i.id AND v.status = 'accepted'), i.amount_fen)) AS "
		    "t"
		    " FROM subsidy_plans p JOIN installments i ON i.plan_id = p.id AND i.status = 'planned'"
		    " AND i.amount_fen > 0"
		    " AND NOT EXISTS (SELECT 1 FROM journal_lines l WHERE l.installment_id = i.id)"
		    " AND NOT EXISTS (SELECT 1 FROM payments m WHERE m.installment_id = i.id)"
		    " AND NOT EXISTS (SELECT 1 FROM verifications v WHERE v.installment_id = i.id AND v.status = "
		    "'lapsed')"
		    " WHERE p.kind = 'formula' AND p.status = 'active' AND NOT EXISTS (SELECT 1 FROM"
		    " journal_entries e WHERE e.kind = 'commitment' AND e.source_type = 'plan'"
		    " AND e.source_id = p.id) GROUP BY p.id HAVING t > 0) x",
		    &st, err);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		out->uncommitted_plans = gg_db_col_i64(st, 0);
		out->uncommitted_fen = gg_db_col_i64(st, 1);
	}
	gg_db_done(st);
	gg_db_rollback(db);
	return rc;
}

/* Verification (issue 6, verification.c): an installment's own commitment and release. */
enum gg_err gg_ledger_installment_committed(struct gg_db *db, int64_t installment_id, int64_t *fen,
                                            struct gg_error *err)
{
	int found = 0;

	*fen = 0;
	return gg_db_query_i64(db,
	                       "SELECT COALESCE(SUM(debit_fen), 0) - COALESCE(SUM(credit_fen), 0) FROM journal_lines"
	                       " WHERE installment_id = ? AND account = 'fund_committed'",
	                       &installment_id, 1, fen, &found, err);
}

/* The talent and plan of installment id. */
static enum gg_err installment_owner(struct gg_db *db, int64_t id, int64_t *talent, int64_t *plan, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "SELECT p.talent_id, p.id FROM installments i JOIN subsidy_plans p ON p.id = i.plan_id"
	                   " WHERE i.id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		*talent = gg_db_col_i64(st, 0);
		*plan = gg_db_col_i64(st, 1);
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown installment %lld", (long long)id);
	return rc;
}

enum gg_err gg_ledger_release_installment_tx(struct gg_db *db, const struct gg_actor *actor, int64_t installment_id,
                                             int64_t fen, int64_t *entry_id, struct gg_error *err)
{
	int64_t talent = 0, plan = 0, committed = 0;
	char memo[64];
	enum gg_err rc;

	*entry_id = 0;
	if ((rc = installment_owner(db, installment_id, &talent, &plan, err)) != GG_OK ||
	    (rc = gg_ledger_installment_committed(db, installment_id, &committed, err)) != GG_OK)
		return rc;
	if (committed <= 0)
		return GG_OK;
	if (fen < 0 || fen > committed)
		return gg_error_set(err, GG_E_INVALID, "installment %lld has %lld fen committed, cannot release %lld",
		                    (long long)installment_id, (long long)committed, (long long)fen);
	if (fen == 0)
		fen = committed;
	snprintf(memo, sizeof(memo), "release of installment %lld", (long long)installment_id);
	{
		const struct move m = {"release",      "fund_available", "fund_committed", fen, talent, plan,
		                       installment_id, "installment",    installment_id,   memo};

		return post_move(db, actor, &m, 1, entry_id, err);
	}
}

enum gg_err gg_ledger_commit_installment_tx(struct gg_db *db, const struct gg_actor *actor, int64_t installment_id,
                                            int64_t fen, int64_t *entry_id, struct gg_error *err)
{
	int64_t talent = 0, plan = 0, available = 0;
	char memo[64];
	enum gg_err rc;

	*entry_id = 0;
	if (fen <= 0 || fen > GG_MONEY_MAX_FEN)
		return gg_error_set(err, GG_E_INVALID, "a commitment is more than 0 fen");
	if ((rc = installment_owner(db, installment_id, &talent, &plan, err)) != GG_OK ||
	    (rc = gg_ledger_available(db, &available, err)) != GG_OK)
		return rc;
	if (available < fen)
		return shortfall(err, "installment", installment_id, fen, available);
	snprintf(memo, sizeof(memo), "commitment of installment %lld", (long long)installment_id);
	{
		const struct move m = {"commitment",   "fund_committed", "fund_available", fen, talent, plan,
		                       installment_id, "installment",    installment_id,   memo};

		return post_move(db, actor, &m, 1, entry_id, err);
	}
}

/* Payments (issue 6, part B): approval and the bank's answers, source the payment. */

struct payment_row {
	int64_t amount, talent, plan, inst;
};

static enum gg_err payment_row(struct gg_db *db, int64_t payment_id, struct payment_row *p, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(p, 0, sizeof(*p));
	rc = gg_db_prepare(db, "SELECT amount_fen, talent_id, plan_id, installment_id FROM payments WHERE id = ?", &st,
	                   err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, payment_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		p->amount = gg_db_col_i64(st, 0);
		p->talent = gg_db_col_i64(st, 1);
		p->plan = gg_db_col_i64(st, 2);
		p->inst = gg_db_col_i64(st, 3);
	}
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown payment %lld", (long long)payment_id);
	return rc;
}

enum gg_err gg_ledger_approval_remainder(struct gg_db *db, int64_t payment_id, int64_t *remainder, struct gg_error *err)
{
	struct payment_row p;
	int64_t committed = 0;
	enum gg_err rc;

	*remainder = 0;
	if ((rc = payment_row(db, payment_id, &p, err)) != GG_OK ||
	    (rc = gg_ledger_installment_committed(db, p.inst, &committed, err)))
		return rc;
	if (committed < 0)
		committed = 0;
	*remainder = p.amount - (committed < p.amount ? committed : p.amount);
	return GG_OK;
}

enum gg_err gg_ledger_approve_tx(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id, int64_t *entry_id,
                                 struct gg_error *err)
{
	struct gg_ledger_line lines[3];
	struct payment_row p;
	char memo[64];
	int64_t committed = 0, covered, rest, available = 0;
	size_t n = 0;
	enum gg_err rc;

	*entry_id = 0;
	if ((rc = payment_row(db, payment_id, &p, err)) != GG_OK ||
	    (rc = gg_ledger_installment_committed(db, p.inst, &committed, err)))
		return rc;
	covered = committed <= 0 ? 0 : committed < p.amount ? committed : p.amount;
	rest = p.amount - covered;
	if (rest > 0) {
		if ((rc = gg_ledger_available(db, &available, err)) != GG_OK)
			return rc;
		if (available < rest)
			return shortfall(err, "payment", payment_id, rest, available);
	}
	lines[n++] = (struct gg_ledger_line){"fund_approved", p.amount, 0, p.talent, p.plan, p.inst};
	if (covered > 0)
		lines[n++] = (struct gg_ledger_line){"fund_committed", 0, covered, p.talent, p.plan, p.inst};
	if (rest > 0)
		lines[n++] = (struct gg_ledger_line){"fund_available", 0, rest, p.talent, p.plan, p.inst};
	snprintf(memo, sizeof(memo), "approval of payment %lld", (long long)payment_id);
	{
		const struct gg_ledger_entry e = {.kind = "approval",
		                                  .posted_on = -1,
		                                  .memo = memo,
		                                  .source_type = "payment",
		                                  .source_id = payment_id,
		                                  .lines = lines,
		                                  .nlines = n};

		return gg_ledger_post_tx(db, actor, &e, entry_id, err);
	}
}

static enum gg_err settle(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id, const char *kind,
                          int audit, int64_t *entry_id, struct gg_error *err);

enum gg_err gg_ledger_settle_tx(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id, const char *kind,
                                int64_t *entry_id, struct gg_error *err)
{
	return settle(db, actor, payment_id, kind, 1, entry_id, err);
}

enum gg_err gg_ledger_settle_batch_tx(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id,
                                      const char *kind, int64_t *entry_id, struct gg_error *err)
{
	return settle(db, actor, payment_id, kind, 0, entry_id, err);
}

static enum gg_err settle(struct gg_db *db, const struct gg_actor *actor, int64_t payment_id, const char *kind,
                          int audit, int64_t *entry_id, struct gg_error *err)
{
	static const struct {
		const char *kind, *debit, *credit;
	} moves[] = {{"payment", "fund_paid", "fund_approved"},
	             {"payment_failed", "fund_committed", "fund_approved"},
	             {"payment_returned", "fund_committed", "fund_paid"}};
	struct payment_row p;
	char memo[64];
	size_t m;
	enum gg_err rc;

	*entry_id = 0;
	for (m = 0; m < sizeof moves / sizeof moves[0]; m++)
		if (kind != NULL && strcmp(kind, moves[m].kind) == 0)
			break;
	if (m == sizeof moves / sizeof moves[0])
		return gg_error_field(err, GG_E_INVALID, "kind", "'%s' is not a settlement kind", kind ? kind : "");
	if ((rc = payment_row(db, payment_id, &p, err)) != GG_OK)
		return rc;
	snprintf(memo, sizeof(memo), "%s of payment %lld", kind, (long long)payment_id);
	{
		const struct move mv = {kind,   moves[m].debit, moves[m].credit, p.amount,   p.talent,
		                        p.plan, p.inst,         "payment",       payment_id, memo};

		return post_move(db, actor, &mv, audit, entry_id, err);
	}
}

enum gg_err gg_ledger_clawback_tx(struct gg_db *db, const struct gg_actor *actor, int64_t clawback_id,
                                  int64_t *entry_id, struct gg_error *err)
{
	struct payment_row p;
	int64_t payment = 0, amount = 0;
	char memo[64];
	int found = 0;
	enum gg_err rc;

	*entry_id = 0;
	rc = gg_db_query_i64(db, "SELECT payment_id FROM clawbacks WHERE id = ?", &clawback_id, 1, &payment, &found,
	                     err);
	if (rc == GG_OK && found)
		rc = gg_db_query_i64(db, "SELECT amount_fen FROM clawbacks WHERE id = ?", &clawback_id, 1, &amount,
		                     &found, err);
	if (rc == GG_OK && !found)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown clawback %lld", (long long)clawback_id);
	if (rc == GG_OK)
		rc = payment_row(db, payment, &p, err);
	if (rc != GG_OK)
		return rc;
	snprintf(memo, sizeof(memo), "clawback %lld of payment %lld", (long long)clawback_id, (long long)payment);
	{
		const struct move m = {"clawback", "fund_available", "fund_paid", amount,      p.talent,
		                       p.plan,     p.inst,           "clawback",  clawback_id, memo};

		return post_move(db, actor, &m, 1, entry_id, err);
	}
}

/*
 * Batches (a payment run's approval, docs/ledger.md "Batches"): the same
 * entries as gg_ledger_approve_tx posts one by one, written set-based, the
 * database checking each entry as ever (lines first under the entry's id,
 * then the entry, refused by its trigger unless balanced; UNIQUE(kind,
 * source) refuses a second approval of a payment). The covered part of a
 * payment is what its installment has committed, at most its amount.
 */
#define RUN_COVERED                                                                                           \
	"MAX(0, MIN(x.amount_fen, COALESCE((SELECT SUM(l.debit_fen) - SUM(l.credit_fen) FROM journal_lines l" \
	" WHERE l.installment_id = x.installment_id AND l.account = 'fund_committed'), 0)))"

enum gg_err gg_ledger_run_need(struct gg_db *db, int64_t run_id, struct gg_ledger_batch *b, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(b, 0, sizeof(*b));
	rc = gg_db_prepare(db,
	                   "SELECT count(*), COALESCE(SUM(x.amount_fen), 0), COALESCE(SUM(x.amount_fen - " RUN_COVERED
	                   "), 0) FROM payments x WHERE x.run_id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, run_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		b->entries = gg_db_col_i64(st, 0);
		b->total_fen = gg_db_col_i64(st, 1);
		b->need_fen = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	return rc;
}

enum gg_err gg_ledger_approve_run_tx(struct gg_db *db, const struct gg_actor *actor, int64_t run_id,
                                     struct gg_ledger_batch *b, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char day[11];
	int64_t base = 0, day_num = 0, lines = 0;
	int row = 0, found = 0;
	enum gg_err rc;

	if ((rc = gg_ledger_run_need(db, run_id, b, err)) != GG_OK || b->entries == 0)
		return rc;
	if ((rc = gg_clock_today(&day_num, err)) != GG_OK)
		return rc;
	gg_clock_day_text(day_num, day);
	rc = gg_db_query_i64(db, "SELECT COALESCE(MAX(id), 0) FROM journal_entries", NULL, 0, &base, &found, err);
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    "WITH p AS MATERIALIZED (SELECT ?1 + row_number() OVER (ORDER BY x.id) AS e, x.amount_fen AS a,"
		    " x.talent_id AS t, x.plan_id AS pl, x.installment_id AS i, " RUN_COVERED " AS c"
		    " FROM payments x WHERE x.run_id = ?2)"
		    " INSERT INTO journal_lines (entry_id, account, debit_fen, credit_fen, talent_id, plan_id,"
		    " installment_id) SELECT e, acc, d, cr, t, pl, i FROM ("
		    "SELECT e, 1 AS o, 'fund_approved' AS acc, a AS d, 0 AS cr, t, pl, i FROM p"
		    " UNION ALL SELECT e, 2, 'fund_committed', 0, c, t, pl, i FROM p WHERE c > 0"
		    " UNION ALL SELECT e, 3, 'fund_available', 0, a - c, t, pl, i FROM p WHERE a > c) ORDER BY e, o",
		    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, base);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, run_id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	st = NULL;
	if (rc == GG_OK)
		lines = gg_db_changes(db);
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    "INSERT INTO journal_entries (id, posted_on, kind, memo, source_type, source_id, total_fen,"
		    " created_at, created_by) SELECT ?1 + row_number() OVER (ORDER BY x.id), ?3, 'approval',"
		    " 'approval of payment ' || x.id, 'payment', x.id, x.amount_fen, ?4, ?5 FROM payments x"
		    " WHERE x.run_id = ?2 ORDER BY x.id",
		    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, base);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, run_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, day);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 5, actor->id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && gg_db_changes(db) != b->entries)
		rc = gg_error_set(err, GG_E_INTERNAL, "payment run %lld: %lld approvals posted, %lld expected",
		                  (long long)run_id, (long long)gg_db_changes(db), (long long)b->entries);
	if (rc == GG_OK) {
		b->first_entry = base + 1;
		b->last_entry = base + b->entries;
		b->lines = lines;
	}
	return rc;
}

/*
 * Settlements of a bank result file, set-based: for the rows of the caller's
 * GG_LEDGER_SETTLE_ROWS with lo <= seq < hi, in seq order, the entry
 * settle() posts for (payment, kind), lines first under the entry ids
 * (debit then credit), then the entries, each checked by the triggers.
 */
#define SETTLE_RANGE \
	" FROM " GG_LEDGER_SETTLE_ROWS " t JOIN payments p ON p.id = t.payment WHERE t.seq >= ?2 AND t.seq < ?3"

enum gg_err gg_ledger_settle_rows_tx(struct gg_db *db, const struct gg_actor *actor, int64_t lo, int64_t hi,
                                     struct gg_ledger_batch *b, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char day[11];
	int64_t base = 0, day_num = 0, bad = 0;
	int row = 0, found = 0;
	enum gg_err rc;

	memset(b, 0, sizeof(*b));
	rc = gg_db_prepare(
	    db,
	    "SELECT count(*), COALESCE(SUM(p.amount_fen), 0), COALESCE(SUM(t.kind IS NULL OR t.kind NOT IN"
	    " ('payment', 'payment_failed', 'payment_returned')), 0)" SETTLE_RANGE,
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, lo);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, hi);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		b->entries = gg_db_col_i64(st, 0);
		b->total_fen = gg_db_col_i64(st, 1);
		bad = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	st = NULL;
	if (rc != GG_OK || b->entries == 0)
		return rc;
	if (bad > 0)
		return gg_error_field(err, GG_E_INVALID, "kind", "%lld rows have no settlement kind", (long long)bad);
	if ((rc = gg_clock_today(&day_num, err)) != GG_OK)
		return rc;
	gg_clock_day_text(day_num, day);
	rc = gg_db_query_i64(db, "SELECT COALESCE(MAX(id), 0) FROM journal_entries", NULL, 0, &base, &found, err);
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    "WITH r AS MATERIALIZED (SELECT ?1 + row_number() OVER (ORDER BY t.seq) AS e, t.kind AS k,"
		    " p.amount_fen AS a, p.talent_id AS tl, p.plan_id AS pl, p.installment_id AS i" SETTLE_RANGE ")"
		    " INSERT INTO journal_lines (entry_id, account, debit_fen, credit_fen, talent_id, plan_id,"
		    " installment_id) SELECT e, acc, d, cr, tl, pl, i FROM ("
		    "SELECT e, 1 AS o, CASE k WHEN 'payment' THEN 'fund_paid' ELSE 'fund_committed' END AS acc, a AS d,"
		    " 0 AS cr, tl, pl, i FROM r UNION ALL SELECT e, 2, CASE k WHEN 'payment_returned' THEN 'fund_paid'"
		    " ELSE 'fund_approved' END, 0, a, tl, pl, i FROM r) ORDER BY e, o",
		    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, base);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, lo);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, hi);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	st = NULL;
	if (rc == GG_OK)
		b->lines = gg_db_changes(db);
	if (rc == GG_OK)
		rc = gg_db_prepare(
		    db,
		    "INSERT INTO journal_entries (id, posted_on, kind, memo, source_type, source_id, total_fen,"
		    " created_at, created_by) SELECT ?1 + row_number() OVER (ORDER BY t.seq), ?4, t.kind,"
		    " t.kind || ' of payment ' || p.id, 'payment', p.id, p.amount_fen, ?5, ?6" SETTLE_RANGE
		    " ORDER BY t.seq",
		    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, base);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, lo);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, hi);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, day);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 6, actor->id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && gg_db_changes(db) != b->entries)
		rc = gg_error_set(err, GG_E_INTERNAL, "%lld settlements posted, %lld expected",
		                  (long long)gg_db_changes(db), (long long)b->entries);
	if (rc == GG_OK) {
		b->first_entry = base + 1;
		b->last_entry = base + b->entries;
	}
	return rc;
}
