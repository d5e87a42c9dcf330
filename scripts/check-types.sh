#!/usr/bin/env bash
# The UI's types: ui/types/generated.d.ts must be what the Rust side generates
# now (else "stale"), and ui/ must type-check against it (tsc --checkJs, the
# TypeScript pinned in package-lock.json).
#   bash scripts/check-types.sh
set -euo pipefail
cd "$(dirname "$0")/.."
gen="cargo test -p houqin-app --features ts ts_types"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! HOUQIN_TS_OUT="$tmp/generated.d.ts" $gen >"$tmp/log" 2>&1; then
  cat "$tmp/log"
  echo "the type generator failed: $gen" >&2
  exit 1
fi
if ! cmp -s "$tmp/generated.d.ts" ui/types/generated.d.ts; then
  diff -u ui/types/generated.d.ts "$tmp/generated.d.ts" | head -60 || true
  echo "stale: ui/types/generated.d.ts is not what the Rust types give now; run: $gen" >&2
  exit 1
fi
echo "ui/types/generated.d.ts is up to date"

[ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund
node_modules/.bin/tsc --noEmit -p ui
echo "tsc: ui/ type-checks"
