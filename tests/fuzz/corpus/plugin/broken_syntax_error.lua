-- expect: syntax_error.lua:6: '}' expected (to close '{' at line 4) near 'name'
-- A missing comma between two fields: Lua's own message, with the file's line.
local sos = require "signs_of_safety"
local agenda = sos.agenda {
  id = "syntax_error"
  name = "Syntax error",
  source = "tests: broken plugins",
}
return agenda
