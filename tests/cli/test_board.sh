# test_board.sh — the live board over HTTP on 127.0.0.1: usage errors, status
# codes of every resource and method, nothing chair-only in any response
# (page, state, event stream), SSE delivery after a REPL command in another
# process, the token of a shared board (403 without it; SIGHUP's new token
# invalidates the old one, streams included) and the REPL's own `board` verb
# (on, share, token, off) in the chair's process; an agenda's chair-only
# categories stay off the board. Needs curl.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
board_setup
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
# Waits (3 s at most) until FILE contains TEXT; prints yes or no.
appears() {
  for _ in $(seq 30); do grep -q -- "$2" "$1" 2>/dev/null && { echo yes; return; }; sleep 0.1; done
  echo no
}
# With a token in U, puts the path P before the query: base/P?token=...
at() { case "$1" in *\?*) echo "${1%%\?*}$2?${1#*\?}" ;; *) echo "$1$2" ;; esac; }

"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'EOF'
child Zoë Example | 2017-05-04
person Ann Sample | social worker | children's services
next
worry past_harm | Zoë had a bruise <b>on</b> her arm | observation | Ann Sample
worry future_danger | OLD-TEXT-7 | opinion | Ann Sample
amend W2 | Zoë could be hurt when her parents argue
worry complicating_factors | WITHDRAWN-TEXT-3 | allegation | neighbour
withdraw W3 | WITHDRAW-REASON-5
restricted SECRET-NOTE-42
escalation ESCALATION-NOTE-9
EOF

# Usage errors change nothing and serve nothing.
"$CONFER" board --db "$db" 2>"$tmp/err"; check "no conference: exit 2" 2 "$?"
check "no conference: message" "confer board: name one conference (confer list shows them)" "$(head -n 1 "$tmp/err")"
"$CONFER" board --db "$db" 1 --port 70000 2>"$tmp/err"; check "bad port: exit 2" 2 "$?"
check "bad port: message" 'confer board: port "70000" is not a whole number from 0 to 65535' "$(head -n 1 "$tmp/err")"
"$CONFER" board --db "$db" 1 --bind nowhere --port 0 2>"$tmp/err"; check "bad address: exit 1" 1 "$?"
check "bad address: message" 'confer: board: "nowhere" port 0 is not a numeric IPv4 address and port' "$(cat "$tmp/err")"
"$CONFER" board --db "$db" 9 --port 0 2>"$tmp/err"; check "unknown conference: exit 1" 1 "$?"
check "unknown conference: message" "confer: unknown conference 9" "$(cat "$tmp/err")"

# A board on loopback: no token needed.
"$CONFER" board --db "$db" 1 --port 0 >"$tmp/board.out" 2>&1 & pids="$pids $!"
u=$(url_in "$tmp/board.out")
check "address on loopback, no token" yes "$(echo "$u" | grep -q '^http://127\.0\.0\.1:[0-9]*/$' && echo yes)"
check "GET /" 200 "$(code "$u")"
check "HEAD /" 200 "$(code -I "$u")"
check "GET /state" 200 "$(code "${u}state")"
check "GET /nothing" 404 "$(code "${u}nothing")"
for m in POST PUT DELETE PATCH; do
  check "$m / is refused" 405 "$(code -X "$m" -d x "$u")"
  check "$m /state is refused" 405 "$(code -X "$m" -d x "${u}state")"
done
check "405 names the allowed methods" "Allow: GET, HEAD" \
  "$(curl -s -D - -o /dev/null -X POST "$u" | tr -d '\r' | grep '^Allow:')"
check "the page is HTML in English" yes "$(curl -s "$u" | grep -q '<html lang="en-GB">' && echo yes)"
check "no external assets" 0 "$(curl -s "$u" | grep -c -E '(src|href)="?https?:')"
check "the state is JSON" "application/json" \
  "$(curl -s -D - -o /dev/null "${u}state" | tr -d '\r' | sed -n 's/^Content-Type: //p')"
