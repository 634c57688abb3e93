-- signs_of_safety.lua — the Signs of Safety base that every authority agenda extends.
--
-- An authority plugin does `local sos = require "signs_of_safety"` and returns
-- `sos.agenda{...}`. This file gives it:
--   sos.agenda{}        the agenda constructor: merges the base defaults below
--                       with the authority's fields and records where it was declared;
--   sos.section{}       a section constructor (`base = "mapping"` starts from a common one);
--   sos.sections.<id>   the common sections, each with :with{...} to override fields;
--   sos.checks          the default practice checks (each function(conf) -> problems);
--   sos.validate()      the check the REPL runs on an entry before recording it.
-- The base's content comes from the practice described in DESIGN.md ("Domain in
-- one page") and the facts in reference/domain-facts.md; authorities change it in
-- their own files, which name the passage of their document each rule comes from.
-- Every word a person sees is a catalogue key (locales/en_GB/plugins.po).

local sos = {}

-- Fields copied by value, so an authority changing its copy never changes the base's.
local function copy(value)
  if type(value) ~= "table" then return value end
  local out = {}
  for k, v in pairs(value) do out[k] = copy(v) end
  return setmetatable(out, getmetatable(value))
end

-- A new table with BASE's fields, then FIELDS' fields replacing them.
local function merged(base, fields)
  local out = copy(base)
  for k, v in pairs(fields) do out[k] = v end
  return out
end

