/*
 * recommendation: the recruitment list's records and their state
 * machine. Every action runs the same steps: read the record inside the
 * write transaction, check it against the machine's row for the action
 * (who, from which state: the one check that allowed_actions also
 * applies), work out the record after the action, write it with one
 * UPDATE guarded by the version, then the history row, the audit row
 * with every changed column, the review task, and for approve the
 * recognition. The quota is a count over an index: the rows of an
 * employer with a quota_year, which submission sets and a withdrawal
 * before review clears.
 */
#include "recommendation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/text.h"
#include "talent.h"
#include "task.h"
#include "vocabulary.h"

static const char *const status_tokens[GG_REC_STATUS__COUNT] = {
    "draft", "submitted", "under_review", "approved", "rejected", "returned", "withdrawn",
};

#define ST(s)  GG_REC_STATE(GG_REC_##s)
#define WRITE  GG_PERM_recommendations_write
#define REVIEW GG_PERM_recommendations_review
/*
 * The state machine: action, the states it applies to, the state after,
 * the permission (for the recommendation's organisation), a reason
 * required, a tier taken, what becomes of the review task.
 */
const struct gg_rec_transition gg_rec_machine[GG_REC_ACTION__COUNT] = {
    [GG_REC_EDIT] = {"edit", ST(DRAFT) | ST(RETURNED), -1, WRITE, 0, 0, NULL},
    [GG_REC_SUBMIT] = {"submit", ST(DRAFT) | ST(RETURNED), GG_REC_SUBMITTED, WRITE, 0, 0, "open"},
    [GG_REC_WITHDRAW] = {"withdraw", ST(DRAFT) | ST(SUBMITTED) | ST(UNDER_REVIEW) | ST(RETURNED), GG_REC_WITHDRAWN,
                         WRITE, 0, 0, "close"},
    [GG_REC_REVIEW] = {"review", ST(SUBMITTED), GG_REC_UNDER_REVIEW, REVIEW, 0, 0, "close"},
    [GG_REC_APPROVE] = {"approve", ST(UNDER_REVIEW), GG_REC_APPROVED, REVIEW, 1, 1, "close"},
    [GG_REC_REJECT] = {"reject", ST(UNDER_REVIEW), GG_REC_REJECTED, REVIEW, 1, 0, "close"},
    [GG_REC_RETURN] = {"return", ST(UNDER_REVIEW), GG_REC_RETURNED, REVIEW, 1, 0, "close"},
};
#undef ST
#undef WRITE
#undef REVIEW

/* The states that hold a live recommendation (the unique index of 0010). */
#define LIVE_SQL "('draft', 'submitted', 'under_review', 'returned')"
#define TIER_MAX 64 /* bytes of a tier token */

const char *gg_rec_status_token(enum gg_rec_status s)
{
	return (int)s >= 0 && s < GG_REC_STATUS__COUNT ? status_tokens[s] : "";
}

int gg_rec_status_lookup(const char *token)
{
	for (int s = 0; token && s < GG_REC_STATUS__COUNT; s++)
		if (strcmp(status_tokens[s], token) == 0)
			return s;
	return -1;
}

int gg_rec_action_lookup(const char *token)
{
	for (int a = 0; token && a < GG_REC_ACTION__COUNT; a++)
		if (strcmp(gg_rec_machine[a].token, token) == 0)
			return a;
	return -1;
}

/* The actor of writes without one (a NULL actor). */
static const struct gg_actor system_actor = {0, "system", NULL};

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

/* ---- who may ---- */

int gg_recommendation_reach(const struct gg_principal *pr, enum gg_perm perm, int64_t org_id)
{
	return gg_principal_reaches(pr, perm, org_id, 0);
}

void gg_recommendation_scope(const struct gg_principal *pr, struct gg_recommendation_query *q)
{
	size_t ntalents;

	q->unscoped =
	    gg_principal_scope(pr, GG_PERM_recommendations_read, q->scope_orgs,
	                       sizeof q->scope_orgs / sizeof q->scope_orgs[0], &q->nscope, NULL, 0, &ntalents);
}

/* "draft or returned": the states of bits, for messages. */
static void states_text(unsigned bits, char *out, size_t outsz)
{
	size_t n = 0, k = 0;

	for (int s = 0; s < GG_REC_STATUS__COUNT; s++)
		n += (bits & GG_REC_STATE(s)) != 0;
	out[0] = '\0';
	for (int s = 0; s < GG_REC_STATUS__COUNT; s++) {
		if (!(bits & GG_REC_STATE(s)))
			continue;
		k++;
		size_t len = strlen(out);
		snprintf(out + len, outsz - len, "%s%s", k == 1 ? "" : k == n ? " or " : ", ", status_tokens[s]);
	}
}

/*
 * The one check of an action on r by pr: GG_OK, or the refusal (not
 * found when pr may not see the organisation's recommendations at all,
 * forbidden without the action's permission for it, conflict when the
 * state does not allow it). err may be NULL (allowed_actions).
 */
static enum gg_err check_action(const struct gg_recommendation *r, const struct gg_principal *pr, enum gg_rec_action a,
                                struct gg_error *err)
{
	const struct gg_rec_transition *t = &gg_rec_machine[a];
	char states[96];

	if (!gg_recommendation_reach(pr, GG_PERM_recommendations_read, r->org_id) &&
	    !gg_recommendation_reach(pr, t->perm, r->org_id))
		return gg_error_set(err, GG_E_NOT_FOUND, "unknown recommendation %lld", (long long)r->id);
	if (!gg_recommendation_reach(pr, t->perm, r->org_id))
		return gg_error_set(err, GG_E_FORBIDDEN, "you may not %s recommendations of organisation %lld",
		                    t->token, (long long)r->org_id);
	if (!(t->from & GG_REC_STATE(r->status))) {
		states_text(t->from, states, sizeof states);
		return gg_error_set(err, GG_E_CONFLICT, "cannot %s recommendation %lld: it is %s (only when %s)",
		                    t->token, (long long)r->id, status_tokens[r->status], states);
	}
	return GG_OK;
}

