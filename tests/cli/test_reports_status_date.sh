#!/bin/sh
# test_reports_status_date.sh — `confer report status` judged a shared report
# "in time" or "late" from a date calendar_parse had refused, so from an
# unset day: the model admits any real date (year 1 on), the calendar only
# 1900 to 2200. Such a date comes only from a copy confer did not write
# (forge_events.py rehashes its chain, as a hostile or damaged file between
# agencies could), and the line now says it cannot tell.
# Needs python3 (with its sqlite3 module).
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
python3 -c 'import sqlite3' 2>/dev/null || { echo "skip: python3 with sqlite3 is not installed"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state"
db="$tmp/c.db"
id=$("$CONFER" new --db "$db" --authority worcestershire --type review --date 2025-04-23) || fail "new"
cat >"$tmp/events.json" <<'JSON'
[["2025-04-01T10:00:00.000Z", "Chair Example", "report.received",
  "{\"agency\":\"school\",\"received\":\"1850-04-10\",\"sections\":{\"Worries\":[\"Late twice a week.\"]}}"],
 ["2025-04-01T10:00:00.000Z", "Chair Example", "report.shared", "{\"agency\":\"school\",\"date\":\"1850-04-11\"}"],
 ["2025-04-01T10:00:00.000Z", "Chair Example", "report.received",
  "{\"agency\":\"health\",\"received\":\"2025-04-10\",\"sections\":{\"Worries\":[\"Weight is low.\"]}}"],
 ["2025-04-01T10:00:00.000Z", "Chair Example", "report.shared", "{\"agency\":\"health\",\"date\":\"2025-04-11\"}"]]
JSON
python3 "$CONFER_SOURCE/tests/cli/forge_events.py" "$db" "$id" "$tmp/events.json" || fail "forge"
expect "a shared date outside the calendar: cannot tell" 0 \
  "Reports reach the family by 2025-04-16 (3 working days before the review conference on 2025-04-23).
school	1850-04-10	1850-04-11	cannot tell: a year from 1900 to 2200 expected
health	2025-04-10	2025-04-11	in time" "$CONFER" report status --db "$db" "$id" --today 2025-04-14
finish
