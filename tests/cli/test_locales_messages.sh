#!/bin/sh
# test_locales_messages.sh — the host's messages come from the catalogues, not
# from English written into the C: the date errors a plugin or script meets
# (confer.date, confer.calendar; locales/*/dates.po) are shown in Welsh and
# Polish under --lang, and counts in the practice checks take plural forms
# ("1 danger statement but 0 safety goals").
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$CONFER_SOURCE/tests/cli/lib.sh"
unset CONFER_LANG LC_ALL LC_MESSAGES
export LANG=C

# Each error without its "FILE:LINE: " (and Lua's "bad argument" part, which is Lua's own).
cat >"$tmp/dates.lua" <<'LUA'
local function say(f, ...)
  local ok, err = pcall(f, ...)
  print(ok and "no error" or tostring(err):gsub("^[^:]*:%d+: ", ""):gsub("^bad argument #%d to '[^']+' %((.*)%)$", "%1"))
end
say(confer.date, "2026-13-45")
say(confer.calendar.weekday, "3 March")
say(confer.calendar.bank_holidays, 1066)
say(confer.calendar.deadline, "2026-03-03", "a fortnight before")
say(confer.calendar.deadline, "2026-03-03", "36 hours before")
LUA
expect "en_GB date errors" 0 "'2026-13-45' is not a date YYYY-MM-DD
date YYYY-MM-DD expected, got \"3 March\"
year from 1900 to 2200 expected
deadline \"a fortnight before\": expected \"N working days|days|weeks|months|hours before|after\"
deadline \"36 hours before\": hours must be a multiple of 24" "$CONFER" lua "$tmp/dates.lua"
expect "cy date errors" 0 "nid yw '2026-13-45' yn ddyddiad YYYY-MM-DD
disgwylid dyddiad YYYY-MM-DD, cafwyd \"3 March\"
disgwylid blwyddyn o 1900 i 2200
terfyn amser \"a fortnight before\": disgwylid \"N working days|days|weeks|months|hours before|after\"
terfyn amser \"36 hours before\": rhaid i'r oriau fod yn lluosrif o 24" "$CONFER" --lang cy lua "$tmp/dates.lua"
pl_first=$("$CONFER" --lang pl lua "$tmp/dates.lua" 2>&1 | head -n 1)
[ "$pl_first" = "'2026-13-45' nie jest datą YYYY-MM-DD" ] && echo "ok - pl date error" || fail "pl date error: $pl_first"

# The danger check's counts: each noun takes its own number's form.
cat >"$tmp/danger.lua" <<'LUA'
local danger = require "checks.danger"
local c = confer.conference{authority = "worcestershire", type = "initial", date = "2026-03-03"}
local function say()
  local out = {}
  for _, f in ipairs(danger.run(c)) do out[#out + 1] = f.message end
  print(table.concat(out, " / "))
end
c:record("danger.added", { text = "Example could be cold and ill" })
say()
c:record("danger.added", { text = "Example could miss school" })
c:record("goal.added", { text = "Example has warm clothes every day" })
say()
LUA
expect "danger check plurals" 0 "1 danger statement but 0 safety goals / danger statements without any scaling
2 danger statements but 1 safety goal / danger statements without any scaling" \
  "$CONFER" lua "$tmp/danger.lua"

[ "$fails" = 0 ] || { echo "$fails failed"; exit 1; }
