#!/bin/sh
# test_native_trust.sh — allow-list entries that would let someone other than
# the chair choose the code confer runs, or run what is not code: a library in
# a directory anyone may write (or reached through a link into one), a library
# file anyone may write, a variable listed as a function (calling it would
# jump into data), one function listed twice with two signatures, a zero byte
# that would cut the rest of a line off unseen. Each is named with one line.
# Needs $CONFER_NATIVE_TESTLIB (ctest).
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
lib="$CONFER_NATIVE_TESTLIB"
native() { "$CONFER" native check --native-conf "$1" 2>&1; }
entry() { printf '%s | %s\n' "$1" "$2" >"$tmp/n.conf"; chmod 600 "$tmp/n.conf"; }

mkdir "$tmp/open"; chmod 777 "$tmp/open"; cp "$lib" "$tmp/open/libt.so"; chmod 644 "$tmp/open/libt.so"
entry "$tmp/open/libt.so" 'int t_int(int x)'
check "a directory anyone may write" "$tmp/n.conf:1: library $tmp/open/libt.so is not trusted: $tmp/open can be changed by someone other than root or you
confer: 1 of 1 native entry failed" "$(native "$tmp/n.conf")"

ln -s "$tmp/open/libt.so" "$tmp/link.so"
entry "$tmp/link.so" 'int t_int(int x)'
check "a link into such a directory" "$tmp/n.conf:1: library $tmp/link.so is not trusted: $tmp/open can be changed by someone other than root or you
confer: 1 of 1 native entry failed" "$(native "$tmp/n.conf")"

chmod 755 "$tmp/open"; chmod 666 "$tmp/open/libt.so"
entry "$tmp/open/libt.so" 'int t_int(int x)'
check "a library file anyone may write" "$tmp/n.conf:1: library $tmp/open/libt.so is not trusted: $tmp/open/libt.so can be changed by someone other than root or you
confer: 1 of 1 native entry failed" "$(native "$tmp/n.conf")"

chmod 644 "$tmp/open/libt.so"
check "the same library, once only its owner may write it" "ok  $tmp/open/libt.so | int t_int(int x)" \
  "$(native "$tmp/n.conf")"

entry "$lib" 'int t_data(void)'
check "a variable listed as a function" "$tmp/n.conf:1: $lib: 't_data' is not a function
confer: 1 of 1 native entry failed" "$(native "$tmp/n.conf")"

printf '%s | int t_int(int x)\n%s | int t_int(int64_t x)\n' "$lib" "$lib" >"$tmp/n.conf"
check "one function, two signatures" "confer: $tmp/n.conf:2: 't_int' of this library is already listed at line 1" \
  "$(native "$tmp/n.conf")"

printf '%s | int t_int(int x)\000, int y)\n' "$lib" >"$tmp/n.conf"
check "a zero byte in a line" "confer: $tmp/n.conf:1: a zero byte in the line" "$(native "$tmp/n.conf")"
finish
