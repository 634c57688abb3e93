-- expect: error: end hook: PLUGIN:12: instruction budget exhausted (runaway loop?)
-- input: end!
-- events: conference.closed
-- status: 1
-- The end hook runs once the close is durable: a loop there is stopped and
-- the close stays recorded.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "loop_in_end_hook", name = "Hostile", source = "tests: hostile plugins",
  hooks = {
    ["end"] = function(conf)
      while true do end
    end,
  },
}
return agenda
