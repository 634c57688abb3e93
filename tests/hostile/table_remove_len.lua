-- expect: error: PLUGIN:14: instruction budget exhausted (runaway loop?)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- table.remove shifts down as far as __len says, one element at a time in
-- C, where the hook never fires (31 s of processor time for a billion).
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "table_remove_len", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local t = setmetatable({}, {__len = function() return 1e9 end})
    table.remove(t, 1)
    return {}
  end } },
}
return agenda
