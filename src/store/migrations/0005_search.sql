/*
 * Search terms of talents and organisations (src/domain/search.c), in
 * plain tables rather than FTS5: portable to PostgreSQL, and one- and
 * two-character hanzi queries work (a trigram index finds nothing under
 * three characters). Terms are folded text with a kind prefix: c: one Han
 * character of the name, h: an overlapping Han bigram (name, keywords,
 * research fields, organisation name), s: a pinyin syllable suffix, i:
 * initials and their suffixes, l: Latin name words, k: keyword words.
 *
 * sort_key is the record's pinyin sort key (talents.pinyin_key,
 * orgs.pinyin), so that the first page of any one term in pinyin order is
 * a range of the primary key, however many records share the term (张:
 * tens of thousands). The second index answers "does record X have a
 * term in this range" probes and the rebuild of one record's terms.
 *
 * The terms are derived data, written only by search.c inside the
 * transaction that writes their record, and carry no REFERENCES clause:
 * the foreign-key check on every term row cost 40% of indexing time
 * (measured: 50,000 talents, 22 terms each, 7.8 s with it, 4.5 s without).
 */
CREATE TABLE talent_terms (
	term TEXT NOT NULL,
	sort_key TEXT NOT NULL,
	talent_id INTEGER NOT NULL,
	PRIMARY KEY (term, sort_key, talent_id)
);
CREATE INDEX talent_terms_talent ON talent_terms (talent_id, term);

CREATE TABLE org_terms (
	term TEXT NOT NULL,
	sort_key TEXT NOT NULL,
	org_id INTEGER NOT NULL,
	PRIMARY KEY (term, sort_key, org_id)
);
CREATE INDEX org_terms_org ON org_terms (org_id, term);

/* Lists sorted by last change walk these. */
CREATE INDEX talents_updated ON talents (updated_at, id);
CREATE INDEX orgs_updated ON orgs (updated_at, id);
