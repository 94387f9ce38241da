-- Talents. Personal data (identity document number, phone, e-mail) is
-- sealed with data.key (*_enc), indexed with a keyed blind index
-- (*_index, from index.key) for uniqueness and duplicate checks, and kept
-- as a masked copy (*_masked) for display without decrypting.
CREATE TABLE talents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                  -- Chinese name, NFKC-normalised
    latin_name TEXT,
    pinyin TEXT NOT NULL,                -- "wang jin qiao" (surname rules applied)
    pinyin_key TEXT NOT NULL,            -- "wangjinqiao": sort key
    gender TEXT CHECK (gender IN ('male', 'female')),
    birth_date TEXT,                     -- YYYY-MM-DD
    nationality TEXT,                    -- ISO 3166-1 alpha-2, e.g. CN
    doc_type TEXT CHECK (doc_type IN ('resident_id', 'passport')),
    doc_enc BLOB,
    doc_index TEXT UNIQUE,
    doc_masked TEXT,
    phone_enc BLOB,
    phone_index TEXT,
    phone_masked TEXT,
    email_enc BLOB,
    email_index TEXT,
    email_masked TEXT,
    org_id INTEGER REFERENCES orgs (id),
    title TEXT,
    city TEXT,                           -- city of origin
    fields TEXT NOT NULL DEFAULT '',     -- research fields, ';'-separated
    keywords TEXT NOT NULL DEFAULT '',   -- ';'-separated
    tier TEXT REFERENCES tiers (token),  -- NULL: not recognised
    status TEXT NOT NULL DEFAULT 'prospect'
        CHECK (status IN ('prospect', 'in_contact', 'landed', 'serving', 'left')),
    notes TEXT,
    commissioner_id INTEGER REFERENCES users (id),
    merged_into INTEGER REFERENCES talents (id),  -- set when merged into another record
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((doc_type IS NULL) = (doc_enc IS NULL))
);
CREATE INDEX talents_pinyin ON talents (pinyin_key, id);
CREATE INDEX talents_org ON talents (org_id);
CREATE INDEX talents_tier ON talents (tier);
CREATE INDEX talents_status ON talents (status);
CREATE INDEX talents_city ON talents (city);
CREATE INDEX talents_commissioner ON talents (commissioner_id);
CREATE INDEX talents_name_birth ON talents (name, birth_date);
CREATE INDEX talents_pinyin_birth ON talents (pinyin_key, birth_date);
CREATE INDEX talents_phone_index ON talents (phone_index);
CREATE INDEX talents_email_index ON talents (email_index);

CREATE TABLE talent_honours (
    id INTEGER PRIMARY KEY,
    talent_id INTEGER NOT NULL REFERENCES talents (id),
    kind TEXT NOT NULL CHECK (kind IN ('nobel', 'cas_academician', 'cae_academician',
                                       'foreign_academy', 'national_award')),
    year INTEGER CHECK (year IS NULL OR (year >= 1900 AND year <= 2100))
);
CREATE UNIQUE INDEX talent_honours_unique ON talent_honours (talent_id, kind, COALESCE(year, 0));
CREATE INDEX talent_honours_kind ON talent_honours (kind, talent_id);

CREATE TABLE talent_segments (
    talent_id INTEGER NOT NULL REFERENCES talents (id),
    segment TEXT NOT NULL REFERENCES segments (token),
    PRIMARY KEY (talent_id, segment)
);
CREATE INDEX talent_segments_segment ON talent_segments (segment, talent_id);

-- Who read a talent's unmasked personal data: shown to the talent
-- (PIPL), besides the audit row each read also writes.
CREATE TABLE pii_reads (
    id INTEGER PRIMARY KEY,
    talent_id INTEGER NOT NULL REFERENCES talents (id),
    reader_id INTEGER NOT NULL,
    reader TEXT NOT NULL,
    fields TEXT NOT NULL,                -- ';'-separated: doc_number;phone;email
    purpose TEXT,
    at INTEGER NOT NULL,
    request_id TEXT
);
CREATE INDEX pii_reads_talent ON pii_reads (talent_id, id);
