#!/usr/bin/env bash
# Plots bench/out/longhaul-ENGINE-on.csv (bench/longhaul.sh) as docs/longhaul-ENGINE.png: database size,
# rows per table, server RSS and descriptors, completions per minute, and the second half against
# minute 15. Needs gnuplot (Debian: gnuplot-nox).   bench/longhaul_plot.sh sqlite|postgresql
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ENGINE=${1:?sqlite or postgresql}
CSV="$ROOT/bench/out/longhaul-$ENGINE-on.csv"
DAT="$ROOT/bench/out/longhaul-$ENGINE-plot.dat"
PNG="$ROOT/docs/longhaul-$ENGINE.png"
# minute, db MB, tasks, runs, events, RSS MB, descriptors, completions in that minute, and db/rows/RSS as % of minute 15
python3 - "$CSV" "$DAT" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
base = next(r for r in rows if r["minute"] == "15")
with open(sys.argv[2], "w") as out:
    prev = 0
    for r in rows:
        m, done = int(r["minute"]), int(r["completes"])
        pct = lambda k: 100.0 * float(r[k]) / float(base[k]) if m >= 15 else float("nan")
        out.write("%d %.3f %s %s %s %.3f %s %d %.2f %.2f %.2f %.2f\n" % (m, float(r["db_bytes"]) / 1e6, r["tasks"], r["runs"], r["events"],
                  float(r["rss_bytes"]) / 1e6, r["fds"], done - prev, pct("db_bytes"), pct("tasks"), pct("events"), pct("rss_bytes")))
        prev = done
PY
gnuplot <<GP
set terminal pngcairo size 1500,900 font "DejaVu Sans,11" noenhanced
set output "$PNG"
set key bottom right
set grid
set xlabel "minute"
set xrange [0:30]
set yrange [0:*]
set multiplot layout 2,3 title "Statehouse on $ENGINE, 30 minutes of create, claim, heartbeat, complete at a constant rate; retention: events and runs 3 min, done tasks 5 min"
set title "database size (MB)"
plot "$DAT" using 1:2 with linespoints lw 2 title "$([ "$ENGINE" = sqlite ] && echo "state.db + -wal" || echo "pg_database_size")"
set title "rows per table"
plot "$DAT" using 1:3 with linespoints lw 2 title "tasks", "" using 1:4 with linespoints lw 2 title "task_runs", "" using 1:5 with linespoints lw 2 title "task_events"
set title "server RSS (MB; heap capped at 512 MB)"
plot "$DAT" using 1:6 with linespoints lw 2 title "RSS"
set title "server descriptors"
plot "$DAT" using 1:7 with linespoints lw 2 title "open descriptors"
set title "cycles completed per minute"
plot "$DAT" every ::1 using 1:8 with linespoints lw 2 title "completions"
set title "second half against minute 15 (%)"
set xrange [15:30]
set yrange [80:120]
plot "$DAT" using 1:9 with linespoints lw 2 title "database size", "" using 1:10 with linespoints lw 2 title "tasks", "" using 1:11 with linespoints lw 2 title "task_events", "" using 1:12 with linespoints lw 2 title "RSS", 105 with lines dt 2 lc rgb "red" title "+5 %"
unset multiplot
GP
echo "$PNG"
