-- expect: os_execute.lua:3: attempt to call a nil value (field 'execute')
-- os has only time, date and clock.
os.execute("echo escaped")
