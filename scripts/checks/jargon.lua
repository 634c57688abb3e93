-- checks/jargon.lua — jargon from the authority's glossary in any entry: say
-- what behaviour worries us, in words the family uses.
local util = require "checks.util"

local TYPES = { "worry", "good", "danger", "goal", "action", "bottom_line", "rule" }

return {
  id = "jargon",
  run = function(conf, agenda)
    local out = {}
    for _, ty in ipairs(TYPES) do
      for _, it in ipairs(conf:live(ty)) do
        for _, g in ipairs(agenda.glossary or {}) do
          if util.has_phrase(it.text, g.term) then
            out[#out + 1] = util.finding("checks.jargon", g.term, it.id, g.term, confer.text(g.plain))
          end
        end
      end
    end
    return out
  end,
}
