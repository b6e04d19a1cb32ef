package dev.statehouse.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** The packaged jar as a child process on a free port ({@link PackagedJar} says how it is launched), with helpers to probe it. */
final class JarProcess implements AutoCloseable {

    final Path workDir;
    final int port;
    final Process process;
    final Path log;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The bearer token sent with every request, when set. */
    volatile String token;
    /** The management port ({@code --management.server.port}), or -1 when the actuator shares the server port. */
    int managementPort = -1;

    private JarProcess(Path workDir, int port, Process process, Path log) {
        this.workDir = workDir;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code [prefix...] java -jar statehouse.jar --server.port=P args...} in a new directory. */
    static JarProcess start(List<String> prefix, String... args) throws Exception {
        return start(Files.createTempDirectory("statehouse-jar-"), prefix, args);
    }

    /** Starts with the actuator on a management port of its own, where probes are answered whatever the server port's load. */
    static JarProcess startWithManagementPort(List<String> prefix, String... args) throws Exception {
        int management = freePort();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--management.server.port=" + management);
        JarProcess jp = start(Files.createTempDirectory("statehouse-jar-"), prefix, management, all.toArray(String[]::new));
        jp.managementPort = management;
        return jp;
    }

    /** Starts in {@code workDir}, which may hold the data of an earlier run. */
    static JarProcess start(Path workDir, List<String> prefix, String... args) throws Exception {
        return start(workDir, prefix, -1, args);
    }

    private static JarProcess start(Path workDir, List<String> prefix, int managementPort, String... args) throws Exception {
        int port = freePort();
        Path log = workDir.resolve("out-" + port + ".log");
        Process process = new ProcessBuilder(command(prefix, port, args)).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        JarProcess jp = new JarProcess(workDir, port, process, log);
        jp.managementPort = managementPort;
        jp.awaitUp();
        return jp;
    }

    /**
     * Launches the jar in {@code workDir} without waiting for it to answer (for starts that must
     * fail), its output and standard error going to {@code log}.
     */
    static Process launch(Path workDir, Path log, List<String> prefix, String... args) throws Exception {
        return new ProcessBuilder(command(prefix, freePort(), args)).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs {@code java -jar statehouse.jar args...} in {@code workDir} as given (a command such as import), output to {@code log}. */
    static Process command(Path workDir, Path log, String... args) throws Exception {
        return command(workDir, log, List.of(), args);
    }

    /** {@link #command(Path, Path, String...)} with options for the JVM ({@code -Xmx40m}). */
    static Process command(Path workDir, Path log, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = command(List.of(), -1, args);
        command.addAll(1, jvmOptions); // right after the java executable
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<String> command(List<String> prefix, int port, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(prefix.isEmpty() ? PackagedJar.launch() : PackagedJar.plain()); // a limit (prlimit) is calibrated for java -jar
        command.addAll(List.of(args));
        if (port > 0) {
            command.add("--server.port=" + port);
        }
        return command;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String url(String path) {
        int p = managementPort > 0 && path.startsWith("/actuator") ? managementPort : port;
        return "http://127.0.0.1:" + p + path;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return client.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Descriptors the server process has open, counted from outside with a directory listing. */
    int openDescriptors() {
        String[] fds = Path.of("/proc", Long.toString(process.pid()), "fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /**
     * Waits as a Kubernetes startup probe does: until the liveness probe answers 200. The port opens
     * before the application has started (Tomcat starts inside the context's refresh; Boot's liveness
     * state is BROKEN until the started event, 0.05–0.1 s later here), and in that window liveness
     * truthfully answers 503: a jar that merely answers has not started yet.
     */
    private void awaitUp() throws Exception {
        String[] last = {"no answer"};
        try {
            await().atMost(java.time.Duration.ofSeconds(90)).pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("jar exited early:\n" + output());
                }
                try {
                    HttpResponse<String> live = get("/actuator/health/liveness");
                    last[0] = live.statusCode() + " " + live.body();
                    return live.statusCode() == 200;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("jar did not start (liveness: " + last[0] + "):\n" + output());
        }
    }

    /** SIGTERM, as an orchestrator stops it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }
}
