#!/usr/bin/env bash
# Import throughput: a hermes-format state.db of SESSIONS sessions and about MESSAGES messages (bench/hermes_fixture.py,
# 5% rewound), imported with `java -jar statehouse.jar import hermes` into a fresh database RUNS times (median), and
# the same messages replayed through the REST API (POST /api/sessions, POST .../messages, 16 connections) for comparison.
#   bench/hermes_import.sh             # 10,000 sessions, ~160,000 messages
source "$(dirname "$0")/common.sh"
SESSIONS=${SESSIONS:-10000}
MESSAGES=${MESSAGES:-160000}
RUNS=${RUNS:-3}
OUT="$BENCH_DIR/out/hermes"; rm -rf "$OUT"; mkdir -p "$OUT"
build_jar
python3 "$BENCH_DIR/hermes_fixture.py" "$OUT/hermes.db" "$SESSIONS" "$MESSAGES"
for i in $(seq 1 "$RUNS"); do
  rm -rf "$OUT/target"; mkdir -p "$OUT/target"
  java -jar "$JAR" import hermes "$OUT/hermes.db" --statehouse.storage.path="$OUT/target/state.db" | tr '\r' '\n' | grep -E "messages:|sessions:|imported" | tee "$OUT/import-$i.txt"
done
echo "import messages/s, median of $RUNS:"
grep -h "messages/s" "$OUT"/import-*.txt | sed 's/.*; \([0-9]*\) messages\/s/\1/' | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
# a second import of the same file: only reads and compares
java -jar "$JAR" import hermes "$OUT/hermes.db" --statehouse.storage.path="$OUT/target/state.db" | tr '\r' '\n' | grep -E "imported|messages:"

# REST replay of the same data into a fresh server
command -v wrk > /dev/null || { echo "wrk is needed for the REST replay" >&2; exit 0; }
trap stop_server EXIT
start_server "$OUT/rest"
python3 "$BENCH_DIR/hermes_fixture.py" --replay "$OUT/hermes.db" "$BASE" "$BENCH_TOKEN" | tee "$OUT/rest.txt"
