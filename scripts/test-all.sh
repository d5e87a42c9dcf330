#!/usr/bin/env bash
# Every check CI runs: formatting, lints, all tests (core, scenarios, app), and
# the end-to-end tests that drive the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

echo "==> cargo fmt --check"
cargo fmt --all --check
echo "==> cargo clippy (workspace, all targets, -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings
echo "==> cargo test (workspace)"
cargo test --workspace
echo "==> end-to-end tests"
bash scripts/e2e.sh
