#!/bin/sh
# test_long_paths.sh — paths longer than a file name may be (PATH_MAX, 4096
# bytes on Linux) are refused with one line naming where the path came from,
# never cut short into another path and used: CONFER_DATA_DIR.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
# "./" N times: a path of 2N bytes that names the current directory.
dots() { printf './%.0s' $(seq "$1"); }

# CONFER_DATA_DIR of 4200 bytes: named, and no database made.
expect "CONFER_DATA_DIR too long" 1 "confer: CONFER_DATA_DIR: File name too long" \
  env CONFER_DATA_DIR="$CONFER_SOURCE/$(dots 2100)" "$CONFER" list
check "CONFER_DATA_DIR too long: nothing made" "" "$(ls "$tmp")"
finish
