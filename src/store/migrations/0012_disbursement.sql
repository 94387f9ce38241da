/*
 * 0012_disbursement: annual verification, evidence files, payees, payment
 * runs and their payments, bank result imports, clawbacks, strategic
 * tranches and idempotency keys (issue 6; src/domain/verification.c,
 * file.c, payee.c, payrun.c, ledger.c; docs/ledger.md).
 *
 * The journal's kinds become data (journal_kinds) instead of a CHECK, so
 * the tables of 0011 are rebuilt once, rows kept, with the same checks and
 * triggers: lines first under the entry's id, then the balanced entry.
 */
CREATE TABLE journal_kinds (
	token TEXT PRIMARY KEY,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL
);
INSERT INTO journal_kinds (token, name_zh, name_en) VALUES
	('appropriation', '资金拨入', 'Appropriation'),      -- Dr available / Cr appropriations
	('commitment', '承诺', 'Commitment'),                -- Dr committed / Cr available
	('release', '释放承诺', 'Release'),                   -- Dr available / Cr committed (replaced, cancelled, lapsed, priced below plan)
	('approval', '支付审批', 'Payment approval'),         -- Dr approved / Cr committed (or Cr available when uncommitted)
	('payment', '支付', 'Payment'),                       -- Dr paid / Cr approved
	('payment_failed', '支付失败', 'Payment failed'),     -- Dr committed / Cr approved (failed or returned before paid)
	('payment_returned', '支付退回', 'Payment returned'), -- Dr committed / Cr paid (returned after paid)
	('clawback', '追回', 'Clawback');                     -- Dr available / Cr paid
CREATE TRIGGER journal_kinds_no_change BEFORE UPDATE ON journal_kinds
BEGIN
	SELECT RAISE(ABORT, 'journal kinds are fixed');
END;
CREATE TRIGGER journal_kinds_no_delete BEFORE DELETE ON journal_kinds
BEGIN
	SELECT RAISE(ABORT, 'journal kinds are fixed');
END;

CREATE TABLE journal_entries_new (
	id INTEGER PRIMARY KEY,
	posted_on TEXT NOT NULL CHECK (length(posted_on) = 10),
	kind TEXT NOT NULL REFERENCES journal_kinds (token),
	memo TEXT NOT NULL DEFAULT '',
	source_type TEXT,
	source_id INTEGER,
	total_fen INTEGER NOT NULL CHECK (total_fen > 0),
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id),
	CHECK ((source_type IS NULL) = (source_id IS NULL)),
	UNIQUE (kind, source_type, source_id)
);
CREATE TABLE journal_lines_new (
	id INTEGER PRIMARY KEY,
	entry_id INTEGER NOT NULL REFERENCES journal_entries_new (id) DEFERRABLE INITIALLY DEFERRED,
	account TEXT NOT NULL REFERENCES ledger_accounts (code),
	debit_fen INTEGER NOT NULL DEFAULT 0 CHECK (debit_fen >= 0),
	credit_fen INTEGER NOT NULL DEFAULT 0 CHECK (credit_fen >= 0),
	talent_id INTEGER REFERENCES talents (id),
	plan_id INTEGER REFERENCES subsidy_plans (id),
	installment_id INTEGER REFERENCES installments (id),
	CHECK ((debit_fen > 0) + (credit_fen > 0) = 1)
);
INSERT INTO journal_entries_new SELECT id, posted_on, kind, memo, source_type, source_id, total_fen, created_at,
	created_by FROM journal_entries;
INSERT INTO journal_lines_new SELECT id, entry_id, account, debit_fen, credit_fen, talent_id, plan_id, installment_id
	FROM journal_lines;
DROP TABLE journal_lines;
DROP TABLE journal_entries;
ALTER TABLE journal_entries_new RENAME TO journal_entries;
ALTER TABLE journal_lines_new RENAME TO journal_lines;

CREATE INDEX journal_entries_posted ON journal_entries (posted_on, id);
CREATE INDEX journal_entries_source ON journal_entries (source_type, source_id);
CREATE INDEX journal_lines_entry ON journal_lines (entry_id);
CREATE INDEX journal_lines_account ON journal_lines (account, debit_fen, credit_fen);
CREATE INDEX journal_lines_plan ON journal_lines (plan_id) WHERE plan_id IS NOT NULL;
CREATE INDEX journal_lines_installment ON journal_lines (installment_id, account) WHERE installment_id IS NOT NULL;
CREATE INDEX journal_lines_talent ON journal_lines (talent_id) WHERE talent_id IS NOT NULL;

CREATE TRIGGER journal_lines_closed BEFORE INSERT ON journal_lines
WHEN EXISTS (SELECT 1 FROM journal_entries WHERE id = NEW.entry_id)
BEGIN
	SELECT RAISE(ABORT, 'a posted journal entry takes no more lines');
