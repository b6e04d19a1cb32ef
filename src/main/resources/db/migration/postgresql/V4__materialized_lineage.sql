-- PostgreSQL twin of sqlite/V4 (the same statements; types as in V1).
-- Lineage kept on the rows, so the sidebar is one indexed top-N read instead of a recursive walk
-- over every session per request. Writers keep these columns (SessionRepository.relineage);
-- this migration computes them once for existing data.
--   lineage_root_id        the head of the session's chain (itself unless it is a continuation)
--   lineage_depth          continuation steps from the head
--   lineage_tip_id         on a head: the deepest, then newest, segment of its chain
--   lineage_segments       on a head: sessions in its chain
--   lineage_last_activity  on a head: newest last_activity_at of any segment
ALTER TABLE sessions ADD COLUMN lineage_root_id TEXT;
ALTER TABLE sessions ADD COLUMN lineage_depth BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN lineage_tip_id TEXT;
ALTER TABLE sessions ADD COLUMN lineage_segments BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN lineage_last_activity DOUBLE PRECISION;

WITH RECURSIVE chain(root_id, id, depth) AS (
    SELECT s.id, s.id, 0 FROM sessions s
    WHERE NOT EXISTS (SELECT 1 FROM sessions p
                      WHERE p.id = s.parent_session_id AND p.end_reason IN ('compression', 'cli_close')
                        AND p.ended_at IS NOT NULL AND s.started_at >= p.ended_at)
    UNION ALL
    SELECT chain.root_id, c.id, chain.depth + 1
    FROM chain JOIN sessions p ON p.id = chain.id JOIN sessions c ON c.parent_session_id = p.id
    WHERE p.end_reason IN ('compression', 'cli_close') AND p.ended_at IS NOT NULL AND c.started_at >= p.ended_at
)
UPDATE sessions SET lineage_root_id = chain.root_id, lineage_depth = chain.depth
FROM chain WHERE chain.id = sessions.id;

UPDATE sessions SET lineage_root_id = id WHERE lineage_root_id IS NULL;

UPDATE sessions SET lineage_tip_id = ranked.id, lineage_segments = ranked.segments, lineage_last_activity = ranked.last_activity
FROM (SELECT lineage_root_id AS root_id, id,
             ROW_NUMBER() OVER (PARTITION BY lineage_root_id ORDER BY lineage_depth DESC, started_at DESC, id DESC) AS rn,
             COUNT(*) OVER (PARTITION BY lineage_root_id) AS segments,
             MAX(last_activity_at) OVER (PARTITION BY lineage_root_id) AS last_activity
      FROM sessions) AS ranked
WHERE ranked.root_id = sessions.id AND ranked.rn = 1;

CREATE INDEX idx_sessions_lineage_root ON sessions(lineage_root_id);
-- the sidebar: heads only, newest activity first
CREATE INDEX idx_sessions_sidebar ON sessions(lineage_last_activity, id) WHERE lineage_root_id = id;
