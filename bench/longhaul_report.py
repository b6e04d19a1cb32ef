#!/usr/bin/env python3
"""Issue 28's long-haul verdicts from bench/out/longhaul-*.csv (bench/longhaul.sh), as Markdown:
per engine, each measure at minute 15 and minute 30 and its growth (must be < 5 %), and the
closed-load throughput over the first 5 minutes with retention on against off (must be within 10 %).

usage: bench/longhaul_report.py [OUT_DIR]   (default bench/out)"""
import csv
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def rows(name):
    path = os.path.join(out, "longhaul-%s.csv" % name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return {int(r["minute"]): r for r in csv.DictReader(f)}


MEASURES = [("db_bytes", "database bytes (file + WAL, or pg_database_size)"), ("tasks", "tasks rows"), ("runs", "task_runs rows"),
            ("events", "task_events rows"), ("rss_bytes", "server RSS bytes"), ("fds", "server descriptors")]
ok = True
for engine in ("sqlite", "postgresql"):
    run = rows(engine + "-on")
    if not run or 30 not in run or 15 not in run:
        print("%s: no complete 30-minute run in %s" % (engine, out))
        ok = False
        continue
    rate = (int(run[30]["completes"]) - int(run[15]["completes"])) / 15.0 / 60
    print("\n**%s**, retention on, open load (%.0f cycles/s measured between minute 15 and 30):\n" % (engine, rate))
    print("| measure | minute 15 | minute 30 | growth | range over minutes 15-30 | trend over minutes 15-30 (least squares) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for key, label in MEASURES:
        a, b = float(run[15][key]), float(run[30][key])
        growth = (b - a) / a * 100 if a else 0.0
        ok &= growth < 5
        xs = list(range(15, 31))
        ys = [float(run[m][key]) for m in xs]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        trend = slope * 15 / my * 100 if my else 0.0
        print("| %s | %s | %s | %+.1f %% | %s to %s | %+.1f %% |" % (label, "{:,.0f}".format(a), "{:,.0f}".format(b), growth,
              "{:,.0f}".format(min(ys)), "{:,.0f}".format(max(ys)), trend))
    on, off = rows(engine + "-on-closed"), rows(engine + "-off-closed")
    if on and off and 5 in on and 5 in off:
        c_on, c_off = int(on[5]["completes"]), int(off[5]["completes"])
        ratio = c_on / c_off
        ok &= ratio >= 0.9
        print("\nClosed load, first 5 minutes: %s cycles with retention on, %s off: %.1f %% of it.\n"
              % ("{:,}".format(c_on), "{:,}".format(c_off), ratio * 100))
    else:
        print("\n(no closed-load comparison in %s)\n" % out)
        ok = False
print("\nverdict: " + ("flat and fast enough" if ok else "NOT MET"))
sys.exit(0 if ok else 1)
