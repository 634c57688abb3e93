-- expect: duplicate_section.lua:9: section 'mapping' is declared twice (first at
-- The same section twice in one agenda.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "duplicate_section", name = "Duplicate section", source = "tests: broken plugins",
  sections = {
    sos.sections.introductions,
    sos.sections.mapping:with { title = "sos.mapping.title" },
    sos.sections.mapping:with { title = "sos.mapping.title" },
  },
}
return agenda
