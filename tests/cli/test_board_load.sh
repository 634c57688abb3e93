# test_board_load.sh — 50 viewers on the live board while the chair records
# 20 entries in the REPL (the board in the REPL's own process): every viewer
# gets every change, each stream stays one connection (bounded request
# counts), the REPL's acknowledgements are not held up (each within 2 s of its
# command, measured), and a stalled viewer that never reads and ten that
# vanish mid-stream change nothing for the others. The test waits for what it
# needs (every viewer holding the first state, then the last entry; each
# acknowledgement), never a fixed time, so a slow machine makes it slower,
# not wrong. Only 127.0.0.1. Needs curl.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
board_setup
"$CONFER" new --db "$db" --authority sefton --type initial --date 2026-03-03 >/dev/null
printf 'child Zoë Example\nperson Ann Sample | social worker | children'"'"'s services\nnext\n' |
  "$CONFER" run --db "$db" 1 >/dev/null

mkfifo "$tmp/in"
CONFER_BOARD_PORT=0 "$CONFER" run --db "$db" 1 <"$tmp/in" >"$tmp/repl.out" 2>&1 & pids="$pids $!"
exec 3>"$tmp/in"
echo "board on" >&3
u=$(url_in "$tmp/repl.out")

# 50 viewers for as long as the board is on, each one connection; 10 more vanish
# after a second; one connects and never reads a byte. Each stays at most 90 s.
viewers=""
i=0
while [ $i -lt 50 ]; do
  curl -sN --max-time 90 -w '%{num_connects}\n' "${u}events" >"$tmp/viewer$i" 2>/dev/null & viewers="$viewers $!"
  i=$((i + 1))
done
pids="$pids $viewers"
i=0
while [ $i -lt 10 ]; do
  curl -sN --max-time 1 "${u}events" >/dev/null 2>&1 & pids="$pids $!"
  i=$((i + 1))
done
curl -sN --limit-rate 1 --max-time 90 "${u}events" >/dev/null 2>&1 & pids="$pids $!"

# Waits (30 s at most) until every viewer's stream holds TEXT; prints how many do.
seen_by_all() {
  for _ in $(seq 300); do
    n=$(grep -l -F -- "$1" "$tmp"/viewer* | wc -l)
    [ "$n" -ge 50 ] && break
    sleep 0.1
  done
  echo "$n"
}
check "all 50 viewers have the board before the chair records" 50 "$(seen_by_all 'event: state')"

# Each command 350 ms after the last acknowledgement; the time to its own
# acknowledgement is measured, in milliseconds.
slowest=0 n=0
while [ $n -lt 20 ]; do
  sent=$(date +%s%N)
  echo "worry past_harm | Load entry number $n" >&3
  acked "$tmp/repl.out" $((n + 1)) || break
  took=$(( ($(date +%s%N) - sent) / 1000000 ))
  [ "$took" -gt "$slowest" ] && slowest=$took
  n=$((n + 1))
  sleep 0.35
done
echo "# slowest of $n acknowledgements: $slowest ms"
check "20 entries acknowledged" 20 "$(grep -c '^W[0-9]* recorded$' "$tmp/repl.out")"
check "the REPL kept pace (each acknowledgement within 2 s)" yes \
  "$([ "$slowest" -lt 2000 ] && echo yes || echo "no ($slowest ms)")"
check "all 50 viewers saw the last entry" 50 "$(seen_by_all 'Load entry number 19')"

# Turning the board off ends every stream: each viewer's curl then writes how
# many connections it made.
echo "board off" >&3
for p in $viewers; do wait "$p"; done
once=0 max=0
i=0
while [ $i -lt 50 ]; do
  [ "$(tail -n 1 "$tmp/viewer$i")" = 1 ] && once=$((once + 1))
  c=$(grep -c '^event: state' "$tmp/viewer$i"); [ "$c" -gt "$max" ] && max=$c
  i=$((i + 1))
done
check "each viewer used one connection" 50 "$once"
check "no viewer got more events than changes (21 at most)" yes "$([ "$max" -le 21 ] && echo yes)"
check "the board stopped" 1 "$(grep -c '^board: stopped$' "$tmp/repl.out")"
echo "quit" >&3
exec 3>&-
finish
