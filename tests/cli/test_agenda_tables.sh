# test_agenda_tables.sh — the agenda tables the shipped plugins build, exactly:
# every field of each authority's agenda, recursively, with metatables, places
# ("where") and which tables are shared with the base or another agenda
# (agenda_tables.lua prints them; agenda_tables.expected is what they must be).
# After a deliberate change to a shipped plugin, read the diff this test
# prints, then record the new tables from the source tree:
#   build/confer lua tests/cli/agenda_tables.lua > tests/cli/agenda_tables.expected
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

"$CONFER" lua "$CONFER_SOURCE/tests/cli/agenda_tables.lua" >"$tmp/out" 2>"$tmp/err"; st=$?
check "dump exit status" 0 "$st"
check "dump errors" "" "$(cat "$tmp/err")"
if diff -u "$CONFER_SOURCE/tests/cli/agenda_tables.expected" "$tmp/out" >"$tmp/diff"; then
  check "agenda tables" same same
else
  check "agenda tables" "as in agenda_tables.expected" "$(head -40 "$tmp/diff")"
fi
finish
