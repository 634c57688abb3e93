#!/bin/sh
# test.sh — builds confer and runs every test with ctest.
# With CONFER_SANITIZE=1 (as in CI) the build uses AddressSanitizer and
# UndefinedBehaviorSanitizer in its own build directory.
set -eu
cd "$(dirname "$0")/.."
dir=build
opts=""
if [ "${CONFER_SANITIZE:-0}" = 1 ]; then
  dir=build-asan
  opts="-DCONFER_SANITIZE=ON"
fi
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug $opts >/dev/null
cmake --build "$dir" -j "$(nproc)"
cd "$dir"
ctest --output-on-failure --timeout 300 -j "$(nproc)" "$@"
