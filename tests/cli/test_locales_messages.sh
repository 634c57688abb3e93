#!/bin/sh
# test_locales_messages.sh — the host's messages come from the catalogues, not
# from English written into the C: the date errors a plugin or script meets
# (confer.date, confer.calendar; locales/*/dates.po) are shown in Welsh and
# Polish under --lang, and counts in the practice checks take plural forms
# ("1 danger statement but 0 safety goals"); the REPL's refusals (command.c,
# model.c) are shown in Welsh under --lang cy; and a plugin directory brings its own
# words (tests/plugins/words: locales/en_GB and locales/cy beside the plugin).
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

# The REPL's refusals: a line the parser refuses (host/command.c, repl.po) and
# an entry the record refuses (host/model.c, model.po), in English and Welsh.
"$CONFER" new --db "$tmp/repl.db" --authority sefton --type initial --date 2026-03-03 \
  --chair "Chair Example" >/dev/null 2>&1 || fail "new conference for the REPL"
repl_errors() {
  printf 'scale Example | 11\nreviewdate 2020-01-01\nwithdraw W9\nquit\n' |
    "$CONFER" "$@" run --db "$tmp/repl.db" --chair "Chair Example" 1 2>&1 | grep -e '^error: ' -e '^gwall: '
}
expect "en_GB REPL refusals" 0 'error: scale: SCORE must be a whole number from 0 to 10, not "11"
error: dates.set: "review" 2020-01-01 is not after the conference (2026-03-03)
error: item.withdrawn: no item W9' repl_errors
expect "cy REPL refusals" 0 'gwall: scale: rhaid i SCORE fod yn rhif cyfan o 0 i 10, nid "11"
gwall: dates.set: nid yw "review" 2020-01-01 ar ôl y gynhadledd (2026-03-03)
gwall: item.withdrawn: dim eitem W9' repl_errors --lang cy

# A pseudo-language "zz" whose every text of the record's, the native calls', the
# sandbox's and the board's catalogues starts "[zz] ": a message of those parts
# written back into the C in English would show without it.
mkdir -p "$tmp/data/locales/zz"
for d in plugins scripts; do ln -s "$CONFER_SOURCE/$d" "$tmp/data/$d"; done
ln -s "$CONFER_SOURCE/locales/en_GB" "$tmp/data/locales/en_GB"
for f in store.po native.po sandbox.po board.po; do
  echo "$f" >>"$tmp/data/locales/zz/SCOPE"
  sed 's/^\(msgstr\(\[[0-9]\]\)\{0,1\}\) "\([^"]\)/\1 "[zz] \3/' "$CONFER_SOURCE/locales/en_GB/$f" \
    >"$tmp/data/locales/zz/$f"
done
zz() { CONFER_DATA_DIR=$tmp/data "$CONFER" --lang zz "$@"; }
zz_check=$(zz locales check 2>&1); st=$?
case "$st $zz_check" in
  "0 locales: "*" catalogues, "*" keys, no problems") echo "ok - zz catalogues check clean" ;;
  *) fail "zz catalogues check: $st $zz_check" ;;
esac
expect "zz store: verify" 0 "[zz] conference 1: chain sound, 2 events
[zz] Every chain is sound." zz verify --db "$tmp/repl.db"
expect "zz store: unknown conference" 1 "confer: [zz] unknown conference 99" zz history --db "$tmp/repl.db" 99
cat >"$tmp/sandboxed.lua" <<'LUA'
print((select(2, pcall(require, "no_such_module")):gsub(":.*", "")))
print((select(2, pcall(native.bind, "/no/lib.so", "f", "int f(struct s)")):gsub("^[^)]*%): ", "")))
LUA
expect "zz sandbox and native" 0 "[zz] module 'no_such_module' not found in the plugin path
[zz] refused: bad signature: [zz] 'struct' types are not supported" zz lua "$tmp/sandboxed.lua"
expect "zz board" 1 "confer: [zz] board: \"no-address\" port 8080 is not a numeric IPv4 address and port" \
  zz board --db "$tmp/repl.db" 1 --port 8080 --bind no-address

# A plugin directory's own catalogues: its words in the REPL (Welsh where it has them),
# its keys known to `locales check`, and a catalogue that does not parse named at its line.
words="$CONFER_SOURCE/tests/plugins/words"
wid=$(CONFER_PLUGIN_PATH=$words "$CONFER" new --db "$tmp/words.db" --authority wordsmith --type initial \
  --date 2026-03-03)
expect "a plugin's own words" 0 "== 1/3 What the home visit found ==
  The social worker says what they saw at the home." \
  env CONFER_PLUGIN_PATH="$words" sh -c "echo quit | \"$CONFER\" run --db \"$tmp/words.db\" $wid"
expect "a plugin's own words in Welsh, English where it has none" 0 "== 1/3 Beth a welodd yr ymweliad cartref ==
  The social worker says what they saw at the home." \
  env CONFER_PLUGIN_PATH="$words" sh -c "echo quit | \"$CONFER\" --lang cy run --db \"$tmp/words.db\" $wid"
# The shipped keys and the plugin's two: counted, so that a new shipped key or catalogue does not break this.
files=$(ls "$CONFER_SOURCE"/locales/*/*.po | wc -l)
shipped=$("$CONFER" locales check | sed -n "s/^locales: $files catalogues, \([0-9]*\) keys, no problems\$/\1/p")
expect "locales check knows a plugin's own keys" 0 "locales: $((files + 1)) catalogues, $((shipped + 2)) keys, no problems" \
  env CONFER_PLUGIN_PATH="$words" sh -c "\"$CONFER\" locales check | tail -n 1"
mkdir -p "$tmp/badwords/locales/en_GB"
cp "$words/wordsmith.lua" "$tmp/badwords/"
printf 'msgid "wordsmith.home_visit.title"\nmsgstr "What the home visit found\n' >"$tmp/badwords/locales/en_GB/wordsmith.po"
expect "a plugin catalogue that does not parse: one line naming its line, exit 1" 1 \
  "confer: $tmp/badwords/locales/en_GB/wordsmith.po:2: end-of-line within string" \
  env CONFER_PLUGIN_PATH="$tmp/badwords" "$CONFER" plugins list

finish
