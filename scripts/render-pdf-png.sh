#!/usr/bin/env bash
# Renders every page of a PDF to PNG (80 dpi) in target/pdf-png/, to look at a
# layout without a PDF viewer: scripts/render-pdf-png.sh FILE.pdf [DPI]
# Output: target/pdf-png/<name>-<page>.png. Needs poppler-utils (pdftoppm).
set -euo pipefail

if [[ $# -lt 1 || ! -f "$1" ]]; then
    echo "usage: $0 FILE.pdf [DPI]   (renders pages to target/pdf-png/)" >&2
    exit 2
fi
if ! command -v pdftoppm >/dev/null; then
    echo "pdftoppm not found: install poppler-utils (apt-get install poppler-utils)" >&2
    exit 1
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/target/pdf-png"
mkdir -p "$out"
name="$(basename "${1%.pdf}")"
pdftoppm -r "${2:-80}" -png "$1" "$out/$name"
ls -1 "$out/$name"*.png
