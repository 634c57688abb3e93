#!/bin/sh
# test_output_database.sh — `-o` given a database by a slip (the --db file,
# tab-completed): `confer record` and `confer chart` wrote the document over
# it, and every conference in it was gone. Refused with one line; the
# database still holds its conferences. A new file and a FIFO still work.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
db="$tmp/c.db"
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'IN'
child Zoe Example | 2019-04-01
IN
listed="ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE
1  worcestershire  initial  2026-03-03  Zoe Example  open"
expect "record -o the database" 1 "confer: $db is a database: nothing is written over it (give -o a new file)" \
  "$CONFER" record --db "$db" 1 -o "$db"
expect "chart -o the database" 1 "confer: $db is a database: nothing is written over it (give -o a new file)" \
  "$CONFER" chart --db "$db" --child "Zoe Example" -o "$db"
cp "$db" "$tmp/backup.db"
expect "record -o another database" 1 \
  "confer: $tmp/backup.db is a database: nothing is written over it (give -o a new file)" \
  "$CONFER" record --db "$db" 1 -o "$tmp/backup.db"
expect "the conferences are all there" 0 "$listed" "$CONFER" list --db "$db"
expect "and their chain" 0 "conference 1: chain sound, 3 events
Every chain is sound." "$CONFER" verify --db "$db"
expect "a new file is written" 0 "" "$CONFER" record --db "$db" 1 -o "$tmp/record.md"
check "its first line" "# Record of the child protection conference (Worcestershire)" "$(head -n 1 "$tmp/record.md")"
expect "a file written before is replaced" 0 "" "$CONFER" chart --db "$db" --child "Zoe Example" -o "$tmp/record.md"
check "the chart replaced it" 0 "$(grep -c '^# Record' "$tmp/record.md")"
if command -v mkfifo >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
  mkfifo "$tmp/pipe"
  timeout 10 cat "$tmp/pipe" >"$tmp/through-pipe" & reader=$!   # not for ever if confer never opens it
  expect "-o a FIFO" 0 "" "$CONFER" record --db "$db" 1 -o "$tmp/pipe"
  wait "$reader"
  check "what went through the FIFO" "# Record of the child protection conference (Worcestershire)" \
    "$(head -n 1 "$tmp/through-pipe")"
fi
finish
