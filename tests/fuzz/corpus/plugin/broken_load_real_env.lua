-- expect: load_real_env.lua:4: attempt to call a nil value (field 'execute')
-- Plain load binds _ENV to the real globals; the sandbox's load binds its own.
local os_seen = load("return os")()
os_seen.execute("echo escaped")
