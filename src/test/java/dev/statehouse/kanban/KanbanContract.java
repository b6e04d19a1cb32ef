package dev.statehouse.kanban;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.statehouse.storage.GroupCommit;
import dev.statehouse.support.HeldWriteTurn;
import dev.statehouse.support.Http;
import dev.statehouse.support.RunningServer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static dev.statehouse.support.Http.map;
import static org.assertj.core.api.Assertions.assertThat;

/** The board and the worker protocol; run against a WAL server and a DELETE-journal server. */
interface KanbanContract {

    Http http();

    JdbcTemplate jdbc();

    Dispatcher dispatcher();

    GroupCommit groupCommit();

    default KanbanClient kanban() {
        return new KanbanClient(http());
    }

    private static List<String> kinds(JsonNode detail) {
        List<String> kinds = new ArrayList<>();
        detail.get("events").forEach(e -> kinds.add(e.get("kind").asString()));
        return kinds;
    }

    @Test
    default void aClaimedTaskIsHeartbeatenAndCompleted() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        String id = k.readyTask(board, "Write the parser");
        JsonNode claim = k.claim(board, "worker-1", 60);
        assertThat(claim.get("task").get("id").asString()).isEqualTo(id);
        assertThat(claim.get("task").get("status").asString()).isEqualTo("running");
        assertThat(claim.get("task").get("claimed_by").asString()).isEqualTo("worker-1");
        assertThat(claim.get("task").has("claim_lock")).isFalse();
        String lock = claim.get("lock").asString();
        String run = claim.get("run_id").asString();

        Http.Response wrong = k.act(id, "heartbeat", "lock", "lk_not_it");
        assertThat(wrong.status()).isEqualTo(409);
        assertThat(wrong.isProblem()).isTrue();
        String expiresBefore = k.detail(id).get("claim_expires").asString();
        assertThat(k.act(id, "heartbeat", "lock", lock, "ttl_seconds", 86_401).status()).as("past max-lease-seconds").isEqualTo(400);
        assertThat(k.detail(id).get("claim_expires").asString()).isEqualTo(expiresBefore);
        JsonNode beat = k.ok(k.act(id, "heartbeat", "lock", lock, "ttl_seconds", 600));
        assertThat(beat.get("claim_expires").asString()).isGreaterThan(expiresBefore);

        JsonNode done = k.ok(k.act(id, "complete", "lock", lock, "result", "parser merged"));
        assertThat(done.get("status").asString()).isEqualTo("done");
        assertThat(done.get("result").asString()).isEqualTo("parser merged");
        assertThat(done.get("completed_at").isNull()).isFalse();
        assertThat(done.get("claimed_by").isNull()).isTrue();

