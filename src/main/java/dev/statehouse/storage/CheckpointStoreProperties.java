package dev.statehouse.storage;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where checkpoint snapshots are kept, and how long a restore may wait for the resource's writers:
 * the part of {@code statehouse.checkpoints.*} that storage (which opens the files), health (which
 * tells its descriptors apart) and the start-up checks need, so that the default is written once.
 * The checkpoints feature's own limits are {@code checkpoints.CheckpointProperties}.
 *
 * @param dir            the checkpoint store: one folder per plan, one snapshot file per checkpoint; must not contain the
 *                       database. Bound as text and read as a file path ({@link #path()}): bound to a {@code Path},
 *                       Spring reads {@code .} as a resource and can hand back the class path's root instead
 * @param restoreTimeout how long a restore waits for the resource's other writers before it gives up
 */
@ConfigurationProperties("statehouse.checkpoints")
public record CheckpointStoreProperties(
        @DefaultValue("./data/checkpoints") String dir,
        @DefaultValue("10s") Duration restoreTimeout) {

    /** The store's directory, as a file path relative to the working directory. */
    public Path path() {
        return Path.of(dir);
    }
}
