package dev.statehouse.storage;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How {@link StorageHealth} sees that writes work, which differs by engine: one implementation per
 * engine ({@code storage.sqlite}, {@code storage.postgres}).
 * <p>
 * Contract: {@link #write} runs inside the caller's transaction and makes a real write that changes
 * nothing, so its commit proves the database takes writes; {@link #onEveryCommit} hands over a
 * listener that hears every commit where the engine can say so cheaply (else it never calls it, and
 * the probe alone clears a fault).
 */
public interface WriteProbe {

    void write(JdbcTemplate jdbc);

    void onEveryCommit(Runnable listener);
}
