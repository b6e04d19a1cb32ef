#!/usr/bin/env bash
# Throughput and latency of the main scenarios at 1 and 16 connections, each run 3 times (median reported),
# against the HTTP ceiling (a trivial endpoint on the same server) and the storage ceiling (raw JDBC in one JVM).
#   bench/run.sh                 # full dataset (10,000 sessions, 200,000 messages, 50,000 tasks)
#   DURATION=10s RUNS=3 bench/run.sh
# Writes a markdown table to bench/out/results.md.
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
DATA="$OUT/data"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
build_jar
prepare_dataset "$DATA"
trap stop_server EXIT

RESULTS="$OUT/results.md"
: > "$OUT/notes.txt"
echo "| scenario | conns | req/s (median of $RUNS) | p50 | p99 | claims/s |" > "$RESULTS"
echo "| --- | --- | --- | --- | --- | --- |" >> "$RESULTS"
SECONDS_PER_RUN=${DURATION%s}

# scenario NAME CONNS wrk-args...: runs wrk RUNS times, records the median run by req/s
# (WRK_ENV="BATCH=10 COMPLETE=0" passes settings to a lua script; claims/s comes from its claims= line)
scenario() {
  local name=$1 conns=$2; shift 2
  local threads=$(( conns < 2 ? 1 : 2 ))
  local lines=()
  for _ in $(seq 1 "$RUNS"); do
    [ -n "${BEFORE_RUN:-}" ] && $BEFORE_RUN
    local out
    out=$(env ${WRK_ENV:-} wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -H "Authorization: Bearer $BENCH_TOKEN" "$@")
    local rps p50 p99 claims cps=-
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    claims=$(echo "$out" | sed -n 's/^claims=\([0-9]*\).*/\1/p')
    [ -n "$claims" ] && cps=$(( claims / SECONDS_PER_RUN ))
    lines+=("$rps $p50 $p99 $cps")
    echo "$out" | grep -E "claims=|Non-2xx" | sed "s|^|$name, $conns conns: |" >> "$OUT/notes.txt" || true
  done
  local median
  median=$(printf '%s\n' "${lines[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  read -r rps p50 p99 cps <<< "$median"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$conns" "$rps" "$p50" "$p99" "$cps" | tee -a "$RESULTS"
}

# every claims run starts from the same board: all 50,000 tasks ready again (written by another process, as allowed)
reset_board() {
  sqlite3 "$DATA/data/state.db" ".timeout 10000" "UPDATE tasks SET status = 'ready', claim_lock = NULL, claimed_by = NULL,
    claim_expires = NULL, current_run_id = NULL, completed_at = NULL WHERE board = 'bench' AND status <> 'ready'" > /dev/null
}

# C2 keeps compiling for ~50 s of load after a start on 2 cores (a claim run climbs from ~130 to
# ~1,350 req/s meanwhile), so each workload runs WARMUP before its first measured run: the table
# reports steady state
WARMUP=${WARMUP:-45s}
warm() { env ${WRK_ENV:-} wrk -t2 -c16 -d"$WARMUP" -H "Authorization: Bearer $BENCH_TOKEN" "$@" > /dev/null; }

for cache in on off; do
  if [ "$cache" = on ]; then start_server "$DATA" -- ; else start_server "$DATA" -- --statehouse.sessions.sidebar-cache-ttl=0; fi
  warm "$BASE/api/sessions?limit=50"; warm -s "$BENCH_DIR/lua/messages_read.lua" "$BASE"
  for c in 1 16; do
    scenario "sidebar /api/sessions?limit=50 (cache $cache)" $c "$BASE/api/sessions?limit=50"
  done
  if [ "$cache" = on ]; then
    warm "$BASE/actuator/health/liveness"; warm -s "$BENCH_DIR/lua/messages_append.lua" "$BASE"
    reset_board; warm -s "$BENCH_DIR/lua/claims.lua" "$BASE"
    reset_board; WRK_ENV="BATCH=10" warm -s "$BENCH_DIR/lua/claims.lua" "$BASE"
    for c in 1 16; do
      BENCH_TOKEN=$PROBE_TOKEN scenario "liveness probe, status only (HTTP ceiling; /actuator/info until issue 17)" $c "$BASE$CEILING_URL"
      scenario "message page (50)" $c -s "$BENCH_DIR/lua/messages_read.lua" "$BASE"
      scenario "message append" $c -s "$BENCH_DIR/lua/messages_append.lua" "$BASE"
      BEFORE_RUN=reset_board scenario "claim + complete" $c -s "$BENCH_DIR/lua/claims.lua" "$BASE"
      BEFORE_RUN=reset_board WRK_ENV="COMPLETE=0" scenario "claims only" $c -s "$BENCH_DIR/lua/claims.lua" "$BASE"
      BEFORE_RUN=reset_board WRK_ENV="BATCH=10" scenario "batch claims (max 10) + completes" $c -s "$BENCH_DIR/lua/claims.lua" "$BASE"
      BEFORE_RUN=reset_board WRK_ENV="BATCH=10 COMPLETE=0" scenario "batch claims only (max 10)" $c -s "$BENCH_DIR/lua/claims.lua" "$BASE"
    done
    # a task claimed twice would fail its first claimer's complete (409): "other" counts those
    echo "claim runs (claims, completes, empty = nothing left to claim, other = failed completes or errors):" | tee -a "$RESULTS"
    grep "claims=" "$OUT/notes.txt" | sed 's/^/    /' | tee -a "$RESULTS"
    echo "write turn: $(curl -s -H "Authorization: Bearer $BENCH_TOKEN" "$BASE/actuator/prometheus" \
      | awk '/^statehouse_write_hold_seconds_(count|sum) / {v[$1]=$2} END {printf "%d write transactions, mean hold %.0f us", v["statehouse_write_hold_seconds_count"], 1e6*v["statehouse_write_hold_seconds_sum"]/v["statehouse_write_hold_seconds_count"]}')" | tee -a "$RESULTS"
    echo "group commit: $(curl -s -H "Authorization: Bearer $BENCH_TOKEN" "$BASE/actuator/prometheus" \
      | awk '/^statehouse_write_group_size_transactions_(count|sum|max) / {v[$1]=$2} /^statehouse_write_group_reruns_total / {r=$2}
             END {printf "%d groups, mean %.1f writes per group, largest %d, reruns %d", v["statehouse_write_group_size_transactions_count"], v["statehouse_write_group_size_transactions_sum"]/v["statehouse_write_group_size_transactions_count"], v["statehouse_write_group_size_transactions_max"], r}')" | tee -a "$RESULTS"
    echo "descriptors after the runs: $(fd_counts "$(pgrep -f "server.port=$PORT" | head -n 1)")" | tee -a "$RESULTS"
  fi
  stop_server
done

echo "storage ceiling (raw JDBC, one JVM):" | tee -a "$RESULTS"
CP=$(cd "$ROOT" && ./mvnw -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeArtifactIds=sqlite-jdbc)
java -cp "$CP" "$BENCH_DIR/StorageCeiling.java" "$DATA/data/state.db" "${CEILING_SECONDS:-10}" | tee -a "$RESULTS"
reset_board
java -cp "$CP" "$BENCH_DIR/ClaimCeiling.java" "$DATA/data/state.db" | sed 's/^/  /' | tee -a "$RESULTS"

echo "checkpoints on a 50 MB resource:" | tee -a "$RESULTS"
start_server "$DATA" --
python3 "$BENCH_DIR/checkpoint_bench.py" "$BASE" "$DATA/data/resources" "$BENCH_TOKEN" | tee -a "$RESULTS"
stop_server
echo "results in $RESULTS"
