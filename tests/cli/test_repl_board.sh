# test_repl_board.sh — the REPL's own live board (`board on`, `board share`)
# keeps to the rules of `confer board`: an agenda's chair-only categories
# (tests/plugins/chair_only/chairshire.lua) never reach the room, in the
# state or the stream; and on a fixed port ($CONFER_BOARD_PORT, 8080 by
# default) `board share` replaces a loopback board rather than colliding with
# it, and one that cannot start leaves the running board as it was. Needs curl.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
board_setup
# With a token in U, puts the path P before the query: base/P?token=...
at() { case "$1" in *\?*) echo "${1%%\?*}$2?${1#*\?}" ;; *) echo "$1$2" ;; esac; }
# Starts `confer run` on conference 1 with $CONFER_BOARD_PORT PORT and $CONFER_BOARD_BIND
# BIND, reading what is written to descriptor 3, its output in $tmp/NAME.out.
session() {
  mkfifo "$tmp/$1.in"
  CONFER_BOARD_PORT=$2 CONFER_BOARD_BIND=$3 "$CONFER" run --db "$db" 1 <"$tmp/$1.in" >"$tmp/$1.out" 2>&1 &
  session_pid=$!
  pids="$pids $session_pid"
  exec 3>"$tmp/$1.in"
}
# Ends the session: quit, and wait until it has let go of its board.
end_session() { echo "quit" >&3; exec 3>&-; wait "$session_pid"; }

export CONFER_PLUGIN_PATH="$CONFER_SOURCE/tests/plugins/chair_only"
"$CONFER" new --db "$db" --authority chairshire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'EOF'
child Zoë Example | 2017-05-04
person Ann Sample | social worker | children's services
worry past_harm | ROOM-WORRY-1 | observation | Ann Sample
worry shared_with_chair | CHAIR-ONLY-ENTRY-2 | fact | Ann Sample
EOF

session repl 0 127.0.0.1
echo "board on" >&3
r=$(url_in "$tmp/repl.out")
curl -s --max-time 5 "${r}state" >"$tmp/on-state"
check "board on: the room's worry" 1 "$(grep -c ROOM-WORRY-1 "$tmp/on-state")"
check "board on: no chair-only entry" 0 "$(grep -c CHAIR-ONLY-ENTRY-2 "$tmp/on-state")"
echo "worry shared_with_chair | CHAIR-ONLY-LATER-3 | fact | Ann Sample" >&3
echo "worry future_danger | ROOM-LATER-4 | opinion | Ann Sample" >&3
for _ in $(seq 50); do curl -s "${r}state" | grep -q ROOM-LATER-4 && break; sleep 0.1; done
curl -s --max-time 5 "${r}state" >"$tmp/on-later"
check "board on: a later room entry" 1 "$(grep -c ROOM-LATER-4 "$tmp/on-later")"
check "board on: no later chair-only entry" 0 "$(grep -c CHAIR-ONLY-LATER-3 "$tmp/on-later")"
echo "board share" >&3
for _ in $(seq 50); do grep -q token= "$tmp/repl.out" && break; sleep 0.1; done
s=$(url_in "$tmp/repl.out")
curl -s --max-time 5 "$(at "$s" state)" >"$tmp/share-state"
curl -sN --max-time 1 "$(at "$s" events)" >"$tmp/share-stream"
for f in share-state share-stream; do
  check "board share, $f: the room's worries" 2 "$(grep -o -e ROOM-WORRY-1 -e ROOM-LATER-4 "$tmp/$f" | sort -u | wc -l)"
  check "board share, $f: no chair-only entry" 0 "$(grep -c CHAIR-ONLY "$tmp/$f")"
done
end_session

# A fixed port: the one the session above was given, free again now it has quit.
port=$(echo "$s" | sed -n 's|^http://[0-9.]*:\([0-9]*\)/.*|\1|p')
session fixed "$port" 127.0.0.1
echo "board on" >&3
r=$(url_in "$tmp/fixed.out")
check "fixed port: board on" "http://127.0.0.1:$port/" "$r"
echo "board share" >&3
for _ in $(seq 50); do grep -q -e token= -e '^error' "$tmp/fixed.out" && break; sleep 0.1; done
check "fixed port: board share is not refused" 0 "$(grep -c '^error' "$tmp/fixed.out")"
s=$(url_in "$tmp/fixed.out")
check "fixed port: the shared board has a token" yes "$(case $s in *token=*) echo yes ;; esac)"
check "fixed port: the shared board answers" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$(at "$s" state)")"
end_session

# A shared board that cannot start (an address this machine does not have):
# the loopback board goes on serving.
session kept "$port" 192.0.2.1
echo "board on" >&3
r=$(url_in "$tmp/kept.out")
echo "board share" >&3
for _ in $(seq 50); do grep -q '^error' "$tmp/kept.out" && break; sleep 0.1; done
check "cannot share: the error" "error: board: cannot listen on 192.0.2.1 port $port: Cannot assign requested address" \
  "$(grep '^error' "$tmp/kept.out")"
check "cannot share: the loopback board is back" "board: $r" "$(sed -n '/^error/{n;p;}' "$tmp/kept.out")"
check "cannot share: the loopback board still answers" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${r}state")"
echo "board token" >&3
for _ in $(seq 50); do [ "$(grep -c '^error' "$tmp/kept.out")" = 2 ] && break; sleep 0.1; done
check "cannot share: the board is still the loopback one" \
  "error: board: only a shared board has a token (board share)" "$(grep '^error' "$tmp/kept.out" | tail -n 1)"
end_session
finish
