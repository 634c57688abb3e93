#!/bin/sh
# test_reports_cli.sh — `confer report`: the blank form of every authority
# (golden files in tests/reports/), importing a Markdown report and every
# import error, sharing, deadlines across bank holidays and weekends, and the
# report checks on good and bad fictional reports.
set -u
R="$CONFER_SOURCE/tests/reports"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"
# new AUTHORITY TYPE DATE: a conference with a social worker, a teacher and a grandmother.
new() {
  id=$("$CONFER" new --authority "$1" --type "$2" --date "$3" --chair "Chair Example") || fail "new $1"
  printf '%s\n' "person Ann Sample | social worker | children's services" \
    "person Bob Teacher | class teacher | school" "person Nan Example | grandmother | network" |
    "$CONFER" run --chair "Chair Example" "$id" >/dev/null 2>&1 || fail "people of $id"
  echo "$id"
}

# Forms: one golden file per authority and form.
for golden in "$R"/form_*.md; do
  base=$(basename "$golden" .md); rest=${base#form_}; type=${rest##*_}; authority=${rest%_*}
  "$CONFER" report form --authority "$authority" --type "$type" >"$tmp/form" 2>&1 || fail "form $base"
  cmp -s "$tmp/form" "$golden" || { fail "form $base differs"; diff "$golden" "$tmp/form" | head; }
done
"$CONFER" report form --authority sefton --format html >"$tmp/form.html" 2>&1
cmp -s "$tmp/form.html" "$R/form_sefton_initial.html" || fail "sefton html form differs"
expect "no medical form" 1 "confer: Cumbria has no medical agency report form" \
  "$CONFER" report form --authority cumbria --type medical
expect "form without authority" 2 "confer report: --authority is needed (an authority's plugin id, e.g. sefton)
$("$CONFER" help report | head -n 1)" "$CONFER" report form
expect "bad format" 2 "confer report: --format must be md or html (got 'pdf')
$("$CONFER" help report | head -n 1)" "$CONFER" report form --authority sefton --format pdf

# A blank form imports back only once every heading has text.
id=$(new worcestershire review 2025-04-23)
expect "blank form" 1 "confer: $R/form_worcestershire_review.md:3: heading \"What we are worried about: past harm, future danger, complicating factors\" has nothing under it
confer: $R/form_worcestershire_review.md:7: heading \"What is working well: strengths and safety which already exist\" has nothing under it
confer: $R/form_worcestershire_review.md:11: heading \"What needs to happen: safety goals and next steps for future safety\" has nothing under it" \
  "$CONFER" report add "$id" --agency school "$R/form_worcestershire_review.md"

# Import errors: each named on its own line, nothing recorded.
expect "import errors" 1 "confer: $R/worcs_errors.md:1: text before the first heading of the form
confer: $R/worcs_errors.md:7: unknown heading \"Our chronology\": not on this authority's form
confer: $R/worcs_errors.md:15: heading \"What is working well: strengths and safety which already exist\" is given twice
confer: $R/worcs_errors.md:5: heading \"What we are worried about: past harm, future danger, complicating factors\" has nothing under it
confer: $R/worcs_errors.md: missing heading \"What needs to happen: safety goals and next steps for future safety\"" \
  "$CONFER" report add "$id" --agency police "$R/worcs_errors.md"
expect "missing file" 1 "confer: $tmp/none.md: cannot read (No such file or directory)" \
  "$CONFER" report add "$id" --agency police "$tmp/none.md"
mkdir "$tmp/reports.md"
expect "a directory" 1 "confer: $tmp/reports.md: cannot read (Is a directory)" \
  "$CONFER" report add "$id" --agency police "$tmp/reports.md"
printf '## What we are worried about\n\n\377\n' >"$tmp/latin1.md"
expect "not utf-8" 1 "confer: $tmp/latin1.md: not UTF-8 text" "$CONFER" report add "$id" --agency police "$tmp/latin1.md"
expect "no agency" 2 "confer report: --agency is needed (the agency whose report this is)
$("$CONFER" help report | head -n 1)" "$CONFER" report add "$id" "$R/worcs_good.md"
expect "bad date" 2 "confer report: --date must be a date YYYY-MM-DD (got '14/04/2025')
$("$CONFER" help report | head -n 1)" "$CONFER" report add "$id" --agency school --date 14/04/2025 "$R/worcs_good.md"
expect "unknown conference" 1 "confer: unknown conference 99" "$CONFER" report add 99 --agency school "$R/worcs_good.md"
expect "not yet shared" 1 "confer: report.shared: no report from school has been received" \
  "$CONFER" report shared "$id" --agency school --date 2025-04-15
expect "nothing recorded" 0 "Reports reach the family by 2025-04-16 (3 working days before the review conference on 2025-04-23).
children's services	missing	not shared	2 working days left
school	missing	not shared	2 working days left" "$CONFER" report status "$id" --today 2025-04-14

# A good report: recorded, no findings; a bad one: one finding per check.
expect "good report" 0 "Recorded the report of school, received 2025-04-14 (3 headings)." \
  "$CONFER" report add "$id" --agency school --date 2025-04-14 "$R/worcs_good.md"
W="What we are worried about: past harm, future danger, complicating factors"
expect "bad report" 0 "Recorded the report of health visiting, received 2025-04-17 (3 headings).
$W: \"Contact with dad is not going well.\" uses the jargon \"contact\"; in plain words: $("$CONFER" lua /dev/stdin <<'LUA'
print(confer.text("sos.glossary.contact"))
LUA
)
$W: \"Contact with dad is not going well.\" does not say whether it is fact, observation, allegation or opinion, nor who says so
$W: \"On 3 March 2025 Zoë was late.\" does not say whether it is fact, observation, allegation or opinion, nor who says so
$W: \"On 10 March 2025 Zoë was late again.\" does not say whether it is fact, observation, allegation or opinion, nor who says so
$W: \"On 17 March 2025 Zoë was absent.\" does not say whether it is fact, observation, allegation or opinion, nor who says so
What is working well: strengths and safety which already exist: \"Mother says she has stopped drinking.\" rests on a parent's own account: what has been seen that shows it?
$W: \"On 3 March 2025 Zoë was late.\" begins a narrative of events (3 dated paragraphs) where a summary is asked
The report says nothing of the child's lived experience: what the child says, shows or feels.
What needs to happen: safety goals and next steps for future safety: \"Parenting course for mum.\" is not linked to anything under what we are worried about" \
  "$CONFER" report add "$id" --agency "health visiting" --date 2025-04-17 "$R/worcs_bad.md"
