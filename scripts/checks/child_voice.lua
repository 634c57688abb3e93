-- checks/child_voice.lua — the child's own words or views are recorded: an
-- entry whose source names a child (by full or first name).
local util = require "checks.util"

local function from_child(source, children)
  if source == nil then return false end
  for _, c in ipairs(children) do
    local first = c.name:match("^(%S+)")
    if util.has_phrase(source, c.name) or (first and util.has_phrase(source, first)) then return true end
  end
  return false
end

return {
  id = "child_voice",
  run = function(conf)
    local children = conf:live("child")
    if #children == 0 then return {} end
    for _, ty in ipairs({ "worry", "good" }) do
      for _, it in ipairs(conf:live(ty)) do
        if from_child(it.source, children) then return {} end
      end
    end
    return { util.finding("checks.child_voice", children[1].name, children[1].name) }
  end,
}
