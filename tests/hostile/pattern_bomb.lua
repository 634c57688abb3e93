-- expect: error: PLUGIN:13: instruction budget exhausted (runaway loop?)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- A backtracking pattern over a long subject, within the static bounds: the
-- matcher counts its steps against the budget.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "pattern_bomb", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    string.find(("a"):rep(5000), ".-.-.-.-b")
    return {}
  end } },
}
return agenda
