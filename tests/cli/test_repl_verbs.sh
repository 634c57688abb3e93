#!/bin/sh
# test_repl_verbs.sh — REPL verbs around the meeting's people, reports and dates:
# `pull AGENCY` maps an imported agency report's worries and strengths with
# their kind and source (again: only what is new; with categories; refused
# by an authority's evidence rule; an agency with no report), `apology`
# notes who sent apologies (and the record lists them), `reviewdate` and
# `coregroupdate` set the plan's dates (the record shows them, `confer check`
# holds them to the timescales), `undo` at the start of a session has
# nothing of the chair's to take back, and sections' enter and leave functions.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db" XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data"
R="$CONFER_SOURCE/tests/reports"
. "$CONFER_SOURCE/tests/cli/lib.sh"
# session ID LINE...: the chair's REPL on conference ID with LINEs as input.
session() { id=$1; shift; printf '%s\n' "$@" | "$CONFER" run --chair "Chair Example" "$id"; }

id=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair Example")
"$CONFER" report add "$id" --agency school --date 2026-03-01 "$R/worcs_good.md" >/dev/null ||
  fail "report add"
intro="== 1/7 Introductions and purpose of the meeting ==
  Everyone says who they are and how they know the child.
  The chair explains why we are meeting, how the meeting will run and how it will be recorded."
zoe="School attendance records show Zoë was absent on 9 of the last 20 school days"
hungry="I observed Zoë arrive hungry and asked for breakfast twice this term"
on_time="I have seen Siân Example bring Zoë to school on time every day this month"
nan="Grandmother Nan Example collects Zoë on Fridays, as the register shows"

expect "undo at the start, pull twice, an agency with no report" 1 "$intro
error: nothing to undo: undo takes back only changes made in this session
W1 recorded
W2 recorded
G1 recorded
G2 recorded
4 entries mapped from the report of school
W1 already holds \"$zoe\"
W2 already holds \"$hungry\"
G1 already holds \"$on_time\"
G2 already holds \"$nan\"
0 entries mapped from the report of school
error: no report from health has been received (confer report add imports it)
What are we worried about?
  W1 [past_harm] $zoe (fact, school)
  W2 [past_harm] $hungry (observation, school)
What's working well?
  G1 [strengths] $on_time (observation, school)
  G2 [strengths] $nan (fact, school)" \
  session "$id" undo "pull school" "pull school" "pull health" "show worried" "show working_well"

# Categories given; Worcestershire requires a kind and a source, so a text without "(KIND)" is refused.
id2=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair Example")
cat >"$tmp/mixed.md" <<'MD'
# Agency report to conference

## What we are worried about

- Dad has missed four of the last six contact sessions (fact, contact supervisor).
- Things seem worse at home.

## What is working well

- Mum rings the school when the children are ill (observation).

## What needs to happen

- Dad and the social worker agree a contact plan.
MD
"$CONFER" report add "$id2" --agency "health visiting" --date 2026-03-01 "$tmp/mixed.md" >/dev/null ||
  fail "report add mixed"
expect "pull with categories; a text without its kind refused" 1 "$intro
W1 recorded
error: \"Things seem worse at home.\": Worcestershire requires the kind (fact, observation, allegation or opinion) and the source of every mapped entry
G1 recorded
2 entries mapped from the report of health visiting
What are we worried about?
  W1 [complicating_factors] Dad has missed four of the last six contact sessions (fact, contact supervisor)" \
  session "$id2" "pull health visiting | complicating_factors | existing_safety" "show worried"
expect "the strength's category" 0 "  G1 [existing_safety] Mum rings the school when the children are ill (observation, health visiting)" \
  sh -c "printf 'show working_well\n' | \"$CONFER\" run --chair 'Chair Example' $id2 | tail -n 1"

# A category that is not the column's refuses the whole pull (nothing mapped, the strengths
# included); a text the report gives twice in one column is mapped once.
id4=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair Example")
cat >"$tmp/twice.md" <<'MD'
# Agency report to conference

## What we are worried about

- Dad has missed four of the last six contact sessions (fact, contact supervisor).
- Dad has missed four of the last six contact sessions (fact, contact supervisor).

## What is working well

- Mum rings the school when the children are ill (observation).

## What needs to happen

- Dad and the social worker agree a contact plan.
MD
"$CONFER" report add "$id4" --agency school --date 2026-03-01 "$tmp/twice.md" >/dev/null ||
  fail "report add twice"
