#!/usr/bin/env bash
# A/B of two jars on the hot paths: each jar gets a freshly generated dataset of its own (migrated by
# itself), the same warm-up, and 3 runs per scenario (median), with the HTTP ceiling in the same run
# (the liveness probe, the same code in every version since issue 13; /actuator/info carries build, git
# and java details since issue 17 and is no longer trivial). Each scenario at 16 connections reports
# "req/s (p99 ms)": the medians of the runs' rates and of their p99 latencies, taken separately.
#   bench/ab.sh OLD.jar NEW.jar          # writes bench/out/ab.md
#   SIDEBAR_ONLY=1 SERVER_ARGS=--statehouse.sessions.sidebar-cache-ttl=0 bench/ab.sh OLD.jar NEW.jar
#                                        # the uncached sidebar: req/s at 16 connections and p99 at 1
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-45s}
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
RESULT="$OUT/ab.md"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
trap stop_server EXIT

# wrk's --latency p99 in milliseconds, whatever unit wrk chose
p99_ms() { awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
  print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : u == "m" ? v * 60000 : v) }'; }
rate() { # rate URL-or-script-args...: "median req/s (median p99 ms)" of RUNS runs at 16 connections;
         # BEFORE=command runs before each run (reset_board for claims, which drain the board)
  local runs rps p99
  runs=$(for _ in $(seq 1 "$RUNS"); do
    ${BEFORE:-:}
    wrk -t2 -c16 -d"$DURATION" --latency -H "Authorization: Bearer $BENCH_TOKEN" "$@" > "$OUT/wrk.last"
    echo "$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.last") $(p99_ms < "$OUT/wrk.last")"
  done)
  rps=$(echo "$runs" | awk '{print $1}' | median)
  p99=$(echo "$runs" | awk '{print $2}' | median)
  echo "$rps ($p99 ms)"
}
warm() { wrk -t2 -c16 -d"$WARMUP" -H "Authorization: Bearer $BENCH_TOKEN" "$@" > /dev/null; }
reset_board() {
  sqlite3 "$DATA/data/state.db" ".timeout 10000" "UPDATE tasks SET status = 'ready', claim_lock = NULL, claimed_by = NULL,
    claim_expires = NULL, current_run_id = NULL, completed_at = NULL WHERE board = 'bench' AND status <> 'ready'" > /dev/null
}

p99_at_1() { # median p99 (ms) of RUNS runs at 1 connection, in one unit so that they sort
  for _ in $(seq 1 "$RUNS"); do
    wrk -t1 -c1 -d"$DURATION" --latency -H "Authorization: Bearer $BENCH_TOKEN" "$@" | p99_ms
  done | median
}

if [ -n "${SIDEBAR_ONLY:-}" ]; then
  echo "| jar | HTTP ceiling | sidebar req/s at 16 | sidebar p99 at 1 | ${SERVER_ARGS:-} |" > "$RESULT"
else
  echo "| jar | HTTP ceiling | sidebar (cached) | message append | claims only | req/s (p99) at 16 conns, medians of $RUNS × $DURATION |" > "$RESULT"
fi
echo "| --- | --- | --- | --- | --- | --- |" >> "$RESULT"
for jar in "$@"; do
  JAR=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
  DATA="$OUT/ab-data"
  prepare_dataset "$DATA"
  # shellcheck disable=SC2086
  start_server "$DATA" -- ${SERVER_ARGS:-}
  warm "$BASE/api/sessions?limit=50"
  if [ -n "${SIDEBAR_ONLY:-}" ]; then
    ceiling=$(ceiling 16)
    sidebar=$(rate "$BASE/api/sessions?limit=50")
    p99=$(p99_at_1 "$BASE/api/sessions?limit=50")
    stop_server
    printf '| %s | %s | %s | %s ms | |\n' "$(basename "$jar")" "$ceiling" "$sidebar" "$p99" | tee -a "$RESULT"
    continue
  fi
  warm -s "$BENCH_DIR/lua/messages_append.lua" "$BASE"
  reset_board; WRK_ENV="COMPLETE=0" warm -s "$BENCH_DIR/lua/claims.lua" "$BASE"
  ceiling=$(ceiling 16)
  sidebar=$(rate "$BASE/api/sessions?limit=50")
  append=$(rate -s "$BENCH_DIR/lua/messages_append.lua" "$BASE")
  claims=$(BEFORE=reset_board COMPLETE=0 rate -s "$BENCH_DIR/lua/claims.lua" "$BASE")
  stop_server
  printf '| %s | %s | %s | %s | %s | |\n' "$(basename "$jar")" "$ceiling" "$sidebar" "$append" "$claims" | tee -a "$RESULT"
done
