#!/usr/bin/env bash
# Builds the Debian package: the desktop app /usr/bin/houqin-app, the command
# line /usr/bin/houqin beside it, the 后勤 menu entry and its icon.
#   bash scripts/package.sh      # → target/release/bundle/deb/houqin_<version>_amd64.deb
# (under $CARGO_TARGET_DIR instead of target/ when that is set). Prints the
# path of the .deb as its last line.
#
# One program does both: /usr/bin/houqin is a two-line script that starts
# houqin-app with `--cli` (src-tauri/deb/houqin), so the package carries the
# core once. It is a release build (the profile `houqin bench` uses too),
# stripped of its symbols before bundling, with one codegen unit (Cargo.toml:
# 15% smaller than cargo's default; fat LTO measured and not used; README,
# 安装包). The PDF font is left out
# (`--no-default-features`): the package depends on Debian's
# fonts-wqy-microhei, the same file, instead (src/pdf/font.rs).
# The package is packed again with xz (below). The Tauri CLI is the one pinned in package-lock.json (`npm ci`); nothing
# else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
export CARGO_TARGET_DIR="$target_dir"
# A shipped program is built whole: incremental builds make bigger, slower code.
export CARGO_INCREMENTAL=0
out="$target_dir/release"

if [ ! -x node_modules/.bin/tauri ]; then
  command -v npm >/dev/null || { echo "npm is missing: apt-get install npm (scripts/install-deps.sh --test does)" >&2; exit 1; }
  echo "==> npm ci (the pinned Tauri CLI)"
  npm ci --no-audit --no-fund
fi

echo "==> building houqin-app (release)"
node_modules/.bin/tauri build --ci --no-bundle -- --no-default-features
# Symbols are for debuggers and backtraces; users' machines have neither.
# Stripped in place: cargo still counts the file as up to date.
strip --strip-all "$out/houqin-app"
echo "==> bundling the .deb"
node_modules/.bin/tauri bundle --ci --bundles deb

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
bundled="$out/bundle/deb/Houqin_${version}_amd64.deb"
[ -f "$bundled" ] || { echo "the .deb is not where expected: $bundled" >&2; ls "$out/bundle/deb/" >&2 || true; exit 1; }
# Tauri's bundler compresses with gzip. Packed again with xz, as Debian's own
# packages are (every dpkg reads it), the package is about a third smaller.
# The name follows Debian's package_version_arch.deb.
deb="$out/bundle/deb/houqin_${version}_amd64.deb"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -R "$bundled" "$tmp/root"
dpkg-deb --root-owner-group -Zxz -b "$tmp/root" "$tmp/houqin.deb" >/dev/null
mv "$tmp/houqin.deb" "$deb"
rm -f "$bundled"
echo "==> $(du -h "$deb" | cut -f1) $deb"
echo "$deb"