unsigned gg_recommendation_allowed_actions(const struct gg_recommendation *r, const struct gg_principal *pr)
{
	unsigned bits = 0;

	for (int a = 0; a < GG_REC_ACTION__COUNT; a++)
		if (check_action(r, pr, (enum gg_rec_action)a, NULL) == GG_OK)
			bits |= 1u << a;
	return bits;
}

/* ---- text ---- */

/* The tier token text names into token; field errors on field for an unknown tier or strategic_scientist. */
static enum gg_err tier_of(struct gg_db *db, const char *text, const char *field, char token[TIER_MAX],
                           struct gg_error *err)
{
	int found = 0;
	enum gg_err rc;

	if (!text || !*text)
		return gg_error_field(err, GG_E_INVALID, field, "%s is required", field);
	if (strlen(text) >= 256)
		return gg_error_field(err, GG_E_INVALID, field, "unknown tier '%.64s'", text);
	if ((rc = gg_vocab_tier_lookup(db, text, token, TIER_MAX, &found, err)) != GG_OK)
		return finish(rc, err);
	if (!found)
		return gg_error_field(err, GG_E_INVALID, field, "unknown tier '%.64s'", text);
	if (strcmp(token, "strategic_scientist") == 0)
		return gg_error_field(err, GG_E_RULE, field,
		                      "strategic scientists are recognised by a bureau decision (strategic-decisions), "
		                      "not by a recommendation");
	return GG_OK;
}

static int year_of(int64_t day)
{
	int64_t y;
	int m, d;

	gg_clock_civil_from_days(day, &y, &m, &d);
	return (int)y;
}

/* ---- reading ---- */

static void release(struct gg_recommendation *r)
{
	free(r->org_name);
	free(r->talent_name);
	free(r->talent_tier);
	free(r->proposed_tier);
	free(r->justification);
	free(r->quota_pack);
	free(r->quota_version);
	free(r->decided_tier);
	free(r->decision_reason);
	free(r->reviewer_name);
	free(r->created_by_name);
	for (size_t i = 0; i < r->nevents; i++) {
		free(r->events[i].reason);
		free(r->events[i].actor_name);
	}
	free(r->events);
}

void gg_recommendation_free(struct gg_recommendation *r)
{
	if (!r)
		return;
	release(r);
	free(r);
}

void gg_recommendation_list_free(struct gg_recommendation **rs, size_t n)
{
	for (size_t i = 0; rs && i < n; i++)
		gg_recommendation_free(rs[i]);
	free(rs);
}

#define COLS                                                                                                        \
	"r.id, r.org_id, o.name, r.talent_id, t.name, t.tier, r.proposed_tier, r.justification, r.status, "         \
	"r.submitted_on, r.quota_year, r.quota_limit, r.quota_seq, r.quota_pack, r.quota_version, r.decided_tier, " \
	"r.decision_reason, r.reviewer_id, ru.username, r.recognition_id, r.version, r.created_at, r.updated_at, "  \
	"r.created_by, cu.username"
#define FROM                                                                                          \
	" FROM recommendations r JOIN orgs o ON o.id = r.org_id JOIN talents t ON t.id = r.talent_id" \
	" LEFT JOIN users ru ON ru.id = r.reviewer_id LEFT JOIN users cu ON cu.id = r.created_by"

/* The row of COLS into a new record. */
static enum gg_err from_row(struct gg_stmt *st, struct gg_recommendation **out, struct gg_error *err)
{
	struct gg_recommendation *r = calloc(1, sizeof *r);
	const char *s;
	int oom = 0, k = 0;

	*out = NULL;
	if (!r)
		return gg_error_set(err, GG_E_NOMEM, NULL);
	r->id = gg_db_col_i64(st, k++);
	r->org_id = gg_db_col_i64(st, k++);
	r->org_name = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->talent_id = gg_db_col_i64(st, k++);
	r->talent_name = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->talent_tier = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->proposed_tier = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->justification = gg_strdup_oom(gg_db_col_text(st, k) ? gg_db_col_text(st, k) : "", &oom);
	k++;
	r->status = (enum gg_rec_status)gg_rec_status_lookup(gg_db_col_text(st, k++));
	if ((int)r->status < 0)
		r->status = GG_REC_DRAFT; /* the CHECK of 0010 allows no other value */
	s = gg_db_col_text(st, k++);
	gg_strlcpy(r->submitted_on, s ? s : "", sizeof r->submitted_on);
	r->quota_year = (int)gg_db_col_i64(st, k++);
	r->quota_limit = gg_db_col_i64(st, k++);
	r->quota_seq = (int)gg_db_col_i64(st, k++);
	r->quota_pack = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->quota_version = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->decided_tier = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->decision_reason = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->reviewer_id = gg_db_col_i64(st, k++);
	r->reviewer_name = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	r->recognition_id = gg_db_col_i64(st, k++);
	r->version = gg_db_col_i64(st, k++);
	r->created_at = gg_db_col_i64(st, k++);
	r->updated_at = gg_db_col_i64(st, k++);
	r->created_by = gg_db_col_i64(st, k++);
	r->created_by_name = gg_strdup_oom(gg_db_col_text(st, k++), &oom);
	if (oom) {
		gg_recommendation_free(r);
		return gg_error_set(err, GG_E_NOMEM, NULL);
	}
	*out = r;
	return GG_OK;
}

