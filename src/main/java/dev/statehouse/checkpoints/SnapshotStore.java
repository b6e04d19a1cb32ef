package dev.statehouse.checkpoints;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.statehouse.storage.CheckpointStoreProperties;
import dev.statehouse.storage.ClusterLocks;
import dev.statehouse.storage.StorageErrors;
import dev.statehouse.storage.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The snapshot files and the rows that describe them, kept in step: bounds (per plan, total
 * bytes), expiry of idle plans, and reconciliation at start. Rows go in a transaction of their
 * own, files after it (before it on a full disk, to make room); a file never outlives its row
 * past the next start, and a row whose file is gone is shown as {@code missing}.
 */
@Component
@ConditionalOnWebApplication // reconciles at the service's start; a command (import) must not create the store
class SnapshotStore {

    private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);

    private final CheckpointRepository repo;
    private final CheckpointProperties props;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final Path store;
    /** With N replicas sharing the store, the reaper and the reconcile run on one of them at a time. */
    private final ClusterLocks locks;
    /** On a shared store, a file this young may be a checkpoint another replica is still recording. */
    private static final Duration ORPHAN_MIN_AGE = Duration.ofMinutes(10);

    SnapshotStore(CheckpointRepository repo, CheckpointProperties props, CheckpointStoreProperties storeProps, Clock clock,
                  TransactionTemplate tx, ClusterLocks locks) {
        this.locks = locks;
        this.repo = repo;
        this.props = props;
        this.clock = clock;
        this.tx = tx;
        this.store = storeProps.path().toAbsolutePath().normalize();
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint store " + store, e);
        }
    }

    Path store() {
        return store;
    }

    private double now() {
        return Timestamps.toEpoch(clock.instant());
    }

    /** Evicts the oldest checkpoints past max-per-plan (of the plan) and max-total-bytes (of all, keeping {@code keepId}). */
    void enforceBounds(String planId, String keepId) {
        List<Checkpoint> evict = new ArrayList<>(repo.overPlanLimit(planId, props.maxPerPlan()));
        long total = repo.totalBytes();
        for (Checkpoint c : evict) {
            total -= c.sizeBytes();
        }
        if (total > props.maxTotalBytes().toBytes()) {
            Set<String> already = new HashSet<>();
            evict.forEach(c -> already.add(c.id()));
            for (Checkpoint c : repo.oldestFirst(keepId, 10_000)) {
                if (total <= props.maxTotalBytes().toBytes()) {
                    break;
                }
                if (already.add(c.id())) {
                    evict.add(c);
                    total -= c.sizeBytes();
                }
            }
        }
        if (!evict.isEmpty()) {
            deleteSnapshots(evict);
            log.debug("evicted {} checkpoint(s) to stay within bounds", evict.size());
        }
    }

    /** Expires plans idle past the TTL and removes their snapshots. */
    @Scheduled(fixedDelayString = "${statehouse.checkpoints.reaper-interval:10m}",
            initialDelayString = "${statehouse.checkpoints.reaper-interval:10m}")
    public int reap() {
        return locks.withLock("statehouse.checkpoints.reaper", Duration.ZERO, this::reapNow).orElse(0);
    }

    private int reapNow() {
        double cutoff = now() - props.ttl().toMillis() / 1000.0;
        int expired = 0;
        for (String planId : repo.idlePlans(cutoff)) {
            if (repo.endPlan(planId, "expired", now())) {
                deleteSnapshots(repo.checkpoints(planId));
                expired++;
            }
        }
        if (expired > 0) {
            log.info("expired {} idle plan(s) and removed their snapshots", expired);
        }
        return expired;
    }

    /** At start: snapshot files without metadata are removed, metadata without a file is marked missing. */
    @EventListener(ApplicationReadyEvent.class)
    public void reconcile() {
        locks.withLock("statehouse.checkpoints.reconcile", Duration.ZERO, () -> {
            reconcileNow();
            return null;
        });
    }

    private void reconcileNow() {
        Set<String> known = new HashSet<>();
        int missing = 0;
        for (Checkpoint c : repo.all()) {
            known.add(c.file());
            if (c.state().equals("ok") && !Files.isRegularFile(store.resolve(c.file()))) {
                repo.markMissing(c.id());
                missing++;
            }
        }
        int orphans = 0;
        try (Stream<Path> files = Files.walk(store)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = store.relativize(f).toString().replace('\\', '/');
                if (!known.contains(rel) && (!locks.shared() || olderThan(f, ORPHAN_MIN_AGE))) {
                    deleteFile(f);
                    orphans++;
                }
            }
        } catch (IOException e) {
            log.warn("checkpoint store reconcile could not list {}: {}", store, e.toString());
        }
        try (Stream<Path> dirs = Files.list(store)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> inside = Files.list(d)) {
                    if (inside.findAny().isEmpty()) {
                        Files.deleteIfExists(d);
                    }
                }
            }
        } catch (IOException e) {
            log.debug("could not prune empty plan folders: {}", e.toString());
        }
        if (missing > 0 || orphans > 0) {
            log.warn("checkpoint store reconciled: {} snapshot(s) missing, {} orphan file(s) removed", missing, orphans);
        }
    }

    void deleteSnapshots(List<Checkpoint> checkpoints) {
        forgetSnapshots(checkpoints, () -> tx.executeWithoutResult(status -> checkpoints.forEach(c -> repo.deleteCheckpoint(c.id()))));
    }

    /**
     * Runs {@code write} (a transaction that deletes the checkpoints' rows, and perhaps more), then
     * removes their files. On a full disk that transaction cannot commit (a delete writes too), so the
     * files go first to make room and it runs again; a row whose file is gone meanwhile is only ever
     * seen as {@code missing}.
     */
    void forgetSnapshots(List<Checkpoint> checkpoints, Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            if (!StorageErrors.isDiskFull(e)) {
                throw e;
            }
            log.warn("disk full: removing {} snapshot file(s) before their rows to make room", checkpoints.size());
            checkpoints.forEach(c -> deleteFile(store.resolve(c.file())));
            write.run();
        }
        checkpoints.forEach(c -> deleteFile(store.resolve(c.file())));
    }

    static void deleteFile(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            log.warn("could not delete {}: {} (the next start removes it)", f, e.toString());
        }
    }

    static long sizeOf(Path f) {
        try {
            return Files.exists(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private boolean olderThan(Path file, Duration age) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(clock.instant().minus(age));
        } catch (IOException e) {
            return false;
        }
    }
}
