package dev.statehouse.storage.sqlite;

import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.WriteProbe;
import dev.statehouse.storage.WriteQueueTransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * SQLite: {@code PRAGMA user_version} set to its own value (a write to the database header that
 * changes nothing); every commit of the write turn clears a fault at once.
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class SqliteWriteProbe implements WriteProbe {

    private final WriteQueueTransactionManager transactions;

    public SqliteWriteProbe(WriteQueueTransactionManager transactions) {
        this.transactions = transactions;
    }

    @Override
    public void write(JdbcTemplate jdbc) {
        Integer version = jdbc.queryForObject("PRAGMA user_version", Integer.class);
        jdbc.execute("PRAGMA user_version = " + version);
    }

    @Override
    public void onEveryCommit(Runnable listener) {
        transactions.onCommit(listener);
    }
}
