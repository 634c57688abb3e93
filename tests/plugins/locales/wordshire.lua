-- wordshire.lua — a test agenda with words the catalogues lack, for
-- tests/cli/test_locales_cli.sh: a section title and a practice check's
-- message declared with keys en_GB has no text for, and a check that gives
-- confer.text a key without text. `confer locales check` must name each
-- where it is used (this file's line) and still show the key as the text.

local sos = require "signs_of_safety"

local agenda = sos.agenda {
  id = "wordshire",
  name = "Wordshire",
  source = "a test agenda (tests/plugins/locales)",
  sections = {
    sos.sections.introductions,
    sos.section {
      id = "welcome", title = "wordshire.welcome.title",
      prompts = { "sos.mapping.prompt.plain" },
    },
    sos.sections.close,
  },
  checks = {
    {
      id = "welcomed", message = "wordshire.check.welcomed",
      check = function(conf)
        if #conf:items("person") > 99 then return { confer.text("wordshire.check.crowded") } end
        return {}
      end,
    },
  },
}
return agenda
