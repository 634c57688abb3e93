-- render/view.lua — what one audience may see of a conference, and the plan's dates.
--
-- Every renderer (render/record_md.lua, record_html.lua, record_json.lua) is
-- given a view built here and never the conference itself, so the rule
-- "restricted notes, withdrawn entries' old text and chair-only matters never
-- reach the room, the family or the child" is enforced in this one file:
-- view.build copies only what the audience may see. The chair's view adds the
-- restricted notes, the withdrawn entries (with their reasons) and the texts
-- amendments replaced. Chair-only matters are the entries of the categories
-- the agenda lists in `chair_only.categories` (docs/plugins.md): for every
-- other audience they are left out of the columns, and the actions no longer
-- name them (the action itself stays: the family still has to know what to do).
-- The live board (host/board.c) applies the same rule to what it serves.
--
-- The view's fields and their order are those of docs/record-schema.json.
-- Texts a person reads are catalogue keys (locales/en_GB/record.po).

local view = {}

view.audiences = { chair = true, room = true, family = true, child = true }

-- The title of category ID as the authority names it (its catalogue key), or ID itself.
function view.category_title(agenda, id)
  local key = agenda.categories and agenda.categories[id]
  if key ~= nil and confer.has_text(key) then return confer.text(key) end
  return id
end

-- "Monday 7 April 2025" for "2025-04-07", in the record's language (confer.date); nil stays nil
-- and anything that is not a date is shown as it was recorded.
function view.long_date(date)
  if date == nil or not date:match("^%d%d%d%d%-%d%d%-%d%d$") then return date end
  return confer.date(date)
end

-- The set of category ids the agenda keeps for the chair alone.
function view.chair_only_categories(agenda)
  local set = {}
  for _, id in ipairs(agenda.chair_only and agenda.chair_only.categories or {}) do set[id] = true end
  return set
end

local function entries(agenda, items, hidden)
  local out = {}
  for _, item in ipairs(items) do
    if not hidden[item.category] then
      out[#out + 1] = { id = item.id, category = item.category,
                        category_title = view.category_title(agenda, item.category),
                        text = item.text, kind = item.kind, source = item.source }
    end
  end
  return out
end

