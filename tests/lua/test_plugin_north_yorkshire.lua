-- test_plugin_north_yorkshire.lua — North Yorkshire: everyone scales 0 unsafe
-- to 10 safe, family and agency goals, the record to every attendee, and the
-- ICPC, RCPC and medical report forms.
local agenda = require "north_yorkshire"

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end
local order = {}
for i, s in ipairs(agenda.sections) do order[i] = s.id end
eq(table.concat(order, ","), "introductions,family_network,mapping,involvement,danger_goals,scaling,decision," ..
   "goals,actions,close", "sections in order")
eq(agenda.scaling.who, "everyone", "the child and family scale too")
eq(confer.text(agenda.scaling.low), "0: the child is unsafe", "low anchor")
eq(confer.text(agenda.scaling.high), "10: the child is safe", "high anchor")
eq(agenda.goals.family and agenda.goals.agency, true, "family goals and agency goals")
eq(confer.text(agenda.sections[8].questions[1]), "What are the family's goals for the welfare of the child?", "family goals")
eq(confer.text(agenda.record.audience), "Everyone who attended the meeting", "record to every attendee")
eq(confer.text(agenda.report_forms.initial.title), "Agency report to an initial child protection conference", "ICPC")
eq(confer.text(agenda.report_forms.review.title), "Agency report to a review child protection conference", "RCPC")
eq(confer.text(agenda.report_forms.medical.title), "Child protection conference report for medical practitioners",
   "medical")
eq(agenda.report_forms.medical.template, "https://www.safeguardingchildren.co.uk/wp-content/uploads/2019/09/CPC.doc",
   "medical template")
eq(#agenda.report_forms.initial, 4, "three columns and the scale")
eq(confer.calendar.deadline("2026-01-05", agenda.timescales.later_review), "2026-07-05", "later reviews in 6 months")
