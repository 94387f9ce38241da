/*
 * recognition: recording and reading recognitions (recognition.h). The
 * write path is one function that every basis shares, so an order's
 * real-time recognition, an approved recommendation and a strategic
 * decision leave the same records: the stamped recognition, its audit
 * row, the talent's tier (through the talent module, so the talent's own
 * history shows the change) and the commissioner task.
 */
#include "recognition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/text.h"
#include "policyset.h"
#include "talent.h"
#include "task.h"

static const char *const basis_tokens[GG_BASIS__COUNT] = {
    [GG_BASIS_ORDER] = "order",
    [GG_BASIS_RECOMMENDATION] = "recommendation",
    [GG_BASIS_STRATEGIC] = "strategic",
};

const char *gg_recognition_basis_token(enum gg_recognition_basis b)
{
	return (int)b >= 0 && b < GG_BASIS__COUNT ? basis_tokens[b] : "";
}

int gg_recognition_basis_lookup(const char *token)
{
	for (int i = 0; token && i < GG_BASIS__COUNT; i++)
		if (strcmp(basis_tokens[i], token) == 0)
			return i;
	return -1;
}

/* The talent's name, tier (rank 0 when none), commissioner and whether it is merged. */
struct talent_row {
	char name[256];
	char tier[64];
	int64_t tier_rank; /* 0: no tier */
	int64_t commissioner_id;
	int merged;
};

static enum gg_err load_talent(struct gg_db *db, int64_t id, struct talent_row *t, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	memset(t, 0, sizeof(*t));
	rc = gg_db_prepare(db,
	                   "SELECT t.name, t.tier, r.rank, t.commissioner_id, t.merged_into FROM talents t"
	                   " LEFT JOIN tiers r ON r.token = t.tier WHERE t.id = ?",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		gg_db_col_copy(st, 0, t->name, sizeof t->name);
		gg_db_col_copy(st, 1, t->tier, sizeof t->tier);
		t->tier_rank = gg_db_col_is_null(st, 2) ? 0 : gg_db_col_i64(st, 2);
		t->commissioner_id = gg_db_col_is_null(st, 3) ? 0 : gg_db_col_i64(st, 3);
		t->merged = !gg_db_col_is_null(st, 4);
	}
	gg_db_done(st);
	if (rc == GG_OK && (!row || t->merged))
		rc = gg_error_field(err, GG_E_NOT_FOUND, "talent_id", "unknown talent %lld", (long long)id);
	return rc;
}

/* The rank of a tier token (1 is the highest); *found 0 when the installation has no such tier. */
static enum gg_err tier_rank(struct gg_db *db, const char *tier, int64_t *rank, int *found, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*found = 0;
	rc = gg_db_prepare(db, "SELECT rank FROM tiers WHERE token = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, tier);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		*rank = gg_db_col_i64(st, 0);
		*found = 1;
	}
	gg_db_done(st);
	return rc;
}

static int high_level(const struct gg_pack_version *v, const char *tier)
{
	for (size_t i = 0; i < v->nhigh; i++)
		if (strcmp(v->high_level_tiers[i], tier) == 0)
			return 1;
	return 0;
}

