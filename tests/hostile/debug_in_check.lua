-- expect:   - hostile: PLUGIN:12: attempt to index a nil value (global 'debug')
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- No debug library in a check: debug.sethook would remove the budget mid-conference.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "debug_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    debug.sethook()
    return {}
  end } },
}
return agenda
