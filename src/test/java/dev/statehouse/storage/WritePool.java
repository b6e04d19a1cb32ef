package dev.statehouse.storage;

import java.nio.file.Path;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A pool of its own for the storage tests: a WAL file with the service's pragmas, three
 * connections, the write queue in front (3 s for a turn) and two tables, {@code p} and {@code c},
 * whose key to {@code p} is checked only at COMMIT.
 */
final class WritePool implements AutoCloseable {

    final StatehouseDataSource dataSource = new StatehouseDataSource();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final WriteQueueTransactionManager manager;
    final JdbcTemplate jdbc;

    /** {@code busyTimeoutMs}: how long SQLite waits for another connection's write lock. */
    WritePool(Path dir, int busyTimeoutMs) {
        dataSource.setJdbcUrl("jdbc:sqlite:" + dir.resolve("t.db"));
        dataSource.setMaximumPoolSize(3);
        dataSource.addDataSourceProperty("journal_mode", "WAL");
        dataSource.addDataSourceProperty("busy_timeout", String.valueOf(busyTimeoutMs));
        dataSource.addDataSourceProperty("foreign_keys", "true");
        dataSource.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        manager = new WriteQueueTransactionManager(dataSource, 3000, registry);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)");
        jdbc.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
    }

    long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
