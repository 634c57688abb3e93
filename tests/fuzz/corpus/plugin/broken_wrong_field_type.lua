-- expect: wrong_field_type.lua:4: evidence.required must be a boolean, got string
-- A yes/no rule written as a word.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "wrong_field_type", name = "Wrong field type", source = "tests: broken plugins",
  evidence = { required = "yes" },
}
return agenda
