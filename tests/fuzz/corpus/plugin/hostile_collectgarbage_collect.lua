-- expect:   - hostile: PLUGIN:13: bad argument #1 to 'collectgarbage' (only "count" is allowed in plugins)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- A full collection on every check would stall the chair (and stop would let
-- garbage grow): only "count" is allowed.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "collectgarbage_collect", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    collectgarbage("collect")
    return {}
  end } },
}
return agenda
