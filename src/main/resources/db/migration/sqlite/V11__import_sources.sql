-- An import's messages are keyed by the source database they came from, not only by their id there:
-- 'hermes:<source>:<message id>'. Before, keys were 'hermes:<message id>', so a second agent's
-- database whose message ids overlapped the first's lost its messages to the first's (silently).
-- A source is recognised by its sessions (hermes/HermesImport): sessions.import_source holds the
-- source of the import that created the session (NULL: written through the API or by another process).
-- Everything imported before this version came from sources that did not collide (or it was lost
-- then), so it all becomes source '0': re-importing those files finds their sessions under '0' and
-- stays idempotent.
ALTER TABLE sessions ADD COLUMN import_source TEXT;
UPDATE messages SET import_key = 'hermes:0:' || substr(import_key, 8)
WHERE import_key >= 'hermes:' AND import_key < 'hermes;';
UPDATE sessions SET import_source = '0'
WHERE id IN (SELECT session_id FROM messages WHERE import_key >= 'hermes:0:' AND import_key < 'hermes:0;');
