#!/bin/sh
# test_record_cli.sh — `confer record` and `confer chart` from the shell.
#
# Plays each authority's full conference (tests/render/conferences/ID.in) into
# a fresh database, then for every format and audience: compares the output
# with the golden file tests/render/ID/AUDIENCE.EXT (the close time, which is
# the time the test ran, is replaced by CLOSED_AT first), renders it again and
# (for one authority) checks the bytes are identical, and checks the redaction rule: each
# "# secret:" text of the conference appears in the chair's version and in no
# other; the same for the entries a plugin marks chair-only (tests/plugins/chair_only).
# Then: the family's version keeps no glossary term, the review dates,
# the scaling chart (golden tests/render/chart.svg), the -o file's mode, and
# each usage error. With UPDATE=1 the goldens are rewritten (review the diff!).
set -u
src=$CONFER_SOURCE/tests/render
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$CONFER_SOURCE/tests/cli/lib.sh"
ok() { echo "ok - $*"; }

# check NAME EXPECTED ACTUAL

# play ID DB CONFERENCE-NUMBER FILE.in: creates the conference and runs its commands.
play() {
  in=$4
  field() { sed -n "s/^# $1: *//p" "$in" | head -n 1; }
  if "$CONFER" new --db "$2" --authority "$(field authority)" --type "$(field type)" \
       --date "$(field date)" --chair "Chair Example" >"$tmp/run.out" 2>&1 &&
     "$CONFER" run --db "$2" --chair "Chair Example" "$3" <"$in" >"$tmp/run.out" 2>&1; then
    return 0
  fi
  fail "$1: the conference could not be played: $(tail -n 3 "$tmp/run.out")"
  return 1
}

normalise() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/CLOSED_AT/g' "$1"; }

for id in worcestershire cumbria sefton north_yorkshire surrey; do
  db="$tmp/$id.db"
  play "$id" "$db" 1 "$src/conferences/$id.in" || continue
  mkdir -p "$tmp/$id"
  for format in md html json; do
    for audience in chair room family child; do
      out="$tmp/$id/$audience.$format"
      "$CONFER" record --db "$db" --format "$format" --audience "$audience" -o "$out" 1 \
        2>"$tmp/stderr" || fail "$id $audience $format: exit status $?: $(cat "$tmp/stderr")"
      [ -s "$tmp/stderr" ] && fail "$id $audience $format: warnings: $(cat "$tmp/stderr")"
      if [ "$id" = cumbria ]; then  # one authority is enough to show reruns are stable, and quicker
        "$CONFER" record --db "$db" --format "$format" --audience "$audience" 1 >"$out.again" 2>/dev/null
        cmp -s "$out" "$out.again" || fail "$id $audience $format: a second run differs"
      fi
      golden="$src/$id/$audience.$format"
      if [ "${UPDATE:-0}" = 1 ]; then
        mkdir -p "$src/$id"; normalise "$out" >"$golden"
      elif ! normalise "$out" | diff -u "$golden" - >"$tmp/diff"; then
        fail "$id $audience $format differs from $golden"; head -n 40 "$tmp/diff"
      fi
      # The redaction rule, for every secret of this conference.
      sed -n 's/^# secret: //p' "$src/conferences/$id.in" >"$tmp/secrets"
      while IFS= read -r secret; do
        if grep -qF -- "$secret" "$out"; then
          [ "$audience" = chair ] || fail "$id $audience $format shows chair-only text: $secret"
        else
          [ "$audience" = chair ] && fail "$id chair $format lacks: $secret"
        fi
      done <"$tmp/secrets"
    done
  done
  # Surrey also keeps a chair-only category (what practitioners share with the chair in advance).
  want=4; [ "$id" = surrey ] && want=5
  [ "$(wc -l <"$tmp/secrets")" -eq "$want" ] || fail "$id: expected $want secrets"
  # Plain words: no glossary term is left in the family's or child's version.
  for term in neglect contact placement; do
    if grep -qiw -- "$term" "$tmp/$id/family.md" "$tmp/$id/child.md"; then
      case "$id:$term" in
        cumbria:*|*:contact|*:placement) fail "$id: the family's version still says '$term'" ;;
      esac
    fi
  done
  ok "$id: 12 outputs, goldens, reruns and redaction checked"
