-- contract.lua — the host's validator of the plugin contract (docs/plugins.md).
--
-- The host runs this file in a plugin's sandbox BEFORE the plugin, keeps the
-- table it returns in the registry, and calls it on the plugin's result. Every
-- global it needs is captured here as a local, so a plugin that replaces
-- `type`, `pairs` or `string.format` in its environment cannot blind the check.
-- Problems are strings "FILE:LINE: problem", located by each declaration's
-- `where` (sections), else the agenda's, else "FILE:1". Their words are the
-- catalogue's (locales/en_GB/contract.po), looked up only when there is a
-- problem: a sound plugin, the usual case, costs no lookup at all.

local type, pairs, ipairs, tostring, tonumber, pcall, select = type, pairs, ipairs, tostring, tonumber, pcall, select
local format, match, find, math_type = string.format, string.match, string.find, math.type
local sort, concat = table.sort, table.concat
local has_text, text = confer.has_text, confer.text
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
-- The fields of the smaller tables, made once here rather than at each check.
local column_fields = { worried = true, working_well = true }
local column_names = { "worried", "working_well" }
local evidence_fields = { kinds = true, required = true }
local scaling_fields = { who = true, low = true, high = true, iro_overall = true }
local decision_fields = { plans = true, categories = true, recommend = true, escalation = true }
local phrase_fields = { "core_group", "first_review", "later_review" }
local report_fields = { initial = true, review = true }
local chair_only_fields = { categories = true }
local restricted_fields = { confidential_section = true }
local record_fields = { audience = true }
local goals_fields = { family = true, agency = true }
local plan_rules_fields = { smart = true, each_action = true }
local requires_fields = { what = true, min = true, reason = true }
local section_hooks = { "enter", "leave", "check" }
local heading_fields = { id = true, title = true, guidance = true }
local glossary_fields = { term = true, plain = true }
local check_fields = { id = true, message = true, check = true }

-- The order problems about a table's fields are reported in: numbers, then
-- strings, each in order, then other keys by type. `pairs` alone follows the
-- hash order, which Lua seeds afresh in every process: the same plugin would
-- get its problems in a different order each run.
local key_rank = { number = 1, string = 2 }
local function key_before(a, b)
  local ta, tb = type(a), type(b)
  if ta == tb then return (ta == "number" or ta == "string") and a < b end
  local ra, rb = key_rank[ta] or 3, key_rank[tb] or 3
  if ra ~= rb then return ra < rb end
  return ta < tb
end

-- The keys of table T, sorted by key_before.
local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  sort(keys, key_before)
  return keys
end

-- The sorted names of a set, for messages that say what was expected.
local function names(set)
  return concat(sorted_keys(set), ", ")
end

-- Calls EACH(key, value) for every field of T so that the problems it
-- reports come in key order; START(), if given, runs before each walk (to
-- reset what EACH remembers). Sorting costs more than the checks, so a sound
-- table, the usual case, is walked once in hash order; only if that walk
-- reported something, or the keys themselves are being listed, are its
-- problems taken back and the table walked again in key order.
local function each_in_order(p, t, each, start)
  if p.keys == nil then
    local list, untexted = p.list, p.untexted
    local listed, unlisted = #list, #untexted
    if start then start() end
    for k, v in pairs(t) do each(k, v) end
    if #list == listed and #untexted == unlisted then return end
    for i = #list, listed + 1, -1 do list[i] = nil end
    for i = #untexted, unlisted + 1, -1 do untexted[i] = nil end
  end
  if start then start() end
  for _, k in ipairs(sorted_keys(t)) do each(k, t[k]) end
end

local function basename(path)
  return match(path, "([^/]+)%.lua$") or match(path, "([^/]+)$") or path
end

-- Parts of a declaration's name that are words, not the plugin's field
-- names: AGENDA is the agenda itself; SECTION and the part after it, a
-- section's id, are "section 'ID'".
local AGENDA, SECTION = {}, {}

