package dev.statehouse.checkpoints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.statehouse.storage.ClusterLocks;
import dev.statehouse.storage.ResourceDatabases;
import dev.statehouse.storage.StorageErrors;
import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.domain.Ids;
import dev.statehouse.storage.Timestamps;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plan checkpoints as durable snapshots: no connection is held between calls, a checkpoint takes
 * no lock on the resource beyond one read transaction, and every snapshot survives a restart.
 * Calls on the same resource are serialised in this process (see {@link ResourceDatabases}).
 */
@Service
public class CheckpointService {

    private static final Logger log = LoggerFactory.getLogger(CheckpointService.class);
    private static final String SNAPSHOT_SUFFIX = ".db";

    private final CheckpointRepository repo;
    private final ResourceDatabases databases;
    private final ResourcePaths paths;
    private final CheckpointProperties props;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final Path store;
    private final SnapshotStore snapshots;
    /** One lock per resource in use; an entry goes with its last user, so the map does not grow with resources ever checkpointed. */
    private final ConcurrentHashMap<Path, ResourceLock> resourceLocks = new ConcurrentHashMap<>();

    /** A resource's lock and how many calls hold or wait for it (changed only inside the map's compute, atomically per key). */
    private static final class ResourceLock {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }
    /** Across replicas (PostgreSQL, resources on a shared volume): one checkpoint or rollback of a resource at a time. */
    private final ClusterLocks clusterLocks;

    public CheckpointService(CheckpointRepository repo, ResourceDatabases databases, ResourcePaths paths,
                             CheckpointProperties props, Clock clock, TransactionTemplate tx, SnapshotStore snapshots,
                             MeterRegistry registry, ClusterLocks clusterLocks) {
        this.clusterLocks = clusterLocks;
        this.snapshots = snapshots;
        this.repo = repo;
        this.databases = databases;
        this.paths = paths;
        this.props = props;
        this.clock = clock;
        this.tx = tx;
        this.store = snapshots.store();
        Gauge.builder("statehouse.checkpoints.open", databases, ResourceDatabases::openConnections)
                .description("Connections to resources and snapshots open right now").register(registry);
        Gauge.builder("statehouse.checkpoints.kept", repo, CheckpointRepository::count)
                .description("Checkpoints kept").register(registry);
        Gauge.builder("statehouse.checkpoints.budget", props, p -> p.maxTotalBytes().toBytes())
                .baseUnit("bytes").description("statehouse.checkpoints.max-total-bytes: the most snapshot bytes kept").register(registry);
        Gauge.builder("statehouse.checkpoints.bytes", repo, CheckpointRepository::totalBytes)
                .baseUnit("bytes").description("Bytes of snapshots kept").register(registry);
    }

    private double now() {
        return Timestamps.toEpoch(clock.instant());
    }

    public Path store() {
        return store;
    }

    /** Expires plans idle past the TTL and removes their snapshots ({@link SnapshotStore#reap}). */
    public int reap() {
        return snapshots.reap();
    }

    public Plan createPlan(String id, String description) {
        String planId = id == null ? Ids.random("plan_", 8) : id;
        if (!repo.insertPlan(planId, description, now())) {
            throw DomainException.conflict(ErrorKind.ALREADY_EXISTS, "plan '" + planId + "' already exists");
        }
        return plan(planId);
    }

    public Plan plan(String id) {
        return repo.findPlan(id).orElseThrow(() -> DomainException.notFound("plan", id));
    }

    private Plan activePlan(String id) {
        Plan plan = plan(id);
        if (!plan.status().equals("active")) {
            throw DomainException.conflict(ErrorKind.PLAN_NOT_ACTIVE, "plan '" + id + "' is " + plan.status());
        }
        return plan;
    }

    /**
     * Ends a plan ({@code completed} or {@code abandoned}) and deletes its snapshots: the status and
     * the rows in one transaction, then the files. On a full disk that transaction cannot commit, so
     * the files are removed first to make room and it runs again: ending a plan always frees space.
     */
    public Plan end(String id, String status) {
        activePlan(id);
        List<Checkpoint> ended = repo.checkpoints(id);
        snapshots.forgetSnapshots(ended, () -> tx.executeWithoutResult(s -> {
            if (!repo.endPlan(id, status, now())) {
                throw DomainException.conflict(ErrorKind.PLAN_NOT_ACTIVE, "plan '" + id + "' is not active");
            }
            ended.forEach(c -> repo.deleteCheckpoint(c.id()));
        }));
        return plan(id);
    }

