package dev.statehouse.projects;

import dev.statehouse.domain.CleanText;
import dev.statehouse.domain.Ids;
import dev.statehouse.web.PatchRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** The request bodies of {@code /api/projects}. */
public final class ProjectRequests {

    static final String COLOR = "#[0-9A-Fa-f]{6}";

    private ProjectRequests() {
    }

    @Schema(description = "A new project; the id is generated when absent.", example = "{\"name\":\"Compiler\",\"color\":\"#3366ff\"}")
    public record CreateProject(
            @Pattern(regexp = Ids.REGEX) String id,
            @NotBlank @CleanText(maxBytes = 200) String name,
            @Pattern(regexp = COLOR, message = "must be #RRGGBB") String color) {
    }

    @Schema(description = "Fields to change; color sent as null clears it.", example = "{\"name\":\"Compiler team\"}")
    public static final class UpdateProject extends PatchRequest {
        @CleanText(maxBytes = 200)
        private String name;
        @Pattern(regexp = COLOR, message = "must be #RRGGBB")
        @Schema(nullable = true, description = "#RRGGBB; null clears it")
        private String color;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; sent("name"); }
        public String getColor() { return color; }
        public void setColor(String color) { this.color = color; sent("color"); }

        @Schema(hidden = true)
        @AssertTrue(message = "name must not be null or blank")
        public boolean isNameValid() {
            return !has("name") || (name != null && !name.isBlank());
        }
    }
}
