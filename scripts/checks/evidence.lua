-- checks/evidence.lua — mapped entries without a kind or a source where the
-- authority requires both: the room must know who says so and how they know.
local util = require "checks.util"

return {
  id = "evidence",
  run = function(conf, agenda)
    local out = {}
    if not (agenda.evidence and agenda.evidence.required) then return out end
    for _, ty in ipairs({ "worry", "good" }) do
      for _, it in ipairs(conf:live(ty)) do
        if it.kind == nil or it.kind == "" then
          out[#out + 1] = util.finding("checks.evidence.kind", it.text, it.id)
        end
        if it.source == nil or it.source == "" then
          out[#out + 1] = util.finding("checks.evidence.source", it.text, it.id)
        end
      end
    end
    return out
  end,
}
