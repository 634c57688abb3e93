#!/bin/sh
# test_training_no_text.sh — print_debrief passed what the training module's
# formatter (markdown or json) returned straight to fputs: a training.lua
# earlier on the plugin path whose formatter returns nil (an authority's own
# debrief, unfinished) crashed `confer debrief` and `confer train` (NULL
# dereference, SIGSEGV) instead of saying so, as record and scenario_of
# already do ("NAME: no text").
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
db="$tmp/c.db"
mkdir "$tmp/plugins"
cat >"$tmp/plugins/training.lua" <<'LUA'
local T = {}
function T.start() return {type = "initial", date = "2026-03-03"} end
function T.intro() return {} end
function T.section() return {last = true, said = {}, commands = {}} end
function T.scenario_of() return "example" end
function T.debrief() return {} end
function T.markdown() return nil end
function T.json() return 42 end
return T
LUA
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
export CONFER_PLUGIN_PATH="$tmp/plugins"
expect "debrief, markdown giving nil" 1 "confer: markdown: no text" "$CONFER" debrief --db "$db" 1
expect "debrief --json, a number is text" 0 "42" "$CONFER" debrief --db "$db" --json 1
"$CONFER" train --db "$db" --as chair example </dev/null >"$tmp/out" 2>"$tmp/err"
check "train, then its debrief: status" 1 "$?"
check "train, then its debrief: error" "confer: markdown: no text" "$(cat "$tmp/err")"
finish
