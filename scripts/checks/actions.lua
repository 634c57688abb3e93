-- checks/actions.lua — SMART actions: each linked to a live worry, with an
-- owner, a date and the child's outcome.
local util = require "checks.util"

return {
  id = "actions",
  run = function(conf)
    local out = {}
    for _, a in ipairs(conf:live("action")) do
      local linked = false
      for _, id in ipairs(a.worries or {}) do
        local w = conf:item(id)
        if w and not w.withdrawn then linked = true end
      end
      if not linked then out[#out + 1] = util.finding("checks.actions.worry", a.text, a.id) end
      if a.owner == nil or a.owner == "" then out[#out + 1] = util.finding("checks.actions.owner", a.text, a.id) end
      if a.due == nil or a.due == "" then out[#out + 1] = util.finding("checks.actions.due", a.text, a.id) end
      if a.outcome == nil or a.outcome == "" then
        out[#out + 1] = util.finding("checks.actions.outcome", a.text, a.id)
      end
    end
    return out
  end,
}
