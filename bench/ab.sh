#!/usr/bin/env bash
# A/B of two jars on the hot paths: each jar gets a freshly generated dataset of its own (migrated by
# itself), the same warm-up, and 3 runs per scenario (median), with the HTTP ceiling in the same run.
#   bench/ab.sh OLD.jar NEW.jar          # writes bench/out/ab.md
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-45s}
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
RESULT="$OUT/ab.md"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
trap stop_server EXIT

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
rate() { # rate URL-or-script-args...: median req/s of RUNS runs at 16 connections
  for _ in $(seq 1 "$RUNS"); do
    wrk -t2 -c16 -d"$DURATION" -H "Authorization: Bearer $BENCH_TOKEN" "$@" | awk '/Requests\/sec/ {print $2}'
  done | median
}
warm() { wrk -t2 -c16 -d"$WARMUP" -H "Authorization: Bearer $BENCH_TOKEN" "$@" > /dev/null; }
reset_board() {
  sqlite3 "$DATA/data/state.db" ".timeout 10000" "UPDATE tasks SET status = 'ready', claim_lock = NULL, claimed_by = NULL,
    claim_expires = NULL, current_run_id = NULL, completed_at = NULL WHERE board = 'bench' AND status <> 'ready'" > /dev/null
}

echo "| jar | HTTP ceiling | sidebar (cached) | message append | claims only | req/s at 16 conns, median of $RUNS × $DURATION |" > "$RESULT"
echo "| --- | --- | --- | --- | --- | --- |" >> "$RESULT"
for jar in "$@"; do
  JAR=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
  DATA="$OUT/ab-data"
  prepare_dataset "$DATA"
  start_server "$DATA"
  warm "$BASE/api/sessions?limit=50"; warm -s "$BENCH_DIR/lua/messages_append.lua" "$BASE"
  reset_board; WRK_ENV="COMPLETE=0" warm -s "$BENCH_DIR/lua/claims.lua" "$BASE"
  ceiling=$(rate "$BASE/actuator/info")
  sidebar=$(rate "$BASE/api/sessions?limit=50")
  append=$(rate -s "$BENCH_DIR/lua/messages_append.lua" "$BASE")
  claims=$(for _ in $(seq 1 "$RUNS"); do reset_board; COMPLETE=0 wrk -t2 -c16 -d"$DURATION" -H "Authorization: Bearer $BENCH_TOKEN" \
      -s "$BENCH_DIR/lua/claims.lua" "$BASE" | awk '/Requests\/sec/ {print $2}'; done | median)
  stop_server
  printf '| %s | %s | %s | %s | %s | |\n' "$(basename "$jar")" "$ceiling" "$sidebar" "$append" "$claims" | tee -a "$RESULT"
done
