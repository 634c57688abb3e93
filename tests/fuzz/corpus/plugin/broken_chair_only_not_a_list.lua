-- expect: chair_only_not_a_list.lua:4: chair_only.categories must be a list of category ids, got string
-- chair_only.categories given as one string instead of a list.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "chair_only_not_a_list", name = "Chair-only not a list", source = "tests: broken plugins",
  chair_only = { categories = "past_harm" },
}
return agenda
