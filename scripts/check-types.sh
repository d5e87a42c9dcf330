#!/usr/bin/env bash
# The UI's types: ui/types/generated.d.ts must be what the Rust side generates
# now (else "stale"); what the demo school's commands really answer must be
# of the declared types (samples.ts, written by the generator); and ui/ must
# type-check against them (tsc --checkJs, the TypeScript pinned in
# package-lock.json).
#   bash scripts/check-types.sh
set -euo pipefail
cd "$(dirname "$0")/.."
gen="cargo test -p houqin-app --features ts ts_types"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! HOUQIN_TS_OUT="$tmp/generated.d.ts" HOUQIN_TS_SAMPLES="$tmp" $gen >"$tmp/log" 2>&1; then
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
tsc=$PWD/node_modules/.bin/tsc
(cd "$tmp" && "$tsc" --noEmit --skipLibCheck --target es2022 --module es2022 --moduleResolution bundler samples.ts) || {
  echo "the demo school's answers (samples.ts above) do not match generated.d.ts: a serde attribute ts-rs did not follow?" >&2
  exit 1
}
echo "tsc: the demo school's answers match the declarations"
"$tsc" --noEmit -p ui
echo "tsc: ui/ type-checks"