-- The name of a declaration from its PARTS: strings as they are, whole
-- numbers as list indexes, nils left out: describe("glossary", 2, ".plain") is
-- "glossary[2].plain". Checks pass the parts and only a problem joins them:
-- a sound agenda (the usual case) has no name built at all.
local function describe(...)
  local out, n, i = {}, select("#", ...), 1
  while i <= n do
    local part = select(i, ...)
    if math_type(part) == "integer" then
      out[#out + 1] = format("[%d]", part)
    elseif part == AGENDA then
      out[#out + 1] = text("contract.agenda")
    elseif part == SECTION then
      i = i + 1
      out[#out + 1] = text("contract.section", (select(i, ...)))
    elseif part ~= nil then
      out[#out + 1] = part
    end
    i = i + 1
  end
  return concat(out)
end

-- A problem collector bound to one plugin file. WITH_TEXTS: a catalogue key
-- without text is a problem, listed after every structural one (an author
-- fixes the shape first). WITH_KEYS: the keys met are kept for contract.keys.
local function collector(file, with_texts, with_keys)
  local self = { list = {}, untexted = {}, keys = with_keys and {} or nil }
  local list, untexted, keys, unplaced = self.list, self.untexted, self.keys, file .. ":1"
  -- A problem at WHERE: the text of catalogue key KEY given the rest.
  function self.add(where, key, ...)
    list[#list + 1] = format("%s: %s", where or unplaced, text(key, ...))
  end
  -- KEY is a catalogue key declared at WHERE, as the declaration named by the PARTS.
  function self.key(where, key, ...)
    if type(key) ~= "string" or key == "" then
      self.add(where, "contract.not_key", describe(...), type(key))
      return
    end
    if with_texts and not has_text(key) then
      untexted[#untexted + 1] = format("%s: %s", where or unplaced,
                                       text("contract.key_no_text", describe(...), key))
    end
    if keys ~= nil then keys[#keys + 1] = { key = key, where = where or unplaced } end
  end
  return self
end

-- Ids are lower case letters and _, and short: the record refuses a section
-- id over 64 characters (model.c), so a longer one would pass here and then
-- never be entered; every id keeps the same bound.
local ID_MAX = 64
local function is_id(value)
  return type(value) == "string" and #value <= ID_MAX and match(value, "^[a-z_]+$") ~= nil
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

-- Checks VALUE, the declaration named by the parts A..D, is a list of catalogue keys.
local function key_list(p, where, value, a, b, c, d)
  if value == nil then return end
  if not is_list(value) then
    p.add(where, "contract.not_key_list", describe(a, b, c, d), type(value))
    return
  end
  for i, key in ipairs(value) do p.key(where, key, a, b, c, d, i) end
end

-- 1 if WORD is one of the first I - 1 items of LIST. Lists are short: a scan
-- costs less than a set made for each list.
local function listed_before(list, i, word)
  for j = 1, i - 1 do
    if list[j] == word then return true end
  end
  return false
end

-- Checks VALUE, the list named by the PARTS, is a list of strings from SET (any string when nil).
local function word_list(p, where, value, set, ...)
  if not is_list(value) then
    p.add(where, "contract.not_word_list", describe(...), type(value))
    return
  end
  for i, word in ipairs(value) do
    if type(word) ~= "string" then
      p.add(where, "contract.word_not_string", describe(...), i, type(word))
    elseif set ~= nil and not set[word] then
      p.add(where, "contract.unknown_word", describe(...), word, names(set))
    elseif listed_before(value, i, word) then
      p.add(where, "contract.listed_twice", describe(...), word)
    end
  end
end

-- Checks every field of VALUE, the table named by the PARTS, is in KNOWN.
-- The unknown ones are reported in key order (sorted only when there are some).
local function unknown_fields(p, where, value, known, ...)
  local unknown
  for k in pairs(value) do
    if type(k) ~= "string" or not known[k] then
      unknown = unknown or {}
      unknown[#unknown + 1] = k
    end
  end
  if unknown == nil then return end
  sort(unknown, key_before)
  for _, k in ipairs(unknown) do
    p.add(where, "contract.unknown_field", describe(...), tostring(k), names(known))
  end
end

-- Checks VALUE, the declaration named by the PARTS, is of type WANTED (or nil when OPTIONAL).
local function want_type(p, where, value, wanted, optional, ...)
  if value == nil and optional then return false end
  if type(value) ~= wanted then
    p.add(where, "contract.wrong_type", describe(...), wanted, type(value))
    return false
  end
  return true
end

-- Checks VALUE, the words named by the PARTS that the host shows as they are,
-- is a string without control characters (C0, DEL, C1): an escape sequence in
-- an agenda's name could clear the chair's screen or type for her.
local function want_words(p, where, value, ...)
  if not want_type(p, where, value, "string", false, ...) then return end
  if find(value, "[%c\127]") or find(value, "\194[\128-\159]") then
    p.add(where, "contract.control_characters", describe(...))
  elseif not find(value, "%S") then
    -- Blank, the REPL's "... requires the kind" and the record's heading would name no one.
    p.add(where, "contract.empty_words", describe(...))
  end
end

-- Checks the list VALUE, named by the PARTS, has at least one word: an empty
-- one passed and left the chair a command no entry could satisfy ("unknown
-- kind 'fact': expected one of ", with nothing after it).
local function want_some(p, where, value, ...)
  if is_list(value) and #value == 0 then p.add(where, "contract.empty_list", describe(...)) end
end

local function check_columns(p, where, agenda)
  local columns = agenda.columns
  if not want_type(p, where, columns, "table", false, "columns") then return end
  unknown_fields(p, where, columns, column_fields, "columns")
  for _, column in ipairs(column_names) do
    local ids = columns[column]
    if ids == nil then
      p.add(where, "contract.column_required", column)
    else
      word_list(p, where, ids, nil, "columns.", column)
      if is_list(ids) and #ids == 0 then p.add(where, "contract.column_empty", column) end
    end
  end
end

local function check_categories(p, where, agenda)
  local categories = agenda.categories
  if not want_type(p, where, categories, "table", false, "categories") then return end
  each_in_order(p, categories, function(id, key)
    if not is_id(id) then
      p.add(where, "contract.category_id", tostring(id))
    else
      p.key(where, key, "categories.", id)
    end
  end)
  local function declared(list, what)
    if not is_list(list) then return end
    for _, id in ipairs(list) do
      if type(id) == "string" and categories[id] == nil then
        p.add(where, "contract.category_untitled", id, what)
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
  if not want_type(p, where, evidence, "table", false, "evidence") then return end
  unknown_fields(p, where, evidence, evidence_fields, "evidence")
  word_list(p, where, evidence.kinds, kinds_known, "evidence.kinds")
  want_some(p, where, evidence.kinds, "evidence.kinds")
  want_type(p, where, evidence.required, "boolean", false, "evidence.required")
end

local function check_scaling(p, where, scaling)
  if not want_type(p, where, scaling, "table", false, "scaling") then return end
  unknown_fields(p, where, scaling, scaling_fields, "scaling")
  if not scalers[scaling.who] then
    p.add(where, "contract.scaling_who", names(scalers), tostring(scaling.who))
  end
  p.key(where, scaling.low, "scaling.low")
  p.key(where, scaling.high, "scaling.high")
  want_type(p, where, scaling.iro_overall, "boolean", false, "scaling.iro_overall")
end

local function check_decision(p, where, decision)
  if not want_type(p, where, decision, "table", false, "decision") then return end
  unknown_fields(p, where, decision, decision_fields, "decision")
  word_list(p, where, decision.plans, plans_known, "decision.plans")
  want_some(p, where, decision.plans, "decision.plans")
  word_list(p, where, decision.categories, cp_categories, "decision.categories")
  if not recommenders[decision.recommend] then
    p.add(where, "contract.decision_recommend", names(recommenders),
          tostring(decision.recommend))
  end
  if decision.escalation ~= nil then p.key(where, decision.escalation, "decision.escalation") end
end

-- A deadline phrase must be one calendar_deadline understands, of at least
-- one unit: "0 months after" is the conference's own day and "0 hours
-- before" its start, which none of the authorities' documents asks (a
-- review within 3 months, reports 24 hours or 3 working days before).
local function check_phrase(p, where, phrase, what, field)
  if type(phrase) ~= "string" then
    p.add(where, "contract.phrase_not_string", what .. field, type(phrase))
    return
  end
  local ok, day, err = pcall(deadline, "2026-01-05", phrase)
  if not ok or day == nil then
    local reason = tostring(ok and err or day)
    p.add(where, "contract.phrase_refused", what .. field, match(reason, "^[^:]*:%d+: (.*)$") or reason)
  elseif tonumber(match(phrase, "^%s*(%d+)")) == 0 then
    p.add(where, "contract.phrase_zero", what .. field, phrase)
  end
end

local function check_timescales(p, where, timescales)
  if not want_type(p, where, timescales, "table", false, "timescales") then return end
  unknown_fields(p, where, timescales, timescale_fields, "timescales")
  for _, field in ipairs(phrase_fields) do
    if timescales[field] ~= nil then check_phrase(p, where, timescales[field], "timescales.", field) end
  end
  local reports = timescales.reports
  if reports ~= nil and want_type(p, where, reports, "table", false, "timescales.reports") then
    unknown_fields(p, where, reports, report_fields, "timescales.reports")
    each_in_order(p, reports, function(kind, phrase)
      if type(kind) == "string" then check_phrase(p, where, phrase, "timescales.reports.", kind) end
    end)
  end
end

-- chair_only = { categories = {ids} }: each id a category of one of the two columns.
local function check_chair_only(p, where, agenda)
  local chair_only = agenda.chair_only
  if not want_type(p, where, chair_only, "table", true, "chair_only") then return end
  unknown_fields(p, where, chair_only, chair_only_fields, "chair_only")
  local ids = chair_only.categories
  if not is_list(ids) then
    p.add(where, "contract.chair_only_not_list", type(ids))
    return
  end
  local columns = type(agenda.columns) == "table" and agenda.columns or {}
  local in_columns = {}
  for _, column in ipairs(column_names) do
    if is_list(columns[column]) then
      for _, id in ipairs(columns[column]) do in_columns[id] = true end
    end
  end
  for i, id in ipairs(ids) do
    if type(id) ~= "string" then
      p.add(where, "contract.chair_only_not_string", i, type(id))
    elseif not in_columns[id] then
      p.add(where, "contract.chair_only_not_column", id)
    end
  end
end

local function check_flags(p, where, agenda)
  local restricted = agenda.restricted
  if want_type(p, where, restricted, "table", false, "restricted") then
    unknown_fields(p, where, restricted, restricted_fields, "restricted")
    want_type(p, where, restricted.confidential_section, "boolean", false, "restricted.confidential_section")
  end
  if want_type(p, where, agenda.record, "table", true, "record") then
    unknown_fields(p, where, agenda.record, record_fields, "record")
    p.key(where, agenda.record.audience, "record.audience")
  end
  want_type(p, where, agenda.family_first, "boolean", true, "family_first")
  if want_type(p, where, agenda.goals, "table", true, "goals") then
    unknown_fields(p, where, agenda.goals, goals_fields, "goals")
    want_type(p, where, agenda.goals.family, "boolean", true, "goals.family")
    want_type(p, where, agenda.goals.agency, "boolean", true, "goals.agency")
  end
  if want_type(p, where, agenda.plan_rules, "table", true, "plan_rules") then
    unknown_fields(p, where, agenda.plan_rules, plan_rules_fields, "plan_rules")
    want_type(p, where, agenda.plan_rules.smart, "boolean", true, "plan_rules.smart")
    if agenda.plan_rules.each_action ~= nil then
      word_list(p, where, agenda.plan_rules.each_action, action_parts, "plan_rules.each_action")
    end
  end
end

-- The requirements of the section named by the parts A..C.
local function check_requires(p, where, requires, a, b)
  if not is_list(requires) then
    p.add(where, "contract.requires_not_list", describe(a, b, ": requires"), type(requires))
    return
  end
  for i, need in ipairs(requires) do
    if want_type(p, where, need, "table", false, a, b, ": requires", i) then
      unknown_fields(p, where, need, requires_fields, a, b, ": requires", i)
      if not countable[need.what] then
        p.add(where, "contract.requires_what", describe(a, b, ": requires", i), names(countable),
              tostring(need.what))
      end
      if math_type(need.min) ~= "integer" or need.min < 1 then
        p.add(where, "contract.requires_min", describe(a, b, ": requires", i), tostring(need.min))
      end
      p.key(where, need.reason, a, b, ": requires", i, ".reason")
    end
  end
end

-- A section is named "section 'ID'" once its id is sound, else "sections[INDEX]":
-- the parts A and B of that name are passed on, joined only for a problem.
local function check_section(p, fallback, index, section, seen)
  if type(section) ~= "table" then
    p.add(fallback, "contract.section_not_table", index, type(section))
    return
  end
  local where = type(section.where) == "string" and section.where or fallback
  local a, b = "sections", index
  if not is_id(section.id) then
    p.add(where, "contract.section_id", index, tostring(section.id))
  else
    a, b = SECTION, section.id
    if seen[section.id] then
      p.add(where, "contract.section_twice", section.id, seen[section.id])
    end
    seen[section.id] = where
  end
  unknown_fields(p, where, section, section_fields, a, b)
  if section.title == nil then
    p.add(where, "contract.title_required", describe(a, b))
  else
    p.key(where, section.title, a, b, ": title")
  end
  key_list(p, where, section.prompts, a, b, ": prompts")
  key_list(p, where, section.questions, a, b, ": questions")
  if section.records ~= nil then word_list(p, where, section.records, verbs, a, b, ": records") end
  if section.requires ~= nil then check_requires(p, where, section.requires, a, b) end
  for _, hook in ipairs(section_hooks) do
    want_type(p, where, section[hook], "function", true, a, b, ": ", hook)
  end
end

local function check_sections(p, where, sections)
  if not is_list(sections) then
    p.add(where, "contract.sections_not_list", type(sections))
    return
  end
  if #sections == 0 then p.add(where, "contract.no_sections") end
  local seen = {}
  for i, section in ipairs(sections) do check_section(p, where, i, section, seen) end
end

-- Heading K of the report form of KIND (FORM_IDS: the heading ids met so far).
local function check_heading(p, where, kind, k, heading, form_ids)
  if not want_type(p, where, heading, "table", false, "report_forms.", kind, k) then return end
  unknown_fields(p, where, heading, heading_fields, "report_forms.", kind, k)
  if not is_id(heading.id) then
    p.add(where, "contract.heading_id", kind, k, tostring(heading.id))
  elseif form_ids[heading.id] then
    p.add(where, "contract.heading_twice", kind, heading.id)
  else
    form_ids[heading.id] = true
  end
  p.key(where, heading.title, "report_forms.", kind, k, ".title")
  key_list(p, where, heading.guidance, "report_forms.", kind, k, ".guidance")
end

local function check_forms(p, where, forms)
  if not want_type(p, where, forms, "table", true, "report_forms") then return end
  each_in_order(p, forms, function(kind, form)
    if not report_kinds[kind] then
      p.add(where, "contract.unknown_form", tostring(kind), names(report_kinds))
    elseif want_type(p, where, form, "table", false, "report_forms.", kind) then
      local ids
      each_in_order(p, form, function(k, heading)
        if k == "title" then
          p.key(where, heading, "report_forms.", kind, ".title")
        elseif k == "template" then
          want_type(p, where, heading, "string", false, "report_forms.", kind, ".template")
        elseif math_type(k) ~= "integer" then
          p.add(where, "contract.form_field", kind,
                tostring(k))
        else
          check_heading(p, where, kind, k, heading, ids)
        end
      end, function() ids = {} end)
    end
  end)
end

local function check_glossary(p, where, glossary)
  if not is_list(glossary) then
    p.add(where, "contract.glossary_not_list", type(glossary))
    return
  end
  for i, entry in ipairs(glossary) do
    if want_type(p, where, entry, "table", false, "glossary", i) then
      unknown_fields(p, where, entry, glossary_fields, "glossary", i)
      want_type(p, where, entry.term, "string", false, "glossary", i, ".term")
      p.key(where, entry.plain, "glossary", i, ".plain")
    end
  end
end

local function check_checks(p, where, checks)
  if not is_list(checks) then
    p.add(where, "contract.checks_not_list", type(checks))
    return
  end
  local seen = {}
  for i, entry in ipairs(checks) do
    if want_type(p, where, entry, "table", false, "checks", i) then
      unknown_fields(p, where, entry, check_fields, "checks", i)
      if not is_id(entry.id) then
        p.add(where, "contract.check_id", i, tostring(entry.id))
      elseif seen[entry.id] then
        p.add(where, "contract.check_twice", entry.id)
      else
        seen[entry.id] = true
      end
      p.key(where, entry.message, "checks", i, ".message")
      want_type(p, where, entry.check, "function", false, "checks", i, ".check")
    end
  end
end

local function check_hooks(p, where, hooks)
  if not want_type(p, where, hooks, "table", true, "hooks") then return end
  each_in_order(p, hooks, function(name, fn)
    if not hook_names[name] then
      p.add(where, "contract.unknown_hook", tostring(name), names(hook_names))
    else
      want_type(p, where, fn, "function", false, "hooks.", name)
    end
  end)
end

local contract = {}

-- Runs every check of the contract on AGENDA from FILE: the collector, with
-- its problems (and, as asked, its keys without text and the keys it met).
local function examine(agenda, file, with_texts, with_keys)
  local p = collector(file, with_texts, with_keys)
  if type(agenda) ~= "table" then
    p.add(nil, "contract.not_agenda", type(agenda))
    return p
  end
  local where = type(agenda.where) == "string" and agenda.where or nil
  unknown_fields(p, where, agenda, agenda_fields, AGENDA)
  if not is_id(agenda.id) then
    p.add(where, "contract.agenda_id", tostring(agenda.id))
  elseif agenda.id ~= basename(file) then
    p.add(where, "contract.id_not_file", agenda.id, basename(file))
  end
  want_words(p, where, agenda.name, "name")
  want_words(p, where, agenda.source, "source")
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
-- WITH_TEXTS also reports catalogue keys that have no text, after the others.
function contract.validate(agenda, file, with_texts)
  local p = examine(agenda, file, with_texts, false)
  local list = p.list
  for _, problem in ipairs(p.untexted) do list[#list + 1] = problem end
  return list
end

-- contract.keys(agenda, file) -> list of { key =, where = }: every catalogue key
-- the agenda declares, in declaration order, WHERE being "FILE:LINE" of the
-- declaring section (or the agenda, or FILE:1), where an author would fix it.
function contract.keys(agenda, file)
  return examine(agenda, file, false, true).keys
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
  if not is_list(value) then return text("contract.result_not_list", type(value)) end
  for i, problem in ipairs(value) do
    if type(problem) ~= "string" then
      return text("contract.result_not_string", i, type(problem))
    end
  end
  return nil
end

return contract
