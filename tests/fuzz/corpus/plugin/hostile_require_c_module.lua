-- expect:   - hostile: PLUGIN:12: module 'lsqlite3' not found in the plugin path: *
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- require of a C module would run native code in the chair's process.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "require_c_module", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    local lib = require("lsqlite3")
    return {}
  end } },
}
return agenda
