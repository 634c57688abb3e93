-- expect: error: PLUGIN:16: instruction budget exhausted (runaway loop?)
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 1
-- A string grown one character at a time: few instructions, each copying the
-- whole string, and each old string garbage, so the memory cap is never
-- reached. Unless the copying is charged to the budget, it runs on for the
-- processor-time backstop, as comparing long strings does (compare_loop_in_check).
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "concat_loop_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local s = "x"
    while true do s = s .. "x" end
  end } },
}
return agenda
