#!/bin/sh
# test_long_paths.sh — paths longer than a file name may be (PATH_MAX, 4096
# bytes on Linux) are refused with one line naming where the path came from,
# never cut short into another path and used: CONFER_DATA_DIR, the
# allow-list's path (--native-conf, XDG_CONFIG_HOME).
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

# The allow-list's path too long is said to be, not taken for a missing home.
expect "--native-conf too long" 1 "confer: the allow-list's path is too long" \
  "$CONFER" native check --native-conf "$tmp/$(dots 2100)native.conf"
expect "XDG_CONFIG_HOME too long" 1 "confer: the allow-list's path is too long" \
  env XDG_CONFIG_HOME="$tmp/$(dots 2100)" "$CONFER" native check
printf 'print(pcall(native.bind, "/lib/libexample.so", "f", "int f(int x)"))\n' >"$tmp/bind.lua"
expect "native.bind with the allow-list's path too long" 0 \
  "false	native.bind(/lib/libexample.so, f): refused: the allow-list's path is too long" \
  "$CONFER" --native-conf "$tmp/$(dots 2100)native.conf" lua "$tmp/bind.lua"
expect "no home at all" 1 "confer: no home directory to find native.conf in" \
  env -u HOME -u XDG_CONFIG_HOME "$CONFER" native check
finish
