/*
 * 0001_audit: the append-only audit trail. Each row records who did what
 * to which entity, when (epoch seconds), and the changed fields as a JSON
 * array [{"field":..,"old":..,"new":..}]; hash is the hex SHA-256 of
 * prev_hash and the row's canonical text, so the rows form a chain that
 * gg_audit_verify walks. The triggers refuse every UPDATE and DELETE.
 */
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor_id INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id INTEGER NOT NULL DEFAULT 0,
	request_id TEXT,
	changes TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
