#!/bin/sh
# test_record_html.sh — the record's HTML in headless Chromium.
#
# Renders the golden Cumbria record (tests/render/cumbria/room.html) and the
# family's version as a wide screen (1600x1200), as an A4-wide page (794 px,
# where the mapping columns stack as on paper) and printed to PDF on A4.
# Checks each PNG has the size asked for and the PDF has pages. To look at
# them, set CONFER_SCREENSHOTS=DIR and open DIR/*.png. Exit 77 (skipped) when
# Chromium is not installed: scripts/setup-debian.sh --with-browser installs it.
set -u
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "skipped: chromium is not installed"; exit 77; fi
src=$CONFER_SOURCE/tests/render/cumbria
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
out=${CONFER_SCREENSHOTS:-$tmp}
failed=0

# png_size FILE: "WIDTHxHEIGHT" from the PNG header.
png_size() {
  set -- $(od -An -tu1 -j16 -N8 "$1")
  echo "$(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 ))x$(( ($5 << 24) + ($6 << 16) + ($7 << 8) + $8 ))"
}

shoot() { # NAME PAGE WIDTH HEIGHT
  "$browser" --headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$tmp/profile" \
    --screenshot="$out/$1.png" --window-size="$3,$4" "file://$2" >"$tmp/log" 2>&1
  size=$( [ -s "$out/$1.png" ] && png_size "$out/$1.png")
  if [ "$size" = "$3x$4" ]; then echo "ok - $1 screenshot $size"
  else echo "not ok - $1 screenshot: got '$size', expected $3x$4"; tail -n 3 "$tmp/log"; failed=1; fi
}

for page in room family; do
  cp "$src/$page.html" "$tmp/$page.html"
  shoot "$page-wide" "$tmp/$page.html" 1600 1200
  shoot "$page-a4" "$tmp/$page.html" 794 1123
done
"$browser" --headless --disable-gpu --no-sandbox --user-data-dir="$tmp/profile" --no-pdf-header-footer \
  --print-to-pdf="$out/room.pdf" "file://$tmp/room.html" >"$tmp/log" 2>&1
pages=$(grep -a -o '/Count [0-9]*' "$out/room.pdf" 2>/dev/null | head -n 1 | cut -d' ' -f2)
if [ "${pages:-0}" -ge 2 ]; then echo "ok - room printed on $pages pages"
else echo "not ok - room.pdf: ${pages:-no} pages"; failed=1; fi
# A4 is 595 x 842 points.
if grep -aqE '/MediaBox \[0 0 59[45](\.[0-9]+)? 84[12](\.[0-9]+)?\]' "$out/room.pdf"; then echo "ok - printed on A4"
else echo "not ok - room.pdf is not A4: $(grep -a -o '/MediaBox [^]]*]' "$out/room.pdf" | head -n 1)"; failed=1; fi
exit $failed
