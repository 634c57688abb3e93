-- test_contract.lua — the plugin contract's validator (scripts/contract.lua):
-- every problem it can report, word for word and in order (structural
-- problems first, then catalogue keys without text in declaration order), and
-- the catalogue keys it lists for `confer locales check`.
--
-- Each case starts from an agenda of the Signs of Safety base with one
-- category per column and changes it. Locations are fixed strings so the
-- expected lines are exact.
local contract = require "contract"
local sos = require "signs_of_safety"

local FILE = "tests/exampleshire.lua"
local failures = 0

local function lines(list) return table.concat(list, "\n") end

local function expect(name, got, want)
  if lines(got) ~= lines(want) then
    failures = failures + 1
    print("not ok - " .. name .. "\n--- expected\n" .. lines(want) .. "\n--- got\n" .. lines(got))
  else
    print("ok - " .. name)
  end
end

local function noop() return {} end

-- A sound agenda: the base's, with one category per column and fixed locations.
-- (A report form lists its headings before its title: pairs() walks a
-- table's list part before its other fields.)
local function sound()
  local agenda = sos.agenda { id = "exampleshire", name = "Exampleshire", source = "Example" }
  agenda.where = FILE .. ":10"
  agenda.columns = { worried = { "past_harm" }, working_well = { "existing_strengths" } }
  agenda.categories = { past_harm = "sos.category.past_harm" }
  agenda.categories.existing_strengths = "sos.category.existing_strengths"
  agenda.decision.categories = {}
  agenda.checks = { { id = "example_check", message = "sos.check.child_voice", check = noop } }
  agenda.report_forms = { initial = { title = "sos.report.title",
    { id = "worried", title = "sos.report.worried", guidance = { "sos.report.worried.guidance" } } } }
  for i, section in ipairs(agenda.sections) do
    agenda.sections[i] = section:with {}
    agenda.sections[i].where = FILE .. ":" .. (20 + i)
  end
  return agenda
end

local function problems(name, change, want, with_texts)
  local agenda = sound()
  if change ~= nil then agenda = change(agenda) or agenda end
  expect(name, contract.validate(agenda, FILE, with_texts ~= false), want)
end

problems("a sound agenda", nil, {})
problems("not a table", function() return 42 end,
  { "tests/exampleshire.lua:1: the plugin must return the agenda made by sos.agenda{...}, got number" })
problems("agenda without a location", function(a) a.where = nil; a.name = 7 end,
  { "tests/exampleshire.lua:1: name must be a string, got number" })
problems("agenda fields", function(a) a.colour = "red"; a.id = "Example"; a.source = nil end, {
  "tests/exampleshire.lua:10: agenda: unknown field 'colour' (expected one of categories, chair_only, checks, columns, decision, evidence, family_first, glossary, goals, hooks, id, name, plan_rules, record, report_forms, restricted, scaling, sections, source, timescales, where)",
  "tests/exampleshire.lua:10: id must be lower case letters and _ (at most 64), got Example",
  "tests/exampleshire.lua:10: source must be a string, got nil",
})
-- An escape sequence (C0), DEL or a C1 control (U+009B, CSI) in the words
-- shown as they are; a tab is a control too. Accented letters are words.
problems("control characters in name and source", function(a)
  a.name = "Example\27]0;retitled\7shire"; a.source = "Example\194\155 2J"
end, {
  "tests/exampleshire.lua:10: name must not contain control characters",
  "tests/exampleshire.lua:10: source must not contain control characters",
})
problems("DEL and tab in name, letters outside ASCII in source", function(a)
  a.name = "Example\127"; a.source = "Ynys M\195\180n\tExample"
end, {
  "tests/exampleshire.lua:10: name must not contain control characters",
  "tests/exampleshire.lua:10: source must not contain control characters",
})
-- Blank words name no one: the record's heading and the REPL's messages had a gap.
problems("empty name, blank source", function(a) a.name = ""; a.source = " " end, {
  "tests/exampleshire.lua:10: name must not be empty",
  "tests/exampleshire.lua:10: source must not be empty",
})
-- An empty list of kinds or plans passed; then no entry could name a kind and no decision be made.
problems("no evidence kinds, no plans", function(a) a.evidence.kinds = {}; a.decision.plans = {} end, {
  "tests/exampleshire.lua:10: evidence.kinds must list at least one",
  "tests/exampleshire.lua:10: decision.plans must list at least one",
})
problems("letters outside ASCII are words", function(a)
  a.name = "Ynys M\195\180n"; a.source = "Ca\195\177ada \226\128\148 Example"
end, {})
problems("id not the file's name", function(a) a.id = "otherplace" end,
  { "tests/exampleshire.lua:10: id 'otherplace' must be the file's name ('exampleshire')" })
problems("columns not a table", function(a) a.columns = "x" end,
  { "tests/exampleshire.lua:10: columns must be a table, got string" })
problems("columns", function(a)
  a.columns = { worried = { "past_harm", 3, "past_harm", "example_untitled" }, extra = true }
end, {
  "tests/exampleshire.lua:10: columns: unknown field 'extra' (expected one of working_well, worried)",
  "tests/exampleshire.lua:10: columns.worried[2] must be a string, got number",
  "tests/exampleshire.lua:10: columns.worried: 'past_harm' is listed twice",
  "tests/exampleshire.lua:10: columns.working_well is required (the categories of that column)",
  "tests/exampleshire.lua:10: category 'example_untitled' in columns.worried has no title in categories",
})
problems("empty and unlisted columns", function(a) a.columns = { worried = {}, working_well = "x" } end, {
  "tests/exampleshire.lua:10: columns.worried has no categories",
  "tests/exampleshire.lua:10: columns.working_well must be a list of strings, got string",
})
problems("categories not a table", function(a) a.categories = 5 end,
  { "tests/exampleshire.lua:10: categories must be a table, got number" })
problems("a category id", function(a) a.categories["Bad-Id"] = "sos.category.neglect" end,
  { "tests/exampleshire.lua:10: categories: id 'Bad-Id' must be lower case letters and _ (at most 64)" })
problems("a category title", function(a) a.categories.past_harm = 7 end,
  { "tests/exampleshire.lua:10: categories.past_harm must be a catalogue key (a string), got number" })
problems("a decision category without a title", function(a) a.decision.categories = { "neglect" } end,
  { "tests/exampleshire.lua:10: category 'neglect' in decision.categories has no title in categories" })
problems("evidence", function(a) a.evidence = { kinds = { "rumour" }, required = "yes" } end, {
  "tests/exampleshire.lua:10: evidence.kinds: unknown 'rumour' (expected one of allegation, fact, observation, opinion)",
  "tests/exampleshire.lua:10: evidence.required must be a boolean, got string",
})
problems("evidence not a table", function(a) a.evidence = nil end,
  { "tests/exampleshire.lua:10: evidence must be a table, got nil" })
problems("scaling", function(a) a.scaling = { who = "nobody", low = "", iro_overall = 1 } end, {
  "tests/exampleshire.lua:10: scaling.who must be one of agencies, everyone, got 'nobody'",
  "tests/exampleshire.lua:10: scaling.low must be a catalogue key (a string), got string",
  "tests/exampleshire.lua:10: scaling.high must be a catalogue key (a string), got nil",
  "tests/exampleshire.lua:10: scaling.iro_overall must be a boolean, got number",
})
problems("scaling field", function(a) a.scaling.how = true end,
  { "tests/exampleshire.lua:10: scaling: unknown field 'how' (expected one of high, iro_overall, low, who)" })
problems("decision", function(a)
  a.decision = { plans = { "cp", "cp" }, categories = "neglect", recommend = "me", escalation = 5 }
end, {
  "tests/exampleshire.lua:10: decision.plans: 'cp' is listed twice",
  "tests/exampleshire.lua:10: decision.categories must be a list of strings, got string",
  "tests/exampleshire.lua:10: decision.recommend must be one of agencies, professionals, got 'me'",
  "tests/exampleshire.lua:10: decision.escalation must be a catalogue key (a string), got number",
})
problems("decision field", function(a) a.decision.vote = true end, {
  "tests/exampleshire.lua:10: decision: unknown field 'vote' (expected one of categories, escalation, plans, recommend)",
})
problems("timescales", function(a)
  a.timescales = { core_group = 5, first_review = "whenever", reports = { sideways = "2 weeks before" } }
end, {
  "tests/exampleshire.lua:10: timescales.core_group must be a deadline phrase such as \"3 working days before\", got number",
  "tests/exampleshire.lua:10: timescales.first_review: deadline \"whenever\": expected \"N working days|days|weeks|months|hours before|after\"",
  "tests/exampleshire.lua:10: timescales.reports: unknown field 'sideways' (expected one of initial, review)",
})
problems("timescales reports", function(a) a.timescales = { reports = { review = 7 }, week = 1 } end, {
  "tests/exampleshire.lua:10: timescales: unknown field 'week' (expected one of core_group, first_review, later_review, reports)",
  "tests/exampleshire.lua:10: timescales.reports.review must be a deadline phrase such as \"3 working days before\", got number",
})
-- A deadline of zero is the conference itself: no authority's document asks one.
problems("timescales of zero", function(a)
  a.timescales = { core_group = "0 working days after", first_review = "0 months after",
                   later_review = "00 weeks after", reports = { initial = "0 hours before", review = "1 days before" } }
end, {
  "tests/exampleshire.lua:10: timescales.core_group must be at least 1 day, week, month or hour, got \"0 working days after\" (the conference itself)",
  "tests/exampleshire.lua:10: timescales.first_review must be at least 1 day, week, month or hour, got \"0 months after\" (the conference itself)",
  "tests/exampleshire.lua:10: timescales.later_review must be at least 1 day, week, month or hour, got \"00 weeks after\" (the conference itself)",
  "tests/exampleshire.lua:10: timescales.reports.initial must be at least 1 day, week, month or hour, got \"0 hours before\" (the conference itself)",
})
problems("timescales reports not a table", function(a) a.timescales = { reports = 2 } end,
  { "tests/exampleshire.lua:10: timescales.reports must be a table, got number" })
problems("chair_only not a list", function(a) a.chair_only = { categories = "x", who = 1 } end, {
  "tests/exampleshire.lua:10: chair_only: unknown field 'who' (expected one of categories)",
  "tests/exampleshire.lua:10: chair_only.categories must be a list of category ids, got string",
})
problems("chair_only categories", function(a) a.chair_only = { categories = { 3, "nowhere", "past_harm" } } end, {
  "tests/exampleshire.lua:10: chair_only.categories[1] must be a string, got number",
  "tests/exampleshire.lua:10: chair_only.categories: 'nowhere' is not a category of columns.worried or columns.working_well",
})
problems("flags", function(a)
  a.restricted = { confidential_section = "no" }
  a.record = { audience = 5 }
  a.family_first = "yes"
  a.goals = { family = 1 }
  a.plan_rules = { smart = "x", each_action = { "when" } }
end, {
  "tests/exampleshire.lua:10: restricted.confidential_section must be a boolean, got string",
  "tests/exampleshire.lua:10: record.audience must be a catalogue key (a string), got number",
  "tests/exampleshire.lua:10: family_first must be a boolean, got string",
  "tests/exampleshire.lua:10: goals.family must be a boolean, got number",
  "tests/exampleshire.lua:10: plan_rules.smart must be a boolean, got string",
  "tests/exampleshire.lua:10: plan_rules.each_action: unknown 'when' (expected one of due, outcome, owner, worry)",
})
problems("flag tables", function(a) a.restricted = 1; a.record = 2; a.goals = { agency = "x", team = 1 } end, {
  "tests/exampleshire.lua:10: restricted must be a table, got number",
  "tests/exampleshire.lua:10: record must be a table, got number",
  "tests/exampleshire.lua:10: goals: unknown field 'team' (expected one of agency, family)",
  "tests/exampleshire.lua:10: goals.agency must be a boolean, got string",
})
problems("sections not a list", function(a) a.sections = "x" end,
  { "tests/exampleshire.lua:10: sections must be a list of sections, got string" })
problems("no sections", function(a) a.sections = {} end,
  { "tests/exampleshire.lua:10: sections: an agenda needs at least one section" })
problems("sections", function(a)
  local s = a.sections
  s[1].id = "Bad"
  s[2].title = nil
  s[2].colour = "red"
  s[3].id = s[4].id
  s[4].prompts = { "sos.mapping.prompt.plain", 3 }
  s[4].questions = "x"
  s[5].records = { "dance", 4 }
  s[5].enter = 5
  s[6].check = "x"
  s[7] = 8
end, {
  "tests/exampleshire.lua:21: sections[1]: id must be lower case letters and _ (at most 64), got Bad",
  "tests/exampleshire.lua:22: section 'family_network': unknown field 'colour' (expected one of check, enter, id, leave, prompts, questions, records, requires, title, where)",
  "tests/exampleshire.lua:22: section 'family_network': title is required (a catalogue key)",
  "tests/exampleshire.lua:24: section 'what_got_us_here' is declared twice (first at tests/exampleshire.lua:23)",
  "tests/exampleshire.lua:24: section 'what_got_us_here': prompts[2] must be a catalogue key (a string), got number",
  "tests/exampleshire.lua:24: section 'what_got_us_here': questions must be a list of catalogue keys, got string",
  "tests/exampleshire.lua:25: section 'mapping': records: unknown 'dance' (expected one of action, bottomline, child, coregroup, danger, decide, escalate, goal, good, need, person, recommend, restricted, rule, scale, worry)",
  "tests/exampleshire.lua:25: section 'mapping': records[2] must be a string, got number",
  "tests/exampleshire.lua:25: section 'mapping': enter must be a function, got number",
  "tests/exampleshire.lua:26: section 'involvement': check must be a function, got string",
  "tests/exampleshire.lua:10: sections[7] must be a section table, got number",
})
problems("requires", function(a)
  local s = a.sections
  s[1].requires = { { what = "sheep", min = 0, reason = 5 }, "x", { what = "children", min = 1.5, reason = "sos.introductions.requires.child" } }
  s[2].requires = "x"
  s[3].requires = { { what = "children", min = 1, reason = "sos.introductions.requires.child", why = 1 } }
end, {
  "tests/exampleshire.lua:21: section 'introductions': requires[1].what must be one of actions, bottom_lines, children, core_group, dangers, decision, goals, iro_scale, participants, recommendations, restricted, rules, scales, working_well, worried, got 'sheep'",
  "tests/exampleshire.lua:21: section 'introductions': requires[1].min must be a whole number of at least 1, got 0",
  "tests/exampleshire.lua:21: section 'introductions': requires[1].reason must be a catalogue key (a string), got number",
  "tests/exampleshire.lua:21: section 'introductions': requires[2] must be a table, got string",
  "tests/exampleshire.lua:21: section 'introductions': requires[3].min must be a whole number of at least 1, got 1.5",
  "tests/exampleshire.lua:22: section 'family_network': requires must be a list of { what =, min =, reason = }, got string",
  "tests/exampleshire.lua:23: section 'why_worried': requires[1]: unknown field 'why' (expected one of min, reason, what)",
})
problems("report forms", function(a)
  a.report_forms = { initial = { template = 5,
    { id = "Bad", title = 3, guidance = "x" }, { id = "same", title = "sos.report.worried" },
    { id = "same", title = "sos.report.worried", more = 1 }, 4 } }
end, {
  "tests/exampleshire.lua:10: report_forms.initial[1].id must be lower case letters and _ (at most 64), got Bad",
  "tests/exampleshire.lua:10: report_forms.initial[1].title must be a catalogue key (a string), got number",
  "tests/exampleshire.lua:10: report_forms.initial[1].guidance must be a list of catalogue keys, got string",
  "tests/exampleshire.lua:10: report_forms.initial[3]: unknown field 'more' (expected one of guidance, id, title)",
  "tests/exampleshire.lua:10: report_forms.initial: heading 'same' is declared twice",
  "tests/exampleshire.lua:10: report_forms.initial[4] must be a table, got number",
  "tests/exampleshire.lua:10: report_forms.initial.template must be a string, got number",
})
problems("report form kinds", function(a) a.report_forms = { weekly = {} } end, {
  "tests/exampleshire.lua:10: report_forms: unknown form 'weekly' (expected one of initial, medical, review)",
})
problems("report form fields", function(a) a.report_forms = { review = { colour = 1 } } end, {
  "tests/exampleshire.lua:10: report_forms.review: unknown field 'colour' (expected title, template and headings)",
})
problems("report form not a table", function(a) a.report_forms = { initial = 2 } end,
  { "tests/exampleshire.lua:10: report_forms.initial must be a table, got number" })
problems("glossary", function(a)
  a.glossary = { { term = 3, plain = "sos.glossary.lac" }, 5, { term = "LAC", plain = 4, why = 1 } }
end, {
  "tests/exampleshire.lua:10: glossary[1].term must be a string, got number",
  "tests/exampleshire.lua:10: glossary[2] must be a table, got number",
  "tests/exampleshire.lua:10: glossary[3]: unknown field 'why' (expected one of plain, term)",
  "tests/exampleshire.lua:10: glossary[3].plain must be a catalogue key (a string), got number",
})
problems("glossary not a list", function(a) a.glossary = "x" end,
  { "tests/exampleshire.lua:10: glossary must be a list of { term =, plain = }, got string" })
problems("checks", function(a)
  a.checks = { { id = "Bad", message = 3, check = 5 }, { id = "same", message = "sos.check.child_voice", check = noop },
               { id = "same", message = "sos.check.child_voice", check = noop, when = 1 }, "x" }
end, {
  "tests/exampleshire.lua:10: checks[1].id must be lower case letters and _ (at most 64), got Bad",
  "tests/exampleshire.lua:10: checks[1].message must be a catalogue key (a string), got number",
  "tests/exampleshire.lua:10: checks[1].check must be a function, got number",
  "tests/exampleshire.lua:10: checks[3]: unknown field 'when' (expected one of check, id, message)",
  "tests/exampleshire.lua:10: check 'same' is declared twice",
  "tests/exampleshire.lua:10: checks[4] must be a table, got string",
})
problems("checks not a list", function(a) a.checks = { [2] = {} } end,
  { "tests/exampleshire.lua:10: checks must be a list of { id =, message =, check = }, got table" })
problems("hooks", function(a) a.hooks = { start = noop } end,
  { "tests/exampleshire.lua:10: hooks: unknown hook 'start' (expected one of end)" })
problems("end hook", function(a) a.hooks = { ["end"] = 5 } end,
  { "tests/exampleshire.lua:10: hooks.end must be a function, got number" })
problems("hooks not a table", function(a) a.hooks = 5 end,
  { "tests/exampleshire.lua:10: hooks must be a table, got number" })

-- Keys without text come after every structural problem, in declaration order.
local function untexted(a)
  a.name = 1
  a.sections[1].title = "example.none.title"
  a.sections[2].prompts = { "sos.mapping.prompt.plain", "example.none.prompt" }
  a.sections[3].requires = { { what = "children", min = 1, reason = "example.none.reason" } }
  a.scaling.low = "example.none.low"
  a.report_forms.initial[1].guidance = { "example.none.guidance" }
  a.glossary[2].plain = "example.none.plain"
  a.checks[1].message = "example.none.message"
  a.record = { audience = "example.none.audience" }
  a.decision.escalation = "example.none.escalation"
  a.sections[4].id = "Bad"
end
problems("keys without text", untexted, {
  "tests/exampleshire.lua:10: name must be a string, got number",
  "tests/exampleshire.lua:24: sections[4]: id must be lower case letters and _ (at most 64), got Bad",
  "tests/exampleshire.lua:10: scaling.low: catalogue key 'example.none.low' has no text",
  "tests/exampleshire.lua:10: decision.escalation: catalogue key 'example.none.escalation' has no text",
  "tests/exampleshire.lua:10: record.audience: catalogue key 'example.none.audience' has no text",
  "tests/exampleshire.lua:21: section 'introductions': title: catalogue key 'example.none.title' has no text",
  "tests/exampleshire.lua:22: section 'family_network': prompts[2]: catalogue key 'example.none.prompt' has no text",
  "tests/exampleshire.lua:23: section 'why_worried': requires[1].reason: catalogue key 'example.none.reason' has no text",
  "tests/exampleshire.lua:10: report_forms.initial[1].guidance[1]: catalogue key 'example.none.guidance' has no text",
  "tests/exampleshire.lua:10: glossary[2].plain: catalogue key 'example.none.plain' has no text",
  "tests/exampleshire.lua:10: checks[1].message: catalogue key 'example.none.message' has no text",
})
problems("keys without text, texts not asked for", untexted, {
  "tests/exampleshire.lua:10: name must be a string, got number",
  "tests/exampleshire.lua:24: sections[4]: id must be lower case letters and _ (at most 64), got Bad",
}, false)
-- The record refuses a section id over 64 characters: the check says so
-- rather than pass an agenda whose section could never be entered.
problems("ids of 64 characters and of 65", function(a)
  a.sections[1].id = string.rep("a", 64)
  a.sections[2].id = string.rep("b", 65)
end, {
  "tests/exampleshire.lua:22: sections[2]: id must be lower case letters and _ (at most 64), got " ..
    string.rep("b", 65),
})
problems("a category without text", function(a) a.categories.past_harm = "example.none.category" end,
  { "tests/exampleshire.lua:10: categories.past_harm: catalogue key 'example.none.category' has no text" })

-- Several problems in one table come in key order (numbers, then names), the
-- same in every process: pairs() alone follows a hash Lua seeds afresh each run.
problems("many problems in one table, in key order", function(a)
  a.zone, a.colour, a[2], a.age = 1, 2, 3, 4
  a.categories.zebra = "example.none.zebra"
  a.categories.apple = "example.none.apple"
  a.categories.middle = "example.none.middle"
  a.hooks = { later = noop, before = noop, ["end"] = 1 }
  a.timescales.reports = { review = "soon", initial = "later" }
  a.report_forms.review = { title = 1, template = 2, colour = 3, { id = "Bad" } }
  a.report_forms.extra, a.report_forms.another = {}, {}
end, {
  "tests/exampleshire.lua:10: agenda: unknown field '2' (expected one of categories, chair_only, checks, columns, decision, evidence, family_first, glossary, goals, hooks, id, name, plan_rules, record, report_forms, restricted, scaling, sections, source, timescales, where)",
  "tests/exampleshire.lua:10: agenda: unknown field 'age' (expected one of categories, chair_only, checks, columns, decision, evidence, family_first, glossary, goals, hooks, id, name, plan_rules, record, report_forms, restricted, scaling, sections, source, timescales, where)",
  "tests/exampleshire.lua:10: agenda: unknown field 'colour' (expected one of categories, chair_only, checks, columns, decision, evidence, family_first, glossary, goals, hooks, id, name, plan_rules, record, report_forms, restricted, scaling, sections, source, timescales, where)",
  "tests/exampleshire.lua:10: agenda: unknown field 'zone' (expected one of categories, chair_only, checks, columns, decision, evidence, family_first, glossary, goals, hooks, id, name, plan_rules, record, report_forms, restricted, scaling, sections, source, timescales, where)",
  "tests/exampleshire.lua:10: timescales.reports.initial: deadline \"later\": expected \"N working days|days|weeks|months|hours before|after\"",
  "tests/exampleshire.lua:10: timescales.reports.review: deadline \"soon\": expected \"N working days|days|weeks|months|hours before|after\"",
  "tests/exampleshire.lua:10: report_forms: unknown form 'another' (expected one of initial, medical, review)",
  "tests/exampleshire.lua:10: report_forms: unknown form 'extra' (expected one of initial, medical, review)",
  "tests/exampleshire.lua:10: report_forms.review[1].id must be lower case letters and _ (at most 64), got Bad",
  "tests/exampleshire.lua:10: report_forms.review[1].title must be a catalogue key (a string), got nil",
  "tests/exampleshire.lua:10: report_forms.review: unknown field 'colour' (expected title, template and headings)",
  "tests/exampleshire.lua:10: report_forms.review.template must be a string, got number",
  "tests/exampleshire.lua:10: report_forms.review.title must be a catalogue key (a string), got number",
  "tests/exampleshire.lua:10: hooks: unknown hook 'before' (expected one of end)",
  "tests/exampleshire.lua:10: hooks.end must be a function, got number",
  "tests/exampleshire.lua:10: hooks: unknown hook 'later' (expected one of end)",
  "tests/exampleshire.lua:10: categories.apple: catalogue key 'example.none.apple' has no text",
  "tests/exampleshire.lua:10: categories.middle: catalogue key 'example.none.middle' has no text",
  "tests/exampleshire.lua:10: categories.zebra: catalogue key 'example.none.zebra' has no text",
})

-- contract.keys: every key in declaration order, where the author would fix it.
local function key_lines(agenda, file)
  local out = {}
  for i, k in ipairs(contract.keys(agenda, file)) do out[i] = k.key .. " @ " .. k.where end
  return out
end
local one_category = sound()
one_category.categories.existing_strengths = nil
one_category.columns.working_well = { "past_harm" }
one_category.sections = { one_category.sections[1], one_category.sections[5] }
one_category.glossary = { one_category.glossary[1] }
one_category.record = { audience = "example.none.audience" }
local placed_keys = {
  "sos.category.past_harm @ tests/exampleshire.lua:10",
  "sos.scale.low @ tests/exampleshire.lua:10",
  "sos.scale.high @ tests/exampleshire.lua:10",
  "example.none.audience @ tests/exampleshire.lua:10",
  "sos.introductions.title @ tests/exampleshire.lua:21",
  "sos.introductions.prompt.who @ tests/exampleshire.lua:21",
  "sos.introductions.prompt.purpose @ tests/exampleshire.lua:21",
  "sos.introductions.requires.child @ tests/exampleshire.lua:21",
  "sos.mapping.title @ tests/exampleshire.lua:25",
  "sos.mapping.prompt.columns @ tests/exampleshire.lua:25",
  "sos.mapping.prompt.evidence @ tests/exampleshire.lua:25",
  "sos.mapping.prompt.plain @ tests/exampleshire.lua:25",
  "sos.mapping.requires.worried @ tests/exampleshire.lua:25",
  "sos.mapping.requires.working_well @ tests/exampleshire.lua:25",
  "sos.report.worried @ tests/exampleshire.lua:10",
  "sos.report.worried.guidance @ tests/exampleshire.lua:10",
  "sos.report.title @ tests/exampleshire.lua:10",
  "sos.glossary.disguised_compliance @ tests/exampleshire.lua:10",
  "sos.check.child_voice @ tests/exampleshire.lua:10",
}
expect("keys", key_lines(one_category, FILE), placed_keys)
one_category.where = nil
one_category.name = 5
-- Without the agenda's location its own keys fall back to the file's first line.
local unplaced_keys = {}
for i, line in ipairs(placed_keys) do unplaced_keys[i] = line:gsub("lua:10$", "lua:1") end
expect("keys of an unplaced, unsound agenda", key_lines(one_category, FILE), unplaced_keys)

-- Categories are listed by id, the same in every process.
local many = sound()
many.categories = { zebra = "example.cat.zebra", apple = "example.cat.apple", middle = "example.cat.middle" }
local category_keys = {}
for _, line in ipairs(key_lines(many, FILE)) do
  if line:find("example.cat.", 1, true) then category_keys[#category_keys + 1] = line end
end
expect("categories' keys by id", category_keys, {
  "example.cat.apple @ tests/exampleshire.lua:10",
  "example.cat.middle @ tests/exampleshire.lua:10",
  "example.cat.zebra @ tests/exampleshire.lua:10",
})

-- The validator reads the agenda and changes nothing in it.
local agenda = sound()
local before = #agenda.sections .. ":" .. agenda.sections[1].where .. ":" .. tostring(getmetatable(agenda.sections[1]))
contract.validate(agenda, FILE, true)
expect("validation changes nothing", { #agenda.sections .. ":" .. agenda.sections[1].where .. ":" ..
  tostring(getmetatable(agenda.sections[1])) }, { before })

if failures > 0 then error(failures .. " failed", 0) end
