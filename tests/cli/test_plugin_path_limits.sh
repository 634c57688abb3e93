#!/bin/sh
# test_plugin_path_limits.sh — an entry of CONFER_PLUGIN_PATH too long for a
# path (PATH_MAX, 4096 bytes with its NUL on Linux), or one past the 32
# directories the host keeps, was left out without a word, so an agenda the
# authority installed there was "not found" with no reason; 32 entries even
# pushed out the user's and the shipped plugins. Now every command refuses
# such a path in one line naming CONFER_PLUGIN_PATH, before anything is
# recorded. Empty entries ("a::b") are skipped, as PATH's are, but counted
# in an entry's number so that it can be found.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config"
db="$tmp/c.db"
# A path of N bytes: $tmp then "/." as often as it takes (and a "/" when N - ${#tmp} is odd).
path_of() {
  p="$tmp$(printf '/.%.0s' $(seq $((($1 - ${#tmp}) / 2))))"
  [ ${#p} = "$1" ] || p="$p/"
  printf %s "$p"
}
long=$(path_of 4096)
fits=$(path_of 4095)
check "the long entry is 4096 bytes, the other 4095" "4096 4095" "${#long} ${#fits}"

expect "an entry of 4096 bytes" 1 "confer: CONFER_PLUGIN_PATH: entry 3 is longer than 4095 bytes" \
  env CONFER_PLUGIN_PATH="$tmp/a::$long:$tmp/b" "$CONFER" new --db "$db" --authority sefton \
  --type initial --date 2026-03-03 --chair "Ann Example"
check "nothing recorded" "" "$(ls "$tmp")"
expect "one of 4095 bytes is searched" 0 "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE" \
  env CONFER_PLUGIN_PATH="$tmp/a::$fits:$tmp/b" "$CONFER" list --db "$db"

# 33 directories, the plugin in the last; then 32 (and empty entries, which do not count).
mkdir "$tmp/d33"
cp "$CONFER_SOURCE/plugins/sefton.lua" "$tmp/d33/"
dirs=""
for i in $(seq 32); do dirs="$dirs$tmp/d$i:"; done
expect "33 directories" 1 "confer: CONFER_PLUGIN_PATH: more than 32 directories" \
  env CONFER_PLUGIN_PATH="$dirs$tmp/d33" "$CONFER" plugins list
dirs=""
for i in $(seq 2 32); do dirs="$dirs$tmp/d$i::"; done
expect "32 directories: the plugin in the last is found" 0 "sefton           Sefton           $tmp/d33/sefton.lua" \
  sh -c 'CONFER_PLUGIN_PATH="$2" "$1" plugins list | grep "^sefton"' sh "$CONFER" "$dirs$tmp/d33"
expect "and the shipped plugins after them" 0 \
  "cumbria          Cumbria          $CONFER_SOURCE/plugins/cumbria.lua" \
  sh -c 'CONFER_PLUGIN_PATH="$2" "$1" plugins list | grep "^cumbria"' sh "$CONFER" "$dirs$tmp/d33"

# XDG_CONFIG_HOME (or HOME) too long for the user's plugin directory: it was left
# out unsaid, and the agendas installed there "not found". Refused like the above.
msg="is too long: the user's plugin directory in it would be longer than 4095 bytes"
expect "XDG_CONFIG_HOME too long" 1 "confer: XDG_CONFIG_HOME $msg" \
  env XDG_CONFIG_HOME="$long" "$CONFER" new --db "$tmp/n.db" --authority sefton --type initial --date 2026-03-03
expect "HOME too long, XDG_CONFIG_HOME unset" 1 "confer: HOME $msg" \
  env -u XDG_CONFIG_HOME HOME="$long" "$CONFER" plugins list
expect "HOME too long, XDG_CONFIG_HOME relative (ignored)" 1 "confer: HOME $msg" \
  env XDG_CONFIG_HOME=relative HOME="$long" "$CONFER" plugins list
expect "CONFER_PLUGIN_PATH's problem is the one said when both are" 1 \
  "confer: CONFER_PLUGIN_PATH: entry 1 is longer than 4095 bytes" \
  env CONFER_PLUGIN_PATH="$long" XDG_CONFIG_HOME="$long" "$CONFER" plugins list
check "no database made" "" "$(ls "$tmp" | grep -F n.db)"

# A directory that fits a path but not with "/sefton.lua" added may hold the
# agenda: it is named as too long, not taken for "no plugin 'sefton'".
short=$(path_of 4090)
too_long="the plugin directory $(printf %.64s "$short")... is too long to hold sefton.lua (a path has at most 4095 bytes)"
expect "plugins check: a directory too long for the file" 1 "$too_long" \
  env CONFER_PLUGIN_PATH="$short" "$CONFER" plugins check sefton
expect "new: a directory too long for the file" 1 "confer: $too_long" \
  env CONFER_PLUGIN_PATH="$short" "$CONFER" new --db "$tmp/n.db" --authority sefton --type initial --date 2026-03-03
check "no database made" "" "$(ls "$tmp" | grep -F n.db)"
# The user's plugin directory likewise: $XDG_CONFIG_HOME/confer/plugins fits, with sefton.lua it does not.
user=$(path_of 4076)
expect "XDG_CONFIG_HOME whose plugin directory is too long for the file" 1 \
  "confer: the plugin directory $(printf %.64s "$user/confer/plugins")... is too long to hold sefton.lua (a path has at most 4095 bytes)" \
  env XDG_CONFIG_HOME="$user" "$CONFER" report form --authority sefton
finish
