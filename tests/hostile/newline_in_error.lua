-- expect:   - hostile: PLUGIN:14: Example said one thing and then another ?[2Jxxxxxxxxxx*
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- Line breaks in a check's error, then 100,000 bytes: one line, clipped,
-- as docs/plugins.md promises (the rest must not look like the host's lines).
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "newline_in_error", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local rest = ("x"):rep(100000)
    error("Example said one thing\nand then another\n\27[2J" .. rest)
  end } },
}
return agenda
