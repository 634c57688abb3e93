-- expect: error: PLUGIN:13: instruction budget exhausted (runaway loop?)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- A runaway __index metamethod, reached by the host's own table walk
-- (ipairs) as well as by the plugin.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "loop_in_index", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local t = setmetatable({}, {__index = function() while true do end end})
    for _ in ipairs(t) do end
    return {}
  end } },
}
return agenda
