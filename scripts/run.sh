#!/usr/bin/env bash
# Installs what is missing, builds the desktop app (release) and starts it.
# The database is ~/.local/share/houqin/houqin.db, created on first run;
# pass --db PATH (or set HOUQIN_DB) to use another file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -p houqin-app -p houqin
exec ./target/release/houqin-app "$@"
