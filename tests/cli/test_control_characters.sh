# test_control_characters.sh — words the host did not write reach the terminal
# with every control character shown as '?' (a script's error in `confer
# lua`, a plugin's words quoted in a problem), or are refused (an agenda's
# name, by `confer plugins check`). An escape sequence could clear the
# chair's screen, retitle the window, or make the terminal answer with bytes
# read as typed.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/xdg" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state"

# An authority for the check below.
cat >"$tmp/exampleshire.lua" <<'LUA'
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "exampleshire", name = "Example\27]0;retitled\7shire", source = "tests: control characters",
}
return agenda
LUA

# A script's error, as `confer lua` prints it.
printf 'error("one\\ntwo\\27[2J three")\n' >"$tmp/error.lua"
expect "lua: the error on one line, the escape as '?'" 1 \
  "confer: $tmp/error.lua:1: one two?[2J three" "$CONFER" lua "$tmp/error.lua"

# An agenda whose name carries an escape sequence does not pass its check.
expect "plugins check: a name with control characters is refused" 1 \
  "$tmp/exampleshire.lua:2: name must not contain control characters" \
  "$CONFER" plugins check "$tmp/exampleshire.lua"

# A problem that quotes the plugin's own words shows their escapes as '?'.
cat >"$tmp/exampleshire.lua" <<'LUA'
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "exampleshire", name = "Exampleshire", source = "tests: control characters",
  checks = { { id = "noisy", message = "sos.check.\27[2J\27]0;retitled\7", check = function() return {} end } },
}
return agenda
LUA
expect "plugins check: a quoted catalogue key with '?' for its escapes" 1 \
  "$tmp/exampleshire.lua:2: checks[5].message: catalogue key 'sos.check.?[2J?]0;retitled?' has no text" \
  "$CONFER" plugins check "$tmp/exampleshire.lua"
# Words of the command line echoed in an error: a control character or a byte
# that is not UTF-8 shows as '?' (tests/cli/lib.sh's check compares exactly).
esc=$(printf '\033') bel=$(printf '\007') ff=$(printf '\377') rlo=$(printf '\342\200\256')
echoed() { # NAME STATUS FIRST-LINE ARGS...
  name=$1 want_status=$2 want=$3; shift 3
  "$CONFER" "$@" >"$tmp/out" 2>"$tmp/err"
  check "$name" "$want_status $want" "$? $(head -n 1 "$tmp/err")"
  cat "$tmp/err" >>"$tmp/echoed.err"
}
echoed "history of an id holding an escape" 1 "confer: unknown conference ?]0;x?" \
  history --db "$tmp/words.db" "$esc]0;x$bel"
echoed "an unknown command holding an escape" 2 "confer: unknown command '?[2Jfoo'" "$esc[2Jfoo"
echoed "an unknown option before the command" 2 "confer: unknown option '-?]0;x?'" "-$esc]0;x$bel"
echoed "a command's unknown option" 2 "confer list: unknown option '--?[2J'" list "--$esc[2J"
echoed "an argument that is not UTF-8" 2 "confer list: unexpected argument 'Example?'" list "Example$ff"
echoed "help on an unknown command" 2 "confer help: unknown command '?[31mred'" help "$esc[31mred"
echoed "an unknown command holding a right-to-left override" 2 "confer: unknown command '?oof'" \
  "${rlo}oof"
echoed "an unknown language" 1 "confer: '?]0;x?' is not a language code (such as en_GB or cy)" \
  --lang "$esc]0;x$bel" list
check "none of them wrote an escape or a bad byte" "17 0" \
  "$(wc -l <"$tmp/echoed.err") $(grep -a -c "$esc\|$bel\|$ff\|$rlo" "$tmp/echoed.err")"
# A line break among the words echoed would make a second line of the error,
# one that could pass for confer's own: it shows as a space, as in a script's
# error above, and the error stays one line (then the usage line).
nl='
'
expect "an argument holding a line break: one line" 2 \
  "confer list: unexpected argument 'Example confer: conference 1 is closed'
confer list [--db F]" "$CONFER" list "Example${nl}confer: conference 1 is closed"
expect "an unknown command holding CR LF: one line" 2 \
  "confer: unknown command 'Example  forged'
usage: confer [--lang L] COMMAND [OPTIONS] [ARGS]
       confer help [COMMAND] | confer --version" "$CONFER" "Example$(printf '\r')${nl}forged"
finish