-- Joins WORDS as "a, b, c or d" (the "or" comes from the catalogue).
local function either(words)
  if #words <= 1 then return words[1] or "" end
  local head = table.concat(words, ", ", 1, #words - 1)
  return confer.text("sos.list.either", head, words[#words])
end

---------------------------------------------------------------------------
-- Sections
---------------------------------------------------------------------------

local section_methods = {}
local section_meta = { __index = section_methods }

-- section:with{fields} -> a copy of the section with FIELDS replacing its own,
-- declared where :with was called (so problems point at the authority's file).
function section_methods.with(self, fields)
  local out = merged(self, fields or {})
  out.where = confer.where(2)
  return setmetatable(out, section_meta)
end

sos.sections = {}

-- Declares a section. With `base = "ID"` it starts from sos.sections.ID.
function sos.section(fields)
  local out
  if fields.base ~= nil then
    local base = sos.sections[fields.base]
    if base == nil then
      local known = {}
      for id in pairs(sos.sections) do known[#known + 1] = id end
      table.sort(known)
      error(("unknown base section '%s': expected one of %s"):format(
        tostring(fields.base), table.concat(known, ", ")), 2)
    end
    out = merged(base, fields)
    out.base = nil
  else
    out = copy(fields)
  end
  out.where = confer.where(2)
  return setmetatable(out, section_meta)
end

-- The common sections, in the order of a Signs of Safety conference (DESIGN.md). Each FIELDS
-- is a table constructor below, reachable from nowhere else: the section is that table itself.
local function common(fields)
  fields.where = confer.where(2)
  sos.sections[fields.id] = setmetatable(fields, section_meta)
  return fields
end

common {
  id = "introductions", title = "sos.introductions.title",
  prompts = { "sos.introductions.prompt.who", "sos.introductions.prompt.purpose" },
  records = { "child", "person" },
  requires = { { what = "children", min = 1, reason = "sos.introductions.requires.child" } },
}
common {
  id = "family_network", title = "sos.family_network.title",
  prompts = { "sos.family_network.prompt.genogram" },
  records = { "person" },
}
common {
  id = "why_worried", title = "sos.why_worried.title",
  questions = { "sos.why_worried.question.parents" },
  records = { "worry" },
}
common {
  id = "what_got_us_here", title = "sos.what_got_us_here.title",
  prompts = { "sos.what_got_us_here.prompt.history" },
  records = { "worry", "good" },
}
common {
  id = "mapping", title = "sos.mapping.title",
  prompts = { "sos.mapping.prompt.columns", "sos.mapping.prompt.evidence",
              "sos.mapping.prompt.plain" },
  records = { "worry", "good", "need" },
  requires = {
    { what = "worried", min = 1, reason = "sos.mapping.requires.worried" },
    { what = "working_well", min = 1, reason = "sos.mapping.requires.working_well" },
  },
}
common {
  id = "involvement", title = "sos.involvement.title",
  questions = { "sos.involvement.question.child", "sos.involvement.question.parents" },
  records = { "worry", "good" },
}
common {
  id = "danger_goals", title = "sos.danger_goals.title",
  questions = { "sos.danger_goals.question.danger", "sos.danger_goals.question.goal" },
  records = { "danger", "goal" },
  requires = {
    { what = "dangers", min = 1, reason = "sos.danger_goals.requires.danger" },
    { what = "goals", min = 1, reason = "sos.danger_goals.requires.goal" },
  },
}
common {
  id = "scaling", title = "sos.scaling.title",
  questions = { "sos.scaling.question.scale" },
  records = { "scale" },
  requires = { { what = "scales", min = 1, reason = "sos.scaling.requires.scale" } },
}
common {
  id = "decision", title = "sos.decision.title",
  questions = { "sos.decision.question.recommend", "sos.decision.question.decide" },
  records = { "recommend", "decide", "escalate" },
  requires = { { what = "decision", min = 1, reason = "sos.decision.requires.decision" } },
}
common {
  id = "what_needs_to_happen", title = "sos.what_needs_to_happen.title",
  prompts = { "sos.what_needs_to_happen.prompt.safety", "sos.what_needs_to_happen.prompt.bottom_lines",
              "sos.what_needs_to_happen.prompt.network", "sos.what_needs_to_happen.prompt.recording" },
  records = { "need", "bottomline", "rule" },
}
common {
  id = "actions", title = "sos.actions.title",
  prompts = { "sos.actions.prompt.smart" },
  records = { "action" },
}
common {
  id = "core_group", title = "sos.core_group.title",
  prompts = { "sos.core_group.prompt.members" },
  records = { "coregroup" },
}
common {
  id = "close", title = "sos.close.title",
  prompts = { "sos.close.prompt.record" },
  records = {},
}

local default_order = {
  "introductions", "family_network", "why_worried", "what_got_us_here", "mapping",
  "involvement", "danger_goals", "scaling", "decision", "what_needs_to_happen",
  "actions", "core_group", "close",
}

---------------------------------------------------------------------------
-- Default practice checks (DESIGN.md, domain-facts.md §4 "Checks to build in")
---------------------------------------------------------------------------

local function blank(value)
  return value == nil or value == ""
end

sos.checks = {
  {
    id = "actions_smart", message = "sos.check.actions_smart",
    -- Sefton's SMART rules, which DESIGN.md makes everyone's practice: each
    -- action linked to a worry, with an owner, a date and the child's outcome.
    check = function(conf)
      local problems = {}
      local needs = { { "worries", "sos.check.action_no_worry" }, { "owner", "sos.check.action_no_owner" },
                      { "due", "sos.check.action_no_due" }, { "outcome", "sos.check.action_no_outcome" } }
      for _, action in ipairs(conf:live("action")) do
        for _, need in ipairs(needs) do
          local value = action[need[1]]
          if blank(value) or (type(value) == "table" and #value == 0) then
            problems[#problems + 1] = confer.text(need[2], action.id)
          end
        end
      end
      return problems
    end,
  },
  {
    id = "danger_without_goal", message = "sos.check.danger_without_goal",
    -- Danger statement, safety goal and scaling form a trio (Cumbria; DESIGN.md).
    check = function(conf)
      local dangers, goals = conf:count("dangers"), conf:count("goals")
      if dangers > goals then
        return { confer.text("sos.check.danger_without_goal.problem", dangers, goals) }
      end
      return {}
    end,
  },
  {
    id = "child_voice", message = "sos.check.child_voice",
    -- domain-facts.md §4: flag when no child's-voice item is present. Only
    -- meaningful once something has been mapped.
    check = function(conf)
      local mapped = conf:live("worry")
      for _, item in ipairs(conf:live("good")) do mapped[#mapped + 1] = item end
      if #mapped == 0 then return {} end
      local children = {}
      for _, child in ipairs(conf:live("child")) do children[child.name] = true end
      for _, item in ipairs(mapped) do
        if item.source ~= nil and children[item.source] then return {} end
      end
      return { confer.text("sos.check.child_voice.problem") }
    end,
  },
  {
    id = "disagreement_escalated", message = "sos.check.disagreement_escalated",
    -- Unresolved disagreement goes to escalation and is recorded (DESIGN.md; Cumbria).
    check = function(conf)
      local decision = conf.decision
      if decision == nil or not blank(conf.escalation) then return {} end
      local problems = {}
      for _, rec in ipairs(conf:live("recommendation")) do
        if rec.plan ~= decision then
          problems[#problems + 1] = confer.text("sos.check.disagreement_escalated.problem",
                                                rec.who or "?", rec.plan or "?", decision)
        end
      end
      return problems
    end,
  },
}

---------------------------------------------------------------------------
-- The agenda constructor
---------------------------------------------------------------------------

-- The base agency report form: one heading per question, with its guidance.
local function sos_report_form()
  local function heading(id)
    return { id = id, title = "sos.report." .. id, guidance = { "sos.report." .. id .. ".guidance" } }
  end
  return { title = "sos.report.title", heading("worried"), heading("working_well"),
           heading("lived_experience"), heading("needs_to_happen") }
end

-- What every agenda has unless the authority says otherwise: new tables at each call.
local function new_defaults()
  return {
    columns = {
      worried = { "past_harm", "future_danger", "complicating_factors" },
      working_well = { "existing_strengths", "existing_safety" },
    },
    categories = {
      past_harm = "sos.category.past_harm", future_danger = "sos.category.future_danger",
      complicating_factors = "sos.category.complicating_factors",
      existing_strengths = "sos.category.existing_strengths",
      existing_safety = "sos.category.existing_safety",
      neglect = "sos.category.neglect", physical = "sos.category.physical",
      emotional = "sos.category.emotional", sexual = "sos.category.sexual",
      -- For an authority whose professionals give sensitive information to the
      -- chair alone (Surrey, seeds/004): a column category marked chair_only.
      shared_with_chair = "sos.category.shared_with_chair",
    },
    evidence = { kinds = { "fact", "observation", "allegation", "opinion" }, required = false },
    scaling = { who = "everyone", low = "sos.scale.low", high = "sos.scale.high", iro_overall = false },
    decision = { plans = { "cp", "cin", "none" }, categories = { "neglect", "physical", "emotional", "sexual" },
                 recommend = "professionals" },
    -- domain-facts.md §2: first review within 3 months, later ones within 6;
    -- first core group 10 working days (a local default an authority may change).
    timescales = { reports = {}, core_group = "10 working days after",
                   first_review = "3 months after", later_review = "6 months after" },
    restricted = { confidential_section = false },
    -- Entries of these categories reach the chair's record only (docs/plugins.md).
    chair_only = { categories = {} },
    family_first = false,
    -- The three Signs of Safety questions and the child's lived experience
    -- (domain-facts.md §3), for an authority whose document names no form.
    report_forms = { initial = sos_report_form(), review = sos_report_form() },
    -- domain-facts.md §3.3: jargon families hear.
    glossary = {
      { term = "disguised compliance", plain = "sos.glossary.disguised_compliance" },
      { term = "LAC", plain = "sos.glossary.lac" },
      { term = "contact", plain = "sos.glossary.contact" },
      { term = "placement", plain = "sos.glossary.placement" },
    },
  }
end

-- sos.defaults is made when first read, so that until then no script can have
-- changed it and an agenda can take new_defaults() instead of a deep copy of
-- it (copying was most of an agenda's cost). Once read, agendas copy it, so a
-- plugin that changes sos.defaults changes the agendas it builds afterwards.
setmetatable(sos, { __index = function(_, key)
  if key ~= "defaults" then return nil end
  local defaults = new_defaults()
  sos.defaults = defaults  -- no __newindex: this sets the field, and __index is not asked again
  return defaults
end })

-- The base defaults for a new agenda: tables no other agenda has.
local function agenda_defaults()
  local defaults = rawget(sos, "defaults")
  if defaults == nil then return new_defaults() end
  return copy(defaults)
end

-- Table fields merged one level deep: the authority's keys replace the base's.
local merged_fields = { columns = true, categories = true, evidence = true, scaling = true,
                        decision = true, timescales = true, restricted = true,
                        report_forms = true }

-- Builds an agenda from the authority's FIELDS and the base defaults. Write
--   local agenda = sos.agenda { ... }
--   return agenda
-- rather than `return sos.agenda { ... }`: that is a tail call, after which
-- Lua no longer knows the plugin's line, and problems could only say "FILE:1".
function sos.agenda(fields)
  local agenda = { checks = copy(sos.checks) }
  for k, v in pairs(agenda_defaults()) do agenda[k] = v end
  for k, v in pairs(fields) do
    if merged_fields[k] and type(v) == "table" then
      for kk, vv in pairs(v) do agenda[k][kk] = vv end
    elseif (k == "glossary" or k == "checks") and type(v) == "table" then
      for _, entry in ipairs(v) do agenda[k][#agenda[k] + 1] = entry end
    else
      agenda[k] = v
    end
  end
  if fields.sections == nil then
    agenda.sections = {}
    for i, id in ipairs(default_order) do agenda.sections[i] = sos.sections[id] end
  end
  local where = confer.where(2)
  if where ~= "?" then agenda.where = where end
  return agenda
end

---------------------------------------------------------------------------
-- Validation of one entry before the REPL records it
---------------------------------------------------------------------------

local columns_of_kind = { worry = "worried", worried = "worried",
                          good = "working_well", working_well = "working_well" }

-- sos.unknown_category(agenda, column, category) -> nil when CATEGORY is one of
-- COLUMN's ("worried"/"working_well"), else the message saying which it may be.
function sos.unknown_category(agenda, column, category)
  local allowed = agenda.columns[column]
  for _, id in ipairs(allowed) do
    if id == category then return nil end
  end
  return confer.text("sos.validate.unknown_category", tostring(category), column,
                     table.concat(allowed, ", "))
end

-- sos.validate(agenda, conf, kind, fields) -> nil, or a message saying what is wrong.
-- KIND is the record kind ("worry"/"good", or the column name); FIELDS has
-- category, text, kind and source (the fields of the "entry.mapped" event). Other kinds have no authority rules.
function sos.validate(agenda, conf, kind, fields)
  local _ = conf
  local column = columns_of_kind[kind]
  if column == nil then return nil end
  local wrong = sos.unknown_category(agenda, column, fields.category)
  if wrong then return wrong end
  local evidence = fields.kind
  local kinds = agenda.evidence.kinds
  if agenda.evidence.required and (blank(evidence) or blank(fields.source)) then
    return confer.text("sos.validate.evidence_required", agenda.name, either(kinds))
  end
  if not blank(evidence) then
    for _, k in ipairs(kinds) do
      if k == evidence then return nil end
    end
    return confer.text("sos.validate.unknown_kind", evidence, table.concat(kinds, ", "))
  end
  return nil
end

return sos
