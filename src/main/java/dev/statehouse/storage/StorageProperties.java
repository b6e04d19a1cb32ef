package dev.statehouse.storage;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code statehouse.storage.*}: the SQLite file and its write path, validated once at start.
 *
 * @param path                   the database file ({@code spring.datasource.url} is built from it)
 * @param journalMode            WAL (default) or DELETE
 * @param busyTimeoutMs          how long a statement waits for SQLite's lock, and a write for its turn
 * @param statementCacheSize     prepared statements kept per connection (0: none)
 * @param groupCommitMax         most write transactions committed together (0: no group commit)
 * @param quickCheckOnStart      run {@code PRAGMA quick_check} before serving (refuse a corrupt file)
 * @param checkpointInterval     how often WAL maintenance runs
 * @param walTruncateThreshold   a WAL larger than this is truncated once every frame is back in the database
 * @param checkpointTruncateWait how long a TRUNCATE checkpoint may wait for readers (it blocks writers meanwhile)
 * @param writeProbeInterval     how often a healthy database is probed with a committed write (every second while faulted)
 * @param reachabilityInterval   how often a thread of its own asks the database for {@code SELECT 1} (readiness' {@code db})
 * @param reachabilityTimeout    an answer slower than this makes readiness' {@code db} DOWN (the probe itself is bounded
 *                               by the pool's and the driver's timeouts; readiness never waits for it)
 * @param externalReplication    {@code none}, or {@code litestream} when Litestream replicates the WAL: then Statehouse only
 *                               ever runs PASSIVE checkpoints (a TRUNCATE would wait out the busy timeout against
 *                               Litestream's read transaction, blocking writers) and skips the shutdown TRUNCATE
 */
@Validated
@ConfigurationProperties("statehouse.storage")
public record StorageProperties(
        @NotBlank @DefaultValue("./data/state.db") String path,
        @NotNull @Pattern(regexp = "(?i)WAL|DELETE") @DefaultValue("WAL") String journalMode,
        @Min(0) @Max(600_000) @DefaultValue("5000") int busyTimeoutMs,
        @Min(0) @Max(10_000) @DefaultValue("64") int statementCacheSize,
        @Min(0) @Max(10_000) @DefaultValue("32") int groupCommitMax,
        @DefaultValue("true") boolean quickCheckOnStart,
        @NotNull @DefaultValue("60s") Duration checkpointInterval,
        @NotNull @DefaultValue("64MB") DataSize walTruncateThreshold,
        @NotNull @DefaultValue("100ms") Duration checkpointTruncateWait,
        @NotNull @DefaultValue("10s") Duration writeProbeInterval,
        @NotNull @Pattern(regexp = "none|litestream") @DefaultValue("none") String externalReplication,
        @NotNull @DefaultValue("1s") Duration reachabilityInterval,
        @NotNull @DefaultValue("2s") Duration reachabilityTimeout) {

    /** True when an external replicator (Litestream) owns WAL truncation. */
    public boolean externallyReplicated() {
        return !"none".equals(externalReplication);
    }
}
