-- expect:   - hostile: PLUGIN:13: attempt to index a boolean value
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- getmetatable("") would reach the string metatable shared with the host;
-- the sandbox gives false.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "string_metatable", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    getmetatable("").__index.format = function() return "forged" end
    return {}
  end } },
}
return agenda
