-- expect: error: PLUGIN:12: stack overflow
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- Unbounded Lua recursion in a check.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "deep_recursion", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local function deeper(n) return 1 + deeper(n + 1) end
    deeper(1)
    return {}
  end } },
}
return agenda
