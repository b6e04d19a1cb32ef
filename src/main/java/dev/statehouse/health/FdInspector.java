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
import java.util.List;
import java.util.Map;

import dev.statehouse.storage.DatabaseLocation;

/**
 * Reads the process's descriptor table from {@code /proc/self/fd} with {@code readlink} and
 * {@code stat} only. It never opens or closes a database file: closing any descriptor on a
 * SQLite file would drop every POSIX lock the process holds on it.
 */
public class FdInspector {

    private static final String DELETED_SUFFIX = " (deleted)";

    private final Path fdDir;
    private final Path limitsFile;
    private final String dbMain;
    private final String dbWal;
    private final String dbShm;
    private final String dbJournal;
    private final List<String> resourceRoots;
    private final Clock clock;

    public FdInspector(DatabaseLocation database, List<Path> resourceRoots, Clock clock) {
        this(Path.of("/proc/self/fd"), Path.of("/proc/self/limits"), database, resourceRoots, clock);
    }

    FdInspector(Path fdDir, Path limitsFile, DatabaseLocation database, List<Path> resourceRoots, Clock clock) {
        this.fdDir = fdDir;
        this.limitsFile = limitsFile;
        this.dbMain = database.file().toString();
        this.dbWal = database.wal().toString();
        this.dbShm = database.shm().toString();
        this.dbJournal = database.journal().toString();
        this.resourceRoots = resourceRoots.stream().map(p -> p.toAbsolutePath().normalize() + File.separator).toList();
        this.clock = clock;
    }

    public boolean procAvailable() {
        return Files.isDirectory(fdDir);
    }

    public FdScan scan() {
        long start = System.nanoTime();
        String[] names = fdDir.toFile().list();
        if (names == null) {
            return jvmOnly(start);
        }
        Map<FdKind, Integer> counts = FdScan.emptyCounts();
        List<String> deleted = new ArrayList<>();
        List<String> deletedDb = new ArrayList<>();
        int open = 0;
        for (String name : names) {
            Path link = fdDir.resolve(name);
            String target;
            try {
                target = Files.readSymbolicLink(link).toString();
            } catch (IOException | UnsupportedOperationException e) {
                continue; // closed between list and readlink (the directory handle itself, say)
            }
            open++;
            boolean gone = false;
            if (target.endsWith(DELETED_SUFFIX)) {
                String path = target.substring(0, target.length() - DELETED_SUFFIX.length());
                if (reallyDeleted(link, Path.of(path))) {
                    gone = true;
                    target = path;
                    deleted.add(path);
                }
            }
            FdKind kind = classify(target);
            counts.merge(kind, 1, Integer::sum);
            if (gone && (kind == FdKind.DB_MAIN || kind == FdKind.DB_WAL || kind == FdKind.DB_SHM || kind == FdKind.DB_JOURNAL)) {
                deletedDb.add(target);
            }
        }
        return new FdScan(clock.instant(), true, open, softLimit(), counts, List.copyOf(deleted), List.copyOf(deletedDb),
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
        if (target.equals(dbMain)) {
            return FdKind.DB_MAIN;
        }
        if (target.equals(dbWal)) {
            return FdKind.DB_WAL;
        }
        if (target.equals(dbShm)) {
            return FdKind.DB_SHM;
        }
        if (target.equals(dbJournal)) {
            return FdKind.DB_JOURNAL;
        }
        for (String root : resourceRoots) {
            if (target.startsWith(root)) {
                return FdKind.RESOURCE;
            }
        }
        return FdKind.FILE;
    }

    /**
     * A name that ends in " (deleted)" might be a real file named so. The open file is deleted
     * when the path no longer exists or now names a different device/inode than the descriptor.
     */
    private static boolean reallyDeleted(Path fdLink, Path path) {
        try {
            Object openIno = Files.getAttribute(fdLink, "unix:ino");
            Object openDev = Files.getAttribute(fdLink, "unix:dev");
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            Object pathIno = Files.getAttribute(path, "unix:ino");
            Object pathDev = Files.getAttribute(path, "unix:dev");
            return !openIno.equals(pathIno) || !openDev.equals(pathDev);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true;
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
        return new FdScan(clock.instant(), false, open, jvmMax(), FdScan.emptyCounts(), List.of(), List.of(),
                System.nanoTime() - start);
    }

    private static long jvmMax() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
