-- expect: debug_access.lua:3: attempt to index a nil value (global 'debug')
-- debug.sethook would remove the budget; debug.getregistry reaches the host.
debug.sethook()
