-- checks/report_self_report.lua — a strength that rests on a parent's own
-- account is not evidence of safety (Sefton: "do not rely on parental
-- self-report (disguised compliance)").
local R = require "checks.report_util"

local PARENT = { "mother", "father", "mum", "dad", "parents?", "carers?", "stepfather", "stepmother" }
local SAYS = { "says", "said", "reports", "reported", "told", "tells", "states", "stated", "assures",
               "assured", "confirms", "confirmed", "denies", "denied", "claims", "claimed" }

local patterns = {}
for _, p in ipairs(PARENT) do
  for _, v in ipairs(SAYS) do
    patterns[#patterns + 1] = "%f[%w]" .. p .. "%s+" .. v .. "%f[%W]"
    patterns[#patterns + 1] = "%f[%w]" .. p .. "%s+has%s+" .. v .. "%f[%W]"
  end
end

return {
  id = "report_self_report",
  run = function(report)
    local out = {}
    for _, s in ipairs(R.sections(report, "strengths")) do
      for _, text in ipairs(s.texts) do
        if R.matches(text, patterns) then
          out[#out + 1] = R.finding(s, "reports.check.self_report", text)
        end
      end
    end
    return out
  end,
}
