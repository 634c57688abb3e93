-- expect: chair_only_unknown_category.lua:4: chair_only.categories: 'third_party' is not a category of columns.worried or columns.working_well
-- A chair-only category that no column declares: nothing could ever be kept from the room.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "chair_only_unknown_category", name = "Chair-only unknown category", source = "tests: broken plugins",
  chair_only = { categories = { "past_harm", "third_party" } },
}
return agenda
