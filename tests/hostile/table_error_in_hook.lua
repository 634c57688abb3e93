-- expect:   error: the mapping section's enter function failed: PLUGIN:16: (error object is a table value)
-- input: next!
-- input: worry past_harm | Seen again at school | fact | Sam Sample
-- events: section.entered entry.mapped
-- status: 0
-- A section's enter function that raises a plain table (no __tostring):
-- the chair sees the plugin's line that raised it, not "table: 0x...".
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "table_error_in_hook", name = "Hostile", source = "tests: hostile plugins",
  sections = {
    sos.sections.introductions,
    sos.sections.mapping:with {
      enter = function(conf)
        local problem = { code = 2 }
        error(problem)
      end,
    },
  },
}
return agenda
