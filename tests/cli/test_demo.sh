# test_demo.sh — `confer demo`: its introduction, recording into the default
# database under XDG_DATA_HOME, and reopening the same open demo conference.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data"
unset CONFER_DB
. "$CONFER_SOURCE/tests/cli/lib.sh"
intro="Demo: conference 1, a Worcestershire initial conference for the fictional Example family. Type help for commands, quit to leave."
first="== 1/7 Introductions and purpose of the meeting ==
  Everyone says who they are and how they know the child.
  The chair explains why we are meeting, how the meeting will run and how it will be recorded."
mapping="== 2/7 What are we worried about? What's working well? ==
  Record on the whiteboard; ask professionals and family questions, moving between worries and strengths.
  Distinguish between fact, observation, allegation and opinion, and make clear the source of the information.
  Use plain words: say what behaviour worries us, not professional jargon."
# The demo's date is today's (a run across midnight would see two demos).
today=$(date +%F)

got=$("$CONFER" demo </dev/null 2>&1); status=$?
check "demo with empty stdin: exit status" 0 "$status"
check "demo with empty stdin: introduction and first section" "$intro
$first" "$got"
check "the default database is under XDG_DATA_HOME" yes \
  "$([ -f "$XDG_DATA_HOME/confer/confer.db" ] && echo yes || echo no)"

got=$(printf 'next\nworry past_harm | Zoë came to school with a bruise | observation | Ann Sample\nquit\n' \
  | "$CONFER" demo 2>&1); status=$?
check "demo records: exit status" 0 "$status"
check "demo records into the same conference" "$intro
$first
$mapping
W1 recorded" "$got"

got=$(printf 'show worried\n' | "$CONFER" demo 2>&1); status=$?
check "demo reopens where it was: exit status" 0 "$status"
check "demo reopens where it was, with what was recorded" "$intro
$mapping
What are we worried about?
  W1 [past_harm] Zoë came to school with a bruise (observation, Ann Sample)" "$got"

check "one demo conference in the list" "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE
1  worcestershire  initial  $today  Zoë Example  open" "$("$CONFER" list 2>&1)"

finish
