-- expect: unknown_section_field.lua:7: section 'mapping': unknown field 'prompt'
-- "prompt" for "prompts": an unknown field is refused, never ignored.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "unknown_section_field", name = "Unknown section field", source = "tests: broken plugins",
  sections = {
    sos.sections.mapping:with { prompt = "sos.mapping.prompt.plain" },
  },
}
return agenda
