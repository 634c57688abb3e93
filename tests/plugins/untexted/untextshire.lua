-- untextshire.lua — a test agenda whose code gives confer.text and
-- confer.plural keys that no catalogue has a text for, for
-- tests/cli/test_plugins_words.sh: `confer plugins check` must name each one
-- at its line, once per line, and nothing else. Its declarations are sound,
-- and so are the keys it gives with a text: the shipped catalogue's
-- (sos.check.child_voice) and its own (locales/en_GB beside it). Keys in a
-- comment or in a string that is not given to either call are not its words.

local sos = require "signs_of_safety"

-- confer.text("untextshire.in.comment") is no call.
local not_a_call = "untextshire.not.a.call"

-- The chair is greeted with a key that has no text, twice on one line: one problem.
local function greet()
  return { confer.text("untextshire.enter.greeting"), confer.text("untextshire.enter.greeting") }
end

local agenda = sos.agenda {
  id = "untextshire",
  name = "Untextshire",
  source = "a test agenda (tests/plugins/untexted)",
  sections = {
    sos.sections.introductions,
    sos.section {
      id = "welcome", title = "untextshire.welcome.title", prompts = { "sos.mapping.prompt.plain" },
      enter = function() return greet() end,
    },
    sos.sections.close,
  },
  checks = {
    {
      id = "counted", message = "sos.check.child_voice",
      check = function(conf)
        local n = #conf:items("person")
        if n > 99 then return { confer.plural("untextshire.check.crowd", n, n), not_a_call } end
        if n > 98 then return { confer.text("sos.check.child_voice") } end
        if n > 97 then return { confer.text( "untextshire.check.spaced" ) } end
        return {}
      end,
    },
  },
}
return agenda
