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
}
