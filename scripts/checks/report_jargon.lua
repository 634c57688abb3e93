-- checks/report_jargon.lua — glossary jargon in a report: the family reads it
-- before the meeting, in their own words or not at all.
local R = require "checks.report_util"

return {
  id = "report_jargon",
  run = function(report, agenda)
    local out = {}
    for _, s in ipairs(report.sections) do
      for _, text in ipairs(s.texts) do
        for _, g in ipairs(agenda.glossary or {}) do
          if R.has_phrase(text, g.term) then
            out[#out + 1] = R.finding(s, "reports.check.jargon", text, g.term, confer.text(g.plain))
          end
        end
      end
    end
    return out
  end,
}
