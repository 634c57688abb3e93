#!/bin/sh
# run_transcript.sh — plays one golden REPL transcript and compares the output.
#
#   sh tests/repl/run_transcript.sh FILE.in     (needs $CONFER, the binary)
#
# FILE.in is what a chair types, read by `confer run` from a pipe (no prompt).
# Its first lines are comments giving the conference to create:
#   # authority: ID      # type: initial|review      # date: YYYY-MM-DD
#   # status: N          (the exit status expected: 1 when a command fails)
# Its output (stdout: errors are printed in order there) must equal FILE.out exactly.
# With UPDATE=1 the output is written to FILE.out instead (review the diff!).
set -u
in=$1
out=${in%.in}.out
field() { sed -n "s/^# $1: *//p" "$in" | head -n 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db="$tmp/confer.db"

"$CONFER" new --db "$db" --authority "$(field authority)" --type "$(field type)" \
  --date "$(field date)" --chair "Chair Example" >"$tmp/new" 2>&1 || {
  echo "not ok - $in: confer new failed: $(cat "$tmp/new")"; exit 1; }
"$CONFER" run --db "$db" --chair "Chair Example" 1 <"$in" >"$tmp/got" 2>"$tmp/stderr"
status=$?

if [ "${UPDATE:-0}" = 1 ]; then
  cp "$tmp/got" "$out"
  echo "updated $out (exit status $status)"
  exit 0
fi
ok=1
if [ "$status" != "$(field status)" ]; then
  echo "not ok - $in: exit status $status, expected $(field status)"; ok=0
fi
if ! diff -u "$out" "$tmp/got" >"$tmp/diff"; then
  echo "not ok - $in: output differs from $out"; cat "$tmp/diff"; ok=0
fi
if [ "$ok" = 1 ]; then echo "ok - $in"; exit 0; fi
exit 1
