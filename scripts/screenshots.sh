#!/usr/bin/env bash
# Retakes the README's screenshots (docs/screenshots/*.png) from the demo
# school in the real app under Xvfb. Needs what scripts/e2e.sh needs; run that
# once first so tauri-driver and selenium are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p houqin-app
xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/pytest -q -p no:cacheprovider tests/e2e/shoot_docs.py
ls -1 docs/screenshots/*.png
