package dev.statehouse.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.statehouse.support.Http;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scrape follows Prometheus's naming conventions: a gauge never ends in a suffix that belongs
 * to counters, histograms or summaries, every Statehouse metric says in HELP what it is, a unit is
 * in the name, and the HTTP latency histogram has a bounded number of buckets per series.
 */
class MetricNamesTest extends ServerTestSupport {

    private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
    private static final Pattern HELP = Pattern.compile("(?m)^# HELP (\\S+) ?(.*)$");

    private String scrape() {
        http.get("/api/sessions"); // at least one HTTP series
        Http.Response r = new Http(port, Http.METRICS_TOKEN).get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        return r.raw().body();
    }

    @Test
    void namesFollowPrometheusConventions() {
        String scrape = scrape();
        Map<String, String> types = new HashMap<>();
        Matcher t = TYPE.matcher(scrape);
        while (t.find()) {
            types.put(t.group(1), t.group(2));
        }
        Map<String, String> help = new HashMap<>();
        Matcher h = HELP.matcher(scrape);
        while (h.find()) {
            help.put(h.group(1), h.group(2).trim());
        }
        assertThat(types).containsKeys("statehouse_checkpoints_kept", "statehouse_fd_growth_descriptors_per_hour",
                "statehouse_write_group_size_transactions", "statehouse_wal_checkpoints_total");
        assertThat(types).doesNotContainKeys("statehouse_checkpoints_count", "statehouse_fd_growth", "statehouse_write_group");
        types.forEach((name, type) -> {
            if (type.equals("gauge") && name.startsWith("statehouse_")) { // Micrometer's own (system_cpu_count) are not ours to rename
                assertThat(name).as("a gauge's name").doesNotEndWith("_count").doesNotEndWith("_total").doesNotEndWith("_sum")
                        .doesNotEndWith("_bucket");
            }
            if (name.startsWith("statehouse_")) {
                assertThat(help.get(name)).as("HELP of " + name).isNotBlank();
            }
        });
    }

    @Test
    void theHttpHistogramHasAFewBucketsPerSeries() {
        String scrape = scrape();
        Map<String, Integer> buckets = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("http_server_requests_seconds_bucket{")) {
                String series = line.substring(0, line.indexOf('}')).replaceAll(",?le=\"[^\"]*\"", "");
                buckets.merge(series, 1, Integer::sum);
            }
        }
        assertThat(buckets).isNotEmpty();
        assertThat(buckets.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(12));
        assertThat(scrape).contains("le=\"0.1\"").contains("le=\"+Inf\"");
        assertThat(List.of(scrape.split("\n"))).noneMatch(l -> l.startsWith("http_server_requests_seconds_bucket") && l.contains("le=\"0.001048576\""));
    }
}
