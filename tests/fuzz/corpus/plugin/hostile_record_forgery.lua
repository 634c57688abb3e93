-- expect:   - hostile: PLUGIN:13: this conference is read-only here
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- A check tries to record an event on the chair's conference: the record
-- is read-only to plugins.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "record_forgery", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    conf:record("entry.mapped", { column = "worried", category = "past_harm", text = "forged" })
    return {}
  end } },
}
return agenda
