# test_repl_claim.sh — two sessions on one conference in an SQLite file
# (the checks are in claim_body.sh), and a claim left by a process whose pid
# now belongs to another program is taken over.
set -u
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$CONFER_SOURCE/tests/cli/lib.sh"
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
# pull does not copy into a conference a session holds: the holder would be refused
# everything after. It says who holds it, copies nothing, and the holder goes on.
other="$tmp/other.db"
start_holder
send "person Held Example | aunt | family"
"$CONFER" push --db "$db" 1 --to "$other" >/dev/null || check "push to a new file" 0 1
printf 'person Far Example | uncle | family\n' | "$CONFER" run --db "$other" --chair "Ann Example" 1 >/dev/null
got=$("$CONFER" pull --db "$db" 1 --from "$other" 2>&1)
check "pull into a conference a session holds is refused" \
  "1 confer: conference 1 is open in a session there (Siân Example on $host since TIME); nothing copied: copy it once they have quit" \
  "$? $(printf '%s' "$got" | sed 's/since [0-9T:.Z-]*)/since TIME)/')"
send "person Still Example | aunt | family"
printf 'quit\n' >&3
exec 3>&-
wait "$pid"; check "the holder goes on and quits normally" 0 "$?"
pid=
finish
