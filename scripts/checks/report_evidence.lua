-- checks/report_evidence.lua — worries and strengths must say what kind of
-- information they are (fact, observation, allegation, opinion) and whose.
local R = require "checks.report_util"

-- Words that show a statement's kind or its source.
local MARKERS = {
  "%f[%w]said%f[%W]", "%f[%w]says%f[%W]", "%f[%w]told%f[%W]", "%f[%w]report", "%f[%w]observ",
  "%f[%w]saw%f[%W]", "%f[%w]seen%f[%W]", "%f[%w]record", "according to", "in my view", "in my opinion",
  "%f[%w]i think", "%f[%w]i believe", "%f[%w]alleg", "%f[%w]fact%f[%W]", "%f[%w]opinion",
  "source:", "%f[%w]register", "%f[%w]letter", "%f[%w]assessment",
}

return {
  id = "report_evidence",
  run = function(report)
    local out = {}
    for _, role in ipairs({ "worried", "strengths" }) do
      for _, s in ipairs(R.sections(report, role)) do
        for _, text in ipairs(s.texts) do
          if not R.matches(text, MARKERS) then
            out[#out + 1] = R.finding(s, "reports.check.no_source", text)
          end
        end
      end
    end
    return out
  end,
}
