-- PostgreSQL twin of sqlite/V6 (the same statements; types as in V1; the trigger as a function).
-- The sidebar's rules on real agent data (HELP.md, "The sidebar"):
--   * a child continues its parent's chain only in the same source (a CLI conversation continued in
--     Telegram is a row of its own, a child_session);
--   * a session's recency (last_activity_at) is its newest message, its start if it has none, never
--     its end (a session closed minutes after its last message does not jump ahead);
--   * a chain's tip is the member with messages whose newest message is newest (not the deepest
--     segment: an empty trailing segment or a stale deeper branch is not the tip);
--   * lineage_messages on a head counts the chain's messages, so empty chains can be left out.
ALTER TABLE sessions ADD COLUMN lineage_messages BIGINT NOT NULL DEFAULT 0;

UPDATE sessions SET last_activity_at = COALESCE(
    (SELECT MAX(m.timestamp) FROM messages m WHERE m.session_id = sessions.id), started_at);

UPDATE sessions SET lineage_root_id = NULL, lineage_depth = 0;

WITH RECURSIVE chain(root_id, id, depth) AS (
    SELECT s.id, s.id, 0 FROM sessions s
    WHERE NOT EXISTS (SELECT 1 FROM sessions p
                      WHERE p.id = s.parent_session_id AND p.end_reason IN ('compression', 'cli_close')
                        AND p.ended_at IS NOT NULL AND s.started_at >= p.ended_at AND s.source = p.source)
    UNION ALL
    SELECT chain.root_id, c.id, chain.depth + 1
    FROM chain JOIN sessions p ON p.id = chain.id JOIN sessions c ON c.parent_session_id = p.id
    WHERE p.end_reason IN ('compression', 'cli_close') AND p.ended_at IS NOT NULL AND c.started_at >= p.ended_at
      AND c.source = p.source
)
UPDATE sessions SET lineage_root_id = chain.root_id, lineage_depth = chain.depth
FROM chain WHERE chain.id = sessions.id;

UPDATE sessions SET lineage_root_id = id WHERE lineage_root_id IS NULL;

UPDATE sessions SET lineage_tip_id = ranked.id, lineage_segments = ranked.segments,
                    lineage_last_activity = ranked.last_activity, lineage_messages = ranked.messages
FROM (SELECT lineage_root_id AS root_id, id,
             ROW_NUMBER() OVER (PARTITION BY lineage_root_id
                                ORDER BY message_count > 0 DESC, last_activity_at DESC, lineage_depth DESC, id DESC) AS rn,
             COUNT(*) OVER (PARTITION BY lineage_root_id) AS segments,
             COALESCE(MAX(CASE WHEN message_count > 0 THEN last_activity_at END) OVER (PARTITION BY lineage_root_id),
                      MAX(started_at) OVER (PARTITION BY lineage_root_id)) AS last_activity,
             SUM(message_count) OVER (PARTITION BY lineage_root_id) AS messages
      FROM sessions) AS ranked
WHERE ranked.root_id = sessions.id AND ranked.rn = 1;

-- as in V5, with the chain's message count
CREATE OR REPLACE FUNCTION sessions_inserted_outside() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sessions SET lineage_root_id = NEW.id, lineage_depth = 0, lineage_tip_id = NEW.id, lineage_segments = 1,
                        lineage_last_activity = NEW.last_activity_at, lineage_messages = NEW.message_count
    WHERE id = NEW.id;
    RETURN NULL;
END;
$$;
