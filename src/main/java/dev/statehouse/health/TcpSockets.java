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
        List<Integer> connected = new ArrayList<>(); // the local port of each connection of ours
        int toServer = 0;
        int[] from = new int[FIELDS];
        int[] to = new int[FIELDS];
        for (Path table : tcpTables) {
            byte[] text;
            try {
                text = Files.readAllBytes(table);
            } catch (IOException | RuntimeException e) {
                continue; // no such table (no IPv6)
            }
            // the namespace's every socket is listed (thousands in TIME_WAIT on a busy host): a line is
            // cut into fields by hand, and only a line whose inode is one of ours is looked at further
            int line = next(text, 0); // the header
            while (line < text.length) {
                int end = next(text, line);
                int port = fields(text, line, end, from, to) ? ours(text, from, to, sockets) : -1;
                if (port >= 0) {
                    if (state(text, from, to, 'A')) { // 0A: LISTEN
                        listening.add(port);
                    } else {
                        connected.add(port);
                        if (state(text, from, to, '1') && !serverPorts.isEmpty() // 01: ESTABLISHED
                                && serverPorts.contains(port(text, from[2], to[2]))) {
                            toServer++;
                        }
                    }
                }
                line = end;
            }
        }
        int inbound = 0;
        for (int port : connected) {
            if (listening.contains(port)) {
                inbound++;
            }
        }
        return new Counts(inbound, toServer);
    }

    /** The fields a line must have: "sl local remote st tx:rx tr:when retrnsmt uid timeout inode". */
    private static final int FIELDS = 10;

    /** The start of the line after the one at {@code at}. */
    private static int next(byte[] text, int at) {
        while (at < text.length && text[at] != '\n') {
            at++;
        }
        return at + 1;
    }

    /** Cuts {@code [line, end)} at blanks into its first {@link #FIELDS} fields; false for a shorter line. */
    private static boolean fields(byte[] text, int line, int end, int[] from, int[] to) {
        int at = line;
        int limit = Math.min(end, text.length);
        for (int f = 0; f < FIELDS; f++) {
            while (at < limit && (text[at] == ' ' || text[at] == '\t')) {
                at++;
            }
            if (at >= limit || text[at] == '\n') {
                return false;
            }
            from[f] = at;
            while (at < limit && text[at] != ' ' && text[at] != '\t' && text[at] != '\n') {
                at++;
            }
            to[f] = at;
        }
        return true;
    }

    /** The local port of a line whose socket is one of ours; -1 for another's, or a line not understood. */
    private static int ours(byte[] text, int[] from, int[] to, Set<Long> sockets) {
        long inode = number(text, from[9], to[9], 10);
        return inode > 0 && sockets.contains(inode) ? port(text, from[1], to[1]) : -1;
    }

    /** Whether the line's state field is {@code 0<second>}. */
    private static boolean state(byte[] text, int[] from, int[] to, char second) {
        return to[3] - from[3] == 2 && text[from[3]] == '0' && text[from[3] + 1] == second;
    }

    /** The port of an "ADDRESS:PORT" field (hexadecimal), or -1. */
    private static int port(byte[] text, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (text[i] == ':') {
                return (int) number(text, i + 1, to, 16);
            }
        }
        return -1;
    }

    /** The number written in {@code [from, to)} in {@code radix} (10 or 16), or -1 if it is not one. */
    private static long number(byte[] text, int from, int to, int radix) {
        if (from < 0 || from >= to || to - from > 16) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(text[i], radix);
            if (digit < 0) {
                return -1;
            }
            value = value * radix + digit;
        }
        return value;
    }
}
