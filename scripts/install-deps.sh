#!/usr/bin/env bash
# Installs the Debian packages Houqin needs, only those missing (idempotent).
#   bash scripts/install-deps.sh          # to build and run the app
#   bash scripts/install-deps.sh --test   # also what the tests need
set -euo pipefail

# fonts-noto-cjk: the fallback for rare characters in names (䶮, 𠮷) on printouts.
pkgs=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev curl fonts-wqy-microhei fonts-noto-cjk)
# zbar-tools: tests/assets.rs reads the asset labels' QR codes back with zbarimg.
# postgresql: the suite runs again on a throwaway server (scripts/pg-test-server.sh).
if [ "${1:-}" = "--test" ]; then
  pkgs+=(xvfb xauth webkit2gtk-driver poppler-utils imagemagick python3-venv zbar-tools postgresql)
  # nodejs, npm: the pinned TypeScript (package-lock.json) type-checks ui/ (scripts/check-types.sh).
  command -v npm >/dev/null || pkgs+=(nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# npm runs the pinned Tauri CLI that bundles the .deb (scripts/package.sh).
# Checked by command: NodeSource's nodejs package brings npm without Debian's `npm`.
if [ "${1:-}" = "--test" ] && ! command -v npm >/dev/null; then
  missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "==> installing the Rust toolchain (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
  fi
fi

if [ "${1:-}" = "--test" ]; then
  # The pinned npm tools, exactly as the lockfile says (into node_modules/).
  (cd "$(dirname "$0")/.." && npm ci --no-audit --no-fund --loglevel=error)
fi