static enum gg_err load_events(struct gg_db *db, struct gg_recommendation *r, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	size_t cap = 0;
	int row = 0, oom = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db,
	                   "SELECT id, action, from_status, to_status, reason, actor_id, actor_name, at"
	                   " FROM recommendation_events WHERE recommendation_id = ? ORDER BY id LIMIT ?",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, r->id)) == GG_OK)
		rc = gg_db_bind_i64(st, 2, GG_RECOMMENDATION_HISTORY_MAX);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_rec_event *e;
		const char *s;

		if (r->nevents == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct gg_rec_event *nv = realloc(r->events, ncap * sizeof *nv);
			if (!nv) {
				rc = gg_error_set(err, GG_E_NOMEM, NULL);
				break;
			}
			r->events = nv;
			cap = ncap;
		}
		e = &r->events[r->nevents++];
		memset(e, 0, sizeof *e);
		e->id = gg_db_col_i64(st, 0);
		gg_strlcpy(e->action, gg_db_col_text(st, 1), sizeof e->action);
		s = gg_db_col_text(st, 2);
		gg_strlcpy(e->from_status, s ? s : "", sizeof e->from_status);
		gg_strlcpy(e->to_status, gg_db_col_text(st, 3), sizeof e->to_status);
		e->reason = gg_strdup_oom(gg_db_col_text(st, 4), &oom);
		e->actor_id = gg_db_col_i64(st, 5);
		e->actor_name = gg_strdup_oom(gg_db_col_text(st, 6), &oom);
		e->at = gg_db_col_i64(st, 7);
	}
	gg_db_done(st);
	if (rc == GG_OK && oom)
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
	return finish(rc, err);
}

