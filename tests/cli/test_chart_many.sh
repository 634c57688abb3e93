#!/bin/sh
# test_chart_many.sh — `confer chart` kept at most 1000 of a child's
# conferences (MAX_CONFERENCES) and left out the rest without a word: the
# chart of a child with 1001 lacked the latest. The list now grows as far as
# memory goes. 1000 conferences for one fictional child come from `simulate
# --count` (one transaction each) with a scenario whose names have no
# "Example" for the variants to change; the 1001st, a year later, is the only
# one with a scale, so the chart's words hold it or nothing.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
db="$tmp/c.db"
mkdir -p "$tmp/plugins/scenarios"
scenario() {   # NAME DATE STATEMENTS
  cat >"$tmp/plugins/scenarios/$1.lua" <<LUA
return {
  fictional = true,
  title = "Fictional: one child, conference after conference",
  type = "review", date = "$2",
  children = { { name = "Zoe Fictional", dob = "2019-01-05" } },
  people = { { name = "Ann Fictional", role = "social worker", agency = "children's services" } },
  statements = { $3 },
}
LUA
}
scenario many_plain 2025-03-12 ""
scenario many_last 2026-03-12 '{ id = "s1", section = "scaling", by = "Ann Fictional", says = "7.",
  record = { verb = "scale", who = "Ann Fictional", score = 7 } }'
export CONFER_PLUGIN_PATH="$tmp/plugins"
expect "1000 conferences" 0 1000 \
  sh -c '"$1" simulate --db "$2" --count 1000 many_plain | wc -l' sh "$CONFER" "$db"
expect "and a 1001st" 0 "1001  worcestershire  review  2026-03-12  Zoe Fictional  closed" \
  sh -c '"$1" simulate --db "$2" many_last >/dev/null && "$1" list --db "$2" | tail -n 1' sh "$CONFER" "$db"
expect "the chart" 0 "" "$CONFER" chart --db "$db" --child "Zoe Fictional" -o "$tmp/chart.svg"
check "holds the 1001st conference's scale" \
  '<desc id="chart-desc">Ann Fictional: 7 on 2026-03-12.</desc>' "$(grep '<desc' "$tmp/chart.svg")"
check "and a date under each of the 1001" "1000 1" \
  "$(grep -c '>2025-03-12</text>' "$tmp/chart.svg") $(grep -c '>2026-03-12</text>' "$tmp/chart.svg")"
finish
