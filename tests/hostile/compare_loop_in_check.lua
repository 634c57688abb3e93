-- expect: error: PLUGIN:19: instruction budget exhausted (runaway loop?)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- Two long strings that differ only at the end, compared in a loop: each
-- comparison is one instruction that reads both strings (about a millisecond
-- for 10 MB), and nothing is allocated, so neither the count nor the memory
-- charge sees the work. Only the processor-time bound can end it, and it
-- must end it within the second a chair may wait.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "compare_loop_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local a = ("x"):rep(10e6) .. "a"
    local b = ("x"):rep(10e6) .. "b"
    local same = 0
    while a ~= b do same = same + 1 end
    return {}
  end } },
}
return agenda
