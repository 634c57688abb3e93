#!/bin/sh
# tmux_test.sh — the REPL in a real terminal (tmux): the prompt, tab completion
# of verbs and of a Unicode participant's name, Ctrl-C dropping a line, Ctrl-D
# leaving, and history kept between sessions in $XDG_STATE_HOME/confer/history
# with mode 0600. Needs $CONFER and tmux.
set -u
fail=0
tmp=$(mktemp -d)
# Each session has a server of its own: `tmux kill-server` returns before the
# old server has gone, and a client started at once on the same socket can
# reach the dying server ("server exited unexpectedly").
sessions=0
sock=
trap 'for s in "$tmp"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$tmp"' EXIT
db="$tmp/confer.db"
state="$tmp/state"
"$CONFER" new --db "$db" --authority worcestershire --type initial --date 2025-03-12 >/dev/null 2>&1 ||
  { echo "not ok - confer new"; exit 1; }

start() {
  sessions=$((sessions + 1))
  sock="$tmp/tmux.$sessions.sock"
  tmux -S "$sock" new-session -d -x 150 -y 40 \
    "env XDG_STATE_HOME='$state' LANG=C.UTF-8 LC_ALL=C.UTF-8 '$CONFER' run --db '$db' 1; sleep 30"
}
screen() { tmux -S "$sock" capture-pane -p -t 0; }
keys() { tmux -S "$sock" send-keys -t 0 "$@"; }
# Waits up to 10 s for the screen's last non-empty line to be exactly $2.
expect_last() { # NAME LINE
  i=0
  while [ $i -lt 100 ]; do
    last=$(screen | sed '/^$/d' | tail -n 1)
    [ "$last" = "$2" ] && { echo "ok - $1"; return 0; }
    sleep 0.1; i=$((i + 1))
  done
  printf 'not ok - %s\n  expected last line: %s\n  screen:\n%s\n' "$1" "$2" "$(screen)"
  fail=1
}
# Waits up to 10 s for confer to have left (the pane then runs the `sleep` after it).
expect_left() { # NAME
  i=0
  while [ $i -lt 100 ]; do
    [ "$(tmux -S "$sock" list-panes -F '#{pane_current_command}')" = sleep ] &&
      { echo "ok - $1"; return 0; }
    sleep 0.1; i=$((i + 1))
  done
  printf 'not ok - %s\n  screen:\n%s\n' "$1" "$(screen)"
  fail=1
}
expect_line() { # NAME LINE (anywhere on the screen)
  i=0
  while [ $i -lt 100 ]; do
    screen | grep -qxF -- "$2" && { echo "ok - $1"; return 0; }
    sleep 0.1; i=$((i + 1))
  done
  printf 'not ok - %s\n  expected a line: %s\n  screen:\n%s\n' "$1" "$2" "$(screen)"
  fail=1
}

start
expect_last "prompt shows the position" "[1/7 introductions] chair>"
keys 'pers' Tab
expect_last "tab completes a verb" "[1/7 introductions] chair> person"
keys ' Siân Example | mother | family' Enter
expect_line "a Unicode name is recorded" "P1 recorded"
keys 'scale Si' Tab
expect_last "tab completes a participant's name" "[1/7 introductions] chair> scale Siân Example"
keys C-c
expect_last "Ctrl-C drops the line" "[1/7 introductions] chair>"
keys 'child Zoë Example' Enter
expect_line "the next line still works" "C1 recorded"
keys C-d
expect_left "Ctrl-D leaves"
tmux -S "$sock" kill-server 2>/dev/null

mode=$(stat -c %a "$state/confer/history" 2>/dev/null)
[ "$mode" = 600 ] && echo "ok - history file is 0600" || { echo "not ok - history mode '$mode'"; fail=1; }

start
expect_last "resumed at the same section" "[1/7 introductions] chair>"
keys Up
expect_last "history survives the session" "[1/7 introductions] chair> child Zoë Example"
keys C-c
expect_last "Ctrl-C drops the recalled line" "[1/7 introductions] chair>"
keys C-d
expect_left "Ctrl-D leaves again"
n=$("$CONFER" history --db "$db" 1 | wc -l)
[ "$n" -ge 4 ] && echo "ok - the recorded events are in the history" || { echo "not ok - $n events"; fail=1; }
exit $fail
