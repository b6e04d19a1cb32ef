-- A message another process inserts into the file (the sqlite3 CLI, a script) used to leave its
-- session's counters as they were: a session written from outside with its messages stayed "empty"
-- and was hidden from the sidebar. Statehouse's own writers keep the counters themselves in the same
-- transaction and mark their rows (counted = 1); a row without the mark (the default, what any other
-- writer gets) makes this trigger recompute, in whichever process inserts it:
--   * the session's message_count and last_activity_at from its messages (recomputed, not incremented:
--     right whether or not that writer also kept message_count itself);
--   * its chain head's tip, recency and message count, by the rules of V6 (RELINEAGE_HEADS).
-- Token and tool-call counts stay the writer's to keep. Existing rows keep 0: the column is read only here.
ALTER TABLE messages ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER messages_inserted_outside AFTER INSERT ON messages
WHEN NEW.counted = 0
BEGIN
    UPDATE sessions SET
        message_count = (SELECT COUNT(*) FROM messages m WHERE m.session_id = sessions.id),
        last_activity_at = COALESCE((SELECT MAX(m.timestamp) FROM messages m WHERE m.session_id = sessions.id), started_at)
    WHERE id = NEW.session_id;
    UPDATE sessions SET
        lineage_tip_id = (SELECT m.id FROM sessions m WHERE m.lineage_root_id = sessions.id
                          ORDER BY m.message_count > 0 DESC, m.last_activity_at DESC, m.lineage_depth DESC, m.id DESC
                          LIMIT 1),
        lineage_last_activity = (SELECT COALESCE(MAX(CASE WHEN m.message_count > 0 THEN m.last_activity_at END), MAX(m.started_at))
                                 FROM sessions m WHERE m.lineage_root_id = sessions.id),
        lineage_messages = (SELECT SUM(m.message_count) FROM sessions m WHERE m.lineage_root_id = sessions.id)
    WHERE id = (SELECT lineage_root_id FROM sessions WHERE id = NEW.session_id);
END;