/* Reads recommendation id inside the caller's transaction. */
static enum gg_err load(struct gg_db *db, int64_t id, int history, struct gg_recommendation **out, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*out = NULL;
	rc = gg_db_prepare(db, "SELECT " COLS FROM " WHERE r.id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_NOT_FOUND, "unknown recommendation %lld", (long long)id);
	if (rc == GG_OK)
		rc = from_row(st, out, err);
	gg_db_done(st);
	if (rc == GG_OK && history && (rc = load_events(db, *out, err)) != GG_OK) {
		gg_recommendation_free(*out);
		*out = NULL;
	}
	return finish(rc, err);
}

enum gg_err gg_recommendation_get(struct gg_db *db, int64_t id, int history, struct gg_recommendation **out,
                                  struct gg_error *err)
{
	enum gg_err rc;

	*out = NULL;
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = load(db, id, history, out, err);
	gg_db_rollback(db);
	return rc;
}

enum gg_err gg_recommendation_list(struct gg_db *db, const struct gg_recommendation_query *q,
                                   struct gg_recommendation ***out, size_t *n, int *more, struct gg_error *err)
{
	struct gg_recommendation **v = NULL;
	struct gg_stmt *st = NULL;
	struct gg_buf sql;
	int64_t args[8 + GG_PRINCIPAL_ROLES_MAX];
	const char *status = NULL;
	size_t nargs = 0, count = 0;
	int row = 0, k = 1;
	enum gg_err rc = GG_OK;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (q->limit < 1 || q->limit > GG_RECOMMENDATION_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be a whole number from 1 to %d",
		                      GG_RECOMMENDATION_LIMIT_MAX);
	if (!q->unscoped && q->nscope == 0)
		return GG_OK; /* the caller sees none */
	if (!(v = calloc((size_t)q->limit, sizeof *v)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	gg_buf_init(&sql, 4096);
	rc = gg_buf_adds(&sql, "SELECT " COLS FROM " WHERE 1 = 1");
	if (rc == GG_OK && q->org_id) {
		rc = gg_buf_adds(&sql, " AND r.org_id = ?");
		args[nargs++] = q->org_id;
	}
	if (rc == GG_OK && q->talent_id) {
		rc = gg_buf_adds(&sql, " AND r.talent_id = ?");
		args[nargs++] = q->talent_id;
	}
	if (rc == GG_OK && q->before_id) {
		rc = gg_buf_adds(&sql, " AND r.id < ?");
		args[nargs++] = q->before_id;
	}
	if (rc == GG_OK && !q->unscoped) {
		rc = gg_buf_adds(&sql, " AND r.org_id IN (");
		for (size_t i = 0; rc == GG_OK && i < q->nscope; i++) {
			rc = gg_buf_adds(&sql, i ? ", ?" : "?");
			args[nargs++] = q->scope_orgs[i];
		}
		if (rc == GG_OK)
			rc = gg_buf_adds(&sql, ")");
	}
	if (rc == GG_OK && q->status >= 0 && q->status < GG_REC_STATUS__COUNT) {
		status = status_tokens[q->status];
		rc = gg_buf_adds(&sql, " AND r.status = ?");
	}
	if (rc == GG_OK)
		rc = gg_buf_adds(&sql, " ORDER BY r.id DESC LIMIT ?");
	if (rc != GG_OK) {
		rc = gg_error_set(err, GG_E_INTERNAL, "the list query is too long");
		goto out;
	}
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		goto out;
	rc = gg_db_prepare(db, sql.buf, &st, err);
	for (size_t i = 0; rc == GG_OK && i < nargs; i++)
		rc = gg_db_bind_i64(st, k++, args[i]);
	if (rc == GG_OK && status)
		rc = gg_db_bind_text(st, k++, status);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, k++, q->limit + 1);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		if (count == (size_t)q->limit) {
			*more = 1;
			break;
		}
		rc = from_row(st, &v[count], err);
		if (rc == GG_OK)
			count++;
	}
	gg_db_done(st);
	gg_db_rollback(db);
out:
	gg_buf_release(&sql);
	if (rc != GG_OK) {
		gg_recommendation_list_free(v, count);
		*more = 0;
		return finish(rc, err);
	}
	*out = v;
	*n = count;
	return GG_OK;
}

/* ---- writing ---- */

/* The columns an action may change, for the audit row: old and new as text. */
struct changes {
	struct gg_audit_change ch[16];
	char num[16][2][24];
	size_t n;
};

static void change_text(struct changes *c, const char *field, const char *o, const char *nv)
{
	if (o && !*o)
		o = NULL;
	if (nv && !*nv)
		nv = NULL;
	if ((!o && !nv) || (o && nv && strcmp(o, nv) == 0) || c->n == 16)
		return;
	c->ch[c->n++] = (struct gg_audit_change){field, o, nv};
}

static void change_i64(struct changes *c, const char *field, int64_t o, int64_t nv)
{
	if (o == nv || c->n == 16)
		return;
	snprintf(c->num[c->n][0], sizeof c->num[c->n][0], "%lld", (long long)o);
	snprintf(c->num[c->n][1], sizeof c->num[c->n][1], "%lld", (long long)nv);
	c->ch[c->n] = (struct gg_audit_change){field, o ? c->num[c->n][0] : NULL, nv ? c->num[c->n][1] : NULL};
	c->n++;
}

/* The audit row of action verb (recommendation.<verb>) with the changed columns; actor is never NULL here. */
static enum gg_err audit(struct gg_db *db, const struct gg_actor *actor, const char *verb, int64_t id,
                         const struct changes *c, struct gg_error *err)
{
	char action[48];

	snprintf(action, sizeof action, "recommendation.%s", verb);
	return gg_audit_by(db, actor, action, "recommendation", id, c->ch, c->n, err);
}

static enum gg_err add_event(struct gg_db *db, const struct gg_actor *actor, int64_t id, const char *action,
                             const char *from, const char *to, const char *reason, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(
	    db,
	    "INSERT INTO recommendation_events (recommendation_id, action, from_status, to_status, reason,"
	    " actor_id, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, action);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, from);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, to);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, reason && *reason ? reason : NULL);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 6, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 7, actor->name);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 8, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	return finish(rc, err);
}

/* The live recommendation of (org, talent) other than except: *id, or 0. */
static enum gg_err live_of(struct gg_db *db, int64_t org_id, int64_t talent_id, int64_t except, int64_t *id,
                           struct gg_error *err)
{
	const int64_t args[] = {org_id, talent_id, except};
	int found = 0;
	enum gg_err rc;

	*id = 0;
	rc = gg_db_query_i64(db,
	                     "SELECT id FROM recommendations WHERE org_id = ? AND talent_id = ? AND id <> ?"
	                     " AND status IN " LIVE_SQL,
	                     args, 3, id, &found, err);
	if (!found)
		*id = 0;
	return finish(rc, err);
}

/* The name of organisation id into out; GG_E_NOT_FOUND, without a message, when none. */
static enum gg_err org_name_of(struct gg_db *db, int64_t id, char *out, size_t outsz, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	out[0] = '\0';
	rc = gg_db_prepare(db, "SELECT name FROM orgs WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		gg_strlcpy(out, gg_db_col_text(st, 0) ? gg_db_col_text(st, 0) : "", outsz);
	gg_db_done(st);
	if (rc == GG_OK && !row)
		rc = GG_E_NOT_FOUND;
	return rc;
}

enum gg_err gg_recommendation_create_tx(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                        const struct gg_recommendation_input *in, int64_t *id, struct gg_error *err)
{
	char tier[TIER_MAX], org_name[4 * 128 + 1], talent_name[4 * 64 + 1];
	char *justification = NULL;
	struct gg_stmt *st = NULL;
	struct changes c = {0};
	int64_t other = 0, now = gg_clock_now();
	int row = 0;
	enum gg_err rc;

	*id = 0;
	if (!actor)
		actor = &system_actor;
	if (in->org_id <= 0)
		return gg_error_field(err, GG_E_INVALID, "org_id", "org_id is required");
	if (in->talent_id <= 0)
		return gg_error_field(err, GG_E_INVALID, "talent_id", "talent_id is required");
	if (!gg_recommendation_reach(pr, GG_PERM_recommendations_write, in->org_id)) {
		struct gg_recommendation_query q = {0};
		gg_recommendation_scope(pr, &q);
		if (q.nscope > 0)
			return gg_error_field(
			    err, GG_E_FORBIDDEN, "org_id",
			    "you may not recommend for organisation %lld: you act for organisation %lld",
			    (long long)in->org_id, (long long)q.scope_orgs[0]);
		return gg_error_field(err, GG_E_FORBIDDEN, "org_id", "you may not recommend for organisation %lld",
		                      (long long)in->org_id);
	}
	rc = org_name_of(db, in->org_id, org_name, sizeof org_name, err);
	if (rc == GG_E_NOT_FOUND)
		return gg_error_field(err, GG_E_NOT_FOUND, "org_id", "unknown organisation %lld",
		                      (long long)in->org_id);
	if (rc != GG_OK)
		return finish(rc, err);
	if ((rc = gg_talent_live_name(db, in->talent_id, talent_name, sizeof talent_name, err)) != GG_OK)
		return rc;
	if (pr && !gg_talent_visible(db, pr, in->talent_id))
		return gg_error_field(err, GG_E_NOT_FOUND, "talent_id", "unknown talent %lld",
		                      (long long)in->talent_id);
	if ((rc = tier_of(db, in->proposed_tier, "proposed_tier", tier, err)) != GG_OK)
		return rc;
	if ((rc = gg_text_nfkc_dup(in->justification, "justification", GG_RECOMMENDATION_JUSTIFICATION_MAX,
	                           &justification, err)) != GG_OK)
		return rc;
	if ((rc = live_of(db, in->org_id, in->talent_id, 0, &other, err)) != GG_OK)
		goto out;
	if (other) {
		rc =
		    gg_error_field(err, GG_E_DUPLICATE, "talent_id",
		                   "talent '%s' has a live recommendation of organisation '%s' already (recommendation "
		                   "%lld)",
		                   talent_name, org_name, (long long)other);
		goto out;
	}
	rc = gg_db_prepare(db,
	                   "INSERT INTO recommendations (org_id, talent_id, proposed_tier, justification, status,"
	                   " version, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, 'draft', 1, ?, ?, ?)"
	                   " RETURNING id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, in->org_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 2, in->talent_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, tier);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, justification);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 5, now);
	if (rc == GG_OK)
		rc = gg_db_bind_id(st, 6, actor->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 7, now);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row)
		*id = gg_db_col_i64(st, 0);
	else if (rc == GG_OK)
		rc = gg_error_set(err, GG_E_DB, "insert into recommendations returned no id");
	gg_db_done(st);
	if (rc != GG_OK)
		goto out;
	change_i64(&c, "org_id", 0, in->org_id);
	change_i64(&c, "talent_id", 0, in->talent_id);
	change_text(&c, "proposed_tier", NULL, tier);
	change_text(&c, "justification", NULL, justification);
	change_text(&c, "status", NULL, "draft");
	if ((rc = add_event(db, actor, *id, "create", NULL, "draft", NULL, err)) != GG_OK ||
	    (rc = audit(db, actor, "create", *id, &c, err)) != GG_OK)
		goto out;
out:
	free(justification);
	if (rc != GG_OK)
		*id = 0;
	return finish(rc, err);
}

enum gg_err gg_recommendation_create(struct gg_db *db, const struct gg_actor *actor, const struct gg_principal *pr,
                                     const struct gg_recommendation_input *in, int64_t *id, struct gg_error *err)
{
	enum gg_err rc;

	*id = 0;
	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = gg_recommendation_create_tx(db, actor, pr, in, id, err)) == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

/* The record after an action: the columns an UPDATE writes. Strings borrowed or owned by the caller. */
struct next {
	const char *proposed_tier, *justification;
	enum gg_rec_status status;
	const char *submitted_on;
	int quota_year;
	int64_t quota_limit;
	int quota_seq;
	const char *quota_pack, *quota_version;
	const char *decided_tier, *decision_reason;
	int64_t reviewer_id, recognition_id;
};

static void next_from(const struct gg_recommendation *r, struct next *nx)
{
	nx->proposed_tier = r->proposed_tier;
	nx->justification = r->justification;
	nx->status = r->status;
	nx->submitted_on = r->submitted_on;
	nx->quota_year = r->quota_year;
	nx->quota_limit = r->quota_limit;
	nx->quota_seq = r->quota_seq;
	nx->quota_pack = r->quota_pack;
	nx->quota_version = r->quota_version;
	nx->decided_tier = r->decided_tier;
	nx->decision_reason = r->decision_reason;
	nx->reviewer_id = r->reviewer_id;
	nx->recognition_id = r->recognition_id;
}

static enum gg_err bind_opt_text(struct gg_stmt *st, int k, const char *s)
{
	return gg_db_bind_text(st, k, s && *s ? s : NULL);
}

static enum gg_err bind_opt_i64(struct gg_stmt *st, int k, int64_t v)
{
	return v ? gg_db_bind_i64(st, k, v) : gg_db_bind_null(st, k);
}

static enum gg_err write_next(struct gg_db *db, const struct gg_recommendation *r, const struct next *nx,
                              struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0, k = 1;
	enum gg_err rc;

	rc = gg_db_prepare(
	    db,
	    "UPDATE recommendations SET proposed_tier = ?, justification = ?, status = ?, submitted_on = ?,"
	    " quota_year = ?, quota_limit = ?, quota_seq = ?, quota_pack = ?, quota_version = ?,"
	    " decided_tier = ?, decision_reason = ?, reviewer_id = ?, recognition_id = ?, updated_at = ?,"
	    " version = version + 1 WHERE id = ? AND version = ?",
	    &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, k++, nx->proposed_tier);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, k++, nx->justification ? nx->justification : "");
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, k++, status_tokens[nx->status]);
	if (rc == GG_OK)
		rc = bind_opt_text(st, k++, nx->submitted_on);
	if (rc == GG_OK)
		rc = bind_opt_i64(st, k++, nx->quota_year);
	if (rc == GG_OK)
		rc = nx->quota_pack ? gg_db_bind_i64(st, k++, nx->quota_limit) : gg_db_bind_null(st, k++);
	if (rc == GG_OK)
		rc = bind_opt_i64(st, k++, nx->quota_seq);
	if (rc == GG_OK)
		rc = bind_opt_text(st, k++, nx->quota_pack);
	if (rc == GG_OK)
		rc = bind_opt_text(st, k++, nx->quota_version);
	if (rc == GG_OK)
		rc = bind_opt_text(st, k++, nx->decided_tier);
	if (rc == GG_OK)
		rc = bind_opt_text(st, k++, nx->decision_reason);
	if (rc == GG_OK)
		rc = bind_opt_i64(st, k++, nx->reviewer_id);
	if (rc == GG_OK)
		rc = bind_opt_i64(st, k++, nx->recognition_id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, k++, gg_clock_now());
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, k++, r->id);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, k++, r->version);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc == GG_OK && gg_db_changes(db) != 1)
		rc =
		    gg_error_set(err, GG_E_STALE, "recommendation %lld changed while it was written", (long long)r->id);
	return finish(rc, err);
}

