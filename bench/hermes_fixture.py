#!/usr/bin/env python3
"""A hermes-format state.db for the import benchmark, or a REST replay of one.

  hermes_fixture.py OUT.db SESSIONS MESSAGES      # write the fixture (schema facts: shared/design/hermes-state-db.md)
  hermes_fixture.py --replay DB BASE_URL TOKEN    # the same sessions and active messages through the REST API

Sessions come in compression chains of 1-4 segments (some continued in another source), messages
alternate user/assistant with a tool call every 7th assistant turn, and 5% of messages are rewound
(active = 0). Deterministic (seeded)."""
import json
import random
import sqlite3
import sys
import threading
import time
import urllib.request

SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (21);
CREATE TABLE sessions (id TEXT PRIMARY KEY, source TEXT NOT NULL, user_id TEXT, model TEXT, model_config TEXT,
    parent_session_id TEXT, started_at REAL NOT NULL, ended_at REAL, end_reason TEXT, message_count INTEGER DEFAULT 0,
    tool_call_count INTEGER DEFAULT 0, input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0,
    title TEXT, archived INTEGER DEFAULT 0, cwd TEXT);
CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, role TEXT NOT NULL, content TEXT,
    tool_call_id TEXT, tool_calls TEXT, tool_name TEXT, timestamp REAL NOT NULL, token_count INTEGER,
    finish_reason TEXT, active INTEGER NOT NULL DEFAULT 1);
"""


def generate(path, sessions, messages):
    rnd = random.Random(42)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA)
    per = max(1, messages // sessions)
    t = 1_780_000_000.0
    s_rows, m_rows = [], []
    n = 0
    while n < sessions:
        chain = rnd.choice([1, 1, 1, 2, 2, 3, 4])
        source = rnd.choice(["cli", "cli", "cli", "telegram", "tui", "cron"])
        parent = None
        for seg in range(min(chain, sessions - n)):
            sid = "h%06d" % n
            n += 1
            seg_source = source if seg == 0 or rnd.random() > 0.1 else "telegram"
            start = t
            count = rnd.randint(per // 2, per + per // 2)
            for k in range(count):
                t += rnd.uniform(1, 30)
                role = "user" if k % 2 == 0 else "assistant"
                calls = None
                if role == "assistant" and k % 7 == 3:
                    calls = json.dumps([{"id": "call_%d" % len(m_rows), "type": "function",
                                         "function": {"name": "read_file", "arguments": "{\"path\": \"a.py\"}"}}])
                m_rows.append((sid, role, "message %d of %s " % (k, sid) + "x" * rnd.randint(20, 400), None, calls, None, t,
                               rnd.randint(5, 500), "stop" if role == "assistant" else None, 0 if rnd.random() < 0.05 else 1))
            end = t + 5
            s_rows.append((sid, seg_source, "u1", "model-%d" % rnd.randint(1, 3), parent, start, end if seg < chain - 1 else None,
                           "compression" if seg < chain - 1 else None, count, rnd.randint(0, 20), rnd.randint(100, 9000),
                           rnd.randint(100, 9000), "Conversation %d%s" % (n, "" if seg == 0 else " #%d" % (seg + 1)), 0, "/work"))
            parent = sid
            t = end + rnd.uniform(0, 60)
    db.executemany("INSERT INTO sessions(id, source, user_id, model, parent_session_id, started_at, ended_at, end_reason,"
                   " message_count, tool_call_count, input_tokens, output_tokens, title, archived, cwd)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", s_rows)
    db.executemany("INSERT INTO messages(session_id, role, content, tool_call_id, tool_calls, tool_name, timestamp,"
                   " token_count, finish_reason, active) VALUES (?,?,?,?,?,?,?,?,?,?)", m_rows)
    db.commit()
    db.close()
    print("hermes fixture: %d sessions, %d messages (%d rewound) in %s" % (
        len(s_rows), len(m_rows), sum(1 for m in m_rows if m[9] == 0), path))


def replay(path, base, token):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    sessions = db.execute("SELECT id, source, model, title, parent_session_id, started_at FROM sessions ORDER BY started_at").fetchall()
    messages = db.execute("SELECT session_id, role, content, tool_calls, timestamp, token_count FROM messages"
                          " WHERE active = 1 ORDER BY id").fetchall()
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

    def post(url, body):
        req = urllib.request.Request(base + url, data=json.dumps(body).encode(), headers=headers, method="POST")
        with urllib.request.urlopen(req) as r:
            r.read()

    start = time.time()
    for s in sessions:  # parents before children
        post("/api/sessions", {"id": s[0], "source": s[1], "model": s[2], "title": s[3], "parent_session_id": s[4], "started_at": s[5]})
    queue = list(messages)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                m = queue.pop()
            body = {"role": m[1], "content": m[2], "timestamp": m[4], "token_count": m[5]}
            if m[3]:
                body["tool_calls"] = json.loads(m[3])
            post("/api/sessions/%s/messages" % m[0], body)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    took = time.time() - start
    calls = len(sessions) + len(messages)
    print("REST replay: %d calls (%d sessions, %d messages) in %.1f s = %.0f messages/s" % (
        calls, len(sessions), len(messages), took, len(messages) / took))


if __name__ == "__main__":
    if sys.argv[1] == "--replay":
        replay(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        generate(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