        JsonNode detail = k.detail(id);
        assertThat(kinds(detail)).containsExactly("created", "claimed", "heartbeat", "completed");
        assertThat(detail.get("runs")).hasSize(1);
        assertThat(detail.get("runs").get(0).get("id").asString()).isEqualTo(run);
        assertThat(detail.get("runs").get(0).get("status").asString()).isEqualTo("completed");
        assertThat(detail.get("runs").get(0).get("ended_at").isNull()).isFalse();
        // the lease is gone: the old lock completes nothing, and nothing is left to claim
        assertThat(k.act(id, "complete", "lock", lock).status()).isEqualTo(409);
        assertThat(k.claim(board, "worker-1", 60)).isNull();
    }

    /**
     * Worker steps that queue while the committer is busy commit as one group, and each gets what
     * it would have got alone: a wrong lock is 409 and changes nothing, the rest take effect.
     */
    @Test
    default void workerStepsCommittedTogetherEachGetTheOutcomeTheyWouldHaveAlone() throws Exception {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("group"));
        List<JsonNode> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            k.readyTask(board, "running " + i);
            running.add(k.claim(board, "w" + i, 60));
        }
        k.readyTask(board, "ready a");
        k.readyTask(board, "ready b");
        String done = running.get(0).get("task").get("id").asString();
        String wrongLock = running.get(1).get("task").get("id").asString();
        String beaten = running.get(2).get("task").get("id").asString();
        String expiresBefore = k.detail(beaten).get("claim_expires").asString();

        HeldWriteTurn turn = HeldWriteTurn.hold(groupCommit(), () -> null);
        List<CompletableFuture<Http.Response>> steps = new ArrayList<>();
        List<Supplier<Http.Response>> requests = List.of(
                () -> k.act(done, "complete", "lock", running.get(0).get("lock").asString(), "result", "ok"),
                () -> k.act(wrongLock, "complete", "lock", "lk_not_it", "result", "never"),
                () -> k.act(beaten, "heartbeat", "lock", running.get(2).get("lock").asString(), "ttl_seconds", 900),
                () -> http().post("/api/boards/" + board + "/claims", map("worker", "x", "ttlSeconds", 60)),
                () -> http().post("/api/boards/" + board + "/claims", map("worker", "y", "ttlSeconds", 60)),
                () -> http().post("/api/boards/" + board + "/claims", map("worker", "z", "ttlSeconds", 60)));
        try {
            for (Supplier<Http.Response> request : requests) {
                steps.add(CompletableFuture.supplyAsync(request));
            }
            HeldWriteTurn.awaitQueued(groupCommit(), requests.size()); // all six behind the busy committer: one group
        } finally {
            turn.finish();
        }
        List<Http.Response> r = new ArrayList<>();
        for (CompletableFuture<Http.Response> step : steps) {
            r.add(step.get(10, TimeUnit.SECONDS));
        }
        assertThat(r.get(0).status()).as(r.get(0).raw().body()).isEqualTo(200);
        assertThat(r.get(1).status()).isEqualTo(409);
        assertThat(r.get(1).isProblem()).isTrue();
        assertThat(r.get(2).status()).as(r.get(2).raw().body()).isEqualTo(200);
        // two tasks were ready: two claims get one each, the third finds none
        List<Integer> claimStatuses = List.of(r.get(3).status(), r.get(4).status(), r.get(5).status());
        assertThat(claimStatuses).containsExactlyInAnyOrder(200, 200, 204);
        Set<String> claimed = new HashSet<>();
        for (Http.Response claim : r.subList(3, 6)) {
            if (claim.status() == 200) {
                claimed.add(claim.json().get("task").get("id").asString());
            }
        }
        assertThat(claimed).hasSize(2).doesNotContain(done, wrongLock, beaten);

        assertThat(k.status(done)).isEqualTo("done");
        assertThat(kinds(k.detail(done))).containsExactly("created", "claimed", "completed");
        assertThat(k.status(wrongLock)).isEqualTo("running");
        assertThat(kinds(k.detail(wrongLock))).containsExactly("created", "claimed");
        assertThat(k.detail(beaten).get("claim_expires").asString()).isGreaterThan(expiresBefore);
        for (String id : claimed) {
            assertThat(k.status(id)).isEqualTo("running");
            assertThat(kinds(k.detail(id))).containsExactly("created", "claimed");
        }
    }

    @Test
    default void claimsTakeHighestPriorityThenOldest() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        String low = k.task(board, "title", "low", "status", "ready", "priority", 1).get("id").asString();
        String high1 = k.task(board, "title", "high 1", "status", "ready", "priority", 5).get("id").asString();
        String high2 = k.task(board, "title", "high 2", "status", "ready", "priority", 5).get("id").asString();
        k.task(board, "title", "not ready", "status", "todo", "priority", 99);
        assertThat(k.claim(board, "w", 60).get("task").get("id").asString()).isEqualTo(high1);
        assertThat(k.claim(board, "w", 60).get("task").get("id").asString()).isEqualTo(high2);
        assertThat(k.claim(board, "w", 60).get("task").get("id").asString()).isEqualTo(low);
        assertThat(k.claim(board, "w", 60)).isNull();
    }

    @Test
    default void aBatchClaimTakesSeveralTasksInClaimOrderEachWithItsOwnLease() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        String path = "/api/boards/" + board + "/claims/batch";
        List<String> expected = new ArrayList<>();
        for (int p = 5; p >= 1; p--) {
            expected.add(k.task(board, "title", "p" + p, "status", "ready", "priority", p).get("id").asString());
        }
        k.task(board, "title", "not ready", "status", "todo", "priority", 99);

        // bad requests write nothing
        assertThat(http().post(path, map("worker", "w", "max", 0)).status()).isEqualTo(400);
        assertThat(http().post(path, map("worker", "w", "max", 101)).status()).isEqualTo(400);
        assertThat(http().post(path, map("worker", "w", "max", "3")).status()).isEqualTo(400);
        assertThat(http().post(path, map("worker", "w")).status()).isEqualTo(400);
        assertThat(http().post(path, map("max", 3)).status()).isEqualTo(400);
        assertThat(http().post(path, map("worker", "w", "max", 3, "count", 3)).status()).isEqualTo(400);
        // a lease longer than statehouse.kanban.max-lease-seconds (86,400) is refused however it is asked for
        assertThat(http().post(path, map("worker", "w", "max", 3, "ttl_seconds", 86_401)).status()).isEqualTo(400);
        assertThat(http().post("/api/boards/" + board + "/claims", map("worker", "w", "ttlSeconds", 86_401)).status()).isEqualTo(400);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM tasks WHERE board = ? AND status = 'running'", Long.class, board))
                .isZero();

        JsonNode first = k.ok(http().post(path, map("worker", "w1", "ttl_seconds", 120, "max", 3))).get("claims");
        assertThat(first).hasSize(3);
        Set<String> locks = new HashSet<>();
        Set<String> runs = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            JsonNode c = first.get(i);
            assertThat(c.get("task").get("id").asString()).isEqualTo(expected.get(i));
            assertThat(c.get("task").get("status").asString()).isEqualTo("running");
            assertThat(c.get("task").get("claimed_by").asString()).isEqualTo("w1");
            locks.add(c.get("lock").asString());
            runs.add(c.get("run_id").asString());
        }
        assertThat(locks).hasSize(3);
        assertThat(runs).hasSize(3);

        JsonNode rest = k.ok(http().post(path, map("worker", "w2", "max", 10))).get("claims");
        assertThat(rest).hasSize(2);
        assertThat(rest.get(0).get("task").get("id").asString()).isEqualTo(expected.get(3));
        assertThat(rest.get(1).get("task").get("id").asString()).isEqualTo(expected.get(4));
        assertThat(k.ok(http().post(path, map("worker", "w2", "max", 10))).get("claims")).isEmpty();

        // each claim is a lease of its own: its lock completes its task and no other
        JsonNode a = first.get(0);
        JsonNode b = first.get(1);
        assertThat(k.act(b.get("task").get("id").asString(), "complete", "lock", a.get("lock").asString()).status()).isEqualTo(409);
        for (JsonNode c : List.of(a, b, first.get(2), rest.get(0), rest.get(1))) {
            String id = c.get("task").get("id").asString();
            assertThat(k.ok(k.act(id, "complete", "lock", c.get("lock").asString())).get("status").asString()).isEqualTo("done");
            JsonNode detail = k.detail(id);
            assertThat(kinds(detail)).containsExactly("created", "claimed", "completed");
            assertThat(detail.get("runs")).hasSize(1);
            assertThat(detail.get("runs").get(0).get("id").asString()).isEqualTo(c.get("run_id").asString());
        }

        assertThat(http().post("/api/boards/no-such-board/claims/batch", map("worker", "w", "max", 2)).status()).isEqualTo(404);
        assertThat(http().post("/api/boards/" + board + "/archive", map()).status()).isEqualTo(200);
        assertThat(http().post(path, map("worker", "w", "max", 2)).status()).isEqualTo(409);
    }

    @Test
    default void anExpiredLeaseIsReclaimedByTheDispatcher() throws Exception {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        String id = k.readyTask(board, "Flaky job");
        String stale = k.claim(board, "worker-gone", 1).get("lock").asString();
        Thread.sleep(1200);
        Dispatcher.TickStats tick = dispatcher().tick();
        assertThat(tick.error()).isNull();

        JsonNode detail = k.detail(id);
        assertThat(detail.get("status").asString()).isEqualTo("ready");
        assertThat(detail.get("runs").get(0).get("status").asString()).isEqualTo("reclaimed");
        JsonNode reclaimed = null;
        for (JsonNode e : detail.get("events")) {
            if (e.get("kind").asString().equals("reclaimed")) {
                reclaimed = e;
            }
        }
        assertThat(reclaimed).isNotNull();
        assertThat(reclaimed.get("payload").get("stale_lock").asString()).isEqualTo(stale);
        assertThat(reclaimed.get("payload").get("worker").asString()).isEqualTo("worker-gone");

        assertThat(k.act(id, "heartbeat", "lock", stale).status()).isEqualTo(409);
        assertThat(k.act(id, "complete", "lock", stale).status()).isEqualTo(409);
        JsonNode again = k.claim(board, "worker-2", 60);
        assertThat(again.get("task").get("id").asString()).isEqualTo(id);
        assertThat(again.get("lock").asString()).isNotEqualTo(stale);
        k.ok(k.act(id, "complete", "lock", again.get("lock").asString()));
        assertThat(k.detail(id).get("runs")).hasSize(2);
    }

    @Test
    default void blockAndUnblockWithReasonsAndAManualBlockIsSticky() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        String waiting = k.readyTask(board, "Needs credentials");
        String reason = "waiting for the staging database credentials from ops";
        JsonNode blocked = k.ok(k.act(waiting, "block", "reason", reason));
        assertThat(blocked.get("status").asString()).isEqualTo("blocked");
        assertThat(blocked.get("block_reason").asString()).isEqualTo(reason);
        assertThat(blocked.get("block_kind").asString()).isEqualTo("manual");
        dispatcher().tick();
        assertThat(k.status(waiting)).isEqualTo("blocked");
        assertThat(k.claim(board, "w", 60)).isNull();
        JsonNode unblocked = k.ok(k.act(waiting, "unblock"));
        assertThat(unblocked.get("status").asString()).isEqualTo("ready");
        assertThat(unblocked.get("block_reason").isNull()).isTrue();

        // a running task is blocked by its worker, with the lock
        JsonNode claim = k.claim(board, "w", 60);
        String running = claim.get("task").get("id").asString();
        assertThat(k.act(running, "block", "reason", "no lock given").status()).isEqualTo(409);
        JsonNode byWorker = k.ok(k.act(running, "block", "lock", claim.get("lock").asString(), "reason", "rate limited by the API"));
        assertThat(byWorker.get("status").asString()).isEqualTo("blocked");
        assertThat(k.detail(running).get("runs").get(0).get("status").asString()).isEqualTo("blocked");
        assertThat(k.act(running, "block", "reason", "again").status()).isEqualTo(409);
        assertThat(kinds(k.detail(running))).contains("blocked");
        assertThat(k.act(running, "block", "lock", "x").status()).isEqualTo(400); // no reason
    }

    @Test
    default void aChildWaitsUntilItsParentIsDone() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        String parent = k.readyTask(board, "Schema migration");
        String child = k.task(board, "title", "Backfill", "status", "ready", "parents", List.of(parent)).get("id").asString();
        assertThat(k.status(child)).isEqualTo("todo");
        assertThat(http().patch("/api/tasks/" + child, map("status", "ready")).status()).isEqualTo(409);
        assertThat(k.detail(child).get("parents").get(0).asString()).isEqualTo(parent);
        assertThat(k.detail(parent).get("children").get(0).asString()).isEqualTo(child);

        JsonNode claim = k.claim(board, "w", 60);
        assertThat(claim.get("task").get("id").asString()).isEqualTo(parent);
        assertThat(k.claim(board, "w", 60)).isNull(); // the child is not ready
        // unblocking a gated task puts it back to todo, not ready
        k.ok(k.act(child, "block", "reason", "hold"));
        assertThat(k.ok(k.act(child, "unblock")).get("status").asString()).isEqualTo("todo");

        k.ok(k.act(parent, "complete", "lock", claim.get("lock").asString()));
        assertThat(k.status(child)).isEqualTo("ready"); // promoted as the parent finished
        assertThat(kinds(k.detail(child))).contains("promoted");

        // linking an unfinished parent sends a ready task back to todo; the dispatcher promotes it
        String later = k.readyTask(board, "Docs");
        String blocker = k.task(board, "title", "Review", "status", "todo").get("id").asString();
        assertThat(http().post("/api/tasks/" + later + "/links", map("parent_id", blocker)).status()).isEqualTo(201);
        assertThat(k.status(later)).isEqualTo("todo");
        assertThat(http().post("/api/tasks/" + blocker + "/links", map("parent_id", later)).status()).isEqualTo(409); // a cycle
        long promotedBefore = http().get("/api/dispatcher").json().get("promoted_total").asLong();
        jdbc().update("UPDATE tasks SET status = 'done', completed_at = 0 WHERE id = ?", blocker); // finished elsewhere
        dispatcher().tick();
        assertThat(k.status(later)).isEqualTo("ready");
        assertThat(kinds(k.detail(later))).contains("promoted");
        assertThat(http().get("/api/dispatcher").json().get("promoted_total").asLong()).isGreaterThan(promotedBefore);
    }

    @Test
    default void theFailureBreakerGivesUpAndAGaveUpBlockRecoversWhenParentsFinish() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        String id = k.readyTask(board, "Call the flaky API");
        for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode claim = k.claim(board, "w", 60);
            assertThat(claim).as("attempt %d", attempt).isNotNull();
            JsonNode failed = k.ok(k.act(id, "fail", "lock", claim.get("lock").asString(), "error", "HTTP 502 from upstream"));
            assertThat(failed.get("consecutive_failures").asLong()).isEqualTo(attempt);
            assertThat(failed.get("status").asString()).isEqualTo(attempt < 3 ? "ready" : "blocked");
        }
        JsonNode gaveUp = k.detail(id);
        assertThat(gaveUp.get("block_kind").asString()).isEqualTo("gave_up");
        assertThat(gaveUp.get("last_failure_error").asString()).isEqualTo("HTTP 502 from upstream");
        assertThat(kinds(gaveUp)).containsSubsequence("failed", "failed", "failed", "gave_up");
        assertThat(gaveUp.get("runs")).hasSize(3);
        assertThat(k.claim(board, "w", 60)).isNull();

        // it needed something first: once that parent finishes, the gave_up block recovers
        String fix = k.readyTask(board, "Fix the upstream");
        assertThat(http().post("/api/tasks/" + id + "/links", map("parent_id", fix)).status()).isEqualTo(201);
        dispatcher().tick();
        assertThat(k.status(id)).isEqualTo("blocked");
        JsonNode claim = k.claim(board, "w", 60);
        k.ok(k.act(fix, "complete", "lock", claim.get("lock").asString()));
        dispatcher().tick(); // (a scheduled tick may have been first)
        JsonNode recovered = k.detail(id);
        assertThat(recovered.get("status").asString()).isEqualTo("ready");
        assertThat(recovered.get("consecutive_failures").asLong()).isZero();
        assertThat(kinds(recovered)).contains("recovered");

        // a manual unblock also resets the breaker
        String other = k.board(RunningServer.unique("b"));
        String retry = k.readyTask(other, "Another");
        for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode c = k.claim(other, "w2", 60);
            k.ok(k.act(retry, "fail", "lock", c.get("lock").asString(), "error", "boom"));
        }
        assertThat(k.detail(retry).get("block_kind").asString()).isEqualTo("gave_up");
        JsonNode unblocked = k.ok(k.act(retry, "unblock"));
        assertThat(unblocked.get("status").asString()).isEqualTo("ready");
        assertThat(unblocked.get("consecutive_failures").asLong()).isZero();
        assertThat(k.claim(other, "w2", 60).get("task").get("id").asString()).isEqualTo(retry);
    }

    @Test
    default void anIdempotencyKeyReturnsTheExistingTask() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        Http.Response first = http().post("/api/boards/" + board + "/tasks", map("title", "Nightly export", "idempotency_key", "nightly-2026-11-22"));
        Http.Response second = http().post("/api/boards/" + board + "/tasks", map("title", "Nightly export (retry)", "idempotency_key", "nightly-2026-11-22"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(second.json().get("title").asString()).isEqualTo("Nightly export");
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM tasks WHERE board = ?", Long.class, board)).isEqualTo(1);
    }

    @Test
    default void tasksAreListedByFilterAndPage() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        Set<String> ann = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            String id = k.task(board, "title", "t" + i, "assignee", i % 2 == 0 ? "ann" : "bob", "status", i < 3 ? "ready" : "todo").get("id").asString();
            if (i % 2 == 0) {
                ann.add(id);
            }
        }
        assertThat(http().get("/api/boards/" + board + "/tasks?status=ready").json().get("items")).hasSize(3);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = http().get("/api/boards/" + board + "/tasks?assignee=ann&limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(t -> seen.add(t.get("id").asString()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
            pages++;
        } while (cursor != null && pages < 5);
        assertThat(seen).isEqualTo(ann);
        assertThat(pages).isEqualTo(2);
        JsonNode b = http().get("/api/boards/" + board).json();
        assertThat(b.get("task_counts").get("ready").asLong()).isEqualTo(3);
        assertThat(b.get("task_counts").get("todo").asLong()).isEqualTo(4);
    }

    @Test
    default void commentsPatchesAndTheRulesOfTransitions() {
        KanbanClient k = kanban();
        String board = k.board(RunningServer.unique("b"));
        String id = k.task(board, "title", "Triage me", "status", "triage").get("id").asString();
        Http.Response comment = http().post("/api/tasks/" + id + "/comments", map("author", "ann", "body", "Looks like a dup of #12"));
        assertThat(comment.status()).isEqualTo(201);
        JsonNode patched = k.ok(http().patch("/api/tasks/" + id, map("title", "Fix login", "priority", 3, "assignee", "bob", "status", "ready")));
        assertThat(patched.get("status").asString()).isEqualTo("ready");
        assertThat(patched.get("priority").asLong()).isEqualTo(3);
        JsonNode detail = k.detail(id);
        assertThat(detail.get("comments").get(0).get("body").asString()).isEqualTo("Looks like a dup of #12");
        assertThat(kinds(detail)).containsExactly("created", "commented", "updated", "status");

        JsonNode claim = k.claim(board, "bob-agent", 60);
        assertThat(http().patch("/api/tasks/" + id, map("status", "done")).status()).isEqualTo(409); // running: worker only
        k.ok(k.act(id, "complete", "lock", claim.get("lock").asString(), "review", true));
        assertThat(k.status(id)).isEqualTo("review");
        assertThat(k.ok(http().patch("/api/tasks/" + id, map("status", "done"))).get("status").asString()).isEqualTo("done");
        assertThat(http().patch("/api/tasks/" + id, map("status", "running")).status()).isEqualTo(409);
        assertThat(http().patch("/api/tasks/" + id, map("status", "finished")).status()).isEqualTo(400);
        assertThat(http().get("/api/tasks/t_nope").status()).isEqualTo(404);
        assertThat(k.act("t_nope", "unblock").status()).isEqualTo(404);
        assertThat(http().get("/api/boards/Bad%20Slug").status()).isEqualTo(400);
        assertThat(http().post("/api/boards/" + board + "/claims", map("worker", "w", "ttlSeconds", 0)).status()).isEqualTo(400);
        assertThat(http().post("/api/boards/" + board + "/claims", map("ttlSeconds", 5)).status()).isEqualTo(400);

        assertThat(http().post("/api/boards/" + board + "/archive", map()).status()).isEqualTo(200);
        assertThat(http().post("/api/boards/" + board + "/tasks", map("title", "late")).status()).isEqualTo(409);
        assertThat(http().post("/api/boards/" + board + "/claims", map("worker", "w")).status()).isEqualTo(409);
        assertThat(http().post("/api/boards", map("slug", board, "name", "dup")).status()).isEqualTo(409);
    }
}
