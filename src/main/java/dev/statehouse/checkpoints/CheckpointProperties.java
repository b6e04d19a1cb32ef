package dev.statehouse.checkpoints;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The checkpoints feature's limits ({@code statehouse.checkpoints.*}); where the store is, and the
 * restore timeout, are {@link dev.statehouse.storage.CheckpointStoreProperties}.
 *
 * @param maxPerPlan     checkpoints kept per plan; the oldest is evicted past this
 * @param maxTotalBytes  bytes kept over all plans; the oldest snapshots are evicted past this
 * @param ttl            a plan idle (no checkpoint or rollback) this long is expired and its snapshots removed
 * @param reaperInterval how often the TTL reaper runs
 */
@ConfigurationProperties("statehouse.checkpoints")
public record CheckpointProperties(
        @DefaultValue("20") int maxPerPlan,
        @DefaultValue("1GB") DataSize maxTotalBytes,
        @DefaultValue("7d") Duration ttl,
        @DefaultValue("10m") Duration reaperInterval) {
}
