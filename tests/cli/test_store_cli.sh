# test_store_cli.sh — confer new, list, history, verify against real database
# files: where the database goes and its modes, usage errors, the v1 fixture
# (history, a child's history), tampering with the sqlite3 CLI, files that are
# not ours (left byte-identical) and two processes creating conferences at once.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data"
unset CONFER_DB
mode() { stat -c %a "$1"; }

# The default database and its modes.
out=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Siân Example")
check "new prints the id alone" "1" "$out"
check "default database file mode" 600 "$(mode "$tmp/data/confer/confer.db")"
check "default database directory mode" 700 "$(mode "$tmp/data/confer")"
out=$("$CONFER" new --authority sefton --type review --date 2026-06-03)
check "second conference" "2" "$out"
check "list" "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE
1  worcestershire  initial  2026-03-03  -  open
2  sefton  review  2026-06-03  -  open" "$("$CONFER" list)"
actor=$(id -un)
"$CONFER" history 2 >"$tmp/out"; check "history exit status" 0 "$?"
check "history actor is the OS user without --chair" "$actor" \
  "$(awk -F '  ' '{print $3}' "$tmp/out")"
check "history time is UTC with milliseconds" 1 \
  "$(awk -F '  ' '{print $2}' "$tmp/out" | grep -c '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{3\}Z$')"

# --db and CONFER_DB choose another file; --db wins.
CONFER_DB="$tmp/env.db" "$CONFER" new --authority surrey --type initial --date 2026-01-05 >/dev/null
check "CONFER_DB chooses the file" "1  surrey  initial  2026-01-05  -  open" \
  "$("$CONFER" list --db "$tmp/env.db" | tail -n 1)"
check "CONFER_DB file mode" 600 "$(mode "$tmp/env.db")"
CONFER_DB="$tmp/env.db" "$CONFER" new --db "$tmp/opt.db" --authority cumbria --type review \
  --date 2026-01-06 >/dev/null
check "--db wins over CONFER_DB" "1  cumbria  review  2026-01-06  -  open" \
  "$(CONFER_DB="$tmp/env.db" "$CONFER" list --db "$tmp/opt.db" | tail -n 1)"

# Usage errors: exit 2, one line naming the problem, nothing created.
usage() { # NAME EXPECTED-FIRST-LINE ARGS...
  name=$1 want=$2; shift 2
  "$CONFER" "$@" >"$tmp/out" 2>"$tmp/err"; st=$?
  check "$name: exit status" 2 "$st"
  check "$name: message" "$want" "$(head -n 1 "$tmp/err")"
  check "$name: nothing on stdout" "" "$(cat "$tmp/out")"
}
usage "unknown authority" "confer new: unknown authority 'nowhere' (see confer plugins list)" \
  new --db "$tmp/u.db" --authority nowhere --type initial --date 2026-03-03
usage "impossible date" "confer new: --date must be a real date YYYY-MM-DD, not '2026-02-29'" \
  new --db "$tmp/u.db" --authority sefton --type initial --date 2026-02-29
usage "bad type" "confer new: --type must be initial or review, not 'annual'" \
  new --db "$tmp/u.db" --authority sefton --type annual --date 2026-03-03
usage "missing authority" "confer new: --authority ID is needed" \
  new --db "$tmp/u.db" --type initial --date 2026-03-03
usage "missing date" "confer new: --date YYYY-MM-DD is needed" \
  new --db "$tmp/u.db" --authority sefton --type initial
usage "unknown option" "confer list: unknown option '--colour'" list --colour
usage "option without value" "confer list: --db needs a value" list --db
usage "history without a conference" "confer history: give one conference ID, or --child NAME" \
  history --db "$tmp/u.db"
usage "history with both" "confer history: give one conference ID, or --child NAME" \
  history --db "$tmp/u.db" --child "Zoë Example" 1
usage "list with an argument" "confer list: unexpected argument 'all'" list all
check "usage errors created no database" "no" "$([ -e "$tmp/u.db" ] && echo yes || echo no)"

# The v1 fixture: migrated on open, then history and a child's history.
cp "$CONFER_SOURCE/tests/store/fixtures/v1.db" "$tmp/v1.db"
check "history of a migrated conference" \
"1  2025-09-01T10:01:00.000Z  Siân Example  conference.opened  authority=worcestershire chair=Siân Example date=2025-09-01 id=1 type=initial
2  2025-09-01T10:02:00.000Z  Siân Example  child.added  C1 dob=2016-02-29 name=Zoë Example
3  2025-09-01T10:03:00.000Z  Siân Example  person.added  P1 agency=family name=Ann Example role=mother
4  2025-09-01T10:04:00.000Z  Siân Example  scale.given  score=4 who=Ann Example
5  2025-09-01T10:05:00.000Z  Siân Example  scale.given  score=3 who=iro why=Early days
6  2025-09-01T10:06:00.000Z  Siân Example  conference.closed  at=2025-09-01T12:00:00Z" \
  "$("$CONFER" history --db "$tmp/v1.db" 1)"
