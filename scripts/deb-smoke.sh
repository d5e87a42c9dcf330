#!/usr/bin/env bash
# The .deb end to end, as a user gets it: builds it (scripts/package.sh),
# checks what it declares and holds, installs it with apt-get, runs the
# installed command line and the e2e smoke test against the installed
# /usr/bin/houqin-app under Xvfb, then removes the package and shows that the
# user's data stays. Needs sudo (or root): it installs and removes the
# package `houqin` on this machine.
#   bash scripts/deb-smoke.sh
#   HOUQIN_DEB=path/to/houqin_….deb bash scripts/deb-smoke.sh   # skip the build
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

deb=${HOUQIN_DEB:-}
if [ -z "$deb" ]; then
  deb=$(bash scripts/package.sh | tail -1)
fi
deb=$(realpath "$deb")
fail() { echo "deb-smoke: $*" >&2; exit 1; }

echo "==> what the package declares and holds"
dpkg-deb -I "$deb" control
info=$(dpkg-deb -f "$deb" Package Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 fonts-wqy-microhei; do
  grep -q "$dep" <<<"$info" || fail "Depends lacks $dep: $info"
done
contents=$(dpkg-deb -c "$deb")
for f in 'usr/bin/houqin-app$' 'usr/bin/houqin$' 'usr/share/applications/.*\.desktop$' 'usr/share/icons/hicolor/128x128/apps/houqin-app\.png$'; do
  grep -q " \.\?/\?$f" <<<"$contents" || fail "the package has no $f"
done
dpkg-deb -c "$deb" | awk '{print $3, $6}'
desktop=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*usr/share/applications/*.desktop')
echo "$desktop"
grep -qx 'Name\[zh_CN\]=后勤' <<<"$desktop" || fail "the desktop entry is not named 后勤"
grep -qx 'Exec=houqin-app' <<<"$desktop" || fail "the desktop entry does not start houqin-app"

echo "==> sudo apt-get install $deb"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb"
/usr/bin/houqin --help | head -3
/usr/bin/houqin --version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "==> the installed command line prints with the system font (fonts-wqy-microhei)"
# Its own XDG folder stands in for the user's home: the default database path.
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
/usr/bin/houqin --operator 测试 demo >/dev/null
data="$XDG_DATA_HOME/houqin/houqin.db"
[ -f "$data" ] || fail "houqin demo made no $data"
month=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)
/usr/bin/houqin samples --month "$month" --out "$work/留样.pdf" >/dev/null
# Read whole first: `grep -q` closing the pipe early would fail it under pipefail.
fonts=$(pdffonts "$work/留样.pdf")
text=$(pdftotext "$work/留样.pdf" -)
grep -q WenQuanYiMicroHei <<<"$fonts" || fail "the printout has no WenQuanYi font: $fonts"
grep -q 食品留样记录表 <<<"$text" || fail "the printout's Chinese does not read back"

echo "==> e2e smoke test against the installed /usr/bin/houqin-app"
unset XDG_DATA_HOME XDG_CONFIG_HOME
HOUQIN_APP=/usr/bin/houqin-app bash scripts/e2e.sh -k test_smoke

echo "==> sudo apt-get remove houqin: the programs go, the data stays"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq houqin
[ ! -e /usr/bin/houqin-app ] && [ ! -e /usr/bin/houqin ] || fail "the programs are still installed"
[ -f "$data" ] || fail "removing the package removed $data"
echo "kept: $data ($(du -h "$data" | cut -f1))"
echo "==> the .deb installed, started, printed and was removed: $deb"
