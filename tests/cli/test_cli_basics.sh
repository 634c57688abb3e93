# test_cli_basics.sh — version, help, unknown commands and options, confer lua.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

out=$("$CONFER" --version); check "--version" "confer 0.1.0" "$out"

"$CONFER" frobnicate >"$tmp/out" 2>"$tmp/err"; st=$?
check "unknown command exit status" 2 "$st"
check "unknown command message" "confer: unknown command 'frobnicate'" "$(head -n 1 "$tmp/err")"
check "unknown command prints usage" 2 "$(wc -l <"$tmp/err" | awk '{print ($1 >= 2) ? 2 : $1}')"
check "unknown command stdout empty" "" "$(cat "$tmp/out")"

"$CONFER" --frob >/dev/null 2>"$tmp/err"; st=$?
check "unknown option exit status" 2 "$st"
check "unknown option message" "confer: unknown option '--frob'" "$(head -n 1 "$tmp/err")"

"$CONFER" >/dev/null 2>&1; check "no command exit status" 2 "$?"

"$CONFER" help >"$tmp/out"; check "help exit status" 0 "$?"
for c in help plugins lua new list history verify run demo locales; do
  grep -q "^  $c " "$tmp/out" || fail "help lists $c"
done

"$CONFER" help nosuch >/dev/null 2>"$tmp/err"; check "help of unknown command" 2 "$?"
"$CONFER" help lua >"$tmp/out"; check "help lua exit status" 0 "$?"
check "help lua first line" "confer lua FILE [ARGS]" "$(head -n 1 "$tmp/out")"

"$CONFER" --lang >/dev/null 2>"$tmp/err"; check "--lang without value" 2 "$?"

cat >"$tmp/ok.lua" <<'LUA'
assert(arg[1] == "one" and arg[2] == "Zoë", "arguments")
local c = confer.conference{authority = "worcestershire", type = "initial", date = "2026-03-03"}
assert(c.authority == "worcestershire" and c.type == "initial")
local p = c:record("person.added", {name = "Zoë Example", role = "teacher", agency = "school"})
assert(p == "P1", p)
assert(c:count("participants") == 1)
assert(confer.where() == arg[0] .. ":7", confer.where())
print("script ran")
LUA
out=$("$CONFER" lua "$tmp/ok.lua" one Zoë); check "confer lua runs a script" "script ran" "$out"

printf 'local x = 1\nerror("something broke")\n' >"$tmp/bad.lua"
"$CONFER" lua "$tmp/bad.lua" >/dev/null 2>"$tmp/err"; st=$?
check "failing script exit status" 1 "$st"
check "failing script message" "confer: $tmp/bad.lua:2: something broke" "$(cat "$tmp/err")"

"$CONFER" lua >/dev/null 2>"$tmp/err"; check "lua without a file" 2 "$?"
"$CONFER" lua "$tmp/none.lua" >/dev/null 2>"$tmp/err"; check "lua missing file" 1 "$?"

finish
