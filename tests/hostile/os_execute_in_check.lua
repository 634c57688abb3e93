-- expect:   - hostile: PLUGIN:12: attempt to call a nil value (field 'execute')
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- Only os.time, os.date and os.clock: no commands, files or exit mid-conference.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "os_execute_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    os.execute("touch confer-hostile-was-here")
    return {}
  end } },
}
return agenda
