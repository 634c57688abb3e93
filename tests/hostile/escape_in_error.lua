-- expect:   - hostile: PLUGIN:14: Example?]0;retitled?? [2J? [6n end
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- Escape sequences in a check's error: an OSC that retitles the window, a C1
-- CSI (U+009B) that clears the screen, and a request the terminal answers
-- with bytes the REPL would read as typed. Each control character shows as '?'.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "escape_in_error", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    error("Example\27]0;retitled\7\194\155 [2J\27 [6n end")
  end } },
}
return agenda
