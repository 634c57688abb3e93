-- expect:   - hostile: PLUGIN:13: attempt to call a nil value (global 'rawset')
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- rawset would write past read-only proxies into tables the REPL shares
-- with the plugin (the confer API, the string library).
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "rawset_shared", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    rawset(confer, "text", function() while true do end end)
    return {}
  end } },
}
return agenda
