# claim_body.sh — sourced by test_repl_claim.sh (SQLite) and
# test_repl_claim_pg.sh (PostgreSQL) with $db, $tmp, check() and a cleanup
# trap set: two sessions opening one conference. The second is refused with
# one line naming the holder and changes nothing; the holder goes on; after
# it quits, or after a kill -9, the conference opens again; two sessions
# started at once give exactly one winner; every acknowledged event is in
# the history in order and the chain verifies.
host=$(uname -n)
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2025-03-12 \
  --chair "Siân Example" >/dev/null || { echo "not ok - confer new failed"; exit 1; }

# Starts the holder's session (chair Siân Example) reading the FIFO $tmp/in.
start_holder() {
  rm -f "$tmp/in"
  mkfifo "$tmp/in"
  "$CONFER" run --db "$db" --chair "Siân Example" 1 <"$tmp/in" >"$tmp/out" 2>"$tmp/holder.err" &
  pid=$!
  exec 3>"$tmp/in"
  acks=0
}

# Sends one command to the holder and waits (up to 20 s) for its acknowledgement.
send() {
  # A write to the FIFO of a session that has ended would kill this shell with SIGPIPE: say why instead.
  kill -0 "$pid" 2>/dev/null ||
    { echo "not ok - the holder's session ended before: $1"; cat "$tmp/out" "$tmp/holder.err"; exit 1; }
  printf '%s\n' "$1" >&3
  acks=$((acks + 1))
  acked "$tmp/out" "$acks" ||
    { echo "not ok - no acknowledgement for: $1"; cat "$tmp/out" "$tmp/holder.err"; exit 1; }
}

# A second session's attempt as Ann Example; prints "STATUS STDOUT|STDERR", the time blanked.
second() {
  printf '%s\nquit\n' "$1" | "$CONFER" run --db "$db" --chair "Ann Example" 1 >"$tmp/2.out" 2>"$tmp/2.err"
  echo "$? $(grep ' recorded$' "$tmp/2.out")|$(sed 's/since [0-9-]* [0-9:]* UTC/since TIME UTC/' "$tmp/2.err")"
}

events() { "$CONFER" history --db "$db" 1 | wc -l | tr -d ' '; }

start_holder
send "child Zoë Example | 2017-05-04"
check "the second session is refused, naming the holder, machine and time" \
  "1 |confer: conference 1 is open in another session (Siân Example on $host since TIME UTC); nothing was changed: ask them to quit it first, or follow it read-only with confer board 1" \
  "$(second "person Bob Example | class teacher | school")"
check "the refusal printed no section and recorded nothing" "0 3" "$(wc -c <"$tmp/2.out" | tr -d ' ') $(events)"
check "the record can still be read meanwhile" "1  worcestershire  initial  2025-03-12  Zoë Example  open" \
  "$("$CONFER" list --db "$db" | tail -n 1)"
send "person Ann Sample | social worker | children's services"
printf 'quit\n' >&3
exec 3>&-
wait "$pid"; check "the holder quits normally" 0 "$?"
pid=
check "after quit the second session opens" "0 P2 recorded|" \
  "$(second "person Bob Example | class teacher | school")"

# A holder killed with -9 releases nothing itself: the next session takes over.
start_holder
send "person Ann Example | mother | family"
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
exec 3>&-
for _ in $(seq 50); do
  got=$(second "person Kit Example | father | family")
  case "$got" in 0*) break ;; esac
  sleep 0.1
done
check "after kill -9 the next session takes over" "0 P4 recorded|" "$got"

# Two sessions started at the same moment: exactly one records, the other is refused.
# Neither quits before both have had their answer (the winner's acknowledgement, the
# loser's refusal), however late one of them starts: a winner that quit first would
# let the other in after it, and the race would not have been run.
for w in a b; do
  ( { printf 'person Race %s Example | aunt | family\n' "$w"
      until [ -e "$tmp/race.over" ] || [ ! -d "$tmp" ]; do sleep 0.05; done   # (gone: the test was stopped)
      printf 'quit\n'; } |
      "$CONFER" run --db "$db" --chair "Chair $w Example" 1 >"$tmp/race.$w" 2>&1
    echo "exit $?" >>"$tmp/race.$w" ) &
done
for _ in $(seq 400); do
  [ "$(cat "$tmp/race.a" "$tmp/race.b" 2>/dev/null |
       grep -c -e ' recorded$' -e 'is open in another session')" -ge 2 ] && break
  sleep 0.05
done
: >"$tmp/race.over"
wait
check "two at once: one winner" "1" "$(cat "$tmp/race.a" "$tmp/race.b" | grep -c '^P5 recorded$')"
check "two at once: one refused" "1" "$(cat "$tmp/race.a" "$tmp/race.b" | grep -c 'is open in another session')"

check "every acknowledged event, in order" "conference.opened
section.entered
child.added
person.added
person.added
person.added
person.added
person.added" "$("$CONFER" history --db "$db" 1 | awk -F'  ' '{print $4}')"
check "the chain verifies" "conference 1: chain sound, 8 events
Every chain is sound." "$("$CONFER" verify --db "$db" 2>&1)"
