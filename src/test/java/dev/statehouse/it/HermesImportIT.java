package dev.statehouse.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.statehouse.support.Sqlite3;
import org.junit.jupiter.api.Test;

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
                .contains("1 skipped (ids the API cannot address)")
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
        assertThat(second.output()).contains("0 new or changed").contains("0 new, 0 changed, 0 removed");
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
        assertThat(own.output()).contains("service's own database");
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
}
