/*
 * task: the inbox's rows. Opening looks for the open task of the kind and
 * subject first (the partial unique index answers), so a feature may call
 * it on every write; closing stamps the open one. Lists are read with a
 * query built from the principal's grants: one "perm = ?" per permission
 * held without scope, one "(perm, scope)" per scoped grant, and the
 * caller's own assignments, so an inbox page is one ordered range of a
 * partial index however many tasks other people have.
 */
#include "task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/text.h"

const struct gg_task_kind_def gg_task_kinds[GG_TASK__COUNT] = {
#define GG_TASK(tok, perm, subject, zh, en) {#tok, GG_PERM_##perm, subject, zh, en},
#include "task.tbl"
#undef GG_TASK
};

#define BINDS_MAX (2 + GG_TASK__COUNT * GG_PRINCIPAL_ROLES_MAX * 3 + 8)

int gg_task_kind_lookup(const char *token)
{
	for (int k = 0; token && k < GG_TASK__COUNT; k++)
		if (strcmp(gg_task_kinds[k].token, token) == 0)
			return k;
	return -1;
}

static enum gg_err finish(enum gg_err rc, struct gg_error *err)
{
	if (rc != GG_OK && err && err->code == GG_OK)
		gg_error_set(err, rc, NULL);
	return rc;
}

static enum gg_err audit(struct gg_db *db, const struct gg_actor *actor, const char *action, int64_t id,
                         const struct gg_audit_change *changes, size_t n, struct gg_error *err)
{
	return gg_audit_by(db, actor, action, "task", id, changes, n, err);
}

/* The id of the open task of kind about subject_id into *id (0: none). */
static enum gg_err open_id(struct gg_db *db, enum gg_task_kind kind, int64_t subject_id, int64_t *id,
                           struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	*id = 0;
	rc = gg_db_prepare(db,
	                   "SELECT id FROM tasks WHERE kind = ? AND subject_type = ? AND subject_id = ?"
	                   " AND closed_at IS NULL",
	                   &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_text(st, 1, gg_task_kinds[kind].token)) == GG_OK &&
	    (rc = gg_db_bind_text(st, 2, gg_task_kinds[kind].subject)) == GG_OK &&
	    (rc = gg_db_bind_i64(st, 3, subject_id)) == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row)
		*id = gg_db_col_i64(st, 0);
	gg_db_done(st);
	return rc;
}

static int date_shape(const char *s)
{
	int64_t t;

	return strlen(s) == 10 && gg_clock_parse_iso(s, &t) == 0;
}

