#!/bin/sh
# test_reports_hostile.sh — `confer report add` fed agency reports a careless
# export or a hostile sender could produce: terminal escape sequences and other
# control characters, a paragraph longer than a record text may be, HTML a word
# processor left in. Each is refused with one line naming the file and line and
# nothing is recorded, or (angle brackets in a sentence) recorded word for word.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"
id=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair Example") ||
  fail "new"
esc=$(printf '\033')

# report FILE WORRIED...: a Worcestershire report whose worries are the lines WORRIED.
report() {
  file=$1; shift
  { echo "# Agency report to conference"; echo; echo "## What we are worried about"; echo
    for line in "$@"; do printf '%s\n' "$line"; done
    echo; echo "## What is working well"; echo; echo "Zoe Example is at school every day (fact)."
    echo; echo "## What needs to happen"; echo; echo "Breakfast club every morning."; } >"$tmp/$file"
}
# The number of reports recorded for the conference.
reports() { "$CONFER" history "$id" | grep -c "report.received"; }

# A heading that is not on the form is named in the error: never with the
# escape sequences it carries, which would reach the chair's terminal.
{ printf '# Agency report\n\n## What we are worried about\n\nNan Example shouts (fact).\n\n'
  printf '## \033]0;owned\007\033[2JWhat is working well\n\nx (fact).\n'; } >"$tmp/heading.md"
expect "escape in a heading" 1 "confer: $tmp/heading.md:7: a control character (such as a terminal escape) cannot be in a report
confer: $tmp/heading.md: missing heading \"What is working well: strengths and safety which already exist\"
confer: $tmp/heading.md: missing heading \"What needs to happen: safety goals and next steps for future safety\"" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/heading.md"

# In a text the file and its line are named, not the form's internal heading id.
report control.md "Mother was seen at 10pm (observation)." "" "Page two${esc}[31m of the log (fact)."
expect "escape in a text" 1 "confer: $tmp/control.md:7: a control character (such as a terminal escape) cannot be in a report" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/control.md"
report formfeed.md "$(printf 'Copied from a PDF\014 page break (fact).')"
expect "form feed in a text" 1 "confer: $tmp/formfeed.md:5: a control character (such as a terminal escape) cannot be in a report
confer: $tmp/formfeed.md:3: heading \"What we are worried about: past harm, future danger, complicating factors\" has nothing under it" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/formfeed.md"

# A paragraph past the 4000 bytes a record text may hold, said where.
report long.md "Short (fact)." "" "$(printf 'word %.0s' $(seq 1000))(fact)."
expect "paragraph too long" 1 "confer: $tmp/long.md:7: a paragraph of 5007 bytes: at most 4000 (split it into shorter ones)" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/long.md"

# HTML that is not a comment (the form's guidance) is refused, never dropped unread;
# the heading it was under is then empty, and said to be.
report html.md "<p>Mother missed three appointments (fact).</p>"
expect "html block" 1 "confer: $tmp/html.md:5: HTML other than a <!-- comment -->: write the report's words without tags
confer: $tmp/html.md:3: heading \"What we are worried about: past harm, future danger, complicating factors\" has nothing under it" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/html.md"
report trailing.md "<!-- the form's guidance --> Mother missed three appointments (fact)."
expect "text after a comment" 1 "confer: $tmp/trailing.md:5: HTML other than a <!-- comment -->: write the report's words without tags
confer: $tmp/trailing.md:3: heading \"What we are worried about: past harm, future danger, complicating factors\" has nothing under it" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/trailing.md"
report listed.md "- Seen at home (observation)." "- <div>Mother missed three appointments (fact).</div>"
expect "html block in a list item" 1 "confer: $tmp/listed.md:6: HTML other than a <!-- comment -->: write the report's words without tags" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/listed.md"
report unclosed.md "<!-- the form's guidance, its end deleted by mistake" "" "Mother missed three appointments (fact)."
expect "comment never closed" 1 "confer: $tmp/unclosed.md:5: a <!-- comment --> that is never closed with -->: the words after it would be lost
confer: $tmp/unclosed.md:3: heading \"What we are worried about: past harm, future danger, complicating factors\" has nothing under it
confer: $tmp/unclosed.md: missing heading \"What is working well: strengths and safety which already exist\"
confer: $tmp/unclosed.md: missing heading \"What needs to happen: safety goals and next steps for future safety\"" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/unclosed.md"
check "refused reports recorded nothing" 0 "$(reports)"

# Angle brackets inside a sentence are the agency's words: kept as written.
report angle.md "Dad said <he would leave> on Monday (fact)." "<!-- guidance -->" "<!-- one --> <!-- two -->"
expect "angle brackets kept" 0 "Recorded the report of police, received 2026-03-01 (3 headings).
The report says nothing of the child's lived experience: what the child says, shows or feels.
What needs to happen: safety goals and next steps for future safety: \"Breakfast club every morning.\" is not linked to anything under what we are worried about" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/angle.md"
check "angle brackets recorded word for word" \
  '{"needs_to_happen":["Breakfast club every morning."],"working_well":["Zoe Example is at school every day (fact)."],"worried":["Dad said <he would leave> on Monday (fact)."]}' \
  "$("$CONFER" history "$id" | sed -n 's/.*report\.received.* sections=//p')"
finish
