/*
 * task: the "my tasks" inbox. A task is a piece of work waiting for
 * people: of a kind (task.tbl), about one record (subject type and id),
 * with a short label taken from the data (not translated) and the UI path
 * that opens it. Who sees a task: the holders of its kind's permission
 * (an unscoped holder every task of it; a holder through a role scoped to
 * org:3 only the tasks scoped to org:3; a task without scope is for
 * unscoped holders), and its one assignee when it has one.
 *
 * Features feed the inbox from their own write transactions: gg_task_open
 * when a record starts waiting for someone, gg_task_close when it stops.
 * At most one task of a kind is open per subject (a partial unique index),
 * so opening is idempotent and a feature need not remember what it opened.
 *
 * Audit: opening and closing each write their own audit row (task.open,
 * task.close; entity "task", the task's id) in the caller's transaction,
 * next to the row of the change that caused them (same actor and request
 * id). Their own row rather than only the cause's: a task has an id and a
 * life of its own, read through the inbox, so "who closed task 7, when and
 * why" is one lookup by entity whichever feature closed it, and the
 * causes' rows (talent.create, talent.merge, ...) stay as they are. Tasks
 * open only when a record needs a person, so bulk writes that open none
 * (an import of distinct people) pay nothing for it.
 */
#ifndef GG_TASK_H
#define GG_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "../store/db.h"
#include "audit.h"
#include "role.h"

enum gg_task_kind {
#define GG_TASK(tok, perm, subject, zh, en) GG_TASK_##tok,
#include "task.tbl"
#undef GG_TASK
	GG_TASK__COUNT
};

struct gg_task_kind_def {
	const char *token;
	enum gg_perm perm;   /* who sees tasks of the kind */
	const char *subject; /* the subject type: "talent" */
	const char *zh, *en;
};
extern const struct gg_task_kind_def gg_task_kinds[GG_TASK__COUNT];

/** The kind a token names; -1 when unknown. */
int gg_task_kind_lookup(const char *token);

#define GG_TASK_LABEL_MAX  200 /* characters */
#define GG_TASK_LINK_MAX   255 /* bytes */
#define GG_TASK_REASON_MAX 32  /* bytes */
#define GG_TASK_LIMIT_MAX  200
#define GG_TASK_DAYS_MAX   3650

/* A task to open. Strings are borrowed. */
struct gg_task_new {
	enum gg_task_kind kind;
	int64_t subject_id;
	const char *label;             /* 1..GG_TASK_LABEL_MAX characters */
	const char *link;              /* a UI path: "/talents/duplicates?talent=12" */
	enum gg_scope_kind scope_kind; /* GG_SCOPE_NONE: for the permission's unscoped holders */
	int64_t scope_id;
	int64_t user_id;    /* the one assignee; 0: none */
	const char *due_on; /* YYYY-MM-DD; NULL: none */
};

/**
 * Opens a task of t->kind about t->subject_id inside the caller's write
 * transaction, with its audit row (task.open by actor). When one is open
 * for that kind and subject already it is left as it is: *id gets its id
 * and *opened 0 (both may be NULL). GG_E_INVALID for a label or link out
 * of bounds or a malformed due date.
 */
enum gg_err gg_task_open(struct gg_db *db, const struct gg_actor *actor, const struct gg_task_new *t, int64_t *id,
                         int *opened, struct gg_error *err);

/**
 * Closes the open task of kind about subject_id inside the caller's write
 * transaction: closed now by actor (closed_by: actor->id, none for 0) for
 * reason (a short token of the caller's: "merged", "dismissed",
 * "changed"), with its audit row (task.close). No task open: nothing is
 * written and *closed (may be NULL) is 0.
 */
enum gg_err gg_task_close(struct gg_db *db, const struct gg_actor *actor, enum gg_task_kind kind, int64_t subject_id,
                          const char *reason, int *closed, struct gg_error *err);

/* One task as the inbox shows it. */
struct gg_task {
	int64_t id;
	enum gg_task_kind kind;
	int64_t subject_id; /* of the kind's subject type */
	char label[GG_TASK_LABEL_MAX * 4 + 1];
	char link[GG_TASK_LINK_MAX + 1];
	int64_t created_at;
	int64_t age_days;  /* civil days from the day it opened to today, in the filter's time zone */
	char due_on[11];   /* "" when none */
	int64_t closed_at; /* 0 while open */
	int64_t closed_by; /* account id; 0 while open or when the system closed it */
	char close_reason[GG_TASK_REASON_MAX + 1];
};

struct gg_task_filter {
	int closed;           /* 0: open tasks, oldest first (created_at, id); 1: closed ones, newest closed first */
	int kind;             /* an enum gg_task_kind, or -1 for every kind */
	int older_than_days;  /* -1: any age; else 0..GG_TASK_DAYS_MAX, only tasks whose age_days is above it */
	int64_t after_id;     /* cursor: the id of the previous page's last task; 0: the first page */
	int limit;            /* 1..GG_TASK_LIMIT_MAX */
	const char *timezone; /* the `timezone` setting: decides the days */
};

/**
 * One page of the tasks pr sees (module comment): at most f->limit into
 * *out (free()), *n of them, *more 1 when more follow. GG_E_INVALID on
 * field "limit", "older_than_days" or "cursor" (an id that is no task of
 * this list's status); GG_E_CONFIG when the time zone is unknown.
 */
enum gg_err gg_task_list(struct gg_db *db, const struct gg_principal *pr, const struct gg_task_filter *f,
                         struct gg_task **out, size_t *n, int *more, struct gg_error *err);

/* The open tasks of one kind that a principal sees. */
struct gg_task_count {
	enum gg_task_kind kind;
	int64_t count;
	int64_t oldest_created_at;
};

/**
 * The open tasks pr sees: *open in all, and per kind that has any (in
 * task.tbl order) into out, *n of them.
 */
enum gg_err gg_task_summary(struct gg_db *db, const struct gg_principal *pr, struct gg_task_count out[GG_TASK__COUNT],
                            size_t *n, int64_t *open, struct gg_error *err);

#endif
