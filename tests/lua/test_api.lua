-- test_api.lua — the Lua face of the model: confer.conference, fields, items, counts, errors.
local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end
local function fails(f, pattern, what)
  local ok, msg = pcall(f)
  if ok then error(what .. ": expected an error", 2) end
  if not tostring(msg):find(pattern, 1, true) then
    error(what .. ": error '" .. tostring(msg) .. "' does not contain '" .. pattern .. "'", 2)
  end
end

local c = confer.conference{authority = "cumbria", type = "review", date = "2026-03-10", id = "7"}
eq(c.id, "7", "id"); eq(c.authority, "cumbria", "authority"); eq(c.type, "review", "type")
eq(c.date, "2026-03-10", "date"); eq(c.closed, false, "closed"); eq(c.decision, nil, "decision")
eq(tostring(c), "Conference 7 (cumbria review 2026-03-10)", "tostring")
eq(getmetatable(c), "confer.Conference", "metatable is hidden")

eq(c:record("child.added", {name = "Łukasz Example", dob = "2019-05-01"}), "C1", "child id")
eq(c:record("person.added", {name = "Siân Example", role = "mother", agency = "family"}), "P1", "person id")
eq(c:record("person.added", {name = "Sam Teacher", role = "teacher", agency = "school"}), "P2", "person 2")
local w = c:record("entry.mapped", {column = "worried", category = "harm",
  text = "Łukasz came to school hungry on four days in two weeks", kind = "observation", source = "school"})
eq(w, "W1", "worry id")
eq(c:record("entry.mapped", {column = "working_well", category = "existing_strengths",
  text = "Grandmother collects Łukasz every day"}), "G1", "good id")
eq(c:record("scale.given", {who = "Sam Teacher", score = 4, why = "meals are not regular"}), nil, "scale has no id")
eq(c:record("scale.given", {who = "iro", score = 5}), nil, "iro scale")

eq(c:count("worried"), 1, "count worried"); eq(c:count("working_well"), 1, "count good")
eq(c:count("children"), 1, "count children"); eq(c:count("participants"), 2, "count participants")
eq(c:count("scales"), 1, "count participant scales"); eq(c:count("iro_scale"), 1, "count iro scale")
eq(c:count("decision"), 0, "no decision yet")
fails(function() return c:count("sheep") end, "unknown count 'sheep'", "unknown count")

