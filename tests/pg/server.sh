# server.sh — sourced by the PostgreSQL tests: starts a private PostgreSQL
# server for the test and stops it when the test's shell exits, even on failure.
#
#   . "$CONFER_SOURCE/tests/pg/server.sh"     (needs $tmp, a fresh directory)
#   pg_start                                  sets $PGURI, or exits 77 (SKIPPED)
#
# The server listens only on a Unix socket in $tmp/sock (listen_addresses='')
# and trusts local connections: it exists for one test run. initdb refuses to
# run as root, so under root (as in CI) the cluster belongs to `nobody`.
pg_bin=${CONFER_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

# Runs a PostgreSQL program as the cluster's owner.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

pg_stop() {
  [ -f "$tmp/pgdata/postmaster.pid" ] &&
    pg_as_owner "$pg_bin/pg_ctl" -D "$tmp/pgdata" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$tmp"
}

pg_start() {
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
    echo "SKIP: PostgreSQL is not installed (scripts/setup-debian.sh --with-postgres)"
    exit 77
  fi
  trap pg_stop EXIT
  trap 'exit 1' INT TERM
  mkdir -p "$tmp/pgdata" "$tmp/sock"
  chmod 755 "$tmp"
  if [ "$(id -u)" = 0 ]; then chown nobody "$tmp/pgdata" "$tmp/sock"; fi
  pg_as_owner "$pg_bin/initdb" -D "$tmp/pgdata" -A trust -U confer -E UTF8 --locale=C.UTF-8 \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log"; exit 1; }
  pg_as_owner "$pg_bin/pg_ctl" -D "$tmp/pgdata" -w -l "$tmp/sock/server.log" \
    -o "-c listen_addresses='' -k $tmp/sock -c fsync=on" start >/dev/null 2>&1 ||
    { cat "$tmp/sock/server.log"; exit 1; }
  PGURI="postgresql:///postgres?host=$tmp/sock&user=confer"
}

# Creates database NAME and prints its URI.
pg_database() {
  "$pg_bin/psql" -q -X -d "$PGURI" -c "CREATE DATABASE $1" >/dev/null || exit 1
  echo "postgresql:///$1?host=$tmp/sock&user=confer"
}

# Runs SQL in database NAME with psql (tampering, inspecting).
pg_sql() {
  "$pg_bin/psql" -q -X -A -t -v ON_ERROR_STOP=1 -d "postgresql:///$1?host=$tmp/sock&user=confer" -c "$2"
}
