package dev.statehouse.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP tables told apart by hand (no regular expression per line: the tables list the whole
 * namespace's sockets, thousands in TIME_WAIT on a busy host, and a probe may take the sample).
 */
class TcpSocketsTest {

    private static final String HEADER4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
    private static final String HEADER6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    @TempDir
    Path dir;

    private static String line4(int sl, String local, String remote, String state, long inode) {
        return String.format("%4d: %s %s %s 00000000:00000000 00:00000000 00000000     0        0 %d 1 00000000f20ffe10 100 0 0 10 0%n",
                sl, local, remote, state, inode);
    }

    @Test
    void countsOurAcceptedAndDatabaseConnectionsAmongTheNamespacesOthers() throws IOException {
        StringBuilder tcp = new StringBuilder(HEADER4);
        tcp.append(line4(0, "00000000:1F90", "00000000:0000", "0A", 100)); // ours: listening on 8080
        tcp.append(line4(1, "0100007F:1F90", "0100007F:C350", "01", 101)); // ours: accepted on 8080
        tcp.append(line4(2, "0100007F:1F90", "0100007F:C351", "08", 102)); // ours: accepted, CLOSE_WAIT: still inbound
        tcp.append(line4(3, "0100007F:C352", "0100007F:1538", "01", 103)); // ours: to the database (5432)
        tcp.append(line4(4, "0100007F:C353", "0100007F:1538", "08", 104)); // ours: to the database, CLOSE_WAIT: not counted
        tcp.append(line4(5, "0100007F:C354", "0100007F:0050", "01", 105)); // ours: outbound elsewhere
        for (int i = 0; i < 5000; i++) { // the namespace's others, and TIME_WAIT (inode 0)
            tcp.append(line4(6 + i, "0100007F:1F90", "0100007F:" + String.format("%04X", 1000 + i), i % 2 == 0 ? "06" : "01", i % 2 == 0 ? 0 : 900000 + i));
        }
        tcp.append("  garbled line\n");
        StringBuilder tcp6 = new StringBuilder(HEADER6);
        tcp6.append(String.format("   0: %s %s 0A 00000000:00000000 00:00000000 00000000  1000        0 200 1 0000000000000000 100 0 0 10 0%n",
                "00000000000000000000000000000000:0BB8", "00000000000000000000000000000000:0000")); // ours: listening on 3000
        tcp6.append(String.format("   1: %s %s 01 00000000:00000000 00:00000000 00000000  1000        0 201 1 0000000000000000 20 4 30 10 -1%n",
                "0000000000000000FFFF00000100007F:0BB8", "0000000000000000FFFF00000100007F:D431")); // ours: accepted on 3000
        Path v4 = Files.writeString(dir.resolve("tcp"), tcp);
        Path v6 = Files.writeString(dir.resolve("tcp6"), tcp6);

        Set<Long> ours = Set.of(100L, 101L, 102L, 103L, 104L, 105L, 200L, 201L, 999L);
        TcpSockets.Counts counts = TcpSockets.count(List.of(v4, v6, dir.resolve("missing")), ours, Set.of(5432));
        assertThat(counts).isEqualTo(new TcpSockets.Counts(3, 1));
        assertThat(TcpSockets.count(List.of(v4, v6), ours, Set.of())).isEqualTo(new TcpSockets.Counts(3, 0));
        assertThat(TcpSockets.count(List.of(v4, v6), Set.of(), Set.of(5432))).isEqualTo(TcpSockets.Counts.NONE);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void findsARealAcceptedConnectionInTheKernelsTables() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            Set<Long> sockets = new HashSet<>();
            for (String name : FdInspector.FD_DIR.toFile().list()) {
                try {
                    TcpSockets.addInode(Files.readSymbolicLink(FdInspector.FD_DIR.resolve(name)).toString(), sockets);
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
            TcpSockets.Counts counts = TcpSockets.count(FdInspector.TCP_TABLES, sockets, Set.of(server.getLocalPort()));
            // the accepted end is inbound; the client end is an established connection to the "server" port
            assertThat(counts.inbound()).isGreaterThanOrEqualTo(1);
            assertThat(counts.toServer()).isGreaterThanOrEqualTo(1);
        }
    }
}
