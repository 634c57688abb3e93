#!/bin/sh
# test_locales_plurals.sh — a count with a noun takes the catalogue's plural
# form: the REPL's closing checks ("1 point", "7 points"; repl.gaps) in en_GB
# through the REPL and confer.plural, and in Welsh, whose rule has six forms
# (0, 1, 2, 3, 6, other: "1 pwynt", "2 bwynt", "3 phwynt", "7 o bwyntiau").
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$CONFER_SOURCE/tests/cli/lib.sh"
unset CONFER_LANG LC_ALL LC_MESSAGES
export LANG=C

# The forms of repl.gaps for N = 0, 1, 2, 3, 6, 7, one a line.
cat >"$tmp/forms.lua" <<'LUA'
local out = {}
for _, n in ipairs({ 0, 1, 2, 3, 6, 7 }) do out[#out + 1] = confer.plural("repl.gaps", n, n) end
print(table.concat(out, "\n"))
LUA
check "en_GB forms" "0 points to settle before closing
1 point to settle before closing
2 points to settle before closing
3 points to settle before closing
6 points to settle before closing
7 points to settle before closing" "$("$CONFER" lua "$tmp/forms.lua" 2>&1)"
check "cy forms (six)" "0 pwynt i'w setlo cyn cau
1 pwynt i'w setlo cyn cau
2 bwynt i'w setlo cyn cau
3 phwynt i'w setlo cyn cau
6 phwynt i'w setlo cyn cau
7 o bwyntiau i'w setlo cyn cau" "$("$CONFER" --lang cy lua "$tmp/forms.lua" 2>&1)"

# Through the REPL: `end` at once leaves seven points of Surrey's agenda; once everything
# is recorded but something the child said, one.
db=$tmp/c.db
"$CONFER" new --db "$db" --authority surrey --type initial --date 2026-03-03 \
  --chair "Chair Example" >/dev/null 2>"$tmp/err" || { echo "not ok - new: $(cat "$tmp/err")"; exit 1; }
gaps() { # [--lang L] : the line after the closing checks' list
  printf 'end\n' | "$CONFER" "$@" run --db "$db" --chair "Chair Example" 1 2>&1 | grep -E 'settle|setlo'
}
check "REPL en_GB: 7 points" "7 points to settle before closing" "$(gaps)"
check "REPL cy: 7 o bwyntiau" "7 o bwyntiau i'w setlo cyn cau" "$(gaps --lang cy)"
"$CONFER" run --db "$db" --chair "Chair Example" 1 >"$tmp/out" 2>&1 <<'IN'
child Zoe Example
person Ann Sample | social worker | children's services
worry past_harm | Zoe came to school with a bruise
good existing_safety | Zoe's aunt collects her
danger Zoe could be hurt
goal Zoe is safe at home
scale Ann Sample | 5
decide cin
IN
check "REPL en_GB: 1 point" "1 point to settle before closing" "$(gaps)"
check "REPL cy: 1 pwynt" "1 pwynt i'w setlo cyn cau" "$(gaps --lang cy)"
finish
