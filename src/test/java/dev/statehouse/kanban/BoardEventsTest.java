package dev.statehouse.kanban;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.statehouse.health.FdScan;
import dev.statehouse.support.ServerTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Board watchers over Server-Sent Events: events arrive, missed ones replay, gone watchers are freed. */
class BoardEventsTest extends ServerTestSupport {

    @Autowired
    BoardEvents events;

    @Autowired
    KanbanProperties props;

    Socket watch(String board, String lastEventId) throws Exception {
        return watch(port, board, lastEventId);
    }

    /** Opens a board's event stream on a raw socket (5 s read timeout): read it with {@link #lines}. */
    static Socket watch(int port, String board, String lastEventId) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /api/boards/" + board + "/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + dev.statehouse.support.Http.TOKEN + "\r\n"
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** What the server sends on {@code s}, line by line (the HTTP head, then the chunked stream as text). */
    static BufferedReader lines(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads lines until one starts with {@code prefix}; returns everything read. */
    static List<String> readUntil(BufferedReader in, String prefix) throws Exception {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            lines.add(line);
            if (line.startsWith(prefix)) {
                return lines;
            }
        }
        throw new AssertionError("stream ended before " + prefix + ": " + lines);
    }

    void awaitWatchers(int n) throws InterruptedException {
        awaitWatchers(events, n);
    }

    /** Waits (pinging, so gone watchers are found) until {@code events} counts {@code n} watchers. */
    static void awaitWatchers(BoardEvents events, int n) throws InterruptedException {
        for (int i = 0; i < 100 && events.watchers() != n; i++) {
            events.ping();
            Thread.sleep(50);
        }
        assertThat(events.watchers()).isEqualTo(n);
    }

