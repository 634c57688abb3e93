-- expect:   - hostile: PLUGIN:13: setmetatable: __gc metamethods are not allowed in plugins
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- A finalizer made mid-conference would run with hooks off, out of the budget's
-- reach: setmetatable refuses __gc in a check as at load.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "gc_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    setmetatable({}, {__gc = function() while true do end end})
    return {}
  end } },
}
return agenda
