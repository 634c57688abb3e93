-- test_plugin_signs_of_safety.lua — the base: common sections, constructors,
-- defaults, the default practice checks and entry validation.
local sos = require "signs_of_safety"

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end
local function here(offset)
  return confer.where(2):gsub("%d+$", function(n) return tostring(tonumber(n) + (offset or 0)) end)
end

-- A minimal agenda gets the common sections in order, the base columns and checks.
local agenda = sos.agenda { id = "example", name = "Example", source = "tests" }
eq(agenda.where, here(-1), "agenda declared here")
local order = {}
for i, s in ipairs(agenda.sections) do order[i] = s.id end
eq(table.concat(order, ","), "introductions,family_network,why_worried,what_got_us_here,mapping,involvement," ..
   "danger_goals,scaling,decision,what_needs_to_happen,actions,core_group,close", "common sections")
eq(table.concat(agenda.columns.worried, ","), "past_harm,future_danger,complicating_factors", "worried")
eq(table.concat(agenda.columns.working_well, ","), "existing_strengths,existing_safety", "working well")
eq(table.concat(agenda.evidence.kinds, ","), "fact,observation,allegation,opinion", "kinds")
eq(agenda.evidence.required, false, "evidence optional by default")
eq(table.concat(agenda.decision.plans, ","), "cp,cin,none", "plans")
eq(agenda.timescales.core_group, "10 working days after", "core group default")
local check_ids = {}
for i, c in ipairs(agenda.checks) do check_ids[i] = c.id end
eq(table.concat(check_ids, ","), "actions_smart,danger_without_goal,child_voice,disagreement_escalated", "checks")

-- Merging: the authority's keys replace the base's; lists are appended.
local merged = sos.agenda { id = "m", name = "M", source = "tests", scaling = { who = "agencies" },
  glossary = { { term = "core group", plain = "sos.core_group.title" } },
  checks = { { id = "extra", message = "sos.check.child_voice", check = function() return {} end } } }
eq(merged.scaling.who, "agencies", "scaling.who replaced")
eq(merged.scaling.low, "sos.scale.low", "scaling.low kept")
eq(merged.glossary[#merged.glossary].term, "core group", "glossary appended")
eq(#merged.checks, 5, "checks appended")
eq(#sos.defaults.glossary, 4, "the base's glossary is untouched")

-- Sections: :with and base = both copy and re-locate.
local mapping = sos.sections.mapping:with { questions = { "sos.why_worried.question.parents" } }
eq(mapping.where, here(-1), ":with declared here")
eq(mapping.title, "sos.mapping.title", "title kept")
eq(mapping.questions[1], "sos.why_worried.question.parents", "questions replaced")
eq(sos.sections.mapping.questions, nil, "base section untouched")
local visit = sos.section { base = "scaling", id = "visit_scale", title = "sos.scaling.title" }
eq(visit.id, "visit_scale", "new id")
eq(visit.base, nil, "base removed")
eq(visit.records[1], "scale", "records from the base")
local ok, err = pcall(sos.section, { base = "mapingg" })
eq(ok, false, "unknown base refused")
eq(err:match("unknown base section 'mapingg': expected one of actions, close, core_group, ") ~= nil, true, err)

-- Default checks against a conference.
local conf = confer.conference { authority = "example", type = "initial", date = "2026-01-05" }
local function run(id)
  for _, c in ipairs(agenda.checks) do
    if c.id == id then return table.concat(c.check(conf), "; ") end
  end
end
for _, c in ipairs(agenda.checks) do eq(#c.check(conf), 0, c.id .. " is quiet on an empty conference") end
conf:record("child.added", { name = "Jo Example" })
conf:record("person.added", { name = "Pat Nurse", role = "school nurse", agency = "health" })
conf:record("entry.mapped", { column = "worried", category = "past_harm", text = "Jo had no coat in winter",
                              kind = "observation", source = "Pat Nurse" })
eq(run("child_voice"), "Nothing mapped so far comes from the child: what does the child say, or show by their " ..
   "behaviour?", "no child's voice")
conf:record("entry.mapped", { column = "working_well", category = "existing_strengths",
                              text = "Jo likes walking to school with her aunt", source = "Jo Example" })
eq(run("child_voice"), "", "the child's voice is heard")
conf:record("danger.added", { text = "Jo could be cold and ill" })
eq(run("danger_without_goal"), "Danger statements: 1; safety goals: 0. Each danger statement needs a safety goal.",
   "danger without goal")
conf:record("goal.added", { text = "Jo has warm clothes every day" })
eq(run("danger_without_goal"), "", "danger with goal")
conf:record("action.added", { text = "Buy a coat", owner = "Pat Nurse", due = "2026-01-20", worries = { "W1" } })
eq(run("actions_smart"), "Action A1 does not say what will be different for the child", "no outcome")

-- Validation when evidence is optional.
eq(sos.validate(agenda, conf, "worry", { category = "future_danger", text = "x" }), nil, "no kind needed")
eq(sos.validate(agenda, conf, "good", { category = "past_harm", text = "x" }),
   "unknown category 'past_harm' for working_well: expected one of existing_strengths, existing_safety",
   "category of the other column")
eq(sos.validate(agenda, conf, "working_well", { category = "existing_safety", text = "x", kind = "guess" }),
   "unknown kind 'guess': expected one of fact, observation, allegation, opinion", "kind still checked")