check "schema migrated to 3" 3 "$(sqlite3 "$tmp/v1.db" 'PRAGMA user_version')"
check "a migrated rollback-journal file is switched to WAL" wal \
  "$(sqlite3 "$tmp/v1.db" 'PRAGMA journal_mode')"
check "a child's conferences with their scaling" \
"2025-09-01  conference 1  initial  worcestershire  closed
  Ann Example: 4
  iro: 3  Early days
2025-12-01  conference 2  review  worcestershire
  iro: 6  Safety plan working" "$("$CONFER" history --db "$tmp/v1.db" --child "Zoë Example")"
"$CONFER" history --db "$tmp/v1.db" 9 >/dev/null 2>"$tmp/err"
check "history of an unknown conference" "1 confer: unknown conference 9" "$? $(head -n 1 "$tmp/err")"
"$CONFER" history --db "$tmp/v1.db" --child "Nobody Example" >/dev/null 2>"$tmp/err"
check "history of an unknown child" "1 confer: no conference records a child named Nobody Example" \
  "$? $(head -n 1 "$tmp/err")"

# verify, then tampering with the sqlite3 CLI.
"$CONFER" verify --db "$tmp/v1.db" >"$tmp/out"; st=$?
check "verify sound: exit 0" 0 "$st"
check "verify sound: output" "conference 1: chain sound, 6 events
conference 2: chain sound, 3 events
Every chain is sound." "$(cat "$tmp/out")"
sqlite3 "$tmp/v1.db" "UPDATE events SET payload = '{}' WHERE conference = 2 AND seq = 3" 2>"$tmp/err"
check "the trigger refuses an update" 1 "$(grep -c 'events are append-only' "$tmp/err")"
sqlite3 "$tmp/v1.db" "DROP TRIGGER events_no_update;
  UPDATE events SET payload = replace(payload, '6', '9') WHERE conference = 2 AND seq = 3"
"$CONFER" verify --db "$tmp/v1.db" >"$tmp/out"; st=$?
check "verify tampered: exit 1" 1 "$st"
check "verify tampered: names the event" "conference 1: chain sound, 6 events
conference 2: broken at event 3 (its hash does not match its contents or the event before it)
1 chain is broken." "$(cat "$tmp/out")"
"$CONFER" verify --db "$tmp/v1.db" 1 >"$tmp/out"; st=$?
check "verify one sound conference" "0 conference 1: chain sound, 6 events" "$st $(head -n 1 "$tmp/out")"

# confer run on a tampered conference: not refused (a live conference must not
# stop), but warned about before the prompt, in verify's words; the events it
# appends do not launder the tampering, which verify still names.
printf 'note Example note\n' |
  "$CONFER" run --db "$tmp/v1.db" --chair "Siân Example" 2 >"$tmp/out" 2>"$tmp/err"; st=$?
check "run tampered: exit status and the one warning line" "0 confer: warning: conference 2: broken at event 3 (its hash does not match its contents or the event before it); it was changed outside confer: recording continues, and confer verify will keep reporting it" \
  "$st $(cat "$tmp/err")"
check "run tampered: recording goes on" "N1 recorded" "$(tail -n 1 "$tmp/out")"
check "run tampered: the note appended" "5 restricted.noted" \
  "$("$CONFER" history --db "$tmp/v1.db" 2 | wc -l) $("$CONFER" history --db "$tmp/v1.db" 2 |
     tail -n 1 | awk -F '  ' '{print $4}')"
"$CONFER" verify --db "$tmp/v1.db" >"$tmp/out"; st=$?
check "run tampered: verify still names the tampered event" "1 conference 1: chain sound, 6 events
conference 2: broken at event 3 (its hash does not match its contents or the event before it)
1 chain is broken." "$st $(cat "$tmp/out")"
# The record of a tampered conference, the words others will read, is still
# made (the chair may need it), with the same warning; a sound one has none.
"$CONFER" record --db "$tmp/v1.db" 2 >"$tmp/out" 2>"$tmp/err"; st=$?
check "record tampered: exit status and the one warning line" "0 confer: warning: conference 2: broken at event 3 (its hash does not match its contents or the event before it); it was changed outside confer: this record shows it as stored, and confer verify reports it" \
  "$st $(cat "$tmp/err")"
