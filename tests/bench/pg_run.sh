#!/bin/sh
# pg_run.sh — runs pg_bench (PostgreSQL against SQLite) on a private server
# started by tests/pg/server.sh; prints a skip line and exits 0 where
# PostgreSQL is not installed.
#   tests/bench/pg_run.sh BUILD [N SECONDS WRITERS]
set -u
build=$1
CONFER_SOURCE=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/confer-pgbench.XXXXXX") || exit 1
. "$CONFER_SOURCE/tests/pg/server.sh"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "== pg_bench: skipped (PostgreSQL is not installed: scripts/setup-debian.sh --with-postgres)"
  rm -rf "$tmp"
  exit 0
fi
[ -x "$build/tests/pg_bench" ] || { echo "== pg_bench: not built in $build/tests"; rm -rf "$tmp"; exit 1; }
pg_start
echo "== pg_bench"
"$build/tests/pg_bench" "${2:-1000}" "${3:-10}" "${4:-20}" "$tmp/bench.db" "$(pg_database bench)"
