-- expect: binary_chunk.lua:4: attempt to load a binary chunk (mode is 't')
-- Hand-made bytecode can break the VM's memory safety; only text loads.
local header = "\27Lua\84\0\25\147\r\n\26\n\4\8\8"
return assert(load(header .. string.rep("\0", 64)))
