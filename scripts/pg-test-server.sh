#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: a private cluster in a temp
# folder (never the system's), on a free port, with the user and database
# `hq`. Installs PostgreSQL from apt if it is missing.
#   eval "$(bash scripts/pg-test-server.sh start)"   # exports HOUQIN_TEST_DB, HOUQIN_PG_DIR
#   bash scripts/pg-test-server.sh stop "$HOUQIN_PG_DIR"
set -euo pipefail

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

ensure_installed() {
  if [ -z "$(bin_dir)" ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "==> installing PostgreSQL (apt)" >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Runs a server binary as a user that initdb accepts (it refuses root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  ensure_installed
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d /tmp/houqin-pg.XXXXXX)
  chmod 777 "$dir"
  chmod o+x "$(dirname "$dir")"
  port=$(free_port)
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  # fsync off: a test cluster is thrown away; never do this on a school's server.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE USER hq PASSWORD 'hq'" >/dev/null
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE hq OWNER hq" >/dev/null
  echo "export HOUQIN_TEST_DB='postgres://hq:hq@127.0.0.1:$port/hq'"
  echo "export HOUQIN_PG_DIR='$dir'"
  echo "export HOUQIN_PG_PORT='$port'"
}

stop() {
  local dir=${1:?the cluster folder}
  local bin
  bin=$(bin_dir)
  as_owner "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