    @Test
    void watchersReceiveEventsAndReplayWhatTheyMissed() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("ev"));
        awaitWatchers(0);
        try (Socket s = watch(board, null)) {
            BufferedReader in = lines(s);
            assertThat(readUntil(in, ":watching")).contains("HTTP/1.1 200 ");
            String id = k.readyTask(board, "Watched task");
            List<String> created = readUntil(in, "data:");
            assertThat(created).contains("event:created");
            assertThat(created.get(created.size() - 1)).contains("\"task_id\":\"" + id + "\"");
            k.claim(board, "w", 60);
            assertThat(readUntil(in, "event:")).contains("event:claimed");
        }
        awaitWatchers(0);

        // a watcher that comes back with Last-Event-ID gets what happened meanwhile
        long firstEvent = jdbc.queryForObject("SELECT MIN(id) FROM task_events WHERE board = ?", Long.class, board);
        try (Socket s = watch(board, Long.toString(firstEvent))) {
            BufferedReader in = lines(s);
            assertThat(readUntil(in, "event:")).contains("event:claimed");
        }
        awaitWatchers(0);
    }

    /**
     * A watcher that missed more than {@code max-replay} events is told so — a {@code reload} event
     * whose id is where the stream goes on — never resumed silently after a gap (the previous code sent
     * the first 1,000 and then live events); one that missed exactly {@code max-replay} gets them all.
     */
    @Test
    void aWatcherTooFarBehindIsToldToReloadAndGoesOnFromThere() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("far"));
        String task = k.readyTask(board, "Busy task");
        long first = jdbc.queryForObject("SELECT MIN(id) FROM task_events WHERE board = ?", Long.class, board);
        int missed = props.maxReplay() + 5;
        jdbc.batchUpdate("INSERT INTO task_events(board, task_id, run_id, kind, payload, created_at) VALUES (?, ?, NULL, 'commented', '{}', 0)",
                java.util.Collections.nCopies(missed, new Object[] {board, task}));
        awaitWatchers(0);

        String resumeAt;
        try (Socket s = watch(board, Long.toString(first))) {
            BufferedReader in = lines(s);
            List<String> head = readUntil(in, "data:");
            assertThat(head).as("the first thing sent").contains("event:reload");
            assertThat(head.get(head.size() - 1)).contains("\"missed_after\":\"" + first + "\"");
            resumeAt = head.stream().filter(l -> l.startsWith("id:")).findFirst().orElseThrow().substring(3);
            assertThat(head.get(head.size() - 1)).contains("\"resumes_after\":\"" + resumeAt + "\"");
            // nothing old follows: the next event is the next one written
            String next = k.readyTask(board, "After the reload");
            List<String> live = readUntil(in, "data:");
            assertThat(live).contains("event:created");
            assertThat(live.get(live.size() - 1)).contains("\"task_id\":\"" + next + "\"");
        }
        awaitWatchers(0);

        // the reload's id resumes exactly: the one event written after it
        try (Socket s = watch(board, resumeAt)) {
            BufferedReader in = lines(s);
            List<String> again = readUntil(in, "data:");
            assertThat(again).contains("event:created").doesNotContain("event:reload");
        }
        awaitWatchers(0);

        // exactly max-replay missed: all of them, in order, no reload. Read through an HTTP client: a
        // thousand events written back to back cross chunk boundaries, which a raw socket reader sees
        long lastId = jdbc.queryForObject("SELECT MAX(id) FROM task_events WHERE board = ?", Long.class, board);
        long from = jdbc.queryForObject("SELECT id FROM task_events WHERE board = ? ORDER BY id DESC LIMIT 1 OFFSET " + props.maxReplay(),
                Long.class, board);
        java.net.http.HttpResponse<java.io.InputStream> stream = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/boards/" + board + "/events"))
                        .header("Accept", "text/event-stream").header("Authorization", "Bearer " + dev.statehouse.support.Http.TOKEN)
                        .header("Last-Event-ID", Long.toString(from)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(stream.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            List<String> ids = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
                List<String> got = new ArrayList<>();
                String line;
                while (got.size() < props.maxReplay() && (line = in.readLine()) != null) {
                    assertThat(line).isNotEqualTo("event:reload");
                    if (line.startsWith("id:")) {
                        got.add(line.substring(3));
                    }
                }
                return got;
            }, () -> "fewer than " + props.maxReplay() + " events came");
            assertThat(ids).hasSize(props.maxReplay());
            assertThat(ids.get(ids.size() - 1)).matches("([0-9]+\\.)?" + lastId);
        }
        awaitWatchers(0);
    }

    @Test
    void watchersAreBoundedAndADisconnectedWatcherFreesItsSocket() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("ev"));
        awaitWatchers(0);
        FdScan before = fds().scan();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < props.maxWatchers(); i++) {
                Socket s = watch(board, null);
                sockets.add(s);
                BufferedReader in = lines(s);
                readUntil(in, ":watching");
            }
            assertThat(events.watchers()).isEqualTo(props.maxWatchers());
            var refused = http.get("/api/boards/" + board + "/events");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.isProblem()).isTrue();
            assertThat(http.get("/api/dispatcher").json().get("watchers").asInt()).isEqualTo(props.maxWatchers());
        } finally {
            for (Socket s : sockets) {
                s.close(); // the clients vanish without a goodbye
            }
        }
        awaitWatchers(0); // the ping finds them gone
        FdScan after = fds().scan();
        for (int i = 0; i < 100 && after.open() > before.open() + 2; i++) {
            Thread.sleep(100); // the server closes its ends asynchronously, after the failed ping
            after = fds().scan();
        }
        assertThat(after.open()).as("before %s after %s", before.byKind(), after.byKind()).isLessThanOrEqualTo(before.open() + 2);
        assertThat(http.get("/actuator/prometheus").raw().body()).contains("statehouse_kanban_watchers 0.0");
        assertThat(events.watchedBoards()).as("a board's entry goes with its last watcher (issue 28: nothing grows with history)").isZero();
    }

    /**
     * Stopping (SIGTERM) ends every stream at once and cleanly (the last chunk, not a dropped
     * connection), before the web server waits for active requests; a watcher arriving meanwhile
     * is told to watch elsewhere.
     */
    @Test
    void stoppingEndsEveryStreamCleanlyAndTurnsNewWatchersAway() throws Exception {
        KanbanClient k = new KanbanClient(http);
        String board = k.board(unique("stop"));
        awaitWatchers(0);
        try (Socket s = watch(board, null)) {
            BufferedReader in = lines(s);
            readUntil(in, ":watching");
            events.stop();
            List<String> rest = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null && !line.equals("0")) { // "0": the chunked body's last chunk
                rest.add(line);
            }
            assertThat(line).as("the stream ended with its last chunk, after %s", rest).isEqualTo("0");
            assertThat(events.watchers()).isZero();
            var refused = http.get("/api/boards/" + board + "/events");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.isProblem()).isTrue();
            assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("1");
        } finally {
            events.start(); // the context is shared with the other tests (a fresh one would skew their descriptor counts)
        }
    }
}
