-- expect: error: PLUGIN:14: instruction budget exhausted (runaway loop?)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- A __len that claims a billion elements: table.insert shifts them all up
-- one by one in C, where the hook never fires (27 s of processor time).
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "table_insert_len", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local t = setmetatable({}, {__len = function() return 1e9 end})
    table.insert(t, 1, "Example")
    return {}
  end } },
}
return agenda
