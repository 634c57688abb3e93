-- expect: string_metatable.lua:4: attempt to index a boolean value
-- The string metatable is shared by every string; changing it would change
-- ("x"):upper() for the host. getmetatable("") gives false instead.
getmetatable("").__index.upper = function() return "changed" end
