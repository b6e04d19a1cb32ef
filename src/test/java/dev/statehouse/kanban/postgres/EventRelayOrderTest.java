package dev.statehouse.kanban.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.statehouse.support.Postgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's reading rule under concurrent writers that commit out of id order: everything it
 * delivers, it delivers once and in (tx, id) order, and once the writers stop it has delivered
 * every committed event. Writers use raw connections (as other replicas would).
 */
class EventRelayOrderTest {

    @Test
    void concurrentWritersCommittingOutOfOrderAreDeliveredOnceInCommitOrder() throws Exception {
        String url = Postgres.newDatabase("relayorder");
        JdbcTemplate db = Postgres.jdbc(url);
        DataSource ds = db.getDataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/postgresql").load().migrate();
        db.update("INSERT INTO boards(slug, name, created_at) VALUES ('b', 'b', 1)");
        db.update("INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at) VALUES ('t', 'b', 't', 'ready', 0, 1, 1)");

        PostgresEventRelay relay = new PostgresEventRelay(db, java.time.Duration.ofMillis(5), new SimpleMeterRegistry());
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        relay.attach((event, position) -> delivered.add(position.sseId()), () -> true);
        relay.poll(); // the horizon is set: every event committed from here on is the relay's to deliver
        relay.start();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        for (int w = 0; w < 8; w++) {
            writers.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    try (Connection c = ds.getConnection()) {
                        c.setAutoCommit(false);
                        try (PreparedStatement s = c.prepareStatement("SELECT pg_current_xact_id()")) {
                            s.execute(); // the xid first, then some work: ids and xids interleave across writers
                        }
                        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                        try (PreparedStatement s = c.prepareStatement("INSERT INTO task_events(board, task_id, kind, payload, created_at)"
                                + " VALUES ('b', 't', 'note', '{}', 1)")) {
                            s.execute();
                        }
                        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                        if (ThreadLocalRandom.current().nextInt(10) == 0) {
                            c.rollback();
                        } else {
                            c.commit();
                        }
                    }
                }
                return null;
            });
        }
        writers.shutdown();
        assertThat(writers.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        List<String> expected = db.queryForList("SELECT tx::text || '.' || id FROM task_events ORDER BY tx, id", String.class);
        try {
            await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(20))
                    .until(() -> delivered.size() >= expected.size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the assertions below say what is missing
        }
        Thread.sleep(100);
        relay.stop();
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(delivered);
        assertThat(missing).as("committed but never delivered").isEmpty();
        assertThat(delivered).as("once each, in (tx, id) order").isEqualTo(expected);
    }
}
