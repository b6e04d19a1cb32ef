-- PostgreSQL twin of sqlite/V5: a session inserted by another writer without the lineage columns
-- becomes the head of a chain of its own.
CREATE FUNCTION sessions_inserted_outside() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sessions SET lineage_root_id = NEW.id, lineage_depth = 0, lineage_tip_id = NEW.id,
                        lineage_segments = 1, lineage_last_activity = NEW.last_activity_at
    WHERE id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER sessions_inserted_outside AFTER INSERT ON sessions
FOR EACH ROW WHEN (NEW.lineage_root_id IS NULL)
EXECUTE FUNCTION sessions_inserted_outside();
