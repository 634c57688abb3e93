-- expect:   - hostile: PLUGIN:13: bad argument #1 to 'setmetatable' (table expected, got confer.Conference)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- The chair's conference is host userdata: its metatable cannot be replaced
-- (nor is it readable: getmetatable gives a string).
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "setmetatable_conf", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    setmetatable(conf, {__index = function() return "forged" end})
    return {}
  end } },
}
return agenda
