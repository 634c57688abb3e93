#!/bin/sh
# run_hostile.sh — chairs a conference under one hostile plugin and checks
# that the plugin cannot hurt the chair, the machine or the record.
#
#   sh tests/hostile/run_hostile.sh FILE.lua      (needs $CONFER, the binary)
#
# FILE.lua is an authority's agenda (its id is the file's name) that passes
# `confer plugins check` but misbehaves mid-conference. Its first comment
# lines say what must happen:
#   -- expect: LINE     an exact output line of the REPL, where PLUGIN stands
#                       for the plugin file's path (so it names FILE and LINE);
#                       a final * matches any rest of the line
#   -- input: COMMAND   a line the chair types after the opening (repeatable)
#   -- events: KIND...  the events those commands append, in order
#   -- status: N        the exit status of `confer run`
# The driver opens a conference and records a child, a person and a worry
# (the opening), then runs the input in a second `confer run`, and checks:
#   - the expected line is printed, and nothing on stderr (no crash report);
#   - the session used under 1 s of processor time, and no command took a
#     second or more: every output line (and the exit) came within 1 s of
#     the one before (stretched by the load average beyond the cores);
#     both limits are multiplied by $CONFER_TIME_FACTOR (default 1), which
#     the sanitizer build sets: ASan's allocator and memcpy make a memory
#     bomb's million allocations two to three times as slow; and, only when
#     a limit is passed, by how much slower than nominal this machine runs
#     a reference workload of lua5.4's at that moment (see below);
#   - the process exits with the expected status (not killed by a signal);
#   - no file changed under the private HOME, XDG dirs and working directory
#     except the database, and the database holds exactly the opening's
#     events followed by the expected ones (`confer history`), its chains
#     sound (`confer verify`).
set -u
file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
: "${CONFER:?CONFER must name the confer binary}"
name=$(basename "$file" .lua)
header() { sed -n "s/^-- $1: //p" "$file"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/confer-hostile.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.config" "$tmp/home/.local/share" "$tmp/home/.local/state" \
         "$tmp/plugins" "$tmp/work"
cp "$file" "$tmp/plugins/$name.lua"
plugin="$tmp/plugins/$name.lua"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
       XDG_DATA_HOME="$tmp/home/.local/share" XDG_STATE_HOME="$tmp/home/.local/state" \
       CONFER_PLUGIN_PATH="$tmp/plugins" CONFER_DB="" LANG=C.UTF-8
db="$tmp/work/confer.db"
cd "$tmp/work" || exit 1

fail() { echo "not ok - $name: $*"; exit 1; }

# Every file with its size and modification time, except the database's own
# (directories by name only: SQLite's -wal and -shm files come and go).
listing() {
  find "$tmp/home" "$tmp/plugins" "$tmp/work" \( -type d -printf '%p/\n' \) -o -printf '%p %s %T@\n' |
    grep -v -e "^$db " -e "^$db-wal " -e "^$db-shm " -e "^$db-journal " | sort
}

"$CONFER" new --db "$db" --authority "$name" --type initial --date 2025-03-03 \
  --chair "Chair Example" >"$tmp/new.out" 2>&1 || fail "confer new: $(cat "$tmp/new.out")"
printf '%s\n' "child Alex Example | 2019-01-01" \
  "person Sam Sample | social worker | children's services" \
  "worry past_harm | A bruise on the arm | fact | Sam Sample" "quit" |
  "$CONFER" run --db "$db" --chair "Chair Example" 1 >"$tmp/open.out" 2>&1 ||
  fail "the opening failed: $(cat "$tmp/open.out")"
"$CONFER" history --db "$db" 1 >"$tmp/before" 2>&1 || fail "history: $(cat "$tmp/before")"
listing >"$tmp/files.before"

# The hostile session; each output line is stamped with the time it arrived.
{ header input; echo quit; } >"$tmp/input"
start=$(date +%s%N)
{ /usr/bin/time -f '%U %S' -o "$tmp/cpu" \
    "$CONFER" run --db "$db" --chair "Chair Example" 1 <"$tmp/input" 2>"$tmp/stderr"
  echo "exit $?"; } |
  while IFS= read -r line; do printf '%s %s\n' "$(date +%s%N)" "$line"; done >"$tmp/stamped"
sed 's/^[0-9]* //' "$tmp/stamped" >"$tmp/got"

status=$(sed -n 's/^exit //p' "$tmp/got" | tail -n 1)
[ "$status" = "$(header status)" ] ||
  { cat "$tmp/got" "$tmp/stderr"; fail "exit status $status, expected $(header status)"; }
[ -s "$tmp/stderr" ] && { cat "$tmp/stderr"; fail "something was written to stderr"; }

# Lua shortens a long chunk name from the left ("...plugins/NAME.lua"), so
# any path ending in the plugin's file name stands for PLUGIN.
expect=$(header expect | head -n 1)
sed "s|[^ ]*/$name\.lua:|PLUGIN:|g" "$tmp/got" |
  awk -v want="$expect" 'BEGIN { n = length(want) - 1; prefix = substr(want, n + 1) == "*" }
    (prefix && substr($0, 1, n) == substr(want, 1, n)) || $0 == want { found = 1 }
    END { exit !found }' ||
  { cat "$tmp/got"; fail "no output line: $expect"; }

# Processor time is the bound; wall time too, stretched by the load beyond
# the machine's cores (parallel tests on a busy CI box share them).
# The one second is for a machine as fast as the one the limits were set on,
# where lua5.4 alone builds 200,000 strings (reference_ms below) in 250 ms of
# processor time. A session over a limit is measured against that reference
# again, in the same run: a slower machine, or a slow spell of a virtual one
# (seen at 1.7 times slower), stretches both limits by the ratio, so the
# bound stays one second of this machine's work and does not flake.
factor=${CONFER_TIME_FACTOR:-1}
reference_nominal_ms=250
reference_ms() {
  command -v lua5.4 >/dev/null 2>&1 || { echo "$reference_nominal_ms"; return; }
  /usr/bin/time -f '%U %S' -o "$tmp/reference" \
    lua5.4 -e 'local t = {} for i = 1, 200000 do t[i] = ("x"):rep(64) .. i end' >/dev/null 2>&1
  awk '{ printf "%d", ($1 + $2) * 1000 }' "$tmp/reference"
}
cpu=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$tmp/cpu")
slowest=$(awk -v prev="$start" '{ gap = $1 - prev; if (gap > max) max = gap; prev = $1 }
  END { printf "%d", max / 1000000 }' "$tmp/stamped")
load_stretch=$(awk -v cores="$(nproc)" '{ f = $1 / cores; printf "%.3f", (f > 1 ? f : 1) }' /proc/loadavg)
# The limits in ms: processor time stretched by the speed, wall time by the load too.
set_limits() {
  cpu_limit=$(awk -v s="$speed_stretch" -v factor="$factor" 'BEGIN { printf "%d", s * 1000 * factor }')
  limit=$(awk -v a="$load_stretch" -v s="$speed_stretch" -v factor="$factor" \
    'BEGIN { printf "%d", a * s * 1000 * factor }')
}
speed_stretch=1 speed_note=""
set_limits
if [ "$cpu" -ge "$cpu_limit" ] || [ "$slowest" -ge "$limit" ]; then
  reference=$(reference_ms)
  speed_stretch=$(awk -v r="$reference" -v n="$reference_nominal_ms" 'BEGIN { printf "%.3f", (r > n ? r / n : 1) }')
  speed_note=", limits x$speed_stretch: the reference took $reference ms, nominal $reference_nominal_ms ms"
  set_limits
fi
[ "$cpu" -lt "$cpu_limit" ] || fail "the session used $cpu ms of processor time (limit $cpu_limit ms$speed_note)"
[ "$slowest" -lt "$limit" ] ||
  { cat "$tmp/stamped"; fail "a command took $slowest ms (limit $limit ms at this load$speed_note)"; }

listing >"$tmp/files.after"
diff "$tmp/files.before" "$tmp/files.after" >"$tmp/files.diff" ||
  { cat "$tmp/files.diff"; fail "files changed besides the database"; }

"$CONFER" history --db "$db" 1 >"$tmp/after" 2>&1 || fail "history: $(cat "$tmp/after")"
n=$(wc -l <"$tmp/before")
head -n "$n" "$tmp/after" | cmp -s - "$tmp/before" ||
  { diff "$tmp/before" "$tmp/after"; fail "the events recorded before the plugin ran changed"; }
got_events=$(tail -n +"$((n + 1))" "$tmp/after" | awk -F '  ' '{ printf "%s%s", sep, $4; sep = " " }')
[ "$got_events" = "$(header events)" ] ||
  { cat "$tmp/after"; fail "new events '$got_events', expected '$(header events)'"; }
"$CONFER" verify --db "$db" >"$tmp/verify" 2>&1 || fail "verify: $(cat "$tmp/verify")"

echo "ok - $name (slowest command $slowest ms, $cpu ms of processor time$speed_note)"