check "the stream is SSE" "text/event-stream; charset=utf-8" \
  "$(curl -s -D - -o /dev/null --max-time 1 "${u}events" | tr -d '\r' | sed -n 's/^Content-Type: //p')"

# Nothing chair-only in any response; what the room may see is there.
curl -s "$u" >"$tmp/page"; curl -s "${u}state" >"$tmp/state"
curl -sN --max-time 1 "${u}events" >"$tmp/stream"
for f in page state stream; do
  for secret in SECRET-NOTE-42 ESCALATION-NOTE-9 OLD-TEXT-7 WITHDRAWN-TEXT-3 WITHDRAW-REASON-5 2017-05-04 entry.mapped; do
    check "$f: no $secret" 0 "$(grep -c -- "$secret" "$tmp/$f")"
  done
  check "$f: the amended worry" 1 "$(grep -c 'Zoë could be hurt when her parents argue' "$tmp/$f")"
done
check "recorded markup is escaped in the page" 0 "$(grep -c '</b>' "$tmp/page")"
check "the stream starts with the whole state" "event: state" "$(sed -n 2p "$tmp/stream")"
check "state: the room's members" \
  "actions authority bottom_lines children closed core_group dangers date decision goals id participants recommendations rules scaling section type working_well worried" \
  "$(sed 's/^{"conference":{//' "$tmp/state" | grep -o '"[a-z_]*":' | head -n 100 | tr -d '":' | sort -u |
     grep -x -E 'id|authority|type|date|children|participants|worried|working_well|dangers|goals|scaling|recommendations|decision|actions|bottom_lines|rules|core_group|section|closed|chair|escalation|restricted|closed_at' | tr '\n' ' ' | sed 's/ $//')"

# SSE delivery: a command in the chair's REPL (another process) reaches an open stream.
curl -sN --max-time 8 "${u}events" >"$tmp/live" & pids="$pids $!"
check "stream open" yes "$(appears "$tmp/live" 'event: state')"
g=$(echo "good strengths | Zoë goes to school every day | fact | Ann Sample" |
  "$CONFER" run --db "$db" 1 | sed -n 's/^\(G[0-9]*\) recorded$/\1/p')
check "a new entry reaches the stream" yes "$(appears "$tmp/live" 'Zoë goes to school every day')"
echo "amend $g | Zoë goes to school most days" | "$CONFER" run --db "$db" 1 >/dev/null
check "an amendment reaches the stream" yes "$(appears "$tmp/live" 'Zoë goes to school most days')"
check "the amendment replaces the text" 0 "$(tail -n 2 "$tmp/live" | grep -c 'Zoë goes to school every day')"
echo "restricted SECRET-LATER-11" | "$CONFER" run --db "$db" 1 >/dev/null
sleep 0.5
check "a restricted note never reaches the stream" 0 "$(grep -c SECRET-LATER-11 "$tmp/live")"

# A shared board (--bind) needs its token; SIGHUP makes a new one.
"$CONFER" board --db "$db" 1 --port 0 --bind 127.0.0.1 >"$tmp/shared.out" 2>&1 & shared=$!; pids="$pids $shared"
s=$(url_in "$tmp/shared.out")
check "the address carries a 32-hex token" yes \
  "$(echo "$s" | grep -q '^http://127\.0\.0\.1:[0-9]*/?token=[0-9a-f]\{32\}$' && echo yes)"
base=${s%%\?*}
for p in "" state events nothing; do
  check "no token: /$p 403" 403 "$(code --max-time 2 "$base$p")"
  check "wrong token: /$p 403" 403 "$(code --max-time 2 "$base$p?token=00000000000000000000000000000000")"
