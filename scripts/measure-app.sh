#!/usr/bin/env bash
# Start-up time and memory of the desktop app, to compare one build or change
# with another. Starts the app N times (default 7) under Xvfb, each time on a
# fresh data folder: first on an empty one (the first start: 本机数据库 or
# 连接服务器), then on the demo school (prepared once with the command line
# `houqin demo`, copied for each start; the home screen with its totals).
#   bash scripts/measure-app.sh                          # $CARGO_TARGET_DIR/release/houqin-app (or target/)
#   bash scripts/measure-app.sh /usr/bin/houqin-app 7    # the installed .deb
# HOUQIN_CLI names the command line that prepares the demo (default: the
# `houqin` beside the app).
#
# "Interactive" is when the UI's first screen is built from its data and one
# frame has been painted: the UI then calls `app_ready`, and with
# HOUQIN_STARTUP_TRACE set the app prints `houqin-app interactive <screen>
# <unix ms>` on stderr (ui/app.js, src-tauri/src/commands/app.rs). The time
# is from just before exec to that timestamp.
#
# Memory is read 3 s after interactive, from /proc/PID/smaps_rollup of every
# process of the app's session: houqin-app itself and WebKit's
# WebKitWebProcess and WebKitNetworkProcess. RSS counts shared pages in full
# in each process; PSS shares them out, so PSS adds up across processes.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${HOUQIN_MEASURE_XVFB:-}" ]; then
  command -v xvfb-run >/dev/null || { echo "missing xvfb-run: apt-get install xvfb xauth" >&2; exit 1; }
  exec xvfb-run -a -s "-screen 0 1280x800x24" env HOUQIN_MEASURE_XVFB=1 bash "$0" "$@"
fi

target_dir=${CARGO_TARGET_DIR:-target}
app=$(realpath "${1:-$target_dir/release/houqin-app}")
runs=${2:-7}
cli=${HOUQIN_CLI:-$(dirname "$app")/houqin}
[ -x "$app" ] || { echo "no app at $app (cargo build --release -p houqin-app)" >&2; exit 1; }
[ -x "$cli" ] || { echo "no command line at $cli (set HOUQIN_CLI)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
demo="$work/demo.db"
"$cli" --db "$demo" --operator 测试 demo >/dev/null

kb() { awk -v k="$1:" '$1 == k { print $2 }' "$2" 2>/dev/null || true; }

# One start: prints "ms app_rss app_pss webkit_rss webkit_pss total_rss total_pss"
# (kB) and, on stderr, each process.
one() {
  local kind=$1 dir=$2
  mkdir -p "$dir/data" "$dir/config" "$dir/cache"
  local env_db=()
  if [ "$kind" = demo ]; then
    cp "$demo" "$dir/demo.db"
    env_db=(HOUQIN_DB="$dir/demo.db")
  fi
  local t0 pid line
  t0=$(date +%s%3N)
  env XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache" \
    HOUQIN_STARTUP_TRACE=1 "${env_db[@]}" setsid "$app" 2>"$dir/stderr" >/dev/null &
  pid=$!
  for _ in $(seq 1 1500); do
    line=$(grep -m1 '^houqin-app interactive ' "$dir/stderr" 2>/dev/null || true)
    [ -n "$line" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  if [ -z "$line" ]; then
    kill -- -"$pid" 2>/dev/null || true
    echo "no interactive marker ($kind); the app said:" >&2
    cat "$dir/stderr" >&2
    return 1
  fi
  local ms=$(( ${line##* } - t0 ))
  sleep 3
  local a_rss=0 a_pss=0 w_rss=0 w_pss=0 p comm rss pss
  for p in $(ps -o pid= -s "$pid"); do
    [ -r "/proc/$p/smaps_rollup" ] || continue
    comm=$(cat "/proc/$p/comm" 2>/dev/null || echo '?')
    rss=$(kb Rss "/proc/$p/smaps_rollup"); pss=$(kb Pss "/proc/$p/smaps_rollup")
    [ -n "$rss" ] || continue
    echo "    $kind $comm pid $p: RSS $((rss / 1024)) MB, PSS $((pss / 1024)) MB" >&2
    if [ "$p" = "$pid" ]; then a_rss=$rss; a_pss=$pss; else w_rss=$((w_rss + rss)); w_pss=$((w_pss + pss)); fi
  done
  [ "${BREAKDOWN:-}" = 1 ] && breakdown "$pid" >&2
  kill -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$ms $a_rss $a_pss $w_rss $w_pss $((a_rss + w_rss)) $((a_pss + w_pss))"
}

# What holds houqin-app's RSS: the biggest mappings (files, or anonymous
# memory: the heap and thread stacks), from /proc/PID/smaps, then the rest
# as one sum, so the lines add up to the RSS.
breakdown() {
  echo "    houqin-app RSS by mapping (largest first):"
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anonymous]" }
       /^Rss:/ { rss[name] += $2 }
       END { for (n in rss) printf "%d %s\n", rss[n], n }' "/proc/$1/smaps" |
    sort -rn | awk 'NR <= 12 { printf "      %6.1f MB  %s\n", $1 / 1024, $2; next }
                    { rest += $1; n++ }
                    END { printf "      %6.1f MB  the other %d mappings together\n", rest / 1024, n }'
}

# min / median / max of a column (kB shown as MB unless it is the time).
summary() {
  local file=$1 col=$2 unit=$3
  cut -d' ' -f"$col" "$file" | sort -n | awk -v u="$unit" '
    { v[NR] = $1 }
    END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      if (u == "ms") printf "median %.2f s (min %.2f, max %.2f)", m / 1000, v[1] / 1000, v[NR] / 1000
      else printf "median %d MB (min %d, max %d)", m / 1024, v[1] / 1024, v[NR] / 1024
    }'
}

echo "app: $app"
echo "$runs starts each, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in empty demo; do
  echo "== $kind data folder ($([ "$kind" = demo ] && echo 'the demo school: home screen' || echo 'first start: where is the data'))"
  : >"$work/$kind.txt"
  for i in $(seq 1 "$runs"); do
    # The last start also shows what houqin-app's memory is.
    BREAKDOWN=$([ "$i" = "$runs" ] && echo 1 || true) one "$kind" "$work/$kind-$i" >>"$work/$kind.txt"
  done
  echo "  to interactive:          $(summary "$work/$kind.txt" 1 ms)"
  echo "  houqin-app RSS:          $(summary "$work/$kind.txt" 2 kB)"
  echo "  houqin-app PSS:          $(summary "$work/$kind.txt" 3 kB)"
  echo "  WebKit processes RSS:    $(summary "$work/$kind.txt" 4 kB)"
  echo "  WebKit processes PSS:    $(summary "$work/$kind.txt" 5 kB)"
  echo "  all processes RSS:       $(summary "$work/$kind.txt" 6 kB)"
  echo "  all processes PSS:       $(summary "$work/$kind.txt" 7 kB)"
done
