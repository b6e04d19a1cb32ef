package dev.statehouse.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric an alert rule in {@code deploy/prometheus/statehouse-alerts.yml} names is exported by a
 * running server: a renamed metric fails the build instead of silencing an alert.
 */
class AlertMetricsTest extends ServerTestSupport {

    private static final Pattern METRIC = Pattern.compile("\\b(statehouse_[a-z0-9_]+)");

    @Test
    void everyMetricTheAlertsUseIsExported() throws Exception {
        Set<String> named = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("deploy/prometheus/statehouse-alerts.yml"))) {
            if (line.trim().startsWith("expr:")) {
                Matcher m = METRIC.matcher(line);
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        assertThat(named).as("the rules name metrics").contains("statehouse_wal_pinned_seconds", "statehouse_storage_fault");
        String scrape = http.get("/actuator/prometheus").raw().body();
        for (String metric : named) {
            assertThat(scrape).as(metric).containsPattern("(?m)^" + metric + "(\\{| )");
        }
    }
}
