package dev.statehouse.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** No Docker engine runs here, so the container files are checked by parsing them. */
class DeployFilesTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String path) throws Exception {
        return (Map<String, Object>) new Yaml().load(Files.readString(Path.of(path)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeHasAPostgresqlOverlayWithTwoReplicasOnOneDatabase() throws Exception {
        Map<String, Object> services = (Map<String, Object>) yaml("deploy/postgresql/compose.yml").get("services");
        Map<String, Object> postgres = (Map<String, Object>) services.get("postgres");
        assertThat(String.valueOf(((Map<String, Object>) postgres.get("environment")).get("POSTGRES_INITDB_ARGS"))).contains("C.UTF-8");
        for (String name : List.of("statehouse-pg-1", "statehouse-pg-2")) {
            Map<String, Object> replica = (Map<String, Object>) services.get(name);
            Map<String, Object> env = (Map<String, Object>) replica.get("environment");
            assertThat(String.valueOf(env.get("SPRING_DATASOURCE_URL"))).startsWith("jdbc:postgresql://postgres:");
            assertThat(env.get("STATEHOUSE_POSTGRESQL_APPLICATION_NAME")).isEqualTo(name);
            assertThat(String.valueOf(env.get("STATEHOUSE_AUTH_TOKENS_AGENTS_TOKEN"))).contains("STATEHOUSE_TOKEN");
            assertThat(((Map<String, Object>) ((Map<String, Object>) replica.get("depends_on")).get("postgres")).get("condition"))
                    .isEqualTo("service_healthy");
        }
        assertThat((Map<String, Object>) yaml("docker-compose.yml").get("services")).as("the default stack is SQLite's alone")
                .doesNotContainKeys("postgres", "statehouse-pg-1", "statehouse-pg-2");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTheServiceOnANamedVolumeAndPrometheusScrapesIt() throws Exception {
        Map<String, Object> compose = yaml("docker-compose.yml");
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> statehouse = (Map<String, Object>) services.get("statehouse");
        assertThat(statehouse.get("build")).isEqualTo(".");
        assertThat((List<String>) statehouse.get("volumes")).contains("statehouse-data:/data");
        assertThat(((Map<String, Object>) compose.get("volumes"))).containsKey("statehouse-data");
        assertThat(((Map<String, String>) statehouse.get("environment")).get("STATEHOUSE_STORAGE_PATH")).isEqualTo("/data/state.db");
        assertThat(((Map<String, String>) statehouse.get("environment")).get("MANAGEMENT_SERVER_PORT")).isEqualTo("8081");

        Map<String, Object> prometheus = (Map<String, Object>) services.get("prometheus");
        String mount = ((List<String>) prometheus.get("volumes")).get(0);
        String hostFile = mount.split(":")[0];
        Map<String, Object> scrape = yaml(hostFile);
        Map<String, Object> job = ((List<Map<String, Object>>) scrape.get("scrape_configs")).get(0);
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> targets = ((List<Map<String, Object>>) job.get("static_configs")).get(0);
        assertThat((List<String>) targets.get("targets")).containsExactly("statehouse:8081");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesRunsOneReplicaOnAVolumeWithTheThreeProbes() throws Exception {
        Map<String, Object> statefulSet = null;
        for (Object doc : new Yaml().loadAll(Files.readString(Path.of("deploy/kubernetes/statehouse.yaml")))) {
            Map<String, Object> m = (Map<String, Object>) doc;
            if ("StatefulSet".equals(m.get("kind"))) {
                statefulSet = m;
            }
        }
        assertThat(statefulSet).isNotNull();
        Map<String, Object> spec = (Map<String, Object>) statefulSet.get("spec");
        assertThat(spec.get("replicas")).isEqualTo(1);
        assertThat((List<Object>) spec.get("volumeClaimTemplates")).hasSize(1);
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        Map<String, Object> security = (Map<String, Object>) pod.get("securityContext");
        assertThat(security.get("runAsNonRoot")).isEqualTo(true);
        assertThat((Integer) security.get("runAsUser")).isPositive();
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        Map<String, Object> liveness = (Map<String, Object>) container.get("livenessProbe");
        assertThat(((Map<String, Object>) liveness.get("httpGet")).get("path")).isEqualTo("/actuator/health/liveness");
        assertThat((Integer) liveness.get("failureThreshold")).isGreaterThanOrEqualTo(3);
        Map<String, Object> readiness = (Map<String, Object>) container.get("readinessProbe");
        assertThat(((Map<String, Object>) readiness.get("httpGet")).get("path")).isEqualTo("/actuator/health/readiness");
        assertThat(container).containsKey("startupProbe");
        assertThat(((List<Map<String, Object>>) container.get("volumeMounts")))
                .anyMatch(v -> "/data".equals(v.get("mountPath")) && "data".equals(v.get("name")));
        assertThat(((List<Map<String, Object>>) container.get("env")))
                .anyMatch(e -> "STATEHOUSE_STORAGE_PATH".equals(e.get("name")) && "/data/state.db".equals(e.get("value")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAlertRulesUseTheExhaustionEta() throws Exception {
        Map<String, Object> rules = yaml("deploy/prometheus/statehouse-alerts.yml");
        List<Map<String, Object>> group = (List<Map<String, Object>>) ((List<Map<String, Object>>) rules.get("groups")).get(0).get("rules");
        assertThat(group).anyMatch(r -> String.valueOf(r.get("expr")).contains("statehouse_fd_exhaustion_eta_seconds"));
        assertThat((List<String>) yaml("deploy/prometheus/prometheus.yml").get("rule_files")).containsExactly("/etc/prometheus/statehouse-alerts.yml");
    }

    @Test
    void dockerfileBuildsTheJarAndRunsItAsANonRootUserOnData() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(lines.stream().filter(l -> l.startsWith("FROM ")).count()).isEqualTo(2);
        assertThat(lines).anyMatch(l -> l.startsWith("FROM eclipse-temurin:17-jre"));
        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(user).doesNotContain("root").isNotEqualTo("USER 0");
        assertThat(lines).anyMatch(l -> l.contains("STATEHOUSE_STORAGE_PATH=/data/state.db"));
        assertThat(lines).contains("VOLUME [\"/data\"]", "EXPOSE 8080");
        assertThat(lines.get(lines.size() - 1)).startsWith("ENTRYPOINT [\"java\", \"-jar\"");
    }
}
