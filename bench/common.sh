# Shared by the benchmark scripts: build the jar, start it on a data directory, stop it, count its descriptors.
# shellcheck shell=bash
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
PORT=${PORT:-18099}
# the benchmark server knows this token (all scopes); scripts send it as a bearer token
BENCH_TOKEN=${BENCH_TOKEN:-bench-token-0123456789abcdef}
export BENCH_TOKEN
# and this read-only one: the HTTP ceiling is the liveness probe as a caller without scope metrics sees it
# ({"status":"UP"}, no details), the same trivial endpoint in every version
PROBE_TOKEN=${PROBE_TOKEN:-bench-probe-token-0123456789}
AUTH_ARGS=(--statehouse.auth.tokens.bench.token="$BENCH_TOKEN" --statehouse.auth.tokens.bench.scopes=read,write,metrics
           --statehouse.auth.tokens.probe.token="$PROBE_TOKEN" --statehouse.auth.tokens.probe.scopes=read)
CEILING_URL=/actuator/health/liveness
BASE="http://127.0.0.1:$PORT"
# JAR=path runs that jar (an earlier build, for A/B); by default the one in target/
JAR=${JAR:-$(ls "$ROOT"/target/statehouse-*.jar 2>/dev/null | grep -v original | head -n 1 || true)}

build_jar() {
  if [ -z "$JAR" ] || [ -n "${REBUILD:-}" ]; then
    (cd "$ROOT" && ./mvnw -q -DskipTests package)
    JAR=$(ls "$ROOT"/target/statehouse-*.jar | grep -v original | head -n 1)
  fi
}

# start_server DATA_DIR [PREFIX_CMD...] -- [SERVER ARGS...]; sets SERVER_PID
start_server() {
  local dir=$1; shift
  local prefix=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do prefix+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  mkdir -p "$dir"
  # a server left over from an earlier run would answer instead and falsify every number
  if curl -s -o /dev/null "$BASE/actuator/health/liveness"; then
    echo "something already answers on $BASE; stop it first" >&2; return 1
  fi
  (cd "$dir" && exec "${prefix[@]}" java ${JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" "${AUTH_ARGS[@]}" "$@" > "$dir/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    if curl -sf "$BASE/actuator/health/liveness" > /dev/null 2>&1; then
      # the java process (prlimit execs it, so the pid is the same)
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server exited; see $dir/server.log" >&2; tail -20 "$dir/server.log" >&2; return 1
    fi
    sleep 0.5
  done
  echo "server did not start" >&2; return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

# fd_counts PID -> "fd=X db=Y wal=Z shm=W" (readlink only)
fd_counts() {
  local pid=$1 fd=0 db=0 wal=0 shm=0 target
  for f in /proc/"$pid"/fd/*; do
    target=$(readlink "$f" 2>/dev/null) || continue
    fd=$((fd + 1))
    case "$target" in
      */state.db) db=$((db + 1)) ;;
      */state.db-wal) wal=$((wal + 1)) ;;
      */state.db-shm) shm=$((shm + 1)) ;;
    esac
  done
  echo "fd=$fd db=$db wal=$wal shm=$shm"
}

# prepare_dataset DATA_DIR: schema by the service itself, then the generator
prepare_dataset() {
  local dir=$1
  rm -rf "$dir"; mkdir -p "$dir"
  start_server "$dir" -- ; stop_server
  python3 "$BENCH_DIR/generate.py" "$dir/data/state.db" ${GENERATE_ARGS:-}
}

# the median of numbers on standard input, one per line (RUNS of them)
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
# ceiling CONNS: median req/s of the trivial endpoint (liveness, status only)
ceiling() {
  for _ in $(seq 1 "$RUNS"); do
    wrk -t$(( $1 < 2 ? 1 : 2 )) -c"$1" -d"$DURATION" -H "Authorization: Bearer $PROBE_TOKEN" "$BASE$CEILING_URL" | awk '/Requests\/sec/ {print $2}'
  done | median
}

# encode_cursor: the API's cursor for "KEY ID" on standard input (base64url of v1|hex of the double|id)
encode_cursor() {
  python3 -c 'import sys,struct,base64; k,i=sys.stdin.read().split(); print(base64.urlsafe_b64encode(("v1|%s|%s" % (struct.pack(">d", float(k)).hex(), i)).encode()).decode().rstrip("="))'
}
# latency URL: "p50 p99" in ms at 1 connection, the median over RUNS runs of each (AUTH: curl-style header args)
latency() {
  for _ in $(seq 1 "$RUNS"); do
    wrk -t1 -c1 -d"$DURATION" --latency "${AUTH[@]}" "$1" | awk '/^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print p50, p99}'
  done | python3 -c '
import sys, statistics
def ms(v): return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
rows = [l.split() for l in sys.stdin if l.strip()]
print("%.2f %.2f" % (statistics.median(ms(r[0]) for r in rows), statistics.median(ms(r[1]) for r in rows)))'
}
