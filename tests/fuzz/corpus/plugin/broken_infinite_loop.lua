-- expect: infinite_loop.lua:3: instruction budget exhausted (runaway loop?)
-- A plugin that never finishes loading: the instruction budget stops it.
while true do end
return {}
