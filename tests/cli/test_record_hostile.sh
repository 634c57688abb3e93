#!/bin/sh
# test_record_hostile.sh — recorded words that a Markdown renderer would
# change. The record's Markdown is CommonMark with GitHub-style tables, read
# on GitHub-flavoured viewers where "~text~" is struck through: a worry "seen
# ~5 times a week, ~3 hours each" would reach every attendee with its middle
# crossed out, as if withdrawn. Each "~" is escaped like "*" and "_".
# A text that is only dashes ("---", "- - -") would be a horizontal rule, and
# the text lost; "&copy;" or "&amp;" typed by a chair would be shown as the
# character it names; a text that begins "- ", "+ " or "2. " would become a
# list of its own (nested in the list item that holds it). Each is escaped
# where, and only where, it would be read so: a lone "&" or a dash among
# words is left as it is.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"
id=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair Example") ||
  fail "new"
"$CONFER" run "$id" >/dev/null <<'IN' || fail "record the worry"
person Ann Sample | social worker | children's services
worry past_harm | Zoe Example was left alone ~5 times a week, ~3 hours each | observation | Ann Sample
danger ---
danger - - -
danger ***
danger ___
danger --
danger - Dad said he would leave
danger 2. Mum keeps the door locked
danger + and 3) more
danger 12.
goal &copy; 2026 &amp; &#39;quoted&#39;, &#x27;, Tom & Jerry &nbsp and well-being
decide none
escalation -----
IN
for audience in room family; do
  check "$audience: tildes escaped" 1 \
    "$("$CONFER" record --audience "$audience" "$id" | grep -c 'alone \\~5 times a week, \\~3 hours each')"
done
# The room's record: a list item and a paragraph (the escalation) of dashes alone.
"$CONFER" record --audience room "$id" >"$tmp/room.md"
check "room: dashes, stars and underscores read back" '- D1: ---
- D2: - - -
- D3: \*\*\*
- D4: \_\_\_
- D5: --
- D6: - Dad said he would leave
- D7: 2. Mum keeps the door locked
- D8: + and 3) more
- D9: 12.' "$(grep '^- D' "$tmp/room.md")"
check "room: the escalation of dashes alone is no rule" 1 "$(grep -c -x -F '\-----' "$tmp/room.md")"
check "room: character references read back" \
  '- S1: \&copy; 2026 \&amp; \&\#39;quoted\&\#39;, \&\#x27;, Tom & Jerry &nbsp and well-being' \
  "$(grep '^- S1' "$tmp/room.md")"
# The family's record lists the words alone, where "- ---" and "- --" would both be rules.
"$CONFER" record --audience family "$id" >"$tmp/family.md"
check "family: dangers of dashes alone are no rules" '- \---
- \- - -
- \*\*\*
- \_\_\_
- \--
- \- Dad said he would leave
- 2\. Mum keeps the door locked
- \+ and 3) more
- 12\.' "$(grep -A8 -x -e '- \\---' -e '- ---' "$tmp/family.md")"
finish
