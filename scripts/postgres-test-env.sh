#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL store's tests.
#
#   eval "$(scripts/postgres-test-env.sh start)"   # prints export lines for the tests
#   scripts/postgres-test-env.sh stop              # uses SLUICE_POSTGRES_DIR
#
# start installs Debian's postgresql when missing, runs initdb as the postgres user (it
# refuses root) in a fresh temporary directory with trust authentication (a test cluster
# on loopback only), and starts the server on a free loopback port. Each test creates its
# own database on it. Only the export lines go to stdout; progress goes to stderr.
set -euo pipefail

log() { echo "postgres-test-env: $*" >&2; }

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if [ -z "$(bindir)" ]; then
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  local bin dir port
  bin=$(bindir)
  dir=$(mktemp -d /tmp/sluice-postgres.XXXXXX)
  mkdir "$dir/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
  chmod 0755 "$dir"
  # A free port: bind port 0 on loopback and read it back.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  as_postgres "$bin/initdb" -D "$dir/pg" -A trust -U sluice >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  # Tests open a pool per database, and many databases at once: room for them.
  if ! as_postgres "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
      -o "-k $dir/sock -p $port -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off" start >&2; then
    cat "$dir/pg.log" >&2
    return 1
  fi
  echo "$port" >"$dir/port"
  log "PostgreSQL on 127.0.0.1:$port ($dir)"
  echo "export SLUICE_POSTGRES_URL=postgres://sluice@127.0.0.1:$port/postgres?sslmode=disable"
  echo "export SLUICE_POSTGRES_DIR=$dir"
}

stop() {
  local dir=${SLUICE_POSTGRES_DIR:?set SLUICE_POSTGRES_DIR (from start) first}
  local bin
  bin=$(bindir)
  if [ -f "$dir/pg/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/pg" -m immediate stop >&2 || true
  fi
  case $dir in /tmp/sluice-postgres.*) rm -rf "$dir" ;; esac
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start | stop" >&2; exit 2 ;;
esac
