-- test_plugin_surrey.lua — Surrey: the chair meets the family first, no
-- confidential section, reports at the core group 2 weeks before a review.
local agenda = require "surrey"

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end
local order = {}
for i, s in ipairs(agenda.sections) do order[i] = s.id end
eq(table.concat(order, ","), "family_first,introductions,mapping,danger_goals,scaling,decision," ..
   "what_needs_to_happen,actions,core_group,close", "sections in order")
eq(agenda.family_first, true, "family first")
eq(confer.text(agenda.sections[1].title), "The chair meets the child and family", "first section")
eq(confer.text(agenda.sections[1].prompts[1]), "The chair meets the child/ren and family in the conference room " ..
   "before the meeting; practitioners are then invited to join.", "practitioners join afterwards")
eq(agenda.sections[1].requires[1].what, "children", "the child is recorded first")
eq(#agenda.sections[2].requires, 0, "introductions no longer ask for the child")
eq(agenda.restricted.confidential_section, false, "no confidential section")
eq(agenda.timescales.reports.review, "2 weeks before", "reports at the core group before a review")
eq(agenda.timescales.reports.initial, nil, "no fixed period before an initial conference")
eq(confer.calendar.deadline("2026-06-16", agenda.timescales.reports.review), "2026-06-02", "two weeks before")
eq(confer.text(agenda.sections[7].title), "Safety plan", "safety plan")
-- The briefing names no categories: the base's apply, and one for what practitioners
-- shared with the chair in advance, kept for the chair's record alone.
eq(table.concat(agenda.columns.worried, ","), "past_harm,future_danger,complicating_factors,shared_with_chair",
   "base worried and the chair's")
eq(table.concat(agenda.chair_only.categories, ","), "shared_with_chair", "chair only")
eq(table.concat(agenda.columns.working_well, ","), "existing_strengths,existing_safety", "base working well")
