package dev.statehouse.it;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.statehouse.support.Sqlite3;

/**
 * A hermes-format {@code state.db} built from the schema facts (shared/design/hermes-state-db.md):
 * the columns the import reads, some it must ignore, an FTS5 table, and these shapes (T = 1,780,000,000):
 * <ul>
 * <li>{@code c1 → c2 → c3}: a compression chain in cli; c2 has a tool call and its result; c3 is an empty tail;</li>
 * <li>{@code t1 → t2}: a CLI conversation continued in telegram (its own row);</li>
 * <li>{@code p1 ← k1}: a child that started before its parent ended (its own row);</li>
 * <li>{@code r1}: three messages, the middle one rewound ({@code active = 0});</li>
 * <li>{@code j1} in cron, {@code e1} without messages, and {@code bad id!}, an id the API cannot address.</li>
 * </ul>
 */
final class HermesFixture {

    /** Active messages in importable sessions, rewound ones, and messages of the unaddressable session. */
    static final int MESSAGES = 12;
    static final int REWOUND = 1;
    static final int SKIPPED = 1;
    static final int SESSIONS = 11;

    private HermesFixture() {
    }

    static Path create(Path file, int schemaVersion) throws Exception {
        Files.createDirectories(file.getParent());
        String t = "1780000000";
        Sqlite3.run(file, """
                PRAGMA journal_mode=WAL;
                CREATE TABLE schema_version (version INTEGER NOT NULL);
                INSERT INTO schema_version VALUES (%d);
                CREATE TABLE sessions (id TEXT PRIMARY KEY, source TEXT NOT NULL, user_id TEXT, model TEXT, model_config TEXT,
                    system_prompt TEXT, parent_session_id TEXT REFERENCES sessions(id), started_at REAL NOT NULL, ended_at REAL,
                    end_reason TEXT, message_count INTEGER DEFAULT 0, tool_call_count INTEGER DEFAULT 0,
                    input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0, cache_read_tokens INTEGER DEFAULT 0,
                    title TEXT, archived INTEGER DEFAULT 0, chat_id TEXT, cwd TEXT, git_branch TEXT);
                CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions(id),
                    role TEXT NOT NULL, content TEXT, tool_call_id TEXT, tool_calls TEXT, tool_name TEXT, timestamp REAL NOT NULL,
                    token_count INTEGER, finish_reason TEXT, reasoning TEXT, active INTEGER NOT NULL DEFAULT 1, compacted INTEGER DEFAULT 0);
                CREATE VIRTUAL TABLE messages_fts USING fts5(content, content=messages, content_rowid=id);
                CREATE TABLE state_meta (key TEXT PRIMARY KEY, value TEXT);
                INSERT INTO sessions(id, source, model, title, parent_session_id, started_at, ended_at, end_reason, input_tokens, output_tokens, tool_call_count, cwd) VALUES
                    ('c1', 'cli', 'm-1', 'Refactor parser', NULL, T+0, T+100, 'compression', 1200, 300, 0, '/src'),
                    ('c2', 'cli', 'm-2', 'Refactor parser #2', 'c1', T+100, T+200, 'compression', 900, 200, 1, '/src'),
                    ('c3', 'cli', 'm-2', 'Refactor parser #3', 'c2', T+200, NULL, NULL, 0, 0, 0, '/src'),
                    ('t1', 'cli', 'm-1', 'Plan the trip', NULL, T+300, T+350, 'cli_close', 10, 20, 0, NULL),
                    ('t2', 'telegram', 'm-1', 'Plan the trip (phone)', 't1', T+400, NULL, NULL, 30, 40, 0, NULL),
                    ('p1', 'cli', 'm-1', 'Parent', NULL, T+500, T+600, 'compression', 0, 0, 0, NULL),
                    ('k1', 'cli', 'm-1', 'Early child', 'p1', T+550, NULL, NULL, 0, 0, 0, NULL),
                    ('r1', 'cli', 'm-3', 'Rewound', NULL, T+700, NULL, NULL, 0, 0, 0, NULL),
                    ('j1', 'cron', 'm-1', 'Nightly job', NULL, T+800, T+801, 'done', 0, 0, 0, NULL),
                    ('e1', 'cli', NULL, NULL, NULL, T+900, NULL, NULL, 0, 0, 0, NULL),
                    ('bad id!', 'cli', NULL, 'unaddressable', NULL, T+950, NULL, NULL, 0, 0, 0, NULL);
                UPDATE sessions SET archived = 1 WHERE id = 'j1';
                INSERT INTO messages(session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp, token_count, finish_reason, active) VALUES
                    ('c1', 'user', 'the parser is slow', NULL, NULL, NULL, T+10, 5, NULL, 1),
                    ('c1', 'assistant', 'let me look', NULL, NULL, NULL, T+20, 7, 'stop', 1),
                    ('c2', 'user', 'continue', NULL, NULL, NULL, T+105, 2, NULL, 1),
                    ('c2', 'assistant', NULL, NULL, '[{"id":"call_1","type":"function","function":{"name":"read_file","arguments":"{\\"path\\":\\"p.py\\"}"}}]', NULL, T+110, 9, 'tool_calls', 1),
                    ('c2', 'tool', 'def parse(): ...', 'call_1', NULL, 'read_file', T+111, NULL, NULL, 1),
                    ('t1', 'user', 'where to?', NULL, NULL, NULL, T+310, 3, NULL, 1),
                    ('t2', 'user', 'from the phone', NULL, NULL, NULL, T+410, 3, NULL, 1),
                    ('p1', 'user', 'parent says', NULL, NULL, NULL, T+510, 3, NULL, 1),
                    ('k1', 'user', 'early child says', NULL, NULL, NULL, T+560, 3, NULL, 1),
                    ('r1', 'user', 'first', NULL, NULL, NULL, T+710, 1, NULL, 1),
                    ('r1', 'assistant', 'rewound away', NULL, NULL, NULL, T+720, 1, NULL, 0),
                    ('r1', 'user', 'second try', NULL, NULL, NULL, T+730, 1, NULL, 1),
                    ('j1', 'assistant', 'nightly report', NULL, NULL, NULL, T+800, 1, NULL, 1),
                    ('bad id!', 'user', 'lost', NULL, NULL, NULL, T+951, 1, NULL, 1);
                UPDATE sessions SET message_count = (SELECT COUNT(*) FROM messages m WHERE m.session_id = sessions.id);
                INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
                """.formatted(schemaVersion).replace("T+", t + "+"));
        return file;
    }
}
