# test_board_pg.sh — a board following a REPL in another process through
# PostgreSQL's LISTEN/NOTIFY (store_wait): each entry the REPL acknowledges is
# in the board's /state within a second, three times over, where the
# board's safety-net wait is 5 s (a board that missed the NOTIFY would lag).
# A shared board changes its token on SIGHUP within 2 s, three times over
# (a signal seen only when the wait ends would take up to 5 s); each signal is
# sent once the board is in that wait (its main thread in ppoll with a signal
# mask, read from /proc). Both times are measured from the acknowledgement or
# the signal to what the test sees, polling for it up to 10 s, never slept.
# SKIPPED (exit 77) without PostgreSQL or curl.
set -u
command -v curl >/dev/null 2>&1 || { echo "SKIP: curl is not installed"; exit 77; }
tmp=$(mktemp -d)
board=
. "$CONFER_SOURCE/tests/cli/lib.sh"
. "$CONFER_SOURCE/tests/pg/server.sh"
pg_start
trap '[ -n "$board" ] && kill "$board" 2>/dev/null && wait "$board" 2>/dev/null;
      [ -n "${shared:-}" ] && kill "$shared" 2>/dev/null && wait "$shared" 2>/dev/null; pg_stop' EXIT
export XDG_STATE_HOME="$tmp/state"
db=$(pg_database board)
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'IN'
child Zoë Example | 2017-05-04
person Ann Sample | social worker | children's services
next
IN

"$CONFER" board --db "$db" 1 --port 0 >"$tmp/board.out" 2>&1 & board=$!
u=$(url_in "$tmp/board.out")
check "the board serves on loopback" yes "$(echo "$u" | grep -q '^http://127\.0\.0\.1:[0-9]*/$' && echo yes)"
check "the board shows the child before any change" 1 "$(curl -s "${u}state" | grep -c 'Zoë Example')"

# Milliseconds since START (from date +%s%N).
since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# Records ENTRY in a REPL process of its own; once it has acknowledged and
# ended, polls the board (10 s at most) for TEXT: yes when it was there within
# a second, else how long it took.
within_a_second() {
  echo "$1" | "$CONFER" run --db "$db" 1 >/dev/null 2>&1 || { echo "REPL failed"; return; }
  start=$(date +%s%N)
  for _ in $(seq 200); do
    curl -s --max-time 5 "${u}state" >"$tmp/state"
    grep -q -- "$2" "$tmp/state" && break
    [ "$(since "$start")" -gt 10000 ] && break
    sleep 0.05
  done
  took=$(since "$start")
  echo "# on the board $took ms after the acknowledgement" >&2
  grep -q -- "$2" "$tmp/state" && [ "$took" -lt 1000 ] && echo yes || echo "no ($took ms)"
}
check "a worry recorded in another process is on the board" yes \
  "$(within_a_second "worry past_harm | Zoë had a bruise on her arm | observation | Ann Sample" \
     '"id":"W1","category":"past_harm","text":"Zoë had a bruise on her arm","kind":"observation","source":"Ann Sample"')"
check "a strength follows" yes \
  "$(within_a_second "good strengths | Zoë is at school every day | fact | Ann Sample" \
     '"id":"G1","category":"strengths","text":"Zoë is at school every day","kind":"fact","source":"Ann Sample"')"
check "a third follows" yes \
  "$(within_a_second "worry future_danger | Zoë could be hurt when her parents argue | opinion | Ann Sample" \
     '"id":"W2","category":"future_danger","text":"Zoë could be hurt when her parents argue","kind":"opinion","source":"Ann Sample"')"
kill "$board"; wait "$board"; check "the board stops on SIGTERM" 0 "$?"
board=

# A shared board: SIGHUP prints a new token at once, and only the new one works.
"$CONFER" board --db "$db" 1 --port 0 --bind 127.0.0.1 >"$tmp/shared.out" 2>&1 & shared=$!
s=$(url_in "$tmp/shared.out")
ppoll=$(printf '#include <sys/syscall.h>\nSYS_ppoll\n' | cc -E -P - 2>/dev/null | tail -n 1)
# Waits (10 s at most) until PID's main thread is in store_wait: ppoll with a
# signal mask (its fourth argument), where libpq's own waits have none. Read
# by this shell, the board's parent, as /proc/PID/syscall asks.
in_wait() {
  for _ in $(seq 500); do
    read -r number fds nfds timeout mask rest 2>/dev/null <"/proc/$1/syscall" &&
      [ "$number" = "$ppoll" ] && [ "$mask" != 0x0 ] && { echo yes; return; }
    sleep 0.02
  done
  echo "no (/proc/$1/syscall: ${number:-unreadable}, ppoll is ${ppoll:-unknown})"
}
for round in 2 3 4; do
  check "SIGHUP $((round - 1)): the board is in its 5 s wait on the server's NOTIFY" yes "$(in_wait "$shared")"
  start=$(date +%s%N)
  kill -HUP "$shared"
  while [ "$(grep -c token= "$tmp/shared.out")" != "$round" ] && [ "$(since "$start")" -lt 10000 ]; do
    sleep 0.02
  done
  took=$(since "$start")
  echo "# new token $took ms after SIGHUP $((round - 1))"
  check "SIGHUP $((round - 1)): a new token within 2 s" yes \
    "$([ "$(grep -c token= "$tmp/shared.out")" = "$round" ] && [ "$took" -lt 2000 ] && echo yes || echo "no ($took ms)")"
done
s2=$(url_in "$tmp/shared.out")
check "the first token is refused" 403 "$(curl -s -o /dev/null -w '%{http_code}' "${s%%\?*}state?${s#*\?}")"
check "the last token works" 200 "$(curl -s -o /dev/null -w '%{http_code}' "${s2%%\?*}state?${s2#*\?}")"
kill "$shared"; wait "$shared"; check "the shared board stops on SIGTERM" 0 "$?"
shared=
finish
