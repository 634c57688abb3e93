-- expect: collectgarbage_stop.lua:3: bad argument #1 to 'collectgarbage' (only "count" is allowed in plugins)
-- Stopping the collector would let garbage pile up for the host.
collectgarbage("stop")
