-- expect:   - hostile: PLUGIN:12: attempt to index a nil value (global 'io')
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- No io library in a check: a plugin cannot write a file mid-conference.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "io_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local f = io.open("confer-hostile-was-here", "w")
    f:write("escaped")
    return {}
  end } },
}
return agenda
