# test_plugins_cli.sh — confer plugins list|check: exact listing, a user's copy
# winning over the shipped plugin, shipped plugins sound, broken ones refused,
# usage errors.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
# Lines the host wrote (a sanitizer's exit report is not the host's output).
host_lines() { grep -v -e '^-*$' -e 'Suppressions used' -e 'count *bytes' "$1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
shipped="$CONFER_SOURCE/plugins"
export XDG_CONFIG_HOME="$tmp/xdg"

# Only the shipped plugins.
CONFER_PLUGIN_PATH= "$CONFER" plugins list >"$tmp/out" 2>"$tmp/err"; st=$?
check "list exit status" 0 "$st"
check "list output" "cumbria          Cumbria          $shipped/cumbria.lua
north_yorkshire  North Yorkshire  $shipped/north_yorkshire.lua
sefton           Sefton           $shipped/sefton.lua
surrey           Surrey           $shipped/surrey.lua
worcestershire   Worcestershire   $shipped/worcestershire.lua" "$(cat "$tmp/out")"

# A user's copy of surrey in CONFER_PLUGIN_PATH wins; a new id is added.
mkdir -p "$tmp/mine"
sed 's/name = "Surrey",/name = "Surrey (test copy)",/' "$shipped/surrey.lua" >"$tmp/mine/surrey.lua"
sed -e 's/id = "surrey",/id = "testshire",/' -e 's/name = "Surrey",/name = "Testshire",/' \
  "$shipped/surrey.lua" >"$tmp/mine/testshire.lua"
CONFER_PLUGIN_PATH="$tmp/mine" "$CONFER" plugins list >"$tmp/out" 2>"$tmp/err"; st=$?
check "list with a user's copy exit status" 0 "$st"
check "user's copy wins" "cumbria          Cumbria             $shipped/cumbria.lua
north_yorkshire  North Yorkshire     $shipped/north_yorkshire.lua
sefton           Sefton              $shipped/sefton.lua
surrey           Surrey (test copy)  $tmp/mine/surrey.lua
testshire        Testshire           $tmp/mine/testshire.lua
worcestershire   Worcestershire      $shipped/worcestershire.lua" "$(cat "$tmp/out")"

# The same through XDG_CONFIG_HOME.
mkdir -p "$XDG_CONFIG_HOME/confer/plugins"
cp "$tmp/mine/surrey.lua" "$XDG_CONFIG_HOME/confer/plugins/surrey.lua"
CONFER_PLUGIN_PATH= "$CONFER" plugins list >"$tmp/out" 2>"$tmp/err"
check "user's config copy wins" "surrey           Surrey (test copy)  $XDG_CONFIG_HOME/confer/plugins/surrey.lua" \
  "$(grep '^surrey' "$tmp/out")"
rm -r "$XDG_CONFIG_HOME/confer"

# The base is a library the agendas require, not an agenda: no conference can be opened on it.
"$CONFER" new --db "$tmp/base.db" --authority signs_of_safety --type initial --date 2026-03-03 \
  >"$tmp/out" 2>"$tmp/err"; st=$?
check "new on the base is refused" "2:confer new: unknown authority 'signs_of_safety' (see confer plugins list)" \
  "$st:$(host_lines "$tmp/err" | head -n 1)"
check "new on the base prints no id" "" "$(cat "$tmp/out")"

# Every shipped plugin is sound: exit 0, nothing printed.
CONFER_PLUGIN_PATH= "$CONFER" plugins check >"$tmp/out" 2>"$tmp/err"; st=$?
check "check all exit status" 0 "$st"

check "check all prints nothing" "" "$(cat "$tmp/out")$(host_lines "$tmp/err")"
CONFER_PLUGIN_PATH= "$CONFER" plugins check cumbria "$shipped/sefton.lua" >"$tmp/out" 2>&1; st=$?
check "check by id and by file" "0:" "$st:$(host_lines "$tmp/out")"

# Problems: one line each, exit 1.
sed 's/scaling = { who = "agencies", iro_overall = false },/scaling = { who = "some", iro_overall = false },/' \
  "$shipped/worcestershire.lua" >"$tmp/mine/worcestershire.lua"
CONFER_PLUGIN_PATH="$tmp/mine" "$CONFER" plugins check worcestershire >"$tmp/out" 2>"$tmp/err"; st=$?
line=$(grep -n 'local agenda = sos.agenda' "$tmp/mine/worcestershire.lua" | cut -d: -f1)
check "bad plugin exit status" 1 "$st"
check "bad plugin problem" "$tmp/mine/worcestershire.lua:$line: scaling.who must be one of agencies, everyone, got 'some'" \
  "$(cat "$tmp/out")"
CONFER_PLUGIN_PATH="$tmp/mine" "$CONFER" plugins check >"$tmp/out" 2>"$tmp/err"; st=$?
check "check all finds the user's bad copy" "1:1" "$st:$(wc -l <"$tmp/out" | tr -d ' ')"
CONFER_PLUGIN_PATH= "$CONFER" plugins check nowhereshire >"$tmp/out" 2>&1; st=$?
check "unknown id" "1:no plugin 'nowhereshire' in the plugin search path (CONFER_PLUGIN_PATH, then the user's and the shipped plugins)" \
  "$st:$(host_lines "$tmp/out")"

# Usage errors: exit 2 and the message first.
"$CONFER" plugins >"$tmp/out" 2>"$tmp/err"; st=$?
check "no subcommand" "2:confer plugins: say what to do: list or check" "$st:$(head -n 1 "$tmp/err")"
"$CONFER" plugins frob >"$tmp/out" 2>"$tmp/err"; st=$?
check "unknown subcommand" "2:confer plugins: unknown subcommand 'frob' (expected list or check)" "$st:$(head -n 1 "$tmp/err")"
"$CONFER" plugins list extra >"$tmp/out" 2>"$tmp/err"; st=$?
check "list with an argument" "2:confer plugins: list takes no arguments, got 'extra'" "$st:$(head -n 1 "$tmp/err")"
"$CONFER" plugins check --all >"$tmp/out" 2>"$tmp/err"; st=$?
check "check with an option" "2:confer plugins: unknown option '--all'" "$st:$(head -n 1 "$tmp/err")"
check "usage errors print nothing on stdout" "" "$(cat "$tmp/out")"

# A plugin path longer than the system takes is named as too long, not cut
# short into another path and opened.
long=$(printf './%.0s' $(seq 2100))x.lua
"$CONFER" plugins check "$long" >"$tmp/out" 2>&1; st=$?
check "a path too long" "1:$(printf './%.0s' $(seq 32))...: File name too long" "$st:$(host_lines "$tmp/out")"

finish
