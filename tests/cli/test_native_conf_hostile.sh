#!/bin/sh
# test_native_conf_hostile.sh — allow-lists that are not what they seem: a
# FIFO where the file should be (opening it would wait for a writer for
# ever), a symlink to a file someone else owns or anyone may write, a
# directory. Each is refused with one line naming the path, at once.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
command -v mkfifo >/dev/null 2>&1 || { echo "skip: mkfifo is not installed"; exit 77; }
command -v timeout >/dev/null 2>&1 || { echo "skip: timeout is not installed"; exit 77; }
native() { timeout 10 "$CONFER" native check --native-conf "$@" 2>&1; }

mkfifo "$tmp/fifo.conf"
out=$(native "$tmp/fifo.conf"); st=$?
check "a FIFO: refused at once, not waited on" "1|confer: $tmp/fifo.conf: not trusted: not a regular file" "$st|$out"

printf '/usr/lib/libc.so.6 | int abs(int j)\n' >"$tmp/shared.conf"
chmod 666 "$tmp/shared.conf"
ln -s "$tmp/shared.conf" "$tmp/link.conf"
out=$(native "$tmp/link.conf"); st=$?
check "a symlink to a file anyone may write" \
  "1|confer: $tmp/link.conf: not trusted: writable by group or others (chmod go-w $tmp/link.conf)" "$st|$out"

out=$(native "$tmp"); st=$?
check "a directory" "1|confer: $tmp: not trusted: not a regular file" "$st|$out"
finish
