package dev.statehouse.hostile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.statehouse.health.FdKind;
import dev.statehouse.health.FdScan;
import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import dev.statehouse.storage.PoolControl;
import dev.statehouse.storage.WriteQueueTransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another process holds the write lock for 10 s: writes answer 503 with Retry-After once the busy
 * timeout (5 s) passes — never 500 — reads keep working, no threads or descriptors pile up, and
 * writes succeed again as soon as the lock is released.
 */
@EnabledOnOs(OS.LINUX)
class ContentionTest extends ServerTestSupport {

    @Autowired
    WriteQueueTransactionManager transactions;

    @Autowired
    PoolControl pool;

    @Test
    void aTenSecondExternalWriteLockGives503sThenRecovers() throws Exception {
        String s = unique("busy");
        assertThat(http.post("/api/sessions", map("id", s, "source", "busy")).status()).isEqualTo(201);
        for (int i = 0; i < 20; i++) { // warm every pooled connection and the HTTP client
            http.get("/api/sessions/" + s);
        }
        FdScan before = fds().scan();

        Process holder = new ProcessBuilder("sqlite3", database.file().toString()).redirectErrorStream(true).start();
        OutputStream in = holder.getOutputStream();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        in.write(".timeout 2000\nBEGIN IMMEDIATE;\nSELECT 'locked';\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(out.readLine()).isEqualTo("locked");
        long lockedAt = System.nanoTime();

        ExecutorService writers = Executors.newFixedThreadPool(12);
        List<Future<Http.Response>> writes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            writes.add(writers.submit(() -> new Http(port).post("/api/sessions/" + s + "/messages", map("role", "user", "content", "w" + n))));
        }
        // reads are not stuck behind the waiting writers
        Thread.sleep(500);
        long readStart = System.nanoTime();
        Http.Response read = http.get("/api/sessions/" + s);
        long readMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readStart);
        assertThat(read.status()).isEqualTo(200);
        assertThat(readMs).as("a read while writers wait").isLessThan(1000);
        assertThat(http.get("/api/sessions?source=busy").status()).isEqualTo(200);

        for (Future<Http.Response> f : writes) {
            Http.Response r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.raw().body()).isEqualTo(503);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.header("Retry-After")).isEqualTo("1");
        }
        long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockedAt);
        // a writer waits at most the busy timeout for its turn in the process, then at most the busy
        // timeout for SQLite's lock: never longer than twice it, however many writers queue
        assertThat(answeredMs).as("all writers answered within twice the busy timeout").isLessThan(11_000);
        writers.shutdown();
        assertThat(writers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        long remaining = 10_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockedAt);
        if (remaining > 0) {
            Thread.sleep(remaining);
        }
        in.write("COMMIT;\n.quit\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Http.Response after = http.post("/api/sessions/" + s + "/messages", map("role", "user", "content", "after"));
        assertThat(after.status()).as(after.raw().body()).isEqualTo(201);
        assertThat(http.get("/api/sessions/" + s).json().get("message_count").asLong()).isEqualTo(1);

        FdScan later = fds().scan();
        assertThat(later.count(FdKind.DB_WAL)).isLessThanOrEqualTo(before.count(FdKind.DB_WAL));
        assertThat(later.count(FdKind.DB_MAIN)).isLessThanOrEqualTo(before.count(FdKind.DB_MAIN));
        assertThat(later.open()).as("before %s after %s", before.byKind(), later.byKind()).isLessThanOrEqualTo(before.open() + 4);
        // nothing is left waiting: no writer queued for its turn, no thread waiting for a connection
        assertThat(transactions.queued()).isZero();
        assertThat(pool.stats().waiting()).isZero();
        assertThat(pool.stats().active()).isZero();
    }
}