local function texts(items)
  local out = {}
  for _, item in ipairs(items) do out[#out + 1] = { id = item.id, text = item.text } end
  return out
end

local function people(items, with_dob)
  local out = {}
  for _, item in ipairs(items) do
    out[#out + 1] = { id = item.id, name = item.name, role = item.role, agency = item.agency,
                      dob = with_dob and item.dob or nil }
  end
  return out
end

local function scaling(items)
  local out = {}
  for _, item in ipairs(items) do
    out[#out + 1] = { who = item.who, score = item.score, why = item.why }
  end
  return out
end

local function recommendations(items)
  local out = {}
  for _, item in ipairs(items) do
    out[#out + 1] = { who = item.who, plan = item.plan, why = item.why }
  end
  return out
end

-- SHOWN: the ids of the worries this audience may see; an action names no other.
local function actions(items, shown)
  local out = {}
  for _, item in ipairs(items) do
    local worries = {}
    for _, id in ipairs(item.worries or {}) do
      if shown[id] then worries[#worries + 1] = id end
    end
    out[#out + 1] = { id = item.id, text = item.text, owner = item.owner, due = item.due,
                      worries = worries, outcome = item.outcome }
  end
  return out
end

-- The review and core group dates: only a child protection plan has them
-- (first review within 3 months of an initial conference, later ones within 6;
-- the core group by the authority's timescale, base "10 working days after").
-- The dates the chair set (`reviewdate`, `coregroupdate`) come first.
function view.plan_dates(agenda, conf)
  if conf.decision ~= "cp" then return nil, nil end
  local review, core_group = view.latest_dates(agenda, conf)
  return conf.review_date or review, conf.core_group_date or core_group
end

-- The latest review and core group dates the authority's timescales allow.
function view.latest_dates(agenda, conf)
  local t = agenda.timescales or {}
  local review_phrase = conf.type == "initial" and (t.first_review or "3 months after")
                        or (t.later_review or "6 months after")
  return confer.calendar.deadline(conf.date, review_phrase),
         confer.calendar.deadline(conf.date, t.core_group or "10 working days after")
end

-- What only the chair sees: restricted notes, withdrawn entries, replaced texts.
local function chair_only(conf)
  local restricted, withdrawn, amended = {}, {}, {}
  for _, item in ipairs(conf:items()) do
    if item.type == "restricted" and not item.withdrawn then
      restricted[#restricted + 1] = { id = item.id, text = item.text }
    elseif item.withdrawn then
      withdrawn[#withdrawn + 1] = { id = item.id, type = item.type,
                                    text = item.text or item.name or item.who,
                                    reason = item.withdraw_reason }
    end
    if item.previous ~= nil and not item.withdrawn then
      amended[#amended + 1] = { id = item.id, previous = item.previous }
    end
  end
  return restricted, withdrawn, amended
end

-- view.build(agenda, conf, audience) -> the view for AUDIENCE (chair, room, family, child).
function view.build(agenda, conf, audience)
  assert(view.audiences[audience], "unknown audience")
  local categories = {}
  for i, id in ipairs(conf.categories) do categories[i] = id end
  local review_due, core_group_date = view.plan_dates(agenda, conf)
  local hidden = audience == "chair" and {} or view.chair_only_categories(agenda)
  local shown = {}
  for _, w in ipairs(conf:items("worry")) do shown[w.id] = not hidden[w.category] end
  local v = {
    audience = audience,
    authority = { id = agenda.id, name = agenda.name },
    conference = { id = conf.id, type = conf.type, date = conf.date, chair = conf.chair,
                   closed_at = conf.closed_at },
    children = people(conf:live("child"), true),
    participants = people(conf:live("person"), false),
    apologies = people(conf:live("apology"), false),
    worried = entries(agenda, conf:live("worry"), hidden),
    working_well = entries(agenda, conf:live("good"), hidden),
    danger_statements = texts(conf:live("danger")),
    safety_goals = texts(conf:live("goal")),
    scaling = scaling(conf:live("scale")),
    recommendations = recommendations(conf:live("recommendation")),
    decision = { plan = conf.decision, categories = categories },
    escalation = conf.escalation,
    actions = actions(conf:live("action"), shown),
    bottom_lines = texts(conf:live("bottom_line")),
    plan_rules = texts(conf:live("rule")),
    core_group = { members = conf.core_group, date = core_group_date },
    review_due = review_due,
  }
  if audience == "chair" then
    v.restricted, v.withdrawn, v.amended = chair_only(conf)
  end
  return v
end

-- The worry with ID in V (nil when it is not shown to this audience).
function view.worry(v, id)
  for _, w in ipairs(v.worried) do
    if w.id == id then return w end
  end
  return nil
end

-- The actions of V that answer worry ID.
function view.actions_for(v, id)
  local out = {}
  for _, a in ipairs(v.actions) do
    for _, w in ipairs(a.worries) do
      if w == id then out[#out + 1] = a; break end
    end
  end
  return out
end

-- The participant (person or child) named NAME in V, or nil.
function view.person(v, name)
  for _, list in ipairs({ v.children, v.participants }) do
    for _, p in ipairs(list) do
      if p.name == name then return p end
    end
  end
  return nil
end

-- "Cara Sample (social worker, children's services)"; the IRO's scale is the chair's.
function view.who(v, name)
  if name == "iro" then return confer.text("record.who.iro") end
  local p = view.person(v, name)
  if p == nil or p.role == nil then return name end
  return confer.text("record.who", name, p.role, p.agency)
end

-- The plan's words: "Child Protection plan" etc.
function view.plan_title(plan)
  if plan == nil then return confer.text("record.decision.none_yet") end
  return confer.text("record.plan." .. plan)
end

-- Replaces each glossary term in TEXT (whole words, any case) with its plain words.
function view.plain(agenda, text)
  if text == nil then return nil end
  for _, entry in ipairs(agenda.glossary or {}) do
    local pattern = view.term_pattern(entry.term)
    text = text:gsub(pattern, function(before) return before .. confer.text(entry.plain) end)
  end
  return text
end

-- A Lua pattern matching TERM as whole words in any case; capture 1 is the character before it.
function view.term_pattern(term)
  local body = term:gsub("%a", function(c) return "[" .. c:lower() .. c:upper() .. "]" end)
  body = body:gsub("[%-%.%+%*%?%(%)%%]", "%%%0")
  return "(%f[%w])" .. body .. "%f[%W]"
end

-- The glossary terms still in TEXT (for the family version's check).
function view.jargon_left(agenda, text)
  local found = {}
  for _, entry in ipairs(agenda.glossary or {}) do
    if text:find(view.term_pattern(entry.term)) then found[#found + 1] = entry.term end
  end
  return found
end

return view
