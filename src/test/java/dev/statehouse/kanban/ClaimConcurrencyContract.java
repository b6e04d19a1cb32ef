package dev.statehouse.kanban;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.support.Http;
import dev.statehouse.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500 ready tasks, 16 HTTP claimers (half of them taking up to three tasks per batch claim) and a
 * second OS process claiming straight in the database ({@link #externalClaimer}): each task is
 * claimed exactly once.
 */
interface ClaimConcurrencyContract {

    Http http();

    JdbcTemplate jdbc();

    DatabaseLocation database();

    /**
     * A second OS process that claims {@code count} tasks of the board straight in the database,
     * printing each claimed id on a line of its own and then {@code external-done}: here the sqlite3
     * CLI with a BEGIN IMMEDIATE compare-and-set on the database file.
     */
    default Process externalClaimer(String board, int count) throws Exception {
        StringBuilder script = new StringBuilder(".timeout 20000\n");
        for (int i = 0; i < count; i++) {
            // paced, so that its claims interleave with the service's instead of racing ahead
            script.append(i == 0 ? "" : ".shell sleep 0.004\n").append("BEGIN IMMEDIATE;\n")
                    .append("UPDATE tasks SET status = 'running', claim_lock = 'ext-' || lower(hex(randomblob(8))),")
                    .append(" claimed_by = 'external', claim_expires = unixepoch() + 600, updated_at = unixepoch()")
                    .append(" WHERE id = (SELECT id FROM tasks WHERE board = '").append(board)
                    .append("' AND status = 'ready' ORDER BY priority DESC, created_at, id LIMIT 1) AND status = 'ready' RETURNING id;\n")
                    .append("COMMIT;\n");
        }
        script.append("SELECT 'external-done';\n");
        return feed(new ProcessBuilder("sqlite3", database().file().toString()).redirectErrorStream(true).start(), script.toString());
    }

    /** Writes {@code script} to the process's standard input on a thread of its own, then closes it. */
    static Process feed(Process process, String script) {
        Thread writer = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                // the process ended early: its output says why
            }
        });
        writer.setDaemon(true);
        writer.start();
        return process;
    }

    @Test
    default void everyTaskIsClaimedExactlyOnceByThreadsAndAnotherProcess() throws Exception {
        String board = RunningServer.unique("race");
        assertThat(http().post("/api/boards", map("slug", board, "name", "Race")).status()).isEqualTo(201);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(new Object[] {String.format("t_race_%s_%03d", board, i), board, "task " + i, i % 5, 1_000_000 + i});
        }
        jdbc().batchUpdate("INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at)"
                + " VALUES (?, ?, ?, 'ready', ?, ?, 0)", rows);

        Process external = externalClaimer(board, 250);
        List<String> externalIds = Collections.synchronizedList(new ArrayList<>());
        List<String> externalOther = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch externalStarted = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(external.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("t_race_")) {
                        externalIds.add(line.trim());
                        externalStarted.countDown();
                    } else if (!line.isBlank()) {
                        externalOther.add(line);
                    }
                }
            } catch (Exception e) {
                externalOther.add(e.toString());
            } finally {
                externalStarted.countDown();
            }
        });
        reader.start();
        assertThat(externalStarted.await(30, TimeUnit.SECONDS)).isTrue();

        List<String> httpIds = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int w = 0; w < 16; w++) {
            String worker = "worker-" + w;
            boolean batch = w % 2 == 1; // half the workers take up to 3 tasks at a time
            pool.submit(() -> {
                Http client = http();
                while (true) {
                    Http.Response r = batch
                            ? client.post("/api/boards/" + board + "/claims/batch", map("worker", worker, "ttlSeconds", 600, "max", 3))
                            : client.post("/api/boards/" + board + "/claims", map("worker", worker, "ttlSeconds", 600));
                    if (r.status() == 204 || (batch && r.status() == 200 && r.json().get("claims").isEmpty())) {
                        return;
                    }
                    if (r.status() != 200) {
                        errors.incrementAndGet();
                        if (r.status() != 503) {
                            failures.add(r.status() + " " + r.raw().body());
                            return;
                        }
                        continue; // busy: retry, as a worker would
                    }
                    if (batch) {
                        r.json().get("claims").forEach(claim -> httpIds.add(claim.get("task").get("id").asString()));
                    } else {
                        httpIds.add(r.json().get("task").get("id").asString());
                    }
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        assertThat(external.waitFor(120, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);

        assertThat(failures).as("answers other than a claim, nothing ready, or busy").isEmpty();
        Set<String> all = new HashSet<>(httpIds);
        all.addAll(externalIds);
        Set<String> overlap = new HashSet<>(httpIds);
        overlap.retainAll(new HashSet<>(externalIds));
        System.out.printf("claims: %d by 16 HTTP workers, %d by the other process, %d busy retries%n",
                httpIds.size(), externalIds.size(), errors.get());
        assertThat(externalOther).as("the other process's output besides claimed ids").containsExactly("external-done");
        assertThat(overlap).as("claimed by both").isEmpty();
        assertThat(httpIds).doesNotHaveDuplicates();
        assertThat(externalIds).doesNotHaveDuplicates();
        assertThat(httpIds.size() + externalIds.size()).isEqualTo(500);
        assertThat(all).hasSize(500);
        assertThat(externalIds).as("the other process took part").isNotEmpty();
        assertThat(httpIds).as("the service took part").isNotEmpty();
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM tasks WHERE board = ? AND status = 'running'", Long.class, board)).isEqualTo(500);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM task_runs r JOIN tasks t ON t.id = r.task_id WHERE t.board = ?",
                Long.class, board)).isEqualTo(httpIds.size());
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM tasks WHERE board = ? AND claimed_by = 'external'", Long.class, board))
                .isEqualTo(externalIds.size());
    }
}