enum gg_err gg_task_open(struct gg_db *db, const struct gg_actor *actor, const struct gg_task_new *t, int64_t *id,
                         int *opened, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	char subject[48];
	int64_t tid = 0, now = gg_clock_now();
	size_t label_chars;
	int row = 0;
	enum gg_err rc;

	if (id)
		*id = 0;
	if (opened)
		*opened = 0;
	if ((int)t->kind < 0 || t->kind >= GG_TASK__COUNT || t->subject_id <= 0)
		return gg_error_set(err, GG_E_INTERNAL, "no such task kind or subject");
	label_chars = t->label ? gg_text_length(t->label) : 0;
	if (label_chars == 0 || label_chars > GG_TASK_LABEL_MAX || strlen(t->label) > GG_TASK_LABEL_MAX * 4)
		return gg_error_field(err, GG_E_INVALID, "label", "a task's label has 1 to %d characters",
		                      GG_TASK_LABEL_MAX);
	if (!t->link || t->link[0] != '/' || strlen(t->link) > GG_TASK_LINK_MAX)
		return gg_error_field(err, GG_E_INVALID, "link", "a task's link is a path of at most %d bytes",
		                      GG_TASK_LINK_MAX);
	if (t->due_on && !date_shape(t->due_on))
		return gg_error_field(err, GG_E_INVALID, "due_on", "due_on must be a date YYYY-MM-DD");
	if ((rc = open_id(db, t->kind, t->subject_id, &tid, err)) != GG_OK)
		return finish(rc, err);
	if (tid) {
		if (id)
			*id = tid;
		return GG_OK;
	}
	rc = gg_db_prepare(db,
	                   "INSERT INTO tasks (kind, subject_type, subject_id, label, link, perm, scope_kind, scope_id,"
	                   " user_id, created_at, due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 1, gg_task_kinds[t->kind].token);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 2, gg_task_kinds[t->kind].subject);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 3, t->subject_id);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 4, t->label);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 5, t->link);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 6, gg_perm_token(gg_task_kinds[t->kind].perm));
	if (rc == GG_OK)
		rc = t->scope_kind == GG_SCOPE_NONE ? gg_db_bind_null(st, 7)
		                                    : gg_db_bind_text(st, 7, gg_scope_kind_token(t->scope_kind));
	if (rc == GG_OK)
		rc = t->scope_kind == GG_SCOPE_NONE ? gg_db_bind_null(st, 8) : gg_db_bind_i64(st, 8, t->scope_id);
	if (rc == GG_OK)
		rc = t->user_id > 0 ? gg_db_bind_i64(st, 9, t->user_id) : gg_db_bind_null(st, 9);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 10, now);
	if (rc == GG_OK)
		rc = t->due_on ? gg_db_bind_text(st, 11, t->due_on) : gg_db_bind_null(st, 11);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && !row)
		rc = gg_error_set(err, GG_E_DB, "insert into tasks returned no id");
	if (rc == GG_OK)
		tid = gg_db_col_i64(st, 0);
	gg_db_done(st);
	if (rc != GG_OK)
		return finish(rc, err);
	snprintf(subject, sizeof subject, "%s:%lld", gg_task_kinds[t->kind].subject, (long long)t->subject_id);
	const struct gg_audit_change changes[] = {
	    {"kind", NULL, gg_task_kinds[t->kind].token},
	    {"subject", NULL, subject},
	    {"label", NULL, t->label},
	};
	if ((rc = audit(db, actor, "task.open", tid, changes, sizeof changes / sizeof changes[0], err)) != GG_OK)
		return finish(rc, err);
	if (id)
		*id = tid;
	if (opened)
		*opened = 1;
	return GG_OK;
}

enum gg_err gg_task_close(struct gg_db *db, const struct gg_actor *actor, enum gg_task_kind kind, int64_t subject_id,
                          const char *reason, int *closed, struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int64_t tid = 0, now = gg_clock_now();
	int row = 0;
	enum gg_err rc;

	if (closed)
		*closed = 0;
	if ((int)kind < 0 || kind >= GG_TASK__COUNT)
		return gg_error_set(err, GG_E_INTERNAL, "no such task kind");
	if (!reason || !*reason || strlen(reason) > GG_TASK_REASON_MAX)
		return gg_error_field(err, GG_E_INVALID, "reason", "a task's close reason has 1 to %d bytes",
		                      GG_TASK_REASON_MAX);
	if ((rc = open_id(db, kind, subject_id, &tid, err)) != GG_OK || !tid)
		return finish(rc, err);
	rc =
	    gg_db_prepare(db, "UPDATE tasks SET closed_at = ?, closed_by = ?, close_reason = ? WHERE id = ?", &st, err);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 1, now);
	if (rc == GG_OK)
		rc = actor->id > 0 ? gg_db_bind_i64(st, 2, actor->id) : gg_db_bind_null(st, 2);
	if (rc == GG_OK)
		rc = gg_db_bind_text(st, 3, reason);
	if (rc == GG_OK)
		rc = gg_db_bind_i64(st, 4, tid);
	if (rc == GG_OK)
		rc = gg_db_step(st, &row, err);
	gg_db_done(st);
	if (rc != GG_OK)
		return finish(rc, err);
	const struct gg_audit_change changes[] = {
	    {"status", "open", "closed"},
	    {"close_reason", NULL, reason},
	};
	if ((rc = audit(db, actor, "task.close", tid, changes, sizeof changes / sizeof changes[0], err)) != GG_OK)
		return finish(rc, err);
	if (closed)
		*closed = 1;
	return GG_OK;
}

