-- contract.lua — the host's validator of the plugin contract (docs/plugins.md).
--
-- The host runs this file in a plugin's sandbox BEFORE the plugin, keeps the
-- table it returns in the registry, and calls it on the plugin's result. Every
-- global it needs is captured here as a local, so a plugin that replaces
-- `type`, `pairs` or `string.format` in its environment cannot blind the check.
-- Problems are strings "FILE:LINE: problem", located by each declaration's
-- `where` (sections), else the agenda's, else "FILE:1".

local type, pairs, ipairs, tostring, pcall = type, pairs, ipairs, tostring, pcall
local format, match, math_type = string.format, string.match, math.type
local sort, concat = table.sort, table.concat
local has_text = confer.has_text
local deadline = confer.calendar.deadline
local new_conference = confer.conference

local agenda_fields = {
  id = true, name = true, source = true, columns = true, categories = true, evidence = true,
  scaling = true, decision = true, timescales = true, restricted = true, record = true,
  family_first = true, goals = true, plan_rules = true, sections = true, report_forms = true,
  glossary = true, checks = true, hooks = true, where = true, chair_only = true,
}
local section_fields = {
  id = true, title = true, prompts = true, questions = true, records = true, requires = true,
  enter = true, leave = true, check = true, where = true,
}
local countable = {
  children = true, participants = true, worried = true, working_well = true, dangers = true,
  goals = true, scales = true, iro_scale = true, recommendations = true, decision = true,
  actions = true, bottom_lines = true, rules = true, core_group = true, restricted = true,
}
local verbs = {
  child = true, person = true, worry = true, good = true, need = true, danger = true, goal = true,
  scale = true, recommend = true, decide = true, escalate = true, action = true,
  bottomline = true, rule = true, coregroup = true, restricted = true,
}
local hook_names = { ["end"] = true }
local kinds_known = { fact = true, observation = true, allegation = true, opinion = true }
local plans_known = { cp = true, cin = true, none = true }
local cp_categories = { neglect = true, physical = true, emotional = true, sexual = true }
local scalers = { agencies = true, everyone = true }
local recommenders = { professionals = true, agencies = true }
local report_kinds = { initial = true, review = true, medical = true }
local action_parts = { worry = true, outcome = true, owner = true, due = true }
local timescale_fields = { reports = true, core_group = true, first_review = true, later_review = true }

