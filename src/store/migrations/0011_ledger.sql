/*
 * 0011_ledger: the special fund as a double-entry ledger (issue 6;
 * src/domain/ledger.c, docs/ledger.md). A fixed chart of accounts, journal
 * entries and their lines. Balances are never stored: they are the sums
 * of the lines (debits - credits).
 *
 * Balance is enforced by the database as well as by ledger.c, portably:
 * an entry's lines are written first, under the id the entry will have
 * (the line's reference to its entry is DEFERRABLE INITIALLY DEFERRED, so
 * it is checked at commit: no line is left without its entry), then the
 * entry row itself, declaring its total; the entry's insert trigger
 * refuses it unless it has at least two lines and the lines' debits and
 * credits both equal that total. A line for an entry that exists already
 * is refused, so a closed entry cannot be unbalanced later, and nothing
 * posted is ever updated or deleted.
 */
CREATE TABLE ledger_accounts (
	code TEXT PRIMARY KEY,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	seq INTEGER NOT NULL UNIQUE
);
INSERT INTO ledger_accounts (code, name_zh, name_en, seq) VALUES
	('fund_appropriations', '专项资金拨入', 'Fund appropriations', 1),
	('fund_available', '可用额度', 'Fund available', 2),
	('fund_committed', '已承诺额度', 'Fund committed', 3),
	('fund_approved', '已审批待支付', 'Fund approved', 4),
	('fund_paid', '已支付', 'Fund paid', 5);
CREATE TRIGGER ledger_accounts_no_insert BEFORE INSERT ON ledger_accounts
BEGIN
	SELECT RAISE(ABORT, 'the chart of accounts is fixed');
END;
CREATE TRIGGER ledger_accounts_no_update BEFORE UPDATE ON ledger_accounts
BEGIN
	SELECT RAISE(ABORT, 'the chart of accounts is fixed');
END;
CREATE TRIGGER ledger_accounts_no_delete BEFORE DELETE ON ledger_accounts
BEGIN
	SELECT RAISE(ABORT, 'the chart of accounts is fixed');
END;

/*
 * A journal entry: kind (appropriation, commitment, release), the civil
 * day it is posted on, a memo, and what caused it (source_type: plan,
 * installment, appropriation, demo; source_id). One entry per kind and
 * source: a plan is committed at most once. total_fen is the sum of its
 * debits, which equals the sum of its credits (checked below).
 */
CREATE TABLE journal_entries (
	id INTEGER PRIMARY KEY,
	posted_on TEXT NOT NULL CHECK (length(posted_on) = 10),
	kind TEXT NOT NULL CHECK (kind IN ('appropriation', 'commitment', 'release')),
	memo TEXT NOT NULL DEFAULT '',
	source_type TEXT,
	source_id INTEGER,
	total_fen INTEGER NOT NULL CHECK (total_fen > 0),
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id),
	CHECK ((source_type IS NULL) = (source_id IS NULL)),
	UNIQUE (kind, source_type, source_id)
);
CREATE INDEX journal_entries_posted ON journal_entries (posted_on, id);

CREATE TABLE journal_lines (
	id INTEGER PRIMARY KEY,
	entry_id INTEGER NOT NULL REFERENCES journal_entries (id) DEFERRABLE INITIALLY DEFERRED,
	account TEXT NOT NULL REFERENCES ledger_accounts (code),
	debit_fen INTEGER NOT NULL DEFAULT 0 CHECK (debit_fen >= 0),
	credit_fen INTEGER NOT NULL DEFAULT 0 CHECK (credit_fen >= 0),
	talent_id INTEGER REFERENCES talents (id),
	plan_id INTEGER REFERENCES subsidy_plans (id),
	installment_id INTEGER REFERENCES installments (id),
	CHECK ((debit_fen > 0) + (credit_fen > 0) = 1)
);
CREATE INDEX journal_lines_entry ON journal_lines (entry_id);
/* an account's balance (the fund available, read before each commitment) from the index alone */
CREATE INDEX journal_lines_account ON journal_lines (account, debit_fen, credit_fen);
CREATE INDEX journal_lines_plan ON journal_lines (plan_id) WHERE plan_id IS NOT NULL;
CREATE INDEX journal_lines_installment ON journal_lines (installment_id) WHERE installment_id IS NOT NULL;

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
