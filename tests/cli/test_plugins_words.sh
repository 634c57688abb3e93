#!/bin/sh
# test_plugins_words.sh — the words of `confer plugins check`: a key a plugin's
# code gives confer.text or confer.plural with no text is named at its line
# (tests/plugins/untexted, tests/plugins/locales); the contract's problems are
# the catalogue's words (locales/en_GB/contract.po: every key contract.lua
# names is there and every key there is named; a language "zz" shows its
# own); and a plugin that replaces the globals the contract uses cannot
# change or silence what it reports.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
unset CONFER_LANG LC_ALL LC_MESSAGES
export LANG=C

# Keys given to confer.text / confer.plural without text: one line each, at the call's line, once
# per line; keys with a text (shipped, or the plugin directory's own), in comments or not given
# to a call are not problems.
untexted=$CONFER_SOURCE/tests/plugins/untexted
u=$untexted/untextshire.lua
expect "calls without text: untextshire" 1 "$u:16: catalogue key 'untextshire.enter.greeting' has no text
$u:36: catalogue key 'untextshire.check.crowd' has no text
$u:38: catalogue key 'untextshire.check.spaced' has no text" \
  env CONFER_PLUGIN_PATH="$untexted" "$CONFER" plugins check untextshire
# After the keys its declarations give without text, as `locales check` lists them all.
w=$CONFER_SOURCE/tests/plugins/locales/wordshire.lua
expect "calls without text: wordshire, after its declarations" 1 "$w:15: section 'welcome': title: catalogue key 'wordshire.welcome.title' has no text
$w:9: checks[5].message: catalogue key 'wordshire.check.welcomed' has no text
$w:25: catalogue key 'wordshire.check.crowded' has no text" "$CONFER" plugins check "$w"

# Every contract.* key scripts/contract.lua names has its text in contract.po, and no other is there.
grep -o '"contract\.[a-z_.]*"' "$CONFER_SOURCE/scripts/contract.lua" | tr -d '"' | sort -u >"$tmp/named"
sed -n 's/^msgid "\(contract\..*\)"$/\1/p' "$CONFER_SOURCE/locales/en_GB/contract.po" | sort >"$tmp/given"
check "contract.lua names keys" 1 "$([ -s "$tmp/named" ] && echo 1 || echo 0)"
check "every key contract.lua names is in contract.po, and only those" "" "$(diff "$tmp/named" "$tmp/given")"

# A language zz whose every contract text starts "[zz] ": the contract's problems, and the
# section's name within them, are the catalogue's.
mkdir -p "$tmp/data/locales/zz" "$tmp/plugins"
for d in plugins scripts; do ln -s "$CONFER_SOURCE/$d" "$tmp/data/$d"; done
ln -s "$CONFER_SOURCE/locales/en_GB" "$tmp/data/locales/en_GB"
echo contract.po >"$tmp/data/locales/zz/SCOPE"
sed 's/^msgstr "\(.\)/msgstr "[zz] \1/' "$CONFER_SOURCE/locales/en_GB/contract.po" >"$tmp/data/locales/zz/contract.po"
cat >"$tmp/plugins/zzshire.lua" <<'LUA'
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "zzshire", name = "Zzshire", source = "Example", colour = "red",
  sections = { sos.section { id = "visit", title = "zzshire.visit.title" } },
}
return agenda
LUA
zz_check=$(CONFER_DATA_DIR=$tmp/data "$CONFER" --lang zz locales check 2>&1); st=$?
case "$st $zz_check" in
  "0 locales: "*" catalogues, "*" keys, no problems") echo "ok - zz catalogues check clean" ;;
  *) fail "zz catalogues check: $st $zz_check" ;;
esac
z=$tmp/plugins/zzshire.lua
expect "zz contract words" 1 "$z:2: [zz] [zz] agenda: unknown field 'colour' (expected one of categories, chair_only, checks, columns, decision, evidence, family_first, glossary, goals, hooks, id, name, plan_rules, record, report_forms, restricted, scaling, sections, source, timescales, where)
$z:4: [zz] [zz] section 'visit': title: catalogue key 'zzshire.visit.title' has no text" \
  env CONFER_DATA_DIR="$tmp/data" "$CONFER" --lang zz plugins check "$z"
expect "the same in English" 1 "$z:2: agenda: unknown field 'colour' (expected one of categories, chair_only, checks, columns, decision, evidence, family_first, glossary, goals, hooks, id, name, plan_rules, record, report_forms, restricted, scaling, sections, source, timescales, where)
$z:4: section 'visit': title: catalogue key 'zzshire.visit.title' has no text" \
  "$CONFER" plugins check "$z"

# A plugin that replaces confer.text, string.format and tonumber before it is checked: the
# contract took its own at load, so every problem is still found, in the catalogue's words.
cat >"$tmp/plugins/blindshire.lua" <<'LUA'
local sos = require "signs_of_safety"
confer.text = function() return "" end
string.format = function() return "" end
tonumber = function() return 1 end
local agenda = sos.agenda {
  id = "blindshire", name = "Blindshire", source = "Example",
  scaling = { who = "some", iro_overall = false },
  timescales = { first_review = "0 months after" },
}
return agenda
LUA
b=$tmp/plugins/blindshire.lua
expect "replaced globals do not blind the contract" 1 "$b:5: scaling.who must be one of agencies, everyone, got 'some'
$b:5: timescales.first_review must be at least 1 day, week, month or hour, got \"0 months after\" (the conference itself)" \
  "$CONFER" plugins check "$b"

finish
