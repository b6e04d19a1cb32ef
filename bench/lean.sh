#!/usr/bin/env bash
# Polled reads against the machine's limit (issue 30): nginx (Debian's nginx-light) serves the very
# bytes Statehouse answers — the first sidebar page, its 304, and a body the size of the liveness
# probe's — and each round measures Statehouse and nginx one after the other with the same wrk, so
# drift hits both alike. Ratios of medians (RUNS rounds) at 1 and 16 connections. Then the uncached
# sidebar (a second server, cache off) at 1 connection against the raw-JDBC storage ceiling
# (bench/StorageCeiling.java: the service's sidebar statement over sqlite-jdbc in one JVM, and the first sidebar query).
#   RUNS=3 bench/lean.sh          # writes bench/out/lean.md;  JAR=old.jar for an earlier build
source "$(dirname "$0")/common.sh"
RUNS=${RUNS:-3}
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-20s}
NGINX_PORT=${NGINX_PORT:-18098}
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
RESULT="$OUT/lean.md"
DATA="$OUT/lean-data"
NGX="$OUT/lean-nginx"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
command -v nginx > /dev/null || { echo "nginx is needed: apt-get install nginx-light" >&2; exit 1; }
build_jar
prepare_dataset "$DATA"
stop_all() { stop_server; [ -f "$NGX/nginx.pid" ] && kill "$(cat "$NGX/nginx.pid")" 2> /dev/null || true; }
trap stop_all EXIT
start_server "$DATA" --

SIDEBAR="$BASE/api/sessions?limit=50"
LIVENESS="$BASE/actuator/health/liveness"
rm -rf "$NGX"; mkdir -p "$NGX/root"
curl -sf -H "Authorization: Bearer $BENCH_TOKEN" "$SIDEBAR" -o "$NGX/root/sidebar.json"
curl -sf "$LIVENESS" -o "$NGX/root/liveness.json"
cat > "$NGX/nginx.conf" <<CONF
worker_processes 2;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000000;
  server { listen 127.0.0.1:$NGINX_PORT; root $NGX/root; etag on; }
}
CONF
nginx -c "$NGX/nginx.conf"
NGINX="http://127.0.0.1:$NGINX_PORT"
etag() { curl -s -o /dev/null -D - "$@" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}'; }
TAG=$(etag -H "Authorization: Bearer $BENCH_TOKEN" "$SIDEBAR")
NGINX_TAG=$(etag "$NGINX/sidebar.json")
cmp -s <(curl -s -H "Authorization: Bearer $BENCH_TOKEN" "$SIDEBAR") "$NGX/root/sidebar.json" || { echo "the sidebar changed under the benchmark" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" -H "If-None-Match: $TAG" "$SIDEBAR")" = 304 ] || { echo "no 304" >&2; exit 1; }

one() { # one CONNS wrk-args...: req/s of one run
  local c=$1; shift
  wrk -t$(( c < 2 ? 1 : 2 )) -c"$c" -d"$DURATION" "$@" | awk '/Requests\/sec/ {print $2}'
}
declare -A SAMPLES
measure() { # measure NAME CONNS wrk-args...: appends one run to NAME@CONNS
  local name=$1 c=$2; shift 2
  SAMPLES[$name@$c]+="$(one "$c" "$@") "
}
med() { echo "${SAMPLES[$1]}" | tr ' ' '\n' | grep . | median; }
AUTH=(-H "Authorization: Bearer $BENCH_TOKEN")
for url in "$SIDEBAR" "$LIVENESS"; do wrk -t2 -c16 -d"$WARMUP" "${AUTH[@]}" "$url" > /dev/null; done
wrk -t2 -c16 -d"$WARMUP" "${AUTH[@]}" -H "If-None-Match: $TAG" "$SIDEBAR" > /dev/null
for _ in $(seq 1 "$RUNS"); do
  for c in 1 16; do
    measure sh304 "$c" "${AUTH[@]}" -H "If-None-Match: $TAG" "$SIDEBAR"
    measure ngx304 "$c" -H "If-None-Match: $NGINX_TAG" "$NGINX/sidebar.json"
    measure sh200 "$c" "${AUTH[@]}" "$SIDEBAR"
    measure ngx200 "$c" "$NGINX/sidebar.json"
    measure shlive "$c" "$LIVENESS"
    measure ngxlive "$c" "$NGINX/liveness.json"
  done
done
stop_server
{
  echo "| what | conns | Statehouse req/s | nginx req/s | ratio |"
  echo "| --- | --- | --- | --- | --- |"
  for c in 1 16; do
    for pair in "sidebar 304:sh304:ngx304" "sidebar 200 (cached):sh200:ngx200" "liveness (anonymous):shlive:ngxlive"; do
      IFS=: read -r what a b <<< "$pair"
      printf '| %s | %s | %s | %s | %.0f%% |\n' "$what" "$c" "$(med "$a@$c")" "$(med "$b@$c")" "$(echo "100 * $(med "$a@$c") / $(med "$b@$c")" | bc -l)"
    done
  done
} | tee "$RESULT"
echo "runs: $(for k in "${!SAMPLES[@]}"; do echo "$k=[${SAMPLES[$k]% }]"; done | sort | tr '\n' ' ')" | tee -a "$RESULT"

# uncached sidebar at 1 connection against the raw-JDBC ceiling of the same query
start_server "$DATA" -- --statehouse.sessions.sidebar-cache-ttl=0
wrk -t1 -c1 -d"$WARMUP" "${AUTH[@]}" "$SIDEBAR" > /dev/null
uncached_runs=$(for _ in $(seq 1 "$RUNS"); do one 1 "${AUTH[@]}" "$SIDEBAR"; done | tr '\n' ' ')
uncached=$(echo "$uncached_runs" | tr ' ' '\n' | grep . | median)
stop_server
CP=$(cd "$ROOT" && ./mvnw -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeArtifactIds=sqlite-jdbc)
# two ceilings: the service's own statement (prepared once, as the service's statement cache keeps it) and, so that earlier
# figures compare, the sidebar query as first written (prepared per run)
ceilings=$(for _ in $(seq 1 "$RUNS"); do java -cp "$CP" "$BENCH_DIR/StorageCeiling.java" "$DATA/data/state.db" "${CEILING_SECONDS:-5}" \
  | awk '/sidebar statement/ && /threads=1 / {s=$7} /sidebar query/ && /threads=1 / {q=$7} END {print s, q}'; done)
ceiling=$(echo "$ceilings" | awk '{print $1}' | median)
older=$(echo "$ceilings" | awk '{print $2}' | median)
printf '| sidebar uncached (cache off) | 1 | %s | raw JDBC, its statement: %s | %.0f%% |\n' "$uncached" "$ceiling" "$(echo "100 * $uncached / $ceiling" | bc -l)" | tee -a "$RESULT"
printf '| sidebar uncached (cache off) | 1 | %s | raw JDBC, the first sidebar query: %s | %.0f%% |\n' "$uncached" "$older" "$(echo "100 * $uncached / $older" | bc -l)" | tee -a "$RESULT"
echo "uncached runs: [$uncached_runs]; ceilings (statement, first query): [$(echo "$ceilings" | tr '\n' ';')]" | tee -a "$RESULT"
