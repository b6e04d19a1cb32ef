package dev.statehouse.sessions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.statehouse.storage.Cursor;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;

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

    /**
     * The storage ceiling's "sidebar statement" (bench/StorageCeiling.java, raw JDBC) is the statement
     * this repository runs for a first page with no filter, so the uncached sidebar is measured
     * against its own query.
     */
    @Test
    void theStorageCeilingRunsTheSidebarsOwnStatement() throws Exception {
        String bench = Files.readString(Path.of("bench/StorageCeiling.java"));
        int start = bench.indexOf("SIDEBAR_STATEMENT = \"\"\"") + "SIDEBAR_STATEMENT = \"\"\"".length();
        String ceiling = bench.substring(start, bench.indexOf("\"\"\";", start));
        SidebarRepository.Query query = sidebar.query(new SidebarFilter(null, null, false, false, false), null, 51);
        String positional = NamedParameterUtils.substituteNamedParameters(NamedParameterUtils.parseSqlStatement(query.sql()), query.params());
        assertThat(words(ceiling)).isEqualTo(words(positional));
        List<?> background = (List<?>) query.params().getValue("background");
        assertThat(bench).as("its parameters: no filter, the default background sources, 50 + 1 rows")
                .contains("SIDEBAR_STATEMENT_ARGS = {null, null, null, null, false, false, false, null, false, "
                        + String.join(", ", background.stream().map(v -> "\"" + v + "\"").toList()) + ", 51}");
    }

    private static String words(String sql) {
        return sql.trim().replaceAll("\\s+", " ");
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
