package dev.statehouse.checkpoints;

import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.http.HttpStatus;
import dev.statehouse.web.CanFail;
import dev.statehouse.domain.ErrorKind;
import java.util.List;

import dev.statehouse.domain.Ids;
import dev.statehouse.storage.Cursor;
import dev.statehouse.storage.Timestamps;
import dev.statehouse.web.Page;
import dev.statehouse.web.Responses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "plans", description = "Plans and checkpoints of SQLite resources: snapshot, roll back, end")
@RestController
@RequestMapping("/api/plans")
public class CheckpointController {

    private final CheckpointService checkpoints;

    public CheckpointController(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Operation(operationId = "createPlan", summary = "Start a plan")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.ALREADY_EXISTS})
    public ResponseEntity<Plan> create(@Valid @RequestBody CheckpointRequests.CreatePlan body) {
        Plan plan = checkpoints.createPlan(body.id(), body.description());
        return Responses.created("/api/plans/" + plan.id(), plan);
    }

    @Operation(summary = "A plan with its checkpoints")
    @GetMapping("/{id}")
    @CanFail({ErrorKind.NOT_FOUND})
    public Plan plan(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        return checkpoints.plan(id);
    }

    @Operation(operationId = "listCheckpoints", summary = "A plan's checkpoints, oldest first")
    @GetMapping("/{id}/checkpoints")
    @CanFail({ErrorKind.NOT_FOUND})
    public ResponseEntity<Page<Checkpoint>> list(@PathVariable @Pattern(regexp = Ids.REGEX) String id,
                                                 @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit,
                                                 @RequestParam(required = false) String cursor) {
        Cursor after = Cursor.decode(cursor);
        // a plan holds at most statehouse.checkpoints.max-per-plan checkpoints: paged here, read at once
        List<Checkpoint> rows = checkpoints.checkpoints(id).stream()
                .filter(c -> after == null || Timestamps.toEpoch(c.createdAt()) > after.key()
                        || (Timestamps.toEpoch(c.createdAt()) == after.key() && c.id().compareTo(after.id()) > 0))
                .limit(limit + 1L).toList();
        return Responses.page(Page.of(rows, limit, last -> new Cursor(Timestamps.toEpoch(last.createdAt()), last.id()).encode()));
    }

    @Operation(summary = "Snapshot a resource (a SQLite file under the resources root)")
    @PostMapping("/{id}/checkpoints")
    @ResponseStatus(HttpStatus.CREATED)
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.PLAN_NOT_ACTIVE, ErrorKind.NOT_A_DATABASE, ErrorKind.NOT_A_RESOURCE, ErrorKind.RESOURCE_TOO_LARGE, ErrorKind.RESOURCE_BUSY, ErrorKind.RESOURCE_ERROR})
    public ResponseEntity<Checkpoint> checkpoint(@PathVariable @Pattern(regexp = Ids.REGEX) String id,
                                                 @Valid @RequestBody CheckpointRequests.CreateCheckpoint body) {
        Checkpoint cp = checkpoints.checkpoint(id, body.resource(), body.label());
        return Responses.created("/api/plans/" + id + "/checkpoints/" + cp.id(), cp);
    }

    @Operation(summary = "One checkpoint")
    @GetMapping("/{id}/checkpoints/{cp}")
    @CanFail({ErrorKind.NOT_FOUND})
    public Checkpoint one(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @PathVariable @Pattern(regexp = Ids.REGEX) String cp) {
        return checkpoints.checkpoint(id, cp);
    }

    @Operation(summary = "Restore the resource from the checkpoint, verified (503 with Retry-After while the resource is locked)")
    @PostMapping("/{id}/checkpoints/{cp}/rollback")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.PLAN_NOT_ACTIVE, ErrorKind.SNAPSHOT_MISSING, ErrorKind.NOT_A_DATABASE, ErrorKind.NOT_A_RESOURCE, ErrorKind.RESOURCE_BUSY, ErrorKind.RESOURCE_ERROR})
    public Checkpoint rollback(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @PathVariable @Pattern(regexp = Ids.REGEX) String cp) {
        return checkpoints.rollback(id, cp);
    }

    @Operation(operationId = "completePlan", summary = "End the plan as completed: its snapshots are deleted")
    @PostMapping("/{id}/complete")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.PLAN_NOT_ACTIVE})
    public Plan complete(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        return checkpoints.end(id, "completed");
    }

    @Operation(summary = "End the plan as abandoned: its snapshots are deleted")
    @PostMapping("/{id}/abandon")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.PLAN_NOT_ACTIVE})
    public Plan abandon(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        return checkpoints.end(id, "abandoned");
    }
}