expect "pull: unknown categories refused whole; a text given twice mapped once" 1 "$intro
error: unknown category 'nonsense' for worried: expected one of past_harm, future_danger, complicating_factors
error: unknown category 'past_harm' for working_well: expected one of strengths, existing_safety
What are we worried about?
What's working well?
W1 recorded
G1 recorded
2 entries mapped from the report of school
What are we worried about?
  W1 [past_harm] Dad has missed four of the last six contact sessions (fact, contact supervisor)" \
  session "$id4" "pull school | nonsense" "pull school | past_harm | past_harm" "show worried" \
  "show working_well" "pull school" "show worried"

# Apologies: noted with an id, not twice, not also as a participant; in the room's record.
expect "apology" 1 "$intro
E1 recorded
error: apology.noted: Pat Example sent apologies (E1): withdraw E1 first if they have come
error: person.added: Pat Example sent apologies (E1): withdraw E1 first if they have come" \
  session "$id" "apology Pat Example | GP | health" "apologies Pat Example | GP | health" \
  "person Pat Example | GP | health"
expect "apologies in the room's record" 0 "## Apologies

- Pat Example (GP, health)" \
  sh -c "\"$CONFER\" record --audience room $id | grep -A2 '^## Apologies'"
expect "apologies in the JSON record" 0 '  "apologies": [
    {
      "id": "E1",
      "name": "Pat Example",
      "role": "GP",
      "agency": "health"
    }
  ],' sh -c "\"$CONFER\" record --format json $id | grep -A7 '\"apologies\"'"

# The plan's dates: set by the chair, shown in the record, checked against the timescales.
expect "dates" 1 "$intro
decide recorded
reviewdate recorded
coregroupdate recorded
error: dates.set: \"review\" 2026-03-01 is not after the conference (2026-03-03)
error: coregroupdate: DATE must be a date YYYY-MM-DD, not \"2026-13-01\"" \
  session "$id2" "decide cp | neglect" "reviewdate 2026-07-01" "core-group-date 2026-03-10" \
  "reviewdate 2026-03-01" "coregroupdate 2026-13-01"
expect "dates in the record" 0 "Members: none named. The first core group meets by Tuesday 10 March 2026.
The review conference is due by Wednesday 1 July 2026." \
  sh -c "\"$CONFER\" record $id2 | grep -e '^Members' -e '^The review conference'"
expect "dates checked" 1 "timescales: the review conference is set for Wednesday 1 July 2026, later than the timescale allows (Wednesday 3 June 2026)" \
  sh -c "\"$CONFER\" check $id2 >\"$tmp/check\"; st=\$?; grep timescales \"$tmp/check\"; exit \$st"

# A section's enter and leave functions (tests/plugins/hooks): what they say is shown,
# a failing one is one line naming its file and line, and the chair moves on; one that
# returns what is not text (a boolean, a table as a line) is said to, in one line.
hooks="$CONFER_SOURCE/tests/plugins/hooks"
id3=$(CONFER_PLUGIN_PATH=$hooks "$CONFER" new --authority hookshire --type initial --date 2026-03-03)
expect "section enter and leave" 0 "== 1/3 Introductions and purpose of the meeting ==
  Everyone says who they are and how they know the child.
  The chair explains why we are meeting, how the meeting will run and how it will be recorded.
  error: the introductions section's enter function returned a boolean, expected a string or a list of strings
P1 recorded
  participants introduced: 1
== 2/3 What are we worried about? What's working well? ==
  Map what is said into three columns: what are we worried about, what's working well, what needs to happen.
  For each entry, say whether it is a fact, an observation, an allegation or an opinion, and where it comes from.
  Use plain words: say what behaviour worries us, not professional jargon.
  Start with what the family says.
  Ask the child's view first.
W1 recorded
  error: the mapping section's leave function failed: $hooks/hookshire.lua:24: no leaving the mapping
== 3/3 Decision ==
  ? Should the child be supported by a Child in Need plan or a Child Protection plan? Each professional gives their recommendation and why.
  ? The chair gives the decision and, for a Child Protection plan, the category.
  Hear every view first.
  error: the decision section's enter function returned a table as line 2, expected a string
What are we worried about?
  W1 [past_harm] Ann saw a bruise (observation, Ann Sample)" \
  env CONFER_PLUGIN_PATH="$hooks" sh -c "printf '%s\n' \"person Ann Sample | social worker | children's services\" 'next!' \
    'worry past_harm | Ann saw a bruise | observation | Ann Sample' 'next!' 'show worried' |
    \"$CONFER\" run $id3"

finish
