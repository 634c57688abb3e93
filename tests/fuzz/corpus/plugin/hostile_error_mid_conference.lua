-- expect:   - hostile: PLUGIN:13: the leaflet lost page 2
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- A check that fails mid-conference: the chair sees the plugin's line and
-- carries on.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "error_mid_conference", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    error("the leaflet lost page 2")
    return {}
  end } },
}
return agenda
