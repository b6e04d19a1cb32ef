package dev.statehouse.checkpoints;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import dev.statehouse.storage.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Every SQL statement about plans and checkpoints (the metadata; snapshots live on disk). */
@Repository
public class CheckpointRepository {

    private static final String CHECKPOINT_COLUMNS =
            "id, plan_id, resource, label, file, size_bytes, created_at, state, restore_count, last_restored_at";

    private final JdbcTemplate jdbc;

    public CheckpointRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean insertPlan(String id, String description, double now) {
        return jdbc.update("INSERT INTO plans(id, description, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                id, description, now, now) == 1;
    }

    Optional<Plan> findPlan(String id) {
        return jdbc.query("SELECT id, description, status, created_at, updated_at, ended_at FROM plans WHERE id = ?",
                (rs, i) -> new Plan(rs.getString("id"), rs.getString("description"), rs.getString("status"),
                        Timestamps.fromEpoch(rs.getDouble("created_at")), Timestamps.fromEpoch(rs.getDouble("updated_at")),
                        Timestamps.fromEpoch(rs.getObject("ended_at")), checkpoints(id)), id).stream().findFirst();
    }

    boolean endPlan(String id, String status, double now) {
        return jdbc.update("UPDATE plans SET status = ?, ended_at = ?, updated_at = ? WHERE id = ? AND status = 'active'",
                status, now, now, id) == 1;
    }

    void touchPlan(String id, double now) {
        jdbc.update("UPDATE plans SET updated_at = ? WHERE id = ?", now, id);
    }

    /** Active plans idle since before {@code cutoff}. */
    List<String> idlePlans(double cutoff) {
        return jdbc.queryForList("SELECT id FROM plans WHERE status = 'active' AND updated_at < ?", String.class, cutoff);
    }

    List<Checkpoint> checkpoints(String planId) {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoints WHERE plan_id = ? ORDER BY created_at, id",
                CheckpointRepository::map, planId);
    }

    Optional<Checkpoint> findCheckpoint(String planId, String id) {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoints WHERE plan_id = ? AND id = ?",
                CheckpointRepository::map, planId, id).stream().findFirst();
    }

    void insertCheckpoint(String id, String planId, String resource, String label, String file, long size, double now) {
        jdbc.update("INSERT INTO checkpoints(id, plan_id, resource, label, file, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, planId, resource, label, file, size, now);
    }

    void deleteCheckpoint(String id) {
        jdbc.update("DELETE FROM checkpoints WHERE id = ?", id);
    }

    void markRestored(String id, double now) {
        jdbc.update("UPDATE checkpoints SET restore_count = restore_count + 1, last_restored_at = ? WHERE id = ?", now, id);
    }

    void markMissing(String id) {
        jdbc.update("UPDATE checkpoints SET state = 'missing' WHERE id = ?", id);
    }

    /** A plan's checkpoints past the newest {@code keep}, oldest first. */
    List<Checkpoint> overPlanLimit(String planId, int keep) {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoints WHERE plan_id = ?"
                + " ORDER BY created_at DESC, id DESC LIMIT 9223372036854775807 OFFSET ?", CheckpointRepository::map, planId, keep);
    }

    long totalBytes() {
        return jdbc.queryForObject("SELECT COALESCE(SUM(size_bytes), 0) FROM checkpoints WHERE state = 'ok'", Long.class);
    }

    long count() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM checkpoints", Long.class);
    }

    /** Snapshots oldest first over all plans, except one, for the byte budget. */
    List<Checkpoint> oldestFirst(String exceptId, int limit) {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoints WHERE id <> ? AND state = 'ok'"
                + " ORDER BY created_at, id LIMIT ?", CheckpointRepository::map, exceptId, limit);
    }

    List<Checkpoint> all() {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM checkpoints", CheckpointRepository::map);
    }

    private static Checkpoint map(ResultSet rs, int row) throws SQLException {
        return new Checkpoint(rs.getString("id"), rs.getString("plan_id"), rs.getString("resource"), rs.getString("label"),
                rs.getLong("size_bytes"), Timestamps.fromEpoch(rs.getDouble("created_at")), rs.getString("state"),
                rs.getLong("restore_count"), Timestamps.fromEpoch(rs.getObject("last_restored_at")), rs.getString("file"));
    }
}
