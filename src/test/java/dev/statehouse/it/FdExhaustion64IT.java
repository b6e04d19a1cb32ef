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
 * The jar under {@code prlimit --nofile=64}. Idle clients take descriptors until none is left:
 * past 90% the API sheds with 503 (no reset) and liveness is DOWN; at the very limit a new
 * connection waits in the backlog instead of being reset, and is served once descriptors free up;
 * then everything is back to 200 by itself.
 */
@EnabledOnOs(OS.LINUX)
class FdExhaustion64IT {

    private static final int LIMIT = 64;
    private static final String TOKEN = "it-token-0123456789abcdef";

    private static Socket idleClient(int port) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(3000);
        OutputStream out = s.getOutputStream();
        out.write("GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] head = new byte[12];
        if (in.readNBytes(head, 0, 12) != 12) {
            throw new IllegalStateException("no answer");
        }
        return s;
    }

    @Test
    void atTheLimitTheServiceShedsWaitsAndRecoversByItself() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (JarProcess jar = JarProcess.start(List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT),
                "--statehouse.fd-leak.sample-interval=200ms", "--statehouse.auth.tokens.it.token=" + TOKEN,
                "--spring.datasource.hikari.maximum-pool-size=4", "--spring.datasource.hikari.minimum-idle=4")) {
            jar.token = TOKEN;
            assertThat(jar.get("/api/projects").statusCode()).isEqualTo(200);
            int baseline = jar.openDescriptors();

            // past 90%: liveness DOWN, the API sheds with a clean 503
            while (jar.openDescriptors() < Math.ceil(LIMIT * 0.92)) {
                clients.add(idleClient(jar.port));
            }
            Thread.sleep(600);
            HttpResponse<String> liveness = jar.get("/actuator/health/liveness");
            assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(503);
            HttpResponse<String> shed = jar.get("/api/projects");
            assertThat(shed.statusCode()).as(shed.body()).isEqualTo(503);
            assertThat(shed.headers().firstValue("retry-after")).hasValue("5");
            assertThat(shed.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");

            // at the limit: a new connection is not reset, it waits and is served once a descriptor frees up
            try {
                while (clients.size() < LIMIT) {
                    clients.add(idleClient(jar.port));
                }
            } catch (Exception expected) {
                // the server could not accept one more: it is at its limit
            }
            System.out.printf("limit %d: baseline %d descriptors, %d idle clients, server at %d%n",
                    LIMIT, baseline, clients.size(), jar.openDescriptors());
            CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return jar.client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(jar.url("/actuator/health/liveness")))
                            .timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            for (Socket s : clients) {
                s.close();
            }
            clients.clear();
            HttpResponse<String> served = waiting.get(30, TimeUnit.SECONDS);
            assertThat(served.statusCode()).isIn(200, 503);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int live = 0;
            int api = 0;
            while (System.nanoTime() < deadline && (live != 200 || api != 200)) {
                Thread.sleep(250);
                live = jar.get("/actuator/health/liveness").statusCode();
                api = jar.get("/api/projects").statusCode();
            }
            assertThat(live).as("liveness recovers").isEqualTo(200);
            assertThat(api).as("the API recovers").isEqualTo(200);
            assertThat(jar.post("/api/sessions", "{\"source\":\"after\"}").statusCode()).isEqualTo(201);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }
}
