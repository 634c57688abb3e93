#!/bin/sh
# tests/valgrind.sh — runs the unit tests and a representative set of the
# command-line tests under valgrind's memcheck, and fails on any memory
# error or leak in any process they start.
#
#   tests/valgrind.sh [BUILD]    BUILD: a build without the sanitizers
#                                (default ./build; valgrind and ASan do not mix)
#
# Every confer process runs as valgrind --leak-check=full --error-exitcode=99,
# no suppressions: the CLI tests get a $CONFER that wraps the real binary. Each process writes a log; any log with an error or a
# definite/possible leak fails the run and is printed. A test's own failure
# fails the run too, with two exceptions valgrind's 20-50x slowdown forces:
# the unit tests run with CONFER_NO_TIME_LIMITS=1 (test_sandbox then skips
# its checks of processor time and lifts the sandbox's time bound), and
# test_store, whose two-process race and forked children's exit statuses
# (memcheck's own, 99) do not hold under valgrind, counts by its logs only.
# Exits 77 if valgrind is not installed.
set -u
build=$(cd "${1:-build}" && pwd) || exit 2
source=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind is not installed (apt-get install valgrind)"; exit 77; }
if grep -q '^CONFER_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "valgrind.sh: $build is a sanitizer build; give a build without CONFER_SANITIZE"; exit 2
fi
[ -x "$build/confer" ] || { echo "valgrind.sh: no $build/confer (build first)"; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/confer-valgrind.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/logs" "$tmp/xdg-config" "$tmp/xdg-data" "$tmp/xdg-state"
memcheck="valgrind --quiet --leak-check=full --show-leak-kinds=definite,possible
  --errors-for-leak-kinds=definite,possible --error-exitcode=99 --log-file=$tmp/logs/%p.log"

# $CONFER for the CLI tests: the real binary under memcheck.
cat >"$tmp/confer" <<WRAPPER
#!/bin/sh
exec $(echo $memcheck) "$build/confer" "\$@"
WRAPPER
chmod +x "$tmp/confer"
export CONFER_SOURCE="$source" CONFER_NATIVE_TESTLIB="$build/tests/libnative_testlib.so" XDG_CONFIG_HOME="$tmp/xdg-config" XDG_DATA_HOME="$tmp/xdg-data" \
       XDG_STATE_HOME="$tmp/xdg-state"

status=0
run() { # NAME COMMAND...
  name=$1; shift
  if "$@" >"$tmp/out" 2>&1; then
    echo "ok - $name"
  else
    echo "not ok - $name (exit $?)"; tail -n 20 "$tmp/out"; status=1
  fi
}

for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  case $(basename "$t") in
    # Its forked children inherit the parent's open connection, whose memory only the parent may
    # free (closing it in a child would drop the parent's locks): they are not memchecked; the
    # store code they run is the parent's own, checked there.
    test_store) env CONFER_NO_TIME_LIMITS=1 $memcheck --child-silent-after-fork=yes "$t" >"$tmp/out" 2>&1
                echo "ran - test_store (judged by its memcheck logs only)" ;;
    *) run "$(basename "$t")" env CONFER_NO_TIME_LIMITS=1 $memcheck "$t" ;;
  esac
done
for t in cli_basics plugins_cli record_cli store_cli repl_errors repl_resume reports_cli locales_cli; do
  run "test_$t.sh" env CONFER="$tmp/confer" sh "$source/tests/cli/test_$t.sh"
done

# Each process's log: empty, or only memcheck's summary lines of no error.
bad=0
for log in "$tmp"/logs/*.log; do
  [ -s "$log" ] || continue
  bad=$((bad + 1)); status=1
  echo "== memcheck: $log"; head -n 60 "$log"
done
echo "$(ls "$tmp"/logs | wc -l) processes under memcheck, $bad with errors or leaks"
exit $status
