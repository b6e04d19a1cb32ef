package dev.statehouse.checkpoints;

import dev.statehouse.domain.CleanText;
import dev.statehouse.domain.Ids;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** The request bodies of {@code /api/plans}. */
public final class CheckpointRequests {

    private CheckpointRequests() {
    }

    @Schema(description = "A new plan; the id is generated when absent.", example = "{\"description\":\"Migrate the notes database\"}")
    public record CreatePlan(@Pattern(regexp = Ids.REGEX) String id, @CleanText(maxBytes = 4096) String description) {
    }

    @Schema(description = "Snapshot a SQLite resource, named relative to statehouse.resources.root.",
            example = "{\"resource\":\"notes.db\",\"label\":\"before migration\"}")
    public record CreateCheckpoint(@NotBlank @CleanText(maxBytes = 1024)
                                   @Schema(pattern = "^(?!/)(?![\\s\\S]*\\.\\.)[\\s\\S]+$",
                                           description = "a path relative to the resources root, without '..' (a symbolic link out of the root is refused too)")
                                   String resource, @CleanText(maxBytes = 500) String label) {
    }
}
