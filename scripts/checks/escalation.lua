-- checks/escalation.lua — a recommendation that differs from the decision
-- needs the disagreement and its escalation recorded.
local util = require "checks.util"

return {
  id = "escalation",
  run = function(conf)
    local out = {}
    if conf.decision == nil or (conf.escalation ~= nil and conf.escalation ~= "") then return out end
    for _, r in ipairs(conf:items("recommendation")) do
      if r.plan ~= conf.decision then
        out[#out + 1] = util.finding("checks.escalation", r.who, r.who, r.plan, conf.decision)
      end
    end
    return out
  end,
}
