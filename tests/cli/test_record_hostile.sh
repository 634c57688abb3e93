#!/bin/sh
# test_record_hostile.sh — recorded words that a Markdown renderer would
# change. The record's Markdown is CommonMark with GitHub-style tables, read
# on GitHub-flavoured viewers where "~text~" is struck through: a worry "seen
# ~5 times a week, ~3 hours each" would reach every attendee with its middle
# crossed out, as if withdrawn. Each "~" is escaped like "*" and "_".
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"
id=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair Example") ||
  fail "new"
"$CONFER" run "$id" >/dev/null <<'IN' || fail "record the worry"
person Ann Sample | social worker | children's services
worry past_harm | Zoe Example was left alone ~5 times a week, ~3 hours each | observation | Ann Sample
IN
for audience in room family; do
  check "$audience: tildes escaped" 1 \
    "$("$CONFER" record --audience "$audience" "$id" | grep -c 'alone \\~5 times a week, \\~3 hours each')"
done
finish
