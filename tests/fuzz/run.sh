#!/bin/sh
# tests/fuzz/run.sh — builds the libFuzzer targets with clang under
# AddressSanitizer and UndefinedBehaviorSanitizer, then fuzzes each one for
# SECONDS over its seed corpus (tests/fuzz/corpus/NAME).
#
#   tests/fuzz/run.sh [SECONDS [BUILD]]    SECONDS per target (default 60),
#                                          BUILD the build directory
#                                          (default /tmp/confer-fuzz-build)
#
# The seed corpus in the tree is only read: inputs that reach new code are
# kept in BUILD/corpus/NAME, so a second run goes on from there. A crash,
# leak, sanitizer report or timeout (10 s for one input) stops that target
# and leaves the input in BUILD/crash-NAME-*; the script then exits 1. Make
# each one a regression test by copying it to tests/fuzz/regressions/NAME/
# (every build replays those with the seeds: ctest -R fuzz_replay).
# Exits 77 if clang is not installed. Runs one target at a time (-j2 builds).
set -u
seconds=${1:-60}
build=${2:-/tmp/confer-fuzz-build}
source=$(cd "$(dirname "$0")/../.." && pwd)
command -v clang >/dev/null 2>&1 || { echo "run.sh: clang is not installed (apt-get install clang)"; exit 77; }
case $seconds in ''|*[!0-9]*) echo "run.sh: SECONDS must be a whole number, got '$seconds'"; exit 2 ;; esac

cmake -S "$source" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DCONFER_SANITIZE=ON -DCONFER_FUZZ=ON -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link >"$build.cmake.log" 2>&1 ||
  { cat "$build.cmake.log"; echo "run.sh: cmake failed"; exit 1; }
cmake --build "$build" -j2 --target fuzz_command fuzz_plugin fuzz_signature fuzz_store fuzz_po >"$build.build.log" 2>&1 ||
  { tail -n 30 "$build.build.log"; echo "run.sh: the build failed"; exit 1; }

status=0
printf '%-10s %8s %10s %8s %s\n' target seconds executions corpus result
for name in command plugin signature store po; do
  mkdir -p "$build/corpus/$name"
  log="$build/fuzz-$name.log"
  CONFER_SOURCE=$source "$build/tests/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/crash-$name-" \
    "$build/corpus/$name" "$source/tests/fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  size=$(find "$build/corpus/$name" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $rc): $(ls "$build"/crash-"$name"-* 2>/dev/null | head -n 1); see $log"
    status=1
  fi
  printf '%-10s %8s %10s %8s %s\n' "$name" "$seconds" "${runs:-?}" "$size" "$result"
done
exit $status
