package dev.statehouse.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar under {@code prlimit --nofile=64}, probes on the management port. Idle clients cannot take
 * the process's last descriptors: the connector's cap, derived from the soft limit, leaves a reserve
 * for the pool, the sampler and the probes, so liveness stays UP and is answered; a connection past
 * the cap waits in the backlog instead of being reset, and is served once clients leave; then
 * everything is back to 200 by itself.
 */
@EnabledOnOs(OS.LINUX)
class FdExhaustion64IT {

    private static final int LIMIT = 64;
    private static final String TOKEN = "it-token-0123456789abcdef";

    /** A client that made one request and stays connected; null when the server did not answer it (past the cap). */
    private static Socket idleClient(int port) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(1000);
        OutputStream out = s.getOutputStream();
        out.write("GET /api/projects HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer it-token-0123456789abcdef\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        try {
            if (in.readNBytes(new byte[12], 0, 12) == 12) {
                return s;
            }
        } catch (java.net.SocketTimeoutException waiting) {
            // accepted by the kernel, not by the server: it waits in the backlog
        }
        s.close();
        return null;
    }

    @Test
    void atTheLimitClientsWaitLivenessStaysUpAndEverythingRecoversByItself() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (JarProcess jar = JarProcess.startWithManagementPort(List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT),
                "--statehouse.fd-leak.sample-interval=200ms", "--statehouse.auth.tokens.it.token=" + TOKEN,
                "--spring.datasource.hikari.maximum-pool-size=4", "--spring.datasource.hikari.minimum-idle=4")) {
            jar.token = TOKEN;
            assertThat(jar.get("/api/projects").statusCode()).isEqualTo(200);
            int baseline = jar.openDescriptors();

            Socket client;
            while (clients.size() < LIMIT && (client = idleClient(jar.port)) != null) {
                clients.add(client);
            }
            int peak = jar.openDescriptors();
            System.out.printf("limit %d: baseline %d descriptors, %d clients served and kept, server at %d%n",
                    LIMIT, baseline, clients.size(), peak);
            assertThat(clients.size()).as("the cap was reached before the descriptors ran out").isLessThan(LIMIT - baseline);
            assertThat(peak).isLessThan(LIMIT - 4);
            HttpResponse<String> liveness = jar.get("/actuator/health/liveness");
            assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);

            // past the cap: a new connection is not reset, it waits and is served once a client leaves
            java.net.http.HttpClient fresh = java.net.http.HttpClient.newHttpClient(); // a new connection, not the test's pooled one
            CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return fresh.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + jar.port + "/api/projects"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            assertThat(waiting).as("it waits while the clients stay").isNotDone();
            for (Socket s : clients) {
                s.close();
            }
            clients.clear();
            HttpResponse<String> served = waiting.get(30, TimeUnit.SECONDS);
            assertThat(served.statusCode()).isEqualTo(200);

            assertThat(jar.get("/actuator/health/liveness").statusCode()).as("liveness").isEqualTo(200);
            assertThat(jar.get("/api/projects").statusCode()).as("the API").isEqualTo(200);
            assertThat(jar.post("/api/sessions", "{\"source\":\"after\"}").statusCode()).isEqualTo(201);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }
}
