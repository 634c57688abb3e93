-- expect: error: PLUGIN:13: instruction budget exhausted (runaway loop?)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- Runs away inside a coroutine and resumes it again and again to swallow
-- the budget error: the budget ends the whole call.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "loop_in_coroutine", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local co = coroutine.wrap(function() while true do coroutine.yield() end end)
    while true do pcall(co) end
    return {}
  end } },
}
return agenda
