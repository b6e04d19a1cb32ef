-- PostgreSQL twin of sqlite/V11 (PostgreSQL has no import; its data may come from a move, keys included).
-- Prefixes are compared with left(): a range such as >= 'hermes:' AND < 'hermes;' depends on the collation.
ALTER TABLE sessions ADD COLUMN import_source TEXT;
UPDATE messages SET import_key = 'hermes:0:' || substr(import_key, 8)
WHERE left(import_key, 7) = 'hermes:';
UPDATE sessions SET import_source = '0'
WHERE id IN (SELECT session_id FROM messages WHERE left(import_key, 9) = 'hermes:0:');
