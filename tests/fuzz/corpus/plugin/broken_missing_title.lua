-- expect: missing_title.lua:7: section 'visit': title is required (a catalogue key)
-- A section without a title.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "missing_title", name = "Missing title", source = "tests: broken plugins",
  sections = {
    sos.section { id = "visit", prompts = { "sos.mapping.prompt.plain" } },
  },
}
return agenda