/* The changed columns of r -> nx. */
static void diff(const struct gg_recommendation *r, const struct next *nx, struct changes *c)
{
	char y0[8] = "", y1[8] = "";

	change_text(c, "proposed_tier", r->proposed_tier, nx->proposed_tier);
	change_text(c, "justification", r->justification, nx->justification);
	change_text(c, "status", status_tokens[r->status], status_tokens[nx->status]);
	change_text(c, "submitted_on", r->submitted_on, nx->submitted_on);
	if (r->quota_year)
		snprintf(y0, sizeof y0, "%d", r->quota_year);
	if (nx->quota_year)
		snprintf(y1, sizeof y1, "%d", nx->quota_year);
	if (strcmp(y0, y1) != 0 && c->n < 16) {
		/* the year's text lives in c, as change_i64's numbers do */
		gg_strlcpy(c->num[c->n][0], y0, sizeof c->num[c->n][0]);
		gg_strlcpy(c->num[c->n][1], y1, sizeof c->num[c->n][1]);
		c->ch[c->n] =
		    (struct gg_audit_change){"quota_year", *y0 ? c->num[c->n][0] : NULL, *y1 ? c->num[c->n][1] : NULL};
		c->n++;
	}
	change_text(c, "quota_pack", r->quota_pack, nx->quota_pack);
	change_text(c, "quota_version", r->quota_version, nx->quota_version);
	change_i64(c, "quota_seq", r->quota_seq, nx->quota_seq);
	change_text(c, "decided_tier", r->decided_tier, nx->decided_tier);
	change_text(c, "decision_reason", r->decision_reason, nx->decision_reason);
	change_i64(c, "reviewer_id", r->reviewer_id, nx->reviewer_id);
	change_i64(c, "recognition_id", r->recognition_id, nx->recognition_id);
}

