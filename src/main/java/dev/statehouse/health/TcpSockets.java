package dev.statehouse.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The process's TCP sockets told apart from {@code /proc/self/net/tcp{,6}} text: nothing is opened but those files. */
final class TcpSockets {

    private TcpSockets() {
    }

    /** Adds the inode of a {@code socket:[12345]} link target to {@code sockets}. */
    static void addInode(String target, Set<Long> sockets) {
        // "socket:[12345]"
        if (target.length() > 9 && target.charAt(7) == '[' && target.endsWith("]")) {
            try {
                sockets.add(Long.parseLong(target, 8, target.length() - 1, 10));
            } catch (NumberFormatException e) {
                // not a TCP socket inode we can match
            }
        }
    }

    /** Accepted client connections, and established connections to the database server. */
    record Counts(int inbound, int toServer) {
        static final Counts NONE = new Counts(0, 0);
    }

    /**
     * One pass over {@code /proc/self/net/tcp} and {@code tcp6}, for the process's sockets only:
     * <ul>
     * <li>{@code inbound}: accepted client connections, TCP connections whose local port is one this
     * process listens on. Outbound connections (the pool's, a leaked HTTP client's) have an ephemeral
     * local port and are not counted;</li>
     * <li>{@code toServer}: established connections whose remote port is one of {@code serverPorts}
     * (the PostgreSQL server; none on SQLite).</li>
     * </ul>
     * Reads {@code /proc} text only, opens no connection.
     */
    static Counts count(List<Path> tcpTables, Set<Long> sockets, Set<Integer> serverPorts) {
        if (sockets.isEmpty()) {
            return Counts.NONE;
        }
        Set<Integer> listening = new HashSet<>();
        List<long[]> connections = new ArrayList<>(); // {inode, local port}
        int toServer = 0;
        for (Path table : tcpTables) {
            try (java.io.BufferedReader lines = Files.newBufferedReader(table)) {
                lines.readLine(); // header
                for (String line; (line = lines.readLine()) != null; ) {
                    // "  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0  0 12345 ..."
                    String[] f = line.trim().split("\\s+", 11);
                    if (f.length < 10) {
                        continue;
                    }
                    long inode = Long.parseLong(f[9]);
                    if (inode == 0 || !sockets.contains(inode)) {
                        continue;
                    }
                    int port = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                    if (f[3].equals("0A")) { // LISTEN
                        listening.add(port);
                        continue;
                    }
                    connections.add(new long[] {inode, port});
                    if (f[3].equals("01") && !serverPorts.isEmpty() // ESTABLISHED
                            && serverPorts.contains(Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16))) {
                        toServer++;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6), or a line we do not understand: count what we could read
            }
        }
        int inbound = 0;
        for (long[] c : connections) {
            if (listening.contains((int) c[1])) {
                inbound++;
            }
        }
        return new Counts(inbound, toServer);
    }
}
