# test_board_load.sh — 50 viewers on the live board for 10 seconds while the
# chair records in the REPL (the board in the REPL's own process): every
# viewer gets every change, each stream stays one connection (bounded
# request counts), the REPL's acknowledgements are not held up, and a
# stalled viewer that never reads and ten that vanish mid-stream change
# nothing for the others. Only 127.0.0.1. Needs curl.
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
for _ in $(seq 50); do grep -q '^board: http' "$tmp/repl.out" && break; sleep 0.1; done
u=$(sed -n 's/^board: \(http:.*\)/\1/p' "$tmp/repl.out")

# 50 viewers for 10 seconds, each one connection; 10 more vanish after a second;
# one connects and never reads a byte.
i=0
while [ $i -lt 50 ]; do
  curl -sN --max-time 10 -w '%{num_connects}\n' "${u}events" >"$tmp/v$i" 2>/dev/null & pids="$pids $!"
  i=$((i + 1))
done
i=0
while [ $i -lt 10 ]; do
  curl -sN --max-time 1 "${u}events" >/dev/null 2>&1 & pids="$pids $!"
  i=$((i + 1))
done
curl -sN --limit-rate 1 --max-time 10 "${u}events" >/dev/null 2>&1 & pids="$pids $!"
sleep 1
start=$(date +%s%N)
n=0
while [ $n -lt 20 ]; do
  echo "worry past_harm | Load entry number $n" >&3
  n=$((n + 1))
  sleep 0.35
done
for _ in $(seq 50); do [ "$(grep -c 'recorded$' "$tmp/repl.out")" -ge 20 ] && break; sleep 0.1; done
took=$(( ($(date +%s%N) - start) / 1000000 ))
check "20 entries acknowledged" 20 "$(grep -c '^W[0-9]* recorded$' "$tmp/repl.out")"
check "the REPL kept pace (20 commands 350 ms apart, under 9 s)" yes "$([ "$took" -lt 9000 ] && echo yes)"
sleep 9
ok=0; once=0
i=0
while [ $i -lt 50 ]; do
  grep -q 'Load entry number 19' "$tmp/v$i" && ok=$((ok + 1))
  [ "$(tail -n 1 "$tmp/v$i")" = 1 ] && once=$((once + 1))
  i=$((i + 1))
done
check "all 50 viewers saw the last entry" 50 "$ok"
check "each viewer used one connection" 50 "$once"
max=0
i=0
while [ $i -lt 50 ]; do
  c=$(grep -c '^event: state' "$tmp/v$i"); [ "$c" -gt "$max" ] && max=$c
  i=$((i + 1))
done
check "no viewer got more events than changes (21 at most)" yes "$([ "$max" -le 21 ] && echo yes)"
echo "quit" >&3
exec 3>&-
finish
