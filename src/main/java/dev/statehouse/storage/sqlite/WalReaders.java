package dev.statehouse.storage.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Other processes that hold a WAL read mark on the database: a POSIX lock on one of the five
 * read-mark bytes (120 + 3 … 120 + 7) of its {@code -shm} file, as {@code /proc/locks} lists them.
 * Reads {@code /proc} only; the {@code -shm} file is {@code stat}ed, never opened.
 */
final class WalReaders {

    private static final long FIRST_READ_MARK = 123;
    private static final long LAST_READ_MARK = 127;

    private final Path locks;
    private final Path proc;

    WalReaders() {
        this(Path.of("/proc/locks"), Path.of("/proc"));
    }

    WalReaders(Path locks, Path proc) {
        this.locks = locks;
        this.proc = proc;
    }

    /** "pid (command)" of every other process with a read mark on {@code shm}; empty where unknown. */
    List<String> of(Path shm) {
        long inode;
        try {
            inode = ((Number) Files.getAttribute(shm, "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return List.of();
        }
        long self = ProcessHandle.current().pid();
        Set<Long> pids = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(locks)) {
                // "1: POSIX  ADVISORY  READ 4242 00:2d:917 123 123"
                String[] f = line.trim().split("\\s+");
                if (f.length < 8 || !f[1].equals("POSIX")) {
                    continue;
                }
                String[] device = f[5].split(":");
                if (device.length != 3 || Long.parseLong(device[2]) != inode) {
                    continue;
                }
                long start = Long.parseLong(f[6]);
                long end = f[7].equals("EOF") ? Long.MAX_VALUE : Long.parseLong(f[7]);
                long pid = Long.parseLong(f[4]);
                if (pid != self && start <= LAST_READ_MARK && end >= FIRST_READ_MARK) {
                    pids.add(pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        List<String> readers = new ArrayList<>();
        for (long pid : pids) {
            readers.add(pid + " (" + command(pid) + ")");
        }
        return readers;
    }

    private String command(long pid) {
        try {
            return Files.readString(proc.resolve(Long.toString(pid)).resolve("comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
