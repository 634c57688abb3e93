#!/bin/sh
# test_output_replaced.sh — `record -o` and `chart -o` opened an existing
# file with O_TRUNC and wrote into it: the file kept its mode (a record left
# readable by everyone because report.md was 0644), and a write that failed
# part way (a full disk; here a file size limit) left half a record where the
# old file had been, exit 1 but the file passing for a record. The document
# is now written beside the file and renamed over it once whole: 0600, and a
# failed write leaves the file as it was.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
db="$tmp/c.db"
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
words=$(printf 'Example words %.0s' $(seq 80))
{ echo "child Zoe Example | 2019-04-01"; for i in $(seq 120); do echo "danger $i $words"; done; } |
  "$CONFER" run --db "$db" 1 >/dev/null

printf 'old\n' >"$tmp/shared.md"
chmod 644 "$tmp/shared.md"
expect "record over a 0644 file" 0 "" "$CONFER" record --db "$db" 1 -o "$tmp/shared.md"
check "it is now the owner's only" "600" "$(stat -c %a "$tmp/shared.md")"
check "and holds the record" "# Record of the child protection conference (Worcestershire)" \
  "$(head -n 1 "$tmp/shared.md")"
ln -s shared.md "$tmp/link.md"
chmod 644 "$tmp/shared.md"
expect "chart through a symlink" 0 "" "$CONFER" chart --db "$db" --child "Zoe Example" -o "$tmp/link.md"
check "the link is still a link" "shared.md" "$(readlink "$tmp/link.md")"
check "its file holds the chart" "1" "$(grep -c '^<svg' "$tmp/shared.md")"
check "and is the owner's only" "600" "$(stat -c %a "$tmp/shared.md")"

# The record is some 128 KiB; writing is cut at 100 blocks (50 or 100 KiB as the shell counts
# them, past the 32 KiB of the database's shared memory), SIGXFSZ ignored: write fails EFBIG.
printf 'old\n' >"$tmp/kept.md"
limited() { (trap '' XFSZ; ulimit -f 100 && exec "$@"); }
expect "a write that fails" 1 "confer: $tmp/kept.md: cannot write (File too large)" \
  limited "$CONFER" record --db "$db" 1 -o "$tmp/kept.md"
check "leaves the old file as it was" "old" "$(cat "$tmp/kept.md")"
expect "a new file that fails" 1 "confer: $tmp/new.md: cannot write (File too large)" \
  limited "$CONFER" record --db "$db" 1 -o "$tmp/new.md"
check "is not left behind, nor anything beside it" "c.db kept.md link.md shared.md" \
  "$(cd "$tmp" && ls | grep -v '^c\.db-' | tr '\n' ' ' | sed 's/ $//')"
finish