done
check "no token: POST 403" 403 "$(code -X POST -d x "$base")"
check "no token: nothing in the body" 0 "$(curl -s "${base}state" | grep -c Zoë)"
check "token: /" 200 "$(code "$s")"
check "token: /state" 200 "$(code "$(at "$s" state)")"
curl -sN --max-time 8 "$(at "$s" events)" >"$tmp/old-stream" & pids="$pids $!"
check "token: the stream opens" yes "$(appears "$tmp/old-stream" 'event: state')"
kill -HUP "$shared"
for _ in $(seq 50); do [ "$(grep -c token= "$tmp/shared.out")" = 2 ] && break; sleep 0.1; done
s2=$(url_in "$tmp/shared.out")
check "SIGHUP prints a new token" yes "$([ "$s2" != "$s" ] && [ -n "$s2" ] && echo yes)"
check "the old token is refused" 403 "$(code "$(at "$s" state)")"
check "the new token works" 200 "$(code "$(at "$s2" state)")"
echo "good strengths | Nan visits on Sundays | fact | Ann Sample" | "$CONFER" run --db "$db" 1 >/dev/null
# The board reads the database on its own clock: give it up to five seconds.
for _ in $(seq 50); do curl -s "$(at "$s2" state)" | grep -q 'Nan visits on Sundays' && break; sleep 0.1; done
check "the new token's board shows it" yes "$(curl -s "$(at "$s2" state)" | grep -q 'Nan visits on Sundays' && echo yes)"
sleep 0.5
check "the stream opened with the old token has ended" 0 "$(grep -c 'Nan visits on Sundays' "$tmp/old-stream")"

# The REPL's own board, in the chair's process, told after each acknowledged command.
mkfifo "$tmp/in"
CONFER_BOARD_PORT=0 CONFER_BOARD_BIND=127.0.0.1 "$CONFER" run --db "$db" 1 <"$tmp/in" >"$tmp/repl.out" 2>&1 & pids="$pids $!"
exec 3>"$tmp/in"
echo "board on" >&3
r=$(url_in "$tmp/repl.out")
check "board on: loopback, no token" yes "$(echo "$r" | grep -q '^http://127\.0\.0\.1:[0-9]*/$' && echo yes)"
curl -sN --max-time 8 "${r}events" >"$tmp/repl-stream" & pids="$pids $!"
check "board on: the stream opens" yes "$(appears "$tmp/repl-stream" 'event: state')"
echo "good strengths | Zoë likes drawing | fact | Ann Sample" >&3
check "board on: a command reaches the stream" yes "$(appears "$tmp/repl-stream" 'Zoë likes drawing')"
g=$(sed -n 's/^\(G[0-9]*\) recorded$/\1/p' "$tmp/repl.out" | tail -n 1)
echo "restricted SECRET-REPL-13" >&3
echo "withdraw $g | WITHDRAW-REASON-REPL" >&3
echo "good strengths | UNDONE-ENTRY-8 | fact | Ann Sample" >&3
check "board on: an entry to undo" yes "$(appears "$tmp/repl-stream" 'UNDONE-ENTRY-8')"
echo "undo" >&3
sleep 0.5
check "board on: the withdrawal and the undo reach the stream" "0 0" \
  "$(tail -n 2 "$tmp/repl-stream" | grep -c 'Zoë likes drawing') $(tail -n 2 "$tmp/repl-stream" | grep -c UNDONE-ENTRY-8)"
