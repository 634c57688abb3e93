-- nomapshire.lua — a test agenda with no section that maps worries (only
-- introductions and the decision). tests/cli/test_training.sh puts this
-- directory on CONFER_PLUGIN_PATH and checks that `confer simulate` says the
-- agenda cannot play a scenario whose actions link worries, instead of
-- failing on an action's worry id.
local sos = require "signs_of_safety"

return sos.agenda {
  id = "nomapshire",
  name = "Nomapshire",
  source = "a test agenda (tests/plugins/no_mapping)",
  sections = { sos.sections.introductions, sos.sections.decision },
}
