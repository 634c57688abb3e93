-- expect: loop_in_index.lua:3: C stack overflow
-- An __index metamethod that indexes its own table: recursion through C.
local t = setmetatable({}, {__index = function(t, k) return t[k] end})
return t.anything
