# test_training.sh — confer simulate/train/debrief/check: every scenario under
# every authority, scripted trainee transcripts (every planted slip missed,
# then caught), --count reproducible for a seed, the practice checks, usage
# errors.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state"
scenarios="neglect domestic_abuse substance_misuse infant_injury exploitation review_improved"
authorities="cumbria north_yorkshire sefton surrey worcestershire"
perfect="- statements recorded: 100%
- right column: 100%
- right category (actions: linked to the right worry): 100%
- right kind (actions: owner and date): 100%
- slips caught: 100%"

# Every scenario under every authority: the simulated chair's model answer is
# recorded without a refusal and its debrief is perfect.
n=0
for s in $scenarios; do
  for a in $authorities; do
    n=$((n + 1))
    "$CONFER" simulate --db "$tmp/all.db" --authority "$a" "$s" >"$tmp/out" 2>"$tmp/err"; st=$?
    check "simulate $s under $a" "0 Simulated conference $n" "$st $(head -1 "$tmp/out")"
    "$CONFER" debrief --db "$tmp/all.db" "$n" >"$tmp/debrief" 2>&1
    check "debrief of $s under $a" "$perfect" "$(grep -e '^- statements' -e '^- right' -e '^- slips' "$tmp/debrief")"
  done
done

# The record of one simulation, exactly.
"$CONFER" simulate --db :memory: --authority cumbria neglect >"$tmp/out" 2>&1
check "cumbria maps past harm onto its own category" \
  "- W1 Kai has come to school hungry and asking for food on most days this term. (harm; observation; Bob Teacher)" \
  "$(grep '^- W1 ' "$tmp/out")"
check "the decision in the record" "- decision: cp neglect" "$(tail -1 "$tmp/out")"

# A trainee who misses every slip, then one who catches every slip.
slips() { sed -n '/^## Slips/,/^## Practice/p' "$1" | grep '^- ' | sed 's/\. .*//'; }
"$CONFER" train --db "$tmp/train.db" --as chair neglect <"$CONFER_SOURCE/tests/training/neglect_missed.in" >"$tmp/missed" 2>&1
check "missed: every slip reported" "- n2 jargon: missed
- n4 jargon: missed
- n5 self_report_as_evidence: missed
- n17 action_without_owner_or_date: missed
- n18 action_without_worry: missed" "$(slips "$tmp/missed")"
check "missed: scores" "- slips caught: 0%
- practice checks: 70%" "$(grep -e '^- slips caught' -e '^- practice' "$tmp/missed")"
check "missed: the checks find jargon and no child's voice" \
  '- jargon: W4 uses "disguised compliance": seeming to go along with the plan without the change the child needs
- child_voice: nothing recorded comes from Kai Example' \
  "$(grep -e '^- jargon' -e '^- child_voice' "$tmp/missed")"
