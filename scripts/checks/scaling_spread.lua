-- checks/scaling_spread.lua — participants' scales 4 or more apart: a
-- difference the room should talk about.
local util = require "checks.util"

return {
  id = "scaling_spread",
  run = function(conf)
    local low, high
    for _, s in ipairs(conf:items("scale")) do
      if s.who ~= "iro" then
        if low == nil or s.score < low.score then low = s end
        if high == nil or s.score > high.score then high = s end
      end
    end
    if low == nil or high.score - low.score < 4 then return {} end
    return { util.finding("checks.scaling_spread", low.who .. ", " .. high.who,
                          low.who, low.score, high.who, high.score) }
  end,
}