/*
 * Submit's quota: when r never took a slot, the version in force today
 * gives the quota of this year; refused when the employer's slots of the
 * year are all taken, else nx takes the next one.
 */
static enum gg_err take_slot(struct gg_db *db, const struct gg_policyset *set, const struct gg_recommendation *r,
                             struct next *nx, char day_text[11], struct gg_error *err)
{
	struct gg_policy_params params;
	const struct gg_pack *pack = NULL;
	const struct gg_pack_version *ver = NULL;
	int64_t day, used = 0;
	int found = 0, year;
	enum gg_err rc;

	if (r->quota_year)
		return GG_OK; /* resubmitted after a return: it counts once, in the year it took */
	if ((rc = gg_policyset_need(set, err)) != GG_OK || (rc = gg_clock_today(&day, err)) != GG_OK)
		return rc;
	if ((rc = gg_policyset_params_on(set, NULL, day, &params, &pack, &ver, err)) != GG_OK)
		return finish(rc, err);
	year = year_of(day);
	const int64_t args[] = {r->org_id, year};
	if ((rc = gg_db_query_i64(db, "SELECT COUNT(*) FROM recommendations WHERE org_id = ? AND quota_year = ?", args,
	                          2, &used, &found, err)) != GG_OK)
		return finish(rc, err);
	if (used >= ver->recommendation_quota)
		return gg_error_set(err, GG_E_RULE,
		                    "quota of %lld recommendations for %d reached (org '%s'; %s version %s)",
		                    (long long)ver->recommendation_quota, year, r->org_name, pack->name, ver->version);
	if ((rc = gg_policyset_stamp(db, pack, ver, NULL, err)) != GG_OK)
		return finish(rc, err);
	gg_clock_day_text(day, day_text);
	nx->submitted_on = day_text;
	nx->quota_year = year;
	nx->quota_limit = ver->recommendation_quota;
	nx->quota_seq = (int)used + 1;
	nx->quota_pack = pack->name;
	nx->quota_version = ver->version;
	return GG_OK;
}

/* The trace of an approval (lines ending in '\n') into b. */
static enum gg_err approval_trace(const struct gg_recommendation *r, const struct gg_actor *actor, const char *tier,
                                  const char *day, const struct gg_pack *pack, const struct gg_pack_version *ver,
                                  const char *reason, struct gg_buf *b)
{
	enum gg_err rc;

	rc = gg_buf_addf(b,
	                 "recommendation %lld: organisation '%s' (org %lld) recommended talent '%s' (talent %lld) "
	                 "for tier '%s'\n",
	                 (long long)r->id, r->org_name, (long long)r->org_id, r->talent_name, (long long)r->talent_id,
	                 r->proposed_tier);
	if (rc == GG_OK)
		rc = gg_buf_addf(
		    b,
		    "quota: first submitted on %s, slot %d of %lld for %d (recommendation_quota %lld of %s "
		    "version %s, in force on the day of submission)\n",
		    r->submitted_on, r->quota_seq, (long long)r->quota_limit, r->quota_year, (long long)r->quota_limit,
		    r->quota_pack ? r->quota_pack : "?", r->quota_version ? r->quota_version : "?");
	/* who took it up: the last review of its history (the reviewer account, or the command line's name) */
	for (size_t i = r->nevents; rc == GG_OK && i > 0; i--) {
		const struct gg_rec_event *e = &r->events[i - 1];
		if (strcmp(e->action, "review") == 0) {
			char on[11];
			int64_t day_of = 0;
			gg_clock_local_day(gg_clock_zone(), e->at, &day_of);
			rc = gg_buf_addf(b, "taken up for review on %s by '%s'\n", gg_clock_day_text(day_of, on),
			                 e->actor_name);
			break;
		}
	}
	if (rc == GG_OK && strcmp(tier, r->proposed_tier) == 0)
		rc = gg_buf_addf(b, "approved on %s by '%s' at tier '%s', as proposed\n", day, actor->name, tier);
	else if (rc == GG_OK)
		rc = gg_buf_addf(b, "approved on %s by '%s' at tier '%s' (proposed: '%s')\n", day, actor->name, tier,
		                 r->proposed_tier);
	if (rc == GG_OK)
		rc = gg_buf_addf(b, "policy: %s version %s (from %s), in force on %s, the day of approval\n",
		                 pack->name, ver->version, ver->from, day);
	if (rc == GG_OK)
		rc = gg_buf_addf(b, "reason: %s\n", reason);
	return rc;
}

