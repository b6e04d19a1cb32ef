package dev.statehouse.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 29: Compose itself ({@code docker compose config}, or Debian's v1 {@code docker-compose
 * config}; neither needs a Docker engine) accepts the default stack with no variable set, the
 * Litestream overlay likewise, and the PostgreSQL overlay only with its {@code STATEHOUSE_TOKEN} —
 * whose absence it names; with the overlay, Prometheus scrapes every Statehouse service.
 */
class ComposeConfigTest {

    record Result(int exit, String output) {
    }

    /** The compose command this machine has: v2's plugin or v1's docker-compose. */
    private static List<String> compose() throws Exception {
        try {
            Process v2 = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            v2.getInputStream().readAllBytes();
            if (v2.waitFor(30, TimeUnit.SECONDS) && v2.exitValue() == 0) {
                return List.of("docker", "compose");
            }
        } catch (java.io.IOException noDocker) {
            // fall through to v1
        }
        return List.of("docker-compose");
    }

    private static Result config(Map<String, String> env, String... files) throws Exception {
        List<String> command = new ArrayList<>(compose());
        for (String f : files) {
            command.add("-f");
            command.add(f);
        }
        command.add("config");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("STATEHOUSE_") || k.startsWith("COMPOSE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(Result r) {
        String yaml = r.output().substring(Math.max(0, r.output().indexOf("services:")));
        return (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml().load(yaml)).get("services");
    }

    @Test
    void theDefaultStackAndTheLitestreamOverlayNeedNoVariable() throws Exception {
        Result plain = config(Map.of(), "docker-compose.yml");
        assertThat(plain.exit()).as(plain.output()).isZero();
        assertThat(services(plain)).containsOnlyKeys("statehouse", "prometheus", "grafana");
        Result litestream = config(Map.of(), "docker-compose.yml", "deploy/litestream/compose.yml");
        assertThat(litestream.exit()).as(litestream.output()).isZero();
        assertThat(services(litestream)).containsKeys("statehouse", "litestream", "litestream-restore");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePostgresqlOverlayNeedsItsTokenAndPrometheusScrapesEveryReplica() throws Exception {
        Result missing = config(Map.of(), "docker-compose.yml", "deploy/postgresql/compose.yml");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.output()).contains("STATEHOUSE_TOKEN");

        Result pg = config(Map.of("STATEHOUSE_TOKEN", "a-token-of-sixteen-characters"), "docker-compose.yml", "deploy/postgresql/compose.yml");
        assertThat(pg.exit()).as(pg.output()).isZero();
        Map<String, Map<String, Object>> services = services(pg);
        assertThat(services).containsKeys("statehouse", "postgres", "statehouse-pg-1", "statehouse-pg-2", "prometheus", "grafana");
        List<String> mounts = ((List<Object>) services.get("prometheus").get("volumes")).stream().map(String::valueOf).toList();
        String configMount = mounts.stream().filter(m -> m.contains("/etc/prometheus/prometheus.yml")).reduce((a, b) -> a + " | " + b).orElseThrow();
        assertThat(configMount).as("one configuration, the overlay's").contains("deploy/postgresql/prometheus.yml").doesNotContain("|");
        String scrape = Files.readString(Path.of("deploy/postgresql/prometheus.yml"));
        services.forEach((name, s) -> {
            if (String.valueOf(s.get("image")).startsWith("statehouse:")) {
                Map<String, Object> env = (Map<String, Object>) s.get("environment");
                assertThat(scrape).as(name + " is scraped on its management port").contains("\"" + name + ":" + env.get("MANAGEMENT_SERVER_PORT") + "\"");
            }
        });
    }
}
