#!/usr/bin/env bash
# Cost as the data grows (issue 30): a hermes-format file of SESSIONS sessions and MESSAGES messages
# (bench/hermes_fixture.py) imported by `statehouse import hermes`, then, with the sidebar cache off
# (every request runs the query): the first sidebar page and cursor pages 1 %, 10 %, 50 % and 90 %
# down the list at 1 connection (p50/p99, wrk --latency), and message appends to random sessions at
# 16 connections (req/s, p99). The dataset is kept under bench/out/large-SESSIONS and reused.
#   SESSIONS=1000000 MESSAGES=6000000 bench/large.sh     # the issue's size (import ~4 min, generation ~3)
#   SESSIONS=10000 MESSAGES=60000 bench/large.sh         # the same shape, small: the comparison
source "$(dirname "$0")/common.sh"
SESSIONS=${SESSIONS:-1000000}
MESSAGES=${MESSAGES:-6000000}
DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
OUT="$BENCH_DIR/out/large-$SESSIONS"; mkdir -p "$OUT"
RESULT="$OUT/result-$(basename "$JAR" .jar).md"
build_jar
if [ ! -f "$OUT/hermes.db" ]; then
  python3 "$BENCH_DIR/hermes_fixture.py" "$OUT/hermes.tmp" "$SESSIONS" "$MESSAGES" && mv "$OUT/hermes.tmp" "$OUT/hermes.db"
fi
if [ ! -f "$OUT/imported" ]; then
  rm -rf "$OUT/data"; mkdir -p "$OUT/data/data"
  (cd "$OUT/data" && java -jar "$JAR" import hermes "$OUT/hermes.db") | tr '\r' '\n' | grep -E "imported" | tee "$OUT/import.txt"
  touch "$OUT/imported"
fi
# the data as imported, for every run: appends change it
rm -rf "$OUT/run"; cp -r "$OUT/data" "$OUT/run"
trap stop_server EXIT
start_server "$OUT/run" -- --statehouse.sessions.sidebar-cache-ttl=0
AUTH=(-H "Authorization: Bearer $BENCH_TOKEN")
DB="$OUT/run/data/state.db"
HEADS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM sessions WHERE lineage_root_id = id")
cursor_at() { # the cursor of the sidebar after the head at row $1 (the API's encoding: v1|hex of the double|id)
  sqlite3 "$DB" "SELECT printf('%.17g', lineage_last_activity) || ' ' || id FROM sessions INDEXED BY idx_sessions_sidebar
    WHERE lineage_root_id = id ORDER BY lineage_last_activity DESC, id DESC LIMIT 1 OFFSET $1" \
  | encode_cursor
}
SIDEBAR="$BASE/api/sessions?limit=50"
code=$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" "$SIDEBAR&cursor=$(cursor_at 10)")
[ "$code" = 200 ] || { echo "a crafted cursor answered $code" >&2; exit 1; }
wrk -t1 -c1 -d20s "${AUTH[@]}" "$SIDEBAR" > /dev/null
{
  echo "$SESSIONS sessions ($HEADS sidebar rows), $(sqlite3 "$DB" 'SELECT COUNT(*) FROM messages') messages, $(basename "$JAR")"
  echo "| what | p50 ms | p99 ms |"
  echo "| --- | --- | --- |"
  read -r p50 p99 <<< "$(latency "$SIDEBAR")"; echo "| first sidebar page | $p50 | $p99 |"
  for pct in 1 10 50 90; do
    read -r p50 p99 <<< "$(latency "$SIDEBAR&cursor=$(cursor_at $(( HEADS * pct / 100 )))")"
    echo "| cursor page $pct % down | $p50 | $p99 |"
  done
} | tee "$RESULT"
export SESSIONS SESSION_FORMAT="h%06d" BENCH_TOKEN
wrk -t2 -c16 -d10s -s "$BENCH_DIR/lua/messages_append.lua" "$BASE" > /dev/null
for _ in $(seq 1 "$RUNS"); do
  wrk -t2 -c16 -d"$DURATION" --latency -s "$BENCH_DIR/lua/messages_append.lua" "$BASE" \
    | awk '/^ +99%/ {p99=$2} /Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$NF} END {print rps, p99, bad+0}'
done > "$OUT/append.txt"
echo "appends at 16 connections (req/s, p99, non-2xx) per run: $(tr '\n' ';' < "$OUT/append.txt")" | tee -a "$RESULT"
