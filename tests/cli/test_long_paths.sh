#!/bin/sh
# test_long_paths.sh — paths longer than a file name may be (PATH_MAX, 4096
# bytes on Linux) are refused with one line naming where the path came from,
# never cut short into another path and used: CONFER_DATA_DIR, the
# allow-list's path (--native-conf, XDG_CONFIG_HOME), the catalogues of the
# chosen language in a plugin directory.
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
# One that fits, but whose locales/en_GB does not: the start of the path and the reason, one line.
d="$CONFER_SOURCE/$(dots $(( (4084 - ${#CONFER_SOURCE} - 1) / 2 )))"
[ $(( ${#d} % 2 )) = 0 ] || d="$d."
expect "CONFER_DATA_DIR whose catalogues' path does not fit" 1 \
  "confer: $(printf '%.64s' "$d/locales")...: File name too long" \
  env CONFER_DATA_DIR="$d" "$CONFER" list

# The allow-list's path too long is said to be, not taken for a missing home.
expect "--native-conf too long" 1 "confer: the allow-list's path is too long" \
  "$CONFER" native check --native-conf "$tmp/$(dots 2100)native.conf"
# XDG_CONFIG_HOME too long also holds the user's plugins: every command says so first (test_plugin_path_limits).
expect "XDG_CONFIG_HOME too long" 1 \
  "confer: XDG_CONFIG_HOME is too long: the user's plugin directory in it would be longer than 4095 bytes" \
  env XDG_CONFIG_HOME="$tmp/$(dots 2100)" "$CONFER" native check
printf 'print(pcall(native.bind, "/lib/libexample.so", "f", "int f(int x)"))\n' >"$tmp/bind.lua"
expect "native.bind with the allow-list's path too long" 0 \
  "false	native.bind(/lib/libexample.so, f): refused: the allow-list's path is too long" \
  "$CONFER" --native-conf "$tmp/$(dots 2100)native.conf" lua "$tmp/bind.lua"
expect "no home at all" 1 "confer: no home directory to find native.conf in" \
  env -u HOME -u XDG_CONFIG_HOME "$CONFER" native check

# A plugin directory whose locales/en_GB/limits.po fits and whose locales/zz_Z...
# (19 bytes of language code) does not: cut short, the latter named another
# directory, and the plugin's words in the chosen language were silently not read.
code=zz_ZZZZZZZZZZZZZZZZ
mkdir -p "$tmp/data/locales/$code"
ln -s "$CONFER_SOURCE/plugins" "$CONFER_SOURCE/scripts" "$tmp/data/"
ln -s "$CONFER_SOURCE/locales/en_GB" "$tmp/data/locales/"
plugins="$tmp/p/$(dots $(((4071 - ${#tmp} - 3) / 2)))"
[ ${#plugins} = 4071 ] || plugins="$plugins/"
mkdir -p "$plugins/locales/en_GB"
printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "limits.word"\nmsgstr "%s"\n' \
  "the plugin's word" >"$plugins/locales/en_GB/limits.po"
printf 'print(confer.text("limits.word"))\n' >"$tmp/word.lua"
check "the plugin's locales/ is 4080 bytes" 4080 "$(printf %s "$plugins/locales/" | wc -c)"
expect "a plugin's language directory too long" 1 "confer: $(printf %.64s "$plugins/locales")...: File name too long" \
  env CONFER_DATA_DIR="$tmp/data" CONFER_PLUGIN_PATH="$plugins" CONFER_LANG=$code "$CONFER" lua "$tmp/word.lua"
expect "in en_GB the plugin's words are read" 0 "the plugin's word" \
  env CONFER_DATA_DIR="$tmp/data" CONFER_PLUGIN_PATH="$plugins" "$CONFER" lua "$tmp/word.lua"
finish
