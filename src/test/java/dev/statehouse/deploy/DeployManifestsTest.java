package dev.statehouse.deploy;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy files hold up: every Kubernetes manifest is read into the Kubernetes API's own types
 * (fabric8's generated model) and any field those types do not know is a failure — a misspelt or
 * misplaced key is caught, not only broken YAML; compose services have healthchecks and wait for
 * each other; the image tag is the one the project builds.
 */
class DeployManifestsTest {

    private static final ObjectMapper K8S = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(Map.entry("Service", Service.class),
            Map.entry("ConfigMap", ConfigMap.class),
            Map.entry("ServiceMonitor", io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
            Map.entry("PrometheusRule", io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class),
            Map.entry("Secret", Secret.class), Map.entry("StatefulSet", StatefulSet.class), Map.entry("NetworkPolicy", NetworkPolicy.class),
            Map.entry("Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class));

    static String image() throws Exception {
        Matcher m = Pattern.compile("<artifactId>statehouse</artifactId>\\s*<version>([^<]+)</version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        return "statehouse:" + m.group(1);
    }

    static List<HasMetadata> manifests(String file) throws Exception {
        List<HasMetadata> out = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(Path.of(file)))) {
            if (doc == null) {
                continue;
            }
            String kind = (String) ((Map<?, ?>) doc).get("kind");
            assertThat(KINDS).as(file + ": kind " + kind).containsKey(kind);
            HasMetadata typed = K8S.convertValue(doc, KINDS.get(kind));
            List<String> unknown = new ArrayList<>();
            unknownFields(typed, kind, unknown, new IdentityHashMap<>());
            assertThat(unknown).as(file + ": fields the Kubernetes API does not have").isEmpty();
            out.add(typed);
        }
        return out;
    }

    /** fabric8 keeps fields it does not know in additionalProperties: any there is a mistake in the manifest. */
    private static void unknownFields(Object node, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) throws Exception {
        if (node == null || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                unknownFields(o, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), unknown, seen);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object value = getter.invoke(node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            unknownFields(value, path + "." + getter.getName().substring(3), unknown, seen);
        }
    }

    @Test
    void thePostgresqlVariantRunsThreeSpreadReplicasWithCredentialsFromSecrets() throws Exception {
        List<HasMetadata> all = manifests("deploy/kubernetes/postgresql/statehouse.yaml");
        var deployment = all.stream().filter(io.fabric8.kubernetes.api.model.apps.Deployment.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.apps.Deployment.class::cast).findFirst().orElseThrow();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey()).contains("kubernetes.io/hostname");
        Container app = pod.getContainers().get(0);
        assertThat(app.getImage()).isEqualTo(image());
        var env = app.getEnv();
        assertThat(env).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("SPRING_DATASOURCE_URL");
            assertThat(e.getValue()).startsWith("jdbc:postgresql://");
        });
        for (String secret : List.of("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "STATEHOUSE_AUTH_TOKENS_AGENTS_SHA256")) {
            assertThat(env).as(secret + " from a Secret").anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo(secret);
                assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull();
            });
        }
        assertThat(env).as("no file of its own: nothing under /data").noneSatisfy(e -> assertThat(e.getName()).isEqualTo("STATEHOUSE_STORAGE_PATH"));
        assertThat(app.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(app.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(app.getLifecycle().getPreStop().getSleep().getSeconds() + 30);
        var budget = all.stream().filter(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class::cast).findFirst().orElseThrow();
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        var claim = all.stream().filter(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class::cast).findFirst().orElseThrow();
        assertThat(claim.getSpec().getAccessModes()).as("resources shared by every replica").containsExactly("ReadWriteMany");

        Map<?, ?> cluster = (Map<?, ?>) new Yaml().load(Files.readString(Path.of("deploy/kubernetes/postgresql/cnpg-cluster.yaml")));
        assertThat(cluster.get("apiVersion")).isEqualTo("postgresql.cnpg.io/v1");
        assertThat(cluster.get("kind")).isEqualTo("Cluster");
        Map<?, ?> spec = (Map<?, ?>) cluster.get("spec");
        assertThat((Integer) spec.get("instances")).isGreaterThanOrEqualTo(2);
        Map<?, ?> initdb = (Map<?, ?>) ((Map<?, ?>) spec.get("bootstrap")).get("initdb");
        assertThat(initdb.get("localeCollate")).as("the collation Statehouse checks at start").isEqualTo("C");
        assertThat(env).anySatisfy(e -> assertThat(String.valueOf(e.getValue())).contains(((Map<?, ?>) cluster.get("metadata")).get("name") + "-rw"));
    }

    @Test
    void kubernetesManifestsMatchTheKubernetesApi() throws Exception {
        List<HasMetadata> all = manifests("deploy/kubernetes/statehouse.yaml");
        List<HasMetadata> secrets = manifests("deploy/kubernetes/secret.example.yaml");
        StatefulSet set = all.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).findFirst().orElseThrow();
        Service governing = all.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(s -> s.getMetadata().getName().equals(set.getSpec().getServiceName())).findFirst().orElseThrow();
        assertThat(governing.getSpec().getClusterIP()).as("the StatefulSet's Service is headless").isEqualTo("None");

        var pod = set.getSpec().getTemplate().getSpec();
        Container app = pod.getContainers().get(0);
        assertThat(app.getImage()).isEqualTo(image());
        assertThat(app.getLifecycle().getPreStop()).as("preStop keeps serving while endpoints update").isNotNull();
        long preStop = app.getLifecycle().getPreStop().getSleep().getSeconds();
        assertThat(pod.getTerminationGracePeriodSeconds()).as("grace > preStop + Boot's 30 s shutdown phase").isGreaterThan(preStop + 30);
        List<Container> every = new ArrayList<>(pod.getContainers());
        every.addAll(pod.getInitContainers());
        for (Container c : every) {
            assertThat(c.getResources().getRequests()).as(c.getName() + " requests").containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(c.getName() + " limits").containsKey("memory");
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
        }
        assertThat(pod.getInitContainers()).anyMatch(c -> c.getArgs().contains("restore"));
        assertThat(pod.getContainers()).anyMatch(c -> c.getArgs() != null && c.getArgs().contains("replicate"));
        assertThat(app.getEnv()).anyMatch(e -> e.getName().equals("STATEHOUSE_STORAGE_EXTERNAL_REPLICATION") && e.getValue().equals("litestream"));

        Set<String> secretNames = new java.util.HashSet<>();
        secrets.forEach(s -> secretNames.add(s.getMetadata().getName()));
        every.forEach(c -> {
            if (c.getEnvFrom() != null) {
                c.getEnvFrom().forEach(f -> assertThat(secretNames).contains(f.getSecretRef().getName()));
            }
            if (c.getEnv() != null) {
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e -> assertThat(secretNames).as("a Secret shipped as a template").contains(e.getValueFrom().getSecretKeyRef().getName()));
            }
        });

        NetworkPolicy policy = all.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast).findFirst().orElseThrow();
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app", "statehouse");
        var management = policy.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 8081)).toList();
        assertThat(management).hasSize(1);
        assertThat(management.get(0).getFrom()).as("the management port is open only to the monitoring namespace").isNotEmpty()
                .allMatch(f -> f.getNamespaceSelector() != null);
    }

    /**
     * Issue 29: Prometheus Operator users get a Service on the management port that the ServiceMonitor
     * selects by its labels and port name, reaching the named container port of both workloads (SQLite
     * StatefulSet, PostgreSQL Deployment), and the alert rules as a PrometheusRule identical to
     * {@code deploy/prometheus/statehouse-alerts.yml}.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theOperatorsMonitorSelectsTheManagementPortAndItsRulesAreTheAlerts() throws Exception {
        List<HasMetadata> monitoring = manifests("deploy/kubernetes/monitoring.yaml");
        Service service = monitoring.stream().filter(Service.class::isInstance).map(Service.class::cast).findFirst().orElseThrow();
        var monitor = monitoring.stream().filter(io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class::isInstance)
                .map(io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class::cast).findFirst().orElseThrow();
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        var endpoint = monitor.getSpec().getEndpoints().get(0);
        assertThat(endpoint.getPath()).isEqualTo("/actuator/prometheus");
        var port = service.getSpec().getPorts().stream().filter(p -> p.getName().equals(endpoint.getPort())).findFirst().orElseThrow();
        assertThat(port.getPort()).isEqualTo(8081);
        for (String workloads : List.of("deploy/kubernetes/statehouse.yaml", "deploy/kubernetes/postgresql/statehouse.yaml")) {
            var templates = manifests(workloads).stream().map(m -> m instanceof StatefulSet set ? set.getSpec().getTemplate()
                    : m instanceof io.fabric8.kubernetes.api.model.apps.Deployment d ? d.getSpec().getTemplate() : null)
                    .filter(java.util.Objects::nonNull).toList();
            assertThat(templates).as(workloads).hasSize(1);
            assertThat(templates.get(0).getMetadata().getLabels()).as(workloads + ": the Service selects its pods")
                    .containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(templates.get(0).getSpec().getContainers().get(0).getPorts())
                    .anyMatch(p -> p.getName().equals(port.getTargetPort().getStrVal()) && p.getContainerPort() == 8081);
        }
        List<Object> docs = new ArrayList<>();
        new Yaml().loadAll(Files.readString(Path.of("deploy/kubernetes/monitoring.yaml"))).forEach(docs::add);
        Map<String, Object> rule = (Map<String, Object>) docs.stream().filter(d -> "PrometheusRule".equals(((Map<?, ?>) d).get("kind")))
                .findFirst().orElseThrow();
        assertThat(rule.get("spec")).as("the PrometheusRule holds exactly the alerts of deploy/prometheus")
                .isEqualTo(new Yaml().load(Files.readString(Path.of("deploy/prometheus/statehouse-alerts.yml"))));
    }

    @Test
    void aMisspeltFieldIsCaught() throws Exception {
        Path bad = Files.createTempFile("bad-", ".yaml");
        Files.writeString(bad, Files.readString(Path.of("deploy/kubernetes/statehouse.yaml")).replace("readinessProbe:", "readynessProbe:"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> manifests(bad.toString())).hasMessageContaining("readynessProbe");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeServicesHaveHealthchecksAndStartInOrder() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("statehouse", "prometheus", "grafana");
        services.forEach((name, s) -> {
            assertThat(s).as(name + " healthcheck").containsKey("healthcheck");
            Object deps = s.get("depends_on");
            if (deps != null) {
                assertThat(deps).as(name + " waits on conditions").isInstanceOf(Map.class);
                ((Map<String, Map<String, Object>>) deps).values().forEach(d -> assertThat(d).containsKey("condition"));
            }
        });
        assertThat(services.get("statehouse").get("image")).isEqualTo(image());
        String grace = (String) services.get("statehouse").get("stop_grace_period");
        assertThat(Integer.parseInt(grace.replace("s", ""))).as("above Boot's 30 s shutdown phase").isGreaterThan(30);
        for (Object volume : (List<Object>) services.get("grafana").get("volumes")) {
            String source = volume.toString().split(":")[0];
            assertThat(Path.of(source)).as("grafana mounts " + source).exists();
        }
        Map<String, Object> litestream = (Map<String, Object>) new Yaml().load(Files.readString(Path.of("deploy/litestream/compose.yml")));
        Map<String, Map<String, Object>> extra = (Map<String, Map<String, Object>>) litestream.get("services");
        assertThat((Map<String, String>) extra.get("statehouse").get("environment"))
                .containsEntry("STATEHOUSE_STORAGE_EXTERNAL_REPLICATION", "litestream");
        assertThat(Path.of("deploy/litestream/litestream.yml")).exists();
    }

    @Test
    void dockerfileCopiesWhatExistsAndChecksItsHealth() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile")).stream().map(String::trim).toList();
        for (String line : lines) {
            if (line.startsWith("COPY ") && !line.contains("--from=")) {
                String[] parts = line.substring(5).trim().split("\\s+");
                for (int i = 0; i < parts.length - 1; i++) {
                    assertThat(Path.of(parts[i])).as("the build context has " + parts[i]).exists();
                }
            }
        }
        assertThat(lines).anyMatch(l -> l.startsWith("HEALTHCHECK "));
        // issue 29: every default path (relative to the working directory) lands in the volume, not under /data/data
        String workdir = lines.stream().filter(l -> l.startsWith("WORKDIR ")).reduce((a, b) -> b).orElseThrow().substring(8).trim();
        String volume = lines.stream().filter(l -> l.startsWith("VOLUME ")).findFirst().orElseThrow().replaceAll(".*\\[\"([^\"]+)\"\\].*", "$1");
        java.util.Properties defaults = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            defaults.load(in);
        }
        List<String> relative = defaults.stringPropertyNames().stream().filter(k -> defaults.getProperty(k).startsWith("./")).sorted().toList();
        assertThat(relative).contains("statehouse.storage.path", "statehouse.resources.root", "statehouse.checkpoints.dir", "statehouse.backup.dir");
        for (String key : relative) {
            Path resolved = Path.of(workdir).resolve(defaults.getProperty(key)).normalize();
            assertThat(resolved.startsWith(Path.of(volume))).as(key + " = " + defaults.getProperty(key) + " from WORKDIR " + workdir
                    + " is " + resolved + ", outside the volume " + volume).isTrue();
            assertThat(resolved.toString()).as(key).doesNotContain(volume + volume);
        }
        assertThat(lines).anyMatch(l -> l.contains("jarmode=tools") && l.contains("extract --layers"));
    }
}
