# test_repl_transcripts.sh — every golden transcript in tests/repl/ (*.in
# against *.out, see tests/repl/run_transcript.sh).
set -u
fail=0
count=0
for t in "$CONFER_SOURCE"/tests/repl/*.in; do
  count=$((count + 1))
  sh "$CONFER_SOURCE/tests/repl/run_transcript.sh" "$t" || fail=1
done
[ "$count" -ge 1 ] || { echo "not ok - no transcripts"; fail=1; }
exit $fail