    public Checkpoint checkpoint(String planId, String resourceName, String label) {
        activePlan(planId);
        Path resource = paths.resolve(resourceName);
        return withResource(resourceName, resource, () -> {
            long estimate = SnapshotStore.sizeOf(resource) + SnapshotStore.sizeOf(Path.of(resource + "-wal"));
            if (estimate > props.maxTotalBytes().toBytes()) {
                throw new DomainException.Unprocessable(ErrorKind.RESOURCE_TOO_LARGE, "resource '" + resourceName + "' (" + estimate
                        + " bytes) is larger than the checkpoint store's budget of " + props.maxTotalBytes().toBytes() + " bytes");
            }
            String id = Ids.random("cp_", 8);
            String file = planId + "/" + id + SNAPSHOT_SUFFIX;
            Path target = store.resolve(file);
            long size;
            try {
                size = databases.snapshot(resource, target);
            } catch (SQLException e) {
                throw sqlProblem(resourceName, e);
            }
            try {
                tx.executeWithoutResult(status -> {
                    double now = now();
                    repo.insertCheckpoint(id, planId, paths.relativeName(resource), label, file, size, now);
                    repo.touchPlan(planId, now);
                });
            } catch (RuntimeException e) {
                SnapshotStore.deleteFile(target);
                throw e;
            }
            snapshots.enforceBounds(planId, id);
            return repo.findCheckpoint(planId, id).orElseThrow();
        });
    }

    public List<Checkpoint> checkpoints(String planId) {
        plan(planId);
        return repo.checkpoints(planId);
    }

    /** One checkpoint of the plan; 404 for an unknown plan or checkpoint. */
    public Checkpoint checkpoint(String planId, String checkpointId) {
        plan(planId);
        return repo.findCheckpoint(planId, checkpointId).orElseThrow(() -> DomainException.notFound("checkpoint", checkpointId));
    }

    /** Restores the resource in place from the snapshot, through SQLite's backup API. */
    public Checkpoint rollback(String planId, String checkpointId) {
        activePlan(planId);
        Checkpoint cp = repo.findCheckpoint(planId, checkpointId).orElseThrow(() -> DomainException.notFound("checkpoint", checkpointId));
        Path snapshot = store.resolve(cp.file());
        if (cp.state().equals("missing") || !Files.isRegularFile(snapshot)) {
            repo.markMissing(cp.id());
            throw new DomainException.Gone(ErrorKind.SNAPSHOT_MISSING, "the snapshot of checkpoint '" + checkpointId + "' is gone from the store");
        }
        Path resource = paths.resolve(cp.resource());
        return withResource(cp.resource(), resource, () -> {
            try {
                databases.restore(snapshot, databases.describe(snapshot), resource);
            } catch (SQLException e) {
                throw sqlProblem(cp.resource(), e);
            }
            tx.executeWithoutResult(status -> {
                double now = now();
                repo.markRestored(cp.id(), now);
                repo.touchPlan(planId, now);
            });
            log.info("plan {}: rolled {} back to checkpoint {}", planId, cp.resource(), cp.id());
            return repo.findCheckpoint(planId, checkpointId).orElseThrow();
        });
    }

    private <T> T withResource(String name, Path resource, java.util.function.Supplier<T> work) {
        ResourceLock entry = resourceLocks.compute(resource, (p, e) -> {
            ResourceLock l = e == null ? new ResourceLock() : e;
            l.users++;
            return l;
        });
        try {
            return withLock(name, resource, entry.lock, work);
        } finally {
            resourceLocks.computeIfPresent(resource, (p, e) -> --e.users == 0 ? null : e);
        }
    }

    /** Number of resources with a call holding or waiting for their lock (for tests). */
    int lockedResources() {
        return resourceLocks.size();
    }

    private <T> T withLock(String name, Path resource, ReentrantLock lock, java.util.function.Supplier<T> work) {
        boolean locked;
        try {
            locked = lock.tryLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            throw new DomainException.Unavailable(ErrorKind.RESOURCE_BUSY, "another checkpoint or rollback of this resource is running", 1);
        }
        try {
            return clusterLocks.withLock("statehouse.resource:" + resource, Duration.ofSeconds(30), work)
                    .orElseThrow(() -> new DomainException.Unavailable(ErrorKind.RESOURCE_BUSY,
                            "another replica is taking a checkpoint or rollback of this resource", 1));
        } catch (ResourceDatabases.OwnDatabaseException e) {
            throw ResourcePaths.ownDatabase(name);
        } finally {
            lock.unlock();
        }
    }

    private static DomainException sqlProblem(String resource, SQLException e) {
        if (StorageErrors.isDiskFull(e)) {
            return new DomainException.OutOfSpace(
                    "no space left for the snapshot of resource '" + resource + "'; nothing was recorded");
        }
        if (StorageErrors.isNotADatabase(e)) {
            return new DomainException.Unprocessable(ErrorKind.NOT_A_DATABASE,
                    "resource '" + resource + "' is not a usable SQLite database: " + e.getMessage());
        }
        if (StorageErrors.isBusy(e)) {
            return new DomainException.Unavailable(ErrorKind.RESOURCE_BUSY,
                    "resource '" + resource + "' is locked by another connection; nothing was changed, retry shortly", 1);
        }
        log.error("SQLite failure on resource {}", resource, e);
        return new DomainException.Failed(ErrorKind.RESOURCE_ERROR, "the resource could not be processed");
    }
}
