/*
 * 0014_cards: the digital talent card (issue 7, DOMAIN.md programme 7,
 * docs/cards.md, docs/benefits.md).
 *
 * A card row is an application that becomes a card:
 *   applied -> approved -> issuing -> active -> suspended -> active
 *   applied|approved|issuing -> rejected (reason; the talent may apply again)
 *   active|suspended -> revoked (reason) ; active|suspended -> expired
 * An eligible application (its tier among the policy pack's card_tiers)
 * is approved at once (decided_by NULL, auto_approved 1); others wait for
 * an officer. The chosen bank (an organisation of kind bank) accepts it
 * (approved -> issuing) and reports the co-branded debit card issued
 * (last four digits, the day: issuing -> active), or rejects it. At most
 * one live card (anything but rejected, revoked, expired) per talent.
 */
CREATE TABLE cards (
	id INTEGER PRIMARY KEY,
	talent_id INTEGER NOT NULL REFERENCES talents (id),
	bank_id INTEGER NOT NULL REFERENCES orgs (id),
	status TEXT NOT NULL CHECK (status IN ('applied', 'approved', 'issuing', 'active', 'rejected',
	                                       'suspended', 'revoked', 'expired')),
	tier TEXT REFERENCES tiers (token),      -- the talent's tier when applying (NULL: not recognised)
	eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
	auto_approved INTEGER NOT NULL DEFAULT 0 CHECK (auto_approved IN (0, 1)),
	policy_pack TEXT,                        -- the pack and version that decided eligibility
	policy_version TEXT,
	consent_hash TEXT NOT NULL CHECK (length(consent_hash) = 64), -- SHA-256 of the notice consented to
	consent_at INTEGER NOT NULL,
	applied_by INTEGER REFERENCES users (id), -- the talent, a commissioner or an officer (NULL: command line)
	applied_at INTEGER NOT NULL,
	decided_by INTEGER REFERENCES users (id), -- the officer who approved or rejected (NULL with auto_approved)
	decided_at INTEGER,
	bank_accepted_by INTEGER REFERENCES users (id),
	bank_accepted_at INTEGER,
	debit_last4 TEXT CHECK (debit_last4 IS NULL OR (length(debit_last4) = 4 AND debit_last4 GLOB '[0-9][0-9][0-9][0-9]')),
	debit_issued_on TEXT,                    -- YYYY-MM-DD, the bank's issue day
	card_no TEXT UNIQUE CHECK (card_no IS NULL OR length(card_no) = 16), -- digits, the last a Luhn check digit
	valid_from TEXT,                         -- [valid_from, valid_to) civil days, set at activation
	valid_to TEXT,
	reason TEXT,                             -- of the last rejection, suspension or revocation
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK (status NOT IN ('active', 'suspended', 'revoked', 'expired') OR
	       (card_no IS NOT NULL AND valid_from IS NOT NULL AND valid_to IS NOT NULL)),
	CHECK (status NOT IN ('rejected', 'suspended', 'revoked') OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX cards_live_talent ON cards (talent_id)
	WHERE status IN ('applied', 'approved', 'issuing', 'active', 'suspended');
CREATE INDEX cards_talent ON cards (talent_id, id);
CREATE INDEX cards_bank_status ON cards (bank_id, status, id);
CREATE INDEX cards_status ON cards (status, id);

/* Every state change of a card, for its history page (the audit log has the same with the chain). */
CREATE TABLE card_events (
	id INTEGER PRIMARY KEY,
	card_id INTEGER NOT NULL REFERENCES cards (id),
	from_status TEXT,                        -- NULL for the application
	to_status TEXT NOT NULL,
	reason TEXT,
	by_user INTEGER REFERENCES users (id),
	at INTEGER NOT NULL
);
CREATE INDEX card_events_card ON card_events (card_id, id);

/*
 * Ed25519 signing keys of card tokens. One key signs (retired_at NULL);
 * a retired key still verifies the tokens it signed until they expire
 * (tokens carry the key id). The secret is sealed with data.key (field
 * card_key); the public key is published (GET /api/v1/cards/keys).
 */
CREATE TABLE card_keys (
	id INTEGER PRIMARY KEY,
	kid TEXT NOT NULL UNIQUE CHECK (length(kid) BETWEEN 1 AND 16),
	public_key BLOB NOT NULL CHECK (length(public_key) = 32),
	secret_enc BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id),
	retired_at INTEGER
);
CREATE UNIQUE INDEX card_keys_signing ON card_keys (retired_at IS NULL) WHERE retired_at IS NULL;

/*
 * The short numeric code of a minted token, typed at a counter without a
 * camera: live until the token expires; codes of expired tokens may be
 * reused (pruned when new ones are minted).
 */
CREATE TABLE card_codes (
	code TEXT PRIMARY KEY CHECK (length(code) = 8),
	card_id INTEGER NOT NULL REFERENCES cards (id),
	token TEXT NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX card_codes_expiry ON card_codes (expires_at);

/* The nine benefit categories (DOMAIN.md programme 7) as data: a bureau may rename or add. */
CREATE TABLE benefit_categories (
	token TEXT PRIMARY KEY,
	zh TEXT NOT NULL,
	en TEXT NOT NULL,
	rank INTEGER NOT NULL
);
INSERT INTO benefit_categories (token, zh, en, rank) VALUES
	('cobranded_card', '3551联名卡', '3551 co-branded debit card', 1),
	('government_services', '政务服务', 'Government services', 2),
	('medical_services', '医疗服务', 'Medical services', 3),
	('children_schooling', '子女上学', 'Children''s schooling', 4),
	('leisure_holidays', '休闲度假', 'Leisure and holidays', 5),
	('financing', '融资对接', 'Financing matchmaking', 6),
	('housing', '安居保障', 'Housing', 7),
	('spouse_employment', '配偶就业', 'Spouse employment', 8),
	('residence_entry_exit', '落户与出入境', 'Residence and entry-exit', 9);

/*
 * A benefit a provider delivers: its category, the tiers that may use it,
 * the annual quota per card (uses per calendar year in the timezone
 * setting; NULL: no limit), whether it needs a booking, and whether it is
 * offered now (retired items stay for history).
 */
CREATE TABLE benefit_items (
	id INTEGER PRIMARY KEY,
	category TEXT NOT NULL REFERENCES benefit_categories (token),
	name TEXT NOT NULL,
	name_en TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	provider_id INTEGER NOT NULL REFERENCES orgs (id),
	annual_quota INTEGER CHECK (annual_quota IS NULL OR annual_quota > 0),
	needs_booking INTEGER NOT NULL DEFAULT 0 CHECK (needs_booking IN (0, 1)),
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX benefit_items_category ON benefit_items (category, id);
CREATE INDEX benefit_items_provider ON benefit_items (provider_id, id);
CREATE TABLE benefit_item_tiers (
	item_id INTEGER NOT NULL REFERENCES benefit_items (id),
	tier TEXT NOT NULL REFERENCES tiers (token),
	PRIMARY KEY (item_id, tier)
) WITHOUT ROWID;
CREATE INDEX benefit_item_tiers_tier ON benefit_item_tiers (tier, item_id);

/* Time slots of an item that needs booking: [starts_at, ends_at) instants, capacity bookings. */
CREATE TABLE benefit_slots (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES benefit_items (id),
	starts_at INTEGER NOT NULL,
	ends_at INTEGER NOT NULL,
	capacity INTEGER NOT NULL CHECK (capacity > 0),
	booked INTEGER NOT NULL DEFAULT 0,
	CHECK (ends_at > starts_at),
	CHECK (booked >= 0 AND booked <= capacity)
);
CREATE INDEX benefit_slots_item ON benefit_slots (item_id, starts_at);

/*
 * What a card has used of an item in a year: a booking reserves (+1), a
 * redemption of the booking keeps it, a redemption without booking uses
 * (+1), a cancellation releases (-1). The CHECK makes the database refuse
 * a use past the quota, whatever runs concurrently.
 */
CREATE TABLE benefit_usage (
	card_id INTEGER NOT NULL REFERENCES cards (id),
	item_id INTEGER NOT NULL REFERENCES benefit_items (id),
	year INTEGER NOT NULL,
	used INTEGER NOT NULL DEFAULT 0,
	quota INTEGER,                           -- the item's annual_quota when the row was made (NULL: no limit)
	PRIMARY KEY (card_id, item_id, year),
	CHECK (used >= 0 AND (quota IS NULL OR used <= quota))
) WITHOUT ROWID;

CREATE TABLE benefit_bookings (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES benefit_items (id),
	card_id INTEGER NOT NULL REFERENCES cards (id),
	slot_id INTEGER NOT NULL REFERENCES benefit_slots (id),
	year INTEGER NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'redeemed')),
	booked_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	cancelled_at INTEGER,
	updated_at INTEGER NOT NULL
);
CREATE INDEX benefit_bookings_card ON benefit_bookings (card_id, id);
CREATE INDEX benefit_bookings_slot ON benefit_bookings (slot_id, status);
CREATE UNIQUE INDEX benefit_bookings_live ON benefit_bookings (card_id, slot_id) WHERE status = 'booked';

/* A use of a benefit recorded by its provider at the counter. Never changed. */
CREATE TABLE benefit_redemptions (
	id INTEGER PRIMARY KEY,
	item_id INTEGER NOT NULL REFERENCES benefit_items (id),
	card_id INTEGER NOT NULL REFERENCES cards (id),
	booking_id INTEGER UNIQUE REFERENCES benefit_bookings (id),
	year INTEGER NOT NULL,
	note TEXT,
	redeemed_by INTEGER REFERENCES users (id),
	redeemed_at INTEGER NOT NULL
);
CREATE INDEX benefit_redemptions_card ON benefit_redemptions (card_id, id);
CREATE INDEX benefit_redemptions_item ON benefit_redemptions (item_id, id);
CREATE TRIGGER benefit_redemptions_no_update BEFORE UPDATE ON benefit_redemptions
BEGIN
	SELECT RAISE(ABORT, 'redemptions are never changed');
END;

/*
 * Loans through the card (talent loan, enterprise loan): a request in the
 * card's bank's queue. requested -> accepted -> approved | declined;
 * requested -> withdrawn (by the talent).
 */
CREATE TABLE loan_requests (
	id INTEGER PRIMARY KEY,
	card_id INTEGER NOT NULL REFERENCES cards (id),
	bank_id INTEGER NOT NULL REFERENCES orgs (id),
	kind TEXT NOT NULL CHECK (kind IN ('talent_loan', 'enterprise_loan')),
	org_id INTEGER REFERENCES orgs (id),     -- the enterprise of an enterprise loan
	amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
	term_months INTEGER NOT NULL CHECK (term_months BETWEEN 1 AND 360),
	purpose TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'approved', 'declined', 'withdrawn')),
	reason TEXT,
	requested_by INTEGER REFERENCES users (id),
	created_at INTEGER NOT NULL,
	decided_by INTEGER REFERENCES users (id),
	decided_at INTEGER,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	CHECK ((kind = 'enterprise_loan') = (org_id IS NOT NULL)),
	CHECK (status <> 'declined' OR reason IS NOT NULL)
);
CREATE INDEX loan_requests_bank ON loan_requests (bank_id, status, id);
CREATE INDEX loan_requests_card ON loan_requests (card_id, id);
