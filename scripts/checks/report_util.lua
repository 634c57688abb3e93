-- checks/report_util.lua — what the agency report checks share: headings by
-- their role, quoting, and one finding line per problem.
local util = require "checks.util"
local R = { has_phrase = util.has_phrase }

-- Form heading ids by the role the report checks give them.
R.roles = {
  worried = { worried = true },
  strengths = { working_well = true, going_well = true },
  summary = { worried = true, working_well = true, going_well = true, why_it_matters = true,
              needs_to_happen = true, needs_to_change = true },
  needs = { needs_to_happen = true, needs_to_change = true },
  lived = { lived_experience = true, wishes_feelings = true },
}

-- The sections of REPORT whose heading has ROLE.
function R.sections(report, role)
  local out = {}
  for _, s in ipairs(report.sections) do
    if R.roles[role][s.id] then out[#out + 1] = s end
  end
  return out
end

-- TEXT cut to about 80 bytes on a word boundary, for quoting.
function R.quote(text)
  if #text <= 80 then return text end
  local cut = text:sub(1, 80):match("^(.*)%s") or text:sub(1, 80)
  return cut .. "…"
end

-- A finding: "HEADING: message", the message from KEY with the quote and extra arguments.
function R.finding(section, key, text, ...)
  return section.title .. ": " .. confer.text(key, R.quote(text), ...)
end

-- A finding whose message is the form of KEY's plural entry for the count N.
function R.plural_finding(section, key, n, text, ...)
  return section.title .. ": " .. confer.plural(key, n, R.quote(text), ...)
end

-- True when lower-cased TEXT matches any Lua pattern in PATTERNS.
function R.matches(text, patterns)
  local t = " " .. text:lower() .. " "
  for _, p in ipairs(patterns) do
    if t:find(p) then return true end
  end
  return false
end

return R
