-- render/document.lua — the record as a list of blocks, for every audience, in no format.
--
-- The Markdown and HTML writers (render/record_md.lua, render/record_html.lua)
-- lay out the same blocks, so the words and their order are decided here once.
-- A block is one of:
--   { "h", LEVEL, TEXT }                      a heading (levels in order, 1 first)
--   { "p", TEXT }                             a paragraph
--   { "list", { TEXT, ... } }                 a bulleted list
--   { "table", CAPTION, { HEADER, ... }, { { CELL, ... }, ... } }
--   { "columns", { { BLOCK, ... }, ... } }    side by side on a screen (the whiteboard)
-- Texts are plain; the writers escape them. Only what the view holds can
-- appear: the audience's filtering is render/view.lua's alone.

local view = require "render.view"

local T = confer.text
local document = {}

-- Adds block B to DOC.
local function add(doc, b) doc[#doc + 1] = b end

local function joined(list, sep)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  return table.concat(out, sep or ", ")
end

local function child_names(v)
  local names = {}
  for _, c in ipairs(v.children) do names[#names + 1] = c.name end
  if #names == 0 then return T("record.no_children") end
  if #names == 1 then return names[1] end
  return T("record.and", table.concat(names, ", ", 1, #names - 1), names[#names])
end

local function title_line(v)
  return T("record.conference_line", T("record.type." .. v.conference.type),
           view.long_date(v.conference.date), v.conference.chair or T("record.unknown"))
end

-- When the record was made: the close time, so every run gives the same bytes.
local function status_line(v)
  if v.conference.closed_at == nil then return T("record.status.open") end
  return T("record.status.closed", v.conference.closed_at)
end

local function empty_or(list, none_key, build)
  if #list == 0 then return { "p", T(none_key) } end
  return build()
end

---------------------------------------------------------------------------
-- The record of the meeting (room and chair)
---------------------------------------------------------------------------

local function entry_table(v, caption, list)
  local rows = {}
  for _, e in ipairs(list) do
    -- Three cells, not five, so the columns stay readable side by side.
    local about = { e.category_title }
    if e.kind ~= nil then about[#about + 1] = T("record.kind." .. e.kind) end
    if e.source ~= nil then about[#about + 1] = e.source end
    rows[#rows + 1] = { e.id, e.text, table.concat(about, "; ") }
  end
  return empty_or(list, "record.none", function()
    return { "table", caption, { T("record.th.id"), T("record.th.said"), T("record.th.about") }, rows }
  end)
end

local function numbered(list)
  local out = {}
  for _, item in ipairs(list) do out[#out + 1] = T("record.numbered", item.id, item.text) end
  return out
end

local function needs_column(v)
  local col = { { "h", 3, T("record.column.needs") }, { "h", 4, T("record.safety_goals") } }
  add(col, empty_or(v.safety_goals, "record.none", function() return { "list", numbered(v.safety_goals) } end))
  add(col, { "h", 4, T("record.next_steps") })
  add(col, empty_or(v.actions, "record.none", function() return { "list", numbered(v.actions) } end))
  return col
end

local function people_table(v)
  local rows = {}
  for _, p in ipairs(v.participants) do rows[#rows + 1] = { p.name, p.role or "", p.agency or "" } end
  return empty_or(rows, "record.none", function()
    return { "table", T("record.attendees"), { T("record.th.name"), T("record.th.role"),
                                                T("record.th.agency") }, rows }
  end)
end

-- Those invited who sent apologies: "Pat Example (GP, health)", for the family "Pat Example, GP".
local function apology_list(v, family)
  return empty_or(v.apologies, "record.none", function()
    local out = {}
    for _, p in ipairs(v.apologies) do
      out[#out + 1] = family and T("record.family.person", p.name, p.role) or
                      T("record.who", p.name, p.role, p.agency)
    end
    return { "list", out }
  end)
end

local function children_table(v)
  local rows = {}
  for _, c in ipairs(v.children) do rows[#rows + 1] = { c.name, c.dob and view.long_date(c.dob) or "" } end
  return empty_or(rows, "record.none", function()
    return { "table", T("record.children"), { T("record.th.name"), T("record.th.dob") }, rows }
  end)
end

local function scaling_table(v)
  local rows = {}
  for _, s in ipairs(v.scaling) do rows[#rows + 1] = { view.who(v, s.who), tostring(s.score), s.why or "" } end
  return empty_or(rows, "record.none", function()
    return { "table", T("record.scaling.caption"), { T("record.th.who"), T("record.th.score"),
                                                     T("record.th.why") }, rows }
  end)
end

local function recommendation_table(v)
  local rows = {}
  for _, r in ipairs(v.recommendations) do
    rows[#rows + 1] = { view.who(v, r.who), view.plan_title(r.plan), r.why or "" }
  end
  return empty_or(rows, "record.none", function()
    return { "table", T("record.recommendations"), { T("record.th.who"), T("record.th.recommends"),
                                                     T("record.th.why") }, rows }
  end)
end

local function decision_text(v, agenda)
  local d = v.decision
  local text = view.plan_title(d.plan)
  if #d.categories > 0 then
    local titles = {}
    for i, id in ipairs(d.categories) do titles[i] = view.category_title(agenda, id) end
    text = T("record.decision.with_categories", text, table.concat(titles, "; "))
  end
  return text
end

local function action_table(v, caption)
  local rows = {}
  for _, a in ipairs(v.actions) do
    rows[#rows + 1] = { a.id, a.text, a.owner or "", a.due and view.long_date(a.due) or "",
                        joined(a.worries), a.outcome or "" }
  end
  return empty_or(rows, "record.none", function()
    return { "table", caption, { T("record.th.id"), T("record.th.action"), T("record.th.owner"),
                                 T("record.th.due"), T("record.th.worries"), T("record.th.outcome") }, rows }
  end)
end

local function core_group_text(v)
  local cg = v.core_group
  local members = #cg.members > 0 and joined(cg.members) or T("record.core_group.none")
  if cg.date == nil then return T("record.core_group.members", members) end
  return T("record.core_group.by", members, view.long_date(cg.date))
end

local function review_text(v)
  if v.review_due == nil then return T("record.review.none") end
  return T("record.review.by", view.long_date(v.review_due))
end

local function chair_section(doc, v)
  add(doc, { "h", 2, T("record.chair_only") })
  add(doc, { "p", T("record.chair_only.note") })
  add(doc, { "h", 3, T("record.restricted") })
  add(doc, empty_or(v.restricted, "record.none", function() return { "list", numbered(v.restricted) } end))
  add(doc, { "h", 3, T("record.withdrawn") })
  local rows = {}
  for _, w in ipairs(v.withdrawn) do rows[#rows + 1] = { w.id, w.text or "", w.reason or "" } end
  add(doc, empty_or(rows, "record.none", function()
    return { "table", T("record.withdrawn"), { T("record.th.id"), T("record.th.text"),
                                               T("record.th.reason") }, rows }
  end))
  add(doc, { "h", 3, T("record.amended") })
  rows = {}
  for _, a in ipairs(v.amended) do rows[#rows + 1] = { a.id, joined(a.previous, " / ") } end
  add(doc, empty_or(rows, "record.none", function()
    return { "table", T("record.amended"), { T("record.th.id"), T("record.th.previous") }, rows }
  end))
end

function document.record(v, agenda)
  local doc = {}
  add(doc, { "h", 1, T("record.title", v.authority.name) })
  add(doc, { "p", title_line(v) })
  add(doc, { "p", status_line(v) })
  add(doc, { "h", 2, T("record.children") })
  add(doc, children_table(v))
  add(doc, { "h", 2, T("record.attendees") })
  add(doc, people_table(v))
  add(doc, { "h", 2, T("record.apologies") })
  add(doc, apology_list(v))
  add(doc, { "h", 2, T("record.mapping") })
  add(doc, { "columns", {
    { { "h", 3, T("record.column.worried") }, entry_table(v, T("record.column.worried"), v.worried) },
    { { "h", 3, T("record.column.working_well") },
      entry_table(v, T("record.column.working_well"), v.working_well) },
    needs_column(v),
  } })
  add(doc, { "h", 2, T("record.danger_statements") })
  add(doc, empty_or(v.danger_statements, "record.none",
                    function() return { "list", numbered(v.danger_statements) } end))
  add(doc, { "h", 2, T("record.scaling") })
  add(doc, { "p", T("record.scaling.explain") })
  add(doc, scaling_table(v))
  add(doc, { "h", 2, T("record.recommendations") })
  add(doc, recommendation_table(v))
  add(doc, { "h", 2, T("record.decision") })
  add(doc, { "p", decision_text(v, agenda) })
  if v.escalation ~= nil then
    add(doc, { "h", 3, T("record.escalation") })
    add(doc, { "p", v.escalation })
  end
  add(doc, { "h", 2, T("record.plan") })
  add(doc, { "h", 3, T("record.actions") })
  add(doc, action_table(v, T("record.actions")))
  add(doc, { "h", 3, T("record.bottom_lines") })
  add(doc, empty_or(v.bottom_lines, "record.none", function() return { "list", numbered(v.bottom_lines) } end))
  add(doc, { "h", 3, T("record.plan_rules") })
  add(doc, empty_or(v.plan_rules, "record.none", function() return { "list", numbered(v.plan_rules) } end))
  add(doc, { "h", 3, T("record.core_group") })
  add(doc, { "p", core_group_text(v) })
  add(doc, { "h", 3, T("record.review") })
  add(doc, { "p", review_text(v) })
  if v.audience == "chair" then chair_section(doc, v) end
  return doc
end

---------------------------------------------------------------------------
-- The family's version: plain words, no ids or codes
---------------------------------------------------------------------------

-- "Dai goes to the anger course each week (Dai Testington, by Monday 30 June 2025)."
local function action_sentence(agenda, a)
  return T("record.family.action", view.plain(agenda, a.text), a.owner or T("record.unknown"),
           a.due and view.long_date(a.due) or T("record.unknown"))
end

local function plain_list(agenda, list)
  local out = {}
  for _, item in ipairs(list) do out[#out + 1] = view.plain(agenda, item.text) end
  return out
end

local function family_people(v)
  local out = {}
  for _, p in ipairs(v.participants) do
    out[#out + 1] = p.role and T("record.family.person", p.name, p.role) or p.name
  end
  return out
end

function document.family(v, agenda)
  local doc = {}
  local P = function(text) return view.plain(agenda, text) end
  add(doc, { "h", 1, T("record.family.title", child_names(v)) })
  add(doc, { "p", T("record.family.intro", view.long_date(v.conference.date), child_names(v),
                    v.conference.chair or T("record.unknown")) })
  add(doc, { "h", 2, T("record.family.who_came") })
  add(doc, empty_or(v.participants, "record.none", function() return { "list", family_people(v) } end))
  if #v.apologies > 0 then
    add(doc, { "h", 2, T("record.family.apologies") })
    add(doc, apology_list(v, true))
  end
  add(doc, { "h", 2, T("record.family.worries") })
  local rows = {}
  for _, w in ipairs(v.worried) do
    local next_steps = {}
    for _, a in ipairs(view.actions_for(v, w.id)) do next_steps[#next_steps + 1] = action_sentence(agenda, a) end
    local said = w.source and T("record.family.said_by", P(w.text), w.source) or P(w.text)
    rows[#rows + 1] = { said, #next_steps > 0 and table.concat(next_steps, " ") or T("record.family.no_step") }
  end
  add(doc, empty_or(rows, "record.none", function()
    return { "table", T("record.family.worries"), { T("record.family.th.worry"), T("record.family.th.next") }, rows }
  end))
  add(doc, { "h", 2, T("record.family.working_well") })
  add(doc, empty_or(v.working_well, "record.none", function() return { "list", plain_list(agenda, v.working_well) } end))
  add(doc, { "h", 2, T("record.family.danger") })
  add(doc, empty_or(v.danger_statements, "record.none",
                    function() return { "list", plain_list(agenda, v.danger_statements) } end))
  add(doc, { "h", 2, T("record.family.goals") })
  add(doc, empty_or(v.safety_goals, "record.none", function() return { "list", plain_list(agenda, v.safety_goals) } end))
  add(doc, { "h", 2, T("record.family.scaling") })
  add(doc, { "p", T("record.scaling.explain") })
  local scales = {}
  for _, s in ipairs(v.scaling) do
    scales[#scales + 1] = T("record.family.scale", view.who(v, s.who), s.score)
  end
  add(doc, empty_or(scales, "record.none", function() return { "list", scales } end))
  add(doc, { "h", 2, T("record.family.decision") })
  add(doc, { "p", T("record.family.decision." .. (v.decision.plan or "pending"), child_names(v)) })
  if #v.decision.categories > 0 then
    local plain = {}
    for i, id in ipairs(v.decision.categories) do plain[i] = P(view.category_title(agenda, id)) end
    add(doc, { "p", T("record.family.because", table.concat(plain, "; ")) })
  end
  if v.escalation ~= nil then add(doc, { "p", T("record.family.escalation", P(v.escalation)) }) end
  add(doc, { "h", 2, T("record.family.who_does_what") })
  rows = {}
  for _, a in ipairs(v.actions) do
    rows[#rows + 1] = { a.owner or "", P(a.text), a.due and view.long_date(a.due) or "", P(a.outcome) or "" }
  end
  add(doc, empty_or(rows, "record.none", function()
    return { "table", T("record.family.who_does_what"), { T("record.family.th.who"), T("record.family.th.what"),
                                                          T("record.family.th.when"), T("record.family.th.so_that") }, rows }
  end))
  add(doc, { "h", 2, T("record.family.bottom_lines") })
  add(doc, empty_or(v.bottom_lines, "record.none", function() return { "list", plain_list(agenda, v.bottom_lines) } end))
  add(doc, { "h", 2, T("record.family.rules") })
  add(doc, empty_or(v.plan_rules, "record.none", function() return { "list", plain_list(agenda, v.plan_rules) } end))
  add(doc, { "h", 2, T("record.family.next") })
  add(doc, { "p", core_group_text(v) })
  add(doc, { "p", review_text(v) })
  add(doc, { "p", status_line(v) })
  return doc
end

---------------------------------------------------------------------------
-- The child's version: words and pictures style, short sentences, no scores
---------------------------------------------------------------------------

local function safety_people(v)
  local out = {}
  for _, p in ipairs(v.participants) do
    if p.agency == "network" then out[#out + 1] = T("record.child.safety_person", p.name, p.role or "") end
  end
  return out
end

function document.child(v, agenda)
  local doc = {}
  local P = function(text) return view.plain(agenda, text) end
  add(doc, { "h", 1, T("record.child.title", child_names(v)) })
  add(doc, { "p", T("record.child.intro", view.long_date(v.conference.date)) })
  add(doc, { "h", 2, T("record.child.worried") })
  local worried = {}
  for _, d in ipairs(v.danger_statements) do worried[#worried + 1] = P(d.text) end
  add(doc, empty_or(worried, "record.child.nothing", function() return { "list", worried } end))
  add(doc, { "h", 2, T("record.child.wanted") })
  add(doc, empty_or(v.safety_goals, "record.child.nothing", function() return { "list", plain_list(agenda, v.safety_goals) } end))
  add(doc, { "h", 2, T("record.child.helping") })
  local helping = {}
  for _, a in ipairs(v.actions) do
    helping[#helping + 1] = T("record.child.will", a.owner or T("record.unknown"), P(a.text))
  end
  add(doc, empty_or(helping, "record.child.nothing", function() return { "list", helping } end))
  add(doc, { "h", 2, T("record.child.next") })
  add(doc, { "p", v.review_due and T("record.child.meet_again", view.long_date(v.review_due))
                   or T("record.child.no_meeting") })
  add(doc, { "h", 2, T("record.child.safety_people") })
  add(doc, empty_or(safety_people(v), "record.child.ask", function() return { "list", safety_people(v) } end))
  return doc
end

-- The blocks for V's audience.
function document.build(v, agenda)
  if v.audience == "family" then return document.family(v, agenda) end
  if v.audience == "child" then return document.child(v, agenda) end
  return document.record(v, agenda)
end

return document
