package dev.statehouse.projects;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Every SQL statement about projects. */
@Repository
public class ProjectRepository {

    private static final String SELECT = """
            SELECT p.id, p.name, p.color, p.created_at,
                   (SELECT COUNT(*) FROM sessions s WHERE s.project_id = p.id) AS session_count
            FROM projects p
            """;

    private final JdbcTemplate jdbc;

    public ProjectRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} projects after {@code after} (created_at, id), oldest first. */
    public List<Project> list(Cursor after, int limit) {
        if (after == null) {
            return jdbc.query(SELECT + " ORDER BY p.created_at, p.id LIMIT ?", ProjectRepository::map, limit);
        }
        return jdbc.query(SELECT + " WHERE (p.created_at, p.id) > (?, ?) ORDER BY p.created_at, p.id LIMIT ?",
                ProjectRepository::map, after.key(), after.id(), limit);
    }

    public Optional<Project> find(String id) {
        return jdbc.query(SELECT + " WHERE p.id = ?", ProjectRepository::map, id).stream().findFirst();
    }

    public boolean exists(String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS(SELECT 1 FROM projects WHERE id = ?)", Boolean.class, id));
    }

    /** Inserts unless the id is taken; returns whether a row was written. */
    public boolean insert(String id, String name, String color, Instant createdAt) {
        boolean inserted = jdbc.update("INSERT INTO projects(id, name, color, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                id, name, color, Timestamps.toEpoch(createdAt)) == 1;
        return inserted;
    }

    public boolean update(String id, String name, boolean setColor, String color) {
        boolean updated = jdbc.update("""
                UPDATE projects SET name = COALESCE(?, name),
                                    color = CASE WHEN ? THEN ? ELSE color END
                WHERE id = ?
                """, name, setColor, color, id) == 1;
        return updated;
    }

    /** Deletes the project; its sessions are unassigned by the foreign key (ON DELETE SET NULL). */
    public boolean delete(String id) {
        boolean deleted = jdbc.update("DELETE FROM projects WHERE id = ?", id) == 1;
        return deleted;
    }

    private static Project map(ResultSet rs, int row) throws SQLException {
        return new Project(rs.getString("id"), rs.getString("name"), rs.getString("color"),
                Timestamps.fromEpoch(rs.getDouble("created_at")), rs.getLong("session_count"),
                rs.getDouble("created_at"));
    }
}