expect "check good" 0 "The reports raise nothing." "$CONFER" report check "$id" --agency school
expect "check none" 1 "confer: no report from police has been received" "$CONFER" report check "$id" --agency police
expect "shared before received" 1 "confer: report.shared: \"date\" 2025-04-13 is before the report was received (2025-04-14)" \
  "$CONFER" report shared "$id" --agency school --date 2025-04-13
expect "shared" 0 "Recorded that the report of school was shared with the family on 2025-04-15." \
  "$CONFER" report shared "$id" --agency school --date 2025-04-15
# Easter 2025: Good Friday 18 April and Easter Monday 21 April are not working days.
expect "status over Easter" 0 "Reports reach the family by 2025-04-16 (3 working days before the review conference on 2025-04-23).
children's services	missing	not shared	late
school	2025-04-14	2025-04-15	in time
health visiting	2025-04-17	not shared	late" "$CONFER" report status "$id" --today 2025-04-17
expect "due today" 0 "Reports reach the family by 2025-04-16 (3 working days before the review conference on 2025-04-23).
children's services	missing	not shared	due today
school	2025-04-14	2025-04-15	in time
health visiting	2025-04-17	not shared	due today" "$CONFER" report status "$id" --today 2025-04-16

# Deadlines: the first line of `report status` for each rule and holiday.
deadline() { "$CONFER" report status "$1" --today "$2" | head -n 1; }
id=$(new worcestershire review 2024-12-30)   # Christmas: 27, 24, 23 Dec (25, 26 and the weekend skipped)
[ "$(deadline "$id" 2024-12-20)" = "Reports reach the family by 2024-12-23 (3 working days before the review conference on 2024-12-30)." ] ||
  fail "Christmas deadline: $(deadline "$id" 2024-12-20)"
id=$(new worcestershire review 2025-08-28)   # August bank holiday: Monday 25 August 2025
[ "$(deadline "$id" 2025-08-20)" = "Reports reach the family by 2025-08-22 (3 working days before the review conference on 2025-08-28)." ] ||
  fail "August bank holiday deadline: $(deadline "$id" 2025-08-20)"
expect "days left across the bank holiday" 0 "Reports reach the family by 2025-08-22 (3 working days before the review conference on 2025-08-28).
children's services	missing	not shared	3 working days left
school	missing	not shared	3 working days left" "$CONFER" report status "$id" --today 2025-08-19
id=$(new worcestershire initial 2025-04-22)  # 24 hours before: the calendar day before, Easter Monday or not
[ "$(deadline "$id" 2025-04-01)" = "Reports reach the family by 2025-04-21 (24 hours before the initial conference on 2025-04-22)." ] ||
  fail "initial deadline: $(deadline "$id" 2025-04-01)"
id=$(new surrey review 2025-04-28)           # Surrey: at the core group 2 weeks before
[ "$(deadline "$id" 2025-04-01)" = "Reports reach the family by 2025-04-14 (2 weeks before the review conference on 2025-04-28)." ] ||
  fail "Surrey deadline: $(deadline "$id" 2025-04-01)"
id=$(new sefton initial 2025-01-02)          # no rule in the plugin: the default, the day before
[ "$(deadline "$id" 2024-12-01)" = "Reports reach the family by 2025-01-01 (24 hours before the initial conference on 2025-01-02)." ] ||
  fail "default deadline: $(deadline "$id" 2024-12-01)"

expect "unknown action" 2 "confer report: unknown action 'send' (form, add, shared, status, check)
$("$CONFER" help report | head -n 1)" "$CONFER" report send 1

finish
