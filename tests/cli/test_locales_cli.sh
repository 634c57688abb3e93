# test_locales_cli.sh — `confer locales check`: the shipped catalogues pass; a
# copy with a missing, an unused and a broken entry fails with exact lines;
# the plugins' keys (a shipped key removed, one no plugin uses, a test plugin's
# keys without text); usage errors; and every key the C sources name
# (xgettext) is in en_GB.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
src=$CONFER_SOURCE/locales

# The en_GB keys as gettext's own tools see them (translated, not fuzzy), one a line.
english_keys() { # DIR
  msgcat --use-first "$1"/en_GB/*.po | msgattrib --translated --no-fuzzy --no-obsolete --no-wrap |
    sed -n 's/^msgid "\(..*\)"$/\1/p' | sort -u
}
n=$(ls "$src"/*/*.po | wc -l)
m=$(english_keys "$src" | wc -l)

# The shipped catalogues, found through the data directory and named with --dir.
"$CONFER" locales check >"$tmp/out" 2>"$tmp/err"; st=$?
check "shipped catalogues pass" 0 "$st"
check "shipped catalogues summary" "locales: $n catalogues, $m keys, no problems" "$(cat "$tmp/out")"
check "shipped catalogues stderr" "" "$(cat "$tmp/err")"
out=$("$CONFER" locales check --dir "$src"); st=$?
check "--dir DIR exit status" 0 "$st"
check "--dir DIR summary" "locales: $n catalogues, $m keys, no problems" "$out"

# A copy with a language zz that covers host.po but lacks one key and adds another.
cp -R "$src" "$tmp/locales"
mkdir "$tmp/locales/zz"
printf '# zz covers only the host.\nhost.po\n' >"$tmp/locales/zz/SCOPE"
sed '/^msgid "cli.too_many_arguments"$/,/^$/d' "$src/en_GB/host.po" >"$tmp/locales/zz/host.po"
printf '\nmsgid "zz.only"\nmsgstr "only in zz"\n' >>"$tmp/locales/zz/host.po"
"$CONFER" locales check --dir "$tmp/locales" >"$tmp/out" 2>"$tmp/err"; st=$?
check "missing and unused: exit status" 1 "$st"
check "missing and unused: report" "$tmp/locales/zz/host.po: missing key 'cli.too_many_arguments'
$tmp/locales/zz/host.po: unused key 'zz.only' (not in en_GB)
locales: $((n + 1)) catalogues, $m keys, 2 problems" "$(cat "$tmp/out")"

# A SCOPE line of any length is one line: a long comment is not read as a file name.
printf '# zz covers only the host%0300d.\nhost.po\n' 0 >"$tmp/locales/zz/SCOPE"
"$CONFER" locales check --dir "$tmp/locales" >"$tmp/out" 2>"$tmp/err"; st=$?
check "long SCOPE line: report" "1|$tmp/locales/zz/host.po: missing key 'cli.too_many_arguments'
$tmp/locales/zz/host.po: unused key 'zz.only' (not in en_GB)
locales: $((n + 1)) catalogues, $m keys, 2 problems" "$st|$(cat "$tmp/out")"

# A printf conversion the translation changed, and a catalogue that does not parse.
sed -i 's/^msgstr "unknown command .%s."$/msgstr "unknown command %d"/' "$tmp/locales/zz/host.po"
printf 'msgid "a"\nmsgstr "b\n' >"$tmp/locales/zz/broken.po"
"$CONFER" locales check --dir "$tmp/locales" >"$tmp/out" 2>"$tmp/err"; st=$?
check "conversions and broken file: exit status" 1 "$st"
# An unterminated string is named at its own line.
check "conversions and broken file: report" "$tmp/locales/zz/broken.po:2: end-of-line within string
$tmp/locales/zz/host.po: key 'cli.unknown_command' has conversions '%d', en_GB has '%s'
$tmp/locales/zz/host.po: missing key 'cli.too_many_arguments'
$tmp/locales/zz/host.po: unused key 'zz.only' (not in en_GB)
locales: $((n + 1)) catalogues, $m keys, 4 problems" "$(cat "$tmp/out")"

# A '*' width or precision reads an int: a translation's "%s" for "%.*s" would take that int for
# a string and crash whoever reads Welsh, so it is a changed conversion too.
mkdir "$tmp/star" && cp -R "$src/en_GB" "$tmp/star/en_GB"
mkdir "$tmp/star/zz" && printf 'store.po\n' >"$tmp/star/zz/SCOPE"
sed 's/^msgstr "%s: cannot connect (%.\*s)"$/msgstr "%s: cannot connect (%s)"/' \
  "$src/en_GB/store.po" >"$tmp/star/zz/store.po"
