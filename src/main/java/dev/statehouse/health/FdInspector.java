package dev.statehouse.health;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

import dev.statehouse.storage.DatabaseLocation;

/**
 * Reads the process's descriptor table from {@code /proc/self/fd} with {@code readlink} and
 * {@code stat} only. It never opens or closes a database file: closing any descriptor on a
 * SQLite file would drop every POSIX lock the process holds on it.
 */
public class FdInspector {

    private static final String DELETED_SUFFIX = " (deleted)";
    /** The process's descriptor table. */
    static final Path FD_DIR = Path.of("/proc/self/fd");
    /** The TCP tables a scan reads to tell accepted and database connections from other sockets. */
    static final List<Path> TCP_TABLES = List.of(Path.of("/proc/self/net/tcp"), Path.of("/proc/self/net/tcp6"));

    private final Path fdDir;
    private final Path limitsFile;
    private final List<Path> tcpTables;
    private final String dbMain;
    private final String dbWal;
    private final String dbShm;
    private final String dbJournal;
    private final List<String> resourceRoots;
    private final Set<Integer> serverPorts;
    private final Clock clock;
    /** {@code /proc/self/fd/N} paths by descriptor number, built once: the scan allocates little. */
    private volatile Path[] links = new Path[0];

    public FdInspector(DatabaseLocation database, List<Path> resourceRoots, Clock clock) {
        this(FD_DIR, Path.of("/proc/self/limits"), TCP_TABLES, database, resourceRoots, clock);
    }

    FdInspector(Path fdDir, Path limitsFile, List<Path> tcpTables, DatabaseLocation database, List<Path> resourceRoots, Clock clock) {
        this.fdDir = fdDir;
        this.limitsFile = limitsFile;
        this.tcpTables = tcpTables;
        // on PostgreSQL there is no database file: no descriptor is classified as one
        this.dbMain = database.isFile() ? database.file().toString() : null;
        this.dbWal = database.isFile() ? database.wal().toString() : null;
        this.dbShm = database.isFile() ? database.shm().toString() : null;
        this.dbJournal = database.isFile() ? database.journal().toString() : null;
        this.serverPorts = Set.copyOf(database.serverPorts());
        this.resourceRoots = resourceRoots.stream().map(p -> p.toAbsolutePath().normalize() + File.separator).toList();
        this.clock = clock;
    }

    public boolean procAvailable() {
        return Files.isDirectory(fdDir);
    }

    /** How many descriptors are open, from the length of the {@code /proc/self/fd} listing alone (-1 without it). */
    int countOpen() {
        String[] names = list();
        return names == null ? -1 : names.length - 1; // the listing's own directory handle
    }

    /** The directory's entries; null without /proc or when no descriptor is left to list it (EMFILE). */
    private String[] list() {
        try {
            return fdDir.toFile().list();
        } catch (InternalError | RuntimeException e) {
            return null; // the JDK reports EMFILE on opendir as an InternalError
        }
    }

    public FdScan scan() {
        long start = System.nanoTime();
        String[] names = list();
        if (names == null) {
            return jvmOnly(start);
        }
        Map<FdKind, Integer> counts = FdScan.emptyCounts();
        List<String> deleted = new ArrayList<>();
        List<String> deletedDb = new ArrayList<>();
        Set<Long> sockets = new HashSet<>();
        int open = 0;
        for (String name : names) {
            Path link = link(name);
            String target;
            try {
                target = Files.readSymbolicLink(link).toString();
            } catch (IOException | UnsupportedOperationException e) {
                continue; // closed between list and readlink (the directory handle itself, say)
            }
            open++;
            boolean gone = false;
            if (target.endsWith(DELETED_SUFFIX) && target.startsWith("/") && !sameFile(link, Path.of(target))) {
                // the kernel appends " (deleted)" to an unlinked file's name; a live file may also be named so
                target = target.substring(0, target.length() - DELETED_SUFFIX.length());
                gone = true;
                deleted.add(target);
            }
            FdKind kind = classify(target);
            if (kind == FdKind.SOCKET) {
                TcpSockets.addInode(target, sockets);
            }
            counts.merge(kind, 1, Integer::sum);
            if (gone && (kind == FdKind.DB_MAIN || kind == FdKind.DB_WAL || kind == FdKind.DB_SHM || kind == FdKind.DB_JOURNAL)) {
                deletedDb.add(target);
            }
        }
        TcpSockets.Counts tcp = TcpSockets.count(tcpTables, sockets, serverPorts);
        if (tcp.inbound() > 0) {
            counts.merge(FdKind.SOCKET, -tcp.inbound(), Integer::sum);
            counts.put(FdKind.SOCKET_INBOUND, tcp.inbound());
        }
        if (tcp.toServer() > 0) {
            counts.merge(FdKind.SOCKET, -tcp.toServer(), Integer::sum);
            counts.put(FdKind.SOCKET_DATABASE, tcp.toServer());
        }
        return new FdScan(clock.instant(), start, true, open, softLimit(), counts, List.copyOf(deleted), List.copyOf(deletedDb),
                System.nanoTime() - start);
    }

    FdKind classify(String target) {
        if (target.startsWith("socket:")) {
            return FdKind.SOCKET;
        }
        if (target.startsWith("pipe:")) {
            return FdKind.PIPE;
        }
        if (target.startsWith("anon_inode:")) {
            return FdKind.ANON;
        }
        if (!target.startsWith("/")) {
            return FdKind.OTHER;
        }
        if (dbMain != null && target.equals(dbMain)) {
            return FdKind.DB_MAIN;
        }
        if (dbWal != null && target.equals(dbWal)) {
            return FdKind.DB_WAL;
        }
        if (dbShm != null && target.equals(dbShm)) {
            return FdKind.DB_SHM;
        }
        if (dbJournal != null && target.equals(dbJournal)) {
            return FdKind.DB_JOURNAL;
        }
        for (String root : resourceRoots) {
            if (target.startsWith(root)) {
                return FdKind.RESOURCE;
            }
        }
        return FdKind.FILE;
    }

    private Path link(String name) {
        int fd;
        try {
            fd = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return fdDir.resolve(name);
        }
        Path[] cache = links;
        if (fd >= cache.length) {
            cache = java.util.Arrays.copyOf(cache, Math.max(fd + 1, cache.length * 2));
            links = cache;
        }
        Path link = cache[fd];
        if (link == null) {
            link = fdDir.resolve(name);
            cache[fd] = link;
        }
        return link;
    }

    /**
     * Whether the descriptor's open file is the file at {@code path}: same device and inode
     * ({@code stat} of the /proc link follows it to the open file, even an unlinked one).
     * A name that ends in " (deleted)" is then a live file named so, not an unlinked one.
     */
    private static boolean sameFile(Path fdLink, Path path) {
        try {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            return Files.getAttribute(fdLink, "unix:ino").equals(Files.getAttribute(path, "unix:ino"))
                    && Files.getAttribute(fdLink, "unix:dev").equals(Files.getAttribute(path, "unix:dev"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The soft limit from {@code /proc/self/limits}, else the JVM's view, else -1. */
    long softLimit() {
        try {
            for (String line : Files.readAllLines(limitsFile)) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the JVM's counter
        }
        return jvmMax();
    }

    private FdScan jvmOnly(long start) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        int open = -1;
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            open = (int) unix.getOpenFileDescriptorCount();
        }
        return new FdScan(clock.instant(), start, false, open, jvmMax(), FdScan.emptyCounts(), List.of(), List.of(),
                System.nanoTime() - start);
    }

    private static long jvmMax() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
