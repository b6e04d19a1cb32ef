#!/usr/bin/env bash
# Issue 28's long haul: constant create -> claim -> heartbeat -> complete load (bench/lua/longhaul.lua,
# CONNS connections, one per wrk thread: the Lua state is per thread) for MINUTES minutes, with retention's windows shortened (events and runs 3 min,
# done tasks 5 min, a round every 15 s), on one engine. Every minute it records the database's size
# (SQLite: state.db + -wal; PostgreSQL: pg_database_size), rows per table, the server's RSS and
# descriptors, and completions so far: bench/out/longhaul-ENGINE-RETENTION.csv. Must run as root for
# PostgreSQL (Debian's postgresql-15, a throw-away cluster).
#   ENGINE=sqlite|postgresql RETENTION=on|off MINUTES=30 CONNS=4 RATE=150 bench/longhaul.sh
# RATE is cycles per second (four requests each), constant whatever the service does (an open load: the
# rows kept depend on the rate, not on how fast the machine is at the moment); RATE=0: as fast as it
# answers (a closed load, for comparing throughput with retention on and off).
# The heap is capped (-Xmx512m, as a deployment would) so that RSS shows use, not the JVM's appetite.
source "$(dirname "$0")/common.sh"
ENGINE=${ENGINE:-sqlite}
RETENTION=${RETENTION:-on}
MINUTES=${MINUTES:-30}
CONNS=${CONNS:-4}
RATE=${RATE:-150}
PG_PORT=${PG_PORT:-55432}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
DIR="$OUT/longhaul-$ENGINE"
TAG=$ENGINE-$RETENTION$([ "$RATE" = 0 ] && echo -closed || true)
CSV="$OUT/longhaul-$TAG.csv"
PGDATA=
build_jar

cleanup() {
  stop_server
  if [ -n "$PGDATA" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast stop > /dev/null 2>&1 || true
    rm -rf "$PGDATA"
  fi
}
trap cleanup EXIT

ARGS=(--statehouse.retention.enabled=$([ "$RETENTION" = on ] && echo true || echo false)
      --statehouse.retention.events=3m --statehouse.retention.runs=3m --statehouse.retention.done-tasks=5m
      --statehouse.retention.interval=15s)
rm -rf "$DIR"; mkdir -p "$DIR"
if [ "$ENGINE" = postgresql ]; then
  PGDATA=$(mktemp -d /tmp/statehouse-pg-XXXX); chown postgres "$PGDATA"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA" --locale=C.UTF-8 --no-sync -U postgres > /dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w -o "-p $PG_PORT -c listen_addresses=127.0.0.1 \
    -c synchronous_commit=off -c shared_buffers=256MB -c unix_socket_directories=$PGDATA" start > /dev/null
  runuser -u postgres -- "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -c "CREATE DATABASE statehouse TEMPLATE template0"
  ARGS+=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/statehouse" --spring.datasource.username=postgres
         --spring.datasource.password=postgres)
  query() { runuser -u postgres -- "$PG_BIN/psql" -X -qAt -F, -h 127.0.0.1 -p "$PG_PORT" -d statehouse -c "$1"; }
  size() { query "SELECT pg_database_size('statehouse')"; }
else
  DB="$DIR/data/state.db"
  query() { sqlite3 -csv "file:$DB?mode=ro" ".timeout 5000" "$1"; }
  size() { echo $(( $(stat -c %s "$DB") + $(stat -c %s "$DB-wal" 2>/dev/null || echo 0) )); }
fi
start_server "$DIR" -- "${ARGS[@]}"
PID=$(pgrep -f "server.port=$PORT" | head -n 1)
curl -sf -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" -H 'Content-Type: application/json' \
  -d '{"slug":"haul","name":"Long haul"}' "$BASE/api/boards"

completes() {
  curl -sf -H "Authorization: Bearer $BENCH_TOKEN" "$BASE/actuator/prometheus" \
    | awk '/^http_server_requests_seconds_count\{/ && /uri="\/api\/tasks\/\{id\}\/complete"/ && /status="200"/ {s += $2} END {printf "%d", s}'
}
sample() { # minute
  local rows rss fds
  rows=$(query "SELECT (SELECT COUNT(*) FROM tasks), (SELECT COUNT(*) FROM task_runs), (SELECT COUNT(*) FROM task_events),
                       (SELECT COUNT(*) FROM task_comments)")
  rss=$(awk '/VmRSS/ {print $2 * 1024}' /proc/"$PID"/status)
  fds=$(ls /proc/"$PID"/fd | wc -l)
  echo "$1,$(size),$rows,$rss,$fds,$(completes)" | tee -a "$CSV"
}
echo "minute,db_bytes,tasks,runs,events,comments,rss_bytes,fds,completes" > "$CSV"
env BOARD=haul RATE="$RATE" CONNS="$CONNS" wrk -t"$CONNS" -c"$CONNS" -d"${MINUTES}m" --timeout 10s -s "$BENCH_DIR/lua/longhaul.lua" --latency "$BASE" > "$OUT/longhaul-$TAG.wrk" 2>&1 &
WRK=$!
START=$(date +%s)
sample 0
for m in $(seq 1 "$MINUTES"); do
  sleep $(( START + 60 * m - $(date +%s) ))
  sample "$m"
done
wait $WRK || true
cat "$OUT/longhaul-$TAG.wrk"
echo "liveness $(curl -s -o /dev/null -w '%{http_code}' "$BASE/actuator/health/liveness")"
