-- checks/report_links.lua — each "what needs to happen" item must answer a
-- worry (Sefton: "Actions need to link clearly to what we are worried
-- about"): it shares a significant word with one, or names one ("W2").
local R = require "checks.report_util"

local COMMON = {}
for w in ("about after again being could every their there these those which while would should " ..
          "child children family parent parents worry worried needs happen agency continue ensure " ..
          "support weekly months"):gmatch("%a+") do COMMON[w] = true end

-- The significant words (five letters or more, not common) of TEXT as a set.
local function words(text)
  local set = {}
  for w in text:lower():gmatch("%a+") do
    if #w >= 5 and not COMMON[w] then set[w:sub(1, 6)] = true end   -- a crude stem: drink/drinking
  end
  return set
end

return {
  id = "report_links",
  run = function(report)
    local worry_words = {}
    for _, s in ipairs(R.sections(report, "worried")) do
      for _, text in ipairs(s.texts) do
        for w in pairs(words(text)) do worry_words[w] = true end
      end
    end
    local out = {}
    for _, s in ipairs(R.sections(report, "needs")) do
      for _, text in ipairs(s.texts) do
        local linked = text:find("%f[%w]W%d+%f[%W]") ~= nil
        for w in pairs(words(text)) do linked = linked or worry_words[w] end
        if not linked then out[#out + 1] = R.finding(s, "reports.check.not_linked", text) end
      end
    end
    return out
  end,
}
