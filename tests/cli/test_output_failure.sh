# test_output_failure.sh — output that cannot be written (a full disk:
# /dev/full; a pipe whose reader has gone; stdout closed) is told in one line
# on stderr and fails the command, even one that failed for another reason
# too; the REPL goes on recording every line after the failure and tells it
# once. Needs /dev/full and python3 (a pipe with no reader, made without a race).
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
[ -c /dev/full ] || { echo "SKIP: no /dev/full"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/state"
db="$tmp/confer.db"
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'IN'
child Zoë Example | 2017-05-04
person Ann Sample | social worker | children's services
next
IN
full="confer: cannot write the output (No space left on device): what it holds is incomplete"
# The texts of the entries recorded in conference 1, one a line.
entries() { "$CONFER" history --db "$db" 1 | sed -n 's/.*entry\.mapped.*: //p'; }

# The REPL: every line is recorded, the failure told once, the exit status 1.
"$CONFER" run --db "$db" 1 >/dev/full 2>"$tmp/err" <<'IN'
good strengths | FULL-ONE Example | fact | Ann Sample
good strengths | FULL-TWO Example | fact | Ann Sample
worry past_harm | FULL-THREE Example | observation | Ann Sample
IN
check "run >/dev/full: exit status and one line" "1 $full" "$? $(cat "$tmp/err")"
check "run >/dev/full: every entry is recorded" \
  "FULL-ONE Example FULL-TWO Example FULL-THREE Example" "$(entries | tr '\n' ' ' | sed 's/ $//')"

# A refused command fails the session too: the output's failure is still told.
"$CONFER" run --db "$db" 1 >/dev/full 2>"$tmp/err" <<'IN'
nosuchverb
good strengths | FULL-FOUR Example | fact | Ann Sample
IN
check "run >/dev/full with a refusal: exit status and one line" "1 $full" "$? $(cat "$tmp/err")"
check "the entry after the refusal is recorded" "FULL-FOUR Example" "$(entries | tail -n 1)"

# A pipe whose reader has gone: SIGPIPE does not end the session.
printf 'good strengths | PIPE-ONE Example | fact | Ann Sample\ngood strengths | PIPE-TWO Example | fact | Ann Sample\n' >"$tmp/in"
# (python3: its own SIGPIPE is ignored, and subprocess restores it in the child.)
python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)   # no reader: the first write fails with EPIPE, SIGPIPE unless ignored
with open(sys.argv[1]) as commands:
    sys.exit(subprocess.run(sys.argv[2:], stdin=commands, stdout=w).returncode)
' "$tmp/in" "$CONFER" run --db "$db" 1 2>"$tmp/err"
check "a pipe with no reader: exit status and one line" \
  "1 confer: cannot write the output (Broken pipe): what it holds is incomplete" "$? $(cat "$tmp/err")"
check "a pipe with no reader: both entries are recorded" "PIPE-ONE Example PIPE-TWO Example" \
  "$(entries | tail -n 2 | tr '\n' ' ' | sed 's/ $//')"

# Other commands that print a lot; record and locales check once had their own line.
for c in "record --db $db 1" "locales check" "verify --db $db" "history --db $db 1" "plugins list"; do
  # shellcheck disable=SC2086
  "$CONFER" $c >/dev/full 2>"$tmp/err"
  check "${c%% --*} >/dev/full: exit status and one line" "1 $full" "$? $(cat "$tmp/err")"
done

# verify of a broken chain to /dev/full: its own status 1, and the lost output told.
if command -v sqlite3 >/dev/null 2>&1; then
  cp "$db" "$tmp/tampered.db"
  sqlite3 "$tmp/tampered.db" "DROP TRIGGER events_no_update;
    UPDATE events SET payload = replace(payload, 'FULL-ONE', 'FULL-1') WHERE conference = 1"
  "$CONFER" verify --db "$tmp/tampered.db" >"$tmp/out"
  check "verify of a broken chain says so" 1 "$(grep -c 'broken at event' "$tmp/out")"
  "$CONFER" verify --db "$tmp/tampered.db" >/dev/full 2>"$tmp/err"
  check "verify of a broken chain >/dev/full: exit status and one line" "1 $full" "$? $(cat "$tmp/err")"
fi

# A command that fails for its own reason (a plugin with problems) still tells
# that its output is lost; its own exit status stands.
printf 'return {\n' >"$tmp/broken.lua"
"$CONFER" plugins check "$tmp/broken.lua" >"$tmp/out"
check "plugins check of a broken plugin prints its problem" 1 "$(grep -c "broken.lua:" "$tmp/out")"
"$CONFER" plugins check "$tmp/broken.lua" >/dev/full 2>"$tmp/err"
check "plugins check >/dev/full: exit status and one line" "1 $full" "$? $(cat "$tmp/err")"

# stdout closed: a command that prints fails; one that prints nothing does not.
"$CONFER" verify --db "$db" >&- 2>"$tmp/err"
check "verify >&-: exit status and one line" \
  "1 confer: cannot write the output (Bad file descriptor): what it holds is incomplete" \
  "$? $(cat "$tmp/err")"
"$CONFER" plugins check >&- 2>"$tmp/err"
check "plugins check (nothing to print) >&-: exit status, nothing said" "0 " "$? $(cat "$tmp/err")"
finish
