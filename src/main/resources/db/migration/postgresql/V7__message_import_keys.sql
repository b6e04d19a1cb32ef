-- PostgreSQL twin of sqlite/V7 (the same statements).
-- Messages brought in by an import carry where they came from ('hermes:<message id>'), so running
-- the import again adds only what is new and changes only what changed. Messages written through
-- the API have none.
ALTER TABLE messages ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX idx_messages_import_key ON messages(import_key) WHERE import_key IS NOT NULL;
