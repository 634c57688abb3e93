#!/bin/sh
# test_sync_hostile.sh — `confer pull` and `confer push` handed a hostile or
# damaged copy of a conference: events whose chain is sound (forge_events.py
# rehashes it) but that confer would never write. Each is refused with one
# line naming the file, the conference and the event, and nothing is copied.
# Needs python3 (with its sqlite3 module).
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
python3 -c 'import sqlite3' 2>/dev/null || { echo "skip: python3 with sqlite3 is not installed"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
forge() { python3 "$CONFER_SOURCE/tests/cli/forge_events.py" "$@"; }
opened='{"authority":"sefton","chair":"Ann Sample","date":"2026-03-03","id":"7","type":"initial"}'
"$CONFER" new --db other.db --authority sefton --type initial --date 2026-03-03 >/dev/null

# Who recorded an event, or when, holding an escape sequence or a line break:
# `confer history` would print them raw, retitling and clearing the chair's
# terminal and adding a line that passes for confer's own error.
cp other.db escape.db
printf '[["2026-03-03T10:00:00.000Z", "Ann Sample\\u001b]0;pwned\\u0007\\u001b[2J", "conference.opened", %s]]\n' \
  "$(printf '%s' "$opened" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" >escape.json
forge escape.db 7 escape.json
expect "escape in the actor: the chain is sound" 0 "conference 7: chain sound, 1 event
Every chain is sound." "$CONFER" verify --db escape.db 7
expect "pull of an actor holding an escape" 1 \
  "confer: escape.db: conference 7: event 1: who recorded it or when holds a control character or is not UTF-8" \
  "$CONFER" pull --db laptop.db 7 --from escape.db
expect "nothing pulled" 0 "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE" "$CONFER" list --db laptop.db
# In a store of its own (an older confer took any --chair) it still opens,
# and history shows the escape as '?', nothing raw on the terminal.
expect "history of it: the escape shown as '?'" 0 \
  "1  2026-03-03T10:00:00.000Z  Ann Sample?]0;pwned??[2J  conference.opened  authority=sefton chair=Ann Sample date=2026-03-03 id=7 type=initial" \
  "$CONFER" history --db escape.db 7

cp other.db newline.db
printf '[["2026-03-03T10:00:00.000Z\\nconfer: conference 1 is closed", "Ann Sample", "conference.opened", %s]]\n' \
  "$(printf '%s' "$opened" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" >newline.json
forge newline.db 7 newline.json
expect "push of a time holding a line break" 1 \
  "confer: newline.db: conference 7: event 1: who recorded it or when holds a control character or is not UTF-8" \
  "$CONFER" push --db newline.db 7 --to laptop.db
expect "nothing pushed" 0 "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE" "$CONFER" list --db laptop.db
check "no event in the laptop's file" 0 \
  "$(python3 -c 'import sqlite3; print(sqlite3.connect("laptop.db").execute("SELECT count(*) FROM events").fetchone()[0])')"
finish
