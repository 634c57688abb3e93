#!/bin/sh
# run_broken.sh — checks that `confer plugins check FILE` refuses one broken plugin.
# Usage: sh run_broken.sh FILE.lua   (with $CONFER the binary)
# FILE's first line is "-- expect: TEXT": the check must exit 1 within 10 s
# and its output (stdout and stderr) must contain TEXT.
set -u
file=$1
: "${CONFER:?CONFER must name the confer binary}"
first=$(head -n 1 "$file")
case $first in
  "-- expect: "?*) expect=${first#-- expect: } ;;
  *) echo "FAIL $file: first line must be '-- expect: TEXT'"; exit 1 ;;
esac
out=$(timeout 10 "$CONFER" plugins check "$file" 2>&1)
status=$?
if [ "$status" -eq 124 ]; then
  echo "FAIL $file: plugins check did not finish within 10 s"
  exit 1
fi
if [ "$status" -ne 1 ]; then
  echo "FAIL $file: exit status $status, expected 1"
  printf '%s\n' "$out"
  exit 1
fi
if ! printf '%s\n' "$out" | grep -qF -- "$expect"; then
  echo "FAIL $file: output does not contain: $expect"
  printf '%s\n' "$out"
  exit 1
fi
echo "ok $file"