check "board on: nothing restricted" 0 "$(grep -c -e SECRET-REPL-13 -e WITHDRAW-REASON-REPL "$tmp/repl-stream")"
echo "board token" >&3
check "board token on a loopback board" yes "$(appears "$tmp/repl.out" 'error: board: only a shared board has a token (board share)')"
echo "board sideways" >&3
check "board: unknown action" yes "$(appears "$tmp/repl.out" 'error: board: "sideways" is not on, share, token or off')"
echo "board share" >&3
for _ in $(seq 50); do [ "$(grep -c token= "$tmp/repl.out")" = 1 ] && break; sleep 0.1; done
t1=$(sed -n 's/^board: \(http:.*token=.*\)/\1/p' "$tmp/repl.out" | tail -n 1)
check "board share: a token" 200 "$(code "$(at "$t1" state)")"
check "board share: the loopback board is gone" 000 "$(code "${r}state")"
echo "board token" >&3
for _ in $(seq 50); do [ "$(grep -c token= "$tmp/repl.out")" = 2 ] && break; sleep 0.1; done
t2=$(sed -n 's/^board: \(http:.*token=.*\)/\1/p' "$tmp/repl.out" | tail -n 1)
check "board token: the old token is refused" 403 "$(code "$(at "$t1" state)")"
check "board token: the new token works" 200 "$(code "$(at "$t2" state)")"
echo "board off" >&3
check "board off" yes "$(appears "$tmp/repl.out" '^board: stopped$')"
check "board off: nothing listens" 000 "$(code "$(at "$t2" state)")"
echo "board off" >&3
check "board off twice" yes "$(appears "$tmp/repl.out" '^error: board: the board is not on$')"
echo "quit" >&3
exec 3>&-
# An agenda's chair-only categories (tests/plugins/chair_only/chairshire.lua) stay off the board,
# and the actions stop naming their worries; a board whose agenda does not load shows nothing.
export CONFER_PLUGIN_PATH="$CONFER_SOURCE/tests/plugins/chair_only"
cdb="$tmp/chairshire.db"
"$CONFER" new --db "$cdb" --authority chairshire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$cdb" 1 >/dev/null <<'EOF'
child Zoë Example | 2017-05-04
person Ann Sample | social worker | children's services
worry past_harm | Zoë had a bruise on her arm | observation | Ann Sample
worry shared_with_chair | CHAIR-ONLY-ENTRY-21 | fact | Ann Sample
action Ann visits every week | Ann Sample | 2026-03-31 | W1, W2 | Zoë is safe at home
EOF
"$CONFER" board --db "$cdb" 1 --port 0 >"$tmp/chair.out" 2>&1 & pids="$pids $!"
c=$(url_in "$tmp/chair.out")
curl -s "${c}state" >"$tmp/chair-state"; curl -sN --max-time 1 "${c}events" >"$tmp/chair-stream"
for f in chair-state chair-stream; do
  check "$f: no chair-only entry" 0 "$(grep -c CHAIR-ONLY-ENTRY-21 "$tmp/$f")"
  check "$f: the room's worry" 1 "$(grep -c 'Zoë had a bruise on her arm' "$tmp/$f")"
  check "$f: the action names W1 only" 1 "$(grep -c '"worries":\["W1"\]' "$tmp/$f")"
done
echo "worry shared_with_chair | CHAIR-ONLY-LATER-22 | fact | Ann Sample" | "$CONFER" run --db "$cdb" 1 >/dev/null
echo "worry future_danger | ROOM-LATER-23 | opinion | Ann Sample" | "$CONFER" run --db "$cdb" 1 >/dev/null
check "a later room entry reaches the board" yes \
  "$(for _ in $(seq 30); do curl -s "${c}state" | grep -q ROOM-LATER-23 && { echo yes; break; }; sleep 0.2; done)"
check "a later chair-only entry never does" 0 "$(curl -s "${c}state" | grep -c CHAIR-ONLY-LATER-22)"
CONFER_PLUGIN_PATH="$tmp/nowhere" "$CONFER" board --db "$cdb" 1 --port 0 >"$tmp/out" 2>"$tmp/err"
check "no agenda: exit 1" 1 "$?"
check "no agenda: nothing served" "" "$(cat "$tmp/out")"
check "no agenda: message" yes \
  "$(grep -q '^confer: board: the agenda did not load, so the board cannot tell what is for the chair only: ' "$tmp/err" && echo yes)"
unset CONFER_PLUGIN_PATH
finish
