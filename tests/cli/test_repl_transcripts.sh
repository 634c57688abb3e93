# test_repl_transcripts.sh — every golden transcript in tests/repl/ (*.in
# against *.out, see tests/repl/run_transcript.sh). The ten conferences, an
# initial and a review for each authority, must all be there.
set -u
fail=0
for authority in worcestershire cumbria surrey sefton north_yorkshire; do
  for type in initial review; do
    for ext in in out; do
      f="$CONFER_SOURCE/tests/repl/${authority}_$type.$ext"
      [ -f "$f" ] || { echo "not ok - missing transcript $f"; fail=1; }
    done
  done
done
for t in "$CONFER_SOURCE"/tests/repl/*.in; do
  sh "$CONFER_SOURCE/tests/repl/run_transcript.sh" "$t" || fail=1
done
exit $fail
