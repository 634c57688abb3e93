-- expect: undeclared_category.lua:4: category 'harmm' in columns.worried has no title in categories
-- A misspelt category: every category needs a title.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "undeclared_category", name = "Undeclared category", source = "tests: broken plugins",
  columns = { worried = { "harmm", "complicating_factors" } },
}
return agenda
