package dev.statehouse.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard is typed against Grafana's own schema ({@code deploy/grafana/check-dashboard.sh}:
 * {@code @grafana/schema}'s Dashboard, compiled with TypeScript), and a dashboard with a field
 * Grafana does not have is refused by the same check.
 */
class DashboardSchemaTest {

    private static Process check(Path dashboard, Path log) throws Exception {
        return new ProcessBuilder("bash", "deploy/grafana/check-dashboard.sh", dashboard.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void theDashboardMatchesGrafanasSchemaAndAMisspeltFieldDoesNot() throws Exception {
        Path log = Files.createTempFile("dashboard-", ".log");
        Process good = check(Path.of("deploy/grafana/statehouse.json"), log);
        assertThat(good.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(good.exitValue()).as(Files.readString(log)).isZero();

        Path bad = Files.createTempFile("dashboard-bad-", ".json");
        Files.writeString(bad, Files.readString(Path.of("deploy/grafana/statehouse.json")).replaceFirst("\"gridPos\"", "\"gridPosition\""));
        Process wrong = check(bad, log);
        assertThat(wrong.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(wrong.exitValue()).as(Files.readString(log)).isNotZero();
        assertThat(Files.readString(log)).contains("gridPosition");
    }

    /** Issue 29: no data source uid is written into the dashboard: every panel and query uses the {@code datasource} variable. */
    @Test
    void everyQueryUsesTheDataSourceVariable() throws Exception {
        var dashboard = dev.statehouse.support.Http.JSON.readTree(Files.readString(Path.of("deploy/grafana/statehouse.json")));
        assertThat(dashboard.get("templating").get("list")).anySatisfy(v -> {
            assertThat(v.get("name").asString()).isEqualTo("datasource");
            assertThat(v.get("type").asString()).isEqualTo("datasource");
            assertThat(v.get("query").asString()).isEqualTo("prometheus");
        });
        java.util.List<String> uids = new java.util.ArrayList<>();
        collectUids(dashboard, uids);
        assertThat(uids).hasSizeGreaterThan(50).allMatch("${datasource}"::equals);
    }

    private static void collectUids(tools.jackson.databind.JsonNode node, java.util.List<String> uids) {
        if (node.isObject()) {
            if (node.has("datasource") && node.get("datasource").has("uid")) {
                uids.add(node.get("datasource").get("uid").asString());
            }
            node.properties().forEach(e -> collectUids(e.getValue(), uids));
        } else if (node.isArray()) {
            node.forEach(n -> collectUids(n, uids));
        }
    }
}
