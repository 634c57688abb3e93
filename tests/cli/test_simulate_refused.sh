#!/bin/sh
# test_simulate_refused.sh — a simulated conference is written in one batch
# "whole or not at all", but when a scripted line was refused (a fault in the
# scenario) write_simulated ended the batch with store_batch_end, which
# commits: `confer simulate` failed yet left the half-made conference (opened,
# nothing in it) in the database, one more with each --count. The batch is now
# abandoned (store_batch_abandon): rolled back.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
db="$tmp/c.db"
mkdir -p "$tmp/plugins/scenarios"
cat >"$tmp/plugins/scenarios/example_refused.lua" <<'LUA'
return {
  fictional = true,
  title = "Example: a scenario whose child the REPL refuses",
  type = "initial", date = "2025-03-12",
  children = { { name = "Zoe Example", dob = "2019-13-45" } },
  people = { { name = "Ann Example", role = "social worker", agency = "children's services" } },
  statements = {},
}
LUA
export CONFER_PLUGIN_PATH="$tmp/plugins"
expect "a refused line fails simulate" 1 \
  'confer: child Zoe Example | 2019-13-45: error: child: DATE-OF-BIRTH must be a date YYYY-MM-DD, not "2019-13-45"' \
  "$CONFER" simulate --db "$db" example_refused
expect "and leaves no conference" 0 "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE" "$CONFER" list --db "$db"
expect "simulate --count stops at the first" 1 \
  'confer: child Zoe Specimen | 2019-13-45: error: child: DATE-OF-BIRTH must be a date YYYY-MM-DD, not "2019-13-45"' \
  "$CONFER" simulate --db "$db" --count 1 example_refused
expect "still none" 0 "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE" "$CONFER" list --db "$db"
expect "a good scenario after it is written" 0 "1 neglect worcestershire" \
  sh -c '"$1" simulate --db "$2" --count 1 neglect | cut -d" " -f1-3' sh "$CONFER" "$db"
expect "as conference 1" 0 "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE
1  worcestershire  initial  2025-03-12  Kai Specimen  closed" "$CONFER" list --db "$db"
finish
