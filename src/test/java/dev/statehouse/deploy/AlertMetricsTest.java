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
 * Every metric an alert rule in {@code deploy/prometheus/statehouse-alerts.yml} or a panel of the
 * Grafana dashboard {@code deploy/grafana/statehouse.json} names is exported by a running server: a
 * renamed metric fails the build instead of silencing an alert or blanking a panel.
 */
class AlertMetricsTest extends ServerTestSupport {

    private static final Pattern METRIC = Pattern.compile("\\b(statehouse_[a-z0-9_]+)");
    /** Any metric a dashboard query names: ours, the pool's, HTTP's, the process's. */
    private static final Pattern ANY_METRIC = Pattern.compile("\\b((?:statehouse|hikaricp|http_server_requests|process_files)_[a-z0-9_]+)");

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

    @Test
    void everyMetricTheDashboardUsesIsExported() throws Exception {
        Set<String> named = new TreeSet<>();
        var dashboard = dev.statehouse.support.Http.JSON.readTree(Files.readString(Path.of("deploy/grafana/statehouse.json")));
        int queries = 0;
        for (var panel : dashboard.get("panels")) {
            if (panel.has("targets")) {
                for (var target : panel.get("targets")) {
                    queries++;
                    Matcher m = ANY_METRIC.matcher(target.get("expr").asString());
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                }
            }
        }
        assertThat(queries).isGreaterThan(20);
        assertThat(named).contains("statehouse_fd_open", "statehouse_backup_age_seconds", "hikaricp_connections_active",
                "http_server_requests_seconds_bucket", "statehouse_kanban_claims_total");
        http.post("/api/sessions", dev.statehouse.support.Http.map("source", "dashboard")); // so the HTTP histograms have series
        String scrape = http.get("/actuator/prometheus").raw().body();
        for (String metric : named) {
            assertThat(scrape).as(metric).containsPattern("(?m)^" + metric + "(\\{| )");
        }
    }
}
