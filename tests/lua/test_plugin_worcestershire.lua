-- test_plugin_worcestershire.lua — Worcestershire's agenda: sections, categories,
-- evidence rule, scaling by agency, report deadlines, and entry validation.
local sos = require "signs_of_safety"
local agenda = require "worcestershire"

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end
local function list(t) return table.concat(t, ",") end
local function ids(sections)
  local out = {}
  for i, s in ipairs(sections) do out[i] = s.id end
  return list(out)
end

eq(agenda.id, "worcestershire", "id")
eq(agenda.name, "Worcestershire", "name")
eq(ids(agenda.sections), "introductions,mapping,danger_goals,actions,scaling,decision,close", "sections in order")
eq(agenda.where:match("worcestershire%.lua:%d+$") ~= nil, true, "agenda where names the plugin: " .. agenda.where)
eq(agenda.sections[2].where:match("worcestershire%.lua:%d+$") ~= nil, true, "mapping declared in the plugin")
eq(agenda.sections[1].where:match("signs_of_safety%.lua:%d+$") ~= nil, true, "introductions from the base")

-- Leaflet: past harm, future danger, complicating factors / strengths and existing safety.
eq(list(agenda.columns.worried), "past_harm,future_danger,complicating_factors", "worried column")
eq(list(agenda.columns.working_well), "strengths,existing_safety", "working well column")
eq(confer.text(agenda.categories.strengths), "Strengths", "strengths title")
eq(confer.text(agenda.categories.past_harm), "Past harm", "past harm title")
eq(list(agenda.evidence.kinds), "fact,observation,allegation,opinion", "kinds")
eq(agenda.evidence.required, true, "kind and source required")
eq(agenda.scaling.who, "agencies", "every agency scales")
eq(agenda.scaling.iro_overall, false, "no IRO overall scale in the leaflet")
eq(agenda.decision.recommend, "agencies", "each agency gives a CIN/CP view")
eq(list(agenda.decision.categories), "neglect,physical,emotional,sexual", "chair decides the category")
eq(confer.text(agenda.sections[4].title), "Next steps", "actions are next steps")

-- Reports: 24 hours before an initial, 3 working days before a review.
local reports = agenda.timescales.reports
eq(reports.initial, "24 hours before", "initial report phrase")
eq(reports.review, "3 working days before", "review report phrase")
eq(confer.calendar.deadline("2026-04-07", reports.initial), "2026-04-06", "initial on Tuesday after Easter")
eq(confer.calendar.deadline("2026-04-07", reports.review), "2026-03-31", "review skips Easter Monday and Good Friday")
eq(confer.calendar.deadline("2026-01-05", agenda.timescales.first_review), "2026-04-05", "first review from the base")

-- Validation before recording.
local conf = confer.conference { authority = "worcestershire", type = "initial", date = "2026-01-05" }
eq(sos.validate(agenda, conf, "worry", { category = "past_harm", text = "Bruise seen", kind = "observation",
                                           source = "school" }), nil, "complete entry accepted")
eq(sos.validate(agenda, conf, "worry", { category = "past_harm", text = "Bruise seen", kind = "observation" }),
   "Worcestershire requires the kind (fact, observation, allegation or opinion) and the source of every mapped entry",
   "entry without a source refused")
eq(sos.validate(agenda, conf, "good", { category = "strengths", text = "Grandparent helps", source = "mother" }),
   "Worcestershire requires the kind (fact, observation, allegation or opinion) and the source of every mapped entry",
   "entry without a kind refused")
eq(sos.validate(agenda, conf, "worry", { category = "harmm", text = "x", kind = "fact", source = "police" }),
   "unknown category 'harmm' for worried: expected one of past_harm, future_danger, complicating_factors",
   "misspelt category refused")
eq(sos.validate(agenda, conf, "good", { category = "existing_strengths", text = "x", kind = "fact", source = "gp" }),
   "unknown category 'existing_strengths' for working_well: expected one of strengths, existing_safety",
   "base category not used by Worcestershire refused")
eq(sos.validate(agenda, conf, "worry", { category = "future_danger", text = "x", kind = "rumour", source = "gp" }),
   "unknown kind 'rumour': expected one of fact, observation, allegation, opinion", "unknown kind refused")
eq(sos.validate(agenda, conf, "danger", { text = "anything" }), nil, "no authority rule on danger statements")
