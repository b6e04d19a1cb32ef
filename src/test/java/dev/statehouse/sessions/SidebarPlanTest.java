package dev.statehouse.sessions;

import java.util.List;

import dev.statehouse.storage.Cursor;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 30: a cursor page of the sidebar seeks the sidebar index to the cursor (SQLite's plan says
 * SEARCH … (lineage_last_activity,id)<(?,?)); the comparison written as an OR made it SCAN the index
 * from the top, so at 1,000,000 sessions a page 90 % down took 43 ms against 1 ms for the first
 * (docs/benchmarks.md, bench/large.sh).
 */
class SidebarPlanTest extends ServerTestSupport {

    @Autowired
    SidebarRepository sidebar;

    private List<String> plan(Cursor cursor) {
        SidebarRepository.Query query = sidebar.query(new SidebarFilter(null, null, false, false, false), cursor, 51);
        return new NamedParameterJdbcTemplate(jdbc).queryForList("EXPLAIN QUERY PLAN " + query.sql(), query.params()).stream()
                .map(row -> String.valueOf(row.get("detail"))).toList();
    }

    @Test
    void aCursorPageSeeksTheIndexInsteadOfScanningFromTheTop() {
        assertThat(plan(new Cursor(1_780_000_000.5, "s_x"))).as("a cursor page")
                .anyMatch(d -> d.startsWith("SEARCH head USING INDEX idx_sessions_sidebar") && d.contains("(lineage_last_activity,id)<(?,?)"))
                .noneMatch(d -> d.startsWith("SCAN head"));
        assertThat(plan(null)).as("the first page walks the index from the top, newest first")
                .anyMatch(d -> d.contains("head USING INDEX idx_sessions_sidebar")).noneMatch(d -> d.contains("TEMP B-TREE"));
    }
}
