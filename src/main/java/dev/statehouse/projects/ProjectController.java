package dev.statehouse.projects;

import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.http.HttpStatus;
import dev.statehouse.web.Conditional;
import dev.statehouse.web.CanFail;
import dev.statehouse.domain.ErrorKind;
import java.time.Clock;

import dev.statehouse.domain.Ids;
import dev.statehouse.sessions.SidebarCache;
import dev.statehouse.storage.Cursor;
import dev.statehouse.web.Page;
import dev.statehouse.web.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

@Tag(name = "projects", description = "Groups of sessions in the sidebar")
@RestController
@RequestMapping("/api/projects")
public class ProjectController {

    private final ProjectService projects;
    private final SidebarCache versions;
    private final Clock clock;

    public ProjectController(ProjectService projects, SidebarCache versions, Clock clock) {
        this.projects = projects;
        this.versions = versions;
        this.clock = clock;
    }

    @Operation(operationId = "listProjects", summary = "Projects, oldest first, with their session counts", description = "Paginated; conditional (ETag).")
    @GetMapping
    @Conditional
    public ResponseEntity<Page<Project>> list(@RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit,
                                              @RequestParam(required = false) String cursor, WebRequest request) {
        Cursor after = Cursor.decode(cursor);
        if (Responses.notModified(request, Responses.etag("projects", versions.version()))) {
            return null;
        }
        Page<Project> page = Page.of(projects.list(after, limit + 1), limit,
                last -> new Cursor(last.sortKey(), last.id()).encode());
        return Responses.revalidatedPage(page);
    }

    @Operation(operationId = "getProject", summary = "One project")
    @GetMapping("/{id}")
    @CanFail({ErrorKind.NOT_FOUND})
    public Project get(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        return projects.project(id);
    }

    @Operation(operationId = "createProject", summary = "Create a project")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.ALREADY_EXISTS})
    public ResponseEntity<Project> create(@Valid @RequestBody ProjectRequests.CreateProject body) {
        String id = body.id() == null ? Ids.random("p_", 8) : body.id();
        return Responses.created("/api/projects/" + id, projects.create(id, body.name(), body.color(), clock.instant()));
    }

    @Operation(operationId = "updateProject", summary = "Rename or recolour a project")
    @PatchMapping("/{id}")
    @CanFail({ErrorKind.NOT_FOUND})
    public Project update(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @Valid @RequestBody ProjectRequests.UpdateProject body) {
        return projects.update(id, body.getName(), body.has("color"), body.getColor());
    }

    @Operation(operationId = "deleteProject", summary = "Delete a project; its sessions stay, unassigned")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @CanFail({ErrorKind.NOT_FOUND})
    public ResponseEntity<Void> delete(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        projects.delete(id);
        return ResponseEntity.noContent().build();
    }
}
