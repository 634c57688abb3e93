-- report_pull.lua — an agency's report as entries of the chair's mapping
-- (`pull AGENCY` in the REPL), so what the agency wrote is not typed twice.
--
-- The texts under the report's worry headings become worries, those under its
-- strength headings strengths (the headings' roles are the report checks':
-- checks/report_util.lua). A text that ends "(KIND, SOURCE)" or "(KIND)", as
-- the report form asks, keeps that kind and source; otherwise its source is
-- the agency. A text already mapped (the same words in the same column) is
-- named, not mapped again, so a second pull adds only what is new; a text the
-- report gives twice in one column is one entry. A category named that is not
-- the column's refuses the whole pull, so nothing is mapped half.
local R = require "checks.report_util"
local sos = require "signs_of_safety"

local pull = {}

local KINDS = { fact = true, observation = true, allegation = true, opinion = true }

-- "Text (kind, source)." -> "Text", "kind", "source"; without a known kind, TEXT alone.
function pull.split(text)
  local body, inside = text:match("^(.-)%s*(%b())%s*%.?%s*$")
  if body == nil or body == "" then return text end
  local kind, source = inside:match("^%(%s*(%a+)%s*,%s*(.-)%s*%)$")
  if kind == nil then kind = inside:match("^%(%s*(%a+)%s*%)$") end
  if kind == nil or not KINDS[kind:lower()] then return text end
  if source == "" then source = nil end
  return body, kind:lower(), source
end

-- The id of the live entry of COLUMN with TEXT, or nil.
local function mapped(conf, column, text)
  for _, item in ipairs(conf:items(column == "worried" and "worry" or "good")) do
    if not item.withdrawn and item.text == text then return item.id end
  end
  return nil
end

-- nil if CATEGORY (nil: none named) is one of COLUMN's, else the base's one-line error.
local function unknown_category(agenda, column, category)
  if category == nil then return nil end
  return sos.unknown_category(agenda, column, category)
end

-- What `pull` records from REPORT (the report.received payload: {agency,
-- sections = {heading id = {texts}}}) with OPTIONS {worry =, good =}, the
-- categories to use (else each column's first): a list of {column, category,
-- text, kind, source, mapped}, worries first, headings in id order; or, when
-- a category named is not its column's, the error as a string.
function pull.entries(agenda, conf, report, options)
  local wrong = unknown_category(agenda, "worried", options.worry) or
                unknown_category(agenda, "working_well", options.good)
  if wrong then return wrong end
  local out = {}
  local seen = { worried = {}, working_well = {} }
  local ids = {}
  for id in pairs(report.sections or {}) do ids[#ids + 1] = id end
  table.sort(ids)
  for _, want in ipairs({ { role = "worried", column = "worried", option = "worry" },
                          { role = "strengths", column = "working_well", option = "good" } }) do
    local category = options[want.option] or agenda.columns[want.column][1]
    for _, id in ipairs(ids) do
      if R.roles[want.role][id] then
        for _, raw in ipairs(report.sections[id]) do
          local text, kind, source = pull.split(raw)
          if not seen[want.column][text] then
            seen[want.column][text] = true
            out[#out + 1] = { column = want.column, category = category, text = text, kind = kind,
                              source = source or report.agency, mapped = mapped(conf, want.column, text) }
          end
        end
      end
    end
  end
  return out
end

return pull
