package dev.statehouse.kanban;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.statehouse.storage.Timestamps;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * What every board transition shares: the clock, the event each transition writes (in the same
 * transaction), and the promotion of waiting children when a parent finishes.
 */
@Component
public class TaskJournal {

    private final TaskEventRepository events;
    private final WorkerRepository workers;
    private final Clock clock;
    private final ObjectMapper json;

    TaskJournal(TaskEventRepository events, WorkerRepository workers, Clock clock, ObjectMapper json) {
        this.events = events;
        this.workers = workers;
        this.clock = clock;
        this.json = json;
    }

    public double now() {
        return Timestamps.toEpoch(clock.instant());
    }

    /** A JSON object of the given key/value pairs, in order. */
    public String payload(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return json.writeValueAsString(map);
    }

    String json(Object value) {
        return json.writeValueAsString(value);
    }

    public TaskEvent record(String board, String taskId, String runId, String kind, String payload, double now) {
        return events.insertEvent(board, taskId, runId, kind, payload, now);
    }

    /** A finished parent promotes its waiting children at once, not a tick later. */
    void promoteChildren(String parentId, double now) {
        for (WorkerRepository.Promotable child : workers.promoteChildrenOf(parentId, now)) {
            record(child.board(), child.id(), null, "promoted", payload("from", "todo", "to", "ready", "parent", parentId), now);
        }
    }
}
