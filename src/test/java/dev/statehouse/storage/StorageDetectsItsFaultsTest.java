package dev.statehouse.storage;

import java.sql.Statement;

import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Storage notices its own faults wherever they happen — a dispatcher tick, the event relay, an import
 * — not only when an HTTP request fails and the error handler hears of it (it used to be the web
 * layer's error handler that told {@link StorageHealth}). A write that hits a full database
 * ({@code max_page_count} reached: SQLITE_FULL, as a full disk) through the pool, outside any
 * request, makes the storage indicator report {@code disk_full}; the next write probe clears it.
 */
class StorageDetectsItsFaultsTest extends ServerTestSupport {

    @Autowired
    StorageHealth health;

    @Test
    void aFullDatabaseOutsideAnyRequestIsAStorageFault() {
        assertThat(health.status().fault()).isNull();
        assertThatThrownBy(() -> jdbc.execute((ConnectionCallback<Void>) c -> {
            try (Statement s = c.createStatement()) {
                long pages = 0;
                try (var rs = s.executeQuery("PRAGMA page_count")) {
                    rs.next();
                    pages = rs.getLong(1);
                }
                s.execute("PRAGMA max_page_count = " + pages); // this connection can grow the file no more
                try {
                    s.execute("CREATE TABLE IF NOT EXISTS fault_filler(x BLOB)");
                    s.execute("INSERT INTO fault_filler VALUES (zeroblob(1000000))");
                } finally {
                    s.execute("PRAGMA max_page_count = 4294967294");
                }
            }
            return null;
        })).isInstanceOf(DataAccessException.class);
        assertThat(health.status().fault()).as("seen by storage itself").isEqualTo(StorageErrors.StorageFault.DISK_FULL);
        assertThat(health.probe()).isTrue();
        assertThat(health.status().fault()).isNull();
        jdbc.execute("DROP TABLE IF EXISTS fault_filler");
    }
}