check "record tampered: the record is made" 1 "$(grep -c '^# ' "$tmp/out")"
"$CONFER" record --db "$tmp/v1.db" 1 >"$tmp/out" 2>"$tmp/err"; st=$?
check "record sound: no warning" "0 0" "$st $(wc -c <"$tmp/err")"
# The board of a tampered conference is served as stored, with the same warning
# to whoever started it (the room's page carries none); a sound one has none.
board_stderr() {
  # The last board's files go first: its 'http:' line would end the wait
  # before this board has even started.
  rm -f "$tmp/board.out" "$tmp/board.err"
  "$CONFER" board --db "$tmp/v1.db" "$1" --port 0 >"$tmp/board.out" 2>"$tmp/board.err" &
  board_pid=$!
  for _ in $(seq 50); do grep -q 'http:' "$tmp/board.out" && break; sleep 0.1; done
  kill "$board_pid"; wait "$board_pid"
  cat "$tmp/board.err"
}
check "board tampered: the one warning line" "confer: warning: conference 2: broken at event 3 (its hash does not match its contents or the event before it); it was changed outside confer: the board shows it as stored, and confer verify reports it" \
  "$(board_stderr 2)"
check "board tampered: served all the same" 1 "$(grep -c 'http:' "$tmp/board.out")"
check "board sound: no warning" "" "$(board_stderr 1)"
printf 'note Example note\n' | "$CONFER" run --db "$tmp/v1.db" --chair "Siân Example" 2 \
  >/dev/null 2>"$tmp/err"
check "run tampered again: warned again" 1 "$(grep -c '^confer: warning: conference 2: broken at event 3 ' "$tmp/err")"
printf 'note Example note\n' | "$CONFER" run --chair "Siân Example" 1 >/dev/null 2>"$tmp/err"; st=$?
check "run on a sound chain: no warning" "0 " "$st $(cat "$tmp/err")"

# A zero byte inside a stored text (confer never writes one): SQLite keeps the
# bytes after it, which an outside checker hashes, so verify names the event
# rather than checking the text cut short at the zero, and a load refuses a
# cut text it would use (a cut hash it does not use: record warns, as above).
cp "$CONFER_SOURCE/tests/store/fixtures/v1.db" "$tmp/zero.db"
"$CONFER" list --db "$tmp/zero.db" >/dev/null   # migrated before the change
sqlite3 "$tmp/zero.db" "DROP TRIGGER events_no_update;
  UPDATE events SET payload = payload || char(0) || 'extra' WHERE conference = 1 AND seq = 4;
  UPDATE events SET hash = hash || char(0) || 'extra' WHERE conference = 2 AND seq = 2"
"$CONFER" verify --db "$tmp/zero.db" >"$tmp/out"; st=$?
check "zero byte: verify names the changed events" "1 conference 1: broken at event 4 (its hash does not match its contents or the event before it)
conference 2: broken at event 2 (its hash does not match its contents or the event before it)
2 chains are broken." "$st $(cat "$tmp/out")"
"$CONFER" history --db "$tmp/zero.db" 1 >"$tmp/out" 2>"$tmp/err"; st=$?
check "zero byte in a payload: not loaded" "1 confer: $tmp/zero.db: conference 1: event 4 holds a zero byte, which confer never writes (confer verify)" \
  "$st $(cat "$tmp/err")"
"$CONFER" record --db "$tmp/zero.db" 2 >"$tmp/out" 2>"$tmp/err"; st=$?
check "zero byte in a hash: record warns" "0 confer: warning: conference 2: broken at event 2 (its hash does not match its contents or the event before it); it was changed outside confer: this record shows it as stored, and confer verify reports it" \
  "$st $(cat "$tmp/err")"

# Files that are not ours: one line, exit 1, byte for byte unchanged.
refused() { # NAME FILE EXPECTED
  cp "$2" "$tmp/before"
  "$CONFER" list --db "$2" >/dev/null 2>"$tmp/err"; st=$?
  check "$1: exit status" 1 "$st"
  check "$1: message" "$3" "$(head -n 1 "$tmp/err")"
  cmp -s "$2" "$tmp/before"; check "$1: file unchanged" 0 "$?"
}
printf 'Notes from a meeting, not a database.\n' >"$tmp/notes.txt"
refused "text file" "$tmp/notes.txt" "confer: $tmp/notes.txt: not a confer database"
sqlite3 "$tmp/foreign.db" "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');"
refused "foreign SQLite file" "$tmp/foreign.db" "confer: $tmp/foreign.db: not a confer database"
# A named pipe given as --db (a slip in a script): refused at once, where the
# open waited for ever for a writer; timeout stops a hang with status 124.
mkfifo "$tmp/pipe.db"
timeout 10 "$CONFER" list --db "$tmp/pipe.db" >/dev/null 2>"$tmp/err"; st=$?
check "a named pipe: refused at once" "1 confer: $tmp/pipe.db: not a confer database" \
  "$st $(head -n 1 "$tmp/err")"
