-- expect:   - hostile: PLUGIN:12: attempt to index a nil value (global 'package')
-- input: end
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: entry.mapped
-- status: 0
-- No package library in a check: package.loadlib would run native code.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "package_in_check", name = "Hostile", source = "tests: hostile plugins",
  checks = { { id = "hostile", message = "sos.check.actions_smart", check = function(conf)
    if conf:count("worried") == 0 then return {} end
    package.loadlib("libc.so.6", "system")("touch confer-hostile-was-here")
    return {}
  end } },
}
return agenda
