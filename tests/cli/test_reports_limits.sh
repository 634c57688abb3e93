#!/bin/sh
# test_reports_limits.sh — `confer report status` and `report check` have no
# fixed limit of their own: a conference with more agencies in the room than
# any fixed list would hold shows every one and checks the last one's report;
# a plugin's deadline phrase longer than any fixed buffer (the words may be
# spaced as the author likes) is read whole, never cut into another phrase.
set -u
R="$CONFER_SOURCE/tests/reports"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"

# 70 professionals, each of another agency, then a report from one more.
id=$("$CONFER" new --authority worcestershire --type review --date 2025-04-23 --chair "Chair Example") ||
  fail "new"
for i in $(seq 70); do echo "person Pat Example$i | worker | agency $i"; done |
  "$CONFER" run --chair "Chair Example" "$id" >/dev/null 2>&1 || fail "people"
"$CONFER" report add "$id" --agency police --date 2025-04-14 "$R/worcs_good.md" >/dev/null 2>&1 || fail "add"
expect "status names all 71 agencies" 0 "Reports reach the family by 2025-04-16 (3 working days before the review conference on 2025-04-23).
$(for i in $(seq 70); do printf 'agency %s\tmissing\tnot shared\t2 working days left\n' "$i"; done)
police	2025-04-14	not shared	2 working days left" "$CONFER" report status "$id" --today 2025-04-14
expect "check reaches the 71st agency" 0 "The reports raise nothing." \
  "$CONFER" report check "$id" --agency police

# A deadline phrase of 80 bytes that the contract accepts: the deadline is the phrase's.
mkdir "$tmp/plugins"
phrase="3 working days$(printf ' %.0s' $(seq 60))before"
cat >"$tmp/plugins/spaced.lua" <<LUA
local sos = require "signs_of_safety"
local agenda = sos.agenda { id = "spaced", name = "Spaced Example", source = "tests" }
agenda.timescales.reports = { review = "$phrase" }
return agenda
LUA
export CONFER_PLUGIN_PATH="$tmp/plugins"
expect "a spaced phrase passes the contract" 0 "" "$CONFER" plugins check spaced
id=$("$CONFER" new --authority spaced --type review --date 2025-04-23 --chair "Chair Example") || fail "new spaced"
expect "a spaced phrase read whole" 0 "Reports reach the family by 2025-04-16 ($phrase the review conference on 2025-04-23).
No agency is invited yet: add the professionals, or a report." "$CONFER" report status "$id" --today 2025-04-14
finish
