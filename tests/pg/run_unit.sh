# run_unit.sh — runs a C unit test binary against a private PostgreSQL server
# (server.sh) with its URI in CONFER_TEST_PG: tests/unit/test_store.c runs
# its backend-independent tests there. SKIPPED (exit 77) without PostgreSQL.
#   sh tests/pg/run_unit.sh BINARY
set -u
tmp=$(mktemp -d)
. "$CONFER_SOURCE/tests/pg/server.sh"
pg_start
CONFER_TEST_PG="$PGURI" "$1"
