package dev.statehouse.projects;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.statehouse.web.ApiException;
import dev.statehouse.web.Ids;
import dev.statehouse.web.JsonBody;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/projects")
public class ProjectController {

    static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");
    private static final int NAME_MAX = 200;

    private final ProjectRepository projects;
    private final Clock clock;

    public ProjectController(ProjectRepository projects, Clock clock) {
        this.projects = projects;
        this.clock = clock;
    }

    @GetMapping
    public Map<String, List<Project>> list() {
        return Map.of("projects", projects.list());
    }

    @GetMapping("/{id}")
    public Project get(@PathVariable String id) {
        Ids.require(id, "project id");
        return projects.find(id).orElseThrow(() -> ApiException.notFound("project", id));
    }

    @PostMapping
    public ResponseEntity<Project> create(@RequestBody JsonNode json) {
        JsonBody body = JsonBody.of(json, Set.of("id", "name", "color"));
        String id = body.id("id", false);
        String name = body.text("name", NAME_MAX, true);
        String color = body.matching("color", COLOR, "#RRGGBB", false);
        if (id == null) {
            id = Ids.random("p_", 8);
        }
        if (!projects.insert(id, name, color, clock.instant())) {
            throw ApiException.conflict("project '" + id + "' already exists");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(projects.find(id).orElseThrow());
    }

    @PatchMapping("/{id}")
    public Project update(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "project id");
        JsonBody body = JsonBody.of(json, Set.of("name", "color"));
        if (body.isNull("name")) {
            throw ApiException.badRequest("field 'name' must not be null");
        }
        String name = body.text("name", NAME_MAX, false);
        if (name != null && name.isBlank()) {
            throw ApiException.badRequest("field 'name' must not be blank");
        }
        String color = body.matching("color", COLOR, "#RRGGBB", false);
        if (!projects.update(id, name, body.has("color"), color)) {
            throw ApiException.notFound("project", id);
        }
        return projects.find(id).orElseThrow(() -> ApiException.notFound("project", id));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        Ids.require(id, "project id");
        if (!projects.delete(id)) {
            throw ApiException.notFound("project", id);
        }
        return ResponseEntity.noContent().build();
    }
}
