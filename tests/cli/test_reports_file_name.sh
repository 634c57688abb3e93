#!/bin/sh
# test_reports_file_name.sh — `confer report add` names the report's file in
# each problem it finds, and a file name is a word of the command line: its
# escape sequences and line breaks are shown as cli_fail shows them ('?', a
# space), never sent to the chair's terminal or made into a second line that
# could pass for confer's own.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"
id=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair Example") ||
  fail "new"
name=$(printf 'evil\033[2J\nconfer: forged.md')
{ printf '# Agency report\n\n## What we are worried about\n\nNan Example shouts (fact).\n\n'
  printf '## Nonsense heading\n\nx (fact).\n'; } >"$tmp/$name"
expect "escape and line break in the file name" 1 \
"confer: $tmp/evil?[2J confer: forged.md:7: unknown heading \"Nonsense heading\": not on this authority's form
confer: $tmp/evil?[2J confer: forged.md: missing heading \"What is working well: strengths and safety which already exist\"
confer: $tmp/evil?[2J confer: forged.md: missing heading \"What needs to happen: safety goals and next steps for future safety\"" \
  "$CONFER" report add "$id" --agency school --date 2026-02-20 "$tmp/$name"
check "nothing recorded" 0 "$("$CONFER" history "$id" | grep -c report.received)"
finish
