package dev.statehouse.storage.sqlite;

import dev.statehouse.domain.ErrorKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import dev.statehouse.storage.BackupProperties;
import dev.statehouse.storage.ConditionalOnEngine;
import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.Engine;
import dev.statehouse.storage.ResourceDatabases;
import dev.statehouse.storage.StatementCache;
import dev.statehouse.storage.StorageErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.sql.Statement;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Consistent online copies of the database, for the SQLite default without an external replicator:
 * {@code VACUUM INTO} a temporary name through the pool (a read transaction: writers go on), an
 * integrity check of the copy, fsync, then an atomic rename to {@code state-<UTC time>.db}; only
 * then is it a backup. The newest {@code keep} are kept. Triggered by {@code POST /actuator/backup}
 * or {@code statehouse.backup.schedule}; one at a time.
 *
 * <p>Metrics: {@code statehouse_backup_age_seconds} (since the newest good backup; NaN before the
 * first), {@code statehouse_backup_bytes}, {@code statehouse_backup_failures_total}. Restore is
 * {@code java -jar statehouse.jar restore BACKUP} with the service stopped ({@link RestoreCommand}).
 */
@Component
@ConditionalOnEngine(Engine.SQLITE)
public class Backups {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'state-'yyyyMMdd'T'HHmmssSSS'Z.db'").withZone(ZoneOffset.UTC);

    /** A backup kept in the backup folder. */
    public record Backup(String file, long bytes, Instant at) {
    }

    private final JdbcTemplate jdbc;
    private final ResourceDatabases files;
    private final Clock clock;
    private final Path dir;
    private final int keep;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicReference<Backup> last = new AtomicReference<>();
    private final Counter failures;

    public Backups(JdbcTemplate jdbc, ResourceDatabases files, DatabaseLocation database, BackupProperties props, Clock clock,
                   MeterRegistry registry) {
        this.jdbc = jdbc;
        this.files = files;
        this.clock = clock;
        this.dir = Path.of(props.dir()).toAbsolutePath().normalize();
        this.keep = props.keep();
        if (database.file().toAbsolutePath().normalize().getParent().startsWith(dir)) {
            throw new IllegalStateException("statehouse.backup.dir " + dir + " contains the database itself; choose a folder of its own");
        }
        List<Backup> existing = list();
        if (!existing.isEmpty()) {
            last.set(existing.get(0));
        }
        Gauge.builder("statehouse.backup.age", this, b -> {
            Backup newest = b.last.get();
            return newest == null ? Double.NaN : Math.max(0, b.clock.millis() - newest.at().toEpochMilli()) / 1000.0;
        }).baseUnit("seconds").description("Seconds since the newest good backup (NaN before the first)").register(registry);
        Gauge.builder("statehouse.backup", this, b -> b.last.get() == null ? 0 : b.last.get().bytes())
                .baseUnit("bytes").description("Size of the newest good backup").register(registry);
        this.failures = Counter.builder("statehouse.backup.failures").description("Backups that failed").register(registry);
    }

    /** On {@code statehouse.backup.schedule}; a failure is logged and counted, and the next run goes ahead. */
    @Scheduled(cron = "${statehouse.backup.schedule:-}")
    public void scheduled() {
        try {
            backup();
        } catch (RuntimeException e) {
            log.error("scheduled backup failed: {}", e.toString());
        }
    }

    /**
     * Takes a backup now and returns it. A backup already running is a conflict (409, nothing
     * logged as an error); a full backup volume is 507 naming that volume, and says nothing about the
     * database's own write path (its fault stays clear); a copy that fails its check is an error.
     */
    public Backup backup() {
        if (!running.tryLock()) {
            throw new dev.statehouse.domain.DomainException.Conflict(dev.statehouse.domain.ErrorKind.BACKUP_RUNNING, "a backup is already running; retry when it is done");
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            Instant at = clock.instant();
            Path target = dir.resolve(NAME.format(at));
            tmp = dir.resolve("." + target.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            String into = "VACUUM INTO '" + tmp.toString().replace("'", "''") + "'";
            try {
                jdbc.execute((ConnectionCallback<Void>) c -> {
                    if (c.isWrapperFor(StatementCache.IdleStatements.class)) {
                        c.unwrap(StatementCache.IdleStatements.class).closeAll(); // VACUUM runs only with no statement kept
                    }
                    try (Statement s = c.createStatement()) {
                        s.execute(into);
                    } catch (java.sql.SQLException e) {
                        if (StorageErrors.isDiskFull(e)) { // the backup volume's: not translated, so never taken for a database fault
                            throw new BackupVolumeFull(e);
                        }
                        throw e;
                    }
                    return null;
                });
            } catch (BackupVolumeFull e) { // writes to the database go on
                throw new dev.statehouse.domain.DomainException.OutOfSpace("the backup volume " + dir
                        + " is full; no backup was made (the database is unaffected)");
            }
            String check = files.integrityCheck(tmp);
            if (!"ok".equals(check)) {
                throw new IllegalStateException("the copy failed its integrity check: " + check);
            }
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
            Backup made = new Backup(target.getFileName().toString(), Files.size(target), at);
            last.set(made);
            prune();
            log.info("backup {} ({} bytes) in {} ms", made.file(), made.bytes(), clock.millis() - at.toEpochMilli());
            return made;
        } catch (IOException e) {
            failures.increment();
            throw new UncheckedIOException("backup into " + dir + " failed", e);
        } catch (java.sql.SQLException e) {
            failures.increment();
            throw new IllegalStateException("backup copy could not be checked: " + e.getMessage(), e);
        } catch (dev.statehouse.domain.DomainException.OutOfSpace e) {
            failures.increment();
            log.warn("backup failed: {}", e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            failures.increment();
            throw e;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the next backup removes it
                }
            }
            running.unlock();
        }
    }

    /** The backups kept, newest first. */
    public List<Backup> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().matches("state-\\d{8}T\\d{9}Z\\.db"))
                    .map(p -> {
                        try {
                            return new Backup(p.getFileName().toString(), Files.size(p),
                                    Instant.from(NAME.parse(p.getFileName().toString())));
                        } catch (IOException e) {
                            return null;
                        }
                    })
                    .filter(b -> b != null)
                    .sorted(Comparator.comparing(Backup::at).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    private void prune() throws IOException {
        List<Backup> all = list();
        for (Backup old : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(dir.resolve(old.file()));
            log.info("backup {} removed (statehouse.backup.keep={})", old.file(), keep);
        }
    }

    /** VACUUM INTO found the backup volume full: kept apart from the database's own faults. */
    private static final class BackupVolumeFull extends RuntimeException {
        BackupVolumeFull(Throwable cause) {
            super(cause);
        }
    }
}
