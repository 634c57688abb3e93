# test_repl_claim_pg.sh — two sessions on one conference on PostgreSQL (the
# checks are in claim_body.sh): the claim is a session advisory lock, so a
# killed session frees it with its connection. SKIPPED (exit 77) without
# PostgreSQL.
set -u
tmp=$(mktemp -d)
pid=
. "$CONFER_SOURCE/tests/cli/lib.sh"
. "$CONFER_SOURCE/tests/pg/server.sh"
pg_start
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; pg_stop' EXIT
db=$(pg_database claims)
. "$CONFER_SOURCE/tests/cli/claim_body.sh"
check "no claim is left once every session has ended" "0" "$(pg_sql claims "SELECT count(*) FROM claims c JOIN pg_locks l ON l.pid = c.backend AND l.locktype = 'advisory'")"
finish
