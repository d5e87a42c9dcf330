#!/usr/bin/env bash
# End-to-end tests of the desktop app: builds it, then drives the real window
# under Xvfb through tauri-driver + WebKitWebDriver (pytest + selenium).
# Needs the apt packages libwebkit2gtk-4.1-dev xvfb xauth webkit2gtk-driver
# (and python3-venv on a stock Debian). Idempotent: tools are installed once
# into .tools/ and .venv/. Extra arguments go to pytest (e.g. -k demo).
# HOUQIN_APP=/path/to/houqin-app tests that build instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .tools/bin/tauri-driver ]; then
  echo "==> installing tauri-driver 2.1.0 into .tools/"
  cargo install --locked tauri-driver --version 2.1.0 --root .tools
fi

if [ ! -x .venv/bin/pip ]; then
  echo "==> creating .venv for the pinned selenium and pytest"
  python3 -m venv .venv || { echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
fi
# A no-op when the pinned versions are already there.
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt

if [ -n "${HOUQIN_APP:-}" ]; then
  # Another build under test, e.g. the installed /usr/bin/houqin-app (scripts/deb-smoke.sh).
  [ -x "$HOUQIN_APP" ] || { echo "HOUQIN_APP=$HOUQIN_APP is not a program" >&2; exit 1; }
  echo "==> testing $HOUQIN_APP"
else
  echo "==> building houqin-app (debug)"
  cargo build -p houqin-app
fi

for tool in xvfb-run WebKitWebDriver; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install xvfb xauth webkit2gtk-driver" >&2; exit 1; }
done

mkdir -p target/e2e-shots
echo "==> running end-to-end tests under Xvfb (screenshots in target/e2e-shots/)"
xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/pytest -q -rs -p no:cacheprovider -W ignore::DeprecationWarning tests/e2e "$@"
