package dev.statehouse.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar under {@code prlimit --nofile=256}: idle keep-alive clients push it past 90% of its
 * descriptors; liveness says 503 while they stay and 200 once they are gone.
 */
@EnabledOnOs(OS.LINUX)
class FdExhaustionIT {

    private static final int LIMIT = 256;

    @Test
    void livenessFailsPastTheRatioAndRecoversWhenClientsLeave() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (JarProcess jar = JarProcess.start(List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT),
                "--statehouse.fd-leak.sample-interval=300ms", "--statehouse.auth.tokens.it.token=it-token-0123456789abcdef")) {
            jar.token = "it-token-0123456789abcdef";
            HttpResponse<String> calm = jar.get("/actuator/health/liveness");
            assertThat(calm.statusCode()).as(calm.body()).isEqualTo(200);
            assertThat(calm.body()).contains("\"limit\":" + LIMIT);

            // idle keep-alive clients: each made one request and stays connected
            int target = (int) Math.ceil(LIMIT * 0.92);
            while (jar.openDescriptors() < target && clients.size() < LIMIT) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", jar.port), 2000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] head = new byte[12];
                assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12); // "HTTP/1.1 200"
                clients.add(s);
            }
            // re-counted: a descriptor the service holds for a moment (its own /proc/self/fd scan) may be gone
            int open = jar.openDescriptors();
            assertThat(open).isGreaterThan((int) (LIMIT * 0.9)).isLessThan(LIMIT - 4);
            Thread.sleep(900); // a few samples

            HttpResponse<String> strained = jar.get("/actuator/health/liveness");
            assertThat(strained.statusCode()).as(strained.body()).isEqualTo(503);
            assertThat(strained.body()).contains("of the soft limit").contains("\"status\":\"DOWN\"");
            // the API sheds load with a clean 503 (its connection closed), not a reset
            HttpResponse<String> shed = jar.get("/api/projects");
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("retry-after")).isPresent();

            for (Socket s : clients) {
                s.close();
            }
            clients.clear();
            long deadline = System.nanoTime() + 10_000_000_000L;
            int status = 0;
            while (System.nanoTime() < deadline) {
                status = jar.get("/actuator/health/liveness").statusCode();
                if (status == 200) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(status).as("liveness after the clients left (fds now %d)", jar.openDescriptors()).isEqualTo(200);
            assertThat(jar.get("/api/projects").statusCode()).isEqualTo(200);
            System.out.printf("prlimit %d: %d descriptors open at the peak, %d after the clients left%n",
                    LIMIT, open, jar.openDescriptors());
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }
}
