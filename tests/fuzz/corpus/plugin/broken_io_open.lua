-- expect: io_open.lua:3: attempt to index a nil value (global 'io')
-- No io library at all.
local f = io.open("/etc/passwd")
return {f:read("a")}
