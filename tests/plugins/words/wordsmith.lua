-- wordsmith.lua — a test agenda that brings its own words: locales/en_GB and
-- locales/cy beside it hold the catalogue of its one new section.
-- tests/cli/test_locales_messages.sh puts this directory on CONFER_PLUGIN_PATH
-- and checks the REPL shows those words (in Welsh under --lang cy) and that
-- `confer locales check` finds the key.
local sos = require "signs_of_safety"

local agenda = sos.agenda {
  id = "wordsmith",
  name = "Wordsmith",
  source = "a test agenda (tests/plugins/words)",
  sections = {
    sos.section { id = "home_visit", title = "wordsmith.home_visit.title",
                  prompts = { "wordsmith.home_visit.prompt" }, records = { "person" } },
    sos.sections.mapping,
    sos.sections.decision,
  },
}
return agenda