static enum gg_err insert(struct gg_db *db, const struct gg_actor *actor, const struct gg_recognition_new *r,
                          const char *hash, const char *trace, int64_t *id, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(
	    db,
	    "INSERT INTO recognitions (talent_id, tier, basis, source_id, org_id, pack, version, policy_hash,"
	    " effective_on, reason, trace, decided_by, created_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, r->talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, r->tier);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, basis_tokens[r->basis]);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, r->source_id);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 5, r->org_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 6, r->pack->name);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 7, r->version->version);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 8, hash);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 9, r->effective_on);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 10, r->reason);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 11, trace);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 12, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 13, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_DB, "insert into recognitions returned no id");
	if (rc == GG_OK)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	if (rc == GG_E_DUPLICATE)
		gg_error_set(err, GG_E_DUPLICATE, "%s %lld has a recognition already", basis_tokens[r->basis],
		             (long long)r->source_id);
	return rc;
}

enum gg_err gg_recognition_record_tx(struct gg_db *db, const struct gg_actor *actor, const struct gg_recognition_new *r,
                                     int64_t *id, struct gg_error *err)
{
	struct talent_row t;
	struct gg_buf trace;
	char hash[GG_SHA256_HEX], ids[32], source[48];
	int64_t rank = 0, day;
	int found = 0, raise;
	enum gg_err rc;

	*id = 0;
	if ((int)r->basis < 0 || r->basis >= GG_BASIS__COUNT || r->source_id <= 0 || r->pack == NULL ||
	    r->version == NULL || r->trace == NULL)
		return gg_error_set(err, GG_E_INTERNAL,
		                    "a recognition needs a basis, a source, a policy version and a trace");
	if (r->effective_on == NULL || gg_pack_parse_day(r->effective_on, &day) != 0)
		return gg_error_field(err, GG_E_INVALID, "effective_on", "'%s' is not a date YYYY-MM-DD",
		                      r->effective_on ? r->effective_on : "");
	if (r->reason && (gg_text_length(r->reason) > GG_RECOGNITION_REASON_MAX ||
	                  strlen(r->reason) > GG_RECOGNITION_REASON_MAX * 4))
		return gg_error_field(err, GG_E_INVALID, "reason", "a reason has at most %d characters",
		                      GG_RECOGNITION_REASON_MAX);
	if ((rc = load_talent(db, r->talent_id, &t, err)) != GG_OK)
		return rc;
	if (r->tier == NULL || (rc = tier_rank(db, r->tier, &rank, &found, err)) != GG_OK || !found)
		return rc != GG_OK
		           ? rc
		           : gg_error_field(err, GG_E_INVALID, "tier", "unknown tier '%s'", r->tier ? r->tier : "");
	if ((rc = gg_policyset_stamp(db, r->pack, r->version, hash, err)) != GG_OK)
		return rc;

	/* a talent keeps the highest tier recognised (rank 1 is the highest) */
	raise = t.tier_rank == 0 || rank < t.tier_rank;
	gg_buf_init(&trace, GG_RECOGNITION_TRACE_MAX);
	rc = gg_buf_adds(&trace, r->trace);
	if (rc == GG_OK && trace.len > 0 && trace.buf[trace.len - 1] != '\n')
		rc = gg_buf_addch(&trace, '\n');
	if (rc == GG_OK)
		rc = raise ? gg_buf_addf(&trace, "tier of talent %lld: %s -> %s\n", (long long)r->talent_id,
		                         t.tier[0] ? t.tier : "none", r->tier)
		           : gg_buf_addf(&trace, "tier of talent %lld stays %s (not below %s)\n",
		                         (long long)r->talent_id, t.tier, r->tier);
	if (rc != GG_OK) {
		gg_buf_release(&trace);
		return gg_error_set(err, rc, "the trace of a recognition is longer than %d bytes",
		                    GG_RECOGNITION_TRACE_MAX);
	}
	rc = insert(db, actor, r, hash, trace.buf, id, err);
	gg_buf_release(&trace);
	if (rc != GG_OK)
		return rc;

	snprintf(ids, sizeof(ids), "%lld", (long long)r->talent_id);
	snprintf(source, sizeof(source), "%s:%lld", basis_tokens[r->basis], (long long)r->source_id);
	{
		char policy[GG_POLICY_NAME_MAX * 2 + 2];
		const struct gg_audit_change changes[] = {
		    {"talent_id", NULL, ids},
		    {"tier", NULL, r->tier},
		    {"source", NULL, source},
		    {"policy", NULL, policy},
		    {"effective_on", NULL, r->effective_on},
		};
		if ((rc = gg_audit_by(db, actor, "recognition.create", "recognition", *id, changes,
		                      sizeof changes / sizeof changes[0], err)) != GG_OK)
			return rc;
	}
	if (raise) {
		/* only the tier is written: no personal data, so no keys are needed */
		struct gg_talent_input in = {.set_tier = 1, .tier = r->tier};
		enum gg_talent_outcome outcome;

		if ((rc = gg_talent_write_tx(db, NULL, actor, r->talent_id, &in, 0, NULL, &outcome, err)) != GG_OK)
			return rc;
	}
	if (t.commissioner_id == 0 && high_level(r->version, r->tier)) {
		char label[GG_TASK_LABEL_MAX * 4], link[64];
		struct gg_task_new task = {
		    .kind = GG_TASK_commissioner_assignment,
		    .subject_id = r->talent_id,
		    .label = label,
		    .link = link,
		    .scope_kind = GG_SCOPE_NONE,
		};

		snprintf(label, sizeof(label), "%.200s · %s", t.name, r->tier);
		snprintf(link, sizeof(link), "/talents/%lld", (long long)r->talent_id);
		if ((rc = gg_task_open(db, actor, &task, NULL, NULL, err)) != GG_OK)
			return rc;
	}
	return GG_OK;
}

/* Reading. */

#define SELECT_COLS \
	"SELECT r.id, r.talent_id, t.name, r.tier, r.basis, r.source_id, r.org_id, o.name, r.pack, r.version,     \
	 r.policy_hash, r.effective_on, r.reason, r.trace, r.decided_by, u.username, r.created_at                  \
	 FROM recognitions r JOIN talents t ON t.id = r.talent_id LEFT JOIN orgs o ON o.id = r.org_id              \
	 LEFT JOIN users u ON u.id = r.decided_by"

static char *dup_col(struct gg_stmt *st, int col, int *oom)
{
	const char *s = gg_db_col_text(st, col);
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*oom = 1;
	return d;
}

static struct gg_recognition *from_row(struct gg_stmt *st)
{
	struct gg_recognition *r = calloc(1, sizeof(*r));
	int oom = 0;
	int basis;

	if (r == NULL)
		return NULL;
	r->id = gg_db_col_i64(st, 0);
	r->talent_id = gg_db_col_i64(st, 1);
	r->talent_name = dup_col(st, 2, &oom);
	r->tier = dup_col(st, 3, &oom);
	basis = gg_recognition_basis_lookup(gg_db_col_text(st, 4));
	r->basis = basis < 0 ? GG_BASIS_ORDER : (enum gg_recognition_basis)basis;
	r->source_id = gg_db_col_i64(st, 5);
	r->org_id = gg_db_col_is_null(st, 6) ? 0 : gg_db_col_i64(st, 6);
	r->org_name = dup_col(st, 7, &oom);
	r->pack = dup_col(st, 8, &oom);
	r->version = dup_col(st, 9, &oom);
	r->policy_hash = dup_col(st, 10, &oom);
	gg_db_col_copy(st, 11, r->effective_on, sizeof r->effective_on);
	r->reason = dup_col(st, 12, &oom);
	r->trace = dup_col(st, 13, &oom);
	r->decided_by = gg_db_col_is_null(st, 14) ? 0 : gg_db_col_i64(st, 14);
	r->decided_by_name = dup_col(st, 15, &oom);
	r->created_at = gg_db_col_i64(st, 16);
	if (oom || !r->talent_name || !r->tier || !r->pack || !r->version || !r->policy_hash || !r->trace) {
		gg_recognition_free(r);
		return NULL;
	}
	return r;
}

void gg_recognition_free(struct gg_recognition *r)
{
	if (r == NULL)
		return;
	free(r->talent_name);
	free(r->tier);
	free(r->org_name);
	free(r->pack);
	free(r->version);
	free(r->policy_hash);
	free(r->reason);
	free(r->trace);
	free(r->decided_by_name);
	free(r);
}

static enum gg_err get_one(struct gg_db *db, const char *where, int64_t a, const char *b, struct gg_recognition **out,
                           struct gg_error *err)
{
	char sql[1024];
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*out = NULL;
	snprintf(sql, sizeof(sql), "%s WHERE %s", SELECT_COLS, where);
	rc = gg_db_prepare(db, sql, &st, err);
	if (rc == GG_OK)
		rc = b ? gg_db_bind_text(st, 1, b) : gg_db_bind_i64(st, 1, a);
	if (rc == GG_OK && b)
		rc = gg_db_bind_i64(st, 2, a);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row && (*out = from_row(st)) == NULL)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	gg_db_done(st);
	return rc;
}

