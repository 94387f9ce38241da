/*
 * 0007_tasks: the "my tasks" inbox (src/domain/task.c) and the pairs of
 * talents an officer has declared different people (src/domain/dedup.c).
 * Numbered 0007 while 0006 is taken by another change: migrate.c applies
 * whatever a database has not recorded, in version order, so a gap and a
 * later 0006 are both fine.
 *
 * A task is a piece of work waiting for people: its kind (a token of
 * src/domain/task.tbl), the record it is about (subject_type, subject_id),
 * a short label from the data, the UI path that opens it, and who sees it:
 * the holders of permission perm (a token of perm.tbl), only those whose
 * role is scoped to scope_kind:scope_id when the task has a scope (NULL:
 * unscoped holders), and the one assignee user_id when set. Closed tasks
 * stay, with who closed them, when and why. At most one task of a kind is
 * open per subject, so features open tasks idempotently.
 */
CREATE TABLE tasks (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	subject_type TEXT NOT NULL,
	subject_id INTEGER NOT NULL,
	label TEXT NOT NULL,
	link TEXT NOT NULL,
	perm TEXT NOT NULL,
	scope_kind TEXT CHECK (scope_kind IN ('org', 'station', 'talent')),
	scope_id INTEGER CHECK (scope_id > 0),
	user_id INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	due_on TEXT,
	closed_at INTEGER,
	closed_by INTEGER,
	close_reason TEXT,
	CHECK ((scope_kind IS NULL AND scope_id IS NULL) OR (scope_kind IS NOT NULL AND scope_id IS NOT NULL)),
	CHECK ((closed_at IS NULL) = (close_reason IS NULL))
);
CREATE UNIQUE INDEX tasks_open_subject ON tasks (kind, subject_type, subject_id) WHERE closed_at IS NULL;
/* the inbox: open tasks oldest first, closed tasks newest closed first */
CREATE INDEX tasks_open ON tasks (created_at, id) WHERE closed_at IS NULL;
CREATE INDEX tasks_closed ON tasks (closed_at, id) WHERE closed_at IS NOT NULL;
CREATE INDEX tasks_user ON tasks (user_id) WHERE user_id IS NOT NULL;

/*
 * Likely-duplicate pairs reviewed and found to be two people: the pair
 * (a < b) leaves the duplicates list and opens no review task again.
 * created_by is the account (NULL for the command line).
 */
CREATE TABLE duplicate_dismissals (
	id INTEGER PRIMARY KEY,
	a INTEGER NOT NULL REFERENCES talents (id),
	b INTEGER NOT NULL REFERENCES talents (id),
	note TEXT,
	created_at INTEGER NOT NULL,
	created_by INTEGER,
	CHECK (a < b),
	UNIQUE (a, b)
);

/*
 * The duplicates of one record (gg_dedup_of, run on every talent write)
 * are indexed lookups: name and birth date, pinyin and birth date, phone
 * and e-mail blind indexes have their index (0004); the same name at the
 * same organisation needs this one, else a common name reads every
 * record of that name.
 */
CREATE INDEX talents_name_org ON talents (name, org_id);
