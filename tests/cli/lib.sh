# lib.sh — what the CLI tests share; sourced (`. "$CONFER_SOURCE/tests/cli/lib.sh"`).
#
#   fail NAME                      counts a failure in $fails and says "not ok - NAME"
#   check NAME EXPECTED ACTUAL     ACTUAL must be EXPECTED exactly; shows both when not
#   expect NAME STATUS OUTPUT CMD  runs CMD; its exit status must be STATUS and its stdout
#                                  and stderr together exactly OUTPUT
#   finish                         ends the test: exit 1 if a check failed, or if none ran
#                                  (sh goes on past a misspelt or missing helper, so a test
#                                  whose checks never ran must not pass)
#   board_setup                    what the live board's tests start with: skips (exit 77)
#                                  without curl; makes $tmp, removed at exit after each
#                                  process in $pids (add servers and viewers there) is
#                                  ended; XDG_STATE_HOME in it, and $db, a database path
#   url_in FILE                    waits (5 s at most) for a board's address in FILE (confer
#                                  board's or the REPL's "board: URL"); prints the last one
#   acked FILE N                   waits (20 s at most) until FILE holds N acknowledgements
#                                  ("... recorded" lines) of a REPL; 1 when it never does
fails=0 checks=0
fail() { echo "not ok - $1"; fails=$((fails + 1)); checks=$((checks + 1)); }
finish() {
  [ "$checks" -gt 0 ] || { echo "not ok - no check ran"; exit 1; }
  [ "$fails" = 0 ] || { echo "$fails failed"; exit 1; }
  exit 0
}
check() {
  if [ "$2" = "$3" ]; then echo "ok - $1"; checks=$((checks + 1))
  else fail "$1"; printf -- '--- expected\n%s\n--- got\n%s\n' "$2" "$3"; fi
}
expect() {
  name=$1 want_status=$2 want=$3; shift 3
  got=$("$@" 2>&1); status=$?
  [ "$status" = "$want_status" ] || fail "$name: exit status $status, expected $want_status ($got)"
  if [ "$got" = "$want" ]; then echo "ok - $name"; checks=$((checks + 1))
  else fail "$name: output differs"; printf '%s\n--- expected\n%s\n' "$got" "$want"; fi
}
board_setup() {
  command -v curl >/dev/null 2>&1 || { echo "skip: curl is not installed"; exit 77; }
  tmp=$(mktemp -d) || exit 1
  pids=""
  trap board_cleanup EXIT
  export XDG_STATE_HOME="$tmp/state"
  db="$tmp/c.db"
}
url_in() {
  for _ in $(seq 50); do
    u=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$1" | tail -n 1)
    [ -n "$u" ] && { echo "$u"; return 0; }
    sleep 0.1
  done
  return 1
}
# A FILE not yet made (the session has not opened it) counts as none: a grep that
# fails must keep the wait going, not end it.
acked() {
  for _ in $(seq 200); do
    [ "$(grep -c ' recorded$' "$1" 2>/dev/null)" -ge "$2" ] 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
board_cleanup() { for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"; }
