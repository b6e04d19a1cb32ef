package dev.statehouse.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HikariCP pool that checkpoints the write-ahead log before it closes, so that a graceful
 * shutdown folds the WAL into the main file and SQLite removes {@code -wal} and {@code -shm}
 * when the last pooled connection closes.
 */
public class StatehouseDataSource extends HikariDataSource {

    private static final Logger log = LoggerFactory.getLogger(StatehouseDataSource.class);

    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        try (Connection connection = getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
                if (mode.next() && "wal".equalsIgnoreCase(mode.getString(1))) {
                    try (ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                        if (rs.next()) {
                            log.info("shutdown checkpoint: busy={} log={} checkpointed={}",
                                    rs.getInt(1), rs.getInt(2), rs.getInt(3));
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("shutdown checkpoint failed; the WAL will be recovered on next open: {}", e.toString());
        }
        super.close();
    }
}
