-- chairshire.lua — a test agenda: the Signs of Safety base with a worried
-- category whose entries are for the chair alone (chair_only, docs/plugins.md),
-- as an authority might record what professionals shared with the chair in
-- advance (Surrey, seeds/004). tests/cli/test_record_cli.sh and
-- tests/cli/test_board.sh put this directory on CONFER_PLUGIN_PATH and check
-- that such an entry reaches no audience but the chair, nor the live board.

local sos = require "signs_of_safety"

local agenda = sos.agenda {
  id = "chairshire",
  name = "Chairshire",
  source = "a test agenda (tests/plugins/chair_only)",
  columns = {
    worried = { "past_harm", "future_danger", "complicating_factors", "shared_with_chair" },
  },
  chair_only = { categories = { "shared_with_chair" } },
}
return agenda