done

# Chair-only categories (tests/plugins/chair_only/chairshire.lua marks "shared_with_chair"):
# each such entry is in the chair's version of every format and in no other, and the
# actions that name it no longer do for the other audiences.
chair_in=$CONFER_SOURCE/tests/plugins/chair_only/chairshire.in
if CONFER_PLUGIN_PATH=$CONFER_SOURCE/tests/plugins/chair_only play chairshire "$tmp/chairshire.db" 1 "$chair_in"; then
  sed -n 's/^# secret: //p' "$chair_in" >"$tmp/secrets"
  check "chairshire: secrets" 2 "$(wc -l <"$tmp/secrets")"
  for format in md html json; do
    for audience in chair room family child; do
      out="$tmp/chairshire.$audience.$format"
      CONFER_PLUGIN_PATH=$CONFER_SOURCE/tests/plugins/chair_only "$CONFER" record --db "$tmp/chairshire.db" \
        --format "$format" --audience "$audience" 1 >"$out" 2>"$tmp/stderr" ||
        fail "chairshire $audience $format: exit status $?: $(cat "$tmp/stderr")"
      while IFS= read -r secret; do
        if grep -qF -- "$secret" "$out"; then
          [ "$audience" = chair ] || fail "chairshire $audience $format shows a chair-only entry: $secret"
        else
          [ "$audience" = chair ] && fail "chairshire chair $format lacks: $secret"
        fi
      done <"$tmp/secrets"
    done
  done
  ok "chairshire: chair-only entries checked in 12 outputs"
  worries() { sed -n "/\"id\": \"$2\"/,/]/p" "$1" | grep -o 'W[0-9]*' | tr '\n' ' '; }
  check "chairshire chair: A1 answers W1 and W2" "W1 W2 " "$(worries "$tmp/chairshire.chair.json" A1)"
  check "chairshire room: A1 answers W1 only" "W1 " "$(worries "$tmp/chairshire.room.json" A1)"
  check "chairshire room: A2 stays, naming no worry" "" "$(worries "$tmp/chairshire.room.json" A2)"
  check "chairshire room: A2 is in the plan" "- A2: Alex checks who visits the home" \
    "$(grep '^- A2' "$tmp/chairshire.room.md")"
  check "chairshire room: the worried column" '"W1"' "$(sed -n '/"worried"/,/"working_well"/p' "$tmp/chairshire.room.json" | grep -o '"W[0-9]*"' | tr -d '\n')"
fi

# The glossary replaced the jargon: Cumbria's "neglect" becomes what was seen.
check "cumbria family: category in plain words" \
  "This is because: the child is not getting the care they need, such as food, warmth, safety, supervision or health care." \
  "$(grep '^This is because' "$tmp/cumbria/family.md")"
# Other authorities have no "neglect" in their glossary: the term stays (and is not flagged).
check "sefton family: category as the authority names it" "This is because: Neglect." \
  "$(grep '^This is because' "$tmp/sefton/family.md")"

# Plan dates: initial 2025-04-07 -> review within 3 months, core group 10 working days
# (Easter Monday 21 April 2025 is not one); review 2025-07-07 -> within 6 months.
check "initial: review due" '  "review_due": "2025-07-07"' "$(grep '"review_due"' "$tmp/sefton/room.json")"
check "initial: core group date" '    "date": "2025-04-23"' \
  "$(sed -n '/"core_group"/,/}/p' "$tmp/sefton/room.json" | grep '"date"')"
play sefton_review "$tmp/sefton.db" 2 "$src/conferences/sefton_review.in"
"$CONFER" record --db "$tmp/sefton.db" --format json 2 >"$tmp/review.json"
check "review: review due" '  "review_due": "2026-01-07"' "$(grep '"review_due"' "$tmp/review.json")"
check "review: core group date" '    "date": "2025-07-21"' \
  "$(sed -n '/"core_group"/,/}/p' "$tmp/review.json" | grep '"date"')"

# The scaling chart across the two Sefton conferences.
"$CONFER" chart --db "$tmp/sefton.db" --child "Mia Examplar" -o "$tmp/chart.svg" ||
  fail "chart: exit status $?"
