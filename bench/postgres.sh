#!/usr/bin/env bash
# The main scenarios on PostgreSQL (Debian's postgresql-15 on this machine) with 1 and 2 Statehouse
# replicas, beside the SQLite rows of bench/run.sh: sidebar, message append, claims single and batch.
# Same dataset (bench/generate.py, copied table by table), 16 connections (split over the replicas),
# RUNS runs each, median reported. The ceiling: pgbench running the claim transaction's SQL on the
# same database (no HTTP, no JVM). Must run as root (PostgreSQL runs as user postgres).
#   bench/postgres.sh            DURATION=10s RUNS=3 WARMUP=20s by default
# Writes bench/out/postgres.md.
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-20s}
PG_PORT=${PG_PORT:-55432}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
DATA="$OUT/data"
PGDATA=$(mktemp -d /tmp/statehouse-pg-XXXX); chown postgres "$PGDATA"
PORT2=$((PORT + 1))
RESULTS="$OUT/postgres.md"
PGURL="jdbc:postgresql://127.0.0.1:$PG_PORT/statehouse"
PSQL=(runuser -u postgres -- "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -d statehouse)
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cleanup() {
  stop_server
  [ -n "${PID2:-}" ] && kill "$PID2" 2>/dev/null; wait "${PID2:-}" 2>/dev/null || true
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast stop > /dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
trap cleanup EXIT

build_jar
[ -f "$DATA/data/state.db" ] || prepare_dataset "$DATA"

# synchronous_commit=off: the durability of the SQLite default (WAL, synchronous=NORMAL): a power cut
# may lose the last commits, never corrupts
runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA" --locale=C.UTF-8 --no-sync -U postgres > /dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w -o "-p $PG_PORT -c listen_addresses=127.0.0.1 \
  -c max_connections=100 -c synchronous_commit=off -c shared_buffers=512MB -c unix_socket_directories=$PGDATA" start > /dev/null
runuser -u postgres -- "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -c "CREATE DATABASE statehouse TEMPLATE template0 LOCALE 'C.UTF-8'"
PG_ARGS=(--spring.datasource.url="$PGURL" --spring.datasource.username=postgres --spring.datasource.password=postgres)

# the schema by the service, then the SQLite dataset table by table (the columns are the same on both engines)
start_server "$OUT/pg1" -- "${PG_ARGS[@]}"; stop_server
"${PSQL[@]}" -c "TRUNCATE data_versions"
for table in projects sessions messages boards tasks data_versions; do
  cols=$(sqlite3 "$DATA/data/state.db" "SELECT group_concat(name, ',') FROM pragma_table_info('$table')")
  sqlite3 -csv "$DATA/data/state.db" "SELECT $cols FROM $table" > "$PGDATA/$table.csv"; chown postgres "$PGDATA/$table.csv"
  "${PSQL[@]}" -c "\\copy $table($cols) FROM '$PGDATA/$table.csv' CSV"
done
"${PSQL[@]}" -c "SELECT setval(pg_get_serial_sequence('messages', 'id'), (SELECT max(id) FROM messages))" > /dev/null
# 150,000 more ready tasks: a batch-claim run (10 per request) must not drain the board within a run
"${PSQL[@]}" -c "INSERT INTO tasks(id, board, title, status, priority, created_at, updated_at)
  SELECT 't_extra_' || g, 'bench', 'extra ' || g, 'ready', g % 5, 2000000000 + g, 0 FROM generate_series(1, 150000) g"
"${PSQL[@]}" -c "VACUUM ANALYZE" > /dev/null
echo "dataset: $("${PSQL[@]}" -At -c "SELECT (SELECT count(*) FROM sessions) || ' sessions, ' || (SELECT count(*) FROM messages) || ' messages, ' || (SELECT count(*) FROM tasks) || ' tasks'")"

reset_board() {
  "${PSQL[@]}" -c "UPDATE tasks SET status = 'ready', claim_lock = NULL, claimed_by = NULL, claim_expires = NULL,
    current_run_id = NULL, completed_at = NULL WHERE board = 'bench' AND status <> 'ready'" > /dev/null
}

# one wrk per replica (16 connections split over them), summed; median of RUNS by total req/s
# scenario NAME wrk-args (a path or -s script; the base URL is appended per replica)
scenario() {
  local name=$1; shift
  local lines=() per=$(( 16 / ${#BASES[@]} ))
  for _ in $(seq 1 "$RUNS"); do
    [ -n "${BEFORE_RUN:-}" ] && $BEFORE_RUN
    local pids=() files=() i=0
    for base in "${BASES[@]}"; do
      files+=("$OUT/wrk-$i.txt")
      if [ "$1" = "-s" ]; then
        env ${WRK_ENV:-} wrk -t2 -c"$per" -d"$DURATION" --latency -H "Authorization: Bearer $BENCH_TOKEN" -s "$2" "$base" > "$OUT/wrk-$i.txt" &
      else
        wrk -t2 -c"$per" -d"$DURATION" --latency -H "Authorization: Bearer $BENCH_TOKEN" "$base$1" > "$OUT/wrk-$i.txt" &
      fi
      pids+=($!); i=$((i + 1))
    done
    wait "${pids[@]}"
    local rps=0 claims=0 p99=""
    for f in "${files[@]}"; do
      rps=$(awk -v a="$rps" '/Requests\/sec/ {printf "%.0f", a + $2}' "$f")
      c=$(sed -n 's/^claims=\([0-9]*\).*/\1/p' "$f"); claims=$((claims + ${c:-0}))
      p99="$p99 $(awk '$1 == "99%" {print $2}' "$f")"
      grep -E "claims=|Non-2xx" "$f" | sed "s|^|$name ($REPLICAS): |" >> "$OUT/postgres-notes.txt" || true
    done
    lines+=("$rps $(( claims / ${DURATION%s} )) $p99")
  done
  local median
  median=$(printf '%s\n' "${lines[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  read -r rps cps p99s <<< "$median"
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$REPLICAS" "$rps" "$cps" "$p99s" | tee -a "$RESULTS"
}

echo "| scenario (PostgreSQL 15, 16 connections) | replicas | req/s (median of $RUNS) | claims/s | p99 per replica |" > "$RESULTS"
echo "| --- | --- | --- | --- | --- |" >> "$RESULTS"
: > "$OUT/postgres-notes.txt"
for REPLICAS in ${REPLICA_COUNTS:-1 2}; do
  start_server "$OUT/pg1" -- "${PG_ARGS[@]}" --statehouse.postgresql.application-name=bench-1
  BASES=("$BASE")
  if [ "$REPLICAS" = 2 ]; then
    (cd "$OUT/pg1" && exec java ${JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT2" "${AUTH_ARGS[@]}" "${PG_ARGS[@]}" \
      --statehouse.postgresql.application-name=bench-2 > "$OUT/pg1/server2.log" 2>&1) &
    PID2=$!
    until curl -sf "http://127.0.0.1:$PORT2/actuator/health/liveness" > /dev/null; do sleep 0.5; done
    BASES+=("http://127.0.0.1:$PORT2")
  fi
  warmers=()
  for base in "${BASES[@]}"; do # JIT warm-up, not measured
    wrk -t2 -c8 -d"$WARMUP" -H "Authorization: Bearer $BENCH_TOKEN" "$base/api/sessions?limit=50" > /dev/null &
    warmers+=($!)
  done
  wait "${warmers[@]}"
  for base in "${BASES[@]}"; do reset_board; env COMPLETE=0 wrk -t2 -c8 -d"$WARMUP" -H "Authorization: Bearer $BENCH_TOKEN" -s "$BENCH_DIR/lua/claims.lua" "$base" > /dev/null; done
  BENCH_TOKEN_SAVED=$BENCH_TOKEN
  BENCH_TOKEN=$PROBE_TOKEN scenario "liveness probe, status only (HTTP ceiling)" "$CEILING_URL"
  BENCH_TOKEN=$BENCH_TOKEN_SAVED
  scenario "sidebar /api/sessions?limit=50" "/api/sessions?limit=50"
  scenario "message append" -s "$BENCH_DIR/lua/messages_append.lua"
  BEFORE_RUN=reset_board WRK_ENV="COMPLETE=0" scenario "claims only" -s "$BENCH_DIR/lua/claims.lua"
  BEFORE_RUN=reset_board scenario "claim + complete" -s "$BENCH_DIR/lua/claims.lua"
  BEFORE_RUN=reset_board WRK_ENV="BATCH=10 COMPLETE=0" scenario "batch claims only (max 10)" -s "$BENCH_DIR/lua/claims.lua"
  doubles=$("${PSQL[@]}" -At -c "SELECT count(*) FROM (SELECT task_id FROM task_runs GROUP BY task_id, started_at HAVING count(*) > 1) x")
  echo "double claims (two runs of one task started together): $doubles" | tee -a "$RESULTS"
  stop_server
  if [ -n "${PID2:-}" ]; then kill "$PID2"; wait "$PID2" 2>/dev/null || true; PID2=; fi
done

# ceilings: the single-claim statement through pgbench, 16 clients, no HTTP and no JVM; the claim, its
# run and its event in one statement, as the service runs it (one round trip, no explicit transaction).
# prepared: planned once per connection, as the service's driver and server do since the claim's
# LIMIT is a literal; simple: parsed and planned on every call (what every claim cost before).
cat > "$PGDATA/claim.sql" <<'SQL'
WITH c AS (UPDATE tasks SET status = 'running', claim_lock = md5(random()::text), claimed_by = 'pgbench', claim_expires = 1e10, last_heartbeat_at = 1, started_at = COALESCE(started_at, 1), current_run_id = md5(random()::text), updated_at = 1 WHERE id = (SELECT id FROM tasks WHERE board = 'bench' AND status = 'ready' ORDER BY priority DESC, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'ready' RETURNING id, current_run_id), r AS (INSERT INTO task_runs(id, task_id, worker, status, started_at) SELECT current_run_id, id, 'pgbench', 'running', 1 FROM c) INSERT INTO task_events(board, task_id, run_id, kind, payload, created_at) SELECT 'bench', id, current_run_id, 'claimed', '{}', 1 FROM c;
SQL
chown postgres "$PGDATA/claim.sql"
for mode in prepared simple; do
  for _ in $(seq 1 "$RUNS"); do
    reset_board
    runuser -u postgres -- "$PG_BIN/pgbench" -n -M "$mode" -h 127.0.0.1 -p "$PG_PORT" -c 16 -j 2 -T "${DURATION%s}" -f "$PGDATA/claim.sql" statehouse \
      2> "$OUT/pgbench.err" | awk '/^tps/ {printf "%.0f\n", $3}'
  done | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p" \
    | xargs -I{} echo "| storage ceiling: the claim, run and event in one statement by pgbench ($mode), 16 clients | - | - | {} | - |" | tee -a "$RESULTS"
done
echo "results in $RESULTS"
