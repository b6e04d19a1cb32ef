-- PostgreSQL twin of sqlite/V10: a message another client inserts (psql, a script) without
-- Statehouse's mark (counted = 1) recomputes its session's message_count and last_activity_at and its
-- chain head's tip, recency and message count (V6's rules). Token and tool-call counts stay the
-- writer's to keep. Existing rows keep 0: the column is read only by this trigger.
ALTER TABLE messages ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION messages_inserted_outside() RETURNS trigger LANGUAGE plpgsql AS $$
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
    RETURN NULL;
END;
$$;

CREATE TRIGGER messages_inserted_outside AFTER INSERT ON messages
FOR EACH ROW WHEN (NEW.counted = 0) EXECUTE FUNCTION messages_inserted_outside();
