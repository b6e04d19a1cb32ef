#!/usr/bin/env bash
# Conditional GET: what a poller pays when nothing changed (304) next to the full page (200), at 16
# connections (and 1), median of RUNS runs, with the HTTP ceiling (the anonymous liveness probe: a trivial
# endpoint that every version has alike; /actuator/info now carries build, git and java details) in the same run.
#   bench/conditional.sh              # writes bench/out/conditional.md
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-45s}
OUT="$BENCH_DIR/out"; mkdir -p "$OUT"
RESULT="$OUT/conditional.md"
DATA="$OUT/data"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
build_jar
prepare_dataset "$DATA"
trap stop_server EXIT
start_server "$DATA" --

rate() { # rate CONNS wrk-args...: median req/s
  local c=$1; shift
  for _ in $(seq 1 "$RUNS"); do
    wrk -t$(( c < 2 ? 1 : 2 )) -c"$c" -d"$DURATION" -H "Authorization: Bearer $BENCH_TOKEN" "$@" | awk '/Requests\/sec/ {print $2}'
  done | median
}
etag() { curl -s -o /dev/null -D - -H "Authorization: Bearer $BENCH_TOKEN" "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}'; }
status_with() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $BENCH_TOKEN" -H "If-None-Match: $2" "$1"; }

echo "| what | conns | 200 req/s | 304 req/s | 304 / 200 | 304 / HTTP ceiling |" > "$RESULT"
echo "| --- | --- | --- | --- | --- | --- |" >> "$RESULT"
for url in "$BASE/api/sessions?limit=50" "$BASE/api/sessions/s_bench_000042/messages?limit=50" \
           "$BASE/api/boards/bench/tasks?limit=100" "$BASE/api/projects"; do
  tag=$(etag "$url")
  [ "$(status_with "$url" "$tag")" = 304 ] || { echo "no 304 for $url (ETag $tag)" >&2; exit 1; }
  wrk -t2 -c16 -d"$WARMUP" -H "Authorization: Bearer $BENCH_TOKEN" "$url" > /dev/null
  wrk -t2 -c16 -d"$WARMUP" -H "Authorization: Bearer $BENCH_TOKEN" -H "If-None-Match: $tag" "$url" > /dev/null
  for c in 16 1; do
    ceiling=$(ceiling "$c")
    full=$(rate "$c" "$url")
    not_modified=$(rate "$c" -H "If-None-Match: $tag" "$url")
    after=$(status_with "$url" "$tag")
    [ "$after" = 304 ] || { echo "GET $url with its ETag answered $after after the runs (ETag now $(etag "$url"))" >&2; exit 1; }
    printf '| GET %s | %s | %s | %s | %.1f× | %.0f%% |\n' "${url#"$BASE"}" "$c" "$full" "$not_modified" \
      "$(echo "$not_modified / $full" | bc -l)" "$(echo "100 * $not_modified / $ceiling" | bc -l)" | tee -a "$RESULT"
  done
done
