# test_adversarial_input.sh — what a careless chair types on the command line,
# found by an adversarial pass: each refusal names the word that was wrong and
# changes nothing.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data"
unset CONFER_DB
db="$tmp/confer.db"
"$CONFER" new --db "$db" --authority sefton --type initial --date 2026-03-03 \
  --chair "Ann Example" >/dev/null || fail "confer new"

# A negative number where a conference id goes is a bundle of unknown short
# options to getopt ("-12" is -1 -2): the message names that word, not the command.
for c in history verify run check record board push; do
  "$CONFER" "$c" --db "$db" -12 </dev/null >"$tmp/out" 2>"$tmp/err"; st=$?
  check "$c -12: exit status and message" "2 confer $c: unknown option '-12'" \
    "$st $(head -n 1 "$tmp/err")"
done
"$CONFER" report status --db "$db" -12 >/dev/null 2>"$tmp/err"
check "report status -12 names the word" "confer report: unknown option '-12'" "$(head -n 1 "$tmp/err")"
"$CONFER" simulate -12 >/dev/null 2>"$tmp/err"
check "simulate -12 names the word" "confer simulate: unknown option '-12'" "$(head -n 1 "$tmp/err")"
"$CONFER" history --db "$db" -1 >/dev/null 2>"$tmp/err"
check "a word of one letter is still named" "confer history: unknown option '-1'" "$(head -n 1 "$tmp/err")"
"$CONFER" history --db "$db" --nosuch=12 >/dev/null 2>"$tmp/err"
check "an unknown long option is still named" "confer history: unknown option '--nosuch=12'" \
  "$(head -n 1 "$tmp/err")"
# An option the command does not take, given with its value as the next word:
# the option is named, not its value.
"$CONFER" verify --db "$db" --chair "Ann Example" >/dev/null 2>"$tmp/err"
check "verify --chair NAME names --chair" "confer verify: unknown option '--chair'" "$(head -n 1 "$tmp/err")"
"$CONFER" list --db "$db" --authority sefton >/dev/null 2>"$tmp/err"
check "list --authority ID names --authority" "confer list: unknown option '--authority'" \
  "$(head -n 1 "$tmp/err")"
"$CONFER" list --db "$db" --authority=sefton >/dev/null 2>"$tmp/err"
check "list --authority=ID names the word" "confer list: unknown option '--authority=sefton'" \
  "$(head -n 1 "$tmp/err")"
check "none of it changed the conference" 1 "$("$CONFER" history --db "$db" 1 | wc -l)"

# The chair's name goes into every event and history prints it to the terminal:
# an escape sequence in --chair is refused before anything is written.
printf 'danger Example danger\n' |
  "$CONFER" run --db "$db" --chair "$(printf 'Bob\033]0;title\007Example')" 1 >"$tmp/out" 2>"$tmp/err"
check "run --chair with an escape: exit status and message" \
  "2 confer run: --chair contains a control character" "$? $(head -n 1 "$tmp/err")"
printf 'danger Example danger\n' |
  "$CONFER" run --db "$db" --chair "$(printf 'Bob \377Example')" 1 >"$tmp/out" 2>"$tmp/err"
check "run --chair not UTF-8: exit status and message" \
  "2 confer run: --chair is not valid UTF-8" "$? $(head -n 1 "$tmp/err")"
check "neither wrote an event or a claim" "1 0" \
  "$("$CONFER" history --db "$db" 1 | wc -l) $(sqlite3 "$db" 'SELECT count(*) FROM claims' 2>/dev/null || echo 0)"

# An empty --db (a script's `--db "$FILE"` with FILE unset) is refused, not
# taken as the chair's own default database, which must stay untouched.
mkdir -p "$tmp/data/confer"
"$CONFER" new --authority sefton --type initial --date 2026-03-03 >/dev/null 2>&1
default="$tmp/data/confer/confer.db"
cp "$default" "$tmp/default.before"
empty="confer: the database is given as an empty name: give a file or a postgresql:// URI, or leave the option out for the default database"
printf 'danger Example danger\n' | "$CONFER" run --db "" 1 >/dev/null 2>"$tmp/err"
check "run --db '': exit status and message" "1 $empty" "$? $(head -n 1 "$tmp/err")"
"$CONFER" new --db "" --authority sefton --type initial --date 2026-03-03 >/dev/null 2>"$tmp/err"
check "new --db '': exit status and message" "1 $empty" "$? $(head -n 1 "$tmp/err")"
"$CONFER" push --db "$db" 1 --to "" >/dev/null 2>"$tmp/err"
check "push --to '': exit status and message" "1 $empty" "$? $(head -n 1 "$tmp/err")"
"$CONFER" list --db "" >/dev/null 2>"$tmp/err"
check "list --db '': exit status and message" "1 $empty" "$? $(head -n 1 "$tmp/err")"
cmp -s "$default" "$tmp/default.before"
check "the default database is byte for byte as it was" 0 "$?"
check "it still holds one conference, nothing recorded" "1" "$("$CONFER" history 1 | wc -l)"
CONFER_DB= "$CONFER" list >"$tmp/out" 2>&1
check "an empty CONFER_DB still means the default database" 2 "$(wc -l <"$tmp/out")"

# Output that cannot be written (a full disk: /dev/full) fails the command
# with one line, rather than leaving a cut-off file behind an exit status of 0.
if [ -c /dev/full ]; then
  full="confer: cannot write the output (No space left on device): what it holds is incomplete"
  for c in "list --db $db" "history --db $db 1" "verify --db $db" "help"; do
    # shellcheck disable=SC2086
    "$CONFER" $c >/dev/full 2>"$tmp/err"
    check "${c%% *} >/dev/full: exit status and message" "1 $full" "$? $(cat "$tmp/err")"
  done
  "$CONFER" record --db "$db" 1 >/dev/full 2>"$tmp/err"
  check "record says it once, as the others do" "1 $full" "$? $(cat "$tmp/err")"
else
  echo "ok - # SKIP output to a full disk: no /dev/full"
fi

# Commands that cannot be read (stdin a directory) end the session
# with one line and exit 1, not as a script read to its end.
mkdir "$tmp/adir"
"$CONFER" run --db "$db" 1 <"$tmp/adir" >/dev/null 2>"$tmp/err"
check "run < a directory: exit status and message" \
  "1 confer: cannot read the commands (Is a directory); what was read before is recorded" \
  "$? $(cat "$tmp/err")"

finish