-- The sorted names of a set, for messages that say what was expected.
local function names(set)
  local out = {}
  for k in pairs(set) do out[#out + 1] = k end
  sort(out)
  return concat(out, ", ")
end

local function basename(path)
  return match(path, "([^/]+)%.lua$") or match(path, "([^/]+)$") or path
end

-- A problem collector bound to one plugin file.
local function collector(file)
  local self = { list = {}, keys = {} }
  function self.add(where, fmt, ...)
    self.list[#self.list + 1] = format("%s: " .. fmt, where or (file .. ":1"), ...)
  end
  -- Remembers KEY as a catalogue key declared at WHERE (checked for text later).
  function self.key(where, what, key)
    if type(key) ~= "string" or key == "" then
      self.add(where, "%s must be a catalogue key (a string), got %s", what, type(key))
      return
    end
    self.keys[#self.keys + 1] = { where = where, what = what, key = key }
  end
  return self
end

local function is_list(value)
  if type(value) ~= "table" then return false end
  local n = 0
  for _ in pairs(value) do n = n + 1 end
  for i = 1, n do
    if value[i] == nil then return false end
  end
  return true
end

-- Checks VALUE is a list of catalogue keys.
local function key_list(p, where, what, value)
  if value == nil then return end
  if not is_list(value) then
    p.add(where, "%s must be a list of catalogue keys, got %s", what, type(value))
    return
  end
  for i, key in ipairs(value) do p.key(where, format("%s[%d]", what, i), key) end
end

-- Checks VALUE is a list of strings from SET; returns a set of them.
local function word_list(p, where, what, value, set)
  local seen = {}
  if not is_list(value) then
    p.add(where, "%s must be a list of strings, got %s", what, type(value))
    return seen
  end
  for i, word in ipairs(value) do
    if type(word) ~= "string" then
      p.add(where, "%s[%d] must be a string, got %s", what, i, type(word))
    elseif set ~= nil and not set[word] then
      p.add(where, "%s: unknown '%s' (expected one of %s)", what, word, names(set))
    elseif seen[word] then
      p.add(where, "%s: '%s' is listed twice", what, word)
    else
      seen[word] = true
    end
  end
  return seen
end

local function unknown_fields(p, where, what, value, known)
  for k in pairs(value) do
    if type(k) ~= "string" or not known[k] then
      p.add(where, "%s: unknown field '%s' (expected one of %s)", what, tostring(k), names(known))
    end
  end
end

local function want_type(p, where, what, value, wanted, optional)
  if value == nil and optional then return false end
  if type(value) ~= wanted then
    p.add(where, "%s must be a %s, got %s", what, wanted, type(value))
    return false
  end
  return true
end

local function check_columns(p, where, agenda)
  local columns = agenda.columns
  if not want_type(p, where, "columns", columns, "table") then return end
  unknown_fields(p, where, "columns", columns, { worried = true, working_well = true })
  for _, column in ipairs({ "worried", "working_well" }) do
    local ids = columns[column]
    if ids == nil then
      p.add(where, "columns.%s is required (the categories of that column)", column)
    else
      word_list(p, where, "columns." .. column, ids, nil)
      if is_list(ids) and #ids == 0 then p.add(where, "columns.%s has no categories", column) end
    end
  end
end

local function check_categories(p, where, agenda)
  local categories = agenda.categories
  if not want_type(p, where, "categories", categories, "table") then return end
  for id, key in pairs(categories) do
    if type(id) ~= "string" or not match(id, "^[a-z_]+$") then
      p.add(where, "categories: id '%s' must be lower case letters and _", tostring(id))
    else
      p.key(where, "categories." .. id, key)
    end
  end
  local function declared(list, what)
    if not is_list(list) then return end
    for _, id in ipairs(list) do
      if type(id) == "string" and categories[id] == nil then
        p.add(where, "category '%s' in %s has no title in categories", id, what)
      end
    end
  end
  if type(agenda.columns) == "table" then
    declared(agenda.columns.worried, "columns.worried")
    declared(agenda.columns.working_well, "columns.working_well")
  end
  if type(agenda.decision) == "table" then declared(agenda.decision.categories, "decision.categories") end
end

local function check_evidence(p, where, evidence)
  if not want_type(p, where, "evidence", evidence, "table") then return end
  unknown_fields(p, where, "evidence", evidence, { kinds = true, required = true })
  word_list(p, where, "evidence.kinds", evidence.kinds, kinds_known)
  want_type(p, where, "evidence.required", evidence.required, "boolean")
end

local function check_scaling(p, where, scaling)
  if not want_type(p, where, "scaling", scaling, "table") then return end
  unknown_fields(p, where, "scaling", scaling, { who = true, low = true, high = true, iro_overall = true })
  if not scalers[scaling.who] then
    p.add(where, "scaling.who must be one of %s, got '%s'", names(scalers), tostring(scaling.who))
  end
  p.key(where, "scaling.low", scaling.low)
  p.key(where, "scaling.high", scaling.high)
  want_type(p, where, "scaling.iro_overall", scaling.iro_overall, "boolean")
end

local function check_decision(p, where, decision)
  if not want_type(p, where, "decision", decision, "table") then return end
  unknown_fields(p, where, "decision", decision,
                 { plans = true, categories = true, recommend = true, escalation = true })
  word_list(p, where, "decision.plans", decision.plans, plans_known)
  word_list(p, where, "decision.categories", decision.categories, cp_categories)
  if not recommenders[decision.recommend] then
    p.add(where, "decision.recommend must be one of %s, got '%s'", names(recommenders),
          tostring(decision.recommend))
  end
  if decision.escalation ~= nil then p.key(where, "decision.escalation", decision.escalation) end
end

-- A deadline phrase must be one calendar_deadline understands.
local function check_phrase(p, where, what, phrase)
  if type(phrase) ~= "string" then
    p.add(where, "%s must be a deadline phrase such as \"3 working days before\", got %s", what, type(phrase))
    return
  end
  local ok, day, err = pcall(deadline, "2026-01-05", phrase)
  if not ok or day == nil then
    local reason = tostring(ok and err or day)
    p.add(where, "%s: %s", what, match(reason, "^[^:]*:%d+: (.*)$") or reason)
  end
end

local function check_timescales(p, where, timescales)
  if not want_type(p, where, "timescales", timescales, "table") then return end
  unknown_fields(p, where, "timescales", timescales, timescale_fields)
  for _, field in ipairs({ "core_group", "first_review", "later_review" }) do
    if timescales[field] ~= nil then check_phrase(p, where, "timescales." .. field, timescales[field]) end
  end
  local reports = timescales.reports
  if reports ~= nil and want_type(p, where, "timescales.reports", reports, "table") then
    unknown_fields(p, where, "timescales.reports", reports, { initial = true, review = true })
    for kind, phrase in pairs(reports) do
      if type(kind) == "string" then check_phrase(p, where, "timescales.reports." .. kind, phrase) end
    end
  end
end

-- chair_only = { categories = {ids} }: each id a category of one of the two columns.
local function check_chair_only(p, where, agenda)
  local chair_only = agenda.chair_only
  if not want_type(p, where, "chair_only", chair_only, "table", true) then return end
  unknown_fields(p, where, "chair_only", chair_only, { categories = true })
  local ids = chair_only.categories
  if not is_list(ids) then
    p.add(where, "chair_only.categories must be a list of category ids, got %s", type(ids))
    return
  end
  local columns = type(agenda.columns) == "table" and agenda.columns or {}
  local in_columns = {}
  for _, column in ipairs({ "worried", "working_well" }) do
    if is_list(columns[column]) then
      for _, id in ipairs(columns[column]) do in_columns[id] = true end
    end
  end
  for i, id in ipairs(ids) do
    if type(id) ~= "string" then
      p.add(where, "chair_only.categories[%d] must be a string, got %s", i, type(id))
    elseif not in_columns[id] then
      p.add(where, "chair_only.categories: '%s' is not a category of columns.worried or columns.working_well", id)
    end
  end
end

local function check_flags(p, where, agenda)
  local restricted = agenda.restricted
  if want_type(p, where, "restricted", restricted, "table") then
    unknown_fields(p, where, "restricted", restricted, { confidential_section = true })
    want_type(p, where, "restricted.confidential_section", restricted.confidential_section, "boolean")
  end
  if want_type(p, where, "record", agenda.record, "table", true) then
    unknown_fields(p, where, "record", agenda.record, { audience = true })
    p.key(where, "record.audience", agenda.record.audience)
  end
  want_type(p, where, "family_first", agenda.family_first, "boolean", true)
  if want_type(p, where, "goals", agenda.goals, "table", true) then
    unknown_fields(p, where, "goals", agenda.goals, { family = true, agency = true })
    want_type(p, where, "goals.family", agenda.goals.family, "boolean", true)
    want_type(p, where, "goals.agency", agenda.goals.agency, "boolean", true)
  end
  if want_type(p, where, "plan_rules", agenda.plan_rules, "table", true) then
    unknown_fields(p, where, "plan_rules", agenda.plan_rules, { smart = true, each_action = true })
    want_type(p, where, "plan_rules.smart", agenda.plan_rules.smart, "boolean", true)
    if agenda.plan_rules.each_action ~= nil then
      word_list(p, where, "plan_rules.each_action", agenda.plan_rules.each_action, action_parts)
    end
  end
end

local function check_requires(p, where, what, requires)
  if not is_list(requires) then
    p.add(where, "%s must be a list of { what =, min =, reason = }, got %s", what, type(requires))
    return
  end
  for i, need in ipairs(requires) do
    local at = format("%s[%d]", what, i)
    if want_type(p, where, at, need, "table") then
      unknown_fields(p, where, at, need, { what = true, min = true, reason = true })
      if not countable[need.what] then
        p.add(where, "%s.what must be one of %s, got '%s'", at, names(countable), tostring(need.what))
      end
      if math_type(need.min) ~= "integer" or need.min < 1 then
        p.add(where, "%s.min must be a whole number of at least 1, got %s", at, tostring(need.min))
      end
      p.key(where, at .. ".reason", need.reason)
    end
  end
end

local function check_section(p, fallback, index, section, seen)
  local what = format("sections[%d]", index)
  if type(section) ~= "table" then
    p.add(fallback, "%s must be a section table, got %s", what, type(section))
    return
  end
  local where = type(section.where) == "string" and section.where or fallback
  if type(section.id) ~= "string" or not match(section.id, "^[a-z_]+$") then
    p.add(where, "%s: id must be lower case letters and _, got %s", what, tostring(section.id))
  else
    what = format("section '%s'", section.id)
    if seen[section.id] then
      p.add(where, "%s is declared twice (first at %s)", what, seen[section.id])
    end
    seen[section.id] = where
  end
  unknown_fields(p, where, what, section, section_fields)
  if section.title == nil then
    p.add(where, "%s: title is required (a catalogue key)", what)
  else
    p.key(where, what .. ": title", section.title)
  end
  key_list(p, where, what .. ": prompts", section.prompts)
  key_list(p, where, what .. ": questions", section.questions)
  if section.records ~= nil then word_list(p, where, what .. ": records", section.records, verbs) end
  if section.requires ~= nil then check_requires(p, where, what .. ": requires", section.requires) end
  for _, hook in ipairs({ "enter", "leave", "check" }) do
    want_type(p, where, what .. ": " .. hook, section[hook], "function", true)
  end
end

local function check_sections(p, where, sections)
  if not is_list(sections) then
    p.add(where, "sections must be a list of sections, got %s", type(sections))
    return
  end
  if #sections == 0 then p.add(where, "sections: an agenda needs at least one section") end
  local seen = {}
  for i, section in ipairs(sections) do check_section(p, where, i, section, seen) end
end

local function check_forms(p, where, forms)
  if not want_type(p, where, "report_forms", forms, "table", true) then return end
  for kind, form in pairs(forms) do
    local what = "report_forms." .. tostring(kind)
    if not report_kinds[kind] then
      p.add(where, "report_forms: unknown form '%s' (expected one of %s)", tostring(kind), names(report_kinds))
    elseif want_type(p, where, what, form, "table") then
      local ids = {}
      for k, heading in pairs(form) do
        if k == "title" then
          p.key(where, what .. ".title", heading)
        elseif k == "template" then
          want_type(p, where, what .. ".template", heading, "string")
        elseif math_type(k) ~= "integer" then
          p.add(where, "%s: unknown field '%s' (expected title, template and headings)", what, tostring(k))
        elseif want_type(p, where, format("%s[%d]", what, k), heading, "table") then
          local at = format("%s[%d]", what, k)
          unknown_fields(p, where, at, heading, { id = true, title = true, guidance = true })
          if type(heading.id) ~= "string" or not match(heading.id, "^[a-z_]+$") then
            p.add(where, "%s.id must be lower case letters and _, got %s", at, tostring(heading.id))
          elseif ids[heading.id] then
            p.add(where, "%s: heading '%s' is declared twice", what, heading.id)
          else
            ids[heading.id] = true
          end
          p.key(where, at .. ".title", heading.title)
          key_list(p, where, at .. ".guidance", heading.guidance)
        end
      end
    end
  end
end

local function check_glossary(p, where, glossary)
  if not is_list(glossary) then
    p.add(where, "glossary must be a list of { term =, plain = }, got %s", type(glossary))
    return
  end
  for i, entry in ipairs(glossary) do
    local at = format("glossary[%d]", i)
    if want_type(p, where, at, entry, "table") then
      unknown_fields(p, where, at, entry, { term = true, plain = true })
      want_type(p, where, at .. ".term", entry.term, "string")
      p.key(where, at .. ".plain", entry.plain)
    end
  end
end

local function check_checks(p, where, checks)
  if not is_list(checks) then
    p.add(where, "checks must be a list of { id =, message =, check = }, got %s", type(checks))
    return
  end
  local seen = {}
  for i, entry in ipairs(checks) do
    local at = format("checks[%d]", i)
    if want_type(p, where, at, entry, "table") then
      unknown_fields(p, where, at, entry, { id = true, message = true, check = true })
      if type(entry.id) ~= "string" or not match(entry.id, "^[a-z_]+$") then
        p.add(where, "%s.id must be lower case letters and _, got %s", at, tostring(entry.id))
      elseif seen[entry.id] then
        p.add(where, "check '%s' is declared twice", entry.id)
      else
        seen[entry.id] = true
      end
      p.key(where, at .. ".message", entry.message)
      want_type(p, where, at .. ".check", entry.check, "function")
    end
  end
end

local function check_hooks(p, where, hooks)
  if not want_type(p, where, "hooks", hooks, "table", true) then return end
  for name, fn in pairs(hooks) do
    if not hook_names[name] then
      p.add(where, "hooks: unknown hook '%s' (expected one of %s)", tostring(name), names(hook_names))
    else
      want_type(p, where, "hooks." .. name, fn, "function")
    end
  end
end

local contract = {}

-- Runs every check of the contract on AGENDA from FILE: the collector, with
-- its problems and the catalogue keys the agenda declares.
local function examine(agenda, file)
  local p = collector(file)
  if type(agenda) ~= "table" then
    p.add(nil, "the plugin must return the agenda made by sos.agenda{...}, got %s", type(agenda))
    return p
  end
  local where = type(agenda.where) == "string" and agenda.where or nil
  unknown_fields(p, where, "agenda", agenda, agenda_fields)
  if type(agenda.id) ~= "string" or not match(agenda.id, "^[a-z_]+$") then
    p.add(where, "id must be lower case letters and _, got %s", tostring(agenda.id))
  elseif agenda.id ~= basename(file) then
    p.add(where, "id '%s' must be the file's name ('%s')", agenda.id, basename(file))
  end
  want_type(p, where, "name", agenda.name, "string")
  want_type(p, where, "source", agenda.source, "string")
  check_columns(p, where, agenda)
  check_categories(p, where, agenda)
  check_evidence(p, where, agenda.evidence)
  check_scaling(p, where, agenda.scaling)
  check_decision(p, where, agenda.decision)
  check_timescales(p, where, agenda.timescales)
  check_flags(p, where, agenda)
  check_chair_only(p, where, agenda)
  check_sections(p, where, agenda.sections)
  check_forms(p, where, agenda.report_forms)
  check_glossary(p, where, agenda.glossary)
  check_checks(p, where, agenda.checks)
  check_hooks(p, where, agenda.hooks)
  return p
end

-- contract.validate(agenda, file, with_texts) -> list of problems (empty when sound).
-- WITH_TEXTS also reports catalogue keys that have no text.
function contract.validate(agenda, file, with_texts)
  local p = examine(agenda, file)
  if with_texts then
    for _, k in ipairs(p.keys) do
      if not has_text(k.key) then
        p.add(k.where, "%s: catalogue key '%s' has no text", k.what, k.key)
      end
    end
  end
  return p.list
end

-- contract.keys(agenda, file) -> list of { key =, where = }: every catalogue key
-- the agenda declares, in declaration order, WHERE being "FILE:LINE" of the
-- declaring section (or the agenda, or FILE:1), where an author would fix it.
function contract.keys(agenda, file)
  local out = {}
  for i, k in ipairs(examine(agenda, file).keys) do
    out[i] = { key = k.key, where = k.where or (file .. ":1") }
  end
  return out
end

-- contract.checks(agenda) -> list of { label =, where =, fn = }: every practice
-- check of a validated agenda (the agenda's, then each section's).
function contract.checks(agenda)
  local out = {}
  for _, entry in ipairs(agenda.checks) do
    out[#out + 1] = { label = entry.id, where = agenda.where, fn = entry.check }
  end
  for _, section in ipairs(agenda.sections) do
    if section.check ~= nil then
      out[#out + 1] = { label = "section " .. section.id, where = section.where or agenda.where,
                        fn = section.check }
    end
  end
  return out
end

-- contract.conference(id) -> an empty in-memory conference to run checks against.
function contract.conference(id)
  return new_conference { authority = id, type = "initial", date = "2026-01-05" }
end

-- contract.result(value) -> nil, or what is wrong with a check's return value.
function contract.result(value)
  if not is_list(value) then return format("returned %s, expected a list of problem strings", type(value)) end
  for i, problem in ipairs(value) do
    if type(problem) ~= "string" then
      return format("problem %d is a %s, expected a string", i, type(problem))
    end
  end
  return nil
end

return contract
