/*
 * 0010_recommendations: the recruitment list (光谷招聘名单, DOMAIN.md
 * programme 2) and the bureau's decisions on strategic scientists
 * (一事一议), src/domain/recommendation.c and strategic.c.
 *
 * A recommendation is an employer's proposal that one talent be
 * recognised at a tier, with its justification; it moves through the
 * states of the state machine in recommendation.c (draft, submitted,
 * under_review, approved, rejected, returned, withdrawn). submitted_on is
 * the civil day of its first submission; quota_year the calendar year of
 * that day, the slot it takes of the employer's annual quota: NULL while
 * a draft was never submitted, and set back to NULL when it is withdrawn
 * before an officer took it up (its slot is freed), so the quota used by
 * an employer in a year is the count of its rows with that quota_year. A
 * returned and resubmitted one keeps its first year (it counts once); a
 * rejected one keeps it (it still counts). quota_limit, quota_pack and
 * quota_version name the recommendation_quota and the policy version in
 * force on the day of the first submission, quota_seq the number of the
 * slot it took (1 for the first of the year). decision_reason is the
 * reason of the last decision (approve, reject, return); every action
 * and its reason stay in recommendation_events. version grows with every
 * change (If-Match). Times are epoch seconds; created_by, reviewer_id
 * NULL for the command line.
 */
CREATE TABLE recommendations (
	id INTEGER PRIMARY KEY,
	org_id INTEGER NOT NULL REFERENCES orgs (id),
	talent_id INTEGER NOT NULL REFERENCES talents (id),
	proposed_tier TEXT NOT NULL REFERENCES tiers (token),
	justification TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'submitted', 'under_review', 'approved', 'rejected', 'returned', 'withdrawn')),
	submitted_on TEXT CHECK (submitted_on IS NULL OR length(submitted_on) = 10),
	quota_year INTEGER CHECK (quota_year IS NULL OR quota_year BETWEEN 1970 AND 9999),
	quota_limit INTEGER CHECK (quota_limit IS NULL OR quota_limit >= 0),
	quota_pack TEXT,
	quota_version TEXT,
	quota_seq INTEGER CHECK (quota_seq IS NULL OR quota_seq >= 1),
	decided_tier TEXT REFERENCES tiers (token),
	decision_reason TEXT,
	reviewer_id INTEGER REFERENCES users (id),
	recognition_id INTEGER REFERENCES recognitions (id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id),
	updated_at INTEGER NOT NULL,
	/* a draft never counts; from submission on, a live or decided one holds its slot */
	CHECK (status <> 'draft' OR quota_year IS NULL),
	CHECK (status NOT IN ('submitted', 'under_review', 'approved', 'rejected', 'returned')
	       OR (quota_year IS NOT NULL AND submitted_on IS NOT NULL)),
	/* approved: recognised at the decided tier; every decision has its reason */
	CHECK ((status = 'approved') = (recognition_id IS NOT NULL)),
	CHECK (status <> 'approved' OR decided_tier IS NOT NULL),
	CHECK (status NOT IN ('approved', 'rejected', 'returned') OR length(decision_reason) > 0)
);
/* a talent has at most one live recommendation per employer */
CREATE UNIQUE INDEX recommendations_live ON recommendations (org_id, talent_id)
	WHERE status IN ('draft', 'submitted', 'under_review', 'returned');
/* the quota: the slots an employer holds in a year */
CREATE INDEX recommendations_quota ON recommendations (org_id, quota_year) WHERE quota_year IS NOT NULL;
/* the lists: newest first, by employer, by status, by talent */
CREATE INDEX recommendations_org ON recommendations (org_id, id);
CREATE INDEX recommendations_status ON recommendations (status, id);
CREATE INDEX recommendations_talent ON recommendations (talent_id, id);

/*
 * The history of a recommendation: one row per action (create, edit and
 * the actions of the state machine), with the states before and after,
 * the reason given, and who acted (actor_id NULL for the command line).
 */
CREATE TABLE recommendation_events (
	id INTEGER PRIMARY KEY,
	recommendation_id INTEGER NOT NULL REFERENCES recommendations (id),
	action TEXT NOT NULL
		CHECK (action IN ('create', 'edit', 'submit', 'withdraw', 'review', 'approve', 'reject', 'return')),
	from_status TEXT,
	to_status TEXT NOT NULL,
	reason TEXT,
	actor_id INTEGER REFERENCES users (id),
	actor_name TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX recommendation_events_rec ON recommendation_events (recommendation_id, id);

/*
 * A strategic scientist recognised by a bureau decision (一事一议): the
 * day it was taken, its rationale, and the support package agreed case by
 * case: a total in fen within the strategic cap of the policy version in
 * force on that day, optionally broken down into items (strategic_items,
 * in order) whose amounts add up to the total. recognition_id and plan_id
 * are the recognition and the strategic subsidy plan written in the same
 * transaction. One decision per talent.
 */
CREATE TABLE strategic_decisions (
	id INTEGER PRIMARY KEY,
	talent_id INTEGER NOT NULL REFERENCES talents (id),
	decided_on TEXT NOT NULL CHECK (length(decided_on) = 10),
	rationale TEXT NOT NULL CHECK (length(rationale) > 0),
	package_total_fen INTEGER NOT NULL CHECK (package_total_fen > 0),
	recognition_id INTEGER REFERENCES recognitions (id),
	plan_id INTEGER REFERENCES subsidy_plans (id),
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX strategic_decisions_talent ON strategic_decisions (talent_id);

CREATE TABLE strategic_items (
	decision_id INTEGER NOT NULL REFERENCES strategic_decisions (id),
	position INTEGER NOT NULL CHECK (position >= 1),
	title TEXT NOT NULL CHECK (length(title) > 0),
	amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
	PRIMARY KEY (decision_id, position)
);
