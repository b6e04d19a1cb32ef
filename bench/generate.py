#!/usr/bin/env python3
"""Fill a Statehouse database with a benchmark dataset.

10,000 sessions in lineage chains (heads with compression continuations, sub-agent branches),
200,000 messages, and a board of 50,000 tasks. The schema must exist already: start the service
once on the file (Flyway creates it), stop it, then run this. Counters (message_count,
tool_call_count, tokens, last_activity_at) are written consistent with the messages, as the API
would leave them.

usage: bench/generate.py DB [--sessions N] [--messages N] [--tasks N] [--seed S]
"""
import argparse
import os
import random
import sqlite3
import sys
import time


MIGRATION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "db",
                         "migration", "sqlite", "V4__materialized_lineage.sql")


def lineage_backfill():
    """The UPDATE statements of migration V4 (its WITH ... UPDATE and UPDATE statements)."""
    with open(MIGRATION) as f:
        text = "\n".join(l for l in f.read().splitlines() if not l.lstrip().startswith("--"))
    return [s.strip() for s in text.split(";") if s.strip().startswith(("WITH", "UPDATE"))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--tasks", type=int, default=50_000)
    ap.add_argument("--board", default="bench")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rnd = random.Random(a.seed)

    con = sqlite3.connect(a.db)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA foreign_keys=ON")
        have = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"sessions", "messages", "tasks", "boards"} <= have:
            sys.exit("no schema in %s: start the service on it once first" % a.db)
        t0 = time.time()
        base = time.time() - 30 * 86400
        projects = ["p_bench_%d" % i for i in range(8)]
        con.executemany("INSERT OR IGNORE INTO projects(id, name, color, created_at) VALUES (?, ?, ?, ?)",
                        [(p, "Project %d" % i, "#%06x" % rnd.randrange(1 << 24), base) for i, p in enumerate(projects)])

        # sessions: chains of 1-4 segments (compression continuations) and some branch children
        sessions = []  # (id, parent, started, ended, end_reason, project, source)
        i = 0
        t = base
        while len(sessions) < a.sessions:
            chain = rnd.choice([1, 1, 2, 3, 4])
            project = rnd.choice(projects + [None, None])
            source = rnd.choice(["cli", "web", "gateway"])
            parent = None
            for seg in range(chain):
                if len(sessions) >= a.sessions:
                    break
                sid = "s_bench_%06d" % i
                i += 1
                started = t
                t += rnd.uniform(30, 300)
                ended = t if seg < chain - 1 else None
                sessions.append([sid, parent, started, ended, "compression" if ended else None, project, source])
                parent = sid
                t += rnd.uniform(0, 5)
            if rnd.random() < 0.15 and len(sessions) < a.sessions:  # a sub-agent branch of the last segment
                sid = "s_bench_%06d" % i
                i += 1
                sessions.append([sid, parent, t - 10, None, None, project, source])

        counts = {s[0]: [0, 0, 0, 0, s[2]] for s in sessions}  # messages, tool calls, in, out, last activity
        ids = [s[0] for s in sessions]
        messages = []
        for m in range(a.messages):
            sid = ids[rnd.randrange(len(ids))]
            c = counts[sid]
            role = "user" if c[0] % 2 == 0 else "assistant"
            ts = c[4] + rnd.uniform(1, 20)
            tokens = rnd.randrange(10, 800)
            tool_calls = '[{"id":"call_%d","name":"grep"}]' % m if role == "assistant" and rnd.random() < 0.2 else None
            c[0] += 1
            c[1] += 1 if tool_calls else 0
            c[2 if role == "user" else 3] += tokens
            c[4] = ts
            messages.append((sid, role, "message %d " % m + "lorem ipsum " * rnd.randrange(2, 30), tool_calls, ts, tokens))

        with con:
            con.executemany(
                "INSERT INTO sessions(id, source, model, title, project_id, parent_session_id, started_at, ended_at, end_reason,"
                " message_count, tool_call_count, input_tokens, output_tokens, last_activity_at)"
                " VALUES (?, ?, 'bench-model', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(s[0], s[6], "Session %s" % s[0][-6:], s[5], s[1], s[2], s[3], s[4],
                  counts[s[0]][0], counts[s[0]][1], counts[s[0]][2], counts[s[0]][3],
                  max(counts[s[0]][4], s[3] or 0)) for s in sessions])
            con.executemany(
                "INSERT INTO messages(session_id, role, content, tool_calls, timestamp, token_count) VALUES (?, ?, ?, ?, ?, ?)",
                messages)
            con.execute("INSERT OR IGNORE INTO boards(slug, name, created_at) VALUES (?, 'Benchmark', ?)", (a.board, base))
            statuses = ["ready"] * 6 + ["todo", "done", "triage", "review"]
            con.executemany(
                "INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [("t_bench_%06d" % n, a.board, "Task %d" % n, rnd.choice(statuses), rnd.randrange(0, 10),
                  base + n, base + n) for n in range(a.tasks)])
            # the lineage columns, computed exactly as migration V4 computes them for existing rows
            for statement in lineage_backfill():
                con.execute(statement)
        con.execute("ANALYZE")
        print("generated %d sessions, %d messages, %d tasks in %.1fs" % (len(sessions), len(messages), a.tasks, time.time() - t0))
    finally:
        con.close()


if __name__ == "__main__":
    main()
