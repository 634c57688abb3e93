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
finish
