package dev.statehouse.checkpoints;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.statehouse.web.Ids;
import dev.statehouse.web.JsonBody;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/plans")
public class CheckpointController {

    private final CheckpointService checkpoints;

    public CheckpointController(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    @PostMapping
    public ResponseEntity<Plan> create(@RequestBody JsonNode json) {
        JsonBody body = JsonBody.of(json, Set.of("id", "description"));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(checkpoints.createPlan(body.id("id", false), body.text("description", 4096, false)));
    }

    @GetMapping("/{id}")
    public Plan plan(@PathVariable String id) {
        return checkpoints.plan(Ids.require(id, "plan id"));
    }

    @GetMapping("/{id}/checkpoints")
    public Map<String, List<Checkpoint>> list(@PathVariable String id) {
        return Map.of("checkpoints", checkpoints.checkpoints(Ids.require(id, "plan id")));
    }

    @PostMapping("/{id}/checkpoints")
    public ResponseEntity<Checkpoint> checkpoint(@PathVariable String id, @RequestBody JsonNode json) {
        Ids.require(id, "plan id");
        JsonBody body = JsonBody.of(json, Set.of("resource", "label"));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(checkpoints.checkpoint(id, body.text("resource", 1024, true), body.text("label", 500, false)));
    }

    @PostMapping("/{id}/checkpoints/{cp}/rollback")
    public Checkpoint rollback(@PathVariable String id, @PathVariable String cp) {
        return checkpoints.rollback(Ids.require(id, "plan id"), Ids.require(cp, "checkpoint id"));
    }

    @PostMapping("/{id}/complete")
    public Plan complete(@PathVariable String id) {
        return checkpoints.end(Ids.require(id, "plan id"), "completed");
    }

    @PostMapping("/{id}/abandon")
    public Plan abandon(@PathVariable String id) {
        return checkpoints.end(Ids.require(id, "plan id"), "abandoned");
    }
}
