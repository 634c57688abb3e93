# test_repl_tmux.sh — runs tests/repl/tmux_test.sh: the REPL in a real terminal.
exec sh "$CONFER_SOURCE/tests/repl/tmux_test.sh"
