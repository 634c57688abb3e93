-- expect: string_dump.lua:3: attempt to call a nil value (field 'dump')
-- string.dump makes bytecode, which could then be edited and loaded.
local bytes = string.dump(function() return 1 end)
return {bytes}
