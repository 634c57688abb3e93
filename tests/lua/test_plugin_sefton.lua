-- test_plugin_sefton.lua — Sefton: the agency report's seven headings and the
-- SMART plan rules (a requires and a check on the actions section).
local agenda = require "sefton"

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end
local function section(id)
  for _, s in ipairs(agenda.sections) do
    if s.id == id then return s end
  end
  error("no section " .. id, 2)
end

local headings = {}
for i, h in ipairs(agenda.report_forms.initial) do headings[i] = confer.text(h.title) end
eq(table.concat(headings, " | "), "Background | Why does it matter? | What are we worried about? | " ..
   "What's going well? | The child's lived experience | What needs to happen? | Working with families",
   "the seven headings")
eq(#agenda.report_forms.review, 7, "the same form for reviews")
eq(confer.text(agenda.report_forms.initial[3].guidance[1]), "A summary of your concerns, not a narrative of events.",
   "worried guidance")
eq(confer.text(agenda.report_forms.initial[7].guidance[3]), "Have you given them an opportunity to challenge any " ..
   "of the content, and to discuss this with an advocate if necessary?", "working with families guidance")

eq(agenda.plan_rules.smart, true, "SMART plan")
eq(table.concat(agenda.plan_rules.each_action, ","), "worry,outcome,owner,due", "each action's parts")
local actions = section("actions")
eq(actions.requires[1].what, "actions", "actions required")
eq(actions.requires[1].min, 1, "at least one action")
eq(confer.text(section("involvement").title), "The child's lived experience", "lived experience section")

-- The actions check: an outcome that repeats the action is refused.
local conf = confer.conference { authority = "sefton", type = "initial", date = "2026-01-05" }
conf:record("child.added", { name = "Robin Example" })
conf:record("person.added", { name = "Kim Worker", role = "social worker", agency = "children's services" })
conf:record("entry.mapped", { column = "worried", category = "past_harm", text = "Robin missed school",
                              kind = "fact", source = "school" })
conf:record("action.added", { text = "Attend parenting course", owner = "Kim Worker", due = "2026-02-01",
                              worries = { "W1" }, outcome = "Attend parenting course" })
conf:record("action.added", { text = "Walk Robin to school", owner = "Kim Worker", due = "2026-02-01",
                              worries = { "W1" }, outcome = "Robin is in school every day" })
local problems = actions.check(conf)
eq(#problems, 1, "one confused action")
eq(problems[1], "Action A1 gives the action itself as the child's outcome: say what will be different for the child",
   "exact problem")

-- The base SMART check still runs for Sefton.
conf:record("action.added", { text = "Weekly visit", owner = "Kim Worker", due = "2026-02-01", worries = { "W1" } })
local smart
for _, c in ipairs(agenda.checks) do
  if c.id == "actions_smart" then smart = c.check end
end
eq(table.concat(smart(conf), ";"), "Action A3 does not say what will be different for the child", "no outcome")
