package dev.statehouse.kanban;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.statehouse.storage.Timestamps;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Every SQL statement about task events: the journal every transition writes, and what watchers replay. */
@Repository
public class TaskEventRepository {

    /** An event's columns, as {@link #mapEvent} reads them. */
    public static final String EVENT_COLUMNS = "id, board, task_id, run_id, kind, payload, created_at";

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher publisher;

    public TaskEventRepository(JdbcTemplate jdbc, ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.publisher = publisher;
    }

    /** Records an event; watchers receive it once the surrounding transaction commits ({@link BoardEvents}). */
    TaskEvent insertEvent(String board, String taskId, String runId, String kind, String payloadJson, double now) {
        Long id = jdbc.queryForObject("INSERT INTO task_events(board, task_id, run_id, kind, payload, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", Long.class, board, taskId, runId, kind, payloadJson, now);
        return announce(new TaskEvent(id, board, taskId, runId, kind, payloadJson, Timestamps.fromEpoch(now)));
    }

    /**
     * Tells watchers of an event that another statement inserted (a claim statement on PostgreSQL
     * writes its events itself); heard once the surrounding transaction commits, or at once when
     * there is none (the statement committed on its own).
     */
    public TaskEvent announce(TaskEvent event) {
        publisher.publishEvent(event); // heard after commit: BoardEvents.publish
        return event;
    }

    List<TaskEvent> events(String taskId) {
        return jdbc.query("SELECT " + EVENT_COLUMNS + " FROM task_events WHERE task_id = ? ORDER BY id",
                TaskEventRepository::mapEvent, taskId);
    }

    /** The newest id among {@code ids}, per board. */
    public java.util.Map<String, Long> newestIdsByBoard(List<Long> ids) {
        java.util.Map<String, Long> newest = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.query("SELECT board, MAX(id) FROM task_events WHERE id IN (" + String.join(",", java.util.Collections.nCopies(ids.size(), "?"))
                    + ") GROUP BY board", rs -> {
                        newest.put(rs.getString(1), rs.getLong(2));
                    }, ids.toArray());
        }
        return newest;
    }

    public List<TaskEvent> boardEventsAfter(String board, long afterId, int limit) {
        return jdbc.query("SELECT " + EVENT_COLUMNS + " FROM task_events"
                + " WHERE board = ? AND id > ? ORDER BY id LIMIT ?", TaskEventRepository::mapEvent, board, afterId, limit);
    }

    /** The newest event id of a board (0 for none): on SQLite every event at or below it has committed. */
    public long lastBoardEventId(String board) {
        Long id = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM task_events WHERE board = ?", Long.class, board);
        return id == null ? 0 : id;
    }

    public static TaskEvent mapEvent(ResultSet rs, int row) throws SQLException {
        return new TaskEvent(rs.getLong("id"), rs.getString("board"), rs.getString("task_id"), rs.getString("run_id"),
                rs.getString("kind"), rs.getString("payload"), Timestamps.fromEpoch(rs.getDouble("created_at")));
    }
}
