#!/usr/bin/env bash
# Soak: the jar under `prlimit --nofile=256` with a 1 s dispatcher, mixed load in batches; after each batch
# prints `batch=N fd=X db=Y wal=Z`. Fails if a count ends above its level after the first batch (warm-up),
# or if liveness is not 200 at the end. Then an idle-poll soak: a sidebar poll every 2 s, same check.
#   SOAK_MINUTES=30 bench/soak.sh        (default 30; IDLE_MINUTES defaults to 5)
source "$(dirname "$0")/common.sh"
SOAK_MINUTES=${SOAK_MINUTES:-30}
IDLE_MINUTES=${IDLE_MINUTES:-5}
BATCH_SECONDS=${BATCH_SECONDS:-20}
export SESSIONS=2000 # the soak dataset's session count, for the Lua script's random ids
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
DATA="$OUT/soak"
build_jar
GENERATE_ARGS="--sessions 2000 --messages 20000 --tasks 20000" prepare_dataset "$DATA"
trap stop_server EXIT
start_server "$DATA" prlimit --nofile=256:256 -- --statehouse.kanban.dispatcher-interval=1s
PID=$(pgrep -f "server.port=$PORT" | grep -v prlimit | head -n 1)
echo "server pid $PID, limits: $(grep 'Max open files' /proc/"$PID"/limits)"

check() { # check LABEL BASELINE CURRENT: each of fd/db/wal must not exceed the baseline
  local label=$1 base=$2 now=$3 k b n
  for k in fd db wal; do
    b=$(echo "$base" | sed -E "s/.*$k=([0-9]+).*/\1/")
    n=$(echo "$now" | sed -E "s/.*$k=([0-9]+).*/\1/")
    if [ "$n" -gt "$b" ]; then echo "FAIL $label: $k grew from $b to $n" >&2; return 1; fi
  done
}

end=$(( $(date +%s) + SOAK_MINUTES * 60 ))
batch=0; baseline=""; requests=0
while [ "$(date +%s)" -lt "$end" ]; do
  batch=$((batch + 1))
  out=$(wrk -t2 -c16 -d"${BATCH_SECONDS}s" -s "$BENCH_DIR/lua/mixed.lua" "$BASE")
  n=$(echo "$out" | awk '/requests in/ {print $1}'); requests=$((requests + n))
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  sleep 1 # let closing sockets settle
  counts=$(fd_counts "$PID")
  echo "batch=$batch $counts requests=$n non2xx=${errors:-0} total=$requests"
  if [ -z "$baseline" ]; then baseline=$counts; else check "batch $batch" "$baseline" "$counts"; fi
done
status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/actuator/health/liveness")
echo "mixed soak: $batch batches, $requests requests, liveness $status, baseline $baseline"
[ "$status" = 200 ] || { echo "FAIL liveness $status"; exit 1; }

echo "idle-poll soak: one sidebar poll every 2 s for $IDLE_MINUTES min"
baseline=$(fd_counts "$PID"); polls=0
end=$(( $(date +%s) + IDLE_MINUTES * 60 ))
while [ "$(date +%s)" -lt "$end" ]; do
  curl -sf -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "$BASE/api/sessions?limit=50" && polls=$((polls + 1))
  sleep 2
  if [ $((polls % 30)) -eq 0 ]; then counts=$(fd_counts "$PID"); echo "poll=$polls $counts"; check "poll $polls" "$baseline" "$counts"; fi
done
counts=$(fd_counts "$PID"); check "idle end" "$baseline" "$counts"
echo "idle soak: $polls polls, $counts (baseline $baseline), liveness $(curl -s -o /dev/null -w '%{http_code}' "$BASE/actuator/health/liveness")"
echo "PASS"
