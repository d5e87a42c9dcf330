#!/usr/bin/env bash
# Renders the demo school's printouts to PNG, to look at the layout without a
# PDF viewer: fee notices of 大一班 on A4 and on two A5 per sheet, the whole
# school on A5, and the refund statement. Uses a throwaway database.
#   scripts/render-notices-png.sh [DPI]      (default 80)
# Output: target/notices-png/*.pdf and *.png. Needs poppler-utils (pdftoppm).
set -euo pipefail
cd "$(dirname "$0")/.."
dpi="${1:-80}"
command -v pdftoppm >/dev/null || { echo "pdftoppm not found: apt-get install poppler-utils" >&2; exit 1; }

cargo build --quiet --bin houqin
bin="$PWD/target/debug/houqin"
out="$PWD/target/notices-png"
rm -rf "$out" && mkdir -p "$out"
db="$(mktemp -d)/notices.db"
trap 'rm -rf "$(dirname "$db")"' EXIT
h() { "$bin" --db "$db" --operator 李会计 "$@"; }

h demo >/dev/null
# The demo leaves last month open for the user; close it, as the bursar would.
month="$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m)"
h settle --month "$month" --confirm >/dev/null
h notices --month "$month" --class 大一班 --out "$out/notices-a4-class.pdf"
h notices settings --layout a5x2 >/dev/null
h notices --month "$month" --class 大一班 --out "$out/notices-a5-class-reprint.pdf"
h notices --month "$month" --out "$out/notices-a5-school.pdf"
h statement --month "$month" --out "$out/statement.pdf"

for pdf in "$out"/*.pdf; do
    pdftoppm -r "$dpi" -png -l 3 "$pdf" "${pdf%.pdf}"
done
ls -1 "$out"/*.png
