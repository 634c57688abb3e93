-- expect:   - hostile: PLUGIN:14: C stack overflow
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- Metamethods that call each other through C (__index -> __concat -> __index...)
-- until the C stack is exhausted.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "cstack_metamethods", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local mt = {}
    mt.__index = function(t, k) return t .. k end
    mt.__concat = function(a, b) return a[b] end
    local _ = setmetatable({}, mt).x
    return {}
  end } },
}
return agenda
