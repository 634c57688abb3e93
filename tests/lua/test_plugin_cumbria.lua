-- test_plugin_cumbria.lua — Cumbria's full agenda: IRO questions, categories,
-- the danger/goal/scaling trio, IRO overall scale, recommendations and escalation,
-- what-needs-to-happen items 1.1-1.7, actions and core group.
local sos = require "signs_of_safety"
local agenda = require "cumbria"

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end
local function list(t) return table.concat(t, ",") end
local function section(id)
  for _, s in ipairs(agenda.sections) do
    if s.id == id then return s end
  end
  error("no section " .. id, 2)
end
local function texts(keys)
  local out = {}
  for i, key in ipairs(keys) do out[i] = confer.text(key) end
  return table.concat(out, " | ")
end

local order = {}
for i, s in ipairs(agenda.sections) do order[i] = s.id end
eq(list(order), "introductions,family_network,why_worried,what_got_us_here,mapping,involvement,danger_goals," ..
   "scaling,decision,immediate_safety,bottom_lines,timeline,words_and_pictures,who_is_involved,plan_rules," ..
   "recording_the_plan,actions,core_group,close", "sections in order")

eq(list(agenda.columns.worried), "harm,complicating_factors", "worried column")
eq(list(agenda.columns.working_well), "existing_strengths,existing_safety", "working well column")
eq(confer.text(agenda.categories.harm), "Harm", "harm title")
eq(agenda.evidence.required, false, "kind and source not required")

eq(texts(section("what_got_us_here").questions),
   "What was the first event in the family's life that brought Children's Services involvement with the family, " ..
   "and what was the impact of that on the child? | What was the worst event in the family's life that brought " ..
   "Children's Services involvement, and what was the impact on the child? | What was the most recent event in " ..
   "the family's life (if different) that brought Children's Services involvement with the family, and what was " ..
   "the impact of that on the child?", "first, worst, most recent")
eq(texts(section("family_network").questions),
   "Who does the child say is the most important person in their life? | Who do the parents say are the people " ..
   "around them that help and support them? | Who are the most important professionals involved with the child " ..
   "and family?", "relationship questions")
eq(texts(section("why_worried").questions), "Why do you think we are worried about your child?", "parents asked")
eq(texts(section("involvement").questions),
   "How has the child contributed to the conference? | How has the parent/carer(s) contributed to the conference?",
   "child and parent contribution")
eq(list(section("danger_goals").records), "danger,goal,scale", "the trio is recorded together")

eq(agenda.scaling.iro_overall, true, "IRO overall progress and safety scale")
eq(section("scaling").requires[1].what, "iro_scale", "scaling needs the IRO's scale")
eq(section("scaling").requires[1].min, 1, "one IRO scale")
eq(confer.text(section("scaling").title), "Analysis and judgement", "analysis and judgement")

eq(agenda.decision.recommend, "professionals", "each professional recommends")
eq(confer.text(agenda.decision.escalation),
   "Where professional disagreement cannot be resolved by discussion, agencies follow the Escalation Policy and Procedure.",
   "escalation note")
eq(section("decision").requires[1].what, "recommendations", "recommendations required")
eq(section("decision").requires[2].what, "decision", "decision required")

local titles = {}
for _, id in ipairs { "immediate_safety", "bottom_lines", "timeline", "words_and_pictures", "who_is_involved",
                      "plan_rules", "recording_the_plan" } do
  titles[#titles + 1] = confer.text(section(id).title)
end
eq(table.concat(titles, "; "), "1.1 Immediate safety; 1.2 Bottom lines; 1.3 Timeline; 1.4 Words and pictures; " ..
   "1.5 Who is involved in the plan?; 1.6 Plan rules; 1.7 Recording and demonstrating the plan", "items 1.1-1.7")
eq(#section("recording_the_plan").questions, 4, "children's version, journal, up to date, safety object")
eq(#section("actions").questions, 3, "conference actions questions")
eq(confer.text(section("core_group").title), "Core group members", "core group members")

local glossary = {}
for _, entry in ipairs(agenda.glossary) do glossary[entry.term] = confer.text(entry.plain) end
eq(glossary["domestic violence"], "adults in the home hurting, frightening or controlling each other", "plain words")
eq(glossary["neglect"] ~= nil and glossary["significant harm"] ~= nil, true, "neglect and significant harm")
eq(glossary["disguised compliance"] ~= nil, true, "base glossary kept")

-- Timescales are the base's (the guidance sets none).
eq(confer.calendar.deadline("2026-01-05", agenda.timescales.core_group), "2026-01-19", "core group in 10 working days")

-- A disagreement without an escalation note is a problem; with one, it is not.
local conf = confer.conference { authority = "cumbria", type = "initial", date = "2026-01-05" }
conf:record("person.added", { name = "Alex Visitor", role = "health visitor", agency = "health" })
conf:record("recommendation.given", { who = "Alex Visitor", plan = "cp" })
conf:record("decision.made", { plan = "cin" })
local check
for _, c in ipairs(agenda.checks) do
  if c.id == "disagreement_escalated" then check = c.check end
end
eq(list(check(conf)), "Alex Visitor recommended 'cp' but the decision is 'cin', and no escalation is recorded",
   "disagreement flagged")
conf:record("escalation.noted", { text = "Health will escalate under the policy" })
eq(#check(conf), 0, "escalated disagreement accepted")

eq(sos.validate(agenda, conf, "worry", { category = "past_harm", text = "x" }),
   "unknown category 'past_harm' for worried: expected one of harm, complicating_factors", "Cumbria says harm")
eq(sos.validate(agenda, conf, "worry", { category = "harm", text = "x" }), nil, "no kind or source needed")
