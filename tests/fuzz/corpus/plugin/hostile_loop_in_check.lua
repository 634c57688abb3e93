-- expect: error: PLUGIN:12: instruction budget exhausted (runaway loop?)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- A check that passes `plugins check` (empty conference) and runs away once
-- something is mapped: the budget stops it and the REPL carries on.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "loop_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "runaway", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") > 0 then while true do end end
    return {}
  end } },
}
return agenda
