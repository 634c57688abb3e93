#!/bin/sh
# test_train_numbers.sh — `confer simulate` given a --seed or --count past
# what a long holds: refused, where strtol's LONG_MAX would have played
# another seed than the one asked for (every such seed the same conferences).
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
# Without the check --count runs for ever: timeout ends it as a failure.
command -v timeout >/dev/null 2>&1 || { echo "skip: timeout is not installed"; exit 77; }
usage="confer simulate [--authority ID] [--db F] [--seed N] [--count N] SCENARIO"
expect "--seed past LONG_MAX" 2 "confer simulate: --seed needs a whole number, not 9223372036854775808
$usage" "$CONFER" simulate --db :memory: --seed 9223372036854775808 --count 1 neglect
expect "--seed far past LONG_MAX" 2 "confer simulate: --seed needs a whole number, not 99999999999999999999
$usage" "$CONFER" simulate --db :memory: --seed 99999999999999999999 --count 1 neglect
expect "--count past LONG_MAX" 2 "confer simulate: --count needs a whole number, not 99999999999999999999
$usage" timeout 20 "$CONFER" simulate --db :memory: --count 99999999999999999999 neglect
expect "--seed LONG_MAX itself is a seed" 0 "1 neglect worcestershire 19c185c37fac96bf42744673fa0671d7" \
  "$CONFER" simulate --db :memory: --seed 9223372036854775807 --count 1 neglect
finish
