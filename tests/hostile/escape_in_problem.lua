-- expect:   - ?[2J?[3;1HExample? said nothing ?]8;;http://example.invalid?\
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- Escape sequences in the problems a check returns (not an error): clearing
-- the screen, moving the cursor, a DEL and a hyperlink. Each shows as '?'.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "escape_in_problem", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    return { "\27[2J\27[3;1HExample\127 said nothing \27]8;;http://example.invalid\27\\" }
  end } },
}
return agenda
