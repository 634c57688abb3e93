#!/bin/sh
# test_board_hostile.sh — recorded text that would break the live board's page.
# The page carries the room's view as JSON inside a <script> data block:
# "</script>" is kept out by escaped slashes, but "<!--<script>" (a worry
# pulled from an agency report, say) would put the HTML parser in the
# script's "double escaped" state, where the block's own </script> no longer
# ends it: the board's script is swallowed and the room sees an empty board.
# So no "<" of a recorded text may reach the page; the state, in the page and
# at /state, still reads back the same.
# Needs curl and python3.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
board_setup
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'IN'
person Ann Sample | social worker | children's services
worry past_harm | The note said <!--<script> and nothing else | observation | Ann Sample
IN
"$CONFER" board --db "$db" 1 --port 0 >"$tmp/board.out" 2>&1 & pids="$pids $!"
u=""
for _ in $(seq 50); do
  u=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$tmp/board.out" | tail -n 1)
  [ -n "$u" ] && break
  sleep 0.1
done
curl -s --max-time 5 "$u" >"$tmp/page"; curl -s --max-time 5 "${u}state" >"$tmp/state"
check "the page's script holds no comment opener" 0 "$(grep -c -- '<!--' "$tmp/page")"
check "the page's three scripts (words, state, board.js) each end" 3 "$(grep -o '</script>' "$tmp/page" | wc -l)"
check "the page's data block reads back the worry as recorded" "The note said <!--<script> and nothing else" \
  "$(python3 -c 'import json,re,sys
block = re.search(r"<script id=\"state\" type=\"application/json\">(.*?)</script>", sys.stdin.read()).group(1)
print(json.loads(block)["conference"]["worried"][0]["text"])' <"$tmp/page")"
check "the state reads back the worry as recorded" "The note said <!--<script> and nothing else" \
  "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["conference"]["worried"][0]["text"])' <"$tmp/state")"
finish