/* ---- reading ---- */

/* A query being built: its text and its parameters in order. */
struct query {
	struct gg_buf sql;
	struct {
		const char *text; /* NULL: the number */
		int64_t num;
	} binds[BINDS_MAX];
	int nbinds;
};

static enum gg_err bind_num(struct query *q, int64_t v)
{
	if (q->nbinds >= BINDS_MAX)
		return GG_E_INTERNAL;
	q->binds[q->nbinds].text = NULL;
	q->binds[q->nbinds++].num = v;
	return GG_OK;
}

static enum gg_err bind_text(struct query *q, const char *s)
{
	if (q->nbinds >= BINDS_MAX)
		return GG_E_INTERNAL;
	q->binds[q->nbinds++].text = s;
	return GG_OK;
}

/*
 * "(user_id = ? OR perm = ? OR (perm = ? AND scope_kind = ? AND scope_id = ?) ...)":
 * the tasks pr sees. A permission held through an unscoped role makes its
 * scoped grants of the same permission needless.
 */
static enum gg_err add_visible(struct query *q, const struct gg_principal *pr)
{
	int seen[GG_PERM__COUNT] = {0};
	enum gg_err rc;

	if ((rc = gg_buf_adds(&q->sql, "(user_id = ?")) != GG_OK || (rc = bind_num(q, pr->user_id)) != GG_OK)
		return rc;
	for (int k = 0; k < GG_TASK__COUNT; k++) {
		enum gg_perm p = gg_task_kinds[k].perm;
		int unscoped = 0;

		if (seen[p]++)
			continue;
		for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++)
			if (gg_role_grants(pr->roles[i].role, p) && pr->roles[i].scope_kind == GG_SCOPE_NONE)
				unscoped = 1;
		if (unscoped) {
			if ((rc = gg_buf_adds(&q->sql, " OR perm = ?")) != GG_OK ||
			    (rc = bind_text(q, gg_perm_token(p))) != GG_OK)
				return rc;
			continue;
		}
		for (size_t i = 0; i < pr->nroles && i < GG_PRINCIPAL_ROLES_MAX; i++) {
			const struct gg_role_grant *g = &pr->roles[i];
			if (!gg_role_grants(g->role, p))
				continue;
			if ((rc = gg_buf_adds(&q->sql, " OR (perm = ? AND scope_kind = ? AND scope_id = ?)")) !=
			        GG_OK ||
			    (rc = bind_text(q, gg_perm_token(p))) != GG_OK ||
			    (rc = bind_text(q, gg_scope_kind_token(g->scope_kind))) != GG_OK ||
			    (rc = bind_num(q, g->scope_id)) != GG_OK)
				return rc;
		}
	}
	return gg_buf_addch(&q->sql, ')');
}

static enum gg_err prepare(struct gg_db *db, struct query *q, struct gg_stmt **st, struct gg_error *err)
{
	enum gg_err rc = gg_db_prepare(db, q->sql.buf, st, err);

	for (int i = 0; rc == GG_OK && i < q->nbinds; i++)
		rc = q->binds[i].text ? gg_db_bind_text(*st, i + 1, q->binds[i].text)
		                      : gg_db_bind_i64(*st, i + 1, q->binds[i].num);
	return rc;
}

