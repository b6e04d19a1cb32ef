package dev.statehouse.kanban;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The statements of {@link Retention}: what is old enough to prune, the pruning, and each board's event horizon. */
@Repository
public class RetentionRepository {

    private final JdbcTemplate jdbc;

    public RetentionRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Events created before {@code cutoff} (epoch seconds), oldest first, none of a run still running. */
    public List<Long> oldEvents(double cutoff, int limit) {
        return jdbc.queryForList("SELECT e.id FROM task_events e WHERE e.created_at < ?"
                + " AND (e.run_id IS NULL OR NOT EXISTS (SELECT 1 FROM task_runs r WHERE r.id = e.run_id AND r.status = 'running'))"
                + " ORDER BY e.created_at LIMIT ?", Long.class, cutoff, limit);
    }

    /** When the oldest event that is not of a running run was created (epoch seconds), or null when there is none. */
    public Double oldestPrunableEvent() {
        return jdbc.query("SELECT e.created_at FROM task_events e WHERE e.run_id IS NULL OR NOT EXISTS"
                + " (SELECT 1 FROM task_runs r WHERE r.id = e.run_id AND r.status = 'running') ORDER BY e.created_at LIMIT 1",
                rs -> rs.next() ? rs.getDouble(1) : null);
    }

    /** Boards holding more than {@code max} events. */
    public List<String> crowdedBoards(int max) {
        return jdbc.queryForList("SELECT board FROM task_events GROUP BY board HAVING COUNT(*) > ?", String.class, max);
    }

    /** The oldest events of {@code board} beyond the newest {@code keep}, at most {@code limit}, none of a running run. */
    public List<Long> eventsBeyond(String board, int keep, int limit) {
        return jdbc.queryForList("SELECT e.id FROM task_events e WHERE e.board = ? AND e.id < (SELECT MIN(id) FROM"
                + " (SELECT id FROM task_events WHERE board = ? ORDER BY id DESC LIMIT ?) newest)"
                + " AND (e.run_id IS NULL OR NOT EXISTS (SELECT 1 FROM task_runs r WHERE r.id = e.run_id AND r.status = 'running'))"
                + " ORDER BY e.id LIMIT ?", Long.class, board, board, keep, limit);
    }

    public int deleteEvents(List<Long> ids) {
        return ids.isEmpty() ? 0 : jdbc.update("DELETE FROM task_events WHERE id IN (" + marks(ids.size()) + ")", ids.toArray());
    }

    /** Runs that ended before {@code cutoff} and are not running, oldest first. */
    public List<String> oldRuns(double cutoff, int limit) {
        return jdbc.queryForList("SELECT id FROM task_runs WHERE status <> 'running' AND ended_at < ? ORDER BY ended_at LIMIT ?",
                String.class, cutoff, limit);
    }

    public int deleteRuns(List<String> ids) {
        return ids.isEmpty() ? 0 : jdbc.update("DELETE FROM task_runs WHERE status <> 'running' AND id IN (" + marks(ids.size()) + ")",
                ids.toArray());
    }

    /**
     * Done or archived tasks last changed before {@code cutoff}, oldest first, none that a task not yet
     * done or archived depends on (its child would lose the parent it waits for).
     */
    public List<String> oldFinishedTasks(double cutoff, int limit) {
        return jdbc.queryForList("SELECT t.id FROM tasks t WHERE t.status IN ('done', 'archived') AND t.updated_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM task_links l JOIN tasks c ON c.id = l.child_id"
                + " WHERE l.parent_id = t.id AND c.status NOT IN ('done', 'archived'))"
                + " ORDER BY t.updated_at LIMIT ?", String.class, cutoff, limit);
    }

    /** At most {@code limit} events of {@code tasks}. */
    public List<Long> eventsOf(List<String> tasks, int limit) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        Object[] args = java.util.stream.Stream.concat(tasks.stream(), java.util.stream.Stream.of(limit)).toArray();
        return jdbc.queryForList("SELECT id FROM task_events WHERE task_id IN (" + marks(tasks.size()) + ") ORDER BY id LIMIT ?", Long.class, args);
    }

    /** Deletes {@code ids} if still done or archived; their comments, runs and links go with them (ON DELETE CASCADE). */
    public int deleteTasks(List<String> ids) {
        return ids.isEmpty() ? 0 : jdbc.update("DELETE FROM tasks WHERE status IN ('done', 'archived') AND id IN (" + marks(ids.size()) + ")",
                ids.toArray());
    }

    /** Moves {@code board}'s horizon up to {@code pruned} (never down). */
    public void advanceHorizon(String board, EventPosition pruned) {
        jdbc.update("INSERT INTO board_event_horizons (board, pruned_tx, pruned_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (board) DO UPDATE SET pruned_tx = excluded.pruned_tx, pruned_id = excluded.pruned_id"
                + " WHERE (board_event_horizons.pruned_tx, board_event_horizons.pruned_id) < (excluded.pruned_tx, excluded.pruned_id)",
                board, pruned.tx(), pruned.id());
    }

    /** The newest position pruned from {@code board}, if any was. */
    public Optional<EventPosition> horizon(String board) {
        return jdbc.query("SELECT pruned_tx, pruned_id FROM board_event_horizons WHERE board = ?",
                (rs, i) -> new EventPosition(rs.getLong(1), rs.getLong(2)), board).stream().findFirst();
    }

    private static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }
}
