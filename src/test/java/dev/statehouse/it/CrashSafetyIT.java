package dev.statehouse.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A load client records every write the service acknowledged (messages, task claims and
 * completions, checkpoints) while the service is killed with SIGKILL mid-load. After a restart
 * every acknowledged write is there and the database passes integrity_check.
 */
class CrashSafetyIT {

    private static final String TOKEN = "it-token-0123456789abcdef";
    private static final String[] ARGS = {"--statehouse.auth.tokens.it.token=" + TOKEN,
            "--statehouse.checkpoints.max-per-plan=100000"};
    private static final Pattern ID = Pattern.compile("\"id\":\"?([^\",]+)\"?");
    private static final Pattern LOCK = Pattern.compile("\"lock\":\"([^\"]+)\"");

    private static String id(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return m.group(1);
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path workDir;
        List<String> sessions = new ArrayList<>();
        Map<String, Set<String>> messages = new ConcurrentHashMap<>();
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        Set<String> done = ConcurrentHashMap.newKeySet();
        Set<String> checkpoints = ConcurrentHashMap.newKeySet();
        String plan;
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> load = new ArrayList<>();
        try (JarProcess jar = JarProcess.start(List.of(), ARGS)) {
            jar.token = TOKEN;
            workDir = jar.workDir;
            for (int i = 0; i < 4; i++) {
                String s = id(jar.post("/api/sessions", "{\"source\":\"crash\"}").body());
                sessions.add(s);
                messages.put(s, ConcurrentHashMap.newKeySet());
            }
            assertThat(jar.post("/api/boards", "{\"slug\":\"crash\",\"name\":\"Crash\"}").statusCode()).isEqualTo(201);
            for (int i = 0; i < 300; i++) {
                jar.post("/api/boards/crash/tasks", "{\"title\":\"t" + i + "\",\"status\":\"ready\"}");
            }
            Path resources = workDir.resolve("data/resources");
            Files.createDirectories(resources);
            Sqlite3.run(resources.resolve("r.db"), "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3);");
            plan = id(jar.post("/api/plans", "{\"description\":\"crash\"}").body());

            for (int w = 0; w < 3; w++) {
                String s = sessions.get(w);
                load.add(new Thread(() -> {
                    int n = 0;
                    while (!stop.get()) {
                        try {
                            HttpResponse<String> r = jar.post("/api/sessions/" + s + "/messages", "{\"role\":\"user\",\"content\":\"m" + n++ + "\"}");
                            if (r.statusCode() == 201) {
                                messages.get(s).add(id(r.body()));
                            }
                        } catch (Exception e) {
                            return; // the server is gone
                        }
                    }
                }));
            }
            for (int w = 0; w < 2; w++) {
                load.add(new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            HttpResponse<String> c = jar.post("/api/boards/crash/claims", "{\"worker\":\"crash\",\"ttlSeconds\":3600}");
                            if (c.statusCode() != 200) {
                                continue;
                            }
                            String task = c.body().substring(c.body().indexOf("\"task\":{\"id\":\"") + 14).split("\"")[0];
                            claimed.add(task);
                            Matcher lock = LOCK.matcher(c.body());
                            lock.find();
                            HttpResponse<String> d = jar.post("/api/tasks/" + task + "/complete", "{\"lock\":\"" + lock.group(1) + "\"}");
                            if (d.statusCode() == 200) {
                                done.add(task);
                            }
                        } catch (Exception e) {
                            return;
                        }
                    }
                }));
            }
            load.add(new Thread(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<String> r = jar.post("/api/plans/" + plan + "/checkpoints", "{\"resource\":\"r.db\"}");
                        if (r.statusCode() == 201) {
                            checkpoints.add(id(r.body()));
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }));
            load.forEach(Thread::start);
            Thread.sleep(3000);
            jar.process.destroyForcibly(); // SIGKILL, mid-load
            jar.process.waitFor(10, TimeUnit.SECONDS);
            stop.set(true);
            for (Thread t : load) {
                t.join(30_000);
            }
        }
        int acked = messages.values().stream().mapToInt(Set::size).sum();
        System.out.printf("acknowledged before SIGKILL: %d messages, %d claims, %d completions, %d checkpoints%n",
                acked, claimed.size(), done.size(), checkpoints.size());
        assertThat(acked).isPositive();
        assertThat(done).isNotEmpty();
        assertThat(checkpoints).isNotEmpty();

        try (JarProcess again = JarProcess.start(workDir, List.of(), ARGS)) {
            again.token = TOKEN;
            for (String s : sessions) {
                String page = again.get("/api/sessions/" + s + "/messages?limit=500").body();
                Set<String> present = new HashSet<>();
                Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(page);
                while (m.find()) {
                    present.add(m.group(1));
                }
                assertThat(present).as("messages of %s", s).containsAll(messages.get(s));
                String session = again.get("/api/sessions/" + s).body();
                assertThat(session).contains("\"message_count\":" + present.size() + ",");
            }
            for (String task : claimed) {
                String body = again.get("/api/tasks/" + task).body();
                assertThat(body).as(task).containsAnyOf("\"status\":\"running\"", "\"status\":\"done\"");
                if (done.contains(task)) {
                    assertThat(body).as(task).contains("\"status\":\"done\"");
                }
            }
            StringBuilder listed = new StringBuilder();
            String cursor = null;
            do { // lists come in pages: follow next_cursor to the end
                String page = again.get("/api/plans/" + plan + "/checkpoints?limit=500" + (cursor == null ? "" : "&cursor=" + cursor)).body();
                listed.append(page);
                Matcher next = Pattern.compile("\"next_cursor\":\"([^\"]+)\"").matcher(page);
                cursor = next.find() ? next.group(1) : null;
            } while (cursor != null);
            for (String cp : checkpoints) {
                assertThat(listed).contains("\"id\":\"" + cp + "\"");
            }
            assertThat(listed).doesNotContain("\"state\":\"missing\"");
            Path db = workDir.resolve("data/state.db");
            assertThat(Sqlite3.run(db, "PRAGMA integrity_check")).isEqualTo("ok");
            assertThat(Collections.frequency(List.of(Sqlite3.run(db, "PRAGMA foreign_key_check")), "")).isEqualTo(1);
        }
    }
}
