package dev.statehouse.kanban;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.statehouse.storage.GroupCommit;
import dev.statehouse.web.ApiException;
import dev.statehouse.web.Ids;
import dev.statehouse.web.Timestamps;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.ObjectMapper;

/**
 * The board's state machine. Every method is one transaction (BEGIN IMMEDIATE), writes an event
 * for every transition, and opens or closes the task's run with it.
 */
@Service
public class KanbanService {

    static final Set<String> STATUSES = Set.of("triage", "todo", "ready", "running", "blocked", "review", "done", "archived");
    static final Set<String> CREATE_STATUSES = Set.of("triage", "todo", "ready");

    /** Status changes a PATCH may make; running and blocked move only through the worker protocol. */
    private static final Map<String, Set<String>> MANUAL = Map.of(
            "triage", Set.of("todo", "ready", "archived"),
            "todo", Set.of("triage", "ready", "archived"),
            "ready", Set.of("triage", "todo", "archived"),
            "review", Set.of("done", "ready", "todo", "archived"),
            "done", Set.of("todo", "archived"),
            "archived", Set.of("todo", "triage"),
            "running", Set.of(),
            "blocked", Set.of());

    private final KanbanRepository repo;
    private final KanbanProperties props;
    private final Clock clock;
    private final ObjectMapper json;
    private final GroupCommit writes;

    public KanbanService(KanbanRepository repo, KanbanProperties props, Clock clock, ObjectMapper json, GroupCommit writes) {
        this.repo = repo;
        this.writes = writes;
        this.props = props;
        this.clock = clock;
        this.json = json;
    }

    private double now() {
        return Timestamps.toEpoch(clock.instant());
    }

    String payload(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return json.writeValueAsString(map);
    }

    // ---- boards -------------------------------------------------------------------------------

    @Transactional
    public Board createBoard(String slug, String name, String description) {
        if (!repo.insertBoard(slug, name, description, now())) {
            throw ApiException.conflict("board '" + slug + "' already exists");
        }
        return repo.findBoard(slug).orElseThrow();
    }

    public Board board(String slug) {
        return repo.findBoard(slug).orElseThrow(() -> ApiException.notFound("board", slug));
    }

    public List<Board> boards(boolean includeArchived) {
        return repo.listBoards(includeArchived);
    }

    /** 404 unless the board exists (archived or not); cheaper than {@link #board}, which counts its tasks. */
    public void requireBoard(String slug) {
        repo.boardArchived(slug).orElseThrow(() -> ApiException.notFound("board", slug));
    }

    @Transactional
    public Board archiveBoard(String slug) {
        if (!repo.archiveBoard(slug)) {
            throw ApiException.notFound("board", slug);
        }
        return repo.findBoard(slug).orElseThrow();
    }

    private void openBoard(String slug) {
        boolean archived = repo.boardArchived(slug).orElseThrow(() -> ApiException.notFound("board", slug));
        if (archived) {
            throw ApiException.conflict("board '" + slug + "' is archived");
        }
    }

    // ---- tasks --------------------------------------------------------------------------------

    public record NewTask(String title, String body, String assignee, String status, long priority, String createdBy,
                          String idempotencyKey, List<String> parents) {
    }

    /** Creates a task; with a known idempotency key returns the existing task instead ({@code created} false). */
    public record Created(Task task, boolean created) {
    }

    @Transactional
    public Created createTask(String board, NewTask t) {
        openBoard(board);
        if (t.idempotencyKey() != null) {
            var existing = repo.findByIdempotencyKey(board, t.idempotencyKey());
            if (existing.isPresent()) {
                return new Created(existing.get(), false);
            }
        }
        for (String parent : t.parents()) {
            Task p = repo.findTask(parent).orElseThrow(() -> ApiException.unprocessable("parent task '" + parent + "' does not exist"));
            if (!p.board().equals(board)) {
                throw ApiException.unprocessable("parent task '" + parent + "' is on another board");
            }
        }
        String id = Ids.random("t_", 8);
        double now = now();
        String status = t.status();
        repo.insertTask(id, board, t.title(), t.body(), t.assignee(), status, t.priority(), t.createdBy(), t.idempotencyKey(), now);
        for (String parent : t.parents()) {
            repo.insertLink(parent, id);
        }
        if (status.equals("ready") && repo.unfinishedParents(id) > 0) {
            status = "todo"; // gated until its parents are done
            repo.moveStatus(id, "ready", "todo", now);
        }
        repo.insertEvent(board, id, null, "created", payload("status", status, "title", t.title(), "parents", t.parents()), now);
        return new Created(repo.findTask(id).orElseThrow(), true);
    }

