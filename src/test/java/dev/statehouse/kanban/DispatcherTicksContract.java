package dev.statehouse.kanban;

import dev.statehouse.health.FdInspector;
import dev.statehouse.health.FdKind;
import dev.statehouse.health.FdScan;
import dev.statehouse.support.Http;
import dev.statehouse.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/** 10,000 dispatcher ticks back to back, with work in some of them, cost no descriptors. */
interface DispatcherTicksContract {

    Http http();

    Dispatcher dispatcher();

    FdInspector fds();

    @Test
    @EnabledOnOs(OS.LINUX)
    default void tenThousandTicksLeaveTheDescriptorCountsUnchanged() throws Exception {
        KanbanClient k = new KanbanClient(http());
        String board = k.board(RunningServer.unique("tick"));
        for (int i = 0; i < 20; i++) { // something to release now and then
            k.readyTask(board, "short lease " + i);
        }
        for (int i = 0; i < 200; i++) {
            dispatcher().tick(); // warm-up
        }
        FdScan before = fds().scan();
        long ticksBefore = dispatcher().ticks();
        int claimed = 0;
        for (int i = 0; i < 10_000; i++) {
            if (i % 500 == 0 && claimed < 20) {
                k.claim(board, "w", 1);
                claimed++;
            }
            Dispatcher.TickStats tick = dispatcher().tick();
            assertThat(tick.error()).isNull();
        }
        Thread.sleep(1100);
        dispatcher().tick(); // the last lease has run out
        FdScan after = fds().scan();

        assertThat(dispatcher().ticks() - ticksBefore).isGreaterThanOrEqualTo(10_001);
        assertThat(after.count(FdKind.DB_MAIN)).as("db").isLessThanOrEqualTo(before.count(FdKind.DB_MAIN));
        assertThat(after.count(FdKind.DB_WAL)).as("wal").isLessThanOrEqualTo(before.count(FdKind.DB_WAL));
        assertThat(after.count(FdKind.DB_SHM)).as("shm").isLessThanOrEqualTo(before.count(FdKind.DB_SHM));
        assertThat(after.count(FdKind.DB_JOURNAL)).as("journal").isZero();
        assertThat(after.open()).as("total (before %s, after %s)", before.byKind(), after.byKind()).isLessThanOrEqualTo(before.open());
        JsonNode status = http().get("/api/dispatcher").json();
        assertThat(status.get("reclaimed_total").asLong()).isGreaterThanOrEqualTo(claimed);
        assertThat(status.get("last_tick").get("duration_micros").asLong()).isPositive();
        System.out.printf("10,000 ticks: fds %d -> %d, db %d -> %d, wal %d -> %d%n", before.open(), after.open(),
                before.count(FdKind.DB_MAIN), after.count(FdKind.DB_MAIN), before.count(FdKind.DB_WAL), after.count(FdKind.DB_WAL));
        assertThat(http().post("/api/boards/" + board + "/claims", map("worker", "w")).status()).isEqualTo(200);
    }
}
