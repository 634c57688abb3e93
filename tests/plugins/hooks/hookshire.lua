-- hookshire.lua — a test agenda: sections with enter and leave functions
-- (docs/plugins.md). tests/cli/test_repl_verbs.sh puts this directory on
-- CONFER_PLUGIN_PATH and checks the REPL shows what each says, in order, and
-- that a function that fails is one line naming the plugin's file and line,
-- with the chair moved on and nothing lost; one that returns what is not
-- text is said to (introductions, decision), never shown as "table: 0x...".
local sos = require "signs_of_safety"

local agenda = sos.agenda {
  id = "hookshire",
  name = "Hookshire",
  source = "a test agenda (tests/plugins/hooks)",
  sections = {
    sos.sections.introductions:with {
      enter = function(conf) return conf:count("participants") == 0 end,
      leave = function(conf)
        return ("participants introduced: %d"):format(conf:count("participants"))
      end,
    },
    sos.sections.mapping:with {
      enter = function(conf)
        return { "Start with what the family says.", "Ask the child's view first." }
      end,
      leave = function(conf) error("no leaving the mapping") end,
    },
    sos.sections.decision:with {
      enter = function(conf) return { "Hear every view first.", { "a table, not a line" } } end,
    },
  },
}
return agenda
