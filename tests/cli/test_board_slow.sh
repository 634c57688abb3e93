#!/bin/sh
# test_board_slow.sh — slowloris: 70 connections to a board, more than its 64
# slots, each sending its request a byte every two seconds, never finishing
# it. The idle timeout never ends them, so on their own they would keep the
# board from everyone else for as long as they liked: the projector reloading,
# a viewer joining. A connection must finish its request within 10 seconds
# or is closed; after that a new viewer gets the board again, and the slow
# ones find their connections closed (the viewer tries for up to 5 s more:
# the server takes a moment to listen again once slots are free).
# Needs curl and python3.
set -u
. "$CONFER_SOURCE/tests/cli/lib.sh"
board_setup
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2026-03-03 >/dev/null
"$CONFER" board --db "$db" 1 --port 0 >"$tmp/board.out" 2>&1 & pids="$pids $!"
u=$(url_in "$tmp/board.out")
port=$(echo "$u" | sed 's/.*:\([0-9]*\)\/$/\1/')
python3 - "$port" "$u" >"$tmp/slow" <<'PY'
import socket, subprocess, sys, time
port, url = int(sys.argv[1]), sys.argv[2]
def viewer():
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3",
                        url + "state"], capture_output=True, text=True)
    return r.stdout
slow = []
for _ in range(70):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /state HTTP/1.1\r\n")
    slow.append(s)
time.sleep(0.5)
print("while they trickle: " + viewer())
closed = 0
for tick in range(6):                # 12 s: past the 10 s deadline
    time.sleep(2)
    for s in slow:
        try:
            s.sendall(b"X")
        except OSError:
            pass
for _ in range(5):                   # the server takes a moment to listen again
    got = viewer()
    if got == "200":
        break
    time.sleep(1)
print("after 12 s: " + got)
for s in slow:
    s.settimeout(1)
    try:
        closed += s.recv(1) == b""
    except OSError as e:
        closed += not isinstance(e, socket.timeout)
print("slow connections closed: %d" % closed)
PY
check "the slots are full while they trickle" "while they trickle: 000" "$(sed -n 1p "$tmp/slow")"
check "a new viewer gets the board once their time is up" "after 12 s: 200" "$(sed -n 2p "$tmp/slow")"
check "every slow connection was closed" "slow connections closed: 70" "$(sed -n 3p "$tmp/slow")"
finish