/* Approve's recognition: the talent recognised at tier today; *id its id. */
static enum gg_err recognise(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                             const struct gg_recommendation *r, const char *tier, const char *reason, int64_t *id,
                             struct gg_error *err)
{
	struct gg_policy_params params;
	const struct gg_pack *pack = NULL;
	const struct gg_pack_version *ver = NULL;
	struct gg_buf trace;
	char day_text[11];
	int64_t day;
	enum gg_err rc;

	if ((rc = gg_policyset_need(set, err)) != GG_OK || (rc = gg_clock_today(&day, err)) != GG_OK)
		return rc;
	if ((rc = gg_policyset_params_on(set, NULL, day, &params, &pack, &ver, err)) != GG_OK)
		return finish(rc, err);
	gg_clock_day_text(day, day_text);
	gg_buf_init(&trace, GG_RECOGNITION_INPUT_TRACE_MAX); /* the longest reason fits */
	if (approval_trace(r, actor, tier, day_text, pack, ver, reason, &trace) != GG_OK) {
		gg_buf_release(&trace);
		return gg_error_set(err, GG_E_INTERNAL, "the trace of recommendation %lld is too long",
		                    (long long)r->id);
	}
	const struct gg_recognition_new rn = {
	    .talent_id = r->talent_id,
	    .tier = tier,
	    .basis = GG_BASIS_RECOMMENDATION,
	    .source_id = r->id,
	    .org_id = r->org_id,
	    .pack = pack,
	    .version = ver,
	    .effective_on = day_text,
	    .reason = reason,
	    .trace = trace.buf,
	};
	rc = gg_recognition_record_tx(db, actor, &rn, id, err);
	gg_buf_release(&trace);
	return finish(rc, err);
}

static enum gg_err review_task(struct gg_db *db, const struct gg_actor *actor, const struct gg_recommendation *r,
                               enum gg_rec_action a, struct gg_error *err)
{
	const char *what = gg_rec_machine[a].task;
	char label[GG_TASK_LABEL_MAX * 4 + 1], link[64];

	if (!what)
		return GG_OK;
	if (strcmp(what, "close") == 0)
		return gg_task_close(db, actor, GG_TASK_recommendation_review, r->id, gg_rec_machine[a].token, NULL,
		                     err);
	snprintf(label, sizeof label, "%s \xC2\xB7 %s", r->talent_name, r->org_name); /* U+00B7 MIDDLE DOT */
	snprintf(link, sizeof link, "/recommendations/%lld", (long long)r->id);
	const struct gg_task_new t = {
	    .kind = GG_TASK_recommendation_review,
	    .subject_id = r->id,
	    .label = label,
	    .link = link,
	};
	return gg_task_open(db, actor, &t, NULL, NULL, err);
}

enum gg_err gg_recommendation_act_tx(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                     const struct gg_principal *pr, int64_t id, const struct gg_rec_request *rq,
                                     struct gg_error *err)
{
	const struct gg_rec_transition *t;
	struct gg_recommendation *r = NULL;
	struct changes c = {0};
	struct next nx;
	char tier[TIER_MAX], day_text[11];
	char *reason = NULL, *justification = NULL;
	enum gg_err rc;

