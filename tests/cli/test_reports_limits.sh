#!/bin/sh
# test_reports_limits.sh — `confer report status` and `report check` have no
# fixed limit of their own: a conference with more agencies in the room than
# any fixed list would hold shows every one and checks the last one's report.
set -u
R="$CONFER_SOURCE/tests/reports"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"

# 70 professionals, each of another agency, then a report from one more.
id=$("$CONFER" new --authority worcestershire --type review --date 2025-04-23 --chair "Chair Example") ||
  fail "new"
for i in $(seq 70); do echo "person Pat Example$i | worker | agency $i"; done |
  "$CONFER" run --chair "Chair Example" "$id" >/dev/null 2>&1 || fail "people"
"$CONFER" report add "$id" --agency police --date 2025-04-14 "$R/worcs_good.md" >/dev/null 2>&1 || fail "add"
expect "status names all 71 agencies" 0 "Reports reach the family by 2025-04-16 (3 working days before the review conference on 2025-04-23).
$(for i in $(seq 70); do printf 'agency %s\tmissing\tnot shared\t2 working days left\n' "$i"; done)
police	2025-04-14	not shared	2 working days left" "$CONFER" report status "$id" --today 2025-04-14
expect "check reaches the 71st agency" 0 "The reports raise nothing." \
  "$CONFER" report check "$id" --agency police
finish
