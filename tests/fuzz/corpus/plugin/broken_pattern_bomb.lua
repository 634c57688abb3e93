-- expect: pattern_bomb.lua:4: pattern too complex for a plugin (more than 10 quantifiers)
-- Backtracking is exponential in the quantifiers and runs in C, where the
-- instruction budget cannot see it: such patterns are refused.
return string.find(("a"):rep(30), ("a*"):rep(30) .. "b")
