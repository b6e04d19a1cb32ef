package dev.statehouse.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar statehouse.jar import hermes PATH} on the packaged jar: a hermes-format fixture
 * ({@link HermesFixture}) comes in with its lineage, tool calls and timestamps, rewound messages left
 * out; the source is never written; a second run changes nothing; files that are not a hermes
 * database of a known version are refused with nothing written; and it imports a consistent snapshot
 * while another process keeps writing to the source in WAL mode.
 */
class HermesImportIT {

    private static final String TOKEN = "it-token-hermes-import-0123456789";

    private record Run(int exit, String output) {
    }

    private static Run importHermes(Path work, Path source) throws Exception {
        Path log = Files.createTempFile("hermes-import-", ".log");
        Process p = JarProcess.command(work, log, "import", "hermes", source.toString(),
                "--statehouse.storage.path=" + work.resolve("data/state.db"));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        return new Run(p.exitValue(), Files.readString(log));
    }

    private static String dump(Path db) throws Exception {
        return Sqlite3.run(db, "SELECT id, source, user_id, model, title, parent_session_id, started_at, ended_at, end_reason, message_count,"
                + " tool_call_count, input_tokens, output_tokens, archived, last_activity_at, lineage_root_id, lineage_tip_id FROM sessions ORDER BY id;"
                + " SELECT session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp, token_count, finish_reason, import_key"
                + " FROM messages ORDER BY id;");
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void importsOnceChangesNothingTheSecondTimeAndNeverWritesTheSource() throws Exception {
        Path work = Files.createTempDirectory("statehouse-hermes-");
        Path source = HermesFixture.create(work.resolve("hermes/state.db"), 21);
        String sourceBefore = sha256(source);

        Run first = importHermes(work, source);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("sessions: " + HermesFixture.SESSIONS + " read")
                .contains("1 skipped").contains("skipped, an id the API cannot address: 1 (e.g. bad id!)")
                .contains("(new: none of its sessions came from an earlier import)")
                .contains(HermesFixture.MESSAGES + " new, 0 changed, 0 removed, " + HermesFixture.REWOUND + " rewound left out, "
                        + HermesFixture.SKIPPED + " skipped");
        assertThat(sha256(source)).as("the source file is never written").isEqualTo(sourceBefore);

        Path db = work.resolve("data/state.db");
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM sessions")).isEqualTo("10");
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM messages")).isEqualTo(Integer.toString(HermesFixture.MESSAGES));
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM messages WHERE content = 'rewound away'")).isEqualTo("0");
        assertThat(Sqlite3.run(db, "SELECT tool_name || '|' || tool_call_id FROM messages WHERE role = 'tool'")).isEqualTo("read_file|call_1");
        assertThat(Sqlite3.run(db, "SELECT json_extract(tool_calls, '$[0].function.name') FROM messages WHERE finish_reason = 'tool_calls'"))
                .isEqualTo("read_file");
        assertThat(Sqlite3.run(db, "SELECT parent_session_id || '|' || end_reason || '|' || input_tokens || '|' || model FROM sessions WHERE id = 'c2'"))
                .isEqualTo("c1|compression|900|m-2");
        assertThat(Sqlite3.run(db, "SELECT archived FROM sessions WHERE id = 'j1'")).isEqualTo("1");
        assertThat(Sqlite3.run(db, "PRAGMA integrity_check")).isEqualTo("ok");
        String once = dump(db);

        Run second = importHermes(work, source);
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("0 new or changed").contains("0 new, 0 changed, 0 removed")
                .contains("imported before: 10 of its oldest sessions came from it").doesNotContain("already in Statehouse");
        assertThat(dump(db)).as("a second import changes nothing").isEqualTo(once);

        // the service serves it by the sidebar's rules
        try (JarProcess jar = JarProcess.start(work, List.of(), "--statehouse.auth.tokens.it.token=" + TOKEN)) {
            jar.token = TOKEN;
            String sidebar = jar.get("/api/sessions").body();
            assertThat(sidebar).contains("\"id\":\"c2\"").contains("\"lineage_root_id\":\"c1\"").contains("\"title\":\"Refactor parser\"")
                    .contains("\"id\":\"t2\"").contains("\"id\":\"k1\"").contains("\"id\":\"r1\"")
                    .doesNotContain("\"id\":\"c3\"").doesNotContain("\"id\":\"e1\"").doesNotContain("\"id\":\"j1\"");
            assertThat(jar.get("/api/sessions?source=cli").body()).doesNotContain("\"id\":\"t2\"").contains("\"id\":\"t1\"");
            assertThat(jar.get("/api/sessions/r1/messages").body()).contains("second try").doesNotContain("rewound away");
        }
    }

    @Test
    void filesThatAreNotAKnownHermesDatabaseAreRefusedWithNothingWritten() throws Exception {
        Path work = Files.createTempDirectory("statehouse-hermes-refused-");
        Path good = HermesFixture.create(work.resolve("hermes/state.db"), 21);
        assertThat(importHermes(work, good).exit()).isZero();
        Path db = work.resolve("data/state.db");
        String before = dump(db);

        Path other = work.resolve("other.db");
        Sqlite3.run(other, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('x');");
        Run notHermes = importHermes(work, other);
        assertThat(notHermes.exit()).as(notHermes.output()).isEqualTo(2);
        assertThat(notHermes.output()).contains("is not a hermes state.db").contains("nothing was imported");

        Path future = HermesFixture.create(work.resolve("future/state.db"), 99);
        Run unknown = importHermes(work, future);
        assertThat(unknown.exit()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("schema version 99");

        Run own = importHermes(work, db);
        assertThat(own.exit()).as(own.output()).isEqualTo(2);
        // refused before anything starts: Statehouse's own database is not a hermes database
        assertThat(own.output()).contains("is not a hermes state.db").contains("nothing was imported");
        assertThat(dump(db)).as("nothing written").isEqualTo(before);
    }

    @Test
    void importsAConsistentSnapshotWhileTheAgentKeepsWriting() throws Exception {
        Path work = Files.createTempDirectory("statehouse-hermes-live-");
        Path source = HermesFixture.create(work.resolve("hermes/state.db"), 21);
        Process agent = new ProcessBuilder("python3", "-c", """
                import sqlite3, sys, time
                c = sqlite3.connect(sys.argv[1], isolation_level=None)
                c.execute('PRAGMA journal_mode=WAL')
                print('writing', flush=True)
                n = 0
                while True:
                    c.execute('BEGIN IMMEDIATE')
                    c.execute("INSERT INTO messages(session_id, role, content, timestamp) VALUES ('r1', 'user', 'live ' || ?, 1780001000 + ?)", (n, n))
                    c.execute("UPDATE sessions SET message_count = message_count + 1 WHERE id = 'r1'")
                    c.execute('COMMIT')
                    n += 1
                    time.sleep(0.002)
                """, source.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("writing");
            Thread.sleep(300);
            Run live = importHermes(work, source);
            assertThat(live.exit()).as(live.output()).isZero();
            assertThat(agent.isAlive()).as("the agent keeps writing").isTrue();
            assertThat(Files.exists(Path.of(source + "-wal"))).as("the source's WAL is never unlinked").isTrue();
            Thread.sleep(300);
        } finally {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        Path db = work.resolve("data/state.db");
        long imported = Long.parseLong(Sqlite3.run(db, "SELECT COUNT(*) FROM messages WHERE content LIKE 'live %'"));
        long written = Long.parseLong(Sqlite3.run(source, "SELECT COUNT(*) FROM messages WHERE content LIKE 'live %'"));
        assertThat(imported).as("a snapshot taken mid-stream").isPositive().isLessThan(written);
        // a snapshot is consistent: exactly the first N live messages, no gap
        assertThat(Sqlite3.run(db, "SELECT MAX(CAST(substr(content, 6) AS INTEGER)) + 1 FROM messages WHERE content LIKE 'live %'"))
                .isEqualTo(Long.toString(imported));
        Run after = importHermes(work, source);
        assertThat(after.exit()).as(after.output()).isZero();
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM messages WHERE content LIKE 'live %'")).isEqualTo(Long.toString(written));
        assertThat(Sqlite3.run(db, "SELECT message_count FROM sessions WHERE id = 'r1'")).isEqualTo(Long.toString(written + 2));
    }

    /** What a test writes into a copy of the fixture: {@code T} is the fixture's epoch. */
    private static Path fixture(Path file, String sql) throws Exception {
        HermesFixture.create(file, 21);
        Sqlite3.run(file, sql.replace("T+", "1780000000+"));
        return file;
    }

    /**
     * Two agents' databases whose message ids overlap never collide: each file is a source of its own,
     * recognised by its sessions wherever it is moved; a file whose session already exists is reported.
     */
    @Test
    void sourcesNeverCollideAndAreRecognisedWhereverTheFileMoves() throws Exception {
        Path work = Files.createTempDirectory("statehouse-hermes-sources-");
        Path a = HermesFixture.create(work.resolve("agent-a/state.db"), 21);
        // a second agent: other sessions, the same message ids 1..14
        Path b = fixture(work.resolve("agent-b/state.db"), """
                UPDATE messages SET session_id = 'b_' || session_id, content = 'B: ' || content;
                UPDATE sessions SET parent_session_id = 'b_' || parent_session_id WHERE parent_session_id IS NOT NULL;
                UPDATE sessions SET id = 'b_' || id;
                """);
        // a third file that holds a session with A's id c1 (started at another time) and two messages of its own
        Path c = fixture(work.resolve("agent-c/state.db"), """
                DELETE FROM messages WHERE session_id <> 'c1';
                UPDATE sessions SET parent_session_id = NULL;
                DELETE FROM sessions WHERE id <> 'c1';
                UPDATE sessions SET started_at = started_at + 5;
                UPDATE messages SET content = 'C: ' || content;
                """);
        Path db = work.resolve("data/state.db");

        assertThat(importHermes(work, a).exit()).isZero();
        Run second = importHermes(work, b);
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains(HermesFixture.MESSAGES + " new, 0 changed").contains("(new: none of its sessions");
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM messages")).isEqualTo(Integer.toString(2 * HermesFixture.MESSAGES));
        assertThat(Sqlite3.run(db, "SELECT message_count FROM sessions WHERE id = 'b_c2'")).isEqualTo("3");
        assertThat(Sqlite3.run(db, "SELECT content FROM messages WHERE session_id = 'c1' ORDER BY id")).isEqualTo("the parser is slow\nlet me look");

        // the same file moved elsewhere is the same source: nothing new
        Path moved = work.resolve("moved/elsewhere.db");
        Files.createDirectories(moved.getParent());
        Files.copy(a, moved);
        String before = dump(db);
        Run again = importHermes(work, moved);
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("imported before").contains("0 new, 0 changed, 0 removed");
        assertThat(dump(db)).isEqualTo(before);

        Run third = importHermes(work, c);
        assertThat(third.exit()).as(third.output()).isZero();
        assertThat(third.output()).contains("already in Statehouse, not from this source (reconciled, kept), created by an import of another source: 1 (e.g. c1)")
                .contains("2 new, 0 changed");
        assertThat(Sqlite3.run(db, "SELECT content FROM messages WHERE session_id = 'c1' ORDER BY timestamp, id"))
                .as("both files' messages, neither lost").isEqualTo("the parser is slow\nC: the parser is slow\nlet me look\nC: let me look");
        assertThat(Sqlite3.run(db, "SELECT message_count FROM sessions WHERE id = 'c1'")).isEqualTo("4");
        assertThat(Sqlite3.run(db, "SELECT COUNT(DISTINCT substr(import_key, 1, instr(substr(import_key, 8), ':') + 7)) FROM messages"))
                .as("three sources").isEqualTo("3");
    }

    /**
     * Rows the API would refuse are left out and counted by reason; tool calls that are not JSON are
     * kept as JSON strings; and every page the service then answers is JSON.
     */
    @Test
    void rowsTheApiWouldRefuseAreLeftOutAndEveryPageParses() throws Exception {
        Path work = Files.createTempDirectory("statehouse-hermes-hostile-");
        Path source = fixture(work.resolve("hermes/state.db"), """
                INSERT INTO sessions(id, source, title, started_at) VALUES ('h1', 'cli', 'hostile rows', T+2000),
                    ('longtitle', 'cli', replace(hex(zeroblob(300)), '0', 'x'), T+2100);
                INSERT INTO messages(session_id, role, content, tool_calls, timestamp, active) VALUES
                    ('h1', 'assistant', 'broken json', '[{"name": "broken', T+2001, 1),
                    ('h1', 'assistant', 'nul json', 'x' || char(0) || 'y', T+2002, 1),
                    ('h1', 'user', replace(hex(zeroblob(2500000)), '0', 'x'), NULL, T+2003, 1),
                    ('h1', 'user', 'a' || char(0) || 'b', NULL, T+2004, 1),
                    ('h1', 'user', CAST(x'41ff42' AS TEXT), NULL, T+2005, 1),
                    ('h1', 'narrator', 'who?', NULL, T+2006, 1),
                    ('h1', 'user', 'fine', NULL, T+2007, 1),
                    ('longtitle', 'user', 'left out with its session', NULL, T+2101, 1);
                UPDATE sessions SET message_count = 8 WHERE id = 'h1';
                """);
        Run run = importHermes(work, source);
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("skipped, title is longer than 500 bytes: 1 (e.g. longtitle)")
                .contains("skipped, content is longer than 1048576 bytes: 1")
                .contains("skipped, content must not contain NUL characters: 1")
                .contains("skipped, a role the API does not take (system,user,assistant,tool): 1")
                .contains("skipped, its session was left out or is not in the file: 2")
                .contains("tool_calls: 2 were not JSON");
        Path db = work.resolve("data/state.db");
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM messages WHERE session_id = 'h1'")).isEqualTo("4");
        assertThat(Sqlite3.run(db, "SELECT COUNT(*) FROM sessions WHERE id = 'longtitle'")).isEqualTo("0");
        assertThat(Sqlite3.run(db, "SELECT MAX(length(content)) FROM messages")).isNotEqualTo("5000000");

        ObjectMapper json = new ObjectMapper();
        try (JarProcess jar = JarProcess.start(work, List.of(), "--statehouse.auth.tokens.it.token=" + TOKEN)) {
            jar.token = TOKEN;
            JsonNode sidebar = json.readTree(jar.get("/api/sessions?include_empty=true&include_background=true&limit=200").body());
            int pages = 0;
            for (JsonNode row : sidebar.get("items")) {
                var page = jar.get("/api/sessions/" + row.get("id").asString() + "/messages?limit=500");
                assertThat(page.statusCode()).isEqualTo(200);
                json.readTree(page.body()); // throws on a body that is not JSON
                pages++;
            }
            assertThat(pages).isGreaterThanOrEqualTo(8);
            JsonNode h1 = json.readTree(jar.get("/api/sessions/h1/messages").body()).get("items");
            Map<String, JsonNode> byContent = new HashMap<>();
            h1.forEach(m -> byContent.put(m.get("content").asString(), m));
            assertThat(byContent.keySet()).containsExactlyInAnyOrder("broken json", "nul json", "A\uFFFDB", "fine");
            assertThat(byContent.get("broken json").get("tool_calls").asString()).isEqualTo("[{\"name\": \"broken");
            assertThat(byContent.get("nul json").get("tool_calls").asString()).isEqualTo("x\u0000y");
        }
    }

    /**
     * A file that is not a hermes database, or a damaged one, is refused whole (exit 2) before
     * anything is written — not even the target database is created — and said in words.
     */
    @Test
    void damagedAndForeignFilesAreRefusedWholeAndCreateNothing() throws Exception {
        Path work = Files.createTempDirectory("statehouse-hermes-damaged-");
        Path empty = Files.createFile(work.resolve("empty.db"));
        Path text = Files.writeString(work.resolve("notes.db"), "these are my notes, not a database\n".repeat(100));
        Path damaged = fixture(work.resolve("damaged/state.db"), """
                PRAGMA journal_mode=DELETE;
                INSERT INTO messages(session_id, role, content, timestamp)
                    SELECT 'r1', 'user', 'filler ' || value || ' ' || hex(randomblob(100)), 1780000000 + value FROM generate_series(1, 2000);
                """);
        long page = Long.parseLong(Sqlite3.run(damaged, "SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf' LIMIT 1 OFFSET 5"));
        long pageSize = Long.parseLong(Sqlite3.run(damaged, "PRAGMA page_size"));
        try (FileChannel f = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[64];
            Arrays.fill(garbage, (byte) 0xFF);
            f.write(ByteBuffer.wrap(garbage), (page - 1) * pageSize); // the page's header: no longer a b-tree page
        }
        Map<Path, String> said = Map.of(empty, "is empty (0 bytes), not a hermes state.db", text, "is not a SQLite database",
                damaged, "is damaged", work.resolve("missing.db"), "does not exist");
        for (Map.Entry<Path, String> file : said.entrySet()) {
            Run refused = importHermes(work, file.getKey());
            assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).contains(file.getValue()).contains("nothing was imported")
                    .doesNotContain("Exception").doesNotContain("java.").doesNotContain("org.");
            assertThat(Files.exists(work.resolve("data"))).as("no target database (nor its directory) for a refused import").isFalse();
        }
    }

    /**
     * Memory does not grow with the source: 60,000 sessions import within a 40 MB heap (the import
     * that held every session in memory ran out of it at this size, and passed at 10,000).
     */
    @Test
    void memoryStaysBoundedWhateverTheSourcesSize() throws Exception {
        Path work = Files.createTempDirectory("statehouse-hermes-memory-");
        Path source = work.resolve("hermes/state.db");
        Files.createDirectories(source.getParent());
        Process fixture = new ProcessBuilder("python3", "bench/hermes_fixture.py", source.toString(), "60000", "60000")
                .redirectErrorStream(true).start();
        String made = new String(fixture.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fixture.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(fixture.exitValue()).as(made).isZero();
        Path log = Files.createTempFile("hermes-import-", ".log");
        Process p = JarProcess.command(work, log, List.of("-Xmx40m"), "import", "hermes", source.toString(),
                "--statehouse.storage.path=" + work.resolve("data/state.db"));
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("sessions: 60000 read, 60000 new or changed, 0 skipped").doesNotContain("OutOfMemoryError");
        assertThat(Sqlite3.run(work.resolve("data/state.db"), "SELECT COUNT(*) FROM sessions")).isEqualTo("60000");
    }
}
