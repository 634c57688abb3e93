#!/bin/sh
# test_training_scenario_error.sh — `confer debrief` asks the training
# module's scenario_of which scenario a conference was played from. When it
# raised an error (a training.lua earlier on the plugin path, unfinished),
# debrief said the conference "was not played from a training scenario",
# which was false and hid the error: it now reports the error, one line
# naming the file and line; a nil answer still says it was not played.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state"
db="$tmp/c.db"
mkdir "$tmp/raises" "$tmp/nil"
cat >"$tmp/raises/training.lua" <<'LUA'
local T = {}
function T.scenario_of()
  error("no scenario table for Example\nsecond line")
end
return T
LUA
printf 'local T = {}\nfunction T.scenario_of() return nil end\nreturn T\n' >"$tmp/nil/training.lua"
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null || fail "new"
export CONFER_PLUGIN_PATH="$tmp/raises"
expect "debrief, scenario_of raising: the error" 1 \
  "confer: $tmp/raises/training.lua:3: no scenario table for Example second line" \
  "$CONFER" debrief --db "$db" 1
export CONFER_PLUGIN_PATH="$tmp/nil"
expect "debrief, scenario_of giving nil: not played" 1 \
  "confer: conference 1 was not played from a training scenario (give --scenario NAME)" \
  "$CONFER" debrief --db "$db" 1
finish
