/*
 * 0008_recognition: recognitions, the policy versions that made them, and
 * the subsidy plans with their installments (issue 5; src/domain/
 * recognition.c, policyset.c, subsidy.c). The ledger adds the accounting
 * later; these tables never lose a row.
 *
 * policy_versions holds the hash of each pack version's content from its
 * first use on: a decision's stamp (pack, version) then names one set of
 * rules, and a pack whose version changed afterwards is refused.
 */
CREATE TABLE policy_versions (
	pack TEXT NOT NULL,
	version TEXT NOT NULL,
	hash TEXT NOT NULL CHECK (length(hash) = 64),
	first_used_at INTEGER NOT NULL,
	PRIMARY KEY (pack, version)
);

/*
 * A talent recognised at a tier: by a hire under a recruitment order
 * (basis order, source the hire), an approved recommendation or a
 * strategic decision. One recognition per source. The trace is the
 * decision's text, lines ending in a newline; reason holds the officer's
 * reason or the rationale. Never updated or deleted.
 */
CREATE TABLE recognitions (
	id INTEGER PRIMARY KEY,
	talent_id INTEGER NOT NULL REFERENCES talents (id),
	tier TEXT NOT NULL REFERENCES tiers (token),
	basis TEXT NOT NULL CHECK (basis IN ('order', 'recommendation', 'strategic')),
	source_id INTEGER NOT NULL CHECK (source_id > 0),
	org_id INTEGER REFERENCES orgs (id),
	pack TEXT NOT NULL,
	version TEXT NOT NULL,
	policy_hash TEXT NOT NULL,
	effective_on TEXT NOT NULL CHECK (length(effective_on) = 10),
	reason TEXT,
	trace TEXT NOT NULL,
	decided_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	UNIQUE (basis, source_id),
	FOREIGN KEY (pack, version) REFERENCES policy_versions (pack, version)
);
CREATE INDEX recognitions_talent ON recognitions (talent_id, id);
CREATE INDEX recognitions_org ON recognitions (org_id, id) WHERE org_id IS NOT NULL;
CREATE TRIGGER recognitions_no_update BEFORE UPDATE ON recognitions
BEGIN
	SELECT RAISE(ABORT, 'recognitions are never changed');
END;
CREATE TRIGGER recognitions_no_delete BEFORE DELETE ON recognitions
BEGIN
	SELECT RAISE(ABORT, 'recognitions are never deleted');
END;

/*
 * A subsidy plan: formula (the recruitment order's installments, under the
 * version of the contract's start day) or strategic (a package agreed case
 * by case; its tranches come with the ledger). One active formula plan per
 * talent (one entitlement); a strategic package replaces it (replaced).
 */
CREATE TABLE subsidy_plans (
	id INTEGER PRIMARY KEY,
	recognition_id INTEGER NOT NULL UNIQUE REFERENCES recognitions (id),
	talent_id INTEGER NOT NULL REFERENCES talents (id),
	kind TEXT NOT NULL CHECK (kind IN ('formula', 'strategic')),
	pack TEXT NOT NULL,
	version TEXT NOT NULL,
	contract_fen INTEGER NOT NULL CHECK (contract_fen >= 0),
	start_on TEXT NOT NULL CHECK (length(start_on) = 10),
	total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
	status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled', 'replaced')),
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id),
	FOREIGN KEY (pack, version) REFERENCES policy_versions (pack, version)
);
CREATE UNIQUE INDEX subsidy_plans_one_formula ON subsidy_plans (talent_id) WHERE kind = 'formula' AND status = 'active';
CREATE INDEX subsidy_plans_talent ON subsidy_plans (talent_id);

/* The installments of a formula plan: year n falls due on the n-th anniversary of the start. */
CREATE TABLE installments (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES subsidy_plans (id),
	year INTEGER NOT NULL CHECK (year BETWEEN 1 AND 10),
	due_on TEXT NOT NULL CHECK (length(due_on) = 10),
	base_fen INTEGER NOT NULL CHECK (base_fen >= 0),
	amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
	status TEXT NOT NULL CHECK (status IN ('planned', 'lapsed')),
	CHECK (status = 'planned' OR amount_fen = 0),
	UNIQUE (plan_id, year)
);
CREATE INDEX installments_due ON installments (due_on);