    public Task task(String id) {
        return repo.findTask(id).orElseThrow(() -> ApiException.notFound("task", id));
    }

    public TaskDetail detail(String id) {
        Task task = task(id);
        return new TaskDetail(task, repo.parents(id), repo.children(id), repo.runs(id), repo.events(id), repo.comments(id));
    }

    public List<Task> tasks(String board, String status, String assignee, dev.statehouse.web.Cursor cursor, int limit) {
        requireBoard(board);
        return repo.listTasks(board, status, assignee, cursor, limit);
    }

    double cursorKey(String taskId) {
        return repo.createdAtKey(taskId);
    }

    public record TaskPatch(boolean setTitle, String title, boolean setBody, String body, boolean setAssignee, String assignee,
                            Long priority, String status) {
    }

    @Transactional
    public Task patch(String id, TaskPatch p) {
        Task task = task(id);
        double now = now();
        List<String> sets = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        Map<String, Object> changed = new LinkedHashMap<>();
        if (p.setTitle()) {
            sets.add("title = ?");
            args.add(p.title());
            changed.put("title", p.title());
        }
        if (p.setBody()) {
            sets.add("body = ?");
            args.add(p.body());
            changed.put("body", p.body() == null ? null : "(changed)");
        }
        if (p.setAssignee()) {
            sets.add("assignee = ?");
            args.add(p.assignee());
            changed.put("assignee", p.assignee());
        }
        if (p.priority() != null) {
            sets.add("priority = ?");
            args.add(p.priority());
            changed.put("priority", p.priority());
        }
        if (!sets.isEmpty()) {
            repo.updateFields(id, sets, args, now);
            repo.insertEvent(task.board(), id, null, "updated", json.writeValueAsString(changed), now);
        }
        if (p.status() != null && !p.status().equals(task.status())) {
            String from = task.status();
            String to = p.status();
            if (!MANUAL.getOrDefault(from, Set.of()).contains(to)) {
                throw ApiException.conflict("a task cannot move from " + from + " to " + to
                        + (from.equals("running") ? " by PATCH; the worker completes, fails or blocks it"
                        : from.equals("blocked") ? " by PATCH; unblock it" : ""));
            }
            if (to.equals("ready") && repo.unfinishedParents(id) > 0) {
                throw ApiException.conflict("task " + id + " has parents that are not done");
            }
            if (!repo.moveStatus(id, from, to, now)) {
                throw ApiException.conflict("task " + id + " changed meanwhile; retry");
            }
            repo.insertEvent(task.board(), id, null, "status", payload("from", from, "to", to), now);
            if (to.equals("done")) {
                promoteChildren(id, now);
            }
        }
        return task(id);
    }

    @Transactional
    public TaskDetail link(String childId, String parentId) {
        Task child = task(childId);
        Task parent = repo.findTask(parentId).orElseThrow(() -> ApiException.unprocessable("parent task '" + parentId + "' does not exist"));
        if (!parent.board().equals(child.board())) {
            throw ApiException.unprocessable("parent task '" + parentId + "' is on another board");
        }
        if (repo.isSelfOrAncestor(childId, parentId)) {
            throw ApiException.conflict("linking " + parentId + " as a parent of " + childId + " would make a cycle");
        }
        double now = now();
        if (repo.insertLink(parentId, childId)) {
            repo.insertEvent(child.board(), childId, null, "linked", payload("parent", parentId), now);
            if (child.status().equals("ready") && !parent.status().equals("done")) {
                repo.moveStatus(childId, "ready", "todo", now);
                repo.insertEvent(child.board(), childId, null, "status", payload("from", "ready", "to", "todo", "reason", "parent not done"), now);
            }
        }
        return detail(childId);
    }

    @Transactional
    public TaskDetail unlink(String childId, String parentId) {
        Task child = task(childId);
        if (!repo.deleteLink(parentId, childId)) {
            throw ApiException.notFound("link", parentId + "->" + childId);
        }
        repo.insertEvent(child.board(), childId, null, "unlinked", payload("parent", parentId), now());
        return detail(childId);
    }

    @Transactional
    public TaskComment comment(String taskId, String author, String body) {
        Task task = task(taskId);
        double now = now();
        TaskComment comment = repo.insertComment(taskId, author, body, now);
        repo.insertEvent(task.board(), taskId, null, "commented", payload("comment_id", comment.id(), "author", author), now);
        return comment;
    }

    // ---- the worker protocol ------------------------------------------------------------------

    /*
     * The worker protocol's single-task steps (claim, heartbeat, complete, fail) are the service's
     * hottest writes; each is one transaction, committed together with others queued meanwhile
     * (GroupCommit), with exactly the outcome it would have alone.
     */