END;
CREATE TRIGGER journal_entries_balanced BEFORE INSERT ON journal_entries
WHEN (SELECT count(*) FROM journal_lines WHERE entry_id = NEW.id) < 2
  OR (SELECT COALESCE(SUM(debit_fen), 0) FROM journal_lines WHERE entry_id = NEW.id) <> NEW.total_fen
  OR (SELECT COALESCE(SUM(credit_fen), 0) FROM journal_lines WHERE entry_id = NEW.id) <> NEW.total_fen
BEGIN
	SELECT RAISE(ABORT, 'a journal entry must balance: its debits and credits equal its total');
END;
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN
	SELECT RAISE(ABORT, 'journal entries are never changed');
END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN
	SELECT RAISE(ABORT, 'journal entries are never deleted');
END;
CREATE TRIGGER journal_lines_no_update BEFORE UPDATE ON journal_lines
BEGIN
	SELECT RAISE(ABORT, 'journal lines are never changed');
END;
CREATE TRIGGER journal_lines_no_delete BEFORE DELETE ON journal_lines
BEGIN
	SELECT RAISE(ABORT, 'journal lines are never deleted');
END;

/*
 * Stored files (evidence now; later features reuse them): the bytes live
 * outside the database under files_dir, named by their SHA-256; the row
 * holds what the upload said and what was checked. Never changed.
 */
CREATE TABLE files (
	id INTEGER PRIMARY KEY,
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
	size INTEGER NOT NULL CHECK (size > 0),
	content_type TEXT NOT NULL,
	name TEXT NOT NULL,
	purpose TEXT NOT NULL,
	uploaded_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX files_sha ON files (sha256);
CREATE TRIGGER files_no_update BEFORE UPDATE ON files
BEGIN
	SELECT RAISE(ABORT, 'stored files are never changed');
END;

/*
 * Annual verification of one installment: opened when it falls due, for
 * the employer of the recognition (org_id; NULL: the bureau answers), with
 * a deadline. open -> submitted -> accepted | returned -> submitted ...;
 * open or returned past the deadline is overdue; an officer may lapse an
 * overdue one (lapsed, reason required). The accepted amount is priced by
 * the rules (amount_fen, trace); the installment row keeps the plan.
 */
CREATE TABLE verifications (
	id INTEGER PRIMARY KEY,
	installment_id INTEGER NOT NULL UNIQUE REFERENCES installments (id),
	org_id INTEGER REFERENCES orgs (id),
	status TEXT NOT NULL DEFAULT 'open'
		CHECK (status IN ('open', 'submitted', 'accepted', 'returned', 'lapsed')),
	deadline_on TEXT NOT NULL CHECK (length(deadline_on) = 10),
	employed INTEGER CHECK (employed IN (0, 1)),
	end_on TEXT CHECK (end_on IS NULL OR length(end_on) = 10),
	salary_paid_fen INTEGER CHECK (salary_paid_fen >= 0),
	tax_record_no TEXT,
	submitted_at INTEGER,
	submitted_by INTEGER REFERENCES users (id),
	decided_at INTEGER,
	decided_by INTEGER REFERENCES users (id),
	reason TEXT,
	amount_fen INTEGER CHECK (amount_fen >= 0),
	trace TEXT,
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	CHECK (status <> 'accepted' OR (amount_fen IS NOT NULL AND trace IS NOT NULL AND decided_by IS NOT NULL)),
	CHECK (status NOT IN ('returned', 'lapsed') OR reason IS NOT NULL)
);
CREATE INDEX verifications_org ON verifications (org_id, status);
CREATE INDEX verifications_status ON verifications (status, deadline_on);

CREATE TABLE verification_files (
	verification_id INTEGER NOT NULL REFERENCES verifications (id),
	file_id INTEGER NOT NULL REFERENCES files (id),
	kind TEXT NOT NULL CHECK (kind IN ('contract', 'tax_certificate', 'other')),
	PRIMARY KEY (verification_id, file_id)
);

/*
 * A strategic package's milestone tranches: installments of the strategic
 * plan (year = tranche number) with the milestone they pay for.
 */
CREATE TABLE tranches (
	installment_id INTEGER PRIMARY KEY REFERENCES installments (id),
	milestone TEXT NOT NULL CHECK (length(milestone) > 0),
	entered_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL
);

/*
 * The payee's bank account on a plan: the account number sealed
 * (crypto.h, field "payee_account"), its last four digits for masks,
 * confirmed by the talent before it can be paid. A change supersedes the
 * active row (one active per plan) and needs a new confirmation.
 */
CREATE TABLE payees (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES subsidy_plans (id),
	payee_name TEXT NOT NULL,
	bank TEXT NOT NULL,
	account_sealed BLOB NOT NULL,
	account_last4 TEXT NOT NULL CHECK (length(account_last4) = 4),
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'superseded')),
	entered_by INTEGER REFERENCES users (id),
	entered_at INTEGER NOT NULL,
	confirmed_by INTEGER REFERENCES users (id),
	confirmed_at INTEGER
);
CREATE UNIQUE INDEX payees_one_active ON payees (plan_id) WHERE status = 'active';

