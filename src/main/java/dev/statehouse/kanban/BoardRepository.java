package dev.statehouse.kanban;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Every SQL statement about boards: {@code /api/boards} and a board's task counts. */
@Repository
public class BoardRepository {

    private final JdbcTemplate jdbc;

    public BoardRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean insertBoard(String slug, String name, String description, double now) {
        return jdbc.update("INSERT INTO boards(slug, name, description, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(slug) DO NOTHING",
                slug, name, description, now) == 1;
    }

    Optional<Board> findBoard(String slug) {
        List<Board> boards = jdbc.query("SELECT slug, name, description, created_at, archived FROM boards WHERE slug = ?",
                (rs, i) -> mapBoard(rs, taskCounts(rs.getString("slug"))), slug);
        return boards.stream().findFirst();
    }

    /** Whether the board is archived; empty when there is no such board. A cheap check for every write. */
    Optional<Boolean> boardArchived(String slug) {
        return jdbc.query("SELECT archived FROM boards WHERE slug = ?", (rs, i) -> rs.getInt(1) == 1, slug).stream().findFirst();
    }

    /** Up to {@code limit} boards after {@code after} (created_at, slug), oldest first. */
    List<Board> listBoards(boolean includeArchived, Cursor after, int limit) {
        return jdbc.query("SELECT slug, name, description, created_at, archived FROM boards WHERE (? OR archived = 0)"
                        + " AND (CAST(? AS INTEGER) IS NULL OR (created_at, slug) > (?, ?)) ORDER BY created_at, slug LIMIT ?",
                (rs, i) -> mapBoard(rs, null), includeArchived, after == null ? null : 1, after == null ? null : after.key(),
                after == null ? null : after.id(), limit);
    }

    boolean archiveBoard(String slug) {
        return jdbc.update("UPDATE boards SET archived = 1 WHERE slug = ?", slug) == 1;
    }

    private Map<String, Long> taskCounts(String slug) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TaskStatus s : TaskStatus.values()) {
            counts.put(s.value(), 0L);
        }
        jdbc.query("SELECT status, COUNT(*) FROM tasks WHERE board = ? GROUP BY status",
                rs -> { counts.put(rs.getString(1), rs.getLong(2)); }, slug);
        return counts;
    }

    private static Board mapBoard(ResultSet rs, Map<String, Long> counts) throws SQLException {
        return new Board(rs.getString("slug"), rs.getString("name"), rs.getString("description"),
                Timestamps.fromEpoch(rs.getDouble("created_at")), rs.getInt("archived") == 1, counts, rs.getDouble("created_at"));
    }
}
