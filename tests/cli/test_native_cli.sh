# test_native_cli.sh — confer native check (sound entries, each failure named,
# no allow-list, an untrusted or malformed one, usage errors) and the example
# library end to end: a test agenda whose "end" hook calls export_record via
# native.bind, run by `confer new` + `confer run` + `end!`, writes the
# conference's JSON; without the allow-list entry the hook is refused and the
# chair sees why. Needs $CONFER_EXAMPLE_CMS and $CONFER_NATIVE_TESTLIB (ctest).
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
# Lines the host wrote (a sanitizer's exit report is not the host's output).
host_lines() { grep -v -e '^-*$' -e 'Suppressions used' -e 'count *bytes' "$1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cms="$CONFER_EXAMPLE_CMS"; testlib="$CONFER_NATIVE_TESTLIB"
export XDG_CONFIG_HOME="$tmp/xdg" CONFER_PLUGIN_PATH="$tmp/plugins"
conf="$XDG_CONFIG_HOME/confer/native.conf"
mkdir -p "$XDG_CONFIG_HOME/confer" "$tmp/plugins" "$tmp/export"
export_sig='int export_record(const char *dir, const char *conference_id, const char *json, char *err, size_t errlen)'

# No allow-list: nothing is allowed, and check says so.
"$CONFER" native check >"$tmp/out" 2>"$tmp/err"; st=$?
check "no allow-list: status" 0 "$st"
check "no allow-list: output" "no allow-list at $conf: no native calls are allowed" "$(cat "$tmp/out")"

# A sound allow-list: every entry loads, resolves and parses.
cat >"$conf" <<EOF
# The example case-management library.
$cms | $export_sig
$testlib |  int   t_int( int x );   # spacing is normalised
EOF
chmod 600 "$conf"
"$CONFER" native check >"$tmp/out" 2>"$tmp/err"; st=$?
check "sound: status" 0 "$st"
check "sound: output" "ok  $cms | $export_sig
ok  $testlib | int t_int(int x)" "$(cat "$tmp/out")"
check "sound: stderr" "" "$(host_lines "$tmp/err")"

# --native-conf F, anywhere on the line: each failure named with its line.
other="$tmp/other.conf"
cat >"$other" <<EOF
$testlib | int t_int(int x)
/nonexistent/libnothing.so | int f(int x)
$testlib | int t_absent(int x)
EOF
chmod 600 "$other"
"$CONFER" native check --native-conf "$other" >"$tmp/out" 2>"$tmp/err"; st=$?
check "failures: status" 1 "$st"
check "failures: output" "ok  $testlib | int t_int(int x)
$other:2: cannot load /nonexistent/libnothing.so (/nonexistent/libnothing.so: cannot open shared object file: No such file or directory)
$other:3: $testlib has no symbol 't_absent'" "$(cat "$tmp/out")"
check "failures: stderr" "confer: 2 of 3 native entries failed" "$(host_lines "$tmp/err")"
"$CONFER" --native-conf="$other" native check >"$tmp/out" 2>"$tmp/err"; st=$?
check "--native-conf=F before the command" 1 "$st"

# An allow-list others can write, or one with a bad line, is refused whole.
chmod 620 "$other"
"$CONFER" native check --native-conf "$other" >"$tmp/out" 2>"$tmp/err"; st=$?
check "group-writable: status" 1 "$st"
check "group-writable: message" "confer: $other: not trusted: writable by group or others (chmod go-w $other)" \
  "$(host_lines "$tmp/err")"
printf '%s | int t_int(long x)\n' "$testlib" >"$other"; chmod 600 "$other"
"$CONFER" native check --native-conf "$other" >"$tmp/out" 2>"$tmp/err"; st=$?
check "bad line: status" 1 "$st"
check "bad line: message" "confer: $other:1: unknown type 'long'" "$(host_lines "$tmp/err")"

# Usage errors.
usage="confer native check [--native-conf F]"
"$CONFER" native >"$tmp/out" 2>"$tmp/err"; st=$?
check "no subcommand" "2|confer native: say what to do: check" "$st|$(head -n 1 "$tmp/err")"
"$CONFER" native list >"$tmp/out" 2>"$tmp/err"; st=$?
check "unknown subcommand" "2|confer native: unknown subcommand 'list' (expected check)" "$st|$(head -n 1 "$tmp/err")"
"$CONFER" native check extra >"$tmp/out" 2>"$tmp/err"; st=$?
check "extra argument" "2|confer native: check takes no arguments, got 'extra'" "$st|$(head -n 1 "$tmp/err")"
"$CONFER" native check --native-conf >"$tmp/out" 2>"$tmp/err"; st=$?
check "--native-conf without a file" "2|confer: --native-conf needs a file" "$st|$(head -n 1 "$tmp/err")"
"$CONFER" help native >"$tmp/out" 2>"$tmp/err"; st=$?
check "help native" "0|$usage" "$st|$(head -n 1 "$tmp/out")"

# End to end: the "end" hook exports the record through the example library.
sed -e "s|@EXAMPLE_CMS@|$cms|" -e "s|@EXPORT_DIR@|$tmp/export|" \
  "$CONFER_SOURCE/tests/native/nativeshire.lua.in" >"$tmp/plugins/nativeshire.lua"
db="$tmp/db"
"$CONFER" new --db "$db" --authority nativeshire --type initial --date 2025-03-12 --chair "Test Chair" \
  >"$tmp/out" 2>"$tmp/err"; st=$?
check "new: status" "0|1" "$st|$(cat "$tmp/out")"
printf 'end!\n' | "$CONFER" run --db "$db" 1 >"$tmp/out" 2>"$tmp/err"; st=$?
check "end!: status" 0 "$st"
check "end!: closed, no error" "conference closed" "$(grep -e 'conference closed' -e 'error' "$tmp/out")"
record="$tmp/export/conference-1.json"
check "record written" "yes" "$([ -f "$record" ] && echo yes || echo no)"
check "record is the conference" '{"id":"1","authority":"nativeshire","type":"initial","date":"2025-03-12","chair":"Test Chair",' \
  "$(cut -c 1-94 "$record")"
check "record closed" 1 "$(grep -c '"closed":true,"closed_at":"20[0-9-]*T[0-9:]*Z"}$' "$record")"
check "no temporary file left" "conference-1.json" "$(ls "$tmp/export")"

# Without the entry the hook is refused: the chair sees why; the close stands.
printf '%s | int t_int(int x)\n' "$testlib" >"$conf"
"$CONFER" new --db "$db" --authority nativeshire --type initial --date 2025-03-12 >/dev/null 2>&1
printf 'end!\n' | "$CONFER" run --db "$db" 2 >"$tmp/out" 2>"$tmp/err"; st=$?
line=$(grep -n 'native.bind(' "$tmp/plugins/nativeshire.lua" | cut -d: -f1)
check "refused hook: status" 1 "$st"
check "refused hook: message" "conference closed
error: end hook: $tmp/plugins/nativeshire.lua:$line: native.bind($cms, export_record): refused: library $cms is not in the allow-list $conf" \
  "$(tail -n 2 "$tmp/out")"
check "refused hook: nothing exported" "conference-1.json" "$(ls "$tmp/export")"
printf 'end!\n' | "$CONFER" run --db "$db" 2 >"$tmp/out" 2>"$tmp/err"; st=$?
check "refused hook: the close stands" "1|confer: conference 2 is closed" "$st|$(host_lines "$tmp/err")"
finish
