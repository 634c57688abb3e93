# test_board_screenshot.sh — the board mid-conference in headless Chromium at
# 1280x720 (projector) and 390x844 (phone): the PNGs are made and have those
# sizes, and the DOM after the page's script has run shows the room's entries
# and nothing restricted. The stylesheet is /board.css, which the page's
# Content-Security-Policy must let in: the header is drawn in its colour, and
# the script's placing of the scaling marks is in the DOM. Skipped (77)
# without chromium (setup-debian.sh --with-browser installs it) or python3.
# BOARD_SCREENSHOT_DIR keeps the PNGs to look at.
set -u
browser=$(command -v chromium || command -v chromium-browser) || { echo "skip: chromium is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }
. "$CONFER_SOURCE/tests/cli/lib.sh"
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export XDG_STATE_HOME="$tmp/state" HOME="$tmp"
out=${BOARD_SCREENSHOT_DIR:-$tmp}
db="$tmp/c.db"
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'EOT'
child Zoë Example | 2017-05-04
person Siân Example | mother | family
person Ann Sample | social worker | children's services
person Bob Teacher | class teacher | school
next
worry past_harm | Zoë came to school with a bruise on her arm | observation | Bob Teacher
worry future_danger | Zoë could be hurt when her parents argue | opinion | Ann Sample
good strengths | Zoë is at school every day | fact | Bob Teacher
good existing_safety | Nan collects Zoë on Fridays | fact | Siân Example
restricted SECRET-NOTE-42
next
danger Ann Sample worries that Zoë could be hurt if the arguments at home go on
goal Zoë's parents sort out arguments without shouting and Zoë feels safe at home
next
action Parents go to a course on arguing safely | Siân Example | 2026-04-30 | W2 | Zoë does not hear shouting
next
scale Ann Sample | 3 | the arguing goes on
scale Bob Teacher | 6
scale iro | 4
EOT
"$CONFER" board --db "$db" 1 --port 0 >"$tmp/board.out" 2>&1 & pid=$!
for _ in $(seq 50); do grep -qs http "$tmp/board.out" && break; sleep 0.1; done
u=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$tmp/board.out")
shot() { # FILE WIDTH HEIGHT
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="$2,$3" --timeout=3000 --screenshot="$1" "$u" >/dev/null 2>&1
  # PNG: width and height are the big-endian words at bytes 16 and 20.
  echo "$(od -An -tu1 -j16 -N8 "$1" 2>/dev/null | awk '{print $3*256+$4 "x" $7*256+$8}')"
}
check "projector screenshot 1280x720" 1280x720 "$(shot "$out/board-1280x720.png" 1280 720)"
check "phone screenshot 390x844" 390x844 "$(shot "$out/board-phone.png" 390 844)"
colour() { # FILE X Y: the colour of a pixel of an 8-bit RGB PNG as rrggbb (Chromium's screenshots)
  python3 - "$@" <<'PY'
import struct, sys, zlib
path, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, "rb").read()
width, pos, idat = struct.unpack(">I", data[16:20])[0], 8, b""
while pos < len(data):
    size, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + size]
    pos += 12 + size
raw, stride, prev = zlib.decompress(idat), 3 * width, bytearray(3 * width)
for row in range(y + 1):   # undo each row's filter (PNG spec, section 9) down to row Y
    kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
    for i in range(stride):
        a, b = line[i - 3] if i >= 3 else 0, prev[i]
        c = prev[i - 3] if i >= 3 else 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        line[i] = (line[i] + (0, a, b, (a + b) // 2, a if pa <= pb and pa <= pc else b if pb <= pc else c)[kind]) & 255
    prev = line
print("%02x%02x%02x" % tuple(prev[3 * x:3 * x + 3]))
PY
}
check "the stylesheet is applied: the header's colour" 0b3d59 "$(colour "$out/board-1280x720.png" 4 4)"
check "the stylesheet is applied on the phone" 0b3d59 "$(colour "$out/board-phone.png" 4 4)"
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --timeout=3000 --dump-dom "$u" \
  >"$tmp/dom" 2>/dev/null
for text in "Zoë came to school with a bruise on her arm" "Nan collects Zoë on Fridays" \
            "Parents go to a course on arguing safely" 'aria-current="step"' "3 / 10"; do
  check "rendered: $text" yes "$(grep -q -- "$text" "$tmp/dom" && echo yes)"
done
check "rendered: nothing restricted" 0 "$(grep -c SECRET-NOTE-42 "$tmp/dom")"
check "the scaling marks placed by the script" '<span class="mark" style="left: 30%;">3</span>
<span class="mark" style="left: 60%;">6</span>
<span class="mark" style="left: 40%;">4</span>' "$(grep -o '<span class="mark"[^>]*>[0-9]*</span>' "$tmp/dom")"
finish
