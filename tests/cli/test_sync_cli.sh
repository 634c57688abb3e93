#!/bin/sh
# test_sync_cli.sh — `confer push` and `confer pull` between a laptop's file
# and another store: what a chair meets when the two are in step, one is
# ahead, both were changed, the two numbers name different conferences, or
# the source was mistyped. Each refusal is one line, and nothing is copied
# or created.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
# Times change from run to run; the test reads them as T.
untimed() { "$@" 2>&1 | sed 's/[0-9][0-9-]*T[0-9:.]*Z/T/g'; }
note() { printf 'note %s\n' "$2" | "$CONFER" run --db "$1" --chair "Ann Sample" 1 >/dev/null; }

"$CONFER" new --db laptop.db --authority sefton --type initial --date 2026-03-03 \
  --chair "Ann Sample" >/dev/null
expect "push to a new file" 0 "pushed 1 event of conference 1" \
  "$CONFER" push --db laptop.db 1 --to server.db
expect "push again: in step" 0 "conference 1: already in step, nothing to copy" \
  "$CONFER" push --db laptop.db 1 --to server.db
note laptop.db "Example note one"
expect "push the two new events (section, note)" 0 "pushed 2 events of conference 1" \
  "$CONFER" push --db laptop.db 1 --to server.db
expect "pull into a new laptop" 0 "pulled 3 events of conference 1" \
  "$CONFER" pull --db second.db 1 --from server.db

# Both sides changed after they were in step: refused, naming event 4.
note laptop.db "Example note on the laptop"
note server.db "Example note on the server"
check "changed on both sides: refused at event 4" \
  "confer: conference 1 was changed on both sides since they were last in step: they differ from event 4 (laptop.db: restricted.noted by Ann Sample at T; server.db: restricted.noted by Ann Sample at T); nothing copied" \
  "$(untimed "$CONFER" push --db laptop.db 1 --to server.db)"

# Two stores that each made their own conference 1 were never in step: the
# chair is told they are different conferences, not that one was changed twice.
"$CONFER" new --db other.db --authority surrey --type initial --date 2026-04-04 \
  --chair "Bob Example" >/dev/null
check "a different conference with the same number" \
  "confer: conference 1 in other.db and conference 1 in laptop.db are two different conferences that share a number, not one conference changed on both sides (opened by Bob Example at T; by Ann Sample at T); nothing copied" \
  "$(untimed "$CONFER" pull --db laptop.db 1 --from other.db)"
expect "the laptop keeps its own conference 1" 0 \
  "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE
1  sefton  initial  2026-03-03  -  open" "$CONFER" list --db laptop.db

# A mistyped source names the path and creates nothing there.
expect "pull from a path that names nothing" 1 \
  "confer: typo/dir/server.db: no such file: there is no store there to copy from (nothing created)" \
  "$CONFER" pull --db laptop.db 1 --from typo/dir/server.db
check "no directory made for the mistyped path" "no" "$([ -e typo ] && echo yes || echo no)"
expect "push from a laptop file that is not there" 1 \
  "confer: nolaptop.db: no such file: there is no store there to copy from (nothing created)" \
  "$CONFER" push --db nolaptop.db 1 --to server.db
check "no laptop file made" "no" "$([ -e nolaptop.db ] && echo yes || echo no)"
finish
