# test_repl_errors.sh — malformed commands of every kind at `confer run`: each
# gives its one-line error, the exit status is 1, and no event is added to the
# conference's history.
set -u
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db="$tmp/confer.db"
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2025-03-12 >/dev/null 2>&1 ||
  { echo "not ok - confer new"; exit 1; }
printf 'child Zoë Example\nperson Ann Sample | social worker | children'"'"'s services\nnext\nworry past_harm | A bruise | observation | Ann Sample\n' |
  "$CONFER" run --db "$db" 1 >/dev/null 2>&1 || { echo "not ok - setting up"; exit 1; }
events() { "$CONFER" history --db "$db" 1 | wc -l; }
before=$(events)

check() { # LINE EXPECTED-OUTPUT
  printf '%s\n' "$1" | "$CONFER" run --db "$db" 1 >"$tmp/out" 2>"$tmp/err"; st=$?
  got=$(tail -n 1 "$tmp/out")
  after=$(events)
  if [ "$got" != "$2" ] || [ "$st" != 1 ] || [ "$after" != "$before" ]; then
    printf 'not ok - %s\n  expected: %s\n  got:      %s (exit %s, events %s -> %s)\n' \
      "$1" "$2" "$got" "$st" "$before" "$after"
    fail=1
  else
    printf 'ok - %s\n' "$1"
  fi
}

# Missing and extra fields.
check 'person Bob Teacher | teacher' 'error: person: AGENCY is missing (person NAME | ROLE | AGENCY)'
check 'worry past_harm' 'error: worry: TEXT is missing (worry CATEGORY | TEXT [| KIND [| SOURCE]])'
check 'danger' 'error: danger: TEXT is missing (danger TEXT)'
check 'worry a | b | fact | c | d' 'error: worry: too many fields (worry CATEGORY | TEXT [| KIND [| SOURCE]])'
check 'action Course | Ann Sample | 2025-04-30' \
  "error: action: W-ID is missing (action TEXT | OWNER | DUE-DATE | W-ID[, W-ID] [| CHILD'S OUTCOME])"
# Bad values.
check 'scale Ann Sample | 11' 'error: scale: SCORE must be a whole number from 0 to 10, not "11"'
check 'scale Ann Sample | high' 'error: scale: SCORE must be a whole number from 0 to 10, not "high"'
check 'recommend Ann Sample | maybe' 'error: recommend: PLAN must be cp, cin or none, not "maybe"'
check 'action Course | Ann Sample | soon | W1' 'error: action: DUE-DATE must be a date YYYY-MM-DD, not "soon"'
check 'frobnicate' 'error: unknown command "frobnicate" (help lists them)'
# The authority's rules.
check 'worry past_harm | No kind or source' 'error: Worcestershire requires the kind (fact, observation, allegation or opinion) and the source of every mapped entry'
check 'worry no_such_category | text | fact | Ann Sample' "error: unknown category 'no_such_category' for worried: expected one of past_harm, future_danger, complicating_factors"
# What only the conference knows.
check 'scale Nobody Known | 5' 'error: scale.given: "who" Nobody Known is not a participant'
check 'amend W9 | text' 'error: item.amended: no item W9'
check 'action Course | Nobody Known | 2025-04-30 | W1' 'error: action.added: "owner" Nobody Known is not a participant'
check 'action Course | Ann Sample | 2025-04-30 | W7' 'error: action.added: W7 is not a recorded worry'
check 'goto nowhere' "error: no section 'nowhere' in this agenda (sections lists them)"
# Bytes no text may hold.
long=$(head -c 4001 /dev/zero | tr '\0' x)
check "danger $long" 'error: danger: TEXT is longer than 4000 bytes'
check "$(printf 'danger bell\007')" 'error: the line contains a control character (byte 12)'
check "$(printf 'danger \033[31mred')" 'error: the line contains a control character (byte 8)'
check "$(printf 'danger bad \377 byte')" 'error: the line is not valid UTF-8 (byte 12)'
check "$(printf 'danger \303(')" 'error: the line is not valid UTF-8 (byte 8)'
exit $fail