    /** Atomically claims the board's next ready task; null when none is ready. */
    public Claim claim(String board, String worker, int leaseSeconds, String assignee) {
        return writes.write(() -> {
            List<Claim> claims = claimUpTo(board, worker, leaseSeconds, assignee, 1);
            return claims.isEmpty() ? null : claims.get(0);
        });
    }

    /**
     * Claims up to {@code max} ready tasks in one transaction, in claim order (highest priority,
     * then oldest); each gets its own lock, run and lease, exactly as if claimed one by one. Empty
     * when none is ready.
     */
    @Transactional
    public List<Claim> claimBatch(String board, String worker, int leaseSeconds, String assignee, int max) {
        return claimUpTo(board, worker, leaseSeconds, assignee, max);
    }

    private List<Claim> claimUpTo(String board, String worker, int leaseSeconds, String assignee, int max) {
        double now = now();
        double expires = now + leaseSeconds;
        String payload = payload("worker", worker, "lease_seconds", leaseSeconds);
        List<Claim> claims = new ArrayList<>(Math.min(max, 16));
        while (claims.size() < max) {
            String lock = Ids.random("lk_", 16);
            String runId = Ids.random("r_", 8);
            var claimed = repo.claimNext(board, assignee, lock, worker, expires, runId, now);
            if (claimed.isEmpty()) {
                break;
            }
            Task task = claimed.get();
            repo.insertRun(runId, task.id(), worker, now);
            repo.insertEvent(board, task.id(), runId, "claimed", payload, now);
            claims.add(new Claim(task, lock, runId, Timestamps.fromEpoch(expires)));
        }
        if (claims.isEmpty()) {
            openBoard(board); // a missing (404) or archived (409) board, else simply nothing ready
        }
        return claims;
    }

    private Task running(String id, String lock) {
        Task task = task(id);
        if (!task.status().equals("running")) {
            throw ApiException.conflict("task " + id + " is " + task.status() + ", not running");
        }
        if (!lock.equals(repo.claimLock(id).orElse(null))) {
            throw ApiException.conflict("the claim lock does not match (the lease may have been reclaimed)");
        }
        return task;
    }

    public Task heartbeat(String id, String lock, Integer leaseSeconds) {
        return writes.write(() -> heartbeatNow(id, lock, leaseSeconds));
    }

    private Task heartbeatNow(String id, String lock, Integer leaseSeconds) {
        Task task = running(id, lock);
        double now = now();
        int lease = leaseSeconds == null ? props.defaultLeaseSeconds() : leaseSeconds;
        if (!repo.heartbeat(id, lock, now + lease, now)) {
            throw ApiException.conflict("the claim lock does not match");
        }
        repo.insertEvent(task.board(), id, task.currentRunId(), "heartbeat", payload("lease_seconds", lease), now);
        return task(id);
    }

    public Task complete(String id, String lock, String result, boolean review) {
        return writes.write(() -> completeNow(id, lock, result, review));
    }

    private Task completeNow(String id, String lock, String result, boolean review) {
        double now = now();
        String to = review ? "review" : "done";
        var released = repo.releaseClaimReturning(id, lock, to, ", result = ?, consecutive_failures = 0, last_failure_error = NULL,"
                + " completed_at = CASE WHEN ? = 'done' THEN ? ELSE completed_at END", java.util.Arrays.asList(result, to, now), now);
        if (released.isEmpty()) {
            running(id, lock); // says why: 404, not running, or the wrong lock
            throw ApiException.conflict("the claim lock does not match");
        }
        Task task = released.get();
        String runId = repo.closeRunningRun(id, "completed", to, result, null, now);
        repo.insertEvent(task.board(), id, runId, "completed", payload("status", to), now);
        if (to.equals("done")) {
            promoteChildren(id, now);
        }
        return task;
    }

    public Task fail(String id, String lock, String error) {
        return writes.write(() -> failNow(id, lock, error));
    }

    private Task failNow(String id, String lock, String error) {
        Task task = running(id, lock);
        double now = now();
        long failures = task.consecutiveFailures() + 1;
        boolean giveUp = failures >= props.maxConsecutiveFailures();
        String to = giveUp ? "blocked" : "ready";
        String extra = ", consecutive_failures = ?, last_failure_error = ?"
                + (giveUp ? ", block_kind = 'gave_up', block_reason = ?, blocked_at = ?" : "");
        List<Object> args = giveUp
                ? List.of(failures, error, "gave up after " + failures + " consecutive failures: " + error, now)
                : List.of(failures, error);
        if (!repo.releaseClaim(id, lock, to, extra, args, now)) {
            throw ApiException.conflict("the claim lock does not match");
        }
        repo.closeRun(task.currentRunId(), "failed", "failed", null, error, now);
        repo.insertEvent(task.board(), id, task.currentRunId(), "failed", payload("error", error, "consecutive_failures", failures), now);
        if (giveUp) {
            repo.insertEvent(task.board(), id, task.currentRunId(), "gave_up",
                    payload("consecutive_failures", failures, "limit", props.maxConsecutiveFailures()), now);
        }
        return task(id);
    }

