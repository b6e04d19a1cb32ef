#!/usr/bin/env python3
"""Checkpoint create and rollback on a ~50 MB resource, 5 of each; prints median and max seconds."""
import json
import os
import sqlite3
import statistics
import sys
import time
import urllib.request

base, root, token = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(root, exist_ok=True)
path = os.path.join(root, "bench50.db")
if not os.path.exists(path):
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE rows(id INTEGER PRIMARY KEY, payload BLOB)")
    with con:
        con.executemany("INSERT INTO rows(payload) VALUES (randomblob(4000))", [()] * 12_500)
    con.close()


def post(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


size = os.path.getsize(path)
plan = post("/api/plans", {"description": "bench"})["id"]
creates, rollbacks = [], []
for i in range(5):
    t = time.perf_counter()
    cp = post("/api/plans/%s/checkpoints" % plan, {"resource": "bench50.db", "label": str(i)})
    creates.append(time.perf_counter() - t)
    t = time.perf_counter()
    post("/api/plans/%s/checkpoints/%s/rollback" % (plan, cp["id"]), {})
    rollbacks.append(time.perf_counter() - t)
post("/api/plans/%s/complete" % plan, {})
print("resource %.1f MB: checkpoint median %.3f s (max %.3f), rollback median %.3f s (max %.3f)" % (
    size / 1e6, statistics.median(creates), max(creates), statistics.median(rollbacks), max(rollbacks)))
