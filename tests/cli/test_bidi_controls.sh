#!/bin/sh
# test_bidi_controls.sh — right-to-left/left-to-right overrides and isolates
# (U+202A..U+202E, U+2066..U+2069) in words the chair records. An unclosed
# RLO reorders the rest of its line on the terminal, in the HTML record and in
# Markdown viewers, so the record would no longer read as it was said. New
# text holding one is refused with one line saying where, and nothing is
# recorded; right-to-left words (Urdu, Arabic) and the marks LRM, RLM and ALM
# are recorded. An event an older confer recorded with one still verifies,
# replays and renders byte for byte, and the conference goes on. Needs python3
# (to write that event as an older confer did, chained by docs/store.md).
set -u
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CONFER_DB="$tmp/confer.db"
. "$CONFER_SOURCE/tests/cli/lib.sh"
id=$("$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair Example") ||
  fail "new"
rlo=$(printf '\342\200\256') rli=$(printf '\342\201\247')
urdu="میں اپنے بچوں کے ساتھ ہوں"
arabic="الأطفال في المدرسة"
events() { "$CONFER" history "$id" | wc -l; }
words() { "$CONFER" history "$id" | grep -c -e danger.added -e person.added -e entry.mapped -e report.received; }

# The REPL: the line is refused, the character and where it is named.
printf 'danger Example %sdanger\n' "$rlo" | "$CONFER" run "$id" >"$tmp/out" 2>&1
check "run: an RLO in a line is refused" "1 error: the line holds a right-to-left/left-to-right override or isolate (U+202E, byte 16); type the words without it" \
  "$? $(tail -n 1 "$tmp/out")"
printf 'person Ann Sample | aunt | fam%sily\n' "$rli" | "$CONFER" run "$id" >"$tmp/out" 2>&1
check "run: an RLI in a field is refused" "1 error: the line holds a right-to-left/left-to-right override or isolate (U+2067, byte 31); type the words without it" \
  "$? $(tail -n 1 "$tmp/out")"
printf 'danger Example danger\n' | "$CONFER" run --chair "Chair ${rli}Example" "$id" >"$tmp/out" 2>&1
check "run --chair with an RLI" "2 confer run: --chair holds a right-to-left/left-to-right override or isolate (U+2067); type the words without it" \
  "$? $(head -n 1 "$tmp/out")"
"$CONFER" new --authority worcestershire --type initial --date 2026-03-03 --chair "Chair ${rlo}Example" \
  >"$tmp/out" 2>&1
check "new --chair with an RLO" "1 confer: conference.opened: \"chair\" holds a right-to-left/left-to-right override or isolate (U+202E); type the words without it" \
  "$? $(cat "$tmp/out")"
check "no words and no conference were recorded" "0 1" "$(words) $("$CONFER" list | tail -n +2 | wc -l)"

# A report: the file and its line are named.
{ printf '# Agency report to conference\n\n## What we are worried about\n\n'
  printf 'Mother was seen at 10pm (observation).\n\nPage two %sof the log (fact).\n\n' "$rlo"
  printf '## What is working well\n\nZoe Example is at school every day (fact).\n\n'
  printf '## What needs to happen\n\nBreakfast club every morning.\n'; } >"$tmp/report.md"
expect "report add: an RLO in a text" 1 \
  "confer: $tmp/report.md:7: a right-to-left/left-to-right override or isolate (U+202E) cannot be in a report; type the words without it" \
  "$CONFER" report add "$id" --agency police --date 2026-03-01 "$tmp/report.md"
check "still no words recorded" 0 "$(words)"

# Right-to-left words, and the marks that reorder nothing but themselves, are recorded.
printf 'danger %s\nworry past_harm | %s | observation | Ann Sample\ndanger Example\342\200\217 danger \342\200\216and\330\234 mark\n' \
  "$urdu" "$arabic" | "$CONFER" run "$id" >/dev/null 2>&1
check "Urdu, Arabic, LRM, RLM and ALM recorded" 0 "$?"
"$CONFER" record "$id" >"$tmp/record.md"
check "the Urdu words read back" 1 "$(grep -c -F -- "$urdu" "$tmp/record.md")"
check "the Arabic words read back" 1 "$(grep -c -F -- "$arabic" "$tmp/record.md")"

# An older confer let an RLO in: append such an event as it did, hashed and chained.
python3 - "$CONFER_DB" "$id" <<'PY' || fail "append as an older confer"
import hashlib, json, sqlite3, sys
db, conference = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
seq, prev = con.execute("SELECT seq, hash FROM events WHERE conference = ? ORDER BY seq DESC LIMIT 1",
                        (conference,)).fetchone()
seq += 1
time, actor, kind = "2026-03-03T10:30:00.000Z", "Chair Example", "danger.added"
payload = json.dumps({"text": "Example \u202edanger said at 10:30"}, sort_keys=True,
                     separators=(",", ":"), ensure_ascii=False)
field = lambda data: len(data).to_bytes(8, "big") + data
parts = [str(conference), str(seq), time, actor, kind, payload]
digest = hashlib.sha256(b"".join(field(p.encode()) for p in parts) + field(bytes.fromhex(prev))).hexdigest()
con.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
            (conference, seq, time, actor, kind, payload, digest))
con.commit()
PY
said="Example ${rlo}danger said at 10:30"
check "the older event is there" "6 4" "$(events) $(words)"
check "verify: the chain is sound" "conference 1: chain sound, 6 events
Every chain is sound." "$("$CONFER" verify "$id")"
check "history shows it as recorded" "6  2026-03-03T10:30:00.000Z  Chair Example  danger.added  D3 $said" \
  "$("$CONFER" history "$id" | tail -n 1)"
"$CONFER" record "$id" >"$tmp/record.md"
check "record: the Markdown holds it byte for byte" 1 "$(grep -c -F -- "$said" "$tmp/record.md")"
"$CONFER" record --format html "$id" >"$tmp/record.html"
check "record: the HTML holds it byte for byte" 1 "$(grep -c -F -- "$said" "$tmp/record.html")"
# The conference goes on: replayed, it takes new words and an undo (which folds the old event again).
printf 'danger Example danger after\nundo\n' | "$CONFER" run "$id" >/dev/null 2>&1
check "replayed, recorded and undone after it" "0 8 5" "$? $(events) $(words)"
printf 'danger Example %sagain\n' "$rlo" | "$CONFER" run "$id" >/dev/null 2>&1
check "a new RLO is still refused" "1 8 5" "$? $(events) $(words)"
finish