	if (!actor)
		actor = &system_actor;
	if ((int)rq->action < 0 || rq->action >= GG_REC_ACTION__COUNT)
		return gg_error_set(err, GG_E_INTERNAL, "no such recommendation action");
	t = &gg_rec_machine[rq->action];
	/* approve's trace names who took it up: from the history */
	if ((rc = load(db, id, rq->action == GG_REC_APPROVE, &r, err)) != GG_OK)
		return rc;
	if ((rc = check_action(r, pr, rq->action, err)) != GG_OK)
		goto out;
	if (rq->expected_version && rq->expected_version != r->version) {
		rc = gg_error_set(err, GG_E_STALE, "recommendation %lld is at version %lld, not %lld", (long long)id,
		                  (long long)r->version, (long long)rq->expected_version);
		goto out;
	}
	if (rq->tier && !t->takes_tier) {
		rc = gg_error_field(err, GG_E_INVALID, "tier", "only approve takes a tier, not %s", t->token);
		goto out;
	}
	if ((rc = gg_text_nfkc_dup(rq->reason, "reason", GG_RECOMMENDATION_REASON_MAX, &reason, err)) != GG_OK)
		goto out;
	if (t->needs_reason && !*reason) {
		rc = gg_error_field(err, GG_E_RULE, "reason", "a reason is required to %s a recommendation", t->token);
		goto out;
	}
	next_from(r, &nx);
	if (t->to >= 0)
		nx.status = (enum gg_rec_status)t->to;
	switch (rq->action) {
	case GG_REC_EDIT:
		if (!rq->edit) {
			rc = gg_error_set(err, GG_E_INTERNAL, "an edit without changes");
			goto out;
		}
		if (rq->edit->set_tier) {
			if ((rc = tier_of(db, rq->edit->proposed_tier, "proposed_tier", tier, err)) != GG_OK)
				goto out;
			nx.proposed_tier = tier;
		}
		if (rq->edit->set_justification) {
			if ((rc = gg_text_nfkc_dup(rq->edit->justification, "justification",
			                           GG_RECOMMENDATION_JUSTIFICATION_MAX, &justification, err)) != GG_OK)
				goto out;
			nx.justification = justification;
		}
		break;
	case GG_REC_SUBMIT:
		if (!r->justification || !*r->justification) {
			rc = gg_error_field(err, GG_E_RULE, "justification",
			                    "recommendation %lld needs a justification before it is submitted",
			                    (long long)id);
			goto out;
		}
		if ((rc = take_slot(db, set, r, &nx, day_text, err)) != GG_OK)
			goto out;
		break;
	case GG_REC_WITHDRAW:
		/* withdrawn before an officer took it up: its slot is freed */
		if (r->status == GG_REC_SUBMITTED) {
			nx.quota_year = 0;
			nx.quota_seq = 0;
		}
		break;
	case GG_REC_REVIEW:
		nx.reviewer_id = actor->id;
		break;
	case GG_REC_APPROVE:
		if ((rc = tier_of(db, rq->tier ? rq->tier : r->proposed_tier, "tier", tier, err)) != GG_OK)
			goto out;
		nx.decided_tier = tier;
		nx.decision_reason = reason;
		if ((rc = recognise(db, set, actor, r, tier, reason, &nx.recognition_id, err)) != GG_OK)
			goto out;
		break;
	case GG_REC_REJECT:
	case GG_REC_RETURN:
		nx.decision_reason = reason;
		break;
	case GG_REC_ACTION__COUNT:
		break;
	}
	diff(r, &nx, &c);
	if (rq->action == GG_REC_EDIT && c.n == 0)
		goto out; /* nothing changes: nothing is written */
	if ((rc = write_next(db, r, &nx, err)) != GG_OK ||
	    (rc = add_event(db, actor, id, t->token, status_tokens[r->status], status_tokens[nx.status], reason,
	                    err)) != GG_OK)
		goto out;
	if (*reason && rq->action != GG_REC_APPROVE && rq->action != GG_REC_REJECT && rq->action != GG_REC_RETURN)
		change_text(&c, "reason", NULL, reason);
	if ((rc = audit(db, actor, t->token, id, &c, err)) != GG_OK ||
	    (rc = review_task(db, actor, r, rq->action, err)) != GG_OK)
		goto out;
out:
	free(reason);
	free(justification);
	gg_recommendation_free(r);
	return finish(rc, err);
}

enum gg_err gg_recommendation_act(struct gg_db *db, const struct gg_policyset *set, const struct gg_actor *actor,
                                  const struct gg_principal *pr, int64_t id, const struct gg_rec_request *rq,
                                  struct gg_error *err)
{
	enum gg_err rc;

	if ((rc = gg_db_begin(db, GG_DB_WRITE, err)) != GG_OK)
		return rc;
	if ((rc = gg_recommendation_act_tx(db, set, actor, pr, id, rq, err)) == GG_OK)
		return gg_db_commit(db, err);
	gg_db_rollback(db);
	return rc;
}

/* ---- the quota ---- */

enum gg_err gg_recommendation_quota(struct gg_db *db, const struct gg_policyset *set, int64_t org_id, int year,
                                    struct gg_recommendation_quota *out, struct gg_error *err)
{
	struct gg_policy_params params;
	const struct gg_pack *pack = NULL;
	const struct gg_pack_version *ver = NULL;
	int64_t now_day, day, used = 0;
	int found = 0;
	enum gg_err rc;

	memset(out, 0, sizeof *out);
	if (year < 1970 || year > 9999)
		return gg_error_field(err, GG_E_INVALID, "year", "year must be a whole number from 1970 to 9999");
	if ((rc = gg_policyset_need(set, err)) != GG_OK || (rc = gg_clock_today(&now_day, err)) != GG_OK)
		return rc;
	day = year == year_of(now_day)  ? now_day
	      : year < year_of(now_day) ? gg_clock_days_from_civil(year, 12, 31)
	                                : gg_clock_days_from_civil(year, 1, 1);
	if ((rc = gg_policyset_params_on(set, NULL, day, &params, &pack, &ver, err)) != GG_OK)
		return finish(rc, err);
	if ((rc = gg_db_begin(db, GG_DB_READ, err)) != GG_OK)
		return rc;
	rc = org_name_of(db, org_id, out->org_name, sizeof out->org_name, err);
	if (rc == GG_E_NOT_FOUND)
		rc = gg_error_field(err, GG_E_NOT_FOUND, "org", "unknown organisation %lld", (long long)org_id);
	const int64_t args[] = {org_id, year};
	if (rc == GG_OK)
		rc = gg_db_query_i64(db, "SELECT COUNT(*) FROM recommendations WHERE org_id = ? AND quota_year = ?",
		                     args, 2, &used, &found, err);
	gg_db_rollback(db);
	if (rc != GG_OK)
		return finish(rc, err);
	out->org_id = org_id;
	out->year = year;
	out->quota = ver->recommendation_quota;
	out->used = used;
	out->remaining = used < out->quota ? out->quota - used : 0;
	gg_strlcpy(out->pack, pack->name, sizeof out->pack);
	gg_strlcpy(out->version, ver->version, sizeof out->version);
	gg_clock_day_text(day, out->on);
	return GG_OK;
}
