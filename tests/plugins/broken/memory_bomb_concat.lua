-- expect: not enough memory (plugin memory cap of 32 MiB reached)
-- A string doubled until memory runs out.
local s = "x"
while true do s = s .. s end