enum gg_err gg_recognition_get(struct gg_db *db, int64_t id, struct gg_recognition **out, struct gg_error *err)
{
	enum gg_err rc = get_one(db, "r.id = ?", id, NULL, out, err);

	if (rc == GG_OK && *out == NULL)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown recognition %lld", (long long)id);
	return rc;
}

enum gg_err gg_recognition_of(struct gg_db *db, enum gg_recognition_basis basis, int64_t source_id,
                              struct gg_recognition **out, struct gg_error *err)
{
	return get_one(db, "r.basis = ? AND r.source_id = ?", source_id, gg_recognition_basis_token(basis), out, err);
}

void gg_recognition_list_free(struct gg_recognition **rs, size_t n)
{
	for (size_t i = 0; rs && i < n; i++)
		gg_recognition_free(rs[i]);
	free(rs);
}

/* Appends the scope's condition to sql with its arguments (at most 2 * GG_RECOGNITION_SCOPE_MAX + 1). */
static enum gg_err scope_sql(const struct gg_recognition_query *q, struct gg_buf *sql, int64_t *args, int *nargs)
{
	const char *sep = "";
	enum gg_err rc = gg_buf_adds(sql, " AND (");

	for (size_t i = 0; rc == GG_OK && i < q->nscope_orgs && i < GG_RECOGNITION_SCOPE_MAX; i++, sep = " OR ") {
		rc = gg_buf_addf(sql, "%sr.org_id = ?", sep);
		args[(*nargs)++] = q->scope_orgs[i];
	}
	for (size_t i = 0; rc == GG_OK && i < q->nscope_talents && i < GG_RECOGNITION_SCOPE_MAX; i++, sep = " OR ") {
		rc = gg_buf_addf(sql, "%sr.talent_id = ?", sep);
		args[(*nargs)++] = q->scope_talents[i];
	}
	if (rc == GG_OK && q->scope_commissioner > 0) {
		rc = gg_buf_addf(sql, "%st.commissioner_id = ?", sep);
		args[(*nargs)++] = q->scope_commissioner;
		sep = " OR ";
	}
	if (rc == GG_OK)
		rc = gg_buf_adds(sql, *sep ? ")" : "0)");
	return rc;
}