/*
 * A payment run for a period (a calendar year of due days): proposed by an
 * officer, approved or rejected by a finance user who is not the proposer
 * (a CHECK, not only code); at most one open run (proposed or approved and
 * not closed) per period. closed: every payment settled.
 */
CREATE TABLE payment_runs (
	id INTEGER PRIMARY KEY,
	period INTEGER NOT NULL CHECK (period BETWEEN 2000 AND 9999),
	status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected', 'closed')),
	proposed_by INTEGER NOT NULL REFERENCES users (id),
	proposed_at INTEGER NOT NULL,
	decided_by INTEGER REFERENCES users (id),
	decided_at INTEGER,
	reason TEXT,
	total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
	payments INTEGER NOT NULL CHECK (payments >= 0),
	version INTEGER NOT NULL DEFAULT 1,
	CHECK (decided_by IS NULL OR decided_by <> proposed_by),
	CHECK (status = 'proposed' OR decided_by IS NOT NULL),
	CHECK (status <> 'rejected' OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX payment_runs_open ON payment_runs (period) WHERE status IN ('proposed', 'approved');

/*
 * One payment of one installment in a run, with the payee as it was when
 * proposed (so the bank file of a run never changes) and a stable
 * reference. Live: proposed, approved, paid. At most one live payment per
 * installment (the partial unique index): a new one is possible only when
 * every earlier one failed, was returned or its run was rejected
 * (cancelled). Status moves only forward (trigger); the amount never.
 */
CREATE TABLE payments (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES payment_runs (id),
	installment_id INTEGER NOT NULL REFERENCES installments (id),
	plan_id INTEGER NOT NULL REFERENCES subsidy_plans (id),
	talent_id INTEGER NOT NULL REFERENCES talents (id),
	verification_id INTEGER REFERENCES verifications (id),
	amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
	reference TEXT NOT NULL UNIQUE,
	payee_id INTEGER NOT NULL REFERENCES payees (id),
	payee_name TEXT NOT NULL,
	bank TEXT NOT NULL,
	account_sealed BLOB NOT NULL,
	account_last4 TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'proposed'
		CHECK (status IN ('proposed', 'approved', 'paid', 'failed', 'returned', 'cancelled')),
	bank_txn_id TEXT,
	settled_on TEXT,
	reason TEXT,
	trace TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX payments_one_live ON payments (installment_id) WHERE status IN ('proposed', 'approved', 'paid');
CREATE INDEX payments_run ON payments (run_id, id);
CREATE INDEX payments_talent ON payments (talent_id, id);
CREATE TRIGGER payments_forward BEFORE UPDATE OF status ON payments
WHEN NOT ((OLD.status = NEW.status)
       OR (OLD.status = 'proposed' AND NEW.status IN ('approved', 'cancelled'))
       OR (OLD.status = 'approved' AND NEW.status IN ('paid', 'failed', 'returned'))
       OR (OLD.status = 'paid' AND NEW.status = 'returned'))
BEGIN
	SELECT RAISE(ABORT, 'a payment''s status moves only forward');
END;
CREATE TRIGGER payments_fixed BEFORE UPDATE OF run_id, installment_id, plan_id, talent_id, amount_fen, reference,
	payee_id, payee_name, bank, account_sealed, account_last4, trace ON payments
BEGIN
	SELECT RAISE(ABORT, 'a payment''s amount, payee and reference never change');
END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN
	SELECT RAISE(ABORT, 'payments are never deleted');
END;

/* A bank result file applied to a run: once per file content. */
CREATE TABLE bank_results (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES payment_runs (id),
	sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
	name TEXT NOT NULL,
	rows INTEGER NOT NULL,
	imported_by INTEGER REFERENCES users (id),
	imported_at INTEGER NOT NULL
);

/*
 * A clawback: money the talent pays back for a paid installment whose
 * verification turned out false (reason required); posted as a clawback
 * entry; frees cap room again.
 */
CREATE TABLE clawbacks (
	id INTEGER PRIMARY KEY,
	payment_id INTEGER NOT NULL REFERENCES payments (id),
	amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
	reason TEXT NOT NULL CHECK (length(reason) > 0),
	created_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX clawbacks_payment ON clawbacks (payment_id);

/*
 * Idempotency-Key of money-moving requests: the first request with a key
 * (per account) is recorded with a hash of its method, path and body and,
 * once answered, its status and body; a repeat with the same request gets
 * the same answer, with a different one 422, while the first is still
 * running 409.
 */
CREATE TABLE idempotency_keys (
	user_id INTEGER NOT NULL,
	key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
	request_sha256 TEXT NOT NULL,
	status INTEGER NOT NULL DEFAULT 0,
	content_type TEXT,
	body TEXT,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