    /** Blocks a task with a reason: a running one needs its lock, a waiting one (triage, todo, ready, review) none. */
    @Transactional
    public Task block(String id, String lock, String reason) {
        Task task = task(id);
        double now = now();
        if (task.status().equals("running")) {
            if (lock == null) {
                throw ApiException.conflict("task " + id + " is running: blocking it needs the claim lock");
            }
            running(id, lock);
            if (!repo.releaseClaim(id, lock, "blocked", ", block_kind = 'manual', block_reason = ?, blocked_at = ?",
                    List.of(reason, now), now)) {
                throw ApiException.conflict("the claim lock does not match");
            }
            repo.closeRun(task.currentRunId(), "blocked", "blocked", reason, null, now);
        } else if (Set.of("triage", "todo", "ready", "review").contains(task.status())) {
            repo.updateFields(id, List.of("status = 'blocked'", "block_kind = 'manual'", "block_reason = ?", "blocked_at = ?"),
                    List.of(reason, now), now);
        } else {
            throw ApiException.conflict("a task that is " + task.status() + " cannot be blocked");
        }
        repo.insertEvent(task.board(), id, task.currentRunId(), "blocked", payload("reason", reason, "kind", "manual"), now);
        return task(id);
    }

    /** Unblocks to ready, or to todo while a parent is not done; resets the failure count. */
    @Transactional
    public Task unblock(String id) {
        Task task = task(id);
        if (!task.status().equals("blocked")) {
            throw ApiException.conflict("task " + id + " is " + task.status() + ", not blocked");
        }
        double now = now();
        String to = repo.unfinishedParents(id) > 0 ? "todo" : "ready";
        if (!repo.unblock(id, to, now)) {
            throw ApiException.conflict("task " + id + " changed meanwhile; retry");
        }
        repo.insertEvent(task.board(), id, null, "unblocked", payload("status", to, "was", task.blockKind()), now);
        return task(id);
    }

    // ---- dispatcher steps (each a transaction of its own) --------------------------------------

    /** Releases expired leases back to ready; returns how many. */
    @Transactional
    public int reclaimStale(int limit) {
        double now = now();
        int reclaimed = 0;
        for (KanbanRepository.StaleClaim s : repo.staleClaims(now, limit)) {
            if (repo.releaseClaim(s.id(), s.lock(), "ready", "", List.of(), now)) {
                repo.closeRun(s.runId(), "reclaimed", "lease expired", null, "lease expired at "
                        + Timestamps.fromEpoch(s.expired()), now);
                repo.insertEvent(s.board(), s.id(), s.runId(), "reclaimed", payload("stale_lock", s.lock(), "worker", s.worker(),
                        "expired_at", Timestamps.fromEpoch(s.expired()).toString()), now);
                reclaimed++;
            }
        }
        return reclaimed;
    }

    /** todo → ready for tasks whose parents are done; gave_up blocks whose parents finished since recover. */
    @Transactional
    public int[] promote(int limit) {
        double now = now();
        int promoted = 0;
        for (KanbanRepository.Promotable p : repo.promotable(limit)) {
            if (repo.moveStatus(p.id(), "todo", "ready", now)) {
                repo.insertEvent(p.board(), p.id(), null, "promoted", payload("from", "todo", "to", "ready"), now);
                promoted++;
            }
        }
        int recovered = 0;
        for (KanbanRepository.Promotable p : repo.recoverable(limit)) {
            if (repo.unblock(p.id(), "ready", now)) {
                repo.insertEvent(p.board(), p.id(), null, "recovered", payload("was", "gave_up", "to", "ready"), now);
                recovered++;
            }
        }
        return new int[] {promoted, recovered};
    }

    /** A finished parent promotes its waiting children at once, not a tick later. */
    private void promoteChildren(String parentId, double now) {
        for (KanbanRepository.Promotable child : repo.promoteChildrenOf(parentId, now)) {
            repo.insertEvent(child.board(), child.id(), null, "promoted", payload("from", "todo", "to", "ready", "parent", parentId), now);
        }
    }

    int maxLeaseSeconds() {
        return props.maxLeaseSeconds();
    }

    int maxClaimBatch() {
        return Math.max(1, props.maxClaimBatch());
    }

    int defaultLeaseSeconds() {
        return props.defaultLeaseSeconds();
    }
}
