package dev.statehouse.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client connections against the jar under {@code prlimit --nofile=256}, probes on the management
 * port (as in the deploy files). Connections that clients open are not a leak: an idle flood or a
 * slowloris can neither exhaust the process's descriptors (the connector's cap is derived from the
 * soft limit) nor turn liveness DOWN, and every probe is answered within a second. When an
 * operator's cap lets clients push all descriptors past 90%, the API sheds with 503 while liveness
 * stays UP, and it serves again within a second of the clients leaving.
 */
@EnabledOnOs(OS.LINUX)
class ClientFloodIT {

    private static final int LIMIT = 256;
    private static final String TOKEN = "it-token-0123456789abcdef";
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (Socket s : clients) {
            s.close();
        }
        clients.clear();
    }

    private JarProcess start(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--statehouse.fd-leak.sample-interval=300ms",
                "--statehouse.auth.tokens.it.token=" + TOKEN));
        args.addAll(List.of(extra));
        JarProcess jar = JarProcess.startWithManagementPort(List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT),
                args.toArray(String[]::new));
        jar.token = TOKEN;
        return jar;
    }

    @Test
    void anIdleFloodNeitherExhaustsDescriptorsNorTurnsLivenessDown() throws Exception {
        try (JarProcess jar = start()) {
            assertThat(jar.get("/api/projects").statusCode()).isEqualTo(200);
            for (int i = 0; i < 2 * LIMIT; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", jar.port), 500);
                    clients.add(s);
                } catch (Exception backlogFull) {
                    s.close();
                }
            }
            Thread.sleep(700);
            int open = jar.openDescriptors();
            System.out.printf("idle flood: %d connections opened, server at %d of %d descriptors%n", clients.size(), open, LIMIT);
            assertThat(open).as("the cap keeps clients from the last descriptors").isLessThan(LIMIT - 32);
            HttpResponse<String> live = probeWithinASecond(jar, "/actuator/health/liveness");
            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
            assertThat(live.body()).containsPattern("\"inbound\":[1-9][0-9]");
            assertThat(probeWithinASecond(jar, "/actuator/health/readiness").statusCode()).isEqualTo(200);

            closeClients();
            assertThat(awaitStatus(jar, "/api/projects", 200, 15_000)).as("the API serves once they leave").isEqualTo(200);
        }
    }

    @Test
    void aSlowlorisLeavesLivenessUpAndProbesAnswered() throws Exception {
        try (JarProcess jar = start()) {
            for (int i = 0; i < LIMIT; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", jar.port), 500);
                    s.getOutputStream().write("GET /api/projects HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    clients.add(s);
                } catch (Exception backlogFull) {
                    s.close();
                }
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            int round = 0;
            while (System.nanoTime() < end) {
                for (Socket s : clients) {
                    try {
                        s.getOutputStream().write(("X-Slow-" + round + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception closedByServer) {
                        // the server may close a connection it gave up on
                    }
                }
                round++;
                HttpResponse<String> live = probeWithinASecond(jar, "/actuator/health/liveness");
                assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
                assertThat(jar.openDescriptors()).isLessThan(LIMIT - 32);
                Thread.sleep(1000);
            }
            closeClients();
            assertThat(awaitStatus(jar, "/api/projects", 200, 15_000)).isEqualTo(200);
        }
    }

    @Test
    void pastTheRatioTheApiShedsLivenessStaysUpAndRecoveryIsSeenWithinASecond() throws Exception {
        try (JarProcess jar = start("--statehouse.http.max-connections=" + (LIMIT - 16))) {
            // idle keep-alive clients: each made one request and stays connected
            while (jar.openDescriptors() < Math.ceil(LIMIT * 0.92) && clients.size() < LIMIT) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", jar.port), 2000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write("GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                assertThat(in.readNBytes(new byte[12], 0, 12)).isEqualTo(12);
                clients.add(s);
            }
            Thread.sleep(600); // the liveness sample is at most 500 ms old
            HttpResponse<String> shed = jar.get("/api/projects");
            assertThat(shed.statusCode()).as(shed.body()).isEqualTo(503);
            assertThat(shed.headers().firstValue("retry-after")).isPresent();
            assertThat(shed.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
            HttpResponse<String> live = probeWithinASecond(jar, "/actuator/health/liveness");
            assertThat(live.statusCode()).as("client connections are no leak: " + live.body()).isEqualTo(200);
            assertThat(live.body()).contains("the API sheds with 503");

            closeClients();
            long start = System.nanoTime();
            int status = awaitStatus(jar, "/api/projects", 200, 10_000);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("shedding stopped %d ms after the clients left%n", tookMs);
            assertThat(status).isEqualTo(200);
            assertThat(tookMs).as("recovery is seen at the next request, not a sample later").isLessThan(1000);
        }
    }

    private static HttpResponse<String> probeWithinASecond(JarProcess jar, String path) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = jar.get(path);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(ms).as(path + " answered within a second").isLessThan(1000);
        return r;
    }

    private static int awaitStatus(JarProcess jar, String path, int wanted, long maxMs) throws Exception {
        int[] status = {0};
        try {
            await().atMost(java.time.Duration.ofMillis(maxMs)).pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(20)).until(() -> {
                try {
                    status[0] = jar.get(path).statusCode();
                } catch (java.io.IOException e) {
                    status[0] = -1;
                }
                return status[0] == wanted;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller asserts the last status
        }
        return status[0];
    }
}
