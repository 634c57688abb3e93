-- checks/danger.lua — danger statements, safety goals and scaling form a
-- trio: a danger statement needs a goal and a scale to measure progress by.
local util = require "checks.util"

return {
  id = "danger",
  run = function(conf)
    local out = {}
    local dangers = conf:live("danger")
    if #dangers == 0 then return out end
    if #conf:live("goal") < #dangers then
      local goals = #conf:live("goal")
      out[#out + 1] = util.finding("checks.danger.goal", dangers[#dangers].text,
                                   confer.plural("checks.danger.dangers", #dangers, #dangers),
                                   confer.plural("checks.danger.goals", goals, goals))
    end
    if #conf:items("scale") == 0 then
      out[#out + 1] = util.finding("checks.danger.scaling", dangers[1].text)
    end
    return out
  end,
}
