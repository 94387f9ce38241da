/*
 * 0013_plan_cancel: the record of a plan cancelled when employment ended
 * (issue 6, src/domain/plan.c, docs/ledger.md): the day employment ended,
 * the officer's reason, who and when. One per plan; never changed or
 * deleted. The plan's status says cancelled; its installments not yet
 * accepted or paid lapse in the same transaction.
 */
CREATE TABLE plan_cancellations (
	plan_id INTEGER PRIMARY KEY REFERENCES subsidy_plans (id),
	ended_on TEXT NOT NULL CHECK (length(ended_on) = 10),
	reason TEXT NOT NULL CHECK (length(reason) > 0),
	lapsed INTEGER NOT NULL CHECK (lapsed >= 0),
	cancelled_by INTEGER REFERENCES users (id),
	cancelled_at INTEGER NOT NULL
);
CREATE TRIGGER plan_cancellations_no_update BEFORE UPDATE ON plan_cancellations
BEGIN
	SELECT RAISE(ABORT, 'a plan cancellation is never changed');
END;
CREATE TRIGGER plan_cancellations_no_delete BEFORE DELETE ON plan_cancellations
BEGIN
	SELECT RAISE(ABORT, 'a plan cancellation is never deleted');
END;
