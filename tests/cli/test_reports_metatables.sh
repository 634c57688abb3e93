#!/bin/sh
# test_reports_metatables.sh — `confer report` reads an agenda's report forms
# and report deadlines as plain data, never running the plugin's code: a
# metatable the plugin set on those tables (here one whose __index raises)
# is not consulted, where before its error escaped every protected call and
# Lua aborted the process.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db" CONFER_PLUGIN_PATH="$tmp/plugins"
. "$CONFER_SOURCE/tests/cli/lib.sh"
mkdir "$tmp/plugins"
cat >"$tmp/plugins/meta_forms.lua" <<'LUA'
local sos = require "signs_of_safety"
local agenda = sos.agenda { id = "meta_forms", name = "Meta Example", source = "tests" }
local raises = { __index = function() error("a plugin's __index ran") end }
agenda.report_forms.review = nil
setmetatable(agenda.report_forms, raises)
agenda.timescales.reports = setmetatable({}, raises)
return agenda
LUA
expect "plugins check" 0 "" "$CONFER" plugins check meta_forms
expect "a form that is not there" 1 "confer: Meta Example has no review agency report form" \
  "$CONFER" report form --authority meta_forms --type review
check "the form that is" "# Agency report to a child protection conference" \
  "$("$CONFER" report form --authority meta_forms --type initial 2>&1 | head -n 1)"
id=$("$CONFER" new --authority meta_forms --type initial --date 2026-03-03 --chair "Chair Example") ||
  fail "new"
expect "no deadline set: the default" 0 \
"Reports reach the family by 2026-03-02 (24 hours before the initial conference on 2026-03-03).
No agency is invited yet: add the professionals, or a report." \
  "$CONFER" report status "$id" --today 2026-02-20
finish
