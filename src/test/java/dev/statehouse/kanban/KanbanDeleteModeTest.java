package dev.statehouse.kanban;

import dev.statehouse.storage.GroupCommit;
import dev.statehouse.support.DeleteModeServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class KanbanDeleteModeTest extends DeleteModeServer implements KanbanContract, ClaimConcurrencyContract, DispatcherTicksContract {

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

    @Test
    void theDatabaseReallyRunsWithARollbackJournalAndTheScheduledDispatcherTicks() throws Exception {
        assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualToIgnoringCase("delete");
        long before = dispatcher.ticks();
        Thread.sleep(500);
        assertThat(dispatcher.ticks() - before).as("ticks at a 20 ms interval in 500 ms").isGreaterThanOrEqualTo(5);
        assertThat(http.get("/api/dispatcher").json().get("last_tick").get("error").isNull()).isTrue();
    }
}
