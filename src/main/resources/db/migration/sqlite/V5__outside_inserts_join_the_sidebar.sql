-- A session inserted into the file by another process (the sqlite3 CLI, a script) arrives without
-- the lineage columns that the sidebar reads (V4), so it would never be listed. This trigger runs in
-- whichever process inserts the row and gives it the columns of a head of its own chain: it shows in
-- the sidebar at once (within the sidebar cache's TTL). If it continues a chain, the next write
-- through the API to that chain folds it in. Statehouse's own inserts set the columns themselves and
-- skip the trigger (its WHEN clause).
CREATE TRIGGER sessions_inserted_outside AFTER INSERT ON sessions
WHEN NEW.lineage_root_id IS NULL
BEGIN
    UPDATE sessions SET lineage_root_id = NEW.id, lineage_depth = 0, lineage_tip_id = NEW.id,
                        lineage_segments = 1, lineage_last_activity = NEW.last_activity_at
    WHERE id = NEW.id;
END;