static void copy_text(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

/* The cursor's task: its created_at and closed_at (0: open); GG_E_INVALID when no task of this list. */
static enum gg_err cursor_row(struct gg_db *db, int64_t id, int closed, int64_t *created, int64_t *closed_at,
                              struct gg_error *err)
{
	struct gg_stmt *st = NULL;
	int row = 0;
	enum gg_err rc;

	rc = gg_db_prepare(db, "SELECT created_at, closed_at FROM tasks WHERE id = ?", &st, err);
	if (rc == GG_OK && (rc = gg_db_bind_i64(st, 1, id)) == GG_OK)
		rc = gg_db_step(st, &row, err);
	if (rc == GG_OK && row) {
		*created = gg_db_col_i64(st, 0);
		*closed_at = gg_db_col_is_null(st, 1) ? 0 : gg_db_col_i64(st, 1);
	}
	gg_db_done(st);
	if (rc == GG_OK && (!row || (closed && !*closed_at)))
		rc = gg_error_field(err, GG_E_INVALID, "cursor", "cursor is not one of this list's cursors");
	return rc;
}

enum gg_err gg_task_list(struct gg_db *db, const struct gg_principal *pr, const struct gg_task_filter *f,
                         struct gg_task **out, size_t *n, int *more, struct gg_error *err)
{
	struct gg_task *items = NULL;
	struct gg_stmt *st = NULL;
	struct query *q = NULL;
	int64_t now = gg_clock_now(), today = 0, cur_created = 0, cur_closed = 0;
	size_t k = 0;
	int row = 1;
	enum gg_err rc = GG_OK;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (f->limit < 1 || f->limit > GG_TASK_LIMIT_MAX)
		return gg_error_field(err, GG_E_INVALID, "limit", "limit must be 1 to %d", GG_TASK_LIMIT_MAX);
	if (f->older_than_days < -1 || f->older_than_days > GG_TASK_DAYS_MAX)
		return gg_error_field(err, GG_E_INVALID, "older_than_days", "older_than_days must be 0 to %d",
		                      GG_TASK_DAYS_MAX);
	if (gg_clock_local_day(f->timezone, now, &today) != 0)
		return gg_error_set(err, GG_E_CONFIG, "unknown time zone '%s'", f->timezone ? f->timezone : "");
	if (f->after_id && (rc = cursor_row(db, f->after_id, f->closed, &cur_created, &cur_closed, err)) != GG_OK)
		return rc;
	if (!(q = calloc(1, sizeof *q)) || !(items = calloc((size_t)f->limit + 1, sizeof *items))) {
		rc = gg_error_set(err, GG_E_NOMEM, NULL);
		goto out;
	}
	gg_buf_init(&q->sql, 4096);
	rc = gg_buf_adds(&q->sql, "SELECT id, kind, subject_id, label, link, created_at, due_on, closed_at, closed_by,"
	                          " close_reason FROM tasks WHERE ");
	if (rc == GG_OK)
		rc = gg_buf_adds(&q->sql, f->closed ? "closed_at IS NOT NULL AND " : "closed_at IS NULL AND ");
	if (rc == GG_OK)
		rc = add_visible(q, pr);
	if (rc == GG_OK && f->kind >= 0 && f->kind < GG_TASK__COUNT) {
		rc = gg_buf_adds(&q->sql, " AND kind = ?");
		if (rc == GG_OK)
			rc = bind_text(q, gg_task_kinds[f->kind].token);
	}
	if (rc == GG_OK && f->older_than_days >= 0) {
		int64_t before = 0; /* age_days > N: opened before the first instant of day today - N */
		if (gg_clock_day_start(f->timezone, today - f->older_than_days, &before) != 0)
			rc = gg_error_set(err, GG_E_CONFIG, "unknown time zone '%s'", f->timezone);
		else if ((rc = gg_buf_adds(&q->sql, " AND created_at < ?")) == GG_OK)
			rc = bind_num(q, before);
	}
	if (rc == GG_OK && f->after_id) {
		int64_t key = f->closed ? cur_closed : cur_created;
		rc = gg_buf_adds(&q->sql, f->closed ? " AND (closed_at < ? OR (closed_at = ? AND id < ?))"
		                                    : " AND (created_at > ? OR (created_at = ? AND id > ?))");
		if (rc == GG_OK)
			rc = bind_num(q, key);
		if (rc == GG_OK)
			rc = bind_num(q, key);
		if (rc == GG_OK)
			rc = bind_num(q, f->after_id);
	}
	if (rc == GG_OK)
		rc = gg_buf_adds(&q->sql, f->closed ? " ORDER BY closed_at DESC, id DESC LIMIT ?"
		                                    : " ORDER BY created_at, id LIMIT ?");
	if (rc == GG_OK)
		rc = bind_num(q, f->limit + 1);
	if (rc == GG_OK)
		rc = prepare(db, q, &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		struct gg_task *t = &items[k];
		int64_t day = 0;
		int kind = gg_task_kind_lookup(gg_db_col_text(st, 1));

		if (k == (size_t)f->limit) {
			*more = 1;
			break;
		}
		if (kind < 0) {
			rc = gg_error_set(err, GG_E_DB, "task %lld has an unknown kind",
			                  (long long)gg_db_col_i64(st, 0));
			break;
		}
		t->id = gg_db_col_i64(st, 0);
		t->kind = (enum gg_task_kind)kind;
		t->subject_id = gg_db_col_i64(st, 2);
		copy_text(t->label, sizeof t->label, gg_db_col_text(st, 3));
		copy_text(t->link, sizeof t->link, gg_db_col_text(st, 4));
		t->created_at = gg_db_col_i64(st, 5);
		copy_text(t->due_on, sizeof t->due_on, gg_db_col_text(st, 6));
		t->closed_at = gg_db_col_is_null(st, 7) ? 0 : gg_db_col_i64(st, 7);
		t->closed_by = gg_db_col_is_null(st, 8) ? 0 : gg_db_col_i64(st, 8);
		copy_text(t->close_reason, sizeof t->close_reason, gg_db_col_text(st, 9));
		if (gg_clock_local_day(f->timezone, t->created_at, &day) != 0) {
			rc = gg_error_set(err, GG_E_CONFIG, "unknown time zone '%s'", f->timezone);
			break;
		}
		t->age_days = today - day;
		k++;
	}
	gg_db_done(st);
	if (rc == GG_E_INTERNAL && err->code == GG_OK)
		rc = gg_error_set(err, GG_E_INTERNAL, "too many grants for one inbox query");
out:
	if (q)
		gg_buf_release(&q->sql);
	free(q);
	if (rc != GG_OK) {
		free(items);
		return finish(rc, err);
	}
	*out = items;
	*n = k;
	return GG_OK;
}

enum gg_err gg_task_summary(struct gg_db *db, const struct gg_principal *pr, struct gg_task_count out[GG_TASK__COUNT],
                            size_t *n, int64_t *open, struct gg_error *err)
{
	struct gg_task_count by[GG_TASK__COUNT];
	struct gg_stmt *st = NULL;
	struct query *q;
	int row = 1;
	enum gg_err rc;

	*n = 0;
	*open = 0;
	memset(by, 0, sizeof by);
	if (!(q = calloc(1, sizeof *q)))
		return gg_error_set(err, GG_E_NOMEM, NULL);
	gg_buf_init(&q->sql, 4096);
	rc = gg_buf_adds(&q->sql, "SELECT kind, COUNT(*), MIN(created_at) FROM tasks WHERE closed_at IS NULL AND ");
	if (rc == GG_OK)
		rc = add_visible(q, pr);
	if (rc == GG_OK)
		rc = gg_buf_adds(&q->sql, " GROUP BY kind");
	if (rc == GG_OK)
		rc = prepare(db, q, &st, err);
	while (rc == GG_OK && (rc = gg_db_step(st, &row, err)) == GG_OK && row) {
		int kind = gg_task_kind_lookup(gg_db_col_text(st, 0));
		if (kind < 0) {
			rc = gg_error_set(err, GG_E_DB, "a task has an unknown kind '%s'", gg_db_col_text(st, 0));
			break;
		}
		by[kind].count = gg_db_col_i64(st, 1);
		by[kind].oldest_created_at = gg_db_col_i64(st, 2);
	}
	gg_db_done(st);
	gg_buf_release(&q->sql);
	free(q);
	if (rc == GG_E_INTERNAL && err->code == GG_OK)
		rc = gg_error_set(err, GG_E_INTERNAL, "too many grants for one inbox query");
	if (rc != GG_OK)
		return finish(rc, err);
	for (int k = 0; k < GG_TASK__COUNT; k++) {
		if (!by[k].count)
			continue;
		by[k].kind = (enum gg_task_kind)k;
		out[(*n)++] = by[k];
		*open += by[k].count;
	}
	return GG_OK;
}
