package dev.statehouse.checkpoints;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.statehouse.web.ApiException;
import dev.statehouse.web.JsonBody;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Resources are SQLite files under {@code statehouse.resources.root}, named by a path relative to
 * it. A name must stay inside the root both as written (no absolute path, no "..") and once
 * symbolic links are followed.
 */
@Component
public class ResourcePaths {

    private final Path root;

    public ResourcePaths(@Value("${statehouse.resources.root:./data/resources}") Path root) {
        this.root = root.toAbsolutePath().normalize();
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
            throw ApiException.badRequest("field 'resource' is required");
        }
        JsonBody.checkText("resource", name, 1024);
        Path relative;
        try {
            relative = Path.of(name);
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("resource is not a valid path");
        }
        if (relative.isAbsolute()) {
            throw ApiException.badRequest("resource must be a path relative to the resources root");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw ApiException.badRequest("resource must not contain '..'");
            }
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            throw ApiException.badRequest("resource must stay inside the resources root");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw ApiException.notFound("resource", name);
        } catch (IOException e) {
            throw ApiException.badRequest("resource cannot be resolved: " + e.getMessage());
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!real.startsWith(realRoot)) {
            throw ApiException.badRequest("resource resolves outside the resources root (symbolic link)");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Not a database file", "resource '" + name + "' is not a regular file");
        }
        return real;
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
