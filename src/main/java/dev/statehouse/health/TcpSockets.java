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

    /**
     * How many of the process's sockets are accepted client connections: TCP connections (from
     * {@code /proc/self/net/tcp} and {@code tcp6}) whose local port is one this process listens on.
     * Outbound connections (the pool's, a leaked HTTP client's) have an ephemeral local port and are
     * not counted. Reads {@code /proc} text only.
     */
    /**
     * How many of the process's sockets are established TCP connections to one of {@code ports} on
     * the remote side (the database server). Reads {@code /proc} text only, opens no connection.
     */
    static int toRemotePorts(List<Path> tcpTables, Set<Long> sockets, Set<Integer> ports) {
        if (sockets.isEmpty() || ports.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (Path table : tcpTables) {
            try (java.io.BufferedReader lines = Files.newBufferedReader(table)) {
                lines.readLine(); // header
                for (String line; (line = lines.readLine()) != null; ) {
                    String[] f = line.trim().split("\\s+", 11);
                    if (f.length < 10 || !f[3].equals("01")) { // 01: ESTABLISHED
                        continue;
                    }
                    long inode = Long.parseLong(f[9]);
                    int remotePort = Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16);
                    if (inode != 0 && sockets.contains(inode) && ports.contains(remotePort)) {
                        count++;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6), or a line we do not understand: count what we could read
            }
        }
        return count;
    }

    static int inbound(List<Path> tcpTables, Set<Long> sockets) {
        if (sockets.isEmpty()) {
            return 0;
        }
        Set<Integer> listening = new HashSet<>();
        List<long[]> connections = new ArrayList<>(); // {inode, local port}
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
                    if (f[3].equals("0A")) {
                        listening.add(port);
                    } else {
                        connections.add(new long[] {inode, port});
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
        return inbound;
    }
}
