package dev.statehouse.kanban;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import javax.sql.DataSource;

import dev.statehouse.support.Http;
import dev.statehouse.support.Postgres;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single claim is planned once per connection, not on every claim. The driver prepares a
 * statement on the server from its fifth use; the server then plans it for the given values five
 * times and afterwards keeps one generic plan, unless that plan looks dearer than the custom
 * ones. With {@code LIMIT ?} the generic plan assumed a tenth of the queue would come back and was
 * never chosen: each claim paid a fresh plan (a third of its time on the server). The pool holds
 * two connections; {@code pg_prepared_statements} on both shows every plan the claims made.
 */
@DirtiesContext
class ClaimPlanPostgresTest extends ServerTestSupport {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry, "claimplan");
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "2");
        registry.add("spring.datasource.hikari.minimum-idle", () -> "2");
    }

    @Test
    void theSingleClaimKeepsOneGenericPlan() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = longQueue("plan");
        for (int i = 0; i < 60; i++) {
            assertThat(k.claim(board, "w", 60).get("task").get("id").asString()).startsWith("t_plan");
        }
        assertKeptPlan("WITH claimed AS (%FOR UPDATE SKIP LOCKED%");
    }

    /** The batch claim likewise: its limit, a checked integer, is written into the statement (one per batch size). */
    @Test
    void theBatchClaimKeepsOneGenericPlanPerBatchSize() throws Exception {
        String board = longQueue("batchplan");
        for (int i = 0; i < 60; i++) {
            Http.Response r = http.post("/api/boards/" + board + "/claims/batch", map("worker", "w", "ttlSeconds", 60, "max", 3));
            assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        }
        assertKeptPlan("WITH picked AS (%FOR UPDATE SKIP LOCKED%");
    }

    /** A board with 20,000 ready tasks, known to the planner: a generic plan for {@code LIMIT ?} looks dear. */
    private String longQueue(String name) {
        String board = new KanbanClient(http).board(unique(name));
        jdbc.update("INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at)"
                + " SELECT 't_' || ? || '_' || g, ?, 'task', 'ready', g % 3, g, 0 FROM generate_series(1, 20000) g", name, board);
        jdbc.execute("ANALYZE tasks");
        return board;
    }

    /** Sixty runs of the statement over the two connections: at most five custom plans each, the rest on the kept one. */
    private void assertKeptPlan(String like) throws Exception {
        long custom = 0;
        long generic = 0;
        DataSource pool = jdbc.getDataSource();
        try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) { // the whole pool
            for (Connection c : List.of(a, b)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(custom_plans), 0), coalesce(sum(generic_plans), 0)"
                        + " FROM pg_prepared_statements WHERE statement LIKE ?")) {
                    ps.setString(1, like);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        custom += rs.getLong(1);
                        generic += rs.getLong(2);
                    }
                }
            }
        }
        assertThat(custom).as("planned anew (at most five per connection); kept plan used %d times", generic)
                .isLessThanOrEqualTo(10);
        assertThat(generic).as("runs on a kept plan").isGreaterThanOrEqualTo(30);
    }
}
