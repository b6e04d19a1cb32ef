#!/usr/bin/env bash
# A board's task list as workers poll it (issue 30): the generated dataset's board "bench" (50,000
# tasks), the first page and cursor pages 1 %, 10 %, 50 % and 90 % down the list at 1 connection
# (p50/p99 ms, wrk --latency, medians of RUNS runs), unfiltered and with ?status=ready. The dataset is
# generated once under bench/out/board-data and copied for every run.
#   bench/board.sh                 # writes bench/out/board-JAR.md;  JAR=old.jar for an earlier build
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-5s}
RUNS=${RUNS:-3}
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
RESULT="$OUT/board-$(basename "$JAR" .jar).md"
build_jar
if [ ! -f "$OUT/board-data/ready" ]; then
  prepare_dataset "$OUT/board-data" && touch "$OUT/board-data/ready"
fi
rm -rf "$OUT/board-run"; cp -r "$OUT/board-data" "$OUT/board-run"
trap stop_server EXIT
start_server "$OUT/board-run" --
AUTH=(-H "Authorization: Bearer $BENCH_TOKEN")
DB="$OUT/board-run/data/state.db"
cursor_at() { # cursor_at N [STATUS]: the API's cursor after the task at row N (v1|hex of the double|id)
  sqlite3 "$DB" "SELECT printf('%.17g', created_at) || ' ' || id FROM tasks WHERE board = 'bench' ${2:+AND status = '$2'}
    ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $1" \
  | encode_cursor
}
LIST="$BASE/api/boards/bench/tasks?limit=100"
code=$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" "$LIST&cursor=$(cursor_at 10)")
[ "$code" = 200 ] || { echo "a crafted cursor answered $code" >&2; exit 1; }
wrk -t1 -c1 -d10s "${AUTH[@]}" "$LIST" > /dev/null
{
  echo "board bench: $(sqlite3 "$DB" "SELECT COUNT(*) FROM tasks WHERE board = 'bench'") tasks ($(sqlite3 "$DB" "SELECT COUNT(*) FROM tasks WHERE board = 'bench' AND status = 'ready'") ready), $(basename "$JAR")"
  echo "| what | p50 ms | p99 ms |"
  echo "| --- | --- | --- |"
  for status in "" ready; do
    n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM tasks WHERE board = 'bench' ${status:+AND status = '$status'}")
    url="$LIST${status:+&status=$status}"
    read -r p50 p99 <<< "$(latency "$url")"; echo "| first page ${status:+(status=$status)} | $p50 | $p99 |"
    for pct in 1 10 50 90; do
      read -r p50 p99 <<< "$(latency "$url&cursor=$(cursor_at $(( n * pct / 100 )) "$status")")"
      echo "| page $pct % down ${status:+(status=$status)} | $p50 | $p99 |"
    done
  done
} | tee "$RESULT"
