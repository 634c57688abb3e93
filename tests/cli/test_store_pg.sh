# test_store_pg.sh — the store on PostgreSQL against a private server
# (tests/pg/server.sh): the same commands give the same output as on SQLite
# (store commands, the v1 fixture pushed to the server, every golden REPL
# transcript), tampering and refusals, passwords never shown, many processes
# creating conferences at once, and push/pull between a laptop's file and the
# server. SKIPPED (exit 77) where PostgreSQL is not installed.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d)
. "$CONFER_SOURCE/tests/pg/server.sh"
pg_start
export XDG_DATA_HOME="$tmp/data"
unset CONFER_DB

# The same store commands on a file and on the server: the same output.
pg=$(pg_database same)
for db in "$tmp/same.db" "$pg"; do
  "$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 \
    --chair "Siân Example" >/dev/null
  "$CONFER" new --db "$db" --authority sefton --type review --date 2026-06-03 \
    --chair "Ann Example" >/dev/null
done
check "new on the server prints the next id" 3 \
  "$("$CONFER" new --db "$pg" --authority surrey --type initial --date 2026-01-05)"
"$CONFER" new --db "$tmp/same.db" --authority surrey --type initial --date 2026-01-05 >/dev/null
for cmd in list verify "history 1" "history 2" "verify 2"; do
  # history's second column is the time of writing: equal in shape, not in value.
  a=$("$CONFER" $cmd --db "$tmp/same.db" 2>&1 | sed 's/  [0-9T:.-]*Z  /  TIME  /'); sa=$?
  b=$("$CONFER" $cmd --db "$pg" 2>&1 | sed 's/  [0-9T:.-]*Z  /  TIME  /'); sb=$?
  check "same output on both: $cmd" "$a" "$b"
  check "same exit status on both: $cmd" "$sa" "$sb"
done
check "CONFER_DB selects the server" "3  surrey  initial  2026-01-05  -  open" \
  "$(CONFER_DB="$pg" "$CONFER" list | tail -n 1)"
"$CONFER" history --db "$pg" 9 >/dev/null 2>"$tmp/err"
check "unknown conference on the server" "1 confer: unknown conference 9" "$? $(cat "$tmp/err")"
check "schema version table" 3 "$(pg_sql same 'SELECT version FROM confer_schema')"

# The v1 fixture, migrated, pushed to the server: history, child history, verify as on the file.
cp "$CONFER_SOURCE/tests/store/fixtures/v1.db" "$tmp/v1.db"
pg=$(pg_database fixture)
check "push conference 1" "pushed 6 events of conference 1" \
  "$("$CONFER" push --db "$tmp/v1.db" 1 --to "$pg")"
check "push conference 2" "pushed 3 events of conference 2" \
  "$("$CONFER" push --db "$tmp/v1.db" 2 --to "$pg")"
for cmd in list verify "history 1" "history 2" "verify 1"; do
  check "fixture on the server: $cmd" "$("$CONFER" $cmd --db "$tmp/v1.db")" \
    "$("$CONFER" $cmd --db "$pg")"
done
check "fixture on the server: a child's history" \
  "$("$CONFER" history --db "$tmp/v1.db" --child "Zoë Example")" \
  "$("$CONFER" history --db "$pg" --child "Zoë Example")"
"$CONFER" history --db "$pg" --child "Nobody Example" >/dev/null 2>"$tmp/err"
check "history of an unknown child on the server" \
  "1 confer: no conference records a child named Nobody Example" "$? $(cat "$tmp/err")"

# Tampering on the server: the trigger refuses, and verify names the changed event.
pg_sql fixture "UPDATE events SET payload = '{}' WHERE conference = 2 AND seq = 3" 2>"$tmp/err"
check "the trigger refuses an update" 1 "$(grep -c 'events are append-only' "$tmp/err")"
pg_sql fixture "DELETE FROM events WHERE conference = 2" 2>"$tmp/err"
check "the trigger refuses a delete" 1 "$(grep -c 'events are append-only' "$tmp/err")"
pg_sql fixture "ALTER TABLE events DISABLE TRIGGER events_append_only;
  UPDATE events SET payload = replace(payload, '6', '9') WHERE conference = 2 AND seq = 3"
"$CONFER" verify --db "$pg" >"$tmp/out"; st=$?
check "verify tampered on the server" "1 conference 1: chain sound, 6 events
conference 2: broken at event 3 (its hash does not match its contents or the event before it)
1 chain is broken." "$st $(cat "$tmp/out")"
printf 'note Example note\n' | "$CONFER" run --db "$pg" --chair "Siân Example" 2 >"$tmp/out" 2>"$tmp/err"
check "run tampered on the server: warned, recording goes on" "0 confer: warning: conference 2: broken at event 3 (its hash does not match its contents or the event before it); it was changed outside confer: recording continues, and confer verify will keep reporting it N1 recorded" \
  "$? $(cat "$tmp/err") $(tail -n 1 "$tmp/out")"
