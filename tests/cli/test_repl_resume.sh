# test_repl_resume.sh — a session killed with SIGKILL loses nothing it acknowledged.
#
# `confer run` reads commands from a FIFO, one at a time; after each one the
# test waits for its acknowledgement, and after the last it kills the process
# with -9 (no chance to flush or close anything). Then the history must hold
# every acknowledged entry with its id, the chain must verify, and a new
# `confer run` must resume in the section the chair was in.
set -u
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
db="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"

"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2025-03-12 \
  --chair "Chair Example" >/dev/null || { echo "not ok - confer new failed"; exit 1; }

mkfifo "$tmp/in"
"$CONFER" run --db "$db" --chair "Chair Example" 1 <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"

# Sends one command and waits (up to 20 s) until the output has WANT acknowledgements.
acks=0
send() {
  printf '%s\n' "$1" >&3
  acks=$((acks + 1))
  acked "$tmp/out" "$acks" || { echo "not ok - no acknowledgement for: $1"; cat "$tmp/out" "$tmp/err"; exit 1; }
}
send "child Zoë Example | 2017-05-04"
send "person Siân Example | mother | family"
send "person Ann Sample | social worker | children's services"
printf 'next\n' >&3
send "worry past_harm | Zoë came to school with a bruise | observation | Ann Sample"
send "good strengths | Zoë is at school every day | fact | Ann Sample"
send "worry future_danger | Zoë could be hurt when her parents argue | opinion | Ann Sample"
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
exec 3>&-

check "acknowledgements before the kill" "C1 recorded
P1 recorded
P2 recorded
W1 recorded
G1 recorded
W2 recorded" "$(grep ' recorded$' "$tmp/out")"

# The history without its time column (the second).
history=$("$CONFER" history --db "$db" 1 | sed 's/^\([0-9]*\)  [^ ]*  /\1  /')
check "every acknowledged entry is in the history" "1  Chair Example  conference.opened  authority=worcestershire chair=Chair Example date=2025-03-12 id=1 type=initial
2  Chair Example  section.entered  section=introductions
3  Chair Example  child.added  C1 dob=2017-05-04 name=Zoë Example
4  Chair Example  person.added  P1 agency=family name=Siân Example role=mother
5  Chair Example  person.added  P2 agency=children's services name=Ann Sample role=social worker
6  Chair Example  section.entered  section=mapping
7  Chair Example  entry.mapped  W1 worried/past_harm kind=observation source=Ann Sample: Zoë came to school with a bruise
8  Chair Example  entry.mapped  G1 working_well/strengths kind=fact source=Ann Sample: Zoë is at school every day
9  Chair Example  entry.mapped  W2 worried/future_danger kind=opinion source=Ann Sample: Zoë could be hurt when her parents argue" "$history"

check "the chain verifies" "conference 1: chain sound, 9 events
Every chain is sound." "$("$CONFER" verify --db "$db" 2>&1)"

printf 'show\nworry complicating_factors | Dad drinks most evenings | allegation | Siân Example\nquit\n' \
  | "$CONFER" run --db "$db" --chair "Chair Example" 1 >"$tmp/resumed" 2>&1
check "resumed in the mapping section, ids carry on" "== 2/7 What are we worried about? What's working well? ==
  Record on the whiteboard; ask professionals and family questions, moving between worries and strengths.
  Distinguish between fact, observation, allegation and opinion, and make clear the source of the information.
  Use plain words: say what behaviour worries us, not professional jargon.
What are we worried about?
  W1 [past_harm] Zoë came to school with a bruise (observation, Ann Sample)
  W2 [future_danger] Zoë could be hurt when her parents argue (opinion, Ann Sample)
What's working well?
  G1 [strengths] Zoë is at school every day (fact, Ann Sample)
What needs to happen?
W3 recorded" "$(cat "$tmp/resumed")"

finish
