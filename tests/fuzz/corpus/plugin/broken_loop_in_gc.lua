-- expect: loop_in_gc.lua:4: setmetatable: __gc metamethods are not allowed in plugins
-- Finalizers run with hooks off, so a loop in one would escape the budget;
-- the sandbox refuses __gc when the metatable is set.
setmetatable({}, {__gc = function() while true do end end})
return {}
