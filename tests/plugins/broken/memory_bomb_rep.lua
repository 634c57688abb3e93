-- expect: not enough memory (plugin memory cap of 32 MiB reached)
-- A gigabyte string: the allocator cap refuses it at once.
local s = string.rep("x", 1e9)
return {s}
