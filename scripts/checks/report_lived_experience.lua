-- checks/report_lived_experience.lua — the report must say what life is like
-- for the child: what they say, show or feel, seen alone where possible.
local R = require "checks.report_util"

local CHILD_VOICE = {
  "%f[%w]said%f[%W]", "%f[%w]says%f[%W]", "%f[%w]told%f[%W]", "%f[%w]tells%f[%W]", "%f[%w]drew%f[%W]",
  "%f[%w]show", "%f[%w]wants?%f[%W]", "%f[%w]wish", "%f[%w]feels?%f[%W]", "%f[%w]felt%f[%W]",
  "%f[%w]behaviour", "%f[%w]cri[ed]", "%f[%w]smil", "%f[%w]play", "seen alone", "%f[%w]worried about",
  "%f[%w]scared", "%f[%w]happy", "%f[%w]upset",
}
local PLACEHOLDER = { "^%s*n/?a%s*%.?%s*$", "^%s*none%s*%.?%s*$", "^%s*not known%s*%.?%s*$",
                      "^%s*not applicable%s*%.?%s*$", "^%s*%-+%s*$", "^%s*tbc%s*$" }

-- What a parent says is not the child's voice ("Mother says she has stopped
-- drinking"), but a child may speak of a parent ("scared when Dad shouts"):
-- only a parent followed by a verb of saying is a parent's words.
local PARENT = {}
for _, who in ipairs { "mother", "father", "mum", "dad", "parents?", "carers?" } do
  for _, verb in ipairs { "says", "said", "tells", "told", "reports", "reported", "thinks",
                          "believes", "feels", "felt" } do
    PARENT[#PARENT + 1] = "%f[%w]" .. who .. "%s+" .. verb .. "%f[%W]"
  end
end

-- The first text of SECTIONS that speaks of the child, or nil.
local function voice(sections)
  for _, s in ipairs(sections) do
    for _, text in ipairs(s.texts) do
      if R.matches(text, CHILD_VOICE) and not R.matches(text, PLACEHOLDER) and
         not R.matches(text, PARENT) then return text end
    end
  end
  return nil
end

return {
  id = "report_lived_experience",
  run = function(report)
    local lived = R.sections(report, "lived")
    if #lived > 0 then
      if voice(lived) then return {} end
      return { R.finding(lived[1], "reports.check.no_lived_experience", lived[1].texts[1]) }
    end
    if voice(report.sections) then return {} end
    return { confer.text("reports.check.no_lived_experience_anywhere") }
  end,
}
