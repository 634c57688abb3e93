-- checks/all.lua — the practice checks, run together on any conference
-- (training or real) by `confer check`, the training debrief and, later,
-- agency report checks. Each check is its own file in scripts/checks/
-- returning { id = ..., run = function(conf, agenda) -> findings }, each
-- finding { key = message key, message = text, words = the offending words }.
local M = {}

M.list = {
  require "checks.jargon", require "checks.evidence", require "checks.actions",
  require "checks.danger", require "checks.child_voice", require "checks.scaling_spread",
  require "checks.escalation", require "checks.timescales",
}

-- Every finding of every check on CONF under AGENDA, in check order, each
-- with the check's id in `check`.
function M.run(conf, agenda)
  local out = {}
  for _, c in ipairs(M.list) do
    for _, f in ipairs(c.run(conf, agenda)) do
      f.check = c.id
      out[#out + 1] = f
    end
  end
  return out
end

return M
