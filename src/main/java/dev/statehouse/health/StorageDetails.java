package dev.statehouse.health;

import org.springframework.boot.health.contributor.Health;

/**
 * What the {@code storage} and {@code fdLeak} health groups show of the database itself, which differs
 * by engine: one implementation per engine ({@code health.sqlite}, {@code health.postgres}). Contract:
 * never waits on the database (only what was measured before, and the file system's counters).
 */
public interface StorageDetails {

    /** The engine's name in health details: {@code sqlite} or {@code postgresql}. */
    String engine();

    /** Adds this engine's details (SQLite: the disk, the WAL and its last checkpoint; PostgreSQL: none, the server watches its own). */
    void addTo(Health.Builder health);

    /** Bytes in the WAL this process keeps (SQLite), 0 where the server keeps it. */
    long walBytes();
}
