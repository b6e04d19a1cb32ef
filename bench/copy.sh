#!/usr/bin/env bash
# The copy command's speed: the benchmark dataset (bench/generate.py: 10,000 sessions, 200,000
# messages, 50,000 tasks) copied by `java -jar statehouse.jar copy --to` into a fresh database of
# Debian's PostgreSQL 15 (a throw-away cluster) RUNS times; the median of the rows/s it reports
# (the whole command: schema, COPY, sequences, verification by reading everything back).
# Must run as root (PostgreSQL runs as user postgres).   RUNS=3 bench/copy.sh   (A/B: JARS="old.jar new.jar")
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-3}
PG_PORT=${PG_PORT:-55433}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
OUT="$BENCH_DIR/out/copy"; rm -rf "$OUT"; mkdir -p "$OUT"
build_jar
PGDATA=$(mktemp -d /tmp/statehouse-pg-XXXX); chown postgres "$PGDATA"
trap 'runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast stop > /dev/null 2>&1 || true; rm -rf "$PGDATA"' EXIT
runuser -u postgres -- "$PG_BIN/initdb" -D "$PGDATA" --locale=C.UTF-8 --no-sync -U postgres > /dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w -o "-p $PG_PORT -c listen_addresses=127.0.0.1 \
  -c shared_buffers=256MB -c unix_socket_directories=$PGDATA" start > /dev/null
prepare_dataset "$OUT/source"
# JARS="OLD NEW" compares builds: each round copies once with each, in turn, so drift hits both alike
JARS=${JARS:-$JAR}
n=0
for i in $(seq 1 "$RUNS"); do
  for jar in $JARS; do
    n=$((n + 1))
    runuser -u postgres -- "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -c "CREATE DATABASE copy_$n TEMPLATE template0 LOCALE 'C.UTF-8'"
    (cd "$OUT/source" && java ${JAVA_OPTS:-} -jar "$jar" copy --to "jdbc:postgresql://127.0.0.1:$PG_PORT/copy_$n?user=postgres" 2> /dev/null) \
      | tee "$OUT/run-$(basename "$jar")-$i.txt" | sed -n 1p
    runuser -u postgres -- "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -c "DROP DATABASE copy_$n"
  done
done
for jar in $JARS; do
  median=$(for i in $(seq 1 "$RUNS"); do sed -n 's/.*(\([0-9]*\) rows\/s).*/\1/p' "$OUT/run-$(basename "$jar")-$i.txt"; done | median)
  echo "copy $(basename "$jar"): median $median rows/s over $RUNS runs (whole command: schema, COPY, sequences, read-back verification)" | tee -a "$OUT/result.txt"
done
