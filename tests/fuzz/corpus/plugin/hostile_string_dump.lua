-- expect:   - hostile: PLUGIN:12: attempt to call a nil value (field 'dump')
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- string.dump makes bytecode, which could be edited and loaded later.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "string_dump", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local _ = string.dump(function() end)
    return {}
  end } },
}
return agenda
