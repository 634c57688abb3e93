# test_po_msgfmt.sh — confer's PO reader (host/po.c) against GNU gettext's own
# msgfmt: every catalogue confer ships or a test plugin brings is one msgfmt
# accepts (syntax, plural forms, printf conversions), and the fixtures confer
# refuses for their syntax msgfmt refuses too, with confer naming the line.
# Exits 77 when msgfmt (Debian package gettext) is absent.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
command -v msgfmt >/dev/null 2>&1 || { echo "msgfmt is not installed (apt-get install gettext)"; exit 77; }
cd "$CONFER_SOURCE" || exit 1

count=0
for po in locales/*/*.po tests/plugins/*/locales/*/*.po; do
  count=$((count + 1))
  out=$(msgfmt --check-format --check-domain -o /dev/null "$po" 2>&1) || fail "msgfmt refuses $po: $out"
done
[ "$count" -ge 20 ] || fail "only $count catalogues found"
echo "ok - msgfmt accepts the $count shipped and test catalogues"

for fixture in broken garbled; do
  po=tests/i18n/$fixture/en_GB/host.po
  if msgfmt -o /dev/null "$po" >/dev/null 2>&1; then fail "msgfmt accepts $po"; else echo "ok - msgfmt refuses $po too"; fi
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/en_GB"
cp tests/i18n/garbled/en_GB/host.po "$tmp/en_GB/host.po"
expect "confer refuses the garbled fixture at its line" 1 \
  "$tmp/en_GB/host.po:9: keyword \"mgsid\" unknown
locales: 0 catalogues, 0 keys, 1 problem" \
  "$CONFER" locales check --dir "$tmp"

finish
