package dev.statehouse.health;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of fdLeak, fired by a real leak in this process and cleared when the leak closes. */
@EnabledOnOs(OS.LINUX)
class FdLeakRulesTest extends LeakTestSupport {

    private final List<FileChannel> files = new ArrayList<>();

    private void openFiles(int n) throws IOException {
        Path dir = DATA_DIR.resolve("leak");
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            FileChannel c = FileChannel.open(dir.resolve("f" + (files.size() % 64)), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            files.add(c);
            leaked.add(c);
        }
    }

    /** No sample is taken here (they run hourly in these tests): the next probe must see the recovery by itself. */
    private void closeTheLeakAndExpectUp() throws Exception {
        for (FileChannel c : files) {
            c.close();
        }
        Thread.sleep(600); // older than the 500 ms a probe's answer may be
        assertThat(liveness()).isEqualTo(200);
        assertThat(fdLeakStatus()).isEqualTo("UP");
    }

    private static String reasons(JsonNode fdLeak) {
        return fdLeak.get("details").get("reasons").toString();
    }

    @Test
    void healthyAtRest() {
        sampler.sampleNow();
        JsonNode fd = fdLeak();
        assertThat(fd.get("status").asString()).isEqualTo("UP");
        JsonNode d = fd.get("details");
        assertThat(d.get("source").asString()).isEqualTo("/proc/self/fd");
        assertThat(d.get("databaseHandles").get("shm").asInt()).isEqualTo(1);
        assertThat(d.get("databaseHandles").get("wal").asInt()).isBetween(1, 8);
        assertThat(d.get("walBudget").asInt()).isEqualTo(12);
        assertThat(d.get("pool").get("max").asInt()).isEqualTo(8);
        assertThat(d.get("limit").asLong()).isPositive();
        assertThat(d.get("reasons").isEmpty()).isTrue();
        assertThat(liveness()).isEqualTo(200);
    }

    @Test
    void leakedConnectionsOverTheWalBudgetGoDownAfterConsecutiveSamples() throws Exception {
        for (int i = 0; i < 6; i++) { // 8 pooled + 6 leaked = 14 -wal handles > 8 + 4
            leakConnection();
        }
        sampler.sampleNow();
        sampler.sampleNow();
        JsonNode two = fdLeak();
        assertThat(two.get("status").asString()).isEqualTo("UP");
        assertThat(two.get("details").get("warnings").toString()).contains("over the budget");
        sampler.sampleNow();
        JsonNode three = fdLeak();
        assertThat(three.get("status").asString()).isEqualTo("DOWN");
        assertThat(reasons(three)).contains("-wal handles").contains("leaked connection");
        assertThat(three.get("details").get("databaseHandles").get("wal").asInt()).isGreaterThanOrEqualTo(14);
        assertThat(liveness()).isEqualTo(503);
        assertThat(anonymousLiveness()).isEqualTo("503 {\"status\":\"DOWN\"}");
        // readiness does not carry fdLeak: the pod is not pulled from service for it
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);

        for (AutoCloseable c : leaked) {
            c.close();
        }
        leaked.clear();
        sampler.sampleNow();
        assertThat(fdLeakStatus()).isEqualTo("UP");
        assertThat(liveness()).isEqualTo(200);
        assertThat(anonymousLiveness()).isEqualTo("200 {\"status\":\"UP\"}");
    }

    @Test
    void openDescriptorsPastTheCriticalRatioGoDownAndRecover() throws Exception {
        long pid = ProcessHandle.current().pid();
        sampler.sampleNow();
        JsonNode before = fdLeak().get("details");
        long originalSoft = before.get("limit").asLong();
        int open = before.get("open").asInt();
        long soft = open + 150; // hard limit untouched, so the soft one can be put back
        prlimit(pid, soft);
        try {
            sampler.sampleNow();
            assertThat(fdLeak().get("details").get("limit").asLong()).isEqualTo(soft);
            openFiles((int) (soft * 0.80) - open);
            sampler.sampleNow();
            JsonNode warned = fdLeak();
            assertThat(warned.get("status").asString()).isEqualTo("UP");
            assertThat(warned.get("details").get("warnings").toString()).contains("of the soft limit");
            openFiles((int) (soft * 0.92) - (int) (soft * 0.80));
            sampler.sampleNow();
            JsonNode critical = fdLeak();
            assertThat(critical.get("status").asString()).isEqualTo("DOWN");
            assertThat(reasons(critical)).contains("of the soft limit");
            assertThat(critical.get("details").get("ratio").asDouble()).isGreaterThanOrEqualTo(0.9);
            assertThat(liveness()).isEqualTo(503);

            closeTheLeakAndExpectUp();
        } finally {
            prlimit(pid, originalSoft);
        }
    }

    @Test
    void sustainedGrowthGoesDownButOneBurstDoesNot() throws Exception {
        // one burst of 150 descriptors between flat stretches
        for (int i = 0; i < 5; i++) {
            sampler.sampleNow();
            Thread.sleep(60);
        }
        openFiles(150);
        for (int i = 0; i < 10; i++) {
            sampler.sampleNow();
            Thread.sleep(60);
        }
        JsonNode burst = fdLeak();
        assertThat(burst.get("status").asString()).as(burst.toString()).isEqualTo("UP");
        assertThat(burst.get("details").get("growthSustained").asBoolean()).isFalse();
        assertThat(burst.get("details").get("growthPerHour").asDouble()).isPositive();

        // a steady leak: 12 descriptors per sample
        sampler.resetHistory();
        for (int i = 0; i < 18; i++) {
            openFiles(12);
            sampler.sampleNow();
            Thread.sleep(70);
        }
        JsonNode leak = fdLeak();
        assertThat(leak.get("status").asString()).as(leak.toString()).isEqualTo("DOWN");
        assertThat(reasons(leak)).contains("descriptors growing");
        assertThat(leak.get("details").get("growthSustained").asBoolean()).isTrue();
        assertThat(leak.get("details").get("secondsToExhaustion").asLong()).isPositive();
        assertThat(liveness()).isEqualTo(503);

        closeTheLeakAndExpectUp();
    }

    @Test
    void metricsArePublishedForPrometheus() {
        sampler.sampleNow();
        String metrics = http.get("/actuator/prometheus").raw().body();
        assertThat(metrics)
                .contains("statehouse_fd_open{kind=\"db_wal\"}")
                .contains("statehouse_fd_open{kind=\"socket\"}")
                .contains("statehouse_db_handles{file=\"wal\"}")
                .contains("statehouse_db_handles{file=\"shm\"} 1.0")
                .contains("statehouse_fd_deleted 0.0")
                .contains("statehouse_fd_exhaustion_eta_seconds")
                .contains("statehouse_fd_heals_total")
                .contains("statehouse_wal_size_bytes")
                .contains("statehouse_fd_leak_down 0.0")
                .contains("hikaricp_connections_active{pool=\"statehouse\"}")
                .contains("process_files_open_files");
        assertThat(http.post("/api/sessions", map("source", "metrics")).status()).isEqualTo(201);
    }

    private static void prlimit(long pid, long soft) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
