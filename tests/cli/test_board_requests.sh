#!/bin/sh
# test_board_requests.sh — what the live board makes of requests at its
# edges. A percent-encoded zero byte would end the decoded C string: the path
# "/state%00" must not be taken for "/state" (404), nor a token followed by
# "%00junk" for the token (403). The page runs no inline script or style: its
# script is /board.js and its stylesheet /board.css, asked with the token like
# everything else, and the three answers carry the same headers, the policy
# allowing scripts and styles from the board only ('unsafe-inline' nowhere).
# On a shared board one address may hold at most 16 connections that have
# not finished their request: a slowloris from one address leaves the room
# the rest (a viewer at 127.0.0.2 stands for another computer). Needs curl
# and python3.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
board_setup
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" run --db "$db" 1 >/dev/null <<'IN'
child Zoe Example | 2019-04-01
IN
"$CONFER" board --db "$db" 1 --port 0 >"$tmp/board.out" 2>&1 & pids="$pids $!"
"$CONFER" board --db "$db" 1 --port 0 --bind 127.0.0.1 >"$tmp/shared.out" 2>&1 & pids="$pids $!"
u=$(url_in "$tmp/board.out")
s=$(url_in "$tmp/shared.out")
base=${s%%\?*} token=${s#*token=}
answer() { curl -s --max-time 5 -w ' %{http_code}' "$1"; }

# A zero byte, percent-encoded, in the path or the token.
check "/state%00: not the state" "404 not found
 404" "$(answer "${u}state%00")"
check "/%00: not the page" "404 not found
 404" "$(answer "${u}%00")"
check "/state%00 with the token: not the state" "404 not found
 404" "$(answer "${base}state%00?token=$token")"
check "the token then %00junk: refused" "403 forbidden: this board needs its token
 403" "$(answer "${base}state?token=$token%00junk")"
check "the token then %00: the stream refused" "403 forbidden: this board needs its token
 403" "$(answer "${base}events?token=$token%00")"
check "the token percent-encoded, no zero byte: still the token" 200 \
  "$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "${base}state?token=%$(printf %x "'${token%"${token#?}"}")${token#?}")"

# The page, its script and its stylesheet: nothing inline, the same headers on all three.
headers() { # URL: the answer's headers but Date, one a line, then the body's length
  curl -s -D "$tmp/h" -o "$tmp/body" --max-time 5 "$1"
  tr -d '\r' <"$tmp/h" | grep -v -e '^Date: ' -e '^$'
  echo "body: $(wc -c <"$tmp/body") bytes"
}
page_headers=$(headers "$s")
cp "$tmp/body" "$tmp/page"
length=$(wc -c <"$tmp/page")
expected() { # TYPE LENGTH: what headers prints for every answer of the board
  printf '%s\n' "HTTP/1.1 200 OK" "Connection: close" "Content-Type: $1" "Cache-Control: no-store" \
    "X-Content-Type-Options: nosniff" "Referrer-Policy: no-referrer" \
    "Content-Security-Policy: default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'" \
    "Content-Length: $2" "body: $2 bytes"
}
check "the page's headers" "$(expected "text/html; charset=utf-8" "$length")" "$page_headers"
check "the page's scripts: two data blocks and board.js with the token" \
  "<script id=\"words\" type=\"application/json\">
<script id=\"state\" type=\"application/json\">
<script src=\"board.js?token=$token\">" "$(grep -o '<script[^>]*>' "$tmp/page")"
check "the page's stylesheet: board.css with the token, nothing inline" \
  "<link rel=\"stylesheet\" href=\"board.css?token=$token\">
style elements: 0, style attributes: 0" \
  "$(grep -o '<link[^>]*>' "$tmp/page"
     echo "style elements: $(grep -o '<style' "$tmp/page" | wc -l), style attributes: $(grep -o ' style=' "$tmp/page" | wc -l)")"
check "the state's data block is the state" "$(curl -s --max-time 5 "${base}state?token=$token")" \
  "$(sed 's/.*<script id="state" type="application\/json">\([^<]*\)<\/script>.*/\1/' "$tmp/page")"
script_headers=$(headers "${base}board.js?token=$token")
length=$(wc -c <"$tmp/body")
check "board.js's headers" "$(expected "text/javascript; charset=utf-8" "$length")" "$script_headers"
check "board.js: the script, reading the data blocks" "(function(){'use strict';
1" "$(head -n 1 "$tmp/body"; grep -c "JSON.parse(\$('state').textContent)" "$tmp/body")"
check "board.js without the token" "403 forbidden: this board needs its token
 403" "$(answer "${base}board.js")"
style_headers=$(headers "${base}board.css?token=$token")
length=$(wc -c <"$tmp/body")
check "board.css's headers" "$(expected "text/css; charset=utf-8" "$length")" "$style_headers"
check "board.css: the stylesheet, the header's colour in it" "*{box-sizing:border-box}html{font-size:clamp(16px,1.6vw,30px)}
1" "$(cut -c 1-62 "$tmp/body"; grep -c 'background:#0b3d59;color:#fff}' "$tmp/body")"
check "board.css without the token" "403 forbidden: this board needs its token
 403" "$(answer "${base}board.css")"
check "board.css with %00 after the token" "403 forbidden: this board needs its token
 403" "$(answer "${base}board.css?token=$token%00")"
check "the loopback board's page asks board.js without a token" '<script src="board.js">' \
  "$(curl -s --max-time 5 "$u" | grep -o '<script src="[^"]*">')"
check "the loopback board's board.js" 200 "$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "${u}board.js")"
check "the loopback board's page asks board.css without a token" '<link rel="stylesheet" href="board.css">' \
  "$(curl -s --max-time 5 "$u" | grep -o '<link[^>]*>')"
check "the loopback board's board.css" 200 "$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "${u}board.css")"

# 70 connections from one address that never finish their request, on the shared board.
port=$(echo "$base" | sed 's/.*:\([0-9]*\)\/$/\1/')
python3 - "$port" "$s" >"$tmp/slow" <<'PY'
import socket, subprocess, sys, time
port, url = int(sys.argv[1]), sys.argv[2]
slow = []
for _ in range(70):
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"GET /state HTTP/1.1\r\n")
    slow.append(c)
time.sleep(0.5)
held = 0
for c in slow:
    c.settimeout(0.05)
    try:
        held += c.recv(1) != b""
    except socket.timeout:
        held += 1
    except OSError:
        pass
print("held: %d" % held)
def viewer(source):
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3",
                        "--interface", source, url.replace("/?", "/state?")],
                       capture_output=True, text=True)
    return r.stdout
print("from another address: " + viewer("127.0.0.2"))
print("from the same address: " + viewer("127.0.0.1"))
PY
check "one address holds 16 waiting connections, the rest are closed" "held: 16" "$(sed -n 1p "$tmp/slow")"
check "a viewer at another address still gets the board" "from another address: 200" "$(sed -n 2p "$tmp/slow")"
check "the same address gets no more while they wait" "from the same address: 000" "$(sed -n 3p "$tmp/slow")"
finish
