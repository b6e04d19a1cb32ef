package dev.statehouse.health;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the descriptor sampler and the {@code fdLeak} health indicator.
 *
 * @param sampleInterval     time between two samples of /proc/self/fd
 * @param window             how much history the growth trend looks at
 * @param criticalRatio      open/soft-limit at or above which liveness goes DOWN
 * @param warningRatio       open/soft-limit at or above which a warning is listed (still UP)
 * @param walMargin          -wal handles allowed above the pool's maximum size (migrations, short overlap on recycle)
 * @param consecutiveSamples how many samples in a row must be over the -wal budget to go DOWN
 * @param horizon            projected exhaustion sooner than this is DOWN
 * @param trendMinSpan       history needed before the trend rule may fire
 * @param trendMinIncrease   descriptors the count must have grown across the window for the trend rule
 * @param healEnabled        recycle the pool when deleted database handles appear
 * @param healMaxWait        how long a heal waits for old connections to close
 * @param idleInTransactionWarning  PostgreSQL: a session of this pod idle inside a transaction this long is a warning
 * @param idleInTransactionCritical PostgreSQL: ... this long is DOWN (a connection left in a transaction holds its
 *                                  row locks and the event horizon)
 */
@ConfigurationProperties("statehouse.fd-leak")
public record FdLeakProperties(
        @DefaultValue("5s") Duration sampleInterval,
        @DefaultValue("30m") Duration window,
        @DefaultValue("0.9") double criticalRatio,
        @DefaultValue("0.75") double warningRatio,
        @DefaultValue("4") int walMargin,
        @DefaultValue("3") int consecutiveSamples,
        @DefaultValue("1h") Duration horizon,
        @DefaultValue("5m") Duration trendMinSpan,
        @DefaultValue("32") int trendMinIncrease,
        @DefaultValue("true") boolean healEnabled,
        @DefaultValue("2s") Duration healMaxWait,
        @DefaultValue("10s") Duration idleInTransactionWarning,
        @DefaultValue("30s") Duration idleInTransactionCritical) {
}
