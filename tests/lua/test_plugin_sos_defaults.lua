-- test_plugin_sos_defaults.lua — the base's defaults as each agenda gets them:
-- built afresh while no script has read sos.defaults, copied from it once one
-- has; equal either way, and each agenda owns every table it was given.
local sos = require "signs_of_safety"

local function eq(a, b, what)
  if a ~= b then error(what .. ": expected " .. tostring(b) .. ", got " .. tostring(a), 2) end
end

-- Fails unless A and B have the same fields, at every depth, with the same metatables.
local function same(a, b, path)
  if type(a) ~= "table" or type(b) ~= "table" then return eq(a, b, path) end
  eq(getmetatable(a), getmetatable(b), path .. " metatable")
  for k, v in pairs(a) do same(v, b[k], path .. "." .. tostring(k)) end
  for k in pairs(b) do eq(a[k] ~= nil, true, path .. "." .. tostring(k) .. " only in one") end
end

-- Changes MINE at every depth, then checks OTHER kept the base's values.
local function check_owned(mine, other, what)
  mine.columns.worried[1] = "changed"
  mine.categories.neglect = "changed"
  mine.evidence.kinds[1] = "changed"
  mine.decision.plans[1] = "changed"
  mine.timescales.reports.initial = "changed"
  mine.chair_only.categories[1] = "changed"
  mine.report_forms.initial[1].guidance[1] = "changed"
  mine.report_forms.initial.title = "changed"
  mine.glossary[1].term = "changed"
  eq(other.columns.worried[1], "past_harm", what .. ": columns owned")
  eq(other.categories.neglect, "sos.category.neglect", what .. ": categories owned")
  eq(other.evidence.kinds[1], "fact", what .. ": evidence owned")
  eq(other.decision.plans[1], "cp", what .. ": decision owned")
  eq(other.timescales.reports.initial, nil, what .. ": timescales owned")
  eq(other.chair_only.categories[1], nil, what .. ": chair_only owned")
  eq(other.report_forms.initial[1].guidance[1], "sos.report.worried.guidance", what .. ": report form owned")
  eq(other.report_forms.initial.title, "sos.report.title", what .. ": report form title owned")
  eq(other.glossary[1].term, "disguised compliance", what .. ": glossary owned")
  eq(other.report_forms.initial == other.report_forms.review, false, what .. ": each form its own")
end

-- Before anyone reads sos.defaults: two agendas, each its own.
eq(rawget(sos, "defaults"), nil, "sos.defaults not made before it is read")
local fresh = sos.agenda { id = "fresh", name = "Fresh", source = "tests" }
local fresh2 = sos.agenda { id = "fresh2", name = "Fresh 2", source = "tests" }
local kept = sos.agenda { id = "kept", name = "Kept", source = "tests" }
check_owned(fresh2, fresh, "fresh agendas")
fresh.checks[1].id = "changed"
eq(kept.checks[1].id, "actions_smart", "checks owned")
eq(sos.checks[1].id, "actions_smart", "the base's checks untouched")

-- Once read, sos.defaults equals what a fresh agenda got, and agendas are copies of it.
local defaults = sos.defaults
eq(sos.defaults, defaults, "sos.defaults made once")
for k, v in pairs(defaults) do same(kept[k], v, k) end
local copied = sos.agenda { id = "copied", name = "Copied", source = "tests" }
for k in pairs(defaults) do same(copied[k], kept[k], "copied " .. k) end
same(copied.checks, kept.checks, "copied checks")
check_owned(copied, defaults, "a copied agenda and the base")
local copied2 = sos.agenda { id = "copied2", name = "Copied 2", source = "tests" }
check_owned(defaults, copied2, "the base and an agenda copied before it changed")
local changed = sos.agenda { id = "changed", name = "Changed", source = "tests" }
eq(changed.columns.worried[1], "changed", "a change to sos.defaults reaches later agendas")

-- A section declared from a table the plugin keeps is the section's own.
local fields = { id = "own", title = "sos.close.title", prompts = { "sos.close.prompt.record" } }
local own = sos.section(fields)
fields.prompts[1] = "changed"
eq(own.prompts[1], "sos.close.prompt.record", "a declared section owns its lists")