"$CONFER" verify --db "$pg" 2 >"$tmp/out"
check "run tampered on the server: verify still names event 3" \
  "1 conference 2: broken at event 3 (its hash does not match its contents or the event before it)
1 chain is broken." "$? $(cat "$tmp/out")"
"$CONFER" pull --db "$tmp/pulled.db" 2 --from "$pg" >/dev/null 2>"$tmp/err"
check "a broken chain is refused on arrival" \
  "1 confer: $pg: conference 2 is broken at event 3 (confer verify); nothing copied" \
  "$? $(cat "$tmp/err")"

# Databases that are not ours, or newer: refused with one line, left as they were.
pg=$(pg_database strangers)
pg_sql strangers "CREATE TABLE events (name TEXT)"
"$CONFER" list --db "$pg" >/dev/null 2>"$tmp/err"
check "a foreign database is refused" "1 confer: $pg: not a confer database" "$? $(cat "$tmp/err")"
check "a foreign database is left alone" "events" \
  "$(pg_sql strangers "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")"
pg_sql same "UPDATE confer_schema SET version = 9"
"$CONFER" list --db "$(pg_database dummy | sed 's/dummy/same/')" >/dev/null 2>"$tmp/err"
check "a newer schema is refused" \
  "1 confer: postgresql:///same?host=$tmp/sock&user=confer: made by a newer confer (schema 9; this binary knows 3)" \
  "$? $(cat "$tmp/err")"

# A migration that fails (a confer database put back to version 1, so
# version 2's summaries already exist): one line naming the schema it was
# taking the database to and the server's reason; still at version 1.
pg=$(pg_database failing)
"$CONFER" new --db "$pg" --authority sefton --type initial --date 2026-03-03 >/dev/null
pg_sql failing "UPDATE confer_schema SET version = 1"
"$CONFER" list --db "$pg" >/dev/null 2>"$tmp/err"
check "a failing migration on the server: one line" \
  "1 confer: $pg: migrating to schema 2: relation \"summaries\" already exists" \
  "$? $(cat "$tmp/err")"
check "a failing migration on the server: still version 1" 1 \
  "$(pg_sql failing 'SELECT version FROM confer_schema')"

# A password in the URI is used by libpq but never printed.
"$CONFER" list --db "postgresql://confer:s3cret@/nowhere?host=$tmp/nosock" >/dev/null 2>"$tmp/err"
check "unreachable server: exit 1" 1 "$?"
check "unreachable server: one line naming the URI without its password" \
  "confer: postgresql://confer@/nowhere?host=$tmp/nosock: cannot connect (" \
  "$(sed 's/ (.*/ (/' "$tmp/err")"
check "the password is not printed" 0 "$(grep -c s3cret "$tmp/err")"
"$CONFER" list --db "postgresql:///nowhere?host=$tmp/nosock&password=s3cret" >/dev/null 2>"$tmp/err"
check "a password parameter is not printed" 0 "$(grep -c s3cret "$tmp/err")"

# Many processes creating conferences at once: ids 1..20, no errors.
pg=$(pg_database busy)
for w in a b c d; do
  ( i=0; while [ $i -lt 5 ]; do
      "$CONFER" new --db "$pg" --authority sefton --type initial --date 2026-03-03 \
        >>"$tmp/ids.$w" 2>>"$tmp/busy.err" || echo "failed" >>"$tmp/busy.err"
      i=$((i + 1)); done ) &
done
wait
check "parallel: ids 1..20, each once" "$(seq 1 20)" "$(cat "$tmp"/ids.? | sort -n)"
check "parallel: no failure" "" "$(grep -v -e '^-*$' -e Suppression -e 'count *bytes' "$tmp/busy.err")"

# Every golden REPL transcript gives the same output on the server.
for in in "$CONFER_SOURCE"/tests/repl/*.in; do
  name=$(basename "$in" .in)
  pg=$(pg_database "t_$name")
  field() { sed -n "s/^# $1: *//p" "$in" | head -n 1; }
  "$CONFER" new --db "$pg" --authority "$(field authority)" --type "$(field type)" \
    --date "$(field date)" --chair "Chair Example" >/dev/null
  "$CONFER" run --db "$pg" --chair "Chair Example" 1 <"$in" >"$tmp/got" 2>/dev/null
  check "transcript $name on the server: exit status" "$(field status)" "$?"
  diff -u "${in%.in}.out" "$tmp/got" >"$tmp/diff"
  check "transcript $name on the server: output" "" "$(cat "$tmp/diff")"
done

finish
