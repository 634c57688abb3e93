-- checks/report_narrative.lua — a narrative of events where the form asks for
-- a summary (Sefton: "A summary of your concerns, not a narrative of
-- events"): too many words under the heading, or a list of dated events.
local R = require "checks.report_util"

local MAX_WORDS = 250   -- about half a page under one heading
local MAX_DATED = 3     -- three dated paragraphs read as a chronology

local MONTHS = "january february march april may june july august september october november december"

-- True when TEXT names a date: 3/4/2024, 2024-04-03, 3 April or April 3.
local function dated(text)
  local t = text:lower()
  if t:find("%d%d?/%d%d?/%d%d") or t:find("%d%d%d%d%-%d%d%-%d%d") then return true end
  for month in MONTHS:gmatch("%a+") do
    if t:find("%d%d?%a*%s+" .. month) or t:find(month .. "%s+%d%d?%f[%D]") then return true end
  end
  return false
end

return {
  id = "report_narrative",
  run = function(report)
    local out = {}
    for _, s in ipairs(R.sections(report, "summary")) do
      local words, dates, first_dated = 0, 0, nil
      for _, text in ipairs(s.texts) do
        for _ in text:gmatch("%S+") do words = words + 1 end
        if dated(text) then
          dates = dates + 1
          first_dated = first_dated or text
        end
      end
      if dates >= MAX_DATED then
        out[#out + 1] = R.plural_finding(s, "reports.check.chronology", dates, first_dated, dates)
      elseif words > MAX_WORDS then
        out[#out + 1] = R.plural_finding(s, "reports.check.too_long", words, s.texts[1], words, MAX_WORDS)
      end
    end
    return out
  end,
}
