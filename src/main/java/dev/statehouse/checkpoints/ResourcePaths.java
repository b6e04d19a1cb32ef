package dev.statehouse.checkpoints;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.statehouse.storage.DatabaseLocation;
import dev.statehouse.storage.ResourcesProperties;
import dev.statehouse.domain.DomainException;
import dev.statehouse.domain.ErrorKind;
import dev.statehouse.domain.Text;
import org.springframework.stereotype.Component;

/**
 * Resources are SQLite files under {@code statehouse.resources.root}, named by a path relative to
 * it. A name must stay inside the root both as written (no absolute path, no "..") and once
 * symbolic links are followed, and must not be the service's own database by any name (a hard
 * link, a bind mount: same device and inode as {@code state.db}, {@code -wal}, {@code -shm} or
 * {@code -journal}). A root that contains the database is refused at start (storage's {@code StorageConfig}).
 */
@Component
public class ResourcePaths {

    private final Path root;
    private final DatabaseLocation database;

    public ResourcePaths(ResourcesProperties props, DatabaseLocation database) {
        this.root = Path.of(props.root()).toAbsolutePath().normalize(); // bound as text: Spring would read a relative Path as a classpath resource
        this.database = database;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the resources root " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** The real path of an existing regular file inside the root; 400 for escapes, 404 when missing. */
    public Path resolve(String name) {
        if (name == null || name.isBlank()) {
            throw new DomainException.InvalidInput("resource", "is required");
        }
        Text.check("resource", name, 1024);
        Path relative;
        try {
            relative = Path.of(name);
        } catch (InvalidPathException e) {
            throw new DomainException.InvalidInput("resource", "is not a valid path");
        }
        if (relative.isAbsolute()) {
            throw new DomainException.InvalidInput("resource", "must be a path relative to the resources root");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw new DomainException.InvalidInput("resource", "must not contain '..'");
            }
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            throw new DomainException.InvalidInput("resource", "must stay inside the resources root");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw DomainException.notFound("resource", name);
        } catch (IOException e) {
            throw new DomainException.InvalidInput("resource", "cannot be resolved: " + e.getMessage());
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!real.startsWith(realRoot)) {
            throw new DomainException.InvalidInput("resource", "resolves outside the resources root (symbolic link)");
        }
        if (database.isOwnFile(real)) {
            throw ownDatabase(name);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new DomainException.Unprocessable(ErrorKind.NOT_A_DATABASE, "resource '" + name + "' is not a regular file");
        }
        return real;
    }

    /** 422: the resource is the service's own database under another name. */
    static DomainException ownDatabase(String name) {
        return new DomainException.Unprocessable(ErrorKind.NOT_A_RESOURCE,
                "resource '" + name + "' is the service's own database (the same file by another name); it can never be a resource");
    }

    /** The name relative to the root, as stored with a checkpoint. */
    public String relativeName(Path real) {
        try {
            return root.toRealPath().relativize(real).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
