package dev.statehouse.deploy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 29: a real Prometheus (Debian's {@code prometheus}) scrapes this running Statehouse every
 * second, with the alert rules loaded, while a little load runs; then every query of every dashboard
 * panel is evaluated through Prometheus' HTTP API and must return series — except, on PostgreSQL,
 * those of {@link #SQLITE_ONLY}, each with the reason, which must then return nothing (so the list
 * stays true). A gauge without a value yet (NaN) is a series too. Every alert rule must evaluate without error. {@code PrometheusScrapePostgresTest}
 * runs it on PostgreSQL.
 */
class PrometheusScrapeTest extends ServerTestSupport {

    /** Queries that return nothing on PostgreSQL (the metrics exist on SQLite only), by metric, and why. */
    static final Map<String, String> SQLITE_ONLY = Map.ofEntries(
            Map.entry("statehouse_write_wait_seconds", "the write turn exists on SQLite only (PostgreSQL writers do not queue in the process)"),
            Map.entry("statehouse_write_hold_seconds", "the write turn: SQLite's"),
            Map.entry("statehouse_write_queued", "the write turn: SQLite's"),
            Map.entry("statehouse_wal_checkpoints_total", "WAL checkpoints by the process: SQLite's"),
            Map.entry("statehouse_backup_age_seconds", "/actuator/backup is SQLite's (PostgreSQL is backed up by its own tools)"),
            Map.entry("statehouse_backup_failures_total", "/actuator/backup is SQLite's"),
            Map.entry("statehouse_storage_reclaimed_bytes_total", "incremental_vacuum is SQLite's (autovacuum on PostgreSQL)"),
            Map.entry("statehouse_storage_free_bytes", "free pages inside the file: SQLite's"),
            Map.entry("statehouse_wal_pinned_seconds", "a WAL pinned by another process: SQLite's"));

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    private boolean postgres() {
        return datasourceUrl.startsWith("jdbc:postgresql:");
    }

    private JsonNode api(int prometheus, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheus + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Http.JSON.readTree(r.body());
    }

    private JsonNode query(int prometheus, String expr) throws Exception {
        return api(prometheus, "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)).get("data").get("result");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void load() {
        String board = unique("prom").toLowerCase().replace('_', '-');
        assertThat(http.post("/api/boards", Http.map("slug", board, "name", board)).status()).isEqualTo(201);
        for (int i = 0; i < 5; i++) {
            http.post("/api/boards/" + board + "/tasks", Http.map("title", "t" + i, "status", "ready"));
            JsonNode claim = http.post("/api/boards/" + board + "/claims", Http.map("worker", "w", "ttl_seconds", 60)).json();
            http.post("/api/tasks/" + claim.get("task").get("id").asString() + "/complete", Http.map("lock", claim.get("lock").asString()));
            http.get("/api/sessions?limit=5");
            http.get("/api/tasks/no_such_task");
        }
    }

    @Test
    void everyPanelQueryReturnsSeriesFromARealPrometheusAndEveryAlertEvaluates() throws Exception {
        int prometheus = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: statehouse
                    metrics_path: /actuator/prometheus
                    authorization:
                      credentials: %s
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(Path.of("deploy/prometheus/statehouse-alerts.yml").toAbsolutePath(), Http.METRICS_TOKEN, port));
        Process server = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheus).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try {
            load();
            boolean up = false;
            for (int i = 0; i < 120 && !up; i++) {
                Thread.sleep(250);
                try {
                    JsonNode r = query(prometheus, "up{job=\"statehouse\"}");
                    up = r.size() == 1 && r.get(0).get("value").get(1).asString().equals("1");
                } catch (java.io.IOException | AssertionError notYet) {
                    // not listening yet, or not yet scraped
                }
            }
            assertThat(up).as(Files.readString(dir.resolve("prometheus.log"))).isTrue();
            for (int i = 0; i < 6; i++) { // a few scrapes with load between them: rates over [1m] have two samples or more
                load();
                Thread.sleep(1000);
            }

            JsonNode dashboard = Http.JSON.readTree(Files.readString(Path.of("deploy/grafana/statehouse.json")));
            Map<String, Integer> series = new LinkedHashMap<>();
            Set<String> empty = new TreeSet<>();
            Set<String> listedButReturned = new TreeSet<>();
            for (JsonNode panel : dashboard.get("panels")) {
                if (!panel.has("targets")) {
                    continue;
                }
                for (JsonNode target : panel.get("targets")) {
                    String expr = target.get("expr").asString().replace("$instance", ".*");
                    int n = query(prometheus, expr).size();
                    series.put(panel.get("title").asString() + ": " + expr, n);
                    String skip = skipped(expr);
                    if (skip == null) {
                        if (n == 0) {
                            empty.add(panel.get("title").asString() + ": " + expr);
                        }
                    } else {
                        if (n > 0) {
                            listedButReturned.add(expr + " (listed: " + skip + ")");
                        }
                    }
                }
            }
            assertThat(series).hasSizeGreaterThan(25);
            assertThat(empty).as("panel queries with no series from a real Prometheus").isEmpty();
            assertThat(listedButReturned).as("queries listed as returning nothing on this engine that do").isEmpty();

            JsonNode groups = api(prometheus, "/api/v1/rules").get("data").get("groups");
            int rules = 0;
            for (JsonNode group : groups) {
                for (JsonNode rule : group.get("rules")) {
                    rules++;
                    assertThat(rule.get("health").asString()).as(rule.get("name").asString() + ": " + rule.path("lastError").asString()).isEqualTo("ok");
                }
            }
            assertThat(rules).isEqualTo(12);
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Why {@code expr} returns nothing on this engine, or null when it must return series. */
    private String skipped(String expr) {
        if (postgres()) {
            for (Map.Entry<String, String> e : SQLITE_ONLY.entrySet()) {
                if (expr.contains(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        return null;
    }
}