"$CONFER" new --db "$tmp/newer.db" --authority sefton --type initial --date 2026-03-03 >/dev/null
sqlite3 "$tmp/newer.db" "PRAGMA journal_mode = DELETE; PRAGMA user_version = 9;" >/dev/null
refused "newer schema" "$tmp/newer.db" \
  "confer: $tmp/newer.db: made by a newer confer (schema 9; this binary knows 3)"
# user_version is signed: a negative one is no schema any confer wrote.
sqlite3 "$tmp/negative.db" "PRAGMA application_id = 1131376230; PRAGMA user_version = -1;
  CREATE TABLE notes (text TEXT);"
refused "negative schema version" "$tmp/negative.db" "confer: $tmp/negative.db: not a confer database"
# A migration that fails (a hand-made table where version 2 puts summaries):
# one line naming the schema it was taking the file to and SQLite's reason;
# the file left byte for byte, in WAL mode or in the rollback-journal mode of
# a file made by another tool (the switch to WAL, which rewrites header bytes
# 18-19, comes only after a migration succeeded).
for journal in wal delete; do
  cp "$CONFER_SOURCE/tests/store/fixtures/v1.db" "$tmp/migrate.db"
  sqlite3 "$tmp/migrate.db" "PRAGMA journal_mode = $journal; CREATE TABLE summaries (note TEXT)" >/dev/null
  cp "$tmp/migrate.db" "$tmp/before"
  "$CONFER" list --db "$tmp/migrate.db" >/dev/null 2>"$tmp/err"; st=$?
  check "a failing migration ($journal): one line" "1 confer: $tmp/migrate.db: migrating to schema 2: table summaries already exists" \
    "$st $(cat "$tmp/err")"
  cmp -s "$tmp/migrate.db" "$tmp/before"; check "a failing migration ($journal): file unchanged" 0 "$?"
  check "a failing migration ($journal): still version 1, same journal mode" "1 $journal" \
    "$(sqlite3 "$tmp/migrate.db" 'PRAGMA user_version; PRAGMA journal_mode' | tr '\n' ' ' | sed 's/ $//')"
done

# Two processes creating conferences at once: every one recorded, no lock errors.
for w in a b; do
  ( i=0; while [ $i -lt 10 ]; do
      "$CONFER" new --db "$tmp/busy.db" --authority sefton --type initial --date 2026-03-03 \
        >>"$tmp/ids.$w" 2>>"$tmp/busy.err" || echo "failed" >>"$tmp/busy.err"
      i=$((i + 1)); done ) &
done
wait
check "parallel: 20 distinct ids" 20 "$(cat "$tmp/ids.a" "$tmp/ids.b" | sort -u | wc -l)"
check "parallel: ids 1..20" "1 20" "$(cat "$tmp/ids.a" "$tmp/ids.b" | sort -n | sed -n '1p;$p' | tr '\n' ' ' | sed 's/ $//')"
check "parallel: no failure or lock message" "" \
  "$(grep -v -e '^-*$' -e Suppression -e 'count *bytes' "$tmp/busy.err")"
"$CONFER" verify --db "$tmp/busy.db" >/dev/null; check "parallel: verify" 0 "$?"

# Three processes creating the same new file at once (the switch to WAL races).
bad=0
for round in 1 2 3 4 5 6 7 8; do
  for w in 1 2 3; do
    "$CONFER" new --db "$tmp/race$round.db" --authority sefton --type initial \
      --date 2026-03-03 >/dev/null 2>"$tmp/race$round.$w.err" &
  done
  wait
  [ "$("$CONFER" list --db "$tmp/race$round.db" | wc -l)" = 4 ] || bad=$((bad + 1))
  grep -q '^confer:' "$tmp/race$round".*.err && bad=$((bad + 1))
done
check "new file created by three processes at once" 0 "$bad"

# Errors name a postgresql:// URI without any password libpq would take from it
# (no server needed: the socket is missing, so the connection fails at once).
for uri in "postgresql:///nowhere?host=$tmp/nosock&sslpassword=Example1&password=s3cret" \
           "postgresql:///nowhere?host=$tmp/nosock&password=Example1&password=s3cret" \
           "postgresql://confer:s3?cret@/nowhere?host=$tmp/nosock"; do
  "$CONFER" list --db "$uri" >/dev/null 2>"$tmp/err"
  check "no password printed for $uri" "1 0" "$? $(grep -cE 's3[?]?cret' "$tmp/err")"
done
check "a password with a '?' goes with the user name" \
  "confer: postgresql://confer@/nowhere?host=$tmp/nosock: cannot connect (" \
  "$(sed 's/ (.*/ (/' "$tmp/err")"

finish
