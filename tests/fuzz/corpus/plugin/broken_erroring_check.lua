-- expect: erroring_check.lua:4: check 'counts_scores' failed: 
-- A practice check that fails on an empty conference (a nil scale list).
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "erroring_check", name = "Erroring check", source = "tests: broken plugins",
  checks = {
    { id = "counts_scores", message = "sos.check.actions_smart",
      check = function(conf)
        local scores = nil
        return { "scores: " .. #scores .. " " .. conf.id }
      end },
  },
}
return agenda
