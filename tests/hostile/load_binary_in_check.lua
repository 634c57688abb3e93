-- expect:   - hostile: PLUGIN:12: attempt to load a binary chunk (mode is 't')
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- Hand-made bytecode can break the VM's memory safety: load takes text only, even asked for "b".
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "load_binary_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local f, why = load("\27Lua\84\0\25\147\r\n\26\n\4\8\8" .. ("\0"):rep(64), "=x", "b") if not f then error(why) end
    return {}
  end } },
}
return agenda
