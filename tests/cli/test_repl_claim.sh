# test_repl_claim.sh — two sessions on one conference in an SQLite file
# (the checks are in claim_body.sh), and a claim left by a process whose pid
# now belongs to another program is taken over.
set -u
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok - $1"
  else printf 'not ok - %s\n--- expected\n%s\n--- got\n%s\n' "$1" "$2" "$3"; fail=1; fi
}
db="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/claim_body.sh"

# A claim row naming a live process of this machine that started at another time: a recycled pid.
if command -v sqlite3 >/dev/null 2>&1; then
  sleep 30 & sleeper=$!
  sqlite3 "$db" "INSERT INTO claims VALUES (1, 'Gone Example', '$host', $sleeper, 1, '2025-03-12T09:00:00.000Z')"
  check "a recycled pid does not hold the conference" "0 P6 recorded|" \
    "$(second "person Recycled Example | uncle | family")"
  sqlite3 "$db" "INSERT INTO claims VALUES (1, 'Live Example', '$host', $sleeper, $(cut -d' ' -f22 /proc/$sleeper/stat), '2025-03-12T09:00:00.000Z')"
  check "a live process of this machine holds it" \
    "1 |confer: conference 1 is open in another session (Live Example on $host since TIME UTC); nothing was changed: ask them to quit it first, or follow it read-only with confer board 1" \
    "$(second "person Refused Example | uncle | family")"
  kill "$sleeper"
  wait "$sleeper" 2>/dev/null
  check "once it is gone, the claim is taken over" "0 P7 recorded|" \
    "$(second "person Later Example | uncle | family")"
else
  echo "ok - # SKIP recycled pid: sqlite3 is not installed"
fi
exit $fail