"$CONFER" locales check --dir "$tmp/star" >"$tmp/out" 2>"$tmp/err"; st=$?
check "a star dropped: report" "1|$tmp/star/zz/store.po: key 'store.cannot_connect' has conversions '%s %s', en_GB has '%s %*s'
locales: $(($(ls "$src"/en_GB/*.po | wc -l) + 1)) catalogues, $m keys, 1 problem" "$st|$(cat "$tmp/out")"

# The plugins' keys: a key a shipped agenda declares, removed from en_GB, is missing where the
# section declaring it starts; a plugins.po key no plugin names is unused.
cp -R "$src" "$tmp/plugkeys"
sed -i '/^msgid "surrey.family_first.title"$/,/^$/d' "$tmp/plugkeys/en_GB/plugins.po"
printf '\nmsgid "sos.example.never_used"\nmsgstr "Never used"\n' >>"$tmp/plugkeys/en_GB/plugins.po"
# The place is the line of the section's declaration, the only sos.section call in surrey.lua.
line=$(grep -n 'sos.section {' "$CONFER_SOURCE/plugins/surrey.lua" | cut -d: -f1)
"$CONFER" locales check --dir "$tmp/plugkeys" >"$tmp/out" 2>"$tmp/err"; st=$?
check "plugin keys: exit status" 1 "$st"
check "plugin keys: report" "$CONFER_SOURCE/plugins/surrey.lua:$line: missing key 'surrey.family_first.title'
$tmp/plugkeys/en_GB/plugins.po: unused key 'sos.example.never_used' (no plugin uses it)
locales: $n catalogues, $m keys, 2 problems" "$(cat "$tmp/out")"
check "plugin keys: stderr" "" "$(cat "$tmp/err")"

# A plugin on the search path (tests/plugins/locales/wordshire.lua) with a section title and a
# check message that have no text (at the section's and the agenda's lines), and a key given to
# confer.text in its code (at that line).
wordshire=$CONFER_SOURCE/tests/plugins/locales/wordshire.lua
at() { grep -n "$1" "$wordshire" | head -n 1 | cut -d: -f1; }
CONFER_PLUGIN_PATH=$CONFER_SOURCE/tests/plugins/locales "$CONFER" locales check >"$tmp/out" 2>"$tmp/err"; st=$?
check "test plugin: exit status" 1 "$st"
check "test plugin: report" "$wordshire:$(at 'confer.text("wordshire.check.crowded")'): missing key 'wordshire.check.crowded'
$wordshire:$(at 'sos.section {'): missing key 'wordshire.welcome.title'
$wordshire:$(at 'sos.agenda {'): missing key 'wordshire.check.welcomed'
locales: $n catalogues, $m keys, 3 problems" "$(cat "$tmp/out")"
check "test plugin: stderr" "" "$(cat "$tmp/err")"
# ... and its words are shown as their keys rather than blank.
printf 'print(confer.text("wordshire.welcome.title"))\n' >"$tmp/show.lua"
check "test plugin: key shown as itself" "wordshire.welcome.title" "$("$CONFER" lua "$tmp/show.lua" 2>&1)"

# A plugin that does not load is a problem of the check too (its keys cannot be known).
mkdir "$tmp/badplugins"
printf 'return {\n' >"$tmp/badplugins/badshire.lua"
CONFER_PLUGIN_PATH=$tmp/badplugins "$CONFER" locales check >"$tmp/out" 2>"$tmp/err"; st=$?
check "broken plugin: exit status" 1 "$st"
check "broken plugin: report" "$(CONFER_PLUGIN_PATH=$tmp/badplugins "$CONFER" plugins check badshire 2>&1)
locales: $n catalogues, $m keys, 1 problem" "$(cat "$tmp/out")"

# Usage errors: exit status 2 and the reason first.
"$CONFER" locales >/dev/null 2>"$tmp/err"; st=$?
check "no action" "2 confer locales: which action? (check)" "$st $(head -n 1 "$tmp/err")"
"$CONFER" locales frob >/dev/null 2>"$tmp/err"; st=$?
check "unknown action" "2 confer locales: unknown action 'frob' (check)" "$st $(head -n 1 "$tmp/err")"
"$CONFER" locales check --frob >/dev/null 2>"$tmp/err"; st=$?
check "unknown option" "2 confer locales: unknown option '--frob'" "$st $(head -n 1 "$tmp/err")"
"$CONFER" locales check --dir >/dev/null 2>"$tmp/err"; st=$?
check "--dir without a value" "2 confer locales: --dir needs a value" "$st $(head -n 1 "$tmp/err")"
"$CONFER" locales check extra >/dev/null 2>"$tmp/err"; st=$?
check "extra argument" "2 confer locales: unexpected argument 'extra'" "$st $(head -n 1 "$tmp/err")"
"$CONFER" locales check --dir "$tmp/none" >"$tmp/out" 2>&1; st=$?
check "missing directory" "1 $tmp/none/en_GB: no en_GB catalogues" "$st $(head -n 1 "$tmp/out")"

# Every key the C sources name with _() is in en_GB ...
english_keys "$src" >"$tmp/english"
xgettext --keyword=_ --language=C --from-code=UTF-8 --omit-header --no-wrap -o - \
  "$CONFER_SOURCE"/host/*.c 2>"$tmp/xgettext.err" |
  sed -n 's/^msgid "\(..*\)"$/\1/p' | sort -u >"$tmp/used"
check "xgettext found keys" 1 "$([ -s "$tmp/used" ] && echo 1 || echo 0)"
check "every _() key of host/*.c is in en_GB" "" "$(comm -23 "$tmp/used" "$tmp/english")"
# ... and so are the keys main.c builds for each command it lists.
grep -o '{"[a-z]*", *cmd_[a-z]*}' "$CONFER_SOURCE/host/main.c" | sed 's/{"\([a-z]*\)".*/\1/' >"$tmp/commands"
check "main.c lists commands" 1 "$([ -s "$tmp/commands" ] && echo 1 || echo 0)"
while read -r c; do
  for k in "usage.$c" "summary.$c"; do
    grep -qx "$k" "$tmp/english" || fail "$k is not in en_GB"
  done
done <"$tmp/commands"

finish