"$CONFER" chart --db "$tmp/sefton.db" --child "Mia Examplar" >"$tmp/chart2.svg"
cmp -s "$tmp/chart.svg" "$tmp/chart2.svg" || fail "chart: a second run differs"
if [ "${UPDATE:-0}" = 1 ]; then cp "$tmp/chart.svg" "$src/chart.svg"
else diff -u "$src/chart.svg" "$tmp/chart.svg" >"$tmp/diff" || { fail "chart differs from $src/chart.svg"; head -n 30 "$tmp/diff"; }; fi
check "chart: a dash pattern for each series but the first (solid)" 4 \
  "$(grep -o 'stroke-dasharray="[^"]*"' "$tmp/chart.svg" | sort -u | wc -l)"
check "chart: described in words" \
  '<desc id="chart-desc">Chair (overall): 4 on 2025-04-07, 6 on 2025-07-07. Alex Testcase: 3 on 2025-04-07, 6 on 2025-07-07. Dee Fictional: 4 on 2025-04-07, 5 on 2025-07-07. Kim Examplar: 7 on 2025-04-07, 8 on 2025-07-07. Rae Sample: 5 on 2025-04-07, 7 on 2025-07-07.</desc>' \
  "$(grep '<desc' "$tmp/chart.svg")"

# WCAG 2.2 basics in every HTML page: the language set, headings in order
# (one h1, never a level skipped), every table with a caption and header
# cells with scope, no script, nothing fetched.
for page in "$tmp"/*/*.html; do
  name=${page#"$tmp"/}
  grep -q '^<html lang="en-GB">$' "$page" || fail "$name: no lang attribute"
  levels=$(grep -o '<h[1-6]>' "$page" | tr -dc '1-6\n')
  check "$name: headings in order" "ok" "$(echo "$levels" | awk 'NR == 1 && $1 != 1 { bad = 1 }
    NR > 1 && $1 > prev + 1 { bad = 1 } $1 == 1 && NR > 1 { bad = 1 } { prev = $1 }
    END { print bad ? "skipped a level" : "ok" }')"
  check "$name: each table has a caption" "$(grep -c '^<table>$' "$page")" "$(grep -c '^<caption>' "$page")"
  grep -q '<th>' "$page" && fail "$name: a header cell without scope"
  grep -qiE '<script|<link|<img|src=|url\(' "$page" && fail "$name: not self-contained"
done

# The output file holds personal data: readable by its owner only.
check "-o file mode" "600" "$(stat -c %a "$tmp/cumbria/room.md")"

# Usage errors: exact first line, status 2, nothing written.
usage() { # NAME STATUS FIRST-LINE ARGS...
  name=$1 status=$2 line=$3; shift 3
  "$CONFER" "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  check "$name: status" "$status" "$got"
  check "$name: message" "$line" "$(head -n 1 "$tmp/err")"
  [ -s "$tmp/out" ] && fail "$name: wrote to stdout"
}
db="$tmp/cumbria.db"
usage "no id" 2 "confer record: one CONFERENCE id is needed" record --db "$db"
usage "two ids" 2 "confer record: one CONFERENCE id is needed" record --db "$db" 1 2
usage "bad format" 2 "confer record: unknown format 'pdf': expected md, html or json" record --db "$db" --format pdf 1
usage "bad audience" 2 "confer record: unknown audience 'press': expected chair, room, family or child" \
  record --db "$db" --audience press 1
usage "unknown option" 2 "confer record: unknown option '--colour'" record --db "$db" --colour 1
usage "option without value" 2 "confer record: --format needs a value" record --db "$db" 1 --format
usage "unknown conference" 1 "confer: unknown conference 9" record --db "$db" 9
usage "chart without child" 2 "confer chart: --child NAME is needed" chart --db "$db"
usage "chart of nobody" 1 "confer: no conference about a child named 'Nobody Known'" chart --db "$db" --child "Nobody Known"
usage "chart operand" 2 "confer chart: unexpected argument '1'" chart --db "$db" --child "Mia Examplar" 1
usage "unwritable -o" 1 "confer: $tmp/none/x.md: cannot write (No such file or directory)" \
  record --db "$db" -o "$tmp/none/x.md" 1

finish
