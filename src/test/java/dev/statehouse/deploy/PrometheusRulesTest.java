package dev.statehouse.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 29: the alert rules and the Prometheus configurations pass Prometheus' own checks
 * ({@code promtool check rules}, {@code check config}), every alert has a unit test
 * ({@code deploy/prometheus/statehouse-alerts.test.yml}, run by {@code promtool test rules}: fires at
 * its threshold once its {@code for} has passed, not just short of it, resolves), and those tests
 * bite: a copy of the rules with one threshold moved fails them.
 */
class PrometheusRulesTest {

    private static final Path RULES = Path.of("deploy/prometheus/statehouse-alerts.yml");
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/statehouse-alerts.test.yml");

    @TempDir
    Path dir;

    /** Runs promtool; its exit code and output. */
    static Result promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    record Result(int exit, String output) {
    }

    @Test
    void theRulesPassPromtoolAndEveryAlertHasAPassingUnitTest() throws Exception {
        Result check = promtool("check", "rules", RULES.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        Result test = promtool("test", "rules", RULE_TESTS.toString());
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");

        List<String> alerts = Files.readAllLines(RULES).stream().map(String::trim).filter(l -> l.startsWith("- alert:"))
                .map(l -> l.substring("- alert:".length()).trim()).toList();
        String tests = Files.readString(RULE_TESTS);
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(12).contains("StatehouseDown", "StatehouseServerErrors", "StatehouseSlowRequests");
        for (String alert : alerts) {
            assertThat(tests).as(alert + " is tested firing and not firing").containsPattern("alertname: " + alert + "\\n\\s+exp_alerts:\\n\\s+- exp_labels")
                    .containsPattern("alertname: " + alert + "\\n\\s+exp_alerts: \\[\\]");
        }
    }

    @Test
    void aMovedThresholdFailsTheUnitTests() throws Exception {
        Path rules = dir.resolve("statehouse-alerts.yml");
        Files.writeString(rules, Files.readString(RULES).replace("statehouse_wal_pinned_seconds > 300", "statehouse_wal_pinned_seconds > 400")
                .replace("> 0.05)", "> 0.02)"));
        Files.copy(RULE_TESTS, dir.resolve("statehouse-alerts.test.yml"));
        Result test = promtool("test", "rules", dir.resolve("statehouse-alerts.test.yml").toString());
        assertThat(test.exit()).isNotZero();
        assertThat(test.output()).contains("StatehouseWalPinned").contains("StatehouseServerErrors");
    }

    @Test
    void thePrometheusConfigurationsPassPromtool() throws Exception {
        for (Path config : List.of(Path.of("deploy/prometheus/prometheus.yml"), Path.of("deploy/postgresql/prometheus.yml"))) {
            // the rule file is mounted at /etc/prometheus in the containers: point at the repository's copy
            Path copy = dir.resolve(config.getParent().getFileName() + "-prometheus.yml");
            Files.writeString(copy, Files.readString(config).replace("/etc/prometheus/statehouse-alerts.yml", RULES.toAbsolutePath().toString()));
            Result check = promtool("check", "config", copy.toString());
            assertThat(check.exit()).as(config + ": " + check.output()).isZero();
            assertThat(check.output()).contains("SUCCESS");
        }
    }
}
