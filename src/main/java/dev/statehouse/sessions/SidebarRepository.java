package dev.statehouse.sessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.Timestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The sidebar's one query (see HELP.md "The sidebar's rules" and migration V6). */
@Repository
public class SidebarRepository {

    /**
     * The sidebar in one statement: heads only (a partial index keeps them in activity order),
     * each joined to its chain's tip and to its own parent. The lineage columns it reads are kept
     * by {@link SessionRepository} on every write that can change a chain, and by {@link MessageRepository#appendMessage}.
     * By default chains without messages and background sources are left out, and so are untitled
     * single-segment CLI sessions with fewer than two user turns (the reference web UI's rule: an
     * agent started and left; its user turns are counted only for those rows). A TUI chain shows its
     * tip's title (TUI segments are named by the user), any other chain its head's.
     */
    private static final String SIDEBAR = """
            SELECT tip.id, CASE WHEN tip.source = 'tui' AND tip.title IS NOT NULL THEN tip.title
                                ELSE COALESCE(head.title, tip.title) END AS title, tip.source, tip.model, tip.project_id,
                   head.started_at, head.lineage_last_activity AS last_activity, tip.ended_at, tip.end_reason,
                   tip.message_count, tip.tool_call_count, tip.input_tokens, tip.output_tokens,
                   tip.pinned, tip.archived, head.id AS root_id, head.lineage_segments AS segments,
                   head.parent_session_id, parent.title AS parent_title
            FROM {heads}
            JOIN sessions tip ON tip.id = head.lineage_tip_id
            LEFT JOIN sessions parent ON parent.id = head.parent_session_id
            WHERE head.lineage_root_id = head.id
              AND (CAST(:source AS TEXT) IS NULL OR tip.source = :source)
              AND (CAST(:project AS TEXT) IS NULL OR tip.project_id = :project)
              AND (:include_archived OR tip.archived = 0)
              AND (:include_empty OR head.lineage_messages > 0)
              AND (:include_empty OR head.source <> 'cli' OR head.lineage_segments > 1
                   OR COALESCE(lower(trim(head.title)), '') NOT IN ('', 'untitled', 'cli', 'cli session')
                   OR (SELECT COUNT(*) FROM messages m WHERE m.session_id = head.id AND m.role = 'user') >= 2)
              AND (CAST(:source AS TEXT) IS NOT NULL OR :include_background OR head.source NOT IN (:background))
              {after}
            ORDER BY head.lineage_last_activity DESC, head.id DESC
            LIMIT :limit
            """;

    private final NamedParameterJdbcTemplate named;
    private final List<String> backgroundSources;

    private final String sidebarSql;
    private final String afterCursorSql;

    /** The heads' {@code FROM} item is the engine's ({@link ChainStatements#sidebarHeads}). */
    public SidebarRepository(JdbcTemplate jdbc, SessionsProperties props, ChainStatements chain) {
        this.named = new NamedParameterJdbcTemplate(jdbc);
        String sidebar = SIDEBAR.replace("{heads}", chain.sidebarHeads());
        this.sidebarSql = sidebar.replace("{after}", "");
        // a row value: both engines seek the sidebar index to the cursor (an OR of the two comparisons
        // made SQLite scan the index from the top, so page n cost n pages)
        this.afterCursorSql = sidebar.replace("{after}", "AND (head.lineage_last_activity, head.id) < (:cursor_key, :cursor_id)");
        // NOT IN () is not SQL: an empty list is one name no source can have
        this.backgroundSources = props.backgroundSources().isEmpty() ? List.of("\u0000") : List.copyOf(props.backgroundSources());
    }

    /** Up to {@code limit} rows after the cursor, newest activity first. */
    public List<SidebarRow> sidebar(SidebarFilter filter, Cursor cursor, int limit) {
        Query query = query(filter, cursor, limit);
        return named.query(query.sql(), query.params(), SidebarRepository::mapRow);
    }

    /** A page's statement and its parameters (the plan test reads them too). */
    record Query(String sql, MapSqlParameterSource params) {
    }

    Query query(SidebarFilter filter, Cursor cursor, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("source", filter.source())
                .addValue("project", filter.projectId())
                .addValue("include_archived", filter.includeArchived())
                .addValue("include_empty", filter.includeEmpty())
                .addValue("include_background", filter.includeBackground())
                .addValue("background", backgroundSources)
                .addValue("cursor_key", cursor == null ? null : cursor.key())
                .addValue("cursor_id", cursor == null ? null : cursor.id())
                .addValue("limit", limit);
        return new Query(cursor == null ? sidebarSql : afterCursorSql, params);
    }

    /** By position in {@link #SIDEBAR}'s select list (by name, the driver searched the names per column per row). */
    private static SidebarRow mapRow(ResultSet rs, int row) throws SQLException {
        String id = rs.getString(1);
        double lastActivity = rs.getDouble(7);
        String parent = rs.getString(18);
        return new SidebarRow(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Timestamps.fromEpoch(rs.getDouble(6)), Timestamps.fromEpoch(lastActivity), Timestamps.fromEpoch(rs.getObject(8)),
                rs.getString(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getInt(14) == 1,
                rs.getInt(15) == 1, rs.getString(16), id, rs.getInt(17), parent == null ? "root" : "child_session", parent,
                rs.getString(19), lastActivity);
    }
}
