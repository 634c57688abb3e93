#!/bin/sh
# test_board_host.sh — a board without a token (on this computer only) read
# by a web page from elsewhere. A page the chair has open at another site can
# point a name of its own at 127.0.0.1 (DNS rebinding): the browser then
# sends that name as Host and lets the page read the answer as its own. So a
# board without a token answers only requests naming it by its address or as
# localhost; a shared board's token is what guards it. Needs curl.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
board_setup
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'IN'
child Zoe Example | 2019-04-01
IN
"$CONFER" board --db "$db" 1 --port 0 >"$tmp/board.out" 2>&1 & pids="$pids $!"
"$CONFER" board --db "$db" 1 --port 0 --bind 127.0.0.1 >"$tmp/shared.out" 2>&1 & pids="$pids $!"
u="" s=""
for _ in $(seq 50); do
  u=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$tmp/board.out" | tail -n 1)
  s=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$tmp/shared.out" | tail -n 1)
  [ -n "$u" ] && [ -n "$s" ] && break
  sleep 0.1
done
port=$(echo "$u" | sed 's/.*:\([0-9]*\)\/$/\1/')
ask() { curl -s --max-time 5 -w ' %{http_code}' "$@"; }
check "its own address" 200 "$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "${u}state")"
check "localhost" 200 "$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' -H "Host: LocalHost:$port" "${u}state")"
check "another site's name: /state refused, nothing of the conference" \
  "403 forbidden: this board answers only at the address it printed
 403" \
  "$(ask -H "Host: rebound.example:$port" "${u}state")"
check "another site's name: / refused" \
  "403 forbidden: this board answers only at the address it printed
 403" \
  "$(ask -H "Host: rebound.example:$port" "$u")"
check "another site's name: /events refused" \
  "403 forbidden: this board answers only at the address it printed
 403" \
  "$(ask -H "Host: rebound.example" "${u}events")"
check "an address given as a name's prefix" \
  "403 forbidden: this board answers only at the address it printed
 403" \
  "$(ask -H "Host: 127.0.0.1.rebound.example:$port" "${u}state")"
check "a shared board: its token guards it, whatever the name" 200 \
  "$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' -H "Host: board.example" "$(echo "$s" | sed 's/?/state?/')")"
finish
