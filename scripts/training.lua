-- training.lua — simulated conferences for training: scenario plans, the
-- scripted participants' lines, and the debrief.
--
-- A scenario (scripts/scenarios/*.lua) speaks in generic Signs of Safety
-- categories; this module maps them onto an authority's own names (one table,
-- CATEGORY_NAMES), turns each statement into the REPL command a good chair
-- would type, and after a session compares what was recorded with that model
-- answer. host/cmd_train.c drives it; every recording goes through the REPL.
-- All randomness comes from a seeded generator of our own, so a seed always
-- gives the same conferences.
local checks = require "checks.all"

local T = {}

-- The generic categories a scenario may use and, in order of preference, the
-- names an agenda may give them. The first name the agenda declares wins.
local CATEGORY_NAMES = {
  past_harm = { "past_harm", "harm" },
  harm = { "harm", "past_harm" },
  future_danger = { "future_danger", "harm" },
  complicating_factors = { "complicating_factors" },
  strengths = { "strengths", "existing_strengths" },
  existing_strengths = { "existing_strengths", "strengths" },
  existing_safety = { "existing_safety" },
}

-- The column each entry verb belongs to.
local COLUMN_OF = { worry = "worried", good = "working_well" }

-- The marker note that ties a stored conference to its scenario (chair-only).
local MARKER = "training scenario: "

---------------------------------------------------------------------------
-- A seeded generator (xorshift64*), independent of math.random
---------------------------------------------------------------------------

-- The generator is a table holding its state, so shuffle can step it in a
-- loop of its own: a call per number cost more than the arithmetic.
local MULTIPLIER = 0x2545F4914F6CDD1D
local function generator(seed)
  return { state = (seed * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) | 1 }
end

-- The next number of G in [0, 2^53).
local function next_number(g)
  local x = g.state
  x = x ~ (x >> 12)
  x = x ~ (x << 25)
  x = x ~ (x >> 27)
  g.state = x
  return (x * MULTIPLIER) >> 11
end

-- An integer in [lo, hi].
local function between(g, lo, hi) return lo + next_number(g) % (hi - lo + 1) end

-- Shuffles LIST in place (Fisher-Yates), drawing what between(g, 1, i) would.
local function shuffle(list, g)
  local x = g.state
  for i = #list, 2, -1 do
    x = x ~ (x >> 12)
    x = x ~ (x << 25)
    x = x ~ (x >> 27)
    local j = 1 + ((x * MULTIPLIER) >> 11) % i
    list[i], list[j] = list[j], list[i]
  end
  g.state = x
end

---------------------------------------------------------------------------
-- Scenarios and agendas
---------------------------------------------------------------------------

local function copy(v)
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = copy(x) end
  return t
end

-- Scenario NAME (a file in scripts/scenarios/) as loaded once: not to be changed.
local function scenario_source(name)
  if type(name) ~= "string" or not name:match("^[a-z_]+$") then
    error(confer.text("training.unknown_scenario", tostring(name)), 0)
  end
  local ok, s = pcall(require, "scenarios." .. name)
  if not ok or type(s) ~= "table" then error(confer.text("training.unknown_scenario", name), 0) end
  return s
end

-- The agenda's own name for generic CATEGORY in COLUMN.
function T.category(agenda, column, category)
  local declared = {}
  for _, c in ipairs(agenda.columns[column]) do declared[c] = true end
  for _, name in ipairs(CATEGORY_NAMES[category] or { category }) do
    if declared[name] then return name end
  end
  return agenda.columns[column][1]
end

-- The agenda section a statement is spoken in: its own section if the agenda
-- has it, else the first section expecting that kind of record, else the last.
local function section_for(agenda, statement)
  for _, s in ipairs(agenda.sections) do
    if s.id == statement.section then return s.id end
  end
  for _, s in ipairs(agenda.sections) do
    for _, r in ipairs(s.records or {}) do
      if r == statement.record.verb then return s.id end
    end
  end
  return agenda.sections[#agenda.sections].id
end

-- A copy of V with the surname FROM (no pattern characters) replaced by TO in every string.
local function rename(v, from, to)
  if type(v) == "string" then return v:find(from, 1, true) and (v:gsub(from, to)) or v end
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = rename(x, from, to) end
  return t
end

local SURNAMES = { "Example", "Sample", "Specimen", "Placeholder", "Testcase", "Mockford", "Dummyson" }
local renamed = {}   -- source -> surname -> its renamed copy: made once, shared, never changed
local function shallow(t) local c = {}; for k, x in pairs(t) do c[k] = x end; return c end
local group   -- group(statements) of a renamed copy, by section: defined below T.start
-- Scale statement ST with SCORE: a copy made once per score (three at most)
-- and shared, like every other statement, by the variants that draw it.
local scored_copies = setmetatable({}, { __mode = "k" })
local function scored(st, score)
  if score == st.record.score then return st end
  local copies = scored_copies[st] or {}
  scored_copies[st] = copies
  if copies[score] == nil then
    local c = shallow(st)
    c.record = shallow(st.record)
    c.record.score = score
    copies[score] = c
  end
  return copies[score]
end

-- SOURCE varied for VARIANT > 0, sharing with it (and other variants) what it does not change:
-- the order of statements within each section, the family's surname and each score by up to one.
local function vary(source, variant, seed)
  local g = generator(seed * 1000003 + variant)
  local surname = SURNAMES[between(g, 1, #SURNAMES)]
  renamed[source] = renamed[source] or { Example = source }
  renamed[source][surname] = renamed[source][surname] or rename(source, "Example", surname)
  local s = shallow(renamed[source][surname])
  local parts, lists, n = group(s.statements), {}, 0
  for _, id in ipairs(parts.order) do lists[id] = { table.unpack(parts.by_section[id]) } end
  for _, at in ipairs(parts.scales) do   -- its copy with its score, in statement order
    local st = lists[at[1]][at[2]]
    local score = math.max(0, math.min(10, st.record.score + between(g, -1, 1)))
    lists[at[1]][at[2]] = scored(st, score)
  end
  s.statements = { table.unpack(s.statements) }   -- at its size: every place is filled again
  for _, id in ipairs(parts.order) do
    shuffle(lists[id], g)
    for _, st in ipairs(lists[id]) do n = n + 1; s.statements[n] = st end
  end
  return s
end

-- Refuses to play scenario NAME under AUTHORITY when an action links a worry
-- the agenda has it record in the action's own section or a later one
-- (SECTION_OF: statement id, and each statement itself -> section id): a section's commands are made
-- before any is run, so the action could find no worry id to name, and the
-- chair would be told only that "W0" is not one.
local function check_links(agenda, authority, name, statements, section_of)
  local position = {}
  for i, section in ipairs(agenda.sections) do position[section.id] = i end
  for _, st in ipairs(statements) do
    for _, linked in ipairs(st.record.verb == "action" and st.record.links or {}) do
      local at = section_of[linked]
      if at ~= nil and position[at] >= position[section_of[st]] then
        error(confer.text("training.worries_not_mapped", authority, name), 0)
      end
    end
  end
end

-- Starts a session: scenario NAME under AUTHORITY, the trainee playing ROLE ("simulate": nobody;
-- "chair"; or an agency's name). VARIANT 0 is the scenario as written.
local sections_of = setmetatable({}, { __mode = "k" })   -- agenda -> section -> verb -> section_for's answer
function T.start(name, authority, role, seed, variant)
  local s = (variant or 0) > 0 and vary(scenario_source(name), variant, seed or 0) or T.scenario(name)
  local agenda = require(authority)
  local plan = { name = name, scenario = s, agenda = agenda, role = role or "simulate",
                 type = s.type, date = s.date, by_section = {} }
  if plan.role ~= "simulate" and plan.role ~= "chair" then
    local found = false
    for _, p in ipairs(s.people) do if p.agency == plan.role then found = true end end
    if not found then error(confer.text("training.unknown_role", plan.role, name), 0) end
  end
  -- Where a statement goes depends only on its section and verb: found once per agenda.
  local placed = sections_of[agenda] or {}
  sections_of[agenda] = placed
  local by_section, section_of = plan.by_section, {}
  for _, st in ipairs(s.statements) do
    local section = st.section or false   -- a key even when the scenario names no section
    local verbs = placed[section]
    if verbs == nil then verbs = {}; placed[section] = verbs end
    local verb = st.record.verb
    local id = verbs[verb]
    if id == nil then id = section_for(agenda, st); verbs[verb] = id end
    local list = by_section[id]
    if list == nil then list = {}; by_section[id] = list end
    list[#list + 1] = st
    if st.id ~= nil then section_of[st.id] = id end
    section_of[st] = id   -- its own section, found by the statement: an action may have no id
  end
  check_links(agenda, authority, name, s.statements, section_of)
  plan.last_section = agenda.sections[#agenda.sections].id
  return plan
end

-- The STATEMENTS of a renamed copy by section: BY_SECTION (id -> list), ORDER (the
-- sections as first spoken) and SCALES (each scale's section and place, in statement
-- order). Made once per copy: a variant copies each list at its size instead of growing one.
local grouped = setmetatable({}, { __mode = "k" })
function group(statements)
  if grouped[statements] then return grouped[statements] end
  local by_section, order, scales = {}, {}, {}
  for _, st in ipairs(statements) do
    if by_section[st.section] == nil then by_section[st.section] = {}; order[#order + 1] = st.section end
    local list = by_section[st.section]
    list[#list + 1] = st
    if st.record.verb == "scale" then scales[#scales + 1] = { st.section, #list } end
  end
  grouped[statements] = { by_section = by_section, order = order, scales = scales }
  return grouped[statements]
end

-- Loads scenario NAME as a fresh copy.
function T.scenario(name) return copy(scenario_source(name)) end

---------------------------------------------------------------------------
-- The model answer as REPL commands
---------------------------------------------------------------------------

-- A field as a command takes it ("|" escaped). A string's form is kept: the
-- same names and texts come back in every conference `--count` makes, and a
-- table lookup costs less than searching the text again. Dropped whole when large.
local field_texts, field_count = {}, 0
local function field(v)
  if type(v) ~= "string" then return v and tostring(v) or "" end
  local known = field_texts[v]
  if known then return known end
  local s = v:find("|", 1, true) and v:gsub("|", "\\|") or v
  if field_count >= 4096 then field_texts, field_count = {}, 0 end
  field_texts[v] = s
  field_count = field_count + 1
  return s
end

-- VERB and its fields joined by " | ", empty fields at the end left out
-- (one table.concat: joining a field at a time copied the line once per field).
local function line(verb, ...)
  local fields, n = { ... }, select("#", ...)
  while n > 0 and field(fields[n]) == "" do n = n - 1 end
  for i = 1, n do fields[i] = field(fields[i]) end
  return field(verb) .. " " .. table.concat(fields, " | ", 1, n)
end

local function statement_text(st) return st.record.text or st.says end

local function find_statement(plan, id)
  for _, st in ipairs(plan.scenario.statements) do if st.id == id then return st end end
end

-- The live worry recorded for statement ID (matched by its model text).
local function worry_id(plan, conf, id, seen)
  local st = find_statement(plan, id)
  if st == nil then return nil end
  seen.worries = seen.worries or conf:items("worry")
  local text = statement_text(st)
  for _, w in ipairs(seen.worries) do   -- the words as recorded (the simulated chair's): cheap to compare
    if not w.withdrawn and w.text == text then return w.id end
  end
  for _, w in ipairs(seen.worries) do
    if not w.withdrawn and T.same_words(w.text, text) then return w.id end
  end
end

-- The REPL command recording statement ST as a good chair would. SEEN, if
-- given, keeps what was read of CONF for the next statement while CONF stays as it is.
function T.command(plan, conf, st, seen)
  seen = seen or {}
  local r = st.record
  local column = COLUMN_OF[r.verb]
  if column then
    return line(r.verb, T.category(plan.agenda, column, r.category), statement_text(st), r.kind, r.source)
  elseif r.verb == "danger" or r.verb == "goal" or r.verb == "escalation" then
    return line(r.verb, statement_text(st))
  elseif r.verb == "scale" then
    return line("scale", r.who, r.score, r.why)
  elseif r.verb == "recommend" then
    return line("recommend", r.who, r.plan, r.why)
  elseif r.verb == "decide" then
    return line("decide", r.plan, table.concat(r.categories or {}, ", "))
  elseif r.verb == "action" then
    local ids = {}
    for _, id in ipairs(r.links) do ids[#ids + 1] = worry_id(plan, conf, id, seen) or "W0" end
    return line("action", statement_text(st), r.owner, r.due, table.concat(ids, ", "), r.outcome)
  end
  error("statement " .. tostring(st.id) .. ": unknown verb " .. tostring(r.verb), 0)
end

-- T.command's line for statement ST, made once per agenda for the statements
-- the variants of `simulate --count` share (a scale's copy for each score
-- too): not actions, whose lines name the worry ids of their conference.
local commands_of = setmetatable({}, { __mode = "k" })
local function command_for(plan, conf, st, seen)
  if st.record.verb == "action" then return T.command(plan, conf, st, seen) end
  local known = commands_of[plan.agenda]
  if known == nil then
    known = setmetatable({}, { __mode = "k" })
    commands_of[plan.agenda] = known
  end
  local text = known[st]
  if text == nil then
    text = T.command(plan, conf, st)
    known[st] = text
  end
  return text
end

-- The lines that introduce the family and professionals, and the marker: made
-- once for the children and people the variants of one surname share. The
-- list returned is shared too: read it, do not change it.
local intros = setmetatable({}, { __mode = "k" })   -- people -> { children =, name =, lines = }
function T.intro(plan)
  local s = plan.scenario
  local known = intros[s.people]
  if known and known.children == s.children and known.name == plan.name then return known.lines end
  local out = {}
  for _, c in ipairs(s.children) do out[#out + 1] = line("child", c.name, c.dob) end
  for _, p in ipairs(s.people) do out[#out + 1] = line("person", p.name, p.role, p.agency) end
  out[#out + 1] = line("restricted", MARKER .. plan.name)
  intros[s.people] = { children = s.children, name = plan.name, lines = out }
  return out
end

local function agency_of(plan, name)
  for _, p in ipairs(plan.scenario.people) do if p.name == name then return p.agency end end
end

-- What happens in SECTION: SAID, the scripted words to show a trainee (and
-- the follow-up a good chair would get by asking), and COMMANDS, what the
-- simulated chair records now. LAST is true in the agenda's last section.
function T.section(plan, conf, section)
  local said, commands, seen = {}, {}, {}
  for _, st in ipairs(plan.by_section[section] or {}) do
    if st.by == "chair" then
      -- The chair's own part: the trainee's job when they chair, else simulated.
      if plan.role ~= "chair" then commands[#commands + 1] = command_for(plan, conf, st, seen) end
      goto continue
    end
    local mine = plan.role ~= "simulate" and plan.role ~= "chair" and agency_of(plan, st.by) == plan.role
    if plan.role ~= "simulate" and not mine then
      said[#said + 1] = confer.text("training.says", st.by, st.says)
      if st.asked then said[#said + 1] = confer.text("training.if_asked", st.asked) end
    end
    if plan.role ~= "chair" and not mine then commands[#commands + 1] = command_for(plan, conf, st, seen) end
    if mine then said[#said + 1] = confer.text("training.your_turn", st.says) end
    ::continue::
  end
  return { said = said, commands = commands, last = section == plan.last_section }
end

---------------------------------------------------------------------------
-- The record printed by `confer simulate`
---------------------------------------------------------------------------

function T.record(conf)
  local out = { "# " .. confer.text("training.record.title", conf.authority, conf.type, conf.date), "" }
  local function add(s) out[#out + 1] = s end
  local function entries(heading, types)
    add("## " .. confer.text(heading))
    for _, ty in ipairs(types) do
      for _, it in ipairs(conf:items(ty)) do
        if not it.withdrawn then
          local detail = {}
          if it.category then detail[#detail + 1] = it.category end
          if it.kind then detail[#detail + 1] = it.kind end
          if it.source then detail[#detail + 1] = it.source end
          if it.owner then detail[#detail + 1] = it.owner .. ", " .. it.due .. ", " .. table.concat(it.worries, " ") end
          add(string.format("- %s %s%s", it.id, it.text,
                            #detail > 0 and " (" .. table.concat(detail, "; ") .. ")" or ""))
        end
      end
    end
    add("")
  end
  entries("training.record.worried", { "worry" })
  entries("training.record.working_well", { "good" })
  entries("training.record.needs", { "danger", "goal", "action" })
  add("## " .. confer.text("training.record.scaling"))
  for _, s in ipairs(conf:items("scale")) do add(string.format("- %s: %d", s.who, s.score)) end
  add("")
  add("## " .. confer.text("training.record.decision"))
  for _, rec in ipairs(conf:items("recommendation")) do add(string.format("- %s: %s", rec.who, rec.plan)) end
  add("- " .. confer.text("training.record.chair_decides", tostring(conf.decision),
                          table.concat(conf.categories or {}, ", ")))
  return table.concat(out, "\n") .. "\n"
end

---------------------------------------------------------------------------
-- The debrief
---------------------------------------------------------------------------

-- The words of S (a set, not to be changed, and how many), each text split
-- once: the simulated chair and the debrief compare the same texts again and
-- again. The cache is dropped whole when it grows large.
local word_sets, cached = {}, 0
local function words(s)
  s = tostring(s or "")
  local known = word_sets[s]
  if known then return known[1], known[2] end
  local set, n = {}, 0
  for w in s:lower():gmatch("[%w']+") do
    if not set[w] then set[w] = true; n = n + 1 end
  end
  if cached >= 4096 then word_sets, cached = {}, 0 end
  word_sets[s] = { set, n }
  cached = cached + 1
  return set, n
end

-- True when A and B say much the same (at least 60% of the words of the
-- longer one in common): a trainee rarely types the speaker's exact words.
function T.same_words(a, b)
  local wa, na = words(a)
  local wb, nb = words(b)
  local common = 0
  for w in pairs(wa) do if wb[w] then common = common + 1 end end
  local longer = math.max(na, nb)
  return longer > 0 and common / longer >= 0.6
end

-- The recorded item of statement ST: the live item of its kind whose text
-- (or, for scales and recommendations, whose participant) matches.
local ITEM_TYPE = { worry = "worry", good = "good", danger = "danger", goal = "goal", action = "action",
                    scale = "scale", recommend = "recommendation" }

local function recorded_item(conf, st, used)
  local r = st.record
  if r.verb == "decide" then return conf.decision and { plan = conf.decision, categories = conf.categories } end
  if r.verb == "escalation" then return conf.escalation and { text = conf.escalation } end
  local candidates = {}
  if COLUMN_OF[r.verb] then
    for _, ty in ipairs({ "worry", "good" }) do
      for _, it in ipairs(conf:items(ty)) do candidates[#candidates + 1] = it end
    end
  else
    candidates = conf:items(ITEM_TYPE[r.verb])
  end
  for _, it in ipairs(candidates) do
    if not it.withdrawn and not used[it.id or ""] then
      local match
      if r.verb == "scale" or r.verb == "recommend" then match = it.who == r.who
      else match = T.same_words(it.text, statement_text(st)) or T.same_words(it.text, st.says) end
      if match then
        if it.id then used[it.id] = true end
        return it
      end
    end
  end
end

local function set_of(list)
  local s = {}
  for _, v in ipairs(list or {}) do s[v] = true end
  return s
end

-- The model answer's expectations of one statement, each true/false.
local function judge(plan, conf, st, item, found_of)
  local r = st.record
  local j = { recorded = item ~= nil }
  if item == nil then return j end
  local column = COLUMN_OF[r.verb]
  if column then
    j.column = (item.column == column)
    j.category = (item.category == T.category(plan.agenda, column, r.category))
    j.kind = (item.kind == r.kind)
  elseif r.verb == "decide" then
    j.kind = (item.plan == r.plan)
  elseif r.verb == "action" then
    local links = set_of(item.worries)
    local linked = true
    for _, id in ipairs(r.links) do
      local w = found_of[id]
      if w == nil or not links[w.id] then linked = false end
    end
    j.category = linked
    j.kind = (item.owner == r.owner and item.due == r.due)
  end
  return j
end

-- Whether the trainee caught SLIP of statement ST recorded as ITEM.
local CATCH = {
  jargon = function(_, item, slip)
    return item.text ~= nil and not item.text:lower():find(slip.term:lower(), 1, true)
  end,
  allegation_as_fact = function(_, item) return item.kind == "allegation" end,
  opinion_without_source = function(_, item)
    return item.kind == "opinion" and item.source ~= nil and item.source ~= ""
  end,
  self_report_as_evidence = function(_, item) return item.kind ~= nil and item.kind ~= "fact" and item.kind ~= "observation" end,
  action_without_worry = function(j) return j.category == true end,
  action_without_owner_or_date = function(j) return j.kind == true end,
  missing_child_voice = function() return true end,
}

-- The debrief of CONF against its scenario: statements, slips, checks, scores.
function T.debrief(conf, name)
  local plan = T.start(name, conf.authority, "chair", 0, 0)
  local statements, slips, used, found_of = {}, {}, {}, {}
  local areas = { recorded = { 0, 0 }, column = { 0, 0 }, category = { 0, 0 }, kind = { 0, 0 },
                  slips = { 0, 0 } }
  for _, st in ipairs(plan.scenario.statements) do
    local item = recorded_item(conf, st, used)
    found_of[st.id] = item
    local j = judge(plan, conf, st, item, found_of)
    statements[#statements + 1] = { id = st.id, by = st.by, says = st.says, item = item and (item.id or item.who or item.plan) or nil,
                                    recorded = j.recorded, column = j.column, category = j.category,
                                    kind = j.kind }
    for _, area in ipairs({ "recorded", "column", "category", "kind" }) do
      if j[area] ~= nil then
        areas[area][2] = areas[area][2] + 1
        if j[area] then areas[area][1] = areas[area][1] + 1 end
      end
    end
    if st.slip then
      local caught = item ~= nil and CATCH[st.slip.type](j, item, st.slip) or false
      slips[#slips + 1] = { statement = st.id, type = st.slip.type, caught = caught,
                            advice = confer.text("training.slip." .. st.slip.type) }
      areas.slips[2] = areas.slips[2] + 1
      if caught then areas.slips[1] = areas.slips[1] + 1 end
    end
  end
  local findings = checks.run(conf, plan.agenda)
  local score = {}
  for area, n in pairs(areas) do score[area] = n[2] == 0 and 100 or math.floor(100 * n[1] / n[2] + 0.5) end
  score.checks = math.max(0, 100 - 10 * #findings)
  return { scenario = name, authority = conf.authority, conference = conf.id,
           statements = statements, slips = slips, checks = findings, scores = score }
end

local AREAS = { "recorded", "column", "category", "kind", "slips", "checks" }

local function mark(v)
  if v == nil then return "-" end
  return v and confer.text("training.yes") or confer.text("training.no")
end

function T.markdown(d)
  local out = {}
  local function add(s) out[#out + 1] = s end
  add("# " .. confer.text("training.debrief.title", d.scenario, d.authority, tostring(d.conference)))
  add("")
  add("## " .. confer.text("training.debrief.statements"))
  add("")
  add("| " .. confer.text("training.debrief.columns") .. " |")
  add("|---|---|---|---|---|---|---|")
  for _, s in ipairs(d.statements) do
    add(string.format("| %s | %s | %s | %s | %s | %s | %s |", s.id, s.by, s.item or "-",
                      mark(s.recorded), mark(s.column), mark(s.category), mark(s.kind)))
  end
  add("")
  add("## " .. confer.text("training.debrief.slips"))
  add("")
  for _, s in ipairs(d.slips) do
    add(string.format("- %s %s: %s. %s", s.statement, s.type,
                      s.caught and confer.text("training.caught") or confer.text("training.missed"), s.advice))
  end
  add("")
  add("## " .. confer.text("training.debrief.checks"))
  add("")
  if #d.checks == 0 then add(confer.text("training.debrief.no_findings")) end
  for _, f in ipairs(d.checks) do add("- " .. f.check .. ": " .. f.message) end
  add("")
  add("## " .. confer.text("training.debrief.scores"))
  add("")
  for _, area in ipairs(AREAS) do
    add(string.format("- %s: %d%%", confer.text("training.area." .. area), d.scores[area]))
  end
  return table.concat(out, "\n") .. "\n"
end

-- A small JSON encoder with sorted keys, so the same debrief is the same bytes.
local function json(v)
  local t = type(v)
  if t == "nil" then return "null" end
  if t == "boolean" then return tostring(v) end
  if t == "number" then return math.type(v) == "integer" and tostring(v) or string.format("%.17g", v) end
  if t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c)
      local named = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t" }
      return named[c] or string.format("\\u%04x", c:byte())
    end) .. '"'
  end
  if #v > 0 or next(v) == nil and getmetatable(v) == "array" then
    local parts = {}
    for i = 1, #v do parts[i] = json(v[i]) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = json(k) .. ":" .. json(v[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function T.json(d)
  local copy_d = copy(d)
  if #copy_d.checks == 0 then copy_d.checks = setmetatable({}, { __metatable = "array" }) end
  if #copy_d.slips == 0 then copy_d.slips = setmetatable({}, { __metatable = "array" }) end
  return json(copy_d) .. "\n"
end

-- The scenario a stored conference was played from (its marker note), or nil.
function T.scenario_of(conf)
  for _, n in ipairs(conf:items("restricted")) do
    local name = n.text:match("^" .. MARKER .. "([a-z_]+)$")
    if name then return name end
  end
end

-- `confer check`: the practice checks' findings as lines.
function T.check_lines(conf)
  local agenda = require(conf.authority)
  local out = {}
  for _, f in ipairs(checks.run(conf, agenda)) do out[#out + 1] = f.check .. ": " .. f.message end
  return out
end

return T
