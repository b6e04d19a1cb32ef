package dev.statehouse.kanban;

import dev.statehouse.web.CanFail;
import dev.statehouse.domain.ErrorKind;
import java.util.List;

import dev.statehouse.domain.Ids;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "workers", description = "The worker protocol: claim, heartbeat, complete, fail, block")
@RestController
@RequestMapping("/api")
public class WorkerController {

    private final WorkerService workers;

    public WorkerController(WorkerService workers) {
        this.workers = workers;
    }

    @Operation(summary = "Claim the next ready task: 200 with the task and its lock, 204 when nothing is ready")
    @PostMapping("/boards/{slug}/claims")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", useReturnTypeSchema = true,
            description = "the task claimed, its lock and when the lease expires")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "204", description = "no task is ready; no body")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.BOARD_ARCHIVED})
    public ResponseEntity<Claim> claim(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug,
                                       @Valid @RequestBody KanbanRequests.ClaimOne body) {
        Claim claim = workers.claim(slug, body.worker(), body.ttlSeconds(), body.assignee());
        return claim == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(claim);
    }

    /** What a batch claim returns: the claims made, possibly none. */
    public record Claims(List<Claim> claims) {
    }

    @Operation(summary = "Claim up to max ready tasks in one transaction, in claim order (an empty list when nothing is ready)")
    @PostMapping("/boards/{slug}/claims/batch")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.BOARD_ARCHIVED})
    public Claims claimBatch(@PathVariable @Pattern(regexp = KanbanRequests.SLUG) String slug,
                             @Valid @RequestBody KanbanRequests.ClaimBatch body) {
        return new Claims(workers.claimBatch(slug, body.worker(), body.ttlSeconds(), body.assignee(), body.max()));
    }

    @Operation(summary = "Extend the lease")
    @PostMapping("/tasks/{id}/heartbeat")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.NOT_RUNNING, ErrorKind.LEASE_LOST})
    public Task heartbeat(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @Valid @RequestBody KanbanRequests.Heartbeat body) {
        return workers.heartbeat(id, body.lock(), body.ttlSeconds());
    }

    @Operation(operationId = "completeTask", summary = "Finish the run: done (or review), children waiting for it become ready")
    @PostMapping("/tasks/{id}/complete")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.NOT_RUNNING, ErrorKind.LEASE_LOST, ErrorKind.CONCURRENT_CHANGE})
    public Task complete(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @Valid @RequestBody KanbanRequests.Complete body) {
        return workers.complete(id, body.lock(), body.result(), Boolean.TRUE.equals(body.review()));
    }

    @Operation(summary = "Fail the run: back to ready, or blocked (gave_up) after max-consecutive-failures")
    @PostMapping("/tasks/{id}/fail")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.NOT_RUNNING, ErrorKind.LEASE_LOST, ErrorKind.CONCURRENT_CHANGE})
    public Task fail(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @Valid @RequestBody KanbanRequests.Fail body) {
        return workers.fail(id, body.lock(), body.error());
    }

    @Operation(summary = "Block a task with a reason")
    @PostMapping("/tasks/{id}/block")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.LOCK_REQUIRED, ErrorKind.LEASE_LOST, ErrorKind.INVALID_TRANSITION, ErrorKind.CONCURRENT_CHANGE})
    public Task block(@PathVariable @Pattern(regexp = Ids.REGEX) String id, @Valid @RequestBody KanbanRequests.Block body) {
        return workers.block(id, body.lock(), body.reason());
    }

    @Operation(summary = "Unblock: to ready, or todo while a parent is not done")
    @PostMapping("/tasks/{id}/unblock")
    @CanFail({ErrorKind.NOT_FOUND, ErrorKind.INVALID_TRANSITION, ErrorKind.PARENTS_NOT_DONE, ErrorKind.CONCURRENT_CHANGE})
    public Task unblock(@PathVariable @Pattern(regexp = Ids.REGEX) String id) {
        return workers.unblock(id);
    }
}
