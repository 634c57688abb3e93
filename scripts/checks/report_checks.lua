-- checks/report_checks.lua — runs every agency report check on one report.
-- `confer report add|check` call run(agenda, report) with REPORT =
-- { agency =, received =, sections = { { id =, title =, texts = {...} } } }
-- and print the finding lines it returns, each naming the heading and
-- quoting the words.
local M = {}

M.checks = {
  require "checks.report_jargon", require "checks.report_evidence",
  require "checks.report_self_report", require "checks.report_narrative",
  require "checks.report_lived_experience", require "checks.report_links",
}

function M.run(agenda, report)
  local out = {}
  for _, check in ipairs(M.checks) do
    for _, line in ipairs(check.run(report, agenda)) do out[#out + 1] = line end
  end
  return out
end

return M
