#!/usr/bin/env bash
# Checks deploy/grafana/statehouse.json against Grafana's own dashboard schema: the JSON becomes an
# object literal typed as @grafana/schema's Dashboard (generated from Grafana's CUE schema) and is
# compiled with TypeScript, so an unknown field or a value of the wrong type fails.
#   deploy/grafana/check-dashboard.sh [DASHBOARD.json]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DASHBOARD=${1:-$ROOT/deploy/grafana/statehouse.json}
WORK=$ROOT/target/grafana-check
mkdir -p "$WORK"
if [ ! -d "$WORK/node_modules/@grafana/schema" ] || [ ! -x "$WORK/node_modules/.bin/tsc" ]; then
  npm install --silent --no-audit --no-fund --prefix "$WORK" @grafana/schema@13.2.3 typescript@5.9.3 > /dev/null
fi
{
  echo "import type { Dashboard } from '@grafana/schema';"
  # the schema's enums (ThresholdsMode, …) as the strings JSON carries; every field and type is kept
  echo 'type Json<T> = T extends string ? `${T}` : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;'
  printf 'export const dashboard: Json<Dashboard> = '
  cat "$DASHBOARD"
  echo ';'
} > "$WORK/check.ts"
cd "$WORK"
./node_modules/.bin/tsc --noEmit --strict --skipLibCheck --module esnext --moduleResolution bundler --target es2022 check.ts
echo "dashboard matches Grafana's schema: $DASHBOARD"
