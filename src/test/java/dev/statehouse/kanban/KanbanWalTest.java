package dev.statehouse.kanban;

import dev.statehouse.storage.GroupCommit;
import dev.statehouse.support.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class KanbanWalTest extends ServerTestSupport implements KanbanContract, ClaimConcurrencyContract, DispatcherTicksContract {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    GroupCommit groupCommit;

    @Override
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public GroupCommit groupCommit() {
        return groupCommit;
    }

    @org.junit.jupiter.api.Test
    void everyPooledConnectionHasTheStoragePragmas() {
        assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualToIgnoringCase("wal");
        assertThat(jdbc.queryForObject("PRAGMA synchronous", Integer.class)).as("NORMAL").isEqualTo(1);
        assertThat(jdbc.queryForObject("PRAGMA foreign_keys", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("PRAGMA busy_timeout", Integer.class)).isEqualTo(5000);
        assertThat(jdbc.queryForObject("PRAGMA journal_size_limit", Long.class)).isEqualTo(67108864L);
    }
}