enum gg_err gg_recognition_list(struct gg_db *db, const struct gg_recognition_query *q, struct gg_recognition ***out,
                                size_t *n, int *more, struct gg_error *err)
{
	struct gg_buf sql;
	struct gg_stmt *st = NULL;
	struct gg_recognition **rs = NULL;
	int64_t args[2 * GG_RECOGNITION_SCOPE_MAX + 8];
	const char *tier = NULL;
	int nargs = 0, tier_at = 0, row = 0, limit = q->limit;
	enum gg_err rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (limit < 1 || limit > GG_RECOGNITION_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit is 1 to %d", GG_RECOGNITION_LIMIT_MAX);
	if ((rs = calloc((size_t)limit + 1, sizeof(*rs))) == NULL)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	gg_buf_init(&sql, 4096);
	rc = gg_buf_addf(&sql, "%s WHERE 1", SELECT_COLS);
	/* each condition binds integers, except the tier (text, bound last) */
	if (rc == GG_OK && q->talent_id > 0 && (rc = gg_buf_adds(&sql, " AND r.talent_id = ?")) == GG_OK)
		args[nargs++] = q->talent_id;
	if (rc == GG_OK && q->org_id > 0 && (rc = gg_buf_adds(&sql, " AND r.org_id = ?")) == GG_OK)
		args[nargs++] = q->org_id;
	if (rc == GG_OK && q->scoped)
		rc = scope_sql(q, &sql, args, &nargs);
	if (rc == GG_OK && q->before_id > 0 && (rc = gg_buf_adds(&sql, " AND r.id < ?")) == GG_OK)
		args[nargs++] = q->before_id;
	if (rc == GG_OK && q->basis >= 0 && q->basis < GG_BASIS__COUNT)
		rc = gg_buf_addf(&sql, " AND r.basis = '%s'", basis_tokens[q->basis]);
	if (rc == GG_OK && q->tier && (rc = gg_buf_adds(&sql, " AND r.tier = ?")) == GG_OK) {
		tier = q->tier;
		tier_at = nargs + 1;
	}
	if (rc == GG_OK)
		rc = gg_buf_addf(&sql, " ORDER BY r.id DESC LIMIT %d", limit + 1);
	if (rc != GG_OK)
		rc = gg_error_set(err, rc, "the recognition query is too long");
	if (rc == GG_OK)
		rc = gg_db_prepare(db, sql.buf, &st, err);
	for (int i = 0; rc == GG_OK && i < nargs; i++)
		rc = gg_db_bind_i64(st, i + 1, args[i]);
	if (rc == GG_OK && tier)
		rc = gg_db_bind_text(st, tier_at, tier);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (*n == (size_t)limit) {
			*more = 1;
			break;
		}
		if ((rs[*n] = from_row(st)) == NULL) {
			rc = gg_error_set(err, GG_E_NOMEM, NULL);
			break;
		}
		(*n)++;
	}
	gg_db_done(st);
	gg_buf_release(&sql);
	if (rc != GG_OK) {
		gg_recognition_list_free(rs, *n);
		*n = 0;
		*more = 0;
		return rc;
	}
	*out = rs;
	return GG_OK;
}
