#!/usr/bin/env bash
# postgres.sh — start (once) a PostgreSQL cluster of the project's own on
# loopback, for tests and benchmarks, and print the URL of its database.
#   scripts/postgres.sh          start if needed, print the URL
#   scripts/postgres.sh --fresh  also empty the database first (test runs)
#   scripts/postgres.sh --stop   stop the cluster
# Debian's PostgreSQL is installed by scripts/setup.sh. The cluster lives in
# $DIRECTLINE_PG_DIR (default /tmp/directline-postgres), owned by the
# `postgres` user when run as root (PostgreSQL refuses to run as root).
set -euo pipefail
PGDIR="${DIRECTLINE_PG_DIR:-/tmp/directline-postgres}"
PORT="${DIRECTLINE_PG_PORT:-55432}"
DB=directline_test
URL="postgres://directline@127.0.0.1:$PORT/$DB"

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed: run scripts/setup.sh" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_() { PGOPTIONS="-c client_min_messages=warning" "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U directline -v ON_ERROR_STOP=1 "$@"; }

if [ "${1:-}" = "--stop" ]; then
  as_owner "$BIN/pg_ctl" -D "$PGDIR" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi

if ! as_owner "$BIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
  if [ ! -f "$PGDIR/PG_VERSION" ]; then
    mkdir -p "$PGDIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
    chmod 700 "$PGDIR"
    # Loopback only, trust: a throwaway cluster for tests on this machine.
    as_owner "$BIN/initdb" -D "$PGDIR" -U directline --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_owner "$BIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w -t 60 \
    -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" \
    start >/dev/null
fi

if [ "${1:-}" = "--fresh" ]; then
  psql_ -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
fi
if [ -z "$(psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
  psql_ -d postgres -c "CREATE DATABASE $DB" >/dev/null
fi
echo "$URL"
