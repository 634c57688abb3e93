# forge_events.py — appends events to a conference of a confer SQLite file with
# a sound hash chain, as a hostile or damaged copy handed between agencies
# could hold: what confer itself would never write, but `confer verify` passes.
#
#   python3 forge_events.py DB CONFERENCE EVENTS.json
#
# EVENTS.json is a list of [time, actor, kind, payload-text]. A conference the
# file lacks is created from the first event's payload (authority, type, date).
import hashlib
import json
import sqlite3
import sys


def field(h, data):
    h.update(len(data).to_bytes(8, "big"))
    h.update(data)


def main(db, conference, events_file):
    conference = int(conference)
    with open(events_file, encoding="utf-8") as f:
        events = json.load(f)
    c = sqlite3.connect(db)
    last = c.execute("SELECT seq, hash FROM events WHERE conference = ? ORDER BY seq DESC LIMIT 1",
                     (conference,)).fetchone()
    seq, prev = last if last else (0, "")
    if last is None:
        opened = json.loads(events[0][3])
        c.execute("INSERT INTO conferences VALUES (?, ?, ?, ?)",
                  (conference, opened["authority"], opened["type"], opened["date"]))
    for time, actor, kind, payload in events:
        seq += 1
        h = hashlib.sha256()
        field(h, str(conference).encode())
        field(h, str(seq).encode())
        for text in (time, actor, kind, payload):
            field(h, text.encode())
        field(h, bytes.fromhex(prev) if prev else bytes(32))
        prev = h.hexdigest()
        c.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (conference, seq, time, actor, kind, payload, prev))
    c.commit()


if __name__ == "__main__":
    main(*sys.argv[1:])