local items = c:items("worry")
eq(#items, 1, "one worry"); eq(items[1].id, "W1", "worry id in items")
eq(items[1].column, "worried", "column"); eq(items[1].kind, "observation", "kind")
eq(items[1].source, "school", "source"); eq(items[1].withdrawn, false, "not withdrawn")
items[1].text = "changed"                     -- a copy: the record is untouched
eq(c:item("W1").text, "Łukasz came to school hungry on four days in two weeks", "copy, not a reference")
eq(c:participant("Siân Example").role, "mother", "participant lookup")
eq(c:participant("Nobody"), nil, "unknown participant")
eq(#c:items(), 7, "all items")
fails(function() return c:items("sheep") end, "an item type expected", "unknown item type")

c:record("item.withdrawn", {id = "G1", why = "said in error"})
eq(c:count("working_well"), 0, "withdrawn items are not counted")
eq(c:item("G1").withdrawn, true, "withdrawn flag")
eq(#c:items("good"), 1, "items keeps the withdrawn one"); eq(#c:live("good"), 0, "live leaves it out")
eq(#c:live(), 6, "live, every type"); eq(c:live("worry")[1].id, "W1", "live worry")
fails(function() return c:live("sheep") end, "an item type expected", "live: unknown item type")

fails(function() c:record("entry.mapped", {column = "worried", category = "harm", text = 12.5}) end,
  "an integer expected", "fraction refused")
fails(function() c:record("action.added", {text = "x", owner = "Nobody", due = "2026-04-01", worries = {"W1"}}) end,
  "Nobody", "action owner must be a participant")
fails(function() c:record("no.such", {}) end, "unknown event", "unknown event kind")
fails(function() c:record("action.added", {worries = {1, 2}}) end, "a list of strings expected", "bad list")
eq(c:count("actions"), 0, "refused events record nothing")

-- Every item's table carries exactly its fields, each a fresh copy.
local function fields(t)
  local keys = {}
  for k, v in pairs(t) do keys[#keys + 1] = k .. "=" .. (type(v) == "table" and table.concat(v, ",") or tostring(v)) end
  table.sort(keys)
  return table.concat(keys, " ")
end
c:record("item.amended", {id = "W1", text = "Łukasz came to school hungry"})
eq(fields(c:item("W1")), "category=harm column=worried id=W1 kind=observation previous=Łukasz came to school hungry "
  .. "on four days in two weeks seq=5 source=school text=Łukasz came to school hungry type=worry withdrawn=false",
  "a worry's fields")
eq(fields(c:item("G1")), "category=existing_strengths column=working_well id=G1 seq=6 "
  .. "text=Grandmother collects Łukasz every day type=good withdraw_reason=said in error withdrawn=true", "a withdrawn good's fields")
eq(fields(c:participant("Siân Example")), "agency=family id=P1 name=Siân Example role=mother seq=3 type=person withdrawn=false",
  "a person's fields")
eq(fields(c:items("scale")[1]), "score=4 seq=7 type=scale who=Sam Teacher why=meals are not regular withdrawn=false",
  "a scale's fields")
local scale = c:items("scale")[1]
scale.score, scale.extra = 9, true
eq(fields(c:items("scale")[1]), "score=4 seq=7 type=scale who=Sam Teacher why=meals are not regular withdrawn=false",
  "a changed copy leaves the next one as it was")
local action = c:record("action.added", {text = "Breakfast club place", owner = "Siân Example", due = "2026-04-01", worries = {"W1"}})
local a = c:item(action)
eq(fields(a), "due=2026-04-01 id=" .. action .. " owner=Siân Example seq=11 text=Breakfast club place type=action "
  .. "withdrawn=false worries=W1", "an action's fields")
a.worries[1] = "W9"
eq(c:live("action")[1].worries[1], "W1", "an action's worries are a copy")

local json = c:to_json()
assert(json:find('"authority":"cumbria"', 1, true), "json has the authority")
fails(function() return confer.conference{type = "weekly"} end, "type", "bad conference type")
eq(confer.text("no.such.key"), "no.such.key", "a missing key comes back as itself")
eq(confer.has_text("no.such.key"), false, "has_text of a missing key")

-- Each conference's methods belong to it: called on another value or another conference, refused.
local other = confer.conference{authority = "sefton", type = "initial", date = "2026-03-11"}
fails(function() return c.count(other, "worried") end,
      "bad argument #1 to 'count' (a method of one conference called on another", "method of another conference")
fails(function() return c.count({}, "worried") end, "bad argument #1 to 'count' (a conference expected", "method on a table")
fails(function() return c.count("worried") end, "(a conference expected (write conf:count(...) with a colon))", "dot instead of colon")
eq(other:count("children"), 0, "the other conference counts its own")
eq(c.count == c.count, true, "a method is the same function each time")
eq(c.no_such_field, nil, "an unknown field is nil")

-- confer.text keeps the texts it found; a text with conversions is formatted afresh each call.
local first = confer.text("repl.end_checks")
eq(confer.text("repl.end_checks"), first, "a kept text is the same text")
assert(first ~= "repl.end_checks", "repl.end_checks has a text")
eq(confer.text("repl.recorded", "W1"), "W1 recorded", "conversion, first call")
eq(confer.text("repl.recorded", "W2"), "W2 recorded", "conversion, second call")
eq(confer.text("no.such.key"), "no.such.key", "a missing key, asked again")
-- A string the host reads as C text stops at a zero byte, so a name or date
-- holding one would be read as its first part ("2026-01-05\0x" as a sound
-- date, "a\0x" and "a\0y" as one field): refused, naming the argument.
fails(function() return confer.date("2026-01-05\0x") end,
      "bad argument #1 to 'date' (text with a zero byte)", "a date with a zero byte")
fails(function() return confer.calendar.deadline("2026-01-05\0x", "3 working days before") end,
      "bad argument #1 to 'deadline' (text with a zero byte)", "a deadline's date with a zero byte")
fails(function() return confer.calendar.deadline("2026-01-05", "3 working days before\0x") end,
      "bad argument #2 to 'deadline' (text with a zero byte)", "a deadline phrase with a zero byte")
fails(function() return confer.text("repl.recorded\0x", "W1") end,
      "bad argument #1 to 'text' (text with a zero byte)", "a catalogue key with a zero byte")
fails(function() return c:count("worried\0x") end,
      "bad argument #1 to 'count' (text with a zero byte)", "a count with a zero byte")
fails(function() return c:record("note.added\0x", {text = "Example"}) end,
      "bad argument #1 to 'record' (text with a zero byte)", "an event kind with a zero byte")
fails(function() return c:record("child.added", {name = "Example", ["dob\0x"] = "2019-05-01"}) end,
      "field names must be UTF-8 text without control characters", "a field name with a zero byte")
fails(function() return c:record("child.added", {name = "Example", ["dob\255"] = "2019-05-01"}) end,
      "field names must be UTF-8 text without control characters", "a field name that is not UTF-8")
fails(function() return require("signs_of_safety\0x") end, "signs_of_safety?x", "a module name with a zero byte")
fails(function() return c:count("decision\0x") end,
      "bad argument #1 to 'count' (text with a zero byte)", "decision with a zero byte is not decision")
eq(c["id\0x"], nil, "no field's name holds a zero byte")
-- A zero byte in a value is a control character wherever it stands, as the
-- first byte too (then the name is not "empty"), and in a list as in a string.
local function refusal(kind, payload)
  local ok, msg = pcall(c.record, c, kind, payload)
  return ok and "recorded" or msg
end
eq(refusal("child.added", {name = "\0Example"}), 'child.added: "name" contains a control character',
   "a name starting with a zero byte")
eq(refusal("child.added", {name = "\0"}), 'child.added: "name" contains a control character', "a name that is a zero byte")
eq(refusal("coregroup.set", {members = {"\0Example"}}), 'coregroup.set: "members" contains a control character',
   "a member's name starting with a zero byte")
eq(c:count("children"), 1, "nothing recorded by the refused calls")
-- confer.conference's own fields are judged by the model, field by field:
-- jansson's refusal of bytes that are not UTF-8 read as "out of memory", and
-- a chair that was not UTF-8 was dropped without a word.
local function opening(fields)
  local ok, msg = pcall(confer.conference, fields)
  return ok and "opened" or msg
end
eq(opening{authority = "\255\254"}, 'conference.opened: "authority" is not valid UTF-8',
   "an authority that is not UTF-8")
eq(opening{chair = "\255\254"}, 'conference.opened: "chair" is not valid UTF-8', "a chair that is not UTF-8")
eq(opening{date = "2026-01-05\255"}, 'conference.opened: "date" is not valid UTF-8', "a date that is not UTF-8")
eq(opening{chair = "Example\0Chair"}, 'conference.opened: "chair" contains a control character',
   "a chair with a zero byte")
eq(opening{chair = {}}, "confer.conference: field 'chair': a string expected, got table", "a chair that is a table")
eq(confer.conference{chair = "Alex Example"}.chair, "Alex Example", "a chair kept")
print("test_api: all passed")
