-- catalogue_keys.lua — every catalogue key an agenda declares, for `confer locales check`.
--
-- The host runs this file in an agenda's own sandbox after the agenda has
-- passed scripts/contract.lua, and calls the function it returns with the
-- agenda table. The result is a list of { key =, where = } in declaration
-- order, WHERE being "FILE:LINE" of the declaring section (or the agenda, or
-- FILE:1), so a key without text is reported where an author would fix it.
-- It walks the same fields the contract checks as keys (docs/plugins.md):
-- section titles, prompts and questions, requirement reasons, category
-- titles, scaling ends, the escalation, the record's audience, report forms'
-- titles and guidance, glossary plain words and check messages.

local type, ipairs, pairs, sort = type, ipairs, pairs, table.sort

-- A list of keys; each is added if it is a string (the contract reported the rest).
local function add(out, where, key)
  if type(key) == "string" and key ~= "" then out[#out + 1] = { key = key, where = where } end
end

local function add_list(out, where, keys)
  if type(keys) ~= "table" then return end
  for _, key in ipairs(keys) do add(out, where, key) end
end

-- The values of a table with string keys, in key order so the report is stable.
local function sorted_values(map)
  local names = {}
  for name in pairs(map) do
    if type(name) == "string" then names[#names + 1] = name end
  end
  sort(names)
  local values = {}
  for i, name in ipairs(names) do values[i] = map[name] end
  return values
end

local function add_sections(out, where, sections)
  for _, section in ipairs(sections) do
    local at = type(section.where) == "string" and section.where or where
    add(out, at, section.title)
    add_list(out, at, section.prompts)
    add_list(out, at, section.questions)
    if type(section.requires) == "table" then
      for _, need in ipairs(section.requires) do add(out, at, need.reason) end
    end
  end
end

local function add_forms(out, where, forms)
  if type(forms) ~= "table" then return end
  for _, form in ipairs(sorted_values(forms)) do
    add(out, where, form.title)
    for _, heading in ipairs(form) do
      add(out, where, heading.title)
      add_list(out, where, heading.guidance)
    end
  end
end

return function(agenda, file)
  local out = {}
  local where = type(agenda.where) == "string" and agenda.where or (file .. ":1")
  if type(agenda.categories) == "table" then
    for _, key in ipairs(sorted_values(agenda.categories)) do add(out, where, key) end
  end
  if type(agenda.scaling) == "table" then
    add(out, where, agenda.scaling.low)
    add(out, where, agenda.scaling.high)
  end
  if type(agenda.decision) == "table" then add(out, where, agenda.decision.escalation) end
  if type(agenda.record) == "table" then add(out, where, agenda.record.audience) end
  if type(agenda.sections) == "table" then add_sections(out, where, agenda.sections) end
  add_forms(out, where, agenda.report_forms)
  if type(agenda.glossary) == "table" then
    for _, entry in ipairs(agenda.glossary) do add(out, where, entry.plain) end
  end
  if type(agenda.checks) == "table" then
    for _, entry in ipairs(agenda.checks) do add(out, where, entry.message) end
  end
  return out
end
