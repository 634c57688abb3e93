-- expect: not enough memory (plugin memory cap of 32 MiB reached)
-- A table that grows without end.
local t = {}
for i = 1, 1e9 do t[i] = i end
return t
