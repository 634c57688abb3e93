-- expect:   - hostile: PLUGIN:13: not enough memory (plugin memory cap of 32 MiB reached)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- A memory bomb mid-conference: the cap ends the call, and the REPL carries
-- on in the same sandbox.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "memory_bomb_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(64) .. i end
    return {}
  end } },
}
return agenda
