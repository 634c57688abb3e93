#!/bin/sh
# test_locales_lang.sh — the language of the outputs, end to end.
#
# Plays Sefton's test conference (tests/render/conferences/sefton.in) and
# renders the family's and the child's versions in en_GB, cy and pl, comparing
# each with its golden file tests/locales/LANG/AUDIENCE.md (the close time,
# the time the test ran, is replaced by CLOSED_AT). Then: which language is
# chosen (--lang, else CONFER_LANG, else LANG, else en_GB), dates in each
# language (confer.date) and plural forms by each language's rule
# (confer.plural). With UPDATE=1 the goldens are rewritten (review the diff!).
set -u
src=$CONFER_SOURCE/tests
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$CONFER_SOURCE/tests/cli/lib.sh"
# The tests choose the language themselves: nothing from the caller's environment.
unset CONFER_LANG LC_ALL LC_MESSAGES
export LANG=C

in=$src/render/conferences/sefton.in
field() { sed -n "s/^# $1: *//p" "$in" | head -n 1; }
db=$tmp/sefton.db
if ! "$CONFER" new --db "$db" --authority "$(field authority)" --type "$(field type)" \
       --date "$(field date)" --chair "Chair Example" >"$tmp/run.out" 2>&1 ||
   ! "$CONFER" run --db "$db" --chair "Chair Example" 1 <"$in" >"$tmp/run.out" 2>&1; then
  echo "not ok - the conference could not be played: $(tail -n 3 "$tmp/run.out")"; exit 1
fi

normalise() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/CLOSED_AT/g'; }

for lang in en_GB cy pl; do
  for audience in family child; do
    golden=$src/locales/$lang/$audience.md
    "$CONFER" --lang "$lang" record --db "$db" --format md --audience "$audience" 1 \
      >"$tmp/out" 2>"$tmp/err"; st=$?
    check "$lang $audience: exit status and stderr" "0 " "$st $(cat "$tmp/err")"
    if [ "${UPDATE:-0}" = 1 ]; then
      mkdir -p "$src/locales/$lang"; normalise <"$tmp/out" >"$golden"
    elif normalise <"$tmp/out" | diff -u "$golden" - >"$tmp/diff"; then
      echo "ok - $lang $audience matches $golden"
    else
      fails=$((fails + 1)); echo "not ok - $lang $audience differs from $golden"; head -n 40 "$tmp/diff"
    fi
  done
done
# The English family version is the one the record's own golden files hold.
check "en_GB family is the record's family version" "" \
  "$(diff "$src/locales/en_GB/family.md" "$src/render/sefton/family.md")"

# Which language: the first line of the child's version names it.
title() { "$@" record --db "$db" --format md --audience child 1 2>&1 | head -n 1; }
en="# About the meeting for Mia Examplar and Leo Examplar"
cy="# Am y cyfarfod i Mia Examplar a Leo Examplar"
pl="# O spotkaniu w sprawie: Mia Examplar i Leo Examplar"
check "no language set: en_GB" "$en" "$(title "$CONFER")"
check "LANG=cy_GB.UTF-8: cy" "$cy" "$(LANG=cy_GB.UTF-8 title "$CONFER")"
check "LANG=pl_PL.UTF-8: pl" "$pl" "$(LANG=pl_PL.UTF-8 title "$CONFER")"
check "CONFER_LANG=pl beats LANG" "$pl" "$(LANG=cy_GB.UTF-8 CONFER_LANG=pl title "$CONFER")"
check "--lang cy beats CONFER_LANG and LANG" "$cy" \
  "$(LANG=pl_PL.UTF-8 CONFER_LANG=pl title "$CONFER" --lang cy)"
check "--lang=en_GB beats CONFER_LANG" "$en" "$(CONFER_LANG=cy title "$CONFER" --lang=en_GB)"
check "a language without catalogues: en_GB" "$en" "$(title "$CONFER" --lang fr)"
check "LANG=C: en_GB" "$en" "$(LANG=C title "$CONFER")"
# Welsh covers the REPL too: the closing checks of a fresh conference.
"$CONFER" new --db "$tmp/repl.db" --authority sefton --type initial --date 2026-03-03 \
  --chair "Chair Example" >/dev/null 2>&1
printf 'end\nquit\n' | "$CONFER" --lang cy run --db "$tmp/repl.db" --chair "Chair Example" 1 >"$tmp/out" 2>&1
check "cy REPL: closing checks in Welsh" "Gwiriadau cau:
Teipiwch yes i gau'r gynhadledd, neu daliwch ati i gofnodi." \
  "$(grep -e '^Gwiriadau cau:$' -e '^Teipiwch yes' "$tmp/out")"

# A plugin key in no catalogue: the plugin check names its line, and the REPL
# shows the key itself (never a blank) while a key only en_GB has is shown in
# English under --lang cy.
mkdir "$tmp/plugins"
cat >"$tmp/plugins/keyless.lua" <<'LUA'
-- A plugin whose section title key is in no catalogue.
local sos = require "signs_of_safety"
return sos.agenda {
  id = "keyless", name = "Keyless", source = "tests: a key in no catalogue",
  sections = {
    sos.section { id = "visit", title = "keyless.section.visit", prompts = { "sos.mapping.prompt.plain" } },
  },
}
LUA
out=$(CONFER_PLUGIN_PATH=$tmp/plugins "$CONFER" plugins check keyless 2>&1); st=$?
check "missing plugin key reported" "1 $tmp/plugins/keyless.lua:6: section 'visit': title: catalogue key 'keyless.section.visit' has no text" "$st $out"
CONFER_PLUGIN_PATH=$tmp/plugins "$CONFER" new --db "$tmp/keyless.db" --authority keyless --type initial \
  --date 2026-03-03 --chair "Chair Example" >/dev/null 2>&1
out=$(printf 'quit\n' | CONFER_PLUGIN_PATH=$tmp/plugins "$CONFER" --lang cy run --db "$tmp/keyless.db" \
  --chair "Chair Example" 1 2>&1 | head -n 2)
check "missing key shown as the key, en_GB-only key in English" "== 1/1 keyless.section.visit ==
  Use plain words: say what behaviour worries us, not professional jargon." "$out"

# Dates and plurals through the Lua API, in each language.
cat >"$tmp/words.lua" <<'LUA'
local out = { confer.date("2026-03-03"), confer.date("2025-12-28"), confer.date("2024-02-29") }
for _, n in ipairs({ 0, 1, 2, 3, 5, 6, 12, 22, 25, 101 }) do
  out[#out + 1] = confer.plural("store.verify.broken", n, n)
end
print(table.concat(out, "\n"))
LUA
check "en_GB dates and plurals" "Tuesday 3 March 2026
Sunday 28 December 2025
Thursday 29 February 2024
0 chains are broken.
1 chain is broken.
2 chains are broken.
3 chains are broken.
5 chains are broken.
6 chains are broken.
12 chains are broken.
22 chains are broken.
25 chains are broken.
101 chains are broken." "$("$CONFER" lua "$tmp/words.lua" 2>&1)"
check "cy dates" "Dydd Mawrth 3 Mawrth 2026
Dydd Sul 28 Rhagfyr 2025
Dydd Iau 29 Chwefror 2024" "$("$CONFER" --lang cy lua "$tmp/words.lua" 2>&1 | head -n 3)"
check "pl dates" "wtorek, 3 marca 2026
niedziela, 28 grudnia 2025
czwartek, 29 lutego 2024" "$("$CONFER" --lang pl lua "$tmp/words.lua" 2>&1 | head -n 3)"
finish
