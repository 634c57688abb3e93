-- expect: deep_recursion.lua:3: stack overflow
-- Unbounded recursion (not a tail call, so every call keeps a frame).
local function deeper(n) return 1 + deeper(n + 1) end
return deeper(1)
