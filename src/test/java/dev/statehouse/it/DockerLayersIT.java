package dev.statehouse.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No Docker engine runs here, so the Dockerfile's runtime stage is replayed by hand on the
 * packaged jar: Boot's {@code extract --layers} makes exactly the folders the Dockerfile copies,
 * and the application assembled from them (as the image's /app) starts and answers its probe.
 */
class DockerLayersIT {

    @Test
    void theLayersTheDockerfileCopiesExistAndAssembleARunningApplication() throws Exception {
        Path work = Files.createTempDirectory("statehouse-layers-");
        Path jar = Path.of(System.getProperty("statehouse.jar", "target/statehouse.jar")).toAbsolutePath();
        Files.copy(jar, work.resolve("application.jar"), StandardCopyOption.REPLACE_EXISTING);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process extract = new ProcessBuilder(java, "-Djarmode=tools", "-jar", "application.jar", "extract", "--layers",
                "--destination", "extracted").directory(work.toFile()).inheritIO().start();
        assertThat(extract.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(extract.exitValue()).isZero();

        List<String> copied = new ArrayList<>();
        Matcher m = Pattern.compile("COPY --from=build /extracted/([a-z-]+)/ \\./").matcher(Files.readString(Path.of("Dockerfile")));
        while (m.find()) {
            copied.add(m.group(1));
        }
        List<String> made;
        try (Stream<Path> dirs = Files.list(work.resolve("extracted"))) {
            made = dirs.map(d -> d.getFileName().toString()).sorted().toList();
        }
        assertThat(copied).as("the Dockerfile copies every layer Boot makes, and only those").containsExactlyInAnyOrderElementsOf(made);

        Path app = Files.createDirectories(work.resolve("app"));
        for (String layer : copied) { // COPY --from=build /extracted/<layer>/ ./
            Path from = work.resolve("extracted").resolve(layer);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.toList()) {
                    Path to = app.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        int port = JarProcess.freePort();
        Path data = Files.createDirectories(work.resolve("data"));
        Process service = new ProcessBuilder(java, "-jar", app.resolve("application.jar").toString(), "--server.port=" + port,
                "--statehouse.storage.path=" + data.resolve("state.db")).directory(data.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("out.log").toFile()).start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            int[] status = {-1};
            try {
                await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            assertThat(service.isAlive()).as(Files.readString(work.resolve("out.log"))).isTrue();
                            try {
                                status[0] = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
                                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                            } catch (java.io.IOException e) {
                                return false;
                            }
                            return status[0] == 200;
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // asserted below, with the service's output
            }
            assertThat(status[0]).as(Files.readString(work.resolve("out.log"))).isEqualTo(200);
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