check "missed: the others' lines and what asking would bring" \
  "Ann Sample: This is neglect, plain and simple.
    (if asked: On two home visits there was no food in the fridge and Kai's bed had no sheets.)" \
  "$(grep -A1 '^Ann Sample: This is neglect' "$tmp/missed")"
"$CONFER" train --db "$tmp/train.db" --as chair neglect <"$CONFER_SOURCE/tests/training/neglect_caught.in" >"$tmp/caught" 2>&1
check "caught: every slip credited" "- n2 jargon: caught
- n4 jargon: caught
- n5 self_report_as_evidence: caught
- n17 action_without_owner_or_date: caught
- n18 action_without_worry: caught" "$(slips "$tmp/caught")"
"$CONFER" debrief --db "$tmp/train.db" --json 2 >"$tmp/json" 2>&1
check "debrief as JSON" '{"category":100,"checks":90,"column":100,"kind":100,"recorded":100,"slips":100}' \
  "$(sed 's/.*"scores":\({[^}]*}\).*/\1/' "$tmp/json")"

# A trainee speaking for the school: the simulated chair records everyone else.
printf 'goto! mapping\nworry past_harm | Kai is hungry every day at school. | observation | Bob Teacher\n' >"$tmp/school.in"
"$CONFER" train --db "$tmp/train.db" --as school neglect <"$tmp/school.in" >"$tmp/school" 2>&1
check "as an agency: the trainee's prompt" \
  "Your turn: Kai has come to school hungry and asking for food on most days this term." \
  "$(grep '^Your turn' "$tmp/school")"
check "as an agency: the others recorded by the simulated chair" "W2 recorded" "$(grep -m1 '^W2 ' "$tmp/school")"

# confer check on a simulated conference (exit 1: there are findings).
"$CONFER" check --db "$tmp/all.db" 5 >"$tmp/out" 2>&1; st=$?
check "check: findings and exit status" \
  "1 scaling_spread: Ann Sample scaled 3 and Dee Example scaled 8: a difference to talk about" \
  "$st $(cat "$tmp/out")"

# --count: reproducible for a seed, different for another.
"$CONFER" simulate --db :memory: --count 1000 --seed 42 review_improved >"$tmp/a" 2>&1
"$CONFER" simulate --db :memory: --count 1000 --seed 42 review_improved >"$tmp/b" 2>&1
"$CONFER" simulate --db :memory: --count 3 --seed 43 review_improved >"$tmp/c" 2>&1
check "--count 1000 lines" 1000 "$(wc -l <"$tmp/a" | tr -d ' ')"
check "--count 1000 reproducible" "$(sha256sum <"$tmp/a")" "$(sha256sum <"$tmp/b")"
check "conferences vary" 1 "$(cut -d' ' -f4 "$tmp/a" | sort -u | wc -l | awk '{print ($1 > 100)}')"
check "another seed, other conferences" 1 "$(head -3 "$tmp/a" | cmp -s - "$tmp/c"; echo $?)"

# Refusals. The line named is the error call's in training.lua (where the sandbox locates it).
error_line() { grep -n "error(confer.text(\"$1\"" "$CONFER_SOURCE/scripts/training.lua" | tail -1 | cut -d: -f1; }
"$CONFER" simulate --db :memory: nosuch >"$tmp/out" 2>&1; st=$?
check "unknown scenario" "1 confer: $CONFER_SOURCE/scripts/training.lua:$(error_line training.unknown_scenario): no training scenario named nosuch in scripts/scenarios" "$st $(cat "$tmp/out")"
"$CONFER" train --db :memory: neglect >"$tmp/out" 2>&1; st=$?
check "train without --as" "2 confer train: --as chair or --as AGENCY is needed" "$st $(head -1 "$tmp/out")"
"$CONFER" train --db :memory: --as police neglect </dev/null >"$tmp/out" 2>&1; st=$?
check "train as an agency not in the scenario" \
  "1 confer: $CONFER_SOURCE/scripts/training.lua:$(error_line training.unknown_role): nobody from police speaks in scenario neglect: use --as chair or one of its agencies" "$st $(cat "$tmp/out")"
CONFER_PLUGIN_PATH="$CONFER_SOURCE/tests/plugins/no_mapping" \
  "$CONFER" simulate --db "$tmp/none.db" --authority nomapshire neglect >"$tmp/out" 2>&1; st=$?
check "an agenda with no section mapping worries" \
  "1 confer: $CONFER_SOURCE/scripts/training.lua:$(error_line training.worries_not_mapped): the agenda nomapshire cannot play scenario neglect: it has no section where worries are mapped before the actions that link them" "$st $(cat "$tmp/out")"
check "nothing recorded for it" "ID  AUTHORITY  TYPE  DATE  CHILDREN  STATE" "$("$CONFER" list --db "$tmp/none.db" 2>&1)"
"$CONFER" simulate --db :memory: --count 0 neglect >"$tmp/out" 2>&1; st=$?
check "--count 0" "2 confer simulate: --count needs a whole number, not 0" "$st $(head -1 "$tmp/out")"
"$CONFER" debrief --db "$tmp/all.db" 99 >"$tmp/out" 2>&1; st=$?
check "debrief of an unknown conference" 1 "$st"
"$CONFER" new --db "$tmp/all.db" --authority sefton --type initial --date 2025-03-12 >/dev/null 2>&1
"$CONFER" debrief --db "$tmp/all.db" 31 >"$tmp/out" 2>&1; st=$?
check "debrief of a conference not from a scenario" \
  "1 confer: conference 31 was not played from a training scenario (give --scenario NAME)" "$st $(cat "$tmp/out")"
finish
